//! 变更事件 (change events): every accepted record version is an event written in the same
//! transaction as the record, in one global order (`seq`). Consumers — evaluation, warnings,
//! pushes, feeds — read after their durable cursor and acknowledge what they handled, so a crash
//! anywhere (even `kill -9`) loses nothing: unacknowledged events are read again (at least once).

use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use chrono::NaiveDateTime;
use serde::Serialize;
use xinrong_store::repo::events;

/// Largest page a consumer reads at once.
pub const MAX_PAGE: u64 = 10_000;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Event {
    pub seq: i64,
    /// `new`, `updated` or `corrected`.
    pub kind: String,
    /// `minor`, `major` or `serious` for adverse items (失信被执行人, 行政处罚, 欠税 …).
    pub severity: Option<String>,
    pub item_key: String,
    pub subject: String,
    pub record_id: String,
    pub version: i32,
    pub batch_id: String,
    /// UTC.
    pub created_at: NaiveDateTime,
}

impl From<events::EventRow> for Event {
    fn from(r: events::EventRow) -> Self {
        Event {
            seq: r.seq,
            kind: r.kind,
            severity: r.severity,
            item_key: r.item_key,
            subject: r.subject,
            record_id: r.record_id,
            version: r.version,
            batch_id: r.batch_id,
            created_at: r.created_at,
        }
    }
}

/// A consumer's name: 1–64 of `a-z 0-9 . _ -`.
fn check_consumer(name: &str) -> ServiceResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "events.consumer",
            "消费者名称应为 1–64 个小写字母、数字或 . _ -",
        ))
    }
}

/// Events after `after`, oldest first (for inspection; consumers use [`read`]).
pub async fn after(platform: &Platform, after: i64, limit: u64) -> ServiceResult<Vec<Event>> {
    let rows = events::after(&platform.db.conn, after, limit.clamp(1, MAX_PAGE)).await?;
    Ok(rows.into_iter().map(Event::from).collect())
}

/// The next events `consumer` has not acknowledged.
pub async fn read(platform: &Platform, consumer: &str, limit: u64) -> ServiceResult<Vec<Event>> {
    check_consumer(consumer)?;
    let cursor = events::cursor(&platform.db.conn, consumer).await?;
    after(platform, cursor, limit).await
}

/// Where `consumer` stands: the last acknowledged `seq` (0 before its first).
pub async fn cursor(platform: &Platform, consumer: &str) -> ServiceResult<i64> {
    check_consumer(consumer)?;
    Ok(events::cursor(&platform.db.conn, consumer).await?)
}

/// Records that `consumer` has handled every event up to `seq`. Never moves a cursor back.
pub async fn acknowledge(platform: &Platform, consumer: &str, seq: i64) -> ServiceResult<()> {
    check_consumer(consumer)?;
    if seq < 0 {
        return Err(ServiceError::invalid("events.seq", "事件序号不能为负数"));
    }
    let now = platform.clock.now_naive();
    let txn = platform.db.begin().await?;
    events::acknowledge(&txn, consumer, seq, now).await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(())
}
