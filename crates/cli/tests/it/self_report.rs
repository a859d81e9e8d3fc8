//! 自愿填报: an enterprise declares a record about itself under a signed credit commitment;
//! anything else is refused with nothing written.

use crate::on_all_backends;
use crate::support::{TestApp, demo_user, page_text};
use serde_json::{Value, json};
use xinrong_core::role::Role;
use xinrong_services::commitments;
use xinrong_services::self_report::{self, COMMITMENT_TEXT};
use xinrong_store::Backend;
use xinrong_store::repo::{records, self_reports};

const ITEM: &str = "qualifications.construction";

fn qualification() -> Value {
    json!({
        "qualification_series": "施工总承包",
        "qualification_category": "建筑工程",
        "qualification_grade": "二级",
        "issuing_authority": "郑州市住房和城乡建设局",
        "issue_date": "2024-03-01",
        "valid_until": "2029-03-01",
    })
}

async fn own_uscc(app: &TestApp, token: &str) -> String {
    let (_, me) = app.api_get(token, "/api/v1/me").await;
    me["org_uscc"].as_str().expect("enterprise USCC").to_owned()
}

async fn post(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.api(
        reqwest::Method::POST,
        token,
        "/api/v1/self-reports",
        Some(body),
    )
    .await
}

async fn self_report_round_trip(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let token = app.token_for(demo_user(Role::Enterprise)).await;
    let uscc = own_uscc(&app, &token).await;
    let conn = &app.platform.db.conn;

    let (status, options) = app.api_get(&token, "/api/v1/self-reports/items").await;
    assert_eq!(status, 200);
    assert_eq!(options["commitment_text"], COMMITMENT_TEXT);
    assert!(
        options["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["key"] == ITEM)
    );

    let (status, declared) = post(
        &app,
        &token,
        json!({"item_key": ITEM, "values": qualification(), "commitment_accepted": true}),
    )
    .await;
    assert_eq!(status, 201, "{declared}");
    assert_eq!(declared["subject"], uscc.as_str());
    assert_eq!(declared["new_versions"], 1);
    assert_eq!(declared["label"], "企业自主填报");
    // The commitment kept: its text, and the SM3 digest of exactly that text.
    let digest = xinrong_ledger::sm3(&[COMMITMENT_TEXT.as_bytes()]).to_hex();
    assert_eq!(declared["commitment_sm3"], digest.as_str());
    let signed = commitments::get(conn, declared["commitment_id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(signed.text, COMMITMENT_TEXT);
    assert_eq!(signed.context, "self_report");
    assert_eq!(signed.subject.as_deref(), Some(uscc.as_str()));
    let batch_id = declared["batch_id"].as_str().unwrap();
    assert_eq!(signed.ref_id.as_deref(), Some(batch_id));

    // The record is a version like any other, in a batch the views label self-declared.
    let record = records::for_subject(conn, &uscc)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.batch_id == batch_id)
        .expect("a record of the self-report batch");
    assert_eq!(record.item_key, ITEM);
    assert!(record.payload.contains("施工总承包"));
    let declared_batches = self_report::declared_batches(conn, &uscc).await.unwrap();
    assert!(declared_batches.contains(batch_id));
    let org_id = xinrong_store::repo::users::by_username(conn, demo_user(Role::Enterprise))
        .await
        .unwrap()
        .unwrap()
        .org_id;
    let batch = self_reports::batches_of(conn, &[org_id])
        .await
        .unwrap()
        .remove(0);
    assert!(self_report::is_self_declared(&batch.kind));
    assert_eq!(batch.provider_org_id, record.provider_org_id);

    // The enterprise's list and page show it with the digest; the trail has the step.
    let (_, mine) = app.api_get(&token, "/api/v1/self-reports").await;
    assert_eq!(mine[0]["batch_id"], batch_id);
    assert_eq!(mine[0]["commitment_sm3"], digest.as_str());
    let client = app.logged_in(demo_user(Role::Enterprise)).await;
    let page = page_text(&client, app.url("/self-report")).await;
    assert!(
        page.contains(batch_id) && page.contains("企业自主填报"),
        "{page}"
    );
    let form = page_text(&client, app.url(&format!("/self-report/{ITEM}"))).await;
    assert!(
        form.contains(COMMITMENT_TEXT),
        "the commitment is shown in full"
    );
    let kinds: Vec<String> = xinrong_services::trail::for_ref(conn, batch_id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.kind)
        .collect();
    assert!(kinds.contains(&"commitment.signed".to_owned()), "{kinds:?}");
    assert!(
        kinds.contains(&"self_report.submitted".to_owned()),
        "{kinds:?}"
    );

    // The enterprise's own view labels exactly that record self-declared (企业自主填报).
    let (status, view) = app
        .api_get(&token, &format!("/api/v1/subjects/{uscc}"))
        .await;
    assert_eq!(status, 200, "{view}");
    let mut flags = Vec::new();
    collect_self_declared(&view, &mut flags);
    assert_eq!(
        flags.iter().filter(|f| **f).count(),
        1,
        "exactly the declared record carries the label: {view}"
    );
}
on_all_backends!(self_report_round_trip);

/// Every `self_declared` flag in a JSON document.
fn collect_self_declared(v: &Value, out: &mut Vec<bool>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Bool(b)) = map.get("self_declared") {
                out.push(*b);
            }
            map.values().for_each(|v| collect_self_declared(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_self_declared(v, out)),
        _ => {}
    }
}

async fn bad_self_reports_write_nothing(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let token = app.token_for(demo_user(Role::Enterprise)).await;
    let uscc = own_uscc(&app, &token).await;
    let conn = &app.platform.db.conn;
    let records_before = records::for_subject(conn, &uscc).await.unwrap().len();

    let mut wrong_date = qualification();
    wrong_date["issue_date"] = json!("2024-13-45");
    let mut missing = qualification();
    missing
        .as_object_mut()
        .unwrap()
        .remove("qualification_category");
    let mut other_subject = qualification();
    other_subject["uscc"] = json!("91410100MA9XRC0Q0W");
    let mut unknown_field = qualification();
    unknown_field["favourite_colour"] = json!("红");
    let cases = [
        (
            json!({"item_key": "administrative.administrative_penalty", "values": {}, "commitment_accepted": true}),
            "self_report.not_allowed",
        ),
        (
            json!({"item_key": "no.such_item", "values": {}, "commitment_accepted": true}),
            "catalog.unknown_item",
        ),
        (
            json!({"item_key": ITEM, "values": qualification(), "commitment_accepted": false}),
            "self_report.commitment_required",
        ),
        (
            json!({"item_key": ITEM, "values": wrong_date, "commitment_accepted": true}),
            "self_report.invalid",
        ),
        (
            json!({"item_key": ITEM, "values": missing, "commitment_accepted": true}),
            "self_report.invalid",
        ),
        (
            json!({"item_key": ITEM, "values": other_subject, "commitment_accepted": true}),
            "self_report.subject",
        ),
        (
            json!({"item_key": ITEM, "values": unknown_field, "commitment_accepted": true}),
            "self_report.unknown_field",
        ),
    ];
    for (body, code) in cases {
        let (status, answer) = post(&app, &token, body.clone()).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (422, Some(code)),
            "{body}"
        );
        assert!(!answer["message"].as_str().unwrap().is_empty());
    }
    // Only enterprises declare.
    let bank = app.token_for(demo_user(Role::Institution)).await;
    let (status, _) = post(
        &app,
        &bank,
        json!({"item_key": ITEM, "values": qualification(), "commitment_accepted": true}),
    )
    .await;
    assert_eq!(status, 403);

    // Nothing was written: no record, no self-report batch, no commitment.
    assert_eq!(
        records::for_subject(conn, &uscc).await.unwrap().len(),
        records_before
    );
    assert!(
        self_report::declared_batches(conn, &uscc)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        commitments::for_subject(conn, &uscc)
            .await
            .unwrap()
            .iter()
            .all(|c| c.context != "self_report")
    );

    // The form shows the refusal and keeps what was typed.
    let client = app.logged_in(demo_user(Role::Enterprise)).await;
    let form = page_text(&client, app.url(&format!("/self-report/{ITEM}"))).await;
    let csrf = crate::support::csrf_of(&form);
    let response = client
        .post(app.url(&format!("/self-report/{ITEM}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("f.qualification_series", "施工总承包"),
            ("f.qualification_category", "建筑工程"),
            ("f.issue_date", "not a date"),
            ("commitment", "signed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"self-report-error\""), "{html}");
    assert!(html.contains("施工总承包"));
    assert!(
        self_report::declared_batches(conn, &uscc)
            .await
            .unwrap()
            .is_empty()
    );
}
on_all_backends!(bad_self_reports_write_nothing);

async fn a_self_report_never_overwrites_a_source_record(backend: Backend) {
    use xinrong_services::collect::{BatchKind, Encoding, Format, IngestRequest, ingest};
    let app = TestApp::with_demo(backend).await;
    let token = app.token_for(demo_user(Role::Enterprise)).await;
    let uscc = own_uscc(&app, &token).await;
    let conn = &app.platform.db.conn;
    // The housing authority sends the enterprise's construction qualification.
    let provider = xinrong_store::repo::users::by_username(conn, demo_user(Role::Provider))
        .await
        .unwrap()
        .unwrap()
        .org_id;
    xinrong_store::repo::provider_items::grant(
        conn,
        &provider,
        &[ITEM.to_owned()],
        app.platform.clock.now_naive(),
    )
    .await
    .unwrap();
    let file = crate::support::temp_file(format!(
        "uscc,qualification_series,qualification_category,qualification_grade\n{uscc},施工总承包,建筑工程,三级\n"
    ));
    let report = ingest(
        &app.platform,
        IngestRequest {
            item_key: ITEM,
            provider_org_id: &provider,
            format: Format::Csv,
            encoding: Encoding::Auto,
            strict: true,
            kind: BatchKind::Regular,
            path: &file.0,
            progress: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(report.new_records, 1, "{report:?}");
    let source_batch = report.batch_id.unwrap();

    // The enterprise declaring the same qualification (a better grade) is refused, nothing
    // written: the record stays the source unit's.
    let (status, answer) = post(
        &app,
        &token,
        json!({"item_key": ITEM, "values": qualification(), "commitment_accepted": true}),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("self_report.invalid"))
    );
    assert!(
        answer["message"].as_str().unwrap().contains("异议"),
        "{answer}"
    );
    let heads: Vec<_> = records::for_subject(conn, &uscc)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.item_key == ITEM)
        .collect();
    assert_eq!(heads.len(), 1);
    assert_eq!(heads[0].batch_id, source_batch);
    assert!(
        self_report::declared_batches(conn, &uscc)
            .await
            .unwrap()
            .is_empty()
    );

    // Its own declaration of another qualification, then a correction of it, are versions.
    let mut other = qualification();
    other["qualification_category"] = json!("市政公用工程");
    let (status, first) = post(
        &app,
        &token,
        json!({"item_key": ITEM, "values": other.clone(), "commitment_accepted": true}),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    other["qualification_grade"] = json!("一级");
    let (status, second) = post(
        &app,
        &token,
        json!({"item_key": ITEM, "values": other, "commitment_accepted": true}),
    )
    .await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["new_versions"], 1);
    let versions = records::for_subject(conn, &uscc)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.item_key == ITEM && r.payload.contains("市政公用工程"))
        .map(|r| r.version)
        .collect::<Vec<_>>();
    assert_eq!(versions.len(), 2, "two versions of the declared record");
    assert!(versions.contains(&2));
}
on_all_backends!(a_self_report_never_overwrites_a_source_record);
