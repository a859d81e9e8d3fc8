//! The pull read (接口调用): who may read is decided first (`crate::access`), then the answer
//! comes from the short cache or from one call (with retries) to the provider's API, guarded by
//! its breaker and quotas. Every read that reaches the reader is recorded for the provider's
//! usage feedback.

use super::breaker::Admission;
use super::cache::TtlCache;
use super::connector::{CallFailure, fetch};
use super::registry::{Counters, Fetched, Slot, lock};
use crate::access::{self, ReadRequest};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use crate::quality::usage::{DataRead, record_read};
use serde::Serialize;
use serde_json::{Map, Value};
use std::time::Duration;
use xinrong_core::access::{Basis, Shown, Verdict};
use xinrong_core::catalog::{CodeTable, Item, Mode};
use xinrong_core::codes::resident_id::ResidentId;
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::role::Role;
use xinrong_store::repo::{connectors, organizations};

/// The message readers see whenever a provider cannot answer.
pub const UNAVAILABLE_MESSAGE: &str = "数据源暂不可用，请稍后再试";

/// One pull read.
#[derive(Debug, Clone, Copy)]
pub struct PullRequest<'a> {
    pub reader_role: Role,
    pub reader_org_id: &'a str,
    pub item_key: &'a str,
    /// The subject's USCC (or ID number for items about a person).
    pub subject: &'a str,
    /// 查询用途, passed to the access decision and to the provider.
    pub purpose: Option<&'a str>,
    /// The authorization the reader relies on (any active one that covers when `None`).
    pub authorization_id: Option<&'a str>,
}

/// A column of the answer, in catalogue order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub key: String,
    pub label: String,
}

/// The answer of a pull read.
#[derive(Debug, Clone, Serialize)]
pub struct PullResult {
    pub item_key: String,
    pub item_label: String,
    pub subject: String,
    pub provider_org_id: String,
    pub provider_name: String,
    pub columns: Vec<Column>,
    /// Checked rows, values normalised by the catalogue's rules.
    pub rows: Vec<Map<String, Value>>,
    /// Rows the provider sent that failed the catalogue's checks (left out).
    pub rejected_rows: usize,
    /// Answered from the short cache without calling the provider.
    pub from_cache: bool,
    /// When the provider answered (UTC).
    pub fetched_at: chrono::NaiveDateTime,
}

/// Reads `item_key` about `subject` from the provider's API.
pub async fn pull(platform: &Platform, request: PullRequest<'_>) -> ServiceResult<PullResult> {
    let item = crate::catalog::current()
        .item(request.item_key)
        .ok_or_else(|| {
            ServiceError::invalid(
                "catalog.unknown_item",
                format!("目录中没有信息项 {}", request.item_key),
            )
        })?;
    if !item.modes.contains(&Mode::Pull) {
        return Err(ServiceError::invalid(
            "pull.not_pull_item",
            format!(
                "信息项“{}”（{}）只做物理归集，不提供接口调用",
                item.label, item.key
            ),
        ));
    }
    let subject = normalise_subject(item, request.subject)?;
    let reader_as = access::Reader::for_org(platform, request.reader_org_id).await?;
    let verdict = access::decide(
        platform,
        &ReadRequest {
            reader: &reader_as,
            item,
            subject: &subject,
            purpose: request.purpose,
            authorization_id: request.authorization_id,
        },
    )
    .await?;

    let config = connectors::for_item(&platform.db.conn, &item.key)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            ServiceError::invalid(
                "pull.no_connector",
                format!(
                    "信息项“{}”尚未配置可用的数据源接口，请联系平台运营方",
                    item.label
                ),
            )
        })?;
    let slot = platform.pull.slot(&config, platform.clock.now());
    let key = TtlCache::<Fetched>::key(&config.org_id, &item.key, &subject);
    let cached = lock(&slot.cache).get(&key, platform.clock.now());
    let (fetched, from_cache) = match cached {
        Some(hit) => {
            Counters::bump(&slot.counters.cache_hits);
            (hit, true)
        }
        None => {
            let fetched = call_provider(platform, &slot, item, &subject, &request).await?;
            lock(&slot.cache).put(key, fetched.clone(), platform.clock.now());
            (fetched, false)
        }
    };

    let provider = organizations::get(&platform.db.conn, &config.org_id).await?;
    let reader = organizations::get(&platform.db.conn, request.reader_org_id).await?;
    let reader_kind = reader
        .as_ref()
        .and_then(|o| o.institution_kind.clone())
        .unwrap_or_else(|| request.reader_role.code().to_owned());
    record_read(
        platform,
        DataRead {
            provider_org_id: &config.org_id,
            item_key: &item.key,
            subject: &subject,
            reader_org_id: request.reader_org_id,
            reader_kind: &reader_kind,
            channel: "pull",
            at: platform.clock.now_naive(),
        },
    )
    .await?;
    let authorization_id = match &verdict.basis {
        Basis::Authorization { id } => Some(id.as_str()),
        _ => None,
    };
    crate::share::record_item_read(
        platform,
        &reader_as,
        &subject,
        &item.key,
        request
            .purpose
            .and_then(xinrong_core::purpose::Purpose::parse)
            .map(|p| p.code()),
        authorization_id,
        "pull",
    )
    .await?;
    Ok(PullResult {
        item_key: item.key.clone(),
        item_label: item.label.clone(),
        subject,
        provider_org_id: config.org_id.clone(),
        provider_name: provider.map(|o| o.name).unwrap_or_default(),
        columns: item
            .fields
            .iter()
            .map(|f| Column {
                key: f.key.clone(),
                label: f.label.clone(),
            })
            .collect(),
        rows: fetched
            .rows
            .into_iter()
            .map(|row| shape_row(item, &verdict, row))
            .collect(),
        rejected_rows: fetched.rejected_rows,
        from_cache,
        fetched_at: fetched.fetched_at,
    })
}

/// A fetched row as the reader may receive it: the one masking policy applied, withheld fields
/// left out.
fn shape_row(item: &Item, verdict: &Verdict, row: Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in row {
        let Some(field) = item.field(&key) else {
            continue;
        };
        let text = match &value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        match xinrong_core::access::shape(verdict, field, &text) {
            Shown::Clear(_) => {
                out.insert(key, value);
            }
            Shown::Masked(m) => {
                out.insert(key, Value::String(m));
            }
            Shown::Withheld => {}
        }
    }
    out
}

/// The subject in its canonical form, checked against the item's subject field: a USCC, an ID
/// number, or (for fields without a national code) a plain identifier.
fn normalise_subject(item: &Item, subject: &str) -> ServiceResult<String> {
    let subject = subject.trim();
    let field = item.field(&item.subject_fields[0]);
    match field.and_then(|f| f.code_table) {
        Some(CodeTable::Uscc) => Ok(Uscc::parse(subject)?.as_str().to_owned()),
        Some(CodeTable::ResidentId) => Ok(ResidentId::parse(subject)
            .map(|id| id.as_str().to_owned())
            .or_else(|e| {
                Uscc::parse(subject)
                    .map(|u| u.as_str().to_owned())
                    .map_err(|_| e)
            })?),
        _ => {
            let plain = !subject.is_empty()
                && subject.len() <= 64
                && subject
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if plain {
                Ok(subject.to_uppercase())
            } else {
                Err(ServiceError::invalid(
                    "pull.subject",
                    "信息主体标识应为统一社会信用代码或身份证号码",
                ))
            }
        }
    }
}

/// Breaker, rate quota, concurrency quota, then the call with retries.
async fn call_provider(
    platform: &Platform,
    slot: &Slot,
    item: &Item,
    subject: &str,
    request: &PullRequest<'_>,
) -> ServiceResult<Fetched> {
    let admission = lock(&slot.breaker).admit(platform.clock.now());
    let probe = match admission {
        Admission::Allowed => false,
        Admission::Probe => true,
        Admission::Refused { retry_after } => {
            Counters::bump(&slot.counters.short_circuits);
            return Err(unavailable(
                "pull.source_unavailable",
                format!("{UNAVAILABLE_MESSAGE}（数据源连续失败，已暂停调用）"),
                Some(retry_after.num_seconds().max(1)),
            ));
        }
    };
    let abandon = || {
        if probe {
            lock(&slot.breaker).abandon_probe();
        }
    };
    if let Err(wait_ms) = lock(&slot.bucket).try_take(platform.clock.now()) {
        abandon();
        Counters::bump(&slot.counters.rate_limited);
        return Err(ServiceError::Throttled {
            code: "pull.rate_limited",
            message: format!(
                "接口调用容量不足：该数据源每分钟最多调用 {} 次，请 {} 秒后再试",
                slot.config.rate_per_minute,
                wait_ms.div_ceil(1000)
            ),
            retry_after_secs: i64::try_from(wait_ms.div_ceil(1000)).unwrap_or(60),
        });
    }
    let timeout = Duration::from_millis(u64::try_from(slot.config.timeout_ms).unwrap_or(3_000));
    let Ok(Ok(_permit)) = tokio::time::timeout(timeout, slot.permits.clone().acquire_owned()).await
    else {
        abandon();
        Counters::bump(&slot.counters.rate_limited);
        return Err(ServiceError::Throttled {
            code: "pull.busy",
            message: format!(
                "接口调用容量不足：该数据源同时处理的查询已满（{} 个），请稍后再试",
                slot.config.max_concurrency
            ),
            retry_after_secs: 1,
        });
    };

    let retries = u32::try_from(slot.config.retries).unwrap_or(0);
    let mut last = CallFailure::Connect;
    for attempt in 0..=retries {
        if attempt > 0 {
            let wait = super::backoff::delay(attempt - 1, &mut *lock(&platform.pull.rng));
            tokio::time::sleep(wait).await;
        }
        Counters::bump(&slot.counters.calls);
        let outcome = fetch(
            &platform.pull.client,
            &slot.config,
            &item.key,
            subject,
            request.reader_org_id,
            request.purpose,
        )
        .await;
        match outcome {
            Ok(rows) => {
                lock(&slot.breaker).on_success();
                let now = platform.clock.now();
                let today = now
                    .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
                    .date_naive();
                return Ok(check_rows(item, subject, rows, today, now.naive_utc()));
            }
            Err(failure) => {
                Counters::bump(&slot.counters.failures);
                tracing::warn!(provider = %slot.config.org_id, item = %item.key, attempt, ?failure, "pull call failed");
                let mut breaker = lock(&slot.breaker);
                if failure.unhealthy() {
                    breaker.on_failure(platform.clock.now());
                } else {
                    breaker.on_success();
                }
                let stop = !failure.retryable() || breaker.is_open(platform.clock.now());
                drop(breaker);
                last = failure;
                if stop {
                    break;
                }
            }
        }
    }
    Err(match last {
        CallFailure::Timeout => unavailable(
            "pull.timeout",
            format!(
                "数据源响应超时（超过 {} 毫秒），{UNAVAILABLE_MESSAGE}",
                slot.config.timeout_ms
            ),
            None,
        ),
        CallFailure::Status(status) if status < 500 && status != 408 && status != 429 => {
            unavailable(
                "pull.source_unavailable",
                format!("{UNAVAILABLE_MESSAGE}（数据源拒绝了查询：HTTP {status}）"),
                None,
            )
        }
        _ => unavailable(
            "pull.source_unavailable",
            UNAVAILABLE_MESSAGE.to_owned(),
            None,
        ),
    })
}

fn unavailable(code: &'static str, message: String, retry_after_secs: Option<i64>) -> ServiceError {
    ServiceError::Unavailable {
        code,
        message,
        retry_after_secs,
    }
}

/// Keeps the rows that pass the catalogue's checks and are about `subject`; `today` is the
/// Beijing date (no future dates), `now` the answer's time.
fn check_rows(
    item: &Item,
    subject: &str,
    rows: Vec<Map<String, Value>>,
    today: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) -> Fetched {
    let mut kept = Vec::with_capacity(rows.len());
    let mut rejected = 0;
    for row in rows {
        let texts: Vec<(&xinrong_core::catalog::Field, String)> = row
            .iter()
            .filter_map(|(k, v)| {
                let field = item.field(k)?;
                let text = match v {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Some((field, text))
            })
            .collect();
        let cells: Vec<_> = texts.iter().map(|(f, t)| (*f, t.as_str())).collect();
        match item.check_row(&cells, today) {
            Ok(checked) if checked.subject == subject => kept.push(checked.values),
            _ => rejected += 1,
        }
    }
    Fetched {
        rows: kept,
        rejected_rows: rejected,
        fetched_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use xinrong_core::catalog::builtin;

    fn uscc(body: &str) -> String {
        Uscc::from_body(body).unwrap().as_str().to_owned()
    }

    #[test]
    fn rows_failing_the_catalogue_or_about_another_subject_are_left_out() {
        let item = builtin().item("tax.tax_arrears").unwrap();
        let me = uscc("91410100MA0000001");
        let other = uscc("91410100MA0000002");
        let row = |v: Value| v.as_object().unwrap().clone();
        let rows = vec![
            row(
                json!({"uscc": me, "has_tax_arrears": true, "tax_arrears_amount": "12.50", "unknown": 1}),
            ),
            row(json!({"uscc": other, "has_tax_arrears": false})),
            row(json!({"uscc": me, "tax_arrears_amount": "a lot"})),
            row(json!({"has_tax_arrears": true})),
        ];
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let now = today.and_hms_opt(3, 0, 0).unwrap();
        let fetched = check_rows(item, &me, rows, today, now);
        assert_eq!(fetched.rows.len(), 1);
        assert_eq!(fetched.rejected_rows, 3);
        assert_eq!(fetched.rows[0]["has_tax_arrears"], Value::Bool(true));
        assert_eq!(fetched.rows[0]["tax_arrears_amount"], json!("12.50"));
        assert!(
            !fetched.rows[0].contains_key("unknown"),
            "only catalogue fields"
        );
        assert_eq!(fetched.fetched_at, now);
    }

    #[test]
    fn subjects_are_checked_by_the_items_subject_field() {
        let tax = builtin().item("tax.tax_arrears").unwrap();
        let me = uscc("91410100MA0000001");
        assert_eq!(
            normalise_subject(tax, &format!(" {} ", me.to_lowercase())).unwrap(),
            me
        );
        assert_eq!(
            normalise_subject(tax, "91410100MA0000000X")
                .unwrap_err()
                .code(),
            "uscc.check"
        );
        let marital = builtin()
            .item("marital_status.legal_rep_marital_status")
            .unwrap();
        let id = ResidentId::from_body("41010219800101001").unwrap();
        assert_eq!(
            normalise_subject(marital, id.as_str()).unwrap(),
            id.as_str()
        );
        assert!(normalise_subject(marital, "410102").is_err());
        let mortgage = builtin().item("real_estate.property_mortgage").unwrap();
        assert!(normalise_subject(mortgage, "x y").is_err());
        assert_eq!(normalise_subject(mortgage, "ab-12").unwrap(), "AB-12");
    }
}
