//! Reads of providers' data (数据使用情况).

use crate::entity::data_read::{self, Entity as DataRead};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};

pub use data_read::Model as DataReadRow;

pub async fn insert(db: &impl ConnectionTrait, row: DataReadRow) -> StoreResult<()> {
    DataRead::insert(row.into_active_model().reset_all())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Several reads in one statement per 500 rows (one read of a subject touches many items).
pub async fn insert_many(db: &impl ConnectionTrait, rows: Vec<DataReadRow>) -> StoreResult<()> {
    let models: Vec<_> = rows
        .into_iter()
        .map(|r| r.into_active_model().reset_all())
        .collect();
    for chunk in models.chunks(500) {
        DataRead::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Read counts of one provider's data grouped by item and reader kind.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct ReadCount {
    pub provider_org_id: String,
    pub item_key: String,
    pub reader_kind: String,
    pub reads: i64,
}

/// Reads grouped by provider, item and reader kind, optionally of one provider and optionally
/// only those at or after `since`.
pub async fn counts(
    db: &impl ConnectionTrait,
    provider_org_id: Option<&str>,
    since: Option<NaiveDateTime>,
) -> StoreResult<Vec<ReadCount>> {
    let mut q = DataRead::find()
        .select_only()
        .column(data_read::Column::ProviderOrgId)
        .column(data_read::Column::ItemKey)
        .column(data_read::Column::ReaderKind)
        .column_as(data_read::Column::Id.count(), "reads")
        .group_by(data_read::Column::ProviderOrgId)
        .group_by(data_read::Column::ItemKey)
        .group_by(data_read::Column::ReaderKind)
        .order_by_asc(data_read::Column::ProviderOrgId)
        .order_by_asc(data_read::Column::ItemKey)
        .order_by_asc(data_read::Column::ReaderKind);
    if let Some(p) = provider_org_id {
        q = q.filter(data_read::Column::ProviderOrgId.eq(p));
    }
    if let Some(s) = since {
        q = q.filter(data_read::Column::CreatedAt.gte(s));
    }
    Ok(q.into_model::<ReadCount>().all(db).await?)
}
