//! 变更事件 — one accepted change of a record, written in the same transaction as the change,
//! so consumers (evaluation, warnings, pushes, feeds) never miss one. `seq` orders them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// `new`, `updated` or `corrected`.
    pub kind: String,
    /// For adverse items: `serious`, `major` or `minor`.
    pub severity: Option<String>,
    pub item_key: String,
    pub subject: String,
    pub record_id: String,
    pub version: i32,
    pub batch_id: String,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
