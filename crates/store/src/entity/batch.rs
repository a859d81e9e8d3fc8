//! 批次 — one uploaded file of one item from one provider, applied atomically.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "batches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub item_key: String,
    pub provider_org_id: String,
    /// SM3 of the uploaded bytes: the same file again is the same batch.
    pub content_hash: String,
    pub format: String,
    pub strict: bool,
    pub catalog_version: i32,
    pub rows_total: i32,
    pub rows_new: i32,
    pub rows_versioned: i32,
    pub rows_unchanged: i32,
    pub rows_rejected: i32,
    /// `regular`, or `correction` (更正) when the provider corrects records it sent before.
    pub kind: String,
    /// Rows whose natural key repeats one earlier in the same file (rejected).
    pub rows_duplicate: i32,
    /// Non-empty catalogue field cells over all field cells of the accepted rows (completeness).
    pub cells_filled: i64,
    pub cells_total: i64,
    /// The batch's record leaves are `first_leaf .. first_leaf + leaf_count`; its manifest leaf
    /// follows them.
    pub first_leaf: i64,
    pub leaf_count: i64,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
