//! API tokens of the calling user: list, create (the secret is returned once), revoke.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use xinrong_services::identity::{self, ApiTokenInfo};

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    /// The first characters of the token, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiTokenInfo> for TokenView {
    fn from(t: ApiTokenInfo) -> Self {
        TokenView {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateToken {
    /// What the token is for, e.g. "信贷系统对接".
    pub name: String,
    /// Days until it expires; omitted for no expiry.
    pub days: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    /// The secret, shown this once. Send as `Authorization: Bearer <token>`.
    pub token: String,
    #[serde(flatten)]
    pub info: TokenView,
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(
    get,
    path = "/api/v1/tokens",
    tag = "identity",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<TokenView>), (status = 401, body = ErrorBody))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<TokenView>>, ApiError> {
    let tokens = identity::list_tokens(&state.platform, &caller.principal).await?;
    Ok(Json(tokens.into_iter().map(TokenView::from).collect()))
}

/// Creates an API token acting as the caller.
#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    tag = "identity",
    security(("bearer" = []), ("session" = [])),
    request_body = CreateToken,
    responses(
        (status = 201, body = CreatedToken),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<CreateToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let created =
        identity::create_token(&state.platform, &caller.principal, &body.name, body.days).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token: created.token,
            info: created.info.into(),
        }),
    ))
}

/// Revokes one of the caller's tokens; revoking a revoked token succeeds again.
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    tag = "identity",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Token ID")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    identity::revoke_token(&state.platform, &caller.principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
