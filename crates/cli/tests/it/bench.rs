//! The benchmarks run end to end on a small city and print their figures as one JSON object.

use crate::support::xinrong;
use xinrong_store::Backend;
use xinrong_store::testing::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_evaluate_prints_its_figures() {
    let db = TestDb::new(Backend::Sqlite).await;
    let out = xinrong(
        &db.url,
        &[
            "bench",
            "evaluate",
            "--enterprises",
            "300",
            "--records-per-enterprise",
            "20",
            "--samples",
            "5",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figures: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "backend",
        "enterprises",
        "records",
        "seed_seconds",
        "seconds",
        "per_s",
        "model_version",
        "latency_samples",
        "latency_p50_ms",
        "latency_p99_ms",
        "latency_max_ms",
        "ingest_p50_ms",
        "grades_changed",
    ] {
        assert!(figures.get(key).is_some(), "{key} missing in {figures}");
    }
    assert_eq!(figures["enterprises"], 300);
    assert!(figures["records"].as_u64().unwrap() > 300 * 10);
    assert!(figures["per_s"].as_f64().unwrap() > 0.0);
    assert_eq!(figures["latency_samples"], 5);
    let p50 = figures["latency_p50_ms"].as_f64().unwrap();
    let max = figures["latency_max_ms"].as_f64().unwrap();
    assert!(p50 > 0.0 && p50 <= max, "{figures}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_report_serves_reports_over_http_and_times_pdfs() {
    let db = TestDb::new(Backend::Sqlite).await;
    let out = xinrong(
        &db.url,
        &[
            "bench",
            "report",
            "--enterprises",
            "200",
            "--records-per-enterprise",
            "10",
            "--clients",
            "4",
            "--seconds",
            "1",
            "--pdf-samples",
            "2",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figures: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(figures["enterprises"], 200);
    assert_eq!(figures["clients"], 4);
    // Every request in the window came back as a whole report: a refusal or an error would be
    // counted in `errors`, never timed.
    assert_eq!(figures["errors"], 0, "{figures}");
    let requests = figures["requests"].as_u64().unwrap();
    assert!(requests > 0, "{figures}");
    let per_s = figures["per_s"].as_f64().unwrap();
    let seconds = figures["seconds"].as_f64().unwrap();
    assert!((per_s * seconds - requests as f64).abs() < 1.0, "{figures}");
    let (p50, p99, max) = (
        figures["p50_ms"].as_f64().unwrap(),
        figures["p99_ms"].as_f64().unwrap(),
        figures["max_ms"].as_f64().unwrap(),
    );
    assert!(0.0 < p50 && p50 <= p99 && p99 <= max, "{figures}");
    assert_eq!(figures["pdf"]["samples"], 2);
    // A report PDF embeds a CJK font subset: tens of kilobytes at least.
    assert!(
        figures["pdf"]["bytes_p50"].as_u64().unwrap() > 10_000,
        "{figures}"
    );
    assert!(
        figures["pdf"]["p50_ms"].as_f64().unwrap() > 0.0,
        "{figures}"
    );
}
