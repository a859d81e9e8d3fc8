//! 融资申请 — one application of a need to one product, addressed to the product's
//! institution; the status machine is `xinrong_core::finance::application`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub need_id: String,
    /// USCC of the applying enterprise.
    pub subject: String,
    pub product_id: String,
    /// The addressee: the product's institution.
    pub institution_org_id: String,
    /// submitted, accepted, under_review, approved, rejected, disbursed, withdrawn, expired.
    pub status: String,
    pub amount_fen: i64,
    pub term_months: i32,
    /// Last day to accept (working days after submission).
    pub accept_by: Date,
    /// Last day to decide, set on acceptance.
    pub decide_by: Option<Date>,
    /// The authorization granted with the submission (none when the product needs no items).
    pub authorization_id: Option<String>,
    /// Rejection reason.
    pub reason: Option<String>,
    pub approved_amount_fen: Option<i64>,
    pub submitted_at: DateTime,
    pub accepted_at: Option<DateTime>,
    pub decided_at: Option<DateTime>,
    pub disbursed_at: Option<DateTime>,
    /// Withdrawn or expired.
    pub closed_at: Option<DateTime>,
    /// When the operators were told a deadline passed; reset on acceptance (the next deadline).
    pub overdue_flagged_at: Option<DateTime>,
    /// The loan recorded against it (disbursed).
    pub loan_id: Option<String>,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
