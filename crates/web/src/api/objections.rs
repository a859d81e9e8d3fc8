//! 异议 (objections): the enterprise files and follows objections to its records; the record's
//! source unit confirms or corrects; the operator rules on escalations. Times are
//! Asia/Shanghai; the record's payload is never part of these answers (metadata only).

use super::workflow::{AttachmentUpload, AttachmentView, StepView, download, uploads};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_core::role::Role;
use xinrong_services::objections::{
    self, Filing, ListQuery, ObjectionDetail, ObjectionView, Ruling,
};

/// Who reaches these routes; the service then checks each objection's parties.
pub const ROLES: &[Role] = &[Role::Enterprise, Role::Provider, Role::Operator];

/// The objection and repair routes accept attachments inline (base64): up to 10 files of
/// 10 MiB each.
pub const BODY_LIMIT: usize = 150 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, file))
        .routes(routes!(show))
        .routes(routes!(confirm))
        .routes(routes!(correct))
        .routes(routes!(escalate))
        .routes(routes!(close))
        .routes(routes!(decide))
        .routes(routes!(attachment))
}

/// An objection (metadata of the record only).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ObjectionOut {
    pub id: String,
    pub subject: String,
    pub record_id: String,
    pub item_key: String,
    pub item_label: String,
    pub record_version: i32,
    pub provider_org_id: String,
    pub provider_name: String,
    /// open, confirmed, corrected, escalated, upheld, correction_ordered or closed.
    pub status: String,
    pub status_label: String,
    pub reason: String,
    pub attachment_ids: Vec<String>,
    pub filed_at: DateTime<FixedOffset>,
    /// When the party that must act next is due.
    pub deadline_at: DateTime<FixedOffset>,
    /// Waiting for the source unit past its deadline.
    pub overdue: bool,
    pub provider_explanation: Option<String>,
    pub provider_decided_at: Option<DateTime<FixedOffset>>,
    pub correction_record_id: Option<String>,
    pub correction_version: Option<i32>,
    pub escalation_reason: Option<String>,
    pub escalated_at: Option<DateTime<FixedOffset>>,
    /// upheld or correction_ordered.
    pub operator_decision: Option<String>,
    pub operator_reason: Option<String>,
    pub operator_decided_at: Option<DateTime<FixedOffset>>,
    pub closed_at: Option<DateTime<FixedOffset>>,
    pub overdue_flagged_at: Option<DateTime<FixedOffset>>,
}

impl From<ObjectionView> for ObjectionOut {
    fn from(o: ObjectionView) -> Self {
        ObjectionOut {
            id: o.id,
            subject: o.subject,
            record_id: o.record_id,
            item_key: o.item_key,
            item_label: o.item_label,
            record_version: o.record_version,
            provider_org_id: o.provider_org_id,
            provider_name: o.provider_name,
            status: o.status,
            status_label: o.status_label,
            reason: o.reason,
            attachment_ids: o.attachment_ids,
            filed_at: o.filed_at,
            deadline_at: o.deadline_at,
            overdue: o.overdue,
            provider_explanation: o.provider_explanation,
            provider_decided_at: o.provider_decided_at,
            correction_record_id: o.correction_record_id,
            correction_version: o.correction_version,
            escalation_reason: o.escalation_reason,
            escalated_at: o.escalated_at,
            operator_decision: o.operator_decision,
            operator_reason: o.operator_reason,
            operator_decided_at: o.operator_decided_at,
            closed_at: o.closed_at,
            overdue_flagged_at: o.overdue_flagged_at,
        }
    }
}

/// An objection with its timeline and attachments.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ObjectionDetailOut {
    pub objection: ObjectionOut,
    pub timeline: Vec<StepView>,
    pub attachments: Vec<AttachmentView>,
}

impl From<ObjectionDetail> for ObjectionDetailOut {
    fn from(d: ObjectionDetail) -> Self {
        ObjectionDetailOut {
            objection: d.objection.into(),
            timeline: d.timeline.into_iter().map(Into::into).collect(),
            attachments: d.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// USCC (operator only; an enterprise always sees its own).
    pub subject: Option<String>,
    pub status: Option<String>,
    /// Provider organisation ID (operator only; a provider always sees its own queue).
    pub provider: Option<String>,
    /// Only objections waiting for their source unit past the deadline.
    pub overdue: Option<bool>,
    /// Only objections to this record version.
    pub record: Option<String>,
}

/// Objections the caller may see, newest first: the enterprise's own, the provider's queue,
/// or (operator) all, filtered.
#[utoipa::path(
    get,
    path = "/api/v1/objections",
    tag = "objections",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Vec<ObjectionOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<ObjectionOut>>, ApiError> {
    let rows = objections::list(
        &state.platform,
        &caller.principal,
        ListQuery {
            subject: params.subject,
            status: params.status,
            provider: params.provider,
            overdue: params.overdue.unwrap_or(false),
            record_id: params.record,
        },
    )
    .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct FileObjection {
    /// The record version objected to (its `record_id`).
    pub record_id: String,
    /// Why the record is wrong (required).
    pub reason: String,
    /// Evidence: PDF, JPEG or PNG, at most 10 MiB each, at most 10.
    #[serde(default)]
    pub attachments: Vec<AttachmentUpload>,
}

/// The enterprise objects to one of its own records; routed to the record's source unit with a
/// deadline in working days. `objection.rate_limited` past the per-subject limits.
#[utoipa::path(
    post,
    path = "/api/v1/objections",
    tag = "objections",
    security(("bearer" = []), ("session" = [])),
    request_body = FileObjection,
    responses(
        (status = 201, body = ObjectionOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn file(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<FileObjection>,
) -> Result<(StatusCode, Json<ObjectionOut>), ApiError> {
    let filed = objections::file(
        &state.platform,
        &caller.principal,
        Filing {
            record_id: body.record_id,
            reason: body.reason,
            attachments: uploads(body.attachments)?,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(filed.into())))
}

/// One objection with its timeline.
#[utoipa::path(
    get,
    path = "/api/v1/objections/{id}",
    tag = "objections",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Objection ID")),
    responses(
        (status = 200, body = ObjectionDetailOut),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ObjectionDetailOut>, ApiError> {
    let d = objections::detail(&state.platform, &caller.principal, &id).await?;
    Ok(Json(d.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Explanation {
    /// Required.
    pub explanation: String,
}

/// The source unit confirms the record stands (核实维持), with its explanation.
#[utoipa::path(
    post,
    path = "/api/v1/objections/{id}/confirm",
    tag = "objections",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Objection ID")),
    request_body = Explanation,
    responses(
        (status = 200, body = ObjectionOut),
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
    Json(body): Json<Explanation>,
) -> Result<Json<ObjectionOut>, ApiError> {
    let o = objections::confirm(&state.platform, &caller.principal, &id, &body.explanation).await?;
    Ok(Json(o.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Correction {
    /// Required.
    pub explanation: String,
    /// The corrected record: field key (or label) → value, every field the record should have;
    /// the subject and natural-key fields must stay the same.
    #[schema(value_type = Object)]
    pub row: serde_json::Map<String, serde_json::Value>,
}

/// The source unit corrects the record (更正): the row becomes a new version through a
/// correction batch of one row.
#[utoipa::path(
    post,
    path = "/api/v1/objections/{id}/correct",
    tag = "objections",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Objection ID")),
    request_body = Correction,
    responses(
        (status = 200, body = ObjectionOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn correct(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Correction>,
) -> Result<Json<ObjectionOut>, ApiError> {
    let o = objections::correct(
        &state.platform,
        &caller.principal,
        &id,
        body.row,
        &body.explanation,
    )
    .await?;
    Ok(Json(o.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Reason {
    /// Required.
    pub reason: String,
}

/// The enterprise asks the operator to review a confirmed objection (提请复核).
#[utoipa::path(
    post,
    path = "/api/v1/objections/{id}/escalate",
    tag = "objections",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Objection ID")),
    request_body = Reason,
    responses(
        (status = 200, body = ObjectionOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn escalate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Reason>,
) -> Result<Json<ObjectionOut>, ApiError> {
    let o = objections::escalate(&state.platform, &caller.principal, &id, &body.reason).await?;
    Ok(Json(o.into()))
}

/// The enterprise ends its objection: withdraws it while open, or accepts a confirmation.
#[utoipa::path(
    post,
    path = "/api/v1/objections/{id}/close",
    tag = "objections",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Objection ID")),
    responses(
        (status = 200, body = ObjectionOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ObjectionOut>, ApiError> {
    let o = objections::close(&state.platform, &caller.principal, &id).await?;
    Ok(Json(o.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecideBody {
    /// `uphold` (维持) or `order_correction` (责令更正).
    pub ruling: String,
    /// Required.
    pub reason: String,
}

/// The operator rules on an escalated objection.
#[utoipa::path(
    post,
    path = "/api/v1/objections/{id}/decide",
    tag = "objections",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Objection ID")),
    request_body = DecideBody,
    responses(
        (status = 200, body = ObjectionOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<DecideBody>,
) -> Result<Json<ObjectionOut>, ApiError> {
    let ruling = Ruling::parse(&body.ruling)?;
    let o = objections::decide(
        &state.platform,
        &caller.principal,
        &id,
        ruling,
        &body.reason,
    )
    .await?;
    Ok(Json(o.into()))
}

/// One attachment of an objection, for its parties.
#[utoipa::path(
    get,
    path = "/api/v1/objections/{id}/attachments/{attachment_id}",
    tag = "objections",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "Objection ID"),
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
    let file =
        objections::attachment(&state.platform, &caller.principal, &id, &attachment_id).await?;
    Ok(download(file))
}
