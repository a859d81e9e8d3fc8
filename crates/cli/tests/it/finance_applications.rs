//! 一键式融资 end to end on every backend: the enterprise states a need once and applies to two
//! products with the authorizations they need in the same step; the institutions accept,
//! review, approve or reject (with a reason); the enterprise follows the timeline and is
//! notified at each step; deadlines flag overdue applications once and expire lapsed ones.
//! Amounts outside every range, products that do not fit, strangers, out-of-order steps and
//! missing reasons are refused with their codes and leave nothing changed.

use crate::objections::inbox;
use crate::on_all_backends;
use crate::support::{TestApp, xinrong};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use xinrong_core::clock::{Clock, FixedClock, SystemClock};
use xinrong_core::finance::application as rules;
use xinrong_services::demo::DemoOptions;
use xinrong_services::finance::applications;
use xinrong_store::Backend;

const PENALTY: &str = "administrative.administrative_penalty";
/// 100万元.
const MILLION_YUAN: i64 = 100_000_000;

pub(crate) struct World {
    pub app: TestApp,
    pub ent: String,
    pub other_ent: String,
    /// bank-icbc and bank-abc.
    pub bank: String,
    pub other_bank: String,
    pub operator: String,
    pub gov: String,
    pub provider: String,
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
    World {
        ent: app.token_for("ent-1").await,
        other_ent: app.token_for("ent-2").await,
        bank: app.token_for("bank-icbc").await,
        other_bank: app.token_for("bank-abc").await,
        operator: app.token_for("operator").await,
        gov: app.token_for("gov").await,
        provider: app.token_for("provider-market").await,
        app,
    }
}

/// A listed product of the institution behind `token`: created, submitted, approved by the
/// operator. `min_grade` restricts it (the test enterprises have no grade).
pub(crate) async fn listed_product(
    w: &World,
    token: &str,
    name: &str,
    amount_fen: (i64, i64),
    min_grade: Option<&str>,
) -> String {
    let mut eligibility = json!({});
    if let Some(g) = min_grade {
        eligibility["min_grade"] = json!(g);
    }
    let (status, p) = w
        .app
        .api(
            Method::POST,
            token,
            "/api/v1/products",
            Some(json!({
                "name": name,
                "kind": "credit_loan",
                "scenarios": [],
                "description": "测试产品",
                "amount_min_fen": amount_fen.0,
                "amount_max_fen": amount_fen.1,
                "term_min_months": 3,
                "term_max_months": 36,
                "rate_min_bp": 385,
                "rate_max_bp": 600,
                "guarantee_types": ["credit"],
                "eligibility": eligibility,
                "required_items": [PENALTY],
                "purpose_code": "pre_loan",
            })),
        )
        .await;
    assert_eq!(status, 201, "create product: {p}");
    let id = p["id"].as_str().unwrap().to_owned();
    let (status, body) = w
        .app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/products/{id}/submit"),
            None,
        )
        .await;
    assert_eq!(status, 200, "submit product: {body}");
    let (status, body) = w
        .app
        .api(
            Method::POST,
            &w.operator,
            &format!("/api/v1/products/{id}/approve"),
            None,
        )
        .await;
    assert_eq!(status, 200, "approve product: {body}");
    id
}

fn need(amount_fen: i64) -> Value {
    json!({
        "amount_fen": amount_fen,
        "term_months": 12,
        "purpose": "采购原材料",
        "guarantee": "credit",
        "max_rate_bp": 550,
    })
}

async fn submit(w: &World, token: &str, body: Value) -> (u16, Value) {
    w.app
        .api(Method::POST, token, "/api/v1/applications", Some(body))
        .await
}

async fn step(w: &World, token: &str, id: &str, action: &str, body: Value) -> (u16, Value) {
    w.app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/applications/{id}/{action}"),
            Some(body),
        )
        .await
}

async fn status_of(w: &World, id: &str) -> String {
    let (code, d) = w
        .app
        .api_get(&w.operator, &format!("/api/v1/applications/{id}"))
        .await;
    assert_eq!(code, 200, "{d}");
    d["application"]["status"].as_str().unwrap().to_owned()
}

async fn count(w: &World, token: &str, path: &str) -> usize {
    let (code, list) = w.app.api_get(token, path).await;
    assert_eq!(code, 200, "{list}");
    list.as_array().unwrap().len()
}

fn kinds(detail: &Value) -> Vec<String> {
    detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn one_click_financing_end_to_end(backend: Backend) {
    let w = world(backend, Arc::new(SystemClock)).await;
    let p1 = listed_product(&w, &w.bank, "工行经营快贷", (10_000_000, 500_000_000), None).await;
    let p2 = listed_product(
        &w,
        &w.other_bank,
        "农行惠农e贷",
        (20_000_000, 300_000_000),
        None,
    )
    .await;

    let body = json!({ "need": need(MILLION_YUAN), "product_ids": [p1, p2], "consent": true });
    let (status, apps) = submit(&w, &w.ent, body.clone()).await;
    assert_eq!(status, 201, "{apps}");
    let apps = apps.as_array().unwrap().clone();
    assert_eq!(apps.len(), 2);
    for a in &apps {
        assert_eq!(a["status"], "submitted");
        assert!(a["authorization_id"].is_string(), "{a}");
        assert!(a["overdue"].is_null());
    }
    let (a1, a2) = (
        apps[0]["id"].as_str().unwrap().to_owned(),
        apps[1]["id"].as_str().unwrap().to_owned(),
    );
    assert_eq!(apps[0]["product_id"], p1.as_str());
    let authz1 = apps[0]["authorization_id"].as_str().unwrap().to_owned();
    let authz2 = apps[1]["authorization_id"].as_str().unwrap().to_owned();

    // The authorization granted in the same step is the institution's to use, and only its.
    let (code, a) = w
        .app
        .api_get(&w.bank, &format!("/api/v1/authorizations/{authz1}"))
        .await;
    assert_eq!(code, 200, "{a}");
    assert_eq!(a["status"], "active");
    let (code, _) = w
        .app
        .api_get(&w.bank, &format!("/api/v1/authorizations/{authz2}"))
        .await;
    assert_eq!(code, 404, "another bank's authorization");
    let granted = count(&w, &w.ent, "/api/v1/authorizations").await;
    assert_eq!(granted, 2);

    // A retried submission (the same need and products) answers the same applications and
    // grants nothing new.
    let (status, again) = submit(&w, &w.ent, body).await;
    assert_eq!(status, 201, "{again}");
    let again_ids: Vec<&str> = again
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(again_ids, vec![a1.as_str(), a2.as_str()]);
    assert_eq!(count(&w, &w.ent, "/api/v1/authorizations").await, granted);
    assert_eq!(count(&w, &w.ent, "/api/v1/applications").await, 2);

    // Each institution sees its own inbox only.
    let (_, inbox_icbc) = w.app.api_get(&w.bank, "/api/v1/applications").await;
    assert_eq!(inbox_icbc.as_array().unwrap().len(), 1);
    assert_eq!(inbox_icbc[0]["id"], a1.as_str());
    assert_eq!(count(&w, &w.other_bank, "/api/v1/applications").await, 1);
    assert_eq!(count(&w, &w.operator, "/api/v1/applications").await, 2);
    assert_eq!(count(&w, &w.gov, "/api/v1/applications").await, 2);
    assert_eq!(count(&w, &w.other_ent, "/api/v1/applications").await, 0);
    let (code, _) = w.app.api_get(&w.provider, "/api/v1/applications").await;
    assert_eq!(code, 403);
    let (code, _) = w
        .app
        .api_get(&w.other_ent, &format!("/api/v1/applications/{a1}"))
        .await;
    assert_eq!(code, 404, "another enterprise's application");

    // ICBC accepts, reviews, approves.
    let (code, a) = step(&w, &w.bank, &a1, "accept", json!({})).await;
    assert_eq!((code, a["status"].as_str()), (200, Some("accepted")), "{a}");
    assert!(a["decide_by"].is_string());
    let (code, a) = step(&w, &w.bank, &a1, "review", json!({})).await;
    assert_eq!((code, a["status"].as_str()), (200, Some("under_review")));
    let (code, a) = step(
        &w,
        &w.bank,
        &a1,
        "approve",
        json!({ "approved_amount_fen": 80_000_000 }),
    )
    .await;
    assert_eq!((code, a["status"].as_str()), (200, Some("approved")), "{a}");
    assert_eq!(a["approved_amount_fen"], 80_000_000);

    // ABC accepts and rejects, with a reason only.
    let (code, _) = step(&w, &w.other_bank, &a2, "accept", json!({})).await;
    assert_eq!(code, 200);
    let (code, e) = step(&w, &w.other_bank, &a2, "reject", json!({ "reason": "  " })).await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("application.reason_required"))
    );
    assert_eq!(status_of(&w, &a2).await, "accepted", "unchanged");
    let (code, a) = step(
        &w,
        &w.other_bank,
        &a2,
        "reject",
        json!({ "reason": "近一年纳税记录不足" }),
    )
    .await;
    assert_eq!((code, a["status"].as_str()), (200, Some("rejected")));
    assert_eq!(a["reason"], "近一年纳税记录不足");

    // The enterprise follows both on their timelines (进度跟踪).
    let (code, d1) = w
        .app
        .api_get(&w.ent, &format!("/api/v1/applications/{a1}"))
        .await;
    assert_eq!(code, 200);
    assert_eq!(
        kinds(&d1),
        vec![
            "application.submitted",
            "application.accepted",
            "application.review_started",
            "application.approved"
        ]
    );
    assert_eq!(d1["need"]["purpose"], "采购原材料");
    assert_eq!(d1["need"]["amount_fen"], MILLION_YUAN);
    let (_, d2) = w
        .app
        .api_get(&w.ent, &format!("/api/v1/applications/{a2}"))
        .await;
    assert_eq!(kinds(&d2).last().unwrap(), "application.rejected");
    assert_eq!(d2["timeline"][2]["body"]["reason"], "近一年纳税记录不足");

    // Notified at each step.
    let ent_inbox = inbox(&w.app, "ent-1").await;
    for kind in [
        "application.submitted",
        "application.accepted",
        "application.review_started",
        "application.approved",
        "application.rejected",
    ] {
        assert!(ent_inbox.iter().any(|k| k == kind), "{kind}: {ent_inbox:?}");
    }
    let bank_inbox = inbox(&w.app, "bank-icbc").await;
    assert!(bank_inbox.iter().any(|k| k == "application.submitted"));
    assert!(bank_inbox.iter().any(|k| k == "authorization.granted"));
    let abc_inbox = inbox(&w.app, "bank-abc").await;
    assert_eq!(
        abc_inbox
            .iter()
            .filter(|k| *k == "application.submitted")
            .count(),
        1,
        "the retry notified nobody again"
    );

    // Filters: status and overdue.
    assert_eq!(
        count(&w, &w.ent, "/api/v1/applications?status=approved").await,
        1
    );
    assert_eq!(
        count(&w, &w.operator, "/api/v1/applications?overdue=true").await,
        0
    );
    let (code, e) = w
        .app
        .api_get(&w.ent, "/api/v1/applications?status=nonsense")
        .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("application.status"))
    );
}
on_all_backends!(one_click_financing_end_to_end);

async fn bad_applications_are_refused_and_change_nothing(backend: Backend) {
    let w = world(backend, Arc::new(SystemClock)).await;
    let p1 = listed_product(&w, &w.bank, "工行经营快贷", (10_000_000, 500_000_000), None).await;
    let picky = listed_product(
        &w,
        &w.bank,
        "工行优享贷",
        (10_000_000, 500_000_000),
        Some("A+"),
    )
    .await;

    // An amount outside every listed product's range (1 亿元).
    let (code, e) = submit(
        &w,
        &w.ent,
        json!({ "need": need(10_000_000_000), "product_ids": [p1], "consent": true }),
    )
    .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("application.amount_out_of_range")),
        "{e}"
    );
    // A product that does not fit, named with its reason.
    let (code, e) = submit(
        &w,
        &w.ent,
        json!({ "need": need(MILLION_YUAN), "product_ids": [p1, picky], "consent": true }),
    )
    .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("application.product_not_fit")),
        "{e}"
    );
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("工行优享贷"), "{message}");
    assert!(message.contains("A+"), "{message}");
    // No consent to the authorizations.
    let (code, e) = submit(
        &w,
        &w.ent,
        json!({ "need": need(MILLION_YUAN), "product_ids": [p1], "consent": false }),
    )
    .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("application.consent_required"))
    );
    // Nothing picked, an unknown product, an institution applying.
    let (code, e) = submit(
        &w,
        &w.ent,
        json!({ "need": need(MILLION_YUAN), "product_ids": [], "consent": true }),
    )
    .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("application.no_product"))
    );
    let (code, e) = submit(
        &w,
        &w.ent,
        json!({ "need": need(MILLION_YUAN), "product_ids": ["nope"], "consent": true }),
    )
    .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("application.product_unknown"))
    );
    let (code, _) = submit(
        &w,
        &w.bank,
        json!({ "need": need(MILLION_YUAN), "product_ids": [p1], "consent": true }),
    )
    .await;
    assert_eq!(code, 403);
    // Nothing was written by the refusals: no application, no authorization.
    assert_eq!(count(&w, &w.ent, "/api/v1/applications").await, 0);
    assert_eq!(count(&w, &w.ent, "/api/v1/authorizations").await, 0);

    let (code, apps) = submit(
        &w,
        &w.ent,
        json!({ "need": need(MILLION_YUAN), "product_ids": [p1], "consent": true }),
    )
    .await;
    assert_eq!(code, 201, "{apps}");
    let id = apps[0]["id"].as_str().unwrap().to_owned();

    // An institution acting on an application it was not sent: not found, unchanged.
    let (code, e) = step(&w, &w.other_bank, &id, "accept", json!({})).await;
    assert_eq!((code, e["code"].as_str()), (404, Some("not_found")));
    let (code, _) = w
        .app
        .api_get(&w.other_bank, &format!("/api/v1/applications/{id}"))
        .await;
    assert_eq!(code, 404);
    assert_eq!(status_of(&w, &id).await, "submitted");
    // The enterprise cannot act for the institution.
    let (code, e) = step(&w, &w.ent, &id, "accept", json!({})).await;
    assert_eq!(
        (code, e["code"].as_str()),
        (403, Some("application.not_addressee"))
    );
    // Out of order: approve and reject before accepting; disbursing through the API.
    let (code, e) = step(&w, &w.bank, &id, "approve", json!({})).await;
    assert_eq!((code, e["code"].as_str()), (422, Some("application.state")));
    assert!(
        e["message"].as_str().unwrap().contains("已提交待受理"),
        "{e}"
    );
    let (code, e) = step(&w, &w.bank, &id, "reject", json!({ "reason": "不符合" })).await;
    assert_eq!((code, e["code"].as_str()), (422, Some("application.state")));
    let (code, e) = step(&w, &w.bank, &id, "disburse", json!({})).await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("application.disburse_via_loan"))
    );
    let (code, _) = step(&w, &w.bank, &id, "nonsense", json!({})).await;
    assert_eq!(code, 404);
    assert_eq!(status_of(&w, &id).await, "submitted");
    let (code, d) = w
        .app
        .api_get(&w.ent, &format!("/api/v1/applications/{id}"))
        .await;
    assert_eq!(code, 200);
    assert_eq!(kinds(&d), vec!["application.submitted"], "no step recorded");

    // Accept, approve more than applied for (refused), approve; then withdraw after the
    // decision is refused.
    assert_eq!(step(&w, &w.bank, &id, "accept", json!({})).await.0, 200);
    let (code, e) = step(&w, &w.bank, &id, "accept", json!({})).await;
    assert_eq!((code, e["code"].as_str()), (422, Some("application.state")));
    let (code, e) = step(
        &w,
        &w.bank,
        &id,
        "approve",
        json!({ "approved_amount_fen": MILLION_YUAN + 1 }),
    )
    .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("application.approved_amount"))
    );
    assert_eq!(status_of(&w, &id).await, "accepted");
    assert_eq!(step(&w, &w.bank, &id, "approve", json!({})).await.0, 200);
    let (code, e) = step(&w, &w.other_ent, &id, "withdraw", json!({})).await;
    assert_eq!(code, 404, "{e}");
    let (code, e) = step(&w, &w.ent, &id, "withdraw", json!({})).await;
    assert_eq!((code, e["code"].as_str()), (422, Some("application.state")));
    assert!(e["message"].as_str().unwrap().contains("已批准"), "{e}");
    assert_eq!(status_of(&w, &id).await, "approved");

    // A second need: withdrawn before a decision, then nothing more is possible.
    let mut other = need(2 * MILLION_YUAN);
    other["purpose"] = json!("购置设备");
    let (code, apps) = submit(
        &w,
        &w.ent,
        json!({ "need": other, "product_ids": [p1], "consent": true }),
    )
    .await;
    assert_eq!(code, 201);
    let id2 = apps[0]["id"].as_str().unwrap().to_owned();
    assert_ne!(id2, id);
    let (code, a) = step(&w, &w.ent, &id2, "withdraw", json!({})).await;
    assert_eq!((code, a["status"].as_str()), (200, Some("withdrawn")));
    let (code, e) = step(&w, &w.bank, &id2, "accept", json!({})).await;
    assert_eq!((code, e["code"].as_str()), (422, Some("application.state")));
    assert!(
        inbox(&w.app, "bank-icbc")
            .await
            .iter()
            .any(|k| k == "application.withdrawn")
    );
}
on_all_backends!(bad_applications_are_refused_and_change_nothing);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn deadlines_flag_overdue_once_and_expire_lapsed_applications(backend: Backend) {
    // Monday 1 June 2026, 10:00 Beijing: three working days end on Thursday 4 June.
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap(),
    ));
    let w = world(backend, clock.clone()).await;
    let p1 = listed_product(&w, &w.bank, "工行经营快贷", (10_000_000, 500_000_000), None).await;
    let p2 = listed_product(
        &w,
        &w.other_bank,
        "农行惠农e贷",
        (20_000_000, 300_000_000),
        None,
    )
    .await;
    let (code, apps) = submit(
        &w,
        &w.ent,
        json!({ "need": need(MILLION_YUAN), "product_ids": [p1, p2], "consent": true }),
    )
    .await;
    assert_eq!(code, 201, "{apps}");
    assert_eq!(apps[0]["accept_by"], "2026-06-04");
    let (a1, a2) = (
        apps[0]["id"].as_str().unwrap().to_owned(),
        apps[1]["id"].as_str().unwrap().to_owned(),
    );
    let platform = &w.app.platform;
    let swept = || applications::sweep(platform);
    assert_eq!(swept().await.unwrap().flagged, 0);
    clock.advance(Duration::days(3)); // Thursday 4 June: still in time
    assert_eq!(swept().await.unwrap().flagged, 0);
    clock.advance(Duration::days(1));
    // Two sweeps at once (two servers) flag each application once between them.
    let (a, b) = tokio::join!(swept(), swept());
    assert_eq!(a.unwrap().flagged + b.unwrap().flagged, 2);
    assert_eq!(swept().await.unwrap().flagged, 0, "once");
    let flags = inbox(&w.app, "operator")
        .await
        .into_iter()
        .filter(|k| k == "application.overdue")
        .count();
    assert_eq!(flags, 2);
    let (_, overdue) = w
        .app
        .api_get(&w.operator, "/api/v1/applications?overdue=true")
        .await;
    assert_eq!(overdue.as_array().unwrap().len(), 2);
    assert_eq!(overdue[0]["overdue"], "accept");
    assert!(overdue[0]["overdue_flagged_at"].is_string());

    // Accepting late starts the decide deadline, which is flagged in its turn.
    let (code, a) = step(&w, &w.bank, &a1, "accept", json!({})).await;
    assert_eq!(code, 200, "{a}");
    let decide_by = rules::decide_by(day(2026, 6, 5), 10);
    assert_eq!(a["decide_by"], decide_by.to_string());
    assert!(a["overdue"].is_null());
    let (_, overdue) = w
        .app
        .api_get(&w.operator, "/api/v1/applications?overdue=true")
        .await;
    assert_eq!(overdue.as_array().unwrap().len(), 1);
    assert_eq!(overdue[0]["id"], a2.as_str());
    let to_decide = (decide_by - day(2026, 6, 5)).num_days();
    clock.advance(Duration::days(to_decide + 1));
    let r = swept().await.unwrap();
    assert_eq!((r.flagged, r.expired), (1, 0));
    let (_, d1) = w
        .app
        .api_get(&w.ent, &format!("/api/v1/applications/{a1}"))
        .await;
    assert_eq!(d1["application"]["overdue"], "decide");
    assert_eq!(kinds(&d1).last().unwrap(), "application.overdue");

    // Past the expiry (30 working days after submission) both lapse.
    let expires = rules::expires_on(day(2026, 6, 1), 30);
    let now = clock
        .now()
        .with_timezone(&xinrong_services::objections::beijing());
    clock.advance(Duration::days((expires - now.date_naive()).num_days() + 1));
    let r = swept().await.unwrap();
    assert_eq!((r.flagged, r.expired), (0, 2));
    assert_eq!(status_of(&w, &a1).await, "expired");
    assert_eq!(status_of(&w, &a2).await, "expired");
    let (_, d2) = w
        .app
        .api_get(&w.ent, &format!("/api/v1/applications/{a2}"))
        .await;
    assert_eq!(kinds(&d2).last().unwrap(), "application.expired");
    assert!(
        inbox(&w.app, "ent-1")
            .await
            .iter()
            .any(|k| k == "application.expired")
    );
    assert_eq!(swept().await.unwrap(), applications::SweepReport::default());

    // The CLI sweeps with the wall clock (months later): nothing left to do, until a new
    // application from June's clock has lapsed by then.
    let out = xinrong(
        &w.app.db_url(),
        &["applications", "sweep", "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        json!({ "flagged": 0, "expired": 0 })
    );
    let (code, _) = submit(
        &w,
        &w.ent,
        json!({ "need": need(MILLION_YUAN), "product_ids": [p1], "consent": true }),
    )
    .await;
    assert_eq!(code, 201);
    let out = xinrong(
        &w.app.db_url(),
        &["applications", "sweep", "--format", "json"],
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["expired"],
        1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = xinrong(
        &w.app.db_url(),
        &["applications", "list", "--status", "expired"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("共 3 条"), "{text}");
    // Deadlines that cannot work are refused at start.
    let out = xinrong(
        &w.app.db_url(),
        &["--finance-accept-workdays", "0", "applications", "sweep"],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("受理时限"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
on_all_backends!(deadlines_flag_overdue_once_and_expire_lapsed_applications);

/// Page helpers for the phone-width browser of `crate::browser`.
mod phone {
    use fantoccini::{Client, Locator};

    /// The text of the first element matching `css`, once there; found again if the page
    /// was replaced between finding and reading it.
    pub async fn text(browser: &Client, css: &str) -> String {
        let mut last = None;
        for _ in 0..3 {
            let el = browser
                .wait()
                .for_element(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("{css}: {e}"));
            match el.text().await {
                Ok(t) => return t,
                Err(e) => last = Some(e),
            }
        }
        panic!("{css}: {last:?}")
    }

    pub async fn click(browser: &Client, css: &str) {
        browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    pub async fn fill(browser: &Client, css: &str, value: &str) {
        let el = browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_enterprise_applies_to_two_products_and_follows_the_decision() {
    use crate::browser::{Driver, assert_no_overflow, log_in, log_out, screenshot};
    use fantoccini::Locator;
    use phone::{click, fill, text};
    let w = world(Backend::Sqlite, Arc::new(SystemClock)).await;
    let p1 = listed_product(&w, &w.bank, "工行经营快贷", (10_000_000, 500_000_000), None).await;
    let p2 = listed_product(
        &w,
        &w.other_bank,
        "农行惠农e贷",
        (20_000_000, 300_000_000),
        None,
    )
    .await;
    let picky = listed_product(
        &w,
        &w.bank,
        "工行优享贷",
        (10_000_000, 500_000_000),
        Some("A+"),
    )
    .await;
    let driver = Driver::start();
    let browser = driver.phone().await;

    // The enterprise states its need and sees the matches with their reasons.
    log_in(&browser, &w.app, "ent-1").await;
    browser.goto(&w.app.url("/financing")).await.unwrap();
    fill(&browser, "#need-form input[name=amount_wan]", "100").await;
    fill(&browser, "#need-form input[name=term_months]", "12").await;
    fill(&browser, "#need-form input[name=purpose]", "采购原材料").await;
    fill(&browser, "#need-form input[name=max_rate]", "5.5").await;
    click(&browser, "#need-form button").await;
    let fits = text(&browser, "#fits").await;
    assert!(
        fits.contains("工行经营快贷") && fits.contains("农行惠农e贷"),
        "{fits}"
    );
    assert!(fits.contains('✓'), "reasons they fit: {fits}");
    let misfits = text(&browser, &format!("#misfits li[data-product='{picky}']")).await;
    assert!(misfits.contains("A+"), "why it does not fit: {misfits}");
    assert_no_overflow(&browser, "matches").await;
    screenshot(&browser, "applications-matches-phone").await;

    // Ticks both, reads the authorizations, consents, submits.
    click(&browser, &format!("#fits input[value='{p1}']")).await;
    click(&browser, &format!("#fits input[value='{p2}']")).await;
    click(&browser, "#pick").await;
    let notice = text(&browser, "#authz-notice").await;
    assert!(notice.contains("中国工商银行"), "{notice}");
    assert!(notice.contains("中国农业银行"), "{notice}");
    assert!(notice.contains("180"), "validity: {notice}");
    assert_no_overflow(&browser, "confirm page").await;
    screenshot(&browser, "applications-confirm-phone").await;
    click(&browser, "#consent").await;
    click(&browser, "#submit").await;
    browser
        .wait()
        .for_element(Locator::Css("#submitted"))
        .await
        .unwrap();
    let list = text(&browser, "#application-list").await;
    assert!(
        list.contains("工行经营快贷") && list.contains("农行惠农e贷"),
        "{list}"
    );
    assert_no_overflow(&browser, "enterprise list").await;
    log_out(&browser).await;

    let (_, mine) = w.app.api_get(&w.ent, "/api/v1/applications").await;
    let id = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["product_id"] == p1.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The bank accepts, tries to reject without a reason, then rejects with one.
    log_in(&browser, &w.app, "bank-icbc").await;
    browser
        .goto(&w.app.url(&format!("/applications/{id}")))
        .await
        .unwrap();
    click(&browser, "#accept-form button").await;
    let status = text(&browser, "#application[data-status='accepted'] #status").await;
    assert!(status.contains("已受理"), "{status}");
    click(&browser, "#reject-form button").await;
    let alert = text(&browser, ".alert").await;
    assert!(alert.contains("理由"), "{alert}");
    assert_eq!(status_of(&w, &id).await, "accepted", "unchanged");
    fill(
        &browser,
        "#reject-form textarea[name=reason]",
        "近一年纳税记录不足",
    )
    .await;
    click(&browser, "#reject-form button").await;
    let status = text(&browser, "#application[data-status='rejected'] #status").await;
    assert!(status.contains("未通过"), "{status}");
    assert_no_overflow(&browser, "institution detail").await;
    log_out(&browser).await;

    // The enterprise follows it on the timeline.
    log_in(&browser, &w.app, "ent-1").await;
    browser
        .goto(&w.app.url(&format!("/applications/{id}")))
        .await
        .unwrap();
    let timeline = text(&browser, "#timeline").await;
    for step in ["企业提交申请", "金融机构受理", "审批未通过"] {
        assert!(timeline.contains(step), "{step}: {timeline}");
    }
    assert!(
        text(&browser, "#reason")
            .await
            .contains("近一年纳税记录不足")
    );
    assert_no_overflow(&browser, "enterprise detail").await;
    screenshot(&browser, "applications-detail-phone").await;
    browser.close().await.unwrap();
}

/// The pages through plain HTTP on every backend: the need form shows fits and misfits with
/// reasons, the confirm page names the authorizations, a submission without consent is
/// refused on the page and leaves nothing, with consent it lands on the list; the bank's
/// reject without a reason is refused on the page.
async fn the_pages_submit_with_consent_only(backend: Backend) {
    use crate::support::page_text;
    let w = world(backend, Arc::new(SystemClock)).await;
    let p1 = listed_product(&w, &w.bank, "工行经营快贷", (10_000_000, 500_000_000), None).await;
    let picky = listed_product(
        &w,
        &w.bank,
        "工行优享贷",
        (10_000_000, 500_000_000),
        Some("A+"),
    )
    .await;
    let ent = w.app.logged_in("ent-1").await;
    let need =
        "amount_wan=100&term_months=12&purpose=%E9%87%87%E8%B4%AD&guarantee=credit&max_rate=";
    let html = page_text(&ent, w.app.url(&format!("/financing?{need}"))).await;
    assert!(
        html.contains("工行经营快贷") && html.contains("工行优享贷"),
        "{html}"
    );
    assert!(
        html.contains(&format!("value=\"{p1}\"")),
        "a checkbox for the fit"
    );
    assert!(
        !html.contains(&format!("value=\"{picky}\"")),
        "no checkbox for the misfit"
    );
    let html = page_text(
        &ent,
        w.app
            .url("/financing?amount_wan=abc&term_months=12&purpose=x&guarantee=credit"),
    )
    .await;
    assert!(html.contains("请填写融资金额"), "{html}");
    let html = page_text(
        &ent,
        w.app
            .url(&format!("/financing/confirm?{need}&product={p1}")),
    )
    .await;
    assert!(
        html.contains("行政处罚") || html.contains("administrative"),
        "items named: {html}"
    );
    assert!(html.contains("180"), "validity: {html}");
    let csrf = crate::support::csrf_of(&html);
    let form = format!("csrf={csrf}&{need}&product={p1}");
    let r = ent
        .post(w.app.url("/financing"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("勾选同意"));
    assert_eq!(count(&w, &w.ent, "/api/v1/applications").await, 0);
    assert_eq!(count(&w, &w.ent, "/api/v1/authorizations").await, 0);
    let r = ent
        .post(w.app.url("/financing"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{form}&consent=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "redirect after submitting");
    let (_, mine) = w.app.api_get(&w.ent, "/api/v1/applications").await;
    let id = mine[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/applications/{id}")
    );

    let bank = w.app.logged_in("bank-icbc").await;
    let html = page_text(&bank, w.app.url(&format!("/applications/{id}"))).await;
    assert!(html.contains("accept-form"), "{html}");
    let csrf = crate::support::csrf_of(&html);
    let post = |action: &str, body: String| {
        bank.post(w.app.url(&format!("/applications/{id}/{action}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    assert_eq!(
        post("accept", format!("csrf={csrf}"))
            .await
            .unwrap()
            .status(),
        303
    );
    let r = post("reject", format!("csrf={csrf}&reason="))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("须填写理由"));
    assert_eq!(status_of(&w, &id).await, "accepted");
    // The operator's list highlights nothing overdue yet, and the enterprise sees its own.
    let html = page_text(
        &w.app.logged_in("operator").await,
        w.app.url("/applications"),
    )
    .await;
    assert!(
        html.contains(&id) && !html.contains("overdue-flag"),
        "{html}"
    );
    let html = page_text(&ent, w.app.url("/applications")).await;
    assert!(html.contains("工行经营快贷"), "{html}");
}
on_all_backends!(the_pages_submit_with_consent_only);

/// `xinrong demo` fills applications in every state (disbursed by the loans' demo), some
/// overdue and flagged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_applications_in_every_state() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        Some(DemoOptions {
            enterprises: 120,
            seed: 7,
            region: "4101".into(),
            records_per_enterprise: 3,
            finance: true,
        }),
        Arc::new(SystemClock),
    )
    .await;
    let all = applications::list_all(&app.platform, Default::default())
        .await
        .unwrap();
    for s in rules::Status::ALL {
        assert!(
            all.iter().any(|a| a.status == s.code()),
            "{} missing among {} applications",
            s.code(),
            all.len()
        );
    }
    assert!(all.iter().any(|a| a.overdue.as_deref() == Some("accept")));
    assert!(all.iter().any(|a| a.overdue.as_deref() == Some("decide")));
    assert!(all.iter().any(|a| a.overdue_flagged_at.is_some()));
    assert!(
        all.iter()
            .any(|a| a.status == "rejected" && a.reason.is_some())
    );
}
