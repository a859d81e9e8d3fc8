//! `xinrong bench evaluate` runs end to end on a small city and prints its figures as one JSON
//! object.

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
