//! `GET /api/v1/me`: who the caller is.

use crate::auth::Caller;
use crate::error::ErrorBody;
use axum::Json;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub org_name: String,
    /// operator, government, provider, institution or enterprise.
    pub role: String,
    /// Jurisdiction (government) or seat, GB/T 2260.
    pub region_code: Option<String>,
    pub org_uscc: Option<String>,
}

/// The calling user and its organisation.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "identity",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody))
)]
pub async fn me(caller: Caller) -> Json<Me> {
    let p = caller.principal;
    Json(Me {
        user_id: p.user_id,
        username: p.username,
        display_name: p.display_name,
        org_id: p.org_id,
        org_name: p.org_name,
        role: p.role.code().to_owned(),
        region_code: p.region_code,
        org_uscc: p.org_uscc,
    })
}
