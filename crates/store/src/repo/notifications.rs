//! Inbox rows (站内通知) and their outbound delivery state.

use crate::entity::notification::{self, Entity as Notification};
use crate::error::StoreResult;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

pub use notification::Model as NotificationRow;

pub async fn insert_many(db: &impl ConnectionTrait, rows: Vec<NotificationRow>) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let models: Vec<_> = rows.into_iter().map(|r| r.into_active_model()).collect();
    Notification::insert_many(models)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// One user's messages, newest first.
pub async fn for_user(
    db: &impl ConnectionTrait,
    user_id: &str,
    unread_only: bool,
    limit: u64,
) -> StoreResult<Vec<NotificationRow>> {
    let mut q = Notification::find().filter(notification::Column::UserId.eq(user_id));
    if unread_only {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    Ok(q.order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

pub async fn unread_count(db: &impl ConnectionTrait, user_id: &str) -> StoreResult<u64> {
    Ok(Notification::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}
