//! 一键式融资 (financing applications): the enterprise submits one need to one or many listed
//! products at once, granting the authorizations they need; the addressed institution accepts,
//! reviews, approves or rejects (with a reason); the enterprise withdraws; everyone with a
//! stake follows the timeline (进度跟踪). Amounts are fen, dates and times Asia/Shanghai.

use super::workflow::StepView;
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
use xinrong_core::finance::product::Need;
use xinrong_core::role::Role;
use xinrong_services::finance::applications::{
    self, ApplicationDetail, ApplicationView, Decision, ListQuery, NeedView,
};

/// Who may read applications (the service narrows each to its parties and jurisdiction).
const READERS: &[Role] = &[
    Role::Enterprise,
    Role::Institution,
    Role::Operator,
    Role::Government,
];
/// Who acts on an application: the institution it is addressed to, the applicant.
const PARTIES: &[Role] = &[Role::Enterprise, Role::Institution];
const ENTERPRISE: &[Role] = &[Role::Enterprise];

/// Merges this resource's route groups, each guarded by [`super::group`].
pub(super) fn mount(
    registry: &mut Registry,
    api: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let readers = OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show));
    let enterprise = OpenApiRouter::new().routes(routes!(submit));
    let parties = OpenApiRouter::new().routes(routes!(act));
    api.merge(super::group(registry, Access::Roles(READERS), readers))
        .merge(super::group(
            registry,
            Access::Roles(ENTERPRISE),
            enterprise,
        ))
        .merge(super::group(registry, Access::Roles(PARTIES), parties))
}

/// A financing application.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationOut {
    pub id: String,
    pub need_id: String,
    pub subject: String,
    pub subject_name: String,
    pub product_id: String,
    pub product_name: String,
    pub institution_org_id: String,
    pub institution_name: String,
    /// submitted, accepted, under_review, approved, rejected, disbursed, withdrawn or expired.
    pub status: String,
    pub status_label: String,
    pub amount_fen: i64,
    pub term_months: i32,
    /// Last day to accept.
    pub accept_by: NaiveDate,
    /// Last day to decide, once accepted.
    pub decide_by: Option<NaiveDate>,
    /// `accept` or `decide`: that deadline passed without the institution acting.
    pub overdue: Option<String>,
    pub overdue_label: Option<String>,
    /// The authorization granted with the submission (none when the product needs none).
    pub authorization_id: Option<String>,
    /// Rejection reason.
    pub reason: Option<String>,
    pub approved_amount_fen: Option<i64>,
    pub submitted_at: DateTime<FixedOffset>,
    pub accepted_at: Option<DateTime<FixedOffset>>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub disbursed_at: Option<DateTime<FixedOffset>>,
    pub closed_at: Option<DateTime<FixedOffset>>,
    pub overdue_flagged_at: Option<DateTime<FixedOffset>>,
    pub loan_id: Option<String>,
}

impl From<ApplicationView> for ApplicationOut {
    fn from(a: ApplicationView) -> Self {
        ApplicationOut {
            id: a.id,
            need_id: a.need_id,
            subject: a.subject,
            subject_name: a.subject_name,
            product_id: a.product_id,
            product_name: a.product_name,
            institution_org_id: a.institution_org_id,
            institution_name: a.institution_name,
            status: a.status,
            status_label: a.status_label,
            amount_fen: a.amount_fen,
            term_months: a.term_months,
            accept_by: a.accept_by,
            decide_by: a.decide_by,
            overdue: a.overdue,
            overdue_label: a.overdue_label,
            authorization_id: a.authorization_id,
            reason: a.reason,
            approved_amount_fen: a.approved_amount_fen,
            submitted_at: a.submitted_at,
            accepted_at: a.accepted_at,
            decided_at: a.decided_at,
            disbursed_at: a.disbursed_at,
            closed_at: a.closed_at,
            overdue_flagged_at: a.overdue_flagged_at,
            loan_id: a.loan_id,
        }
    }
}

/// The need an application was made for.
#[derive(Serialize, utoipa::ToSchema)]
pub struct NeedOut {
    pub id: String,
    pub amount_fen: i64,
    pub term_months: i32,
    pub purpose: String,
    /// credit, mortgage, pledge or guarantee.
    pub guarantee: String,
    pub guarantee_label: String,
    pub max_rate_bp: Option<i32>,
    pub created_at: DateTime<FixedOffset>,
}

impl From<NeedView> for NeedOut {
    fn from(n: NeedView) -> Self {
        NeedOut {
            id: n.id,
            amount_fen: n.amount_fen,
            term_months: n.term_months,
            purpose: n.purpose,
            guarantee: n.guarantee,
            guarantee_label: n.guarantee_label,
            max_rate_bp: n.max_rate_bp,
            created_at: n.created_at,
        }
    }
}

/// An application with its need and timeline (进度跟踪).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationDetailOut {
    pub application: ApplicationOut,
    pub need: Option<NeedOut>,
    pub timeline: Vec<StepView>,
}

impl From<ApplicationDetail> for ApplicationDetailOut {
    fn from(d: ApplicationDetail) -> Self {
        ApplicationDetailOut {
            application: d.application.into(),
            need: d.need.map(Into::into),
            timeline: d.timeline.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    pub status: Option<String>,
    /// Only applications past a deadline without the institution acting.
    pub overdue: Option<bool>,
    /// USCC (operator and government only).
    pub subject: Option<String>,
    /// Institution organisation ID (operator and government only).
    pub institution: Option<String>,
}

/// Applications the caller may see, newest first: an enterprise its own, an institution its
/// inbox, government those in its jurisdiction, the operator all (with overdue flags).
#[utoipa::path(
    get,
    path = "/api/v1/applications",
    tag = "applications",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Vec<ApplicationOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<ApplicationOut>>, ApiError> {
    let rows = applications::list(
        &state.platform,
        &caller.principal,
        ListQuery {
            status: params.status.filter(|s| !s.is_empty()),
            overdue: params.overdue.unwrap_or(false),
            subject: params.subject.filter(|s| !s.is_empty()),
            institution: params.institution.filter(|s| !s.is_empty()),
        },
    )
    .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// A one-click submission.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitApplications {
    /// The need, stated once.
    pub need: Need,
    /// The products picked (listed, each fitting the need); at most 10.
    pub product_ids: Vec<String>,
    /// The enterprise read the authorizations the products need (institution, items, purpose,
    /// validity) and agrees (充分告知). Required when any picked product needs items.
    #[serde(default)]
    pub consent: bool,
}

/// The enterprise submits its need to one or many products in one step, granting each
/// product's institution the authorization it needs. Retried with the same need and products,
/// it answers the same applications. `application.amount_out_of_range`,
/// `application.product_not_fit` (naming the product and why), `application.consent_required`.
#[utoipa::path(
    post,
    path = "/api/v1/applications",
    tag = "applications",
    security(("bearer" = []), ("session" = [])),
    request_body = SubmitApplications,
    responses(
        (status = 201, body = Vec<ApplicationOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<SubmitApplications>,
) -> Result<(StatusCode, Json<Vec<ApplicationOut>>), ApiError> {
    let rows = applications::submit(
        &state.platform,
        &caller.principal,
        body.need,
        body.product_ids,
        body.consent,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(rows.into_iter().map(Into::into).collect()),
    ))
}

/// One application with its need and timeline.
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Application ID")),
    responses(
        (status = 200, body = ApplicationDetailOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ApplicationDetailOut>, ApiError> {
    let d = applications::detail(&state.platform, &caller.principal, &id).await?;
    Ok(Json(d.into()))
}

/// What an action carries.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// Required to reject.
    #[serde(default)]
    pub reason: Option<String>,
    /// Approve: the amount approved (fen), at most the amount applied for; default all of it.
    #[serde(default)]
    pub approved_amount_fen: Option<i64>,
}

/// A step on an application: `accept`, `review`, `approve`, `reject` (institution it is
/// addressed to) or `withdraw` (the applicant, before a decision). Out of order:
/// `application.state` naming the current status; reject without a reason:
/// `application.reason_required`; another institution's application: not found.
/// Disbursement is recorded with the loan, never here (`application.disburse_via_loan`).
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/{action}",
    tag = "applications",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "Application ID"),
        ("action" = String, Path, description = "accept, review, approve, reject or withdraw")
    ),
    request_body(content = Option<ActionBody>),
    responses(
        (status = 200, body = ApplicationOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    body: Option<Json<ActionBody>>,
) -> Result<Json<ApplicationOut>, ApiError> {
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let a = applications::act(
        &state.platform,
        &caller.principal,
        &id,
        &action,
        Decision {
            reason: body.reason,
            approved_amount_fen: body.approved_amount_fen,
        },
    )
    .await?;
    Ok(Json(a.into()))
}
