//! 政策找人 (policy matching): a government unit issues policies for its jurisdiction with
//! structured eligibility; on publishing (and on `xinrong policies match`, and on each run of
//! [`match_all`]) the platform assesses every enterprise of the policy's region and notifies
//! each new fit once. An enterprise sees, live from its facts, the published policies it fits
//! (with the checks it meets) and those it does not (with the checks it misses).
//!
//! ```text
//! draft ──publish──▶ published ──withdraw──▶ withdrawn
//!   └─ edit (issuer only)
//! ```
//!
//! Matching writes `policy_matches` rows, unique per (policy, enterprise), and the inbox
//! notices in the same transaction, in batches of [`MATCH_BATCH`] enterprises: a re-run adds only
//! new fits, so nobody is told twice. An enterprise matched before it had any login is told on
//! the first run after it has one.

use super::facts;
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::objections::{local, today};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use xinrong_core::access::jurisdiction_covers;
use xinrong_core::codes::region::{region_prefix, regions};
use xinrong_core::finance::eligibility::{Check, Eligibility, assess};
use xinrong_core::finance::policy::{PolicyKind, PolicyTerms, in_force};
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::repo::organizations;
use xinrong_store::repo::policies::{self as repo, Filter, MatchRow, PolicyRow};

/// Enterprises written (and notified) per transaction while matching.
pub const MATCH_BATCH: usize = 200;

/// Statuses, as stored.
pub mod status {
    pub const DRAFT: &str = "draft";
    pub const PUBLISHED: &str = "published";
    pub const WITHDRAWN: &str = "withdrawn";
    pub const ALL: &[&str] = &[DRAFT, PUBLISHED, WITHDRAWN];

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            DRAFT => "草稿",
            PUBLISHED => "已发布",
            WITHDRAWN => "已撤回",
            _ => "未知",
        }
    }
}

/// What the issuer writes (create and edit).
#[derive(Debug, Clone)]
pub struct PolicyInput {
    pub title: String,
    /// A [`PolicyKind`] code.
    pub kind: String,
    /// Defaults to the issuer's jurisdiction.
    pub region_code: Option<String>,
    pub eligibility: Eligibility,
    pub benefit: String,
    pub body: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// A policy as its readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub kind_label: String,
    pub issuer_org_id: String,
    pub issuer_name: String,
    pub region_code: String,
    pub region_name: String,
    pub eligibility: Eligibility,
    /// The eligibility in plain Chinese, one line per criterion ("不限" when open).
    pub criteria_zh: Vec<String>,
    pub benefit: String,
    pub body: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// Within its validity period today.
    pub in_force: bool,
    pub status: String,
    pub status_label: String,
    pub published_at: Option<DateTime<FixedOffset>>,
    pub withdrawn_at: Option<DateTime<FixedOffset>>,
    pub matched_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// What one matching run of one policy did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MatchReport {
    pub policy_id: String,
    pub title: String,
    /// Enterprises of the policy's region assessed.
    pub assessed: usize,
    /// Of them, those the eligibility admits now.
    pub eligible: usize,
    /// Matches written by this run (new fits).
    pub new_matches: usize,
    /// Enterprises whose users got a notice in this run.
    pub notified: usize,
}

/// A policy with the checks of one enterprise against it.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyFit {
    pub policy: PolicyView,
    /// Every restricting criterion, met or not.
    pub checks: Vec<Check>,
    /// When the platform matched the enterprise to the policy, if it did.
    pub matched_at: Option<DateTime<FixedOffset>>,
}

/// An enterprise's policies: those it fits and those it doesn't, with reasons.
#[derive(Debug, Clone, Serialize)]
pub struct MyPolicies {
    pub uscc: String,
    pub fits: Vec<PolicyFit>,
    pub misfits: Vec<PolicyFit>,
}

/// An enterprise a policy matched.
#[derive(Debug, Clone, Serialize)]
pub struct MatchedEnterprise {
    pub uscc: String,
    pub name: String,
    pub region_code: String,
    pub matched_at: DateTime<FixedOffset>,
    pub notified_at: Option<DateTime<FixedOffset>>,
}

/// A policy's matches as its issuer (or the operator) sees them.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyMatches {
    pub policy: PolicyView,
    pub count: usize,
    pub enterprises: Vec<MatchedEnterprise>,
}

fn invalid(e: xinrong_core::finance::policy::PolicyError) -> ServiceError {
    ServiceError::invalid(e.code, e.message)
}

async fn issuer_name(
    platform: &Platform,
    id: &str,
    cache: &mut HashMap<String, String>,
) -> ServiceResult<String> {
    if let Some(n) = cache.get(id) {
        return Ok(n.clone());
    }
    let name = organizations::get(&platform.db.conn, id)
        .await?
        .map_or_else(|| id.to_owned(), |o| o.name);
    cache.insert(id.to_owned(), name.clone());
    Ok(name)
}

fn view(row: PolicyRow, issuer_name: String, today: NaiveDate) -> PolicyView {
    let eligibility: Eligibility = serde_json::from_str(&row.eligibility).unwrap_or_default();
    let mut criteria_zh = eligibility.describe_zh();
    if criteria_zh.is_empty() {
        criteria_zh.push("不限条件".to_owned());
    }
    let kind = PolicyKind::parse(&row.kind).unwrap_or(PolicyKind::Other);
    PolicyView {
        in_force: in_force(row.valid_from, row.valid_to, today),
        kind_label: kind.label_zh().to_owned(),
        region_name: regions().full_name(&row.region_code),
        status_label: status::label_zh(&row.status).to_owned(),
        published_at: row.published_at.map(local),
        withdrawn_at: row.withdrawn_at.map(local),
        matched_at: row.matched_at.map(local),
        created_at: local(row.created_at),
        updated_at: local(row.updated_at),
        id: row.id,
        title: row.title,
        kind: row.kind,
        issuer_org_id: row.issuer_org_id,
        issuer_name,
        region_code: row.region_code,
        eligibility,
        criteria_zh,
        benefit: row.benefit,
        body: row.body,
        valid_from: row.valid_from,
        valid_to: row.valid_to,
        status: row.status,
    }
}

async fn views(platform: &Platform, rows: Vec<PolicyRow>) -> ServiceResult<Vec<PolicyView>> {
    let mut names = HashMap::new();
    let today = today(platform);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let name = issuer_name(platform, &row.issuer_org_id, &mut names).await?;
        out.push(view(row, name, today));
    }
    Ok(out)
}

async fn one_view(platform: &Platform, row: PolicyRow) -> ServiceResult<PolicyView> {
    Ok(views(platform, vec![row]).await?.remove(0))
}

/// The issuing government's jurisdiction, or a refusal for any other caller.
fn jurisdiction(p: &Principal) -> ServiceResult<&str> {
    if p.role != Role::Government {
        return Err(ServiceError::Denied {
            code: "policy.not_government",
            message: "只有政府部门可以发布政策".into(),
        });
    }
    p.region_code
        .as_deref()
        .filter(|r| !r.is_empty())
        .ok_or(ServiceError::Denied {
            code: "policy.outside_jurisdiction",
            message: "本单位未设置辖区，不能发布政策".into(),
        })
}

fn terms(p: &Principal, input: PolicyInput) -> ServiceResult<PolicyTerms> {
    let j = jurisdiction(p)?;
    let kind = PolicyKind::parse(&input.kind).map_err(invalid)?;
    PolicyTerms {
        title: input.title,
        kind,
        region_code: input
            .region_code
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| j.to_owned()),
        eligibility: input.eligibility,
        benefit: input.benefit,
        body: input.body,
        valid_from: input.valid_from,
        valid_to: input.valid_to,
    }
    .validate(j)
    .map_err(invalid)
}

/// Whether `p` may read `row`: published ones everyone logged in; drafts the issuer; withdrawn
/// ones the issuer and the operator.
fn visible(p: &Principal, row: &PolicyRow) -> bool {
    let issuer = p.org_id == row.issuer_org_id;
    match row.status.as_str() {
        status::PUBLISHED => true,
        status::DRAFT => issuer,
        _ => issuer || p.role == Role::Operator,
    }
}

async fn load_visible(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<PolicyRow> {
    repo::get(&platform.db.conn, id.trim())
        .await?
        .filter(|row| visible(p, row))
        .ok_or(ServiceError::NotFound("政策"))
}

/// The policy `id` if `p`'s organisation issued it (others: not found, even when published).
async fn load_own(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<PolicyRow> {
    let row = load_visible(platform, p, id).await?;
    if row.issuer_org_id != p.org_id {
        return Err(ServiceError::NotFound("政策"));
    }
    Ok(row)
}

fn wrong_state(row: &PolicyRow, action: &str) -> ServiceError {
    ServiceError::invalid(
        "policy.state",
        format!(
            "政策当前状态为“{}”，不能{action}",
            status::label_zh(&row.status)
        ),
    )
}

fn changed_elsewhere() -> ServiceError {
    ServiceError::invalid("policy.state", "政策状态已被其他操作改变，请刷新后重试")
}

fn apply(row: &mut PolicyRow, t: &PolicyTerms) {
    row.title = t.title.clone();
    row.kind = t.kind.code().to_owned();
    row.region_code = t.region_code.clone();
    row.eligibility = serde_json::to_string(&t.eligibility).expect("JSON");
    row.benefit = t.benefit.clone();
    row.body = t.body.clone();
    row.valid_from = t.valid_from;
    row.valid_to = t.valid_to;
}

/// A government unit drafts a policy for its jurisdiction.
pub async fn create(
    platform: &Platform,
    p: &Principal,
    input: PolicyInput,
) -> ServiceResult<PolicyView> {
    let t = terms(p, input)?;
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let mut row = PolicyRow {
        id: ids::new_id().to_string(),
        title: String::new(),
        kind: String::new(),
        issuer_org_id: p.org_id.clone(),
        region_code: String::new(),
        eligibility: String::new(),
        benefit: String::new(),
        body: String::new(),
        valid_from: t.valid_from,
        valid_to: None,
        status: status::DRAFT.to_owned(),
        created_by_user_id: p.user_id.clone(),
        published_at: None,
        withdrawn_at: None,
        matched_at: None,
        created_at: now,
        updated_at: now,
    };
    apply(&mut row, &t);
    let txn = platform.db.begin().await?;
    repo::insert(&txn, row.clone()).await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "policy.created",
            ref_id: &row.id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "title": row.title, "kind": row.kind, "region_code": row.region_code }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    one_view(platform, row).await
}

/// The issuer edits a draft.
pub async fn update(
    platform: &Platform,
    p: &Principal,
    id: &str,
    input: PolicyInput,
) -> ServiceResult<PolicyView> {
    let mut row = load_own(platform, p, id).await?;
    if row.status != status::DRAFT {
        return Err(wrong_state(&row, "修改"));
    }
    let t = terms(p, input)?;
    apply(&mut row, &t);
    row.updated_at = crate::ledger::whole_seconds(platform.clock.now_naive());
    let txn = platform.db.begin().await?;
    if !repo::update_if(&txn, row.clone(), status::DRAFT).await? {
        return Err(changed_elsewhere());
    }
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "policy.updated",
            ref_id: &row.id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "title": row.title, "region_code": row.region_code }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    one_view(platform, row).await
}

/// The issuer publishes a draft; the platform then matches it at once.
pub async fn publish(
    platform: &Platform,
    p: &Principal,
    id: &str,
) -> ServiceResult<(PolicyView, MatchReport)> {
    let mut row = load_own(platform, p, id).await?;
    if row.status != status::DRAFT {
        return Err(wrong_state(&row, "发布"));
    }
    // The jurisdiction is checked again: the unit's may have changed since the draft.
    let j = jurisdiction(p)?;
    let eligibility: Eligibility = serde_json::from_str(&row.eligibility).unwrap_or_default();
    PolicyTerms {
        title: row.title.clone(),
        kind: PolicyKind::parse(&row.kind).map_err(invalid)?,
        region_code: row.region_code.clone(),
        eligibility,
        benefit: row.benefit.clone(),
        body: row.body.clone(),
        valid_from: row.valid_from,
        valid_to: row.valid_to,
    }
    .validate(j)
    .map_err(invalid)?;
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    row.status = status::PUBLISHED.to_owned();
    row.published_at = Some(now);
    row.updated_at = now;
    let txn = platform.db.begin().await?;
    if !repo::update_if(&txn, row.clone(), status::DRAFT).await? {
        return Err(changed_elsewhere());
    }
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Operators,
            kind: "policy.published",
            title: format!("政策已发布：{}", row.title),
            body: format!(
                "{}发布了政策“{}”，平台将据此匹配企业。",
                p.org_name, row.title
            ),
            link: Some(format!("/policies/{}", row.id)),
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "policy.published",
            ref_id: &row.id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "title": row.title }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    let report = match_policy(platform, &row.id).await?;
    let row = repo::get(&platform.db.conn, &row.id).await?.unwrap_or(row);
    Ok((one_view(platform, row).await?, report))
}

/// The issuer withdraws a published policy: no more matching; enterprises no longer see it.
pub async fn withdraw(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<PolicyView> {
    let mut row = load_own(platform, p, id).await?;
    if row.status != status::PUBLISHED {
        return Err(wrong_state(&row, "撤回"));
    }
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    row.status = status::WITHDRAWN.to_owned();
    row.withdrawn_at = Some(now);
    row.updated_at = now;
    let txn = platform.db.begin().await?;
    if !repo::update_if(&txn, row.clone(), status::PUBLISHED).await? {
        return Err(changed_elsewhere());
    }
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Operators,
            kind: "policy.withdrawn",
            title: format!("政策已撤回：{}", row.title),
            body: format!("{}撤回了政策“{}”。", p.org_name, row.title),
            link: Some(format!("/policies/{}", row.id)),
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "policy.withdrawn",
            ref_id: &row.id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "title": row.title }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    one_view(platform, row).await
}

/// One policy `p` may read.
pub async fn get(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<PolicyView> {
    let row = load_visible(platform, p, id).await?;
    one_view(platform, row).await
}

/// Policies `p` may read, newest first: the published ones, plus (government) its own drafts
/// and withdrawn ones, (operator) the withdrawn ones. `status` filters.
pub async fn list(
    platform: &Platform,
    p: &Principal,
    status_filter: Option<&str>,
) -> ServiceResult<Vec<PolicyView>> {
    if let Some(s) = status_filter
        && !status::ALL.contains(&s)
    {
        return Err(ServiceError::invalid(
            "policy.status",
            format!("未知的政策状态：{s}（{}）", status::ALL.join("、")),
        ));
    }
    let rows = repo::list(
        &platform.db.conn,
        &Filter {
            statuses: status_filter
                .map(|s| vec![s.to_owned()])
                .unwrap_or_default(),
            issuer_org_id: None,
        },
    )
    .await?;
    let rows = rows.into_iter().filter(|r| visible(p, r)).collect();
    views(platform, rows).await
}

/// Every policy (the CLI acts as the platform).
pub async fn list_all(platform: &Platform) -> ServiceResult<Vec<PolicyView>> {
    let rows = repo::list(&platform.db.conn, &Filter::default()).await?;
    views(platform, rows).await
}

/// Matches one published policy in force against every enterprise of its region; writes the
/// new fits and notifies them, [`MATCH_BATCH`] per transaction. Idempotent.
pub async fn match_policy(platform: &Platform, id: &str) -> ServiceResult<MatchReport> {
    let conn = &platform.db.conn;
    let row = repo::get(conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("政策"))?;
    let mut report = MatchReport {
        policy_id: row.id.clone(),
        title: row.title.clone(),
        ..MatchReport::default()
    };
    let today = today(platform);
    if row.status != status::PUBLISHED || !in_force(row.valid_from, row.valid_to, today) {
        return Ok(report);
    }
    let eligibility: Eligibility = serde_json::from_str(&row.eligibility).unwrap_or_default();
    let prefix = region_prefix(&row.region_code);
    let all = facts::gather_all(conn, Some(&prefix)).await?;
    report.assessed = all.len();
    let eligible: Vec<String> = all
        .into_iter()
        .filter(|(_, f)| assess(&eligibility, f, today).eligible())
        .map(|(uscc, _)| uscc)
        .collect();
    report.eligible = eligible.len();
    let known = repo::matched_subjects(conn, &row.id).await?;
    let fresh: Vec<String> = eligible
        .into_iter()
        .filter(|u| !known.contains(u))
        .collect();
    let link = format!("/policies/{}", row.id);
    let notice = |uscc: &str| Notice {
        recipient: Recipient::Subject(uscc.to_owned()),
        kind: "policy.matched",
        title: format!("为您匹配到政策：{}", row.title),
        body: format!(
            "根据贵企业的信用评价和画像，符合政策“{}”的条件：{}",
            row.title, row.benefit
        ),
        link: Some(link.clone()),
    };
    for chunk in fresh.chunks(MATCH_BATCH) {
        let now = platform.clock.now_naive();
        let txn = platform.db.begin().await?;
        let mut rows = Vec::with_capacity(chunk.len());
        for uscc in chunk {
            let told = notifications::notify(&txn, platform, notice(uscc)).await?;
            if told > 0 {
                report.notified += 1;
            }
            rows.push(MatchRow {
                id: ids::new_id().to_string(),
                policy_id: row.id.clone(),
                subject: uscc.clone(),
                matched_at: now,
                notified_at: (told > 0).then_some(now),
            });
        }
        repo::insert_matches(&txn, rows).await?;
        txn.commit()
            .await
            .map_err(xinrong_store::StoreError::from)?;
        report.new_matches += chunk.len();
    }
    // Matched before the enterprise had a login: tell it now, once.
    let waiting = repo::unnotified_with_org(conn, &row.id).await?;
    for chunk in waiting.chunks(MATCH_BATCH) {
        let now = platform.clock.now_naive();
        let txn = platform.db.begin().await?;
        for uscc in chunk {
            if notifications::notify(&txn, platform, notice(uscc)).await? > 0 {
                repo::mark_notified(&txn, &row.id, uscc, now).await?;
                report.notified += 1;
            }
        }
        txn.commit()
            .await
            .map_err(xinrong_store::StoreError::from)?;
    }
    let txn = platform.db.begin().await?;
    repo::set_matched_at(
        &txn,
        &row.id,
        crate::ledger::whole_seconds(platform.clock.now_naive()),
    )
    .await?;
    if report.new_matches > 0 || report.notified > 0 {
        trail::append(
            &txn,
            platform,
            TrailEntry {
                kind: "policy.matched",
                ref_id: &row.id,
                subject: None,
                actor_user_id: None,
                actor_org_id: None,
                body: serde_json::json!({
                    "assessed": report.assessed,
                    "eligible": report.eligible,
                    "new_matches": report.new_matches,
                    "notified": report.notified,
                }),
            },
        )
        .await?;
    }
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(report)
}

/// Matches every published policy in force (`xinrong policies match`, and the server
/// periodically).
pub async fn match_all(platform: &Platform) -> ServiceResult<Vec<MatchReport>> {
    let rows = repo::list(
        &platform.db.conn,
        &Filter {
            statuses: vec![status::PUBLISHED.to_owned()],
            issuer_org_id: None,
        },
    )
    .await?;
    let mut out = Vec::new();
    for row in rows {
        out.push(match_policy(platform, &row.id).await?);
    }
    Ok(out)
}

/// The enterprises a policy matched: its issuer and the operator see them all, a government
/// unit whose jurisdiction covers the policy's region those in its jurisdiction; anyone else
/// is told the policy does not exist.
pub async fn matches(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<PolicyMatches> {
    let row = load_visible(platform, p, id).await?;
    let scope: Option<String> = match p.role {
        Role::Operator => None,
        Role::Government if row.issuer_org_id == p.org_id => None,
        Role::Government => {
            let j = p.region_code.as_deref().unwrap_or_default();
            if !jurisdiction_covers(j, &row.region_code) {
                return Err(ServiceError::NotFound("政策"));
            }
            Some(region_prefix(j))
        }
        _ => return Err(ServiceError::NotFound("政策")),
    };
    let conn = &platform.db.conn;
    let rows = repo::matches_of(conn, &row.id).await?;
    let subjects: Vec<String> = rows.iter().map(|m| m.subject.clone()).collect();
    let firms: HashMap<String, _> = xinrong_store::repo::green::enterprises_among(conn, &subjects)
        .await?
        .into_iter()
        .map(|e| (e.uscc.clone(), e))
        .collect();
    let enterprises: Vec<MatchedEnterprise> = rows
        .into_iter()
        .filter_map(|m| {
            let e = firms.get(&m.subject)?;
            if let Some(prefix) = &scope
                && !e.region_code.starts_with(prefix.as_str())
            {
                return None;
            }
            Some(MatchedEnterprise {
                uscc: m.subject,
                name: e.name.clone(),
                region_code: e.region_code.clone(),
                matched_at: local(m.matched_at),
                notified_at: m.notified_at.map(local),
            })
        })
        .collect();
    Ok(PolicyMatches {
        policy: one_view(platform, row).await?,
        count: enterprises.len(),
        enterprises,
    })
}

/// The matched count of each of these policies (for the issuer's list).
pub async fn match_counts(
    platform: &Platform,
    ids: &[String],
) -> ServiceResult<HashMap<String, u64>> {
    let mut out = HashMap::new();
    for id in ids {
        out.insert(
            id.clone(),
            repo::count_matches(&platform.db.conn, id).await?,
        );
    }
    Ok(out)
}

/// The enterprise's published policies in force for its region, split into those it fits
/// (with the checks it meets) and those it doesn't (with every check, the unmet ones first),
/// computed live from its facts.
pub async fn for_enterprise(platform: &Platform, p: &Principal) -> ServiceResult<MyPolicies> {
    if p.role != Role::Enterprise {
        return Err(ServiceError::Forbidden);
    }
    let uscc = p.org_uscc.clone().ok_or(ServiceError::Forbidden)?;
    let conn = &platform.db.conn;
    let facts = facts::gather(conn, &uscc)
        .await?
        .ok_or(ServiceError::NotFound("企业"))?;
    let region = facts.region_code.clone().unwrap_or_default();
    let today = today(platform);
    let rows = repo::list(
        conn,
        &Filter {
            statuses: vec![status::PUBLISHED.to_owned()],
            issuer_org_id: None,
        },
    )
    .await?;
    let rows: Vec<PolicyRow> = rows
        .into_iter()
        .filter(|r| {
            in_force(r.valid_from, r.valid_to, today)
                && region.starts_with(&region_prefix(&r.region_code))
        })
        .collect();
    let matched: HashMap<String, MatchRow> = repo::matches_of_subject(conn, &uscc)
        .await?
        .into_iter()
        .map(|m| (m.policy_id.clone(), m))
        .collect();
    let mut fits = Vec::new();
    let mut misfits = Vec::new();
    for policy in views(platform, rows).await? {
        let a = assess(&policy.eligibility, &facts, today);
        let eligible = a.eligible();
        let mut checks = a.checks;
        checks.sort_by_key(|c| c.met);
        let fit = PolicyFit {
            matched_at: matched.get(&policy.id).map(|m| local(m.matched_at)),
            policy,
            checks,
        };
        if eligible {
            fits.push(fit);
        } else {
            misfits.push(fit);
        }
    }
    Ok(MyPolicies {
        uscc,
        fits,
        misfits,
    })
}
