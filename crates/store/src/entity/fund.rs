//! 风险补偿基金 — a compensation fund pool: its rules (JSON, `xinrong_core::finance::fund::FundRules`),
//! its jurisdiction and its balance. The balance changes only with a `fund_movements` row
//! written in the same transaction.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "compensation_funds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    /// GB/T 2260 code of the jurisdiction the fund serves.
    pub region_code: String,
    /// The government unit managing the fund.
    pub manager_org_id: String,
    /// JSON rules.
    pub rules: String,
    pub balance_fen: i64,
    /// active or closed.
    pub status: String,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
