//! 站内通知 — one message in one user's inbox, with the state of its outbound copy (SMTP or
//! webhook), delivered after the transaction that wrote it committed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    /// Stable event code, e.g. `objection.filed`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// A UI path the message is about.
    pub link: Option<String>,
    pub created_at: DateTime,
    pub read_at: Option<DateTime>,
    /// `pending`, `sent`, `failed` (gave up) or `none` (no outbound channel configured).
    pub outbound_state: String,
    pub outbound_attempts: i32,
    pub outbound_error: Option<String>,
    pub outbound_at: Option<DateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
