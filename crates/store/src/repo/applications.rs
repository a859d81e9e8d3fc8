//! Financing needs (融资需求) and applications (融资申请).

use crate::entity::application::{self, Entity as Application};
use crate::entity::financing_need::{self, Entity as Need};
use crate::error::StoreResult;
use chrono::{NaiveDate, NaiveDateTime};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};

pub use application::Model as ApplicationRow;
pub use financing_need::Model as NeedRow;

/// Which applications to list; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub subject: Option<String>,
    pub institution_org_id: Option<String>,
    pub need_id: Option<String>,
    pub statuses: Vec<String>,
    pub limit: Option<u64>,
}

pub async fn insert_need(db: &impl ConnectionTrait, row: NeedRow) -> StoreResult<()> {
    Need::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get_need(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<NeedRow>> {
    Ok(Need::find_by_id(id.to_owned()).one(db).await?)
}

/// The needs of `subject` stating exactly these terms, newest first.
pub async fn needs_like(
    db: &impl ConnectionTrait,
    subject: &str,
    amount_fen: i64,
    term_months: i32,
    guarantee: &str,
    max_rate_bp: Option<i32>,
) -> StoreResult<Vec<NeedRow>> {
    let mut q = Need::find()
        .filter(financing_need::Column::Subject.eq(subject))
        .filter(financing_need::Column::AmountFen.eq(amount_fen))
        .filter(financing_need::Column::TermMonths.eq(term_months))
        .filter(financing_need::Column::Guarantee.eq(guarantee));
    q = match max_rate_bp {
        Some(r) => q.filter(financing_need::Column::MaxRateBp.eq(r)),
        None => q.filter(financing_need::Column::MaxRateBp.is_null()),
    };
    Ok(q.order_by_desc(financing_need::Column::CreatedAt)
        .order_by_desc(financing_need::Column::Id)
        .limit(20)
        .all(db)
        .await?)
}

pub async fn insert(db: &impl ConnectionTrait, row: ApplicationRow) -> StoreResult<()> {
    Application::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<ApplicationRow>> {
    Ok(Application::find_by_id(id.to_owned()).one(db).await?)
}

/// The application of `need_id` to `product_id`, if any (the natural key).
pub async fn for_need_product(
    db: &impl ConnectionTrait,
    need_id: &str,
    product_id: &str,
) -> StoreResult<Option<ApplicationRow>> {
    Ok(Application::find()
        .filter(application::Column::NeedId.eq(need_id))
        .filter(application::Column::ProductId.eq(product_id))
        .one(db)
        .await?)
}

/// Newest first.
pub async fn list(db: &impl ConnectionTrait, filter: &Filter) -> StoreResult<Vec<ApplicationRow>> {
    let mut q = Application::find();
    if let Some(s) = &filter.subject {
        q = q.filter(application::Column::Subject.eq(s.as_str()));
    }
    if let Some(i) = &filter.institution_org_id {
        q = q.filter(application::Column::InstitutionOrgId.eq(i.as_str()));
    }
    if let Some(n) = &filter.need_id {
        q = q.filter(application::Column::NeedId.eq(n.as_str()));
    }
    if !filter.statuses.is_empty() {
        q = q.filter(application::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.order_by_desc(application::Column::SubmittedAt)
        .order_by_desc(application::Column::Id)
        .all(db)
        .await?)
}

/// Writes `row` if the stored row's status is still one of `expected`: false when another step
/// got there first (the caller refuses, nothing changed).
pub async fn update_if(
    db: &impl ConnectionTrait,
    row: ApplicationRow,
    expected: &[&str],
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = Application::update_many()
        .set(row.into_active_model().reset_all())
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::Status.is_in(expected.iter().copied()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Marks `id` flagged as overdue at `at` if it is still in `status` and not flagged yet: false
/// when another sweep or a step got there first.
pub async fn mark_flagged(
    db: &impl ConnectionTrait,
    id: &str,
    status: &str,
    at: NaiveDateTime,
) -> StoreResult<bool> {
    let res = Application::update_many()
        .col_expr(application::Column::OverdueFlaggedAt, Expr::value(at))
        .col_expr(application::Column::UpdatedAt, Expr::value(at))
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::Status.eq(status))
        .filter(application::Column::OverdueFlaggedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Applications past a deadline on `today` and not flagged yet: submitted after `accept_by`,
/// accepted or under review after `decide_by`; oldest first.
pub async fn overdue_unflagged(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> StoreResult<Vec<ApplicationRow>> {
    let late = Condition::any()
        .add(
            Condition::all()
                .add(application::Column::Status.eq("submitted"))
                .add(application::Column::AcceptBy.lt(today)),
        )
        .add(
            Condition::all()
                .add(application::Column::Status.is_in(["accepted", "under_review"]))
                .add(application::Column::DecideBy.lt(today)),
        );
    Ok(Application::find()
        .filter(late)
        .filter(application::Column::OverdueFlaggedAt.is_null())
        .order_by_asc(application::Column::SubmittedAt)
        .all(db)
        .await?)
}

/// Undecided applications (submitted, accepted, under review) submitted before `before`.
pub async fn pending_submitted_before(
    db: &impl ConnectionTrait,
    before: NaiveDateTime,
) -> StoreResult<Vec<ApplicationRow>> {
    Ok(Application::find()
        .filter(application::Column::Status.is_in(["submitted", "accepted", "under_review"]))
        .filter(application::Column::SubmittedAt.lt(before))
        .order_by_asc(application::Column::SubmittedAt)
        .all(db)
        .await?)
}
