//! 公共信用综合评价 (evaluation) storage: the history of results, the current grade per subject,
//! and the chunk-level reads a full evaluation run makes — one query per chunk of subjects for
//! their records, one each for their objection and repair flags, none per subject.
//!
//! The hot path uses plain SQL statements and reads rows by index, never SeaORM models: a full
//! run reads millions of records.

use crate::bulk::{self, BulkTable, Cell, ColumnType};
use crate::entity::evaluation::{self, Entity as Evaluation};
use crate::entity::subject_grade::{self, Entity as SubjectGrade};
use crate::error::StoreResult;
use chrono::{NaiveDate, NaiveDateTime};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, Value,
};
use std::collections::HashMap;

pub use evaluation::Model as EvaluationRow;
pub use subject_grade::Model as SubjectGradeRow;

/// `?` placeholders as the backend wants them (`$1 …` for PostgreSQL).
fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// What the model reads of an enterprise's registration, and where it counts in distributions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseFacts {
    pub uscc: String,
    pub established: Option<NaiveDate>,
    pub registered_capital_fen: i64,
    pub employees: i32,
    pub region_code: String,
    pub industry_code: String,
}

const ENTERPRISE_COLUMNS: &str =
    "uscc, established, registered_capital_fen, employees, region_code, industry_code";

fn enterprise_facts(row: &sea_orm::QueryResult) -> StoreResult<EnterpriseFacts> {
    Ok(EnterpriseFacts {
        uscc: row.try_get_by_index(0)?,
        established: row.try_get_by_index(1).ok(),
        registered_capital_fen: row.try_get_by_index(2)?,
        employees: row.try_get_by_index(3)?,
        region_code: row.try_get_by_index(4)?,
        industry_code: row.try_get_by_index(5)?,
    })
}

/// The next `limit` enterprises after `after` (all from the start when `None`), in USCC order:
/// a full run walks the table in chunks with this keyset scan.
pub async fn enterprises_after(
    db: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> StoreResult<Vec<EnterpriseFacts>> {
    let backend = db.get_database_backend();
    let (sql, values) = match after {
        Some(a) => (
            format!(
                "SELECT {ENTERPRISE_COLUMNS} FROM enterprises WHERE uscc > ? ORDER BY uscc LIMIT {limit}"
            ),
            vec![Value::from(a)],
        ),
        None => (
            format!("SELECT {ENTERPRISE_COLUMNS} FROM enterprises ORDER BY uscc LIMIT {limit}"),
            Vec::new(),
        ),
    };
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    rows.iter().map(enterprise_facts).collect()
}

/// One enterprise's facts, or `None` for a USCC the platform does not know.
pub async fn enterprise(
    db: &impl ConnectionTrait,
    uscc: &str,
) -> StoreResult<Option<EnterpriseFacts>> {
    let backend = db.get_database_backend();
    let sql = format!("SELECT {ENTERPRISE_COLUMNS} FROM enterprises WHERE uscc = ?");
    let row = db
        .query_one_raw(statement(backend, &sql, vec![uscc.into()]))
        .await?;
    row.as_ref().map(enterprise_facts).transpose()
}

/// The number of enterprises.
pub async fn enterprise_count(db: &impl ConnectionTrait) -> StoreResult<u64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(statement(
            backend,
            "SELECT COUNT(*) FROM enterprises",
            vec![],
        ))
        .await?;
    Ok(row.map_or(Ok(0), |r| r.try_get_by_index::<i64>(0))? as u64)
}

/// One stored record version as the evaluation reads it (payload unparsed).
#[derive(Debug, Clone)]
pub struct RawRecord {
    pub subject: String,
    pub item_key: String,
    pub natural_key_hash: String,
    pub version: i32,
    pub payload: String,
    /// UTC.
    pub created_at: NaiveDateTime,
    pub batch_id: String,
}

/// Every version of every record of `item_keys` about the subjects `first..=last` (USCC order):
/// one query per chunk of a full run.
pub async fn records_between(
    db: &impl ConnectionTrait,
    first: &str,
    last: &str,
    item_keys: &[&str],
) -> StoreResult<Vec<RawRecord>> {
    if item_keys.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT subject, item_key, natural_key_hash, version, payload, created_at, batch_id \
         FROM records WHERE subject >= ? AND subject <= ? AND item_key IN ({})",
        placeholders(item_keys.len())
    );
    let mut values: Vec<Value> = vec![first.into(), last.into()];
    values.extend(item_keys.iter().map(|k| Value::from(*k)));
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    raw_records(rows)
}

/// (subject, item key, natural key hash) of the objections in one of `statuses` about the
/// subjects `first..=last`.
pub async fn objections_between(
    db: &impl ConnectionTrait,
    first: &str,
    last: &str,
    statuses: &[&str],
) -> StoreResult<Vec<(String, String, String)>> {
    flags_between(db, "objections", first, last, statuses).await
}

/// (subject, item key, natural key hash) of the repair applications in one of `statuses` about
/// the subjects `first..=last`.
pub async fn repairs_between(
    db: &impl ConnectionTrait,
    first: &str,
    last: &str,
    statuses: &[&str],
) -> StoreResult<Vec<(String, String, String)>> {
    flags_between(db, "repairs", first, last, statuses).await
}

async fn flags_between(
    db: &impl ConnectionTrait,
    table: &str,
    first: &str,
    last: &str,
    statuses: &[&str],
) -> StoreResult<Vec<(String, String, String)>> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT subject, item_key, natural_key_hash FROM {table} \
         WHERE subject >= ? AND subject <= ? AND status IN ({})",
        placeholders(statuses.len())
    );
    let mut values: Vec<Value> = vec![first.into(), last.into()];
    values.extend(statuses.iter().map(|k| Value::from(*k)));
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    flag_keys(rows)
}

/// The ids of every batch of `kind` (self-reports are few: the run keeps them in memory).
pub async fn batches_of_kind(db: &impl ConnectionTrait, kind: &str) -> StoreResult<Vec<String>> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(statement(
            backend,
            "SELECT id FROM batches WHERE kind = ?",
            vec![kind.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get_by_index(0)?)).collect()
}

/// Subject → result digest of the current grades of the subjects `first..=last`.
pub async fn digests_between(
    db: &impl ConnectionTrait,
    first: &str,
    last: &str,
) -> StoreResult<HashMap<String, String>> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(statement(
            backend,
            "SELECT subject, digest FROM subject_grades WHERE subject >= ? AND subject <= ?",
            vec![first.into(), last.into()],
        ))
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        out.insert(r.try_get_by_index(0)?, r.try_get_by_index(1)?);
    }
    Ok(out)
}

/// The enterprises among `usccs` (at most a few thousand), in USCC order.
pub async fn enterprises_of(
    db: &impl ConnectionTrait,
    usccs: &[String],
) -> StoreResult<Vec<EnterpriseFacts>> {
    if usccs.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT {ENTERPRISE_COLUMNS} FROM enterprises WHERE uscc IN ({}) ORDER BY uscc",
        placeholders(usccs.len())
    );
    let values = usccs.iter().map(|s| Value::from(s.as_str())).collect();
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    rows.iter().map(enterprise_facts).collect()
}

/// [`records_between`] for a listed set of subjects (at most a few thousand).
pub async fn records_of(
    db: &impl ConnectionTrait,
    subjects: &[String],
    item_keys: &[&str],
) -> StoreResult<Vec<RawRecord>> {
    if item_keys.is_empty() || subjects.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT subject, item_key, natural_key_hash, version, payload, created_at, batch_id \
         FROM records WHERE subject IN ({}) AND item_key IN ({})",
        placeholders(subjects.len()),
        placeholders(item_keys.len())
    );
    let mut values: Vec<Value> = subjects.iter().map(|s| Value::from(s.as_str())).collect();
    values.extend(item_keys.iter().map(|k| Value::from(*k)));
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    raw_records(rows)
}

/// [`objections_between`] for a listed set of subjects.
pub async fn objections_of(
    db: &impl ConnectionTrait,
    subjects: &[String],
    statuses: &[&str],
) -> StoreResult<Vec<(String, String, String)>> {
    flags_of(db, "objections", subjects, statuses).await
}

/// [`repairs_between`] for a listed set of subjects.
pub async fn repairs_of(
    db: &impl ConnectionTrait,
    subjects: &[String],
    statuses: &[&str],
) -> StoreResult<Vec<(String, String, String)>> {
    flags_of(db, "repairs", subjects, statuses).await
}

async fn flags_of(
    db: &impl ConnectionTrait,
    table: &str,
    subjects: &[String],
    statuses: &[&str],
) -> StoreResult<Vec<(String, String, String)>> {
    if statuses.is_empty() || subjects.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT subject, item_key, natural_key_hash FROM {table} \
         WHERE subject IN ({}) AND status IN ({})",
        placeholders(subjects.len()),
        placeholders(statuses.len())
    );
    let mut values: Vec<Value> = subjects.iter().map(|s| Value::from(s.as_str())).collect();
    values.extend(statuses.iter().map(|k| Value::from(*k)));
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    flag_keys(rows)
}

/// [`digests_between`] for a listed set of subjects.
pub async fn digests_of(
    db: &impl ConnectionTrait,
    subjects: &[String],
) -> StoreResult<HashMap<String, String>> {
    if subjects.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT subject, digest FROM subject_grades WHERE subject IN ({})",
        placeholders(subjects.len())
    );
    let values = subjects.iter().map(|s| Value::from(s.as_str())).collect();
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        out.insert(r.try_get_by_index(0)?, r.try_get_by_index(1)?);
    }
    Ok(out)
}

/// When an objection or repair about `subject` last changed (filed, answered, decided), if any:
/// a stored result older than that may count a record differently now.
pub async fn flags_changed_at(
    db: &impl ConnectionTrait,
    subject: &str,
) -> StoreResult<Option<NaiveDateTime>> {
    let backend = db.get_database_backend();
    let mut newest: Option<NaiveDateTime> = None;
    for table in ["objections", "repairs"] {
        let sql = format!("SELECT MAX(updated_at) FROM {table} WHERE subject = ?");
        if let Some(row) = db
            .query_one_raw(statement(backend, &sql, vec![subject.into()]))
            .await?
        {
            let at: Option<NaiveDateTime> = row.try_get_by_index(0).ok().flatten();
            newest = newest.max(at);
        }
    }
    Ok(newest)
}

/// Subjects whose objections or repairs changed after `since` (UTC), with the newest change.
pub async fn flags_changed_since(
    db: &impl ConnectionTrait,
    since: NaiveDateTime,
) -> StoreResult<(Vec<String>, Option<NaiveDateTime>)> {
    let backend = db.get_database_backend();
    let mut subjects = Vec::new();
    let mut newest: Option<NaiveDateTime> = None;
    for table in ["objections", "repairs"] {
        let sql = format!("SELECT subject, updated_at FROM {table} WHERE updated_at > ?");
        let rows = db
            .query_all_raw(statement(backend, &sql, vec![since.into()]))
            .await?;
        for r in rows {
            subjects.push(r.try_get_by_index::<String>(0)?);
            let at: NaiveDateTime = r.try_get_by_index(1)?;
            newest = newest.max(Some(at));
        }
    }
    subjects.sort_unstable();
    subjects.dedup();
    Ok((subjects, newest))
}

/// Current results computed with another model or tag-rule version.
pub async fn stale_count(
    db: &impl ConnectionTrait,
    model_version: i32,
    tag_rules_version: i32,
) -> StoreResult<u64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(statement(
            backend,
            "SELECT COUNT(*) FROM subject_grades WHERE model_version <> ? OR evaluation_id IN \
             (SELECT id FROM evaluations WHERE tag_rules_version <> ?)",
            vec![model_version.into(), tag_rules_version.into()],
        ))
        .await?;
    Ok(row.map_or(Ok(0), |r| r.try_get_by_index::<i64>(0))? as u64)
}

/// The newest change event's sequence number (0 when there is none).
pub async fn max_event_seq(db: &impl ConnectionTrait) -> StoreResult<i64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(statement(backend, "SELECT MAX(seq) FROM events", vec![]))
        .await?;
    Ok(row
        .and_then(|r| r.try_get_by_index::<Option<i64>>(0).ok().flatten())
        .unwrap_or(0))
}

/// The file of a SQLite database (`None` for other backends or an in-memory database).
pub async fn sqlite_file(db: &impl ConnectionTrait) -> StoreResult<Option<String>> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Sqlite {
        return Ok(None);
    }
    let rows = db
        .query_all_raw(statement(backend, "PRAGMA database_list", vec![]))
        .await?;
    for r in rows {
        let name: String = r.try_get_by_index(1)?;
        let file: String = r.try_get_by_index(2).unwrap_or_default();
        if name == "main" && !file.is_empty() {
            return Ok(Some(file));
        }
    }
    Ok(None)
}

/// The largest rowid of `records` (SQLite), 0 when empty.
pub async fn max_record_rowid(db: &impl ConnectionTrait) -> StoreResult<i64> {
    let backend = db.get_database_backend();
    Ok(db
        .query_one_raw(statement(backend, "SELECT MAX(rowid) FROM records", vec![]))
        .await?
        .and_then(|r| r.try_get_by_index::<Option<i64>>(0).ok().flatten())
        .unwrap_or(0))
}

/// Columns of the history, in the order [`write`] fills them.
pub const HISTORY: BulkTable = BulkTable {
    name: "evaluations",
    columns: &[
        ("id", ColumnType::Text),
        ("subject", ColumnType::Text),
        ("model_version", ColumnType::Int),
        ("score", ColumnType::Int),
        ("grade", ColumnType::Text),
        ("result", ColumnType::Text),
        ("tag_rules_version", ColumnType::Int),
        ("evaluated_at", ColumnType::Timestamp),
    ],
};

/// Columns of the current grades, in the order [`write`] fills them.
pub const CURRENT: BulkTable = BulkTable {
    name: "subject_grades",
    columns: &[
        ("subject", ColumnType::Text),
        ("evaluation_id", ColumnType::Text),
        ("model_version", ColumnType::Int),
        ("score", ColumnType::Int),
        ("grade", ColumnType::Text),
        ("tags", ColumnType::Text),
        ("digest", ColumnType::Text),
        ("region_code", ColumnType::Text),
        ("industry_code", ColumnType::Text),
        ("evaluated_at", ColumnType::Timestamp),
    ],
};

/// One changed result to store.
#[derive(Debug, Clone)]
pub struct NewResult {
    pub history: EvaluationRow,
    pub tags: String,
    pub digest: String,
    pub region_code: String,
    pub industry_code: String,
}

/// Most rows one DELETE names.
const DELETE_CHUNK: usize = 5_000;

/// Appends the changed results to the history and makes them current — bulk statements, in
/// the caller's transaction.
pub async fn write(db: &impl ConnectionTrait, results: Vec<NewResult>) -> StoreResult<()> {
    if results.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let subjects: Vec<String> = results.iter().map(|r| r.history.subject.clone()).collect();
    for chunk in subjects.chunks(DELETE_CHUNK) {
        SubjectGrade::delete_many()
            .filter(bulk::one_of(
                backend,
                subject_grade::Column::Subject,
                chunk.to_vec(),
            ))
            .exec(db)
            .await?;
    }
    let mut history = Vec::with_capacity(results.len());
    let mut current = Vec::with_capacity(results.len());
    for r in results {
        let h = r.history;
        current.push(vec![
            Cell::Text(h.subject.clone()),
            Cell::Text(h.id.clone()),
            Cell::Int(h.model_version),
            Cell::Int(h.score),
            Cell::Text(h.grade.clone()),
            Cell::Text(r.tags),
            Cell::Text(r.digest),
            Cell::Text(r.region_code),
            Cell::Text(r.industry_code),
            Cell::Timestamp(h.evaluated_at),
        ]);
        history.push(vec![
            Cell::Text(h.id),
            Cell::Text(h.subject),
            Cell::Int(h.model_version),
            Cell::Int(h.score),
            Cell::Text(h.grade),
            Cell::Text(h.result),
            Cell::Int(h.tag_rules_version),
            Cell::Timestamp(h.evaluated_at),
        ]);
    }
    bulk::insert(db, &HISTORY, history).await?;
    bulk::insert(db, &CURRENT, current).await?;
    Ok(())
}

/// The current grade of `subject` and the stored result it points to.
pub async fn current(
    db: &impl ConnectionTrait,
    subject: &str,
) -> StoreResult<Option<(SubjectGradeRow, EvaluationRow)>> {
    let Some(grade) = SubjectGrade::find_by_id(subject.to_owned()).one(db).await? else {
        return Ok(None);
    };
    let Some(result) = Evaluation::find_by_id(grade.evaluation_id.clone())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((grade, result)))
}

/// The current grade row of `subject` alone (grade and tags, without the stored result).
pub async fn grade_of(
    db: &impl ConnectionTrait,
    subject: &str,
) -> StoreResult<Option<SubjectGradeRow>> {
    Ok(SubjectGrade::find_by_id(subject.to_owned()).one(db).await?)
}

/// The current grade rows of subjects with a USCC in `[from, to]`, in USCC order.
pub async fn grades_between(
    db: &impl ConnectionTrait,
    from: &str,
    to: &str,
) -> StoreResult<Vec<SubjectGradeRow>> {
    Ok(SubjectGrade::find()
        .filter(subject_grade::Column::Subject.gte(from))
        .filter(subject_grade::Column::Subject.lte(to))
        .order_by_asc(subject_grade::Column::Subject)
        .all(db)
        .await?)
}

/// The stored results of `subject`, newest first.
pub async fn history(
    db: &impl ConnectionTrait,
    subject: &str,
    limit: u64,
) -> StoreResult<Vec<EvaluationRow>> {
    Ok(Evaluation::find()
        .filter(evaluation::Column::Subject.eq(subject))
        .order_by_desc(evaluation::Column::EvaluatedAt)
        .order_by_desc(evaluation::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Number of history rows of `subject`.
pub async fn history_count(db: &impl ConnectionTrait, subject: &str) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(Evaluation::find()
        .filter(evaluation::Column::Subject.eq(subject))
        .count(db)
        .await?)
}

/// Number of subjects with a current grade.
pub async fn graded_count(db: &impl ConnectionTrait) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(SubjectGrade::find().count(db).await?)
}

/// How to group a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Region,
    Industry,
}

/// One (group, grade) cell of a distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionCell {
    pub code: String,
    pub grade: String,
    pub count: i64,
    pub score_sum: i64,
}

/// Counts and score sums per (region or industry, grade), for the subjects whose region starts
/// with one of `region_prefixes` (all when `None`).
pub async fn distribution(
    db: &impl ConnectionTrait,
    by: GroupBy,
    region_prefixes: Option<&[String]>,
) -> StoreResult<Vec<DistributionCell>> {
    let backend = db.get_database_backend();
    let column = match by {
        GroupBy::Region => "region_code",
        GroupBy::Industry => "industry_code",
    };
    let sum = match backend {
        DbBackend::MySql => "CAST(SUM(score) AS SIGNED)",
        _ => "CAST(SUM(score) AS BIGINT)",
    };
    let mut values = Vec::new();
    let filter = match region_prefixes {
        None => String::new(),
        Some([]) => return Ok(Vec::new()),
        Some(prefixes) => {
            let likes: Vec<&str> = prefixes
                .iter()
                .map(|p| {
                    values.push(Value::from(format!("{p}%")));
                    "region_code LIKE ?"
                })
                .collect();
            format!("WHERE {}", likes.join(" OR "))
        }
    };
    let sql = format!(
        "SELECT {column}, grade, COUNT(*), {sum} FROM subject_grades {filter} \
         GROUP BY {column}, grade ORDER BY {column}, grade"
    );
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    rows.iter()
        .map(|r| {
            Ok(DistributionCell {
                code: r.try_get_by_index(0)?,
                grade: r.try_get_by_index(1)?,
                count: r.try_get_by_index(2)?,
                score_sum: r.try_get_by_index(3)?,
            })
        })
        .collect()
}

/// Rows of `subject, item_key, natural_key_hash, version, payload, created_at, batch_id`.
fn raw_records(rows: Vec<sea_orm::QueryResult>) -> StoreResult<Vec<RawRecord>> {
    rows.into_iter()
        .map(|row| {
            Ok(RawRecord {
                subject: row.try_get_by_index(0)?,
                item_key: row.try_get_by_index(1)?,
                natural_key_hash: row.try_get_by_index(2)?,
                version: row.try_get_by_index(3)?,
                payload: row.try_get_by_index(4)?,
                created_at: row.try_get_by_index(5)?,
                batch_id: row.try_get_by_index(6)?,
            })
        })
        .collect()
}

/// Rows of `subject, item_key, natural_key_hash` (records under objection or repaired).
fn flag_keys(rows: Vec<sea_orm::QueryResult>) -> StoreResult<Vec<(String, String, String)>> {
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get_by_index(0)?,
                r.try_get_by_index(1)?,
                r.try_get_by_index(2)?,
            ))
        })
        .collect()
}
