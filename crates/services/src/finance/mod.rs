//! Financing services (融资服务): products and the product supermarket, one-click financing
//! applications with matching and progress, loans, the white list, the compensation fund,
//! supply-chain payables, policy matching and green finance. Every step reads an enterprise
//! through [`facts`] (grade, tags, size, age, white-list and green status) and the pure rules of
//! `xinrong_core::finance`.

pub mod applications;
pub mod facts;
pub mod funds;
pub mod green;
pub mod loans;
pub mod matching;
pub mod payables;
pub mod policies;
pub mod products;
pub mod whitelist;

/// Service deadlines of financing applications (服务时限), in working days; configurable
/// (`--finance-accept-workdays`, `--finance-decide-workdays`, `--finance-expire-workdays`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FinancePolicy {
    /// An institution accepts (受理) a submitted application within this many working days.
    pub accept_workdays: u32,
    /// And decides (审批) an accepted one within this many working days of acceptance.
    pub decide_workdays: u32,
    /// An application still undecided this many working days after submission expires (the
    /// enterprise's need lapsed).
    pub expire_workdays: u32,
}

impl Default for FinancePolicy {
    fn default() -> Self {
        FinancePolicy {
            accept_workdays: 3,
            decide_workdays: 10,
            expire_workdays: 30,
        }
    }
}

impl FinancePolicy {
    /// Refuses deadlines that cannot work: zero, beyond 120 working days, or an expiry that
    /// comes before the accept and decide deadlines together.
    pub fn check(&self) -> Result<(), String> {
        for (n, what) in [
            (self.accept_workdays, "受理时限"),
            (self.decide_workdays, "审批时限"),
            (self.expire_workdays, "申请失效期限"),
        ] {
            if n == 0 || n > 120 {
                return Err(format!("融资申请{what}须为 1 至 120 个工作日"));
            }
        }
        if self.expire_workdays < self.accept_workdays + self.decide_workdays {
            return Err("申请失效期限不能短于受理时限与审批时限之和".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finance_policy_defaults_are_sound_and_nonsense_is_refused() {
        let p = FinancePolicy::default();
        p.check().unwrap();
        for bad in [
            FinancePolicy {
                accept_workdays: 0,
                ..p
            },
            FinancePolicy {
                decide_workdays: 200,
                ..p
            },
            FinancePolicy {
                expire_workdays: 5,
                ..p
            },
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }
}
