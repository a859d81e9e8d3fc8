//! 异议 end to end on every backend: the enterprise files on its own record (with evidence); the
//! source unit corrects (a new version through a correction batch) or confirms; the enterprise
//! escalates and the operator rules; overdue objections are flagged once; floods, strangers,
//! bad attachments and out-of-order steps are refused with their codes.

use crate::on_all_backends;
use crate::support::{TestApp, page_text, xinrong};
use chrono::{Duration, TimeZone, Utc};
use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::sync::Arc;
use xinrong_core::clock::{Clock, FixedClock, SystemClock};
use xinrong_services::demo::DemoOptions;
use xinrong_services::objections;
use xinrong_store::Backend;

pub(crate) const PENALTY: &str = "administrative.administrative_penalty";

/// A demo city with tokens for the enterprise ent-1 (and its USCC), a second enterprise, the
/// market regulator (source of 行政处罚), another provider, a bank and the operator.
pub(crate) struct World {
    pub app: TestApp,
    pub ent: String,
    pub uscc: String,
    pub other_ent: String,
    pub provider: String,
    pub other_provider: String,
    pub bank: String,
    pub operator: String,
}

pub(crate) async fn world(backend: Backend, clock: Arc<dyn Clock>) -> World {
    let app = TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises: 20,
            seed: 7,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: false,
        }),
        clock,
    )
    .await;
    let ent = app.token_for("ent-1").await;
    let (_, me) = app.api_get(&ent, "/api/v1/me").await;
    let uscc = me["org_uscc"]
        .as_str()
        .expect("ent-1 has a USCC")
        .to_owned();
    World {
        other_ent: app.token_for("ent-2").await,
        provider: app.token_for("provider-market").await,
        other_provider: app.token_for("provider-tax").await,
        bank: app.token_for("bank-icbc").await,
        operator: app.token_for("operator").await,
        ent,
        uscc,
        app,
    }
}

/// Pushes `n` 行政处罚 records about `uscc` decided on `decided` (YYYY-MM-DD) and returns
/// their record IDs in document-number order.
pub(crate) async fn penalties(w: &World, tag: &str, n: usize, decided: &str) -> Vec<String> {
    let mut csv = String::from("subject_uscc,decision_doc_no,decision_date,penalty_content\n");
    let docs: Vec<String> = (0..n)
        .map(|i| format!("豫市监罚〔2026〕{tag}{i:02}号"))
        .collect();
    for doc in &docs {
        csv += &format!("{},{doc},{decided},罚款 2000 元\n", w.uscc);
    }
    let r = reqwest::Client::new()
        .post(w.app.url(&format!("/api/v1/batches?item={PENALTY}")))
        .bearer_auth(&w.provider)
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "push penalties");
    let history = xinrong_services::records::history(&w.app.platform, &w.uscc, Some(PENALTY))
        .await
        .unwrap();
    docs.iter()
        .map(|doc| {
            history
                .iter()
                .find(|v| v.values["decision_doc_no"] == doc.as_str() && v.version == 1)
                .unwrap_or_else(|| panic!("record {doc}"))
                .record_id
                .clone()
        })
        .collect()
}

/// A tiny but real PDF (its magic bytes are what the sniffer checks).
pub(crate) fn pdf() -> Value {
    use base64::Engine;
    json!({
        "filename": "证明.pdf",
        "content_type": "application/pdf",
        "content_base64": base64::engine::general_purpose::STANDARD
            .encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    })
}

/// Notification kinds in a user's inbox, oldest first.
pub(crate) async fn inbox(app: &TestApp, username: &str) -> Vec<String> {
    let conn = &app.platform.db.conn;
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => {
                    "SELECT n.kind FROM notifications n JOIN users u ON u.id = n.user_id \
                     WHERE u.username = $1 ORDER BY n.created_at, n.id"
                }
                _ => {
                    "SELECT n.kind FROM notifications n JOIN users u ON u.id = n.user_id \
                     WHERE u.username = ? ORDER BY n.created_at, n.id"
                }
            },
            [username.into()],
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", "kind").unwrap())
        .collect()
}

async fn file(w: &World, token: &str, record: &str, reason: &str) -> (u16, Value) {
    w.app
        .api(
            Method::POST,
            token,
            "/api/v1/objections",
            Some(json!({ "record_id": record, "reason": reason, "attachments": [pdf()] })),
        )
        .await
}

async fn step(w: &World, token: &str, id: &str, action: &str, body: Value) -> (u16, Value) {
    w.app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/objections/{id}/{action}"),
            Some(body),
        )
        .await
}

async fn pending(w: &World) -> usize {
    objections::pending_on(&w.app.platform.db.conn, &w.uscc)
        .await
        .unwrap()
        .len()
}

async fn filed_then_corrected_by_the_provider(backend: Backend) {
    let w = world(backend, Arc::new(SystemClock)).await;
    let records = penalties(&w, "A", 1, "2026-10-12").await;
    let (status, filed) = file(&w, &w.ent, &records[0], "处罚已被行政复议撤销").await;
    assert_eq!(status, 201, "{filed}");
    assert_eq!(filed["status"], "open");
    assert_eq!(filed["record_version"], 1);
    assert_eq!(filed["attachment_ids"].as_array().unwrap().len(), 1);
    let id = filed["id"].as_str().unwrap().to_owned();
    assert_eq!(pending(&w).await, 1, "异议处理中 while open");

    // It is in the market regulator's queue, not the tax bureau's.
    let (_, queue) = w.app.api_get(&w.provider, "/api/v1/objections").await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    let (_, other) = w.app.api_get(&w.other_provider, "/api/v1/objections").await;
    assert_eq!(other.as_array().unwrap().len(), 0);
    let (status, _) = w
        .app
        .api_get(&w.other_provider, &format!("/api/v1/objections/{id}"))
        .await;
    assert_eq!(status, 404);
    assert!(
        inbox(&w.app, "provider-market")
            .await
            .contains(&"objection.filed".to_owned())
    );

    // A correction must be the same record: another document number is refused.
    let moved = json!({
        "explanation": "文号有误",
        "row": { "subject_uscc": w.uscc, "decision_doc_no": "豫市监罚〔2026〕Z99号", "decision_date": "2026-10-12" }
    });
    let (status, body) = step(&w, &w.provider, &id, "correct", moved).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.correction_key"))
    );

    let row = json!({
        "subject_uscc": w.uscc,
        "decision_doc_no": "豫市监罚〔2026〕A00号",
        "decision_date": "2026-10-12",
        "penalty_content": "警告",
    });
    let (status, corrected) = step(
        &w,
        &w.provider,
        &id,
        "correct",
        json!({ "explanation": "经复核，处罚内容更正为警告", "row": row }),
    )
    .await;
    assert_eq!(status, 200, "{corrected}");
    assert_eq!(corrected["status"], "corrected");
    assert_eq!(corrected["correction_version"], 2);

    // The new version exists, through the batch path.
    let history = xinrong_services::records::history(&w.app.platform, &w.uscc, Some(PENALTY))
        .await
        .unwrap();
    let v2 = history
        .iter()
        .find(|v| v.version == 2)
        .expect("a second version");
    assert_eq!(v2.values["penalty_content"], "警告");
    assert_eq!(corrected["correction_record_id"], v2.record_id.as_str());
    assert_eq!(pending(&w).await, 0, "resolved");

    // The enterprise was told at each step.
    let kinds = inbox(&w.app, "ent-1").await;
    assert!(kinds.contains(&"objection.filed".to_owned()), "{kinds:?}");
    assert!(
        kinds.contains(&"objection.corrected".to_owned()),
        "{kinds:?}"
    );

    // Timeline from the trail, oldest first.
    let (_, detail) = w
        .app
        .api_get(&w.ent, &format!("/api/v1/objections/{id}"))
        .await;
    let steps: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["objection.filed", "objection.corrected"]);
    assert_eq!(detail["attachments"][0]["content_type"], "application/pdf");

    // Out of order: nothing to confirm, escalate or decide any more.
    let (status, body) = step(&w, &w.provider, &id, "confirm", json!({"explanation": "x"})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.state"))
    );
    let (status, body) = step(&w, &w.ent, &id, "escalate", json!({"reason": "x"})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.state"))
    );
    let (status, body) = step(
        &w,
        &w.operator,
        &id,
        "decide",
        json!({"ruling": "uphold", "reason": "x"}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.state"))
    );

    // The pages: the enterprise's list and the timeline, Chinese first.
    let browser = w.app.logged_in("ent-1").await;
    let list = page_text(&browser, w.app.url("/objections")).await;
    assert!(
        list.contains("行政处罚信息") && list.contains("已更正"),
        "{list}"
    );
    let page = page_text(&browser, w.app.url(&format!("/objections/{id}"))).await;
    assert!(page.contains("企业提出异议") && page.contains("数据提供单位更正记录"));
}
on_all_backends!(filed_then_corrected_by_the_provider);

async fn confirmed_escalated_and_ruled_by_the_operator(backend: Backend) {
    let w = world(backend, Arc::new(SystemClock)).await;
    let records = penalties(&w, "B", 2, "2026-10-12").await;
    let (_, filed) = file(&w, &w.ent, &records[0], "我司已按期缴纳罚款").await;
    let id = filed["id"].as_str().unwrap().to_owned();

    // Only the provider answers, and with an explanation.
    let (status, body) = step(&w, &w.ent, &id, "confirm", json!({"explanation": "x"})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("objection.not_provider"))
    );
    let (status, body) = step(
        &w,
        &w.provider,
        &id,
        "confirm",
        json!({"explanation": "  "}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.explanation_required"))
    );
    // Escalating before the provider answered is out of order.
    let (status, body) = step(&w, &w.ent, &id, "escalate", json!({"reason": "x"})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.state"))
    );
    let (status, confirmed) = step(
        &w,
        &w.provider,
        &id,
        "confirm",
        json!({"explanation": "处罚决定合法有效，缴款不影响处罚记录"}),
    )
    .await;
    assert_eq!(
        (status, confirmed["status"].as_str()),
        (200, Some("confirmed"))
    );
    assert_eq!(pending(&w).await, 0, "confirmed: the provider has ruled");
    assert!(
        inbox(&w.app, "ent-1")
            .await
            .contains(&"objection.confirmed".to_owned())
    );

    let (status, escalated) =
        step(&w, &w.ent, &id, "escalate", json!({"reason": "请平台复核"})).await;
    assert_eq!(
        (status, escalated["status"].as_str()),
        (200, Some("escalated"))
    );
    assert_eq!(
        pending(&w).await,
        1,
        "异议处理中 again while the operator reviews"
    );
    assert!(
        inbox(&w.app, "operator")
            .await
            .contains(&"objection.escalated".to_owned())
    );

    // Only the operator rules, with a reason.
    let (status, _) = step(
        &w,
        &w.provider,
        &id,
        "decide",
        json!({"ruling": "uphold", "reason": "x"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = step(
        &w,
        &w.operator,
        &id,
        "decide",
        json!({"ruling": "order_correction", "reason": ""}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.reason_required"))
    );
    let (status, ordered) = step(
        &w,
        &w.operator,
        &id,
        "decide",
        json!({"ruling": "order_correction", "reason": "罚款已缴清，应更新处罚状态"}),
    )
    .await;
    assert_eq!(
        (status, ordered["status"].as_str()),
        (200, Some("correction_ordered"))
    );
    // The provider may no longer merely confirm; it corrects.
    let (status, body) = step(&w, &w.provider, &id, "confirm", json!({"explanation": "x"})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.state"))
    );
    let row = json!({
        "subject_uscc": w.uscc,
        "decision_doc_no": "豫市监罚〔2026〕B00号",
        "decision_date": "2026-10-12",
        "penalty_content": "罚款 2000 元（已缴清）",
    });
    let (status, done) = step(
        &w,
        &w.provider,
        &id,
        "correct",
        json!({"explanation": "按平台决定更正", "row": row}),
    )
    .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (200, Some("corrected")),
        "{done}"
    );

    // The second record: confirmed, escalated, upheld — final.
    let (_, filed) = file(&w, &w.ent, &records[1], "处罚主体有误").await;
    let id2 = filed["id"].as_str().unwrap().to_owned();
    step(
        &w,
        &w.provider,
        &id2,
        "confirm",
        json!({"explanation": "主体无误"}),
    )
    .await;
    step(&w, &w.ent, &id2, "escalate", json!({"reason": "请复核"})).await;
    let (status, upheld) = step(
        &w,
        &w.operator,
        &id2,
        "decide",
        json!({"ruling": "uphold", "reason": "数据提供单位核实无误"}),
    )
    .await;
    assert_eq!((status, upheld["status"].as_str()), (200, Some("upheld")));
    let (status, body) = step(&w, &w.ent, &id2, "escalate", json!({"reason": "再议"})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.state"))
    );
    assert!(
        inbox(&w.app, "ent-1")
            .await
            .contains(&"objection.upheld".to_owned())
    );

    // The operator's filters and the CLI.
    let (_, escalated) = w
        .app
        .api_get(&w.operator, "/api/v1/objections?status=escalated")
        .await;
    assert_eq!(escalated.as_array().unwrap().len(), 0);
    let out = xinrong(
        &w.app.db_url(),
        &[
            "objections",
            "list",
            "--subject",
            &w.uscc,
            "--status",
            "upheld",
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], id2.as_str());
    let out = xinrong(
        &w.app.db_url(),
        &["objections", "list", "--status", "nonsense"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[objection.status]"));
    // The rules are configuration; nonsense is refused before anything runs.
    let out = xinrong(
        &w.app.db_url(),
        &["--repair-min-months", "13,3,12", "repairs", "list"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[config.rights]"));
    let out = xinrong(
        &w.app.db_url(),
        &["--objection-deadline-days", "0", "objections", "sweep"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[config.rights]"));

    // The operator's page shows both with their statuses.
    let browser = w.app.logged_in("operator").await;
    let page = page_text(&browser, w.app.url("/objections")).await;
    assert!(
        page.contains("平台维持原记录") && page.contains("已更正"),
        "{page}"
    );
}
on_all_backends!(confirmed_escalated_and_ruled_by_the_operator);

async fn only_the_subject_files_on_its_own_records(backend: Backend) {
    let w = world(backend, Arc::new(SystemClock)).await;
    let records = penalties(&w, "C", 1, "2026-10-12").await;
    let (status, body) = file(&w, &w.other_ent, &records[0], "不是我的记录").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("objection.not_subject"))
    );
    let (status, _) = file(&w, &w.bank, &records[0], "银行代提").await;
    assert_eq!(status, 403, "institutions have no objection routes");
    let (status, body) = file(&w, &w.provider, &records[0], "x").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("objection.not_subject"))
    );
    let (status, body) = file(&w, &w.ent, &records[0], "   ").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.reason_required"))
    );
    let (status, _) = file(&w, &w.ent, "00000000-0000-0000-0000-000000000000", "x").await;
    assert_eq!(status, 404);
    assert_eq!(pending(&w).await, 0, "nothing was filed");

    let (_, filed) = file(&w, &w.ent, &records[0], "金额有误").await;
    let id = filed["id"].as_str().unwrap();
    // Another enterprise neither sees it nor acts on it.
    let (status, _) = w
        .app
        .api_get(&w.other_ent, &format!("/api/v1/objections/{id}"))
        .await;
    assert_eq!(status, 404);
    let (_, theirs) = w.app.api_get(&w.other_ent, "/api/v1/objections").await;
    assert_eq!(theirs.as_array().unwrap().len(), 0);
    let (status, _) = step(&w, &w.other_ent, id, "close", json!({})).await;
    assert_eq!(status, 404);
    // The enterprise withdraws its own.
    let (status, closed) = step(&w, &w.ent, id, "close", json!({})).await;
    assert_eq!((status, closed["status"].as_str()), (200, Some("closed")));
}
on_all_backends!(only_the_subject_files_on_its_own_records);

async fn floods_of_objections_are_refused(backend: Backend) {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap(),
    ));
    let w = world(backend, clock.clone()).await;
    let records = penalties(&w, "D", 7, "2026-10-12").await;
    let (status, _) = file(&w, &w.ent, &records[0], "第一条").await;
    assert_eq!(status, 201);
    let (status, body) = file(&w, &w.ent, &records[0], "同一记录再提").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.already_open"))
    );
    for record in &records[1..5] {
        let (status, body) = file(&w, &w.ent, record, "批量异议").await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = file(&w, &w.ent, &records[5], "第六条").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("objection.rate_limited"))
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("每天最多提出 5 条"),
        "{body}"
    );
    let (_, mine) = w.app.api_get(&w.ent, "/api/v1/objections").await;
    assert_eq!(
        mine.as_array().unwrap().len(),
        5,
        "the refused one left nothing behind"
    );
    // The next day the enterprise may file again.
    clock.advance(Duration::days(1));
    let (status, _) = file(&w, &w.ent, &records[5], "次日再提").await;
    assert_eq!(status, 201);
}
on_all_backends!(floods_of_objections_are_refused);

async fn overdue_objections_are_flagged_once(backend: Backend) {
    // Monday 1 June 2026, 10:00 Beijing: five working days end on Monday 8 June.
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap(),
    ));
    let w = world(backend, clock.clone()).await;
    let records = penalties(&w, "E", 2, "2026-05-12").await;
    let (_, filed) = file(&w, &w.ent, &records[0], "记录有误").await;
    assert_eq!(filed["deadline_at"], "2026-06-08T23:59:59+08:00");
    let platform = &w.app.platform;
    assert_eq!(objections::flag_overdue(platform).await.unwrap(), 0);
    clock.advance(Duration::days(7)); // Monday 8 June, still within the deadline
    assert_eq!(objections::flag_overdue(platform).await.unwrap(), 0);
    clock.advance(Duration::days(1));
    // Two sweeps at once (two servers) flag it once between them.
    let (a, b) = tokio::join!(
        objections::flag_overdue(platform),
        objections::flag_overdue(platform)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(objections::flag_overdue(platform).await.unwrap(), 0, "once");
    let flags = inbox(&w.app, "operator")
        .await
        .into_iter()
        .filter(|k| k == "objection.overdue")
        .count();
    assert_eq!(flags, 1);
    let (_, overdue) = w
        .app
        .api_get(&w.operator, "/api/v1/objections?overdue=true")
        .await;
    assert_eq!(overdue.as_array().unwrap().len(), 1);
    assert_eq!(overdue[0]["overdue"], true);
    assert!(overdue[0]["overdue_flagged_at"].is_string());
    let (_, detail) = w
        .app
        .api_get(
            &w.ent,
            &format!("/api/v1/objections/{}", filed["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(detail["timeline"][1]["kind"], "objection.overdue");

    // The CLI sweeps with the wall clock (later than June): the flagged one is not flagged again,
    // a new one past its deadline is.
    let out = xinrong(
        &w.app.db_url(),
        &["objections", "sweep", "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["flagged"],
        0
    );
    file(&w, &w.ent, &records[1], "另一条").await;
    let out = xinrong(
        &w.app.db_url(),
        &["objections", "sweep", "--format", "json"],
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["flagged"],
        1
    );
}
on_all_backends!(overdue_objections_are_flagged_once);

async fn attachments_must_be_what_they_claim(backend: Backend) {
    use base64::Engine;
    let w = world(backend, Arc::new(SystemClock)).await;
    let records = penalties(&w, "F", 1, "2026-10-12").await;
    let fake = json!({
        "filename": "证明.pdf",
        "content_type": "application/pdf",
        "content_base64": base64::engine::general_purpose::STANDARD.encode(b"MZ\x90\x00 not a pdf at all"),
    });
    let (status, body) = w
        .app
        .api(
            Method::POST,
            &w.ent,
            "/api/v1/objections",
            Some(json!({"record_id": records[0], "reason": "有误", "attachments": [fake]})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("attachment.type_mismatch"))
    );
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let big = json!({
        "filename": "大文件.pdf",
        "content_type": "application/pdf",
        "content_base64": base64::engine::general_purpose::STANDARD.encode(&big),
    });
    let (status, body) = w
        .app
        .api(
            Method::POST,
            &w.ent,
            "/api/v1/objections",
            Some(json!({"record_id": records[0], "reason": "有误", "attachments": [big]})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("attachment.too_large"))
    );
    let (_, mine) = w.app.api_get(&w.ent, "/api/v1/objections").await;
    assert_eq!(mine.as_array().unwrap().len(), 0, "nothing half-written");
}
on_all_backends!(attachments_must_be_what_they_claim);

async fn the_pages_file_answer_and_escalate(backend: Backend) {
    use crate::support::csrf_of;
    let w = world(backend, Arc::new(SystemClock)).await;
    let records = penalties(&w, "G", 1, "2026-10-12").await;
    let ent = w.app.logged_in("ent-1").await;
    // The picker lists the enterprise's records (metadata only) and links to the form.
    let picker = page_text(&ent, w.app.url("/objections/new")).await;
    assert!(
        picker.contains(&format!("/objections/new?record={}", records[0])),
        "{picker}"
    );
    let form = page_text(
        &ent,
        w.app.url(&format!("/objections/new?record={}", records[0])),
    )
    .await;
    assert!(
        form.contains("提交异议") && form.contains("罚款 2000 元") && form.contains("记录内容"),
        "the record's content, shaped by the one access decision (the subject sees its own)"
    );
    let csrf = csrf_of(&form);
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let multipart = |reason: &str, bytes: Vec<u8>| {
        reqwest::multipart::Form::new()
            .text("record", records[0].clone())
            .text("reason", reason.to_owned())
            .part(
                "files",
                reqwest::multipart::Part::bytes(bytes)
                    .file_name("证明.pdf")
                    .mime_str("application/pdf")
                    .unwrap(),
            )
    };
    // A file that is not what it claims: the form comes back with the reason.
    let r = ent
        .post(w.app.url(&format!("/objections?csrf={csrf}")))
        .multipart(multipart("有误", b"GIF89a not a pdf".to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("内容不是该类型的文件"));
    let r = ent
        .post(w.app.url(&format!("/objections?csrf={csrf}")))
        .multipart(multipart("处罚已撤销", pdf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/objections/"));

    // The provider's queue shows the deadline; it confirms through the form.
    let provider = w.app.logged_in("provider-market").await;
    let queue = page_text(&provider, w.app.url("/objections")).await;
    assert!(
        queue.contains("异议处理") && queue.contains("待数据提供单位处理"),
        "{queue}"
    );
    let page = page_text(&provider, w.app.url(&location)).await;
    assert!(page.contains("confirm-form") && page.contains("correct-form"));
    assert!(
        page.contains("罚款 2000 元") && page.contains("异议处理中"),
        "the provider sees the record it sent, flagged as under objection"
    );
    let r = provider
        .post(w.app.url(&format!("{location}/confirm")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("text", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422, "an explanation is required");
    let r = provider
        .post(w.app.url(&format!("{location}/confirm")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("text", "核实无误")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);

    // The enterprise escalates through its form; the operator sees it among the escalated.
    let page = page_text(&ent, w.app.url(&location)).await;
    assert!(page.contains("escalate-form") && page.contains("核实无误"));
    let r = ent
        .post(w.app.url(&format!("{location}/escalate")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("text", "请平台复核")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let operator = w.app.logged_in("operator").await;
    let escalated = page_text(&operator, w.app.url("/objections?status=escalated")).await;
    assert!(escalated.contains("已提请平台复核"), "{escalated}");
    let detail = page_text(&operator, w.app.url(&location)).await;
    assert!(
        detail.contains("罚款 2000 元"),
        "the operator reviews the record's content"
    );
}
on_all_backends!(the_pages_file_answer_and_escalate);
