//! Push collection (物理归集) end to end on every backend: validation with a per-row report,
//! versions, idempotent resubmission, strict mode, GBK files, events, ledger verification.

use crate::on_all_backends;
use crate::support::page_text;
use crate::support::{TestApp, temp_file};
use sea_orm::{ConnectionTrait, Statement};
use xinrong_core::role::Role;
use xinrong_services::collect::{BatchKind, Encoding, Format, IngestReport, IngestRequest, ingest};
use xinrong_services::identity::list_organizations;
use xinrong_services::{Platform, ledger};
use xinrong_store::Backend;
use xinrong_store::repo::enterprises::{self, EnterpriseRow};

const GOOD_A: &str = "914403001922038216";
const GOOD_B: &str = "91350100M000100Y43";

async fn provider_id(platform: &Platform, name_part: &str) -> String {
    list_organizations(platform, Some(Role::Provider))
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name.contains(name_part))
        .expect("demo provider")
        .id
}

async fn send(platform: &Platform, provider: &str, body: &[u8], strict: bool) -> IngestReport {
    ingest(
        platform,
        IngestRequest {
            item_key: "tax.tax_arrears",
            provider_org_id: provider,
            format: Format::Csv,
            encoding: Encoding::Auto,
            strict,
            path: &temp_file(body).0,
            kind: BatchKind::Regular,
            progress: None,
        },
    )
    .await
    .expect("ingest")
}

/// A demo city in which the test's two subjects are registered enterprises: records are only
/// accepted about enterprises the platform knows (or that a business licence creates).
async fn demo_with_subjects(backend: Backend) -> TestApp {
    let app = TestApp::with_demo(backend).await;
    let now = app.platform.clock.now_naive();
    let rows = [(GOOD_A, "甲公司"), (GOOD_B, "乙公司")]
        .into_iter()
        .map(|(uscc, name)| EnterpriseRow {
            uscc: uscc.into(),
            name: name.into(),
            region_code: "440300".into(),
            industry_code: "52".into(),
            established: now.date(),
            registered_capital_fen: 0,
            employees: 5,
            size_class: "micro".into(),
            legal_rep_name: "张三".into(),
            legal_rep_id_number: String::new(),
            created_at: now,
        })
        .collect();
    enterprises::insert_many(&app.platform.db.conn, rows)
        .await
        .unwrap();
    app
}

async fn count(platform: &Platform, table: &str) -> i64 {
    let conn = &platform.db.conn;
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn batches_version_and_replay(backend: Backend) {
    let app = demo_with_subjects(backend).await;
    let p = &app.platform;
    let tax = provider_id(p, "税务局").await;
    // The demo's sharing agreements are ledgered: count from the ledger as the demo leaves it.
    let base = count(p, "ledger_leaves").await;
    let first = format!(
        "统一社会信用代码,企业名称,has_tax_arrears,欠税金额,tax_type\n{GOOD_A},甲公司,是,1200.50,增值税\n{GOOD_B},乙公司,否,0,\n914403001922038217,丙公司,是,-3,增值税\n"
    );
    let report = send(p, &tax, first.as_bytes(), false).await;
    assert!(report.applied);
    assert_eq!(
        (
            report.received,
            report.accepted,
            report.rejected,
            report.new_records
        ),
        (3, 2, 1, 2)
    );
    let reasons: Vec<(usize, &str)> = report
        .errors
        .iter()
        .map(|e| (e.row, e.field.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [(4, "uscc"), (4, "tax_arrears_amount")],
        "line 4 of the file, both cells named"
    );

    // The same file again changes nothing.
    let again = send(p, &tax, first.as_bytes(), false).await;
    assert!(again.replayed);
    assert_eq!(again.batch_id, report.batch_id);
    assert_eq!(count(p, "records").await, 2);

    // New content for a known subject adds a version; an unchanged row adds none.
    // (A version is the record as the provider states it: the same columns, the same values.)
    let second = format!(
        "uscc,enterprise_name,has_tax_arrears,tax_arrears_amount,tax_type\n{GOOD_A},甲公司,是,800.00,增值税\n{GOOD_B},乙公司,否,0,\n"
    );
    let report = send(p, &tax, second.as_bytes(), false).await;
    assert_eq!(
        (report.new_records, report.new_versions, report.unchanged),
        (0, 1, 1)
    );
    assert_eq!(count(p, "records").await, 3);
    assert_eq!(count(p, "events").await, 3, "one event per new version");
    assert_eq!(
        count(p, "ledger_leaves").await,
        base + 3 + 2,
        "a leaf per version and per batch manifest"
    );

    // Strict: one bad row refuses the whole file.
    let strict = format!("uscc,tax_arrears_amount\n{GOOD_A},999\nnot-a-code,1\n");
    let refused = send(p, &tax, strict.as_bytes(), true).await;
    assert!(!refused.applied);
    assert_eq!(count(p, "records").await, 3);
    assert_eq!(count(p, "batches").await, 2);

    // Chinese Excel saves GBK; it is detected.
    let text = format!("统一社会信用代码,税种\n{GOOD_B},企业所得税\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let report = send(p, &tax, &gbk, false).await;
    assert_eq!(
        (report.new_versions, report.new_records),
        (1, 0),
        "{report:?}"
    );

    let status = ledger::verify(p).await.unwrap();
    assert!(status.ok, "{:?}", status.problems);
    assert_eq!(
        status.size,
        base as u64 + 4 + 3,
        "four versions and three batch manifests"
    );

    // Editing a stored record behind the platform's back is found.
    let conn = &p.db.conn;
    conn.execute_unprepared("UPDATE records SET payload = '{\"uscc\":\"x\"}' WHERE version = 2")
        .await
        .unwrap();
    let status = ledger::verify(p).await.unwrap();
    assert!(!status.ok);
    assert!(status.problems.iter().any(|m| m.contains("内容被改动")));

    // So is a record deleted behind its back.
    conn.execute_unprepared(
        "DELETE FROM records WHERE version = 1 AND subject = '914403001922038216'",
    )
    .await
    .unwrap();
    let status = ledger::verify(p).await.unwrap();
    assert!(
        status.problems.iter().any(|m| m.contains("记录被删除")),
        "{:?}",
        status.problems
    );
}
on_all_backends!(batches_version_and_replay);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_and_wrong_senders_are_refused_whole() {
    let app = demo_with_subjects(Backend::Sqlite).await;
    let p = &app.platform;
    let tax = provider_id(p, "税务局").await;
    let unknown_column = ingest(
        p,
        IngestRequest {
            item_key: "tax.tax_arrears",
            provider_org_id: &tax,
            format: Format::Csv,
            encoding: Encoding::Auto,
            strict: false,
            path: &temp_file("uscc,纳税人识别号\n".as_bytes()).0,
            kind: BatchKind::Regular,
            progress: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(unknown_column.code(), "collect.unknown_columns");
    let market = provider_id(p, "市场监督管理局").await;
    let not_allowed = ingest(
        p,
        IngestRequest {
            item_key: "tax.tax_arrears",
            provider_org_id: &market,
            format: Format::Csv,
            encoding: Encoding::Auto,
            strict: false,
            path: &temp_file(b"uscc\n").0,
            kind: BatchKind::Regular,
            progress: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        not_allowed.code(),
        "collect.not_allowed",
        "the market regulator is no source of tax data"
    );
    let pull_only = ingest(
        p,
        IngestRequest {
            item_key: "tax.tax_deferral",
            provider_org_id: &tax,
            format: Format::Csv,
            encoding: Encoding::Auto,
            strict: false,
            path: &temp_file(b"uscc\n").0,
            kind: BatchKind::Regular,
            progress: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(pull_only.code(), "collect.not_push");
    let bank = list_organizations(p, Some(Role::Institution))
        .await
        .unwrap()[0]
        .id
        .clone();
    let not_provider = ingest(
        p,
        IngestRequest {
            item_key: "tax.tax_arrears",
            provider_org_id: &bank,
            format: Format::Csv,
            encoding: Encoding::Auto,
            strict: false,
            path: &temp_file(b"uscc\n").0,
            kind: BatchKind::Regular,
            progress: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(not_provider.code(), "collect.not_provider");
    let bad_json = ingest(
        p,
        IngestRequest {
            item_key: "tax.tax_arrears",
            provider_org_id: &tax,
            format: Format::Jsonl,
            encoding: Encoding::Auto,
            strict: false,
            path: &temp_file(b"{not json}\n").0,
            kind: BatchKind::Regular,
            progress: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bad_json.code(), "collect.jsonl");
    let jsonl = format!("{{\"uscc\":\"{GOOD_A}\",\"tax_arrears_amount\":12345678901234.56}}\n");
    let ok = ingest(
        p,
        IngestRequest {
            item_key: "tax.tax_arrears",
            provider_org_id: &tax,
            format: Format::Jsonl,
            encoding: Encoding::Auto,
            strict: false,
            path: &temp_file(jsonl.as_bytes()).0,
            kind: BatchKind::Regular,
            progress: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(ok.new_records, 1);
    let payload: String = {
        let conn = &p.db.conn;
        let row = conn
            .query_one_raw(Statement::from_string(
                conn.get_database_backend(),
                "SELECT payload FROM records",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "payload").unwrap()
    };
    assert!(
        payload.contains("\"12345678901234.56\""),
        "amounts stay exact: {payload}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_ingests_writes_the_error_report_and_verifies_the_ledger() {
    let app = demo_with_subjects(Backend::Sqlite).await;
    let tax = provider_id(&app.platform, "税务局").await;
    let dir = std::env::temp_dir().join(format!("xr-ingest-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("arrears.csv");
    std::fs::write(
        &file,
        format!("uscc,tax_arrears_amount\n{GOOD_A},10\n=cmd|' /C calc'!A0,1\n"),
    )
    .unwrap();
    let errors = dir.join("errors.csv");
    let url = app.db_url();
    let run = |args: &[&str]| crate::support::xinrong(&url, args);
    // The demo's sharing agreements are ledgered: count from the ledger as the demo leaves it.
    let base = ledger::head(&app.platform).await.unwrap().size;
    let out = run(&[
        "ingest",
        "--item",
        "tax.tax_arrears",
        "--provider",
        &tax,
        "--errors",
        errors.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error[ingest.partial]:"));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "batch_id",
        "received",
        "accepted",
        "rejected",
        "unchanged",
        "new_versions",
        "seconds",
    ] {
        assert!(report.get(key).is_some(), "{key} in the CLI's JSON");
    }
    assert_eq!(
        (report["accepted"].as_u64(), report["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    let written = std::fs::read_to_string(&errors).unwrap();
    assert!(
        written.starts_with("\u{feff}行号,字段,值,原因\n3,uscc,'=cmd|"),
        "formula cells are neutralised in the report: {written}"
    );
    let shown = run(&[
        "records",
        "show",
        "--subject",
        &GOOD_A.to_lowercase(),
        "--format",
        "json",
    ]);
    let versions: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(versions.as_array().unwrap().len(), 1);
    assert_eq!(versions[0]["values"]["tax_arrears_amount"], "10");
    assert_eq!(versions[0]["provider_org_id"], tax.as_str());
    assert_eq!(versions[0]["catalog_version"], 1);
    let verify = run(&["ledger", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let status: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(
        status["size"],
        base + 3,
        "the version, the batch manifest and the access-log entry of `records show`"
    );
    assert_eq!(status["ok"], true);
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn providers_push_through_the_api_and_the_page() {
    let app = demo_with_subjects(Backend::Sqlite).await;
    let token = app.token_for("provider-tax").await;
    let body = format!("uscc,tax_arrears_amount\n{GOOD_A},10\n{GOOD_B},oops\n");
    let push = |token: String, item: &'static str, body: String| {
        let url = app.url(&format!("/api/v1/batches?item={item}"));
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .body(body)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    let (status, report) = push(token.clone(), "tax.tax_arrears", body.clone()).await;
    assert_eq!(status, 201, "{report}");
    assert_eq!(
        (report["accepted"].as_u64(), report["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(report["errors"][0]["row"], 3);
    let (status, again) = push(token.clone(), "tax.tax_arrears", body.clone()).await;
    assert_eq!((status, again["replayed"].as_bool()), (200, Some(true)));
    let (status, err) = push(token, "judicial.court_judgments", body.clone()).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (422, Some("collect.not_allowed"))
    );
    let market = app.token_for("provider-market").await;
    let (status, _) = push(
        market,
        "market_registration.change_records",
        "uscc,change_date\n".into(),
    )
    .await;
    assert_eq!(status, 200, "no rows: evaluated, nothing applied");

    // The page: the provider sees only its items and gets the report back.
    let client = app.logged_in("provider-tax").await;
    let page = page_text(&client, app.url("/collect")).await;
    assert!(page.contains("tax.tax_arrears") && !page.contains("judicial.court_judgments"));
    let csrf = crate::support::csrf_of(&page);
    let form = || {
        reqwest::multipart::Form::new()
            .text("item", "tax.tax_credit_rating")
            .text("format", "csv")
            .text("encoding", "auto")
            .part(
                "file",
                reqwest::multipart::Part::bytes(
                    format!("uscc,rating_year\n{GOOD_A},2025\n").into_bytes(),
                )
                .file_name("rating.csv"),
            )
    };
    let html = client
        .post(app.url(&format!("/collect?csrf={csrf}")))
        .multipart(form())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("批次已入库"), "{html}");
    assert!(html.contains("id=\"received\">1<"));
    let forged = client
        .post(app.url("/collect?csrf=forged"))
        .multipart(form())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ledger_proofs_check_out_as_an_outside_auditor_would() {
    use xinrong_ledger::{Hash, verify_consistency, verify_inclusion};
    let app = demo_with_subjects(Backend::Sqlite).await;
    let p = &app.platform;
    let tax = provider_id(p, "税务局").await;
    // The demo's sharing agreements are ledgered: sizes count from the ledger as it leaves it.
    let base = ledger::head(p).await.unwrap().size;
    send(
        p,
        &tax,
        format!("uscc,tax_arrears_amount\n{GOOD_A},1\n").as_bytes(),
        false,
    )
    .await;
    let token = app.token_for("bank-icbc").await;
    let (_, first) = app.api_get(&token, "/api/v1/ledger/head").await;
    assert_eq!(
        first["size"],
        base + 2,
        "one version and the batch manifest"
    );
    send(
        p,
        &tax,
        format!("uscc,tax_arrears_amount\n{GOOD_A},2\n{GOOD_B},3\n").as_bytes(),
        false,
    )
    .await;
    let (_, second) = app.api_get(&token, "/api/v1/ledger/head").await;
    assert_eq!(second["size"], base + 5);

    let hash = |v: &serde_json::Value| Hash::from_hex(v.as_str().unwrap()).unwrap();
    let hashes = |v: &serde_json::Value| v.as_array().unwrap().iter().map(hash).collect::<Vec<_>>();
    let (_, proof) = app
        .api_get(
            &token,
            &format!(
                "/api/v1/ledger/consistency?from={}&to={}",
                base + 2,
                base + 5
            ),
        )
        .await;
    assert!(verify_consistency(
        base + 2,
        base + 5,
        &hash(&first["root"]),
        &hash(&second["root"]),
        &hashes(&proof["path"])
    ));

    let record_id = xinrong_services::records::history(p, GOOD_B, None)
        .await
        .unwrap()[0]
        .record_id
        .clone();
    let (status, inc) = app
        .api_get(&token, &format!("/api/v1/ledger/inclusion/{record_id}"))
        .await;
    assert_eq!(status, 200, "{inc}");
    let index = inc["leaf_index"].as_u64().unwrap();
    assert!(verify_inclusion(
        &hash(&inc["leaf_hash"]),
        index,
        base + 5,
        &hashes(&inc["path"]),
        &hash(&second["root"])
    ));
    let (status, bad) = app
        .api_get(
            &token,
            &format!(
                "/api/v1/ledger/consistency?from={}&to={}",
                base + 5,
                base + 1
            ),
        )
        .await;
    assert_eq!((status, bad["code"].as_str()), (422, Some("ledger.proof")));
    let (status, _) = app
        .api_get(&token, "/api/v1/ledger/inclusion/no-such-record")
        .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_download_and_filled_xlsx_files_ingest() {
    let app = demo_with_subjects(Backend::Sqlite).await;
    let tax = provider_id(&app.platform, "税务局").await;
    let dir = std::env::temp_dir().join(format!("xr-tpl-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = app.db_url();
    let run = |args: &[&str]| crate::support::xinrong(&url, args);
    let template = dir.join("arrears.xlsx");
    let out = run(&[
        "template",
        "--item",
        "tax.tax_arrears",
        "--format",
        "xlsx",
        "--out",
        template.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read(&template).unwrap().starts_with(b"PK"),
        "an XLSX (zip) file"
    );

    // A clerk fills the data sheet in Excel: here, a workbook with the template's header.
    let item = xinrong_core::catalog::builtin()
        .item("tax.tax_arrears")
        .unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, field) in item.fields.iter().enumerate() {
        sheet.write_string(0, col as u16, &field.label).unwrap();
    }
    let col = |key: &str| item.fields.iter().position(|f| f.key == key).unwrap() as u16;
    sheet.write_string(1, col("uscc"), GOOD_A).unwrap();
    sheet
        .write_number(1, col("tax_arrears_amount"), 1234.5)
        .unwrap();
    let filled = dir.join("filled.xlsx");
    book.save(&filled).unwrap();
    let out = run(&[
        "ingest",
        "--item",
        "tax.tax_arrears",
        "--provider",
        &tax,
        "--format",
        "xlsx",
        filled.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let versions = xinrong_services::records::history(&app.platform, GOOD_A, None)
        .await
        .unwrap();
    assert_eq!(versions[0].values["tax_arrears_amount"], "1234.5");

    let token = app.token_for("provider-tax").await;
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/catalog/items/tax.tax_arrears/template?format=csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("tax.tax_arrears.csv")
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .starts_with("企业名称,统一社会信用代码")
    );
    std::fs::remove_dir_all(dir).ok();
}
