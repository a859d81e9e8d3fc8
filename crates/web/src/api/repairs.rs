//! 信用修复 (credit repair): the enterprise checks when a record may be repaired and applies with
//! a commitment and evidence; the source unit or the operator reviews. Metadata only: the
//! record's payload is never part of these answers.

use super::workflow::{AttachmentUpload, AttachmentView, StepView, download, uploads};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_services::repairs::{
    self, Application, Eligibility, ListQuery, RepairDetail, RepairView, Verdict,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, apply))
        .routes(routes!(eligibility))
        .routes(routes!(show))
        .routes(routes!(review))
        .routes(routes!(attachment))
}

/// A repair application (metadata of the record only).
#[derive(Serialize, utoipa::ToSchema)]
pub struct RepairOut {
    pub id: String,
    pub subject: String,
    pub record_id: String,
    pub item_key: String,
    pub item_label: String,
    pub record_version: i32,
    pub provider_org_id: String,
    pub provider_name: String,
    /// minor, major or serious.
    pub severity: String,
    pub severity_label: String,
    pub period_start: NaiveDate,
    pub opens_on: NaiveDate,
    pub statement: String,
    pub commitment_id: String,
    pub attachment_ids: Vec<String>,
    /// pending, approved or rejected.
    pub status: String,
    pub status_label: String,
    pub filed_at: DateTime<FixedOffset>,
    pub reviewer_org_id: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
}

impl From<RepairView> for RepairOut {
    fn from(r: RepairView) -> Self {
        RepairOut {
            id: r.id,
            subject: r.subject,
            record_id: r.record_id,
            item_key: r.item_key,
            item_label: r.item_label,
            record_version: r.record_version,
            provider_org_id: r.provider_org_id,
            provider_name: r.provider_name,
            severity: r.severity,
            severity_label: r.severity_label,
            period_start: r.period_start,
            opens_on: r.opens_on,
            statement: r.statement,
            commitment_id: r.commitment_id,
            attachment_ids: r.attachment_ids,
            status: r.status,
            status_label: r.status_label,
            filed_at: r.filed_at,
            reviewer_org_id: r.reviewer_org_id,
            review_reason: r.review_reason,
            reviewed_at: r.reviewed_at,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RepairDetailOut {
    pub repair: RepairOut,
    pub timeline: Vec<StepView>,
    pub attachments: Vec<AttachmentView>,
    /// The commitment (信用承诺) as signed, with the SM3 digest of its text.
    pub commitment_text: String,
    pub commitment_sm3: String,
    pub commitment_signed_at: DateTime<FixedOffset>,
}

impl From<RepairDetail> for RepairDetailOut {
    fn from(d: RepairDetail) -> Self {
        RepairDetailOut {
            repair: d.repair.into(),
            timeline: d.timeline.into_iter().map(Into::into).collect(),
            attachments: d.attachments.into_iter().map(Into::into).collect(),
            commitment_text: d.commitment_text,
            commitment_sm3: d.commitment_sm3,
            commitment_signed_at: d.commitment_signed_at,
        }
    }
}

/// Whether a record may be repaired, and from when.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EligibilityOut {
    pub record_id: String,
    pub item_key: String,
    pub item_label: String,
    /// Only adverse (negative) records can be repaired.
    pub repairable: bool,
    pub severity: Option<String>,
    pub severity_label: Option<String>,
    pub period_start: Option<NaiveDate>,
    /// First day an application is accepted.
    pub opens_on: Option<NaiveDate>,
    pub opens_on_zh: Option<String>,
    /// The minimum publicity period has passed.
    pub open: bool,
    pub pending: bool,
    pub repaired: bool,
}

impl From<Eligibility> for EligibilityOut {
    fn from(e: Eligibility) -> Self {
        EligibilityOut {
            record_id: e.record_id,
            item_key: e.item_key,
            item_label: e.item_label,
            repairable: e.repairable,
            severity: e.severity,
            severity_label: e.severity_label,
            period_start: e.period_start,
            opens_on: e.opens_on,
            opens_on_zh: e.opens_on_zh,
            open: e.open,
            pending: e.pending,
            repaired: e.repaired,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// USCC (operator only; an enterprise always sees its own).
    pub subject: Option<String>,
    /// pending, approved or rejected.
    pub status: Option<String>,
    /// Provider organisation ID (operator only).
    pub provider: Option<String>,
    pub record: Option<String>,
}

/// Repair applications the caller may see, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/repairs",
    tag = "repairs",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Vec<RepairOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<RepairOut>>, ApiError> {
    let rows = repairs::list(
        &state.platform,
        &caller.principal,
        ListQuery {
            subject: params.subject,
            status: params.status,
            provider: params.provider,
            record_id: params.record,
        },
    )
    .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EligibilityParams {
    /// The record version's ID.
    pub record: String,
}

/// When the enterprise may apply for repair of one of its records (the date the
/// 申请信用修复 button opens).
#[utoipa::path(
    get,
    path = "/api/v1/repairs/eligibility",
    tag = "repairs",
    security(("bearer" = []), ("session" = [])),
    params(EligibilityParams),
    responses(
        (status = 200, body = EligibilityOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn eligibility(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<EligibilityParams>,
) -> Result<Json<EligibilityOut>, ApiError> {
    let e = repairs::eligibility(&state.platform, &caller.principal, &params.record).await?;
    Ok(Json(e.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApplyBody {
    pub record_id: String,
    /// How the violation was corrected (整改情况), required.
    pub statement: String,
    /// The enterprise signs the standard repair commitment (信用承诺书); must be true.
    pub commitment_signed: bool,
    /// Evidence of correction, at least one: PDF, JPEG or PNG, at most 10 MiB each.
    #[serde(default)]
    pub attachments: Vec<AttachmentUpload>,
}

/// The enterprise applies for repair of one of its adverse records; `repair.too_early` with
/// the opening date before the minimum publicity period has passed.
#[utoipa::path(
    post,
    path = "/api/v1/repairs",
    tag = "repairs",
    security(("bearer" = []), ("session" = [])),
    request_body = ApplyBody,
    responses(
        (status = 201, body = RepairOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<ApplyBody>,
) -> Result<(StatusCode, Json<RepairOut>), ApiError> {
    let r = repairs::apply(
        &state.platform,
        &caller.principal,
        Application {
            record_id: body.record_id,
            statement: body.statement,
            attachments: uploads(body.attachments)?,
            commitment_signed: body.commitment_signed,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// One application with its timeline, evidence and the commitment as signed.
#[utoipa::path(
    get,
    path = "/api/v1/repairs/{id}",
    tag = "repairs",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Repair application ID")),
    responses(
        (status = 200, body = RepairDetailOut),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<RepairDetailOut>, ApiError> {
    let d = repairs::detail(&state.platform, &caller.principal, &id).await?;
    Ok(Json(d.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewBody {
    /// `approve` or `reject`.
    pub verdict: String,
    /// Required for a rejection.
    #[serde(default)]
    pub reason: String,
}

/// The record's source unit or the operator approves (the record leaves the public sections)
/// or rejects (with its reason).
#[utoipa::path(
    post,
    path = "/api/v1/repairs/{id}/review",
    tag = "repairs",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Repair application ID")),
    request_body = ReviewBody,
    responses(
        (status = 200, body = RepairOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<ReviewBody>,
) -> Result<Json<RepairOut>, ApiError> {
    let verdict = Verdict::parse(&body.verdict)?;
    let r = repairs::review(
        &state.platform,
        &caller.principal,
        &id,
        verdict,
        &body.reason,
    )
    .await?;
    Ok(Json(r.into()))
}

/// One evidence file of an application, for its parties.
#[utoipa::path(
    get,
    path = "/api/v1/repairs/{id}/attachments/{attachment_id}",
    tag = "repairs",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "Repair application ID"),
        ("attachment_id" = String, Path, description = "Attachment ID")
    ),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn attachment(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, attachment_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let file = repairs::attachment(&state.platform, &caller.principal, &id, &attachment_id).await?;
    Ok(download(file))
}
