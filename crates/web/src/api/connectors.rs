//! Connectors (接口调用配置) of providers' query APIs, with their live state; operator only.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use xinrong_core::role::Role;
use xinrong_services::pull::{self, Connector, ConnectorChange};

#[derive(Serialize, utoipa::ToSchema)]
pub struct LiveView {
    /// closed, open or half_open.
    pub breaker: String,
    /// HTTP calls made to the provider (each attempt counts).
    pub calls: u64,
    pub failures: u64,
    pub cache_hits: u64,
    /// Reads refused at once because the breaker was open.
    pub short_circuits: u64,
    /// Reads refused by the rate or concurrency quota.
    pub rate_limited: u64,
    pub in_flight: u64,
    pub cached: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ConnectorView {
    /// The provider organisation.
    pub org_id: String,
    pub org_name: String,
    pub base_url: String,
    pub timeout_ms: u32,
    pub retries: u32,
    pub max_concurrency: u32,
    pub rate_per_minute: u32,
    pub cache_ttl_seconds: u32,
    pub breaker_threshold: u32,
    pub breaker_cooldown_seconds: u32,
    pub enabled: bool,
    pub updated_at: DateTime<Utc>,
    pub live: LiveView,
}

impl From<Connector> for ConnectorView {
    fn from(c: Connector) -> Self {
        let s = c.settings;
        let l = c.live;
        ConnectorView {
            org_id: c.org_id,
            org_name: c.org_name,
            base_url: s.base_url,
            timeout_ms: s.timeout_ms,
            retries: s.retries,
            max_concurrency: s.max_concurrency,
            rate_per_minute: s.rate_per_minute,
            cache_ttl_seconds: s.cache_ttl_seconds,
            breaker_threshold: s.breaker_threshold,
            breaker_cooldown_seconds: s.breaker_cooldown_seconds,
            enabled: s.enabled,
            updated_at: c.updated_at.and_utc(),
            live: LiveView {
                breaker: l.breaker.code().to_owned(),
                calls: l.calls,
                failures: l.failures,
                cache_hits: l.cache_hits,
                short_circuits: l.short_circuits,
                rate_limited: l.rate_limited,
                in_flight: l.in_flight,
                cached: l.cached,
            },
        }
    }
}

/// A change to a connector; absent fields keep their value (a new connector needs `base_url`).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ConnectorBody {
    pub base_url: Option<String>,
    pub timeout_ms: Option<u32>,
    pub retries: Option<u32>,
    pub max_concurrency: Option<u32>,
    pub rate_per_minute: Option<u32>,
    pub cache_ttl_seconds: Option<u32>,
    pub breaker_threshold: Option<u32>,
    pub breaker_cooldown_seconds: Option<u32>,
    pub enabled: Option<bool>,
}

/// Lists every connector with its live state.
#[utoipa::path(
    get,
    path = "/api/v1/connectors",
    tag = "pull",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = Vec<ConnectorView>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ConnectorView>>, ApiError> {
    caller.principal.require(&[Role::Operator])?;
    let list = pull::list_connectors(&state.platform).await?;
    Ok(Json(list.into_iter().map(ConnectorView::from).collect()))
}

/// Creates or changes the connector of a provider.
#[utoipa::path(
    put,
    path = "/api/v1/connectors/{org_id}",
    tag = "pull",
    security(("bearer" = []), ("session" = [])),
    params(("org_id" = String, Path, description = "The provider organisation")),
    request_body = ConnectorBody,
    responses(
        (status = 200, body = ConnectorView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn set(
    State(state): State<AppState>,
    caller: Caller,
    Path(org_id): Path<String>,
    Json(body): Json<ConnectorBody>,
) -> Result<Json<ConnectorView>, ApiError> {
    caller.principal.require(&[Role::Operator])?;
    let change = ConnectorChange {
        base_url: body.base_url,
        timeout_ms: body.timeout_ms,
        retries: body.retries,
        max_concurrency: body.max_concurrency,
        rate_per_minute: body.rate_per_minute,
        cache_ttl_seconds: body.cache_ttl_seconds,
        breaker_threshold: body.breaker_threshold,
        breaker_cooldown_seconds: body.breaker_cooldown_seconds,
        enabled: body.enabled,
    };
    let connector = pull::set_connector(&state.platform, &org_id, change).await?;
    Ok(Json(connector.into()))
}
