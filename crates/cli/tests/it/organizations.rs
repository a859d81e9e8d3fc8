//! The operator onboards organisations and users — API, UI and CLI.

use crate::on_all_backends;
use crate::support::page_text;
use crate::support::{TestApp, csrf_of};
use serde_json::{Value, json};
use xinrong_store::Backend;
use xinrong_store::testing::TestDb;

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    app.api(reqwest::Method::POST, token, path, Some(body))
        .await
}

async fn onboard_a_bank_through_the_api(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let op = app.token_for("operator").await;

    let (status, org) = post(
        &app,
        &op,
        "/api/v1/organizations",
        json!({"role": "institution", "name": "中原银行股份有限公司郑州分行", "uscc": "914403001922038216", "region_code": "410100", "institution_kind": "bank"}),
    )
    .await;
    assert_eq!(status, 201, "{org}");
    let org_id = org["id"].as_str().unwrap().to_owned();
    let (status, dup) = post(
        &app,
        &op,
        "/api/v1/organizations",
        json!({"role": "institution", "name": "重复", "uscc": "914403001922038216", "region_code": "410100", "institution_kind": "bank"}),
    )
    .await;
    assert_eq!(status, 409, "{dup}");

    for (body, code) in [
        (
            json!({"role": "enterprise", "name": "无代码企业"}),
            "organization.uscc_required",
        ),
        (
            json!({"role": "government", "name": "无辖区"}),
            "organization.jurisdiction_required",
        ),
        (
            json!({"role": "institution", "name": "无类别"}),
            "organization.institution_kind",
        ),
        (
            json!({"role": "enterprise", "name": "错码", "uscc": "914403001922038217"}),
            "uscc.check",
        ),
        (
            json!({"role": "government", "name": "错区", "region_code": "999999"}),
            "region.unknown",
        ),
        (json!({"role": "admin", "name": "x"}), "role.unknown"),
    ] {
        let (status, err) = post(&app, &op, "/api/v1/organizations", body).await;
        assert_eq!((status, err["code"].as_str().unwrap()), (422, code));
    }

    let (status, user) = post(
        &app,
        &op,
        &format!("/api/v1/organizations/{org_id}/users"),
        json!({"username": "zybank.credit", "display_name": "信贷员甲", "password": "Credit2026x"}),
    )
    .await;
    assert_eq!(status, 201, "{user}");
    assert!(user.get("password_hash").is_none());
    let (status, _) = post(
        &app,
        &op,
        &format!("/api/v1/organizations/{org_id}/users"),
        json!({"username": "zybank.credit", "display_name": "重名", "password": "Credit2026x"}),
    )
    .await;
    assert_eq!(status, 409);

    // The new user logs in with the organisation's role; a reset ends that session.
    let (client, login) = app.login("zybank.credit", "Credit2026x").await;
    assert_eq!(login.status(), 303);
    let me: Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "institution");
    let user_id = user["id"].as_str().unwrap();
    let (status, _) = app
        .api(
            reqwest::Method::PUT,
            &op,
            &format!("/api/v1/users/{user_id}/password"),
            Some(json!({"password": "NewCredit2027"})),
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "old session ended"
    );
    assert_eq!(
        app.login("zybank.credit", "NewCredit2027").await.1.status(),
        303
    );

    let (_, users) = app
        .api_get(&op, &format!("/api/v1/organizations/{org_id}/users"))
        .await;
    assert_eq!(users.as_array().unwrap().len(), 1);
    let (_, banks) = app
        .api_get(&op, "/api/v1/organizations?role=institution")
        .await;
    assert!(
        banks
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["role"] == "institution")
    );
    assert!(
        banks
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == org_id.as_str())
    );
}
on_all_backends!(onboard_a_bank_through_the_api);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_pages_register_an_organisation_and_its_user() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let client = app.logged_in("operator").await;
    let list = page_text(&client, app.url("/organizations?role=institution")).await;
    assert!(list.contains("中国工商银行股份有限公司郑州分行"));
    assert!(!list.contains("市场监督管理局</a>"), "filtered by role");
    let csrf = csrf_of(&list);

    let bad = client
        .post(app.url("/organizations"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("role", "government"),
            ("name", "某区发改委"),
            ("uscc", ""),
            ("region_code", ""),
            ("institution_kind", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("政府部门须指定管辖区域"));

    let created = client
        .post(app.url("/organizations"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("role", "government"),
            ("name", "郑州航空港经济综合实验区管委会"),
            ("uscc", ""),
            ("region_code", "410184"),
            ("institution_kind", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let detail = page_text(&client, app.url(&location)).await;
    assert!(
        detail.contains("郑州航空港经济综合实验区管委会") && detail.contains("河南省郑州市新郑市")
    );
    let added = client
        .post(app.url(&format!("{location}/users")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "hkg.clerk"),
            ("display_name", "港区专员"),
            ("password", "Airport2026"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(added.contains("用户已创建") && added.contains("hkg.clerk"));
    let gov = app.login("hkg.clerk", "Airport2026").await.0;
    let home = page_text(&gov, app.url("/")).await;
    assert!(
        home.contains("河南省郑州市新郑市"),
        "the new unit sees its jurisdiction"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_onboards_organisations_and_users() {
    let db = TestDb::empty_url(Backend::Sqlite).await;
    let run = |args: &[&str]| crate::support::xinrong(&db.url, args);
    let out = run(&[
        "admin",
        "create-org",
        "--role",
        "provider",
        "--name",
        "郑州市税务局",
        "--region",
        "410100",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let org: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(org["role"], "provider");
    let id = org["id"].as_str().unwrap();
    let user = run(&[
        "admin",
        "create-user",
        "--org",
        id,
        "--username",
        "tax.clerk",
        "--display-name",
        "税务数据员",
        "--password",
        "Taxdata2026",
    ]);
    assert!(
        user.status.success(),
        "{}",
        String::from_utf8_lossy(&user.stderr)
    );
    let bad = run(&[
        "admin",
        "create-org",
        "--role",
        "institution",
        "--name",
        "x",
        "--institution-kind",
        "casino",
    ]);
    assert!(
        String::from_utf8_lossy(&bad.stderr).starts_with("error[organization.institution_kind]:")
    );
    let listed: Value =
        serde_json::from_slice(&run(&["orgs", "list", "--kind", "provider"]).stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        listed[0]["items"],
        json!([]),
        "a new provider may push nothing yet"
    );
    let granted = run(&[
        "admin",
        "grant-items",
        "--org",
        id,
        "--items",
        "tax.tax_arrears,tax.tax_credit_rating",
    ]);
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    let unknown = run(&["admin", "grant-items", "--org", id, "--items", "tax.nope"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).starts_with("error[catalog.unknown_item]:"));
    let listed: Value =
        serde_json::from_slice(&run(&["orgs", "list", "--kind", "provider"]).stdout).unwrap();
    assert_eq!(
        listed[0]["items"],
        json!(["tax.tax_arrears", "tax.tax_credit_rating"])
    );
    let platform = xinrong_services::Platform::new(xinrong_store::connect(&db.url).await.unwrap());
    let login = xinrong_services::identity::login(&platform, "tax.clerk", "Taxdata2026")
        .await
        .unwrap();
    assert_eq!(login.principal.role.code(), "provider");
}
