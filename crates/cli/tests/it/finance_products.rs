//! 金融产品 end to end on every backend: an institution creates a draft and submits it; the
//! operator rejects (a reason is required) or approves; a listed product appears in the public
//! supermarket and can be found by its filters; strangers, enterprises and anonymous callers are
//! refused; bad terms are refused with their codes and nothing changes; matching ranks fits with
//! their reasons and misfits with why not; an amount outside every range fits nothing. The CLI
//! lists, publishes from JSON and reviews. A browser at 390 px filters the supermarket
//! anonymously and the operator approves a product.

use crate::on_all_backends;
use crate::support::{TestApp, xinrong};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use xinrong_core::clock::SystemClock;
use xinrong_services::demo::DemoOptions;
use xinrong_store::Backend;

struct World {
    app: TestApp,
    bank: String,
    bank_org: String,
    other_bank: String,
    operator: String,
    ent: String,
    uscc: String,
}

async fn world(backend: Backend) -> World {
    let app = TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises: 12,
            seed: 7,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: false,
        }),
        Arc::new(SystemClock),
    )
    .await;
    let bank = app.token_for("bank-icbc").await;
    let (_, me) = app.api_get(&bank, "/api/v1/me").await;
    let ent = app.token_for("ent-1").await;
    let (_, ent_me) = app.api_get(&ent, "/api/v1/me").await;
    World {
        bank_org: me["org_id"].as_str().expect("org id").to_owned(),
        uscc: ent_me["org_uscc"].as_str().expect("uscc").to_owned(),
        other_bank: app.token_for("bank-abc").await,
        operator: app.token_for("operator").await,
        bank,
        ent,
        app,
    }
}

fn product(name: &str) -> Value {
    json!({
        "name": name,
        "kind": "credit_loan",
        "scenarios": ["tech", "bidding"],
        "description": "纯信用、线上申请",
        "amount_min_fen": 10_000_000,
        "amount_max_fen": 300_000_000,
        "term_min_months": 3,
        "term_max_months": 36,
        "rate_min_bp": 365,
        "rate_max_bp": 600,
        "guarantee_types": ["credit", "guarantee"],
        "eligibility": { "excluded_tags": ["dishonest_debtor"], "regions": ["41"] },
        "required_items": ["tax.tax_credit_rating"],
        "purpose_code": "pre_loan"
    })
}

async fn anonymous(app: &TestApp, path: &str) -> (u16, Value) {
    let r = reqwest::get(app.url(path)).await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn status_of(w: &World, id: &str) -> String {
    let (code, d) = w
        .app
        .api_get(&w.operator, &format!("/api/v1/products/{id}"))
        .await;
    assert_eq!(code, 200, "{d}");
    d["product"]["status"].as_str().unwrap().to_owned()
}

async fn count_products(w: &World) -> usize {
    let (code, rows) = w.app.api_get(&w.operator, "/api/v1/products/manage").await;
    assert_eq!(code, 200, "{rows}");
    rows.as_array().unwrap().len()
}

/// Creates, submits and approves a product; its id.
async fn listed(w: &World, body: Value) -> String {
    let (code, p) = w
        .app
        .api(Method::POST, &w.bank, "/api/v1/products", Some(body))
        .await;
    assert_eq!(code, 201, "{p}");
    let id = p["id"].as_str().unwrap().to_owned();
    let (code, p) = w
        .app
        .api(
            Method::POST,
            &w.bank,
            &format!("/api/v1/products/{id}/submit"),
            None,
        )
        .await;
    assert_eq!(code, 200, "{p}");
    let (code, p) = w
        .app
        .api(
            Method::POST,
            &w.operator,
            &format!("/api/v1/products/{id}/approve"),
            None,
        )
        .await;
    assert_eq!(code, 200, "{p}");
    id
}

async fn review_workflow(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;

    // Enterprises and anonymous callers cannot create; bad terms are refused with codes.
    let (code, e) = app
        .api(Method::POST, &w.ent, "/api/v1/products", Some(product("x")))
        .await;
    assert_eq!((code, e["code"].as_str()), (403, Some("auth.forbidden")));
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/products"))
        .json(&product("x"))
        .send()
        .await
        .unwrap();
    // Refused before the handler: no credentials (401) or, for a cookie-less POST, no CSRF token (403).
    assert!([401, 403].contains(&r.status().as_u16()), "{}", r.status());
    let bad = [
        ("amount_min_fen", json!(400_000_000), "product.amount"),
        ("amount_min_fen", json!(0), "product.amount"),
        ("term_min_months", json!(48), "product.term"),
        ("rate_max_bp", json!(5000), "product.rate"),
        ("guarantee_types", json!([]), "product.guarantee"),
        (
            "required_items",
            json!(["no.such_item"]),
            "product.required_items",
        ),
        ("required_items", json!([]), "product.required_items"),
        ("purpose_code", json!("marketing"), "product.purpose"),
        ("name", json!("  "), "product.name"),
        (
            "eligibility",
            json!({ "min_grade": "Z" }),
            "eligibility.grade",
        ),
    ];
    for (field, value, expected) in bad {
        let mut body = product("坏产品");
        body[field] = value;
        let (code, e) = app
            .api(Method::POST, &w.bank, "/api/v1/products", Some(body))
            .await;
        assert_eq!(
            (code, e["code"].as_str()),
            (422, Some(expected)),
            "{field}: {e}"
        );
    }
    assert_eq!(count_products(&w).await, 0, "nothing written by bad input");

    // A draft: not public, not another bank's, the operator's and its own.
    let (code, p) = app
        .api(
            Method::POST,
            &w.bank,
            "/api/v1/products",
            Some(product("科技快贷")),
        )
        .await;
    assert_eq!(code, 201, "{p}");
    assert_eq!(p["status"], "draft");
    let id = p["id"].as_str().unwrap().to_owned();
    // A retried create with the same content is the same product; other content under the name is refused.
    let (code, again) = app
        .api(
            Method::POST,
            &w.bank,
            "/api/v1/products",
            Some(product("科技快贷")),
        )
        .await;
    assert_eq!((code, again["id"].as_str()), (201, Some(id.as_str())));
    let mut changed = product("科技快贷");
    changed["rate_min_bp"] = json!(400);
    let (code, e) = app
        .api(Method::POST, &w.bank, "/api/v1/products", Some(changed))
        .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("product.name_taken"))
    );
    assert_eq!(
        anonymous(app, &format!("/api/v1/products/{id}")).await.0,
        404
    );
    let (code, _) = app
        .api_get(&w.other_bank, &format!("/api/v1/products/{id}"))
        .await;
    assert_eq!(code, 404, "another institution's draft is not found");
    let (code, _) = app
        .api_get(&w.bank, &format!("/api/v1/products/{id}"))
        .await;
    assert_eq!(code, 200);
    let (code, e) = app
        .api(
            Method::PUT,
            &w.other_bank,
            &format!("/api/v1/products/{id}"),
            Some(product("抢来的")),
        )
        .await;
    assert_eq!((code, e["code"].as_str()), (404, Some("not_found")));
    let (code, _) = app
        .api(
            Method::POST,
            &w.other_bank,
            &format!("/api/v1/products/{id}/submit"),
            None,
        )
        .await;
    assert_eq!(code, 404);
    let (_, page) = anonymous(app, "/api/v1/products").await;
    assert!(
        !ids(&page).contains(&id),
        "a draft is not in the supermarket"
    );

    // Out of order: approving a draft.
    let (code, e) = app
        .api(
            Method::POST,
            &w.operator,
            &format!("/api/v1/products/{id}/approve"),
            None,
        )
        .await;
    assert_eq!((code, e["code"].as_str()), (422, Some("product.state")));
    assert_eq!(status_of(&w, &id).await, "draft");

    // Edit the draft, submit; the operators are told.
    let mut edited = product("科技快贷");
    edited["amount_max_fen"] = json!(500_000_000);
    let (code, p) = app
        .api(
            Method::PUT,
            &w.bank,
            &format!("/api/v1/products/{id}"),
            Some(edited),
        )
        .await;
    assert_eq!(
        (code, p["terms"]["amount_max_fen"].as_i64()),
        (200, Some(500_000_000))
    );
    let (code, p) = app
        .api(
            Method::POST,
            &w.bank,
            &format!("/api/v1/products/{id}/submit"),
            None,
        )
        .await;
    assert_eq!((code, p["status"].as_str()), (200, Some("pending")));
    assert!(
        crate::objections::inbox(app, "operator")
            .await
            .contains(&"product.submitted".to_owned())
    );
    let (code, queue) = app.api_get(&w.operator, "/api/v1/products/review").await;
    assert_eq!(code, 200);
    assert!(
        queue
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id.as_str())
    );
    let (code, _) = app.api_get(&w.bank, "/api/v1/products/review").await;
    assert_eq!(code, 403, "the queue is the operator's");

    // Rejection needs a reason; nothing changes without one.
    let (code, e) = app
        .api(
            Method::POST,
            &w.operator,
            &format!("/api/v1/products/{id}/reject"),
            Some(json!({ "reason": "  " })),
        )
        .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("product.reason_required"))
    );
    assert_eq!(status_of(&w, &id).await, "pending");
    let (code, e) = app
        .api(
            Method::POST,
            &w.bank,
            &format!("/api/v1/products/{id}/approve"),
            None,
        )
        .await;
    assert_eq!((code, e["code"].as_str()), (403, Some("auth.forbidden")));
    let (code, e) = app
        .api(
            Method::PUT,
            &w.bank,
            &format!("/api/v1/products/{id}"),
            Some(product("科技快贷")),
        )
        .await;
    assert_eq!(
        (code, e["code"].as_str()),
        (422, Some("product.state")),
        "pending is not editable"
    );
    let (code, p) = app
        .api(
            Method::POST,
            &w.operator,
            &format!("/api/v1/products/{id}/reject"),
            Some(json!({ "reason": "请补充利率定价依据" })),
        )
        .await;
    assert_eq!((code, p["status"].as_str()), (200, Some("rejected")));
    assert_eq!(p["review_reason"], "请补充利率定价依据");
    assert!(
        crate::objections::inbox(app, "bank-icbc")
            .await
            .contains(&"product.rejected".to_owned())
    );

    // Submitted again and approved: listed, public, found by its filters.
    let (code, _) = app
        .api(
            Method::POST,
            &w.bank,
            &format!("/api/v1/products/{id}/submit"),
            None,
        )
        .await;
    assert_eq!(code, 200);
    let (code, p) = app
        .api(
            Method::POST,
            &w.operator,
            &format!("/api/v1/products/{id}/approve"),
            None,
        )
        .await;
    assert_eq!((code, p["status"].as_str()), (200, Some("listed")));
    let (code, d) = anonymous(app, &format!("/api/v1/products/{id}")).await;
    assert_eq!(code, 200);
    assert!(
        d["timeline"].as_array().unwrap().is_empty(),
        "no timeline for the public"
    );
    assert!(
        d["product"]["eligibility_zh"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().contains("失信被执行人")),
        "{d}"
    );
    let (_, d) = app
        .api_get(&w.operator, &format!("/api/v1/products/{id}"))
        .await;
    let kinds: Vec<&str> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "product.created",
            "product.updated",
            "product.submitted",
            "product.rejected",
            "product.submitted",
            "product.approved"
        ]
    );
    for (query, found) in [
        ("", true),
        ("?kind=credit_loan&scenario=tech&guarantee=credit", true),
        ("?amount_fen=50000000&term_months=12", true),
        ("?amount_fen=600000000", false),
        ("?term_months=48", false),
        ("?guarantee=mortgage", false),
        ("?kind=insurance", false),
        ("?region=4101", true),
        ("?region=31", false),
        ("?q=%E7%A7%91%E6%8A%80", true),
        ("?q=nothing-like-it", false),
    ] {
        let (code, page) = anonymous(app, &format!("/api/v1/products{query}")).await;
        assert_eq!(code, 200, "{query}: {page}");
        assert_eq!(ids(&page).contains(&id), found, "{query}");
    }
    let (code, e) = anonymous(app, "/api/v1/products?kind=rocket").await;
    assert_eq!((code, e["code"].as_str()), (422, Some("product.kind")));

    // Listed products are not edited: delisted first (by its institution), then editable.
    let (code, e) = app
        .api(
            Method::PUT,
            &w.bank,
            &format!("/api/v1/products/{id}"),
            Some(product("科技快贷")),
        )
        .await;
    assert_eq!((code, e["code"].as_str()), (422, Some("product.state")));
    let (code, e) = app
        .api(
            Method::POST,
            &w.other_bank,
            &format!("/api/v1/products/{id}/delist"),
            None,
        )
        .await;
    assert_eq!((code, e["code"].as_str()), (404, Some("not_found")));
    let (code, p) = app
        .api(
            Method::POST,
            &w.bank,
            &format!("/api/v1/products/{id}/delist"),
            None,
        )
        .await;
    assert_eq!((code, p["status"].as_str()), (200, Some("delisted")));
    let (_, page) = anonymous(app, "/api/v1/products").await;
    assert!(!ids(&page).contains(&id));
    assert_eq!(
        anonymous(app, &format!("/api/v1/products/{id}")).await.0,
        404
    );

    // The CLI: publish from JSON as another bank, list, review.
    let db = app.db_url();
    let file = crate::support::temp_file(product("CLI 产品").to_string());
    let out = xinrong(
        &db,
        &[
            "products",
            "publish",
            "--as",
            "bank-abc-missing",
            "--file",
            file.0.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success(), "unknown org refused");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("org.unknown"),
        "{out:?}"
    );
    let (_, abc) = app.api_get(&w.other_bank, "/api/v1/me").await;
    let abc_org = abc["org_id"].as_str().unwrap();
    let out = xinrong(
        &db,
        &[
            "products",
            "publish",
            "--as",
            abc_org,
            "--file",
            file.0.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let published: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(published["status"], "pending");
    let cli_id = published["id"].as_str().unwrap().to_owned();
    let out = xinrong(&db, &["products", "review", &cli_id, "--reject"]);
    assert!(!out.status.success(), "--reject without --reason");
    let out = xinrong(
        &db,
        &["products", "review", &cli_id, "--reject", "--reason", " "],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("product.reason_required"),
        "{out:?}"
    );
    assert_eq!(status_of(&w, &cli_id).await, "pending");
    let out = xinrong(&db, &["products", "review", &cli_id, "--approve"]);
    assert!(out.status.success(), "{out:?}");
    let out = xinrong(
        &db,
        &["products", "list", "--status", "listed", "--format", "json"],
    );
    assert!(out.status.success(), "{out:?}");
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed_ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed_ids, [cli_id.as_str()]);
    let out = xinrong(&db, &["products", "list", "--status", "bogus"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("product.status"));
    let _ = &w.bank_org;
}
on_all_backends!(review_workflow);

async fn matching(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    xinrong_services::evaluation::evaluate_subject(&app.platform, &w.uscc)
        .await
        .expect("evaluate ent-1");
    let facts = xinrong_services::finance::facts::gather(&app.platform.db.conn, &w.uscc)
        .await
        .unwrap()
        .expect("facts");
    let grade = facts.grade.clone().expect("a grade after evaluation");

    // Fits: its grade at least, small amounts. Misfits: white list required; a dearer one
    // with a range above the need.
    let mut open = product("按等级准入");
    open["eligibility"] = json!({ "min_grade": grade });
    open["rate_min_bp"] = json!(400);
    let open = listed(&w, open).await;
    let mut cheap = product("低息信用贷");
    cheap["eligibility"] = json!({});
    cheap["rate_min_bp"] = json!(300);
    let cheap = listed(&w, cheap).await;
    let mut white = product("白名单专享");
    white["eligibility"] = json!({ "whitelist_required": true });
    let white = listed(&w, white).await;
    let mut big = product("大额贷");
    big["amount_min_fen"] = json!(1_000_000_000);
    big["amount_max_fen"] = json!(5_000_000_000i64);
    big["eligibility"] = json!({});
    let big = listed(&w, big).await;

    let need = json!({
        "amount_fen": 50_000_000, "term_months": 12, "purpose": "采购原材料",
        "guarantee": "credit", "max_rate_bp": 500
    });
    let (code, ranked) = app
        .api(Method::POST, &w.ent, "/api/v1/matching", Some(need.clone()))
        .await;
    assert_eq!(code, 200, "{ranked}");
    let fit_ids: Vec<&str> = ranked["fits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["product"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        fit_ids,
        [cheap.as_str(), open.as_str()],
        "cheaper first: {ranked}"
    );
    let first = &ranked["fits"][1];
    let criteria: Vec<&str> = first["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["criterion"].as_str().unwrap())
        .collect();
    assert_eq!(criteria, ["amount", "term", "guarantee", "rate", "grade"]);
    assert!(
        first["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["met"] == true)
    );
    let misfit = |id: &str| {
        ranked["misfits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["product"]["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} among the misfits: {ranked}"))
    };
    let unmet = |m: &Value| -> Vec<String> {
        m["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["met"] == false)
            .map(|r| r["criterion"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(unmet(&misfit(&white)), ["whitelist"]);
    let big_misfit = misfit(&big);
    assert_eq!(unmet(&big_misfit), ["amount"]);
    assert!(
        big_misfit["reasons"][0]["reason_zh"]
            .as_str()
            .unwrap()
            .contains("低于最低额度"),
        "{big_misfit}"
    );

    // An amount outside every product's range fits nothing; every product says why.
    let mut huge = need.clone();
    huge["amount_fen"] = json!(90_000_000_000i64);
    let (code, ranked) = app
        .api(Method::POST, &w.ent, "/api/v1/matching", Some(huge))
        .await;
    assert_eq!(code, 200, "{ranked}");
    assert!(ranked["fits"].as_array().unwrap().is_empty());
    assert_eq!(ranked["misfits"].as_array().unwrap().len(), 4);
    for m in ranked["misfits"].as_array().unwrap() {
        assert!(unmet(m).contains(&"amount".to_owned()), "{m}");
    }

    // A need that breaks a rule, and callers who are not an enterprise.
    let mut bad = need.clone();
    bad["term_months"] = json!(0);
    let (code, e) = app
        .api(Method::POST, &w.ent, "/api/v1/matching", Some(bad))
        .await;
    assert_eq!((code, e["code"].as_str()), (422, Some("need.term")));
    let (code, _) = app
        .api(
            Method::POST,
            &w.bank,
            "/api/v1/matching",
            Some(need.clone()),
        )
        .await;
    assert_eq!(code, 403);
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/matching"))
        .json(&need)
        .send()
        .await
        .unwrap();
    assert!([401, 403].contains(&r.status().as_u16()), "{}", r.status());
}
on_all_backends!(matching);

/// The institution's form: Chinese errors beside the kept values, nothing written; a valid
/// form makes a draft; another institution's edit page is not found; the enterprise cannot open
/// the form.
async fn form_pages(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let bank = app.logged_in("bank-icbc").await;
    let csrf = app.csrf_of_session(&bank).await;
    let html = crate::support::page_text(&bank, app.url("/products/new")).await;
    assert!(html.contains("id=\"product-form\""), "{html}");
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("name", "表单产品"),
        ("kind", "credit_loan"),
        ("scenario", "tech"),
        ("scenario", "green"),
        ("amount_min", "500"),
        ("amount_max", "100"),
        ("term_min", "3"),
        ("term_max", "36"),
        ("rate_min", "3.85"),
        ("rate_max", "6"),
        ("guarantee", "credit"),
        ("required_items", "tax.tax_credit_rating"),
        ("purpose", "pre_loan"),
        ("min_grade", "B+"),
        ("excluded_tags", "dishonest_debtor"),
    ];
    let r = bank
        .post(app.url("/products/new"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("最低额度不能高于最高额度"), "{html}");
    assert!(
        html.contains("value=\"表单产品\""),
        "the typed values are kept"
    );
    assert_eq!(count_products(&w).await, 0);
    fields[5] = ("amount_min", "50");
    fields[6] = ("amount_max", "300.5");
    let r = bank
        .post(app.url("/products/new"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    let id = to.trim_start_matches("/products/").to_owned();
    let (_, d) = app
        .api_get(&w.bank, &format!("/api/v1/products/{id}"))
        .await;
    let p = &d["product"];
    assert_eq!(p["terms"]["amount_min_fen"], 50_000_000);
    assert_eq!(p["terms"]["amount_max_fen"], 300_500_000);
    assert_eq!(p["terms"]["rate_min_bp"], 385);
    assert_eq!(p["scenarios"], json!(["tech", "green"]));
    assert_eq!(p["eligibility"]["min_grade"], "B+");
    let html = crate::support::page_text(&bank, app.url(&to)).await;
    assert!(
        html.contains("评价等级") && html.contains("id=\"submit-form\""),
        "{html}"
    );
    let edit = crate::support::page_text(&bank, app.url(&format!("{to}/edit"))).await;
    assert!(
        edit.contains("value=\"300.5\""),
        "the form shows 万元: {edit}"
    );
    let other = app.logged_in("bank-abc").await;
    let r = other
        .get(app.url(&format!("{to}/edit")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let ent = app.logged_in("ent-1").await;
    let r = ent.get(app.url("/products/new")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // The supermarket and the queue render; a bad filter says why.
    let r = reqwest::get(app.url("/products?amount=abc")).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("万元"));
    let operator = app.logged_in("operator").await;
    let html = crate::support::page_text(&operator, app.url("/products/review")).await;
    assert!(html.contains("id=\"product-review\""));
}
on_all_backends!(form_pages);

/// At phone width (390 px): an anonymous visitor filters the supermarket; the operator approves
/// a pending product from the review queue and it is listed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_filters_the_supermarket_and_the_operator_approves_on_a_phone() {
    use crate::browser::{Driver, assert_no_overflow, log_in, screenshot_dir};
    use crate::support::demo_user;
    use fantoccini::Locator;
    use xinrong_core::role::Role;

    let w = world(Backend::Sqlite).await;
    let app = &w.app;
    listed(&w, product("信用快贷")).await;
    let mut insurance = product("贷款保证保险");
    insurance["kind"] = json!("insurance");
    let insurance = listed(&w, insurance).await;
    let (code, pending) = app
        .api(
            Method::POST,
            &w.bank,
            "/api/v1/products",
            Some(product("待审产品")),
        )
        .await;
    assert_eq!(code, 201, "{pending}");
    let pending = pending["id"].as_str().unwrap().to_owned();
    let (code, _) = app
        .api(
            Method::POST,
            &w.bank,
            &format!("/api/v1/products/{pending}/submit"),
            None,
        )
        .await;
    assert_eq!(code, 200);

    let driver = Driver::start();
    let dir = screenshot_dir();
    let browser = driver.client(390, 844).await;

    // Anonymous: two listed products, the pending one not among them; filter by kind.
    browser.goto(&app.url("/products")).await.unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#product-count[data-total='2']"))
        .await
        .expect("two listed products");
    assert!(!browser.source().await.unwrap().contains(&pending));
    browser
        .find(Locator::Id("login-link"))
        .await
        .expect("a login link, no menu");
    assert_no_overflow(&browser, "the supermarket").await;
    let form = browser.form(Locator::Id("product-filters")).await.unwrap();
    form.set_by_name("kind", "insurance").await.unwrap();
    form.submit().await.unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#product-count[data-total='1']"))
        .await
        .expect("one insurance product");
    browser
        .find(Locator::Css(&format!("tr[data-product='{insurance}']")))
        .await
        .expect("the insurance product");
    assert_no_overflow(&browser, "the filtered supermarket").await;
    std::fs::write(
        dir.join("products-supermarket-phone.png"),
        browser.screenshot().await.unwrap(),
    )
    .unwrap();

    // The operator approves from the queue.
    log_in(&browser, app, demo_user(Role::Operator)).await;
    browser.goto(&app.url("/products/review")).await.unwrap();
    browser
        .wait()
        .for_element(Locator::Css(&format!("tr[data-product='{pending}']")))
        .await
        .expect("the pending product in the queue");
    assert_no_overflow(&browser, "the review queue").await;
    browser
        .find(Locator::Css(&format!(
            "tr[data-product='{pending}'] form.approve button"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#product-review p.empty"))
        .await
        .expect("an empty queue after approval");
    browser
        .goto(&app.url(&format!("/products/{pending}")))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#product[data-status='listed']"))
        .await
        .expect("the product is listed");
    assert!(browser.source().await.unwrap().contains("product.approved"));
    assert_no_overflow(&browser, "the product page").await;

    // The institution's form fits the phone too.
    browser.delete_all_cookies().await.unwrap();
    log_in(&browser, app, "bank-icbc").await;
    browser.goto(&app.url("/products/new")).await.unwrap();
    browser
        .wait()
        .for_element(Locator::Id("product-form"))
        .await
        .expect("the product form");
    assert_no_overflow(&browser, "the product form").await;
    browser.close().await.unwrap();
}
