//! Domain core of xinrong (信融): pure types and rules with no IO and no async.
//!
//! Everything here is deterministic and testable without a database or network:
//! national codes, roles, money and identifiers.

pub mod access;
pub mod authorization;
pub mod catalog;
pub mod clock;
pub mod codes;
pub mod evaluation;
pub mod export;
pub mod finance;
pub mod ids;
pub mod masking;
pub mod money;
pub mod profile;
pub mod purpose;
pub mod repair;
pub mod role;
pub mod workdays;
