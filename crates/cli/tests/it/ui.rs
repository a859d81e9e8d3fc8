//! The UI through HTTP: login form, role home pages, language switch, enterprise list with
//! htmx partials, token page, CSRF and safe redirects.

use crate::on_all_backends;
use crate::support::page_text;
use crate::support::{TestApp, csrf_of, demo_user};
use xinrong_core::role::Role;
use xinrong_store::Backend;

async fn login_home_and_logout(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let (client, response) = app.login("gov-410105", &app.demo_password()).await;
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("xr_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let home = page_text(&client, app.url("/")).await;
    assert!(home.contains("河南省郑州市金水区"), "jurisdiction shown");
    assert!(home.contains("企业名录"));
    // Logout needs the form's CSRF token, then the session is gone.
    let csrf = csrf_of(&home);
    let out = client
        .post(app.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(client.get(app.url("/")).send().await.unwrap().status(), 401);
}
on_all_backends!(login_home_and_logout);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_has_a_home_page() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    for role in Role::ALL {
        let client = app.logged_in(demo_user(role)).await;
        let html = page_text(&client, app.url("/")).await;
        assert!(
            html.contains(&format!("data-role=\"{}\"", role.code())),
            "{role}"
        );
        assert!(html.contains(role.label_zh()), "{role} label");
        assert_eq!(
            html.contains("href=\"/enterprises\""),
            matches!(role, Role::Operator | Role::Government),
            "{role} nav"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_csrf_failures_are_explained_in_chinese() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let (_, response) = app.login("operator", "not-the-password-1").await;
    assert_eq!(response.status(), 401);
    let html = response.text().await.unwrap();
    assert!(html.contains("用户名或密码错误"));
    assert!(html.contains("value=\"operator\""), "the username is kept");

    let client = TestApp::browser();
    let forged = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", "forged"),
            ("username", "operator"),
            ("password", &app.demo_password()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(forged.text().await.unwrap().contains("页面已过期"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_redirects_only_to_local_paths() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let client = TestApp::browser();
    let page = page_text(&client, app.url("/login?next=/enterprises")).await;
    let csrf = csrf_of(&page);
    for (next, expected) in [
        ("/enterprises?q=x", "/enterprises?q=x"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
    ] {
        let c = TestApp::browser();
        let p = page_text(&c, app.url("/login")).await;
        let csrf = csrf_of(&p);
        let r = c
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "operator"),
                ("password", &app.demo_password()),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["location"], expected, "next={next}");
    }
    assert!(!csrf.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_pages_point_to_login() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let response = TestApp::browser()
        .get(app.url("/enterprises?q=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let html = response.text().await.unwrap();
    assert!(html.contains("请先登录"));
    let href = html.split("id=\"go-login\"").next().unwrap();
    assert!(href.contains("/login?next="), "{href}");
    assert!(
        href.contains("enterprises"),
        "the page to return to is kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chinese_first_english_on_request() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let client = TestApp::browser();
    let zh = page_text(&client, app.url("/login")).await;
    assert!(zh.contains("lang=\"zh-CN\"") && zh.contains("登录"));
    let switched = client
        .get(app.url("/lang/en"))
        .header("referer", app.url("/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(switched.headers()["location"], "/login");
    let en = page_text(&client, app.url("/login")).await;
    assert!(en.contains("lang=\"en\"") && en.contains("Log in"));
    let by_header = reqwest::Client::new()
        .get(app.url("/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        by_header.contains("lang=\"zh-CN\""),
        "an English browser locale still gets Chinese first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enterprise_page_filters_pages_and_serves_htmx_partials() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let client = app.logged_in("operator").await;
    let full = page_text(&client, app.url("/enterprises")).await;
    assert!(full.contains("<html") && full.contains("共 200 条"));
    assert!(
        full.contains("金水区") && full.contains("制造业"),
        "filter options"
    );
    assert!(full.contains("id=\"next-page\""));
    let partial = client
        .get(app.url("/enterprises?region=410105&page=1"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!partial.contains("<html"), "htmx gets only the results");
    assert!(partial.contains("id=\"total\""));
    let rows = partial.matches("<tr>").count();
    assert!(rows >= 1);
    assert!(
        partial.matches("金水区").count() >= rows,
        "every row is in the district"
    );
    let bad = client
        .get(app.url("/enterprises?region=123"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("未知行政区划代码"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_page_shows_a_new_token_once_and_revokes() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let client = app.logged_in("provider-tax").await;
    let csrf = app.csrf_of_session(&client).await;
    let created = client
        .post(app.url("/tokens"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "税务数据对接"),
            ("days", "30"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(created.contains("id=\"new-token\""));
    let token = created
        .split("id=\"new-token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let listed = page_text(&client, app.url("/tokens")).await;
    assert!(listed.contains("税务数据对接"));
    assert!(!listed.contains(&token), "the secret is shown once only");
    let me = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let bad_days = client
        .post(app.url("/tokens"))
        .form(&[("csrf", csrf.as_str()), ("name", "x"), ("days", "abc")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad_days.status(), 422);
    assert!(
        bad_days
            .text()
            .await
            .unwrap()
            .contains("有效天数须为正整数")
    );
}
