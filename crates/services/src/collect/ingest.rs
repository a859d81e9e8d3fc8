//! One push batch (批次): read the file row by row, check every row against the catalogue, and
//! apply the valid ones (or, strict, all or nothing) in one transaction — record versions,
//! ledger leaves, events, enterprise master data, the batch manifest and a signed tree head.
//!
//! Reading and checking run on a blocking thread and hand chunks of rows through a channel of
//! two, so memory stays bounded whatever the file's size while the database writes the previous
//! chunk. A crash at any point leaves the batch wholly absent (one transaction); sending the same
//! file again then applies it, and sending it after it was applied changes nothing.

use super::decode::{Encoding, Format, MAX_CELL_CHARS, RawRow, read_rows};
use super::master;
use super::progress::{Progress, Stage};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xinrong_core::catalog::{CodeTable, Item, Mode, Severity};
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_ledger::sm3;
use xinrong_store::StoreError;
use xinrong_store::bulk::{self, Cell};
use xinrong_store::repo::batches::{self, BatchRow};
use xinrong_store::repo::records::{self, Head};
use xinrong_store::repo::{enterprises, events, ledger, organizations};

/// Rows checked and written together: one lookup query and a few bulk statements per chunk.
const CHUNK_ROWS: usize = 2_000;
/// Row problems listed in a report; beyond this they are only counted.
pub const MAX_LISTED_PROBLEMS: usize = 10_000;

/// Why a batch was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchKind {
    /// 常规报送
    Regular,
    /// 更正: the provider corrects records it sent before; changed records become `corrected`
    /// events.
    Correction,
    /// 自愿填报: an enterprise declares a record about itself under a credit commitment
    /// (`crate::self_report`); the provider is the enterprise's own organisation.
    SelfReport,
}

impl BatchKind {
    pub fn code(self) -> &'static str {
        match self {
            BatchKind::Regular => "regular",
            BatchKind::Correction => "correction",
            BatchKind::SelfReport => "self_report",
        }
    }
}

#[derive(Debug, Clone)]
pub struct IngestRequest<'a> {
    pub item_key: &'a str,
    pub provider_org_id: &'a str,
    pub format: Format,
    pub encoding: Encoding,
    /// All rows or none.
    pub strict: bool,
    pub kind: BatchKind,
    /// The file, on disk: uploads are spooled first so nothing holds a whole file in memory.
    pub path: &'a Path,
    /// Where to report progress, for a watcher; `None` when nobody watches.
    pub progress: Option<Arc<Progress>>,
}

/// One rejected cell or row, for the provider's error report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowProblem {
    /// Line (CSV, JSONL) or row (XLSX) number in the file.
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
    /// Rejected rows whose natural key repeats an earlier row of the same file.
    pub duplicates: usize,
    pub seconds: f64,
    /// The first `MAX_LISTED_PROBLEMS` problems; `problems_total` counts them all.
    pub errors: Vec<RowProblem>,
    pub problems_total: usize,
}

/// A row that passed the catalogue checks, ready to be compared and written.
struct Prepared {
    line: usize,
    subject: String,
    natural_key_hash: String,
    payload: String,
    content_hash: String,
    filled: usize,
    /// Kept only for items that update the enterprise master.
    values: Option<Map<String, Value>>,
}

#[derive(Default)]
struct Chunk {
    received: usize,
    rows: Vec<Prepared>,
    problems: Vec<RowProblem>,
    /// Lines of rows with at least one problem (a row may have several).
    rejected: usize,
}

fn problem(line: usize, field: &str, value: &str, reason: impl Into<String>) -> RowProblem {
    RowProblem {
        row: line,
        field: field.to_owned(),
        value: value.chars().take(200).collect(),
        reason: reason.into(),
    }
}

/// Checks one row and, when it passes, computes what the store needs.
fn prepare(
    item: &Item,
    raw: RawRow<'_>,
    today: chrono::NaiveDate,
) -> Result<Prepared, Vec<RowProblem>> {
    let line = raw.line;
    if let Some(defect) = raw.defect {
        return Err(vec![problem(line, "", "", defect)]);
    }
    let long: Vec<RowProblem> = raw
        .cells
        .iter()
        .filter(|(_, v)| v.chars().count() > MAX_CELL_CHARS)
        .map(|(f, v)| {
            problem(
                line,
                &f.key,
                v,
                format!("“{}”超过 {} 个字符", f.label, MAX_CELL_CHARS),
            )
        })
        .collect();
    if !long.is_empty() {
        return Err(long);
    }
    let pairs: Vec<_> = raw.cells.iter().map(|(f, c)| (*f, c.as_str())).collect();
    let checked = item.check_row(&pairs, today).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| problem(line, &p.field, &p.value, p.reason))
            .collect::<Vec<_>>()
    })?;
    // serde_json's map is ordered by key, so equal content always hashes equally.
    let natural_key_hash = sm3(&[serde_json::to_string(&checked.natural_key)
        .expect("JSON")
        .as_bytes()])
    .to_hex();
    let payload = serde_json::to_string(&checked.values).expect("JSON");
    let content_hash = sm3(&[payload.as_bytes()]).to_hex();
    Ok(Prepared {
        line,
        filled: checked.values.len(),
        values: master::updates_master(&item.key).then_some(checked.values),
        subject: checked.subject,
        natural_key_hash,
        payload,
        content_hash,
    })
}

/// SM3 of a file's bytes, read in blocks.
fn hash_file(path: &Path, progress: &Arc<Progress>) -> ServiceResult<String> {
    let unreadable = |e: std::io::Error| {
        ServiceError::invalid("collect.unreadable", format!("无法读取文件：{e}"))
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut hasher = <sm3::Sm3 as sm3::Digest>::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        sm3::Digest::update(&mut hasher, &buf[..n]);
        progress.add_bytes(n as u64);
    }
    Ok(hex::encode(sm3::Digest::finalize(hasher)))
}

pub async fn ingest(
    platform: &Platform,
    request: IngestRequest<'_>,
) -> ServiceResult<IngestReport> {
    let started = std::time::Instant::now();
    let catalog = crate::catalog::current();
    let item: &'static Item = catalog.item(request.item_key).ok_or_else(|| {
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
    // A self-report is sent by the enterprise itself, about itself only.
    let only_subject = if request.kind == BatchKind::SelfReport {
        if provider.kind != Role::Enterprise.code() || !item.self_reportable {
            return Err(ServiceError::invalid(
                "self_report.not_allowed",
                format!("信息项“{}”不接受企业自主填报", item.label),
            ));
        }
        provider.uscc.clone()
    } else if provider.kind != Role::Provider.code() {
        return Err(ServiceError::invalid(
            "collect.not_provider",
            format!("{} 不是数据提供单位", provider.name),
        ));
    } else {
        None
    };
    // A self-report may add to the enterprise's own declarations, never overwrite a record a
    // source unit sent (that is what an objection is for).
    let own_batches = match only_subject {
        Some(_) => Some(
            xinrong_store::repo::self_reports::batches_of(
                &platform.db.conn,
                std::slice::from_ref(&provider.id),
            )
            .await?
            .into_iter()
            .map(|b| b.id)
            .collect::<HashSet<String>>(),
        ),
        None => None,
    };
    if only_subject.is_none()
        && !xinrong_store::repo::provider_items::is_granted(
            &platform.db.conn,
            &provider.id,
            &item.key,
        )
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
    let progress = request.progress.clone().unwrap_or_default();
    let path: PathBuf = request.path.to_owned();
    let size = std::fs::metadata(&path)
        .map_err(|e| ServiceError::invalid("collect.unreadable", format!("无法读取文件：{e}")))?
        .len();
    progress.set_total(size);
    progress.set_stage(Stage::Hashing);
    let content_hash = {
        let (path, progress) = (path.clone(), progress.clone());
        tokio::task::spawn_blocking(move || hash_file(&path, &progress))
            .await
            .expect("hashing thread")?
    };
    if let Some(done) =
        batches::by_content(&platform.db.conn, &provider.id, &item.key, &content_hash).await?
    {
        progress.set_stage(Stage::Done);
        return Ok(replayed(done, started));
    }

    progress.set_stage(Stage::Applying);
    let today = platform.clock.now().with_timezone(&beijing()).date_naive();
    let (sender, mut chunks) = tokio::sync::mpsc::channel::<Chunk>(2);
    let reader = {
        let (format, encoding, progress) = (request.format, request.encoding, progress.clone());
        tokio::task::spawn_blocking(move || {
            let mut chunk = Chunk::default();
            let counter = progress.clone();
            read_rows(&path, format, encoding, item, progress, &mut |raw| {
                chunk.received += 1;
                counter.add_rows_read(1);
                match prepare(item, raw, today) {
                    Ok(row) => chunk.rows.push(row),
                    Err(problems) => {
                        chunk.rejected += 1;
                        chunk.problems.extend(problems);
                    }
                }
                if chunk.received >= CHUNK_ROWS {
                    // A closed channel means the writer gave up: stop reading.
                    if sender.blocking_send(std::mem::take(&mut chunk)).is_err() {
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            })?;
            if chunk.received > 0 {
                let _ = sender.blocking_send(chunk);
            }
            Ok::<(), ServiceError>(())
        })
    };

    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let mut writer = BatchWriter {
        item,
        // The catalogue gives every adverse item a severity, and no other item one.
        severity: item.severity.map(Severity::code),
        batch_id: ids::new_id().to_string(),
        provider_org_id: provider.id.clone(),
        kind: request.kind,
        catalog_version: catalog.version as i32,
        check_subjects: item
            .field(&item.subject_fields[0])
            .is_some_and(|f| f.code_table == Some(CodeTable::Uscc)),
        only_subject,
        own_batches,
        now,
        strict: request.strict,
        report: IngestReport {
            batch_id: None,
            item_key: item.key.clone(),
            applied: false,
            replayed: false,
            received: 0,
            accepted: 0,
            rejected: 0,
            unchanged: 0,
            new_versions: 0,
            new_records: 0,
            duplicates: 0,
            seconds: 0.0,
            errors: Vec::new(),
            problems_total: 0,
        },
        cells_filled: 0,
        cells_total: 0,
        next_leaf: 0,
        first_leaf: 0,
        frontier: Default::default(),
        progress: progress.clone(),
    };
    let txn = platform.db.begin().await?;
    ledger::lock_for_append(&txn).await?;
    // The same file sent twice at once: the second waits for the lock, then finds the first.
    if let Some(done) = batches::by_content(&txn, &provider.id, &item.key, &content_hash).await? {
        drop(chunks);
        let _ = reader.await;
        progress.set_stage(Stage::Done);
        return Ok(replayed(done, started));
    }
    writer.frontier = crate::ledger::frontier_for_append(&txn).await?;
    writer.first_leaf = writer.frontier.size() as i64;
    writer.next_leaf = writer.first_leaf;
    let mut failure: Option<ServiceError> = None;
    while let Some(chunk) = chunks.recv().await {
        if let Err(e) = writer.apply(&txn, chunk).await {
            failure = Some(e);
            break;
        }
    }
    // Dropping the receiver stops the reader if the writer failed.
    drop(chunks);
    let read_result = reader.await.expect("reading thread");
    if let Some(e) = failure {
        return Err(e);
    }
    read_result?;

    let mut report = writer.report.clone();
    report.accepted = report.received - report.rejected;
    let refused = request.strict && report.rejected > 0;
    if refused || report.received == 0 {
        // The transaction is dropped: nothing of the batch is kept.
        progress.set_stage(Stage::Done);
        report.seconds = started.elapsed().as_secs_f64();
        return Ok(report);
    }

    progress.set_stage(Stage::Committing);
    let leaf_count = writer.next_leaf - writer.first_leaf;
    let batch = BatchRow {
        id: writer.batch_id.clone(),
        item_key: item.key.clone(),
        provider_org_id: provider.id.clone(),
        content_hash,
        format: request.format.code().to_owned(),
        strict: request.strict,
        catalog_version: catalog.version as i32,
        rows_total: report.received as i32,
        rows_new: report.new_records as i32,
        rows_versioned: (report.new_versions - report.new_records) as i32,
        rows_unchanged: report.unchanged as i32,
        rows_rejected: report.rejected as i32,
        kind: request.kind.code().to_owned(),
        rows_duplicate: report.duplicates as i32,
        cells_filled: writer.cells_filled,
        cells_total: writer.cells_total,
        first_leaf: writer.first_leaf,
        leaf_count,
        created_at: now,
    };
    let manifest = crate::ledger::batch_leaf(&batch);
    batches::insert(&txn, batch).await?;
    ledger::append(
        &txn,
        writer.next_leaf,
        &[(manifest.to_hex(), "batch", writer.batch_id.clone())],
        now,
    )
    .await?;
    writer.frontier.push(manifest);
    crate::ledger::sign_frontier(platform, &txn, &writer.frontier, now).await?;
    txn.commit().await.map_err(StoreError::from)?;
    platform.changes.notify_one();
    tracing::info!(batch = %writer.batch_id, item = %item.key, provider = %provider.id,
        versions = report.new_versions, unchanged = report.unchanged, rejected = report.rejected,
        "batch applied");
    progress.set_stage(Stage::Done);
    report.batch_id = Some(writer.batch_id);
    report.applied = true;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The report for a file that was applied before: nothing changes.
fn replayed(done: BatchRow, started: std::time::Instant) -> IngestReport {
    let accepted = (done.rows_total - done.rows_rejected) as usize;
    IngestReport {
        batch_id: Some(done.id),
        item_key: done.item_key,
        applied: true,
        replayed: true,
        received: done.rows_total as usize,
        accepted,
        rejected: done.rows_rejected as usize,
        unchanged: accepted,
        new_versions: 0,
        new_records: 0,
        duplicates: done.rows_duplicate as usize,
        seconds: started.elapsed().as_secs_f64(),
        errors: Vec::new(),
        problems_total: 0,
    }
}

/// The writing half of a batch: compares each chunk with the stored records and writes what
/// changed.
struct BatchWriter {
    item: &'static Item,
    severity: Option<&'static str>,
    batch_id: String,
    provider_org_id: String,
    kind: BatchKind,
    catalog_version: i32,
    /// Subjects are enterprises (USCC): they must be known, or created by a business licence.
    check_subjects: bool,
    /// A self-report: every row must be about this enterprise.
    only_subject: Option<String>,
    /// A self-report: the enterprise's earlier self-report batches, the only records it may
    /// give a new version.
    own_batches: Option<HashSet<String>>,
    now: NaiveDateTime,
    strict: bool,
    report: IngestReport,
    cells_filled: i64,
    cells_total: i64,
    first_leaf: i64,
    next_leaf: i64,
    /// The tree's right edge with every leaf written so far: the batch signs its head from it
    /// without reading its leaves back.
    frontier: xinrong_ledger::Frontier,
    progress: Arc<Progress>,
}

impl BatchWriter {
    fn reject(&mut self, problems: Vec<RowProblem>) {
        self.report.problems_total += problems.len();
        let room = MAX_LISTED_PROBLEMS.saturating_sub(self.report.errors.len());
        self.report.errors.extend(problems.into_iter().take(room));
    }

    async fn apply(
        &mut self,
        txn: &impl sea_orm::ConnectionTrait,
        chunk: Chunk,
    ) -> ServiceResult<()> {
        self.report.received += chunk.received;
        self.report.rejected += chunk.rejected;
        self.reject(chunk.problems);

        // Repeats inside this chunk; repeats of earlier chunks show up in the lookup below as
        // records already written by this batch.
        let mut first_line: HashMap<(&str, &str), usize> = HashMap::new();
        let mut rows: Vec<&Prepared> = Vec::with_capacity(chunk.rows.len());
        let mut problems = Vec::new();
        for row in &chunk.rows {
            match first_line.entry((&row.subject, &row.natural_key_hash)) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    problems.push(problem(
                        row.line,
                        "",
                        "",
                        format!(
                            "与第 {} 行是同一条记录（同一批次内自然键重复）",
                            first.get()
                        ),
                    ));
                    self.report.duplicates += 1;
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(row.line);
                    rows.push(row);
                }
            }
        }
        if let Some(own) = &self.only_subject {
            rows.retain(|row| {
                let ok = row.subject == *own;
                if !ok {
                    problems.push(problem(
                        row.line,
                        &self.item.subject_fields[0],
                        &row.subject,
                        "自主填报只能填报本企业自身的信息",
                    ));
                }
                ok
            });
        }
        if self.check_subjects && !master::creates_subjects(&self.item.key) {
            let subjects: Vec<&str> = rows.iter().map(|r| r.subject.as_str()).collect();
            let known = enterprises::known_among(txn, &subjects).await?;
            rows.retain(|row| {
                let ok = known.contains(&row.subject);
                if !ok {
                    problems.push(problem(
                        row.line,
                        &self.item.subject_fields[0],
                        &row.subject,
                        "平台企业库中没有该统一社会信用代码的企业，请先由登记机关报送营业执照信息",
                    ));
                }
                ok
            });
        }
        let keys: Vec<(String, String)> = rows
            .iter()
            .map(|r| (r.subject.clone(), r.natural_key_hash.clone()))
            .collect();
        let heads = records::heads(txn, &self.item.key, &keys).await?;
        let mut to_write: Vec<(&Prepared, i32)> = Vec::with_capacity(rows.len());
        for row in rows {
            match heads.get(&(row.subject.clone(), row.natural_key_hash.clone())) {
                Some(Head { batch_id, .. }) if *batch_id == self.batch_id => {
                    problems.push(problem(
                        row.line,
                        "",
                        "",
                        "与本批次前面的某行是同一条记录（同一批次内自然键重复）",
                    ));
                    self.report.duplicates += 1;
                }
                Some(head)
                    if self
                        .own_batches
                        .as_ref()
                        .is_some_and(|own| !own.contains(&head.batch_id)) =>
                {
                    problems.push(problem(
                        row.line,
                        "",
                        "",
                        "该记录已由数据提供单位报送，企业不能以自主填报覆盖；如认为有误，请对该记录提出异议",
                    ));
                }
                Some(head) if head.content_hash == row.content_hash => {
                    self.report.unchanged += 1;
                    self.count_cells(row);
                }
                Some(head) => to_write.push((row, head.version + 1)),
                None => to_write.push((row, 1)),
            }
        }
        self.report.rejected += problems.len();
        self.reject(problems);
        if self.strict && self.report.rejected > 0 {
            // The batch will be refused: stop writing, keep reading to report every problem.
            return Ok(());
        }
        self.write(txn, &to_write).await
    }

    fn count_cells(&mut self, row: &Prepared) {
        self.cells_filled += row.filled as i64;
        self.cells_total += self.item.fields.len() as i64;
    }

    async fn write(
        &mut self,
        txn: &impl sea_orm::ConnectionTrait,
        rows: &[(&Prepared, i32)],
    ) -> ServiceResult<()> {
        let mut record_rows = Vec::with_capacity(rows.len());
        let mut leaf_rows = Vec::with_capacity(rows.len());
        let mut event_rows = Vec::with_capacity(rows.len());
        for (row, version) in rows {
            let version = *version;
            self.count_cells(row);
            self.report.new_versions += 1;
            let kind = if version == 1 {
                self.report.new_records += 1;
                "new"
            } else if self.kind == BatchKind::Correction {
                "corrected"
            } else {
                "updated"
            };
            let record_id = ids::new_id().to_string();
            let leaf_index = self.next_leaf;
            self.next_leaf += 1;
            let leaf = crate::ledger::record_leaf(
                &self.item.key,
                &row.subject,
                &row.natural_key_hash,
                version,
                &row.content_hash,
            );
            record_rows.push(vec![
                Cell::Text(record_id.clone()),
                Cell::Text(self.item.key.clone()),
                Cell::Text(row.subject.clone()),
                Cell::Text(row.natural_key_hash.clone()),
                Cell::Int(version),
                Cell::Text(row.payload.clone()),
                Cell::Text(row.content_hash.clone()),
                Cell::Text(self.batch_id.clone()),
                Cell::Text(self.provider_org_id.clone()),
                Cell::Int(self.catalog_version),
                Cell::BigInt(leaf_index),
                Cell::Timestamp(self.now),
            ]);
            self.frontier.push(leaf);
            leaf_rows.push(vec![
                Cell::BigInt(leaf_index),
                Cell::Text(leaf.to_hex()),
                Cell::Text("record".to_owned()),
                Cell::Text(record_id.clone()),
                Cell::Timestamp(self.now),
            ]);
            event_rows.push(vec![
                Cell::Text(kind.to_owned()),
                Cell::OptText(self.severity.map(str::to_owned)),
                Cell::Text(self.item.key.clone()),
                Cell::Text(row.subject.clone()),
                Cell::Text(record_id),
                Cell::Int(version),
                Cell::Text(self.batch_id.clone()),
                Cell::Timestamp(self.now),
            ]);
        }
        bulk::insert(txn, &records::TABLE, record_rows).await?;
        bulk::insert(txn, &ledger::TABLE, leaf_rows).await?;
        bulk::insert(txn, &events::TABLE, event_rows).await?;
        if master::updates_master(&self.item.key) {
            let changed: Vec<(&str, &Map<String, Value>)> = rows
                .iter()
                .filter_map(|(r, _)| r.values.as_ref().map(|v| (r.subject.as_str(), v)))
                .collect();
            let subjects: Vec<&str> = changed.iter().map(|(s, _)| *s).collect();
            // Rows of other master items were already checked against the enterprise table;
            // only a business licence may name an enterprise that is not there yet.
            let known: HashSet<String> = if master::creates_subjects(&self.item.key) {
                enterprises::known_among(txn, &subjects).await?
            } else {
                subjects.iter().map(|s| (*s).to_owned()).collect()
            };
            master::apply(txn, &self.item.key, &changed, &known, self.now).await?;
        }
        self.progress.add_rows_written(rows.len() as u64);
        Ok(())
    }
}

/// Dates in uploads are Beijing dates: "today" is today in Asia/Shanghai.
fn beijing() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")
}
