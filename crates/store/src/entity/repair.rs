//! 信用修复申请 — an enterprise's application to repair one adverse record, with its commitment,
//! evidence and review. An approved repair takes the record out of the public sections.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "repairs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub subject: String,
    pub record_id: String,
    pub item_key: String,
    pub natural_key_hash: String,
    pub record_version: i32,
    /// The record's source unit, which reviews (or the operator).
    pub provider_org_id: String,
    /// minor, major or serious, from the catalogue at application time.
    pub severity: String,
    /// The day the publicity period started (decision date, else receipt).
    pub period_start: Date,
    /// The first day repair could be applied for.
    pub opens_on: Date,
    pub applicant_user_id: String,
    pub applicant_org_id: String,
    /// What the enterprise did to correct the violation.
    pub statement: String,
    /// The signed 信用承诺 (context `repair`).
    pub commitment_id: String,
    /// JSON array of attachment IDs (evidence of correction).
    pub attachment_ids: String,
    /// pending, approved, rejected.
    pub status: String,
    pub filed_at: DateTime,
    pub reviewer_user_id: Option<String>,
    pub reviewer_org_id: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime>,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
