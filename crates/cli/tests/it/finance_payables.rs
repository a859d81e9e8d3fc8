//! 应付账款确认 end to end on every backend: a supplier declares a payable naming the core
//! enterprise; only the debtor confirms or disputes it; the supplier attaches confirmed payables
//! to its own application; the institution the application is addressed to sees them as
//! confirmed by the core enterprise. Bad input — a non-debtor confirming, an unconfirmed
//! payable attached, someone else's application, bad amounts, dates and invoices, steps out of
//! order — is refused with its code and nothing changes. A browser test at phone width.

use crate::objections::inbox;
use crate::on_all_backends;
use crate::support::{TestApp, page_text, xinrong};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use xinrong_core::clock::SystemClock;
use xinrong_services::demo::DemoOptions;
use xinrong_store::Backend;

pub(crate) struct World {
    pub app: TestApp,
    /// The supplier (ent-1), the core enterprise (ent-2), a stranger (ent-3).
    pub supplier: String,
    pub supplier_uscc: String,
    pub debtor: String,
    pub debtor_uscc: String,
    pub stranger: String,
    pub bank: String,
    pub other_bank: String,
    pub operator: String,
}

async fn uscc_of(app: &TestApp, token: &str) -> String {
    let (_, me) = app.api_get(token, "/api/v1/me").await;
    me["org_uscc"].as_str().expect("USCC").to_owned()
}

pub(crate) async fn world(backend: Backend) -> World {
    let app = TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises: 20,
            seed: 7,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: false,
        }),
        Arc::new(SystemClock),
    )
    .await;
    let supplier = app.token_for("ent-1").await;
    let debtor = app.token_for("ent-2").await;
    World {
        supplier_uscc: uscc_of(&app, &supplier).await,
        debtor_uscc: uscc_of(&app, &debtor).await,
        stranger: app.token_for("ent-3").await,
        bank: app.token_for("bank-icbc").await,
        other_bank: app.token_for("bank-abc").await,
        operator: app.token_for("operator").await,
        supplier,
        debtor,
        app,
    }
}

fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or_default()
}

fn due(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

impl World {
    pub async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.app.api(Method::POST, token, path, Some(body)).await
    }

    pub async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        self.app.api_get(token, path).await
    }

    pub async fn declare(&self, amount_fen: i64, invoices: &[&str]) -> (u16, Value) {
        self.post(
            &self.supplier,
            "/api/v1/payables",
            json!({
                "debtor_uscc": self.debtor_uscc, "supplier_uscc": self.supplier_uscc,
                "amount_fen": amount_fen, "due_on": due(90), "invoice_refs": invoices,
            }),
        )
        .await
    }

    /// An application of `ent` addressed to `bank`, through the products and applications API:
    /// the bank publishes an open product, the operator lists it, the enterprise applies.
    pub async fn application(&self, ent: &str, bank: &str, name: &str) -> String {
        let (s, product) = self
            .post(
                bank,
                "/api/v1/products",
                json!({
                    "name": name, "kind": "supply_chain", "scenarios": ["supply_chain"],
                    "description": "凭核心企业确认的应付账款融资",
                    "amount_min_fen": 1_000_000, "amount_max_fen": 500_000_000,
                    "term_min_months": 1, "term_max_months": 36,
                    "rate_min_bp": 300, "rate_max_bp": 800,
                    "guarantee_types": ["credit"],
                    "required_items": ["administrative.administrative_penalty"],
                    "purpose_code": "pre_loan",
                }),
            )
            .await;
        assert_eq!(s, 201, "product: {product}");
        let pid = product["id"].as_str().unwrap().to_owned();
        let (s, v) = self
            .post(bank, &format!("/api/v1/products/{pid}/submit"), json!({}))
            .await;
        assert_eq!(s, 200, "submit product: {v}");
        let (s, v) = self
            .post(
                &self.operator,
                &format!("/api/v1/products/{pid}/approve"),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "list product: {v}");
        let (s, apps) = self
            .post(
                ent,
                "/api/v1/applications",
                json!({
                    "need": { "amount_fen": 10_000_000, "term_months": 6, "purpose": "采购原材料",
                              "guarantee": "credit" },
                    "product_ids": [pid], "consent": true,
                }),
            )
            .await;
        assert_eq!(s, 201, "apply: {apps}");
        apps[0]["id"].as_str().unwrap().to_owned()
    }
}

async fn status_of(w: &World, id: &str) -> String {
    let (_, rows) = w.get(&w.supplier, "/api/v1/payables?side=supplier").await;
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .expect("payable listed")
}

async fn payables_end_to_end(backend: Backend) {
    let w = world(backend).await;
    // --- bad declarations, nothing stored ---
    let (s, v) = w.declare(0, &["04400210011100001"]).await;
    assert_eq!((s, code(&v)), (422, "payable.amount"), "{v}");
    let (s, v) = w.declare(1_000, &[]).await;
    assert_eq!((s, code(&v)), (422, "payable.invoices"), "{v}");
    let many: Vec<String> = (0..51).map(|i| format!("F{i:04}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let (s, v) = w.declare(1_000, &many).await;
    assert_eq!((s, code(&v)), (422, "payable.invoices"), "{v}");
    let (s, v) = w
        .post(
            &w.supplier,
            "/api/v1/payables",
            json!({ "debtor_uscc": w.debtor_uscc, "supplier_uscc": w.supplier_uscc,
                    "amount_fen": 1_000, "due_on": due(-1), "invoice_refs": ["X1"] }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "payable.due_past"), "{v}");
    // The stranger cannot declare between two others.
    let (s, v) = w
        .post(
            &w.stranger,
            "/api/v1/payables",
            json!({ "debtor_uscc": w.debtor_uscc, "supplier_uscc": w.supplier_uscc,
                    "amount_fen": 1_000, "due_on": due(30), "invoice_refs": ["X1"] }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "payable.not_party"), "{v}");
    let (_, none) = w.get(&w.supplier, "/api/v1/payables").await;
    assert!(none.as_array().unwrap().is_empty(), "{none}");
    // Institutions and government do not reach the enterprise routes.
    assert_eq!(w.get(&w.bank, "/api/v1/payables").await.0, 403);

    // --- declared by the supplier ---
    let (s, p1) = w
        .declare(12_000_000, &["04400210011100001", "04400210011100002"])
        .await;
    assert_eq!(s, 201, "{p1}");
    assert_eq!(p1["status"], "declared");
    let p1_id = p1["id"].as_str().unwrap().to_owned();
    // The debtor sees it to confirm.
    let (_, to_confirm) = w.get(&w.debtor, "/api/v1/payables?side=debtor").await;
    assert_eq!(to_confirm.as_array().unwrap().len(), 1);
    assert!(
        inbox(&w.app, "ent-2")
            .await
            .contains(&"payable.declared".to_owned())
    );

    // --- a non-debtor confirming: refused, unchanged ---
    for token in [&w.supplier, &w.stranger] {
        let (s, v) = w
            .post(
                token,
                &format!("/api/v1/payables/{p1_id}/confirm"),
                json!({}),
            )
            .await;
        assert_eq!((s, code(&v)), (403, "payable.not_debtor"), "{v}");
        let (s, v) = w
            .post(
                token,
                &format!("/api/v1/payables/{p1_id}/dispute"),
                json!({ "reason": "不认可" }),
            )
            .await;
        assert_eq!((s, code(&v)), (403, "payable.not_debtor"), "{v}");
    }
    assert_eq!(status_of(&w, &p1_id).await, "declared");

    // --- attaching: unconfirmed refused; someone else's application refused ---
    let app_id = w
        .application(&w.supplier, &w.bank, "应付账款融资（测试）")
        .await;
    let other_app = w
        .application(&w.stranger, &w.other_bank, "应付账款融资（他行）")
        .await;
    let attach = format!("/api/v1/applications/{app_id}/payables");
    let (s, v) = w
        .post(&w.supplier, &attach, json!({ "payable_id": p1_id }))
        .await;
    assert_eq!((s, code(&v)), (422, "payable.not_confirmed"), "{v}");
    let (_, listed) = w.get(&w.supplier, &attach).await;
    assert!(
        listed["attached"].as_array().unwrap().is_empty(),
        "{listed}"
    );

    // --- the debtor confirms; again is out of order ---
    let (s, c) = w
        .post(
            &w.debtor,
            &format!("/api/v1/payables/{p1_id}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!((s, c["status"].as_str()), (200, Some("confirmed")), "{c}");
    assert!(c["confirmed_at"].is_string());
    let (s, v) = w
        .post(
            &w.debtor,
            &format!("/api/v1/payables/{p1_id}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "payable.state"), "{v}");
    let (s, v) = w
        .post(
            &w.debtor,
            &format!("/api/v1/payables/{p1_id}/dispute"),
            json!({ "reason": "晚了" }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "payable.state"), "{v}");
    assert!(
        inbox(&w.app, "ent-1")
            .await
            .contains(&"payable.confirmed".to_owned())
    );

    // Someone else's application: not found, nothing attached there.
    let (s, _) = w
        .post(
            &w.supplier,
            &format!("/api/v1/applications/{other_app}/payables"),
            json!({ "payable_id": p1_id }),
        )
        .await;
    assert_eq!(s, 404);
    let (_, theirs) = w
        .get(
            &w.stranger,
            &format!("/api/v1/applications/{other_app}/payables"),
        )
        .await;
    assert!(
        theirs["attached"].as_array().unwrap().is_empty(),
        "{theirs}"
    );
    // The debtor cannot attach the supplier's payable to anything of its own either.
    let (s, _) = w
        .post(&w.debtor, &attach, json!({ "payable_id": p1_id }))
        .await;
    assert_eq!(s, 404, "not the debtor's application");

    // --- attached; idempotent ---
    for _ in 0..2 {
        let (s, a) = w
            .post(&w.supplier, &attach, json!({ "payable_id": p1_id }))
            .await;
        assert_eq!(s, 200, "{a}");
        assert_eq!(a["attached"].as_array().unwrap().len(), 1);
    }

    // --- the institution sees it confirmed by the core enterprise; others do not ---
    let (s, seen) = w.get(&w.bank, &attach).await;
    assert_eq!(s, 200, "{seen}");
    let first = &seen["attached"][0];
    assert_eq!(first["label"], "核心企业已确认");
    assert_eq!(first["payable"]["debtor_uscc"], w.debtor_uscc.as_str());
    assert!(first["payable"]["confirmed_by_name"].is_string());
    assert!(first["payable"]["confirmed_at"].is_string());
    assert_eq!(seen["can_attach"], false);
    assert_eq!(w.get(&w.other_bank, &attach).await.0, 404);
    assert_eq!(w.get(&w.stranger, &attach).await.0, 404);
    assert_eq!(w.get(&w.operator, &attach).await.0, 200);
    assert!(
        inbox(&w.app, "bank-icbc")
            .await
            .contains(&"payable.attached".to_owned())
    );
    // The bank's payables page lists it as confirmed by the core enterprise.
    let client = w.app.logged_in("bank-icbc").await;
    let html = page_text(&client, w.app.url("/payables")).await;
    assert!(
        html.contains("attached-list") && html.contains("核心企业已确认"),
        "{html}"
    );
    // The HTML fragment the application page loads.
    let client = w.app.logged_in("bank-icbc").await;
    let html = page_text(
        &client,
        w.app.url(&format!("/applications/{app_id}/payables")),
    )
    .await;
    assert!(
        html.contains("核心企业已确认") && !html.contains("<html"),
        "{html}"
    );
    let client = w.app.logged_in("ent-1").await;
    let html = page_text(
        &client,
        w.app.url(&format!("/applications/{app_id}/payables")),
    )
    .await;
    assert!(html.contains("核心企业已确认"), "{html}");

    // --- disputed by the debtor, with a reason; registered directly by the debtor ---
    let (_, p2) = w.declare(3_000_000, &["F-2"]).await;
    let p2_id = p2["id"].as_str().unwrap();
    let (s, v) = w
        .post(
            &w.debtor,
            &format!("/api/v1/payables/{p2_id}/dispute"),
            json!({ "reason": "" }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "payable.reason_required"), "{v}");
    let (s, d) = w
        .post(
            &w.debtor,
            &format!("/api/v1/payables/{p2_id}/dispute"),
            json!({ "reason": "货物未验收" }),
        )
        .await;
    assert_eq!((s, d["status"].as_str()), (200, Some("disputed")), "{d}");
    let (s, v) = w
        .post(&w.supplier, &attach, json!({ "payable_id": p2_id }))
        .await;
    assert_eq!((s, code(&v)), (422, "payable.not_confirmed"), "{v}");
    let (s, r) = w
        .post(
            &w.debtor,
            "/api/v1/payables",
            json!({ "debtor_uscc": w.debtor_uscc, "supplier_uscc": w.supplier_uscc,
                    "amount_fen": 5_000_000, "due_on": due(60), "invoice_refs": ["F-3"] }),
        )
        .await;
    assert_eq!((s, r["status"].as_str()), (201, Some("confirmed")), "{r}");
    assert_eq!(r["registered_by_debtor"], true);

    // The CLI lists them.
    let out = xinrong(&w.app.db_url(), &["payables", "list", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
}
on_all_backends!(payables_end_to_end);

/// The core enterprise confirms a payable on its phone; the supplier's application page loads
/// the payables fragment (htmx) and attaches it; everything fits 390 px.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enterprise_confirms_and_attaches_on_a_phone() {
    use crate::finance_funds::phone::*;
    use fantoccini::Locator;
    let w = world(Backend::Sqlite).await;
    let (s, p) = w
        .declare(8_800_000, &["04400210011100088", "04400210011100089"])
        .await;
    assert_eq!(s, 201, "{p}");
    let app_id = w.application(&w.supplier, &w.bank, "订单贷（手机）").await;

    let driver = Driver::start();
    let browser = driver.phone().await;
    log_in(&browser, &w.app, "ent-2").await;
    browser
        .goto(&w.app.url("/payables?tab=debtor"))
        .await
        .unwrap();
    assert!(text(&browser, "#payable-list").await.contains("88,000.00"));
    assert_no_overflow(&browser, "payables to confirm").await;
    click_and_wait(&browser, ".confirm-form button").await;
    browser
        .wait()
        .for_element(Locator::Css("tr[data-status='confirmed']"))
        .await
        .expect("confirmed");
    assert_no_overflow(&browser, "payables after confirming").await;
    screenshot(&browser, "payables-debtor-phone").await;
    browser
        .find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Id("login-form"))
        .await
        .unwrap();

    log_in(&browser, &w.app, "ent-1").await;
    browser
        .goto(&w.app.url("/payables?tab=supplier"))
        .await
        .unwrap();
    assert_no_overflow(&browser, "payables declared by me").await;
    browser
        .goto(&w.app.url(&format!("/applications/{app_id}")))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#attach-form"))
        .await
        .expect("the payables fragment loads with its attach form");
    click_and_wait(&browser, "#attach-form button").await;
    browser
        .wait()
        .for_element(Locator::Css("#application-payable-list .confirmed-label"))
        .await
        .expect("attached");
    assert!(
        text(&browser, "#application-payables")
            .await
            .contains("核心企业已确认")
    );
    assert_no_overflow(&browser, "application with payables").await;
    screenshot(&browser, "payables-application-phone").await;
    browser.close().await.unwrap();
}
