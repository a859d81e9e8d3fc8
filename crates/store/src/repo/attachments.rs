//! Uploaded files (附件).

use crate::entity::attachment::{self, Entity as Attachment};
use crate::error::StoreResult;
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel};

pub use attachment::Model as AttachmentRow;

pub async fn insert(db: &impl ConnectionTrait, row: AttachmentRow) -> StoreResult<()> {
    Attachment::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<AttachmentRow>> {
    Ok(Attachment::find_by_id(id.to_owned()).one(db).await?)
}
