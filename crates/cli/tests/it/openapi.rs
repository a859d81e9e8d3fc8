//! The API document is generated from the routes; a snapshot makes every change to it visible
//! in review.

use crate::support::TestApp;
use xinrong_store::Backend;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_matches_snapshot_and_is_served() {
    let spec = xinrong_web::openapi_json();
    let doc: serde_json::Value = serde_json::from_str(&spec).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    insta::assert_snapshot!("openapi", spec);

    let app = TestApp::spawn(Backend::Sqlite).await;
    let served: serde_json::Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served, doc);
}

#[test]
fn every_api_route_is_documented() {
    let doc: serde_json::Value = serde_json::from_str(&xinrong_web::openapi_json()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/healthz",
        "/readyz",
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/enterprises",
        "/api/v1/organizations",
    ] {
        assert!(paths.contains_key(path), "{path} missing from the spec");
    }
}
