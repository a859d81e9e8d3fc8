//! `POST /api/v1/batches`: a provider pushes one file of one item (物理归集).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::spool::spool_body;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use xinrong_services::ServiceError;
use xinrong_services::collect::{
    BatchKind, Encoding, Format, IngestReport, IngestRequest, JobOutcome, JobRequest, JobStatus,
    RowProblem, error_report, ingest,
};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct BatchParams {
    /// Catalogue item key, e.g. `tax.tax_arrears`.
    pub item: String,
    /// `csv` (default), `xlsx` or `jsonl`.
    pub format: Option<String>,
    /// `auto` (default), `utf-8` or `gbk`.
    pub encoding: Option<String>,
    /// Apply all rows or none.
    pub strict: Option<bool>,
    /// `regular` (default) or `correction` (更正).
    pub kind: Option<String>,
    /// Run in the background and answer 202 with a job to poll.
    pub r#async: Option<bool>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemView {
    /// Line (CSV) or record (JSONL) number in the file.
    pub row: usize,
    pub field: String,
    pub value: String,
    /// Why, in Chinese.
    pub reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BatchView {
    pub batch_id: Option<String>,
    pub item_key: String,
    /// False when a strict batch was refused or the file had no rows.
    pub applied: bool,
    /// The same file had been applied before; nothing changed.
    pub replayed: bool,
    pub received: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub unchanged: usize,
    pub new_versions: usize,
    pub new_records: usize,
    /// Rejected rows repeating the natural key of an earlier row of the file.
    pub duplicates: usize,
    pub seconds: f64,
    /// The first 10,000 problems; `problems_total` counts all of them.
    pub errors: Vec<ProblemView>,
    pub problems_total: usize,
}

impl From<IngestReport> for BatchView {
    fn from(r: IngestReport) -> Self {
        BatchView {
            batch_id: r.batch_id,
            item_key: r.item_key,
            applied: r.applied,
            replayed: r.replayed,
            received: r.received,
            accepted: r.accepted,
            rejected: r.rejected,
            unchanged: r.unchanged,
            new_versions: r.new_versions,
            new_records: r.new_records,
            duplicates: r.duplicates,
            problems_total: r.problems_total,
            seconds: r.seconds,
            errors: r
                .errors
                .into_iter()
                .map(|p: RowProblem| ProblemView {
                    row: p.row,
                    field: p.field,
                    value: p.value,
                    reason: p.reason,
                })
                .collect(),
        }
    }
}

/// Pushes a file (the request body, as is; streamed to disk, up to 8 GB). 201 when a new batch
/// was applied, 200 when the same file had been applied before or the batch was refused (see
/// `applied` and `errors`). With `async=true` the batch runs in the background: 202 with a job
/// to poll at `/api/v1/batches/jobs/{id}`.
#[utoipa::path(
    post,
    path = "/api/v1/batches",
    tag = "collect",
    security(("bearer" = []), ("session" = [])),
    params(BatchParams),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "CSV (UTF-8 or GBK), XLSX or JSON Lines"),
    responses(
        (status = 201, body = BatchView),
        (status = 200, body = BatchView),
        (status = 202, body = JobView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<BatchParams>,
    body: Body,
) -> Result<Response, ApiError> {
    let format = Format::parse(params.format.as_deref().unwrap_or("csv"))?;
    let encoding = Encoding::parse(params.encoding.as_deref().unwrap_or("auto"))?;
    let kind = match params.kind.as_deref().unwrap_or("regular") {
        "regular" => BatchKind::Regular,
        "correction" => BatchKind::Correction,
        other => {
            return Err(ServiceError::invalid(
                "collect.kind",
                format!("未知的批次类型：{other}（regular 或 correction）"),
            )
            .into());
        }
    };
    let file = spool_body(body).await?;
    let strict = params.strict.unwrap_or(false);
    let org_id = &caller.principal.org_id;
    if params.r#async.unwrap_or(false) {
        let jobs = &state.platform.jobs;
        let id = jobs.start(
            &state.platform,
            JobRequest {
                item_key: params.item.clone(),
                provider_org_id: org_id.clone(),
                format,
                encoding,
                strict,
                kind,
                file,
            },
        );
        let status = jobs
            .status(&id, org_id)
            .ok_or(ServiceError::NotFound("报送任务"))?;
        return Ok((StatusCode::ACCEPTED, Json(JobView::from(status))).into_response());
    }
    let report = ingest(
        &state.platform,
        IngestRequest {
            item_key: &params.item,
            provider_org_id: org_id,
            format,
            encoding,
            strict,
            kind,
            path: file.path(),
            progress: None,
        },
    )
    .await?;
    let code = if report.applied && !report.replayed {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(BatchView::from(report))).into_response())
}

/// A background batch: its progress, and its report once finished.
#[derive(Serialize, utoipa::ToSchema)]
pub struct JobView {
    pub id: String,
    pub item_key: String,
    /// `receiving`, `hashing`, `applying`, `committing` or `done`.
    pub stage: String,
    pub percent: u8,
    pub bytes_total: u64,
    pub bytes_read: u64,
    pub rows_read: u64,
    pub rows_written: u64,
    /// `running`, `finished` or `failed`.
    pub status: String,
    pub report: Option<BatchView>,
    /// When failed: the stable code and the message.
    pub error: Option<ErrorBody>,
}

impl From<JobStatus> for JobView {
    fn from(s: JobStatus) -> Self {
        let p = s.progress;
        let (status, report, error) = match s.outcome {
            None => ("running", None, None),
            Some(JobOutcome::Finished { report }) => ("finished", Some(report.into()), None),
            Some(JobOutcome::Failed { code, message }) => {
                let code = code.to_owned();
                ("failed", None, Some(ErrorBody { code, message }))
            }
        };
        JobView {
            id: s.id,
            item_key: s.item_key,
            stage: serde_json::to_value(p.stage)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            percent: p.percent,
            bytes_total: p.bytes_total,
            bytes_read: p.bytes_read,
            rows_read: p.rows_read,
            rows_written: p.rows_written,
            status: status.to_owned(),
            report,
            error,
        }
    }
}

/// A background batch of the caller's organisation.
#[utoipa::path(
    get,
    path = "/api/v1/batches/jobs/{id}",
    tag = "collect",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Job ID")),
    responses((status = 200, body = JobView), (status = 404, body = ErrorBody))
)]
pub async fn job(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    let status = state
        .platform
        .jobs
        .status(&id, &caller.principal.org_id)
        .ok_or(ServiceError::NotFound("报送任务"))?;
    Ok(Json(status.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReportParams {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

/// The per-row error report (错误报告) of a finished background batch, as XLSX or CSV.
#[utoipa::path(
    get,
    path = "/api/v1/batches/jobs/{id}/errors",
    tag = "collect",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Job ID"), ReportParams),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)
    )
)]
pub async fn job_errors(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(params): Query<ReportParams>,
) -> Result<Response, ApiError> {
    Ok(error_report_response(
        &state,
        &caller,
        &id,
        params.format.as_deref(),
    )?)
}

/// The error report of a finished job as a download; shared with the upload page.
pub(crate) fn error_report_response(
    state: &AppState,
    caller: &Caller,
    id: &str,
    format: Option<&str>,
) -> Result<Response, ServiceError> {
    let status = state
        .platform
        .jobs
        .status(id, &caller.principal.org_id)
        .ok_or(ServiceError::NotFound("报送任务"))?;
    let Some(JobOutcome::Finished { report }) = status.outcome else {
        return Err(ServiceError::Conflict(
            "报送任务尚未完成，暂无错误报告".into(),
        ));
    };
    let format = Format::parse(format.unwrap_or("xlsx"))?;
    let bytes = error_report(&report.errors, format)?;
    let (mime, ext) = match format {
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        _ => ("text/csv; charset=utf-8", "csv"),
    };
    let name = format!("errors-{}.{ext}", status.item_key);
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
