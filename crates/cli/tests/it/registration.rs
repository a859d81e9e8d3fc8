//! 企业注册: a registration matching the held data opens a login at once; any mismatch goes to
//! the operator's queue without saying which field failed; checksums, duplicates and floods
//! are refused.

use crate::on_all_backends;
use crate::support::{TestApp, csrf_of, demo_user, page_text, xinrong};
use reqwest::Client;
use serde_json::{Value, json};
use xinrong_core::codes::resident_id::ResidentId;
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::role::Role;
use xinrong_store::Backend;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter, EnterpriseRow};
use xinrong_store::repo::{organizations, registrations};

const PASSWORD: &str = "Zhengzhou2026reg";

/// Demo enterprises that have no login yet.
async fn unregistered(app: &TestApp, n: usize) -> Vec<EnterpriseRow> {
    let conn = &app.platform.db.conn;
    let mut out = Vec::new();
    for e in enterprises::scan_after(conn, &EnterpriseFilter::default(), None, 100)
        .await
        .expect("scan")
    {
        if organizations::by_uscc(conn, &e.uscc, Role::Enterprise.code())
            .await
            .expect("orgs")
            .is_empty()
        {
            out.push(e);
        }
        if out.len() == n {
            break;
        }
    }
    assert_eq!(out.len(), n, "the demo city has unregistered enterprises");
    out
}

/// A browser without a session: it fetched the form, so it holds the CSRF cookie.
async fn visitor(app: &TestApp) -> (Client, String) {
    let client = TestApp::browser();
    let html = page_text(&client, app.url("/register")).await;
    let csrf = csrf_of(&html);
    (client, csrf)
}

async fn register(app: &TestApp, body: Value) -> (u16, Value) {
    let (client, csrf) = visitor(app).await;
    let response = client
        .post(app.url("/api/v1/registrations"))
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .expect("register");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn body_for(e: &EnterpriseRow, username: &str) -> Value {
    json!({
        "uscc": e.uscc,
        "enterprise_name": e.name,
        "legal_rep_name": e.legal_rep_name,
        "legal_rep_id_number": e.legal_rep_id_number,
        "username": username,
        "password": PASSWORD,
        "contact_phone": "13800138000",
        "contact_email": "finance@example.cn",
    })
}

/// Another valid ID number: the same body with the sequence digits changed.
fn other_id(id: &str) -> String {
    let body: String = id[..14].to_owned() + if &id[14..17] == "999" { "998" } else { "999" };
    ResidentId::from_body(&body)
        .expect("valid body")
        .as_str()
        .to_owned()
}

/// A valid USCC the platform has never heard of.
fn unknown_uscc() -> String {
    Uscc::from_body("91410100MA9XRC0Q0")
        .expect("uscc")
        .as_str()
        .to_owned()
}

async fn login_status(app: &TestApp, username: &str) -> u16 {
    app.login(username, PASSWORD).await.1.status().as_u16()
}

async fn trail_kinds(app: &TestApp, id: &str) -> Vec<String> {
    xinrong_services::trail::for_ref(&app.platform.db.conn, id)
        .await
        .expect("trail")
        .into_iter()
        .map(|t| t.kind)
        .collect()
}

async fn matching_registration_opens_a_login(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let e = unregistered(&app, 1).await.remove(0);
    assert_eq!(
        login_status(&app, "acme-finance").await,
        401,
        "no login before"
    );
    let (status, body) = register(&app, body_for(&e, "acme-finance")).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["outcome"], "registered");
    // The held data is shown back, the ID number only masked.
    assert_eq!(body["held"]["name"], e.name.as_str());
    assert_eq!(body["held"]["region_code"], e.region_code.as_str());
    let masked = body["held"]["legal_rep_id_masked"].as_str().unwrap();
    assert_eq!(&masked[..4], &e.legal_rep_id_number[..4]);
    assert!(masked.contains("**********"));
    assert!(!body.to_string().contains(&e.legal_rep_id_number));
    // The login works now: an enterprise user of a new organisation with the USCC.
    assert_eq!(login_status(&app, "acme-finance").await, 303);
    let (client, _) = app.login("acme-finance", PASSWORD).await;
    let me: Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "enterprise", "{me}");
    let orgs = organizations::by_uscc(&app.platform.db.conn, &e.uscc, "enterprise")
        .await
        .unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].region_code.as_deref(), Some(e.region_code.as_str()));
    // The request row keeps no clear ID number; the trail has both steps.
    let id = body["registration_id"].as_str().unwrap();
    let row = registrations::get(&app.platform.db.conn, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "verified");
    assert_ne!(row.legal_rep_id_sm3, e.legal_rep_id_number);
    assert_eq!(row.legal_rep_id_sm3.len(), 64);
    assert_eq!(
        trail_kinds(&app, id).await,
        ["registration.submitted", "registration.approved"]
    );
    // The new user has a welcome message in the inbox.
    let inbox: Value = client
        .get(app.url("/api/v1/notifications"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(inbox["unread"], 1, "{inbox}");
    assert_eq!(inbox["notifications"][0]["kind"], "registration.approved");

    // Registering the same USCC again is refused: the existing admin adds users.
    let (status, again) = register(&app, body_for(&e, "acme-second")).await;
    assert_eq!(status, 422);
    assert_eq!(again["code"], "registration.exists");
}
on_all_backends!(matching_registration_opens_a_login);

async fn mismatch_goes_to_review_without_saying_why(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let [a, b]: [EnterpriseRow; 2] = unregistered(&app, 2).await.try_into().unwrap();
    // A valid ID number that is not the legal representative's.
    let mut wrong_id = body_for(&a, "wrong-id");
    wrong_id["legal_rep_id_number"] = json!(other_id(&a.legal_rep_id_number));
    // A wrong legal representative's name.
    let mut wrong_name = body_for(&b, "wrong-name");
    wrong_name["legal_rep_name"] = json!("欧阳某某");
    // A USCC the platform does not hold.
    let mut unknown = body_for(&a, "unknown-uscc");
    unknown["uscc"] = json!(unknown_uscc());

    let mut answers = Vec::new();
    for body in [wrong_id, wrong_name, unknown] {
        let (status, answer) = register(&app, body).await;
        assert_eq!(status, 202, "{answer}");
        assert_eq!(answer["outcome"], "pending");
        assert!(answer["held"].is_null() && answer["org_id"].is_null());
        let text = answer.to_string();
        // Nothing says which field failed, nothing held leaks.
        for leak in [
            "身份证",
            "法定代表人",
            "企业名称",
            "legal_rep",
            &a.legal_rep_id_number,
            &a.legal_rep_name,
            &b.legal_rep_name,
        ] {
            assert!(!text.contains(leak), "{leak} leaked in {text}");
        }
        answers.push(answer);
    }
    // The same words whatever failed, an unknown USCC included.
    assert_eq!(answers[0]["message"], answers[1]["message"]);
    assert_eq!(answers[0]["message"], answers[2]["message"]);
    assert_eq!(
        login_status(&app, "wrong-id").await,
        401,
        "no login before approval"
    );

    // The operator sees the request in the queue and has a notice in the inbox.
    let operator = app.token_for(demo_user(Role::Operator)).await;
    let (status, queue) = app
        .api_get(&operator, "/api/v1/registrations?status=pending")
        .await;
    assert_eq!(status, 200);
    let id = answers[0]["registration_id"].as_str().unwrap();
    let entry = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .expect("queued")
        .clone();
    assert_eq!(entry["known_enterprise"], true);
    assert!(!entry.to_string().contains(&a.legal_rep_id_number));
    assert!(entry.get("password_hash").is_none());
    let (_, inbox) = app.api_get(&operator, "/api/v1/notifications").await;
    assert!(
        inbox["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "registration.submitted"),
        "{inbox}"
    );
    // Only the operator reviews.
    let enterprise = app.token_for(demo_user(Role::Enterprise)).await;
    let (status, _) = app.api_get(&enterprise, "/api/v1/registrations").await;
    assert_eq!(status, 403);

    // Approval opens the login; the applicant's status page says so.
    let (status, approved) = app
        .api(
            reqwest::Method::POST,
            &operator,
            &format!("/api/v1/registrations/{id}/approve"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(login_status(&app, "wrong-id").await, 303);
    let token = answers[0]["status_token"].as_str().unwrap();
    let (status, seen) = app
        .api_get("", &format!("/api/v1/registrations/status?token={token}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(seen["status"], "approved");
    let page = page_text(
        &TestApp::browser(),
        app.url(&format!("/register/status?token={token}")),
    )
    .await;
    assert!(page.contains("data-status=\"approved\""), "{page}");
    // Deciding twice is refused.
    let (status, again) = app
        .api(
            reqwest::Method::POST,
            &operator,
            &format!("/api/v1/registrations/{id}/approve"),
            None,
        )
        .await;
    assert_eq!(
        (status, again["code"].as_str()),
        (422, Some("registration.decided"))
    );
    assert_eq!(
        trail_kinds(&app, id).await,
        ["registration.submitted", "registration.approved"]
    );

    // The CLI lists the queue and rejects with a reason; no login appears.
    let rejected_id = answers[2]["registration_id"].as_str().unwrap();
    let out = xinrong(
        &app.db_url(),
        &[
            "registrations",
            "list",
            "--status",
            "pending",
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == rejected_id)
    );
    let out = xinrong(
        &app.db_url(),
        &[
            "registrations",
            "reject",
            rejected_id,
            "--reason",
            "营业执照与申请信息不符",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = answers[2]["status_token"].as_str().unwrap();
    let (_, seen) = app
        .api_get("", &format!("/api/v1/registrations/status?token={token}"))
        .await;
    assert_eq!(seen["status"], "rejected");
    assert_eq!(seen["reason"], "营业执照与申请信息不符");
    assert_eq!(login_status(&app, "unknown-uscc").await, 401);
    assert_eq!(
        trail_kinds(&app, rejected_id).await,
        ["registration.submitted", "registration.rejected"]
    );
}
on_all_backends!(mismatch_goes_to_review_without_saying_why);

async fn bad_input_is_refused(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let e = unregistered(&app, 1).await.remove(0);
    let conn = &app.platform.db.conn;
    // A USCC with a wrong check character, an ID number with a wrong check digit.
    let mut bad_uscc = body_for(&e, "bad-uscc");
    let mut chars: Vec<char> = e.uscc.chars().collect();
    chars[17] = if chars[17] == '0' { '1' } else { '0' };
    bad_uscc["uscc"] = json!(chars.iter().collect::<String>());
    let (status, answer) = register(&app, bad_uscc).await;
    assert_eq!((status, answer["code"].as_str()), (422, Some("uscc.check")));
    assert!(answer["message"].as_str().unwrap().contains("校验位"));

    let mut bad_id = body_for(&e, "bad-id");
    let id = &e.legal_rep_id_number;
    let last = if id.ends_with('0') { "1" } else { "0" };
    bad_id["legal_rep_id_number"] = json!(format!("{}{last}", &id[..17]));
    let (status, answer) = register(&app, bad_id).await;
    assert_eq!((status, answer["code"].as_str()), (422, Some("id.check")));
    assert!(answer["message"].as_str().unwrap().contains("身份证号"));

    let mut weak = body_for(&e, "weak-password");
    weak["password"] = json!("short");
    let (status, answer) = register(&app, weak).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("password.weak"))
    );

    // A username already in use.
    let (status, answer) = register(&app, body_for(&e, demo_user(Role::Operator))).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("registration.username_taken"))
    );

    // A USCC whose enterprise already has a login (the demo's ent-1).
    let ent = app.token_for(demo_user(Role::Enterprise)).await;
    let (_, me) = app.api_get(&ent, "/api/v1/me").await;
    let registered = me["org_uscc"].as_str().expect("enterprise USCC").to_owned();
    let mut dup = body_for(&e, "dup-user");
    dup["uscc"] = json!(registered);
    let (status, answer) = register(&app, dup).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (422, Some("registration.exists"))
    );

    // Nothing of the refused attempts was kept.
    assert!(
        registrations::list(conn, None, 100)
            .await
            .unwrap()
            .is_empty(),
        "refused attempts leave no request"
    );

    // Probing one USCC is rate limited: five attempts an hour, then 429.
    for n in 0..5 {
        let mut probe = body_for(&e, &format!("probe-{n}"));
        probe["legal_rep_id_number"] = json!(other_id(&e.legal_rep_id_number));
        let (status, _) = register(&app, probe).await;
        assert_eq!(status, 202);
    }
    let mut probe = body_for(&e, "probe-6");
    probe["legal_rep_id_number"] = json!(other_id(&e.legal_rep_id_number));
    let (status, answer) = register(&app, probe).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (429, Some("registration.rate_limited"))
    );
    // Even the right data waits out the window now.
    let (status, _) = register(&app, body_for(&e, "probe-right")).await;
    assert_eq!(status, 429);
}
on_all_backends!(bad_input_is_refused);

async fn the_form_registers_and_shows_held_data(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let [e, other]: [EnterpriseRow; 2] = unregistered(&app, 2).await.try_into().unwrap();
    let (client, csrf) = visitor(&app).await;
    let form = |e: &EnterpriseRow, username: &str, id: &str| {
        reqwest::multipart::Form::new()
            .text("uscc", e.uscc.clone())
            .text("enterprise_name", e.name.clone())
            .text("legal_rep_name", e.legal_rep_name.clone())
            .text("legal_rep_id_number", id.to_owned())
            .text("username", username.to_owned())
            .text("password", PASSWORD)
            .text("contact_phone", "0371-66668888")
            .text("contact_email", "")
    };
    let page = client
        .post(app.url(&format!("/register?csrf={csrf}")))
        .multipart(form(&e, "form-user", &e.legal_rep_id_number))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("data-outcome=\"registered\""), "{html}");
    assert!(html.contains(&e.name));
    assert!(!html.contains(&e.legal_rep_id_number));
    assert_eq!(login_status(&app, "form-user").await, 303);

    // A mismatch with a licence scan goes to review; the operator downloads the scan.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let with_licence = form(&other, "form-review", &other_id(&other.legal_rep_id_number)).part(
        "licence",
        reqwest::multipart::Part::bytes(pdf.clone())
            .file_name("licence.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let html = client
        .post(app.url(&format!("/register?csrf={csrf}")))
        .multipart(with_licence)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-outcome=\"pending\""), "{html}");
    assert!(html.contains("id=\"status-token\""));
    let operator = app.logged_in(demo_user(Role::Operator)).await;
    let queue = page_text(&operator, app.url("/registrations")).await;
    assert!(queue.contains("form-review"), "{queue}");
    let id = registrations::list(&app.platform.db.conn, Some("pending"), 10)
        .await
        .unwrap()
        .remove(0)
        .id;
    let scan = operator
        .get(app.url(&format!("/registrations/{id}/licence")))
        .send()
        .await
        .unwrap();
    assert_eq!(scan.status(), 200);
    assert_eq!(scan.bytes().await.unwrap().to_vec(), pdf);

    // A licence whose content is not its declared type is refused, nothing kept.
    let fake = form(&other, "form-fake", &other_id(&other.legal_rep_id_number)).part(
        "licence",
        reqwest::multipart::Part::bytes(b"not a pdf at all".to_vec())
            .file_name("licence.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let refused = client
        .post(app.url(&format!("/register?csrf={csrf}")))
        .multipart(fake)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert_eq!(
        registrations::list(&app.platform.db.conn, Some("pending"), 10)
            .await
            .unwrap()
            .len(),
        1
    );
}
on_all_backends!(the_form_registers_and_shows_held_data);
