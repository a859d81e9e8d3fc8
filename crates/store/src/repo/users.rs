//! Users and their login state.

use crate::entity::user::{self, Entity as User};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

pub use user::Model as UserRow;

pub async fn insert(db: &impl ConnectionTrait, row: UserRow) -> StoreResult<()> {
    User::insert(user::ActiveModel {
        id: Set(row.id),
        org_id: Set(row.org_id),
        username: Set(row.username),
        display_name: Set(row.display_name),
        password_hash: Set(row.password_hash),
        failed_logins: Set(row.failed_logins),
        locked_until: Set(row.locked_until),
        disabled: Set(row.disabled),
        created_at: Set(row.created_at),
        last_login_at: Set(row.last_login_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> StoreResult<Option<UserRow>> {
    Ok(User::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<UserRow>> {
    Ok(User::find_by_id(id.to_owned()).one(db).await?)
}

pub async fn list_by_org(db: &impl ConnectionTrait, org_id: &str) -> StoreResult<Vec<UserRow>> {
    Ok(User::find()
        .filter(user::Column::OrgId.eq(org_id))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?)
}

/// Counts one more failed login and sets the lock, atomically in one UPDATE so concurrent
/// guesses cannot lose increments.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    id: &str,
    locked_until: Option<NaiveDateTime>,
) -> StoreResult<()> {
    User::update_many()
        .col_expr(
            user::Column::FailedLogins,
            Expr::col(user::Column::FailedLogins).add(1),
        )
        .col_expr(user::Column::LockedUntil, Expr::value(locked_until))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn record_success(
    db: &impl ConnectionTrait,
    id: &str,
    at: NaiveDateTime,
) -> StoreResult<()> {
    User::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(
            user::Column::LockedUntil,
            Expr::value(Option::<NaiveDateTime>::None),
        )
        .col_expr(user::Column::LastLoginAt, Expr::value(Some(at)))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_password(db: &impl ConnectionTrait, id: &str, hash: &str) -> StoreResult<()> {
    User::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(
            user::Column::LockedUntil,
            Expr::value(Option::<NaiveDateTime>::None),
        )
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn count(db: &impl ConnectionTrait) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(User::find().count(db).await?)
}
