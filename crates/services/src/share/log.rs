//! 查询记录 (the access log): every view that disclosed subject data is a trail entry of kind
//! `access.view` — who (user, organisation), about whom, which items, for what purpose, under
//! which authorization, through which door, when — and therefore a ledger leaf. The subject
//! reads its own log free of charge; the operator searches all of it.

use super::SubjectView;
use crate::access::Reader;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry, TrailQuery};
use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::repo::data_reads::{self, DataReadRow};
use xinrong_store::repo::organizations;

/// Kind of the trail entries of reads.
pub const KIND: &str = "access.view";

/// What a read entry's body holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    reader_role: String,
    channel: String,
    purpose: Option<String>,
    purpose_text: Option<String>,
    authorization_ids: Vec<String>,
    items: Vec<String>,
    records: usize,
}

/// Writes the access-log entry of `view`, counts each authorization used, and feeds usage back
/// to the providers whose data was shown — one transaction. Returns the entry id.
pub(super) async fn record(
    platform: &Platform,
    reader: &Reader,
    view: &SubjectView,
    channel: &'static str,
    shown_reads: &HashSet<(String, String)>,
) -> ServiceResult<String> {
    let txn = platform.db.conn.begin().await.map_err(store)?;
    let id = record_in(&txn, platform, reader, view, channel, shown_reads).await?;
    txn.commit().await.map_err(store)?;
    Ok(id)
}

/// [`record`] inside the caller's transaction.
pub(super) async fn record_in<C: sea_orm::ConnectionTrait>(
    txn: &C,
    platform: &Platform,
    reader: &Reader,
    view: &SubjectView,
    channel: &'static str,
    shown_reads: &HashSet<(String, String)>,
) -> ServiceResult<String> {
    let now = platform.clock.now_naive();
    let items: Vec<String> = view
        .items
        .iter()
        .filter(|i| i.records.iter().any(|r| !r.fields.is_empty()))
        .map(|i| i.item_key.clone())
        .collect();
    let body = Body {
        reader_role: reader.role.code().to_owned(),
        channel: channel.to_owned(),
        purpose: view.purpose.clone(),
        purpose_text: view.purpose_text.clone(),
        authorization_ids: view.authorization_ids.clone(),
        records: view.items.iter().map(|i| i.records.len()).sum(),
        items,
    };
    for id in &view.authorization_ids {
        crate::authorizations::record_use(txn, id, now).await?;
    }
    if reader.role == Role::Institution {
        let mut reads: Vec<&(String, String)> = shown_reads.iter().collect();
        reads.sort();
        let rows = reads
            .into_iter()
            .map(|(provider, item)| DataReadRow {
                id: ids::new_id().to_string(),
                provider_org_id: provider.clone(),
                item_key: item.clone(),
                subject: view.subject.clone(),
                reader_org_id: reader.org_id.clone(),
                reader_kind: reader.kind_code().to_owned(),
                channel: "record".to_owned(),
                created_at: now,
            })
            .collect();
        data_reads::insert_many(txn, rows).await?;
    }
    let appended = trail::append(
        txn,
        platform,
        TrailEntry {
            kind: KIND,
            ref_id: &view.subject,
            subject: Some(&view.subject),
            actor_user_id: reader.user_id.as_deref(),
            actor_org_id: Some(&reader.org_id),
            body: serde_json::to_value(&body).expect("a plain struct serialises"),
        },
    )
    .await?;
    Ok(appended.id)
}

/// Writes the access-log entry of a read of stored versions (`xinrong records show`).
pub(super) async fn record_versions(
    platform: &Platform,
    reader: &Reader,
    subject: &str,
    items: &[String],
    records: usize,
) -> ServiceResult<String> {
    let body = Body {
        reader_role: reader.role.code().to_owned(),
        channel: "cli".to_owned(),
        purpose: None,
        purpose_text: None,
        authorization_ids: Vec::new(),
        items: items.to_vec(),
        records,
    };
    append_alone(platform, reader, subject, body, None).await
}

/// Appends one access entry in a transaction of its own, counting the use of the authorization
/// it relied on in the same transaction.
async fn append_alone(
    platform: &Platform,
    reader: &Reader,
    subject: &str,
    body: Body,
    authorization_id: Option<&str>,
) -> ServiceResult<String> {
    let txn = platform.db.conn.begin().await.map_err(store)?;
    if let Some(id) = authorization_id {
        crate::authorizations::record_use(&txn, id, platform.clock.now_naive()).await?;
    }
    let appended = trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: KIND,
            ref_id: subject,
            subject: Some(subject),
            actor_user_id: reader.user_id.as_deref(),
            actor_org_id: Some(&reader.org_id),
            body: serde_json::to_value(&body).expect("a plain struct serialises"),
        },
    )
    .await?;
    txn.commit().await.map_err(store)?;
    Ok(appended.id)
}

/// Writes the access-log entry of a live read of one item (pull collection, 接口调用); the
/// usage feedback of a pull read is written by the pull path itself.
pub async fn record_item_read(
    platform: &Platform,
    reader: &Reader,
    subject: &str,
    item_key: &str,
    purpose: Option<&str>,
    authorization_id: Option<&str>,
    channel: &'static str,
) -> ServiceResult<String> {
    let body = Body {
        reader_role: reader.role.code().to_owned(),
        channel: channel.to_owned(),
        purpose: purpose.map(str::to_owned),
        purpose_text: None,
        authorization_ids: authorization_id.map(str::to_owned).into_iter().collect(),
        items: vec![item_key.to_owned()],
        records: 1,
    };
    append_alone(platform, reader, subject, body, authorization_id).await
}

fn store(e: sea_orm::DbErr) -> ServiceError {
    ServiceError::Store(e.into())
}

/// One line of the access log as people read it.
#[derive(Debug, Clone, Serialize)]
pub struct AccessEntry {
    pub id: String,
    pub at: DateTime<Utc>,
    pub subject: String,
    pub reader_org_id: String,
    pub reader_org_name: String,
    pub reader_role: String,
    pub reader_user_id: Option<String>,
    pub channel: String,
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
    pub authorization_ids: Vec<String>,
    pub items: Vec<String>,
    pub records: usize,
    /// The ledger leaf of the entry.
    pub leaf_index: i64,
}

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct AccessQuery {
    pub subject: Option<String>,
    pub reader_org_id: Option<String>,
    pub since: Option<chrono::NaiveDateTime>,
    pub until: Option<chrono::NaiveDateTime>,
    pub offset: u64,
    pub limit: u64,
}

/// The access log as `asker` may see it: an enterprise its own subject's entries, the operator
/// everything; others nothing. Newest first, with the number of all matches.
pub async fn access_log(
    platform: &Platform,
    asker: &Reader,
    query: AccessQuery,
) -> ServiceResult<(Vec<AccessEntry>, u64)> {
    let subject = match asker.role {
        Role::Operator => query.subject.clone().map(|s| s.trim().to_uppercase()),
        Role::Enterprise => {
            let own = asker.org_uscc.clone().ok_or(ServiceError::Forbidden)?;
            if query
                .subject
                .as_deref()
                .is_some_and(|s| s.trim().to_uppercase() != own)
            {
                return Err(ServiceError::Denied {
                    code: "access.not_own_subject",
                    message: "企业只能查看本企业的查询记录".into(),
                });
            }
            Some(own)
        }
        _ => return Err(ServiceError::Forbidden),
    };
    let q = TrailQuery {
        subject,
        actor_org_id: query.reader_org_id.clone(),
        kind_prefix: Some("access".into()),
        since: query.since,
        until: query.until,
        ..TrailQuery::default()
    };
    let limit = query.limit.clamp(1, 500);
    let (rows, total) = trail::search(&platform.db.conn, &q, query.offset, limit).await?;
    let names: HashMap<String, String> = organizations::list(&platform.db.conn, None)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let entries = rows
        .into_iter()
        .map(|row| {
            let body: Body = serde_json::from_str(&row.body).unwrap_or(Body {
                reader_role: String::new(),
                channel: String::new(),
                purpose: None,
                purpose_text: None,
                authorization_ids: Vec::new(),
                items: Vec::new(),
                records: 0,
            });
            let org = row.actor_org_id.clone().unwrap_or_default();
            AccessEntry {
                id: row.id,
                at: row.created_at.and_utc(),
                subject: row.subject.unwrap_or_default(),
                reader_org_name: names.get(&org).cloned().unwrap_or_default(),
                reader_org_id: org,
                reader_role: body.reader_role,
                reader_user_id: row.actor_user_id,
                channel: body.channel,
                purpose: body.purpose,
                purpose_text: body.purpose_text,
                authorization_ids: body.authorization_ids,
                items: body.items,
                records: body.records,
                leaf_index: row.leaf_index,
            }
        })
        .collect();
    Ok((entries, total))
}
