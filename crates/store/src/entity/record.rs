//! 信用记录 — one version of one record of one item about one subject. Never updated or
//! deleted: a correction is a new version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub item_key: String,
    /// USCC or ID number of the information subject.
    pub subject: String,
    /// SM3 of the natural-key values, so keys of any length index the same way.
    pub natural_key_hash: String,
    pub version: i32,
    /// The normalised values as JSON.
    pub payload: String,
    pub content_hash: String,
    pub batch_id: String,
    pub provider_org_id: String,
    /// The catalogue version the record was validated against.
    pub catalog_version: i32,
    pub ledger_index: i64,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
