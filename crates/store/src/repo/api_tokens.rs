//! API tokens for machine clients.

use crate::entity::api_token::{self, Entity as ApiToken};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

pub use api_token::Model as ApiTokenRow;

pub async fn insert(db: &impl ConnectionTrait, row: ApiTokenRow) -> StoreResult<()> {
    ApiToken::insert(api_token::ActiveModel {
        id: Set(row.id),
        user_id: Set(row.user_id),
        name: Set(row.name),
        token_hash: Set(row.token_hash),
        prefix: Set(row.prefix),
        created_at: Set(row.created_at),
        expires_at: Set(row.expires_at),
        last_used_at: Set(row.last_used_at),
        revoked_at: Set(row.revoked_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn list_for_user(
    db: &impl ConnectionTrait,
    user_id: &str,
) -> StoreResult<Vec<ApiTokenRow>> {
    Ok(ApiToken::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?)
}

/// The token with this digest if it is neither revoked nor expired at `now`.
pub async fn active_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: NaiveDateTime,
) -> StoreResult<Option<ApiTokenRow>> {
    Ok(ApiToken::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(
            Condition::any()
                .add(api_token::Column::ExpiresAt.is_null())
                .add(api_token::Column::ExpiresAt.gt(now)),
        )
        .one(db)
        .await?)
}

pub async fn touch(db: &impl ConnectionTrait, id: &str, now: NaiveDateTime) -> StoreResult<()> {
    ApiToken::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(Some(now)))
        .filter(api_token::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes a token of this user; false when there is no such live token. Idempotent.
pub async fn revoke(
    db: &impl ConnectionTrait,
    user_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> StoreResult<bool> {
    let existing = ApiToken::find_by_id(id.to_owned())
        .filter(api_token::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    let Some(existing) = existing else {
        return Ok(false);
    };
    if existing.revoked_at.is_none() {
        ApiToken::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(Some(now)))
            .filter(api_token::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    Ok(true)
}
