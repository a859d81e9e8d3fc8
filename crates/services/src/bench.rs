//! 报送性能基准 (ingest benchmark): one push item's file of N rows through the whole batch path —
//! validation, versioning, the ledger, events and a signed head — against the same rows loaded
//! by the database's own bulk loader into a plain table with the same key, in the same run, so
//! the ratio holds on a noisy machine.

use crate::collect::{BatchKind, Encoding, Format, IngestRequest, ingest};
use crate::demo::{DemoOptions, seed_demo};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use serde::Serialize;
use std::io::Write;
use std::time::Instant;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter};
use xinrong_store::repo::{organizations, provider_items};

/// The item the benchmark pushes: twelve months of housing-fund deposits per enterprise.
pub const BENCH_ITEM: &str = "housing_fund.deposit_statistics_12m";

#[derive(Debug, Clone, Serialize)]
pub struct IngestBench {
    pub backend: &'static str,
    pub item: &'static str,
    pub rows: u64,
    pub file_bytes: u64,
    /// The batch: reading, checking, versioning, ledger, events, signed head, commit.
    pub seconds: f64,
    pub rows_per_s: f64,
    /// The database's bulk loader into a plain table.
    pub baseline: xinrong_store::baseline::Loader,
    pub baseline_seconds: f64,
    pub baseline_rows_per_s: f64,
    /// rows_per_s / baseline_rows_per_s.
    pub ratio: f64,
    /// Seeding the subjects and writing the file (not timed in either figure).
    pub setup_seconds: f64,
    pub accepted: u64,
}

fn io(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::invalid("bench.io", format!("基准测试文件写入失败：{e}"))
}

/// Runs the benchmark on an empty, migrated database.
pub async fn ingest_bench(
    platform: &Platform,
    rows: u32,
    dir: &std::path::Path,
) -> ServiceResult<IngestBench> {
    let setup = Instant::now();
    // Subjects must be known enterprises: the demo city seeds exactly one per row.
    seed_demo(
        platform,
        &DemoOptions {
            enterprises: rows,
            seed: 1,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: false,
        },
    )
    .await?;
    let conn = &platform.db.conn;
    let mut provider = None;
    for org in organizations::list(conn, Some("provider")).await? {
        if provider_items::is_granted(conn, &org.id, BENCH_ITEM).await? {
            provider = Some(org.id);
            break;
        }
    }
    let provider = provider.ok_or_else(|| {
        ServiceError::invalid("bench.provider", "演示城市中没有公积金数据提供单位")
    })?;

    let path = dir.join(format!(
        "xinrong-bench-{}.csv",
        uuid::Uuid::new_v4().simple()
    ));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    writeln!(
        out,
        "uscc,enterprise_name,avg_monthly_depositors_12m,total_deposit_12m,consecutive_normal_months_12m,last_normal_payment_date"
    )
    .map_err(io)?;
    let mut after: Option<String> = None;
    let mut written = 0u64;
    loop {
        let page =
            enterprises::scan_after(conn, &EnterpriseFilter::default(), after.as_deref(), 5_000)
                .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.uscc.clone());
        for e in &page {
            let people = (e.employees.max(1) as u64 * 7) / 10 + 1;
            let months = 1 + written % 12;
            writeln!(
                out,
                "{},{},{people},{}.{:02},{months},2026-0{}-15",
                e.uscc,
                e.name,
                people * 12 * 1_180,
                written % 100,
                1 + written % 9
            )
            .map_err(io)?;
            written += 1;
        }
    }
    out.flush().map_err(io)?;
    drop(out);
    let file_bytes = std::fs::metadata(&path).map_err(io)?.len();
    xinrong_store::baseline::settle(&platform.db).await?;
    let setup_seconds = setup.elapsed().as_secs_f64();

    let started = Instant::now();
    let report = ingest(
        platform,
        IngestRequest {
            item_key: BENCH_ITEM,
            provider_org_id: &provider,
            format: Format::Csv,
            encoding: Encoding::Utf8,
            strict: false,
            kind: BatchKind::Regular,
            path: &path,
            progress: None,
        },
    )
    .await;
    let seconds = started.elapsed().as_secs_f64();
    let report = match report {
        Ok(report) => report,
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
    };

    let started = Instant::now();
    let loaded = xinrong_store::baseline::load_plain(&platform.db, &path).await;
    let baseline_seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&path);
    let (loaded, loader) = loaded?;
    if loaded != written {
        return Err(ServiceError::invalid(
            "bench.baseline",
            format!("基准装载了 {loaded} 行，应为 {written} 行"),
        ));
    }
    let rows_per_s = written as f64 / seconds;
    let baseline_rows_per_s = written as f64 / baseline_seconds;
    Ok(IngestBench {
        backend: platform.db.backend.name(),
        item: BENCH_ITEM,
        rows: written,
        file_bytes,
        seconds,
        rows_per_s,
        baseline: loader,
        baseline_seconds,
        baseline_rows_per_s,
        ratio: rows_per_s / baseline_rows_per_s,
        setup_seconds,
        accepted: report.accepted as u64,
    })
}

/// The item a latency sample sends: one 失信被执行人 record, which lowers any subject's score.
pub const LATENCY_ITEM: &str = "judicial.dishonest_judgment_debtors";

/// 评价性能基准 (evaluation benchmark): a full evaluation of a demo city with records, then the
/// ingest-to-grade latency of one-row batches followed by the outbox consumer.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluateBench {
    pub backend: &'static str,
    pub enterprises: u64,
    pub records: u64,
    /// Seeding the demo city and its records (not part of any figure).
    pub seed_seconds: f64,
    /// The full evaluation (`evaluation::evaluate_all`).
    pub seconds: f64,
    pub per_s: f64,
    pub model_version: u32,
    pub changed: u64,
    /// One-row batches sent, each about another subject.
    pub latency_samples: u32,
    /// From handing the batch to the ingest path until the subject's current result reflects it.
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    pub latency_max_ms: f64,
    /// The ingest call alone (commit included), median.
    pub ingest_p50_ms: f64,
    /// Samples whose grade (not only the score) changed.
    pub grades_changed: u32,
}

/// The value at quantile `q` of sorted values (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Runs the evaluation benchmark on an empty, migrated database.
pub async fn evaluate_bench(
    platform: &Platform,
    enterprises: u32,
    records_per_enterprise: u32,
    samples: u32,
    dir: &std::path::Path,
) -> ServiceResult<EvaluateBench> {
    use sea_orm::{ConnectionTrait, Statement};
    let setup = Instant::now();
    let demo = seed_demo(
        platform,
        &DemoOptions {
            enterprises,
            seed: 1,
            region: "4101".into(),
            records_per_enterprise,
            finance: false,
        },
    )
    .await?;
    xinrong_store::baseline::settle(&platform.db).await?;
    let seed_seconds = setup.elapsed().as_secs_f64();

    let run = crate::evaluation::evaluate_all(platform, xinrong_core::evaluation::Model::builtin())
        .await?;

    // Latency: subjects without a 失信 record, each sent one, followed by the outbox consumer
    // running in-process as it does in `serve`.
    let conn = &platform.db.conn;
    let listed: std::collections::HashSet<String> = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT DISTINCT subject FROM records WHERE item_key = '{LATENCY_ITEM}'"),
        ))
        .await
        .map_err(xinrong_store::StoreError::from)?
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    let mut subjects = Vec::new();
    let mut after: Option<String> = None;
    while subjects.len() < samples as usize {
        let page =
            enterprises::scan_after(conn, &EnterpriseFilter::default(), after.as_deref(), 1_000)
                .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.uscc.clone());
        // Every seventh enterprise, so the samples spread over the city.
        for e in page.iter().step_by(7) {
            if !listed.contains(&e.uscc) && subjects.len() < samples as usize {
                subjects.push((e.uscc.clone(), e.name.clone()));
            }
        }
    }
    let mut provider = None;
    for org in organizations::list(conn, Some("provider")).await? {
        if provider_items::is_granted(conn, &org.id, LATENCY_ITEM).await? {
            provider = Some(org.id);
            break;
        }
    }
    let provider = provider
        .ok_or_else(|| ServiceError::invalid("bench.provider", "演示城市中没有法院数据提供单位"))?;

    let follower = crate::evaluation::spawn_follower(platform.clone());
    let measured = measure_latency(platform, &provider, &subjects, dir).await;
    follower.abort();
    let (mut latencies, mut ingests, grades_changed) = measured?;
    latencies.sort_by(f64::total_cmp);
    ingests.sort_by(f64::total_cmp);
    Ok(EvaluateBench {
        backend: platform.db.backend.name(),
        enterprises: run.enterprises,
        records: demo.records,
        seed_seconds,
        seconds: run.seconds,
        per_s: run.per_s,
        model_version: run.model_version,
        changed: run.changed,
        latency_samples: latencies.len() as u32,
        latency_p50_ms: quantile(&latencies, 0.5),
        latency_p99_ms: quantile(&latencies, 0.99),
        latency_max_ms: latencies.last().copied().unwrap_or(0.0),
        ingest_p50_ms: quantile(&ingests, 0.5),
        grades_changed,
    })
}

/// Sends one 失信 record per subject through the real ingest path and polls the subject's
/// current result until it differs from the one before. Returns latencies and ingest times (ms)
/// and how many grades changed.
async fn measure_latency(
    platform: &Platform,
    provider: &str,
    subjects: &[(String, String)],
    dir: &std::path::Path,
) -> ServiceResult<(Vec<f64>, Vec<f64>, u32)> {
    const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);
    let today = platform.clock.now_naive().date() - chrono::Duration::days(1);
    let mut latencies = Vec::with_capacity(subjects.len());
    let mut ingests = Vec::with_capacity(subjects.len());
    let mut grades_changed = 0;
    for (i, (uscc, name)) in subjects.iter().enumerate() {
        let before = crate::evaluation::current(platform, uscc).await?;
        let path = dir.join(format!(
            "xinrong-bench-latency-{}.jsonl",
            uuid::Uuid::new_v4().simple()
        ));
        let row = serde_json::json!({
            "case_no": format!("（{}）豫01执{}号之基准", today.format("%Y"), 90_000 + i),
            "enterprise_name": name,
            "debtor_name": name,
            "debtor_id_no_or_uscc": uscc,
            "performance_status": "全部未履行",
            "dishonest_behaviour": "有履行能力而拒不履行生效法律文书确定义务",
            "filing_date": today.to_string(),
            "publish_date": today.to_string(),
        });
        std::fs::write(&path, format!("{row}\n")).map_err(io)?;
        let started = Instant::now();
        let report = ingest(
            platform,
            IngestRequest {
                item_key: LATENCY_ITEM,
                provider_org_id: provider,
                format: Format::Jsonl,
                encoding: Encoding::Utf8,
                strict: true,
                kind: BatchKind::Regular,
                path: &path,
                progress: None,
            },
        )
        .await;
        let _ = std::fs::remove_file(&path);
        let report = report?;
        ingests.push(started.elapsed().as_secs_f64() * 1000.0);
        if report.new_versions != 1 {
            return Err(ServiceError::invalid(
                "bench.latency",
                format!("基准记录未写入：{:?}", report.errors.first()),
            ));
        }
        loop {
            let now = crate::evaluation::current(platform, uscc).await?;
            let moved = match (&before, &now) {
                (Some(b), Some(n)) => b.evaluation != n.evaluation,
                (None, Some(_)) => true,
                _ => false,
            };
            if moved {
                latencies.push(started.elapsed().as_secs_f64() * 1000.0);
                if before.as_ref().map(|b| &b.evaluation.grade)
                    != now.as_ref().map(|n| &n.evaluation.grade)
                {
                    grades_changed += 1;
                }
                break;
            }
            if started.elapsed() > DEADLINE {
                return Err(ServiceError::invalid(
                    "bench.latency",
                    format!(
                        "{uscc} 的评价结果在 {} 秒内未反映新记录",
                        DEADLINE.as_secs()
                    ),
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }
    Ok((latencies, ingests, grades_changed))
}
