//! 信用修复 (credit repair) of adverse records (catalogue `polarity = negative`, each with a
//! severity). The enterprise applies once the record's minimum publicity period has passed
//! (`xinrong_core::repair`: from the decision date, else receipt; minimums configurable in
//! [`crate::objections::RightsPolicy`]), states how it corrected the violation, attaches the
//! evidence and signs the repair commitment (信用承诺). Before the period the application is
//! refused with `repair.too_early` and the date it opens. The record's source unit or the
//! operator approves or rejects (a rejection needs its reason). An approved repair takes the
//! record — every version of it — out of the public sections ([`repaired_on`]); its history
//! stays visible to the subject, the operator and auditors.
//!
//! ```text
//! pending ──approve──▶ approved
//!    └─────reject────▶ rejected   (the enterprise may apply again)
//! ```

use crate::attachments::{self, Upload};
use crate::commitments::{self, Signing};
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::objections::shared::{
    AttachmentMeta, Names, Step, attachment_meta, check_status, check_uploads, item_label,
    listed_attachment, local, own_record, required_text, scope_list, steps, store_uploads, today,
    visible_to,
};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::HashSet;
use xinrong_core::catalog::{Item, Polarity, Severity};
use xinrong_core::ids;
use xinrong_core::repair::{date_zh, opens_on, period_start};
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::entity::record::Model as RecordRow;
use xinrong_store::repo::repairs::{self as repo, Filter, RepairRow};

/// Statuses, as stored.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const APPROVED: &str = "approved";
    pub const REJECTED: &str = "rejected";
    pub const ALL: &[&str] = &[PENDING, APPROVED, REJECTED];

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            PENDING => "待审核",
            APPROVED => "已修复",
            REJECTED => "未通过",
            _ => "未知",
        }
    }
}

/// Whether (and from when) a record may be repaired: what the pages grey out.
#[derive(Debug, Clone, Serialize)]
pub struct Eligibility {
    pub record_id: String,
    pub item_key: String,
    pub item_label: String,
    /// Only adverse records can be repaired.
    pub repairable: bool,
    pub severity: Option<String>,
    pub severity_label: Option<String>,
    /// The day the publicity period started.
    pub period_start: Option<NaiveDate>,
    /// The first day an application is accepted.
    pub opens_on: Option<NaiveDate>,
    /// `opens_on` in Chinese (2026年6月5日).
    pub opens_on_zh: Option<String>,
    /// The period has passed: the 申请信用修复 button is live.
    pub open: bool,
    /// An application is pending or was approved.
    pub pending: bool,
    pub repaired: bool,
}

fn adverse(item: &Item) -> Option<Severity> {
    (item.polarity == Polarity::Negative)
        .then_some(item.severity)
        .flatten()
}

fn values_of(record: &RecordRow) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(&record.payload).unwrap_or_default()
}

/// When the record's period started and when repair opens, for an adverse item.
fn period_of(
    platform: &Platform,
    item: &Item,
    severity: Severity,
    record: &RecordRow,
) -> (NaiveDate, NaiveDate) {
    let received = local(record.created_at).date_naive();
    let start = period_start(item, &values_of(record), received);
    (start, opens_on(start, severity, &platform.rights.repair))
}

/// The first day repair may be applied for, for a record of an adverse item; `None` for other
/// items.
pub(crate) fn opens_on_for(platform: &Platform, record: &RecordRow) -> Option<NaiveDate> {
    let item = crate::catalog::current().item(&record.item_key)?;
    let severity = adverse(item)?;
    Some(period_of(platform, item, severity, record).1)
}

async fn eligibility_of(platform: &Platform, record: &RecordRow) -> ServiceResult<Eligibility> {
    let catalog = crate::catalog::current();
    let item = catalog.item(&record.item_key);
    let label = item.map_or_else(|| record.item_key.clone(), |i| i.label.clone());
    let severity = item.and_then(adverse);
    let mut e = Eligibility {
        record_id: record.id.clone(),
        item_key: record.item_key.clone(),
        item_label: label,
        repairable: severity.is_some(),
        severity: severity.map(|s| s.code().to_owned()),
        severity_label: severity.map(|s| s.label_zh().to_owned()),
        period_start: None,
        opens_on: None,
        opens_on_zh: None,
        open: false,
        pending: false,
        repaired: false,
    };
    if let (Some(item), Some(severity)) = (item, severity) {
        let (start, opens) = period_of(platform, item, severity, record);
        e.period_start = Some(start);
        e.opens_on = Some(opens);
        e.opens_on_zh = Some(date_zh(opens));
        e.open = today(platform) >= opens;
        let existing = repo::for_key_in(
            &platform.db.conn,
            &record.subject,
            &record.item_key,
            &record.natural_key_hash,
            &[status::PENDING, status::APPROVED],
        )
        .await?;
        e.pending = existing.iter().any(|r| r.status == status::PENDING);
        e.repaired = existing.iter().any(|r| r.status == status::APPROVED);
    }
    Ok(e)
}

/// Whether the enterprise may apply for repair of its record `record_id`, and from when.
pub async fn eligibility(
    platform: &Platform,
    p: &Principal,
    record_id: &str,
) -> ServiceResult<Eligibility> {
    let record = own_record(
        &platform.db.conn,
        p,
        record_id,
        "repair.not_subject",
        "申请信用修复",
    )
    .await?;
    eligibility_of(platform, &record).await
}

/// A repair application as its parties see it: the record's metadata, never its payload.
#[derive(Debug, Clone, Serialize)]
pub struct RepairView {
    pub id: String,
    pub subject: String,
    pub record_id: String,
    pub item_key: String,
    pub item_label: String,
    pub record_version: i32,
    pub provider_org_id: String,
    pub provider_name: String,
    pub severity: String,
    pub severity_label: String,
    pub period_start: NaiveDate,
    pub opens_on: NaiveDate,
    pub statement: String,
    pub commitment_id: String,
    pub attachment_ids: Vec<String>,
    pub status: String,
    pub status_label: String,
    pub filed_at: DateTime<FixedOffset>,
    pub reviewer_org_id: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
}

fn severity_label(code: &str) -> String {
    match code {
        "minor" => Severity::Minor.label_zh(),
        "major" => Severity::Major.label_zh(),
        "serious" => Severity::Serious.label_zh(),
        _ => "",
    }
    .to_owned()
}

fn view(row: RepairRow, provider_name: String) -> RepairView {
    RepairView {
        item_label: item_label(&row.item_key),
        severity_label: severity_label(&row.severity),
        status_label: status::label_zh(&row.status).to_owned(),
        attachment_ids: serde_json::from_str(&row.attachment_ids).unwrap_or_default(),
        filed_at: local(row.filed_at),
        reviewed_at: row.reviewed_at.map(local),
        id: row.id,
        subject: row.subject,
        record_id: row.record_id,
        item_key: row.item_key,
        record_version: row.record_version,
        provider_org_id: row.provider_org_id,
        provider_name,
        severity: row.severity,
        period_start: row.period_start,
        opens_on: row.opens_on,
        statement: row.statement,
        commitment_id: row.commitment_id,
        status: row.status,
        reviewer_org_id: row.reviewer_org_id,
        review_reason: row.review_reason,
    }
}

/// What the enterprise submits.
#[derive(Debug, Clone, Default)]
pub struct Application {
    pub record_id: String,
    /// How the violation was corrected (整改情况).
    pub statement: String,
    /// Evidence of correction; at least one.
    pub attachments: Vec<Upload>,
    /// The enterprise ticked "我已阅读并签署信用承诺" ([`commitments::texts::REPAIR`]).
    pub commitment_signed: bool,
}

/// The enterprise applies for repair of one of its adverse records.
pub async fn apply(
    platform: &Platform,
    p: &Principal,
    application: Application,
) -> ServiceResult<RepairView> {
    let conn = &platform.db.conn;
    let record = own_record(
        conn,
        p,
        &application.record_id,
        "repair.not_subject",
        "申请信用修复",
    )
    .await?;
    let catalog = crate::catalog::current();
    let item = catalog
        .item(&record.item_key)
        .ok_or_else(|| ServiceError::invalid("catalog.unknown_item", "目录中已没有该信息项"))?;
    let Some(severity) = adverse(item) else {
        return Err(ServiceError::invalid(
            "repair.not_negative",
            format!("“{}”不是失信或处罚类信息，无需信用修复", item.label),
        ));
    };
    let (start, opens) = period_of(platform, item, severity, &record);
    if today(platform) < opens {
        return Err(ServiceError::invalid(
            "repair.too_early",
            format!(
                "该记录（{}信息，公示起始日 {}）的最短公示期尚未届满，可于 {} 起申请信用修复",
                severity.label_zh(),
                date_zh(start),
                date_zh(opens)
            ),
        ));
    }
    let statement = required_text(
        &application.statement,
        "repair.statement_required",
        "整改情况说明",
    )?;
    if !application.commitment_signed {
        return Err(ServiceError::invalid(
            "repair.commitment_required",
            "申请信用修复须签署信用承诺书",
        ));
    }
    if application.attachments.is_empty() {
        return Err(ServiceError::invalid(
            "repair.evidence_required",
            "请上传已纠正失信行为的证明材料（PDF、JPEG 或 PNG）",
        ));
    }
    check_uploads(&application.attachments)?;
    let existing = repo::for_key_in(
        conn,
        &record.subject,
        &record.item_key,
        &record.natural_key_hash,
        &[status::PENDING, status::APPROVED],
    )
    .await?;
    if existing.iter().any(|r| r.status == status::APPROVED) {
        return Err(ServiceError::invalid(
            "repair.already_repaired",
            "该记录已完成信用修复",
        ));
    }
    if existing.iter().any(|r| r.status == status::PENDING) {
        return Err(ServiceError::invalid(
            "repair.already_pending",
            "该记录已有待审核的信用修复申请",
        ));
    }

    let id = ids::new_id().to_string();
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let txn = platform.db.begin().await?;
    let attachment_ids = store_uploads(&txn, platform, p, application.attachments).await?;
    let commitment = commitments::sign(
        &txn,
        platform,
        Signing {
            subject: Some(&record.subject),
            user_id: Some(&p.user_id),
            org_id: Some(&p.org_id),
            context: "repair",
            ref_id: Some(&id),
            text: commitments::texts::REPAIR,
        },
    )
    .await?;
    let row = RepairRow {
        id: id.clone(),
        subject: record.subject.clone(),
        record_id: record.id.clone(),
        item_key: record.item_key.clone(),
        natural_key_hash: record.natural_key_hash.clone(),
        record_version: record.version,
        provider_org_id: record.provider_org_id.clone(),
        severity: severity.code().to_owned(),
        period_start: start,
        opens_on: opens,
        applicant_user_id: p.user_id.clone(),
        applicant_org_id: p.org_id.clone(),
        statement: statement.clone(),
        commitment_id: commitment.id.clone(),
        attachment_ids: serde_json::to_string(&attachment_ids).expect("JSON"),
        status: status::PENDING.to_owned(),
        filed_at: now,
        reviewer_user_id: None,
        reviewer_org_id: None,
        review_reason: None,
        reviewed_at: None,
        updated_at: now,
    };
    repo::insert(&txn, row.clone()).await?;
    let label = item.label.clone();
    let link = Some(format!("/repairs/{id}"));
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Org(record.provider_org_id.clone()),
            kind: "repair.applied",
            title: format!("信用修复申请：{label}"),
            body: "信息主体已签署信用承诺并提交整改证明，申请修复该记录，请审核。".into(),
            link: link.clone(),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Subject(record.subject.clone()),
            kind: "repair.applied",
            title: format!("信用修复申请已提交：{label}"),
            body: "您的申请已提交数据提供单位审核。".into(),
            link: link.clone(),
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "repair.applied",
            ref_id: &id,
            subject: Some(&record.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "record_id": record.id,
                "item_key": record.item_key,
                "record_version": record.version,
                "severity": severity.code(),
                "period_start": start.to_string(),
                "opens_on": opens.to_string(),
                "statement": statement,
                "commitment_id": commitment.id,
                "attachment_ids": attachment_ids,
            }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    let name = Names::default().of(conn, &row.provider_org_id).await?;
    Ok(view(row, name))
}

async fn load_visible(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<RepairRow> {
    let row = repo::get(&platform.db.conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("信用修复申请"))?;
    if visible_to(p, &row.subject, &row.provider_org_id) {
        Ok(row)
    } else {
        Err(ServiceError::NotFound("信用修复申请"))
    }
}

/// The review's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approve,
    Reject,
}

impl Verdict {
    pub fn parse(text: &str) -> ServiceResult<Verdict> {
        match text {
            "approve" | "approved" => Ok(Verdict::Approve),
            "reject" | "rejected" => Ok(Verdict::Reject),
            other => Err(ServiceError::invalid(
                "repair.verdict",
                format!("未知的审核结果：{other}（approve 或 reject）"),
            )),
        }
    }
}

/// The record's source unit or the operator decides a pending application. A rejection needs
/// its reason; an approval may carry a note.
pub async fn review(
    platform: &Platform,
    p: &Principal,
    id: &str,
    verdict: Verdict,
    reason: &str,
) -> ServiceResult<RepairView> {
    let mut row = load_visible(platform, p, id).await?;
    let may =
        p.role == Role::Operator || (p.role == Role::Provider && p.org_id == row.provider_org_id);
    if !may {
        return Err(ServiceError::Denied {
            code: "repair.not_reviewer",
            message: "只有该记录的数据提供单位或平台运营方可以审核信用修复申请".into(),
        });
    }
    if row.status != status::PENDING {
        return Err(ServiceError::invalid(
            "repair.state",
            format!(
                "申请当前状态为“{}”，不能再审核",
                status::label_zh(&row.status)
            ),
        ));
    }
    let reason = match verdict {
        Verdict::Reject => Some(required_text(
            reason,
            "repair.reason_required",
            "不予修复的理由",
        )?),
        Verdict::Approve if reason.trim().is_empty() => None,
        Verdict::Approve => Some(required_text(reason, "repair.reason_required", "审核意见")?),
    };
    let now = platform.clock.now_naive();
    let (to, kind) = match verdict {
        Verdict::Approve => (status::APPROVED, "repair.approved"),
        Verdict::Reject => (status::REJECTED, "repair.rejected"),
    };
    row.status = to.to_owned();
    row.reviewer_user_id = Some(p.user_id.clone());
    row.reviewer_org_id = Some(p.org_id.clone());
    row.review_reason = reason.clone();
    row.reviewed_at = Some(now);
    row.updated_at = now;
    let label = item_label(&row.item_key);
    let body_text = match verdict {
        Verdict::Approve => {
            "信用修复申请已通过：该记录不再在公开信息、信用报告和评价中展示，历史记录仍予保留。"
                .to_owned()
        }
        Verdict::Reject => format!(
            "信用修复申请未通过。理由：{}",
            reason.clone().unwrap_or_default()
        ),
    };
    let txn = platform.db.begin().await?;
    if !repo::update_if(&txn, row.clone(), status::PENDING).await? {
        return Err(ServiceError::invalid(
            "repair.state",
            "申请状态已被其他操作改变，请刷新后重试",
        ));
    }
    let link = Some(format!("/repairs/{}", row.id));
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Subject(row.subject.clone()),
            kind,
            title: format!("信用修复结果：{label}"),
            body: body_text.clone(),
            link: link.clone(),
        },
    )
    .await?;
    if p.role == Role::Operator {
        notifications::notify(
            &txn,
            platform,
            Notice {
                recipient: Recipient::Org(row.provider_org_id.clone()),
                kind,
                title: format!("信用修复结果：{label}"),
                body: body_text,
                link,
            },
        )
        .await?;
    }
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind,
            ref_id: &row.id,
            subject: Some(&row.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "verdict": verdict, "reason": reason }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    let name = Names::default()
        .of(&platform.db.conn, &row.provider_org_id)
        .await?;
    Ok(view(row, name))
}

/// Records about `subject` (every version of each natural key) repaired: they leave the public
/// sections; the subject, the operator and auditors still see them with their history.
pub async fn repaired_on(
    conn: &impl ConnectionTrait,
    subject: &str,
) -> ServiceResult<HashSet<(String, String)>> {
    Ok(
        repo::of_subject_in(conn, &subject.trim().to_uppercase(), &[status::APPROVED])
            .await?
            .into_iter()
            .map(|r| (r.item_key, r.natural_key_hash))
            .collect(),
    )
}

/// Which applications to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub subject: Option<String>,
    pub status: Option<String>,
    pub provider: Option<String>,
    pub record_id: Option<String>,
}

/// Applications `p` may see, newest first: an enterprise its own, a provider those about its
/// records, the operator all.
pub async fn list(
    platform: &Platform,
    p: &Principal,
    query: ListQuery,
) -> ServiceResult<Vec<RepairView>> {
    let mut query = query;
    scope_list(p, &mut query.subject, &mut query.provider)?;
    list_all(platform, query).await
}

/// Every application matching `query`, for the operator's CLI.
pub async fn list_all(platform: &Platform, query: ListQuery) -> ServiceResult<Vec<RepairView>> {
    check_status(
        query.status.as_deref(),
        status::ALL,
        "repair.status",
        "申请状态",
    )?;
    let filter = Filter {
        subject: query.subject.map(|s| s.trim().to_uppercase()),
        provider_org_id: query.provider,
        statuses: query.status.into_iter().collect(),
        record_id: query.record_id,
        limit: Some(1_000),
    };
    let conn = &platform.db.conn;
    let mut names = Names::default();
    let mut out = Vec::new();
    for row in repo::list(conn, &filter).await? {
        let name = names.of(conn, &row.provider_org_id).await?;
        out.push(view(row, name));
    }
    Ok(out)
}

/// An application with its timeline and evidence.
#[derive(Debug, Clone, Serialize)]
pub struct RepairDetail {
    pub repair: RepairView,
    pub timeline: Vec<Step>,
    pub attachments: Vec<AttachmentMeta>,
    /// The commitment's text as signed.
    pub commitment_text: String,
    pub commitment_sm3: String,
    pub commitment_signed_at: DateTime<FixedOffset>,
}

pub async fn detail(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<RepairDetail> {
    let row = load_visible(platform, p, id).await?;
    let conn = &platform.db.conn;
    let timeline = steps(trail::for_ref(conn, &row.id).await?);
    let attachments = attachment_meta(conn, &row.attachment_ids).await?;
    let commitment = commitments::get(conn, &row.commitment_id).await?;
    let name = Names::default().of(conn, &row.provider_org_id).await?;
    Ok(RepairDetail {
        repair: view(row, name),
        timeline,
        attachments,
        commitment_text: commitment.text,
        commitment_sm3: commitment.text_sm3,
        commitment_signed_at: local(commitment.signed_at),
    })
}

/// An attachment of an application, for a party that may see it.
pub async fn attachment(
    platform: &Platform,
    p: &Principal,
    repair_id: &str,
    attachment_id: &str,
) -> ServiceResult<attachments::AttachmentRow> {
    let row = load_visible(platform, p, repair_id).await?;
    listed_attachment(&platform.db.conn, &row.attachment_ids, attachment_id).await
}
