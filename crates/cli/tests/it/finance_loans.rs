//! 获贷明细 end to end on every backend: an institution records a loan (a retry answers the
//! same loan, a conflicting retry is refused), bad values are refused with their codes and
//! nothing written, repayments never exceed the outstanding and settle the loan, status
//! changes follow their order, each party sees only its scope; batch uploads (CSV and XLSX, by
//! the API and the CLI) are all or nothing with row-numbered errors.

use crate::on_all_backends;
use crate::support::{TestApp, temp_file, xinrong};
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use xinrong_core::clock::SystemClock;
use xinrong_services::demo::DemoOptions;
use xinrong_store::Backend;

pub(crate) struct World {
    pub app: TestApp,
    pub bank: String,
    pub other_bank: String,
    pub ent: String,
    pub other_ent: String,
    pub gov: String,
    pub operator: String,
    pub provider: String,
    pub uscc: String,
    pub other_uscc: String,
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
    let ent = app.token_for("ent-1").await;
    let other_ent = app.token_for("ent-2").await;
    let (_, me) = app.api_get(&ent, "/api/v1/me").await;
    let (_, other) = app.api_get(&other_ent, "/api/v1/me").await;
    World {
        bank: app.token_for("bank-icbc").await,
        other_bank: app.token_for("bank-ccb").await,
        gov: app.token_for("gov").await,
        operator: app.token_for("operator").await,
        provider: app.token_for("provider-market").await,
        uscc: me["org_uscc"].as_str().unwrap().to_owned(),
        other_uscc: other["org_uscc"].as_str().unwrap().to_owned(),
        ent,
        other_ent,
        app,
    }
}

fn days_ago(n: i64) -> String {
    (Utc::now().date_naive() - Duration::days(n)).to_string()
}

fn loan(uscc: &str, contract: &str) -> Value {
    json!({
        "subject_uscc": uscc,
        "contract_no": contract,
        "amount_fen": 100_000_000,
        "rate_bp": 385,
        "term_months": 12,
        "guarantee": "credit",
        "pure_credit": true,
        "first_loan": true,
        "disbursed_on": days_ago(30),
    })
}

async fn count(w: &World, token: &str) -> u64 {
    let (s, body) = w.app.api_get(token, "/api/v1/loans").await;
    assert_eq!(s, 200, "{body}");
    body["totals"]["count"].as_u64().unwrap()
}

async fn post(w: &World, token: &str, path: &str, body: Value) -> (u16, Value) {
    w.app.api(Method::POST, token, path, Some(body)).await
}

async fn loans_are_recorded_idempotently_and_checked(backend: Backend) {
    let w = world(backend).await;
    let (s, first) = post(&w, &w.bank, "/api/v1/loans", loan(&w.uscc, "HT-001")).await;
    assert_eq!(s, 201, "{first}");
    assert_eq!(first["status"], "normal");
    assert_eq!(first["outstanding_fen"], 100_000_000);
    assert_eq!(first["maturity_on"].as_str().unwrap(), {
        let d: chrono::NaiveDate = days_ago(30).parse().unwrap();
        d.checked_add_months(chrono::Months::new(12))
            .unwrap()
            .to_string()
    });
    let id = first["id"].as_str().unwrap().to_owned();
    // The same contract again: the same loan, nothing new.
    let (s, again) = post(&w, &w.bank, "/api/v1/loans", loan(&w.uscc, "HT-001")).await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(again["id"], first["id"]);
    // The same contract with other values: refused.
    let mut other = loan(&w.uscc, "HT-001");
    other["amount_fen"] = json!(200_000_000);
    let (s, body) = post(&w, &w.bank, "/api/v1/loans", other).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("loan.contract_conflict"))
    );
    assert_eq!(count(&w, &w.bank).await, 1);

    // Bad values, each with its code and nothing written.
    type Spoil = Box<dyn Fn(&mut Value)>;
    let bad: Vec<(&str, Spoil)> = vec![
        ("loan.amount", Box::new(|v| v["amount_fen"] = json!(-100))),
        ("loan.amount", Box::new(|v| v["amount_fen"] = json!(0))),
        (
            "loan.pure_credit",
            Box::new(|v| v["guarantee"] = json!("mortgage")),
        ),
        ("loan.term", Box::new(|v| v["term_months"] = json!(0))),
        ("loan.rate", Box::new(|v| v["rate_bp"] = json!(3_601))),
        (
            "loan.subject_unknown",
            Box::new(|v| v["subject_uscc"] = json!("91410100MA00000000")),
        ),
        (
            "loan.renewal",
            Box::new(|v| {
                v["first_loan"] = json!(false);
                v["no_principal_renewal"] = json!(true)
            }),
        ),
        (
            "loan.disbursed_on",
            Box::new(|v| v["disbursed_on"] = json!(days_ago(-5))),
        ),
    ];
    for (i, (code, change)) in bad.iter().enumerate() {
        let mut v = loan(&w.uscc, &format!("BAD-{i}"));
        change(&mut v);
        let (s, body) = post(&w, &w.bank, "/api/v1/loans", v).await;
        assert_eq!((s, body["code"].as_str()), (422, Some(*code)), "{body}");
    }
    assert_eq!(count(&w, &w.bank).await, 1);
    // Only institutions record.
    let (s, _) = post(&w, &w.ent, "/api/v1/loans", loan(&w.uscc, "HT-X")).await;
    assert_eq!(s, 403);

    // Who sees it: the bank, the borrower, the city government, the operator; not another
    // bank nor another enterprise (404, no existence leak), not a provider.
    let path = format!("/api/v1/loans/{id}");
    for token in [&w.bank, &w.ent, &w.gov, &w.operator] {
        let (s, body) = w.app.api_get(token, &path).await;
        assert_eq!(s, 200, "{body}");
    }
    for token in [&w.other_bank, &w.other_ent] {
        let (s, body) = w.app.api_get(token, &path).await;
        assert_eq!((s, body["code"].as_str()), (404, Some("not_found")));
    }
    let (s, _) = w.app.api_get(&w.provider, &path).await;
    assert_eq!(s, 403);
    assert_eq!(count(&w, &w.other_bank).await, 0);
    assert_eq!(count(&w, &w.other_ent).await, 0);
    assert_eq!(count(&w, &w.ent).await, 1);
    assert_eq!(count(&w, &w.gov).await, 1);
    // Another bank cannot repay or change it either.
    let (s, _) = post(
        &w,
        &w.other_bank,
        &format!("{path}/status"),
        json!({"status": "overdue"}),
    )
    .await;
    assert_eq!(s, 404);
    // The borrower was told.
    let inbox = crate::objections::inbox(&w.app, "ent-1").await;
    assert!(inbox.contains(&"loan.recorded".to_owned()), "{inbox:?}");

    // Repayments: beyond the outstanding refused, nothing changed.
    let repay = |principal: i64, interest: i64, day: i64| json!({"paid_on": days_ago(day), "principal_fen": principal, "interest_fen": interest});
    let rpath = format!("{path}/repayments");
    let (s, body) = post(&w, &w.bank, &rpath, repay(100_000_001, 0, 10)).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("loan.repayment_exceeds"))
    );
    let (s, body) = post(&w, &w.bank, &rpath, repay(-1, 0, 10)).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("loan.repayment_amount"))
    );
    let (s, body) = post(&w, &w.bank, &rpath, repay(1, 0, 40)).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("loan.repayment_date"))
    );
    let (_, d) = w.app.api_get(&w.bank, &path).await;
    assert_eq!(d["loan"]["outstanding_fen"], 100_000_000);
    assert_eq!(d["repayments"].as_array().unwrap().len(), 0);
    // A partial repayment, retried: counted once.
    let (s, d) = post(&w, &w.bank, &rpath, repay(40_000_000, 321_000, 10)).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["loan"]["outstanding_fen"], 60_000_000);
    let (_, d) = post(&w, &w.bank, &rpath, repay(40_000_000, 321_000, 10)).await;
    assert_eq!(d["loan"]["outstanding_fen"], 60_000_000);
    assert_eq!(d["repayments"].as_array().unwrap().len(), 1);

    // Status: settled while money is owed refused; overdue → default; default → normal refused.
    let spath = format!("{path}/status");
    let (s, body) = post(&w, &w.bank, &spath, json!({"status": "settled"})).await;
    assert_eq!((s, body["code"].as_str()), (422, Some("loan.outstanding")));
    let (s, body) = post(&w, &w.bank, &spath, json!({"status": "normal"})).await;
    assert_eq!((s, body["code"].as_str()), (422, Some("loan.state")));
    let (s, d) = post(
        &w,
        &w.bank,
        &spath,
        json!({"status": "overdue", "note": "逾期 30 天"}),
    )
    .await;
    assert_eq!((s, d["loan"]["status"].as_str()), (200, Some("overdue")));
    let (s, d) = post(&w, &w.bank, &spath, json!({"status": "default"})).await;
    assert_eq!((s, d["loan"]["status"].as_str()), (200, Some("default")));
    let (s, body) = post(&w, &w.bank, &spath, json!({"status": "normal"})).await;
    assert_eq!((s, body["code"].as_str()), (422, Some("loan.state")));
    // Repaying the rest settles it; settled is final.
    let (s, d) = post(&w, &w.bank, &rpath, repay(60_000_000, 0, 1)).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["loan"]["status"], "settled");
    assert_eq!(d["loan"]["outstanding_fen"], 0);
    let kinds: Vec<&str> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "loan.recorded",
            "loan.repaid",
            "loan.overdue",
            "loan.default",
            "loan.repaid",
            "loan.settled"
        ]
    );
    let (s, body) = post(&w, &w.bank, &spath, json!({"status": "overdue"})).await;
    assert_eq!((s, body["code"].as_str()), (422, Some("loan.state")));
    let (s, body) = post(&w, &w.bank, &rpath, repay(0, 100, 0)).await;
    assert_eq!((s, body["code"].as_str()), (422, Some("loan.state")));

    // Totals and filters.
    post(&w, &w.bank, "/api/v1/loans", {
        let mut v = loan(&w.other_uscc, "HT-002");
        v["guarantee"] = json!("mortgage");
        v["pure_credit"] = json!(false);
        v["first_loan"] = json!(false);
        v["renewal"] = json!(true);
        v["no_principal_renewal"] = json!(true);
        v["amount_fen"] = json!(50_000_000);
        v
    })
    .await;
    let (_, l) = w.app.api_get(&w.bank, "/api/v1/loans").await;
    assert_eq!(l["totals"]["count"], 2);
    assert_eq!(l["totals"]["amount_fen"], 150_000_000);
    assert_eq!(l["totals"]["pure_credit_amount_fen"], 100_000_000);
    assert_eq!(l["totals"]["first_loan_count"], 1);
    let (_, l) = w
        .app
        .api_get(&w.bank, "/api/v1/loans?flag=no_principal_renewal")
        .await;
    assert_eq!(l["totals"]["count"], 1);
    let (_, l) = w.app.api_get(&w.bank, "/api/v1/loans?status=settled").await;
    assert_eq!(l["loans"][0]["contract_no"], "HT-001");
    let (s, body) = w.app.api_get(&w.bank, "/api/v1/loans?status=closed").await;
    assert_eq!((s, body["code"].as_str()), (422, Some("loan.status")));

    // The CLI lists them (as the platform), filtered by subject.
    let out = xinrong(
        &w.app.db_url(),
        &["loans", "list", "--subject", &w.uscc, "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed["totals"]["count"], 1);
    assert_eq!(listed["loans"][0]["contract_no"], "HT-001");
    let out = xinrong(&w.app.db_url(), &["loans", "list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("HT-002") && text.contains("合计 2 笔"),
        "{text}"
    );
}
on_all_backends!(loans_are_recorded_idempotently_and_checked);

fn csv_file(rows: &[String]) -> String {
    let mut s = String::from(
        "统一社会信用代码,合同编号,放款金额（元）,年利率（%）,期限（月）,担保方式,纯信用,首贷,续贷,无还本续贷,放款日期\n",
    );
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

async fn upload(w: &World, token: &str, format: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(w.app.url(&format!("/api/v1/loans/batch?format={format}")))
        .bearer_auth(token)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn xlsx(rows: &[[&str; 11]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "subject_uscc",
        "contract_no",
        "amount_yuan",
        "rate_percent",
        "term_months",
        "guarantee",
        "pure_credit",
        "first_loan",
        "renewal",
        "no_principal_renewal",
        "disbursed_on",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            // Numbers as numbers, the way Excel keeps them.
            match (c, v.parse::<f64>()) {
                (2..=4, Ok(n)) => sheet.write_number(r as u32 + 1, c as u16, n).unwrap(),
                _ => sheet.write_string(r as u32 + 1, c as u16, *v).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

async fn batches_are_all_or_nothing(backend: Backend) {
    let w = world(backend).await;
    let d = days_ago(20);
    let good = |n: u32| {
        format!(
            "{},B-{n:03},1000000.00,3.85,12,信用,是,是,否,否,{d}",
            w.uscc
        )
    };
    // Row 3 has term 0, row 4 an unknown enterprise, row 5 pure credit with a mortgage, row 6
    // repeats row 2's contract: refused, every problem listed by row, nothing written.
    let rows = vec![
        good(1),
        format!("{},B-002,500000,4.35,0,保证,否,否,否,否,{d}", w.uscc),
        format!("91410100MA00000000,B-003,500000,4.35,12,保证,否,否,否,否,{d}"),
        format!("{},B-004,500000,4.35,12,抵押,是,否,否,否,{d}", w.other_uscc),
        good(1),
    ];
    let (s, r) = upload(&w, &w.bank, "csv", csv_file(&rows).into_bytes()).await;
    assert_eq!(s, 422, "{r}");
    assert_eq!(r["applied"], false);
    let errors: Vec<(u64, &str)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            (3, "loan.term"),
            (4, "loan.subject_unknown"),
            (5, "loan.pure_credit"),
            (6, "loan.batch_duplicate")
        ]
    );
    assert_eq!(count(&w, &w.bank).await, 0);
    // Fixed: all written; the same file again changes nothing.
    let rows = vec![
        good(1),
        format!("{},B-002,500000,4.35,24,保证,否,否,是,是,{d}", w.uscc),
        format!(
            "{},B-004,800000.5,4.35,12,抵押,否,否,否,否,{d}",
            w.other_uscc
        ),
    ];
    let (s, r) = upload(&w, &w.bank, "csv", csv_file(&rows).into_bytes()).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(
        (r["created"].as_u64(), r["unchanged"].as_u64()),
        (Some(3), Some(0))
    );
    let (s, r) = upload(&w, &w.bank, "csv", csv_file(&rows).into_bytes()).await;
    assert_eq!(
        (s, r["created"].as_u64(), r["unchanged"].as_u64()),
        (201, Some(0), Some(3))
    );
    assert_eq!(count(&w, &w.bank).await, 3);
    let (_, l) = w.app.api_get(&w.bank, "/api/v1/loans?flag=renewal").await;
    assert_eq!(l["loans"][0]["contract_no"], "B-002");
    assert_eq!(l["loans"][0]["no_principal_renewal"], true);
    // A batch loan's timeline starts with the batch.
    let id = l["loans"][0]["id"].as_str().unwrap();
    let (_, detail) = w.app.api_get(&w.bank, &format!("/api/v1/loans/{id}")).await;
    assert_eq!(detail["timeline"][0]["kind"], "loan.batch_recorded");
    // A file-level problem is an error, not a report.
    let (s, r) = upload(&w, &w.bank, "csv", b"colour,size\nred,1\n".to_vec()).await;
    assert_eq!((s, r["code"].as_str()), (422, Some("loan.batch_header")));
    // Only institutions upload.
    let (s, _) = upload(&w, &w.ent, "csv", csv_file(&rows).into_bytes()).await;
    assert_eq!(s, 403);

    // XLSX: one bad row (rate 40%) refuses the file; fixed, it is written.
    let d2 = days_ago(5);
    let u = w.uscc.as_str();
    let bad = xlsx(&[
        [
            u,
            "X-1",
            "2000000",
            "4.1",
            "36",
            "质押",
            "否",
            "否",
            "否",
            "否",
            d2.as_str(),
        ],
        [
            u,
            "X-2",
            "300000",
            "40",
            "12",
            "信用",
            "是",
            "否",
            "否",
            "否",
            d2.as_str(),
        ],
    ]);
    let (s, r) = upload(&w, &w.bank, "xlsx", bad).await;
    assert_eq!(s, 422, "{r}");
    assert_eq!(r["errors"][0]["row"], 3);
    assert_eq!(r["errors"][0]["code"], "loan.rate");
    assert_eq!(count(&w, &w.bank).await, 3);
    let good_xlsx = xlsx(&[
        [
            u,
            "X-1",
            "2000000",
            "4.1",
            "36",
            "质押",
            "否",
            "否",
            "否",
            "否",
            d2.as_str(),
        ],
        [
            u,
            "X-2",
            "300000",
            "4",
            "12",
            "信用",
            "是",
            "否",
            "否",
            "否",
            d2.as_str(),
        ],
    ]);
    let (s, r) = upload(&w, &w.bank, "xlsx", good_xlsx).await;
    assert_eq!((s, r["created"].as_u64()), (201, Some(2)), "{r}");
    assert_eq!(count(&w, &w.bank).await, 5);

    // The upload page: a bad file shows the row table (422), nothing written.
    let browser = w.app.logged_in("bank-icbc").await;
    let csrf = w.app.csrf_of_session(&browser).await;
    let bad_csv = csv_file(&[format!("{},P-1,100,3.85,0,信用,是,否,否,否,{d}", w.uscc)]);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bad_csv.into_bytes()).file_name("loans.csv"),
    );
    let r = browser
        .post(w.app.url(&format!("/loans/upload?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("upload-errors") && html.contains("loan.term"),
        "{html}"
    );
    assert_eq!(count(&w, &w.bank).await, 5);
    // Every reading role's list page renders with its totals.
    for user in ["bank-icbc", "ent-1", "gov", "operator"] {
        let c = w.app.logged_in(user).await;
        let page = crate::support::page_text(&c, w.app.url("/loans?flag=pure_credit")).await;
        assert!(page.contains("loan-totals"), "{user}: {page}");
    }
    // The template reads back as a header the upload accepts.
    let r = reqwest::Client::new()
        .get(w.app.url("/api/v1/loans/template.csv"))
        .bearer_auth(&w.bank)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let template = r.text().await.unwrap();
    assert!(template.contains("统一社会信用代码,合同编号"), "{template}");

    // The CLI: a bad file exits non-zero with the rows, nothing written; a good one imports.
    let bad_file = temp_file(csv_file(&[format!(
        "{},C-1,-5,3.85,12,信用,是,否,否,否,{d}",
        w.uscc
    )]));
    let out = xinrong(
        &w.app.db_url(),
        &[
            "loans",
            "import",
            bad_file.0.to_str().unwrap(),
            "--as",
            "bank-ccb-missing",
        ],
    );
    assert!(!out.status.success());
    let (_, me) = w.app.api_get(&w.other_bank, "/api/v1/me").await;
    let ccb = me["org_id"].as_str().unwrap().to_owned();
    let out = xinrong(
        &w.app.db_url(),
        &[
            "loans",
            "import",
            bad_file.0.to_str().unwrap(),
            "--as",
            &ccb,
            "--format",
            "csv",
        ],
    );
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2\tamount_yuan\tloan.amount"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("loan.batch_rejected"));
    assert_eq!(count(&w, &w.other_bank).await, 0);
    let good_file = temp_file(csv_file(&[good(9)]));
    let out = xinrong(
        &w.app.db_url(),
        &[
            "loans",
            "import",
            good_file.0.to_str().unwrap(),
            "--as",
            &ccb,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&w, &w.other_bank).await, 1);
    assert_eq!(count(&w, &w.bank).await, 5);
}
on_all_backends!(batches_are_all_or_nothing);

/// A loan disbursing an approved application moves it to 已放款 in the same transaction; an
/// application not approved, or another bank's, is refused and nothing is written.
async fn loans_disburse_approved_applications(backend: Backend) {
    use crate::finance_applications::{listed_product, world as app_world};
    let w = app_world(backend, Arc::new(SystemClock)).await;
    let app = &w.app;
    let p1 = listed_product(&w, &w.bank, "工行经营快贷", (10_000_000, 500_000_000), None).await;
    let p2 = listed_product(
        &w,
        &w.other_bank,
        "农行惠农e贷",
        (10_000_000, 500_000_000),
        None,
    )
    .await;
    let need = json!({
        "amount_fen": 100_000_000, "term_months": 12, "purpose": "采购原材料",
        "guarantee": "credit", "max_rate_bp": 550,
    });
    let (s, apps) = app
        .api(
            Method::POST,
            &w.ent,
            "/api/v1/applications",
            Some(json!({ "need": need, "product_ids": [p1, p2], "consent": true })),
        )
        .await;
    assert_eq!(s, 201, "{apps}");
    let a1 = apps[0]["id"].as_str().unwrap().to_owned();
    let a2 = apps[1]["id"].as_str().unwrap().to_owned();
    let (_, me) = app.api_get(&w.ent, "/api/v1/me").await;
    let uscc = me["org_uscc"].as_str().unwrap().to_owned();
    let with_app = |contract: &str, app_id: &str| {
        let mut v = loan(&uscc, contract);
        v["application_id"] = json!(app_id);
        v
    };
    let loans_of = |token: &str| {
        let token = token.to_owned();
        async move {
            let (_, l) = app.api_get(&token, "/api/v1/loans").await;
            l["totals"]["count"].as_u64().unwrap()
        }
    };
    // Not approved yet: refused, nothing written, the application unchanged.
    let (s, body) = app
        .api(
            Method::POST,
            &w.bank,
            "/api/v1/loans",
            Some(with_app("APP-1", &a1)),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("application.state")),
        "{body}"
    );
    assert_eq!(loans_of(&w.bank).await, 0);
    // Another bank's application: not found.
    let (s, _) = app
        .api(
            Method::POST,
            &w.bank,
            "/api/v1/loans",
            Some(with_app("APP-2", &a2)),
        )
        .await;
    assert_eq!(s, 404);
    for action in ["accept", "review", "approve"] {
        let (s, body) = app
            .api(
                Method::POST,
                &w.bank,
                &format!("/api/v1/applications/{a1}/{action}"),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, 200, "{action}: {body}");
    }
    // The recording form is prefilled from it.
    let browser = app.logged_in("bank-icbc").await;
    let page =
        crate::support::page_text(&browser, app.url(&format!("/loans/new?application={a1}"))).await;
    assert!(
        page.contains(&uscc) && page.contains("loan-prefill"),
        "{page}"
    );
    // Approved: the loan disburses it.
    let (s, l) = app
        .api(
            Method::POST,
            &w.bank,
            "/api/v1/loans",
            Some(with_app("APP-1", &a1)),
        )
        .await;
    assert_eq!(s, 201, "{l}");
    assert_eq!(l["application_id"], a1.as_str());
    assert_eq!(l["product_id"], p1.as_str());
    let (_, a) = app
        .api_get(&w.ent, &format!("/api/v1/applications/{a1}"))
        .await;
    let a = if a["application"].is_object() {
        a["application"].clone()
    } else {
        a
    };
    assert_eq!(a["status"], "disbursed", "{a}");
    // A retry answers the same loan; a second loan for the same application is refused.
    let (s, again) = app
        .api(
            Method::POST,
            &w.bank,
            "/api/v1/loans",
            Some(with_app("APP-1", &a1)),
        )
        .await;
    assert_eq!((s, &again["id"]), (200, &l["id"]));
    let (s, body) = app
        .api(
            Method::POST,
            &w.bank,
            "/api/v1/loans",
            Some(with_app("APP-3", &a1)),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("application.state")),
        "{body}"
    );
    assert_eq!(loans_of(&w.bank).await, 1);
}
on_all_backends!(loans_disburse_approved_applications);

/// The financing demo fills loans in every status with every flag and guarantee type, and a
/// white list in every state, through the services.
async fn the_demo_fills_loans_and_the_white_list(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises: 60,
            seed: 3,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: true,
        }),
        Arc::new(SystemClock),
    )
    .await;
    let operator = app.token_for("operator").await;
    let (_, l) = app.api_get(&operator, "/api/v1/loans?limit=1").await;
    assert!(
        l["totals"]["count"].as_u64().unwrap() >= 300,
        "{}",
        l["totals"]
    );
    for status in ["normal", "overdue", "default", "settled"] {
        let (_, l) = app
            .api_get(&operator, &format!("/api/v1/loans?status={status}&limit=1"))
            .await;
        assert!(l["totals"]["count"].as_u64().unwrap() > 0, "{status}");
    }
    for flag in [
        "pure_credit",
        "first_loan",
        "renewal",
        "no_principal_renewal",
    ] {
        let (_, l) = app
            .api_get(&operator, &format!("/api/v1/loans?flag={flag}&limit=1"))
            .await;
        assert!(l["totals"]["count"].as_u64().unwrap() > 0, "{flag}");
    }
    for g in ["credit", "mortgage", "pledge", "guarantee"] {
        let (_, l) = app
            .api_get(&operator, &format!("/api/v1/loans?guarantee={g}&limit=1"))
            .await;
        assert!(l["totals"]["count"].as_u64().unwrap() > 0, "{g}");
    }
    let (_, entries) = app.api_get(&operator, "/api/v1/whitelist").await;
    for status in ["applied", "recommended", "approved", "rejected", "removed"] {
        assert!(
            entries
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["status"] == status),
            "{status}"
        );
    }
}
on_all_backends!(the_demo_fills_loans_and_the_white_list);
