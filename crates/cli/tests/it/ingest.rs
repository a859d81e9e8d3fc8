//! The streaming batch path with the inputs a real provider sends: ragged and garbled files,
//! wrong encodings, huge cells, zip bombs, duplicate keys across chunks, unknown subjects;
//! business licences keeping the enterprise master current; events with durable cursors;
//! background jobs with progress and error reports; a batch killed with SIGKILL mid-way.

use crate::on_all_backends;
use crate::support::{TestApp, temp_file, xinrong};
use sea_orm::{ConnectionTrait, Statement};
use std::io::{BufRead, Write};
use xinrong_core::role::Role;
use xinrong_services::collect::{BatchKind, Encoding, Format, IngestReport, IngestRequest, ingest};
use xinrong_services::identity::list_organizations;
use xinrong_services::{Platform, ServiceError, events};

use xinrong_store::Backend;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter};

async fn provider_id(platform: &Platform, name_part: &str) -> String {
    list_organizations(platform, Some(Role::Provider))
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name.contains(name_part))
        .expect("demo provider")
        .id
}

/// USCCs of the demo city's enterprises, in USCC order.
async fn known_usccs(platform: &Platform, n: u64) -> Vec<String> {
    enterprises::scan_after(&platform.db.conn, &EnterpriseFilter::default(), None, n)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.uscc)
        .collect()
}

async fn push(
    platform: &Platform,
    provider: &str,
    item: &str,
    format: Format,
    bytes: &[u8],
    strict: bool,
) -> Result<IngestReport, ServiceError> {
    let file = temp_file(bytes);
    let request = IngestRequest {
        format,
        strict,
        ..request(item, provider, &file.0)
    };
    ingest(platform, request).await
}

/// A regular, non-strict CSV batch of `path`, encoding detected; tests override what they try.
fn request<'a>(item: &'a str, provider: &'a str, path: &'a std::path::Path) -> IngestRequest<'a> {
    IngestRequest {
        item_key: item,
        provider_org_id: provider,
        format: Format::Csv,
        encoding: Encoding::Auto,
        strict: false,
        kind: BatchKind::Regular,
        path,
        progress: None,
    }
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbled_files_get_row_reasons_or_a_clear_refusal() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let p = &app.platform;
    let tax = provider_id(p, "税务局").await;
    let s = known_usccs(p, 3).await;
    let csv = |body: String| format!("uscc,tax_arrears_amount,tax_type\n{body}");

    // A truncated line and a line with a stray column: row errors, the good row applies.
    let report = push(
        p,
        &tax,
        "tax.tax_arrears",
        Format::Csv,
        csv(format!(
            "{},10,增值税\n{}\n{},1,增值税,extra\n",
            s[0], s[1], s[2]
        ))
        .as_bytes(),
        false,
    )
    .await
    .unwrap();
    assert_eq!((report.accepted, report.rejected), (1, 2), "{report:?}");
    assert!(
        report.errors[0].reason.contains("列"),
        "{:?}",
        report.errors
    );

    // A header that matches no item: the whole file is refused, naming the columns.
    let err = push(
        p,
        &tax,
        "tax.tax_arrears",
        Format::Csv,
        b"foo,bar\n1,2\n",
        false,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "collect.unknown_columns");
    assert!(err.public_message().contains("foo"));

    // Declared UTF-8 but GBK bytes in a cell: that row is refused with the reason.
    let mut bytes = format!("uscc,tax_type\n{},", s[0]).into_bytes();
    bytes.extend_from_slice(&encoding_rs::GBK.encode("增值税").0);
    bytes.push(b'\n');
    let file = temp_file(&bytes);
    let declared_utf8 = IngestRequest {
        encoding: Encoding::Utf8,
        ..request("tax.tax_arrears", &tax, &file.0)
    };
    let report = ingest(p, declared_utf8).await.unwrap();
    assert_eq!(report.rejected, 1);
    assert!(
        report.errors[0].reason.contains("UTF-8"),
        "{:?}",
        report.errors
    );

    // A BOM is not part of the first column's name.
    let report = push(
        p,
        &tax,
        "tax.tax_arrears",
        Format::Csv,
        format!("\u{feff}uscc,tax_type\n{},消费税\n", s[1]).as_bytes(),
        false,
    )
    .await
    .unwrap();
    assert_eq!(report.accepted, 1, "{report:?}");

    // A 1 MB cell is a row error, not a stored megabyte.
    let huge = "长".repeat(1024 * 1024 / 3);
    let report = push(
        p,
        &tax,
        "tax.tax_arrears",
        Format::Csv,
        format!("uscc,tax_type\n{},{huge}\n", s[2]).as_bytes(),
        false,
    )
    .await
    .unwrap();
    assert_eq!((report.accepted, report.rejected), (0, 1));
    assert!(report.errors[0].reason.contains("超过"));
    assert!(
        report.errors[0].value.chars().count() <= 200,
        "reports carry a prefix only"
    );

    // An invalid USCC, a negative amount and a subject the platform does not know.
    let report = push(
        p,
        &tax,
        "tax.tax_arrears",
        Format::Csv,
        csv(format!(
            "914403001922038217,1,增值税\n{},-5,增值税\n91350100M000100Y43,1,增值税\n",
            s[0]
        ))
        .as_bytes(),
        false,
    )
    .await
    .unwrap();
    let reasons: Vec<&str> = report.errors.iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(report.rejected, 3, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("负数")), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("企业库中没有")),
        "{reasons:?}"
    );

    // Nothing of any refused file was half-applied: the ledger still verifies.
    let status = xinrong_services::ledger::verify(p).await.unwrap();
    assert!(status.ok, "{:?}", status.problems);
}

/// A workbook whose first sheet inflates to 64 MiB of zeros from a few hundred KiB.
fn zip_bomb() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let block = vec![b'0'; 1024 * 1024];
        for _ in 0..64 {
            zip.write_all(&block).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// A real workbook whose worksheet XML is cut off in the middle of a tag.
fn malformed_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "uscc").unwrap();
    let good = book.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            zip.start_file(&name, zip::write::SimpleFileOptions::default())
                .unwrap();
            if name.ends_with("sheet1.xml") {
                zip.write_all(b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>uscc</t></is></c></row><row r=\"2\"><c r=")
                    .unwrap();
            } else {
                std::io::copy(&mut entry, &mut zip).unwrap();
            }
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_workbooks_are_refused_before_they_cost_memory() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let p = &app.platform;
    let tax = provider_id(p, "税务局").await;
    let err = push(p, &tax, "tax.tax_arrears", Format::Xlsx, &zip_bomb(), false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "collect.xlsx_bomb", "{err}");
    let err = push(
        p,
        &tax,
        "tax.tax_arrears",
        Format::Xlsx,
        &malformed_xlsx(),
        false,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "collect.xlsx", "{err}");
    let err = push(
        p,
        &tax,
        "tax.tax_arrears",
        Format::Xlsx,
        b"uscc\nnot a workbook\n",
        false,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "collect.xlsx");
    assert_eq!(count(p, "SELECT COUNT(*) FROM batches").await, 0);
}

async fn duplicates_are_found_across_chunks(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let p = &app.platform;
    let court = provider_id(p, "法院").await;
    let subjects = known_usccs(p, 200).await;
    // 2,500 judgments cross the 2,000-row chunk boundary; line 2,400 repeats line 10's key.
    let mut body = String::from("uscc,case_no\n");
    for i in 0..2_500usize {
        let case = if i == 2_398 { 8 } else { i };
        body.push_str(&format!(
            "{},（2026）豫01民初{case}号\n",
            subjects[case % 200]
        ));
    }
    let report = push(
        p,
        &court,
        "judicial.court_judgments",
        Format::Csv,
        body.as_bytes(),
        false,
    )
    .await
    .unwrap();
    assert_eq!(report.duplicates, 1, "{:?}", report.errors);
    assert_eq!(report.accepted, 2_499);
    assert_eq!(
        report.errors[0].row, 2_400,
        "line 2,400 of the file (header is line 1)"
    );
    assert_eq!(count(p, "SELECT COUNT(*) FROM records").await, 2_499);
    assert_eq!(count(p, "SELECT COUNT(*) FROM events").await, 2_499);
    assert_eq!(
        count(p, "SELECT COUNT(*) FROM batches WHERE rows_duplicate = 1").await,
        1,
        "the batch remembers it for data quality"
    );
    // Inside one chunk the report names the first line; strict refuses the file whole.
    let strict = format!("uscc,case_no\n{0},甲\n{0},甲\n", subjects[0]);
    let refused = push(
        p,
        &court,
        "judicial.court_judgments",
        Format::Csv,
        strict.as_bytes(),
        true,
    )
    .await
    .unwrap();
    assert!(!refused.applied);
    assert!(
        refused.errors[0].reason.contains("第 2 行"),
        "{:?}",
        refused.errors
    );
    assert_eq!(count(p, "SELECT COUNT(*) FROM batches").await, 1);
}
on_all_backends!(duplicates_are_found_across_chunks);

async fn business_licences_keep_the_enterprise_master_current(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let p = &app.platform;
    let market = provider_id(p, "市场监督管理局").await;
    let code = xinrong_core::codes::uscc::Uscc::from_body("91410105MA44UR9K2").unwrap();
    let new = code.as_str();
    let licence = format!(
        "uscc,enterprise_name,legal_representative,establishment_date,registered_capital,operating_term_to\n{new},郑州新设科技有限公司,李四,2026-03-01,5000000.00,2046-02-28\n"
    );
    let report = push(
        p,
        &market,
        "market_registration.business_license",
        Format::Csv,
        licence.as_bytes(),
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        report.accepted, 1,
        "a validity end in the future is fine: {report:?}"
    );
    let row = enterprises::get(&p.db.conn, new)
        .await
        .unwrap()
        .expect("created");
    assert_eq!(row.name, "郑州新设科技有限公司");
    assert_eq!(row.legal_rep_name, "李四");
    assert_eq!(
        row.region_code, "410105",
        "from the registering authority in the USCC"
    );
    assert_eq!(row.registered_capital_fen, 500_000_000);

    // A change of name arrives as a new version of the licence and updates the master.
    let renamed = licence.replace("郑州新设科技有限公司", "郑州新设智能科技有限公司");
    push(
        p,
        &market,
        "market_registration.business_license",
        Format::Csv,
        renamed.as_bytes(),
        false,
    )
    .await
    .unwrap();
    let row = enterprises::get(&p.db.conn, new).await.unwrap().unwrap();
    assert_eq!(row.name, "郑州新设智能科技有限公司");
    // Now other providers may report about it.
    let tax = provider_id(p, "税务局").await;
    let report = push(
        p,
        &tax,
        "tax.tax_arrears",
        Format::Csv,
        format!("uscc,tax_type\n{new},增值税\n").as_bytes(),
        false,
    )
    .await
    .unwrap();
    assert_eq!(report.accepted, 1, "{report:?}");
}
on_all_backends!(business_licences_keep_the_enterprise_master_current);

async fn events_carry_kind_and_severity_and_consumers_resume(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let p = &app.platform;
    let s = known_usccs(p, 2).await;
    let court = provider_id(p, "法院").await;
    let item = "judicial.dishonest_judgment_debtors";
    let first = format!(
        "debtor_id_no_or_uscc,case_no\n{},（2026）豫01执1号\n{},（2026）豫01执2号\n",
        s[0], s[1]
    );
    let report = push(p, &court, item, Format::Csv, first.as_bytes(), false)
        .await
        .unwrap();
    assert_eq!(report.new_records, 2, "{report:?}");

    let batch = events::read(p, "warnings", 10).await.unwrap();
    assert_eq!(batch.len(), 2);
    assert!(batch.iter().all(|e| e.kind == "new" && e.item_key == item));
    assert!(
        batch
            .iter()
            .all(|e| e.severity.as_deref() == Some("serious")),
        "失信被执行人 is serious: {batch:?}"
    );
    // Not acknowledged: a restarted consumer gets the same events again.
    assert_eq!(events::read(p, "warnings", 10).await.unwrap(), batch);
    events::acknowledge(p, "warnings", batch[0].seq)
        .await
        .unwrap();
    let rest = events::read(p, "warnings", 10).await.unwrap();
    assert_eq!(rest, batch[1..]);
    // A late acknowledgement never moves the cursor back; other consumers are independent.
    events::acknowledge(p, "warnings", 0).await.unwrap();
    assert_eq!(events::cursor(p, "warnings").await.unwrap(), batch[0].seq);
    assert_eq!(events::read(p, "feeds", 10).await.unwrap().len(), 2);
    assert_eq!(
        events::read(p, "Bad Name!", 1).await.unwrap_err().code(),
        "events.consumer"
    );

    // A correction batch turns a changed record into a `corrected` event.
    let correction = format!(
        "debtor_id_no_or_uscc,case_no,performance_status\n{},（2026）豫01执1号,部分履行\n",
        s[0]
    );
    let file = temp_file(correction.as_bytes());
    let correction = IngestRequest {
        kind: BatchKind::Correction,
        ..request(item, &court, &file.0)
    };
    ingest(p, correction).await.unwrap();
    let after = events::read(p, "warnings", 10).await.unwrap();
    let last = after.last().unwrap();
    assert_eq!(
        (last.kind.as_str(), last.version),
        ("corrected", 2),
        "{after:?}"
    );
    // An ordinary item's events carry no severity.
    let tax = provider_id(p, "税务局").await;
    push(
        p,
        &tax,
        "tax.tax_credit_rating",
        Format::Csv,
        format!("uscc,rating_year\n{},2025\n", s[0]).as_bytes(),
        false,
    )
    .await
    .unwrap();
    let last = events::read(p, "warnings", 10)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        (last.item_key.as_str(), last.severity),
        ("tax.tax_credit_rating", None)
    );
}
on_all_backends!(events_carry_kind_and_severity_and_consumers_resume);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_reads_events_as_a_consumer() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let p = &app.platform;
    let tax = provider_id(p, "税务局").await;
    let s = known_usccs(p, 3).await;
    let body = format!("uscc,tax_type\n{},甲\n{},乙\n{},丙\n", s[0], s[1], s[2]);
    push(
        p,
        &tax,
        "tax.tax_arrears",
        Format::Csv,
        body.as_bytes(),
        false,
    )
    .await
    .unwrap();
    let url = app.db_url();
    let read = |extra: &[&str]| {
        let mut args = vec!["events", "read", "--consumer", "push", "--limit", "2"];
        args.extend_from_slice(extra);
        let out = xinrong(&url, &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    let first = read(&[]);
    assert_eq!(first.len(), 2);
    assert_eq!(read(&["--ack"]), first, "unacknowledged events come again");
    let next = read(&["--ack"]);
    assert_eq!(next.len(), 1);
    assert_eq!(next[0]["subject"], s[2].as_str());
    assert!(read(&[]).is_empty());
    let out = xinrong(
        &url,
        &["events", "ack", "--consumer", "BAD NAME", "--through", "1"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error[events.consumer]"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_killed_mid_way_leaves_nothing_and_a_resend_completes_it() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let p = &app.platform;
    let court = provider_id(p, "法院").await;
    let subjects = known_usccs(p, 200).await;
    let file = temp_file({
        let mut body = String::from("uscc,case_no\n");
        for i in 0..60_000usize {
            body.push_str(&format!("{},（2026）豫01民初{i}号\n", subjects[i % 200]));
        }
        body
    });
    let path = file.0.to_str().unwrap().to_owned();
    let args = [
        "ingest",
        "--item",
        "judicial.court_judgments",
        "--provider",
        &court,
        "--progress",
        &path,
    ];
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_xinrong"))
        .args(args)
        .env("XINRONG_DATABASE_URL", app.db_url())
        .env("XINRONG_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the batch has written versions inside its transaction, then SIGKILL it.
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut killed_mid_way = false;
    for line in stderr.lines() {
        let line = line.unwrap();
        let Ok(progress) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if progress["stage"] == "applying" && progress["rows_written"].as_u64() > Some(0) {
            child.kill().unwrap();
            killed_mid_way = true;
            break;
        }
    }
    child.wait().unwrap();
    assert!(
        killed_mid_way,
        "the batch finished before it could be killed; make the file larger"
    );
    assert_eq!(count(p, "SELECT COUNT(*) FROM records").await, 0);
    assert_eq!(count(p, "SELECT COUNT(*) FROM batches").await, 0);
    assert_eq!(count(p, "SELECT COUNT(*) FROM events").await, 0);
    let out = xinrong(&app.db_url(), &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(p, "SELECT COUNT(*) FROM records").await, 60_000);
    assert_eq!(
        count(p, "SELECT COUNT(*) FROM events").await,
        60_000,
        "no event lost"
    );
    let verify = xinrong(&app.db_url(), &["ledger", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_batches_report_progress_and_error_reports() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let s = known_usccs(&app.platform, 2).await;
    let token = app.token_for("provider-tax").await;
    let body = format!(
        "uscc,tax_type,tax_arrears_amount\n{},增值税,10\n{},增值税,=cmd|' /C calc'!A0\n",
        s[0], s[1]
    );
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/batches?item=tax.tax_arrears&async=true"))
        .bearer_auth(&token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let job: serde_json::Value = response.json().await.unwrap();
    let id = job["id"].as_str().unwrap().to_owned();
    // Poll as a client would until the job has finished.
    let finished = loop {
        let (status, job) = app
            .api_get(&token, &format!("/api/v1/batches/jobs/{id}"))
            .await;
        assert_eq!(status, 200);
        if job["status"] != "running" {
            break job;
        }
        tokio::task::yield_now().await;
    };
    assert_eq!(finished["status"], "finished", "{finished}");
    assert_eq!(finished["report"]["rejected"], 1);
    assert_eq!(finished["percent"], 100);

    for (format, magic) in [("xlsx", &b"PK"[..]), ("csv", &b"\xef\xbb\xbf"[..])] {
        let file = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/batches/jobs/{id}/errors?format={format}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        let bytes = file.bytes().await.unwrap();
        assert!(bytes.starts_with(magic), "{format}");
        if format == "csv" {
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("'=cmd"), "formula neutralised: {text}");
        }
    }
    // Another provider cannot see the job.
    let other = app.token_for("provider-market").await;
    let (status, _) = app
        .api_get(&other, &format!("/api/v1/batches/jobs/{id}"))
        .await;
    assert_eq!(status, 404);

    // The upload page shows the finished batch with links to both reports.
    let client = app.logged_in("provider-tax").await;
    let page = client
        .get(app.url(&format!("/collect/jobs/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("下载错误报告")
            && html.contains(&format!("/collect/jobs/{id}/errors?format=xlsx"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ingest_benchmark_prints_its_figures() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xinrong"))
        .args(["bench", "ingest", "--rows", "3000"])
        .env_remove("XINRONG_DATABASE_URL")
        .env("XINRONG_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figures: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(figures["rows"], 3000);
    assert_eq!(figures["accepted"], 3000);
    for key in ["seconds", "rows_per_s", "baseline_rows_per_s", "ratio"] {
        assert!(figures[key].as_f64().unwrap() > 0.0, "{key}: {figures}");
    }
}

async fn the_same_file_sent_twice_at_once_is_applied_once(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let p = &app.platform;
    let court = provider_id(p, "法院").await;
    let subjects = known_usccs(p, 50).await;
    let mut body = String::from("uscc,case_no\n");
    for i in 0..5_000usize {
        body.push_str(&format!("{},（2026）豫01民初{i}号\n", subjects[i % 50]));
    }
    let (a, b) = tokio::join!(
        push(
            p,
            &court,
            "judicial.court_judgments",
            Format::Csv,
            body.as_bytes(),
            false
        ),
        push(
            p,
            &court,
            "judicial.court_judgments",
            Format::Csv,
            body.as_bytes(),
            false
        ),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.batch_id, b.batch_id);
    assert!(
        a.replayed != b.replayed,
        "one applied, one replayed: {a:?} {b:?}"
    );
    assert_eq!(count(p, "SELECT COUNT(*) FROM records").await, 5_000);
    assert_eq!(count(p, "SELECT COUNT(*) FROM batches").await, 1);
}
on_all_backends!(the_same_file_sent_twice_at_once_is_applied_once);
