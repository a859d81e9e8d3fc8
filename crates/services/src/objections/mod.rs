//! 异议 (objections): the enterprise contests a record about itself; the record's source unit
//! (数据提供单位) answers within a deadline in working days — it confirms the record (with an
//! explanation) or corrects it (a correction batch of one row: a new version); the enterprise
//! may escalate a confirmation to the operator, who upholds the source unit or orders a
//! correction. Overdue objections are flagged to the operators once ([`flag_overdue`]).
//!
//! ```text
//! open ──confirm──▶ confirmed ──escalate──▶ escalated ──decide──▶ upheld
//!   │                  │                        └──────decide──▶ correction_ordered ──correct──▶ corrected
//!   ├──correct──▶ corrected
//!   └──close (enterprise withdraws) ─▶ closed ◀── close (enterprise accepts) ── confirmed
//! ```
//!
//! Every step is one transaction: the status changes only if it is still the one the step
//! starts from (a concurrent step makes the later one fail with `objection.state`), the parties
//! are notified (`crate::notifications`) and a trail entry (留痕, ref_id = objection id) is
//! appended. While an objection is `open`, `escalated` or `correction_ordered` the record is
//! "异议处理中" for every reader ([`pending_on`]).

pub mod policy;
pub(crate) mod shared;

pub use policy::RightsPolicy;
pub use shared::{
    AttachmentMeta, MAX_ATTACHMENTS, MAX_TEXT_CHARS, Step, beijing, deadline_after, local,
    step_label, today,
};

use crate::attachments::{self, Upload};
use crate::collect::{BatchKind, Encoding, Format, IngestRequest, ingest};
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::Serialize;
use shared::{
    Names, attachment_meta, check_status, check_uploads, item_label, listed_attachment, own_record,
    required_text, scope_list, steps, store_uploads, visible_to,
};
use std::collections::HashSet;
use xinrong_core::catalog::Item;
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::objections::{self as repo, Filter, ObjectionRow};

/// Statuses, as stored.
pub mod status {
    pub const OPEN: &str = "open";
    pub const CONFIRMED: &str = "confirmed";
    pub const CORRECTED: &str = "corrected";
    pub const ESCALATED: &str = "escalated";
    pub const UPHELD: &str = "upheld";
    pub const CORRECTION_ORDERED: &str = "correction_ordered";
    pub const CLOSED: &str = "closed";
    pub const ALL: &[&str] = &[
        OPEN,
        CONFIRMED,
        CORRECTED,
        ESCALATED,
        UPHELD,
        CORRECTION_ORDERED,
        CLOSED,
    ];
    /// Not finally resolved: readers see "异议处理中" on the record.
    pub const IN_PROCESS: &[&str] = &[OPEN, ESCALATED, CORRECTION_ORDERED];
    /// Waiting for the source unit, with a deadline that can pass.
    pub const AWAITING_PROVIDER: &[&str] = &[OPEN, CORRECTION_ORDERED];

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            OPEN => "待数据提供单位处理",
            CONFIRMED => "已核实维持",
            CORRECTED => "已更正",
            ESCALATED => "已提请平台复核",
            UPHELD => "平台维持原记录",
            CORRECTION_ORDERED => "平台责令更正",
            CLOSED => "已结束",
            _ => "未知",
        }
    }
}

/// An objection as its parties see it: the record's metadata, never its payload.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionView {
    pub id: String,
    pub subject: String,
    pub record_id: String,
    pub item_key: String,
    pub item_label: String,
    pub record_version: i32,
    pub provider_org_id: String,
    pub provider_name: String,
    pub status: String,
    pub status_label: String,
    pub reason: String,
    pub attachment_ids: Vec<String>,
    pub filed_at: DateTime<FixedOffset>,
    pub deadline_at: DateTime<FixedOffset>,
    /// Waiting for the source unit and past its deadline.
    pub overdue: bool,
    pub provider_explanation: Option<String>,
    pub provider_decided_at: Option<DateTime<FixedOffset>>,
    pub correction_record_id: Option<String>,
    pub correction_version: Option<i32>,
    pub escalation_reason: Option<String>,
    pub escalated_at: Option<DateTime<FixedOffset>>,
    pub operator_decision: Option<String>,
    pub operator_reason: Option<String>,
    pub operator_decided_at: Option<DateTime<FixedOffset>>,
    pub closed_at: Option<DateTime<FixedOffset>>,
    pub overdue_flagged_at: Option<DateTime<FixedOffset>>,
}

/// An objection with its timeline (from the trail) and its attachments' names.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionDetail {
    pub objection: ObjectionView,
    pub timeline: Vec<Step>,
    pub attachments: Vec<AttachmentMeta>,
}

fn view(row: ObjectionRow, provider_name: String, now: NaiveDateTime) -> ObjectionView {
    let overdue = status::AWAITING_PROVIDER.contains(&row.status.as_str()) && row.deadline_at < now;
    ObjectionView {
        item_label: item_label(&row.item_key),
        status_label: status::label_zh(&row.status).to_owned(),
        attachment_ids: serde_json::from_str(&row.attachment_ids).unwrap_or_default(),
        filed_at: local(row.filed_at),
        deadline_at: local(row.deadline_at),
        overdue,
        provider_decided_at: row.provider_decided_at.map(local),
        escalated_at: row.escalated_at.map(local),
        operator_decided_at: row.operator_decided_at.map(local),
        closed_at: row.closed_at.map(local),
        overdue_flagged_at: row.overdue_flagged_at.map(local),
        id: row.id,
        subject: row.subject,
        record_id: row.record_id,
        item_key: row.item_key,
        record_version: row.record_version,
        provider_org_id: row.provider_org_id,
        provider_name,
        status: row.status,
        reason: row.reason,
        provider_explanation: row.provider_explanation,
        correction_record_id: row.correction_record_id,
        correction_version: row.correction_version,
        escalation_reason: row.escalation_reason,
        operator_decision: row.operator_decision,
        operator_reason: row.operator_reason,
    }
}

/// What the enterprise files.
#[derive(Debug, Clone, Default)]
pub struct Filing {
    pub record_id: String,
    pub reason: String,
    pub attachments: Vec<Upload>,
}

fn start_of_today_utc(platform: &Platform) -> NaiveDateTime {
    let midnight = today(platform).and_time(NaiveTime::MIN);
    beijing()
        .from_local_datetime(&midnight)
        .single()
        .expect("fixed offset")
        .naive_utc()
}

/// The enterprise objects to one of its records.
pub async fn file(
    platform: &Platform,
    p: &Principal,
    filing: Filing,
) -> ServiceResult<ObjectionView> {
    let conn = &platform.db.conn;
    let record = own_record(
        conn,
        p,
        &filing.record_id,
        "objection.not_subject",
        "提出异议",
    )
    .await?;
    let reason = required_text(&filing.reason, "objection.reason_required", "异议理由")?;
    check_uploads(&filing.attachments)?;
    let policy = platform.rights;
    let filed_today =
        repo::count_filed_since(conn, &record.subject, start_of_today_utc(platform)).await?;
    if filed_today >= u64::from(policy.objections_per_day) {
        return Err(ServiceError::invalid(
            "objection.rate_limited",
            format!(
                "提交过于频繁：每个企业每天最多提出 {} 条异议，今日已提出 {} 条，请明日再试",
                policy.objections_per_day, filed_today
            ),
        ));
    }
    let open = repo::count_in(conn, &record.subject, status::IN_PROCESS).await?;
    if open >= u64::from(policy.objections_open) {
        return Err(ServiceError::invalid(
            "objection.rate_limited",
            format!(
                "处理中的异议已达上限 {} 条，请待已有异议处理完毕后再提出",
                policy.objections_open
            ),
        ));
    }
    if !repo::for_key_in(
        conn,
        &record.subject,
        &record.item_key,
        &record.natural_key_hash,
        status::IN_PROCESS,
    )
    .await?
    .is_empty()
    {
        return Err(ServiceError::invalid(
            "objection.already_open",
            "该记录已有处理中的异议，请在原异议中跟进",
        ));
    }
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let id = ids::new_id().to_string();
    let deadline = deadline_after(platform.clock.now(), policy.objection_deadline_workdays);
    let label = item_label(&record.item_key);

    let txn = platform.db.begin().await?;
    let attachment_ids = store_uploads(&txn, platform, p, filing.attachments).await?;
    let row = ObjectionRow {
        id: id.clone(),
        subject: record.subject.clone(),
        record_id: record.id.clone(),
        item_key: record.item_key.clone(),
        natural_key_hash: record.natural_key_hash.clone(),
        record_version: record.version,
        provider_org_id: record.provider_org_id.clone(),
        filed_by_user_id: p.user_id.clone(),
        filed_by_org_id: p.org_id.clone(),
        reason: reason.clone(),
        attachment_ids: serde_json::to_string(&attachment_ids).expect("JSON"),
        status: status::OPEN.to_owned(),
        deadline_at: deadline,
        filed_at: now,
        provider_explanation: None,
        provider_user_id: None,
        provider_decided_at: None,
        correction_record_id: None,
        correction_version: None,
        escalation_reason: None,
        escalated_at: None,
        operator_decision: None,
        operator_reason: None,
        operator_user_id: None,
        operator_decided_at: None,
        closed_at: None,
        overdue_flagged_at: None,
        updated_at: now,
    };
    repo::insert(&txn, row.clone()).await?;
    let due = local(deadline).format("%Y-%m-%d").to_string();
    let link = format!("/objections/{id}");
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Org(record.provider_org_id.clone()),
            kind: "objection.filed",
            title: format!("收到异议：{label}"),
            body: format!(
                "信息主体对“{label}”记录（第 {} 版）提出异议，请于 {due} 前核实处理。",
                record.version
            ),
            link: Some(link.clone()),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Subject(record.subject.clone()),
            kind: "objection.filed",
            title: format!("异议已提交：{label}"),
            body: format!("您的异议已转数据提供单位处理，处理时限至 {due}。"),
            link: Some(link),
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "objection.filed",
            ref_id: &id,
            subject: Some(&record.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "record_id": record.id,
                "item_key": record.item_key,
                "record_version": record.version,
                "provider_org_id": record.provider_org_id,
                "reason": reason,
                "attachment_ids": attachment_ids,
                "deadline_at": local(deadline).to_rfc3339(),
            }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    let name = Names::default().of(conn, &row.provider_org_id).await?;
    Ok(view(row, name, platform.clock.now_naive()))
}

/// Loads an objection and checks `p` may see it: its subject, its source unit, the operator.
async fn load_visible(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<ObjectionRow> {
    let row = repo::get(&platform.db.conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("异议"))?;
    if visible_to(p, &row.subject, &row.provider_org_id) {
        Ok(row)
    } else {
        Err(ServiceError::NotFound("异议"))
    }
}

fn wrong_state(row: &ObjectionRow, action: &str) -> ServiceError {
    ServiceError::invalid(
        "objection.state",
        format!(
            "异议当前状态为“{}”，不能{action}",
            status::label_zh(&row.status)
        ),
    )
}

/// Writes a step: the row (if still in `from`), notices, the trail entry — one transaction.
async fn commit_step(
    platform: &Platform,
    p: Option<&Principal>,
    row: ObjectionRow,
    from: &str,
    kind: &'static str,
    notices: Vec<Notice>,
    body: serde_json::Value,
) -> ServiceResult<ObjectionRow> {
    let txn = platform.db.begin().await?;
    // The overdue flag is the one step that keeps the status: it is guarded by the flag itself,
    // so two sweeps at once (two servers) flag an objection once.
    let written = if kind == "objection.overdue" {
        let at = row.overdue_flagged_at.unwrap_or(row.updated_at);
        repo::mark_flagged(&txn, &row.id, from, at).await?
    } else {
        repo::update_if(&txn, row.clone(), from).await?
    };
    if !written {
        return Err(ServiceError::invalid(
            "objection.state",
            "异议状态已被其他操作改变，请刷新后重试",
        ));
    }
    for notice in notices {
        notifications::notify(&txn, platform, notice).await?;
    }
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind,
            ref_id: &row.id,
            subject: Some(&row.subject),
            actor_user_id: p.map(|p| p.user_id.as_str()),
            actor_org_id: p.map(|p| p.org_id.as_str()),
            body,
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(row)
}

async fn finish(platform: &Platform, row: ObjectionRow) -> ServiceResult<ObjectionView> {
    let name = Names::default()
        .of(&platform.db.conn, &row.provider_org_id)
        .await?;
    Ok(view(row, name, platform.clock.now_naive()))
}

fn require_provider_of(p: &Principal, row: &ObjectionRow) -> ServiceResult<()> {
    if p.role == Role::Provider && p.org_id == row.provider_org_id {
        Ok(())
    } else {
        Err(ServiceError::Denied {
            code: "objection.not_provider",
            message: "只有该记录的数据提供单位可以处理此异议".into(),
        })
    }
}

fn require_subject_of(p: &Principal, row: &ObjectionRow) -> ServiceResult<()> {
    if p.role == Role::Enterprise && p.org_uscc.as_deref() == Some(row.subject.as_str()) {
        Ok(())
    } else {
        Err(ServiceError::Denied {
            code: "objection.not_subject",
            message: "只有提出异议的企业可以执行此操作".into(),
        })
    }
}

fn link(id: &str) -> Option<String> {
    Some(format!("/objections/{id}"))
}

/// The source unit confirms the record stands, with its explanation.
pub async fn confirm(
    platform: &Platform,
    p: &Principal,
    id: &str,
    explanation: &str,
) -> ServiceResult<ObjectionView> {
    let mut row = load_visible(platform, p, id).await?;
    require_provider_of(p, &row)?;
    if row.status != status::OPEN {
        return Err(wrong_state(&row, "核实维持"));
    }
    let explanation = required_text(explanation, "objection.explanation_required", "核实说明")?;
    let now = platform.clock.now_naive();
    row.status = status::CONFIRMED.to_owned();
    row.provider_explanation = Some(explanation.clone());
    row.provider_user_id = Some(p.user_id.clone());
    row.provider_decided_at = Some(now);
    row.updated_at = now;
    let label = item_label(&row.item_key);
    let notices = vec![Notice {
        recipient: Recipient::Subject(row.subject.clone()),
        kind: "objection.confirmed",
        title: format!("异议处理结果：{label}"),
        body: format!(
            "数据提供单位核实后维持原记录。说明：{explanation}。如有异议，可提请平台复核。"
        ),
        link: link(&row.id),
    }];
    let body = serde_json::json!({ "explanation": explanation });
    let row = commit_step(
        platform,
        Some(p),
        row,
        status::OPEN,
        "objection.confirmed",
        notices,
        body,
    )
    .await?;
    finish(platform, row).await
}

/// The corrected row, field key (or label) → value, as the source unit sends it.
pub type CorrectedRow = serde_json::Map<String, serde_json::Value>;

fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The subject and natural-key hash `row` would be stored under, exactly as the batch path
/// computes them; `Err` with the row's problems when it does not pass the catalogue.
fn key_of(item: &Item, row: &CorrectedRow, today: NaiveDate) -> ServiceResult<(String, String)> {
    let headers: Vec<String> = row.keys().cloned().collect();
    let fields = item.map_headers(&headers).map_err(|unknown| {
        ServiceError::invalid(
            "objection.correction_invalid",
            format!(
                "更正内容有信息项“{}”未定义的字段：{}",
                item.label,
                unknown.join("、")
            ),
        )
    })?;
    let texts: Vec<String> = row.values().map(cell_text).collect();
    let pairs: Vec<_> = fields
        .iter()
        .copied()
        .zip(texts.iter().map(String::as_str))
        .collect();
    let checked = item.check_row(&pairs, today).map_err(|problems| {
        ServiceError::invalid(
            "objection.correction_invalid",
            format!(
                "更正内容未通过校验：{}",
                problems
                    .iter()
                    .map(|p| format!("{}（{}）", p.reason, p.field))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
        )
    })?;
    let hash = xinrong_ledger::sm3(&[serde_json::to_string(&checked.natural_key)
        .expect("JSON")
        .as_bytes()])
    .to_hex();
    Ok((checked.subject, hash))
}

/// The source unit corrects the record: the corrected row goes through the batch path as a
/// correction batch of one row (a new version, ledgered, with its `corrected` event), then the
/// objection is marked corrected. The row must be the same record (same subject and natural
/// key) and must change it.
///
/// The batch and the step are two transactions (the batch path owns its own); a step that fails
/// after its batch was applied is completed by sending the same correction again, which the
/// batch path recognises and does not apply twice.
pub async fn correct(
    platform: &Platform,
    p: &Principal,
    id: &str,
    corrected: CorrectedRow,
    explanation: &str,
) -> ServiceResult<ObjectionView> {
    let mut row = load_visible(platform, p, id).await?;
    require_provider_of(p, &row)?;
    if !status::AWAITING_PROVIDER.contains(&row.status.as_str()) {
        return Err(wrong_state(&row, "更正"));
    }
    let explanation = required_text(explanation, "objection.explanation_required", "更正说明")?;
    let item = crate::catalog::current()
        .item(&row.item_key)
        .ok_or_else(|| ServiceError::invalid("catalog.unknown_item", "目录中已没有该信息项"))?;
    let (subject, key) = key_of(item, &corrected, today(platform))?;
    if subject != row.subject || key != row.natural_key_hash {
        return Err(ServiceError::invalid(
            "objection.correction_key",
            "更正内容须是同一条记录：信息主体和记录标识字段不能改变",
        ));
    }
    let dir = std::env::temp_dir().join(format!("xinrong-correction-{}", ids::new_id()));
    std::fs::create_dir_all(&dir).map_err(|e| {
        ServiceError::invalid("objection.correction_io", format!("无法写入临时文件：{e}"))
    })?;
    let path = dir.join("correction.jsonl");
    let line = serde_json::to_string(&corrected).expect("JSON") + "\n";
    let written = std::fs::write(&path, line);
    let report = match written {
        Ok(()) => {
            ingest(
                platform,
                IngestRequest {
                    item_key: &row.item_key,
                    provider_org_id: &row.provider_org_id,
                    format: Format::Jsonl,
                    encoding: Encoding::Utf8,
                    strict: true,
                    kind: BatchKind::Correction,
                    path: &path,
                    progress: None,
                },
            )
            .await
        }
        Err(e) => Err(ServiceError::invalid(
            "objection.correction_io",
            format!("无法写入临时文件：{e}"),
        )),
    };
    let _ = std::fs::remove_dir_all(&dir);
    let report = report?;
    if !report.applied {
        let why = report
            .errors
            .iter()
            .map(|e| e.reason.clone())
            .collect::<Vec<_>>()
            .join("；");
        return Err(ServiceError::invalid(
            "objection.correction_invalid",
            format!("更正内容未通过校验：{why}"),
        ));
    }
    let head = repo::record_head(
        &platform.db.conn,
        &row.subject,
        &row.item_key,
        &row.natural_key_hash,
    )
    .await?
    .ok_or(ServiceError::NotFound("信用记录"))?;
    if report.batch_id.as_deref() != Some(head.batch_id.as_str()) {
        return Err(ServiceError::invalid(
            "objection.correction_unchanged",
            "更正内容与现有记录相同，没有形成新版本",
        ));
    }
    let from = row.status.clone();
    let now = platform.clock.now_naive();
    row.status = status::CORRECTED.to_owned();
    row.provider_explanation = Some(explanation.clone());
    row.provider_user_id = Some(p.user_id.clone());
    row.provider_decided_at = Some(now);
    row.correction_record_id = Some(head.id.clone());
    row.correction_version = Some(head.version);
    row.updated_at = now;
    let label = item_label(&row.item_key);
    let mut notices = vec![Notice {
        recipient: Recipient::Subject(row.subject.clone()),
        kind: "objection.corrected",
        title: format!("异议处理结果：{label}已更正"),
        body: format!(
            "数据提供单位已更正该记录（新版本为第 {} 版）。说明：{explanation}",
            head.version
        ),
        link: link(&row.id),
    }];
    if from == status::CORRECTION_ORDERED {
        notices.push(Notice {
            recipient: Recipient::Operators,
            kind: "objection.corrected",
            title: format!("责令更正已完成：{label}"),
            body: format!(
                "数据提供单位已按平台决定更正记录（第 {} 版）。",
                head.version
            ),
            link: link(&row.id),
        });
    }
    let body = serde_json::json!({
        "explanation": explanation,
        "batch_id": report.batch_id,
        "record_id": head.id,
        "version": head.version,
    });
    let row = commit_step(
        platform,
        Some(p),
        row,
        &from,
        "objection.corrected",
        notices,
        body,
    )
    .await?;
    finish(platform, row).await
}

/// The enterprise asks the operator to review a confirmation (提请复核).
pub async fn escalate(
    platform: &Platform,
    p: &Principal,
    id: &str,
    reason: &str,
) -> ServiceResult<ObjectionView> {
    let mut row = load_visible(platform, p, id).await?;
    require_subject_of(p, &row)?;
    if row.status != status::CONFIRMED {
        return Err(wrong_state(&row, "提请平台复核"));
    }
    let reason = required_text(reason, "objection.reason_required", "复核理由")?;
    let now = platform.clock.now_naive();
    row.status = status::ESCALATED.to_owned();
    row.escalation_reason = Some(reason.clone());
    row.escalated_at = Some(now);
    row.deadline_at = deadline_after(
        platform.clock.now(),
        platform.rights.objection_deadline_workdays,
    );
    row.updated_at = now;
    let label = item_label(&row.item_key);
    let notices = vec![
        Notice {
            recipient: Recipient::Operators,
            kind: "objection.escalated",
            title: format!("异议提请复核：{label}"),
            body: format!("企业不认可数据提供单位的核实结果，提请平台复核。理由：{reason}"),
            link: link(&row.id),
        },
        Notice {
            recipient: Recipient::Org(row.provider_org_id.clone()),
            kind: "objection.escalated",
            title: format!("异议已提请平台复核：{label}"),
            body: "企业已就您维持的记录提请平台复核。".into(),
            link: link(&row.id),
        },
    ];
    let body = serde_json::json!({ "reason": reason });
    let row = commit_step(
        platform,
        Some(p),
        row,
        status::CONFIRMED,
        "objection.escalated",
        notices,
        body,
    )
    .await?;
    finish(platform, row).await
}

/// The enterprise ends its objection: withdraws it while open, or accepts a confirmation.
pub async fn close(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<ObjectionView> {
    let mut row = load_visible(platform, p, id).await?;
    require_subject_of(p, &row)?;
    if row.status != status::OPEN && row.status != status::CONFIRMED {
        return Err(wrong_state(&row, "结束"));
    }
    let from = row.status.clone();
    let now = platform.clock.now_naive();
    row.status = status::CLOSED.to_owned();
    row.closed_at = Some(now);
    row.updated_at = now;
    let label = item_label(&row.item_key);
    let notices = vec![Notice {
        recipient: Recipient::Org(row.provider_org_id.clone()),
        kind: "objection.closed",
        title: format!("异议已结束：{label}"),
        body: if from == status::OPEN {
            "企业已撤回该异议。".into()
        } else {
            "企业接受了核实结果，异议结束。".into()
        },
        link: link(&row.id),
    }];
    let body = serde_json::json!({ "from": from });
    let row = commit_step(
        platform,
        Some(p),
        row,
        &from,
        "objection.closed",
        notices,
        body,
    )
    .await?;
    finish(platform, row).await
}

/// The operator's decision on an escalated objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ruling {
    /// 维持: the source unit was right.
    Uphold,
    /// 责令更正: the source unit must correct the record (within a new deadline).
    OrderCorrection,
}

impl Ruling {
    pub fn parse(text: &str) -> ServiceResult<Ruling> {
        match text {
            "uphold" | "upheld" => Ok(Ruling::Uphold),
            "order_correction" | "correction_ordered" => Ok(Ruling::OrderCorrection),
            other => Err(ServiceError::invalid(
                "objection.ruling",
                format!("未知的复核决定：{other}（uphold 或 order_correction）"),
            )),
        }
    }
}

/// The operator decides an escalated objection, with a reason.
pub async fn decide(
    platform: &Platform,
    p: &Principal,
    id: &str,
    ruling: Ruling,
    reason: &str,
) -> ServiceResult<ObjectionView> {
    p.require(&[Role::Operator])?;
    let mut row = load_visible(platform, p, id).await?;
    if row.status != status::ESCALATED {
        return Err(wrong_state(&row, "复核决定"));
    }
    let reason = required_text(reason, "objection.reason_required", "复核意见")?;
    let now = platform.clock.now_naive();
    let (to, kind) = match ruling {
        Ruling::Uphold => (status::UPHELD, "objection.upheld"),
        Ruling::OrderCorrection => (status::CORRECTION_ORDERED, "objection.correction_ordered"),
    };
    row.status = to.to_owned();
    row.operator_decision = Some(to.to_owned());
    row.operator_reason = Some(reason.clone());
    row.operator_user_id = Some(p.user_id.clone());
    row.operator_decided_at = Some(now);
    if ruling == Ruling::OrderCorrection {
        row.deadline_at = deadline_after(
            platform.clock.now(),
            platform.rights.objection_deadline_workdays,
        );
        row.overdue_flagged_at = None;
    }
    row.updated_at = now;
    let label = item_label(&row.item_key);
    let outcome = match ruling {
        Ruling::Uphold => "平台复核后维持原记录".to_owned(),
        Ruling::OrderCorrection => format!(
            "平台复核后责令数据提供单位于 {} 前更正记录",
            local(row.deadline_at).format("%Y-%m-%d")
        ),
    };
    let notices = vec![
        Notice {
            recipient: Recipient::Subject(row.subject.clone()),
            kind,
            title: format!("异议复核结果：{label}"),
            body: format!("{outcome}。意见：{reason}"),
            link: link(&row.id),
        },
        Notice {
            recipient: Recipient::Org(row.provider_org_id.clone()),
            kind,
            title: format!("异议复核结果：{label}"),
            body: format!("{outcome}。意见：{reason}"),
            link: link(&row.id),
        },
    ];
    let body = serde_json::json!({ "ruling": ruling, "reason": reason });
    let row = commit_step(
        platform,
        Some(p),
        row,
        status::ESCALATED,
        kind,
        notices,
        body,
    )
    .await?;
    finish(platform, row).await
}

/// Tells the operators (and the source unit) about every objection waiting for its source unit
/// past its deadline, once per deadline. Returns how many were flagged. Run by
/// `xinrong objections sweep` and periodically by the server.
pub async fn flag_overdue(platform: &Platform) -> ServiceResult<usize> {
    let now = platform.clock.now_naive();
    let due = repo::overdue_unflagged(&platform.db.conn, status::AWAITING_PROVIDER, now).await?;
    let mut flagged = 0;
    let mut names = Names::default();
    for mut row in due {
        let provider = names.of(&platform.db.conn, &row.provider_org_id).await?;
        let from = row.status.clone();
        let deadline = local(row.deadline_at).format("%Y-%m-%d").to_string();
        row.overdue_flagged_at = Some(now);
        row.updated_at = now;
        let label = item_label(&row.item_key);
        let notices = vec![
            Notice {
                recipient: Recipient::Operators,
                kind: "objection.overdue",
                title: format!("异议逾期未处理：{label}"),
                body: format!("{provider}未在 {deadline} 前处理该异议，请督办。"),
                link: link(&row.id),
            },
            Notice {
                recipient: Recipient::Org(row.provider_org_id.clone()),
                kind: "objection.overdue",
                title: format!("异议已逾期：{label}"),
                body: format!(
                    "该异议的处理时限（{deadline}）已过，平台已收到逾期提示，请尽快处理。"
                ),
                link: link(&row.id),
            },
        ];
        let body = serde_json::json!({ "status": from, "deadline_at": local(row.deadline_at).to_rfc3339() });
        match commit_step(
            platform,
            None,
            row,
            &from,
            "objection.overdue",
            notices,
            body,
        )
        .await
        {
            Ok(_) => flagged += 1,
            // Answered meanwhile: nothing to flag.
            Err(ServiceError::Invalid {
                code: "objection.state",
                ..
            }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(flagged)
}

/// Records about `subject` (every version of each natural key) with an objection in process:
/// readers show "异议处理中" on them.
pub async fn pending_on(
    conn: &impl ConnectionTrait,
    subject: &str,
) -> ServiceResult<HashSet<(String, String)>> {
    let filter = Filter {
        subject: Some(subject.trim().to_uppercase()),
        statuses: status::IN_PROCESS.iter().map(|s| s.to_string()).collect(),
        ..Filter::default()
    };
    Ok(repo::list(conn, &filter)
        .await?
        .into_iter()
        .map(|o| (o.item_key, o.natural_key_hash))
        .collect())
}

/// Which objections to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// USCC; enterprises always see only their own.
    pub subject: Option<String>,
    pub status: Option<String>,
    /// Provider organisation; providers always see only their own queue.
    pub provider: Option<String>,
    /// Only those waiting for the source unit past the deadline.
    pub overdue: bool,
    pub record_id: Option<String>,
}

/// Objections `p` may see, newest first: an enterprise its own, a provider its queue, the
/// operator all (filtered).
pub async fn list(
    platform: &Platform,
    p: &Principal,
    query: ListQuery,
) -> ServiceResult<Vec<ObjectionView>> {
    let mut query = query;
    scope_list(p, &mut query.subject, &mut query.provider)?;
    list_all(platform, query).await
}

/// Every objection matching `query`, for the operator's CLI (which has the database and so
/// every right).
pub async fn list_all(platform: &Platform, query: ListQuery) -> ServiceResult<Vec<ObjectionView>> {
    check_status(
        query.status.as_deref(),
        status::ALL,
        "objection.status",
        "异议状态",
    )?;
    let filter = Filter {
        subject: query.subject.map(|s| s.trim().to_uppercase()),
        provider_org_id: query.provider,
        statuses: query.status.into_iter().collect(),
        record_id: query.record_id,
        limit: Some(1_000),
    };
    let conn = &platform.db.conn;
    let now = platform.clock.now_naive();
    let mut names = Names::default();
    let mut out = Vec::new();
    for row in repo::list(conn, &filter).await? {
        let name = names.of(conn, &row.provider_org_id).await?;
        let v = view(row, name, now);
        if !query.overdue || v.overdue {
            out.push(v);
        }
    }
    Ok(out)
}

/// One objection with its timeline, for its parties and the operator.
pub async fn detail(
    platform: &Platform,
    p: &Principal,
    id: &str,
) -> ServiceResult<ObjectionDetail> {
    let row = load_visible(platform, p, id).await?;
    let conn = &platform.db.conn;
    let timeline = steps(trail::for_ref(conn, &row.id).await?);
    let attachments = attachment_meta(conn, &row.attachment_ids).await?;
    let objection = finish(platform, row).await?;
    Ok(ObjectionDetail {
        objection,
        timeline,
        attachments,
    })
}

/// An attachment of an objection, for a party that may see it.
pub async fn attachment(
    platform: &Platform,
    p: &Principal,
    objection_id: &str,
    attachment_id: &str,
) -> ServiceResult<attachments::AttachmentRow> {
    let row = load_visible(platform, p, objection_id).await?;
    listed_attachment(&platform.db.conn, &row.attachment_ids, attachment_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_step_has_a_label() {
        for s in status::ALL {
            assert_ne!(status::label_zh(s), "未知");
        }
        for k in [
            "objection.filed",
            "objection.confirmed",
            "objection.corrected",
            "objection.escalated",
            "objection.upheld",
            "objection.correction_ordered",
            "objection.closed",
            "objection.overdue",
        ] {
            assert_ne!(step_label(k), "其他", "{k}");
        }
    }
}

/// One record of the enterprise as the filing pages list it: metadata only, never the payload
/// (the lead's `share` shows the masked values).
#[derive(Debug, Clone, Serialize)]
pub struct OwnRecord {
    pub record_id: String,
    pub item_key: String,
    pub item_label: String,
    pub version: i32,
    pub provider_org_id: String,
    pub provider_name: String,
    pub received_at: DateTime<FixedOffset>,
    /// An objection is in process on this record (异议处理中).
    pub in_process: bool,
    /// Repaired (信用修复): out of the public sections.
    pub repaired: bool,
    /// For adverse records: the first day repair may be applied for, in Chinese
    /// (2027年1月1日); `None` for other records.
    pub repair_opens_on: Option<String>,
    /// The minimum publicity period has passed (the 申请信用修复 button is live).
    pub repair_open: bool,
}

/// The enterprise's own records (every version), newest first; `only` narrows to one record
/// version.
pub async fn own_records(
    platform: &Platform,
    p: &Principal,
    only: Option<&str>,
) -> ServiceResult<Vec<OwnRecord>> {
    if p.role != Role::Enterprise {
        return Err(ServiceError::Forbidden);
    }
    let uscc = p.org_uscc.clone().ok_or(ServiceError::Forbidden)?;
    let conn = &platform.db.conn;
    let pending = pending_on(conn, &uscc).await?;
    let repaired = crate::repairs::repaired_on(conn, &uscc).await?;
    let mut names = Names::default();
    let mut out = Vec::new();
    let today = today(platform);
    for r in xinrong_store::repo::records::for_subject(conn, &uscc).await? {
        if only.is_some_and(|id| id != r.id) {
            continue;
        }
        let key = (r.item_key.clone(), r.natural_key_hash.clone());
        out.push(OwnRecord {
            in_process: pending.contains(&key),
            repaired: repaired.contains(&key),
            repair_opens_on: crate::repairs::opens_on_for(platform, &r)
                .map(xinrong_core::repair::date_zh),
            repair_open: crate::repairs::opens_on_for(platform, &r).is_some_and(|d| today >= d),
            item_label: item_label(&r.item_key),
            provider_name: names.of(conn, &r.provider_org_id).await?,
            received_at: local(r.created_at),
            record_id: r.id,
            item_key: r.item_key,
            version: r.version,
            provider_org_id: r.provider_org_id,
        });
    }
    out.reverse();
    Ok(out)
}
