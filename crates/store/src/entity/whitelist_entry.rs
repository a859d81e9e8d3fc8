//! 白名单 — one application of an enterprise to the white list and every decision on it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "whitelist_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The enterprise's USCC.
    pub subject: String,
    /// The subject while the entry is open (applied, recommended, approved), else NULL: a
    /// unique index keeps one open entry per enterprise.
    pub open_subject: Option<String>,
    /// The enterprise's GB/T 2260 region (which government units may recommend it).
    pub region_code: String,
    /// applied, recommended, approved, rejected or removed.
    pub status: String,
    pub apply_reason: String,
    pub applied_by_user_id: String,
    pub applied_at: DateTime,
    pub recommended_by_org_id: Option<String>,
    pub recommended_by_user_id: Option<String>,
    pub recommend_note: Option<String>,
    pub recommended_at: Option<DateTime>,
    pub decided_by_user_id: Option<String>,
    pub decided_at: Option<DateTime>,
    pub decision_reason: Option<String>,
    pub removed_at: Option<DateTime>,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
