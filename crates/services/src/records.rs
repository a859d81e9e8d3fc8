//! The versioned record store, read as the operator sees it: every version of every record of
//! a subject, with its provenance.

use crate::error::ServiceResult;
use crate::platform::Platform;
use serde::Serialize;
use xinrong_store::repo::records;

#[derive(Debug, Clone, Serialize)]
pub struct RecordVersion {
    pub record_id: String,
    pub item_key: String,
    pub subject: String,
    pub natural_key_hash: String,
    pub version: i32,
    pub values: serde_json::Value,
    pub content_hash: String,
    pub provider_org_id: String,
    pub batch_id: String,
    pub catalog_version: i32,
    pub ledger_index: i64,
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// Every version about `subject` (optionally of one item), oldest first within each record.
pub async fn history(
    platform: &Platform,
    subject: &str,
    item: Option<&str>,
) -> ServiceResult<Vec<RecordVersion>> {
    let subject = subject.trim().to_uppercase();
    Ok(records::for_subject(&platform.db.conn, &subject)
        .await?
        .into_iter()
        .filter(|r| item.is_none_or(|i| r.item_key == i))
        .map(|r| RecordVersion {
            values: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
            record_id: r.id,
            item_key: r.item_key,
            subject: r.subject,
            natural_key_hash: r.natural_key_hash,
            version: r.version,
            content_hash: r.content_hash,
            provider_org_id: r.provider_org_id,
            batch_id: r.batch_id,
            catalog_version: r.catalog_version,
            ledger_index: r.ledger_index,
            received_at: r.created_at.and_utc(),
        })
        .collect())
}
