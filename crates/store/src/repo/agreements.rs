//! Sharing agreements (数据共享协议).

use crate::entity::agreement::{self, Entity as Agreement};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};

pub use agreement::Model as AgreementRecord;

pub async fn insert(db: &impl ConnectionTrait, row: AgreementRecord) -> StoreResult<()> {
    Agreement::insert(row.into_active_model().reset_all())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<AgreementRecord>> {
    Ok(Agreement::find_by_id(id.to_owned()).one(db).await?)
}

/// Every agreement, or one institution's, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    org_id: Option<&str>,
) -> StoreResult<Vec<AgreementRecord>> {
    let mut q = Agreement::find()
        .order_by_desc(agreement::Column::CreatedAt)
        .order_by_desc(agreement::Column::Id);
    if let Some(org) = org_id {
        q = q.filter(agreement::Column::OrgId.eq(org));
    }
    Ok(q.all(db).await?)
}

/// An institution's agreements that are active and within their term at `now`.
pub async fn active_for(
    db: &impl ConnectionTrait,
    org_id: &str,
    now: NaiveDateTime,
) -> StoreResult<Vec<AgreementRecord>> {
    Ok(Agreement::find()
        .filter(agreement::Column::OrgId.eq(org_id))
        .filter(agreement::Column::Status.eq("active"))
        .filter(agreement::Column::ValidFrom.lte(now))
        .filter(agreement::Column::ValidUntil.gt(now))
        .order_by_asc(agreement::Column::CreatedAt)
        .order_by_asc(agreement::Column::Id)
        .all(db)
        .await?)
}

/// Sets the status (and its reason) of one agreement.
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: &str,
    status: &str,
    reason: Option<String>,
    now: NaiveDateTime,
) -> StoreResult<()> {
    Agreement::update_many()
        .col_expr(agreement::Column::Status, status.into())
        .col_expr(agreement::Column::StatusReason, reason.into())
        .col_expr(agreement::Column::UpdatedAt, now.into())
        .filter(agreement::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Links the signed commitment to its agreement.
pub async fn set_commitment(
    db: &impl ConnectionTrait,
    id: &str,
    commitment_id: &str,
) -> StoreResult<()> {
    Agreement::update_many()
        .col_expr(agreement::Column::CommitmentId, commitment_id.into())
        .filter(agreement::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
