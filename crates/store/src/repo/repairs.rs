//! Credit repair applications (信用修复).

use crate::entity::repair::{self, Entity as Repair};
use crate::error::StoreResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};

/// Which applications to list: the same filter as objections'.
pub use super::objections::Filter;
pub use repair::Model as RepairRow;

pub async fn insert(db: &impl ConnectionTrait, row: RepairRow) -> StoreResult<()> {
    Repair::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<RepairRow>> {
    Ok(Repair::find_by_id(id.to_owned()).one(db).await?)
}

/// Newest first.
pub async fn list(db: &impl ConnectionTrait, filter: &Filter) -> StoreResult<Vec<RepairRow>> {
    let mut q = Repair::find();
    if let Some(s) = &filter.subject {
        q = q.filter(repair::Column::Subject.eq(s.as_str()));
    }
    if let Some(p) = &filter.provider_org_id {
        q = q.filter(repair::Column::ProviderOrgId.eq(p.as_str()));
    }
    if let Some(r) = &filter.record_id {
        q = q.filter(repair::Column::RecordId.eq(r.as_str()));
    }
    if !filter.statuses.is_empty() {
        q = q.filter(repair::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.order_by_desc(repair::Column::FiledAt)
        .order_by_desc(repair::Column::Id)
        .all(db)
        .await?)
}

/// Applications about one record (any version) in one of `statuses`.
pub async fn for_key_in(
    db: &impl ConnectionTrait,
    subject: &str,
    item_key: &str,
    natural_key_hash: &str,
    statuses: &[&str],
) -> StoreResult<Vec<RepairRow>> {
    Ok(Repair::find()
        .filter(repair::Column::Subject.eq(subject))
        .filter(repair::Column::ItemKey.eq(item_key))
        .filter(repair::Column::NaturalKeyHash.eq(natural_key_hash))
        .filter(repair::Column::Status.is_in(statuses.iter().copied()))
        .all(db)
        .await?)
}

/// Applications about `subject` in one of `statuses`.
pub async fn of_subject_in(
    db: &impl ConnectionTrait,
    subject: &str,
    statuses: &[&str],
) -> StoreResult<Vec<RepairRow>> {
    Ok(Repair::find()
        .filter(repair::Column::Subject.eq(subject))
        .filter(repair::Column::Status.is_in(statuses.iter().copied()))
        .all(db)
        .await?)
}

/// Writes `row` if the stored row still has status `expected`.
pub async fn update_if(
    db: &impl ConnectionTrait,
    row: RepairRow,
    expected: &str,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = Repair::update_many()
        .set(row.into_active_model().reset_all())
        .filter(repair::Column::Id.eq(id))
        .filter(repair::Column::Status.eq(expected))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
