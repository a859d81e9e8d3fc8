//! 政策匹配 — an enterprise a published policy matched, once per (policy, enterprise), and
//! when it was told.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_matches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub policy_id: String,
    /// USCC of the enterprise.
    pub subject: String,
    pub matched_at: DateTime,
    /// When its users' inboxes got the notice; `None` while the enterprise has no users.
    pub notified_at: Option<DateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
