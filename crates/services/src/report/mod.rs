//! 标准化信用信息报告 (credit report): everything one organisation may receive about one subject,
//! in one standard document — cover (report id, subject, requester, purpose, generated at, data
//! as of), the public credit evaluation (公共信用综合评价) and profile tags (画像标签), then one
//! section per catalogue category with every record's provenance and flags.
//!
//! A report is built from ONE read: `share::prepare` decides and shapes every field with the one
//! access decision (the same as the API, pages, exports and `xinrong view`), and the evaluation
//! is shaped by `evaluation::shape` with the same facts. Issuing writes, in one transaction, the
//! access-log entry of the read (channel `report`), the report row and its ledger anchor (a trail
//! entry of kind `report.issued` carrying the report id and the SM3 digest of its canonical JSON).
//!
//! Verification (核验) takes a JSON or PDF file: the JSON's canonical body must hash to the stored
//! digest and the anchor must verify; a PDF must hash to the digest recorded when it was
//! rendered.

mod canonical;
mod evaluation;
pub mod json;
pub mod pdf;
mod verify;

pub use canonical::{canonical_json, digest_of};
pub use pdf::render_pdf;
pub use verify::{PublicReport, Status, Verification, public_info, verify};

use crate::access::Reader;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use crate::share::{self, ItemView, ViewRequest};
use crate::trail::{self, TrailEntry};
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use xinrong_core::access::Shown;
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::repo::reports::{self, ReportRow};

/// Kind of the trail entry that anchors a report in the ledger.
pub const ANCHOR_KIND: &str = "report.issued";
/// The access-log channel of a report's read.
pub const CHANNEL: &str = "report";
/// The schema tag every report body carries.
pub const SCHEMA: &str = "xinrong.credit_report.v1";
/// What a section without records says.
pub const NO_RECORDS: &str = "暂无记录";
/// The report's title.
pub const TITLE: &str = "标准化信用信息报告";

/// One credit report asked for.
#[derive(Debug, Clone, Default)]
pub struct ReportRequest {
    /// The subject's USCC (统一社会信用代码).
    pub subject: String,
    /// 查询用途: a purpose code or its Chinese label; institutions must state one.
    pub purpose: Option<String>,
    /// Free text beside the purpose, e.g. the loan application.
    pub purpose_text: Option<String>,
    /// The authorization (授权) relied on; any active one that covers when absent.
    pub authorization_id: Option<String>,
    /// The door: `api`, `ui`, `cli` (kept in the anchor's body).
    pub channel: &'static str,
}

/// The subject a report is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectPart {
    pub uscc: String,
    pub name: String,
}

/// Who asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequesterPart {
    pub org_id: String,
    pub org_name: String,
    /// `institution`, `enterprise`, `government`, `operator`, `provider`.
    pub role: String,
    /// The user, when a person asked; absent when the organisation itself did (CLI).
    pub user_id: Option<String>,
}

/// 查询用途.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposePart {
    pub code: Option<String>,
    pub label: Option<String>,
    pub text: Option<String>,
}

/// Why something is masked or withheld, and how to obtain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePart {
    pub code: String,
    pub message: String,
}

/// One field of a record as the requester receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldPart {
    pub key: String,
    pub label: String,
    /// 分级分类: `public`, `restricted`, `authorized`, `internal`.
    pub sensitivity: String,
    /// `clear`, `masked` or `withheld`.
    pub disclosure: String,
    /// The value, its mask, or empty when withheld.
    pub value: String,
}

/// One record (its current version) with provenance and flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordPart {
    pub record_id: String,
    pub version: i32,
    /// 信息来源单位.
    pub source_unit: String,
    /// When the platform received this version (UTC, RFC 3339).
    pub updated_at: String,
    pub catalog_version: i32,
    /// 异议处理中.
    pub objection_pending: bool,
    /// 已信用修复.
    pub repaired: bool,
    /// 企业自主填报.
    pub self_declared: bool,
    /// Set when the record's values are withheld from this requester.
    pub withheld: Option<NoticePart>,
    pub fields: Vec<FieldPart>,
}

/// One catalogue item with its records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPart {
    pub key: String,
    pub label: String,
    /// An adverse item (失信、处罚 …).
    pub adverse: bool,
    /// The basis of the read, in words.
    pub basis: String,
    pub notice: Option<NoticePart>,
    pub records: Vec<RecordPart>,
}

/// One catalogue category (section) of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionPart {
    pub key: String,
    pub label: String,
    pub order: u32,
    /// `shown` (everything in clear), `restricted` (some values masked or withheld),
    /// `withheld` (no values at all) or `empty` (no records).
    pub status: String,
    /// Why the section is restricted or withheld, and how to obtain authorization.
    pub notice: Option<NoticePart>,
    /// 暂无记录 when the section has no records.
    pub empty_text: Option<String>,
    pub items: Vec<ItemPart>,
}

/// The report's content: what is hashed (canonical JSON), anchored and rendered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportBody {
    pub schema: String,
    pub report_id: String,
    pub title: String,
    pub subject: SubjectPart,
    pub requester: RequesterPart,
    pub purpose: PurposePart,
    /// Authorizations this report relied on.
    pub authorization_ids: Vec<String>,
    /// UTC, RFC 3339, whole seconds.
    pub generated_at: String,
    /// The time of the latest record in the report (UTC), absent when there are none.
    pub data_as_of: Option<String>,
    pub catalog_version: u32,
    /// The evaluation as shaped for the requester (`evaluation::EvaluationView`), when the
    /// subject has one and the requester may see it.
    pub evaluation: Option<serde_json::Value>,
    /// Why there is no evaluation in the report.
    pub evaluation_notice: Option<String>,
    pub sections: Vec<SectionPart>,
    /// Where anyone can check the report: `/verify/report/{id}`.
    pub verify_path: String,
}

/// A report as issued: its body, the SM3 digest of the canonical body, and the ledger leaf that
/// anchors it.
#[derive(Debug, Clone)]
pub struct IssuedReport {
    pub body: ReportBody,
    /// SM3 (hex) of `canonical_json(body)`.
    pub digest: String,
    pub ledger_index: i64,
    /// SM3 of the report's PDF, once rendered.
    pub pdf_digest: Option<String>,
    /// The organisation that asked (for re-download checks).
    pub requester_org_id: String,
}

impl IssuedReport {
    /// The JSON document the API returns and `report verify` checks: the body's fields plus
    /// `digest` and `ledger_index`, which are not part of what is hashed.
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(&self.body).expect("a plain struct serialises");
        if let serde_json::Value::Object(map) = &mut value {
            map.insert("digest".into(), self.digest.clone().into());
            map.insert("ledger_index".into(), self.ledger_index.into());
        }
        value
    }

    /// The JSON file: pretty-printed, keys sorted.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(&self.to_json()).expect("JSON");
        s.push('\n');
        s.into_bytes()
    }

    pub fn id(&self) -> &str {
        &self.body.report_id
    }

    /// `generated_at` as a time.
    pub fn generated_at(&self) -> DateTime<Utc> {
        parse_time(&self.body.generated_at).unwrap_or_default()
    }
}

pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn notice_part(n: &xinrong_core::access::Notice) -> NoticePart {
    NoticePart {
        code: n.code.to_owned(),
        message: n.message.clone(),
    }
}

fn item_part(item: &ItemView) -> ItemPart {
    ItemPart {
        key: item.item_key.clone(),
        label: item.label.clone(),
        adverse: item.adverse,
        basis: item.basis.label_zh(),
        notice: item.notice.as_ref().map(notice_part),
        records: item
            .records
            .iter()
            .map(|r| RecordPart {
                record_id: r.record_id.clone(),
                version: r.version,
                source_unit: r.source_unit.clone(),
                updated_at: rfc3339(r.updated_at),
                catalog_version: r.catalog_version,
                objection_pending: r.objection_pending,
                repaired: r.repaired,
                self_declared: r.self_declared,
                withheld: r.withheld.as_ref().map(notice_part),
                fields: r
                    .fields
                    .iter()
                    .map(|f| {
                        let (disclosure, value) = match &f.shown {
                            Shown::Clear(v) => ("clear", v.clone()),
                            Shown::Masked(v) => ("masked", v.clone()),
                            Shown::Withheld => ("withheld", String::new()),
                        };
                        FieldPart {
                            key: f.key.clone(),
                            label: f.label.clone(),
                            sensitivity: serde_json::to_value(f.sensitivity)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default(),
                            disclosure: disclosure.to_owned(),
                            value,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// One section per catalogue category, in catalogue order; items in the view's (catalogue) order.
fn sections(items: &[ItemView]) -> Vec<SectionPart> {
    let catalog = crate::catalog::current();
    let mut ordered: Vec<&xinrong_core::catalog::Section> = catalog.sections.iter().collect();
    ordered.sort_by_key(|s| s.order);
    ordered
        .into_iter()
        .map(|section| {
            let items: Vec<ItemPart> = items
                .iter()
                .filter(|i| i.section == section.key && !i.records.is_empty())
                .map(item_part)
                .collect();
            let values = |d: &str| {
                items
                    .iter()
                    .flat_map(|i| i.records.iter())
                    .flat_map(|r| r.fields.iter())
                    .any(|f| f.disclosure == d)
            };
            let any_withheld_record = items
                .iter()
                .flat_map(|i| i.records.iter())
                .any(|r| r.withheld.is_some());
            let all_withheld = items
                .iter()
                .flat_map(|i| i.records.iter())
                .all(|r| r.fields.iter().all(|f| f.disclosure == "withheld"));
            let status = if items.is_empty() {
                "empty"
            } else if all_withheld {
                "withheld"
            } else if values("masked") || values("withheld") || any_withheld_record {
                "restricted"
            } else {
                "shown"
            };
            let notice = if status == "withheld" || status == "restricted" {
                items.iter().find_map(|i| i.notice.clone()).or_else(|| {
                    items
                        .iter()
                        .flat_map(|i| i.records.iter())
                        .find_map(|r| r.withheld.clone())
                })
            } else {
                None
            };
            SectionPart {
                key: section.key.clone(),
                label: section.label.clone(),
                order: section.order,
                status: status.to_owned(),
                notice,
                empty_text: items.is_empty().then(|| NO_RECORDS.to_owned()),
                items,
            }
        })
        .collect()
}

/// The anchor's body: what the ledger commits to for a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AnchorBody {
    pub report_id: String,
    pub digest: String,
    pub channel: String,
    pub purpose: Option<String>,
}

/// Issues a credit report about `request.subject` for `reader`: refuses a malformed or unknown
/// USCC (`uscc.*`, `subject.unknown`), an unknown purpose (`access.unknown_purpose`), and a
/// reader with no basis at all — an institution without purpose or agreement
/// (`access.purpose_required`, `access.no_agreement` …) — with the reason, never the data.
/// Otherwise builds the report from one read, and writes the read's access-log entry, the report
/// row and its ledger anchor in one transaction.
pub async fn issue(
    platform: &Platform,
    reader: &Reader,
    request: &ReportRequest,
) -> ServiceResult<IssuedReport> {
    let uscc = Uscc::parse(request.subject.trim())?;
    let subject = uscc.as_str().to_owned();
    let view_request = ViewRequest {
        subject: &subject,
        purpose: request.purpose.as_deref().filter(|p| !p.trim().is_empty()),
        purpose_text: request.purpose_text.as_deref(),
        authorization_id: request
            .authorization_id
            .as_deref()
            .filter(|a| !a.trim().is_empty()),
        items: None,
        history: false,
        channel: CHANNEL,
    };
    let mut prepared = share::prepare(platform, reader, &view_request).await?;
    if let Some(notice) = prepared.facts.refusal(prepared.purpose_code) {
        return Err(ServiceError::Denied {
            code: notice.code,
            message: notice.message,
        });
    }
    let (evaluation, evaluation_notice) =
        evaluation::shaped(platform, &subject, &prepared.facts, prepared.purpose_code).await?;
    let now = platform.clock.now().trunc_subsecs(0);
    let report_id = ids::new_id().to_string();
    let view = &prepared.view;
    let data_as_of = view
        .items
        .iter()
        .flat_map(|i| i.records.iter())
        .map(|r| r.updated_at)
        .max()
        .map(rfc3339);
    let body = ReportBody {
        schema: SCHEMA.to_owned(),
        report_id: report_id.clone(),
        title: TITLE.to_owned(),
        subject: SubjectPart {
            uscc: subject.clone(),
            name: view.subject_name.clone(),
        },
        requester: RequesterPart {
            org_id: reader.org_id.clone(),
            org_name: reader.org_name.clone(),
            role: reader.role.code().to_owned(),
            user_id: reader.user_id.clone(),
        },
        purpose: PurposePart {
            code: view.purpose.clone(),
            label: view.purpose_label.clone(),
            text: view.purpose_text.clone(),
        },
        authorization_ids: view.authorization_ids.clone(),
        generated_at: rfc3339(now),
        data_as_of,
        catalog_version: crate::catalog::current().version,
        evaluation,
        evaluation_notice,
        sections: sections(&view.items),
        verify_path: format!("/verify/report/{report_id}"),
    };
    let value = serde_json::to_value(&body).expect("a plain struct serialises");
    let digest = digest_of(&value);
    let conn = &platform.db.conn;
    let txn = conn.begin().await.map_err(store)?;
    share::log_prepared(&txn, platform, reader, &mut prepared, CHANNEL).await?;
    let anchor = trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: ANCHOR_KIND,
            ref_id: &report_id,
            subject: Some(&subject),
            actor_user_id: reader.user_id.as_deref(),
            actor_org_id: Some(&reader.org_id),
            body: serde_json::to_value(AnchorBody {
                report_id: report_id.clone(),
                digest: digest.clone(),
                channel: request.channel.to_owned(),
                purpose: body.purpose.code.clone(),
            })
            .expect("a plain struct serialises"),
        },
    )
    .await?;
    reports::insert(
        &txn,
        ReportRow {
            id: report_id.clone(),
            subject: subject.clone(),
            requester_org_id: reader.org_id.clone(),
            requester_user_id: reader.user_id.clone(),
            purpose: body.purpose.code.clone(),
            json_digest: digest.clone(),
            pdf_digest: None,
            body: String::from_utf8(canonical_json(&value)).expect("JSON is UTF-8"),
            created_at: now.naive_utc(),
            ledger_index: anchor.leaf_index,
        },
    )
    .await?;
    txn.commit().await.map_err(store)?;
    Ok(IssuedReport {
        body,
        digest,
        ledger_index: anchor.leaf_index,
        pdf_digest: None,
        requester_org_id: reader.org_id.clone(),
    })
}

fn store(e: sea_orm::DbErr) -> ServiceError {
    ServiceError::Store(e.into())
}

fn from_row(row: ReportRow) -> ServiceResult<IssuedReport> {
    let body: ReportBody = serde_json::from_str(&row.body)
        .map_err(|e| ServiceError::invalid("report.corrupt", format!("报告内容无法读取：{e}")))?;
    Ok(IssuedReport {
        body,
        digest: row.json_digest,
        ledger_index: row.ledger_index,
        pdf_digest: row.pdf_digest,
        requester_org_id: row.requester_org_id,
    })
}

/// A report issued earlier, for its requester (the organisation that asked) or the platform
/// operator: the same body and digest, downloaded again. No new read and no new access-log
/// entry — nothing is disclosed that was not disclosed when the report was issued.
pub async fn get(platform: &Platform, reader: &Reader, id: &str) -> ServiceResult<IssuedReport> {
    let row = reports::get(&platform.db.conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("信用报告"))?;
    if reader.role != Role::Operator && reader.org_id != row.requester_org_id {
        // Another organisation's report: as if it did not exist.
        return Err(ServiceError::NotFound("信用报告"));
    }
    from_row(row)
}

/// The report's PDF: rendered from the stored body; the first rendering's SM3 is recorded as
/// the report's PDF digest. Rendering is deterministic, so a later download is the same file.
pub async fn pdf(platform: &Platform, report: &mut IssuedReport) -> ServiceResult<Vec<u8>> {
    let bytes = render_pdf(report)?;
    let digest = xinrong_ledger::sm3(&[&bytes]).to_hex();
    match &report.pdf_digest {
        Some(existing) if *existing != digest => {
            tracing::warn!(
                report = report.id(),
                "re-rendered PDF differs from the first"
            );
        }
        Some(_) => {}
        None => {
            reports::set_pdf_digest(&platform.db.conn, report.id(), &digest).await?;
            report.pdf_digest = Some(digest);
        }
    }
    Ok(bytes)
}
