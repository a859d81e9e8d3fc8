//! Every route declares who may call it; walk them all: anonymous gets 401, a wrong role 403,
//! an allowed role gets through.

use crate::on_all_backends;
use crate::support::page_text;
use crate::support::{TestApp, concrete, csrf_of, demo_user};
use reqwest::{Client, Method};
use xinrong_core::role::Role;
use xinrong_store::Backend;
use xinrong_web::Access;

async fn request(
    app: &TestApp,
    client: &Client,
    csrf: &str,
    method: &Method,
    path: &str,
) -> reqwest::Response {
    let url = app.url(&concrete(path));
    let mut req = client.request(method.clone(), url);
    if *method != Method::GET {
        req = req.header("x-csrf-token", csrf).form(&[("csrf", csrf)]);
    }
    req.send().await.expect("request")
}

async fn every_route_enforces_its_roles(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    assert!(
        app.policies.len() >= 15,
        "routes registered: {}",
        app.policies.len()
    );

    // Anonymous, but with a valid CSRF cookie so only the access rule can refuse.
    let anonymous = TestApp::browser();
    let csrf = csrf_of(&page_text(&anonymous, app.url("/login")).await);
    for policy in &app.policies {
        if let Access::Roles(_) = policy.access {
            let method = Method::from_bytes(policy.method.as_str().as_bytes()).unwrap();
            let response = request(&app, &anonymous, &csrf, &method, &policy.path).await;
            assert_eq!(
                response.status(),
                401,
                "anonymous {} {}",
                policy.method,
                policy.path
            );
            if policy.path.starts_with("/api/") {
                let body: serde_json::Value = response.json().await.unwrap();
                assert_eq!(body["code"], "auth.required");
            }
        }
    }

    for role in Role::ALL {
        let client = app.logged_in(demo_user(role)).await;
        let csrf = app.csrf_of_session(&client).await;
        for policy in &app.policies {
            let Access::Roles(allowed) = policy.access else {
                continue;
            };
            // Logging out would end the session the rest of the walk needs.
            if policy.path == "/logout" {
                continue;
            }
            let method = Method::from_bytes(policy.method.as_str().as_bytes()).unwrap();
            let status = request(&app, &client, &csrf, &method, &policy.path)
                .await
                .status();
            if allowed.contains(&role) {
                assert!(
                    status != 401 && status != 403,
                    "{role} {} {} got {status}",
                    policy.method,
                    policy.path
                );
            } else {
                assert_eq!(status, 403, "{role} {} {}", policy.method, policy.path);
            }
        }
    }
}
on_all_backends!(every_route_enforces_its_roles);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_routes_are_exactly_the_expected_ones() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let mut public: Vec<String> = app
        .policies
        .iter()
        .filter(|p| p.access == Access::Public)
        .map(|p| format!("{} {}", p.method, p.path))
        .collect();
    public.sort();
    assert_eq!(
        public,
        [
            "GET /api/openapi.json",
            // The product supermarket (产品超市) is public: anyone may search listed products.
            "GET /api/v1/products",
            "GET /api/v1/products/{id}",
            "GET /api/v1/registrations/status",
            "GET /assets/app.css",
            "GET /assets/htmx.min.js",
            "GET /assets/upload.js",
            "GET /healthz",
            "GET /lang/{code}",
            "GET /login",
            "GET /products",
            "GET /products/{id}",
            "GET /readyz",
            "GET /register",
            "GET /register/status",
            "GET /verify/report/{id}",
            "POST /api/v1/registrations",
            "POST /api/v1/reports/verify",
            "POST /login",
            "POST /register",
            "POST /verify/report/{id}",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let client = Client::new();
    let health = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.headers().contains_key("x-request-id"));
    let ready: serde_json::Value = client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready");
    app.platform.db.conn.clone().close().await.unwrap();
    let not_ready = client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(not_ready.status(), 503);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_api_route_and_bad_token() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let client = Client::new();
    let bad = client
        .get(app.url("/api/v1/me"))
        .bearer_auth("xr_not-a-real-token")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["code"], "auth.required");
    assert!(!body["message"].as_str().unwrap().is_empty());
}
