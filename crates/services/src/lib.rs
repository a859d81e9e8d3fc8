//! Use-cases of xinrong. The web layer and the CLI call these and nothing below them, so every
//! rule (who may see what, lockouts, validation) is enforced in one place whichever door is used.

pub mod access;
pub mod agreements;
pub mod attachments;
pub mod authorizations;
pub mod bench;
pub mod catalog;
pub mod collect;
pub mod commitments;
pub mod demo;
pub mod enterprises;
pub mod error;
pub mod evaluation;
pub mod events;
pub mod finance;
pub mod identity;
pub mod ledger;
pub mod notifications;
pub mod objections;
pub mod platform;
pub mod pull;
pub mod quality;
pub mod records;
pub mod registration;
pub mod repairs;
pub mod report;
pub mod self_report;
pub mod share;
pub mod trail;

pub use error::{ServiceError, ServiceResult};
pub use platform::{Platform, PlatformStats, platform_stats};
