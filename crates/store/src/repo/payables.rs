//! Payables (应付账款) and their attachment to financing applications.

use crate::entity::{payable, payable_attachment};
use crate::error::StoreResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};

pub use payable::Model as PayableRow;
pub use payable_attachment::Model as AttachedRow;

pub async fn insert(db: &impl ConnectionTrait, row: PayableRow) -> StoreResult<()> {
    payable::Entity::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<PayableRow>> {
    Ok(payable::Entity::find_by_id(id.to_owned()).one(db).await?)
}

/// Payables where `uscc` is the debtor or the supplier (any when `None`), in one of `statuses`
/// (any when empty), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    debtor: Option<&str>,
    supplier: Option<&str>,
    statuses: &[&str],
) -> StoreResult<Vec<PayableRow>> {
    let mut q = payable::Entity::find();
    if let Some(d) = debtor {
        q = q.filter(payable::Column::DebtorUscc.eq(d));
    }
    if let Some(s) = supplier {
        q = q.filter(payable::Column::SupplierUscc.eq(s));
    }
    if !statuses.is_empty() {
        q = q.filter(payable::Column::Status.is_in(statuses.iter().copied()));
    }
    Ok(q.order_by_desc(payable::Column::CreatedAt)
        .order_by_desc(payable::Column::Id)
        .all(db)
        .await?)
}

/// Writes `row` if the stored payable still has status `expected`; false otherwise (nothing
/// changed).
pub async fn update_if(
    db: &impl ConnectionTrait,
    row: PayableRow,
    expected: &str,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = payable::Entity::update_many()
        .set(row.into_active_model().reset_all())
        .filter(payable::Column::Id.eq(id))
        .filter(payable::Column::Status.eq(expected))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn attach(db: &impl ConnectionTrait, row: AttachedRow) -> StoreResult<()> {
    payable_attachment::Entity::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn attachment(
    db: &impl ConnectionTrait,
    application_id: &str,
    payable_id: &str,
) -> StoreResult<Option<AttachedRow>> {
    Ok(
        payable_attachment::Entity::find_by_id((application_id.to_owned(), payable_id.to_owned()))
            .one(db)
            .await?,
    )
}

/// The payables attached to an application, with when they were attached, oldest first.
pub async fn for_application(
    db: &impl ConnectionTrait,
    application_id: &str,
) -> StoreResult<Vec<(AttachedRow, PayableRow)>> {
    let links = payable_attachment::Entity::find()
        .filter(payable_attachment::Column::ApplicationId.eq(application_id))
        .order_by_asc(payable_attachment::Column::AttachedAt)
        .order_by_asc(payable_attachment::Column::PayableId)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(links.len());
    for link in links {
        if let Some(p) = get(db, &link.payable_id).await? {
            out.push((link, p));
        }
    }
    Ok(out)
}

/// Applications a payable is attached to.
pub async fn applications_of(
    db: &impl ConnectionTrait,
    payable_id: &str,
) -> StoreResult<Vec<AttachedRow>> {
    Ok(payable_attachment::Entity::find()
        .filter(payable_attachment::Column::PayableId.eq(payable_id))
        .all(db)
        .await?)
}

/// Attachments of payables to applications addressed to `institution_org_id`, newest first.
pub async fn attached_for_institution(
    db: &impl ConnectionTrait,
    institution_org_id: &str,
) -> StoreResult<Vec<AttachedRow>> {
    use crate::entity::application;
    use sea_orm::sea_query::Query;
    let apps = Query::select()
        .column(application::Column::Id)
        .from(application::Entity)
        .and_where(application::Column::InstitutionOrgId.eq(institution_org_id))
        .to_owned();
    Ok(payable_attachment::Entity::find()
        .filter(payable_attachment::Column::ApplicationId.in_subquery(apps))
        .order_by_desc(payable_attachment::Column::AttachedAt)
        .all(db)
        .await?)
}
