//! Authorizations (授权): the CLI round trip, the refusals `check` gives the access decision
//! (forged, other party's, expired, paused, revoked, disputed — none naming data), the
//! enterprise's online grant through its page with CSRF, the institution's written grant with
//! its scan, disputes, who sees what, and a trail entry for every event.

use crate::on_all_backends;
use crate::support::{TestApp, csrf_of, page_text, temp_file, xinrong};
use reqwest::Method;
use serde_json::{Value, json};
use xinrong_services::authorizations::{self, UNKNOWN_MESSAGE};
use xinrong_services::trail;
use xinrong_store::Backend;
use xinrong_store::repo::organizations::{self, OrganizationRow};
use xinrong_store::repo::users;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// The organisation of a demo user.
pub async fn org_of(app: &TestApp, username: &str) -> OrganizationRow {
    let conn = &app.platform.db.conn;
    let user = users::by_username(conn, username)
        .await
        .unwrap()
        .expect("demo user");
    organizations::get(conn, &user.org_id)
        .await
        .unwrap()
        .expect("org")
}

fn json_out(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The CLI fails with `error[code]`.
fn fails_with(out: &std::process::Output, code: &str) {
    assert!(!out.status.success(), "should fail with {code}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("error[{code}]")),
        "expected error[{code}], got: {stderr}"
    );
}

async fn kinds(app: &TestApp, id: &str) -> Vec<String> {
    trail::for_ref(&app.platform.db.conn, id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.kind)
        .collect()
}

async fn cli_grant_list_revoke_round_trip(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let db = app.db_url();
    let subject = org_of(&app, "ent-1").await.uscc.unwrap();
    let bank = org_of(&app, "bank-icbc").await;

    let out = xinrong(
        &db,
        &[
            "authz",
            "grant",
            "--subject",
            &subject,
            "--grantee",
            &bank.name,
            "--items",
            "tax,judicial",
            "--purpose",
            "贷前调查",
            "--purpose-text",
            "流动资金贷款申请",
            "--days",
            "30",
        ],
    );
    let granted = json_out(&out);
    let id = granted["id"].as_str().expect("id").to_owned();
    assert_eq!(granted["status"], "active");
    assert_eq!(granted["channel"], "online");
    assert_eq!(granted["purpose"], "pre_loan");
    assert_eq!(granted["purpose_text"], "流动资金贷款申请");
    assert_eq!(granted["grantee_org_id"], bank.id.as_str());
    assert_eq!(granted["items"], json!(["judicial", "tax"]));
    assert_eq!(granted["use_count"], 0);

    // The purpose with its text in one argument, by code.
    let second = json_out(&xinrong(
        &db,
        &[
            "authz",
            "grant",
            "--subject",
            &subject,
            "--grantee",
            &bank.id,
            "--items",
            "tax.tax_arrears",
            "--purpose",
            "post_loan:贷后检查",
            "--days",
            "10",
        ],
    ));
    assert_eq!(second["purpose"], "post_loan");
    assert_eq!(second["purpose_text"], "贷后检查");

    let listed = json_out(&xinrong(
        &db,
        &["authz", "list", "--subject", &subject, "--format", "json"],
    ));
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&id.as_str()));

    let revoked = json_out(&xinrong(&db, &["authz", "revoke", &id]));
    assert_eq!(revoked["status"], "revoked");
    let listed = json_out(&xinrong(
        &db,
        &["authz", "list", "--subject", &subject, "--format", "json"],
    ));
    let row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .unwrap();
    assert_eq!(row["status"], "revoked");
    // Revoking twice is refused.
    fails_with(&xinrong(&db, &["authz", "revoke", &id]), "authz.revoked");
    fails_with(
        &xinrong(
            &db,
            &["authz", "revoke", "00000000-0000-0000-0000-000000000000"],
        ),
        "not_found",
    );

    // Revocation takes effect on the next read.
    let now = app.platform.clock.now_naive();
    let refused = authorizations::check(&app.platform.db.conn, &id, &bank.id, &subject, now)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "authz.revoked");
    assert_eq!(
        kinds(&app, &id).await,
        ["authorization.granted", "authorization.revoked"]
    );

    // Bad input: a clear error and nothing written.
    let provider = org_of(&app, "provider-market").await;
    let grant = |subject: &str, grantee: &str, items: &str, days: &str| {
        vec![
            "authz".to_owned(),
            "grant".into(),
            "--subject".into(),
            subject.into(),
            "--grantee".into(),
            grantee.into(),
            "--items".into(),
            items.into(),
            "--purpose".into(),
            "贷前调查".into(),
            "--days".into(),
            days.into(),
        ]
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        xinrong(&db, &refs)
    };
    fails_with(
        &run(grant("91410100MA44XPMU3B", &bank.id, "tax", "30")),
        "authz.subject",
    );
    fails_with(
        &run(grant(&subject, "没有这家银行", "tax", "30")),
        "authz.grantee",
    );
    fails_with(
        &run(grant(&subject, &provider.name, "tax", "30")),
        "authz.grantee_kind",
    );
    fails_with(
        &run(grant(&subject, &bank.id, "tax.no_such_item", "30")),
        "authz.item",
    );
    fails_with(&run(grant(&subject, &bank.id, "tax", "0")), "authz.days");
    fails_with(&run(grant(&subject, &bank.id, "tax", "-5")), "authz.days");
    fails_with(&run(grant(&subject, &bank.id, "tax", "3651")), "authz.days");
    let mut bad_purpose = grant(&subject, &bank.id, "tax", "30");
    bad_purpose[9] = "营销推广".into();
    fails_with(&run(bad_purpose), "authz.purpose");
    // Evidence: not PDF/JPEG/PNG, or bytes that are not the type the name declares.
    let text = temp_file(b"just text");
    let txt = text.0.with_extension("txt");
    std::fs::copy(&text.0, &txt).unwrap();
    let mut with_txt = grant(&subject, &bank.id, "tax", "30");
    with_txt.extend([
        "--channel".into(),
        "written".into(),
        "--evidence".into(),
        txt.display().to_string(),
    ]);
    fails_with(&run(with_txt), "attachment.type_not_allowed");
    let fake = temp_file(PNG);
    let fake_pdf = fake.0.with_extension("pdf");
    std::fs::copy(&fake.0, &fake_pdf).unwrap();
    let mut with_fake = grant(&subject, &bank.id, "tax", "30");
    with_fake.extend(["--evidence".into(), fake_pdf.display().to_string()]);
    fails_with(&run(with_fake), "attachment.type_mismatch");
    let mut written_without = grant(&subject, &bank.id, "tax", "30");
    written_without.extend(["--channel".into(), "written".into()]);
    fails_with(&run(written_without), "authz.evidence");
    let _ = std::fs::remove_file(&txt);
    let _ = std::fs::remove_file(&fake_pdf);

    let listed = json_out(&xinrong(
        &db,
        &["authz", "list", "--subject", &subject, "--format", "json"],
    ));
    assert_eq!(
        listed.as_array().unwrap().len(),
        2,
        "refused grants wrote nothing"
    );

    // A written grant with a real PDF keeps the scan's SM3.
    let pdf = temp_file(PDF);
    let pdf_path = pdf.0.with_extension("pdf");
    std::fs::copy(&pdf.0, &pdf_path).unwrap();
    let mut written = grant(&subject, &bank.id, "tax", "30");
    written.extend([
        "--channel".into(),
        "written".into(),
        "--evidence".into(),
        pdf_path.display().to_string(),
    ]);
    let w = json_out(&run(written));
    let _ = std::fs::remove_file(&pdf_path);
    assert_eq!(w["channel"], "written");
    assert_eq!(w["evidence_sm3"], xinrong_ledger::sm3(&[PDF]).to_hex());
}
on_all_backends!(cli_grant_list_revoke_round_trip);

async fn check_refuses_without_leaking(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let db = app.db_url();
    let conn = &app.platform.db.conn;
    let ent = org_of(&app, "ent-1").await;
    let subject = ent.uscc.clone().unwrap();
    let other_subject = org_of(&app, "ent-2").await.uscc.unwrap();
    let bank = org_of(&app, "bank-icbc").await;
    let other_bank = org_of(&app, "bank-abc").await;
    let grant = |days: &str| {
        json_out(&xinrong(
            &db,
            &[
                "authz",
                "grant",
                "--subject",
                &subject,
                "--grantee",
                &bank.id,
                "--items",
                "tax",
                "--purpose",
                "贷前调查",
                "--purpose-text",
                "秘密贷款项目甲",
                "--days",
                days,
            ],
        ))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let id = grant("2");
    let now = app.platform.clock.now_naive();

    let ok = authorizations::check(conn, &id, &bank.id, &subject, now)
        .await
        .unwrap();
    let item = xinrong_core::catalog::builtin()
        .item("tax.tax_arrears")
        .unwrap();
    assert!(ok.covers(item, "pre_loan", None));
    assert!(ok.covers(item, "贷前调查", None));
    assert!(!ok.covers(item, "post_loan", None), "the purpose is bound");
    let active = authorizations::find_active(conn, &bank.id, &subject, now)
        .await
        .unwrap();
    assert_eq!(
        active.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [id.as_str()]
    );
    assert!(
        authorizations::find_active(conn, &other_bank.id, &subject, now)
            .await
            .unwrap()
            .is_empty()
    );

    // A forged id, another grantee's and another subject's are refused alike.
    let forged = authorizations::check(
        conn,
        "0190a000-0000-7000-8000-000000000000",
        &bank.id,
        &subject,
        now,
    )
    .await
    .unwrap_err();
    let other_grantee = authorizations::check(conn, &id, &other_bank.id, &subject, now)
        .await
        .unwrap_err();
    let wrong_subject = authorizations::check(conn, &id, &bank.id, &other_subject, now)
        .await
        .unwrap_err();
    for r in [&forged, &other_grantee, &wrong_subject] {
        assert_eq!(r.code, "authz.unknown");
        assert_eq!(r.reason, UNKNOWN_MESSAGE);
    }

    // Expired: the same authorization judged three days later.
    let later = now + chrono::Duration::days(3);
    let expired = authorizations::check(conn, &id, &bank.id, &subject, later)
        .await
        .unwrap_err();
    assert_eq!(expired.code, "authz.expired");
    assert!(
        authorizations::find_active(conn, &bank.id, &subject, later)
            .await
            .unwrap()
            .is_empty()
    );

    // Paused and resumed by the enterprise through the API.
    let ent_token = app.token_for("ent-1").await;
    let (status, body) = app
        .api(
            Method::POST,
            &ent_token,
            &format!("/api/v1/authorizations/{id}/pause"),
            Some(json!({"reason": "暂不需要"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "paused");
    let paused = authorizations::check(conn, &id, &bank.id, &subject, now)
        .await
        .unwrap_err();
    assert_eq!(paused.code, "authz.paused");
    let (status, body) = app
        .api(
            Method::POST,
            &ent_token,
            &format!("/api/v1/authorizations/{id}/resume"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        authorizations::check(
            conn,
            &id,
            &bank.id,
            &subject,
            app.platform.clock.now_naive()
        )
        .await
        .is_ok()
    );

    // Uses are counted atomically.
    authorizations::record_use(conn, &id, now).await.unwrap();
    authorizations::record_use(conn, &id, now).await.unwrap();
    let row = authorizations::check(conn, &id, &bank.id, &subject, now)
        .await
        .unwrap();
    assert_eq!(row.use_count, 2);
    assert!(row.last_used_at.is_some());
    assert!(authorizations::record_use(conn, "nope", now).await.is_err());

    // Revoked.
    let (status, _) = app
        .api(
            Method::POST,
            &ent_token,
            &format!("/api/v1/authorizations/{id}/revoke"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let revoked = authorizations::check(conn, &id, &bank.id, &subject, now)
        .await
        .unwrap_err();
    assert_eq!(revoked.code, "authz.revoked");

    // No refusal names the subject, the grantee, the purpose text or the items.
    for r in [
        &forged,
        &other_grantee,
        &wrong_subject,
        &expired,
        &paused,
        &revoked,
    ] {
        for secret in [
            subject.as_str(),
            ent.name.as_str(),
            bank.name.as_str(),
            "秘密贷款项目甲",
            "纳税",
            id.as_str(),
        ] {
            assert!(!r.reason.contains(secret), "{} leaks {secret}", r.code);
        }
    }
    assert_eq!(
        kinds(&app, &id).await,
        [
            "authorization.granted",
            "authorization.paused",
            "authorization.resumed",
            "authorization.revoked"
        ]
    );
}
on_all_backends!(check_refuses_without_leaking);

async fn enterprise_grants_online_through_the_page(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let bank = org_of(&app, "bank-icbc").await;
    let subject = org_of(&app, "ent-1").await.uscc.unwrap();
    let client = app.logged_in("ent-1").await;
    let form_page = page_text(&client, app.url("/authorizations/new")).await;
    assert!(
        form_page.contains(&bank.name),
        "the grantee list names the bank"
    );
    let csrf = csrf_of(&form_page);
    let fields = |consent: bool| {
        let mut f = vec![
            ("csrf", csrf.clone()),
            ("grantee", bank.id.clone()),
            ("section", "tax".to_owned()),
            ("section", "social_insurance".to_owned()),
            ("purpose", "pre_loan".to_owned()),
            ("purpose_text", "流动资金贷款申请".to_owned()),
            ("days", "90".to_owned()),
        ];
        if consent {
            f.push(("consent", "on".to_owned()));
        }
        f
    };
    // Without CSRF: refused, nothing written.
    let response = client
        .post(app.url("/authorizations/new"))
        .form(&fields(true)[1..])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // Without consent: the notice with the specifics, nothing written.
    let response = client
        .post(app.url("/authorizations/new"))
        .form(&fields(false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let notice = response.text().await.unwrap();
    for expected in [
        "我已阅读并同意",
        "风险提示",
        bank.name.as_str(),
        "纳税信息",
        "贷前调查：流动资金贷款申请",
        "90",
    ] {
        assert!(notice.contains(expected), "the notice states {expected}");
    }
    let token = app.token_for("ent-1").await;
    let (_, list) = app.api_get(&token, "/api/v1/authorizations").await;
    assert_eq!(
        list.as_array().unwrap().len(),
        0,
        "no consent, no authorization"
    );

    let response = client
        .post(app.url("/authorizations/new"))
        .form(&fields(true))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let id = location.rsplit('/').next().unwrap().to_owned();
    let detail = page_text(&client, app.url(&location)).await;
    assert!(detail.contains("线上授权") && detail.contains("data-status=\"active\""));
    let (_, list) = app.api_get(&token, "/api/v1/authorizations").await;
    let row = &list.as_array().unwrap()[0];
    assert_eq!(row["id"], id.as_str());
    assert_eq!(row["subject"], subject.as_str());
    assert_eq!(row["items"], json!(["social_insurance", "tax"]));
    assert_eq!(row["channel"], "online");

    // The grantee's users are told.
    let bank_user = users::by_username(&app.platform.db.conn, "bank-icbc")
        .await
        .unwrap()
        .unwrap();
    let inbox = xinrong_store::repo::notifications::for_user(
        &app.platform.db.conn,
        &bank_user.id,
        false,
        10,
    )
    .await
    .unwrap();
    assert!(inbox.iter().any(|n| n.kind == "authorization.granted"));

    // Pause, resume, revoke with htmx from the list; each answer is the row.
    let list_page = page_text(&client, app.url("/authorizations")).await;
    let csrf = csrf_of(&list_page);
    for (action, status) in [
        ("pause", "paused"),
        ("resume", "active"),
        ("revoke", "revoked"),
    ] {
        let fragment = client
            .post(app.url(&format!("/authorizations/{id}/action")))
            .header("hx-request", "true")
            .form(&[("csrf", csrf.as_str()), ("action", action)])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(fragment.starts_with("<tr"), "{fragment}");
        assert!(
            fragment.contains(&format!("data-status=\"{status}\"")),
            "{action}: {fragment}"
        );
    }
    // A revoked authorization offers no action and refuses one.
    let fragment = client
        .post(app.url(&format!("/authorizations/{id}/action")))
        .header("hx-request", "true")
        .form(&[("csrf", csrf.as_str()), ("action", "resume")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fragment.contains("role=\"alert\"") && fragment.contains("data-status=\"revoked\""));
    let detail = page_text(&client, app.url(&location)).await;
    for kind in [
        "authorization.granted",
        "authorization.paused",
        "authorization.resumed",
        "authorization.revoked",
    ] {
        assert!(
            detail.contains(&format!("data-kind=\"{kind}\"")),
            "timeline shows {kind}"
        );
    }
    assert_eq!(
        kinds(&app, &id).await,
        [
            "authorization.granted",
            "authorization.paused",
            "authorization.resumed",
            "authorization.revoked"
        ]
    );
}
on_all_backends!(enterprise_grants_online_through_the_page);

async fn written_upload(
    app: &TestApp,
    token: &str,
    subject: &str,
    name: &str,
    mime: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let form = reqwest::multipart::Form::new()
        .text("subject", subject.to_owned())
        .text("items", "tax,judicial")
        .text("purpose", "贷中审批")
        .text("purpose_text", "2026年第12号授信")
        .text("data_from", "2020-01-01")
        .text("days", "180")
        .part(
            "evidence",
            reqwest::multipart::Part::bytes(bytes.to_vec())
                .file_name(name.to_owned())
                .mime_str(mime)
                .unwrap(),
        );
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/authorizations/written"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn written_grants_and_disputes(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let conn = &app.platform.db.conn;
    let subject = org_of(&app, "ent-1").await.uscc.unwrap();
    let bank = org_of(&app, "bank-icbc").await;
    let bank_token = app.token_for("bank-icbc").await;
    let ent_token = app.token_for("ent-1").await;
    let op_token = app.token_for("operator").await;

    // Bytes that are not the declared type are refused, and nothing is written.
    let (status, body) = written_upload(
        &app,
        &bank_token,
        &subject,
        "scan.pdf",
        "application/pdf",
        PNG,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "attachment.type_mismatch");
    let (status, body) = written_upload(
        &app,
        &bank_token,
        &subject,
        "scan.txt",
        "text/plain",
        b"hello",
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "attachment.type_not_allowed");
    let (_, list) = app.api_get(&bank_token, "/api/v1/authorizations").await;
    assert_eq!(list.as_array().unwrap().len(), 0);

    let (status, w) = written_upload(
        &app,
        &bank_token,
        &subject,
        "scan.pdf",
        "application/pdf",
        PDF,
    )
    .await;
    assert_eq!(status, 201, "{w}");
    let id = w["id"].as_str().unwrap().to_owned();
    assert_eq!(w["channel"], "written");
    assert_eq!(w["grantee_org_id"], bank.id.as_str());
    assert_eq!(w["purpose"], "loan_approval");
    assert_eq!(w["data_from"], "2020-01-01");
    assert_eq!(w["evidence_sm3"], xinrong_ledger::sm3(&[PDF]).to_hex());

    // The enterprise sees it with the digest and can fetch the scan.
    let (_, mine) = app.api_get(&ent_token, "/api/v1/authorizations").await;
    assert_eq!(mine[0]["id"], id.as_str());
    assert_eq!(mine[0]["evidence_sm3"], w["evidence_sm3"]);
    let scan = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/authorizations/{id}/evidence")))
        .bearer_auth(&ent_token)
        .send()
        .await
        .unwrap();
    assert_eq!(scan.status(), 200);
    assert_eq!(scan.headers()["content-type"], "application/pdf");
    assert_eq!(scan.bytes().await.unwrap().as_ref(), PDF);
    let ent_inbox = {
        let u = users::by_username(conn, "ent-1").await.unwrap().unwrap();
        xinrong_store::repo::notifications::for_user(conn, &u.id, false, 10)
            .await
            .unwrap()
    };
    assert!(
        ent_inbox.iter().any(|n| n.kind == "authorization.granted"),
        "the subject is told"
    );

    // A dispute needs a reason, pauses the authorization and blocks resuming.
    let path = |action: &str| format!("/api/v1/authorizations/{id}/{action}");
    let (status, body) = app
        .api(Method::POST, &ent_token, &path("dispute"), None)
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("authz.reason")));
    let (status, body) = app
        .api(
            Method::POST,
            &ent_token,
            &path("dispute"),
            Some(json!({"reason": "本企业从未签署该授权书"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["status"].as_str(), body["dispute"].as_str()),
        (Some("paused"), Some("open"))
    );
    let now = app.platform.clock.now_naive();
    let refused = authorizations::check(conn, &id, &bank.id, &subject, now)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "authz.disputed");
    let (status, body) = app
        .api(Method::POST, &ent_token, &path("resume"), None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("authz.disputed"))
    );
    // Only the operator decides.
    let (status, _) = app
        .api(Method::POST, &bank_token, &path("dispute/uphold"), None)
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .api(Method::POST, &ent_token, &path("dispute/dismiss"), None)
        .await;
    assert_eq!(status, 403);
    let (_, open) = app
        .api_get(&op_token, "/api/v1/authorizations?disputed=true")
        .await;
    assert_eq!(open.as_array().unwrap().len(), 1);
    let (status, body) = app
        .api(
            Method::POST,
            &op_token,
            &path("dispute/uphold"),
            Some(json!({"reason": "核实为伪造"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["status"].as_str(), body["dispute"].as_str()),
        (Some("revoked"), Some("upheld"))
    );
    assert_eq!(
        authorizations::check(conn, &id, &bank.id, &subject, now)
            .await
            .unwrap_err()
            .code,
        "authz.revoked"
    );
    assert_eq!(
        kinds(&app, &id).await,
        [
            "authorization.granted",
            "authorization.disputed",
            "authorization.dispute_upheld"
        ]
    );

    // A dismissed dispute makes it active again; an online one cannot be disputed.
    let (_, w2) = written_upload(
        &app,
        &bank_token,
        &subject,
        "scan2.pdf",
        "application/pdf",
        PDF,
    )
    .await;
    let id2 = w2["id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .api(
            Method::POST,
            &ent_token,
            &format!("/api/v1/authorizations/{id2}/dispute"),
            Some(json!({"reason": "印章存疑"})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = app
        .api(
            Method::POST,
            &op_token,
            &format!("/api/v1/authorizations/{id2}/dispute/dismiss"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["status"].as_str(), body["dispute"].as_str()),
        (Some("active"), Some("dismissed"))
    );
    assert!(
        authorizations::check(
            conn,
            &id2,
            &bank.id,
            &subject,
            app.platform.clock.now_naive()
        )
        .await
        .is_ok()
    );
    let (status, body) = app
        .api(
            Method::POST,
            &ent_token,
            &format!("/api/v1/authorizations/{id2}/dispute"),
            Some(json!({"reason": "再次"})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("authz.dispute_once"))
    );
    assert_eq!(
        kinds(&app, &id2).await,
        [
            "authorization.granted",
            "authorization.disputed",
            "authorization.dispute_dismissed"
        ]
    );

    // The written upload page of the institution, with the token in the action URL.
    let client = app.logged_in("bank-icbc").await;
    let page = page_text(&client, app.url("/authorizations/new")).await;
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let csrf = csrf_of(&page);
    let form = |bytes: &[u8]| {
        reqwest::multipart::Form::new()
            .text("subject", subject.clone())
            .text("items", "tax")
            .text("purpose", "pre_loan")
            .text("days", "30")
            .part(
                "evidence",
                reqwest::multipart::Part::bytes(bytes.to_vec())
                    .file_name("paper.pdf")
                    .mime_str("application/pdf")
                    .unwrap(),
            )
    };
    // A scan whose bytes are not a PDF: the form again with the reason, nothing written.
    let response = client
        .post(app.url(&format!("/authorizations/written?csrf={csrf}")))
        .multipart(form(PNG))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("内容不是该类型"));
    let (_, all) = app.api_get(&bank_token, "/api/v1/authorizations").await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let response = client
        .post(app.url(&format!("/authorizations/written?csrf={csrf}")))
        .multipart(form(PDF))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let detail = page_text(&client, app.url(&location)).await;
    assert!(
        detail.contains(&xinrong_ledger::sm3(&[PDF]).to_hex()),
        "the detail shows the digest"
    );
}
on_all_backends!(written_grants_and_disputes);

async fn each_party_sees_only_its_own(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let db = app.db_url();
    let subject = org_of(&app, "ent-1").await.uscc.unwrap();
    let bank = org_of(&app, "bank-icbc").await;
    let granted = json_out(&xinrong(
        &db,
        &[
            "authz",
            "grant",
            "--subject",
            &subject,
            "--grantee",
            &bank.id,
            "--items",
            "tax",
            "--purpose",
            "pre_loan",
            "--days",
            "30",
        ],
    ));
    let id = granted["id"].as_str().unwrap().to_owned();
    let one = format!("/api/v1/authorizations/{id}");

    let bank_token = app.token_for("bank-icbc").await;
    let (status, list) = app.api_get(&bank_token, "/api/v1/authorizations").await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, detail) = app.api_get(&bank_token, &one).await;
    assert_eq!(status, 200);
    assert_eq!(detail["timeline"][0]["kind"], "authorization.granted");

    // Another institution and another enterprise: not in their lists, and "not found".
    for user in ["bank-abc", "ent-2"] {
        let token = app.token_for(user).await;
        let (status, list) = app.api_get(&token, "/api/v1/authorizations").await;
        assert_eq!(status, 200);
        assert!(list.as_array().unwrap().is_empty(), "{user} sees none");
        let (status, body) = app.api_get(&token, &one).await;
        assert_eq!(status, 404, "{user}: {body}");
        let (status, _) = app
            .api(Method::POST, &token, &format!("{one}/revoke"), None)
            .await;
        assert!(
            status == 404 || status == 403,
            "{user} cannot revoke ({status})"
        );
        let client = app.logged_in(user).await;
        let response = client
            .get(app.url(&format!("/authorizations/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }
    // The grantee cannot pause (the subject's right); other roles have no access at all.
    let (status, _) = app
        .api(Method::POST, &bank_token, &format!("{one}/pause"), None)
        .await;
    assert_eq!(status, 403);
    for user in ["provider-market", "gov"] {
        let token = app.token_for(user).await;
        let (status, _) = app.api_get(&token, "/api/v1/authorizations").await;
        assert_eq!(status, 403, "{user}");
    }
    // Operator-only routes.
    let ent_token = app.token_for("ent-1").await;
    for token in [&bank_token, &ent_token] {
        let (status, _) = app
            .api(Method::POST, token, &format!("{one}/dispute/uphold"), None)
            .await;
        assert_eq!(status, 403);
        let (status, _) = app
            .api(
                Method::POST,
                token,
                "/api/v1/agreements",
                Some(
                    json!({"org": bank.id, "items": ["tax"], "purposes": ["pre_loan"], "days": 30}),
                ),
            )
            .await;
        assert_eq!(status, 403);
    }
    // An institution cannot grant online; an enterprise cannot upload a written one.
    let (status, _) = app
        .api(Method::POST, &bank_token, "/api/v1/authorizations", Some(json!({"grantee": bank.id, "items": ["tax"], "purpose": "pre_loan", "days": 30, "consent": true})))
        .await;
    assert_eq!(status, 403);
    let (status, _) =
        written_upload(&app, &ent_token, &subject, "a.pdf", "application/pdf", PDF).await;
    assert_eq!(status, 403);
    // Online grant through the API needs the consent flag.
    let (status, body) = app
        .api(Method::POST, &ent_token, "/api/v1/authorizations", Some(json!({"grantee": bank.name, "items": ["tax"], "purpose": "贷前调查", "days": 30, "consent": false})))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("authz.consent_required"))
    );
    let (status, body) = app
        .api(Method::POST, &ent_token, "/api/v1/authorizations", Some(json!({"grantee": bank.name, "items": ["tax"], "purpose": "贷前调查", "days": 30, "consent": true})))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["subject"], subject.as_str());
}
on_all_backends!(each_party_sees_only_its_own);

async fn expiry_is_derived_when_read(backend: Backend) {
    use std::sync::Arc;
    use xinrong_core::authorization::Channel;
    use xinrong_core::clock::FixedClock;
    use xinrong_services::authorizations::GrantRequest;
    use xinrong_services::demo::DemoOptions;
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let app = TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises: 50,
            seed: 7,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: false,
        }),
        clock.clone(),
    )
    .await;
    let conn = &app.platform.db.conn;
    let subject = org_of(&app, "ent-1").await.uscc.unwrap();
    let bank = org_of(&app, "bank-icbc").await;
    let row = authorizations::grant_as_platform(
        &app.platform,
        GrantRequest {
            subject: subject.clone(),
            grantee: bank.id.clone(),
            items: vec!["tax".into()],
            purpose: "pre_loan".into(),
            days: 1,
            ..GrantRequest::default()
        },
        Channel::Online,
        None,
    )
    .await
    .unwrap();
    let token = app.token_for("ent-1").await;
    let (_, list) = app.api_get(&token, "/api/v1/authorizations").await;
    assert_eq!(list[0]["status"], "active");

    // A day and a second later nothing was written, yet every read sees it expired.
    clock.advance(chrono::Duration::days(1) + chrono::Duration::seconds(1));
    let now = app.platform.clock.now_naive();
    let (_, list) = app.api_get(&token, "/api/v1/authorizations").await;
    assert_eq!(list[0]["id"], row.id.as_str());
    assert_eq!(list[0]["status"], "expired");
    let (_, only) = app
        .api_get(&token, "/api/v1/authorizations?status=expired")
        .await;
    assert_eq!(only.as_array().unwrap().len(), 1);
    let (_, none) = app
        .api_get(&token, "/api/v1/authorizations?status=active")
        .await;
    assert!(none.as_array().unwrap().is_empty());
    assert_eq!(
        authorizations::check(conn, &row.id, &bank.id, &subject, now)
            .await
            .unwrap_err()
            .code,
        "authz.expired"
    );
    assert!(
        authorizations::find_active(conn, &bank.id, &subject, now)
            .await
            .unwrap()
            .is_empty()
    );
    // An expired authorization changes no more.
    let (status, body) = app
        .api(
            Method::POST,
            &token,
            &format!("/api/v1/authorizations/{}/pause", row.id),
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("authz.expired"))
    );
    assert_eq!(kinds(&app, &row.id).await, ["authorization.granted"]);
}
on_all_backends!(expiry_is_derived_when_read);
