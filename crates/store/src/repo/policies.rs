//! Policies (政策) and their matches (政策匹配).

use crate::entity::policy::{self, Entity as Policy};
use crate::entity::policy_match::{self, Entity as PolicyMatch};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Statement,
};
use std::collections::HashSet;

pub use policy::Model as PolicyRow;
pub use policy_match::Model as MatchRow;

/// Which policies to list; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub statuses: Vec<String>,
    pub issuer_org_id: Option<String>,
}

pub async fn insert(db: &impl ConnectionTrait, row: PolicyRow) -> StoreResult<()> {
    Policy::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<PolicyRow>> {
    Ok(Policy::find_by_id(id.to_owned()).one(db).await?)
}

/// Newest first.
pub async fn list(db: &impl ConnectionTrait, filter: &Filter) -> StoreResult<Vec<PolicyRow>> {
    let mut q = Policy::find();
    if !filter.statuses.is_empty() {
        q = q.filter(policy::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(org) = &filter.issuer_org_id {
        q = q.filter(policy::Column::IssuerOrgId.eq(org.as_str()));
    }
    Ok(q.order_by_desc(policy::Column::CreatedAt)
        .order_by_desc(policy::Column::Id)
        .all(db)
        .await?)
}

/// Writes `row` if the stored row still has status `expected`; false when another step got
/// there first.
pub async fn update_if(
    db: &impl ConnectionTrait,
    row: PolicyRow,
    expected: &str,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = Policy::update_many()
        .set(row.into_active_model().reset_all())
        .filter(policy::Column::Id.eq(id))
        .filter(policy::Column::Status.eq(expected))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Records when matching last ran for a policy.
pub async fn set_matched_at(
    db: &impl ConnectionTrait,
    id: &str,
    at: NaiveDateTime,
) -> StoreResult<()> {
    Policy::update_many()
        .col_expr(policy::Column::MatchedAt, Expr::value(at))
        .filter(policy::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The enterprises a policy already matched.
pub async fn matched_subjects(
    db: &impl ConnectionTrait,
    policy_id: &str,
) -> StoreResult<HashSet<String>> {
    Ok(PolicyMatch::find()
        .filter(policy_match::Column::PolicyId.eq(policy_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.subject)
        .collect())
}

pub async fn insert_matches(db: &impl ConnectionTrait, rows: Vec<MatchRow>) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    PolicyMatch::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A policy's matches, in USCC order.
pub async fn matches_of(db: &impl ConnectionTrait, policy_id: &str) -> StoreResult<Vec<MatchRow>> {
    Ok(PolicyMatch::find()
        .filter(policy_match::Column::PolicyId.eq(policy_id))
        .order_by_asc(policy_match::Column::Subject)
        .all(db)
        .await?)
}

pub async fn count_matches(db: &impl ConnectionTrait, policy_id: &str) -> StoreResult<u64> {
    Ok(PolicyMatch::find()
        .filter(policy_match::Column::PolicyId.eq(policy_id))
        .count(db)
        .await?)
}

/// The matches of one enterprise.
pub async fn matches_of_subject(
    db: &impl ConnectionTrait,
    subject: &str,
) -> StoreResult<Vec<MatchRow>> {
    Ok(PolicyMatch::find()
        .filter(policy_match::Column::Subject.eq(subject))
        .all(db)
        .await?)
}

/// Matches of `policy_id` not notified yet whose enterprise now has an organisation on the
/// platform (so a notice reaches someone): one join, however many enterprises never log in.
pub async fn unnotified_with_org(
    db: &impl ConnectionTrait,
    policy_id: &str,
) -> StoreResult<Vec<String>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT DISTINCT m.subject FROM policy_matches m JOIN organizations o \
             ON o.uscc = m.subject AND o.kind = 'enterprise' \
             WHERE m.policy_id = $1 AND m.notified_at IS NULL ORDER BY m.subject"
        }
        _ => {
            "SELECT DISTINCT m.subject FROM policy_matches m JOIN organizations o \
             ON o.uscc = m.subject AND o.kind = 'enterprise' \
             WHERE m.policy_id = ? AND m.notified_at IS NULL ORDER BY m.subject"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [policy_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get_by_index::<String>(0)?))
        .collect()
}

/// Marks (policy, subject) notified at `at`.
pub async fn mark_notified(
    db: &impl ConnectionTrait,
    policy_id: &str,
    subject: &str,
    at: NaiveDateTime,
) -> StoreResult<()> {
    PolicyMatch::update_many()
        .col_expr(policy_match::Column::NotifiedAt, Expr::value(at))
        .filter(policy_match::Column::PolicyId.eq(policy_id))
        .filter(policy_match::Column::Subject.eq(subject))
        .exec(db)
        .await?;
    Ok(())
}
