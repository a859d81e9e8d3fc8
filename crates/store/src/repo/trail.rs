//! 留痕 entries: appended by services inside their transactions, read as timelines and as the
//! access log.

use crate::entity::trail_entry::{self, Entity as TrailEntry};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

pub use trail_entry::Model as TrailRow;

pub async fn insert(db: &impl ConnectionTrait, row: TrailRow) -> StoreResult<()> {
    TrailEntry::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Every entry of one workflow object, oldest first.
pub async fn for_ref(db: &impl ConnectionTrait, ref_id: &str) -> StoreResult<Vec<TrailRow>> {
    Ok(TrailEntry::find()
        .filter(trail_entry::Column::RefId.eq(ref_id))
        .order_by_asc(trail_entry::Column::LeafIndex)
        .all(db)
        .await?)
}

/// What to search the trail for; every part optional.
#[derive(Debug, Clone, Default)]
pub struct TrailQuery {
    pub subject: Option<String>,
    pub actor_org_id: Option<String>,
    /// `access` matches `access.view`, `access.export` …
    pub kind_prefix: Option<String>,
    pub ref_id: Option<String>,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

fn filtered(q: &TrailQuery) -> Select<TrailEntry> {
    let mut s = TrailEntry::find();
    if let Some(v) = &q.subject {
        s = s.filter(trail_entry::Column::Subject.eq(v.as_str()));
    }
    if let Some(v) = &q.actor_org_id {
        s = s.filter(trail_entry::Column::ActorOrgId.eq(v.as_str()));
    }
    if let Some(v) = &q.kind_prefix {
        s = s.filter(
            sea_orm::Condition::any()
                .add(trail_entry::Column::Kind.eq(v.as_str()))
                .add(trail_entry::Column::Kind.starts_with(format!("{v}."))),
        );
    }
    if let Some(v) = &q.ref_id {
        s = s.filter(trail_entry::Column::RefId.eq(v.as_str()));
    }
    if let Some(v) = q.since {
        s = s.filter(trail_entry::Column::CreatedAt.gte(v));
    }
    if let Some(v) = q.until {
        s = s.filter(trail_entry::Column::CreatedAt.lt(v));
    }
    s
}

/// A page of matching entries, newest first, and the number of all matches.
pub async fn search(
    db: &impl ConnectionTrait,
    q: &TrailQuery,
    offset: u64,
    limit: u64,
) -> StoreResult<(Vec<TrailRow>, u64)> {
    let total = filtered(q).count(db).await?;
    let rows = filtered(q)
        .order_by_desc(trail_entry::Column::LeafIndex)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Entries whose ledger leaf lies in `[from, to)`, in leaf order: verification reads the trail a
/// page at a time beside the leaves.
pub async fn by_leaf_range(
    db: &impl ConnectionTrait,
    from: i64,
    to: i64,
) -> StoreResult<Vec<TrailRow>> {
    Ok(TrailEntry::find()
        .filter(trail_entry::Column::LeafIndex.gte(from))
        .filter(trail_entry::Column::LeafIndex.lt(to))
        .order_by_asc(trail_entry::Column::LeafIndex)
        .all(db)
        .await?)
}

/// How many entries there are.
pub async fn count(db: &impl ConnectionTrait) -> StoreResult<u64> {
    Ok(TrailEntry::find().count(db).await?)
}
