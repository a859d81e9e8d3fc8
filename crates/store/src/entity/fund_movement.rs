//! A change of a fund's balance: a top-up (注资) or a payout (代偿拨付) of one claim.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fund_movements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub fund_id: String,
    /// topup or payout.
    pub kind: String,
    /// Always positive; the kind says the direction.
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    /// The claim paid (payouts only; unique).
    pub claim_id: Option<String>,
    pub note: String,
    pub actor_user_id: String,
    pub actor_org_id: String,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
