//! 附件 — an uploaded file (evidence, a signed authorization scan, a licence), kept with the SM3
//! digest of its bytes and the type its content was found to be.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub filename: String,
    /// MIME type, checked against the content.
    pub content_type: String,
    pub size: i64,
    pub sm3: String,
    pub content: Vec<u8>,
    pub uploaded_by_user_id: Option<String>,
    pub uploaded_by_org_id: Option<String>,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
