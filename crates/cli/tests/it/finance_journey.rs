//! The financing journey across its parts, on every backend: a decision in one part changes the
//! judgement in another at once. A product for white-listed green enterprises is a misfit with
//! both reasons; the white list (government recommends, operator approves) and the green library
//! (operator approves a declaration) each remove one reason from the very next match; the
//! enterprise then applies with its consent, the bank decides, and the loan recorded against the
//! application closes it as disbursed — all visible on the enterprise's timeline.
//!
//! And the demo: `xinrong demo` fills every part, with applications in every state.

use crate::finance_applications::{World, world};
use crate::on_all_backends;
use crate::support::TestApp;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use xinrong_core::clock::SystemClock;
use xinrong_services::demo::DemoOptions;
use xinrong_store::Backend;

const PENALTY: &str = "administrative.administrative_penalty";

async fn post(w: &World, token: &str, path: &str, body: Value) -> Value {
    let (status, v) = w.app.api(Method::POST, token, path, Some(body)).await;
    assert!(status == 200 || status == 201, "POST {path}: {status} {v}");
    v
}

fn need() -> Value {
    json!({
        "amount_fen": 50_000_000, "term_months": 12, "purpose": "扩建光伏车间",
        "guarantee": "credit", "max_rate_bp": 500,
    })
}

/// Reasons the product `id` does not fit, as their criteria.
async fn unmet(w: &World, id: &str) -> Option<BTreeSet<String>> {
    let ranked = post(w, &w.ent, "/api/v1/matching", need()).await;
    if ranked["fits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["product"]["id"] == id)
    {
        return None;
    }
    let misfit = ranked["misfits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["product"]["id"] == id)
        .unwrap_or_else(|| panic!("product {id} neither fits nor misfits: {ranked}"));
    Some(
        misfit["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["met"] == false)
            .map(|r| r["criterion"].as_str().unwrap().to_owned())
            .collect(),
    )
}

async fn a_decision_in_one_part_changes_the_match_in_another(backend: Backend) {
    let w = world(backend, Arc::new(SystemClock)).await;
    let product = post(
        &w,
        &w.bank,
        "/api/v1/products",
        json!({
            "name": "绿色白名单信用贷", "kind": "credit_loan", "scenarios": ["green"],
            "description": "白名单内的绿色企业专享",
            "amount_min_fen": 10_000_000, "amount_max_fen": 300_000_000,
            "term_min_months": 6, "term_max_months": 36, "rate_min_bp": 350, "rate_max_bp": 480,
            "guarantee_types": ["credit"],
            "eligibility": { "whitelist_required": true, "green_required": true },
            "required_items": [PENALTY], "purpose_code": "pre_loan",
        }),
    )
    .await;
    let id = product["id"].as_str().unwrap().to_owned();
    post(
        &w,
        &w.bank,
        &format!("/api/v1/products/{id}/submit"),
        json!({}),
    )
    .await;
    post(
        &w,
        &w.operator,
        &format!("/api/v1/products/{id}/approve"),
        json!({}),
    )
    .await;

    let both: BTreeSet<String> = ["whitelist", "green"].map(str::to_owned).into();
    assert_eq!(unmet(&w, &id).await, Some(both));
    // Applying anyway is refused with the reasons, and nothing is created.
    let (status, refused) = w
        .app
        .api(
            Method::POST,
            &w.ent,
            "/api/v1/applications",
            Some(json!({ "need": need(), "product_ids": [id], "consent": true })),
        )
        .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (422, Some("application.product_not_fit")),
        "{refused}"
    );
    let (_, mine) = w.app.api_get(&w.ent, "/api/v1/applications").await;
    assert_eq!(mine.as_array().unwrap().len(), 0, "{mine}");

    // The white list: apply, the city government recommends, the operator approves.
    let entry = post(
        &w,
        &w.ent,
        "/api/v1/whitelist",
        json!({"reason": "连续三年纳税信用 A 级"}),
    )
    .await;
    let entry = entry["id"]
        .as_str()
        .or(entry["entry"]["id"].as_str())
        .unwrap()
        .to_owned();
    post(
        &w,
        &w.gov,
        &format!("/api/v1/whitelist/{entry}/recommend"),
        json!({"reason": "经营正常，同意推荐"}),
    )
    .await;
    post(
        &w,
        &w.operator,
        &format!("/api/v1/whitelist/{entry}/approve"),
        json!({"reason": "同意列入"}),
    )
    .await;
    let green_only: BTreeSet<String> = ["green"].map(str::to_owned).into();
    assert_eq!(unmet(&w, &id).await, Some(green_only));

    // The green library: a reviewed self-declaration.
    let declared = post(
        &w,
        &w.ent,
        "/api/v1/green/declarations",
        json!({"kind": "enterprise", "category": "clean_energy",
               "evidence": "主营分布式光伏电站运营，附发电量证明"}),
    )
    .await;
    let declaration = declared["id"]
        .as_str()
        .or(declared["entry"]["id"].as_str())
        .unwrap()
        .to_owned();
    post(
        &w,
        &w.operator,
        &format!("/api/v1/green/declarations/{declaration}/approve"),
        json!({"reason": "材料齐全"}),
    )
    .await;
    assert_eq!(unmet(&w, &id).await, None, "fits once listed and green");

    // Apply with consent; the bank accepts, reviews, approves; the loan disburses it.
    let submitted = post(
        &w,
        &w.ent,
        "/api/v1/applications",
        json!({ "need": need(), "product_ids": [id], "consent": true }),
    )
    .await;
    let application = submitted[0]["id"]
        .as_str()
        .or(submitted["applications"][0]["id"].as_str())
        .unwrap_or_else(|| panic!("application id in {submitted}"))
        .to_owned();
    for action in ["accept", "review", "approve"] {
        post(
            &w,
            &w.bank,
            &format!("/api/v1/applications/{application}/{action}"),
            json!({}),
        )
        .await;
    }
    let loan = post(
        &w,
        &w.bank,
        "/api/v1/loans",
        json!({
            "subject_uscc": facts_subject(&w).await, "contract_no": "JOURNEY-1",
            "amount_fen": 50_000_000, "rate_bp": 400, "term_months": 12,
            "guarantee": "credit", "pure_credit": true, "first_loan": true,
            "disbursed_on": "2026-11-20", "application_id": application,
        }),
    )
    .await;
    assert_eq!(loan["application_id"], application.as_str());
    let (_, detail) = w
        .app
        .api_get(&w.ent, &format!("/api/v1/applications/{application}"))
        .await;
    assert_eq!(detail["application"]["status"], "disbursed", "{detail}");
    let steps: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps.first().copied(),
        Some("application.submitted"),
        "{steps:?}"
    );
    assert_eq!(
        steps.last().copied(),
        Some("application.disbursed"),
        "{steps:?}"
    );
}
on_all_backends!(a_decision_in_one_part_changes_the_match_in_another);

/// The USCC ent-1 acts for.
async fn facts_subject(w: &World) -> String {
    let (_, me) = w.app.api_get(&w.ent, "/api/v1/me").await;
    me["org_uscc"]
        .as_str()
        .or(me["organization"]["uscc"].as_str())
        .unwrap_or_else(|| panic!("the enterprise's USCC in {me}"))
        .to_owned()
}

/// `xinrong demo` fills every part of the financing services, and every application state.
async fn the_demo_fills_every_part(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises: 300,
            seed: 3,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: true,
        }),
        Arc::new(SystemClock),
    )
    .await;
    let operator = app.token_for("operator").await;
    for path in [
        "/api/v1/products",
        "/api/v1/applications",
        "/api/v1/loans",
        "/api/v1/whitelist",
        "/api/v1/funds",
        "/api/v1/policies",
        "/api/v1/green/enterprises",
    ] {
        let (status, body) = app.api_get(&operator, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        let rows = body
            .as_array()
            .or(body["items"].as_array())
            .or(body["products"].as_array())
            .or(body["loans"].as_array())
            .or(body["entries"].as_array())
            .or(body["enterprises"].as_array())
            .unwrap_or_else(|| panic!("{path}: a list in {body}"));
        assert!(!rows.is_empty(), "{path} is empty after the demo");
    }
    let (_, applications) = app.api_get(&operator, "/api/v1/applications").await;
    let states: BTreeSet<&str> = applications
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    let every: BTreeSet<&str> = xinrong_core::finance::application::Status::ALL
        .iter()
        .map(|s| s.code())
        .collect();
    assert_eq!(states, every, "application states after the demo");
}
on_all_backends!(the_demo_fills_every_part);
