//! 账本叶子 — one leaf of the tamper-evident log, in append order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_leaves")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub leaf_index: i64,
    pub leaf_hash: String,
    /// What the leaf commits to, e.g. `record`.
    pub kind: String,
    pub ref_id: String,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
