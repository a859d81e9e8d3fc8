//! Static assets compiled into the binary (no CDN: the platform runs on closed networks), and
//! the OpenAPI document.

use crate::access::{Access, Registry};
use crate::state::AppState;
use axum::Router;
use axum::http::{Method, header};
use axum::response::IntoResponse;
use axum::routing::get;

const APP_CSS: &str = include_str!("../assets/app.css");
/// htmx 2.0.11 (BSD-2-Clause), from the npm package `htmx.org`.
const HTMX_JS: &str = include_str!("../assets/htmx.min.js");
/// The upload form's progress bar (ours).
const UPLOAD_JS: &str = include_str!("../assets/upload.js");

pub fn router(registry: &mut Registry, openapi: utoipa::openapi::OpenApi) -> Router<AppState> {
    let spec = openapi.to_pretty_json().expect("OpenAPI serialises");
    for path in [
        "/assets/app.css",
        "/assets/htmx.min.js",
        "/assets/upload.js",
        "/api/openapi.json",
    ] {
        registry.record(Method::GET, path, Access::Public);
    }
    Router::new()
        .route(
            "/assets/app.css",
            get(|| async { asset("text/css; charset=utf-8", APP_CSS) }),
        )
        .route(
            "/assets/htmx.min.js",
            get(|| async { asset("text/javascript; charset=utf-8", HTMX_JS) }),
        )
        .route(
            "/assets/upload.js",
            get(|| async { asset("text/javascript; charset=utf-8", UPLOAD_JS) }),
        )
        .route(
            "/api/openapi.json",
            get(move || {
                let spec = spec.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], spec) }
            }),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}
