//! Storage of xinrong: one code path over SQLite (the embedded default), PostgreSQL and
//! MySQL-compatible databases, chosen by URL.
//!
//! Everything here is portable SQL through SeaORM / SeaQuery: no triggers, stored procedures or
//! backend-only types, so the same migrations and queries run on every backend (ARCHITECTURE §5).
//! Timestamps are stored as UTC without zone (`DATETIME`/`TIMESTAMP`) to avoid MySQL's 2038 limit.

pub mod baseline;
pub mod bulk;
pub mod connect;
pub mod entity;
pub mod error;
pub mod migration;
mod nodelay;
pub mod repo;
pub mod sqlite_scan;
#[cfg(feature = "testing")]
pub mod testing;

pub use connect::{Backend, Db, connect};
pub use error::StoreError;
pub use sea_orm::DatabaseConnection;
/// For use-cases that run inside a caller's transaction (`impl ConnectionTrait`).
pub use sea_orm::{ConnectionTrait, DatabaseTransaction};
