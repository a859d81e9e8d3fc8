//! 查询用途 (purpose of a read): why an institution reads data about an information subject.
//!
//! Every read states one purpose; a sharing agreement lists the purposes an institution may
//! use at all, an authorization names the one purpose the subject consented to (不得擅自变更
//! 用途). A purpose is a stable code with a Chinese label; [`Purpose::parse`] accepts either.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// 贷前调查
    PreLoan,
    /// 贷中审批
    LoanApproval,
    /// 贷后管理
    PostLoan,
    /// 产品匹配
    ProductMatching,
    /// 担保审查
    GuaranteeReview,
    /// 保险承保
    InsuranceUnderwriting,
    /// 信用服务
    CreditService,
}

impl Purpose {
    pub const ALL: [Purpose; 7] = [
        Purpose::PreLoan,
        Purpose::LoanApproval,
        Purpose::PostLoan,
        Purpose::ProductMatching,
        Purpose::GuaranteeReview,
        Purpose::InsuranceUnderwriting,
        Purpose::CreditService,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Purpose::PreLoan => "pre_loan",
            Purpose::LoanApproval => "loan_approval",
            Purpose::PostLoan => "post_loan",
            Purpose::ProductMatching => "product_matching",
            Purpose::GuaranteeReview => "guarantee_review",
            Purpose::InsuranceUnderwriting => "insurance_underwriting",
            Purpose::CreditService => "credit_service",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Purpose::PreLoan => "贷前调查",
            Purpose::LoanApproval => "贷中审批",
            Purpose::PostLoan => "贷后管理",
            Purpose::ProductMatching => "产品匹配",
            Purpose::GuaranteeReview => "担保审查",
            Purpose::InsuranceUnderwriting => "保险承保",
            Purpose::CreditService => "信用服务",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Purpose::PreLoan => "Pre-loan investigation",
            Purpose::LoanApproval => "Loan approval",
            Purpose::PostLoan => "Post-loan management",
            Purpose::ProductMatching => "Product matching",
            Purpose::GuaranteeReview => "Guarantee review",
            Purpose::InsuranceUnderwriting => "Insurance underwriting",
            Purpose::CreditService => "Credit service",
        }
    }

    /// The purpose named by its code (`pre_loan`) or its Chinese label (`贷前调查`);
    /// surrounding blanks are ignored.
    pub fn parse(text: &str) -> Option<Purpose> {
        let text = text.trim();
        Purpose::ALL
            .into_iter()
            .find(|p| p.code() == text || p.label_zh() == text)
    }

    /// Every code, comma-separated, for error messages and help texts.
    pub fn codes_hint() -> String {
        Purpose::ALL
            .iter()
            .map(|p| format!("{}（{}）", p.code(), p.label_zh()))
            .collect::<Vec<_>>()
            .join("、")
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.code()), Some(p));
            assert_eq!(Purpose::parse(p.label_zh()), Some(p));
            assert_eq!(Purpose::parse(&format!(" {} ", p.label_zh())), Some(p));
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.code()));
        }
        assert_eq!(Purpose::parse("贷前调查"), Some(Purpose::PreLoan));
        assert_eq!(Purpose::parse("marketing"), None);
        assert_eq!(Purpose::parse(""), None);
    }

    proptest! {
        /// Only the seven codes and labels name a purpose; anything else is refused.
        #[test]
        fn other_text_names_no_purpose(text in "\\PC{0,12}") {
            let known = Purpose::ALL
                .iter()
                .any(|p| p.code() == text.trim() || p.label_zh() == text.trim());
            prop_assert_eq!(Purpose::parse(&text).is_some(), known);
        }
    }
}
