//! 获贷明细 (loans): institutions record disbursements (one at a time or a batch file, all or
//! nothing), repayments and status; each party lists what it may see with totals.

use super::workflow::StepView;
use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_core::finance::loan::{LoanView, RepaymentView, Totals};
use xinrong_core::role::Role;
use xinrong_services::finance::loans::{
    self, BatchReport, FileFormat, Flags, LoanDetail, LoanQuery, NewLoan, NewRepayment, RowError,
};

/// Who reads loans (each sees its own scope).
pub const READERS: &[Role] = &[
    Role::Operator,
    Role::Government,
    Role::Institution,
    Role::Enterprise,
];
/// Who records.
pub const LENDERS: &[Role] = &[Role::Institution];

/// Merges this resource's route groups, each guarded by [`super::group`].
pub(super) fn mount(
    registry: &mut Registry,
    api: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let readers = OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show))
        .routes(routes!(template));
    let lenders = OpenApiRouter::new()
        .routes(routes!(record))
        .routes(routes!(repay))
        .routes(routes!(set_status));
    let batch =
        OpenApiRouter::new()
            .routes(routes!(batch))
            .layer(axum::extract::DefaultBodyLimit::max(
                loans::MAX_FILE_BYTES + 64 * 1024,
            ));
    api.merge(super::group(registry, Access::Roles(READERS), readers))
        .merge(super::group(registry, Access::Roles(LENDERS), lenders))
        .merge(super::group(registry, Access::Roles(LENDERS), batch))
}

/// A disbursement to record.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoanIn {
    /// The borrower's USCC (an enterprise known to the platform).
    pub subject_uscc: String,
    /// Unique per institution: recording it again with the same values answers the same loan.
    pub contract_no: String,
    pub amount_fen: i64,
    /// Annual rate in basis points (3.85% = 385), in (0, 3600].
    pub rate_bp: i64,
    /// 1 to 360.
    pub term_months: i64,
    /// credit, mortgage, pledge or guarantee.
    pub guarantee: String,
    #[serde(default)]
    pub pure_credit: bool,
    #[serde(default)]
    pub first_loan: bool,
    #[serde(default)]
    pub renewal: bool,
    #[serde(default)]
    pub no_principal_renewal: bool,
    pub disbursed_on: NaiveDate,
    /// The approved financing application (sent to this institution) the loan disburses.
    pub application_id: Option<String>,
}

/// Records a disbursement. 201 when created, 200 when the same contract was recorded before
/// with the same values; `loan.contract_conflict` when with other values.
#[utoipa::path(
    post,
    path = "/api/v1/loans",
    tag = "loans",
    security(("bearer" = []), ("session" = [])),
    request_body = LoanIn,
    responses(
        (status = 201, body = LoanView),
        (status = 200, body = LoanView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<LoanIn>,
) -> Result<Response, ApiError> {
    let r = loans::record(
        &state.platform,
        &caller.principal,
        NewLoan {
            subject: body.subject_uscc,
            contract_no: body.contract_no,
            amount_fen: body.amount_fen,
            rate_bp: body.rate_bp,
            term_months: body.term_months,
            guarantee: body.guarantee,
            flags: Flags {
                pure_credit: body.pure_credit,
                first_loan: body.first_loan,
                renewal: body.renewal,
                no_principal_renewal: body.no_principal_renewal,
            },
            disbursed_on: Some(body.disbursed_on),
            application_id: body.application_id,
        },
    )
    .await?;
    let code = if r.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(r.loan)).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Borrower USCC (an enterprise always sees its own).
    pub subject: Option<String>,
    /// Institution organisation ID (an institution always sees its own).
    pub institution: Option<String>,
    /// normal, overdue, default or settled.
    pub status: Option<String>,
    /// pure_credit, first_loan, renewal or no_principal_renewal.
    pub flag: Option<String>,
    /// credit, mortgage, pledge or guarantee.
    pub guarantee: Option<String>,
    /// Disbursed on or after (YYYY-MM-DD).
    pub from: Option<NaiveDate>,
    /// Disbursed on or before (YYYY-MM-DD).
    pub to: Option<NaiveDate>,
    /// Most loans listed (default 500); the totals count every match.
    pub limit: Option<usize>,
}

/// Loans and their totals.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LoanListOut {
    pub loans: Vec<LoanView>,
    pub totals: Totals,
    /// More loans matched than listed.
    pub truncated: bool,
}

/// Loans the caller may see, newest disbursement first, with totals (count, amount,
/// pure-credit amount, first-loan count …) over every match: an institution its own, an
/// enterprise its own, a government unit its jurisdiction, the operator all.
#[utoipa::path(
    get,
    path = "/api/v1/loans",
    tag = "loans",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = LoanListOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListParams>,
) -> Result<Json<LoanListOut>, ApiError> {
    let l = loans::list(
        &state.platform,
        &caller.principal,
        LoanQuery {
            subject: q.subject,
            institution: q.institution,
            status: q.status,
            flag: q.flag,
            guarantee: q.guarantee,
            from: q.from,
            to: q.to,
            limit: q.limit,
        },
    )
    .await?;
    Ok(Json(LoanListOut {
        loans: l.loans,
        totals: l.totals,
        truncated: l.truncated,
    }))
}

/// A loan with its repayments and timeline.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LoanDetailOut {
    pub loan: LoanView,
    pub repayments: Vec<RepaymentView>,
    pub timeline: Vec<StepView>,
}

impl From<LoanDetail> for LoanDetailOut {
    fn from(d: LoanDetail) -> Self {
        LoanDetailOut {
            loan: d.loan,
            repayments: d.repayments,
            timeline: d.timeline.into_iter().map(Into::into).collect(),
        }
    }
}

/// One loan the caller may see (another party's answers 404).
#[utoipa::path(
    get,
    path = "/api/v1/loans/{id}",
    tag = "loans",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Loan ID")),
    responses(
        (status = 200, body = LoanDetailOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<LoanDetailOut>, ApiError> {
    Ok(Json(
        loans::detail(&state.platform, &caller.principal, &id)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RepaymentIn {
    pub paid_on: NaiveDate,
    #[serde(default)]
    pub principal_fen: i64,
    #[serde(default)]
    pub interest_fen: i64,
}

/// Records a repayment (the same date and amounts again is found, not counted twice). Principal
/// beyond the outstanding is refused (`loan.repayment_exceeds`); reaching zero settles the loan.
#[utoipa::path(
    post,
    path = "/api/v1/loans/{id}/repayments",
    tag = "loans",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Loan ID")),
    request_body = RepaymentIn,
    responses(
        (status = 200, body = LoanDetailOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn repay(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<RepaymentIn>,
) -> Result<Json<LoanDetailOut>, ApiError> {
    let d = loans::repay(
        &state.platform,
        &caller.principal,
        &id,
        NewRepayment {
            paid_on: Some(body.paid_on),
            principal_fen: body.principal_fen,
            interest_fen: body.interest_fen,
        },
    )
    .await?;
    Ok(Json(d.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StatusIn {
    /// normal, overdue, default or settled.
    pub status: String,
    #[serde(default)]
    pub note: String,
}

/// Changes a loan's status: normal ⇄ overdue, normal/overdue → default, → settled when
/// nothing is outstanding; settled is final (`loan.state`, `loan.outstanding`).
#[utoipa::path(
    post,
    path = "/api/v1/loans/{id}/status",
    tag = "loans",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Loan ID")),
    request_body = StatusIn,
    responses(
        (status = 200, body = LoanDetailOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<StatusIn>,
) -> Result<Json<LoanDetailOut>, ApiError> {
    let d = loans::set_status(
        &state.platform,
        &caller.principal,
        &id,
        &body.status,
        &body.note,
    )
    .await?;
    Ok(Json(d.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct BatchParams {
    /// `csv` (default; UTF-8 or GBK) or `xlsx`.
    pub format: Option<String>,
}

/// One problem of one row.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RowErrorOut {
    /// Row number in the file (the header is row 1).
    pub row: usize,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What a batch upload did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BatchOut {
    /// True when every row was written; false when refused (nothing written).
    pub applied: bool,
    pub batch_id: Option<String>,
    pub received: usize,
    pub created: usize,
    pub unchanged: usize,
    pub errors: Vec<RowErrorOut>,
    pub loans: Vec<LoanView>,
}

impl From<BatchReport> for BatchOut {
    fn from(r: BatchReport) -> Self {
        BatchOut {
            applied: r.applied,
            batch_id: r.batch_id,
            received: r.received,
            created: r.created,
            unchanged: r.unchanged,
            errors: r
                .errors
                .into_iter()
                .map(|e: RowError| RowErrorOut {
                    row: e.row,
                    field: e.field,
                    code: e.code,
                    message: e.message,
                })
                .collect(),
            loans: r.loans,
        }
    }
}

/// Uploads a file of loans (the body, as is; see the template). ALL OR NOTHING: 201 when
/// every row was written (or found unchanged), 422 with every row's problems when any row is
/// bad — then nothing is written.
#[utoipa::path(
    post,
    path = "/api/v1/loans/batch",
    tag = "loans",
    security(("bearer" = []), ("session" = [])),
    params(BatchParams),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "CSV (UTF-8 or GBK) or XLSX, the columns of the template"),
    responses(
        (status = 201, body = BatchOut),
        (status = 422, body = BatchOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn batch(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<BatchParams>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let format = FileFormat::parse(params.format.as_deref().unwrap_or("csv"))?;
    let report = loans::import(&state.platform, &caller.principal, format, &body).await?;
    let code = if report.applied {
        StatusCode::CREATED
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((code, Json(BatchOut::from(report))).into_response())
}

/// The batch template (CSV, UTF-8 with BOM): the header and one example row.
#[utoipa::path(
    get,
    path = "/api/v1/loans/template.csv",
    tag = "loans",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 401, body = ErrorBody)
    )
)]
pub async fn template(_caller: Caller) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"loans-template.csv\"",
            ),
        ],
        loans::template_csv(),
    )
        .into_response()
}
