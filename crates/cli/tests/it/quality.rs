//! 数据质量 and 数据使用情况 end to end on every backend: real batches pushed through the API, a
//! fixed clock moved forward to watch freshness change, reads recorded, and the numbers checked
//! through the API, the pages and the CLI.

use crate::on_all_backends;
use crate::support::page_text;
use crate::support::{TestApp, xinrong};
use chrono::{Duration, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use std::sync::Arc;
use xinrong_core::clock::{Clock, FixedClock};
use xinrong_services::demo::DemoOptions;
use xinrong_services::quality::{DataRead, record_read};
use xinrong_store::Backend;

/// USCCs of demo enterprises (subjects must be known to the platform).
async fn usccs(app: &TestApp, n: usize) -> Vec<String> {
    let conn = &app.platform.db.conn;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT uscc FROM enterprises ORDER BY uscc".to_owned(),
        ))
        .await
        .unwrap();
    rows.iter()
        .take(n)
        .map(|r| r.try_get::<String>("", "uscc").unwrap())
        .collect()
}

async fn push(app: &TestApp, token: &str, item: &str, body: String) -> Value {
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/batches?item={item}")))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "push {item}");
    r.json().await.unwrap()
}

fn item<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_key"] == key)
        .unwrap_or_else(|| panic!("{key} in {report}"))
}

fn bp(v: &Value) -> Option<u64> {
    v.as_u64()
}

async fn quality_metrics_follow_the_pushed_batches(backend: Backend) {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap(),
    ));
    let app = TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises: 40,
            seed: 7,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: false,
        }),
        clock.clone(),
    )
    .await;
    let tax = app.token_for("provider-tax").await;
    let market = app.token_for("provider-market").await;
    let operator = app.token_for("operator").await;
    let gov = app.token_for("gov").await;
    let bank = app.token_for("bank-icbc").await;
    let u = usccs(&app, 10).await;

    // Batch 1 of 欠税信息 (quarterly, 5 fields): 10 rows — 8 good (4 with the name: 4 cells,
    // 4 without: 3 cells), one repeating row 1's key, one with a negative amount.
    let mut csv = String::from("uscc,企业名称,has_tax_arrears,tax_arrears_amount\n");
    for (i, code) in u.iter().take(8).enumerate() {
        let name = if i < 4 { "某公司" } else { "" };
        csv += &format!("{code},{name},是,{}.00\n", 100 + i);
    }
    csv += &format!("{},,是,1.00\n", u[0]);
    csv += &format!("{},,是,-5\n", u[8]);
    let first = push(&app, &tax, "tax.tax_arrears", csv).await;
    assert_eq!(
        (first["received"].as_u64(), first["rejected"].as_u64()),
        (Some(10), Some(2)),
        "{first}"
    );

    let (status, own) = app.api_get(&tax, "/api/v1/quality").await;
    assert_eq!(status, 200, "{own}");
    let arrears = item(&own, "tax.tax_arrears");
    assert_eq!(arrears["validity_bp"], 8_000, "10 rows, 2 rejected: 80 %");
    assert_eq!(arrears["duplicate_bp"], 1_000, "1 of 10 repeats a key");
    assert_eq!(
        (
            arrears["cells_filled"].as_i64(),
            arrears["cells_total"].as_i64()
        ),
        (Some(28), Some(40))
    );
    assert_eq!(arrears["completeness_bp"], 7_000);
    assert_eq!(arrears["update_frequency"], "quarterly");
    assert_eq!(arrears["freshness"], "fresh");
    assert_eq!(arrears["age_days"], 0);
    assert_eq!(
        arrears["last_batch_at"], "2026-11-20T10:00:00+08:00",
        "shown in Asia/Shanghai"
    );
    assert_eq!(arrears["trend"].as_array().unwrap().len(), 1);
    assert_eq!(arrears["trend"][0]["rejected_bp"], 2_000);
    assert_eq!(arrears["trend_direction"], "steady");

    // Batch 2 ten days later: 4 clean rows with 4 of 5 cells each.
    clock.advance(Duration::days(10));
    let mut csv = String::from("uscc,has_tax_arrears,tax_arrears_amount,tax_type\n");
    for code in u.iter().take(4) {
        csv += &format!("{code},是,999.00,增值税\n");
    }
    let second = push(&app, &tax, "tax.tax_arrears", csv).await;
    assert_eq!(second["rejected"], 0);
    let (_, own) = app.api_get(&tax, "/api/v1/quality").await;
    let arrears = item(&own, "tax.tax_arrears");
    assert_eq!(arrears["batches"], 2);
    assert_eq!(
        (
            arrears["rows_received"].as_i64(),
            arrears["rows_accepted"].as_i64()
        ),
        (Some(14), Some(12))
    );
    assert_eq!(arrears["validity_bp"], 8_571, "12/14 rounded half up");
    assert_eq!(arrears["duplicate_bp"], 714, "1/14");
    assert_eq!(arrears["completeness_bp"], 7_333, "(28+16)/(40+20)");
    let shares: Vec<u64> = arrears["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rejected_bp"].as_u64().unwrap())
        .collect();
    assert_eq!(shares, [2_000, 0], "oldest first");
    assert_eq!(arrears["trend_direction"], "improving");
    // Items granted but never sent are listed; on-change items are not judged by age.
    assert_eq!(item(&own, "tax.tax_credit_rating")["freshness"], "none");
    assert_eq!(
        item(&own, "tax.abnormal_taxpayer")["freshness"],
        "on_change"
    );
    assert_eq!(own["summary"]["batches"], 2);

    // 企业变更信息 (on change) and 企业年报 (yearly) from the market regulator, every cell filled.
    let mut csv =
        String::from("企业名称,统一社会信用代码,变更事项,变更前内容,变更后内容,变更日期\n");
    for code in u.iter().take(3) {
        csv += &format!("某公司,{code},住所,甲地,乙地,2026-01-05\n");
    }
    push(&app, &market, "market_registration.change_records", csv).await;
    let mut csv = String::from(
        "enterprise_name,uscc,report_year,total_assets,total_owners_equity,total_operating_revenue,total_profit,net_profit,total_tax_paid,total_liabilities,has_external_guarantee,employee_count\n",
    );
    for code in u.iter().take(2) {
        csv += &format!("某公司,{code},2025,100,50,80,10,8,2,50,否,12\n");
    }
    push(&app, &market, "market_registration.annual_report", csv).await;

    // Reads of the providers' data, by institution kind; one older than 30 days.
    let (_, tax_me) = app.api_get(&tax, "/api/v1/me").await;
    let (_, bank_me) = app.api_get(&bank, "/api/v1/me").await;
    let tax_id = own["summary"]["provider_org_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, market_own) = app.api_get(&market, "/api/v1/quality").await;
    let market_id = market_own["summary"]["provider_org_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(tax_me["org_id"].as_str(), Some(tax_id.as_str()));
    let reader = bank_me["org_id"].as_str().unwrap().to_owned();
    let now = clock.now_naive();
    for (provider, kind, days_ago) in [
        (&tax_id, "bank", 1),
        (&tax_id, "bank", 2),
        (&tax_id, "bank", 45),
        (&tax_id, "guarantor", 3),
        (&tax_id, "insurer", 40),
        (&market_id, "credit_agency", 0),
    ] {
        record_read(
            &app.platform,
            DataRead {
                provider_org_id: provider,
                item_key: if provider == &tax_id {
                    "tax.tax_arrears"
                } else {
                    "market_registration.change_records"
                },
                subject: &u[0],
                reader_org_id: &reader,
                reader_kind: kind,
                channel: "pull",
                at: now - Duration::days(days_ago),
            },
        )
        .await
        .unwrap();
    }
    let bad = record_read(
        &app.platform,
        DataRead {
            provider_org_id: &tax_id,
            item_key: "tax.tax_arrears",
            subject: &u[0],
            reader_org_id: &reader,
            reader_kind: "bank",
            channel: "fax",
            at: now,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bad.code(), "quality.channel");
    let unknown = record_read(
        &app.platform,
        DataRead {
            provider_org_id: &tax_id,
            item_key: "tax.nope",
            subject: &u[0],
            reader_org_id: &reader,
            reader_kind: "bank",
            channel: "record",
            at: now,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(unknown.code(), "quality.item");

    let (_, own) = app.api_get(&tax, "/api/v1/quality").await;
    let usage = &own["usage"];
    assert_eq!(
        (usage["reads_30d"].as_i64(), usage["reads_total"].as_i64()),
        (Some(3), Some(5))
    );
    let kinds: Vec<(String, i64, i64)> = usage["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["reader_kind"].as_str().unwrap().to_owned(),
                k["reads_30d"].as_i64().unwrap(),
                k["reads_total"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("bank".to_owned(), 2, 3),
            ("guarantor".to_owned(), 1, 1),
            ("insurer".to_owned(), 0, 1)
        ]
    );
    assert_eq!(usage["by_kind"][0]["label"], "银行");
    assert_eq!(item(&own, "tax.tax_arrears")["usage"]["reads_total"], 5);
    assert!(
        !own.to_string().contains("credit_agency"),
        "a provider sees only reads of its own data"
    );

    // A provider sees only its own report.
    let (status, err) = app
        .api_get(&tax, &format!("/api/v1/quality?provider={market_id}"))
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (403, Some("auth.forbidden"))
    );
    let (status, _) = app.api_get(&tax, "/api/v1/quality/providers").await;
    assert_eq!(status, 403);
    let (status, _) = app.api_get(&bank, "/api/v1/quality").await;
    assert_eq!(status, 403);
    let (status, err) = app.api_get(&operator, "/api/v1/quality").await;
    assert_eq!(
        (status, err["code"].as_str()),
        (422, Some("quality.provider"))
    );
    let (status, err) = app
        .api_get(&operator, "/api/v1/quality?provider=nobody")
        .await;
    assert_eq!((status, err["code"].as_str()), (404, Some("not_found")));
    let (status, seen) = app
        .api_get(&operator, &format!("/api/v1/quality?provider={tax_id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        seen["items"], own["items"],
        "the operator sees what the provider sees"
    );

    // The ranking: market (clean, complete, on time) above tax; providers without data last.
    let (status, ranking) = app.api_get(&gov, "/api/v1/quality/providers").await;
    assert_eq!(status, 200, "government reads the ranking");
    let (_, ranking_op) = app.api_get(&operator, "/api/v1/quality/providers").await;
    assert_eq!(ranking["providers"], ranking_op["providers"]);
    let providers = ranking["providers"].as_array().unwrap();
    let ids: Vec<&str> = providers
        .iter()
        .map(|p| p["provider_org_id"].as_str().unwrap())
        .collect();
    assert_eq!(&ids[..2], [market_id.as_str(), tax_id.as_str()]);
    assert_eq!(providers[0]["rank"], 1);
    assert_eq!(providers[1]["rank"], 2);
    assert_eq!(providers[0]["score_bp"], 10_000, "{}", providers[0]);
    assert!(providers.len() > 2);
    for p in &providers[2..] {
        assert_eq!(
            (p["rank"].as_u64(), p["score_bp"].is_null()),
            (Some(3), true)
        );
    }
    let t = &providers[1];
    let expected = (4 * bp(&t["validity_bp"]).unwrap()
        + 3 * bp(&t["completeness_bp"]).unwrap()
        + (10_000 - bp(&t["duplicate_bp"]).unwrap())
        + 2 * bp(&t["timeliness_bp"]).unwrap()
        + 5)
        / 10;
    assert_eq!(t["score_bp"].as_u64(), Some(expected), "{t}");
    assert_eq!(t["score_bp"], own["summary"]["score_bp"]);
    assert_eq!(t["reads_30d"], 3);

    // Freshness as time passes: quarterly = 92 days, then half a period of grace.
    clock.advance(Duration::days(93));
    let (_, own) = app.api_get(&tax, "/api/v1/quality").await;
    assert_eq!(item(&own, "tax.tax_arrears")["freshness"], "due");
    assert_eq!(item(&own, "tax.tax_arrears")["age_days"], 93);
    clock.advance(Duration::days(46));
    let (_, own) = app.api_get(&tax, "/api/v1/quality").await;
    assert_eq!(item(&own, "tax.tax_arrears")["freshness"], "overdue");
    clock.advance(Duration::days(1_000));
    let (_, market_own) = app.api_get(&market, "/api/v1/quality").await;
    assert_eq!(
        item(&market_own, "market_registration.change_records")["freshness"],
        "on_change",
        "never overdue"
    );
    assert_eq!(
        item(&market_own, "market_registration.annual_report")["freshness"],
        "overdue"
    );

    // The CLI: the ranking and one provider's report as JSON.
    let out = xinrong(&app.db_url(), &["quality", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli["providers"][0]["provider_org_id"], market_id.as_str());
    assert_eq!(cli["providers"][1]["validity_bp"], 8_571);
    let out = xinrong(
        &app.db_url(),
        &["quality", "--provider", &tax_id, "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let arrears = item(&cli, "tax.tax_arrears");
    assert_eq!(
        (
            arrears["validity_bp"].as_u64(),
            arrears["duplicate_bp"].as_u64()
        ),
        (Some(8_571), Some(714))
    );
    assert_eq!(cli["usage"]["reads_total"], 5);
    let out = xinrong(&app.db_url(), &["quality", "--provider", &tax_id]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("85.71%") && text.contains("tax.tax_arrears"),
        "{text}"
    );
    let out = xinrong(&app.db_url(), &["quality", "--provider", "nobody"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error[not_found]"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

on_all_backends!(quality_metrics_follow_the_pushed_batches);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quality_pages_for_provider_and_operator() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let tax = app.token_for("provider-tax").await;
    let u = usccs(&app, 3).await;
    let csv = format!(
        "uscc,has_tax_arrears,tax_arrears_amount\n{},是,1\n{},是,-1\n{},否,0\n",
        u[0], u[1], u[2]
    );
    push(&app, &tax, "tax.tax_arrears", csv).await;

    let provider = app.logged_in("provider-tax").await;
    let page = provider.get(app.url("/quality")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for text in [
        "数据质量",
        "完整率",
        "有效率",
        "重复率",
        "错误趋势",
        "数据使用情况",
        "尚未报送",
    ] {
        assert!(html.contains(text), "{text} missing");
    }
    assert!(html.contains("data-item=\"tax.tax_arrears\""));
    assert!(html.contains("66.67%"), "2 of 3 rows valid");
    assert!(html.contains("class=\"bar\""), "the error trend is drawn");
    assert!(html.contains("href=\"/quality\" data-nav=\"quality\""));
    let forbidden = provider
        .get(app.url("/quality/providers/anyone"))
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);

    let operator = app.logged_in("operator").await;
    let html = page_text(&operator, app.url("/quality")).await;
    assert!(html.contains("数据提供单位质量排名") && html.contains("综合得分"));
    assert!(html.contains("data-rank=\"1\""));
    let start = html.find("/quality/providers/").unwrap() + "/quality/providers/".len();
    let first_id = &html[start..start + 36];
    let detail = operator
        .get(app.url(&format!("/quality/providers/{first_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(detail.status(), 200);
    let detail = detail.text().await.unwrap();
    assert!(detail.contains("tax.tax_arrears") && detail.contains("66.67%"));
    let sorted = page_text(&operator, app.url("/quality?sort=reads")).await;
    assert!(sorted.contains("data-sort=\"reads\""));

    // English labels come from the i18n table.
    operator.get(app.url("/lang/en")).send().await.unwrap();
    let english = page_text(&operator, app.url("/quality")).await;
    assert!(english.contains("Provider quality ranking"));

    let bank = app.logged_in("bank-icbc").await;
    assert_eq!(
        bank.get(app.url("/quality")).send().await.unwrap().status(),
        403
    );
}
