//! A claim (代偿申请) on a defaulted loan registered against a fund: submitted, approved (with
//! its payout), rejected (with a reason) or paid.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fund_claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub fund_id: String,
    pub loan_id: String,
    pub institution_org_id: String,
    pub loss_fen: i64,
    pub reason: String,
    /// JSON array of attachment IDs.
    pub attachment_ids: String,
    /// submitted, approved, rejected or paid.
    pub status: String,
    /// Set at approval.
    pub payout_fen: Option<i64>,
    /// share, loan_cap, institution_cap or balance (set at approval).
    pub limited_by: Option<String>,
    pub filed_by_user_id: String,
    pub reviewer_user_id: Option<String>,
    pub reviewer_org_id: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime>,
    pub paid_by_user_id: Option<String>,
    pub paid_at: Option<DateTime>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
