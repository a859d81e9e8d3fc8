//! API tokens: create, use as bearer, list without secrets, revoke with immediate effect.

use crate::on_all_backends;
use crate::support::TestApp;
use reqwest::Client;
use xinrong_store::Backend;

async fn token_lifecycle(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let token = app.token_for("bank-icbc").await;
    assert!(token.starts_with("xr_"));
    let api = Client::new();

    let (_, me) = app.api_get(&token, "/api/v1/me").await;
    assert_eq!(me["username"], "bank-icbc");
    assert_eq!(me["role"], "institution");

    let (_, list) = app.api_get(&token, "/api/v1/tokens").await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].get("token").is_none(), "secrets are never listed");
    assert!(!list[0]["last_used_at"].is_null(), "use is recorded");
    let id = list[0]["id"].as_str().unwrap();

    // A bearer request needs no CSRF token; revoking works and is idempotent.
    let revoked = api
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    let after = api
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        401,
        "revocation takes effect on the next request"
    );

    let stored: Vec<String> = {
        use sea_orm::{ConnectionTrait, Statement};
        let rows = app
            .platform
            .db
            .conn
            .query_all_raw(Statement::from_string(
                app.platform.db.conn.get_database_backend(),
                "SELECT token_hash FROM api_tokens",
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| r.try_get::<String>("", "token_hash").unwrap())
            .collect()
    };
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token, "only the digest is stored");
    assert_eq!(stored[0].len(), 64);
}
on_all_backends!(token_lifecycle);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_creation_validates_input() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let token = app.token_for("operator").await;
    let api = Client::new();
    let bad = api
        .post(app.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "  ", "days": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["code"], "token.name");
    let other_users = app.token_for("gov").await;
    let (_, list) = app.api_get(&other_users, "/api/v1/tokens").await;
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let foreign = api
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 404, "nobody revokes another user's token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_api_writes_need_the_csrf_header() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let client = app.logged_in("operator").await;
    let refused = client
        .post(app.url("/api/v1/tokens"))
        .json(&serde_json::json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "csrf.invalid");
}
