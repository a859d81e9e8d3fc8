//! Authorizations (授权): an enterprise grants online and pauses, resumes, revokes or disputes;
//! an institution records written ones with the signed scan and sees those granted to it; the
//! operator sees every one and decides disputes.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use xinrong_core::authorization::Action;
use xinrong_services::ServiceError;
use xinrong_services::authorizations::{
    self, AuthorizationRow, Evidence, GrantRequest, ListFilter,
};

/// The largest written-grant body: the scan (10 MiB) and a few fields.
pub const MAX_WRITTEN_BYTES: usize = 11 * 1024 * 1024;

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuthorizationView {
    pub id: String,
    /// The information subject's USCC.
    pub subject: String,
    pub grantee_org_id: String,
    pub grantee_name: String,
    /// Item keys or section (category) keys.
    pub items: Vec<String>,
    /// Purpose code.
    pub purpose: String,
    pub purpose_label: String,
    /// Free text, e.g. a named loan application.
    pub purpose_text: String,
    pub data_from: Option<NaiveDate>,
    pub data_to: Option<NaiveDate>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    /// online or written.
    pub channel: String,
    /// SM3 of the written authorization's scan, hex.
    pub evidence_sm3: Option<String>,
    /// active, paused, revoked or expired (derived when read).
    pub status: String,
    pub status_reason: Option<String>,
    /// none, open, upheld, dismissed or withdrawn.
    pub dispute: String,
    pub use_count: i64,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl AuthorizationView {
    pub fn new(a: AuthorizationRow, names: &HashMap<String, String>) -> Self {
        AuthorizationView {
            grantee_name: names.get(&a.grantee_org_id).cloned().unwrap_or_default(),
            id: a.id,
            subject: a.subject,
            grantee_org_id: a.grantee_org_id,
            items: a.items.keys().to_vec(),
            purpose: a.purpose.code().to_owned(),
            purpose_label: a.purpose_label,
            purpose_text: a.purpose_text,
            data_from: a.data_from,
            data_to: a.data_to,
            valid_from: a.valid_from.and_utc(),
            valid_until: a.valid_until.and_utc(),
            channel: a.channel.code().to_owned(),
            evidence_sm3: a.evidence_sm3,
            status: a.status.code().to_owned(),
            status_reason: a.status_reason,
            dispute: a.dispute.code().to_owned(),
            use_count: a.use_count,
            last_used_at: a.last_used_at.map(|t| t.and_utc()),
            created_at: a.created_at.and_utc(),
        }
    }
}

/// One step of an authorization's timeline (留痕), a ledger leaf.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    /// authorization.granted, authorization.paused …
    pub kind: String,
    pub at: DateTime<Utc>,
    pub actor_org_id: Option<String>,
    pub leaf_index: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuthorizationDetail {
    #[serde(flatten)]
    pub authorization: AuthorizationView,
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Only this subject's (operator).
    pub subject: Option<String>,
    /// Only those granted to this institution (operator; organisation ID).
    pub grantee: Option<String>,
    /// active, paused, revoked or expired.
    pub status: Option<String>,
    /// Only those with an open dispute.
    pub disputed: Option<bool>,
}

/// An online grant by the enterprise itself.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct OnlineGrantBody {
    /// The grantee institution: organisation ID or exact name.
    pub grantee: String,
    /// Item keys or section keys.
    pub items: Vec<String>,
    /// Purpose code or Chinese label.
    pub purpose: String,
    #[serde(default)]
    pub purpose_text: String,
    pub data_from: Option<NaiveDate>,
    pub data_to: Option<NaiveDate>,
    /// Validity in days, 1–3650.
    pub days: i64,
    /// Must be true: the enterprise read the notice (充分告知) and agrees.
    pub consent: bool,
}

/// A written authorization uploaded by the grantee institution (multipart/form-data).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct WrittenGrantForm {
    /// The subject's USCC.
    pub subject: String,
    /// Item keys or section keys, comma-separated.
    pub items: String,
    /// Purpose code or Chinese label.
    pub purpose: String,
    pub purpose_text: Option<String>,
    /// YYYY-MM-DD.
    pub data_from: Option<String>,
    /// YYYY-MM-DD.
    pub data_to: Option<String>,
    pub days: i64,
    /// The signed paper's scan: PDF, JPEG or PNG, at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    pub evidence: Vec<u8>,
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
pub struct ReasonBody {
    /// Why (required to dispute).
    pub reason: Option<String>,
}

async fn view(state: &AppState, row: AuthorizationRow) -> Result<AuthorizationView, ApiError> {
    let names = authorizations::org_names(&state.platform).await?;
    Ok(AuthorizationView::new(row, &names))
}

/// Lists the authorizations the caller may see: an enterprise its own, an institution those
/// granted to it, the operator every one (filtered).
#[utoipa::path(
    get,
    path = "/api/v1/authorizations",
    tag = "authorizations",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Vec<AuthorizationView>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Json<Vec<AuthorizationView>>, ApiError> {
    let rows = authorizations::list(
        &state.platform,
        &caller.principal,
        &ListFilter {
            subject: p.subject,
            grantee_org_id: p.grantee,
            status: p.status,
            disputed: p.disputed.unwrap_or(false),
        },
    )
    .await?;
    let names = authorizations::org_names(&state.platform).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuthorizationView::new(r, &names))
            .collect(),
    ))
}

/// Grants online, as the enterprise the caller acts for (enterprise users only).
#[utoipa::path(
    post,
    path = "/api/v1/authorizations",
    tag = "authorizations",
    security(("bearer" = []), ("session" = [])),
    request_body = OnlineGrantBody,
    responses(
        (status = 201, body = AuthorizationView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn grant(
    State(state): State<AppState>,
    caller: Caller,
    Json(b): Json<OnlineGrantBody>,
) -> Result<(StatusCode, Json<AuthorizationView>), ApiError> {
    let row = authorizations::grant_online(
        &state.platform,
        &caller.principal,
        GrantRequest {
            subject: String::new(),
            grantee: b.grantee,
            items: b.items,
            purpose: b.purpose,
            purpose_text: b.purpose_text,
            data_from: b.data_from,
            data_to: b.data_to,
            days: b.days,
            consent: b.consent,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(&state, row).await?)))
}

fn bad_form(message: impl Into<String>) -> ServiceError {
    ServiceError::invalid("authz.form", message)
}

fn date_field(name: &str, text: &str) -> Result<Option<NaiveDate>, ServiceError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| bad_form(format!("{name} 须为 YYYY-MM-DD 格式的日期，收到“{text}”")))
}

/// Reads a written grant's multipart body (fields and the scan, in memory: at most
/// [`MAX_WRITTEN_BYTES`]).
pub async fn read_written(
    mut multipart: Multipart,
) -> Result<(GrantRequest, Option<Evidence>), ServiceError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        bad_form(format!("上传内容无法读取：{}", e.body_text()))
    };
    let mut req = GrantRequest::default();
    let mut evidence = None;
    let mut days = String::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "evidence" {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let declared_type = field.content_type().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(bad)?.to_vec();
            if !bytes.is_empty() || !filename.is_empty() {
                evidence = Some(Evidence {
                    filename,
                    declared_type,
                    bytes,
                });
            }
            continue;
        }
        let text = field.text().await.map_err(bad)?;
        match name.as_str() {
            "subject" => req.subject = text.trim().to_owned(),
            "items" => req
                .items
                .extend(text.split(',').map(|s| s.trim().to_owned())),
            "purpose" => req.purpose = text,
            "purpose_text" => req.purpose_text = text,
            "data_from" => req.data_from = date_field("data_from", &text)?,
            "data_to" => req.data_to = date_field("data_to", &text)?,
            "days" => days = text,
            _ => {}
        }
    }
    req.days = days.trim().parse().map_err(|_| {
        ServiceError::invalid(
            "authz.days",
            format!("有效期天数须为整数，收到“{}”", days.trim()),
        )
    })?;
    Ok((req, evidence))
}

/// Records a written authorization to the caller's institution with the signed scan
/// (institution users only). The scan must be PDF, JPEG or PNG and its bytes that type.
#[utoipa::path(
    post,
    path = "/api/v1/authorizations/written",
    tag = "authorizations",
    security(("bearer" = []), ("session" = [])),
    request_body(content = WrittenGrantForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = AuthorizationView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn grant_written(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> Result<(StatusCode, Json<AuthorizationView>), ApiError> {
    caller
        .principal
        .require(&[xinrong_core::role::Role::Institution])?;
    let (req, evidence) = read_written(multipart).await?;
    let row =
        authorizations::grant_written(&state.platform, &caller.principal, req, evidence).await?;
    Ok((StatusCode::CREATED, Json(view(&state, row).await?)))
}

/// One authorization with its timeline, if the caller is its subject, its grantee or the
/// operator (otherwise 404, whether it exists or not).
#[utoipa::path(
    get,
    path = "/api/v1/authorizations/{id}",
    tag = "authorizations",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Authorization ID")),
    responses(
        (status = 200, body = AuthorizationDetail),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<AuthorizationDetail>, ApiError> {
    let row = authorizations::get(&state.platform, &caller.principal, &id).await?;
    let timeline = authorizations::timeline(&state.platform, &caller.principal, &id)
        .await?
        .into_iter()
        .map(|t| TimelineEntry {
            kind: t.kind,
            at: t.created_at.and_utc(),
            actor_org_id: t.actor_org_id,
            leaf_index: t.leaf_index,
        })
        .collect();
    Ok(Json(AuthorizationDetail {
        authorization: view(&state, row).await?,
        timeline,
    }))
}

/// The scan of a written authorization, for its subject, its grantee and the operator.
#[utoipa::path(
    get,
    path = "/api/v1/authorizations/{id}/evidence",
    tag = "authorizations",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Authorization ID")),
    responses(
        (status = 200, description = "The scan (PDF, JPEG or PNG)", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn evidence(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (filename, mime, bytes) =
        authorizations::evidence(&state.platform, &caller.principal, &id).await?;
    Ok(evidence_response(&filename, &mime, bytes))
}

/// A stored scan as a download (never rendered inline as HTML: the type is one of three).
pub fn evidence_response(filename: &str, mime: &str, bytes: Vec<u8>) -> Response {
    let ascii: String = filename
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    let ascii = if ascii.is_empty() {
        "evidence".to_owned()
    } else {
        ascii
    };
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

async fn act(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: Action,
    body: Option<Json<ReasonBody>>,
) -> Result<Json<AuthorizationView>, ApiError> {
    let reason = body.and_then(|Json(b)| b.reason);
    let row = authorizations::act(
        &state.platform,
        &caller.principal,
        id,
        action,
        reason.as_deref(),
    )
    .await?;
    Ok(Json(view(state, row).await?))
}

#[rustfmt::skip]
macro_rules! action_route {
    ($name:ident, $path:literal, $action:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
            post,
            path = $path,
            tag = "authorizations",
            security(("bearer" = []), ("session" = [])),
            params(("id" = String, Path, description = "Authorization ID")),
            request_body(content = Option<ReasonBody>),
            responses(
                (status = 200, body = AuthorizationView),
                (status = 401, body = ErrorBody),
                (status = 403, body = ErrorBody),
                (status = 404, body = ErrorBody),
                (status = 409, body = ErrorBody),
                (status = 422, body = ErrorBody)
            )
        )]
        pub async fn $name(
            State(state): State<AppState>,
            caller: Caller,
            Path(id): Path<String>,
            body: Option<Json<ReasonBody>>,
        ) -> Result<Json<AuthorizationView>, ApiError> {
            act(&state, &caller, &id, $action, body).await
        }
    };
}

action_route!(
    pause,
    "/api/v1/authorizations/{id}/pause",
    Action::Pause,
    "Pauses an active authorization (its subject)."
);
action_route!(
    resume,
    "/api/v1/authorizations/{id}/resume",
    Action::Resume,
    "Resumes a paused authorization (its subject; not while a dispute is open)."
);
action_route!(
    revoke,
    "/api/v1/authorizations/{id}/revoke",
    Action::Revoke,
    "Revokes an authorization (its subject, its grantee or the operator); takes effect on the next read."
);
action_route!(
    dispute,
    "/api/v1/authorizations/{id}/dispute",
    Action::Dispute,
    "Disputes a written authorization (its subject; a reason is required): it is paused until the operator decides."
);
action_route!(
    uphold,
    "/api/v1/authorizations/{id}/dispute/uphold",
    Action::UpholdDispute,
    "Upholds an open dispute: the authorization is revoked (operator)."
);
action_route!(
    dismiss,
    "/api/v1/authorizations/{id}/dispute/dismiss",
    Action::DismissDispute,
    "Dismisses an open dispute: the authorization is active again (operator)."
);
