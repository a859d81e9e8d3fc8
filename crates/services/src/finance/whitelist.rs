//! 白名单 (white list): enterprises apply; government units recommend within their
//! jurisdiction; the operator approves, rejects (with a reason) or later removes (with a
//! reason); institutions see the list and its changes (a feed since a time).
//!
//! The statuses and their order are `xinrong_core::finance::whitelist`. Each step is one
//! transaction: the entry changes only if it is still in the status the step starts from
//! (else `whitelist.state`, nothing changed), a change row is written (the feed), a trail
//! entry appended (ref_id = entry id) and the enterprise notified of decisions.
//!
//! Who sees what: the enterprise its own entries; a government unit the entries of enterprises
//! in its jurisdiction; an institution the listed (approved) entries and the list's changes
//! (listings and removals); the operator everything.

pub use xinrong_core::finance::whitelist::{Action, ChangeView, EntryStatus, EntryView};

use crate::error::{ServiceError, ServiceResult};
use crate::finance::loans::Names;
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::objections::{MAX_TEXT_CHARS, Step, local};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::NaiveDateTime;
use serde::Serialize;
use xinrong_core::access::jurisdiction_covers;
use xinrong_core::codes::region::region_prefix;
use xinrong_core::finance::whitelist::next;
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::repo::whitelist::{self as repo, ChangeRow, EntryRow, Filter};
use xinrong_store::repo::{enterprises, organizations};
use xinrong_store::{ConnectionTrait, StoreError};

/// Whether `uscc` is on the white list now.
pub async fn is_listed<C: ConnectionTrait>(conn: &C, uscc: &str) -> ServiceResult<bool> {
    Ok(repo::is_approved(conn, uscc.trim()).await?)
}

/// Which of `usccs` are on the white list now (one query per 500), for judging many at once.
pub async fn listed_among<C: ConnectionTrait>(
    conn: &C,
    usccs: &[String],
) -> ServiceResult<std::collections::HashSet<String>> {
    Ok(repo::approved_among(conn, usccs).await?)
}

/// Changes institutions follow: listings and removals.
const LIST_CHANGES: [&str; 2] = ["approve", "remove"];

/// An entry with its timeline.
#[derive(Debug, Clone, Serialize)]
pub struct EntryDetail {
    pub entry: EntryView,
    pub timeline: Vec<Step>,
}

/// List filters; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct WhitelistQuery {
    pub subject: Option<String>,
    pub status: Option<String>,
}

async fn view(
    conn: &impl ConnectionTrait,
    names: &mut Names,
    row: EntryRow,
) -> ServiceResult<EntryView> {
    let subject_name = names.subject(conn, &row.subject).await?;
    let recommended_by_name = match &row.recommended_by_org_id {
        Some(o) => Some(names.org(conn, o).await?),
        None => None,
    };
    Ok(EntryView {
        subject_name,
        recommended_by_name,
        status_label: EntryStatus::parse(&row.status)
            .map_or("未知", EntryStatus::label_zh)
            .to_owned(),
        applied_at: local(row.applied_at),
        recommended_at: row.recommended_at.map(local),
        decided_at: row.decided_at.map(local),
        removed_at: row.removed_at.map(local),
        updated_at: local(row.updated_at),
        id: row.id,
        subject: row.subject,
        region_code: row.region_code,
        status: row.status,
        apply_reason: row.apply_reason,
        recommended_by_org_id: row.recommended_by_org_id,
        recommend_note: row.recommend_note,
        decision_reason: row.decision_reason,
    })
}

async fn change_view(
    conn: &impl ConnectionTrait,
    names: &mut Names,
    row: ChangeRow,
) -> ServiceResult<ChangeView> {
    Ok(ChangeView {
        subject_name: names.subject(conn, &row.subject).await?,
        action_label: Action::parse(&row.action)
            .map_or("其他", Action::label_zh)
            .to_owned(),
        at: local(row.at),
        id: row.id,
        entry_id: row.entry_id,
        subject: row.subject,
        action: row.action,
        status: row.status,
        reason: row.reason,
    })
}

fn in_jurisdiction(p: &Principal, region: &str) -> bool {
    p.region_code
        .as_deref()
        .is_some_and(|j| jurisdiction_covers(j, region))
}

fn visible(p: &Principal, row: &EntryRow) -> bool {
    match p.role {
        Role::Operator => true,
        Role::Enterprise => p.org_uscc.as_deref() == Some(row.subject.as_str()),
        Role::Government => in_jurisdiction(p, &row.region_code),
        Role::Institution => row.status == EntryStatus::Approved.code(),
        Role::Provider => false,
    }
}

fn text(t: &str, code: &'static str, what: &str) -> ServiceResult<String> {
    let t = t.trim();
    if t.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceError::invalid(
            code,
            format!("{what}不超过 {MAX_TEXT_CHARS} 个字"),
        ));
    }
    Ok(t.to_owned())
}

fn refused(e: xinrong_core::finance::whitelist::WhitelistError) -> ServiceError {
    ServiceError::invalid(e.code, e.message)
}

/// Writes a step: the entry (if still in `from`, or new), its change row, the trail entry and
/// the notices — one transaction.
async fn commit(
    platform: &Platform,
    p: &Principal,
    row: EntryRow,
    from: Option<&str>,
    action: Action,
    reason: Option<String>,
    notices: Vec<Notice>,
) -> ServiceResult<EntryView> {
    let txn = platform.db.begin().await?;
    match from {
        None => match repo::insert(&txn, row.clone()).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                return Err(ServiceError::invalid(
                    "whitelist.already_open",
                    "已有白名单申请或已列入，不能重复申请",
                ));
            }
            Err(e) => return Err(e.into()),
        },
        Some(from) => {
            if !repo::update_if(&txn, row.clone(), from).await? {
                return Err(ServiceError::invalid(
                    "whitelist.state",
                    "白名单申请已被其他操作改变，请刷新后重试",
                ));
            }
        }
    }
    repo::insert_change(
        &txn,
        ChangeRow {
            id: ids::new_id().to_string(),
            entry_id: row.id.clone(),
            subject: row.subject.clone(),
            region_code: row.region_code.clone(),
            action: action.code().to_owned(),
            status: row.status.clone(),
            reason: reason.clone().filter(|r| !r.is_empty()),
            actor_org_id: Some(p.org_id.clone()),
            at: row.updated_at,
        },
    )
    .await?;
    for n in notices {
        notifications::notify(&txn, platform, n).await?;
    }
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: step_kind(action),
            ref_id: &row.id,
            subject: Some(&row.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "status": row.status, "reason": reason }),
        },
    )
    .await?;
    txn.commit().await.map_err(StoreError::from)?;
    view(&platform.db.conn, &mut Names::default(), row).await
}

fn step_kind(a: Action) -> &'static str {
    match a {
        Action::Apply => "whitelist.applied",
        Action::Recommend => "whitelist.recommended",
        Action::Approve => "whitelist.approved",
        Action::Reject => "whitelist.rejected",
        Action::Remove => "whitelist.removed",
    }
}

/// A white-list step's Chinese label.
pub fn step_label(kind: &str) -> &'static str {
    match kind {
        "whitelist.applied" => Action::Apply.label_zh(),
        "whitelist.recommended" => Action::Recommend.label_zh(),
        "whitelist.approved" => Action::Approve.label_zh(),
        "whitelist.rejected" => Action::Reject.label_zh(),
        "whitelist.removed" => Action::Remove.label_zh(),
        _ => "其他",
    }
}

/// The enterprise applies to the white list (again after a rejection or removal).
pub async fn apply(platform: &Platform, p: &Principal, reason: &str) -> ServiceResult<EntryView> {
    p.require(&[Role::Enterprise])?;
    let uscc = p.org_uscc.clone().ok_or(ServiceError::Forbidden)?;
    let conn = &platform.db.conn;
    let reason = text(reason, "whitelist.reason", "申请理由")?;
    if reason.is_empty() {
        return Err(ServiceError::invalid(
            "whitelist.reason_required",
            "请填写申请理由",
        ));
    }
    let open = repo::open_for(conn, &uscc).await?;
    let status = next(
        open.as_ref().and_then(|r| EntryStatus::parse(&r.status)),
        Action::Apply,
        &reason,
    )
    .map_err(refused)?;
    let enterprise = enterprises::get(conn, &uscc)
        .await?
        .ok_or(ServiceError::NotFound("企业"))?;
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let enterprise_name = enterprise.name.clone();
    let row = EntryRow {
        id: ids::new_id().to_string(),
        subject: uscc.clone(),
        open_subject: Some(uscc.clone()),
        region_code: enterprise.region_code,
        status: status.code().to_owned(),
        apply_reason: reason.clone(),
        applied_by_user_id: p.user_id.clone(),
        applied_at: now,
        recommended_by_org_id: None,
        recommended_by_user_id: None,
        recommend_note: None,
        recommended_at: None,
        decided_by_user_id: None,
        decided_at: None,
        decision_reason: None,
        removed_at: None,
        updated_at: now,
    };
    let mut notices = vec![Notice {
        recipient: Recipient::Subject(uscc),
        kind: "whitelist.applied",
        title: "白名单申请已提交".into(),
        body: "您的白名单申请已提交，待所在地政府部门推荐后由平台审核。".into(),
        link: Some("/whitelist".into()),
    }];
    // The government units whose jurisdiction covers the enterprise: theirs to recommend.
    for gov in organizations::list(conn, Some(Role::Government.code())).await? {
        if gov
            .region_code
            .as_deref()
            .is_some_and(|j| jurisdiction_covers(j, &row.region_code))
        {
            notices.push(Notice {
                recipient: Recipient::Org(gov.id),
                kind: "whitelist.applied",
                title: "辖区企业申请列入白名单".into(),
                body: format!("{} 申请列入白名单，请核实后推荐。", enterprise_name),
                link: Some("/whitelist?status=applied".into()),
            });
        }
    }
    commit(platform, p, row, None, Action::Apply, Some(reason), notices).await
}

async fn load(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<EntryRow> {
    repo::get(&platform.db.conn, id.trim())
        .await?
        .filter(|r| visible(p, r))
        .ok_or(ServiceError::NotFound("白名单申请"))
}

/// A government unit recommends an application of an enterprise in its jurisdiction.
pub async fn recommend(
    platform: &Platform,
    p: &Principal,
    id: &str,
    note: &str,
) -> ServiceResult<EntryView> {
    p.require(&[Role::Government])?;
    let row = repo::get(&platform.db.conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("白名单申请"))?;
    if !in_jurisdiction(p, &row.region_code) {
        return Err(ServiceError::invalid(
            "whitelist.outside_jurisdiction",
            "该企业不在本单位辖区内，不能推荐",
        ));
    }
    let note = text(note, "whitelist.note", "推荐意见")?;
    let from = row.status.clone();
    let to = next(EntryStatus::parse(&from), Action::Recommend, &note).map_err(refused)?;
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let mut next_row = row.clone();
    next_row.status = to.code().to_owned();
    next_row.recommended_by_org_id = Some(p.org_id.clone());
    next_row.recommended_by_user_id = Some(p.user_id.clone());
    next_row.recommend_note = Some(note.clone()).filter(|n| !n.is_empty());
    next_row.recommended_at = Some(now);
    next_row.updated_at = now;
    let notices = vec![Notice {
        recipient: Recipient::Operators,
        kind: "whitelist.recommended",
        title: "白名单推荐待审核".into(),
        body: format!("{} 推荐了一家企业列入白名单，请审核。", p.org_name),
        link: Some("/whitelist".into()),
    }];
    commit(
        platform,
        p,
        next_row,
        Some(&from),
        Action::Recommend,
        Some(note),
        notices,
    )
    .await
}

/// The operator decides: approve (list), reject (reason required) or remove a listed
/// enterprise (reason required).
pub async fn decide(
    platform: &Platform,
    p: &Principal,
    id: &str,
    action: Action,
    reason: &str,
) -> ServiceResult<EntryView> {
    p.require(&[Role::Operator])?;
    if !matches!(action, Action::Approve | Action::Reject | Action::Remove) {
        return Err(ServiceError::Forbidden);
    }
    let row = load(platform, p, id).await?;
    let reason = text(reason, "whitelist.reason", "理由")?;
    let from = row.status.clone();
    let to = next(EntryStatus::parse(&from), action, &reason).map_err(refused)?;
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let mut next_row = row.clone();
    next_row.status = to.code().to_owned();
    next_row.updated_at = now;
    if !to.is_open() {
        next_row.open_subject = None;
    }
    match action {
        Action::Remove => next_row.removed_at = Some(now),
        _ => {
            next_row.decided_at = Some(now);
            next_row.decided_by_user_id = Some(p.user_id.clone());
        }
    }
    next_row.decision_reason = Some(reason.clone()).filter(|r| !r.is_empty());
    let (title, body) = match action {
        Action::Approve => (
            "已列入白名单".to_owned(),
            "您的白名单申请已通过平台审核，贵企业已列入白名单。".to_owned(),
        ),
        Action::Reject => (
            "白名单申请未通过".to_owned(),
            format!("您的白名单申请未通过平台审核。理由：{reason}。您可补充材料后重新申请。"),
        ),
        _ => (
            "已移出白名单".to_owned(),
            format!("贵企业已被移出白名单。理由：{reason}。"),
        ),
    };
    let mut notices = vec![Notice {
        recipient: Recipient::Subject(row.subject.clone()),
        kind: step_kind(action),
        title: title.clone(),
        body,
        link: Some("/whitelist".into()),
    }];
    if let Some(org) = &row.recommended_by_org_id {
        notices.push(Notice {
            recipient: Recipient::Org(org.clone()),
            kind: step_kind(action),
            title: format!("您推荐的企业：{title}"),
            body: format!("您推荐的企业（{}）：{title}。", row.subject),
            link: Some("/whitelist".into()),
        });
    }
    commit(
        platform,
        p,
        next_row,
        Some(&from),
        action,
        Some(reason),
        notices,
    )
    .await
}

/// One step by its code (`recommend`, `approve`, `reject`, `remove`), for the API and pages.
pub async fn act(
    platform: &Platform,
    p: &Principal,
    id: &str,
    action: &str,
    reason: &str,
) -> ServiceResult<EntryView> {
    match Action::parse(action) {
        Some(Action::Recommend) => recommend(platform, p, id, reason).await,
        Some(a @ (Action::Approve | Action::Reject | Action::Remove)) => {
            decide(platform, p, id, a, reason).await
        }
        _ => Err(ServiceError::NotFound("操作")),
    }
}

/// The entries `p` may see, newest change first.
pub async fn list(
    platform: &Platform,
    p: &Principal,
    q: WhitelistQuery,
) -> ServiceResult<Vec<EntryView>> {
    let mut f = Filter {
        subject: q
            .subject
            .map(|s| s.trim().to_uppercase())
            .filter(|s| !s.is_empty()),
        statuses: q
            .status
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .into_iter()
            .collect(),
        limit: Some(2_000),
        ..Filter::default()
    };
    if let Some(s) = f.statuses.first()
        && EntryStatus::parse(s).is_none()
    {
        return Err(ServiceError::invalid(
            "whitelist.status",
            "未知的白名单状态",
        ));
    }
    match p.role {
        Role::Operator => {}
        Role::Enterprise => match &p.org_uscc {
            Some(u) => f.subject = Some(u.clone()),
            None => return Ok(Vec::new()),
        },
        Role::Government => {
            let prefix = p
                .region_code
                .as_deref()
                .map(region_prefix)
                .unwrap_or_default();
            if prefix.is_empty() {
                return Ok(Vec::new());
            }
            f.region_prefix = Some(prefix);
        }
        Role::Institution => {
            if f.statuses.iter().any(|s| s != EntryStatus::Approved.code()) {
                return Ok(Vec::new());
            }
            f.statuses = vec![EntryStatus::Approved.code().to_owned()];
        }
        Role::Provider => return Err(ServiceError::Forbidden),
    }
    let conn = &platform.db.conn;
    let mut names = Names::default();
    let mut out = Vec::new();
    for row in repo::list(conn, &f).await? {
        out.push(view(conn, &mut names, row).await?);
    }
    Ok(out)
}

/// Every entry (the CLI acts as the platform).
pub async fn list_all(platform: &Platform, q: WhitelistQuery) -> ServiceResult<Vec<EntryView>> {
    list(platform, &platform_principal(), q).await
}

/// The operator's identity for CLI steps (no user: the platform itself).
pub fn platform_principal() -> Principal {
    Principal {
        user_id: "cli".into(),
        username: "cli".into(),
        display_name: "命令行".into(),
        org_id: String::new(),
        org_name: "平台运营方".into(),
        role: Role::Operator,
        region_code: None,
        org_uscc: None,
    }
}

/// The changes `p` may follow since `since` (all when None), oldest first, at most 1,000:
/// institutions listings and removals; government its jurisdiction; the enterprise its own.
pub async fn changes(
    platform: &Platform,
    p: &Principal,
    since: Option<NaiveDateTime>,
) -> ServiceResult<Vec<ChangeView>> {
    let conn = &platform.db.conn;
    let (actions, prefix, subject): (&[&str], Option<String>, Option<String>) = match p.role {
        Role::Operator => (&[], None, None),
        Role::Institution => (&LIST_CHANGES, None, None),
        Role::Government => {
            let prefix = p
                .region_code
                .as_deref()
                .map(region_prefix)
                .unwrap_or_default();
            if prefix.is_empty() {
                return Ok(Vec::new());
            }
            (&[], Some(prefix), None)
        }
        Role::Enterprise => match &p.org_uscc {
            Some(u) => (&[], None, Some(u.clone())),
            None => return Ok(Vec::new()),
        },
        Role::Provider => return Err(ServiceError::Forbidden),
    };
    let rows = repo::changes(
        conn,
        since,
        actions,
        prefix.as_deref(),
        subject.as_deref(),
        1_000,
    )
    .await?;
    let mut names = Names::default();
    let mut out = Vec::new();
    for r in rows {
        out.push(change_view(conn, &mut names, r).await?);
    }
    Ok(out)
}

/// One entry the caller may see, with its timeline.
pub async fn detail(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<EntryDetail> {
    let row = load(platform, p, id).await?;
    let conn = &platform.db.conn;
    let timeline = trail::for_ref(conn, &row.id)
        .await?
        .into_iter()
        .map(|r| Step {
            label: step_label(&r.kind).to_owned(),
            kind: r.kind,
            at: local(r.created_at),
            actor_org_id: r.actor_org_id,
            body: serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null),
            leaf_index: r.leaf_index,
        })
        .collect();
    Ok(EntryDetail {
        entry: view(conn, &mut Names::default(), row).await?,
        timeline,
    })
}
