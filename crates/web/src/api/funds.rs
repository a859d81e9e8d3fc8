//! 风险补偿基金 (compensation funds): government units (or the operator) create funds for their
//! jurisdiction and top them up; institutions register their loans and claim on defaults with
//! documents; the fund's manager approves (payout computed from the rules), rejects or pays.
//! Amounts are integer fen. See docs/finance-funds.md.

use super::workflow::{AttachmentUpload, AttachmentView, StepView, uploads};
use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_core::finance::fund::FundRules;
use xinrong_core::role::Role;
use xinrong_services::finance::funds::{
    self, ClaimDetail, ClaimFiling, ClaimView, FundDetail, FundLoanView, FundView, MovementView,
    NewFund,
};

/// Who reaches the fund routes; the service then checks jurisdiction, manager and institution.
pub const ROLES: &[Role] = &[Role::Operator, Role::Government, Role::Institution];

/// Claims carry documents inline (base64): up to 10 files of 10 MiB each.
pub const BODY_LIMIT: usize = 150 * 1024 * 1024;

/// Merges this resource's route groups, each guarded by [`super::group`].
pub(super) fn mount(
    registry: &mut Registry,
    api: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show))
        .routes(routes!(topup))
        .routes(routes!(register_loan))
        .routes(routes!(file_claim))
        .routes(routes!(claim))
        .routes(routes!(approve))
        .routes(routes!(reject))
        .routes(routes!(pay))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT));
    api.merge(super::group(registry, Access::Roles(ROLES), routes))
}

/// A fund.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FundOut {
    pub id: String,
    pub name: String,
    /// GB/T 2260 code of the region the fund serves.
    pub region_code: String,
    pub region_name: String,
    pub manager_org_id: String,
    pub manager_name: String,
    pub rules: FundRules,
    /// The rules in plain Chinese.
    pub rules_zh: Vec<String>,
    pub balance_fen: i64,
    pub balance_text: String,
    /// active or closed.
    pub status: String,
    pub status_label: String,
    pub created_at: DateTime<FixedOffset>,
}

impl From<FundView> for FundOut {
    fn from(f: FundView) -> Self {
        FundOut {
            id: f.id,
            name: f.name,
            region_code: f.region_code,
            region_name: f.region_name,
            manager_org_id: f.manager_org_id,
            manager_name: f.manager_name,
            rules: f.rules,
            rules_zh: f.rules_zh,
            balance_fen: f.balance_fen,
            balance_text: f.balance_text,
            status: f.status,
            status_label: f.status_label,
            created_at: f.created_at,
        }
    }
}

/// A balance movement.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MovementOut {
    pub id: String,
    /// topup or payout.
    pub kind: String,
    pub kind_label: String,
    /// Always positive; `kind` gives the direction.
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub claim_id: Option<String>,
    pub note: String,
    pub actor_org_id: String,
    pub actor_name: String,
    pub created_at: DateTime<FixedOffset>,
}

impl From<MovementView> for MovementOut {
    fn from(m: MovementView) -> Self {
        MovementOut {
            id: m.id,
            kind: m.kind,
            kind_label: m.kind_label,
            amount_fen: m.amount_fen,
            balance_after_fen: m.balance_after_fen,
            claim_id: m.claim_id,
            note: m.note,
            actor_org_id: m.actor_org_id,
            actor_name: m.actor_name,
            created_at: m.created_at,
        }
    }
}

/// A loan registered against a fund.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FundLoanOut {
    pub loan_id: String,
    pub contract_no: String,
    /// The borrower's USCC.
    pub subject: String,
    pub institution_org_id: String,
    pub institution_name: String,
    pub covered_amount_fen: i64,
    /// normal, overdue, default or settled.
    pub loan_status: String,
    pub paid_fen: i64,
    pub registered_at: DateTime<FixedOffset>,
}

impl From<FundLoanView> for FundLoanOut {
    fn from(l: FundLoanView) -> Self {
        FundLoanOut {
            loan_id: l.loan_id,
            contract_no: l.contract_no,
            subject: l.subject,
            institution_org_id: l.institution_org_id,
            institution_name: l.institution_name,
            covered_amount_fen: l.covered_amount_fen,
            loan_status: l.loan_status,
            paid_fen: l.paid_fen,
            registered_at: l.registered_at,
        }
    }
}

/// A claim (代偿申请).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ClaimOut {
    pub id: String,
    pub fund_id: String,
    pub loan_id: String,
    pub contract_no: String,
    pub institution_org_id: String,
    pub institution_name: String,
    pub loss_fen: i64,
    pub reason: String,
    pub attachment_ids: Vec<String>,
    /// submitted, approved, rejected or paid.
    pub status: String,
    pub status_label: String,
    /// Set at approval.
    pub payout_fen: Option<i64>,
    /// share, loan_cap, institution_cap or balance: what bounded the payout.
    pub limited_by: Option<String>,
    pub limited_by_label: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub paid_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
}

impl From<ClaimView> for ClaimOut {
    fn from(c: ClaimView) -> Self {
        ClaimOut {
            id: c.id,
            fund_id: c.fund_id,
            loan_id: c.loan_id,
            contract_no: c.contract_no,
            institution_org_id: c.institution_org_id,
            institution_name: c.institution_name,
            loss_fen: c.loss_fen,
            reason: c.reason,
            attachment_ids: c.attachment_ids,
            status: c.status,
            status_label: c.status_label,
            payout_fen: c.payout_fen,
            limited_by: c.limited_by,
            limited_by_label: c.limited_by_label,
            review_reason: c.review_reason,
            reviewed_at: c.reviewed_at,
            paid_at: c.paid_at,
            created_at: c.created_at,
        }
    }
}

/// A fund with what the caller may see of it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FundDetailOut {
    pub fund: FundOut,
    /// Balance history, newest first (government users of the jurisdiction and the operator).
    pub movements: Vec<MovementOut>,
    /// All registered loans; an institution only its own.
    pub loans: Vec<FundLoanOut>,
    /// All claims; an institution only its own.
    pub claims: Vec<ClaimOut>,
    pub can_manage: bool,
    pub can_claim: bool,
    /// The balance less approved, unpaid payouts.
    pub available_fen: i64,
}

impl From<FundDetail> for FundDetailOut {
    fn from(d: FundDetail) -> Self {
        FundDetailOut {
            fund: d.fund.into(),
            movements: d.movements.into_iter().map(Into::into).collect(),
            loans: d.loans.into_iter().map(Into::into).collect(),
            claims: d.claims.into_iter().map(Into::into).collect(),
            can_manage: d.can_manage,
            can_claim: d.can_claim,
            available_fen: d.available_fen,
        }
    }
}

/// A claim with its timeline and documents.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ClaimDetailOut {
    pub claim: ClaimOut,
    pub timeline: Vec<StepView>,
    pub attachments: Vec<AttachmentView>,
}

impl From<ClaimDetail> for ClaimDetailOut {
    fn from(d: ClaimDetail) -> Self {
        ClaimDetailOut {
            claim: d.claim.into(),
            timeline: d.timeline.into_iter().map(Into::into).collect(),
            attachments: d.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

/// Funds the caller may see: the operator all, a government unit its jurisdiction's, an
/// institution the active funds open to it and those it has loans in.
#[utoipa::path(
    get,
    path = "/api/v1/funds",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = Vec<FundOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<FundOut>>, ApiError> {
    let rows = funds::list(&state.platform, &caller.principal).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateFund {
    pub name: String,
    /// GB/T 2260 code inside the manager's jurisdiction; default: the jurisdiction itself.
    pub region_code: Option<String>,
    /// The managing government unit (operator only; a government unit manages its own).
    pub manager_org_id: Option<String>,
    pub rules: FundRules,
    /// An opening top-up in fen.
    #[serde(default)]
    pub initial_topup_fen: i64,
}

/// A government unit (or the operator for one) creates a fund. Codes: `fund.name`,
/// `fund.share`, `fund.cap`, `fund.rules`, `fund.region`, `fund.manager`, `fund.duplicate`.
#[utoipa::path(
    post,
    path = "/api/v1/funds",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    request_body = CreateFund,
    responses(
        (status = 201, body = FundOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<CreateFund>,
) -> Result<(StatusCode, Json<FundOut>), ApiError> {
    let f = funds::create(
        &state.platform,
        &caller.principal,
        NewFund {
            name: body.name,
            region_code: body.region_code,
            manager_org_id: body.manager_org_id,
            rules: body.rules,
            initial_topup_fen: body.initial_topup_fen,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(f.into())))
}

/// One fund with its balance history, registered loans and claims.
#[utoipa::path(
    get,
    path = "/api/v1/funds/{id}",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Fund ID")),
    responses(
        (status = 200, body = FundDetailOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<FundDetailOut>, ApiError> {
    let d = funds::detail(&state.platform, &caller.principal, &id).await?;
    Ok(Json(d.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Topup {
    /// In fen, positive.
    pub amount_fen: i64,
    #[serde(default)]
    pub note: String,
}

/// The fund's manager tops it up (注资): a movement and the new balance in one transaction.
#[utoipa::path(
    post,
    path = "/api/v1/funds/{id}/topups",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Fund ID")),
    request_body = Topup,
    responses(
        (status = 201, body = MovementOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn topup(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Topup>,
) -> Result<(StatusCode, Json<MovementOut>), ApiError> {
    let m = funds::topup(
        &state.platform,
        &caller.principal,
        &id,
        body.amount_fen,
        &body.note,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RegisterLoan {
    /// One of the institution's own loans.
    pub loan_id: String,
}

/// An institution registers one of its loans against the fund (入池); again for the same fund
/// answers the existing registration. Codes: `fund.loan_registered_elsewhere`,
/// `fund.loan_state`, `fund.loan_region`, `fund.institution_not_eligible`,
/// `fund.product_not_eligible`, `fund.not_pure_credit`.
#[utoipa::path(
    post,
    path = "/api/v1/funds/{id}/loans",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Fund ID")),
    request_body = RegisterLoan,
    responses(
        (status = 201, body = FundLoanOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn register_loan(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<RegisterLoan>,
) -> Result<(StatusCode, Json<FundLoanOut>), ApiError> {
    let l = funds::register_loan(&state.platform, &caller.principal, &id, &body.loan_id).await?;
    Ok((StatusCode::CREATED, Json(l.into())))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct FileClaim {
    /// A defaulted loan of the institution registered against this fund.
    pub loan_id: String,
    /// The loss, in fen (at most the registered amount).
    pub loss_fen: i64,
    pub reason: String,
    /// Documents: PDF, JPEG or PNG, at least one, at most 10 of 10 MiB.
    #[serde(default)]
    pub attachments: Vec<AttachmentUpload>,
}

/// An institution claims on a defaulted, registered loan. Codes: `fund.loan_not_registered`,
/// `fund.loan_not_default`, `fund.claim_over_cap` (the loan's or the institution's cap already
/// used up), `fund.claim_open`, `fund.claim_loss`, `fund.claim_reason`, `fund.claim_documents`.
#[utoipa::path(
    post,
    path = "/api/v1/funds/{id}/claims",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Fund ID")),
    request_body = FileClaim,
    responses(
        (status = 201, body = ClaimOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn file_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<FileClaim>,
) -> Result<(StatusCode, Json<ClaimOut>), ApiError> {
    let c = funds::file_claim(
        &state.platform,
        &caller.principal,
        &id,
        ClaimFiling {
            loan_id: body.loan_id,
            loss_fen: body.loss_fen,
            reason: body.reason,
            attachments: uploads(body.attachments)?,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// One claim with its timeline and documents.
#[utoipa::path(
    get,
    path = "/api/v1/funds/{id}/claims/{claim}",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "Fund ID"),
        ("claim" = String, Path, description = "Claim ID")
    ),
    responses(
        (status = 200, body = ClaimDetailOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, claim)): Path<(String, String)>,
) -> Result<Json<ClaimDetailOut>, ApiError> {
    let d = funds::claim_detail(&state.platform, &caller.principal, &id, &claim).await?;
    Ok(Json(d.into()))
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
pub struct Note {
    /// Optional on approval, required on rejection.
    #[serde(default)]
    pub reason: String,
}

/// The manager approves a submitted claim at the payout the rules give (`limited_by` names the
/// bound). Codes: `fund.claim_state`, `fund.claim_over_cap`, `fund.insufficient_balance`,
/// `fund.not_manager`.
#[utoipa::path(
    post,
    path = "/api/v1/funds/{id}/claims/{claim}/approve",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "Fund ID"),
        ("claim" = String, Path, description = "Claim ID")
    ),
    request_body = Note,
    responses(
        (status = 200, body = ClaimOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, claim)): Path<(String, String)>,
    body: Option<Json<Note>>,
) -> Result<Json<ClaimOut>, ApiError> {
    let note = body.map(|b| b.0.reason).unwrap_or_default();
    let c = funds::approve(&state.platform, &caller.principal, &id, &claim, &note).await?;
    Ok(Json(c.into()))
}

/// The manager rejects a submitted claim with a reason (`fund.reason_required`).
#[utoipa::path(
    post,
    path = "/api/v1/funds/{id}/claims/{claim}/reject",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "Fund ID"),
        ("claim" = String, Path, description = "Claim ID")
    ),
    request_body = Note,
    responses(
        (status = 200, body = ClaimOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, claim)): Path<(String, String)>,
    Json(body): Json<Note>,
) -> Result<Json<ClaimOut>, ApiError> {
    let c = funds::reject(
        &state.platform,
        &caller.principal,
        &id,
        &claim,
        &body.reason,
    )
    .await?;
    Ok(Json(c.into()))
}

/// The manager pays an approved claim: payout movement and lower balance in one transaction;
/// never below zero (`fund.insufficient_balance`), never twice (`fund.claim_state`).
#[utoipa::path(
    post,
    path = "/api/v1/funds/{id}/claims/{claim}/pay",
    tag = "funds",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "Fund ID"),
        ("claim" = String, Path, description = "Claim ID")
    ),
    responses(
        (status = 200, body = ClaimOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn pay(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, claim)): Path<(String, String)>,
) -> Result<Json<ClaimOut>, ApiError> {
    let c = funds::pay(&state.platform, &caller.principal, &id, &claim).await?;
    Ok(Json(c.into()))
}
