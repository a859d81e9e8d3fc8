//! 风险补偿基金 (compensation fund): eligibility of a loan and the payout arithmetic of a claim.
//!
//! A fund pool covers a share of the loss on a defaulted loan registered against it
//! ([`FundRules::share_bp`], basis points of the loss), never more than what remains under the
//! cap per loan and the cap per institution, and never more than the fund's balance. All amounts
//! are integer fen; the share is computed in `i128` and rounded down (a fen is never paid that
//! the rules do not cover).

use serde::{Deserialize, Serialize};

/// 10000 basis points = 100 %.
pub const FULL_BP: u32 = 10_000;

/// Fund statuses, as stored.
pub mod status {
    pub const ACTIVE: &str = "active";
    pub const CLOSED: &str = "closed";
    pub const ALL: &[&str] = &[ACTIVE, CLOSED];

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            ACTIVE => "运行中",
            CLOSED => "已关闭",
            _ => "未知",
        }
    }
}

/// Claim statuses, as stored: `submitted → approved → paid`, or `submitted → rejected`.
pub mod claim_status {
    pub const SUBMITTED: &str = "submitted";
    pub const APPROVED: &str = "approved";
    pub const REJECTED: &str = "rejected";
    pub const PAID: &str = "paid";
    pub const ALL: &[&str] = &[SUBMITTED, APPROVED, REJECTED, PAID];
    /// Claims that hold (or will hold) money under the caps: not rejected.
    pub const COUNTING: &[&str] = &[SUBMITTED, APPROVED, PAID];

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            SUBMITTED => "待审核",
            APPROVED => "已核准待拨付",
            REJECTED => "已驳回",
            PAID => "已拨付",
            _ => "未知",
        }
    }
}

/// Movement kinds, as stored.
pub mod movement_kind {
    pub const TOPUP: &str = "topup";
    pub const PAYOUT: &str = "payout";

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            TOPUP => "注资",
            PAYOUT => "代偿拨付",
            _ => "未知",
        }
    }
}

/// A fund's rules (基金规则), stored as JSON on the fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FundRules {
    /// Share of the loss covered, in basis points (1..=10000; 4000 = 40 %).
    pub share_bp: u32,
    /// Most paid on one loan, in fen (over all its claims).
    pub cap_per_loan_fen: i64,
    /// Most paid to one institution, in fen (over all its claims on this fund).
    pub cap_per_institution_fen: i64,
    /// Products whose loans may be registered; empty = any (and loans without a product).
    #[serde(default)]
    pub eligible_product_ids: Vec<String>,
    /// Institutions (organisation IDs) that may register loans; empty = any.
    #[serde(default)]
    pub eligible_institution_org_ids: Vec<String>,
    /// Only pure-credit loans (纯信用) may be registered.
    #[serde(default)]
    pub pure_credit_only: bool,
}

/// A broken fund rule or an ineligible loan or claim: a stable code and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FundError {
    pub code: &'static str,
    pub message: String,
}

fn err(code: &'static str, message: impl Into<String>) -> FundError {
    FundError {
        code,
        message: message.into(),
    }
}

/// The most IDs a rule list holds.
pub const MAX_LIST: usize = 200;

impl FundRules {
    /// Checks the rules: share in 1..=10000, positive caps, the per-loan cap not above the
    /// per-institution cap, lists of at most [`MAX_LIST`] non-empty IDs.
    pub fn validate(&self) -> Result<(), FundError> {
        if self.share_bp == 0 || self.share_bp > FULL_BP {
            return Err(err(
                "fund.share",
                format!(
                    "代偿比例须在 0.01% 至 100% 之间（1 至 10000 个基点），而不是 {} 个基点",
                    self.share_bp
                ),
            ));
        }
        if self.cap_per_loan_fen <= 0 || self.cap_per_institution_fen <= 0 {
            return Err(err("fund.cap", "单笔贷款上限和单家机构上限须大于零"));
        }
        if self.cap_per_loan_fen > self.cap_per_institution_fen {
            return Err(err("fund.cap", "单笔贷款代偿上限不能高于单家机构代偿上限"));
        }
        for (list, what) in [
            (&self.eligible_product_ids, "适用产品"),
            (&self.eligible_institution_org_ids, "适用机构"),
        ] {
            if list.len() > MAX_LIST {
                return Err(err("fund.rules", format!("{what}最多 {MAX_LIST} 个")));
            }
            if list.iter().any(|s| s.trim().is_empty() || s.len() > 64) {
                return Err(err("fund.rules", format!("{what}中有空白或过长的编号")));
            }
        }
        Ok(())
    }

    /// The rules in plain Chinese, one line each.
    pub fn describe_zh(&self) -> Vec<String> {
        let mut out = vec![
            format!("代偿比例：损失的 {}", percent_text(self.share_bp)),
            format!("单笔贷款代偿上限：{} 元", yuan(self.cap_per_loan_fen)),
            format!(
                "单家机构代偿上限：{} 元",
                yuan(self.cap_per_institution_fen)
            ),
        ];
        if !self.eligible_product_ids.is_empty() {
            out.push(format!(
                "仅限指定的 {} 个金融产品",
                self.eligible_product_ids.len()
            ));
        }
        if !self.eligible_institution_org_ids.is_empty() {
            out.push(format!(
                "仅限指定的 {} 家合作机构",
                self.eligible_institution_org_ids.len()
            ));
        }
        if self.pure_credit_only {
            out.push("仅限纯信用贷款".to_owned());
        }
        out
    }

    /// Whether a loan of `institution_org_id` (of `product_id`, pure credit or not) may be
    /// registered against a fund with these rules.
    pub fn check_loan(
        &self,
        institution_org_id: &str,
        product_id: Option<&str>,
        pure_credit: bool,
    ) -> Result<(), FundError> {
        if !self.eligible_institution_org_ids.is_empty()
            && !self
                .eligible_institution_org_ids
                .iter()
                .any(|i| i == institution_org_id)
        {
            return Err(err(
                "fund.institution_not_eligible",
                "本机构不在该基金的合作机构范围内",
            ));
        }
        if !self.eligible_product_ids.is_empty()
            && !product_id.is_some_and(|p| self.eligible_product_ids.iter().any(|e| e == p))
        {
            return Err(err(
                "fund.product_not_eligible",
                "该贷款的金融产品不在基金适用产品范围内",
            ));
        }
        if self.pure_credit_only && !pure_credit {
            return Err(err(
                "fund.not_pure_credit",
                "该基金仅覆盖纯信用贷款，此笔贷款不是纯信用贷款",
            ));
        }
        Ok(())
    }

    /// What may still be paid under the caps, given what is already paid (or held by pending
    /// claims) on the loan and to the institution; never negative.
    pub fn remaining_cap(&self, paid_to_loan_fen: i64, paid_to_institution_fen: i64) -> i64 {
        let loan = self.cap_per_loan_fen.saturating_sub(paid_to_loan_fen);
        let inst = self
            .cap_per_institution_fen
            .saturating_sub(paid_to_institution_fen);
        loan.min(inst).max(0)
    }
}

/// `4000` → `40%`, `3750` → `37.5%`, `1` → `0.01%`.
pub fn percent_text(bp: u32) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    if frac == 0 {
        format!("{whole}%")
    } else if frac.is_multiple_of(10) {
        format!("{whole}.{}%", frac / 10)
    } else {
        format!("{whole}.{frac:02}%")
    }
}

fn yuan(fen: i64) -> String {
    crate::money::Fen(fen).yuan_text()
}

/// What bounds a payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The share of the loss (代偿比例): no cap was reached.
    Share,
    /// The cap per loan.
    LoanCap,
    /// The cap per institution.
    InstitutionCap,
    /// The fund's balance.
    Balance,
}

impl Limit {
    pub fn code(self) -> &'static str {
        match self {
            Limit::Share => "share",
            Limit::LoanCap => "loan_cap",
            Limit::InstitutionCap => "institution_cap",
            Limit::Balance => "balance",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Limit::Share => "按代偿比例",
            Limit::LoanCap => "受单笔贷款上限限制",
            Limit::InstitutionCap => "受单家机构上限限制",
            Limit::Balance => "受基金余额限制",
        }
    }

    pub fn parse(code: &str) -> Option<Limit> {
        [
            Limit::Share,
            Limit::LoanCap,
            Limit::InstitutionCap,
            Limit::Balance,
        ]
        .into_iter()
        .find(|l| l.code() == code)
    }
}

/// The payout of a claim and what bounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payout {
    pub amount_fen: i64,
    pub limited_by: Limit,
}

/// The share of `loss_fen` the rules cover, rounded down: `loss × share_bp / 10000` in `i128`.
pub fn share_of(loss_fen: i64, share_bp: u32) -> i64 {
    if loss_fen <= 0 {
        return 0;
    }
    let bp = i128::from(share_bp.min(FULL_BP));
    let v = i128::from(loss_fen) * bp / i128::from(FULL_BP);
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The payout of a claim on a loss of `loss_fen`: the covered share, then bounded by what
/// remains under the per-loan cap (`paid_to_loan_so_far` already paid on the loan), under the
/// per-institution cap (`paid_to_institution_so_far`) and by `balance_fen`. Never negative,
/// never above any bound. When two bounds are equal the earlier in that order is named.
pub fn payout(
    loss_fen: i64,
    rules: &FundRules,
    paid_to_loan_so_far: i64,
    paid_to_institution_so_far: i64,
    balance_fen: i64,
) -> Payout {
    let mut out = Payout {
        amount_fen: share_of(loss_fen, rules.share_bp),
        limited_by: Limit::Share,
    };
    let bounds = [
        (
            rules.cap_per_loan_fen.saturating_sub(paid_to_loan_so_far),
            Limit::LoanCap,
        ),
        (
            rules
                .cap_per_institution_fen
                .saturating_sub(paid_to_institution_so_far),
            Limit::InstitutionCap,
        ),
        (balance_fen, Limit::Balance),
    ];
    for (bound, limit) in bounds {
        let bound = bound.max(0);
        if bound < out.amount_fen {
            out = Payout {
                amount_fen: bound,
                limited_by: limit,
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rules(share_bp: u32, loan: i64, inst: i64) -> FundRules {
        FundRules {
            share_bp,
            cap_per_loan_fen: loan,
            cap_per_institution_fen: inst,
            eligible_product_ids: vec![],
            eligible_institution_org_ids: vec![],
            pure_credit_only: false,
        }
    }

    #[test]
    fn share_caps_and_balance() {
        let r = rules(4_000, 1_000_000, 5_000_000);
        // 40 % of 10,000.00 元 = 4,000.00 元.
        assert_eq!(
            payout(1_000_000, &r, 0, 0, 100_000_000),
            Payout {
                amount_fen: 400_000,
                limited_by: Limit::Share
            }
        );
        // Floor: 40 % of 0.03 元 is 0.012 元 → 1 fen.
        assert_eq!(payout(3, &r, 0, 0, 100).amount_fen, 1);
        // Loan cap: 10,000.00 元 − 9,000.00 元 already paid.
        assert_eq!(
            payout(10_000_000, &r, 900_000, 900_000, 100_000_000),
            Payout {
                amount_fen: 100_000,
                limited_by: Limit::LoanCap
            }
        );
        // Institution cap.
        assert_eq!(
            payout(1_000_000, &r, 0, 4_900_000, 100_000_000),
            Payout {
                amount_fen: 100_000,
                limited_by: Limit::InstitutionCap
            }
        );
        // Balance.
        assert_eq!(
            payout(1_000_000, &r, 0, 0, 12_345),
            Payout {
                amount_fen: 12_345,
                limited_by: Limit::Balance
            }
        );
        // Over-paid already: zero, never negative.
        assert_eq!(payout(1_000_000, &r, 2_000_000, 0, 100).amount_fen, 0);
        // No overflow at the extremes.
        let full = rules(10_000, i64::MAX, i64::MAX);
        assert_eq!(payout(i64::MAX, &full, 0, 0, i64::MAX).amount_fen, i64::MAX);
    }

    #[test]
    fn rules_are_checked() {
        assert!(rules(4_000, 1, 2).validate().is_ok());
        assert_eq!(rules(0, 1, 2).validate().unwrap_err().code, "fund.share");
        assert_eq!(
            rules(10_001, 1, 2).validate().unwrap_err().code,
            "fund.share"
        );
        assert_eq!(rules(1, 0, 2).validate().unwrap_err().code, "fund.cap");
        assert_eq!(rules(1, 3, 2).validate().unwrap_err().code, "fund.cap");
        assert_eq!(percent_text(4_000), "40%");
        assert_eq!(percent_text(3_750), "37.5%");
        assert_eq!(percent_text(1), "0.01%");
    }

    #[test]
    fn loan_eligibility() {
        let mut r = rules(5_000, 10, 10);
        assert!(r.check_loan("bank", None, false).is_ok());
        r.eligible_institution_org_ids = vec!["bank".into()];
        assert!(r.check_loan("bank", None, false).is_ok());
        assert_eq!(
            r.check_loan("other", None, false).unwrap_err().code,
            "fund.institution_not_eligible"
        );
        r.eligible_product_ids = vec!["p1".into()];
        assert_eq!(
            r.check_loan("bank", None, false).unwrap_err().code,
            "fund.product_not_eligible"
        );
        assert!(r.check_loan("bank", Some("p1"), false).is_ok());
        r.pure_credit_only = true;
        assert_eq!(
            r.check_loan("bank", Some("p1"), false).unwrap_err().code,
            "fund.not_pure_credit"
        );
        assert!(r.check_loan("bank", Some("p1"), true).is_ok());
        assert_eq!(r.remaining_cap(4, 9), 1);
        assert_eq!(r.remaining_cap(40, 0), 0);
    }

    fn any_rules() -> impl Strategy<Value = FundRules> {
        (1u32..=10_000, 1i64..=i64::MAX / 4, 1i64..=i64::MAX / 4)
            .prop_map(|(bp, a, b)| rules(bp, a.min(b), a.max(b)))
    }

    proptest! {
        #[test]
        fn never_exceeds_any_bound(
            loss in 0i64..=i64::MAX / 2,
            r in any_rules(),
            paid_loan in 0i64..=i64::MAX / 4,
            paid_inst in 0i64..=i64::MAX / 4,
            balance in 0i64..=i64::MAX / 2,
        ) {
            let p = payout(loss, &r, paid_loan, paid_inst, balance);
            prop_assert!(p.amount_fen >= 0);
            prop_assert!(p.amount_fen <= share_of(loss, r.share_bp));
            prop_assert!(p.amount_fen <= loss);
            prop_assert!(p.amount_fen <= (r.cap_per_loan_fen - paid_loan).max(0));
            prop_assert!(p.amount_fen <= (r.cap_per_institution_fen - paid_inst).max(0));
            prop_assert!(p.amount_fen <= balance);
            prop_assert!(p.amount_fen <= r.remaining_cap(paid_loan, paid_inst));
            // The named bound is the one reached.
            let named = match p.limited_by {
                Limit::Share => share_of(loss, r.share_bp),
                Limit::LoanCap => (r.cap_per_loan_fen - paid_loan).max(0),
                Limit::InstitutionCap => (r.cap_per_institution_fen - paid_inst).max(0),
                Limit::Balance => balance,
            };
            prop_assert_eq!(p.amount_fen, named);
        }

        #[test]
        fn monotone_in_loss(
            a in 0i64..=i64::MAX / 4,
            b in 0i64..=i64::MAX / 4,
            r in any_rules(),
            paid_loan in 0i64..=1_000_000_000,
            paid_inst in 0i64..=1_000_000_000,
            balance in 0i64..=i64::MAX / 4,
        ) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(
                payout(lo, &r, paid_loan, paid_inst, balance).amount_fen
                    <= payout(hi, &r, paid_loan, paid_inst, balance).amount_fen
            );
        }

        #[test]
        fn nothing_from_an_empty_fund(
            loss in 0i64..=i64::MAX / 2,
            r in any_rules(),
            paid_loan in 0i64..=1_000_000_000,
            paid_inst in 0i64..=1_000_000_000,
        ) {
            prop_assert_eq!(payout(loss, &r, paid_loan, paid_inst, 0).amount_fen, 0);
        }

        #[test]
        fn share_is_the_exact_floor(loss in 0i64..=1_000_000_000_000, bp in 1u32..=10_000) {
            let s = share_of(loss, bp);
            // s ≤ loss·bp/10000 < s + 1
            prop_assert!(i128::from(s) * 10_000 <= i128::from(loss) * i128::from(bp));
            prop_assert!((i128::from(s) + 1) * 10_000 > i128::from(loss) * i128::from(bp));
        }
    }
}
