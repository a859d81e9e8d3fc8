//! The evaluation run: reads subjects in chunks and evaluates them on every core.
//!
//! Per chunk of subjects (consecutive USCCs for a full run, any set for the outbox follower):
//! ONE query for the records of the items the model and the tag rules read, one each for the
//! pending-objection and repaired flags, one for the stored digests — never a query per
//! subject. Only the current version of each record is kept, and of its payload only the fields
//! the model and rules read are parsed (the rest is skipped unallocated). The chunk is split
//! over the cores; results whose digest differs from the stored one are written in bulk, in one
//! transaction per chunk. A full run reads the next chunk while the current one is computed.

use super::StoredResult;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use xinrong_core::evaluation::{FactRecord, Model, SubjectFacts};
use xinrong_core::profile::TagRules;
use xinrong_store::repo::evaluations::{self as repo, EnterpriseFacts, NewResult, RawRecord};
use xinrong_store::{ConnectionTrait, StoreError};

/// Subjects per chunk of a full run.
const CHUNK: u64 = 4_000;
/// Subjects per chunk of a listed set (the outbox follower): bounded by the `IN` lists.
const LIST_CHUNK: usize = 1_000;

/// What `xinrong evaluate --all` prints.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunSummary {
    pub enterprises: u64,
    pub seconds: f64,
    pub per_s: f64,
    /// Results that changed (and were appended to the history).
    pub changed: u64,
    pub model_version: u32,
}

/// Which items, and which of their fields, the model and the tag rules read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inputs {
    items: Vec<String>,
    /// Item → the fields to keep.
    fields: HashMap<String, BTreeSet<String>>,
}

impl Inputs {
    pub(crate) fn of(model: &Model, tags: &TagRules) -> Inputs {
        let mut fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for inputs in [model.inputs(), tags.inputs()] {
            for (item, keys) in inputs {
                fields
                    .entry(item.clone())
                    .or_default()
                    .extend(keys.iter().cloned());
            }
        }
        Inputs {
            items: fields.keys().cloned().collect(),
            fields: fields.into_iter().collect(),
        }
    }

    fn item_keys(&self) -> Vec<&str> {
        self.items.iter().map(String::as_str).collect()
    }
}

/// Parses a payload object keeping only `wanted` keys; other values are skipped unparsed.
struct Wanted<'a>(&'a BTreeSet<String>);

impl<'de> DeserializeSeed<'de> for Wanted<'_> {
    type Value = serde_json::Map<String, serde_json::Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Wanted<'_> {
    type Value = serde_json::Map<String, serde_json::Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if self.0.contains(key.as_ref()) {
                let value: serde_json::Value = map.next_value()?;
                out.insert(key.into_owned(), value);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

fn parse_wanted(
    payload: &str,
    wanted: &BTreeSet<String>,
) -> serde_json::Map<String, serde_json::Value> {
    if wanted.is_empty() {
        return serde_json::Map::new();
    }
    let mut de = serde_json::Deserializer::from_str(payload);
    Wanted(wanted).deserialize(&mut de).unwrap_or_default()
}

/// FNV-1a 64 of the stored result: equal digests, equal results.
pub(crate) fn digest(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The subjects one chunk covers.
enum Subjects<'a> {
    Range(&'a str, &'a str),
    List(&'a [String]),
}

/// Everything one chunk's computation needs, read with a handful of queries.
struct ChunkInput {
    enterprises: Vec<EnterpriseFacts>,
    records: Vec<RawRecord>,
    /// (subject, item, natural key).
    pending: HashSet<(String, String, String)>,
    repaired: HashSet<(String, String, String)>,
    digests: HashMap<String, String>,
}

async fn read_chunk(
    conn: &impl ConnectionTrait,
    enterprises: Vec<EnterpriseFacts>,
    subjects: Subjects<'_>,
    inputs: &Inputs,
) -> ServiceResult<ChunkInput> {
    let items = inputs.item_keys();
    let pending_statuses = crate::objections::status::IN_PROCESS;
    let repaired_statuses = &[crate::repairs::status::APPROVED];
    let (records, pending, repaired, digests) = match subjects {
        Subjects::Range(first, last) => (
            repo::records_between(conn, first, last, &items).await?,
            repo::objections_between(conn, first, last, pending_statuses).await?,
            repo::repairs_between(conn, first, last, repaired_statuses).await?,
            repo::digests_between(conn, first, last).await?,
        ),
        Subjects::List(list) => (
            repo::records_of(conn, list, &items).await?,
            repo::objections_of(conn, list, pending_statuses).await?,
            repo::repairs_of(conn, list, repaired_statuses).await?,
            repo::digests_of(conn, list).await?,
        ),
    };
    Ok(ChunkInput {
        enterprises,
        records,
        pending: pending.into_iter().collect(),
        repaired: repaired.into_iter().collect(),
        digests,
    })
}

/// What the run needs besides the chunk, shared by the compute threads.
struct RunContext {
    model: Model,
    tags: &'static TagRules,
    inputs: Inputs,
    /// Batches of kind `self_report` (企业自主填报).
    declared: HashSet<String>,
    today: NaiveDate,
    now: NaiveDateTime,
}

/// One subject's result, computed.
struct Computed {
    subject: String,
    score: u32,
    grade: String,
    json: String,
    /// Tag keys, space-separated.
    tags: String,
    digest: String,
    region_code: String,
    industry_code: String,
    changed: bool,
}

/// Evaluates one subject's current records and compares with its stored digest.
fn finish(
    ctx: &RunContext,
    e: &EnterpriseFacts,
    records: &[FactRecord],
    digests: &HashMap<String, String>,
) -> Computed {
    let facts = SubjectFacts {
        subject: &e.uscc,
        established: e.established,
        registered_capital_fen: e.registered_capital_fen,
        employees: e.employees,
        records,
    };
    let evaluation = ctx.model.evaluate(&facts, ctx.today);
    let tags = ctx.tags.apply(&facts, ctx.today);
    let score = evaluation.score;
    let grade = evaluation.grade.clone();
    let tags_text = tags.join(" ");
    let json = serde_json::to_string(&StoredResult { evaluation, tags })
        .expect("a plain struct serialises");
    let digest = digest(&json);
    let changed = digests.get(&e.uscc) != Some(&digest);
    Computed {
        subject: e.uscc.clone(),
        score,
        grade,
        json,
        tags: tags_text,
        digest,
        region_code: e.region_code.clone(),
        industry_code: e.industry_code.clone(),
        changed,
    }
}

/// Evaluates the subjects of one chunk: groups the records by subject (current versions only),
/// then splits the subjects over the cores.
fn compute_chunk(ctx: &RunContext, mut chunk: ChunkInput) -> Vec<Computed> {
    // Current version per (subject, item, natural key): highest version first, keep the first.
    chunk.records.sort_unstable_by(|a, b| {
        (&a.subject, &a.item_key, &a.natural_key_hash, b.version).cmp(&(
            &b.subject,
            &b.item_key,
            &b.natural_key_hash,
            a.version,
        ))
    });
    chunk.records.dedup_by(|later, kept| {
        later.subject == kept.subject
            && later.item_key == kept.item_key
            && later.natural_key_hash == kept.natural_key_hash
    });
    // Subject → its records (a contiguous run after the sort).
    let mut spans: HashMap<&str, (usize, usize)> = HashMap::with_capacity(chunk.enterprises.len());
    let mut start = 0;
    for i in 1..=chunk.records.len() {
        if i == chunk.records.len() || chunk.records[i].subject != chunk.records[start].subject {
            spans.insert(chunk.records[start].subject.as_str(), (start, i));
            start = i;
        }
    }
    let records = &chunk.records;
    let chunk_ref = &chunk;
    let evaluate = |e: &EnterpriseFacts| -> Computed {
        let (from, to) = spans.get(e.uscc.as_str()).copied().unwrap_or((0, 0));
        let facts_records: Vec<FactRecord> = records[from..to]
            .iter()
            .map(|r| {
                let key = (
                    r.subject.clone(),
                    r.item_key.clone(),
                    r.natural_key_hash.clone(),
                );
                FactRecord {
                    item_key: r.item_key.clone(),
                    values: ctx
                        .inputs
                        .fields
                        .get(&r.item_key)
                        .map(|w| parse_wanted(&r.payload, w))
                        .unwrap_or_default(),
                    created_at: r.created_at,
                    objection_pending: chunk_ref.pending.contains(&key),
                    repaired: chunk_ref.repaired.contains(&key),
                    self_declared: ctx.declared.contains(&r.batch_id),
                }
            })
            .collect();
        finish(ctx, e, &facts_records, &chunk_ref.digests)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let enterprises = &chunk.enterprises;
    if threads <= 1 || enterprises.len() < 64 {
        return enterprises.iter().map(evaluate).collect();
    }
    let per = enterprises.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = enterprises
            .chunks(per)
            .map(|part| s.spawn(|| part.iter().map(&evaluate).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("evaluation thread"))
            .collect()
    })
}

/// Writes the changed results of a chunk (one transaction); returns how many.
async fn write_chunk(
    platform: &Platform,
    ctx: &RunContext,
    computed: Vec<Computed>,
) -> ServiceResult<u64> {
    let tag_version = ctx.tags.version() as i32;
    let model_version = ctx.model.version() as i32;
    let rows: Vec<NewResult> = computed
        .into_iter()
        .filter(|c| c.changed)
        .map(|c| NewResult {
            history: repo::EvaluationRow {
                id: xinrong_core::ids::new_id().to_string(),
                subject: c.subject,
                model_version,
                score: c.score as i32,
                grade: c.grade,
                result: c.json,
                tag_rules_version: tag_version,
                evaluated_at: ctx.now,
            },
            tags: c.tags,
            digest: c.digest,
            region_code: c.region_code,
            industry_code: c.industry_code,
        })
        .collect();
    let n = rows.len() as u64;
    if n == 0 {
        return Ok(0);
    }
    // Two writers racing on one subject (the follower and a read) may collide on its current
    // row: the later one retries and finds the other's result.
    let mut attempt = 0;
    loop {
        let txn = platform.db.begin().await?;
        match repo::write(&txn, rows.clone()).await {
            Ok(()) => {
                txn.commit().await.map_err(StoreError::from)?;
                return Ok(n);
            }
            Err(StoreError::Conflict(_)) if attempt < 3 => {
                attempt += 1;
                drop(txn);
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn context(
    platform: &Platform,
    model: &Model,
    tags: &'static TagRules,
    declared: HashSet<String>,
) -> RunContext {
    let now = platform.clock.now();
    RunContext {
        model: model.clone(),
        tags,
        inputs: Inputs::of(model, tags),
        declared,
        today: now
            .with_timezone(&xinrong_core::clock::shanghai())
            .date_naive(),
        now: now.naive_utc(),
    }
}

async fn declared_batches(platform: &Platform) -> ServiceResult<HashSet<String>> {
    Ok(
        repo::batches_of_kind(&platform.db.conn, xinrong_store::repo::self_reports::KIND)
            .await?
            .into_iter()
            .collect(),
    )
}

/// What evaluating a listed set of subjects did.
#[derive(Debug, Clone, Default)]
pub(crate) struct SubjectsRun {
    pub changed: u64,
    /// USCCs the platform does not hold (not evaluated).
    pub unknown: Vec<String>,
}

/// Evaluates the listed subjects (any order, duplicates allowed) and stores changed results.
pub(crate) async fn evaluate_subjects(
    platform: &Platform,
    model: &Model,
    tags: &'static TagRules,
    subjects: &[String],
) -> ServiceResult<SubjectsRun> {
    let conn = &platform.db.conn;
    let mut list: Vec<String> = subjects.to_vec();
    list.sort_unstable();
    list.dedup();
    let ctx = context(platform, model, tags, declared_batches(platform).await?);
    let mut run = SubjectsRun::default();
    for part in list.chunks(LIST_CHUNK) {
        let enterprises = repo::enterprises_of(conn, part).await?;
        let known: HashSet<&str> = enterprises.iter().map(|e| e.uscc.as_str()).collect();
        run.unknown
            .extend(part.iter().filter(|s| !known.contains(s.as_str())).cloned());
        if enterprises.is_empty() {
            continue;
        }
        let chunk = read_chunk(conn, enterprises, Subjects::List(part), &ctx.inputs).await?;
        let computed = compute_chunk(&ctx, chunk);
        run.changed += write_chunk(platform, &ctx, computed).await?;
    }
    Ok(run)
}

/// 全量评价: evaluates every enterprise with `model` (and the current tag rules), storing the
/// results that changed.
pub async fn evaluate_all(platform: &Platform, model: &Model) -> ServiceResult<RunSummary> {
    let started = std::time::Instant::now();
    // Every event up to here is covered by this run: the follower need not redo them.
    let covered_seq = repo::max_event_seq(&platform.db.conn).await?;
    let tags = TagRules::builtin();
    let ctx = Arc::new(context(
        platform,
        model,
        tags,
        declared_batches(platform).await?,
    ));
    let conn = &platform.db.conn;
    if repo::sqlite_file(conn).await?.is_some()
        && repo::enterprise_count(conn).await? <= MEMORY_SCAN_LIMIT
    {
        let (enterprises, changed) = evaluate_in_memory(platform, ctx.clone()).await?;
        return finish_run(platform, model, covered_seq, started, enterprises, changed).await;
    }
    // The reader runs ahead of the computation by up to two chunks.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<ServiceResult<ChunkInput>>(2);
    let reader = {
        let conn = platform.db.conn.clone();
        let inputs = ctx.inputs.clone();
        tokio::spawn(async move {
            let mut after: Option<String> = None;
            loop {
                let batch = match repo::enterprises_after(&conn, after.as_deref(), CHUNK).await {
                    Ok(b) => b,
                    Err(e) => {
                        let _ = tx.send(Err(e.into())).await;
                        return;
                    }
                };
                let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
                    return;
                };
                let (first, last) = (first.uscc.clone(), last.uscc.clone());
                let full = batch.len() as u64 == CHUNK;
                let t = std::time::Instant::now();
                let chunk = read_chunk(&conn, batch, Subjects::Range(&first, &last), &inputs).await;
                tracing::debug!(ms = t.elapsed().as_millis() as u64, "chunk read");
                let failed = chunk.is_err();
                if tx.send(chunk).await.is_err() || failed || !full {
                    return;
                }
                after = Some(last);
            }
        })
    };
    let mut enterprises = 0u64;
    let mut changed = 0u64;
    while let Some(chunk) = rx.recv().await {
        let chunk = chunk?;
        enterprises += chunk.enterprises.len() as u64;
        let compute_ctx = ctx.clone();
        let t = std::time::Instant::now();
        let computed = tokio::task::spawn_blocking(move || compute_chunk(&compute_ctx, chunk))
            .await
            .map_err(|e| ServiceError::invalid("evaluation.run", format!("评价计算失败：{e}")))?;
        let computed_ms = t.elapsed().as_millis() as u64;
        changed += write_chunk(platform, &ctx, computed).await?;
        tracing::debug!(
            compute_ms = computed_ms,
            write_ms = t.elapsed().as_millis() as u64 - computed_ms,
            "chunk evaluated"
        );
    }
    reader
        .await
        .map_err(|e| ServiceError::invalid("evaluation.run", format!("评价读取失败：{e}")))?;
    finish_run(platform, model, covered_seq, started, enterprises, changed).await
}

async fn finish_run(
    platform: &Platform,
    model: &Model,
    covered_seq: i64,
    started: std::time::Instant,
    enterprises: u64,
    changed: u64,
) -> ServiceResult<RunSummary> {
    if covered_seq > 0 {
        crate::events::acknowledge(platform, super::CONSUMER, covered_seq).await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    tracing::info!(enterprises, changed, seconds, "full evaluation done");
    Ok(RunSummary {
        enterprises,
        seconds: (seconds * 1000.0).round() / 1000.0,
        per_s: if seconds > 0.0 {
            (enterprises as f64 / seconds).round()
        } else {
            0.0
        },
        changed,
        model_version: model.version(),
    })
}

/// A city up to this many enterprises is evaluated from ONE sequential pass over the records
/// table (SQLite): seeking each chunk's records through the subject index costs more than the
/// evaluation itself once the table outgrows the page cache's locality. Larger cities (and the
/// server databases, whose planners scan ranges well) use the chunked path.
const MEMORY_SCAN_LIMIT: u64 = 300_000;

/// One current-version candidate, compact: a city's worth are held in memory at once.
struct Compact {
    item: u16,
    version: i32,
    /// The natural key hash as stored (hex).
    nk: Box<str>,
    created_at: NaiveDateTime,
    declared: bool,
    /// The needed fields only, as a JSON object.
    values: Box<str>,
}

/// `YYYY-MM-DD HH:MM:SS[.f]` as stored, without chrono's format machinery on the hot path.
fn parse_stored_time(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    if b.len() >= 19 && b[4] == b'-' && b[7] == b'-' && b[13] == b':' && b[16] == b':' {
        let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
        let mut nanos = 0u32;
        if b.len() > 20 && b[19] == b'.' {
            let frac = &b[20..b.len().min(29)];
            for (i, c) in frac.iter().enumerate() {
                if !c.is_ascii_digit() {
                    return None;
                }
                nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
            }
        }
        return date.and_hms_nano_opt(num(11..13)?, num(14..16)?, num(17..19)?, nanos);
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").ok()
}

/// One row of the sequential pass as a compact record of its subject (`None` for a subject
/// that is not an enterprise or an item the run does not read).
fn absorb(
    ctx: &RunContext,
    index: &HashMap<String, u32>,
    items: &HashMap<String, u16>,
    r: xinrong_store::sqlite_scan::ScanRow<'_>,
) -> Option<(u32, Compact)> {
    let subject = *index.get(r.subject)?;
    let item = *items.get(r.item_key)?;
    let values = ctx
        .inputs
        .fields
        .get(r.item_key)
        .map(|w| parse_wanted(r.payload, w))
        .unwrap_or_default();
    Some((
        subject,
        Compact {
            item,
            version: r.version,
            nk: r.natural_key_hash.into(),
            created_at: parse_stored_time(r.created_at)?,
            declared: ctx.declared.contains(r.batch_id),
            values: serde_json::to_string(&values)
                .expect("a JSON map serialises")
                .into_boxed_str(),
        },
    ))
}

/// The full run from one sequential pass (see [`MEMORY_SCAN_LIMIT`]); returns
/// (enterprises, changed).
async fn evaluate_in_memory(
    platform: &Platform,
    ctx: Arc<RunContext>,
) -> ServiceResult<(u64, u64)> {
    let conn = &platform.db.conn;
    let mut enterprises: Vec<EnterpriseFacts> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let batch = repo::enterprises_after(conn, after.as_deref(), 50_000).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.uscc.clone());
        let full = batch.len() == 50_000;
        enterprises.extend(batch);
        if !full {
            break;
        }
    }
    let index: Arc<HashMap<String, u32>> = Arc::new(
        enterprises
            .iter()
            .enumerate()
            .map(|(i, e)| (e.uscc.clone(), i as u32))
            .collect(),
    );
    let item_names: Vec<String> = ctx.inputs.items.clone();
    let items: Arc<HashMap<String, u16>> = Arc::new(
        item_names
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u16))
            .collect(),
    );
    // One sequential pass, split by rowid over the cores, each part on its own read-only
    // connection straight through the SQLite library.
    let path = repo::sqlite_file(conn)
        .await?
        .ok_or_else(|| ServiceError::invalid("evaluation.run", "内存数据库不支持顺序全量读取"))?;
    let max_rowid = repo::max_record_rowid(conn).await?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8) as i64;
    let per = (max_rowid + threads - 1) / threads.max(1);
    let mut parts = Vec::new();
    for t in 0..threads {
        let (c, i, it, path, keys) = (
            ctx.clone(),
            index.clone(),
            items.clone(),
            path.clone(),
            item_names.clone(),
        );
        let (from, to) = (t * per, ((t + 1) * per).min(max_rowid));
        parts.push(tokio::task::spawn_blocking(move || {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let mut out: Vec<(u32, Compact)> = Vec::new();
            xinrong_store::sqlite_scan::scan_records(&path, from, to, &keys, |row| {
                if let Some(c) = absorb(&c, &i, &it, row) {
                    out.push(c);
                }
            })
            .map(|()| out)
        }));
    }
    let mut per_subject: Vec<Vec<Compact>> = (0..enterprises.len()).map(|_| Vec::new()).collect();
    for part in parts {
        let rows = part
            .await
            .map_err(|e| ServiceError::invalid("evaluation.run", format!("评价读取失败：{e}")))?
            .map_err(|e| ServiceError::invalid("evaluation.run", format!("评价读取失败：{e}")))?;
        for (s, c) in rows {
            per_subject[s as usize].push(c);
        }
    }
    // Flags and stored digests of the whole city: one query each.
    let pending: HashSet<(String, String, String)> =
        repo::objections_between(conn, "", "~", crate::objections::status::IN_PROCESS)
            .await?
            .into_iter()
            .collect();
    let repaired: HashSet<(String, String, String)> =
        repo::repairs_between(conn, "", "~", &[crate::repairs::status::APPROVED])
            .await?
            .into_iter()
            .collect();
    let digests = repo::digests_between(conn, "", "~").await?;
    let flags = Arc::new((pending, repaired, digests, item_names));
    let total = enterprises.len() as u64;
    let mut changed = 0u64;
    // Evaluate and write chunk by chunk (memory of results stays bounded).
    let mut subjects = enterprises.into_iter().zip(per_subject).peekable();
    while subjects.peek().is_some() {
        let part: Vec<(EnterpriseFacts, Vec<Compact>)> =
            subjects.by_ref().take(CHUNK as usize).collect();
        let (c, f) = (ctx.clone(), flags.clone());
        let computed = tokio::task::spawn_blocking(move || compute_compact(&c, &f, part))
            .await
            .map_err(|e| ServiceError::invalid("evaluation.run", format!("评价计算失败：{e}")))?;
        changed += write_chunk(platform, &ctx, computed).await?;
    }
    Ok((total, changed))
}

type CityFlags = (
    HashSet<(String, String, String)>,
    HashSet<(String, String, String)>,
    HashMap<String, String>,
    Vec<String>,
);

/// Evaluates subjects held in compact form, over every core.
fn compute_compact(
    ctx: &RunContext,
    flags: &CityFlags,
    part: Vec<(EnterpriseFacts, Vec<Compact>)>,
) -> Vec<Computed> {
    let (pending, repaired, digests, item_names) = flags;
    let evaluate = |(e, mut records): (EnterpriseFacts, Vec<Compact>)| -> Computed {
        records
            .sort_unstable_by(|a, b| (a.item, &a.nk, b.version).cmp(&(b.item, &b.nk, a.version)));
        records.dedup_by(|later, kept| later.item == kept.item && later.nk == kept.nk);
        let facts_records: Vec<FactRecord> = records
            .into_iter()
            .map(|r| {
                let item_key = item_names[r.item as usize].clone();
                let key = (e.uscc.clone(), item_key.clone(), r.nk.into_string());
                FactRecord {
                    objection_pending: pending.contains(&key),
                    repaired: repaired.contains(&key),
                    item_key,
                    values: serde_json::from_str(&r.values).unwrap_or_default(),
                    created_at: r.created_at,
                    self_declared: r.declared,
                }
            })
            .collect();
        finish(ctx, &e, &facts_records, digests)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || part.len() < 64 {
        return part.into_iter().map(evaluate).collect();
    }
    let per = part.len().div_ceil(threads);
    let mut parts: Vec<Vec<(EnterpriseFacts, Vec<Compact>)>> = Vec::new();
    let mut rest = part.into_iter().peekable();
    while rest.peek().is_some() {
        parts.push(rest.by_ref().take(per).collect());
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|p| s.spawn(|| p.into_iter().map(&evaluate).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("evaluation thread"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wanted_fields_are_parsed() {
        let wanted: BTreeSet<String> = ["a".to_owned(), "c".to_owned()].into();
        let map = parse_wanted(r#"{"a":1,"b":{"deep":[1,2]},"c":"x"}"#, &wanted);
        assert_eq!(map.len(), 2);
        assert_eq!(map["a"], serde_json::json!(1));
        assert_eq!(map["c"], serde_json::json!("x"));
        assert!(parse_wanted("not json", &wanted).is_empty());
    }

    #[test]
    fn stored_times_parse_fast_and_exactly() {
        let t = parse_stored_time("2026-11-25 07:26:36").unwrap();
        assert_eq!(t.to_string(), "2026-11-25 07:26:36");
        let t = parse_stored_time("2026-11-25 07:26:36.123456789").unwrap();
        assert_eq!(t.and_utc().timestamp_subsec_nanos(), 123_456_789);
        let t = parse_stored_time("2026-11-25 07:26:36.5").unwrap();
        assert_eq!(t.and_utc().timestamp_subsec_nanos(), 500_000_000);
        assert!(parse_stored_time("2026-13-25 07:26:36").is_none());
        assert!(parse_stored_time("garbage").is_none());
    }

    #[test]
    fn digests_differ_with_content() {
        assert_eq!(digest("abc"), digest("abc"));
        assert_ne!(digest("abc"), digest("abd"));
        assert_eq!(digest("").len(), 16);
    }
}
