//! 白名单 (white list): enterprises apply; government units recommend within their
//! jurisdiction; the operator approves, rejects or removes (reasons required); institutions
//! read the list and its changes since a time.

use super::workflow::StepView;
use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_core::finance::whitelist::{ChangeView, EntryView};
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::whitelist::{self, WhitelistQuery};

/// Who reads the list (each its own scope).
pub const READERS: &[Role] = &[
    Role::Operator,
    Role::Government,
    Role::Institution,
    Role::Enterprise,
];
/// Who applies.
pub const APPLICANTS: &[Role] = &[Role::Enterprise];
/// Who recommends (government) and decides (operator); the service checks which step.
pub const DECIDERS: &[Role] = &[Role::Government, Role::Operator];

/// Merges this resource's route groups, each guarded by [`super::group`].
pub(super) fn mount(
    registry: &mut Registry,
    api: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let readers = OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(changes))
        .routes(routes!(show));
    let applicants = OpenApiRouter::new().routes(routes!(apply));
    let deciders = OpenApiRouter::new().routes(routes!(act));
    api.merge(super::group(registry, Access::Roles(READERS), readers))
        .merge(super::group(
            registry,
            Access::Roles(APPLICANTS),
            applicants,
        ))
        .merge(super::group(registry, Access::Roles(DECIDERS), deciders))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// USCC (an enterprise always sees its own).
    pub subject: Option<String>,
    /// applied, recommended, approved, rejected or removed (an institution sees approved only).
    pub status: Option<String>,
}

/// White-list entries the caller may see, newest change first: the enterprise its own, a
/// government unit its jurisdiction, an institution the listed enterprises, the operator all.
#[utoipa::path(
    get,
    path = "/api/v1/whitelist",
    tag = "whitelist",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Vec<EntryView>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListParams>,
) -> Result<Json<Vec<EntryView>>, ApiError> {
    Ok(Json(
        whitelist::list(
            &state.platform,
            &caller.principal,
            WhitelistQuery {
                subject: q.subject,
                status: q.status,
            },
        )
        .await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ChangesParams {
    /// RFC 3339 time (`2026-11-25T10:00:00+08:00`) or a date (`2026-11-25`, from 00:00
    /// Asia/Shanghai); all changes when absent.
    pub since: Option<String>,
}

/// Parses `since`: an RFC 3339 time or a Beijing date, as naive UTC.
pub(crate) fn parse_since(text: &str) -> Result<NaiveDateTime, ServiceError> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.naive_utc());
    }
    if let Ok(day) = t.parse::<NaiveDate>()
        && let Some(at) = xinrong_services::objections::beijing()
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .single()
    {
        return Ok(at.naive_utc());
    }
    Err(ServiceError::invalid(
        "whitelist.since",
        "since 须为 RFC 3339 时间（如 2026-11-25T10:00:00+08:00）或日期（如 2026-11-25）",
    ))
}

/// The list's changes since a time, oldest first (at most 1,000; page on with the last `at`):
/// institutions see listings and removals, government its jurisdiction, the operator all.
#[utoipa::path(
    get,
    path = "/api/v1/whitelist/changes",
    tag = "whitelist",
    security(("bearer" = []), ("session" = [])),
    params(ChangesParams),
    responses(
        (status = 200, body = Vec<ChangeView>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ChangesParams>,
) -> Result<Json<Vec<ChangeView>>, ApiError> {
    let since = match q.since.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(parse_since(s)?),
        None => None,
    };
    Ok(Json(
        whitelist::changes(&state.platform, &caller.principal, since).await?,
    ))
}

/// An entry with its timeline.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryDetailOut {
    pub entry: EntryView,
    pub timeline: Vec<StepView>,
}

/// One entry the caller may see (others answer 404).
#[utoipa::path(
    get,
    path = "/api/v1/whitelist/{id}",
    tag = "whitelist",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Entry ID")),
    responses(
        (status = 200, body = EntryDetailOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<EntryDetailOut>, ApiError> {
    let d = whitelist::detail(&state.platform, &caller.principal, &id).await?;
    Ok(Json(EntryDetailOut {
        entry: d.entry,
        timeline: d.timeline.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApplyIn {
    /// Why the enterprise should be listed (required).
    pub reason: String,
}

/// The enterprise applies (again after a rejection or removal); `whitelist.already_open` while
/// an application is open or the enterprise is listed.
#[utoipa::path(
    post,
    path = "/api/v1/whitelist",
    tag = "whitelist",
    security(("bearer" = []), ("session" = [])),
    request_body = ApplyIn,
    responses(
        (status = 201, body = EntryView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<ApplyIn>,
) -> Result<(StatusCode, Json<EntryView>), ApiError> {
    let e = whitelist::apply(&state.platform, &caller.principal, &body.reason).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StepIn {
    /// The recommendation note, or the decision's reason (required to reject or remove).
    #[serde(default)]
    pub reason: String,
}

/// A step: `recommend` (government, enterprise in its jurisdiction, else
/// `whitelist.outside_jurisdiction`), `approve`, `reject` or `remove` (operator; reject and
/// remove need a reason). Out of order: `whitelist.state`.
#[utoipa::path(
    post,
    path = "/api/v1/whitelist/{id}/{action}",
    tag = "whitelist",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "Entry ID"),
        ("action" = String, Path, description = "recommend, approve, reject or remove")
    ),
    request_body = StepIn,
    responses(
        (status = 200, body = EntryView),
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
    Json(body): Json<StepIn>,
) -> Result<Json<EntryView>, ApiError> {
    Ok(Json(
        whitelist::act(
            &state.platform,
            &caller.principal,
            &id,
            &action,
            &body.reason,
        )
        .await?,
    ))
}
