//! 授权 — one consent artefact of an information subject toward one institution.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authorizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The information subject's USCC.
    pub subject: String,
    /// The institution the consent is given to.
    pub grantee_org_id: String,
    /// JSON array of item keys or section keys.
    pub scope: String,
    pub purpose_code: String,
    /// What exactly it is for, e.g. a named loan application.
    pub purpose_text: String,
    pub data_from: Option<Date>,
    pub data_to: Option<Date>,
    pub valid_from: DateTime,
    pub valid_until: DateTime,
    /// `online` or `written`.
    pub channel: String,
    /// The uploaded scan of a written authorization (`attachments`).
    pub evidence_id: Option<String>,
    /// SM3 of the scan, hex.
    pub evidence_sm3: Option<String>,
    /// `active`, `paused` or `revoked` (expiry is derived from `valid_until`).
    pub status: String,
    pub status_reason: Option<String>,
    /// `none`, `open`, `upheld`, `dismissed` or `withdrawn`.
    pub dispute: String,
    pub granted_by_user_id: Option<String>,
    pub granted_by_org_id: Option<String>,
    pub use_count: i64,
    pub last_used_at: Option<DateTime>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
