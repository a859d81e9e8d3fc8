//! 当前评价等级 — the current evaluation result of one subject, with its region and industry
//! for grade distributions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subject_grades")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: String,
    /// The `evaluations` row holding the full result.
    pub evaluation_id: String,
    pub model_version: i32,
    pub score: i32,
    pub grade: String,
    /// Profile tag keys, space-separated, in rule order.
    #[sea_orm(column_type = "Text")]
    pub tags: String,
    /// Digest of the stored result (FNV-1a 64, hex): equal digests mean an unchanged result.
    pub digest: String,
    /// Copied from `enterprises` (GB/T 2260 county code).
    pub region_code: String,
    /// Copied from `enterprises` (GB/T 4754 division).
    pub industry_code: String,
    pub evaluated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
