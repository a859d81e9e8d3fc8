//! 政策找人 end to end on every backend: a government unit drafts and publishes policies for its
//! jurisdiction only; publishing matches exactly the enterprises the eligibility admits and
//! notifies each once (a re-run through the CLI adds nobody and tells nobody twice); the
//! enterprise sees the policies it fits and those it doesn't, with reasons; bad input and
//! out-of-order steps are refused with their codes and change nothing.

use crate::on_all_backends;
use crate::support::{TestApp, page_text, xinrong};
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use xinrong_core::clock::SystemClock;
use xinrong_core::codes::uscc::Uscc;
use xinrong_services::demo::DemoOptions;
use xinrong_store::Backend;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter, EnterpriseRow};

pub(crate) async fn app(backend: Backend) -> TestApp {
    TestApp::spawn_with(
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
    .await
}

/// An enterprise of our own with known facts.
pub(crate) fn firm(
    tag: &str,
    n: u32,
    county: &str,
    industry: &str,
    size: &str,
    months: i64,
) -> EnterpriseRow {
    let uscc = Uscc::from_body(&format!("91{county}{tag}{n:06}"))
        .unwrap()
        .as_str()
        .to_owned();
    EnterpriseRow {
        name: format!("测试{tag}企业{n}有限公司"),
        uscc,
        region_code: county.to_owned(),
        industry_code: industry.to_owned(),
        established: (Utc::now() - Duration::days(months * 31)).date_naive(),
        registered_capital_fen: 100_000_000,
        employees: 20,
        size_class: size.to_owned(),
        legal_rep_name: "张三".into(),
        legal_rep_id_number: "410102199001011234".into(),
        created_at: Utc::now().naive_utc(),
    }
}

pub(crate) async fn uscc_of(app: &TestApp, token: &str) -> String {
    let (_, me) = app.api_get(token, "/api/v1/me").await;
    me["org_uscc"].as_str().expect("enterprise USCC").to_owned()
}

/// Inbox notices of one kind for a user.
async fn notices(app: &TestApp, username: &str, kind: &str) -> usize {
    crate::objections::inbox(app, username)
        .await
        .iter()
        .filter(|k| *k == kind)
        .count()
}

async fn policy_count(app: &TestApp, token: &str) -> usize {
    let (s, list) = app.api_get(token, "/api/v1/policies").await;
    assert_eq!(s, 200);
    list.as_array().unwrap().len()
}

fn body(title: &str, region: Option<&str>, eligibility: Value) -> Value {
    json!({
        "title": title,
        "kind": "tech_loan",
        "region_code": region,
        "eligibility": eligibility,
        "benefit": "贴息 50%，最高 20 万元",
        "body": "测试政策",
        "valid_from": (Utc::now() - Duration::days(10)).date_naive().to_string(),
        "valid_to": (Utc::now() + Duration::days(300)).date_naive().to_string(),
    })
}

async fn policies_publish_match_and_explain(backend: Backend) {
    let app = app(backend).await;
    let gov = app.token_for("gov").await;
    let ent = app.token_for("ent-1").await;
    let operator = app.token_for("operator").await;
    let bank = app.token_for("bank-icbc").await;
    let conn = &app.platform.db.conn;
    let uscc = uscc_of(&app, &ent).await;
    let me = enterprises::get(conn, &uscc).await.unwrap().unwrap();
    let county = me.region_code.clone();
    let other_industry = if me.industry_code == "77" { "65" } else { "77" };
    let other_size = if me.size_class == "micro" {
        "medium"
    } else {
        "micro"
    };
    // Our own enterprises in ent-1's county: one fits, two miss one criterion each.
    let fit = firm("PLC", 1, &county, &me.industry_code, &me.size_class, 30);
    let wrong_industry = firm("PLC", 2, &county, other_industry, &me.size_class, 30);
    let wrong_size = firm("PLC", 3, &county, &me.industry_code, other_size, 30);
    enterprises::insert_many(
        conn,
        vec![fit.clone(), wrong_industry.clone(), wrong_size.clone()],
    )
    .await
    .unwrap();
    // Expected, independently of the matcher: every enterprise of the county with that
    // industry and size class.
    let (rows, _) = enterprises::search(
        conn,
        &EnterpriseFilter {
            region_prefixes: Some(vec![county.clone()]),
            industry_codes: Some(vec![me.industry_code.clone()]),
            ..EnterpriseFilter::default()
        },
        1,
        10_000,
    )
    .await
    .unwrap();
    let expected: BTreeSet<String> = rows
        .into_iter()
        .filter(|e| e.size_class == me.size_class)
        .map(|e| e.uscc)
        .collect();
    assert!(expected.contains(&uscc) && expected.contains(&fit.uscc));

    // Outside the jurisdiction (city 郑州 410100): another city, a province-wide region, an
    // eligibility region elsewhere — refused, nothing written.
    let before = policy_count(&app, &gov).await;
    for (region, eligibility) in [
        (Some("410300"), json!({})),
        (Some("410000"), json!({})),
        (None, json!({"regions": ["4103"]})),
    ] {
        let (s, e) = app
            .api(
                Method::POST,
                &gov,
                "/api/v1/policies",
                Some(body("越界政策", region, eligibility)),
            )
            .await;
        assert_eq!(
            (s, e["code"].as_str()),
            (422, Some("policy.outside_jurisdiction")),
            "{e}"
        );
    }
    // A district unit cannot issue for the whole city either.
    let district = format!("gov-{county}");
    let district_token = app.token_for(&district).await;
    let (s, e) = app
        .api(
            Method::POST,
            &district_token,
            "/api/v1/policies",
            Some(body("越界政策", Some("410100"), json!({}))),
        )
        .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (422, Some("policy.outside_jurisdiction"))
    );
    // Bad input.
    let mut bad = body("", None, json!({}));
    let (s, e) = app
        .api(Method::POST, &gov, "/api/v1/policies", Some(bad.clone()))
        .await;
    assert_eq!((s, e["code"].as_str()), (422, Some("policy.title")));
    bad["title"] = json!("有效期倒置");
    bad["valid_to"] = json!("2020-01-01");
    let (s, e) = app
        .api(Method::POST, &gov, "/api/v1/policies", Some(bad))
        .await;
    assert_eq!((s, e["code"].as_str()), (422, Some("policy.validity")));
    let (s, e) = app
        .api(
            Method::POST,
            &gov,
            "/api/v1/policies",
            Some(body("等级无效", None, json!({"min_grade": "AAA"}))),
        )
        .await;
    assert_eq!((s, e["code"].as_str()), (422, Some("eligibility.grade")));
    // Not a government unit.
    let (s, _) = app
        .api(
            Method::POST,
            &ent,
            "/api/v1/policies",
            Some(body("企业发政策", None, json!({}))),
        )
        .await;
    assert_eq!(s, 403);
    assert_eq!(policy_count(&app, &gov).await, before);

    // A draft: only its issuer sees it.
    let rule = json!({
        "regions": [county],
        "industries": [me.industry_code],
        "size_classes": [me.size_class],
    });
    let (s, draft) = app
        .api(
            Method::POST,
            &gov,
            "/api/v1/policies",
            Some(body("科技型中小企业科技贷", Some("410100"), rule.clone())),
        )
        .await;
    assert_eq!(s, 201, "{draft}");
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["status"], "draft");
    let (s, _) = app.api_get(&ent, &format!("/api/v1/policies/{id}")).await;
    assert_eq!(s, 404, "a draft is the issuer's");
    // Another unit cannot publish it; the enterprise is refused at the door.
    let (s, _) = app
        .api(
            Method::POST,
            &district_token,
            &format!("/api/v1/policies/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = app
        .api(
            Method::POST,
            &ent,
            &format!("/api/v1/policies/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(s, 403);
    // The issuer edits its draft; an edit moving it outside the jurisdiction changes nothing.
    let mut edited = body("科技型中小企业科技贷", Some("410100"), rule.clone());
    edited["benefit"] = json!("单户最高 1000 万元信用贷款");
    let (s, e) = app
        .api(
            Method::PUT,
            &gov,
            &format!("/api/v1/policies/{id}"),
            Some(edited),
        )
        .await;
    assert_eq!(
        (s, e["benefit"].as_str()),
        (200, Some("单户最高 1000 万元信用贷款")),
        "{e}"
    );
    let (s, e) = app
        .api(
            Method::PUT,
            &gov,
            &format!("/api/v1/policies/{id}"),
            Some(body("越界", Some("410300"), rule.clone())),
        )
        .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (422, Some("policy.outside_jurisdiction"))
    );
    let (_, still) = app.api_get(&gov, &format!("/api/v1/policies/{id}")).await;
    assert_eq!(still["region_code"], "410100");
    assert_eq!(still["title"], "科技型中小企业科技贷");
    // The same through the page's edit form (CSRF-protected): a refused edit changes nothing.
    let page = app.logged_in("gov").await;
    let csrf = app.csrf_of_session(&page).await;
    let form = |region: &str, benefit: &str| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("title".to_owned(), "科技型中小企业科技贷".to_owned()),
            ("kind".to_owned(), "tech_loan".to_owned()),
            ("region_code".to_owned(), region.to_owned()),
            ("benefit".to_owned(), benefit.to_owned()),
            (
                "valid_from".to_owned(),
                (Utc::now() - Duration::days(10)).date_naive().to_string(),
            ),
            ("regions".to_owned(), county.clone()),
            ("industries".to_owned(), me.industry_code.clone()),
            ("size_class".to_owned(), me.size_class.clone()),
        ]
    };
    let r = page
        .post(app.url(&format!("/policies/{id}/edit")))
        .form(&form("410300", "越界"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("辖区"));
    let r = page
        .post(app.url(&format!("/policies/{id}/edit")))
        .form(&form("410100", "单户最高 1000 万元信用贷款，贴息 50%"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, still) = app.api_get(&gov, &format!("/api/v1/policies/{id}")).await;
    assert_eq!(still["benefit"], "单户最高 1000 万元信用贷款，贴息 50%");
    assert_eq!(still["eligibility"]["regions"][0], county.as_str());
    // The CLI refuses an unknown policy with its code.
    let out = xinrong(
        &app.db_url(),
        &["policies", "match", "--policy", "no-such-policy"],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not_found"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Withdrawing a draft is out of order.
    let (s, e) = app
        .api(
            Method::POST,
            &gov,
            &format!("/api/v1/policies/{id}/withdraw"),
            None,
        )
        .await;
    assert_eq!((s, e["code"].as_str()), (422, Some("policy.state")));

    // Publish: matched exactly the expected enterprises, ent-1 told once.
    let (s, published) = app
        .api(
            Method::POST,
            &gov,
            &format!("/api/v1/policies/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{published}");
    assert_eq!(published["policy"]["status"], "published");
    assert_eq!(published["matching"]["new_matches"], expected.len());
    assert_eq!(published["matching"]["notified"], 1, "only ent-1 has users");
    let (s, m) = app
        .api_get(&gov, &format!("/api/v1/policies/{id}/matches"))
        .await;
    assert_eq!(s, 200, "{m}");
    let matched: BTreeSet<String> = m["enterprises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uscc"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(matched, expected);
    assert!(!matched.contains(&wrong_industry.uscc) && !matched.contains(&wrong_size.uscc));
    assert_eq!(m["count"], expected.len());
    assert_eq!(notices(&app, "ent-1", "policy.matched").await, 1);
    // Publishing again is out of order; re-matching (CLI) adds nobody and tells nobody twice.
    let (s, e) = app
        .api(
            Method::POST,
            &gov,
            &format!("/api/v1/policies/{id}/publish"),
            None,
        )
        .await;
    assert_eq!((s, e["code"].as_str()), (422, Some("policy.state")));
    let out = xinrong(
        &app.db_url(),
        &["policies", "match", "--policy", &id, "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["new_matches"], 0);
    assert_eq!(reports[0]["eligible"], expected.len());
    assert_eq!(reports[0]["notified"], 0);
    let out = xinrong(&app.db_url(), &["policies", "match"]);
    assert!(out.status.success());
    assert_eq!(notices(&app, "ent-1", "policy.matched").await, 1);
    let out = xinrong(&app.db_url(), &["policies", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("科技型中小企业科技贷"));
    // Editing a published policy is out of order.
    let (s, e) = app
        .api(
            Method::PUT,
            &gov,
            &format!("/api/v1/policies/{id}"),
            Some(body("改名", None, json!({}))),
        )
        .await;
    assert_eq!((s, e["code"].as_str()), (422, Some("policy.state")));

    // Matches: the operator sees them; an institution is refused; a district outside the
    // policy's region is told it does not exist.
    let (s, _) = app
        .api_get(&operator, &format!("/api/v1/policies/{id}/matches"))
        .await;
    assert_eq!(s, 200);
    let (s, _) = app
        .api_get(&bank, &format!("/api/v1/policies/{id}/matches"))
        .await;
    assert_eq!(s, 403);
    let (s, _) = app
        .api_get(&district_token, &format!("/api/v1/policies/{id}/matches"))
        .await;
    assert_eq!(s, 404, "a district does not cover the city's policy");

    // A second policy ent-1 does not fit (another industry).
    let (_, miss) = app
        .api(
            Method::POST,
            &gov,
            "/api/v1/policies",
            Some(body(
                "专精特新贷",
                None,
                json!({"industries": [other_industry], "size_classes": ["medium", "small", "micro", "large"]}),
            )),
        )
        .await;
    let miss_id = miss["id"].as_str().unwrap().to_owned();
    let (s, _) = app
        .api(
            Method::POST,
            &gov,
            &format!("/api/v1/policies/{miss_id}/publish"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (s, mine) = app.api_get(&ent, "/api/v1/my/policies").await;
    assert_eq!(s, 200, "{mine}");
    let fits = mine["fits"].as_array().unwrap();
    let fit_row = fits
        .iter()
        .find(|f| f["policy"]["id"] == id.as_str())
        .expect("fits");
    assert!(fit_row["matched_at"].is_string());
    let checks = fit_row["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 3, "{checks:?}");
    assert!(checks.iter().all(|c| c["met"] == true));
    let misfit = mine["misfits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["policy"]["id"] == miss_id.as_str())
        .expect("misfit listed");
    let unmet: Vec<&Value> = misfit["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["met"] == false)
        .collect();
    assert_eq!(unmet.len(), 1);
    assert_eq!(unmet[0]["criterion"], "industry");
    assert!(!unmet[0]["reason_zh"].as_str().unwrap().is_empty());
    assert_eq!(notices(&app, "ent-1", "policy.matched").await, 1);

    // The pages: the enterprise's reasons, the government's matched list.
    let client = app.logged_in("ent-1").await;
    let html = page_text(&client, app.url("/policies")).await;
    assert!(
        html.contains("科技型中小企业科技贷") && html.contains("专精特新贷"),
        "{html}"
    );
    let client = app.logged_in("gov").await;
    let html = page_text(&client, app.url(&format!("/policies/{id}"))).await;
    assert!(html.contains(&fit.name), "matched list shows our firm");

    // Withdrawn: no longer offered to the enterprise.
    let (s, w) = app
        .api(
            Method::POST,
            &gov,
            &format!("/api/v1/policies/{id}/withdraw"),
            None,
        )
        .await;
    assert_eq!((s, w["status"].as_str()), (200, Some("withdrawn")));
    let (_, mine) = app.api_get(&ent, "/api/v1/my/policies").await;
    assert!(
        !mine["fits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["policy"]["id"] == id.as_str())
    );
    let (s, _) = app.api_get(&ent, &format!("/api/v1/policies/{id}")).await;
    assert_eq!(s, 404);
}
on_all_backends!(policies_publish_match_and_explain);
