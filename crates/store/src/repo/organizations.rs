//! Organisations.

use crate::entity::organization::{self, Entity as Organization};
use crate::error::StoreResult;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

pub use organization::Model as OrganizationRow;

pub async fn insert(db: &impl ConnectionTrait, row: OrganizationRow) -> StoreResult<()> {
    Organization::insert(organization::ActiveModel {
        id: Set(row.id),
        kind: Set(row.kind),
        name: Set(row.name),
        uscc: Set(row.uscc),
        region_code: Set(row.region_code),
        institution_kind: Set(row.institution_kind),
        created_at: Set(row.created_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<OrganizationRow>> {
    Ok(Organization::find_by_id(id.to_owned()).one(db).await?)
}

pub async fn list(
    db: &impl ConnectionTrait,
    kind: Option<&str>,
) -> StoreResult<Vec<OrganizationRow>> {
    let mut query = Organization::find()
        .order_by_asc(organization::Column::Kind)
        .order_by_asc(organization::Column::Name);
    if let Some(kind) = kind {
        query = query.filter(organization::Column::Kind.eq(kind));
    }
    Ok(query.all(db).await?)
}

pub async fn count(db: &impl ConnectionTrait) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(Organization::find().count(db).await?)
}

/// Organisations of `kind` whose own USCC is `uscc` (an enterprise's login organisation).
pub async fn by_uscc(
    db: &impl ConnectionTrait,
    uscc: &str,
    kind: &str,
) -> StoreResult<Vec<OrganizationRow>> {
    Ok(Organization::find()
        .filter(organization::Column::Uscc.eq(uscc))
        .filter(organization::Column::Kind.eq(kind))
        .all(db)
        .await?)
}
