//! 独立验算 (independent check) of the public credit evaluation: randomly chosen enterprises of
//! a demo city with records are re-scored from their RAW records, read with plain SQL, by a
//! reference interpreter of the model file written here — loops over the TOML, nothing shared
//! with the engine — and compared with `xinrong evaluate --subject USCC --format json`: score,
//! grade and every indicator's points. Some records are put under a pending objection, some
//! repaired, and one enterprise declares a record itself, so the model's `[rules]` are checked
//! too.
//!
//! The reference reads `models/evaluation/v1.toml`, or the file named by
//! `XINRONG_REFERENCE_MODEL` (to check a binary built from a changed model against the original,
//! which must then fail). `XINRONG_CHECK_SEED` picks other enterprises; the seed is printed.

use crate::on_all_backends;
use crate::support::xinrong;
use chrono::{Datelike, Months, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use toml::Value as T;
use xinrong_services::Platform;
use xinrong_services::collect::{BatchKind, Encoding, Format, IngestRequest, ingest};
use xinrong_services::demo::{DemoOptions, seed_demo};
use xinrong_store::Backend;
use xinrong_store::testing::TestDb;

const SAMPLE: usize = 30;

// ─── Plain SQL ────────────────────────────────────────────────────────────────────────────────

async fn query(platform: &Platform, sql: &str) -> Vec<sea_orm::QueryResult> {
    let conn = &platform.db.conn;
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn execute(platform: &Platform, sql: &str) {
    let conn = &platform.db.conn;
    conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// One current record as the reference sees it.
#[derive(Debug, Clone)]
struct Raw {
    item: String,
    values: Map<String, Value>,
    objection_pending: bool,
    repaired: bool,
    self_declared: bool,
    /// Order of arrival (created_at, then version), for "latest" without a field to order by.
    arrival: (String, i32),
}

struct Subject {
    established: Option<NaiveDate>,
    capital_fen: i64,
    employees: i64,
    records: Vec<Raw>,
}

async fn load(platform: &Platform, uscc: &str) -> Subject {
    let master = query(
        platform,
        &format!(
            "SELECT established, registered_capital_fen, employees FROM enterprises WHERE uscc = '{uscc}'"
        ),
    )
    .await;
    let m = master.first().expect("enterprise row");
    let established: Option<NaiveDate> = m.try_get_by_index(0).ok();
    let capital_fen: i64 = m.try_get_by_index(1).unwrap();
    let employees: i64 = m
        .try_get_by_index::<i32>(2)
        .map(i64::from)
        .or_else(|_| m.try_get_by_index::<i64>(2))
        .unwrap();

    let pending: HashSet<(String, String)> = query(
        platform,
        &format!(
            "SELECT item_key, natural_key_hash FROM objections WHERE subject = '{uscc}' \
             AND status IN ('open', 'escalated', 'correction_ordered')"
        ),
    )
    .await
    .iter()
    .map(|r| {
        (
            r.try_get_by_index(0).unwrap(),
            r.try_get_by_index(1).unwrap(),
        )
    })
    .collect();
    let repaired: HashSet<(String, String)> = query(
        platform,
        &format!(
            "SELECT item_key, natural_key_hash FROM repairs WHERE subject = '{uscc}' AND status = 'approved'"
        ),
    )
    .await
    .iter()
    .map(|r| (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap()))
    .collect();

    // Every version; keep the highest of each record.
    let mut current: HashMap<(String, String), (i32, Raw)> = HashMap::new();
    for row in query(
        platform,
        &format!(
            "SELECT r.item_key, r.natural_key_hash, r.version, r.payload, b.kind, r.created_at \
             FROM records r JOIN batches b ON b.id = r.batch_id WHERE r.subject = '{uscc}'"
        ),
    )
    .await
    {
        let item: String = row.try_get_by_index(0).unwrap();
        let key: String = row.try_get_by_index(1).unwrap();
        let version: i32 = row.try_get_by_index(2).unwrap();
        let payload: String = row.try_get_by_index(3).unwrap();
        let kind: String = row.try_get_by_index(4).unwrap();
        let created: String = row
            .try_get_by_index::<chrono::NaiveDateTime>(5)
            .map(|t| t.to_string())
            .unwrap_or_default();
        let nk = (item.clone(), key);
        if current.get(&nk).is_some_and(|(v, _)| *v >= version) {
            continue;
        }
        let raw = Raw {
            item,
            values: serde_json::from_str(&payload).unwrap(),
            objection_pending: pending.contains(&nk),
            repaired: repaired.contains(&nk),
            self_declared: kind == "self_report",
            arrival: (created, version),
        };
        current.insert(nk, (version, raw));
    }
    let mut records: Vec<Raw> = current.into_values().map(|(_, r)| r).collect();
    records.sort_by(|a, b| a.arrival.cmp(&b.arrival));
    Subject {
        established,
        capital_fen,
        employees,
        records,
    }
}

// ─── The reference interpreter ────────────────────────────────────────────────────────────────

/// An exact decimal as a count of millionths (the model's thresholds and the records' amounts
/// have at most a few decimals).
fn decimal(text: &str) -> Option<i128> {
    let t = text.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut frac6: String = frac.chars().take(6).collect();
    while frac6.len() < 6 {
        frac6.push('0');
    }
    let v = int.parse::<i128>().unwrap_or(0) * 1_000_000 + frac6.parse::<i128>().unwrap();
    Some(if neg { -v } else { v })
}

fn number_of(v: &Value) -> Option<i128> {
    match v {
        Value::Number(n) => decimal(&n.to_string()),
        Value::String(s) => decimal(s),
        _ => None,
    }
}

fn toml_number(v: &T) -> i128 {
    match v {
        T::Integer(i) => i128::from(*i) * 1_000_000,
        T::String(s) => decimal(s).expect("decimal threshold"),
        T::Float(f) => (*f * 1_000_000.0) as i128,
        other => panic!("not a number: {other:?}"),
    }
}

fn int(v: &T, key: &str) -> i64 {
    v.get(key)
        .and_then(T::as_integer)
        .unwrap_or_else(|| panic!("{key} missing in {v:?}"))
}

fn opt_int(v: &T, key: &str) -> Option<i64> {
    v.get(key).and_then(T::as_integer)
}

fn strs(v: &T, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(T::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Points of the highest band whose `min` the value reaches.
fn band(bands: &[T], value: i128) -> i64 {
    let mut points = None;
    for b in bands {
        if value >= toml_number(b.get("min").expect("band min")) {
            points = Some(int(b, "points"));
        }
    }
    points.unwrap_or_else(|| int(&bands[0], "points"))
}

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// A comparable number for integer, decimal, date (yyyymmdd) and month (yyyymm) values.
fn ordinal(v: &Value) -> Option<i128> {
    if let Some(text) = v.as_str() {
        if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(i128::from(
                d.year() * 10_000 + d.month() as i32 * 100 + d.day() as i32,
            ));
        }
        if let Ok(d) = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d") {
            return Some(i128::from(d.year() * 100 + d.month() as i32));
        }
    }
    number_of(v)
}

fn bound(t: &T) -> i128 {
    match t {
        T::String(s) => ordinal(&Value::String(s.clone())).expect("bound"),
        other => toml_number(other),
    }
}

/// One `where` condition against a record's values.
fn condition(c: &T, values: &Map<String, Value>) -> bool {
    let field = c.get("field").and_then(T::as_str).expect("where.field");
    let v = values.get(field);
    if let Some(empty) = c.get("empty").and_then(T::as_bool) {
        return is_empty(v) == empty;
    }
    // A record lacking the field fails every other condition.
    if is_empty(v) {
        return false;
    }
    let same = |want: &T| match (want, v) {
        (T::Boolean(b), Some(Value::Bool(x))) => b == x,
        (T::String(s), Some(Value::String(x))) => s == x,
        (T::Integer(i), Some(x)) => number_of(x) == Some(i128::from(*i) * 1_000_000),
        _ => false,
    };
    if let Some(ne) = c.get("ne") {
        return !same(ne);
    }
    if let Some(list) = c.get("in").and_then(T::as_array) {
        return list.iter().any(same);
    }
    if let Some(max) = c.get("max") {
        return ordinal(v.unwrap()).is_some_and(|x| x <= bound(max));
    }
    if let Some(eq) = c.get("eq") {
        return match (eq, v) {
            (T::Boolean(b), Some(Value::Bool(x))) => b == x,
            (T::String(s), Some(Value::String(x))) => s == x,
            (T::Integer(i), Some(x)) => number_of(x) == Some(i128::from(*i) * 1_000_000),
            _ => false,
        };
    }
    if let Some(min) = c.get("min") {
        return ordinal(v.unwrap()).is_some_and(|x| x >= bound(min));
    }
    panic!("unknown where condition {c:?}")
}

fn matches(ind: &T, values: &Map<String, Value>) -> bool {
    let all = ind
        .get("where")
        .and_then(T::as_array)
        .is_none_or(|cs| cs.iter().all(|c| condition(c, values)));
    let any = ind
        .get("where_any")
        .and_then(T::as_array)
        .is_none_or(|cs| cs.iter().any(|c| condition(c, values)));
    all && any
}

fn within_window(ind: &T, values: &Map<String, Value>, today: NaiveDate) -> bool {
    let (Some(field), Some(months)) = (
        ind.get("date_field").and_then(T::as_str),
        opt_int(ind, "window_months"),
    ) else {
        return true;
    };
    let from = today - Months::new(months as u32);
    let Some(text) = values.get(field).and_then(Value::as_str) else {
        return false;
    };
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date >= from && date <= today;
    }
    // A month field: from that day's month to the current month.
    match NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d") {
        Ok(month) => month >= from.with_day(1).unwrap() && month <= today.with_day(1).unwrap(),
        Err(_) => false,
    }
}

/// Points one record's value gives a value-reading indicator (latest / number / flag), or None
/// when the record does not carry the value.
fn value_points(ind: &T, kind: &str, values: &Map<String, Value>) -> Option<i64> {
    let field = ind.get("field").and_then(T::as_str).expect("field");
    let v = values.get(field)?;
    if is_empty(Some(v)) {
        return None;
    }
    match kind {
        "latest" => {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let map = ind.get("map").and_then(T::as_table).expect("map");
            Some(
                map.get(&text)
                    .and_then(T::as_integer)
                    .unwrap_or_else(|| int(ind, "other")),
            )
        }
        "number" => {
            let n = number_of(v)?;
            Some(band(ind.get("bands").and_then(T::as_array).unwrap(), n))
        }
        "flag" => match v {
            Value::Bool(true) => Some(int(ind, "if_true")),
            Value::Bool(false) => Some(int(ind, "if_false")),
            _ => None,
        },
        _ => unreachable!(),
    }
}

fn order_key(ind: &T, r: &Raw) -> (i128, String, (String, i32)) {
    match ind.get("latest_by").and_then(T::as_str) {
        Some(field) => match r.values.get(field) {
            Some(v) => (
                ordinal(v).unwrap_or(i128::MIN),
                v.as_str().unwrap_or_default().to_owned(),
                r.arrival.clone(),
            ),
            None => (i128::MIN, String::new(), r.arrival.clone()),
        },
        None => (0, String::new(), r.arrival.clone()),
    }
}

/// An indicator's points for one subject, following the model's rules.
fn indicator_points(model: &T, ind: &T, s: &Subject, today: NaiveDate) -> i64 {
    let kind = ind.get("kind").and_then(T::as_str).unwrap();
    let neutral = int(ind, "neutral");
    let rules = model.get("rules").unwrap();
    let exclude_pending =
        rules.get("objection_pending").and_then(T::as_str) == Some("exclude_adverse");
    let exclude_repaired = rules.get("repaired").and_then(T::as_str) == Some("exclude_adverse");
    let self_percent = opt_int(rules, "self_declared_percent").unwrap_or(100);
    let items = strs(ind, "items");
    let flagged =
        |r: &Raw| (exclude_pending && r.objection_pending) || (exclude_repaired && r.repaired);
    // Contributing records, and the points before the self-declared rule.
    let (points, used): (i64, Vec<&Raw>) = match kind {
        "age" => {
            let Some(est) = s.established else {
                return int(ind, "missing");
            };
            let mut years = today.year() - est.year();
            if (today.month(), today.day()) < (est.month(), est.day()) {
                years -= 1;
            }
            let bands = ind.get("bands").and_then(T::as_array).unwrap();
            return band(bands, i128::from(years.max(0)) * 1_000_000);
        }
        "master" => {
            let field = ind.get("field").and_then(T::as_str).unwrap();
            let bands = ind.get("bands").and_then(T::as_array).unwrap();
            let value = match field {
                // Thresholds in 万元.
                "registered_capital" => s.capital_fen / 1_000_000,
                "employees" => s.employees,
                other => panic!("unknown master field {other}"),
            };
            if value == 0 && (field == "employees" || s.capital_fen == 0) {
                return int(ind, "missing");
            }
            return band(bands, i128::from(value) * 1_000_000);
        }
        "exists" | "count" => {
            let bands = ind.get("bands").and_then(T::as_array);
            let on_own = |n: usize| -> i64 {
                if kind == "exists" {
                    if n > 0 {
                        int(ind, "present")
                    } else {
                        int(ind, "absent")
                    }
                } else {
                    band(bands.unwrap(), n as i128 * 1_000_000)
                }
            };
            let in_window: Vec<&Raw> = s
                .records
                .iter()
                .filter(|r| items.contains(&r.item))
                .filter(|r| within_window(ind, &r.values, today))
                .collect();
            let counted: Vec<&Raw> = if ind.get("latest_by").is_some() {
                // Only the most recent record is considered; the conditions are tested on it.
                let mut latest: Vec<&Raw> = in_window
                    .into_iter()
                    .filter(|r| !(flagged(r) && matches(ind, &r.values) && on_own(1) < neutral))
                    .collect();
                latest.sort_by_key(|r| order_key(ind, r));
                latest
                    .last()
                    .filter(|r| matches(ind, &r.values))
                    .map(|r| vec![*r])
                    .unwrap_or_default()
            } else {
                in_window
                    .into_iter()
                    .filter(|r| matches(ind, &r.values))
                    // An adverse record (on its own below neutral) under objection or repaired
                    // is left out.
                    .filter(|r| !(flagged(r) && on_own(1) < neutral))
                    .collect()
            };
            (on_own(counted.len()), counted)
        }
        "latest" | "number" | "flag" => {
            let mut candidates: Vec<&Raw> = s
                .records
                .iter()
                .filter(|r| items.contains(&r.item))
                .filter(|r| matches(ind, &r.values) && within_window(ind, &r.values, today))
                .filter(|r| value_points(ind, kind, &r.values).is_some())
                .filter(|r| !(flagged(r) && value_points(ind, kind, &r.values).unwrap() < neutral))
                .collect();
            candidates.sort_by_key(|r| order_key(ind, r));
            match candidates.last() {
                Some(r) => (value_points(ind, kind, &r.values).unwrap(), vec![*r]),
                None => return int(ind, "missing"),
            }
        }
        other => panic!("unknown indicator kind {other}"),
    };
    if points > neutral && !used.is_empty() && used.iter().all(|r| r.self_declared) {
        return neutral + (points - neutral) * self_percent / 100;
    }
    points
}

struct Reference {
    score: i64,
    grade: String,
    points: BTreeMap<String, i64>,
}

fn reference(model: &T, s: &Subject, today: NaiveDate) -> Reference {
    let mut total = 0i64;
    let mut points = BTreeMap::new();
    for ind in model.get("indicators").and_then(T::as_array).unwrap() {
        let key = ind.get("key").and_then(T::as_str).unwrap().to_owned();
        let p = indicator_points(model, ind, s, today);
        total += int(ind, "weight") * p;
        points.insert(key, p);
    }
    let score = total / 100;
    let grades = model.get("grades").and_then(T::as_array).unwrap();
    let symbols: Vec<&str> = grades
        .iter()
        .map(|g| g.get("symbol").and_then(T::as_str).unwrap())
        .collect();
    let mut rank = grades
        .iter()
        .position(|g| score >= int(g, "min_score"))
        .unwrap_or(grades.len() - 1);
    for cap in model
        .get("caps")
        .and_then(T::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let indicator = cap.get("indicator").and_then(T::as_str).unwrap();
        if points[indicator] <= int(cap, "max_points") {
            let capped = cap.get("grade").and_then(T::as_str).unwrap();
            let cap_rank = symbols.iter().position(|s| *s == capped).unwrap();
            rank = rank.max(cap_rank);
        }
    }
    Reference {
        score,
        grade: symbols[rank].to_owned(),
        points,
    }
}

fn model_text() -> String {
    let path = std::env::var("XINRONG_REFERENCE_MODEL").unwrap_or_else(|_| {
        format!(
            "{}/../../models/evaluation/v1.toml",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// ─── The check ────────────────────────────────────────────────────────────────────────────────

const ADVERSE_ITEMS: &[&str] = &[
    "administrative.administrative_penalty",
    "judicial.dishonest_judgment_debtors",
    "judicial.enforcement_cases",
    "market_registration.abnormal_operation_list",
    "tax.tax_arrears",
    "medical_insurance.arrears",
    "market_registration.serious_violation_list",
];

/// Puts records under the workflows' flags, straight in their tables: pending objections
/// (open, escalated), a confirmed one (not pending), approved and rejected repairs, and an
/// objection to a favourable record. Returns the subjects touched.
async fn flag_records(platform: &Platform) -> Vec<String> {
    let list = ADVERSE_ITEMS
        .iter()
        .map(|i| format!("'{i}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let adverse = query(
        platform,
        &format!(
            "SELECT id, subject, item_key, natural_key_hash, version, provider_org_id FROM records \
             WHERE item_key IN ({list}) ORDER BY subject, item_key, natural_key_hash"
        ),
    )
    .await;
    let favourable = query(
        platform,
        "SELECT id, subject, item_key, natural_key_hash, version, provider_org_id FROM records \
         WHERE item_key = 'tax.tax_credit_rating' ORDER BY subject, natural_key_hash",
    )
    .await;
    let mut touched = Vec::new();
    let now = "2026-11-20 08:00:00";
    let statuses = [
        "open",
        "approved",
        "escalated",
        "confirmed",
        "rejected",
        "approved",
    ];
    let picks = adverse.iter().step_by(3).take(statuses.len());
    for (n, (row, status)) in picks.zip(statuses).enumerate() {
        let id: String = row.try_get_by_index(0).unwrap();
        let subject: String = row.try_get_by_index(1).unwrap();
        let item: String = row.try_get_by_index(2).unwrap();
        let key: String = row.try_get_by_index(3).unwrap();
        let version: i32 = row.try_get_by_index(4).unwrap();
        let provider: String = row.try_get_by_index(5).unwrap();
        let case = format!("00000000-0000-4000-8000-{:012}", 900 + n);
        if matches!(status, "approved" | "rejected") {
            execute(
                platform,
                &format!(
                    "INSERT INTO repairs (id, subject, record_id, item_key, natural_key_hash, record_version, \
                     provider_org_id, severity, period_start, opens_on, applicant_user_id, applicant_org_id, \
                     statement, commitment_id, attachment_ids, status, filed_at, updated_at) VALUES \
                     ('{case}', '{subject}', '{id}', '{item}', '{key}', {version}, '{provider}', 'major', \
                     '2025-01-01', '2025-04-01', 'u', 'o', '已整改', 'c', '[]', '{status}', '{now}', '{now}')"
                ),
            )
            .await;
        } else {
            execute(
                platform,
                &format!(
                    "INSERT INTO objections (id, subject, record_id, item_key, natural_key_hash, record_version, \
                     provider_org_id, filed_by_user_id, filed_by_org_id, reason, attachment_ids, status, \
                     deadline_at, filed_at, updated_at) VALUES ('{case}', '{subject}', '{id}', '{item}', '{key}', \
                     {version}, '{provider}', 'u', 'o', '记录有误', '[]', '{status}', '{now}', '{now}', '{now}')"
                ),
            )
            .await;
        }
        touched.push(subject);
    }
    if let Some(row) = favourable.first() {
        let id: String = row.try_get_by_index(0).unwrap();
        let subject: String = row.try_get_by_index(1).unwrap();
        let key: String = row.try_get_by_index(3).unwrap();
        let version: i32 = row.try_get_by_index(4).unwrap();
        let provider: String = row.try_get_by_index(5).unwrap();
        execute(
            platform,
            &format!(
                "INSERT INTO objections (id, subject, record_id, item_key, natural_key_hash, record_version, \
                 provider_org_id, filed_by_user_id, filed_by_org_id, reason, attachment_ids, status, \
                 deadline_at, filed_at, updated_at) VALUES ('00000000-0000-4000-8000-000000000999', \
                 '{subject}', '{id}', 'tax.tax_credit_rating', '{key}', {version}, '{provider}', 'u', 'o', \
                 '等级有误', '[]', 'open', '{now}', '{now}', '{now}')"
            ),
        )
        .await;
        touched.push(subject);
    }
    touched
}

/// One enterprise declares a patent and a software copyright itself (自主填报), through the
/// batch path as a self-report.
async fn self_declare(platform: &Platform) -> String {
    let rows = query(
        platform,
        "SELECT id, uscc FROM organizations WHERE kind = 'enterprise' ORDER BY uscc",
    )
    .await;
    let org: String = rows[0].try_get_by_index(0).unwrap();
    let uscc: String = rows[0].try_get_by_index(1).unwrap();
    for (item, row) in [
        (
            "intellectual_property.patents",
            serde_json::json!({"uscc": uscc, "application_no": "CN202510999999.9", "patent_title": "一种自主填报的装置", "patent_type": "实用新型", "application_date": "2025-03-01"}),
        ),
        (
            "software_copyright.software_copyrights",
            serde_json::json!({"uscc": uscc, "registration_no": "2025SR9999999", "software_full_name": "自主填报管理系统V1.0"}),
        ),
    ] {
        let path = std::env::temp_dir().join(format!("xr-check-{}.jsonl", uuid::Uuid::new_v4()));
        std::fs::write(&path, format!("{row}\n")).unwrap();
        let report = ingest(
            platform,
            IngestRequest {
                item_key: item,
                provider_org_id: &org,
                format: Format::Jsonl,
                encoding: Encoding::Utf8,
                strict: true,
                kind: BatchKind::SelfReport,
                path: &path,
                progress: None,
            },
        )
        .await;
        let _ = std::fs::remove_file(&path);
        let report = report.unwrap();
        assert_eq!(report.new_versions, 1, "{:?}", report.errors);
    }
    uscc
}

async fn scores_match_the_reference(backend: Backend) {
    let db = TestDb::new(backend).await;
    let platform = Platform::new(db.db.clone());
    seed_demo(
        &platform,
        &DemoOptions {
            enterprises: 300,
            seed: 23,
            region: "4101".into(),
            records_per_enterprise: 40,
            finance: false,
        },
    )
    .await
    .unwrap();
    let mut chosen = flag_records(&platform).await;
    chosen.push(self_declare(&platform).await);

    let all = xinrong(&db.url, &["evaluate", "--all"]);
    assert!(
        all.status.success(),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );

    let seed: u64 = std::env::var("XINRONG_CHECK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    println!("evaluation check ({backend:?}): XINRONG_CHECK_SEED={seed}");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let usccs: Vec<String> = query(&platform, "SELECT uscc FROM enterprises ORDER BY uscc")
        .await
        .iter()
        .map(|r| r.try_get_by_index(0).unwrap())
        .collect();
    chosen.extend(usccs.choose_multiple(&mut rng, SAMPLE).cloned());
    chosen.sort();
    chosen.dedup();

    let model: T = toml::from_str(&model_text()).expect("model TOML");
    let today = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .date_naive();
    let mut grades: BTreeMap<String, usize> = BTreeMap::new();
    let mut rules_mattered = 0;
    for uscc in &chosen {
        let subject = load(&platform, uscc).await;
        let expected = reference(&model, &subject, today);
        // The flags must matter somewhere, or the rules were not exercised.
        let unflagged = Subject {
            records: subject
                .records
                .iter()
                .cloned()
                .map(|r| Raw {
                    objection_pending: false,
                    repaired: false,
                    self_declared: false,
                    ..r
                })
                .collect(),
            ..subject
        };
        if reference(&model, &unflagged, today).points != expected.points {
            rules_mattered += 1;
        }
        let out = xinrong(
            &db.url,
            &["evaluate", "--subject", uscc, "--format", "json"],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let actual: Value = serde_json::from_slice(&out.stdout).unwrap();
        let indicators = actual["indicators"].as_array().expect("indicators");
        assert_eq!(
            indicators.len(),
            expected.points.len(),
            "{uscc}: the engine reports {} indicators, the model has {}",
            indicators.len(),
            expected.points.len()
        );
        for ind in indicators {
            let key = ind["key"].as_str().unwrap();
            let got = ind["points"].as_i64().unwrap();
            let want = expected.points.get(key).copied().unwrap_or_else(|| {
                panic!("{uscc}: the engine reports indicator {key}, which the model lacks")
            });
            assert_eq!(
                got,
                want,
                "subject {uscc} (seed {seed}): indicator {key} has {got} points, the reference computes {want}\n{}",
                serde_json::to_string_pretty(ind).unwrap()
            );
        }
        assert_eq!(
            actual["score"].as_i64(),
            Some(expected.score),
            "subject {uscc} (seed {seed}): score {} vs reference {}",
            actual["score"],
            expected.score
        );
        assert_eq!(
            actual["grade"].as_str(),
            Some(expected.grade.as_str()),
            "subject {uscc} (seed {seed}): grade {} vs reference {}",
            actual["grade"],
            expected.grade
        );
        *grades.entry(expected.grade).or_default() += 1;
    }
    println!(
        "checked {} enterprises: {grades:?}; the objection/repair/self-declared rules changed {rules_mattered}",
        chosen.len()
    );
    assert!(
        rules_mattered >= 3,
        "the rules were exercised on {rules_mattered} subjects only"
    );
    assert!(
        chosen.len() > SAMPLE,
        "random sample plus the flagged subjects"
    );
}
on_all_backends!(scores_match_the_reference);

/// The reference itself can fail: a subject's adverse record changes its points.
#[test]
fn the_reference_reacts_to_adverse_records() {
    let model: T = toml::from_str(&model_text()).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let subject = |records: Vec<Raw>| Subject {
        established: NaiveDate::from_ymd_opt(2010, 1, 1),
        capital_fen: 5_000_000_000,
        employees: 80,
        records,
    };
    let listed = |repaired: bool| Raw {
        item: "judicial.dishonest_judgment_debtors".into(),
        values: serde_json::from_value(serde_json::json!({"case_no": "x"})).unwrap(),
        objection_pending: false,
        repaired,
        self_declared: false,
        arrival: (String::new(), 1),
    };
    let clean = reference(&model, &subject(Vec::new()), today);
    let dishonest = reference(&model, &subject(vec![listed(false)]), today);
    assert!(dishonest.score < clean.score);
    assert_eq!(dishonest.points["jud_dishonest"], 0);
    // Repaired: not counted.
    let repaired = reference(&model, &subject(vec![listed(true)]), today);
    assert_eq!(repaired.score, clean.score);
}
