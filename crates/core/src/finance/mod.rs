//! Financing services (融资服务), the pure rules: eligibility, products and needs, application
//! states, loans, white list, compensation fund, payables, policies and green finance.

pub mod application;
pub mod eligibility;
pub mod fund;
pub mod green;
pub mod loan;
pub mod payable;
pub mod policy;
pub mod product;
pub mod whitelist;
