//! Versioned records.

use crate::bulk::{BulkTable, ColumnType};
use crate::entity::record::{self, Entity as Record};
use crate::error::StoreResult;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Statement, Value,
};
use std::collections::HashMap;

pub use record::Model as RecordRow;

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
/// hash): one query per chunk of a batch, one unique-index probe per key, whatever number of
/// records the subjects already have (a court may hold thousands of judgments about one firm).
///
/// SQLite joins the keys as a `VALUES` list (a row-value `IN` makes it scan the index);
/// PostgreSQL gets two arrays against the index's columns; MySQL-family servers get the
/// row-value `IN`, which they turn into index ranges.
pub async fn heads(
    db: &impl ConnectionTrait,
    item_key: &str,
    keys: &[(String, String)],
) -> StoreResult<HashMap<(String, String), Head>> {
    let mut heads: HashMap<(String, String), Head> = HashMap::new();
    if keys.is_empty() {
        return Ok(heads);
    }
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = Vec::with_capacity(keys.len() * 2 + 1);
    let sql = match backend {
        // PostgreSQL plans a VALUES join by the table's statistics, which a batch outgrows
        // within its own transaction: it then hashes the whole table per chunk. Two arrays
        // against the index's columns stay an index scan whatever the statistics say.
        DbBackend::Postgres => {
            let (subjects, hashes): (Vec<Value>, Vec<Value>) = keys
                .iter()
                .map(|(s, k)| (Value::from(s.as_str()), Value::from(k.as_str())))
                .unzip();
            values.push(Value::Array(
                sea_orm::sea_query::ArrayType::String,
                Some(Box::new(subjects)),
            ));
            values.push(item_key.into());
            values.push(Value::Array(
                sea_orm::sea_query::ArrayType::String,
                Some(Box::new(hashes)),
            ));
            "SELECT subject, natural_key_hash, version, content_hash, batch_id FROM records \
             WHERE subject = ANY($1) AND item_key = $2 AND natural_key_hash = ANY($3)"
                .to_owned()
        }
        DbBackend::MySql => {
            values.push(item_key.into());
            let tuples: Vec<String> = keys
                .iter()
                .map(|(s, k)| {
                    values.push(s.as_str().into());
                    values.push(k.as_str().into());
                    "(?, ?)".to_owned()
                })
                .collect();
            format!(
                "SELECT subject, natural_key_hash, version, content_hash, batch_id FROM records \
                 WHERE item_key = ? AND (subject, natural_key_hash) IN ({})",
                tuples.join(", ")
            )
        }
        _ => {
            let rows: Vec<&str> = keys
                .iter()
                .map(|(s, k)| {
                    values.push(s.as_str().into());
                    values.push(k.as_str().into());
                    "(?, ?)"
                })
                .collect();
            values.push(item_key.into());
            // Without statistics SQLite prefers building an automatic index over the whole
            // table for every chunk (quadratic in the batch); name the unique index instead.
            format!(
                "WITH k(s, n) AS (VALUES {}) \
                 SELECT r.subject, r.natural_key_hash, r.version, r.content_hash, r.batch_id \
                 FROM k JOIN records r INDEXED BY ux_records_subject_item \
                 ON r.subject = k.s AND r.item_key = ? AND r.natural_key_hash = k.n",
                rows.join(", ")
            )
        }
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    for row in rows {
        let subject: String = row.try_get_by_index(0)?;
        let nk: String = row.try_get_by_index(1)?;
        let head = Head {
            version: row.try_get_by_index(2)?,
            content_hash: row.try_get_by_index(3)?,
            batch_id: row.try_get_by_index(4)?,
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

/// One record version by its id.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<RecordRow>> {
    Ok(Record::find_by_id(id.to_owned()).one(db).await?)
}
