//! 政策找人 (policy matching): policy kinds and what a policy offers, to whom, where and when.
//!
//! A government unit issues a policy for its jurisdiction (辖区): its `region_code` must lie
//! inside the issuer's, and so must every region its eligibility names. Eligibility is the one
//! rule set products use too ([`super::eligibility::Eligibility`]); the platform matches it
//! against every enterprise of the policy's region.

use super::eligibility::{Eligibility, EligibilityError};
use crate::access::jurisdiction_covers;
use crate::codes::region::{region_prefix, regions};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// Longest benefit text (支持内容), in characters.
pub const MAX_BENEFIT_CHARS: usize = 2_000;
/// Longest body (政策原文/申报说明), in characters.
pub const MAX_BODY_CHARS: usize = 20_000;

/// 政策类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// 科技贷
    TechLoan,
    /// 创业担保贷
    StartupGuaranteeLoan,
    /// 专精特新贷
    SrdiLoan,
    /// 贴息
    InterestSubsidy,
    /// 担保费补贴
    GuaranteeFeeSubsidy,
    /// 其他
    Other,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 6] = [
        PolicyKind::TechLoan,
        PolicyKind::StartupGuaranteeLoan,
        PolicyKind::SrdiLoan,
        PolicyKind::InterestSubsidy,
        PolicyKind::GuaranteeFeeSubsidy,
        PolicyKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PolicyKind::TechLoan => "tech_loan",
            PolicyKind::StartupGuaranteeLoan => "startup_guarantee_loan",
            PolicyKind::SrdiLoan => "srdi_loan",
            PolicyKind::InterestSubsidy => "interest_subsidy",
            PolicyKind::GuaranteeFeeSubsidy => "guarantee_fee_subsidy",
            PolicyKind::Other => "other",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            PolicyKind::TechLoan => "科技贷",
            PolicyKind::StartupGuaranteeLoan => "创业担保贷",
            PolicyKind::SrdiLoan => "专精特新贷",
            PolicyKind::InterestSubsidy => "贴息",
            PolicyKind::GuaranteeFeeSubsidy => "担保费补贴",
            PolicyKind::Other => "其他",
        }
    }

    /// The kind with this code; `policy.kind` when unknown.
    pub fn parse(code: &str) -> Result<PolicyKind, PolicyError> {
        PolicyKind::ALL
            .into_iter()
            .find(|k| k.code() == code.trim())
            .ok_or_else(|| {
                PolicyError::new(
                    "policy.kind",
                    format!(
                        "政策类型“{code}”无效，应为 {} 之一",
                        PolicyKind::ALL.map(|k| k.code()).join("、")
                    ),
                )
            })
    }
}

/// A policy's terms as its issuer writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyTerms {
    pub title: String,
    pub kind: PolicyKind,
    /// GB/T 2260 code of the area the policy applies to, inside the issuer's jurisdiction.
    pub region_code: String,
    pub eligibility: Eligibility,
    /// 支持内容: what a fitting enterprise gets (e.g. "贴息 50%，最高 20 万元").
    pub benefit: String,
    /// 政策原文 / 申报说明.
    pub body: String,
    pub valid_from: NaiveDate,
    /// Open-ended when `None`.
    pub valid_to: Option<NaiveDate>,
}

/// A policy that cannot be issued as written: a stable code (`policy.*`, `eligibility.*`) and a
/// Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyError {
    pub code: &'static str,
    pub message: String,
}

impl PolicyError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        PolicyError {
            code,
            message: message.into(),
        }
    }
}

impl From<EligibilityError> for PolicyError {
    fn from(e: EligibilityError) -> Self {
        PolicyError {
            code: e.code,
            message: e.message,
        }
    }
}

fn text(
    value: &str,
    max: usize,
    code: &'static str,
    what: &str,
    required: bool,
) -> Result<String, PolicyError> {
    let t = value.trim();
    if required && t.is_empty() {
        return Err(PolicyError::new(code, format!("请填写{what}")));
    }
    if t.chars().count() > max {
        return Err(PolicyError::new(code, format!("{what}不能超过 {max} 个字")));
    }
    Ok(t.to_owned())
}

impl PolicyTerms {
    /// Trims the texts and checks them, the dates, the region, the eligibility, and that the
    /// policy's region and every eligibility region lie inside `jurisdiction` (the issuer's
    /// region code): `policy.outside_jurisdiction` otherwise.
    pub fn validate(mut self, jurisdiction: &str) -> Result<PolicyTerms, PolicyError> {
        self.title = text(
            &self.title,
            MAX_TITLE_CHARS,
            "policy.title",
            "政策名称",
            true,
        )?;
        self.benefit = text(
            &self.benefit,
            MAX_BENEFIT_CHARS,
            "policy.benefit",
            "支持内容",
            true,
        )?;
        self.body = text(&self.body, MAX_BODY_CHARS, "policy.body", "政策正文", false)?;
        if let Some(to) = self.valid_to
            && to < self.valid_from
        {
            return Err(PolicyError::new(
                "policy.validity",
                format!("有效期止（{to}）不能早于有效期起（{}）", self.valid_from),
            ));
        }
        self.region_code = self.region_code.trim().to_owned();
        if regions().get(&self.region_code).is_none() {
            return Err(PolicyError::new(
                "policy.region",
                format!("适用地区代码“{}”不是有效的行政区划代码", self.region_code),
            ));
        }
        if !jurisdiction_covers(jurisdiction, &self.region_code) {
            return Err(outside(jurisdiction));
        }
        self.eligibility.validate()?;
        for r in &self.eligibility.regions {
            // A prefix ("4101") or a full code ("410100"): both must sit inside the jurisdiction.
            if !jurisdiction_covers(jurisdiction, &region_prefix(r)) {
                return Err(outside(jurisdiction));
            }
        }
        Ok(self)
    }

    /// Whether the policy is in force on `today`.
    pub fn in_force(&self, today: NaiveDate) -> bool {
        in_force(self.valid_from, self.valid_to, today)
    }
}

/// Whether a validity period covers `today`.
pub fn in_force(valid_from: NaiveDate, valid_to: Option<NaiveDate>, today: NaiveDate) -> bool {
    valid_from <= today && valid_to.is_none_or(|to| today <= to)
}

fn outside(jurisdiction: &str) -> PolicyError {
    PolicyError::new(
        "policy.outside_jurisdiction",
        format!(
            "政策适用地区须在本单位辖区（{}）内",
            regions().full_name(jurisdiction)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> PolicyTerms {
        PolicyTerms {
            title: " 科技型中小企业贷款贴息 ".into(),
            kind: PolicyKind::InterestSubsidy,
            region_code: "410105".into(),
            eligibility: Eligibility::default(),
            benefit: "贴息 50%".into(),
            body: String::new(),
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_to: Some(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in PolicyKind::ALL {
            assert_eq!(PolicyKind::parse(k.code()).unwrap(), k);
            assert!(!k.label_zh().is_empty());
        }
        assert_eq!(PolicyKind::parse("loan").unwrap_err().code, "policy.kind");
        assert_eq!(
            serde_json::to_string(&PolicyKind::SrdiLoan).unwrap(),
            "\"srdi_loan\""
        );
    }

    #[test]
    fn region_must_lie_inside_the_issuers_jurisdiction() {
        let t = terms().validate("410100").unwrap();
        assert_eq!(t.title, "科技型中小企业贷款贴息");
        assert!(terms().validate("410000").is_ok());
        assert_eq!(
            terms().validate("410102").unwrap_err().code,
            "policy.outside_jurisdiction"
        );
        let mut wide = terms();
        wide.region_code = "410000".into();
        assert_eq!(
            wide.validate("410100").unwrap_err().code,
            "policy.outside_jurisdiction"
        );
        let mut elig = terms();
        elig.region_code = "410100".into();
        elig.eligibility.regions = vec!["4103".into()];
        assert_eq!(
            elig.validate("410100").unwrap_err().code,
            "policy.outside_jurisdiction"
        );
        let mut ok = terms();
        ok.region_code = "410100".into();
        ok.eligibility.regions = vec!["410105".into()];
        assert!(ok.validate("410100").is_ok());
    }

    #[test]
    fn texts_dates_and_region_are_checked() {
        let mut t = terms();
        t.title = "  ".into();
        assert_eq!(t.validate("410100").unwrap_err().code, "policy.title");
        let mut t = terms();
        t.benefit = String::new();
        assert_eq!(t.validate("410100").unwrap_err().code, "policy.benefit");
        let mut t = terms();
        t.valid_to = Some(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        assert_eq!(t.validate("410100").unwrap_err().code, "policy.validity");
        let mut t = terms();
        t.region_code = "999999".into();
        assert_eq!(t.validate("410100").unwrap_err().code, "policy.region");
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert!(terms().in_force(d(6, 1)));
        assert!(!terms().in_force(d(1, 1).pred_opt().unwrap()));
        assert!(in_force(d(1, 1), None, d(12, 31)));
    }
}
