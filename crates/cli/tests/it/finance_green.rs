//! 绿色金融 end to end on every backend: `xinrong green refresh` marks exactly the enterprises
//! whose industry is in the green catalogue and whose latest environmental credit rating is not
//! 警示/不良; declarations and projects are reviewed (a rejection needs a reason, a decided one
//! cannot be decided again); a 不良 rating removes even an approved declaration and refuses a
//! new one; the summary is for government and the operator. A browser at 390 px: the
//! enterprise sees its matched policies, the government the green summary.

use crate::finance_policies::{app, firm, uscc_of};
use crate::on_all_backends;
use crate::support::{TestApp, xinrong};
use reqwest::Method;
use serde_json::{Value, json};
use xinrong_store::Backend;
use xinrong_store::repo::enterprises;

/// Pushes environmental credit ratings (uscc, grade, date) as the ecology bureau.
async fn ratings(app: &TestApp, rows: &[(&str, &str, &str)]) {
    let provider = app.token_for("provider-ecology").await;
    let mut csv = String::from("uscc,env_credit_grade,rating_date\n");
    for (uscc, grade, date) in rows {
        csv += &format!("{uscc},{grade},{date}\n");
    }
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/batches?item=environment.env_credit_rating"))
        .bearer_auth(&provider)
        .body(csv)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    assert_eq!(status, 201, "push ratings: {}", r.text().await.unwrap());
}

fn refresh(app: &TestApp) -> Value {
    let out = xinrong(&app.db_url(), &["green", "refresh", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn approved(app: &TestApp, token: &str) -> Vec<Value> {
    let (s, list) = app.api_get(token, "/api/v1/green/enterprises").await;
    assert_eq!(s, 200, "{list}");
    list.as_array().unwrap().clone()
}

fn has(list: &[Value], uscc: &str) -> bool {
    list.iter().any(|e| e["uscc"] == uscc)
}

async fn my_green(app: &TestApp, token: &str) -> Value {
    let (s, v) = app.api_get(token, "/api/v1/my/green").await;
    assert_eq!(s, 200, "{v}");
    v
}

async fn green_rule_declarations_and_review(backend: Backend) {
    let app = app(backend).await;
    let operator = app.token_for("operator").await;
    let gov = app.token_for("gov").await;
    let bank = app.token_for("bank-icbc").await;
    let ent = app.token_for("ent-1").await;
    let ent2 = app.token_for("ent-2").await;
    let conn = &app.platform.db.conn;
    let county = "410102";
    let a = firm("GRN", 1, county, "77", "small", 40); // listed, never rated → green
    let b = firm("GRN", 2, county, "77", "small", 40); // listed, 警示 → not
    let c = firm("GRN", 3, county, "44", "small", 40); // listed, 不良 → not
    let d = firm("GRN", 4, county, "65", "small", 40); // not listed → not
    let e = firm("GRN", 5, county, "46", "small", 40); // 不良 earlier, 诚信 latest → green
    enterprises::insert_many(
        conn,
        vec![a.clone(), b.clone(), c.clone(), d.clone(), e.clone()],
    )
    .await
    .unwrap();
    ratings(
        &app,
        &[
            (&b.uscc, "环保警示", "2025-06-30"),
            (&c.uscc, "环保不良", "2025-06-30"),
            (&d.uscc, "环保诚信", "2025-06-30"),
            (&e.uscc, "环保不良", "2023-06-30"),
            (&e.uscc, "环保诚信", "2025-06-30"),
        ],
    )
    .await;
    let report = refresh(&app);
    assert!(report["green_by_rule"].as_u64().unwrap() >= 2, "{report}");
    let list = approved(&app, &operator).await;
    assert!(has(&list, &a.uscc) && has(&list, &e.uscc));
    for not in [&b, &c, &d] {
        assert!(!has(&list, &not.uscc), "{} should not be green", not.name);
    }
    let among = xinrong_services::finance::green::green_among(
        conn,
        &[
            a.uscc.clone(),
            b.uscc.clone(),
            c.uscc.clone(),
            e.uscc.clone(),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        among,
        [a.uscc.clone(), e.uscc.clone()].into_iter().collect(),
        "the batch answer agrees with the lists"
    );
    assert!(
        xinrong_services::finance::green::is_green(conn, &e.uscc)
            .await
            .unwrap()
    );
    let entry_a = list.iter().find(|x| x["uscc"] == a.uscc.as_str()).unwrap();
    assert_eq!(entry_a["category"], "ecological");
    assert_eq!(entry_a["source"], "rule");
    // Idempotent: a second refresh adds nothing.
    let again = refresh(&app);
    assert_eq!(again["added"], 0);
    assert_eq!(again["removed"], 0);
    // The government sees its jurisdiction; an institution the library; the summary is not the
    // enterprise's.
    assert!(has(&approved(&app, &gov).await, &a.uscc));
    assert!(has(&approved(&app, &bank).await, &a.uscc));
    let (s, _) = app.api_get(&ent, "/api/v1/green/summary").await;
    assert_eq!(s, 403);

    // A 不良 rating later removes a rule-based entry.
    ratings(&app, &[(&a.uscc, "环保不良", "2026-06-30")]).await;
    let r = refresh(&app);
    assert_eq!(r["removed"], 1, "{r}");
    assert!(!has(&approved(&app, &operator).await, &a.uscc));
    let (_, removed) = app
        .api_get(&operator, "/api/v1/green/enterprises?status=removed")
        .await;
    let gone = removed
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["uscc"] == a.uscc.as_str())
        .expect("removed entry kept with reasons");
    assert!(
        gone["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r.as_str().unwrap().contains("环保不良"))
    );

    // Declarations: bad input first.
    let declare = |body: Value| {
        let app = &app;
        let ent = ent.clone();
        async move {
            app.api(Method::POST, &ent, "/api/v1/green/declarations", Some(body))
                .await
        }
    };
    let (s, err) =
        declare(json!({"kind": "enterprise", "category": "clean_energy", "evidence": " "})).await;
    assert_eq!(
        (s, err["code"].as_str()),
        (422, Some("green.evidence_required"))
    );
    let (s, err) =
        declare(json!({"kind": "enterprise", "category": "coal", "evidence": "x"})).await;
    assert_eq!((s, err["code"].as_str()), (422, Some("green.category")));
    let (s, err) = declare(json!({"kind": "tree", "category": "clean_energy"})).await;
    assert_eq!((s, err["code"].as_str()), (422, Some("green.kind")));
    let (s, _) = app
        .api(
            Method::POST,
            &gov,
            "/api/v1/green/declarations",
            Some(json!({"kind": "enterprise", "category": "clean_energy", "evidence": "x"})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, declared) = declare(json!({
        "kind": "enterprise", "category": "clean_energy",
        "evidence": "主营分布式光伏电站运营，附发电量证明"
    }))
    .await;
    assert_eq!(s, 201, "{declared}");
    let decl_id = declared["entry"]["id"].as_str().unwrap().to_owned();
    assert_eq!(declared["entry"]["status"], "candidate");
    // A second declaration while one is pending is out of order.
    let (s, err) =
        declare(json!({"kind": "enterprise", "category": "clean_energy", "evidence": "再报"}))
            .await;
    assert_eq!((s, err["code"].as_str()), (422, Some("green.state")));
    // Review: only the operator; rejection needs a reason (nothing changes without one).
    let (s, _) = app
        .api(
            Method::POST,
            &gov,
            &format!("/api/v1/green/declarations/{decl_id}/approve"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, err) = app
        .api(
            Method::POST,
            &operator,
            &format!("/api/v1/green/declarations/{decl_id}/reject"),
            Some(json!({"reason": "  "})),
        )
        .await;
    assert_eq!(
        (s, err["code"].as_str()),
        (422, Some("green.reason_required"))
    );
    let (_, queue) = app.api_get(&operator, "/api/v1/green/declarations").await;
    assert!(
        queue["declarations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == decl_id.as_str() && x["status"] == "candidate")
    );
    let (s, ok) = app
        .api(
            Method::POST,
            &operator,
            &format!("/api/v1/green/declarations/{decl_id}/approve"),
            Some(json!({"reason": "材料齐全"})),
        )
        .await;
    assert_eq!(s, 200, "{ok}");
    assert_eq!(ok["entry"]["status"], "approved");
    assert!(my_green(&app, &ent).await["green"].as_bool().unwrap());
    assert_eq!(
        crate::objections::inbox(&app, "ent-1")
            .await
            .iter()
            .filter(|k| *k == "green.approved")
            .count(),
        1
    );
    let (s, err) = app
        .api(
            Method::POST,
            &operator,
            &format!("/api/v1/green/declarations/{decl_id}/reject"),
            Some(json!({"reason": "重复审核"})),
        )
        .await;
    assert_eq!((s, err["code"].as_str()), (422, Some("green.state")));
    let (s, _) = app
        .api(
            Method::POST,
            &operator,
            "/api/v1/green/declarations/00000000-0000-0000-0000-000000000000/approve",
            Some(json!({})),
        )
        .await;
    assert_eq!(s, 404);

    // 不良 excludes even a declared enterprise: the approved declaration is removed, a new one
    // refused.
    let uscc = uscc_of(&app, &ent).await;
    ratings(&app, &[(&uscc, "环保不良", "2026-09-30")]).await;
    let r = refresh(&app);
    assert_eq!(r["declarations_removed"], 1, "{r}");
    let mine = my_green(&app, &ent).await;
    assert_eq!(mine["green"], false, "{mine}");
    assert_eq!(mine["rule"]["green"], false);
    let (s, err) =
        declare(json!({"kind": "enterprise", "category": "clean_energy", "evidence": "再次申报"}))
            .await;
    assert_eq!((s, err["code"].as_str()), (422, Some("green.env_excluded")));

    // Projects: bad numbers, a rejection, an approval; institutions see approved ones only.
    let project = |name: &str, investment: i64| {
        json!({
            "kind": "project", "category": "energy_saving", "name": name,
            "investment_fen": investment, "co2_reduction_t": 120,
            "description": "余热回收改造"
        })
    };
    let (s, err) = app
        .api(
            Method::POST,
            &ent2,
            "/api/v1/green/declarations",
            Some(project("零投资", 0)),
        )
        .await;
    assert_eq!((s, err["code"].as_str()), (422, Some("green.investment")));
    let mut negative = project("负减排", 100);
    negative["co2_reduction_t"] = json!(-5);
    let (s, err) = app
        .api(
            Method::POST,
            &ent2,
            "/api/v1/green/declarations",
            Some(negative),
        )
        .await;
    assert_eq!((s, err["code"].as_str()), (422, Some("green.co2")));
    let mut ids = Vec::new();
    for name in ["余热回收一期", "余热回收二期"] {
        let (s, p) = app
            .api(
                Method::POST,
                &ent2,
                "/api/v1/green/declarations",
                Some(project(name, 85_000_000)),
            )
            .await;
        assert_eq!(s, 201, "{p}");
        assert_eq!(p["project"]["status"], "submitted");
        ids.push(p["project"]["id"].as_str().unwrap().to_owned());
    }
    let (s, err) = app
        .api(
            Method::POST,
            &operator,
            &format!("/api/v1/green/declarations/{}/reject", ids[0]),
            None,
        )
        .await;
    assert_eq!(
        (s, err["code"].as_str()),
        (422, Some("green.reason_required"))
    );
    let (s, rej) = app
        .api(
            Method::POST,
            &operator,
            &format!("/api/v1/green/declarations/{}/reject", ids[0]),
            Some(json!({"reason": "缺少节能量测算报告"})),
        )
        .await;
    assert_eq!(
        (s, rej["project"]["status"].as_str()),
        (200, Some("rejected"))
    );
    assert_eq!(rej["project"]["review_reason"], "缺少节能量测算报告");
    let (s, _) = app
        .api(
            Method::POST,
            &operator,
            &format!("/api/v1/green/declarations/{}/approve", ids[1]),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (_, seen) = app.api_get(&bank, "/api/v1/green/projects").await;
    let seen: Vec<&str> = seen
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(seen.contains(&ids[1].as_str()) && !seen.contains(&ids[0].as_str()));
    let (_, own) = app.api_get(&ent2, "/api/v1/green/projects").await;
    assert_eq!(own.as_array().unwrap().len(), 2);
    let (_, others) = app.api_get(&ent, "/api/v1/green/projects").await;
    assert!(
        others.as_array().unwrap().is_empty(),
        "an enterprise sees its own only"
    );

    // The summary.
    let (s, sum) = app.api_get(&gov, "/api/v1/green/summary").await;
    assert_eq!(s, 200, "{sum}");
    assert_eq!(sum["by_category"].as_array().unwrap().len(), 6);
    assert!(sum["green_enterprises"].as_u64().unwrap() >= 1);
    assert_eq!(sum["projects_approved"], 1);
    assert_eq!(sum["co2_reduction_t"], 120);
    assert_eq!(sum["green_loans"], 0, "no loan recorded in this world");
    let (s, _) = app.api_get(&operator, "/api/v1/green/summary").await;
    assert_eq!(s, 200);
}
on_all_backends!(green_rule_declarations_and_review);

mod browser {
    //! A real browser at 390 px: the enterprise sees the policies matched to it with reasons;
    //! the government sees the green summary — nothing overflows sideways.

    use crate::browser::{Driver, assert_no_overflow, log_in_afresh, screenshot};
    use fantoccini::{Client, Locator};
    use reqwest::Method;
    use serde_json::json;
    use xinrong_store::Backend;

    async fn text(b: &Client, css: &str) -> String {
        b.find(Locator::Css(css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn matched_policies_and_the_green_summary_at_phone_width() {
        let app = crate::finance_policies::app(Backend::Sqlite).await;
        let gov = app.token_for("gov").await;
        // A policy open to everyone in the city: ent-1 fits it.
        let (s, draft) = app
            .api(
                Method::POST,
                &gov,
                "/api/v1/policies",
                Some(json!({
                    "title": "小微企业贷款贴息",
                    "kind": "interest_subsidy",
                    "eligibility": {"excluded_tags": ["dishonest_debtor"]},
                    "benefit": "按实际利息的 30% 贴息，单户每年最高 50 万元",
                    "valid_from": "2026-01-01",
                })),
            )
            .await;
        assert_eq!(s, 201, "{draft}");
        let id = draft["id"].as_str().unwrap();
        let (s, _) = app
            .api(
                Method::POST,
                &gov,
                &format!("/api/v1/policies/{id}/publish"),
                None,
            )
            .await;
        assert_eq!(s, 200);
        let out = crate::support::xinrong(&app.db_url(), &["green", "refresh"]);
        assert!(out.status.success());

        let driver = Driver::start();
        let b = driver.client(390, 844).await;
        log_in_afresh(&b, &app, "ent-1").await;
        b.goto(&app.url("/policies")).await.unwrap();
        b.wait()
            .for_element(Locator::Css("#policy-fits"))
            .await
            .unwrap();
        let fits = text(&b, "#policy-fits").await;
        assert!(fits.contains("小微企业贷款贴息"), "{fits}");
        assert_no_overflow(&b, "enterprise policies").await;
        screenshot(&b, "phone-enterprise-policies").await;
        b.goto(&app.url(&format!("/policies/{id}"))).await.unwrap();
        assert_no_overflow(&b, "policy page").await;
        screenshot(&b, "phone-policy").await;
        b.goto(&app.url("/green")).await.unwrap();
        b.wait()
            .for_element(Locator::Id("green-mine"))
            .await
            .unwrap();
        assert_no_overflow(&b, "enterprise green page").await;
        screenshot(&b, "phone-enterprise-green").await;

        log_in_afresh(&b, &app, "gov").await;
        b.goto(&app.url("/green")).await.unwrap();
        b.wait()
            .for_element(Locator::Id("green-summary"))
            .await
            .unwrap();
        assert!(text(&b, "#green-summary").await.contains("节能环保产业"));
        assert_no_overflow(&b, "green summary").await;
        screenshot(&b, "phone-green-summary").await;
        b.goto(&app.url("/policies")).await.unwrap();
        b.wait()
            .for_element(Locator::Id("policy-form"))
            .await
            .unwrap();
        assert_no_overflow(&b, "government policies").await;
        screenshot(&b, "phone-government-policies").await;
    }
}
