//! 数据共享协议 — what one institution may read at all: items or categories, purposes, term.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The institution (接入机构).
    pub org_id: String,
    /// JSON array of item keys or section keys.
    pub scope: String,
    /// JSON array of purpose codes.
    pub purposes: String,
    pub valid_from: DateTime,
    pub valid_until: DateTime,
    /// `active`, `suspended` or `terminated`.
    pub status: String,
    pub status_reason: Option<String>,
    /// The institution's signed commitment (信用承诺书).
    pub commitment_id: Option<String>,
    /// The operator user who made it (none from the CLI or the demo).
    pub created_by: Option<String>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
