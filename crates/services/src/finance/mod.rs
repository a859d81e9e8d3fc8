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

/// Service deadlines of financing applications (服务时限), in working days; configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FinancePolicy {
    /// An institution accepts (受理) a submitted application within this many working days.
    pub accept_workdays: u32,
    /// And decides (审批) an accepted one within this many working days of acceptance.
    pub decide_workdays: u32,
}

impl Default for FinancePolicy {
    fn default() -> Self {
        FinancePolicy {
            accept_workdays: 3,
            decide_workdays: 10,
        }
    }
}
