//! 账本核验记录 — the outcome of one run of ledger verification.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_verifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub checked_at: DateTime,
    pub ok: bool,
    pub tree_size: i64,
    pub root: String,
    pub heads_checked: i64,
    pub problem_count: i64,
    /// The first mismatch found, in Chinese; none when all held.
    pub first_problem: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
