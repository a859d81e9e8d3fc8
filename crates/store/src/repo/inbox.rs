//! The inbox side of `notifications` (reading, marking read) and its outbox side (rows waiting
//! for outbound delivery). Rows are written by `repo::notifications::insert_many`.

use crate::entity::notification::{self, Entity as Notification};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

pub use notification::Model as NotificationRow;

/// One message, if it belongs to `user_id`.
pub async fn get_for_user(
    db: &impl ConnectionTrait,
    id: &str,
    user_id: &str,
) -> StoreResult<Option<NotificationRow>> {
    Ok(Notification::find_by_id(id.to_owned())
        .filter(notification::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// Marks one of the user's messages read (a read message keeps its first read time).
pub async fn mark_read(
    db: &impl ConnectionTrait,
    id: &str,
    user_id: &str,
    now: NaiveDateTime,
) -> StoreResult<u64> {
    Ok(Notification::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Marks every unread message of the user read; returns how many.
pub async fn mark_all_read(
    db: &impl ConnectionTrait,
    user_id: &str,
    now: NaiveDateTime,
) -> StoreResult<u64> {
    Ok(Notification::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Rows waiting for outbound delivery (`pending`), oldest first.
pub async fn pending_outbound(
    db: &impl ConnectionTrait,
    state: &str,
    limit: u64,
) -> StoreResult<Vec<NotificationRow>> {
    Ok(Notification::find()
        .filter(notification::Column::OutboundState.eq(state))
        .order_by_asc(notification::Column::CreatedAt)
        .order_by_asc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Records one delivery attempt. Only a row still in `from_state` with `attempts` attempts is
/// changed, so two dispatchers never both count the same attempt; returns whether it was.
#[allow(clippy::too_many_arguments)]
pub async fn record_attempt(
    db: &impl ConnectionTrait,
    id: &str,
    from_state: &str,
    attempts: i32,
    to_state: &str,
    error: Option<String>,
    at: NaiveDateTime,
) -> StoreResult<bool> {
    Ok(Notification::update_many()
        .col_expr(notification::Column::OutboundState, Expr::value(to_state))
        .col_expr(
            notification::Column::OutboundAttempts,
            Expr::value(attempts + 1),
        )
        .col_expr(notification::Column::OutboundError, Expr::value(error))
        .col_expr(notification::Column::OutboundAt, Expr::value(at))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::OutboundState.eq(from_state))
        .filter(notification::Column::OutboundAttempts.eq(attempts))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}
