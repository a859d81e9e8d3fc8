//! 数据使用记录 — one read of one provider's data about one subject by one institution.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "data_reads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The provider (数据提供单位) whose data was read.
    pub provider_org_id: String,
    pub item_key: String,
    /// The enterprise the data is about (统一社会信用代码).
    pub subject: String,
    pub reader_org_id: String,
    /// The reading institution's kind: bank, guarantee, insurance, credit_agency, …
    pub reader_kind: String,
    /// How the data left the platform: `pull` or `record`.
    pub channel: String,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
