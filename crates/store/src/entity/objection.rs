//! 异议 — an enterprise's objection to one record about it, routed to the record's source
//! provider, with every decision on it. Status moves forward only (see the services' workflow).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "objections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// USCC of the enterprise objecting (the record's subject).
    pub subject: String,
    /// The record version objected to.
    pub record_id: String,
    pub item_key: String,
    pub natural_key_hash: String,
    pub record_version: i32,
    /// The record's source unit, whose queue the objection is in.
    pub provider_org_id: String,
    pub filed_by_user_id: String,
    pub filed_by_org_id: String,
    pub reason: String,
    /// JSON array of attachment IDs.
    pub attachment_ids: String,
    /// open, confirmed, corrected, escalated, upheld, correction_ordered, closed.
    pub status: String,
    /// When the party that must act next is due (UTC): the provider while open or
    /// correction ordered.
    pub deadline_at: DateTime,
    pub filed_at: DateTime,
    pub provider_explanation: Option<String>,
    pub provider_user_id: Option<String>,
    pub provider_decided_at: Option<DateTime>,
    /// The new version a correction wrote.
    pub correction_record_id: Option<String>,
    pub correction_version: Option<i32>,
    pub escalation_reason: Option<String>,
    pub escalated_at: Option<DateTime>,
    /// upheld or correction_ordered.
    pub operator_decision: Option<String>,
    pub operator_reason: Option<String>,
    pub operator_user_id: Option<String>,
    pub operator_decided_at: Option<DateTime>,
    pub closed_at: Option<DateTime>,
    /// When the operators were told the deadline passed; once per deadline.
    pub overdue_flagged_at: Option<DateTime>,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
