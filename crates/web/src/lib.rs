//! The HTTP face of xinrong: the JSON API under `/api/v1` (whose routes are also its OpenAPI
//! document), the server-rendered UI, and the embedded static assets.
//!
//! Every route is registered through [`access::Registry`] together with the roles that may call
//! it, so the access table is derived from the routes themselves and a test can walk all of them.

pub mod access;
pub mod api;
mod assets;
mod auth;
mod csrf;
mod error;
mod i18n;
mod spool;
mod state;
mod ui;

pub use access::{Access, RoutePolicy};
pub use state::AppState;
/// The credit report as a standalone printable HTML document (`xinrong report --format html`).
pub use ui::reports::render_html as render_report_html;

use axum::Router;
use axum::http::HeaderName;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application, and the access policy of each of its routes.
pub fn app(state: AppState) -> (Router, Vec<RoutePolicy>) {
    let mut registry = access::Registry::default();
    let (api_router, openapi) = api::router(&mut registry);
    let router = Router::new()
        .merge(api_router)
        .merge(ui::router(&mut registry))
        .merge(assets::router(&mut registry, openapi))
        .layer(axum::middleware::from_fn(csrf::protect))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        .with_state(state);
    (router, registry.into_policies())
}

/// The OpenAPI document of the API, as served at `/api/openapi.json`.
pub fn openapi_json() -> String {
    let mut registry = access::Registry::default();
    let (_, openapi) = api::router(&mut registry);
    openapi.to_pretty_json().expect("OpenAPI serialises")
}
