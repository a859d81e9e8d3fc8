//! Batches.

use crate::entity::batch::{self, Entity as Batch};
use crate::error::StoreResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

pub use batch::Model as BatchRow;

/// The batch made from these exact bytes, if this provider already sent them for this item.
pub async fn by_content(
    db: &impl ConnectionTrait,
    provider_org_id: &str,
    item_key: &str,
    content_hash: &str,
) -> StoreResult<Option<BatchRow>> {
    Ok(Batch::find()
        .filter(batch::Column::ProviderOrgId.eq(provider_org_id))
        .filter(batch::Column::ItemKey.eq(item_key))
        .filter(batch::Column::ContentHash.eq(content_hash))
        .one(db)
        .await?)
}

pub async fn insert(db: &impl ConnectionTrait, row: BatchRow) -> StoreResult<()> {
    // Every column is set by the caller.
    Batch::insert(row.into_active_model().reset_all())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Every batch, for ledger verification.
pub async fn all(db: &impl ConnectionTrait) -> StoreResult<Vec<BatchRow>> {
    Ok(Batch::find().all(db).await?)
}
