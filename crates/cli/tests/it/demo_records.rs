//! The demo city's records (演示记录): every catalogue section a provider can push is populated,
//! about the requested number per enterprise, all accepted through the real batch path,
//! deterministic for a seed, and the ledger holds.

use crate::on_all_backends;
use crate::support::xinrong;
use sea_orm::{ConnectionTrait, Statement};
use std::collections::{BTreeMap, BTreeSet};
use xinrong_core::catalog::{Mode, builtin};
use xinrong_services::Platform;
use xinrong_services::demo::{DemoOptions, seed_demo};
use xinrong_store::Backend;
use xinrong_store::testing::TestDb;

const ENTERPRISES: u32 = 150;
const SEED: u64 = 11;

async fn rows(platform: &Platform, sql: &str) -> Vec<sea_orm::QueryResult> {
    let conn = &platform.db.conn;
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
}

/// Records per item, and one digest over every record's item, subject and content.
async fn fingerprint(platform: &Platform) -> (BTreeMap<String, i64>, String) {
    let mut per_item = BTreeMap::new();
    let mut lines = Vec::new();
    for row in rows(
        platform,
        "SELECT item_key, subject, natural_key_hash, content_hash FROM records",
    )
    .await
    {
        let item: String = row.try_get_by_index(0).unwrap();
        let subject: String = row.try_get_by_index(1).unwrap();
        let key: String = row.try_get_by_index(2).unwrap();
        let content: String = row.try_get_by_index(3).unwrap();
        *per_item.entry(item.clone()).or_insert(0) += 1;
        lines.push(format!("{item}|{subject}|{key}|{content}"));
    }
    lines.sort();
    let digest = xinrong_ledger::sm3(&[lines.join("\n").as_bytes()]).to_hex();
    (per_item, digest)
}

async fn demo_records_cover_the_catalogue(backend: Backend) {
    let db = TestDb::new(backend).await;
    let platform = Platform::new(db.db.clone());
    let summary = seed_demo(
        &platform,
        &DemoOptions {
            enterprises: ENTERPRISES,
            seed: SEED,
            region: "4101".into(),
            records_per_enterprise: 40,
            finance: false,
        },
    )
    .await
    .expect("demo with records");

    // About 40 per enterprise.
    let per_enterprise = summary.records as f64 / f64::from(ENTERPRISES);
    assert!(
        (32.0..=48.0).contains(&per_enterprise),
        "{per_enterprise:.1} records per enterprise, wanted about 40"
    );
    let (per_item, digest) = fingerprint(&platform).await;
    let stored: i64 = per_item.values().sum();
    assert_eq!(
        stored as u64, summary.records,
        "every accepted row is a record"
    );

    // Every section a provider can push has records; the only sections without are those
    // whose items are all read live from the provider (接口调用), never stored.
    let catalog = builtin();
    for section in &catalog.sections {
        let pushable = catalog
            .items
            .iter()
            .any(|i| i.section == section.key && i.modes.contains(&Mode::Push));
        let filled: i64 = per_item
            .iter()
            .filter(|(k, _)| k.split('.').next() == Some(section.key.as_str()))
            .map(|(_, n)| n)
            .sum();
        if pushable {
            assert!(
                filled > 0,
                "section {} ({}) has no records",
                section.key,
                section.label
            );
        } else {
            assert_eq!(
                filled, 0,
                "pull-only section {} has stored records",
                section.key
            );
        }
    }
    // Nothing was rejected: every batch of the demo applied every row.
    let rejected: i64 = rows(&platform, "SELECT rows_rejected FROM batches")
        .await
        .iter()
        .map(|r| i64::from(r.try_get_by_index::<i32>(0).unwrap()))
        .sum();
    assert_eq!(rejected, 0);

    // Realistic spread: mostly A/B tax grades, some M/C, and adverse records for a minority.
    let mut grades: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows(
        &platform,
        "SELECT payload FROM records WHERE item_key = 'tax.tax_credit_rating'",
    )
    .await
    {
        let payload: String = row.try_get_by_index(0).unwrap();
        let value: serde_json::Value = serde_json::from_str(&payload).unwrap();
        *grades
            .entry(value["tax_credit_grade"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    let total: usize = grades.values().sum();
    let good = grades.get("A").copied().unwrap_or(0) + grades.get("B").copied().unwrap_or(0);
    assert!(good * 10 >= total * 6, "mostly A/B: {grades:?}");
    assert!(
        grades.contains_key("M") && grades.contains_key("C"),
        "some M and C: {grades:?}"
    );
    let subjects_with = |item: &str| {
        let per_item = &per_item;
        per_item.get(item).copied().unwrap_or(0)
    };
    let penalised = rows(
        &platform,
        "SELECT DISTINCT subject FROM records WHERE item_key = 'administrative.administrative_penalty'",
    )
    .await
    .len();
    assert!(
        (2..=30).contains(&penalised),
        "{penalised} of {ENTERPRISES} enterprises penalised"
    );
    assert!(subjects_with("market_registration.business_license") == i64::from(ENTERPRISES));
    let adverse: BTreeSet<String> = rows(
        &platform,
        "SELECT DISTINCT subject FROM records WHERE item_key IN ('judicial.dishonest_judgment_debtors', 'judicial.enforcement_cases', 'market_registration.abnormal_operation_list')",
    )
    .await
    .iter()
    .map(|r| r.try_get_by_index::<String>(0).unwrap())
    .collect();
    assert!(
        !adverse.is_empty() && adverse.len() < ENTERPRISES as usize / 5,
        "{} enterprises with court or list records",
        adverse.len()
    );

    // The ledger holds every record's leaf and every batch's head.
    let status = xinrong_services::ledger::verify(&platform).await.unwrap();
    assert!(status.ok, "{:?}", status.problems);

    // The same seed through the CLI gives the same records, and the summary reports them.
    let again = TestDb::new(backend).await;
    let out = xinrong(
        &again.url,
        &[
            "demo",
            "--enterprises",
            &ENTERPRISES.to_string(),
            "--seed",
            &SEED.to_string(),
            "--records-per-enterprise",
            "40",
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["records"].as_u64(), Some(summary.records));
    assert!(json["record_seconds"].as_f64().is_some());
    let other = Platform::new(again.db.clone());
    let (per_item_again, digest_again) = fingerprint(&other).await;
    assert_eq!(per_item, per_item_again);
    assert_eq!(digest, digest_again, "same seed, same records");
}
on_all_backends!(demo_records_cover_the_catalogue);

/// A different seed gives a different city's records.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_seed_gives_other_records() {
    let mut digests = Vec::new();
    for seed in [1, 2] {
        let db = TestDb::new(Backend::Sqlite).await;
        let platform = Platform::new(db.db.clone());
        seed_demo(
            &platform,
            &DemoOptions {
                enterprises: 30,
                seed,
                region: "4101".into(),
                records_per_enterprise: 10,
                finance: false,
            },
        )
        .await
        .unwrap();
        digests.push(fingerprint(&platform).await.1);
    }
    assert_ne!(digests[0], digests[1]);
}
