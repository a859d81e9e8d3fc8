//! Sharing agreements (数据共享协议): the operator creates, suspends, reinstates and terminates
//! them; an institution reads its own.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use xinrong_core::authorization::AgreementAction;
use xinrong_services::agreements::{self, AgreementRow, NewAgreement};

#[derive(Serialize, utoipa::ToSchema)]
pub struct AgreementView {
    pub id: String,
    /// The institution.
    pub org_id: String,
    pub org_name: String,
    /// Item keys or section (category) keys.
    pub items: Vec<String>,
    /// Purpose codes (pre_loan, loan_approval, post_loan, product_matching, guarantee_review,
    /// insurance_underwriting, credit_service).
    pub purposes: Vec<String>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    /// active, suspended or terminated.
    pub status: String,
    pub status_reason: Option<String>,
    /// Active and within its term now.
    pub in_force: bool,
    /// The institution's signed commitment (信用承诺书).
    pub commitment_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<AgreementRow> for AgreementView {
    fn from(a: AgreementRow) -> Self {
        AgreementView {
            id: a.id,
            org_id: a.org_id,
            org_name: a.org_name,
            items: a.scope.items.keys().to_vec(),
            purposes: a
                .scope
                .purposes
                .iter()
                .map(|p| p.code().to_owned())
                .collect(),
            valid_from: a.valid_from.and_utc(),
            valid_until: a.valid_until.and_utc(),
            status: a.status.code().to_owned(),
            status_reason: a.status_reason,
            in_force: a.in_force,
            commitment_id: a.commitment_id,
            created_at: a.created_at.and_utc(),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Only this institution's (operator only; ID or exact name).
    pub org: Option<String>,
}

/// A new agreement.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewAgreementBody {
    /// The institution: organisation ID or exact name.
    pub org: String,
    /// Item keys or section keys.
    pub items: Vec<String>,
    /// Purpose codes or Chinese labels.
    pub purposes: Vec<String>,
    /// Term in days from now, 1–3650.
    pub days: i64,
    /// The institution's commitment (default: the standard wording).
    pub commitment_text: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
pub struct ReasonBody {
    pub reason: Option<String>,
}

/// Lists agreements: every one for the operator, its own for an institution.
#[utoipa::path(
    get,
    path = "/api/v1/agreements",
    tag = "agreements",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Vec<AgreementView>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<AgreementView>>, ApiError> {
    let rows = agreements::list(&state.platform, &caller.principal, params.org.as_deref()).await?;
    Ok(Json(rows.into_iter().map(AgreementView::from).collect()))
}

/// Creates an active agreement with an institution (operator).
#[utoipa::path(
    post,
    path = "/api/v1/agreements",
    tag = "agreements",
    security(("bearer" = []), ("session" = [])),
    request_body = NewAgreementBody,
    responses(
        (status = 201, body = AgreementView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<NewAgreementBody>,
) -> Result<(StatusCode, Json<AgreementView>), ApiError> {
    let row = agreements::create(
        &state.platform,
        Some(&caller.principal),
        NewAgreement {
            org: body.org,
            items: body.items,
            purposes: body.purposes,
            days: body.days,
            commitment_text: body.commitment_text,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// One agreement (an institution only its own).
#[utoipa::path(
    get,
    path = "/api/v1/agreements/{id}",
    tag = "agreements",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Agreement ID")),
    responses(
        (status = 200, body = AgreementView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<AgreementView>, ApiError> {
    Ok(Json(
        agreements::get(&state.platform, &caller.principal, &id)
            .await?
            .into(),
    ))
}

async fn change(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: AgreementAction,
    body: Option<Json<ReasonBody>>,
) -> Result<Json<AgreementView>, ApiError> {
    let reason = body.and_then(|Json(b)| b.reason);
    let row = agreements::change(
        &state.platform,
        Some(&caller.principal),
        id,
        action,
        reason.as_deref(),
    )
    .await?;
    Ok(Json(row.into()))
}

/// Suspends an active agreement (operator).
#[utoipa::path(
    post,
    path = "/api/v1/agreements/{id}/suspend",
    tag = "agreements",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Agreement ID")),
    request_body(content = Option<ReasonBody>),
    responses(
        (status = 200, body = AgreementView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn suspend(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Option<Json<ReasonBody>>,
) -> Result<Json<AgreementView>, ApiError> {
    change(&state, &caller, &id, AgreementAction::Suspend, body).await
}

/// Reinstates a suspended agreement (operator).
#[utoipa::path(
    post,
    path = "/api/v1/agreements/{id}/reinstate",
    tag = "agreements",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Agreement ID")),
    request_body(content = Option<ReasonBody>),
    responses(
        (status = 200, body = AgreementView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn reinstate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Option<Json<ReasonBody>>,
) -> Result<Json<AgreementView>, ApiError> {
    change(&state, &caller, &id, AgreementAction::Reinstate, body).await
}

/// Terminates an agreement for good (operator).
#[utoipa::path(
    post,
    path = "/api/v1/agreements/{id}/terminate",
    tag = "agreements",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Agreement ID")),
    request_body(content = Option<ReasonBody>),
    responses(
        (status = 200, body = AgreementView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn terminate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Option<Json<ReasonBody>>,
) -> Result<Json<AgreementView>, ApiError> {
    change(&state, &caller, &id, AgreementAction::Terminate, body).await
}
