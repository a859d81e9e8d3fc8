//! A loan registered against a fund (入池贷款); a loan is in at most one fund.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fund_loans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub fund_id: String,
    /// Unique.
    pub loan_id: String,
    pub institution_org_id: String,
    /// The borrower's USCC.
    pub subject: String,
    /// The loan amount at registration.
    pub covered_amount_fen: i64,
    pub registered_by_user_id: String,
    pub registered_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
