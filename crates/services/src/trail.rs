//! 留痕 (trail): every step of a subject-rights workflow — an authorization granted or revoked,
//! an objection filed or answered, a repair decided — and every access decision that showed
//! subject data is written here inside the step's own transaction, and each entry is a leaf of
//! the tamper-evident ledger (the head is signed at once). A timeline is the entries of one
//! workflow object; the access log (查询记录) is the entries of kind `access.*`.

use crate::error::ServiceResult;
use crate::ledger::{frontier_for_append, sign_frontier, whole_seconds};
use crate::platform::Platform;
use chrono::NaiveDateTime;
use serde::Serialize;
use xinrong_core::ids;
use xinrong_ledger::{Hash, leaf_hash, sm3};
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::{ledger, trail};

pub use trail::{TrailQuery, TrailRow};

/// One entry to append.
#[derive(Debug, Clone)]
pub struct TrailEntry<'a> {
    /// `<resource>.<event>`, stable: `authorization.granted`, `objection.filed`, `access.view` …
    pub kind: &'a str,
    /// The workflow object the entry belongs to.
    pub ref_id: &'a str,
    pub subject: Option<&'a str>,
    pub actor_user_id: Option<&'a str>,
    pub actor_org_id: Option<&'a str>,
    /// What happened. Never secrets; for access entries, never the data shown.
    pub body: serde_json::Value,
}

/// Where an appended entry landed.
#[derive(Debug, Clone, Serialize)]
pub struct Appended {
    pub id: String,
    pub leaf_index: i64,
    pub created_at: NaiveDateTime,
}

/// The leaf an entry commits to: every column, the body through its SM3 digest.
pub fn trail_leaf(row: &TrailRow) -> Hash {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let text = format!(
        "trail\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        row.id,
        row.kind,
        row.ref_id,
        opt(&row.subject),
        opt(&row.actor_user_id),
        opt(&row.actor_org_id),
        sm3(&[row.body.as_bytes()]).to_hex(),
        row.leaf_index,
        whole_seconds(row.created_at).format("%Y-%m-%dT%H:%M:%SZ"),
    );
    leaf_hash(text.as_bytes())
}

/// Appends `entry` inside the caller's transaction: the row, its ledger leaf and a newly signed
/// tree head. Takes the ledger's writer lock, so do the step's reads first.
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    entry: TrailEntry<'_>,
) -> ServiceResult<Appended> {
    ledger::lock_for_append(conn).await?;
    let mut frontier = frontier_for_append(conn).await?;
    let now = platform.clock.now_naive();
    let at = whole_seconds(now);
    let row = TrailRow {
        id: ids::new_id().to_string(),
        kind: entry.kind.to_owned(),
        ref_id: entry.ref_id.to_owned(),
        subject: entry.subject.map(str::to_owned),
        actor_user_id: entry.actor_user_id.map(str::to_owned),
        actor_org_id: entry.actor_org_id.map(str::to_owned),
        body: entry.body.to_string(),
        created_at: at,
        leaf_index: frontier.size() as i64,
    };
    let hash = trail_leaf(&row);
    trail::insert(conn, row.clone()).await?;
    ledger::append(
        conn,
        row.leaf_index,
        &[(hash.to_hex(), "trail", row.id.clone())],
        at,
    )
    .await?;
    frontier.push(hash);
    sign_frontier(platform, conn, &frontier, now).await?;
    Ok(Appended {
        id: row.id,
        leaf_index: row.leaf_index,
        created_at: at,
    })
}

/// The timeline of one workflow object, oldest first.
pub async fn for_ref(conn: &impl ConnectionTrait, ref_id: &str) -> ServiceResult<Vec<TrailRow>> {
    Ok(trail::for_ref(conn, ref_id).await?)
}

/// A page of entries matching `query`, newest first, and the number of all matches.
pub async fn search(
    conn: &impl ConnectionTrait,
    query: &TrailQuery,
    offset: u64,
    limit: u64,
) -> ServiceResult<(Vec<TrailRow>, u64)> {
    Ok(trail::search(conn, query, offset, limit).await?)
}
