//! Sharing agreements (数据共享协议): every demo institution has one in force; the operator
//! creates, suspends, reinstates and terminates them through the CLI, the API and the page;
//! an institution sees its own only; every event is in the trail.

use crate::authorizations::org_of;
use crate::on_all_backends;
use crate::support::{TestApp, csrf_of, page_text, xinrong};
use reqwest::Method;
use serde_json::{Value, json};
use xinrong_services::{agreements, trail};
use xinrong_store::Backend;
use xinrong_store::repo::organizations;

fn json_out(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn fails_with(out: &std::process::Output, code: &str) {
    assert!(!out.status.success(), "should fail with {code}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("error[{code}]")),
        "expected error[{code}], got: {stderr}"
    );
}

async fn demo_institutions_have_agreements_and_the_cli_manages_them(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let db = app.db_url();
    let conn = &app.platform.db.conn;
    let now = app.platform.clock.now_naive();
    let item = xinrong_core::catalog::builtin()
        .item("real_estate.property_mortgage")
        .unwrap();

    // Every demo institution: one active agreement over the whole catalogue, every purpose.
    let institutions = organizations::list(conn, Some("institution"))
        .await
        .unwrap();
    assert!(institutions.len() >= 2);
    for org in &institutions {
        let active = agreements::active_for(conn, &org.id, now).await.unwrap();
        assert_eq!(active.len(), 1, "{} has an agreement in force", org.name);
        let a = &active[0];
        assert!(a.in_force);
        assert!(a.commitment_id.is_some(), "with its signed commitment");
        for p in xinrong_core::purpose::Purpose::ALL {
            assert!(a.scope.covers(item, p.code()));
        }
        assert!((a.valid_until - now).num_days() >= 3 * 365 - 1);
    }
    let listed = json_out(&xinrong(&db, &["agreements", "list", "--format", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), institutions.len());

    // Create through the CLI.
    let bank = org_of(&app, "bank-icbc").await;
    let created = json_out(&xinrong(
        &db,
        &[
            "agreements",
            "create",
            "--org",
            &bank.name,
            "--items",
            "tax,judicial",
            "--purposes",
            "pre_loan,贷后管理",
            "--days",
            "30",
        ],
    ));
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], "active");
    assert_eq!(created["org_id"], bank.id.as_str());
    assert_eq!(created["items"], json!(["judicial", "tax"]));
    assert_eq!(created["purposes"], json!(["pre_loan", "post_loan"]));
    let mine = json_out(&xinrong(
        &db,
        &["agreements", "list", "--org", &bank.id, "--format", "json"],
    ));
    assert_eq!(mine.as_array().unwrap().len(), 2);
    let active = agreements::active_for(conn, &bank.id, app.platform.clock.now_naive())
        .await
        .unwrap();
    let new = active.iter().find(|a| a.id == id).expect("in force");
    let tax = xinrong_core::catalog::builtin()
        .item("tax.tax_arrears")
        .unwrap();
    assert!(new.scope.covers(tax, "pre_loan"));
    assert!(
        !new.scope.covers(tax, "product_matching"),
        "purpose outside the agreement"
    );
    assert!(
        !new.scope.covers(item, "pre_loan"),
        "item outside the agreement"
    );

    // Suspend, reinstate, terminate; terminated is final.
    let s = json_out(&xinrong(
        &db,
        &["agreements", "suspend", &id, "--reason", "整改"],
    ));
    assert_eq!(
        (s["status"].as_str(), s["in_force"].as_bool()),
        (Some("suspended"), Some(false))
    );
    assert!(
        agreements::active_for(conn, &bank.id, app.platform.clock.now_naive())
            .await
            .unwrap()
            .iter()
            .all(|a| a.id != id)
    );
    let r = json_out(&xinrong(&db, &["agreements", "reinstate", &id]));
    assert_eq!(r["status"], "active");
    let t = json_out(&xinrong(&db, &["agreements", "terminate", &id]));
    assert_eq!(t["status"], "terminated");
    fails_with(
        &xinrong(&db, &["agreements", "reinstate", &id]),
        "agreement.terminated",
    );
    let kinds: Vec<String> = trail::for_ref(conn, &id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "commitment.signed",
            "agreement.created",
            "agreement.suspended",
            "agreement.reinstated",
            "agreement.terminated"
        ]
    );

    // Bad input: a clear error, nothing written.
    let provider = org_of(&app, "provider-market").await;
    let create = |org: &str, items: &str, purposes: &str, days: &str| {
        xinrong(
            &db,
            &[
                "agreements",
                "create",
                "--org",
                org,
                "--items",
                items,
                "--purposes",
                purposes,
                "--days",
                days,
            ],
        )
    };
    fails_with(
        &create(&provider.name, "tax", "pre_loan", "30"),
        "agreement.org_kind",
    );
    fails_with(
        &create("不存在的机构", "tax", "pre_loan", "30"),
        "agreement.org",
    );
    fails_with(
        &create(&bank.id, "tax.nothing", "pre_loan", "30"),
        "authz.item",
    );
    fails_with(&create(&bank.id, "tax", "marketing", "30"), "authz.purpose");
    fails_with(&create(&bank.id, "tax", "pre_loan", "0"), "authz.days");
    fails_with(&create(&bank.id, "tax", "pre_loan", "3651"), "authz.days");
    let after = json_out(&xinrong(&db, &["agreements", "list", "--format", "json"]));
    assert_eq!(after.as_array().unwrap().len(), institutions.len() + 1);
}
on_all_backends!(demo_institutions_have_agreements_and_the_cli_manages_them);

async fn agreements_through_the_api_and_page(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let bank = org_of(&app, "bank-icbc").await;
    let op = app.token_for("operator").await;
    let bank_token = app.token_for("bank-icbc").await;
    let other_token = app.token_for("bank-abc").await;

    let (status, created) = app
        .api(
            Method::POST,
            &op,
            "/api/v1/agreements",
            Some(json!({"org": bank.id, "items": ["tax"], "purposes": ["贷前调查"], "days": 365})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["purposes"], json!(["pre_loan"]));
    assert_eq!(created["in_force"], true);
    let (status, body) = app
        .api(
            Method::POST,
            &op,
            "/api/v1/agreements",
            Some(json!({"org": bank.id, "items": ["tax"], "purposes": ["pre_loan"], "days": 0})),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("authz.days")));

    // The institution sees its own agreements only.
    let (status, own) = app.api_get(&bank_token, "/api/v1/agreements").await;
    assert_eq!(status, 200);
    let own = own.as_array().unwrap();
    assert_eq!(own.len(), 2);
    assert!(own.iter().all(|a| a["org_id"] == bank.id.as_str()));
    let (status, _) = app
        .api_get(&other_token, &format!("/api/v1/agreements/{id}"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .api_get(&bank_token, &format!("/api/v1/agreements/{id}"))
        .await;
    assert_eq!(status, 200);
    // Operator-only changes.
    let (status, _) = app
        .api(
            Method::POST,
            &bank_token,
            &format!("/api/v1/agreements/{id}/suspend"),
            None,
        )
        .await;
    assert_eq!(status, 403);
    let ent = app.token_for("ent-1").await;
    let (status, _) = app.api_get(&ent, "/api/v1/agreements").await;
    assert_eq!(status, 403);
    let (status, body) = app
        .api(
            Method::POST,
            &op,
            &format!("/api/v1/agreements/{id}/suspend"),
            Some(json!({"reason": "检查"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["status"].as_str(), body["status_reason"].as_str()),
        (Some("suspended"), Some("检查"))
    );

    // The page: the operator creates through the form; the institution reads only.
    let client = app.logged_in("operator").await;
    let html = page_text(&client, app.url("/agreements")).await;
    assert!(html.contains("id=\"agreement-form\""));
    let csrf = csrf_of(&html);
    let response = client
        .post(app.url("/agreements"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("org", bank.id.as_str()),
            ("section", "tax"),
            ("section", "judicial"),
            ("purpose", "pre_loan"),
            ("purpose", "loan_approval"),
            ("days", "90"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("协议已生效"), "created");
    let (_, own) = app.api_get(&bank_token, "/api/v1/agreements").await;
    let newest = &own.as_array().unwrap()[0];
    assert_eq!(newest["items"], json!(["judicial", "tax"]));
    assert_eq!(newest["purposes"], json!(["pre_loan", "loan_approval"]));
    let response = client
        .post(app.url(&format!("/agreements/{id}/status")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "terminate"),
            ("reason", "到期前终止"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, one) = app.api_get(&op, &format!("/api/v1/agreements/{id}")).await;
    assert_eq!(one["status"], "terminated");

    let inst = app.logged_in("bank-icbc").await;
    let html = page_text(&inst, app.url("/agreements")).await;
    assert!(
        !html.contains("id=\"agreement-form\""),
        "institutions read only"
    );
    assert!(html.contains(&bank.name));
    assert!(
        html.contains("本机构郑重承诺") && html.contains("SM3 "),
        "the signed commitment is shown with its digest"
    );
    assert!(
        html.contains("全部信息种类"),
        "the demo agreement covers every category"
    );
    let other_name = org_of(&app, "bank-abc").await.name;
    assert!(
        !html.contains(&other_name),
        "not another institution's agreements"
    );
}
on_all_backends!(agreements_through_the_api_and_page);
