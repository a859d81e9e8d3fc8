//! What objections (异议) and credit repair (信用修复) share: Beijing times and deadlines, the
//! timeline (留痕) and attachment metadata, who may see a case, the enterprise's own record, the
//! checks on free text, uploads and list filters, and storing the uploaded evidence.

use crate::attachments::{self, Upload, Uploader};
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::platform::Platform;
use crate::trail::TrailRow;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::Serialize;
use std::collections::HashMap;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::entity::record::Model as RecordRow;
use xinrong_store::repo::objections as repo;
use xinrong_store::repo::organizations;

/// Longest reason, explanation or decision text accepted.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Most attachments on one objection or repair application.
pub const MAX_ATTACHMENTS: usize = 10;

/// Asia/Shanghai (UTC+8, no daylight saving).
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("offset")
}

/// Today in Asia/Shanghai.
pub fn today(platform: &Platform) -> NaiveDate {
    platform.clock.now().with_timezone(&beijing()).date_naive()
}

/// The end (23:59:59 Asia/Shanghai, as naive UTC) of the `n`th working day after `now`'s date.
pub fn deadline_after(now: DateTime<Utc>, n: u32) -> NaiveDateTime {
    let day = xinrong_core::workdays::add_workdays(now.with_timezone(&beijing()).date_naive(), n);
    let end = day.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("time"));
    beijing()
        .from_local_datetime(&end)
        .single()
        .expect("fixed offset")
        .naive_utc()
}

/// A stored UTC time in Asia/Shanghai.
pub fn local(at: NaiveDateTime) -> DateTime<FixedOffset> {
    at.and_utc().with_timezone(&beijing())
}

/// One step of a timeline (an objection's or a repair application's), from the trail.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub kind: String,
    pub label: String,
    pub at: DateTime<FixedOffset>,
    pub actor_org_id: Option<String>,
    pub body: serde_json::Value,
    pub leaf_index: i64,
}

/// An attachment's name, type, size and digest (never its content).
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentMeta {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sm3: String,
}

/// A step's Chinese label.
pub fn step_label(kind: &str) -> &'static str {
    match kind {
        "objection.filed" => "企业提出异议",
        "objection.confirmed" => "数据提供单位核实维持",
        "objection.corrected" => "数据提供单位更正记录",
        "objection.escalated" => "企业提请平台复核",
        "objection.upheld" => "平台维持原记录",
        "objection.correction_ordered" => "平台责令更正",
        "objection.closed" => "企业结束异议",
        "objection.overdue" => "逾期未处理，已提示平台",
        "repair.applied" => "企业申请信用修复",
        "repair.approved" => "信用修复申请通过",
        "repair.rejected" => "信用修复申请未通过",
        "commitment.signed" => "签署信用承诺",
        _ => "其他",
    }
}

/// A case's trail entries as its timeline.
pub(crate) fn steps(rows: Vec<TrailRow>) -> Vec<Step> {
    rows.into_iter()
        .map(|r| Step {
            label: step_label(&r.kind).to_owned(),
            kind: r.kind,
            at: local(r.created_at),
            actor_org_id: r.actor_org_id,
            body: serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null),
            leaf_index: r.leaf_index,
        })
        .collect()
}

/// The catalogue label of an item, or its key when the catalogue no longer has it.
pub(crate) fn item_label(key: &str) -> String {
    crate::catalog::current()
        .item(key)
        .map_or_else(|| key.to_owned(), |i| i.label.clone())
}

/// Org names, looked up once per list.
#[derive(Default)]
pub(crate) struct Names(HashMap<String, String>);

impl Names {
    pub(crate) async fn of(
        &mut self,
        conn: &impl ConnectionTrait,
        id: &str,
    ) -> ServiceResult<String> {
        if let Some(n) = self.0.get(id) {
            return Ok(n.clone());
        }
        let name = organizations::get(conn, id)
            .await?
            .map_or_else(|| id.to_owned(), |o| o.name);
        self.0.insert(id.to_owned(), name.clone());
        Ok(name)
    }
}

/// Required, trimmed free text of at most [`MAX_TEXT_CHARS`].
pub(crate) fn required_text(text: &str, code: &'static str, what: &str) -> ServiceResult<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ServiceError::invalid(code, format!("请填写{what}")));
    }
    if t.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceError::invalid(
            code,
            format!("{what}不能超过 {MAX_TEXT_CHARS} 个字"),
        ));
    }
    Ok(t.to_owned())
}

/// The record `record_id`, if `p` is the enterprise it is about.
pub(crate) async fn own_record(
    conn: &impl ConnectionTrait,
    p: &Principal,
    record_id: &str,
    code: &'static str,
    what: &str,
) -> ServiceResult<RecordRow> {
    if p.role != Role::Enterprise {
        return Err(ServiceError::Denied {
            code,
            message: format!("只有信息主体企业本身可以{what}"),
        });
    }
    let record = repo::record(conn, record_id.trim())
        .await?
        .ok_or(ServiceError::NotFound("信用记录"))?;
    if p.org_uscc.as_deref() != Some(record.subject.as_str()) {
        return Err(ServiceError::Denied {
            code,
            message: format!("只能对本企业自己的信用记录{what}"),
        });
    }
    Ok(record)
}

/// Checks the uploads before anything is written (the same checks `attachments::store` makes).
pub(crate) fn check_uploads(uploads: &[Upload]) -> ServiceResult<()> {
    if uploads.len() > MAX_ATTACHMENTS {
        return Err(ServiceError::invalid(
            "attachment.too_many",
            format!("附件最多 {MAX_ATTACHMENTS} 个"),
        ));
    }
    for u in uploads {
        attachments::check(u)?;
    }
    Ok(())
}

/// The metadata of a case's attachments (`ids_json`, as stored).
pub(crate) async fn attachment_meta(
    conn: &impl ConnectionTrait,
    ids_json: &str,
) -> ServiceResult<Vec<AttachmentMeta>> {
    let ids: Vec<String> = serde_json::from_str(ids_json).unwrap_or_default();
    let mut out = Vec::new();
    for id in ids {
        let a = attachments::get(conn, &id).await?;
        out.push(AttachmentMeta {
            id: a.id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            sm3: a.sm3,
        });
    }
    Ok(out)
}

/// Whether `p` may see a case about `subject` sent by `provider_org_id`: the subject itself,
/// the source unit, the operator.
pub(crate) fn visible_to(p: &Principal, subject: &str, provider_org_id: &str) -> bool {
    match p.role {
        Role::Operator => true,
        Role::Enterprise => p.org_uscc.as_deref() == Some(subject),
        Role::Provider => p.org_id == provider_org_id,
        _ => false,
    }
}

/// Narrows a list to what `p` may see: an enterprise its own `subject`, a provider its own
/// queue (`provider`), the operator everything; other roles are refused.
pub(crate) fn scope_list(
    p: &Principal,
    subject: &mut Option<String>,
    provider: &mut Option<String>,
) -> ServiceResult<()> {
    match p.role {
        Role::Operator => {}
        Role::Enterprise => *subject = Some(p.org_uscc.clone().ok_or(ServiceError::Forbidden)?),
        Role::Provider => *provider = Some(p.org_id.clone()),
        _ => return Err(ServiceError::Forbidden),
    }
    Ok(())
}

/// Refuses a status filter that is not one of `all`, naming the known ones (`what`: 异议状态,
/// 申请状态 …).
pub(crate) fn check_status(
    status: Option<&str>,
    all: &[&str],
    code: &'static str,
    what: &str,
) -> ServiceResult<()> {
    match status {
        Some(s) if !all.contains(&s) => Err(ServiceError::invalid(
            code,
            format!("未知的{what}：{s}（{}）", all.join("、")),
        )),
        _ => Ok(()),
    }
}

/// Stores the uploads (already checked with [`check_uploads`]) as `p`'s, in `txn`; their IDs
/// in order.
pub(crate) async fn store_uploads(
    txn: &impl ConnectionTrait,
    platform: &Platform,
    p: &Principal,
    uploads: Vec<Upload>,
) -> ServiceResult<Vec<String>> {
    let mut ids = Vec::new();
    for upload in uploads {
        let row = attachments::store(
            txn,
            platform,
            upload,
            Uploader {
                user_id: Some(&p.user_id),
                org_id: Some(&p.org_id),
            },
        )
        .await?;
        ids.push(row.id);
    }
    Ok(ids)
}

/// The attachment `attachment_id` if it is one of a case's (`ids_json`, as stored); otherwise
/// not found, so a party cannot reach other files through its case.
pub(crate) async fn listed_attachment(
    conn: &impl ConnectionTrait,
    ids_json: &str,
    attachment_id: &str,
) -> ServiceResult<attachments::AttachmentRow> {
    let ids: Vec<String> = serde_json::from_str(ids_json).unwrap_or_default();
    if !ids.iter().any(|i| i == attachment_id) {
        return Err(ServiceError::NotFound("附件"));
    }
    attachments::get(conn, attachment_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_end_at_midnight_beijing_on_the_nth_working_day() {
        // Wednesday 25 November 2026, 10:00 Beijing.
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
        let d = deadline_after(now, 5);
        assert_eq!(local(d).to_rfc3339(), "2026-12-02T23:59:59+08:00");
        // 23:30 Beijing on Friday is still Friday: counting starts Monday.
        let late = Utc.with_ymd_and_hms(2026, 11, 27, 15, 30, 0).unwrap();
        assert_eq!(
            local(deadline_after(late, 1)).date_naive(),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
    }
}
