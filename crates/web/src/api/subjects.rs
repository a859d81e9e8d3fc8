//! 信息主体数据: what the caller's organisation receives about one subject — the one access
//! decision and the one masking policy applied (`xinrong_services::share`) — as JSON or as a
//! CSV/XLSX export, and the access log (查询记录).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use xinrong_services::access::Reader;
use xinrong_services::share::{self, AccessQuery, ViewRequest};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ViewParams {
    /// 查询用途: a purpose code (`pre_loan`) or its Chinese label (贷前调查). Institutions must
    /// state one that their sharing agreement allows.
    pub purpose: Option<String>,
    /// Free text beside the purpose, e.g. the loan application; kept in the access log.
    pub purpose_text: Option<String>,
    /// The authorization (授权) relied on; when absent, any active one that covers is used.
    pub authorization: Option<String>,
    /// Comma-separated item keys; all items with records when absent.
    pub items: Option<String>,
    /// Every version, not only the current one (the subject itself and the operator).
    pub history: Option<bool>,
    /// Export format for `/export`: `csv` (default) or `xlsx`.
    pub format: Option<String>,
}

impl ViewParams {
    fn items(&self) -> Option<Vec<String>> {
        self.items.as_ref().map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect()
        })
    }
}

async fn build(
    state: &AppState,
    caller: &Caller,
    uscc: &str,
    params: &ViewParams,
    channel: &'static str,
) -> Result<share::SubjectView, ApiError> {
    let items = params.items();
    let request = ViewRequest {
        subject: uscc,
        purpose: params.purpose.as_deref(),
        purpose_text: params.purpose_text.as_deref(),
        authorization_id: params.authorization.as_deref(),
        items: items.as_deref(),
        history: params.history.unwrap_or(false),
        channel,
    };
    Ok(share::view(
        &state.platform,
        &Reader::from_principal(&caller.principal),
        &request,
    )
    .await?)
}

/// What the caller's organisation receives about subject `uscc`: every item with records, each
/// record's fields shown in clear, masked or withheld by the access decision, with its source
/// unit, update time and flags (异议处理中, 已信用修复, 企业自主填报), and for each item the
/// basis of the read and why anything is masked or withheld. The read is written to the access
/// log (`access_id`). 403 `access.purpose_required`, `access.no_agreement`,
/// `access.outside_jurisdiction`, `access.not_own_subject`, `authz.unknown`, `authz.expired`,
/// `authz.paused`, `authz.revoked` — never with the data.
#[utoipa::path(
    get,
    path = "/api/v1/subjects/{uscc}",
    tag = "subjects",
    params(("uscc" = String, Path, description = "统一社会信用代码"), ViewParams),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The subject view", body = Object),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn view(
    State(state): State<AppState>,
    caller: Caller,
    Path(uscc): Path<String>,
    Query(params): Query<ViewParams>,
) -> Result<Json<share::SubjectView>, ApiError> {
    Ok(Json(build(&state, &caller, &uscc, &params, "api").await?))
}

/// The same view as a file: CSV (UTF-8 with BOM) or XLSX, one row per field, values exactly as
/// the JSON view holds them.
#[utoipa::path(
    get,
    path = "/api/v1/subjects/{uscc}/export",
    tag = "subjects",
    params(("uscc" = String, Path, description = "统一社会信用代码"), ViewParams),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "CSV or XLSX file"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(uscc): Path<String>,
    Query(params): Query<ViewParams>,
) -> Result<Response, ApiError> {
    export_response(&state, &caller, &uscc, &params).await
}

/// Builds an export download; shared with the page's export links.
pub async fn export_response(
    state: &AppState,
    caller: &Caller,
    uscc: &str,
    params: &ViewParams,
) -> Result<Response, ApiError> {
    let xlsx = match params.format.as_deref().unwrap_or("csv") {
        "csv" => false,
        "xlsx" => true,
        other => {
            return Err(xinrong_services::ServiceError::invalid(
                "export.format",
                format!("导出格式“{other}”无效，应为 csv 或 xlsx"),
            )
            .into());
        }
    };
    let channel = if xlsx { "export_xlsx" } else { "export_csv" };
    let view = build(state, caller, uscc, params, channel).await?;
    let (bytes, mime, ext) = if xlsx {
        (
            share::view_xlsx(&view)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        (share::view_csv(&view)?, "text/csv; charset=utf-8", "csv")
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.{ext}\"", view.subject),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct LogParams {
    /// The subject (operator; an enterprise always sees its own).
    pub subject: Option<String>,
    /// The reading organisation's id (operator).
    pub org: Option<String>,
    /// From this day (Asia/Shanghai), inclusive.
    pub since: Option<NaiveDate>,
    /// Until this day (Asia/Shanghai), inclusive.
    pub until: Option<NaiveDate>,
    pub offset: Option<u64>,
    pub limit: Option<u64>,
}

impl LogParams {
    pub fn query(&self) -> AccessQuery {
        let day_start =
            |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight") - chrono::Duration::hours(8);
        AccessQuery {
            subject: self.subject.clone().filter(|s| !s.trim().is_empty()),
            reader_org_id: self.org.clone().filter(|s| !s.trim().is_empty()),
            since: self.since.map(day_start),
            until: self.until.map(|d| day_start(d) + chrono::Duration::days(1)),
            offset: self.offset.unwrap_or(0),
            limit: self.limit.unwrap_or(100),
        }
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AccessLogView {
    pub total: u64,
    /// Newest first.
    #[schema(value_type = Vec<Object>)]
    pub entries: Vec<share::AccessEntry>,
}

/// 查询记录: who read the subject's data, when, which items, for what purpose, under which
/// authorization. An enterprise sees its own free of charge; the operator searches all.
#[utoipa::path(
    get,
    path = "/api/v1/access-log",
    tag = "subjects",
    params(LogParams),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = AccessLogView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn access_log(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<LogParams>,
) -> Result<Json<AccessLogView>, ApiError> {
    let (entries, total) = share::access_log(
        &state.platform,
        &Reader::from_principal(&caller.principal),
        params.query(),
    )
    .await?;
    Ok(Json(AccessLogView { total, entries }))
}
