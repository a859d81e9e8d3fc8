//! 融资需求 — what an enterprise stated once for a one-click application (一键式融资).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "financing_needs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// USCC of the enterprise.
    pub subject: String,
    pub amount_fen: i64,
    pub term_months: i32,
    pub purpose: String,
    /// Guarantee type code (credit, mortgage, pledge, guarantee).
    pub guarantee: String,
    /// Highest acceptable annual rate in basis points; none = any.
    pub max_rate_bp: Option<i32>,
    pub created_by_user_id: String,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
