//! Queries for products (金融产品).

use crate::entity::product::{self, Entity as Product};
use crate::error::StoreResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};

pub use product::Model as ProductRow;

pub async fn insert(db: &impl ConnectionTrait, row: ProductRow) -> StoreResult<()> {
    Product::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<ProductRow>> {
    Ok(Product::find_by_id(id.to_owned()).one(db).await?)
}

/// Products of one institution (`institution_org_id`), or of all when `None`, in one of
/// `statuses` (all when empty); newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    institution_org_id: Option<&str>,
    statuses: &[&str],
) -> StoreResult<Vec<ProductRow>> {
    let mut q = Product::find();
    if let Some(org) = institution_org_id {
        q = q.filter(product::Column::InstitutionOrgId.eq(org));
    }
    if !statuses.is_empty() {
        q = q.filter(product::Column::Status.is_in(statuses.iter().copied()));
    }
    Ok(q.order_by_desc(product::Column::CreatedAt)
        .order_by_asc(product::Column::Id)
        .all(db)
        .await?)
}

/// Every listed product (上架), by id.
pub async fn list_listed(db: &impl ConnectionTrait) -> StoreResult<Vec<ProductRow>> {
    Ok(Product::find()
        .filter(product::Column::Status.eq("listed"))
        .order_by_asc(product::Column::Id)
        .all(db)
        .await?)
}

/// Listed products whose scenarios include `scenario` (a code such as `green`), by id.
pub async fn list_listed_by_scenario(
    db: &impl ConnectionTrait,
    scenario: &str,
) -> StoreResult<Vec<ProductRow>> {
    Ok(list_listed(db)
        .await?
        .into_iter()
        .filter(|p| {
            serde_json::from_str::<Vec<String>>(&p.scenarios)
                .map(|s| s.iter().any(|x| x == scenario))
                .unwrap_or(false)
        })
        .collect())
}

/// The product of `institution_org_id` named `name`, if any (a retried publish finds its own).
pub async fn by_name(
    db: &impl ConnectionTrait,
    institution_org_id: &str,
    name: &str,
) -> StoreResult<Option<ProductRow>> {
    Ok(Product::find()
        .filter(product::Column::InstitutionOrgId.eq(institution_org_id))
        .filter(product::Column::Name.eq(name))
        .one(db)
        .await?)
}

/// Writes `row` if the stored row still has status `expected` and version `version`; false when
/// another step got there first (the caller refuses, nothing changed).
pub async fn update_if(
    db: &impl ConnectionTrait,
    row: ProductRow,
    expected: &str,
    version: i32,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = Product::update_many()
        .set(row.into_active_model().reset_all())
        .filter(product::Column::Id.eq(id))
        .filter(product::Column::Status.eq(expected))
        .filter(product::Column::Version.eq(version))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
