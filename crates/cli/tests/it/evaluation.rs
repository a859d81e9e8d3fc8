//! 公共信用综合评价 end to end: `xinrong evaluate --all` over a demo city with records on every
//! backend (summary, history only on change, one result with its factors), bad input (malformed
//! and unknown USCCs, a model file that does not add up or reads unknown items: rejected with
//! its code, nothing written), an enterprise without records, incremental re-evaluation when a
//! 失信被执行人 record arrives (measured against one second), the access decision on the API
//! and pages, and grade distributions by jurisdiction.

use crate::on_all_backends;
use crate::support::{TestApp, page_text, temp_file, xinrong};
use sea_orm::{ConnectionTrait, Statement};
use std::sync::Arc;
use std::time::{Duration, Instant};
use xinrong_core::clock::SystemClock;
use xinrong_core::role::Role;
use xinrong_services::Platform;
use xinrong_services::collect::{BatchKind, Encoding, Format, IngestRequest, ingest};
use xinrong_services::demo::DemoOptions;
use xinrong_services::evaluation;
use xinrong_services::identity::list_organizations;
use xinrong_store::Backend;

async fn city(backend: Backend, enterprises: u32, records: u32) -> TestApp {
    TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises,
            seed: 11,
            region: "4101".into(),
            records_per_enterprise: records,
            finance: false,
        }),
        Arc::new(SystemClock),
    )
    .await
}

async fn count(platform: &Platform, sql: &str) -> i64 {
    let conn = &platform.db.conn;
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn usccs(platform: &Platform) -> Vec<String> {
    let conn = &platform.db.conn;
    conn.query_all_raw(Statement::from_string(
        conn.get_database_backend(),
        "SELECT uscc FROM enterprises ORDER BY uscc",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.try_get_by_index::<String>(0).unwrap())
    .collect()
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "xinrong failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

async fn full_run_summarises_and_keeps_history_only_on_change(backend: Backend) {
    let app = city(backend, 40, 12).await;
    let p = &app.platform;
    let db = app.db_url();
    let enterprises = count(p, "SELECT COUNT(*) FROM enterprises").await;
    assert!(count(p, "SELECT COUNT(*) FROM records").await > enterprises * 5);

    let first = json_of(&xinrong(&db, &["evaluate", "--all"]));
    assert_eq!(first["enterprises"], enterprises);
    assert_eq!(first["changed"], enterprises, "{first}");
    assert_eq!(first["model_version"], 1);
    assert!(first["per_s"].as_f64().unwrap() > 0.0);
    assert!(first["seconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(
        count(p, "SELECT COUNT(*) FROM subject_grades").await,
        enterprises
    );
    assert_eq!(
        count(p, "SELECT COUNT(*) FROM evaluations").await,
        enterprises
    );
    // Nothing changed: nothing appended.
    let second = json_of(&xinrong(&db, &["evaluate", "--all"]));
    assert_eq!(second["changed"], 0, "{second}");
    assert_eq!(
        count(p, "SELECT COUNT(*) FROM evaluations").await,
        enterprises
    );
    // Grades are spread, not all one.
    assert!(
        count(p, "SELECT COUNT(DISTINCT grade) FROM subject_grades").await >= 2,
        "a city with records has more than one grade"
    );

    // One result with its factors.
    let subject = usccs(p).await.remove(0);
    let one = json_of(&xinrong(
        &db,
        &["evaluate", "--subject", &subject, "--format", "json"],
    ));
    assert_eq!(one["subject"], subject.as_str());
    let indicators = one["indicators"].as_array().unwrap();
    assert!(indicators.len() >= 10);
    let sum: u64 = indicators
        .iter()
        .map(|i| i["contribution"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, one["score"].as_u64().unwrap(), "contributions add up");
    assert!(
        indicators
            .iter()
            .all(|i| !i["text"].as_str().unwrap().is_empty())
    );
    assert!(
        !one["top_positive"].as_array().unwrap().is_empty()
            || !one["top_negative"].as_array().unwrap().is_empty()
    );
    assert!(!one["grade_meaning"].as_str().unwrap().is_empty());
    let stored: serde_json::Value = serde_json::from_str(
        &evaluation::current(p, &subject)
            .await
            .unwrap()
            .map(|s| serde_json::to_string(&s.evaluation).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(stored["score"], one["score"]);
    let text = xinrong(
        &db,
        &["evaluate", "--subject", &subject, "--format", "text"],
    );
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("公共信用综合评价") && text.contains("主要减分因素"),
        "{text}"
    );
    // Evaluating again changes nothing: still one history row.
    assert_eq!(evaluation::history(p, &subject, 10).await.unwrap().len(), 1);
}
on_all_backends!(full_run_summarises_and_keeps_history_only_on_change);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_subjects_and_bad_models_are_refused_and_write_nothing() {
    let app = city(Backend::Sqlite, 20, 0).await;
    let db = app.db_url();
    let out = xinrong(&db, &["evaluate", "--subject", "91410100ABC"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[uscc.length]") && err.contains("18位"),
        "{err}"
    );
    let bad_check = xinrong_core::codes::uscc::Uscc::from_body("91410105MA44UR9K2")
        .unwrap()
        .as_str()
        .to_owned();
    let wrong = format!(
        "{}{}",
        &bad_check[..17],
        if bad_check.ends_with('0') { '1' } else { '0' }
    );
    let out = xinrong(&db, &["evaluate", "--subject", &wrong]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[uscc.check]"));
    let out = xinrong(&db, &["evaluate", "--subject", &bad_check]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[subject.unknown]") && err.contains(&bad_check),
        "{err}"
    );

    // A model whose dimension weights do not add up to 1000, and one over an unknown item.
    let model = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../models/evaluation/v1.toml"
    ))
    .unwrap();
    let heavier = model.replacen("weight = 80\n", "weight = 90\n", 1);
    assert_ne!(heavier, model);
    let file = temp_file(heavier);
    let out = xinrong(
        &db,
        &["evaluate", "--all", "--model", file.0.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[evaluation.model_weights]"), "{err}");
    let unknown = model.replacen(
        "judicial.dishonest_judgment_debtors",
        "judicial.no_such_item",
        1,
    );
    let file = temp_file(unknown);
    let out = xinrong(
        &db,
        &["evaluate", "--all", "--model", file.0.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[evaluation.model_unknown_item]") && err.contains("no_such_item"),
        "{err}"
    );
    let out = xinrong(
        &db,
        &["evaluate", "--all", "--model", "/nonexistent/model.toml"],
    );
    assert!(!out.status.success());
    assert_eq!(
        count(&app.platform, "SELECT COUNT(*) FROM subject_grades").await,
        0
    );
    assert_eq!(
        count(&app.platform, "SELECT COUNT(*) FROM evaluations").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enterprise_without_records_gets_a_grade_explained_by_missing_data() {
    let app = city(Backend::Sqlite, 10, 0).await;
    let subject = usccs(&app.platform).await.remove(3);
    assert_eq!(
        count(
            &app.platform,
            &format!("SELECT COUNT(*) FROM records WHERE subject = '{subject}'")
        )
        .await,
        0
    );
    let one = json_of(&xinrong(
        &app.db_url(),
        &["evaluate", "--subject", &subject],
    ));
    assert!(!one["grade"].as_str().unwrap().is_empty());
    let indicators = one["indicators"].as_array().unwrap();
    let missing: Vec<&serde_json::Value> =
        indicators.iter().filter(|i| i["missing"] == true).collect();
    assert!(
        missing.len() >= 5,
        "the indicators over positive data lack it: {one}"
    );
    assert!(
        missing
            .iter()
            .any(|i| i["text"].as_str().unwrap().contains("缺少")),
        "missing data is said in plain Chinese: {one}"
    );
}

async fn provider(platform: &Platform, name_part: &str) -> String {
    list_organizations(platform, Some(Role::Provider))
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name.contains(name_part))
        .expect("demo provider")
        .id
}

async fn a_dishonest_record_lowers_the_grade_within_a_second(backend: Backend) {
    let app = city(backend, 30, 12).await;
    let p = &app.platform;
    evaluation::evaluate_all(p, xinrong_core::evaluation::Model::builtin())
        .await
        .unwrap();
    // The server's follower (as `serve` starts it).
    let follower = evaluation::spawn_follower(p.clone());
    let mut subject = None;
    for s in usccs(p).await {
        let current = evaluation::current(p, &s).await.unwrap().unwrap();
        let listed = current
            .evaluation
            .indicators
            .iter()
            .any(|o| o.key == "jud_dishonest" && o.points == 0);
        if !listed {
            subject = Some((s, current));
            break;
        }
    }
    let (subject, before) = subject.expect("someone not yet listed");
    let court = provider(p, "人民法院").await;
    let csv = format!(
        "case_no,debtor_name,debtor_id_no_or_uscc,performance_status,enforcement_court,filing_date,publish_date\n\
         （2026）豫01执9999号,测试企业,{subject},全部未履行,郑州市中级人民法院,2026-10-08,2026-10-20\n"
    );
    let file = temp_file(csv);
    let started = Instant::now();
    let report = ingest(
        p,
        IngestRequest {
            item_key: "judicial.dishonest_judgment_debtors",
            provider_org_id: &court,
            format: Format::Csv,
            encoding: Encoding::Auto,
            strict: false,
            kind: BatchKind::Regular,
            path: &file.0,
            progress: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(report.accepted, 1, "{report:?}");
    let committed = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(3);
    let after = loop {
        let now = evaluation::current(p, &subject).await.unwrap().unwrap();
        if now.id != before.id {
            break now;
        }
        assert!(Instant::now() < deadline, "grade never changed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let latency = started.elapsed() - committed;
    follower.abort();
    eprintln!("ingest {committed:?}, commit-to-grade {latency:?}");
    assert!(
        latency < Duration::from_secs(1),
        "re-evaluated {latency:?} after the batch committed"
    );
    assert!(after.evaluation.score < before.evaluation.score);
    assert!(
        after.tags.iter().any(|t| t.contains("dishonest")),
        "{:?}",
        after.tags
    );
    assert_eq!(evaluation::history(p, &subject, 10).await.unwrap().len(), 2);
}
on_all_backends!(a_dishonest_record_lowers_the_grade_within_a_second);

async fn readers_see_what_the_access_decision_allows(backend: Backend) {
    let app = city(backend, 30, 8).await;
    let p = &app.platform;
    evaluation::evaluate_all(p, xinrong_core::evaluation::Model::builtin())
        .await
        .unwrap();
    let subject = usccs(p).await.remove(0);
    let path = format!("/api/v1/subjects/{subject}/evaluation");

    // An institution must state a purpose; with its agreement it reads, and the read is logged.
    let bank = app.token_for("bank-icbc").await;
    let (status, body) = app.api_get(&bank, &path).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "access.purpose_required");
    let (status, body) = app
        .api_get(&bank, &format!("{path}?purpose=pre_loan"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["score"].as_u64().is_some());
    assert!(body["access_id"].is_string(), "{body}");
    // Without an authorization, what rests on 授权共享 items is not shown — and says why.
    let hidden: Vec<&serde_json::Value> = body["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["shown"] == false)
        .collect();
    assert!(!hidden.is_empty(), "some indicators need an authorization");
    assert!(
        hidden
            .iter()
            .all(|i| i["points"].is_null() && i["text"].as_str().unwrap().starts_with("未提供"))
    );
    let (status, body) = app
        .api_get(&bank, &format!("{path}?purpose=nonsense"))
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "access.unknown_purpose");

    // The subject reads its own free and in full, without an access-log entry.
    let ent = app.token_for("ent-1").await;
    let (_, me) = app.api_get(&ent, "/api/v1/me").await;
    let own = me["org_uscc"]
        .as_str()
        .expect("enterprise user has a USCC")
        .to_owned();
    let (status, body) = app
        .api_get(&ent, &format!("/api/v1/subjects/{own}/evaluation"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_id"].is_null());
    assert!(
        body["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["shown"] == true)
    );
    // … and not another enterprise's.
    if own != subject {
        let (status, body) = app.api_get(&ent, &path).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["code"], "access.not_own_subject");
    }
    // The read appears in the subject's access log as the evaluation.
    let log = count(
        p,
        &format!(
            "SELECT COUNT(*) FROM trail_entries WHERE kind = 'access.view' AND subject = '{subject}' AND body LIKE '%\"evaluation\"%'"
        ),
    )
    .await;
    assert_eq!(log, 1);

    // Malformed and unknown subjects.
    let (status, body) = app
        .api_get(&bank, "/api/v1/subjects/123/evaluation?purpose=pre_loan")
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "uscc.length");
    let unknown = xinrong_core::codes::uscc::Uscc::from_body("91410105MA44UR9K2").unwrap();
    let (status, body) = app
        .api_get(
            &bank,
            &format!(
                "/api/v1/subjects/{}/evaluation?purpose=pre_loan",
                unknown.as_str()
            ),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "subject.unknown");

    // Distributions: the operator sees all, a district government its district, an
    // institution nothing.
    let operator = app.token_for("operator").await;
    let (status, all) = app
        .api_get(&operator, "/api/v1/evaluations/distribution?by=district")
        .await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["total"]["total"], 30, "{all}");
    let (status, by_industry) = app
        .api_get(&operator, "/api/v1/evaluations/distribution?by=industry")
        .await;
    assert_eq!(status, 200);
    assert_eq!(by_industry["total"]["total"], 30);
    let district = all["rows"][0]["code"].as_str().unwrap().to_owned();
    let in_district = all["rows"][0]["total"].as_u64().unwrap();
    let gov = app.token_for(&format!("gov-{district}")).await;
    let (status, mine) = app
        .api_get(&gov, "/api/v1/evaluations/distribution?by=district")
        .await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["rows"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine["rows"][0]["code"], district.as_str());
    assert_eq!(mine["total"]["total"], in_district);
    let (status, body) = app
        .api_get(&bank, "/api/v1/evaluations/distribution?by=district")
        .await;
    // Refused at the router, like every route a role may not call (the service refuses too).
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "auth.forbidden");
    let (status, body) = app
        .api_get(&operator, "/api/v1/evaluations/distribution?by=colour")
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "evaluation.distribution_by");
}
on_all_backends!(readers_see_what_the_access_decision_allows);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_show_the_panel_and_the_distribution() {
    let app = city(Backend::Sqlite, 20, 8).await;
    evaluation::evaluate_all(&app.platform, xinrong_core::evaluation::Model::builtin())
        .await
        .unwrap();
    let subject = usccs(&app.platform).await.remove(0);
    let operator = app.logged_in("operator").await;
    let html = page_text(&operator, app.url(&format!("/subjects/{subject}"))).await;
    assert!(
        html.contains("id=\"evaluation-panel\""),
        "panel on the subject page"
    );
    assert!(html.contains("公共信用综合评价") && html.contains("id=\"evaluation-grade\""));
    assert!(html.contains("class=\"ev-bar\""));
    let dist = page_text(&operator, app.url("/evaluations")).await;
    assert!(dist.contains("id=\"by-district\"") && dist.contains("id=\"by-industry\""));
    assert!(dist.contains("评价等级分布"));
    let ent = app.logged_in("ent-1").await;
    let mine = page_text(&ent, app.url("/my/data")).await;
    assert!(mine.contains("id=\"evaluation-panel\"") && mine.contains("画像标签"));
    let bank = app.logged_in("bank-icbc").await;
    let refused = bank.get(app.url("/evaluations")).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let gov = app.logged_in("gov").await;
    let nav = page_text(&gov, app.url("/")).await;
    assert!(nav.contains("href=\"/evaluations\""));
}
