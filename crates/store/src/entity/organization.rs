//! 机构 — every party on the platform is an organisation of one role kind.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Role code of the organisation (`xinrong_core::role::Role`).
    pub kind: String,
    pub name: String,
    /// 统一社会信用代码 of the organisation itself, where it has one.
    pub uscc: Option<String>,
    /// Jurisdiction for a government unit; seat for the others (GB/T 2260).
    pub region_code: Option<String>,
    /// For institutions: bank, guarantor, insurer, credit_agency.
    pub institution_kind: Option<String>,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
