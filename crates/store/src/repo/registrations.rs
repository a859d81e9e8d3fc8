//! Enterprise registrations (企业注册申请) and user contacts.

use crate::entity::organization::{self, Entity as Organization};
use crate::entity::registration::{self, Entity as Registration};
use crate::entity::user_contact::{self, Entity as UserContact};
use crate::error::StoreResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

pub use registration::Model as RegistrationRow;
pub use user_contact::Model as UserContactRow;

pub async fn insert(db: &impl ConnectionTrait, row: RegistrationRow) -> StoreResult<()> {
    Registration::insert(row.into_active_model().reset_all())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn update(db: &impl ConnectionTrait, row: RegistrationRow) -> StoreResult<()> {
    row.into_active_model().reset_all().update(db).await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<RegistrationRow>> {
    Ok(Registration::find_by_id(id.to_owned()).one(db).await?)
}

pub async fn by_token(
    db: &impl ConnectionTrait,
    token_sm3: &str,
) -> StoreResult<Option<RegistrationRow>> {
    Ok(Registration::find()
        .filter(registration::Column::StatusTokenSm3.eq(token_sm3))
        .one(db)
        .await?)
}

/// Newest first, optionally of one status; at most `limit`.
pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<&str>,
    limit: u64,
) -> StoreResult<Vec<RegistrationRow>> {
    let mut query = Registration::find()
        .order_by_desc(registration::Column::CreatedAt)
        .order_by_desc(registration::Column::Id)
        .limit(limit);
    if let Some(status) = status {
        query = query.filter(registration::Column::Status.eq(status));
    }
    Ok(query.all(db).await?)
}

/// Attempts for one USCC since `since` (rate limit).
pub async fn count_for_uscc_since(
    db: &impl ConnectionTrait,
    uscc: &str,
    since: chrono::NaiveDateTime,
) -> StoreResult<u64> {
    Ok(Registration::find()
        .filter(registration::Column::Uscc.eq(uscc))
        .filter(registration::Column::CreatedAt.gte(since))
        .count(db)
        .await?)
}

/// The organisation holding this USCC, if one is registered.
pub async fn organization_by_uscc(
    db: &impl ConnectionTrait,
    uscc: &str,
) -> StoreResult<Option<organization::Model>> {
    Ok(Organization::find()
        .filter(organization::Column::Uscc.eq(uscc))
        .one(db)
        .await?)
}

pub async fn upsert_contact(db: &impl ConnectionTrait, row: UserContactRow) -> StoreResult<()> {
    let exists = UserContact::find_by_id(row.user_id.clone())
        .one(db)
        .await?
        .is_some();
    let active = row.into_active_model().reset_all();
    if exists {
        active.update(db).await?;
    } else {
        UserContact::insert(active)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub async fn contact(
    db: &impl ConnectionTrait,
    user_id: &str,
) -> StoreResult<Option<UserContactRow>> {
    Ok(UserContact::find_by_id(user_id.to_owned()).one(db).await?)
}

pub async fn contacts_of(
    db: &impl ConnectionTrait,
    user_ids: &[String],
) -> StoreResult<Vec<UserContactRow>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(UserContact::find()
        .filter(user_contact::Column::UserId.is_in(user_ids.to_vec()))
        .all(db)
        .await?)
}
