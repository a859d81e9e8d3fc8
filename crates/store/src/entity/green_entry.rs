//! 绿色企业库 — one entry per (enterprise, source): `rule` (recomputed from the green industry
//! catalogue and the latest environmental credit rating) or `declaration` (self-declared,
//! reviewed by the operator).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "green_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// USCC.
    pub subject: String,
    /// rule or declaration.
    pub source: String,
    /// Green catalogue category key.
    pub category: Option<String>,
    /// candidate (declared, awaiting review), approved, rejected, removed.
    pub status: String,
    /// JSON array of Chinese reason lines.
    pub reasons: String,
    /// The declaration's evidence text.
    pub evidence: Option<String>,
    /// Latest environmental credit grade known when last computed.
    pub env_grade: Option<String>,
    pub declared_by_user_id: Option<String>,
    pub reviewer_user_id: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
