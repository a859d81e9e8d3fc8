//! One repayment of a loan (还款): principal and interest in fen. Unique per loan, date and
//! amounts, so a retried repayment is found rather than counted twice.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "loan_repayments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub loan_id: String,
    pub paid_on: Date,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub created_by_user_id: String,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
