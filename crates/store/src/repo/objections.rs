//! Objections (异议).

use crate::entity::objection::{self, Entity as Objection};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

pub use objection::Model as ObjectionRow;

/// Which objections (or repair applications, [`super::repairs::list`]) to list; empty fields
/// do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub subject: Option<String>,
    pub provider_org_id: Option<String>,
    pub statuses: Vec<String>,
    pub record_id: Option<String>,
    pub limit: Option<u64>,
}

pub async fn insert(db: &impl ConnectionTrait, row: ObjectionRow) -> StoreResult<()> {
    Objection::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<ObjectionRow>> {
    Ok(Objection::find_by_id(id.to_owned()).one(db).await?)
}

/// Newest first.
pub async fn list(db: &impl ConnectionTrait, filter: &Filter) -> StoreResult<Vec<ObjectionRow>> {
    let mut q = Objection::find();
    if let Some(s) = &filter.subject {
        q = q.filter(objection::Column::Subject.eq(s.as_str()));
    }
    if let Some(p) = &filter.provider_org_id {
        q = q.filter(objection::Column::ProviderOrgId.eq(p.as_str()));
    }
    if let Some(r) = &filter.record_id {
        q = q.filter(objection::Column::RecordId.eq(r.as_str()));
    }
    if !filter.statuses.is_empty() {
        q = q.filter(objection::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.order_by_desc(objection::Column::FiledAt)
        .order_by_desc(objection::Column::Id)
        .all(db)
        .await?)
}

/// Objections about `subject` filed at or after `since`.
pub async fn count_filed_since(
    db: &impl ConnectionTrait,
    subject: &str,
    since: NaiveDateTime,
) -> StoreResult<u64> {
    Ok(Objection::find()
        .filter(objection::Column::Subject.eq(subject))
        .filter(objection::Column::FiledAt.gte(since))
        .count(db)
        .await?)
}

/// Objections about `subject` in one of `statuses`.
pub async fn count_in(
    db: &impl ConnectionTrait,
    subject: &str,
    statuses: &[&str],
) -> StoreResult<u64> {
    Ok(Objection::find()
        .filter(objection::Column::Subject.eq(subject))
        .filter(objection::Column::Status.is_in(statuses.iter().copied()))
        .count(db)
        .await?)
}

/// Objections about one record (any version) in one of `statuses`.
pub async fn for_key_in(
    db: &impl ConnectionTrait,
    subject: &str,
    item_key: &str,
    natural_key_hash: &str,
    statuses: &[&str],
) -> StoreResult<Vec<ObjectionRow>> {
    Ok(Objection::find()
        .filter(objection::Column::Subject.eq(subject))
        .filter(objection::Column::ItemKey.eq(item_key))
        .filter(objection::Column::NaturalKeyHash.eq(natural_key_hash))
        .filter(objection::Column::Status.is_in(statuses.iter().copied()))
        .all(db)
        .await?)
}

/// Writes `row` if the stored row still has status `expected`; false when another step got
/// there first (the caller refuses, nothing changed).
pub async fn update_if(
    db: &impl ConnectionTrait,
    row: ObjectionRow,
    expected: &str,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = Objection::update_many()
        .set(row.into_active_model().reset_all())
        .filter(objection::Column::Id.eq(id))
        .filter(objection::Column::Status.eq(expected))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Marks `id` flagged as overdue at `at`, if it is still in `status` and not flagged yet:
/// false when another sweep or a step got there first.
pub async fn mark_flagged(
    db: &impl ConnectionTrait,
    id: &str,
    status: &str,
    at: NaiveDateTime,
) -> StoreResult<bool> {
    use sea_orm::sea_query::Expr;
    let res = Objection::update_many()
        .col_expr(objection::Column::OverdueFlaggedAt, Expr::value(at))
        .col_expr(objection::Column::UpdatedAt, Expr::value(at))
        .filter(objection::Column::Id.eq(id))
        .filter(objection::Column::Status.eq(status))
        .filter(objection::Column::OverdueFlaggedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Objections in one of `statuses` whose deadline is before `now` and whose operators were not
/// told yet, oldest deadline first.
pub async fn overdue_unflagged(
    db: &impl ConnectionTrait,
    statuses: &[&str],
    now: NaiveDateTime,
) -> StoreResult<Vec<ObjectionRow>> {
    Ok(Objection::find()
        .filter(objection::Column::Status.is_in(statuses.iter().copied()))
        .filter(objection::Column::DeadlineAt.lt(now))
        .filter(objection::Column::OverdueFlaggedAt.is_null())
        .order_by_asc(objection::Column::DeadlineAt)
        .all(db)
        .await?)
}

/// One record version by ID (the record an objection or a repair is about).
pub async fn record(
    db: &impl ConnectionTrait,
    id: &str,
) -> StoreResult<Option<crate::entity::record::Model>> {
    Ok(crate::entity::record::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?)
}

/// The newest version of one record.
pub async fn record_head(
    db: &impl ConnectionTrait,
    subject: &str,
    item_key: &str,
    natural_key_hash: &str,
) -> StoreResult<Option<crate::entity::record::Model>> {
    use crate::entity::record;
    Ok(record::Entity::find()
        .filter(record::Column::Subject.eq(subject))
        .filter(record::Column::ItemKey.eq(item_key))
        .filter(record::Column::NaturalKeyHash.eq(natural_key_hash))
        .order_by_desc(record::Column::Version)
        .one(db)
        .await?)
}
