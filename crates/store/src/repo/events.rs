//! The event log and its consumers' durable cursors.

use crate::bulk::{BulkTable, ColumnType};
use crate::entity::event::{self, Entity as Event};
use crate::entity::event_cursor::{self, Entity as EventCursor};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

pub use event::Model as EventRow;

/// Columns written by the batch path (`seq` is assigned by the database).
pub const TABLE: BulkTable = BulkTable {
    name: "events",
    columns: &[
        ("kind", ColumnType::Text),
        ("severity", ColumnType::OptText),
        ("item_key", ColumnType::Text),
        ("subject", ColumnType::Text),
        ("record_id", ColumnType::Text),
        ("version", ColumnType::Int),
        ("batch_id", ColumnType::Text),
        ("created_at", ColumnType::Timestamp),
    ],
};

/// Events after `after_seq`, oldest first.
pub async fn after(
    db: &impl ConnectionTrait,
    after_seq: i64,
    limit: u64,
) -> StoreResult<Vec<EventRow>> {
    Ok(Event::find()
        .filter(event::Column::Seq.gt(after_seq))
        .order_by_asc(event::Column::Seq)
        .limit(limit)
        .all(db)
        .await?)
}

pub async fn count(db: &impl ConnectionTrait) -> StoreResult<u64> {
    Ok(Event::find().count(db).await?)
}

/// The last event `consumer` acknowledged; 0 for a consumer never seen.
pub async fn cursor(db: &impl ConnectionTrait, consumer: &str) -> StoreResult<i64> {
    Ok(EventCursor::find_by_id(consumer.to_owned())
        .one(db)
        .await?
        .map_or(0, |c| c.last_seq))
}

/// Moves `consumer`'s cursor forward to `seq`. A cursor never moves back, so a late or repeated
/// acknowledgement is harmless.
pub async fn acknowledge(
    db: &impl ConnectionTrait,
    consumer: &str,
    seq: i64,
    at: NaiveDateTime,
) -> StoreResult<()> {
    let moved = EventCursor::update_many()
        .col_expr(event_cursor::Column::LastSeq, Expr::value(seq))
        .col_expr(event_cursor::Column::UpdatedAt, Expr::value(at))
        .filter(event_cursor::Column::Consumer.eq(consumer))
        .filter(event_cursor::Column::LastSeq.lt(seq))
        .exec(db)
        .await?;
    if moved.rows_affected == 0
        && EventCursor::find_by_id(consumer.to_owned())
            .one(db)
            .await?
            .is_none()
    {
        EventCursor::insert(event_cursor::ActiveModel {
            consumer: Set(consumer.to_owned()),
            last_seq: Set(seq),
            updated_at: Set(at),
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}
