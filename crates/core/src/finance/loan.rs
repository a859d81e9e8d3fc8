//! 获贷明细 (loans): flags, statuses and repayment arithmetic.
//!
//! A loan is recorded by the lending institution when it is disbursed (放款): amount, annual
//! rate in basis points, term in months, guarantee type and four flags — 纯信用 (pure credit,
//! only with guarantee type 信用), 首贷 (the enterprise's first loan), 续贷 (renewal) and
//! 无还本续贷 (renewal without repaying principal first, a kind of renewal). Repayments reduce
//! the outstanding principal, never below zero; the loan is settled when it reaches zero.
//!
//! ```text
//! normal ⇄ overdue ──▶ default
//!   │         │          │
//!   └─────────┴──────────┴──▶ settled (terminal; outstanding 0)
//! normal ──▶ default
//! ```
//!
//! Money is integer fen, rates integer basis points of the annual rate (3.85% = 385).

use super::product::GuaranteeType;
use chrono::{DateTime, FixedOffset, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Highest annual rate accepted: 36% (the judicial protection ceiling).
pub const MAX_RATE_BP: u32 = 3_600;
/// Longest term accepted, in months (30 years).
pub const MAX_TERM_MONTHS: u32 = 360;
/// Longest contract number.
pub const MAX_CONTRACT_CHARS: usize = 64;

/// A loan's status, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LoanStatus {
    /// 正常
    Normal,
    /// 逾期
    Overdue,
    /// 违约 (不良)
    Default,
    /// 已结清
    Settled,
}

impl LoanStatus {
    pub const ALL: [LoanStatus; 4] = [
        LoanStatus::Normal,
        LoanStatus::Overdue,
        LoanStatus::Default,
        LoanStatus::Settled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LoanStatus::Normal => "normal",
            LoanStatus::Overdue => "overdue",
            LoanStatus::Default => "default",
            LoanStatus::Settled => "settled",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            LoanStatus::Normal => "正常",
            LoanStatus::Overdue => "逾期",
            LoanStatus::Default => "违约",
            LoanStatus::Settled => "已结清",
        }
    }

    pub fn parse(code: &str) -> Option<LoanStatus> {
        LoanStatus::ALL
            .into_iter()
            .find(|s| s.code() == code.trim())
    }

    /// Whether a status change `self → to` is allowed with `outstanding_fen` left.
    pub fn can_become(self, to: LoanStatus, outstanding_fen: i64) -> Result<(), LoanError> {
        use LoanStatus::*;
        let ok = match (self, to) {
            (Settled, _) => false,
            (a, b) if a == b => false,
            (Normal, Overdue) | (Overdue, Normal) => true,
            (Normal | Overdue, Default) => true,
            (Default, Normal | Overdue) => false,
            (_, Settled) => {
                if outstanding_fen > 0 {
                    return Err(LoanError::new(
                        "loan.outstanding",
                        format!(
                            "尚有未还本金 {} 元，不能标记为已结清",
                            crate::money::Fen(outstanding_fen).yuan_text()
                        ),
                    ));
                }
                true
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(LoanError::new(
                "loan.state",
                format!(
                    "贷款当前状态为“{}”，不能变更为“{}”",
                    self.label_zh(),
                    to.label_zh()
                ),
            ))
        }
    }
}

/// Guarantee types (担保方式), as stored: the codes of the products' [`GuaranteeType`]
/// (credit, mortgage, pledge, guarantee).
pub const GUARANTEES: [&str; 4] = ["credit", "mortgage", "pledge", "guarantee"];

/// The Chinese label of a guarantee code.
pub fn guarantee_label_zh(code: &str) -> &'static str {
    GuaranteeType::parse(code).map_or("未知", GuaranteeType::label_zh)
}

/// A guarantee code from its code or its Chinese label (信用, 抵押, 质押, 保证/担保).
pub fn parse_guarantee(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t == "担保" {
        return Some(GuaranteeType::Guarantee.code());
    }
    GuaranteeType::parse(t)
        .or_else(|| GuaranteeType::parse(&t.to_ascii_lowercase()))
        .map(GuaranteeType::code)
}

/// A refused value: a stable code and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LoanError {
    pub code: &'static str,
    pub message: String,
}

impl LoanError {
    pub fn new(code: &'static str, message: impl Into<String>) -> LoanError {
        LoanError {
            code,
            message: message.into(),
        }
    }
}

/// The four flags of a loan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flags {
    /// 纯信用: no collateral nor guarantor; only with guarantee type `credit`.
    pub pure_credit: bool,
    /// 首贷: the enterprise's first loan from a bank.
    pub first_loan: bool,
    /// 续贷: a renewal of an earlier loan.
    pub renewal: bool,
    /// 无还本续贷: renewed without repaying the principal first (implies 续贷).
    pub no_principal_renewal: bool,
}

/// A disbursement as the institution records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disbursement {
    pub contract_no: String,
    pub amount_fen: i64,
    pub rate_bp: i64,
    pub term_months: i64,
    pub guarantee: String,
    pub flags: Flags,
    pub disbursed_on: NaiveDate,
}

/// The maturity date: the disbursement date plus the term (clamped to the month's end).
pub fn maturity(disbursed_on: NaiveDate, term_months: u32) -> Option<NaiveDate> {
    disbursed_on.checked_add_months(Months::new(term_months))
}

impl Disbursement {
    /// Checks every value; the first broken rule's code and message. Answers the maturity date.
    pub fn validate(&self) -> Result<NaiveDate, LoanError> {
        let contract = self.contract_no.trim();
        if contract.is_empty() {
            return Err(LoanError::new("loan.contract_no", "请填写合同编号"));
        }
        if contract.chars().count() > MAX_CONTRACT_CHARS || contract.chars().any(|c| c.is_control())
        {
            return Err(LoanError::new(
                "loan.contract_no",
                format!("合同编号不超过 {MAX_CONTRACT_CHARS} 个字符，且不含控制字符"),
            ));
        }
        if self.amount_fen <= 0 {
            return Err(LoanError::new("loan.amount", "放款金额须大于 0"));
        }
        if self.rate_bp <= 0 || self.rate_bp > i64::from(MAX_RATE_BP) {
            return Err(LoanError::new(
                "loan.rate",
                "年利率须大于 0 且不超过 36%（以基点计，1% = 100 基点）",
            ));
        }
        if self.term_months < 1 || self.term_months > i64::from(MAX_TERM_MONTHS) {
            return Err(LoanError::new(
                "loan.term",
                format!("期限须为 1 至 {MAX_TERM_MONTHS} 个月"),
            ));
        }
        if !GUARANTEES.contains(&self.guarantee.as_str()) {
            return Err(LoanError::new(
                "loan.guarantee",
                "担保方式须为信用、抵押、质押或保证之一",
            ));
        }
        if self.flags.pure_credit && self.guarantee != "credit" {
            return Err(LoanError::new(
                "loan.pure_credit",
                format!(
                    "纯信用贷款的担保方式须为“信用”，不能是“{}”",
                    guarantee_label_zh(&self.guarantee)
                ),
            ));
        }
        if self.flags.no_principal_renewal && !self.flags.renewal {
            return Err(LoanError::new(
                "loan.renewal",
                "无还本续贷也是续贷：请同时勾选“续贷”",
            ));
        }
        if self.flags.first_loan && self.flags.renewal {
            return Err(LoanError::new("loan.first_loan", "首贷不能同时是续贷"));
        }
        maturity(self.disbursed_on, self.term_months as u32)
            .ok_or_else(|| LoanError::new("loan.term", "到期日超出可表示的日期范围"))
    }
}

/// The outstanding principal after repaying `principal_fen` (and `interest_fen`, which does not
/// reduce it). Refuses negative parts, an empty repayment and principal beyond what is owed.
pub fn apply_repayment(
    outstanding_fen: i64,
    principal_fen: i64,
    interest_fen: i64,
) -> Result<i64, LoanError> {
    if principal_fen < 0 || interest_fen < 0 {
        return Err(LoanError::new(
            "loan.repayment_amount",
            "还款本金和利息不能为负数",
        ));
    }
    if principal_fen == 0 && interest_fen == 0 {
        return Err(LoanError::new(
            "loan.repayment_amount",
            "还款本金和利息不能都为 0",
        ));
    }
    if principal_fen > outstanding_fen {
        return Err(LoanError::new(
            "loan.repayment_exceeds",
            format!(
                "还款本金 {} 元超过未还本金 {} 元",
                crate::money::Fen(principal_fen).yuan_text(),
                crate::money::Fen(outstanding_fen.max(0)).yuan_text()
            ),
        ));
    }
    Ok(outstanding_fen - principal_fen)
}

/// A loan as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanView {
    pub id: String,
    pub institution_org_id: String,
    pub institution_name: String,
    /// The borrower's USCC.
    pub subject: String,
    pub subject_name: String,
    pub application_id: Option<String>,
    pub product_id: Option<String>,
    pub contract_no: String,
    pub amount_fen: i64,
    /// Annual rate in basis points (3.85% = 385).
    pub rate_bp: i64,
    pub term_months: i64,
    /// credit, mortgage, pledge or guarantee.
    pub guarantee: String,
    pub guarantee_label: String,
    pub pure_credit: bool,
    pub first_loan: bool,
    pub renewal: bool,
    pub no_principal_renewal: bool,
    pub disbursed_on: NaiveDate,
    pub maturity_on: NaiveDate,
    /// normal, overdue, default or settled.
    pub status: String,
    pub status_label: String,
    pub outstanding_fen: i64,
    pub principal_repaid_fen: i64,
    pub interest_repaid_fen: i64,
    /// The batch upload that recorded it, if any.
    pub batch_id: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// One repayment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepaymentView {
    pub id: String,
    pub loan_id: String,
    pub paid_on: NaiveDate,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub created_at: DateTime<FixedOffset>,
}

/// Totals over the loans a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub count: u64,
    pub amount_fen: i64,
    pub outstanding_fen: i64,
    /// 纯信用 amount.
    pub pure_credit_amount_fen: i64,
    /// 首贷 count.
    pub first_loan_count: u64,
    pub renewal_count: u64,
    pub no_principal_renewal_count: u64,
}

impl Totals {
    /// Adds one loan.
    pub fn add(&mut self, l: &LoanView) {
        self.count += 1;
        self.amount_fen += l.amount_fen;
        self.outstanding_fen += l.outstanding_fen;
        if l.pure_credit {
            self.pure_credit_amount_fen += l.amount_fen;
        }
        self.first_loan_count += u64::from(l.first_loan);
        self.renewal_count += u64::from(l.renewal);
        self.no_principal_renewal_count += u64::from(l.no_principal_renewal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn good() -> Disbursement {
        Disbursement {
            contract_no: "HT-2026-001".into(),
            amount_fen: 100_000_000,
            rate_bp: 385,
            term_months: 12,
            guarantee: "credit".into(),
            flags: Flags {
                pure_credit: true,
                first_loan: true,
                ..Flags::default()
            },
            disbursed_on: d("2026-01-31"),
        }
    }

    #[test]
    fn a_good_disbursement_matures_after_its_term() {
        assert_eq!(good().validate(), Ok(d("2027-01-31")));
        let mut one = good();
        one.term_months = 1;
        // January 31st plus a month is the end of February.
        assert_eq!(one.validate(), Ok(d("2026-02-28")));
    }

    #[test]
    fn bad_values_are_refused_with_their_codes() {
        let code = |f: &dyn Fn(&mut Disbursement)| {
            let mut x = good();
            f(&mut x);
            x.validate().unwrap_err().code
        };
        assert_eq!(code(&|x| x.amount_fen = 0), "loan.amount");
        assert_eq!(code(&|x| x.amount_fen = -5), "loan.amount");
        assert_eq!(code(&|x| x.rate_bp = 0), "loan.rate");
        assert_eq!(code(&|x| x.rate_bp = 3_601), "loan.rate");
        assert_eq!(code(&|x| x.term_months = 0), "loan.term");
        assert_eq!(code(&|x| x.term_months = 361), "loan.term");
        assert_eq!(code(&|x| x.contract_no = "  ".into()), "loan.contract_no");
        assert_eq!(code(&|x| x.guarantee = "gold".into()), "loan.guarantee");
        assert_eq!(
            code(&|x| x.guarantee = "mortgage".into()),
            "loan.pure_credit"
        );
        assert_eq!(
            code(&|x| {
                x.flags.first_loan = false;
                x.flags.no_principal_renewal = true;
            }),
            "loan.renewal"
        );
        assert_eq!(code(&|x| x.flags.renewal = true), "loan.first_loan");
        let mut edge = good();
        edge.rate_bp = 3_600;
        edge.term_months = 360;
        assert!(edge.validate().is_ok());
    }

    #[test]
    fn repayments_never_take_the_outstanding_below_zero() {
        assert_eq!(apply_repayment(1_000, 400, 30), Ok(600));
        assert_eq!(apply_repayment(1_000, 0, 30), Ok(1_000));
        assert_eq!(apply_repayment(1_000, 1_000, 0), Ok(0));
        assert_eq!(
            apply_repayment(1_000, 1_001, 0).unwrap_err().code,
            "loan.repayment_exceeds"
        );
        assert_eq!(
            apply_repayment(1_000, -1, 0).unwrap_err().code,
            "loan.repayment_amount"
        );
        assert_eq!(
            apply_repayment(1_000, 0, 0).unwrap_err().code,
            "loan.repayment_amount"
        );
    }

    #[test]
    fn status_transitions() {
        use LoanStatus::*;
        assert!(Normal.can_become(Overdue, 5).is_ok());
        assert!(Overdue.can_become(Normal, 5).is_ok());
        assert!(Normal.can_become(Default, 5).is_ok());
        assert!(Overdue.can_become(Default, 5).is_ok());
        assert_eq!(
            Default.can_become(Normal, 5).unwrap_err().code,
            "loan.state"
        );
        assert_eq!(Normal.can_become(Normal, 5).unwrap_err().code, "loan.state");
        assert_eq!(
            Normal.can_become(Settled, 5).unwrap_err().code,
            "loan.outstanding"
        );
        assert!(Default.can_become(Settled, 0).is_ok());
        for to in LoanStatus::ALL {
            assert_eq!(Settled.can_become(to, 0).unwrap_err().code, "loan.state");
        }
        for s in LoanStatus::ALL {
            assert_eq!(LoanStatus::parse(s.code()), Some(s));
            assert_ne!(s.label_zh(), "");
        }
        assert_eq!(LoanStatus::parse("closed"), None);
    }

    #[test]
    fn rates_and_guarantees_parse() {
        use crate::money::{parse_rate_percent, rate_text};
        assert_eq!(parse_rate_percent("3.85"), Some(385));
        assert_eq!(parse_rate_percent("4"), Some(400));
        assert_eq!(parse_rate_percent("4.5%"), Some(450));
        assert_eq!(parse_rate_percent("4.555"), None);
        assert_eq!(parse_rate_percent("-1"), None);
        assert_eq!(parse_rate_percent("abc"), None);
        assert_eq!(rate_text(385), "3.85%");
        assert_eq!(parse_guarantee("抵押"), Some("mortgage"));
        assert_eq!(parse_guarantee("Credit"), Some("credit"));
        assert_eq!(parse_guarantee("担保"), Some("guarantee"));
        assert_eq!(parse_guarantee("黄金"), None);
        for g in GUARANTEES {
            assert_ne!(guarantee_label_zh(g), "未知");
            assert_eq!(parse_guarantee(guarantee_label_zh(g)), Some(g));
        }
    }

    proptest! {
        #[test]
        fn repayment_arithmetic_is_exact(outstanding in 0i64..1_000_000_000_000, p in 0i64..1_000_000_000_000, i in 0i64..1_000_000) {
            match apply_repayment(outstanding, p, i) {
                Ok(left) => {
                    prop_assert!(left >= 0);
                    prop_assert_eq!(left + p, outstanding);
                }
                Err(e) => prop_assert!(p > outstanding || (p == 0 && i == 0), "{}", e.code),
            }
        }

        #[test]
        fn repaying_in_parts_settles_exactly(amount in 1i64..10_000_000_000, parts in 1usize..20) {
            let mut left = amount;
            let share = amount / parts as i64;
            for _ in 1..parts {
                if share > 0 {
                    left = apply_repayment(left, share, 0).unwrap();
                }
            }
            left = apply_repayment(left, left, 1).unwrap();
            prop_assert_eq!(left, 0);
        }

        #[test]
        fn valid_disbursements_mature_after_disbursement(amount in 1i64..i64::MAX / 2, rate in 1i64..=3600, term in 1i64..=360, day in 0u32..20_000) {
            let x = Disbursement {
                amount_fen: amount,
                rate_bp: rate,
                term_months: term,
                disbursed_on: d("2000-01-01") + chrono::Duration::days(i64::from(day)),
                ..good()
            };
            let m = x.validate().unwrap();
            prop_assert!(m > x.disbursed_on);
        }

        #[test]
        fn pure_credit_requires_the_credit_guarantee(g in 0usize..4) {
            let mut x = good();
            x.guarantee = GUARANTEES[g].into();
            prop_assert_eq!(x.validate().is_ok(), GUARANTEES[g] == "credit");
        }
    }
}
