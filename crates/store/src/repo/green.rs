//! The green library (绿色企业库, 绿色项目库).

use crate::entity::enterprise;
use crate::entity::green_entry::{self, Entity as GreenEntry};
use crate::entity::green_project::{self, Entity as GreenProject};
use crate::entity::record;
use crate::error::StoreResult;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

pub use green_entry::Model as GreenEntryRow;
pub use green_project::Model as GreenProjectRow;

/// Which entries or projects to list; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub subject: Option<String>,
    pub statuses: Vec<String>,
    pub source: Option<String>,
    pub category: Option<String>,
    /// Only enterprises whose region code starts with this prefix (a jurisdiction).
    pub region_prefix: Option<String>,
    pub limit: Option<u64>,
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn in_region(prefix: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(enterprise::Column::Uscc)
        .from(enterprise::Entity)
        .and_where(
            Expr::col(enterprise::Column::RegionCode)
                .like(LikeExpr::new(format!("{}%", escape_like(prefix))).escape('\\')),
        )
        .to_owned()
}

pub async fn insert_entry(db: &impl ConnectionTrait, row: GreenEntryRow) -> StoreResult<()> {
    GreenEntry::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get_entry(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<GreenEntryRow>> {
    Ok(GreenEntry::find_by_id(id.to_owned()).one(db).await?)
}

/// The entry of `subject` from `source` (rule or declaration).
pub async fn entry_of(
    db: &impl ConnectionTrait,
    subject: &str,
    source: &str,
) -> StoreResult<Option<GreenEntryRow>> {
    Ok(GreenEntry::find()
        .filter(green_entry::Column::Subject.eq(subject))
        .filter(green_entry::Column::Source.eq(source))
        .one(db)
        .await?)
}

/// Every entry of `subject`.
pub async fn entries_of(
    db: &impl ConnectionTrait,
    subject: &str,
) -> StoreResult<Vec<GreenEntryRow>> {
    Ok(GreenEntry::find()
        .filter(green_entry::Column::Subject.eq(subject))
        .order_by_asc(green_entry::Column::Source)
        .all(db)
        .await?)
}

/// Entries from `source` of these subjects.
pub async fn entries_among(
    db: &impl ConnectionTrait,
    source: &str,
    subjects: &[String],
) -> StoreResult<Vec<GreenEntryRow>> {
    if subjects.is_empty() {
        return Ok(Vec::new());
    }
    Ok(GreenEntry::find()
        .filter(green_entry::Column::Source.eq(source))
        .filter(green_entry::Column::Subject.is_in(subjects.iter().map(String::as_str)))
        .all(db)
        .await?)
}

/// Whether `subject` has an approved entry (rule-based or reviewed declaration).
pub async fn has_approved(db: &impl ConnectionTrait, subject: &str) -> StoreResult<bool> {
    Ok(GreenEntry::find()
        .filter(green_entry::Column::Subject.eq(subject))
        .filter(green_entry::Column::Status.eq("approved"))
        .count(db)
        .await?
        > 0)
}

/// Which of these subjects have an approved entry.
pub async fn approved_among(
    db: &impl ConnectionTrait,
    subjects: &[String],
) -> StoreResult<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for chunk in subjects.chunks(500) {
        let found: Vec<String> = GreenEntry::find()
            .select_only()
            .column(green_entry::Column::Subject)
            .filter(green_entry::Column::Status.eq("approved"))
            .filter(green_entry::Column::Subject.is_in(chunk.iter().map(String::as_str)))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(found);
    }
    Ok(out)
}

/// Writes `row` if the stored row still has status `expected`.
pub async fn update_entry_if(
    db: &impl ConnectionTrait,
    row: GreenEntryRow,
    expected: &str,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = GreenEntry::update_many()
        .set(row.into_active_model().reset_all())
        .filter(green_entry::Column::Id.eq(id))
        .filter(green_entry::Column::Status.eq(expected))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Entries, newest change first.
pub async fn list_entries(
    db: &impl ConnectionTrait,
    filter: &Filter,
) -> StoreResult<Vec<GreenEntryRow>> {
    let mut q = GreenEntry::find();
    if let Some(s) = &filter.subject {
        q = q.filter(green_entry::Column::Subject.eq(s.as_str()));
    }
    if !filter.statuses.is_empty() {
        q = q.filter(green_entry::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(s) = &filter.source {
        q = q.filter(green_entry::Column::Source.eq(s.as_str()));
    }
    if let Some(c) = &filter.category {
        q = q.filter(green_entry::Column::Category.eq(c.as_str()));
    }
    if let Some(p) = &filter.region_prefix {
        q = q.filter(green_entry::Column::Subject.in_subquery(in_region(p)));
    }
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.order_by_desc(green_entry::Column::UpdatedAt)
        .order_by_asc(green_entry::Column::Subject)
        .order_by_asc(green_entry::Column::Source)
        .all(db)
        .await?)
}

pub async fn insert_project(db: &impl ConnectionTrait, row: GreenProjectRow) -> StoreResult<()> {
    GreenProject::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get_project(
    db: &impl ConnectionTrait,
    id: &str,
) -> StoreResult<Option<GreenProjectRow>> {
    Ok(GreenProject::find_by_id(id.to_owned()).one(db).await?)
}

/// Writes `row` if the stored row still has status `expected`.
pub async fn update_project_if(
    db: &impl ConnectionTrait,
    row: GreenProjectRow,
    expected: &str,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = GreenProject::update_many()
        .set(row.into_active_model().reset_all())
        .filter(green_project::Column::Id.eq(id))
        .filter(green_project::Column::Status.eq(expected))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Projects, newest first.
pub async fn list_projects(
    db: &impl ConnectionTrait,
    filter: &Filter,
) -> StoreResult<Vec<GreenProjectRow>> {
    let mut q = GreenProject::find();
    if let Some(s) = &filter.subject {
        q = q.filter(green_project::Column::Subject.eq(s.as_str()));
    }
    if !filter.statuses.is_empty() {
        q = q.filter(green_project::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(c) = &filter.category {
        q = q.filter(green_project::Column::Category.eq(c.as_str()));
    }
    if let Some(p) = &filter.region_prefix {
        q = q.filter(green_project::Column::Subject.in_subquery(in_region(p)));
    }
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.order_by_desc(green_project::Column::CreatedAt)
        .order_by_desc(green_project::Column::Id)
        .all(db)
        .await?)
}

/// Every version of every record of `item_key` about these subjects (the platform's own
/// processing, not a shared view): the caller picks the newest per record and the latest by date.
pub async fn records_among(
    db: &impl ConnectionTrait,
    item_key: &str,
    subjects: &[String],
) -> StoreResult<Vec<record::Model>> {
    if subjects.is_empty() {
        return Ok(Vec::new());
    }
    Ok(record::Entity::find()
        .filter(record::Column::Subject.is_in(subjects.iter().map(String::as_str)))
        .filter(record::Column::ItemKey.eq(item_key))
        .order_by_asc(record::Column::Subject)
        .order_by_asc(record::Column::NaturalKeyHash)
        .order_by_asc(record::Column::Version)
        .all(db)
        .await?)
}

/// The enterprises among these USCCs, any order.
pub async fn enterprises_among(
    db: &impl ConnectionTrait,
    usccs: &[String],
) -> StoreResult<Vec<enterprise::Model>> {
    let mut out = Vec::new();
    for chunk in usccs.chunks(500) {
        out.extend(
            enterprise::Entity::find()
                .filter(enterprise::Column::Uscc.is_in(chunk.iter().map(String::as_str)))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}
