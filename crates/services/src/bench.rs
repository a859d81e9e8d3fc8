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
