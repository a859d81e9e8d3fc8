//! 供应链金融 — 应付账款确认 (supply-chain payables): a supplier declares, the core enterprise
//! (the debtor) confirms or disputes; the supplier attaches confirmed payables to its
//! applications; the addressed institution sees them as confirmed by the core enterprise.
//! See docs/finance-payables.md.

use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_core::role::Role;
use xinrong_services::finance::payables::{
    self, ApplicationPayables, AttachedPayable, NewPayable, PayableView, Side,
};

/// Who declares, confirms and lists payables (the operator reads all).
pub const PARTIES: &[Role] = &[Role::Enterprise, Role::Operator];
/// Who writes payables: enterprises only.
pub const ENTERPRISE: &[Role] = &[Role::Enterprise];
/// Who reads an application's payables: the applicant, the addressed institution, the operator.
pub const APPLICATION_READERS: &[Role] = &[Role::Enterprise, Role::Institution, Role::Operator];

/// Merges this resource's route groups, each guarded by [`super::group`].
pub(super) fn mount(
    registry: &mut Registry,
    api: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let read = OpenApiRouter::new().routes(routes!(list));
    let write = OpenApiRouter::new()
        .routes(routes!(declare))
        .routes(routes!(confirm))
        .routes(routes!(dispute))
        .routes(routes!(settle))
        .routes(routes!(cancel))
        .routes(routes!(attach));
    let app_read = OpenApiRouter::new().routes(routes!(for_application));
    api.merge(super::group(registry, Access::Roles(PARTIES), read))
        .merge(super::group(registry, Access::Roles(ENTERPRISE), write))
        .merge(super::group(
            registry,
            Access::Roles(APPLICATION_READERS),
            app_read,
        ))
}

/// A payable.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PayableOut {
    pub id: String,
    /// The core enterprise that owes.
    pub debtor_uscc: String,
    pub debtor_name: String,
    pub supplier_uscc: String,
    pub supplier_name: String,
    pub amount_fen: i64,
    pub amount_text: String,
    pub due_on: NaiveDate,
    pub invoice_refs: Vec<String>,
    /// declared, confirmed, disputed, settled or cancelled.
    pub status: String,
    pub status_label: String,
    /// Registered (and confirmed at once) by the debtor itself.
    pub registered_by_debtor: bool,
    /// The confirming enterprise (the debtor), once confirmed.
    pub confirmed_by_name: Option<String>,
    pub confirmed_at: Option<DateTime<FixedOffset>>,
    pub dispute_reason: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

impl From<PayableView> for PayableOut {
    fn from(p: PayableView) -> Self {
        PayableOut {
            id: p.id,
            debtor_uscc: p.debtor_uscc,
            debtor_name: p.debtor_name,
            supplier_uscc: p.supplier_uscc,
            supplier_name: p.supplier_name,
            amount_fen: p.amount_fen,
            amount_text: p.amount_text,
            due_on: p.due_on,
            invoice_refs: p.invoice_refs,
            status: p.status,
            status_label: p.status_label,
            registered_by_debtor: p.registered_by_debtor,
            confirmed_by_name: p.confirmed_by_name,
            confirmed_at: p.confirmed_at,
            dispute_reason: p.dispute_reason,
            created_at: p.created_at,
        }
    }
}

/// A payable attached to an application.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AttachedOut {
    pub payable: PayableOut,
    pub attached_at: DateTime<FixedOffset>,
    /// 核心企业已确认 for a confirmed payable, otherwise its status label.
    pub label: String,
}

impl From<AttachedPayable> for AttachedOut {
    fn from(a: AttachedPayable) -> Self {
        AttachedOut {
            payable: a.payable.into(),
            attached_at: a.attached_at,
            label: a.label,
        }
    }
}

/// An application's payables.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationPayablesOut {
    pub application_id: String,
    pub attached: Vec<AttachedOut>,
    /// The caller is the applicant and the application is still open.
    pub can_attach: bool,
    /// The applicant's confirmed payables not attached yet (applicant only).
    pub attachable: Vec<PayableOut>,
}

impl From<ApplicationPayables> for ApplicationPayablesOut {
    fn from(a: ApplicationPayables) -> Self {
        ApplicationPayablesOut {
            application_id: a.application_id,
            attached: a.attached.into_iter().map(Into::into).collect(),
            can_attach: a.can_attach,
            attachable: a.attachable.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// `debtor` (owed by the caller: to confirm), `supplier` (owed to the caller) or `any`.
    pub side: Option<String>,
    /// declared, confirmed, disputed, settled or cancelled.
    pub status: Option<String>,
}

/// The caller's payables as debtor or supplier (the operator: all), newest first.
#[utoipa::path(
    get,
    path = "/api/v1/payables",
    tag = "payables",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Vec<PayableOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<PayableOut>>, ApiError> {
    let side = Side::parse(params.side.as_deref().unwrap_or(""))?;
    let status = params.status.filter(|s| !s.is_empty());
    let rows = payables::list(&state.platform, &caller.principal, side, status.as_deref()).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DeclarePayable {
    /// The core enterprise that owes (债务人).
    pub debtor_uscc: String,
    /// The supplier owed; the caller is one of the two.
    pub supplier_uscc: String,
    /// In fen, positive.
    pub amount_fen: i64,
    /// Not in the past.
    pub due_on: NaiveDate,
    /// 1 to 50 invoice references.
    pub invoice_refs: Vec<String>,
}

/// The supplier declares a payable (status declared), or the debtor registers one it owes
/// (status confirmed at once). Codes: `payable.amount`, `payable.due_past`, `payable.invoices`,
/// `payable.same_party`, `payable.not_party`, `payable.unknown_enterprise`, `uscc.*`.
#[utoipa::path(
    post,
    path = "/api/v1/payables",
    tag = "payables",
    security(("bearer" = []), ("session" = [])),
    request_body = DeclarePayable,
    responses(
        (status = 201, body = PayableOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn declare(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<DeclarePayable>,
) -> Result<(StatusCode, Json<PayableOut>), ApiError> {
    let p = payables::declare(
        &state.platform,
        &caller.principal,
        NewPayable {
            debtor_uscc: body.debtor_uscc,
            supplier_uscc: body.supplier_uscc,
            amount_fen: body.amount_fen,
            due_on: body.due_on,
            invoice_refs: body.invoice_refs,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// The debtor confirms a declared payable (确权). Any other enterprise: `payable.not_debtor`
/// (403), nothing changed; `payable.state`, `payable.due_past`.
#[utoipa::path(
    post,
    path = "/api/v1/payables/{id}/confirm",
    tag = "payables",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Payable ID")),
    responses(
        (status = 200, body = PayableOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PayableOut>, ApiError> {
    let p = payables::confirm(&state.platform, &caller.principal, &id).await?;
    Ok(Json(p.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DisputeBody {
    /// Required.
    pub reason: String,
}

/// The debtor disputes a declared payable with a reason (`payable.reason_required`); any other
/// enterprise: `payable.not_debtor`.
#[utoipa::path(
    post,
    path = "/api/v1/payables/{id}/dispute",
    tag = "payables",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Payable ID")),
    request_body = DisputeBody,
    responses(
        (status = 200, body = PayableOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn dispute(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<DisputeBody>,
) -> Result<Json<PayableOut>, ApiError> {
    let p = payables::dispute(&state.platform, &caller.principal, &id, &body.reason).await?;
    Ok(Json(p.into()))
}

/// The debtor marks a confirmed payable settled (已结清).
#[utoipa::path(
    post,
    path = "/api/v1/payables/{id}/settle",
    tag = "payables",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Payable ID")),
    responses(
        (status = 200, body = PayableOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn settle(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PayableOut>, ApiError> {
    let p = payables::settle(&state.platform, &caller.principal, &id).await?;
    Ok(Json(p.into()))
}

/// The supplier cancels a payable that is not settled (`payable.not_supplier`, `payable.state`).
#[utoipa::path(
    post,
    path = "/api/v1/payables/{id}/cancel",
    tag = "payables",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Payable ID")),
    responses(
        (status = 200, body = PayableOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PayableOut>, ApiError> {
    let p = payables::cancel(&state.platform, &caller.principal, &id).await?;
    Ok(Json(p.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AttachBody {
    /// A confirmed payable owed to the applicant.
    pub payable_id: String,
}

/// The applicant (the supplier) attaches a confirmed payable to its own open application.
/// Someone else's application: 404; `payable.not_confirmed`, `payable.not_supplier`,
/// `payable.application_state`, `payable.due_past`.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/payables",
    tag = "payables",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Application ID")),
    request_body = AttachBody,
    responses(
        (status = 200, body = ApplicationPayablesOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn attach(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<AttachBody>,
) -> Result<Json<ApplicationPayablesOut>, ApiError> {
    let a = payables::attach(&state.platform, &caller.principal, &id, &body.payable_id).await?;
    Ok(Json(a.into()))
}

/// The payables attached to an application (applicant, addressed institution, operator).
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}/payables",
    tag = "payables",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Application ID")),
    responses(
        (status = 200, body = ApplicationPayablesOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn for_application(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ApplicationPayablesOut>, ApiError> {
    let a = payables::for_application(&state.platform, &caller.principal, &id).await?;
    Ok(Json(a.into()))
}
