//! 信用报告 — one issued credit report: requester, purpose, digests, body and its ledger anchor.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub subject: String,
    pub requester_org_id: String,
    pub requester_user_id: Option<String>,
    /// The purpose code (查询用途).
    pub purpose: Option<String>,
    /// SM3 (hex) of the canonical JSON body.
    pub json_digest: String,
    /// SM3 (hex) of the exact PDF bytes rendered from the report, once rendered.
    pub pdf_digest: Option<String>,
    /// The canonical JSON body.
    pub body: String,
    pub created_at: DateTime,
    /// The ledger leaf of the `report.issued` trail entry.
    pub ledger_index: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
