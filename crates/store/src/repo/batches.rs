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

/// The counts of one batch that data quality (数据质量) is computed from.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct BatchStat {
    pub id: String,
    pub provider_org_id: String,
    pub item_key: String,
    pub rows_total: i32,
    pub rows_rejected: i32,
    pub rows_duplicate: i32,
    pub cells_filled: i64,
    pub cells_total: i64,
    pub created_at: chrono::NaiveDateTime,
}

/// The quality counts of every batch, of one provider or of all, oldest first. Summed by the
/// caller: `SUM` of a `BIGINT` is `NUMERIC`/`DECIMAL` on PostgreSQL and MySQL, not an integer.
pub async fn quality_stats(
    db: &impl ConnectionTrait,
    provider_org_id: Option<&str>,
) -> StoreResult<Vec<BatchStat>> {
    use sea_orm::{QueryOrder, QuerySelect};
    let mut q = Batch::find()
        .select_only()
        .columns([
            batch::Column::Id,
            batch::Column::ProviderOrgId,
            batch::Column::ItemKey,
            batch::Column::RowsTotal,
            batch::Column::RowsRejected,
            batch::Column::RowsDuplicate,
            batch::Column::CellsFilled,
            batch::Column::CellsTotal,
            batch::Column::CreatedAt,
        ])
        .order_by_asc(batch::Column::CreatedAt)
        .order_by_asc(batch::Column::Id);
    if let Some(p) = provider_org_id {
        q = q.filter(batch::Column::ProviderOrgId.eq(p));
    }
    Ok(q.into_model::<BatchStat>().all(db).await?)
}
