//! 自愿填报 (self-report): an enterprise declares a record about itself for an item the
//! catalogue marks `self_reportable` (资质证照, 合同履行, 荣誉 …), under a credit commitment
//! (信用承诺) it signs. The row passes the same catalogue checks as any batch row and is stored
//! through the collect ingest service as a strict one-row batch of kind `self_report`, whose
//! provider is the enterprise's own organisation; the commitment (text, time, SM3 digest) is
//! signed for that batch. Wherever records are shown, those of such batches are labelled
//! 企业自主填报 ([`is_self_declared`], [`declared_batches`]).

use crate::collect::{BatchKind, Encoding, Format, IngestRequest, ingest};
use crate::commitments::{self, Signing, texts};
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use xinrong_core::catalog::{Field, Item};
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::repo::{organizations, self_reports};
use xinrong_store::{ConnectionTrait, StoreError};

/// The label every view shows on a self-declared record.
pub const LABEL_ZH: &str = "企业自主填报";
pub const LABEL_EN: &str = "Self-declared by the enterprise";

/// The commitment an enterprise signs before a self-report is stored, shown in full first.
pub const COMMITMENT_TEXT: &str = texts::SELF_REPORT;

/// True for the batch kind of self-declared records.
pub fn is_self_declared(batch_kind: &str) -> bool {
    batch_kind == self_reports::KIND
}

/// The IDs of the batches holding records `subject` declared itself: a record whose
/// `batch_id` is among them is labelled [`LABEL_ZH`].
pub async fn declared_batches(
    conn: &impl ConnectionTrait,
    subject: &str,
) -> ServiceResult<HashSet<String>> {
    let orgs: Vec<String> = organizations::by_uscc(conn, subject, Role::Enterprise.code())
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    Ok(self_reports::batches_of(conn, &orgs)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect())
}

/// The catalogue items an enterprise may declare, in catalogue order.
pub fn reportable_items() -> Vec<&'static Item> {
    crate::catalog::current()
        .items
        .iter()
        .filter(|i| i.self_reportable)
        .collect()
}

/// A self-report as submitted: one row of one item.
#[derive(Debug, Clone, Default)]
pub struct SelfReport {
    pub item_key: String,
    /// Field key → value as typed. The subject field may be left out: it is the enterprise.
    pub values: BTreeMap<String, String>,
    /// The user ticked “I have read and sign the commitment” after it was shown in full.
    pub commitment_accepted: bool,
}

/// What a stored self-report did.
#[derive(Debug, Clone, Serialize)]
pub struct Declared {
    pub batch_id: String,
    pub item_key: String,
    pub subject: String,
    /// 1 when a new record version was written; 0 when the record already read exactly so.
    pub new_versions: usize,
    pub commitment_id: String,
    /// SM3 of the commitment text as signed.
    pub commitment_sm3: String,
    pub signed_at: DateTime<Utc>,
}

/// One of the enterprise's self-reports, for its list.
#[derive(Debug, Clone, Serialize)]
pub struct DeclaredBatch {
    pub batch_id: String,
    pub item_key: String,
    pub item_label: String,
    pub created_at: DateTime<Utc>,
    pub new_versions: i32,
    pub commitment_id: Option<String>,
    pub commitment_sm3: Option<String>,
}

fn own_uscc(principal: &Principal) -> ServiceResult<String> {
    principal.require(&[Role::Enterprise])?;
    principal.org_uscc.clone().ok_or_else(|| {
        ServiceError::invalid(
            "self_report.no_subject",
            "当前企业账户未关联统一社会信用代码",
        )
    })
}

/// The item, if the enterprise may declare it.
pub fn reportable_item(key: &str) -> ServiceResult<&'static Item> {
    let item = crate::catalog::current().item(key).ok_or_else(|| {
        ServiceError::invalid("catalog.unknown_item", format!("目录中没有信息项 {key}"))
    })?;
    if !item.self_reportable {
        return Err(ServiceError::invalid(
            "self_report.not_allowed",
            format!("信息项“{}”不接受企业自主填报", item.label),
        ));
    }
    Ok(item)
}

/// The cells of the one row, checked like a batch row: unknown fields refused, the subject
/// field set to (or required to be) the enterprise itself.
fn row_cells<'a>(
    item: &'a Item,
    values: &BTreeMap<String, String>,
    uscc: &str,
) -> ServiceResult<Vec<(&'a Field, String)>> {
    if let Some(unknown) = values.keys().find(|k| item.field(k).is_none()) {
        return Err(ServiceError::invalid(
            "self_report.unknown_field",
            format!("信息项“{}”没有字段 {unknown}", item.label),
        ));
    }
    let subject_key = &item.subject_fields[0];
    let mut cells = Vec::new();
    for field in &item.fields {
        let given = values.get(&field.key).map(|v| v.trim()).unwrap_or("");
        let value = if field.key == *subject_key {
            if !given.is_empty() && !given.eq_ignore_ascii_case(uscc) {
                return Err(ServiceError::invalid(
                    "self_report.subject",
                    "自主填报只能填报本企业自身的信息",
                ));
            }
            uscc.to_owned()
        } else {
            given.to_owned()
        };
        if !value.is_empty() {
            cells.push((field, value));
        }
    }
    Ok(cells)
}

/// Checks the row as a batch would, without writing anything.
pub fn check(
    item: &Item,
    values: &BTreeMap<String, String>,
    uscc: &str,
    today: chrono::NaiveDate,
) -> ServiceResult<()> {
    let cells = row_cells(item, values, uscc)?;
    let pairs: Vec<(&Field, &str)> = cells.iter().map(|(f, v)| (*f, v.as_str())).collect();
    let checked = item.check_row(&pairs, today).map_err(|problems| {
        // Each reason already names its field (“资质类别”不能为空 …).
        let text = problems
            .iter()
            .map(|p| p.reason.clone())
            .collect::<Vec<_>>()
            .join("；");
        ServiceError::invalid("self_report.invalid", text)
    })?;
    if checked.subject != uscc {
        return Err(ServiceError::invalid(
            "self_report.subject",
            "自主填报只能填报本企业自身的信息",
        ));
    }
    Ok(())
}

/// A one-row CSV of the cells, written to a temporary file for the ingest path.
struct RowFile(std::path::PathBuf);

impl RowFile {
    fn write(cells: &[(&Field, String)]) -> ServiceResult<RowFile> {
        let io = |e: std::io::Error| {
            ServiceError::invalid("self_report.io", format!("无法写入临时文件：{e}"))
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        let csv_err = |e: csv::Error| ServiceError::invalid("self_report.io", e.to_string());
        w.write_record(cells.iter().map(|(f, _)| f.key.as_str()))
            .map_err(csv_err)?;
        w.write_record(cells.iter().map(|(_, v)| v.as_str()))
            .map_err(csv_err)?;
        let bytes = w
            .into_inner()
            .map_err(|e| ServiceError::invalid("self_report.io", e.to_string()))?;
        let path = std::env::temp_dir().join(format!("xinrong-self-report-{}.csv", ids::new_id()));
        std::fs::write(&path, bytes).map_err(io)?;
        Ok(RowFile(path))
    }
}

impl Drop for RowFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Stores a self-report: the row through the ingest path (strict, all or nothing), then the
/// signed commitment and a trail entry for the batch.
///
/// The two steps are two transactions: the ingest path owns its own. A refused row writes
/// nothing at all. Should the commitment fail after the batch committed, submitting the same
/// row again replays the batch (same content) and signs the commitment for it.
pub async fn submit(
    platform: &Platform,
    principal: &Principal,
    report: SelfReport,
) -> ServiceResult<Declared> {
    let uscc = own_uscc(principal)?;
    let item = reportable_item(&report.item_key)?;
    if !report.commitment_accepted {
        return Err(ServiceError::invalid(
            "self_report.commitment_required",
            "须先阅读并签署信用承诺书，才能提交自主填报信息",
        ));
    }
    let today = platform
        .clock
        .now()
        .with_timezone(&xinrong_core::clock::shanghai())
        .date_naive();
    check(item, &report.values, &uscc, today)?;
    let cells = row_cells(item, &report.values, &uscc)?;
    let file = RowFile::write(&cells)?;
    let ingested = ingest(
        platform,
        IngestRequest {
            item_key: &item.key,
            provider_org_id: &principal.org_id,
            format: Format::Csv,
            encoding: Encoding::Utf8,
            strict: true,
            kind: BatchKind::SelfReport,
            path: &file.0,
            progress: None,
        },
    )
    .await?;
    drop(file);
    let batch_id = match (&ingested.batch_id, ingested.applied, ingested.rejected) {
        (Some(id), true, 0) => id.clone(),
        _ => {
            let text = ingested
                .errors
                .iter()
                .map(|p| p.reason.clone())
                .collect::<Vec<_>>()
                .join("；");
            return Err(ServiceError::invalid(
                "self_report.invalid",
                if text.is_empty() {
                    "填报内容未通过校验".to_owned()
                } else {
                    text
                },
            ));
        }
    };

    let txn = platform.db.begin().await?;
    let commitment = commitments::sign(
        &txn,
        platform,
        Signing {
            subject: Some(&uscc),
            user_id: Some(&principal.user_id),
            org_id: Some(&principal.org_id),
            context: "self_report",
            ref_id: Some(&batch_id),
            text: COMMITMENT_TEXT,
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "self_report.submitted",
            ref_id: &batch_id,
            subject: Some(&uscc),
            actor_user_id: Some(&principal.user_id),
            actor_org_id: Some(&principal.org_id),
            body: serde_json::json!({
                "item_key": item.key,
                "new_versions": ingested.new_versions,
                "replayed": ingested.replayed,
                "commitment_id": commitment.id,
                "commitment_sm3": commitment.text_sm3,
            }),
        },
    )
    .await?;
    txn.commit().await.map_err(StoreError::from)?;
    tracing::info!(user = %principal.username, batch = %batch_id, item = %item.key, "self-report stored");
    Ok(Declared {
        batch_id,
        item_key: item.key.clone(),
        subject: uscc,
        new_versions: ingested.new_versions,
        commitment_id: commitment.id,
        commitment_sm3: commitment.text_sm3,
        signed_at: commitment.signed_at.and_utc(),
    })
}

/// The enterprise's own self-reports, newest first, each with its commitment.
pub async fn list(platform: &Platform, principal: &Principal) -> ServiceResult<Vec<DeclaredBatch>> {
    let uscc = own_uscc(principal)?;
    let conn = &platform.db.conn;
    let orgs: Vec<String> = organizations::by_uscc(conn, &uscc, Role::Enterprise.code())
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let batches = self_reports::batches_of(conn, &orgs).await?;
    let signed = commitments::for_subject(conn, &uscc).await?;
    let catalog = crate::catalog::current();
    Ok(batches
        .into_iter()
        .map(|b| {
            let c = signed
                .iter()
                .filter(|c| c.context == "self_report" && c.ref_id.as_deref() == Some(&b.id))
                .max_by_key(|c| c.signed_at);
            DeclaredBatch {
                item_label: catalog
                    .item(&b.item_key)
                    .map_or_else(|| b.item_key.clone(), |i| i.label.clone()),
                item_key: b.item_key,
                created_at: b.created_at.and_utc(),
                new_versions: b.rows_new + b.rows_versioned,
                commitment_id: c.map(|c| c.id.clone()),
                commitment_sm3: c.map(|c| c.text_sm3.clone()),
                batch_id: b.id,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_self_report_batches_are_self_declared() {
        assert!(is_self_declared("self_report"));
        assert!(!is_self_declared("regular"));
        assert!(!is_self_declared("correction"));
    }

    #[test]
    fn the_catalogue_marks_some_items_and_never_a_negative_one() {
        let items = reportable_items();
        assert!(items.iter().any(|i| i.key == "qualifications.construction"));
        assert!(
            items
                .iter()
                .any(|i| i.key == "contract_performance.contract_records")
        );
        assert!(
            items
                .iter()
                .all(|i| i.polarity != xinrong_core::catalog::Polarity::Negative)
        );
        assert!(reportable_item("administrative.administrative_penalty").is_err());
    }
}
