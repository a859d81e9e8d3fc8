//! Signed tree heads, one per tree size, and the record of ledger verifications.

use crate::entity::ledger_verification::{self, Entity as LedgerVerification};
use crate::entity::tree_head::{self, Entity as TreeHead};
use crate::error::StoreResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};

pub use ledger_verification::Model as VerificationRow;
pub use tree_head::Model as HeadRow;

/// Stores a head. Two writers signing the same size collide on the primary key.
pub async fn insert(db: &impl ConnectionTrait, row: HeadRow) -> StoreResult<()> {
    TreeHead::insert(row.into_active_model().reset_all())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The head of the largest tree.
pub async fn latest(db: &impl ConnectionTrait) -> StoreResult<Option<HeadRow>> {
    Ok(TreeHead::find()
        .order_by_desc(tree_head::Column::TreeSize)
        .one(db)
        .await?)
}

/// The head signed at exactly this size.
pub async fn at_size(db: &impl ConnectionTrait, size: i64) -> StoreResult<Option<HeadRow>> {
    Ok(TreeHead::find_by_id(size).one(db).await?)
}

/// Up to `limit` heads of size `from` or larger, smallest first.
pub async fn list(db: &impl ConnectionTrait, from: i64, limit: u64) -> StoreResult<Vec<HeadRow>> {
    Ok(TreeHead::find()
        .filter(tree_head::Column::TreeSize.gte(from))
        .order_by_asc(tree_head::Column::TreeSize)
        .limit(limit)
        .all(db)
        .await?)
}

/// Every head, smallest first.
pub async fn all(db: &impl ConnectionTrait) -> StoreResult<Vec<HeadRow>> {
    Ok(TreeHead::find()
        .order_by_asc(tree_head::Column::TreeSize)
        .all(db)
        .await?)
}

pub async fn record_verification(
    db: &impl ConnectionTrait,
    row: VerificationRow,
) -> StoreResult<()> {
    LedgerVerification::insert(row.into_active_model().reset_all())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The most recent verification.
pub async fn last_verification(db: &impl ConnectionTrait) -> StoreResult<Option<VerificationRow>> {
    Ok(LedgerVerification::find()
        .order_by_desc(ledger_verification::Column::CheckedAt)
        .order_by_desc(ledger_verification::Column::Id)
        .one(db)
        .await?)
}

/// The leaves from `first_index` on, in order: what a new head adds to the previous one.
pub async fn leaves_from(
    db: &impl ConnectionTrait,
    first_index: i64,
) -> StoreResult<Vec<crate::repo::ledger::LeafRow>> {
    use crate::entity::ledger_leaf::{self, Entity as LedgerLeaf};
    Ok(LedgerLeaf::find()
        .filter(ledger_leaf::Column::LeafIndex.gte(first_index))
        .order_by_asc(ledger_leaf::Column::LeafIndex)
        .all(db)
        .await?)
}

/// Up to `limit` records with an ID after `after`, in ID order: verification reads the record
/// store a page at a time so its memory does not grow with the store.
pub async fn records_after(
    db: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> StoreResult<Vec<crate::repo::records::RecordRow>> {
    use crate::entity::record::{self, Entity as Record};
    let mut query = Record::find();
    if let Some(after) = after {
        query = query.filter(record::Column::Id.gt(after));
    }
    Ok(query
        .order_by_asc(record::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Which of these record IDs exist.
pub async fn existing_records(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> StoreResult<Vec<String>> {
    use crate::entity::record::{self, Entity as Record};
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<String> = Record::find()
            .select_only()
            .column(record::Column::Id)
            .filter(record::Column::Id.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}
