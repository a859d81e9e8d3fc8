//! One change of the white list (the change feed institutions follow).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "whitelist_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub entry_id: String,
    pub subject: String,
    pub region_code: String,
    /// apply, recommend, approve, reject or remove.
    pub action: String,
    /// The entry's status after the change.
    pub status: String,
    pub reason: Option<String>,
    pub actor_org_id: Option<String>,
    pub at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
