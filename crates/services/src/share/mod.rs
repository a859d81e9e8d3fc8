//! 信息共享 (sharing): what one organisation receives about one subject. Every output of subject
//! data — the API, the HTML pages, CSV/XLSX exports, `xinrong view`, and in [P4] reports — is
//! built from the [`SubjectView`] this module returns, so the access decision
//! (`crate::access`) and the masking policy (`xinrong_core::masking`) are applied once, the same
//! way, whichever door is used. A view that discloses anything is written to the access log
//! (查询记录, a ledgered trail entry) in the same call.

mod export;
mod log;

pub use export::{view_csv, view_xlsx};
pub use log::{AccessEntry, AccessQuery, access_log, record_item_read};

use crate::access::{self, Reader};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use xinrong_core::access::{Basis, Notice, Shown};
use xinrong_core::catalog::{FieldType, Item, Sensitivity};
use xinrong_core::purpose::Purpose;
use xinrong_store::repo::{enterprises, organizations, records};

/// One read asked for.
#[derive(Debug, Clone, Default)]
pub struct ViewRequest<'a> {
    pub subject: &'a str,
    /// 查询用途, a purpose code or its Chinese label; institutions must state one.
    pub purpose: Option<&'a str>,
    /// Free text beside the purpose (e.g. the loan application), kept in the access log.
    pub purpose_text: Option<&'a str>,
    /// The authorization the reader relies on; when absent, any active one that covers.
    pub authorization_id: Option<&'a str>,
    /// Only these items (keys); all items with records when `None`.
    pub items: Option<&'a [String]>,
    /// Every version, not only the current one (the subject and the operator only).
    pub history: bool,
    /// The door: `api`, `ui`, `cli`, `export_csv`, `export_xlsx`, `report`.
    pub channel: &'static str,
}

/// What one organisation receives about one subject.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectView {
    pub subject: String,
    pub subject_name: String,
    pub reader_org_id: String,
    pub reader_org_name: String,
    /// The purpose code, when one was stated and known.
    pub purpose: Option<String>,
    pub purpose_label: Option<String>,
    pub purpose_text: Option<String>,
    /// Authorizations this view relied on.
    pub authorization_ids: Vec<String>,
    pub generated_at: DateTime<Utc>,
    /// The access-log entry of this read (absent when nothing was disclosed).
    pub access_id: Option<String>,
    pub items: Vec<ItemView>,
}

/// One catalogue item of the view.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub item_key: String,
    pub label: String,
    pub section: String,
    /// An adverse item (失信、处罚 …), whose records may be repaired (信用修复).
    pub adverse: bool,
    /// Why the reader may read this item.
    pub basis: Basis,
    /// Why something is masked or withheld, and how to obtain it.
    pub notice: Option<Notice>,
    pub records: Vec<RecordView>,
}

/// One record version as the reader receives it.
#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    pub record_id: String,
    pub version: i32,
    /// 信息来源单位.
    pub source_unit: String,
    pub updated_at: DateTime<Utc>,
    pub catalog_version: i32,
    /// 异议处理中.
    pub objection_pending: bool,
    /// 已信用修复 (only the subject and the operator still see such a record).
    pub repaired: bool,
    /// 企业自主填报.
    pub self_declared: bool,
    /// Set when the record itself is withheld (e.g. repaired) — then `fields` is empty.
    pub withheld: Option<Notice>,
    pub fields: Vec<FieldView>,
}

/// One field's value as it leaves the platform.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub key: String,
    pub label: String,
    pub sensitivity: Sensitivity,
    #[serde(flatten)]
    pub shown: Shown,
}

impl SubjectView {
    /// Whether any value (clear or masked) is in the view.
    pub fn discloses_anything(&self) -> bool {
        self.items.iter().any(|i| {
            i.records
                .iter()
                .any(|r| r.fields.iter().any(|f| !matches!(f.shown, Shown::Withheld)))
        })
    }
}

/// The date a record is "about", for an authorization's data range: the first date field of
/// its natural key, else its first required date field.
fn record_date(item: &Item, values: &serde_json::Value) -> Option<NaiveDate> {
    let dates = item
        .fields
        .iter()
        .filter(|f| f.field_type == FieldType::Date);
    let key = dates
        .clone()
        .find(|f| item.natural_key.contains(&f.key))
        .or_else(|| dates.clone().find(|f| f.required))?;
    values
        .get(&key.key)
        .and_then(|v| v.as_str())
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// A field value as text, whatever JSON shape it was stored in.
fn value_text(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Every field of a record as `verdict` lets it out; nothing when nothing may be shown.
fn shape_fields(
    item: &Item,
    verdict: &xinrong_core::access::Verdict,
    values: &serde_json::Value,
) -> Vec<FieldView> {
    if !verdict.discloses_anything() {
        return Vec::new();
    }
    item.fields
        .iter()
        .map(|f| FieldView {
            key: f.key.clone(),
            label: f.label.clone(),
            sensitivity: f.sensitivity,
            shown: xinrong_core::access::shape(verdict, f, &value_text(values.get(&f.key))),
        })
        .collect()
}

/// One record version as `reader` may see it (an objection or repair page shows the record it is
/// about): the same decision and masking as the subject view, logged when anything is shown.
pub async fn record(
    platform: &Platform,
    reader: &Reader,
    record_id: &str,
    channel: &'static str,
) -> ServiceResult<ItemView> {
    let conn = &platform.db.conn;
    let row = records::get(conn, record_id)
        .await?
        .ok_or(ServiceError::NotFound("记录"))?;
    let item = crate::catalog::current()
        .item(&row.item_key)
        .ok_or(ServiceError::NotFound("信息项"))?;
    let facts = access::Facts::gather(
        platform,
        reader,
        &row.subject,
        None,
        platform.clock.now_naive(),
    )
    .await?;
    let key = (row.item_key.clone(), row.natural_key_hash.clone());
    let repaired = crate::repairs::repaired_on(conn, &row.subject)
        .await?
        .contains(&key);
    let values: serde_json::Value =
        serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null);
    let verdict = facts.verdict(
        item,
        None,
        record_date(item, &values),
        Some(&row.provider_org_id),
        repaired,
    );
    if !verdict.discloses_anything() {
        let notice = verdict.notice.unwrap_or(Notice {
            code: "access.denied",
            message: "无权查看该记录".into(),
        });
        return Err(ServiceError::Denied {
            code: notice.code,
            message: notice.message,
        });
    }
    let pending = crate::objections::pending_on(conn, &row.subject)
        .await?
        .contains(&key);
    let declared = crate::self_report::declared_batches(conn, &row.subject)
        .await?
        .contains(&row.batch_id);
    let source_unit = organizations::get(conn, &row.provider_org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let fields = shape_fields(item, &verdict, &values);
    let view = ItemView {
        item_key: item.key.clone(),
        label: item.label.clone(),
        section: item.section.clone(),
        adverse: item.polarity == xinrong_core::catalog::Polarity::Negative,
        basis: verdict.basis.clone(),
        notice: verdict.notice.clone(),
        records: vec![RecordView {
            record_id: row.id.clone(),
            version: row.version,
            source_unit,
            updated_at: row.created_at.and_utc(),
            catalog_version: row.catalog_version,
            objection_pending: pending,
            repaired,
            self_declared: declared,
            withheld: None,
            fields,
        }],
    };
    log::record_item_read(
        platform,
        reader,
        &row.subject,
        &row.item_key,
        None,
        None,
        channel,
    )
    .await?;
    Ok(view)
}

/// Builds what `reader` receives about `request.subject`, logs it if anything is disclosed, and
/// returns it. Refused outright (403) when the reader names an authorization that cannot be
/// used, or when nothing at all could be disclosed — with the reason, never the data.
pub async fn view(
    platform: &Platform,
    reader: &Reader,
    request: &ViewRequest<'_>,
) -> ServiceResult<SubjectView> {
    let mut prepared = prepare(platform, reader, request).await?;
    if !prepared.view.discloses_anything() {
        return Ok(prepared.view);
    }
    let access_id = log::record(
        platform,
        reader,
        &prepared.view,
        request.channel,
        &prepared.shown_reads,
    )
    .await?;
    prepared.view.access_id = Some(access_id);
    Ok(prepared.view)
}

/// A view decided and shaped but not yet written to the access log, with the facts it was
/// decided on — for a caller that writes the access-log entry inside its own transaction with
/// its own rows (a credit report: the read, the report and its anchor commit together).
#[derive(Debug)]
pub struct Prepared {
    pub view: SubjectView,
    pub facts: access::Facts,
    /// The purpose code the view was decided for.
    pub purpose_code: Option<&'static str>,
    shown_reads: HashSet<(String, String)>,
}

/// Writes the access-log entry of a prepared view inside `conn` (the caller's transaction),
/// as [`view`] does in a transaction of its own. Returns the entry id.
pub async fn log_prepared<C: sea_orm::ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    reader: &Reader,
    prepared: &mut Prepared,
    channel: &'static str,
) -> ServiceResult<String> {
    let id = log::record_in(
        conn,
        platform,
        reader,
        &prepared.view,
        channel,
        &prepared.shown_reads,
    )
    .await?;
    prepared.view.access_id = Some(id.clone());
    Ok(id)
}

/// [`view`] without the logging: the decision, the shaping and the refusal.
pub async fn prepare(
    platform: &Platform,
    reader: &Reader,
    request: &ViewRequest<'_>,
) -> ServiceResult<Prepared> {
    let conn = &platform.db.conn;
    let now = platform.clock.now_naive();
    let subject = request.subject.trim().to_uppercase();
    let purpose = request.purpose.and_then(Purpose::parse);
    if request.purpose.is_some_and(|p| !p.trim().is_empty()) && purpose.is_none() {
        return Err(ServiceError::invalid(
            "access.unknown_purpose",
            format!(
                "查询用途“{}”无效，应为：{}",
                request.purpose.unwrap_or_default().trim(),
                Purpose::ALL.map(|p| p.label_zh()).join("、")
            ),
        ));
    }
    let Some(enterprise) = enterprises::get(conn, &subject).await? else {
        return Err(ServiceError::invalid(
            "subject.unknown",
            format!("平台没有统一社会信用代码为 {subject} 的企业"),
        ));
    };
    let facts =
        access::Facts::gather(platform, reader, &subject, request.authorization_id, now).await?;
    let catalog = crate::catalog::current();
    let wanted: Option<HashSet<&str>> = request
        .items
        .map(|keys| keys.iter().map(String::as_str).collect());
    if let Some(keys) = &wanted {
        for key in keys {
            if catalog.item(key).is_none() {
                return Err(ServiceError::invalid(
                    "catalog.unknown_item",
                    format!("目录中没有信息项 {key}"),
                ));
            }
        }
    }
    let history = request.history && reader.may_read_history(&subject);
    let mut rows = records::for_subject(conn, &subject).await?;
    rows.retain(|r| {
        wanted
            .as_ref()
            .is_none_or(|w| w.contains(r.item_key.as_str()))
    });
    if !history {
        let mut latest: HashMap<(String, String), i32> = HashMap::new();
        for r in &rows {
            let v = latest
                .entry((r.item_key.clone(), r.natural_key_hash.clone()))
                .or_insert(r.version);
            *v = (*v).max(r.version);
        }
        rows.retain(|r| latest[&(r.item_key.clone(), r.natural_key_hash.clone())] == r.version);
    }
    let pending = crate::objections::pending_on(conn, &subject).await?;
    let repaired = crate::repairs::repaired_on(conn, &subject).await?;
    let declared = crate::self_report::declared_batches(conn, &subject).await?;
    let providers: HashMap<String, String> = organizations::list(conn, None)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();

    let mut by_item: BTreeMap<(u32, usize, String), ItemView> = BTreeMap::new();
    let section_order: HashMap<&str, u32> = catalog
        .sections
        .iter()
        .map(|s| (s.key.as_str(), s.order))
        .collect();
    let item_order: HashMap<&str, usize> = catalog
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.key.as_str(), i))
        .collect();
    let mut used: HashSet<String> = HashSet::new();
    let mut shown_reads: HashSet<(String, String)> = HashSet::new();
    let purpose_code = purpose.map(|p| p.code());
    let mut item_keys: Vec<&str> = rows.iter().map(|r| r.item_key.as_str()).collect();
    if let Some(w) = &wanted {
        item_keys.extend(w.iter().copied());
    }
    for key in item_keys {
        let Some(item) = catalog.item(key) else {
            continue;
        };
        let sort = (
            section_order
                .get(item.section.as_str())
                .copied()
                .unwrap_or(u32::MAX),
            item_order
                .get(item.key.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            item.key.clone(),
        );
        by_item.entry(sort).or_insert_with(|| {
            let verdict = facts.verdict(item, purpose_code, None, None, false);
            ItemView {
                item_key: item.key.clone(),
                label: item.label.clone(),
                section: item.section.clone(),
                adverse: item.polarity == xinrong_core::catalog::Polarity::Negative,
                basis: verdict.basis.clone(),
                notice: verdict.notice.clone(),
                records: Vec::new(),
            }
        });
    }
    for r in &rows {
        let Some(item) = catalog.item(&r.item_key) else {
            continue;
        };
        let values: serde_json::Value =
            serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null);
        let key = (r.item_key.clone(), r.natural_key_hash.clone());
        let is_repaired = repaired.contains(&key);
        let verdict = facts.verdict(
            item,
            purpose_code,
            record_date(item, &values),
            Some(&r.provider_org_id),
            is_repaired,
        );
        let fields = shape_fields(item, &verdict, &values);
        if fields.iter().any(|f| !matches!(f.shown, Shown::Withheld)) {
            if let Basis::Authorization { id } = &verdict.basis {
                used.insert(id.clone());
            }
            shown_reads.insert((r.provider_org_id.clone(), r.item_key.clone()));
        }
        let sort = (
            section_order
                .get(item.section.as_str())
                .copied()
                .unwrap_or(u32::MAX),
            item_order
                .get(item.key.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            item.key.clone(),
        );
        let entry = by_item
            .get_mut(&sort)
            .expect("every record's item is listed");
        // The item shows the most generous basis any of its records had.
        if entry.basis == Basis::None || matches!(verdict.basis, Basis::Authorization { .. }) {
            entry.basis = verdict.basis.clone();
            if verdict.discloses_anything() {
                entry.notice = verdict.notice.clone();
            }
        }
        // A repaired record disappears entirely for readers who may not see it: not even its
        // existence is disclosed.
        if is_repaired && !verdict.discloses_anything() {
            continue;
        }
        entry.records.push(RecordView {
            record_id: r.id.clone(),
            version: r.version,
            source_unit: providers
                .get(&r.provider_org_id)
                .cloned()
                .unwrap_or_default(),
            updated_at: r.created_at.and_utc(),
            catalog_version: r.catalog_version,
            objection_pending: pending.contains(&key),
            repaired: is_repaired,
            self_declared: declared.contains(&r.batch_id),
            withheld: (!verdict.discloses_anything())
                .then(|| verdict.notice.clone())
                .flatten(),
            fields,
        });
    }
    let items: Vec<ItemView> = by_item.into_values().collect();
    let mut view = SubjectView {
        subject: subject.clone(),
        subject_name: enterprise.name.clone(),
        reader_org_id: reader.org_id.clone(),
        reader_org_name: reader.org_name.clone(),
        purpose: purpose.map(|p| p.code().to_owned()),
        purpose_label: purpose.map(|p| p.label_zh().to_owned()),
        purpose_text: request
            .purpose_text
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned),
        authorization_ids: used.iter().cloned().collect(),
        generated_at: platform.clock.now(),
        access_id: None,
        items,
    };
    view.authorization_ids.sort();
    if !view.discloses_anything() {
        // Nothing could be shown: say why, once, without data.
        // Refused for every item (outside the agreement's items or purpose, say): the first
        // item's reason. An empty view (no records yet) is not a refusal.
        let refusal = facts.refusal(purpose_code).or_else(|| {
            view.items
                .iter()
                .find(|i| i.basis == Basis::None && !i.records.is_empty())
                .and_then(|i| i.notice.clone())
        });
        if let Some(notice) = refusal {
            return Err(ServiceError::Denied {
                code: notice.code,
                message: notice.message,
            });
        }
    }
    Ok(Prepared {
        view,
        facts,
        purpose_code,
        shown_reads,
    })
}

/// Every stored version about `subject` (optionally of one item) with its provenance, each
/// version's values shaped by the access decision for `reader` (withheld values left out) —
/// the record store as `xinrong records show` prints it. Logged like any other read.
pub async fn versions(
    platform: &Platform,
    reader: &Reader,
    subject: &str,
    item: Option<&str>,
) -> ServiceResult<Vec<crate::records::RecordVersion>> {
    let subject = subject.trim().to_uppercase();
    let facts =
        access::Facts::gather(platform, reader, &subject, None, platform.clock.now_naive()).await?;
    let repaired = crate::repairs::repaired_on(&platform.db.conn, &subject).await?;
    let catalog = crate::catalog::current();
    let mut out = Vec::new();
    let mut shown_reads = HashSet::new();
    for mut v in crate::records::history(platform, &subject, item).await? {
        let Some(it) = catalog.item(&v.item_key) else {
            continue;
        };
        let is_repaired = repaired.contains(&(v.item_key.clone(), v.natural_key_hash.clone()));
        let verdict = facts.verdict(
            it,
            None,
            record_date(it, &v.values),
            Some(&v.provider_org_id),
            is_repaired,
        );
        if !verdict.discloses_anything() {
            continue;
        }
        let mut shaped = serde_json::Map::new();
        for f in &it.fields {
            let Some(raw) = v.values.get(&f.key) else {
                continue;
            };
            match xinrong_core::access::shape(&verdict, f, &value_text(Some(raw))) {
                Shown::Clear(_) => {
                    shaped.insert(f.key.clone(), raw.clone());
                }
                Shown::Masked(m) => {
                    shaped.insert(f.key.clone(), serde_json::Value::String(m));
                }
                Shown::Withheld => {}
            }
        }
        v.values = serde_json::Value::Object(shaped);
        shown_reads.insert((v.provider_org_id.clone(), v.item_key.clone()));
        out.push(v);
    }
    if !out.is_empty() {
        let mut items: Vec<String> = out.iter().map(|v| v.item_key.clone()).collect();
        items.dedup();
        log::record_versions(platform, reader, &subject, &items, out.len()).await?;
    }
    Ok(out)
}
