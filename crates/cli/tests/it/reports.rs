//! 标准化信用信息报告 (credit reports), black-box: issued through the API, the pages and the CLI
//! from the one access decision — sections in catalogue order with provenance and flags, an
//! authorized field withheld with its notice and never leaking into JSON, HTML or PDF — refused
//! without purpose or agreement and for bad subjects; logged as an access (channel `report`),
//! anchored in the ledger (which still verifies); and verified: the original JSON and PDF are
//! genuine, a flipped byte or an edited value is altered, an unknown id is not found.

use crate::on_all_backends;
use crate::subjects::{seed, subject_of_ent1};
use crate::support::{TestApp, csrf_of, demo_user, page_text, temp_file, xinrong};
use reqwest::Method;
use serde_json::{Value, json};
use xinrong_core::role::{InstitutionKind, Role};
use xinrong_services::identity::{NewOrganization, NewUser, create_organization, create_user};
use xinrong_store::Backend;

const JUDGMENTS: &str = "judicial.court_judgments";
const ARREARS: &str = "tax.tax_arrears";

fn sections(report: &Value) -> &Vec<Value> {
    report["sections"].as_array().expect("sections")
}

fn item<'r>(report: &'r Value, key: &str) -> &'r Value {
    sections(report)
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .find(|i| i["key"] == key)
        .unwrap_or_else(|| panic!("item {key} in the report"))
}

/// The text of a PDF, through poppler's `pdftotext` (installed by `.ci/run`).
fn pdf_text(bytes: &[u8]) -> String {
    let file = temp_file(bytes);
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file.0)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext failed: the PDF is not valid"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A PDF with an embedded, subset font: a font file stream and a `XXXXXX+` subset tag.
fn assert_embedded_subset_font(pdf: &[u8]) {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let raw = String::from_utf8_lossy(pdf);
    assert!(
        raw.contains("/FontFile3") || raw.contains("/FontFile2") || raw.contains("/FontFile "),
        "no embedded font program"
    );
    let tagged = raw.match_indices("/BaseFont").any(|(at, m)| {
        let name = raw[at + m.len()..].trim_start().trim_start_matches('/');
        name.len() > 7 && name[..6].bytes().all(|b| b.is_ascii_uppercase()) && &name[6..7] == "+"
    });
    assert!(tagged, "the embedded font has no subset tag");
}

async fn verify_api(app: &TestApp, token: &str, bytes: Vec<u8>) -> Value {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/reports/verify"))
        .bearer_auth(token)
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Uploads `bytes` on the public verification page of `id`, as an anonymous visitor.
async fn verify_page(app: &TestApp, id: &str, bytes: Vec<u8>, name: &str) -> (u16, String) {
    let visitor = TestApp::browser();
    let page = page_text(&visitor, app.url(&format!("/verify/report/{id}"))).await;
    let csrf = csrf_of(&page);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let response = visitor
        .post(app.url(&format!("/verify/report/{id}?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

on_all_backends!(a_report_is_the_one_decision_logged_anchored_and_verifiable);
async fn a_report_is_the_one_decision_logged_anchored_and_verifiable(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let subject = subject_of_ent1(&app).await;
    let (name, id) = seed(&app, &subject).await;
    let bank = app.token_for(demo_user(Role::Institution)).await;
    let (_, head_before) = app.api_get(&bank, "/api/v1/ledger/head").await;

    let (status, report) = app
        .api(
            Method::POST,
            &bank,
            "/api/v1/reports",
            Some(json!({"subject": subject, "purpose": "pre_loan", "purpose_text": "流动资金贷款申请"})),
        )
        .await;
    assert_eq!(status, 201, "{report}");
    let report_id = report["report_id"].as_str().unwrap().to_owned();
    assert_eq!(report["subject"]["uscc"], subject.as_str());
    assert_eq!(report["purpose"]["code"], "pre_loan");
    assert_eq!(report["purpose"]["text"], "流动资金贷款申请");
    assert!(
        report["requester"]["org_name"]
            .as_str()
            .unwrap()
            .contains("银行")
    );
    assert!(report["generated_at"].as_str().unwrap().ends_with('Z'));
    assert!(report["data_as_of"].is_string());

    // One section per catalogue category, in catalogue order; empty ones say 暂无记录.
    let mut expected: Vec<_> = xinrong_core::catalog::builtin().sections.iter().collect();
    expected.sort_by_key(|s| s.order);
    let keys: Vec<&str> = sections(&report)
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        expected.iter().map(|s| s.key.as_str()).collect::<Vec<_>>()
    );
    for s in sections(&report) {
        if s["items"].as_array().unwrap().is_empty() {
            assert_eq!(s["status"], "empty");
            assert_eq!(s["empty_text"], "暂无记录");
        }
    }
    assert!(sections(&report).iter().any(|s| s["status"] == "empty"));

    // Provenance and flags on every record; the plaintiff (授权共享) withheld with the notice.
    let judgments = item(&report, JUDGMENTS);
    let record = &judgments["records"][0];
    assert!(!record["source_unit"].as_str().unwrap().is_empty());
    assert!(record["updated_at"].is_string() && record["catalog_version"].is_number());
    for flag in ["objection_pending", "repaired", "self_declared"] {
        assert_eq!(record[flag], false, "{flag}");
    }
    let field = |key: &str| {
        record["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .cloned()
            .unwrap()
    };
    assert_eq!(field("plaintiff_name")["disclosure"], "withheld");
    assert_eq!(field("plaintiff_name")["value"], "");
    assert!(
        judgments["notice"]["message"]
            .as_str()
            .unwrap()
            .contains("授权"),
        "{judgments}"
    );
    let judicial = sections(&report)
        .iter()
        .find(|s| {
            s["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["key"] == JUDGMENTS)
        })
        .unwrap();
    assert_eq!(judicial["status"], "restricted");
    assert!(judicial["notice"]["message"].is_string());
    assert_eq!(
        item(&report, ARREARS)["records"].as_array().unwrap().len(),
        1
    );

    // The digest is SM3 of the canonical body.
    assert_eq!(
        report["digest"].as_str().unwrap(),
        xinrong_services::report::digest_of(&report)
    );

    // The same report as the page and as the PDF; nothing withheld is in any of them.
    let browser = app.logged_in(demo_user(Role::Institution)).await;
    let html = page_text(&browser, app.url(&format!("/reports/{report_id}"))).await;
    assert!(
        html.contains(&report_id) && html.contains("暂无记录"),
        "{html}"
    );
    assert!(html.contains("未提供（须取得信息主体授权）"));
    let pdf = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/reports/{report_id}/pdf")))
        .bearer_auth(&bank)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap().to_vec();
    assert_embedded_subset_font(&pdf);
    let text = pdf_text(&pdf);
    for (path, out) in [
        ("json", report.to_string()),
        ("html", html.clone()),
        ("pdf", String::from_utf8_lossy(&pdf).into_owned()),
        ("pdf text", text.clone()),
    ] {
        assert!(!out.contains(&name), "{path} leaked the plaintiff's name");
        assert!(
            !out.contains(&id),
            "{path} leaked the plaintiff's ID number"
        );
    }
    {
        assert!(text.contains("标准化信用信息报告"), "{text}");
        // pdftotext may or may not keep the narrow spaces of the footer.
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(compact.contains("第1页/共"), "{text}");
        assert!(text.contains(&format!("报告编号 {report_id}")));
    }
    // A second download is the same file (rendering is deterministic).
    let again = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/reports/{report_id}/pdf")))
        .bearer_auth(&bank)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(again.as_ref(), pdf.as_slice());

    // Re-download as JSON is the requester's (or the operator's) only.
    let (s, again) = app
        .api_get(&bank, &format!("/api/v1/reports/{report_id}"))
        .await;
    assert_eq!((s, &again["digest"]), (200, &report["digest"]));
    let other = app.token_for("bank-abc").await;
    let (s, _) = app
        .api_get(&other, &format!("/api/v1/reports/{report_id}"))
        .await;
    assert_eq!(s, 404);

    // Logged as an access of the subject, channel report; anchored in the ledger.
    let ent = app.token_for(demo_user(Role::Enterprise)).await;
    let (_, log) = app.api_get(&ent, "/api/v1/access-log").await;
    assert!(
        log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["channel"] == "report" && e["purpose"] == "pre_loan"),
        "{log}"
    );
    let (_, head_after) = app.api_get(&bank, "/api/v1/ledger/head").await;
    let index = report["ledger_index"].as_u64().unwrap();
    assert!(index >= head_before["size"].as_u64().unwrap());
    assert!(head_after["size"].as_u64().unwrap() > index);
    let verify = xinrong(&app.db_url(), &["ledger", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );

    // Verification: the API for machines, the public page for people.
    let json_file = serde_json::to_vec_pretty(&report).unwrap();
    let v = verify_api(&app, &bank, json_file.clone()).await;
    assert_eq!(v["status"], "genuine", "{v}");
    assert_eq!(v["report_id"], report_id.as_str());
    let v = verify_api(&app, &bank, pdf.clone()).await;
    assert_eq!(v["status"], "genuine", "{v}");
    let mut edited = report.clone();
    edited["purpose"]["text"] = json!("流动资金贷款申请（改）");
    let v = verify_api(&app, &bank, serde_json::to_vec(&edited).unwrap()).await;
    assert_eq!(v["status"], "altered", "{v}");
    let mut flipped = pdf.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 0x01;
    let v = verify_api(&app, &bank, flipped.clone()).await;
    assert_eq!(v["status"], "altered", "{v}");

    let visitor = TestApp::browser();
    let public = page_text(&visitor, app.url(&format!("/verify/report/{report_id}"))).await;
    assert!(public.contains("平台签发过此编号的信用报告") && public.contains(&subject));
    assert!(public.contains(report["digest"].as_str().unwrap()));
    for secret in [name.as_str(), id.as_str(), "1234567.89", "买卖合同纠纷"] {
        assert!(!public.contains(secret), "the verify page shows {secret}");
    }
    let (s, page) = verify_page(&app, &report_id, json_file, "report.json").await;
    assert_eq!(s, 200);
    assert!(
        page.contains("真实有效") && page.contains("data-status=\"genuine\""),
        "{page}"
    );
    let (_, page) = verify_page(&app, &report_id, pdf, "report.pdf").await;
    assert!(page.contains("data-status=\"genuine\""), "{page}");
    let (_, page) = verify_page(&app, &report_id, flipped, "report.pdf").await;
    assert!(
        page.contains("已被篡改") && page.contains("data-status=\"altered\""),
        "{page}"
    );
    let unknown = "01900000-0000-7000-8000-000000000000";
    let r = visitor
        .get(app.url(&format!("/verify/report/{unknown}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("未找到"));
}

on_all_backends!(reports_are_refused_without_a_basis_or_a_valid_subject);
async fn reports_are_refused_without_a_basis_or_a_valid_subject(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let subject = subject_of_ent1(&app).await;
    seed(&app, &subject).await;
    let bank = app.token_for(demo_user(Role::Institution)).await;
    let ask = |token: String, body: Value| {
        let app = &app;
        async move {
            app.api(Method::POST, &token, "/api/v1/reports", Some(body))
                .await
        }
    };
    let (s, body) = ask(
        bank.clone(),
        json!({"subject": "91410100MA0000000X", "purpose": "pre_loan"}),
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert!(
        body["code"].as_str().unwrap().starts_with("uscc."),
        "{body}"
    );
    let (s, body) = ask(
        bank.clone(),
        json!({"subject": "not-a-uscc", "purpose": "pre_loan"}),
    )
    .await;
    assert_eq!(s, 422, "{body}");
    let unknown = xinrong_core::codes::uscc::Uscc::from_body("91410100MA4000001")
        .unwrap()
        .as_str()
        .to_owned();
    let (s, body) = ask(
        bank.clone(),
        json!({"subject": unknown, "purpose": "pre_loan"}),
    )
    .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("subject.unknown")),
        "{body}"
    );
    let (s, body) = ask(bank.clone(), json!({"subject": subject})).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (403, Some("access.purpose_required")),
        "{body}"
    );
    assert!(!body.to_string().contains("1234567"));
    let (s, body) = ask(bank.clone(), json!({"subject": subject, "purpose": "摸底"})).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("access.unknown_purpose")),
        "{body}"
    );

    // An institution without a sharing agreement.
    let org = create_organization(
        &app.platform,
        NewOrganization {
            id: None,
            role: Role::Institution,
            name: "无协议农村信用社".into(),
            uscc: None,
            region_code: Some("410100".into()),
            institution_kind: Some(InstitutionKind::Bank),
        },
    )
    .await
    .unwrap();
    create_user(
        &app.platform,
        NewUser {
            org_id: org.id.clone(),
            username: "bank-noagr".into(),
            display_name: "无协议".into(),
            password: app.demo_password(),
        },
    )
    .await
    .unwrap();
    let outsider = app.token_for("bank-noagr").await;
    let (s, body) = ask(outsider, json!({"subject": subject, "purpose": "pre_loan"})).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (403, Some("access.no_agreement")),
        "{body}"
    );
    let cli = xinrong(
        &app.db_url(),
        &["report", &subject, "--as", &org.id, "--purpose", "pre_loan"],
    );
    assert!(!cli.status.success());
    assert!(String::from_utf8_lossy(&cli.stderr).contains("access.no_agreement"));

    // An enterprise reports on itself only.
    let ent = app.token_for(demo_user(Role::Enterprise)).await;
    let (s, body) = ask(ent, json!({"subject": unknown_other(&app, &subject).await})).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (403, Some("access.not_own_subject")),
        "{body}"
    );

    // The page refuses with the reason, never the data.
    let browser = app.logged_in(demo_user(Role::Institution)).await;
    let csrf = app.csrf_of_session(&browser).await;
    let r = browser
        .post(app.url(&format!("/subjects/{subject}/report")))
        .form(&[("csrf", csrf.as_str()), ("purpose", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let text = r.text().await.unwrap();
    assert!(!text.contains("1234567"));
}

/// Another enterprise of the demo city than `subject`.
async fn unknown_other(app: &TestApp, subject: &str) -> String {
    let token = app.token_for(demo_user(Role::Operator)).await;
    let (_, list) = app.api_get(&token, "/api/v1/enterprises").await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uscc"].as_str().unwrap().to_owned())
        .find(|u| u != subject)
        .unwrap()
}

on_all_backends!(an_enterprise_with_no_records_gets_a_report_of_empty_sections);
async fn an_enterprise_with_no_records_gets_a_report_of_empty_sections(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let subject = subject_of_ent1(&app).await;
    let ent = app.token_for(demo_user(Role::Enterprise)).await;
    let (s, report) = app
        .api(
            Method::POST,
            &ent,
            "/api/v1/reports",
            Some(json!({"subject": subject})),
        )
        .await;
    assert_eq!(s, 201, "{report}");
    let records: usize = sections(&report)
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .map(|i| i["records"].as_array().unwrap().len())
        .sum();
    assert_eq!(records, 0, "the demo enterprise has no records yet");
    assert!(report["data_as_of"].is_null());
    for s in sections(&report) {
        assert_eq!(
            (&s["status"], &s["empty_text"]),
            (&json!("empty"), &json!("暂无记录"))
        );
    }
    // The enterprise's own page offers the report; the report page prints 暂无记录.
    let browser = app.logged_in(demo_user(Role::Enterprise)).await;
    let mine = page_text(&browser, app.url("/my/data")).await;
    assert!(mine.contains("id=\"report-form\""), "{mine}");
    let csrf = app.csrf_of_session(&browser).await;
    let r = browser
        .post(app.url(&format!("/subjects/{subject}/report")))
        .form(&[("csrf", csrf.as_str()), ("purpose", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/reports/"));
    let page = page_text(&browser, app.url(&location)).await;
    assert!(page.contains("暂无记录") && page.contains("@media print"));
}

on_all_backends!(the_command_line_issues_pdf_and_json_reports_and_verifies_them);
async fn the_command_line_issues_pdf_and_json_reports_and_verifies_them(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let subject = subject_of_ent1(&app).await;
    let (name, id) = seed(&app, &subject).await;
    let dir = std::env::temp_dir().join(format!("xrt-report-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf_path = dir.join("report.pdf");
    let json_path = dir.join("report.json");
    let html_path = dir.join("report.html");
    let bank = "bank-icbc";
    let token = app.token_for(bank).await;
    let (_, me) = app.api_get(&token, "/api/v1/me").await;
    let bank_org = me["org_id"].as_str().unwrap().to_owned();
    for (format, path) in [
        ("pdf", &pdf_path),
        ("json", &json_path),
        ("html", &html_path),
    ] {
        let out = xinrong(
            &app.db_url(),
            &[
                "report",
                &subject,
                "--as",
                &bank_org,
                "--purpose",
                "贷前调查",
                "--purpose-text",
                "授信审查",
                "--format",
                format,
                "--out",
                path.to_str().unwrap(),
            ],
        );
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert_embedded_subset_font(&pdf);
    let raw = String::from_utf8_lossy(&pdf).into_owned();
    assert!(raw.contains("xinrong-report:"), "the id is in the metadata");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("@media print") && html.contains("size: A4"));
    let json: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    for out in [raw.clone(), html.clone(), json.to_string(), pdf_text(&pdf)] {
        assert!(!out.contains(&name) && !out.contains(&id), "leaked");
    }
    {
        let text = pdf_text(&pdf);
        assert!(text.contains("标准化信用信息报告") && text.contains("贷前调查"));
        // pdftotext may or may not keep the narrow spaces of the footer.
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(compact.contains("第1页/共"), "{text}");
        assert!(text.contains("报告编号 "));
    }

    let verify = |path: &std::path::Path| {
        xinrong(&app.db_url(), &["report", "verify", path.to_str().unwrap()])
    };
    for path in [&pdf_path, &json_path] {
        let out = verify(path);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("真实有效"));
    }
    // One byte flipped in the PDF; one value edited in the JSON; an id nobody issued.
    let mut flipped = pdf.clone();
    let at = flipped.len() / 3;
    flipped[at] ^= 0x20;
    std::fs::write(dir.join("flipped.pdf"), &flipped).unwrap();
    let out = verify(&dir.join("flipped.pdf"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已被篡改"));
    let mut edited = json.clone();
    edited["subject"]["name"] = json!("另一家公司");
    std::fs::write(
        dir.join("edited.json"),
        serde_json::to_vec(&edited).unwrap(),
    )
    .unwrap();
    assert_eq!(verify(&dir.join("edited.json")).status.code(), Some(1));
    let mut forged = json.clone();
    forged["report_id"] = json!("01900000-0000-7000-8000-000000000000");
    std::fs::write(
        dir.join("forged.json"),
        serde_json::to_vec(&forged).unwrap(),
    )
    .unwrap();
    let out = verify(&dir.join("forged.json"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("未找到"));

    let ledger = xinrong(&app.db_url(), &["ledger", "verify"]);
    assert!(ledger.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
