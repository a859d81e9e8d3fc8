//! The storage layer's one error type.

use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL could not be understood.
    #[error("数据库地址无效：{0}")]
    InvalidUrl(String),
    /// The database could not be reached or opened.
    #[error("无法连接数据库：{0}")]
    Unreachable(String),
    /// A row that must be unique already exists (e.g. a username or USCC).
    #[error("记录已存在：{0}")]
    Conflict(String),
    /// Any other database failure.
    #[error("数据库错误：{0}")]
    Db(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => StoreError::Conflict(detail),
            _ => StoreError::Db(err),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
