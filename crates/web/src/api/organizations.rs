//! `GET /api/v1/organizations`: every organisation on the platform (operator only).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::identity;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OrgParams {
    /// Only organisations of this role.
    pub role: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganizationView {
    pub id: String,
    pub role: String,
    pub name: String,
    pub uscc: Option<String>,
    pub region_code: Option<String>,
    pub institution_kind: Option<String>,
}

/// Lists organisations, optionally of one role.
#[utoipa::path(
    get,
    path = "/api/v1/organizations",
    tag = "organizations",
    security(("bearer" = []), ("session" = [])),
    params(OrgParams),
    responses(
        (status = 200, body = Vec<OrganizationView>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<OrgParams>,
) -> Result<Json<Vec<OrganizationView>>, ApiError> {
    caller.principal.require(&[Role::Operator])?;
    let role = match params.role.as_deref() {
        None | Some("") => None,
        Some(r) => Some(
            r.parse::<Role>()
                .map_err(|e| ServiceError::invalid("role.unknown", e.to_string()))?,
        ),
    };
    let orgs = identity::list_organizations(&state.platform, role).await?;
    Ok(Json(
        orgs.into_iter()
            .map(|o| OrganizationView {
                id: o.id,
                role: o.kind,
                name: o.name,
                uscc: o.uscc,
                region_code: o.region_code,
                institution_kind: o.institution_kind,
            })
            .collect(),
    ))
}
