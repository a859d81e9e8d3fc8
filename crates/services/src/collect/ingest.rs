//! One push batch: check every row, then apply the valid ones (or, strict, all or nothing) in
//! one transaction — record versions, ledger leaves, outbox events and the batch itself.

use super::decode::{Encoding, Format, read_file};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use serde::Serialize;
use xinrong_core::catalog::{CheckedRow, Mode};
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_ledger::sm3;
use xinrong_store::StoreError;
use xinrong_store::repo::batches::{self, BatchRow};
use xinrong_store::repo::records::{self, RecordRow};
use xinrong_store::repo::{ledger, organizations, outbox};

#[derive(Debug, Clone)]
pub struct IngestRequest<'a> {
    pub item_key: &'a str,
    pub provider_org_id: &'a str,
    pub format: Format,
    pub encoding: Encoding,
    /// All rows or none.
    pub strict: bool,
    pub bytes: &'a [u8],
}

/// One rejected cell or row, for the provider's error report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowProblem {
    /// Line (CSV) or record (JSONL) number in the file.
    pub row: usize,
    pub field: String,
    pub value: String,
    pub reason: String,
}

/// What a batch did. `received = accepted + rejected`; of the accepted rows, `unchanged` added
/// nothing and the rest each wrote one version (`new_versions`), `new_records` of them the first
/// version of a record.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    pub batch_id: Option<String>,
    pub item_key: String,
    /// False when a strict batch was refused, or the file had no data rows.
    pub applied: bool,
    /// The same file was already applied; nothing changed.
    pub replayed: bool,
    pub received: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub unchanged: usize,
    pub new_versions: usize,
    pub new_records: usize,
    pub seconds: f64,
    pub errors: Vec<RowProblem>,
}

pub async fn ingest(
    platform: &Platform,
    request: IngestRequest<'_>,
) -> ServiceResult<IngestReport> {
    let started = std::time::Instant::now();
    let catalog = crate::catalog::current();
    let item = catalog.item(request.item_key).ok_or_else(|| {
        ServiceError::invalid(
            "catalog.unknown_item",
            format!("目录中没有信息项 {}", request.item_key),
        )
    })?;
    if !item.modes.contains(&Mode::Push) {
        return Err(ServiceError::invalid(
            "collect.not_push",
            format!("信息项 {} 为接口调用方式，不接受批量报送", item.key),
        ));
    }
    let provider = organizations::get(&platform.db.conn, request.provider_org_id)
        .await?
        .ok_or(ServiceError::NotFound("数据提供单位"))?;
    if provider.kind != Role::Provider.code() {
        return Err(ServiceError::invalid(
            "collect.not_provider",
            format!("{} 不是数据提供单位", provider.name),
        ));
    }
    if !xinrong_store::repo::provider_items::is_granted(&platform.db.conn, &provider.id, &item.key)
        .await?
    {
        return Err(ServiceError::invalid(
            "collect.not_allowed",
            format!(
                "{} 不是信息项“{}”的责任单位，不能报送",
                provider.name, item.label
            ),
        ));
    }
    let content_hash = sm3(&[request.bytes]).to_hex();
    if let Some(done) =
        batches::by_content(&platform.db.conn, &provider.id, &item.key, &content_hash).await?
    {
        let accepted = (done.rows_total - done.rows_rejected) as usize;
        return Ok(IngestReport {
            batch_id: Some(done.id),
            item_key: item.key.clone(),
            applied: true,
            replayed: true,
            received: done.rows_total as usize,
            accepted,
            rejected: done.rows_rejected as usize,
            unchanged: accepted,
            new_versions: 0,
            new_records: 0,
            seconds: started.elapsed().as_secs_f64(),
            errors: Vec::new(),
        });
    }

    let table = read_file(request.bytes, request.format, request.encoding)?;
    let fields = item.map_headers(&table.header).map_err(|unknown| {
        ServiceError::invalid(
            "collect.unknown_columns",
            format!("表头中有目录未定义的字段：{}", unknown.join("、")),
        )
    })?;
    let today = platform
        .clock
        .now()
        .with_timezone(&chrono_tz_shanghai())
        .date_naive();
    let mut good: Vec<(usize, CheckedRow)> = Vec::new();
    let mut errors = Vec::new();
    for (row, cells) in &table.rows {
        let pairs: Vec<_> = fields
            .iter()
            .zip(cells.iter())
            .map(|(f, c)| (*f, c.as_str()))
            .collect();
        match item.check_row(&pairs, today) {
            Ok(checked) => good.push((*row, checked)),
            Err(problems) => errors.extend(problems.into_iter().map(|p| RowProblem {
                row: *row,
                field: p.field,
                value: p.value,
                reason: p.reason,
            })),
        }
    }
    let rows_total = table.rows.len();
    let rows_rejected = rows_total - good.len();
    let mut report = IngestReport {
        batch_id: None,
        item_key: item.key.clone(),
        applied: false,
        replayed: false,
        received: rows_total,
        accepted: good.len(),
        rejected: rows_rejected,
        unchanged: 0,
        new_versions: 0,
        new_records: 0,
        seconds: 0.0,
        errors,
    };
    if (request.strict && rows_rejected > 0) || rows_total == 0 {
        report.seconds = started.elapsed().as_secs_f64();
        return Ok(report);
    }

    let batch_id = ids::new_id().to_string();
    let now = platform.clock.now_naive();
    let txn = platform.db.begin().await?;
    let first_leaf = ledger::size(&txn).await?;
    let mut leaves = Vec::new();
    for (_, row) in &good {
        let natural_key_hash = sm3(&[serde_json::to_string(&row.natural_key)
            .expect("JSON")
            .as_bytes()])
        .to_hex();
        // serde_json's map is ordered by key, so equal content always hashes equally.
        let payload = serde_json::to_string(&row.values).expect("JSON");
        let content_hash = sm3(&[payload.as_bytes()]).to_hex();
        let latest = records::latest(&txn, &item.key, &row.subject, &natural_key_hash).await?;
        let version = match &latest {
            Some(prev) if prev.content_hash == content_hash => {
                report.unchanged += 1;
                continue;
            }
            Some(prev) => prev.version + 1,
            None => {
                report.new_records += 1;
                1
            }
        };
        report.new_versions += 1;
        let record_id = ids::new_id().to_string();
        let leaf_index = first_leaf + leaves.len() as i64;
        let leaf = crate::ledger::record_leaf(
            &item.key,
            &row.subject,
            &natural_key_hash,
            version,
            &content_hash,
        );
        leaves.push((leaf.to_hex(), "record", record_id.clone()));
        records::insert(
            &txn,
            RecordRow {
                id: record_id.clone(),
                item_key: item.key.clone(),
                subject: row.subject.clone(),
                natural_key_hash,
                version,
                payload,
                content_hash,
                batch_id: batch_id.clone(),
                provider_org_id: provider.id.clone(),
                catalog_version: catalog.version as i32,
                ledger_index: leaf_index,
                created_at: now,
            },
        )
        .await?;
        let event = serde_json::json!({
            "record_id": record_id, "item_key": item.key, "subject": row.subject, "version": version,
        });
        outbox::publish(&txn, "record.changed", &event.to_string(), now).await?;
    }
    ledger::append(&txn, first_leaf, &leaves, now).await?;
    batches::insert(
        &txn,
        BatchRow {
            id: batch_id.clone(),
            item_key: item.key.clone(),
            provider_org_id: provider.id.clone(),
            content_hash,
            format: request.format.code().to_owned(),
            strict: request.strict,
            catalog_version: catalog.version as i32,
            rows_total: rows_total as i32,
            rows_new: report.new_records as i32,
            rows_versioned: (report.new_versions - report.new_records) as i32,
            rows_unchanged: report.unchanged as i32,
            rows_rejected: rows_rejected as i32,
            created_at: now,
        },
    )
    .await?;
    txn.commit().await.map_err(StoreError::from)?;
    tracing::info!(batch = %batch_id, item = %item.key, provider = %provider.id, versions = report.new_versions,
        unchanged = report.unchanged, rejected = rows_rejected, "batch applied");
    report.batch_id = Some(batch_id);
    report.applied = true;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Dates in uploads are Beijing dates: "today" is today in Asia/Shanghai.
fn chrono_tz_shanghai() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")
}
