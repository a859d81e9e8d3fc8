//! 风险补偿基金 end to end on every backend: a district government creates a fund and tops it
//! up (API and CLI); a bank registers its loans, claims on a default with documents; the
//! manager approves at the computed payout and pays. Bad input: a claim on a loan not in the
//! pool, beyond the cap, out of order, a double payment, a payout the balance cannot carry, a
//! government outside the jurisdiction, a stranger acting as manager — each refused with its
//! code and nothing changed. A browser test shows the fund to its government at phone width.

use crate::objections::{inbox, pdf};
use crate::on_all_backends;
use crate::support::{TestApp, xinrong};
use reqwest::Method;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::sync::Arc;
use xinrong_core::clock::SystemClock;
use xinrong_services::demo::DemoOptions;
use xinrong_store::Backend;

/// A demo city with a district (county A) enterprise as borrower, the district's government,
/// a neighbouring district's, the city's, two banks, the operator and an enterprise.
pub(crate) struct World {
    pub app: TestApp,
    pub gov_a: String,
    pub gov_a_user: String,
    pub gov_a_org: String,
    pub gov_b: String,
    pub city_gov: String,
    pub bank: String,
    pub other_bank: String,
    pub operator: String,
    pub ent: String,
    /// A borrower registered in county A.
    pub subject: String,
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
    let conn = &app.platform.db.conn;
    let orgs = xinrong_store::repo::organizations::list(conn, Some("government"))
        .await
        .unwrap();
    let counties: Vec<String> = orgs
        .iter()
        .filter_map(|o| o.region_code.clone())
        .filter(|r| !r.ends_with("00"))
        .collect();
    let mut enterprises = xinrong_store::entity::enterprise::Entity::find()
        .all(conn)
        .await
        .unwrap();
    enterprises.sort_by(|a, b| a.uscc.cmp(&b.uscc));
    let borrower = enterprises
        .iter()
        .find(|e| counties.contains(&e.region_code))
        .expect("an enterprise in a district");
    let county_a = borrower.region_code.clone();
    let county_b = counties
        .iter()
        .find(|c| **c != county_a)
        .expect("a second district")
        .clone();
    let gov_a_org = orgs
        .iter()
        .find(|o| o.region_code.as_deref() == Some(county_a.as_str()))
        .unwrap()
        .id
        .clone();
    let gov_a_user = format!("gov-{county_a}");
    World {
        gov_a: app.token_for(&gov_a_user).await,
        gov_b: app.token_for(&format!("gov-{county_b}")).await,
        city_gov: app.token_for("gov").await,
        bank: app.token_for("bank-icbc").await,
        other_bank: app.token_for("bank-abc").await,
        operator: app.token_for("operator").await,
        ent: app.token_for("ent-1").await,
        subject: borrower.uscc.clone(),
        gov_a_user,
        gov_a_org,
        app,
    }
}

impl World {
    pub async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.app.api(Method::POST, token, path, Some(body)).await
    }

    pub async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        self.app.api_get(token, path).await
    }

    /// A loan of `token`'s bank to the county-A borrower; its ID.
    pub async fn loan(&self, token: &str, contract: &str, amount_fen: i64) -> String {
        let disbursed = chrono::Utc::now().date_naive() - chrono::Duration::days(30);
        let (s, v) = self
            .post(
                token,
                "/api/v1/loans",
                json!({
                    "subject_uscc": self.subject, "contract_no": contract,
                    "amount_fen": amount_fen, "rate_bp": 385, "term_months": 12,
                    "guarantee": "credit", "pure_credit": true, "disbursed_on": disbursed,
                }),
            )
            .await;
        assert_eq!(s, 201, "record loan {contract}: {v}");
        v["id"].as_str().expect("loan id").to_owned()
    }

    pub async fn default_loan(&self, token: &str, loan: &str) {
        let (s, v) = self
            .post(
                token,
                &format!("/api/v1/loans/{loan}/status"),
                json!({ "status": "default", "note": "借款人停止还款" }),
            )
            .await;
        assert_eq!(s, 200, "default {loan}: {v}");
    }
}

pub(crate) fn rules(share_bp: u32, loan_cap: i64, inst_cap: i64) -> Value {
    json!({
        "share_bp": share_bp, "cap_per_loan_fen": loan_cap, "cap_per_institution_fen": inst_cap,
    })
}

fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or_default()
}

async fn fund_state(w: &World, id: &str) -> Value {
    let (s, d) = w.get(&w.gov_a, &format!("/api/v1/funds/{id}")).await;
    assert_eq!(s, 200, "{d}");
    d
}

async fn compensation_fund_end_to_end(backend: Backend) {
    let w = world(backend).await;
    // --- creation, with bad rules first (nothing created) ---
    let (s, v) = w
        .post(
            &w.gov_a,
            "/api/v1/funds",
            json!({ "name": "风险补偿基金", "rules": rules(0, 10_000_000, 15_000_000) }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "fund.share"), "{v}");
    let (s, v) = w
        .post(
            &w.gov_a,
            "/api/v1/funds",
            json!({ "name": "风险补偿基金", "rules": rules(4_000, 20_000_000, 15_000_000) }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "fund.cap"), "{v}");
    // Outside the district's jurisdiction.
    let (s, v) = w
        .post(
            &w.gov_a,
            "/api/v1/funds",
            json!({ "name": "风险补偿基金", "region_code": "410100",
                    "rules": rules(4_000, 10_000_000, 15_000_000) }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "fund.region"), "{v}");
    let (_, listed) = w.get(&w.gov_a, "/api/v1/funds").await;
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "nothing created: {listed}"
    );
    // An enterprise never reaches the fund routes.
    let (s, _) = w.get(&w.ent, "/api/v1/funds").await;
    assert_eq!(s, 403);

    // 40 % of the loss, at most 100,000.00 元 per loan and 150,000.00 元 per institution.
    let (s, fund) = w
        .post(
            &w.gov_a,
            "/api/v1/funds",
            json!({ "name": "区中小企业风险补偿基金", "rules": rules(4_000, 10_000_000, 15_000_000),
                    "initial_topup_fen": 12_000_000 }),
        )
        .await;
    assert_eq!(s, 201, "{fund}");
    let id = fund["id"].as_str().unwrap().to_owned();
    assert_eq!(fund["balance_fen"], 12_000_000);
    let base = format!("/api/v1/funds/{id}");

    // --- who sees it: the district, the city, banks; not the neighbouring district ---
    let (s, v) = w.get(&w.gov_b, &base).await;
    assert_eq!((s, code(&v)), (404, "not_found"), "{v}");
    let (_, listed_b) = w.get(&w.gov_b, "/api/v1/funds").await;
    assert!(listed_b.as_array().unwrap().is_empty(), "{listed_b}");
    assert_eq!(w.get(&w.city_gov, &base).await.0, 200);
    assert_eq!(w.get(&w.bank, &base).await.0, 200);
    assert_eq!(w.get(&w.operator, &base).await.0, 200);

    // --- top-ups: a bank is not the manager; the CLI tops up as the district ---
    let (s, v) = w
        .post(
            &w.bank,
            &format!("{base}/topups"),
            json!({ "amount_fen": 100 }),
        )
        .await;
    assert_eq!((s, code(&v)), (403, "fund.not_manager"), "{v}");
    let (s, v) = w
        .post(
            &w.gov_a,
            &format!("{base}/topups"),
            json!({ "amount_fen": 0 }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "fund.amount"), "{v}");
    let out = xinrong(
        &w.app.db_url(),
        &[
            "funds",
            "topup",
            &id,
            "--amount",
            "abc",
            "--as",
            &w.gov_a_org,
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fund.amount"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = xinrong(
        &w.app.db_url(),
        &[
            "funds",
            "topup",
            &id,
            "--amount",
            "10000.00",
            "--as",
            &w.gov_a_org,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fund_state(&w, &id).await["fund"]["balance_fen"], 13_000_000);

    // --- loans: 300,000.00 元 and 200,000.00 元 of the bank, one of the other bank ---
    let l1 = w.loan(&w.bank, "FUND-T-001", 30_000_000).await;
    let l2 = w.loan(&w.bank, "FUND-T-002", 20_000_000).await;
    let l3 = w.loan(&w.bank, "FUND-T-003", 5_000_000).await;
    let foreign = w.loan(&w.other_bank, "FUND-T-901", 1_000_000).await;

    // A claim on a loan not registered in the pool.
    w.default_loan(&w.bank, &l1).await;
    let claim = |loan: &str, loss: i64| json!({ "loan_id": loan, "loss_fen": loss, "reason": "借款人经营失败，追偿未果", "attachments": [pdf()] });
    let (s, v) = w
        .post(&w.bank, &format!("{base}/claims"), claim(&l1, 30_000_000))
        .await;
    assert_eq!((s, code(&v)), (422, "fund.loan_not_registered"), "{v}");
    assert!(
        fund_state(&w, &id).await["claims"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A defaulted loan cannot be registered after the fact; another bank's loan is not found.
    let (s, v) = w
        .post(&w.bank, &format!("{base}/loans"), json!({ "loan_id": l1 }))
        .await;
    assert_eq!((s, code(&v)), (422, "fund.loan_state"), "{v}");
    let (s, _) = w
        .post(
            &w.bank,
            &format!("{base}/loans"),
            json!({ "loan_id": foreign }),
        )
        .await;
    assert_eq!(s, 404);
    // Register before default (the normal order) — idempotent.
    for loan in [&l2, &l3] {
        let (s, v) = w
            .post(
                &w.bank,
                &format!("{base}/loans"),
                json!({ "loan_id": loan }),
            )
            .await;
        assert_eq!(s, 201, "{v}");
    }
    let (s, again) = w
        .post(&w.bank, &format!("{base}/loans"), json!({ "loan_id": l2 }))
        .await;
    assert_eq!((s, again["loan_id"].as_str()), (201, Some(l2.as_str())));
    assert_eq!(
        fund_state(&w, &id).await["loans"].as_array().unwrap().len(),
        2
    );

    // Not in default yet.
    let (s, v) = w
        .post(&w.bank, &format!("{base}/claims"), claim(&l2, 20_000_000))
        .await;
    assert_eq!((s, code(&v)), (422, "fund.loan_not_default"), "{v}");
    w.default_loan(&w.bank, &l2).await;
    // Without documents; a loss above the loan.
    let (s, v) = w
        .post(
            &w.bank,
            &format!("{base}/claims"),
            json!({ "loan_id": l2, "loss_fen": 20_000_000, "reason": "违约" }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "fund.claim_documents"), "{v}");
    let (s, v) = w
        .post(&w.bank, &format!("{base}/claims"), claim(&l2, 20_000_001))
        .await;
    assert_eq!((s, code(&v)), (422, "fund.claim_loss"), "{v}");
    assert!(
        fund_state(&w, &id).await["claims"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // --- the claim: filed, reviewed, paid ---
    let (s, c1) = w
        .post(&w.bank, &format!("{base}/claims"), claim(&l2, 20_000_000))
        .await;
    assert_eq!(s, 201, "{c1}");
    assert_eq!(c1["status"], "submitted");
    let c1_id = c1["id"].as_str().unwrap().to_owned();
    let cbase = format!("{base}/claims/{c1_id}");
    let (s, v) = w
        .post(&w.bank, &format!("{base}/claims"), claim(&l2, 1_000))
        .await;
    assert_eq!((s, code(&v)), (422, "fund.claim_open"), "{v}");
    // Out of order, wrong party, wrong jurisdiction.
    let (s, v) = w.post(&w.gov_a, &format!("{cbase}/pay"), json!({})).await;
    assert_eq!((s, code(&v)), (422, "fund.claim_state"), "{v}");
    let (s, v) = w
        .post(&w.bank, &format!("{cbase}/approve"), json!({}))
        .await;
    assert_eq!((s, code(&v)), (403, "fund.not_manager"), "{v}");
    let (s, _) = w
        .post(&w.gov_b, &format!("{cbase}/approve"), json!({}))
        .await;
    assert_eq!(s, 404);
    let (s, v) = w
        .post(
            &w.gov_a,
            &format!("{cbase}/reject"),
            json!({ "reason": " " }),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "fund.reason_required"), "{v}");
    assert_eq!(
        w.get(&w.gov_a, &cbase).await.1["claim"]["status"],
        "submitted"
    );

    // 40 % of 200,000.00 = 80,000.00 元, under every cap and the balance.
    let (s, a) = w
        .post(
            &w.gov_a,
            &format!("{cbase}/approve"),
            json!({ "reason": "材料齐全" }),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(
        (
            a["status"].as_str(),
            a["payout_fen"].as_i64(),
            a["limited_by"].as_str()
        ),
        (Some("approved"), Some(8_000_000), Some("share"))
    );
    let (s, paid) = w.post(&w.gov_a, &format!("{cbase}/pay"), json!({})).await;
    assert_eq!((s, paid["status"].as_str()), (200, Some("paid")), "{paid}");
    let d = fund_state(&w, &id).await;
    assert_eq!(d["fund"]["balance_fen"], 5_000_000);
    let movements = d["movements"].as_array().unwrap();
    assert_eq!(
        movements.len(),
        3,
        "two top-ups and one payout: {movements:?}"
    );
    assert_eq!(movements[0]["kind"], "payout");
    assert_eq!(movements[0]["amount_fen"], 8_000_000);
    assert_eq!(movements[0]["balance_after_fen"], 5_000_000);
    assert_eq!(movements[0]["claim_id"].as_str(), Some(c1_id.as_str()));
    // Paying twice is refused; the balance and the history stay.
    let (s, v) = w.post(&w.gov_a, &format!("{cbase}/pay"), json!({})).await;
    assert_eq!((s, code(&v)), (422, "fund.claim_state"), "{v}");
    let d = fund_state(&w, &id).await;
    assert_eq!(d["fund"]["balance_fen"], 5_000_000);
    assert_eq!(d["movements"].as_array().unwrap().len(), 3);

    // The timeline and the notices.
    let (_, detail) = w.get(&w.bank, &cbase).await;
    let kinds: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["fund.claim_filed", "fund.claim_approved", "fund.claim_paid"]
    );
    assert_eq!(detail["attachments"].as_array().unwrap().len(), 1);
    assert!(
        inbox(&w.app, &w.gov_a_user)
            .await
            .contains(&"fund.claim_filed".to_owned())
    );
    assert!(
        inbox(&w.app, "bank-icbc")
            .await
            .contains(&"fund.claim_paid".to_owned())
    );
    // The other bank sees the fund but not this bank's loans and claims.
    let (_, other) = w.get(&w.other_bank, &base).await;
    assert!(other["claims"].as_array().unwrap().is_empty(), "{other}");
    assert!(other["loans"].as_array().unwrap().is_empty(), "{other}");
    assert!(other["movements"].as_array().unwrap().is_empty(), "{other}");

    // --- caps: the institution has 70,000.00 元 left; the balance is 50,000.00 元 ---
    w.default_loan(&w.bank, &l3).await;
    let (s, c2) = w
        .post(&w.bank, &format!("{base}/claims"), claim(&l3, 5_000_000))
        .await;
    assert_eq!(s, 201, "{c2}");
    let c2_base = format!("{base}/claims/{}", c2["id"].as_str().unwrap());
    let (s, a) = w
        .post(&w.gov_a, &format!("{c2_base}/approve"), json!({}))
        .await;
    assert_eq!(s, 200, "{a}");
    // 40 % of 50,000.00 = 20,000.00 元.
    assert_eq!(a["payout_fen"], 2_000_000);
    assert_eq!(
        w.post(&w.gov_a, &format!("{c2_base}/pay"), json!({}))
            .await
            .0,
        200
    );

    // A new fund with a tight cap: the second claim on a loan whose cap is used up is refused
    // at filing with a clear reason.
    let (s, tight) = w
        .post(
            &w.gov_a,
            "/api/v1/funds",
            json!({ "name": "小额贷款风险缓释基金", "rules": rules(5_000, 1_000_000, 1_000_000),
                    "initial_topup_fen": 600_000 }),
        )
        .await;
    assert_eq!(s, 201, "{tight}");
    let tid = tight["id"].as_str().unwrap().to_owned();
    let tbase = format!("/api/v1/funds/{tid}");
    let l4 = w.loan(&w.bank, "FUND-T-004", 4_000_000).await;
    assert_eq!(
        w.post(&w.bank, &format!("{tbase}/loans"), json!({ "loan_id": l4 }))
            .await
            .0,
        201
    );
    w.default_loan(&w.bank, &l4).await;
    let (s, c) = w
        .post(&w.bank, &format!("{tbase}/claims"), claim(&l4, 4_000_000))
        .await;
    assert_eq!(s, 201, "{c}");
    let c_base = format!("{tbase}/claims/{}", c["id"].as_str().unwrap());
    // 50 % of 40,000.00 = 20,000.00, capped at 10,000.00 per loan, then at the 6,000.00 balance.
    let (_, a) = w
        .post(&w.gov_a, &format!("{c_base}/approve"), json!({}))
        .await;
    assert_eq!(
        (a["payout_fen"].as_i64(), a["limited_by"].as_str()),
        (Some(600_000), Some("balance")),
        "{a}"
    );
    assert_eq!(
        w.post(&w.gov_a, &format!("{c_base}/pay"), json!({}))
            .await
            .0,
        200
    );
    assert_eq!(
        w.get(&w.gov_a, &tbase).await.1["fund"]["balance_fen"],
        0,
        "never below zero"
    );
    // Top up and claim the rest: 4,000.00 left under the per-loan cap.
    w.post(
        &w.gov_a,
        &format!("{tbase}/topups"),
        json!({ "amount_fen": 5_000_000 }),
    )
    .await;
    let (s, c) = w
        .post(&w.bank, &format!("{tbase}/claims"), claim(&l4, 4_000_000))
        .await;
    assert_eq!(s, 201, "{c}");
    let c_base = format!("{tbase}/claims/{}", c["id"].as_str().unwrap());
    let (_, a) = w
        .post(&w.gov_a, &format!("{c_base}/approve"), json!({}))
        .await;
    assert_eq!(
        (a["payout_fen"].as_i64(), a["limited_by"].as_str()),
        (Some(400_000), Some("loan_cap")),
        "{a}"
    );
    assert_eq!(
        w.post(&w.gov_a, &format!("{c_base}/pay"), json!({}))
            .await
            .0,
        200
    );
    // Now the loan's cap is used up: beyond the cap is refused at filing, nothing filed.
    let before = w.get(&w.gov_a, &tbase).await.1;
    let (s, v) = w
        .post(&w.bank, &format!("{tbase}/claims"), claim(&l4, 4_000_000))
        .await;
    assert_eq!((s, code(&v)), (422, "fund.claim_over_cap"), "{v}");
    assert!(v["message"].as_str().unwrap().contains("上限"), "{v}");
    let after = w.get(&w.gov_a, &tbase).await.1;
    assert_eq!(before["claims"], after["claims"]);
    assert_eq!(after["fund"]["balance_fen"], 4_600_000);

    // The CLI lists and shows the funds.
    let out = xinrong(
        &w.app.db_url(),
        &["funds", "show", &tid, "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["fund"]["balance_fen"], 4_600_000);
    assert_eq!(shown["claims"].as_array().unwrap().len(), 2);
    let out = xinrong(&w.app.db_url(), &["funds", "list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("小额贷款风险缓释基金") && text.contains("共 2 个"),
        "{text}"
    );
}
on_all_backends!(compensation_fund_end_to_end);

/// Two payouts racing for the last of the balance: one is paid, the other refused; the balance
/// never goes below zero and every payout has its movement.
async fn payouts_never_overdraw(backend: Backend) {
    let w = world(backend).await;
    let (_, fund) = w
        .post(
            &w.gov_a,
            "/api/v1/funds",
            json!({ "name": "并发测试基金", "rules": rules(10_000, 10_000_000, 100_000_000),
                    "initial_topup_fen": 1_000_000 }),
        )
        .await;
    let id = fund["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/funds/{id}");
    let mut claims = Vec::new();
    for i in 0..2 {
        let l = w.loan(&w.bank, &format!("RACE-{i}"), 1_000_000).await;
        w.post(&w.bank, &format!("{base}/loans"), json!({ "loan_id": l }))
            .await;
        w.default_loan(&w.bank, &l).await;
        let (s, c) = w
            .post(
                &w.bank,
                &format!("{base}/claims"),
                json!({ "loan_id": l, "loss_fen": 1_000_000, "reason": "违约", "attachments": [pdf()] }),
            )
            .await;
        assert_eq!(s, 201, "{c}");
        claims.push(format!("{base}/claims/{}", c["id"].as_str().unwrap()));
    }
    // The first takes the whole balance at approval; the second finds nothing available.
    let (s, a) = w
        .post(&w.gov_a, &format!("{}/approve", claims[0]), json!({}))
        .await;
    assert_eq!((s, a["payout_fen"].as_i64()), (200, Some(1_000_000)), "{a}");
    let (s, v) = w
        .post(&w.gov_a, &format!("{}/approve", claims[1]), json!({}))
        .await;
    assert_eq!((s, code(&v)), (422, "fund.insufficient_balance"), "{v}");
    // Two pays of the same claim at once: exactly one succeeds.
    let pay = format!("{}/pay", claims[0]);
    let (r1, r2) = tokio::join!(
        w.post(&w.gov_a, &pay, json!({})),
        w.post(&w.operator, &pay, json!({}))
    );
    let mut statuses = [r1.0, r2.0];
    statuses.sort();
    assert_eq!(statuses, [200, 422], "{r1:?} {r2:?}");
    let d = fund_state(&w, &id).await;
    assert_eq!(d["fund"]["balance_fen"], 0);
    let payouts = d["movements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "payout")
        .count();
    assert_eq!(payouts, 1);
}
on_all_backends!(payouts_never_overdraw);

/// The browser helpers of `crate::browser` and a few page helpers, for the fund and payables
/// pages at phone width.
pub(crate) mod phone {
    pub(crate) use crate::browser::{Driver, assert_no_overflow, log_in, screenshot};
    use fantoccini::{Client, Locator};

    pub async fn text(browser: &Client, css: &str) -> String {
        browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// Clicks (the caller then waits for what the next page shows).
    pub async fn click_and_wait(browser: &Client, css: &str) {
        browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }
}

/// The district government reviews and pays a claim on its phone: the fund page, its history
/// and claims fit 390 px.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn government_pays_a_claim_on_a_phone() {
    use fantoccini::Locator;
    use phone::*;
    let w = world(Backend::Sqlite).await;
    let (_, fund) = w
        .post(
            &w.gov_a,
            "/api/v1/funds",
            json!({ "name": "区中小微企业信贷风险补偿基金（手机）",
                    "rules": rules(4_000, 10_000_000, 15_000_000),
                    "initial_topup_fen": 50_000_000 }),
        )
        .await;
    let id = fund["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/funds/{id}");
    let l = w.loan(&w.bank, "PHONE-001", 20_000_000).await;
    w.post(&w.bank, &format!("{base}/loans"), json!({ "loan_id": l }))
        .await;
    w.default_loan(&w.bank, &l).await;
    let (s, c) = w
        .post(
            &w.bank,
            &format!("{base}/claims"),
            json!({ "loan_id": l, "loss_fen": 15_000_000, "reason": "借款企业停产，逾期超过九十天",
                    "attachments": [pdf()] }),
        )
        .await;
    assert_eq!(s, 201, "{c}");

    let driver = Driver::start();
    let browser = driver.phone().await;
    log_in(&browser, &w.app, &w.gov_a_user).await;
    browser.goto(&w.app.url("/funds")).await.unwrap();
    assert!(text(&browser, "#fund-list").await.contains("手机"));
    assert_no_overflow(&browser, "fund list").await;
    browser
        .goto(&w.app.url(&format!("/funds/{id}")))
        .await
        .unwrap();
    assert!(text(&browser, "#balance").await.contains("500,000.00"));
    assert_no_overflow(&browser, "fund page with a submitted claim").await;
    click_and_wait(&browser, ".approve-form button").await;
    browser
        .wait()
        .for_element(Locator::Css("tr[data-status='approved']"))
        .await
        .expect("approved");
    click_and_wait(&browser, ".pay-form button").await;
    browser
        .wait()
        .for_element(Locator::Css("tr[data-status='paid']"))
        .await
        .expect("paid");
    // 40 % of 150,000.00 = 60,000.00 paid out of 500,000.00.
    assert!(text(&browser, "#balance").await.contains("440,000.00"));
    assert!(text(&browser, "#movement-list").await.contains("60,000.00"));
    assert_no_overflow(&browser, "fund page after payout").await;
    screenshot(&browser, "fund-government-phone").await;
    browser.close().await.unwrap();
}

/// The financing demo leaves a fund with top-ups, registered loans and claims in every state,
/// and payables in several states, some attached to applications — visible to their readers.
async fn the_demo_fills_the_fund_and_payables(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises: 60,
            seed: 5,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: true,
        }),
        Arc::new(SystemClock),
    )
    .await;
    let gov = app.token_for("gov").await;
    let (s, funds) = app.api_get(&gov, "/api/v1/funds").await;
    assert_eq!(s, 200);
    assert_eq!(funds.as_array().unwrap().len(), 1, "{funds}");
    let id = funds[0]["id"].as_str().unwrap();
    let (_, d) = app.api_get(&gov, &format!("/api/v1/funds/{id}")).await;
    let kinds: Vec<&str> = d["movements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "topup").count(),
        2,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"payout"), "{kinds:?}");
    assert!(d["loans"].as_array().unwrap().len() >= 10);
    for status in ["submitted", "approved", "rejected", "paid"] {
        assert!(
            d["claims"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["status"] == status),
            "{status}"
        );
    }
    // The balance is the top-ups less the payouts.
    let sum: i64 = d["movements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let a = m["amount_fen"].as_i64().unwrap();
            if m["kind"] == "payout" { -a } else { a }
        })
        .sum();
    assert_eq!(d["fund"]["balance_fen"].as_i64(), Some(sum));

    let operator = app.token_for("operator").await;
    let (_, payables) = app.api_get(&operator, "/api/v1/payables").await;
    for status in ["declared", "confirmed", "disputed"] {
        assert!(
            payables
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["status"] == status),
            "{status}: {payables}"
        );
    }
    let ent = app.token_for("ent-1").await;
    let (_, own) = app.api_get(&ent, "/api/v1/payables").await;
    assert!(!own.as_array().unwrap().is_empty());
    // The pages render for their readers.
    for (user, path) in [
        ("gov", format!("/funds/{id}")),
        ("operator", "/funds".to_owned()),
        ("bank-icbc", format!("/funds/{id}")),
        ("ent-1", "/payables".to_owned()),
        ("ent-1", "/payables?tab=supplier".to_owned()),
        ("bank-icbc", "/payables".to_owned()),
        ("operator", "/payables".to_owned()),
    ] {
        let client = app.logged_in(user).await;
        let r = client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{user} {path}");
    }
    let client = app.logged_in("ent-1").await;
    let r = client.get(app.url("/funds")).send().await.unwrap();
    assert_eq!(r.status(), 403, "enterprises have no fund pages");
}
on_all_backends!(the_demo_fills_the_fund_and_payables);
