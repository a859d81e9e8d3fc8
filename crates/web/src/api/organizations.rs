//! Organisations and their users, managed by the operator (平台运营方).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use xinrong_core::role::{InstitutionKind, Role};
use xinrong_services::ServiceError;
use xinrong_services::identity::Organization as OrganizationRow;
use xinrong_services::identity::{self, NewOrganization, NewUser, UserInfo};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OrgParams {
    /// Only organisations of this role.
    pub role: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganizationView {
    pub id: String,
    /// operator, government, provider, institution or enterprise.
    pub role: String,
    pub name: String,
    pub uscc: Option<String>,
    /// Jurisdiction (government) or seat, GB/T 2260.
    pub region_code: Option<String>,
    /// bank, guarantor, insurer or credit_agency (institutions only).
    pub institution_kind: Option<String>,
}

impl From<OrganizationRow> for OrganizationView {
    fn from(o: OrganizationRow) -> Self {
        OrganizationView {
            id: o.id,
            role: o.kind,
            name: o.name,
            uscc: o.uscc,
            region_code: o.region_code,
            institution_kind: o.institution_kind,
        }
    }
}

pub(crate) fn parse_role(text: &str) -> Result<Role, ServiceError> {
    text.parse::<Role>()
        .map_err(|e| ServiceError::invalid("role.unknown", e.to_string()))
}

pub(crate) fn parse_institution_kind(
    text: Option<&str>,
) -> Result<Option<InstitutionKind>, ServiceError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => InstitutionKind::parse(t).map(Some).ok_or_else(|| {
            ServiceError::invalid(
                "organization.institution_kind",
                format!("未知机构类别：{t}"),
            )
        }),
    }
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
    let role = match params.role.as_deref().filter(|r| !r.is_empty()) {
        None => None,
        Some(r) => Some(parse_role(r)?),
    };
    let orgs = identity::list_organizations(&state.platform, role).await?;
    Ok(Json(orgs.into_iter().map(OrganizationView::from).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateOrganization {
    /// operator, government, provider, institution or enterprise.
    pub role: String,
    pub name: String,
    /// Required for enterprises.
    pub uscc: Option<String>,
    /// Required for government units (their jurisdiction).
    pub region_code: Option<String>,
    /// Required for institutions: bank, guarantor, insurer, credit_agency.
    pub institution_kind: Option<String>,
}

/// Registers an organisation.
#[utoipa::path(
    post,
    path = "/api/v1/organizations",
    tag = "organizations",
    security(("bearer" = []), ("session" = [])),
    request_body = CreateOrganization,
    responses(
        (status = 201, body = OrganizationView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<CreateOrganization>,
) -> Result<(StatusCode, Json<OrganizationView>), ApiError> {
    let new = NewOrganization {
        id: None,
        role: parse_role(&body.role)?,
        name: body.name,
        uscc: body.uscc.filter(|u| !u.trim().is_empty()),
        region_code: body.region_code.filter(|r| !r.trim().is_empty()),
        institution_kind: parse_institution_kind(body.institution_kind.as_deref())?,
    };
    let row = identity::add_organization(&state.platform, &caller.principal, new).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub org_id: String,
    pub username: String,
    pub display_name: String,
    /// Locked after repeated failed logins.
    pub locked: bool,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl From<UserInfo> for UserView {
    fn from(u: UserInfo) -> Self {
        UserView {
            id: u.id,
            org_id: u.org_id,
            username: u.username,
            display_name: u.display_name,
            locked: u.locked,
            disabled: u.disabled,
            created_at: u.created_at,
            last_login_at: u.last_login_at,
        }
    }
}

/// The users of an organisation.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}/users",
    tag = "organizations",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Organisation ID")),
    responses(
        (status = 200, body = Vec<UserView>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn users(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<UserView>>, ApiError> {
    let users = identity::list_users(&state.platform, &caller.principal, &id).await?;
    Ok(Json(users.into_iter().map(UserView::from).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateUser {
    /// 3–64 lowercase letters, digits, `.`, `_` or `-`.
    pub username: String,
    pub display_name: String,
    /// At least 10 characters with a letter and a digit.
    pub password: String,
}

/// Adds a user to an organisation; the user acts with the organisation's role.
#[utoipa::path(
    post,
    path = "/api/v1/organizations/{id}/users",
    tag = "organizations",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Organisation ID")),
    request_body = CreateUser,
    responses(
        (status = 201, body = UserView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<CreateUser>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let user = identity::add_user(
        &state.platform,
        &caller.principal,
        NewUser {
            org_id: id,
            username: body.username,
            display_name: body.display_name,
            password: body.password,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResetPassword {
    pub password: String,
}

/// Sets a new password for a user; the lock is lifted and the user's sessions end.
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/password",
    tag = "organizations",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "User ID")),
    request_body = ResetPassword,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<ResetPassword>,
) -> Result<StatusCode, ApiError> {
    identity::reset_password(&state.platform, &caller.principal, &id, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
