//! The ledger's leaves, in append order.

use crate::bulk::{BulkTable, ColumnType};
use crate::entity::ledger_leaf::{self, Entity as LedgerLeaf};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder};

pub use ledger_leaf::Model as LeafRow;

/// Columns in the order the batch path writes them.
pub const TABLE: BulkTable = BulkTable {
    name: "ledger_leaves",
    columns: &[
        ("leaf_index", ColumnType::BigInt),
        ("leaf_hash", ColumnType::Text),
        ("kind", ColumnType::Text),
        ("ref_id", ColumnType::Text),
        ("created_at", ColumnType::Timestamp),
    ],
};

/// Takes the ledger's writer lock for the rest of the caller's transaction. Every transaction
/// that appends leaves calls this first: appends are serialised (indexes never collide), and on
/// SQLite the write lock is taken up front, never upgraded into a "database is locked" failure.
pub async fn lock_for_append(db: &impl ConnectionTrait) -> StoreResult<()> {
    db.execute_unprepared("UPDATE ledger_writer SET id = id WHERE id = 1")
        .await?;
    Ok(())
}

/// Appends leaves starting at `first_index`. Called inside the writer's transaction; two
/// concurrent writers collide on the primary key and one retries, so indexes never repeat.
pub async fn append(
    db: &impl ConnectionTrait,
    first_index: i64,
    leaves: &[(String, &str, String)],
    at: NaiveDateTime,
) -> StoreResult<()> {
    let rows: Vec<_> = leaves
        .iter()
        .enumerate()
        .map(|(i, (hash, kind, ref_id))| ledger_leaf::ActiveModel {
            leaf_index: Set(first_index + i as i64),
            leaf_hash: Set(hash.clone()),
            kind: Set((*kind).to_owned()),
            ref_id: Set(ref_id.clone()),
            created_at: Set(at),
        })
        .collect();
    for chunk in rows.chunks(1_000) {
        LedgerLeaf::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Every leaf, in order.
pub async fn all(db: &impl ConnectionTrait) -> StoreResult<Vec<LeafRow>> {
    Ok(LedgerLeaf::find()
        .order_by_asc(ledger_leaf::Column::LeafIndex)
        .all(db)
        .await?)
}
