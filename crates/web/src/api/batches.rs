//! `POST /api/v1/batches`: a provider pushes one file of one item (物理归集).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use xinrong_services::collect::{
    Encoding, Format, IngestReport, IngestRequest, RowProblem, ingest,
};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct BatchParams {
    /// Catalogue item key, e.g. `tax.tax_arrears`.
    pub item: String,
    /// `csv` (default) or `jsonl`.
    pub format: Option<String>,
    /// `auto` (default), `utf-8` or `gbk`.
    pub encoding: Option<String>,
    /// Apply all rows or none.
    pub strict: Option<bool>,
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
    pub seconds: f64,
    pub errors: Vec<ProblemView>,
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

/// Pushes a file (the request body, as is). 201 when a new batch was applied, 200 when the same
/// file had been applied before or the batch was refused (see `applied` and `errors`).
#[utoipa::path(
    post,
    path = "/api/v1/batches",
    tag = "collect",
    security(("bearer" = []), ("session" = [])),
    params(BatchParams),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "CSV (UTF-8 or GBK) or JSON Lines"),
    responses(
        (status = 201, body = BatchView),
        (status = 200, body = BatchView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<BatchParams>,
    body: Bytes,
) -> Result<(StatusCode, Json<BatchView>), ApiError> {
    let report = ingest(
        &state.platform,
        IngestRequest {
            item_key: &params.item,
            provider_org_id: &caller.principal.org_id,
            format: Format::parse(params.format.as_deref().unwrap_or("csv"))?,
            encoding: Encoding::parse(params.encoding.as_deref().unwrap_or("auto"))?,
            strict: params.strict.unwrap_or(false),
            bytes: &body,
        },
    )
    .await?;
    let status = if report.applied && !report.replayed {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report.into())))
}
