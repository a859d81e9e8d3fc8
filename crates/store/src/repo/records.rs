//! Versioned records.

use crate::bulk::{BulkTable, ColumnType, one_of};
use crate::entity::record::{self, Entity as Record};
use crate::error::StoreResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

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

/// Columns in the order the batch path writes them.
pub const TABLE: BulkTable = BulkTable {
    name: "records",
    columns: &[
        ("id", ColumnType::Text),
        ("item_key", ColumnType::Text),
        ("subject", ColumnType::Text),
        ("natural_key_hash", ColumnType::Text),
        ("version", ColumnType::Int),
        ("payload", ColumnType::Text),
        ("content_hash", ColumnType::Text),
        ("batch_id", ColumnType::Text),
        ("provider_org_id", ColumnType::Text),
        ("catalog_version", ColumnType::Int),
        ("ledger_index", ColumnType::BigInt),
        ("created_at", ColumnType::Timestamp),
    ],
};

/// What the batch path needs to know of a record's newest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub version: i32,
    pub content_hash: String,
    pub batch_id: String,
}

/// The newest version of each of these records of one item, keyed by (subject, natural key
/// hash). One indexed query for a whole chunk of a batch, by subject and item (the unique
/// index's leading columns); the natural keys are sorted out here — a subject has few records
/// of one item.
pub async fn heads(
    db: &impl ConnectionTrait,
    item_key: &str,
    keys: &[(String, String)],
) -> StoreResult<HashMap<(String, String), Head>> {
    let mut heads: HashMap<(String, String), Head> = HashMap::new();
    if keys.is_empty() {
        return Ok(heads);
    }
    let wanted: std::collections::HashSet<(&str, &str)> =
        keys.iter().map(|(s, k)| (s.as_str(), k.as_str())).collect();
    let mut subjects: Vec<String> = keys.iter().map(|(s, _)| s.clone()).collect();
    subjects.sort_unstable();
    subjects.dedup();
    let rows: Vec<(String, String, i32, String, String)> = Record::find()
        .select_only()
        .column(record::Column::Subject)
        .column(record::Column::NaturalKeyHash)
        .column(record::Column::Version)
        .column(record::Column::ContentHash)
        .column(record::Column::BatchId)
        .filter(record::Column::ItemKey.eq(item_key))
        .filter(one_of(
            db.get_database_backend(),
            record::Column::Subject,
            subjects,
        ))
        .into_tuple()
        .all(db)
        .await?;
    for (subject, nk, version, content_hash, batch_id) in rows {
        if !wanted.contains(&(subject.as_str(), nk.as_str())) {
            continue;
        }
        let head = Head {
            version,
            content_hash,
            batch_id,
        };
        heads
            .entry((subject, nk))
            .and_modify(|h| {
                if h.version < head.version {
                    *h = head.clone();
                }
            })
            .or_insert(head);
    }
    Ok(heads)
}
