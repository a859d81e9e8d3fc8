//! Versioned records.

use crate::entity::record::{self, Entity as Record};
use crate::error::StoreResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};

pub use record::Model as RecordRow;

/// The newest version of one record, if any.
pub async fn latest(
    db: &impl ConnectionTrait,
    item_key: &str,
    subject: &str,
    natural_key_hash: &str,
) -> StoreResult<Option<RecordRow>> {
    Ok(Record::find()
        .filter(record::Column::ItemKey.eq(item_key))
        .filter(record::Column::Subject.eq(subject))
        .filter(record::Column::NaturalKeyHash.eq(natural_key_hash))
        .order_by_desc(record::Column::Version)
        .one(db)
        .await?)
}

pub async fn insert(db: &impl ConnectionTrait, row: RecordRow) -> StoreResult<()> {
    // Every column is set by the caller.
    Record::insert(row.into_active_model().reset_all())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Every version of every record about a subject, oldest first.
pub async fn for_subject(db: &impl ConnectionTrait, subject: &str) -> StoreResult<Vec<RecordRow>> {
    Ok(Record::find()
        .filter(record::Column::Subject.eq(subject))
        .order_by_asc(record::Column::ItemKey)
        .order_by_asc(record::Column::NaturalKeyHash)
        .order_by_asc(record::Column::Version)
        .all(db)
        .await?)
}

pub async fn count(db: &impl ConnectionTrait) -> StoreResult<u64> {
    Ok(Record::find().count(db).await?)
}

/// Every record version, for ledger verification.
pub async fn all(db: &impl ConnectionTrait) -> StoreResult<Vec<RecordRow>> {
    Ok(Record::find()
        .order_by_asc(record::Column::LedgerIndex)
        .all(db)
        .await?)
}
