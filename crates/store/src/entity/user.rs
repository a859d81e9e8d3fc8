//! 用户 — a person who logs in on behalf of one organisation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub org_id: String,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    /// Argon2id PHC string; never leaves the storage and service layers.
    pub password_hash: String,
    /// Consecutive failed logins since the last success.
    pub failed_logins: i32,
    /// While set and in the future, logins are refused without checking the password.
    pub locked_until: Option<DateTime>,
    pub disabled: bool,
    pub created_at: DateTime,
    pub last_login_at: Option<DateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
