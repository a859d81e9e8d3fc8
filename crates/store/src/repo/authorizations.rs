//! Authorizations (授权): consent artefacts of information subjects.

use crate::entity::authorization::{self, Entity as Authorization};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};

pub use authorization::Model as AuthorizationRecord;

pub async fn insert(db: &impl ConnectionTrait, row: AuthorizationRecord) -> StoreResult<()> {
    Authorization::insert(row.into_active_model().reset_all())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<AuthorizationRecord>> {
    Ok(Authorization::find_by_id(id.to_owned()).one(db).await?)
}

/// Filters of [`list`]; `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub subject: Option<&'a str>,
    pub grantee_org_id: Option<&'a str>,
    /// A stored status (`active`, `paused`, `revoked`).
    pub status: Option<&'a str>,
    /// Only those with an open dispute.
    pub disputed: bool,
    pub limit: Option<u64>,
}

/// Authorizations matching `filter`, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter<'_>,
) -> StoreResult<Vec<AuthorizationRecord>> {
    let mut q = Authorization::find()
        .order_by_desc(authorization::Column::CreatedAt)
        .order_by_desc(authorization::Column::Id);
    if let Some(s) = filter.subject {
        q = q.filter(authorization::Column::Subject.eq(s));
    }
    if let Some(g) = filter.grantee_org_id {
        q = q.filter(authorization::Column::GranteeOrgId.eq(g));
    }
    if let Some(s) = filter.status {
        q = q.filter(authorization::Column::Status.eq(s));
    }
    if filter.disputed {
        q = q.filter(authorization::Column::Dispute.eq("open"));
    }
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.all(db).await?)
}

/// Stored-active authorizations of `grantee` about `subject` valid at `now`.
pub async fn active(
    db: &impl ConnectionTrait,
    grantee_org_id: &str,
    subject: &str,
    now: NaiveDateTime,
) -> StoreResult<Vec<AuthorizationRecord>> {
    Ok(Authorization::find()
        .filter(authorization::Column::GranteeOrgId.eq(grantee_org_id))
        .filter(authorization::Column::Subject.eq(subject))
        .filter(authorization::Column::Status.eq("active"))
        .filter(authorization::Column::ValidFrom.lte(now))
        .filter(authorization::Column::ValidUntil.gt(now))
        .order_by_asc(authorization::Column::CreatedAt)
        .order_by_asc(authorization::Column::Id)
        .all(db)
        .await?)
}

/// Sets status, dispute and reason, only if the row still has the status and dispute it was
/// read with (an optimistic check: two clicks at once change it once). True when changed.
#[allow(clippy::too_many_arguments)]
pub async fn set_state(
    db: &impl ConnectionTrait,
    id: &str,
    from_status: &str,
    from_dispute: &str,
    status: &str,
    dispute: &str,
    reason: Option<String>,
    now: NaiveDateTime,
) -> StoreResult<bool> {
    let result = Authorization::update_many()
        .col_expr(authorization::Column::Status, status.into())
        .col_expr(authorization::Column::Dispute, dispute.into())
        .col_expr(authorization::Column::StatusReason, reason.into())
        .col_expr(authorization::Column::UpdatedAt, now.into())
        .filter(authorization::Column::Id.eq(id))
        .filter(authorization::Column::Status.eq(from_status))
        .filter(authorization::Column::Dispute.eq(from_dispute))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Counts one use, atomically (`use_count = use_count + 1`), and stamps the last use.
pub async fn record_use(
    db: &impl ConnectionTrait,
    id: &str,
    now: NaiveDateTime,
) -> StoreResult<bool> {
    let result = Authorization::update_many()
        .col_expr(
            authorization::Column::UseCount,
            Expr::col(authorization::Column::UseCount).add(1),
        )
        .col_expr(authorization::Column::LastUsedAt, Some(now).into())
        .filter(authorization::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
