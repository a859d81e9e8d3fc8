//! 标准化信用信息报告 (credit reports): issue one as JSON, download it again (JSON or PDF) as the
//! organisation that asked, and verify a report file (public).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_services::access::Reader;
use xinrong_services::report::{self, IssuedReport, ReportRequest, Verification};

/// Largest file `POST /api/v1/reports/verify` accepts.
pub const MAX_VERIFY_BYTES: usize = 32 * 1024 * 1024;

/// Routes for signed-in callers of every role (the access decision answers per field).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue))
        .routes(routes!(show))
        .routes(routes!(pdf))
}

/// Public routes: verification.
pub fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verify))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_VERIFY_BYTES))
}

/// A credit report asked for.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewReport {
    /// 统一社会信用代码 of the subject.
    pub subject: String,
    /// 查询用途: a purpose code (`pre_loan`) or its Chinese label (贷前调查). Institutions must
    /// state one that their sharing agreement allows.
    pub purpose: Option<String>,
    /// Free text beside the purpose, e.g. the loan application; kept in the access log.
    pub purpose_text: Option<String>,
    /// The authorization (授权) relied on; any active one that covers when absent.
    pub authorization_id: Option<String>,
}

/// A report as a PDF download.
pub fn pdf_response(bytes: Vec<u8>, id: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"credit-report-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Issues a standardised credit report (标准化信用信息报告) about `subject` for the caller's
/// organisation: cover, evaluation and profile tags, then one section per catalogue category
/// with every record's provenance and flags, each field shown, masked or withheld by the one
/// access decision (a restricted section says why and how to obtain authorization). The read
/// is written to the subject's access log (channel `report`); the report's canonical JSON is
/// hashed with SM3 (`digest`) and anchored in the ledger (`ledger_index`). 201 with the report.
/// 422 `uscc.*` (malformed), `subject.unknown`, `access.unknown_purpose`; 403
/// `access.purpose_required`, `access.no_agreement`, `access.not_own_subject`, `authz.*`.
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    tag = "reports",
    request_body = NewReport,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "The report (JSON; `digest` is SM3 of its canonical body)", body = Object),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<NewReport>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let report = issue_for(&state, &caller, body, "api").await?;
    Ok((StatusCode::CREATED, Json(report.to_json())))
}

/// Issues a report for the caller (shared with the pages).
pub async fn issue_for(
    state: &AppState,
    caller: &Caller,
    body: NewReport,
    channel: &'static str,
) -> Result<IssuedReport, ApiError> {
    let request = ReportRequest {
        subject: body.subject,
        purpose: body.purpose,
        purpose_text: body.purpose_text,
        authorization_id: body.authorization_id,
        channel,
    };
    Ok(report::issue(
        &state.platform,
        &Reader::from_principal(&caller.principal),
        &request,
    )
    .await?)
}

/// A report issued earlier, downloaded again by the organisation that asked for it (or the
/// operator): the same JSON, no new read. Another organisation gets 404.
#[utoipa::path(
    get,
    path = "/api/v1/reports/{id}",
    tag = "reports",
    params(("id" = String, Path, description = "报告编号")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The report (JSON)", body = Object),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let reader = Reader::from_principal(&caller.principal);
    let report = report::get(&state.platform, &reader, &id).await?;
    Ok(Json(report.to_json()))
}

/// The report as a PDF (A4, Chinese font embedded and subset, report id and digest in every
/// footer), for the organisation that asked for it (or the operator). The first download's
/// SM3 is recorded; rendering is deterministic, so later downloads are the same file.
#[utoipa::path(
    get,
    path = "/api/v1/reports/{id}/pdf",
    tag = "reports",
    params(("id" = String, Path, description = "报告编号")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "application/pdf"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let reader = Reader::from_principal(&caller.principal);
    let mut report = report::get(&state.platform, &reader, &id).await?;
    let bytes = report::pdf(&state.platform, &mut report).await?;
    Ok(pdf_response(bytes, report.id()))
}

/// Verifies a credit report file (核验): the raw body is the JSON or PDF as downloaded.
/// `status` is `genuine` (真实有效), `altered` (已被篡改) or `unknown` (未找到). Public; without
/// a bearer token, repeat the `xr_csrf` cookie in `X-CSRF-Token` like every browser POST.
#[utoipa::path(
    post,
    path = "/api/v1/reports/verify",
    tag = "reports",
    request_body(content = Vec<u8>, description = "The report file (JSON or PDF)", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "The verification", body = Object),
        (status = 413, body = ErrorBody)
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Verification>, ApiError> {
    Ok(Json(report::verify(&state.platform, &body).await?))
}
