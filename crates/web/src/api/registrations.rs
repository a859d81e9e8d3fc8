//! 企业注册: an enterprise registers itself (public, rate limited per USCC) and follows a
//! request under review by its status token; the operator reviews the queue.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use xinrong_services::ServiceError;
use xinrong_services::registration::{
    self, HeldData, Licence, Outcome, RegistrationView, StatusView, Submission,
};

/// A business-licence scan, base64-encoded (PDF, JPEG or PNG, at most 10 MiB).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LicenceUpload {
    pub filename: String,
    /// `application/pdf`, `image/jpeg` or `image/png`; the content must be of this type.
    pub content_type: String,
    pub content_base64: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RegistrationRequest {
    /// 统一社会信用代码 (18 characters, check character verified).
    pub uscc: String,
    pub enterprise_name: String,
    pub legal_rep_name: String,
    /// 法定代表人身份证号 (18 characters, check character verified); never stored in clear.
    pub legal_rep_id_number: String,
    /// 3–64 lowercase letters, digits, `.`, `_` or `-`.
    pub username: String,
    /// At least 10 characters with a letter and a digit.
    pub password: String,
    pub contact_phone: String,
    /// Where outbound notifications are e-mailed, if given.
    pub contact_email: Option<String>,
    /// Only looked at when the check fails and the request goes to review.
    pub licence: Option<LicenceUpload>,
}

/// The registration data the platform holds, shown once the enterprise proved who it is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct HeldDataView {
    pub uscc: String,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub industry_code: String,
    pub established: NaiveDate,
    pub registered_capital_fen: i64,
    pub employees: i32,
    pub size_class: String,
    pub legal_rep_name: String,
    /// `4101**********123X`.
    pub legal_rep_id_masked: String,
}

impl From<HeldData> for HeldDataView {
    fn from(h: HeldData) -> Self {
        HeldDataView {
            uscc: h.uscc,
            name: h.name,
            region_code: h.region_code,
            region_name: h.region_name,
            industry_code: h.industry_code,
            established: h.established,
            registered_capital_fen: h.registered_capital_fen,
            employees: h.employees,
            size_class: h.size_class,
            legal_rep_name: h.legal_rep_name,
            legal_rep_id_masked: h.legal_rep_id_masked,
        }
    }
}

/// `registered`: the login works now. `pending`: the request waits for the operator's review;
/// keep `status_token` (shown once) to follow it. A pending answer never says which field did
/// not match.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RegistrationOutcome {
    /// `registered` or `pending`.
    pub outcome: String,
    pub registration_id: String,
    pub message: String,
    pub username: Option<String>,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub held: Option<HeldDataView>,
    pub status_token: Option<String>,
}

/// The message of a pending answer: the same for a wrong field and for an unknown USCC.
pub const PENDING_MESSAGE: &str = "提交的信息未能通过自动核验，已转平台运营方人工审核。请保存查询码，凭查询码查看审核进度；审核通过后即可登录。";
pub const REGISTERED_MESSAGE: &str = "实名核验通过，注册成功，现在即可登录。";

impl From<Outcome> for RegistrationOutcome {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Registered {
                registration_id,
                org_id,
                user_id,
                username,
                held,
            } => RegistrationOutcome {
                outcome: "registered".into(),
                registration_id,
                message: REGISTERED_MESSAGE.into(),
                username: Some(username),
                org_id: Some(org_id),
                user_id: Some(user_id),
                held: Some((*held).into()),
                status_token: None,
            },
            Outcome::Pending {
                registration_id,
                status_token,
            } => RegistrationOutcome {
                outcome: "pending".into(),
                registration_id,
                message: PENDING_MESSAGE.into(),
                username: None,
                org_id: None,
                user_id: None,
                held: None,
                status_token: Some(status_token),
            },
        }
    }
}

pub(crate) fn decode_licence(l: LicenceUpload) -> Result<Licence, ServiceError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(l.content_base64.trim())
        .map_err(|_| {
            ServiceError::invalid("attachment.encoding", "营业执照文件不是有效的 base64 编码")
        })?;
    Ok(Licence {
        filename: l.filename,
        content_type: l.content_type,
        bytes,
    })
}

/// Registers an enterprise user. No login needed; a browser sends the CSRF header.
#[utoipa::path(
    post,
    path = "/api/v1/registrations",
    tag = "registrations",
    request_body = RegistrationRequest,
    responses(
        (status = 201, description = "Registered: the login works now", body = RegistrationOutcome),
        (status = 202, description = "Pending the operator's review", body = RegistrationOutcome),
        (status = 422, description = "Invalid USCC or ID number, weak password, `registration.exists`, `registration.username_taken`", body = ErrorBody),
        (status = 429, description = "`registration.rate_limited`", body = ErrorBody)
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    Json(body): Json<RegistrationRequest>,
) -> Result<(StatusCode, Json<RegistrationOutcome>), ApiError> {
    let licence = body.licence.map(decode_licence).transpose()?;
    let outcome = registration::submit(
        &state.platform,
        Submission {
            uscc: body.uscc,
            enterprise_name: body.enterprise_name,
            legal_rep_name: body.legal_rep_name,
            legal_rep_id_number: body.legal_rep_id_number,
            username: body.username,
            password: body.password,
            contact_phone: body.contact_phone,
            contact_email: body.contact_email,
            licence,
        },
    )
    .await?;
    let status = match outcome {
        Outcome::Registered { .. } => StatusCode::CREATED,
        Outcome::Pending { .. } => StatusCode::ACCEPTED,
    };
    Ok((status, Json(outcome.into())))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TokenParams {
    /// The status token handed out at submission.
    pub token: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegistrationStatus {
    /// `verified`, `pending`, `approved` or `rejected`.
    pub status: String,
    pub uscc: String,
    pub enterprise_name: String,
    pub username: String,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The operator's reason, when rejected.
    pub reason: Option<String>,
}

impl From<StatusView> for RegistrationStatus {
    fn from(s: StatusView) -> Self {
        RegistrationStatus {
            status: s.status,
            uscc: s.uscc,
            enterprise_name: s.enterprise_name,
            username: s.username,
            submitted_at: s.submitted_at,
            decided_at: s.decided_at,
            reason: s.reason,
        }
    }
}

/// The applicant follows its request by its status token.
#[utoipa::path(
    get,
    path = "/api/v1/registrations/status",
    tag = "registrations",
    params(TokenParams),
    responses(
        (status = 200, body = RegistrationStatus),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn status(
    State(state): State<AppState>,
    Query(q): Query<TokenParams>,
) -> Result<Json<RegistrationStatus>, ApiError> {
    Ok(Json(
        registration::status(&state.platform, &q.token)
            .await?
            .into(),
    ))
}

/// A request in the review queue: the ID number only masked, never the password.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RegistrationItem {
    pub id: String,
    /// `verified`, `pending`, `approved` or `rejected`.
    pub status: String,
    pub uscc: String,
    pub enterprise_name: String,
    pub legal_rep_name: String,
    pub legal_rep_id_masked: String,
    pub username: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub licence_attachment_id: Option<String>,
    pub reason: Option<String>,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Whether the platform holds registration data for this USCC.
    pub known_enterprise: bool,
}

impl From<RegistrationView> for RegistrationItem {
    fn from(r: RegistrationView) -> Self {
        RegistrationItem {
            id: r.id,
            status: r.status,
            uscc: r.uscc,
            enterprise_name: r.enterprise_name,
            legal_rep_name: r.legal_rep_name,
            legal_rep_id_masked: r.legal_rep_id_masked,
            username: r.username,
            contact_phone: r.contact_phone,
            contact_email: r.contact_email,
            licence_attachment_id: r.licence_attachment_id,
            reason: r.reason,
            org_id: r.org_id,
            user_id: r.user_id,
            created_at: r.created_at,
            decided_at: r.decided_at,
            known_enterprise: r.known_enterprise,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Only requests of this status (`pending` for the review queue).
    pub status: Option<String>,
}

/// The registration requests, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/registrations",
    tag = "registrations",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Vec<RegistrationItem>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListParams>,
) -> Result<Json<Vec<RegistrationItem>>, ApiError> {
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    let rows = registration::list(&state.platform, &caller.principal, status).await?;
    Ok(Json(rows.into_iter().map(RegistrationItem::from).collect()))
}

/// One registration request.
#[utoipa::path(
    get,
    path = "/api/v1/registrations/{id}",
    tag = "registrations",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Registration ID")),
    responses(
        (status = 200, body = RegistrationItem),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<RegistrationItem>, ApiError> {
    Ok(Json(
        registration::get(&state.platform, &caller.principal, &id)
            .await?
            .into(),
    ))
}

/// Approves a pending request: the enterprise's organisation and login are created.
#[utoipa::path(
    post,
    path = "/api/v1/registrations/{id}/approve",
    tag = "registrations",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Registration ID")),
    responses(
        (status = 200, body = RegistrationItem),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`registration.decided`, `registration.exists`, `registration.username_taken`", body = ErrorBody)
    )
)]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<RegistrationItem>, ApiError> {
    Ok(Json(
        registration::approve(&state.platform, &caller.principal, &id)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RejectRequest {
    /// Shown to the applicant on its status page.
    pub reason: String,
}

/// Rejects a pending request with a reason; no login is created.
#[utoipa::path(
    post,
    path = "/api/v1/registrations/{id}/reject",
    tag = "registrations",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Registration ID")),
    request_body = RejectRequest,
    responses(
        (status = 200, body = RegistrationItem),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<RejectRequest>,
) -> Result<Json<RegistrationItem>, ApiError> {
    Ok(Json(
        registration::reject(&state.platform, &caller.principal, &id, &body.reason)
            .await?
            .into(),
    ))
}

/// The business-licence scan attached to a request.
#[utoipa::path(
    get,
    path = "/api/v1/registrations/{id}/licence",
    tag = "registrations",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Registration ID")),
    responses(
        (status = 200, description = "The file as uploaded", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn licence(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    licence_response(&state, &caller, &id)
        .await
        .map_err(ApiError)
}

/// The licence file of a request, for the API and the review page.
pub(crate) async fn licence_response(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Response, ServiceError> {
    let view = registration::get(&state.platform, &caller.principal, id).await?;
    let attachment_id = view
        .licence_attachment_id
        .ok_or(ServiceError::NotFound("营业执照附件"))?;
    let file = xinrong_services::attachments::get(&state.platform.db.conn, &attachment_id).await?;
    let disposition = format!(
        "attachment; filename=\"licence-{}\"",
        id.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        file.content,
    )
        .into_response())
}
