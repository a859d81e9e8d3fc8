//! 留痕 — one timestamped step of a workflow (an authorization granted, an objection answered …)
//! or one access decision that showed subject data. Each entry is a ledger leaf.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trail_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `<resource>.<event>`, e.g. `authorization.granted`, `access.view`.
    pub kind: String,
    /// The workflow object the entry belongs to (an authorization id, an objection id …).
    pub ref_id: String,
    /// The information subject (信息主体) concerned, when there is one.
    pub subject: Option<String>,
    pub actor_user_id: Option<String>,
    pub actor_org_id: Option<String>,
    /// What happened, as JSON text; the ledger leaf commits to its SM3 digest.
    pub body: String,
    pub created_at: DateTime,
    pub leaf_index: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
