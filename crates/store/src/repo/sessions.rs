//! Browser sessions.

use crate::entity::session::{self, Entity as Session};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub use session::Model as SessionRow;

pub async fn insert(db: &impl ConnectionTrait, row: SessionRow) -> StoreResult<()> {
    Session::insert(session::ActiveModel {
        token_hash: Set(row.token_hash),
        user_id: Set(row.user_id),
        created_at: Set(row.created_at),
        expires_at: Set(row.expires_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The session with this digest, if it has not expired at `now`.
pub async fn live(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: NaiveDateTime,
) -> StoreResult<Option<SessionRow>> {
    Ok(Session::find_by_id(token_hash.to_owned())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?)
}

pub async fn delete(db: &impl ConnectionTrait, token_hash: &str) -> StoreResult<()> {
    Session::delete_by_id(token_hash.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete_for_user(db: &impl ConnectionTrait, user_id: &str) -> StoreResult<()> {
    Session::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn purge_expired(db: &impl ConnectionTrait, now: NaiveDateTime) -> StoreResult<u64> {
    let result = Session::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
