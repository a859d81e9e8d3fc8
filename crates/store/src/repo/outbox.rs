//! The outbox: events committed with the changes they announce.

use crate::entity::outbox_event::{self, Entity as OutboxEvent};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

pub use outbox_event::Model as OutboxRow;

pub async fn publish(
    db: &impl ConnectionTrait,
    topic: &str,
    payload: &str,
    at: NaiveDateTime,
) -> StoreResult<()> {
    OutboxEvent::insert(outbox_event::ActiveModel {
        id: NotSet,
        topic: Set(topic.to_owned()),
        payload: Set(payload.to_owned()),
        created_at: Set(at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Events after `after_id`, in order: a consumer remembers the last id it handled.
pub async fn after(
    db: &impl ConnectionTrait,
    after_id: i64,
    limit: u64,
) -> StoreResult<Vec<OutboxRow>> {
    Ok(OutboxEvent::find()
        .filter(outbox_event::Column::Id.gt(after_id))
        .order_by_asc(outbox_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
