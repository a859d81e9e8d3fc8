//! 绿色项目 — a green project an enterprise declares, reviewed by the operator.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "green_projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// USCC of the declaring enterprise.
    pub subject: String,
    pub name: String,
    /// Green catalogue category key.
    pub category: String,
    pub investment_fen: i64,
    /// Expected CO2 reduction, tonnes per year.
    pub co2_reduction_t: i64,
    pub description: String,
    /// submitted, approved, rejected.
    pub status: String,
    pub submitted_by_user_id: String,
    pub reviewer_user_id: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
