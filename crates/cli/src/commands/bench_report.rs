//! `xinrong bench report`: standardised credit reports (标准化信用信息报告) over real HTTP on
//! loopback. A demo city with records is seeded and evaluated first (not timed); then `clients`
//! concurrent clients, each with its own keep-alive connection, ask for JSON reports about random
//! enterprises as a demo bank would, for a fixed time after a warm-up. Every report is a full
//! issue: the access decision, the access log, the SM3 digest and the ledger anchor. PDF
//! rendering is timed apart, one report after another.

use crate::config::BenchReportArgs;
use crate::failure::{CliResult, Failure};
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::time::{Duration, Instant};
use xinrong_services::Platform;
use xinrong_services::demo::{DemoOptions, seed_demo};
use xinrong_store::repo::enterprises;
use xinrong_web::AppState;

/// The demo bank whose analysts ask for the reports.
const BANK_USER: &str = "bank-icbc";
/// How many enterprises the clients pick from.
const SUBJECT_SAMPLE: u64 = 20_000;

#[derive(Debug, Serialize)]
struct ReportBench {
    backend: &'static str,
    enterprises: u32,
    records_per_enterprise: u32,
    clients: u32,
    /// Measured seconds (the warm-up excluded).
    seconds: f64,
    requests: u64,
    /// Responses other than 201 with a report (counted, not timed).
    errors: u64,
    per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    pdf: PdfFigures,
    /// Seeding and evaluating the city (not part of any figure).
    setup_seconds: f64,
}

#[derive(Debug, Serialize)]
struct PdfFigures {
    samples: u32,
    p50_ms: f64,
    max_ms: f64,
    bytes_p50: u64,
}

pub async fn run(platform: Platform, args: BenchReportArgs) -> CliResult {
    if args.clients == 0 || args.seconds == 0 || args.enterprises == 0 {
        return Err(Failure::new(
            "bench.args",
            "--clients、--seconds 与 --enterprises 须大于 0",
        ));
    }
    let setup = Instant::now();
    let summary = seed_demo(
        &platform,
        &DemoOptions {
            enterprises: args.enterprises,
            records_per_enterprise: args.records_per_enterprise,
            ..DemoOptions::default()
        },
    )
    .await?;
    // Reports carry the evaluation, as a bank would find it on a running platform.
    xinrong_services::evaluation::evaluate_all(
        &platform,
        xinrong_core::evaluation::Model::builtin(),
    )
    .await?;
    let password = summary
        .credentials
        .iter()
        .find(|c| c.username == BANK_USER)
        .map(|c| c.password.clone())
        .ok_or_else(|| Failure::new("bench.demo", "演示城市中没有演示银行用户"))?;
    // Reports are asked about a sample of the city's enterprises, chosen at random per request.
    let subjects: Vec<String> = enterprises::scan_after(
        &platform.db.conn,
        &enterprises::EnterpriseFilter::default(),
        None,
        SUBJECT_SAMPLE,
    )
    .await
    .map_err(xinrong_services::ServiceError::from)?
    .into_iter()
    .map(|e| e.uscc)
    .collect();
    let backend = platform.db.backend.name();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Failure::new("bench.bind", e.to_string()))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::new("bench.bind", e.to_string()))?;
    let (app, _) = xinrong_web::app(AppState {
        platform: platform.clone(),
        secure_cookies: false,
    });
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let base = format!("http://{addr}");
    let token = bearer_token(&platform, &password).await?;
    let setup_seconds = setup.elapsed().as_secs_f64();

    let warm_up = Duration::from_secs(u64::from(args.seconds).div_ceil(10).max(1));
    let measured = Duration::from_secs(u64::from(args.seconds));
    let load = run_load(&base, &token, &subjects, args.clients, warm_up, measured).await?;
    let pdf = time_pdfs(&base, &token, &subjects, args.pdf_samples).await?;
    server.abort();

    let mut latencies = load.latencies_us;
    latencies.sort_unstable();
    let figures = ReportBench {
        backend,
        enterprises: args.enterprises,
        records_per_enterprise: args.records_per_enterprise,
        clients: args.clients,
        seconds: round3(load.seconds),
        requests: latencies.len() as u64,
        errors: load.errors,
        per_s: round1(latencies.len() as f64 / load.seconds),
        p50_ms: percentile_ms(&latencies, 50),
        p99_ms: percentile_ms(&latencies, 99),
        max_ms: percentile_ms(&latencies, 100),
        pdf,
        setup_seconds: round3(setup_seconds),
    };
    println!("{}", serde_json::to_string(&figures).expect("JSON"));
    Ok(())
}

/// An API token of the demo bank's analyst, made through the same services a login uses.
async fn bearer_token(platform: &Platform, password: &str) -> Result<String, Failure> {
    let login = xinrong_services::identity::login(platform, BANK_USER, password).await?;
    let token =
        xinrong_services::identity::create_token(platform, &login.principal, "bench", Some(1))
            .await?;
    Ok(token.token)
}

struct Load {
    latencies_us: Vec<u32>,
    errors: u64,
    seconds: f64,
}

/// `clients` tasks, each asking one report after another; only answers completed inside the
/// measured window count.
async fn run_load(
    base: &str,
    token: &str,
    subjects: &[String],
    clients: u32,
    warm_up: Duration,
    measured: Duration,
) -> Result<Load, Failure> {
    let start = Instant::now() + warm_up;
    let end = start + measured;
    let mut tasks = Vec::new();
    for client_no in 0..clients {
        let client = http_client()?;
        let url = format!("{base}/api/v1/reports");
        let token = token.to_owned();
        let subjects = subjects.to_vec();
        tasks.push(tokio::spawn(async move {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(u64::from(client_no));
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            loop {
                let subject = &subjects[rng.random_range(0..subjects.len())];
                let sent = Instant::now();
                if sent >= end {
                    break;
                }
                let ok = ask_report(&client, &url, &token, subject).await.is_some();
                let done = Instant::now();
                if sent >= start && done <= end {
                    if ok {
                        latencies
                            .push(u32::try_from((done - sent).as_micros()).unwrap_or(u32::MAX));
                    } else {
                        errors += 1;
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut load = Load {
        latencies_us: Vec::new(),
        errors: 0,
        seconds: measured.as_secs_f64(),
    };
    for task in tasks {
        let (latencies, errors) = task
            .await
            .map_err(|e| Failure::new("bench.load", e.to_string()))?;
        load.latencies_us.extend(latencies);
        load.errors += errors;
    }
    Ok(load)
}

fn http_client() -> Result<reqwest::Client, Failure> {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| Failure::new("bench.client", e.to_string()))
}

/// One JSON report; `Some(report id)` when it came back whole.
async fn ask_report(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    subject: &str,
) -> Option<String> {
    let response = client
        .post(url)
        .bearer_auth(token)
        .json(&serde_json::json!({
            "subject": subject,
            "purpose": "pre_loan",
            "purpose_text": "基准测试：贷前调查",
        }))
        .send()
        .await
        .ok()?;
    if response.status() != reqwest::StatusCode::CREATED {
        return None;
    }
    let report: serde_json::Value = response.json().await.ok()?;
    report["report_id"].as_str().map(str::to_owned)
}

/// Issues `samples` reports and times rendering each as a PDF over HTTP.
async fn time_pdfs(
    base: &str,
    token: &str,
    subjects: &[String],
    samples: u32,
) -> Result<PdfFigures, Failure> {
    let client = http_client()?;
    let mut millis = Vec::new();
    let mut sizes = Vec::new();
    for n in 0..samples as usize {
        let subject = &subjects[(n * 7919) % subjects.len()];
        let id = ask_report(&client, &format!("{base}/api/v1/reports"), token, subject)
            .await
            .ok_or_else(|| Failure::new("bench.report", "报告生成失败"))?;
        let started = Instant::now();
        let response = client
            .get(format!("{base}/api/v1/reports/{id}/pdf"))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| Failure::new("bench.pdf", e.to_string()))?;
        if !response.status().is_success() {
            return Err(Failure::new(
                "bench.pdf",
                format!("PDF 报告返回 {}", response.status()),
            ));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Failure::new("bench.pdf", e.to_string()))?;
        millis.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
        sizes.push(bytes.len() as u64);
    }
    millis.sort_unstable();
    sizes.sort_unstable();
    Ok(PdfFigures {
        samples,
        p50_ms: percentile_ms(&millis, 50),
        max_ms: percentile_ms(&millis, 100),
        bytes_p50: sizes.get(sizes.len() / 2).copied().unwrap_or(0),
    })
}

/// Nearest-rank percentile of sorted microseconds, in milliseconds.
fn percentile_ms(sorted_us: &[u32], pct: usize) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = (pct * sorted_us.len())
        .div_ceil(100)
        .clamp(1, sorted_us.len());
    round3(f64::from(sorted_us[rank - 1]) / 1000.0)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::percentile_ms;

    #[test]
    fn nearest_rank_percentiles() {
        let us: Vec<u32> = (1..=100).map(|n| n * 1000).collect();
        assert_eq!(percentile_ms(&us, 50), 50.0);
        assert_eq!(percentile_ms(&us, 99), 99.0);
        assert_eq!(percentile_ms(&us, 100), 100.0);
        assert_eq!(percentile_ms(&[7000], 99), 7.0);
        assert_eq!(percentile_ms(&[], 99), 0.0);
    }
}
