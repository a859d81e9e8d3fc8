//! The white list (白名单): entries and their change feed.

use crate::entity::whitelist_change::{self, Entity as Change};
use crate::entity::whitelist_entry::{self, Entity as Entry};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

pub use whitelist_change::Model as ChangeRow;
pub use whitelist_entry::Model as EntryRow;

/// Which entries to list; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub subject: Option<String>,
    pub region_prefix: Option<String>,
    pub statuses: Vec<String>,
    pub limit: Option<u64>,
}

pub async fn insert(db: &impl ConnectionTrait, row: EntryRow) -> StoreResult<()> {
    Entry::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<EntryRow>> {
    Ok(Entry::find_by_id(id.to_owned()).one(db).await?)
}

/// The enterprise's open entry (applied, recommended or approved), if any.
pub async fn open_for(db: &impl ConnectionTrait, subject: &str) -> StoreResult<Option<EntryRow>> {
    Ok(Entry::find()
        .filter(whitelist_entry::Column::OpenSubject.eq(subject))
        .one(db)
        .await?)
}

/// Whether the enterprise has an approved entry.
pub async fn is_approved(db: &impl ConnectionTrait, subject: &str) -> StoreResult<bool> {
    Ok(Entry::find()
        .filter(whitelist_entry::Column::OpenSubject.eq(subject))
        .filter(whitelist_entry::Column::Status.eq("approved"))
        .count(db)
        .await?
        > 0)
}

/// Newest application first.
pub async fn list(db: &impl ConnectionTrait, filter: &Filter) -> StoreResult<Vec<EntryRow>> {
    let mut q = Entry::find();
    if let Some(v) = &filter.subject {
        q = q.filter(whitelist_entry::Column::Subject.eq(v.as_str()));
    }
    if let Some(v) = &filter.region_prefix {
        q = q.filter(whitelist_entry::Column::RegionCode.starts_with(v.as_str()));
    }
    if !filter.statuses.is_empty() {
        q = q.filter(whitelist_entry::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.order_by_desc(whitelist_entry::Column::UpdatedAt)
        .order_by_desc(whitelist_entry::Column::Id)
        .all(db)
        .await?)
}

/// Writes `row` if the stored row still has status `expected`; false otherwise.
pub async fn update_if(
    db: &impl ConnectionTrait,
    row: EntryRow,
    expected: &str,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = Entry::update_many()
        .set(row.into_active_model().reset_all())
        .filter(whitelist_entry::Column::Id.eq(id))
        .filter(whitelist_entry::Column::Status.eq(expected))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn insert_change(db: &impl ConnectionTrait, row: ChangeRow) -> StoreResult<()> {
    Change::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Changes at or after `since` (all when None), of `actions` (all when empty), in the region
/// prefix (all when None), oldest first, at most `limit`.
pub async fn changes(
    db: &impl ConnectionTrait,
    since: Option<NaiveDateTime>,
    actions: &[&str],
    region_prefix: Option<&str>,
    subject: Option<&str>,
    limit: u64,
) -> StoreResult<Vec<ChangeRow>> {
    let mut q = Change::find();
    if let Some(s) = since {
        q = q.filter(whitelist_change::Column::At.gte(s));
    }
    if !actions.is_empty() {
        q = q.filter(whitelist_change::Column::Action.is_in(actions.iter().copied()));
    }
    if let Some(p) = region_prefix {
        q = q.filter(whitelist_change::Column::RegionCode.starts_with(p));
    }
    if let Some(s) = subject {
        q = q.filter(whitelist_change::Column::Subject.eq(s));
    }
    Ok(q.order_by_asc(whitelist_change::Column::At)
        .order_by_asc(whitelist_change::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Which of `subjects` have an approved entry (500 per query).
pub async fn approved_among(
    db: &impl ConnectionTrait,
    subjects: &[String],
) -> StoreResult<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for chunk in subjects.chunks(500) {
        let found: Vec<String> = Entry::find()
            .select_only()
            .column(whitelist_entry::Column::Subject)
            .filter(whitelist_entry::Column::Status.eq("approved"))
            .filter(whitelist_entry::Column::Subject.is_in(chunk.iter().map(String::as_str)))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(found);
    }
    Ok(out)
}
