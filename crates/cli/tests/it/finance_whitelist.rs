//! 白名单 end to end on every backend: the enterprise applies; a government unit outside its
//! jurisdiction cannot recommend (unchanged); steps out of order and decisions without a reason
//! are refused; recommended and approved, the enterprise is listed, institutions see it and the
//! change feed shows it; removal and re-application; the CLI decides as the platform. And a
//! real browser at phone width records a loan and works the white list.

use crate::finance_loans::world;
use crate::on_all_backends;
use crate::support::{TestApp, xinrong};
use reqwest::Method;
use serde_json::{Value, json};
use xinrong_core::role::Role;
use xinrong_services::finance::whitelist;
use xinrong_store::Backend;
use xinrong_store::repo::organizations;

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    app.api(Method::POST, token, path, Some(body)).await
}

/// The username of a county government unit whose jurisdiction does not cover `region`.
async fn outside_gov(app: &TestApp, region: &str) -> String {
    let govs = organizations::list(&app.platform.db.conn, Some(Role::Government.code()))
        .await
        .unwrap();
    let county = govs
        .iter()
        .filter_map(|g| g.region_code.clone())
        .find(|r| !r.ends_with("00") && r != region)
        .expect("another county");
    format!("gov-{county}")
}

async fn status_of(app: &TestApp, token: &str, id: &str) -> String {
    let (s, d) = app.api_get(token, &format!("/api/v1/whitelist/{id}")).await;
    assert_eq!(s, 200, "{d}");
    d["entry"]["status"].as_str().unwrap().to_owned()
}

async fn the_white_list_flow(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let started = chrono::Utc::now() - chrono::Duration::seconds(2);
    // Applying needs a reason.
    let (s, body) = post(app, &w.ent, "/api/v1/whitelist", json!({"reason": " "})).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("whitelist.reason_required"))
    );
    let (s, e) = post(
        app,
        &w.ent,
        "/api/v1/whitelist",
        json!({"reason": "纳税信用 A 级，申请列入白名单"}),
    )
    .await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e["status"], "applied");
    let id = e["id"].as_str().unwrap().to_owned();
    let region = e["region_code"].as_str().unwrap().to_owned();
    // The city's government unit is asked to recommend.
    let gov_inbox = crate::objections::inbox(app, "gov").await;
    assert!(
        gov_inbox.contains(&"whitelist.applied".to_owned()),
        "{gov_inbox:?}"
    );
    // Once open, not again.
    let (s, body) = post(
        app,
        &w.ent,
        "/api/v1/whitelist",
        json!({"reason": "再次申请"}),
    )
    .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("whitelist.already_open"))
    );
    // Not listed yet; institutions do not see applications.
    assert!(
        !whitelist::is_listed(&app.platform.db.conn, &w.uscc)
            .await
            .unwrap()
    );
    let (_, list) = app.api_get(&w.bank, "/api/v1/whitelist").await;
    assert_eq!(list.as_array().unwrap().len(), 0);
    let (s, _) = app
        .api_get(&w.bank, &format!("/api/v1/whitelist/{id}"))
        .await;
    assert_eq!(s, 404);
    // Another enterprise does not see it.
    let (s, _) = app
        .api_get(&w.other_ent, &format!("/api/v1/whitelist/{id}"))
        .await;
    assert_eq!(s, 404);

    // A government unit outside the enterprise's jurisdiction: refused, unchanged.
    let outsider = app.token_for(&outside_gov(app, &region).await).await;
    let (s, body) = post(
        app,
        &outsider,
        &format!("/api/v1/whitelist/{id}/recommend"),
        json!({"reason": "同意推荐"}),
    )
    .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("whitelist.outside_jurisdiction"))
    );
    assert_eq!(status_of(app, &w.operator, &id).await, "applied");
    // The outsider's list does not show it.
    let (_, list) = app.api_get(&outsider, "/api/v1/whitelist").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"] != id.as_str())
    );
    // Out of order: approving what nobody recommended.
    let (s, body) = post(
        app,
        &w.operator,
        &format!("/api/v1/whitelist/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!((s, body["code"].as_str()), (422, Some("whitelist.state")));
    // Roles: an enterprise cannot recommend; a government unit cannot approve.
    let (s, _) = post(
        app,
        &w.ent,
        &format!("/api/v1/whitelist/{id}/recommend"),
        json!({}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = post(
        app,
        &w.gov,
        &format!("/api/v1/whitelist/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(status_of(app, &w.operator, &id).await, "applied");

    // The city's government recommends.
    let (s, e) = post(
        app,
        &w.gov,
        &format!("/api/v1/whitelist/{id}/recommend"),
        json!({"reason": "经营正常，同意推荐"}),
    )
    .await;
    assert_eq!((s, e["status"].as_str()), (200, Some("recommended")), "{e}");
    // Rejecting without a reason: refused, unchanged.
    let (s, body) = post(
        app,
        &w.operator,
        &format!("/api/v1/whitelist/{id}/reject"),
        json!({"reason": ""}),
    )
    .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("whitelist.reason_required"))
    );
    assert_eq!(status_of(app, &w.operator, &id).await, "recommended");
    // Approved: listed, visible to institutions, in the change feed.
    let (s, e) = post(
        app,
        &w.operator,
        &format!("/api/v1/whitelist/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!((s, e["status"].as_str()), (200, Some("approved")), "{e}");
    assert!(
        whitelist::is_listed(&app.platform.db.conn, &w.uscc)
            .await
            .unwrap()
    );
    let (_, list) = app.api_get(&w.bank, "/api/v1/whitelist").await;
    assert_eq!(list[0]["subject"], w.uscc.as_str());
    let since = started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (s, feed) = app
        .api_get(&w.bank, &format!("/api/v1/whitelist/changes?since={since}"))
        .await;
    assert_eq!(s, 200, "{feed}");
    let actions: Vec<&str> = feed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["approve"],
        "institutions follow listings and removals"
    );
    let (_, feed) = app
        .api_get(
            &w.operator,
            &format!("/api/v1/whitelist/changes?since={since}"),
        )
        .await;
    let actions: Vec<&str> = feed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["apply", "recommend", "approve"]);
    let (_, feed) = app
        .api_get(&w.bank, "/api/v1/whitelist/changes?since=2999-01-01")
        .await;
    assert_eq!(feed.as_array().unwrap().len(), 0);
    let (s, body) = app
        .api_get(&w.bank, "/api/v1/whitelist/changes?since=yesterday")
        .await;
    assert_eq!((s, body["code"].as_str()), (422, Some("whitelist.since")));
    // The enterprise was told; its timeline has every step.
    let inbox = crate::objections::inbox(app, "ent-1").await;
    assert!(
        inbox.contains(&"whitelist.approved".to_owned()),
        "{inbox:?}"
    );
    let (_, d) = app
        .api_get(&w.ent, &format!("/api/v1/whitelist/{id}"))
        .await;
    assert_eq!(d["timeline"].as_array().unwrap().len(), 3);

    // Removal needs a reason; removed, the enterprise may apply again.
    let (s, body) = post(
        app,
        &w.operator,
        &format!("/api/v1/whitelist/{id}/remove"),
        json!({}),
    )
    .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("whitelist.reason_required"))
    );
    assert!(
        whitelist::is_listed(&app.platform.db.conn, &w.uscc)
            .await
            .unwrap()
    );
    let (s, e) = post(
        app,
        &w.operator,
        &format!("/api/v1/whitelist/{id}/remove"),
        json!({"reason": "列入经营异常名录"}),
    )
    .await;
    assert_eq!((s, e["status"].as_str()), (200, Some("removed")));
    assert!(
        !whitelist::is_listed(&app.platform.db.conn, &w.uscc)
            .await
            .unwrap()
    );
    let (_, feed) = app
        .api_get(&w.bank, &format!("/api/v1/whitelist/changes?since={since}"))
        .await;
    assert_eq!(feed[1]["action"], "remove");
    assert_eq!(feed[1]["reason"], "列入经营异常名录");
    let (s, again) = post(
        app,
        &w.ent,
        "/api/v1/whitelist",
        json!({"reason": "已移出经营异常名录"}),
    )
    .await;
    assert_eq!(s, 201, "{again}");
    let again_id = again["id"].as_str().unwrap().to_owned();

    // The CLI decides as the platform: a rejection needs a reason.
    let db = app.db_url();
    let out = xinrong(&db, &["whitelist", "reject", &again_id]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("whitelist.reason_required"));
    assert_eq!(status_of(app, &w.operator, &again_id).await, "applied");
    let out = xinrong(&db, &["whitelist", "approve", &again_id]);
    assert!(!out.status.success(), "approve before a recommendation");
    let out = xinrong(
        &db,
        &["whitelist", "reject", &again_id, "--reason", "材料不全"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = xinrong(
        &db,
        &[
            "whitelist",
            "list",
            "--subject",
            &w.uscc,
            "--format",
            "json",
        ],
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&"rejected") && statuses.contains(&"removed"));
}
on_all_backends!(the_white_list_flow);

mod browser {
    //! A real browser at 390 px: the bank records a loan through the form (a refused value
    //! first), the enterprise applies to the white list, the government recommends and the
    //! operator approves — no page overflows sideways.

    use crate::browser::{Driver, log_in_afresh, screenshot};
    use fantoccini::{Client, Locator};
    use xinrong_store::Backend;

    /// Also keeps a screenshot in `target/screenshots/` for a look.
    async fn assert_no_overflow(b: &Client, what: &str) {
        screenshot(b, &format!("h3-{}", what.replace(' ', "-"))).await;
        crate::browser::assert_no_overflow(b, what).await;
    }

    async fn fill(b: &Client, css: &str, text: &str) {
        let e = b.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    async fn click(b: &Client, css: &str) {
        b.find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    async fn text(b: &Client, css: &str) -> String {
        b.find(Locator::Css(css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn loan_entry_and_the_white_list_at_phone_width() {
        let w = crate::finance_loans::world(Backend::Sqlite).await;
        let app = &w.app;
        let driver = Driver::start();
        let b = driver.client(390, 844).await;

        // The bank records a loan: pure credit with a mortgage is refused, then fixed.
        log_in_afresh(&b, app, "bank-icbc").await;
        b.goto(&app.url("/loans/new")).await.unwrap();
        assert_no_overflow(&b, "loan form").await;
        fill(&b, "input[name=subject_uscc]", &w.uscc).await;
        fill(&b, "input[name=contract_no]", "WEB-001").await;
        fill(&b, "input[name=amount_yuan]", "1500000").await;
        fill(&b, "input[name=rate_percent]", "3.85").await;
        fill(&b, "input[name=term_months]", "12").await;
        click(&b, "select[name=guarantee] option[value=mortgage]").await;
        click(&b, "input[name=pure_credit]").await;
        click(&b, "#loan-form button[type=submit]").await;
        b.wait()
            .for_element(Locator::Id("loan-error"))
            .await
            .unwrap();
        assert!(text(&b, "#loan-error").await.contains("纯信用"));
        assert_no_overflow(&b, "loan form with an error").await;
        click(&b, "select[name=guarantee] option[value=credit]").await;
        click(&b, "#loan-form button[type=submit]").await;
        b.wait()
            .for_element(Locator::Id("outstanding"))
            .await
            .unwrap();
        assert!(text(&b, "#outstanding").await.contains("1500000.00"));
        assert_no_overflow(&b, "loan page").await;
        b.goto(&app.url("/loans")).await.unwrap();
        assert_eq!(text(&b, "#total-count").await, "1");
        assert!(text(&b, "#loan-list").await.contains("WEB-001"));
        assert_no_overflow(&b, "loan list").await;
        b.goto(&app.url("/loans/upload")).await.unwrap();
        assert_no_overflow(&b, "upload page").await;

        // The enterprise applies to the white list.
        log_in_afresh(&b, app, "ent-1").await;
        b.goto(&app.url("/whitelist")).await.unwrap();
        fill(&b, "#apply-form textarea[name=reason]", "纳税信用 A 级").await;
        click(&b, "#apply-form button[type=submit]").await;
        b.wait()
            .for_element(Locator::Css("#whitelist-entries tr[data-status=applied]"))
            .await
            .unwrap();
        assert_no_overflow(&b, "enterprise white list").await;
        // The city government recommends.
        log_in_afresh(&b, app, "gov").await;
        b.goto(&app.url("/whitelist")).await.unwrap();
        click(
            &b,
            "#whitelist-entries tr[data-status=applied] .recommend-form button",
        )
        .await;
        b.wait()
            .for_element(Locator::Css(
                "#whitelist-entries tr[data-status=recommended]",
            ))
            .await
            .unwrap();
        assert_no_overflow(&b, "government white list").await;
        // The operator approves.
        log_in_afresh(&b, app, "operator").await;
        b.goto(&app.url("/whitelist?status=recommended"))
            .await
            .unwrap();
        assert_no_overflow(&b, "operator queue").await;
        click(
            &b,
            "#whitelist-entries tr[data-status=recommended] .approve-form button",
        )
        .await;
        b.wait()
            .for_element(Locator::Css("#whitelist-entries tr[data-status=approved]"))
            .await
            .unwrap();
        // The bank sees the list and the change.
        log_in_afresh(&b, app, "bank-icbc").await;
        b.goto(&app.url("/whitelist")).await.unwrap();
        assert!(text(&b, "#whitelist-entries").await.contains(&w.uscc));
        assert!(text(&b, "#whitelist-changes").await.contains("列入白名单"));
        assert_no_overflow(&b, "institution white list").await;
        b.close().await.unwrap();
    }
}
