//! 公共信用综合评价 (evaluation): one subject's result as the caller's organisation may see it
//! (the one access decision, logged as an access when the caller is not the subject), and grade
//! distributions by district or industry for government (its jurisdiction) and the operator.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_services::access::Reader;
use xinrong_services::evaluation::{self, By, Distribution, EvaluationView, ViewRequest};

/// A subject's evaluation: every signed-in role (the access decision decides what each sees).
pub fn subject_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show))
}

/// Grade distributions: government (its jurisdiction) and the operator.
pub fn distribution_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(distribution))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EvaluationParams {
    /// 查询用途: a purpose code (`pre_loan`) or its Chinese label (贷前调查). Institutions must
    /// state one that their sharing agreement allows.
    pub purpose: Option<String>,
    /// The authorization (授权) relied on; when absent, any active one that covers is used.
    pub authorization: Option<String>,
}

/// The current 公共信用综合评价 of subject `uscc`: score (0–1000), grade and its meaning, the
/// model version, dimension scores, every indicator's contribution in plain Chinese, the top
/// positive and negative factors and the profile tags (画像标签). Score and grade need a basis
/// for reading the subject at all; an indicator, factor or tag over data the caller may not see
/// in clear is replaced by the reason and how to obtain it. The enterprise reads its own free;
/// every other read is written to the access log (`access_id`). 403 `access.purpose_required`,
/// `access.no_agreement`, `access.outside_jurisdiction`, `access.not_own_subject`,
/// `authz.*`; 422 `uscc.*`, `subject.unknown`, `access.unknown_purpose`.
#[utoipa::path(
    get,
    path = "/api/v1/subjects/{uscc}/evaluation",
    operation_id = "subject_evaluation",
    tag = "evaluations",
    params(("uscc" = String, Path, description = "统一社会信用代码"), EvaluationParams),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The evaluation as the caller may see it", body = Object),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(uscc): Path<String>,
    Query(params): Query<EvaluationParams>,
) -> Result<Json<EvaluationView>, ApiError> {
    let view = evaluation::view(
        &state.platform,
        &Reader::from_principal(&caller.principal),
        &ViewRequest {
            subject: &uscc,
            purpose: params.purpose.as_deref(),
            authorization_id: params.authorization.as_deref(),
            channel: "api",
        },
    )
    .await?;
    Ok(Json(view))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DistributionParams {
    /// `district` (区县, default) or `industry` (行业).
    pub by: Option<String>,
}

/// 评价等级分布: how many enterprises hold each grade, and their average score, per district or
/// per industry division — a government unit for its jurisdiction, the operator for all.
/// Counts only, no subject named. 403 `access.denied` for other roles; 422
/// `evaluation.distribution_by`.
#[utoipa::path(
    get,
    path = "/api/v1/evaluations/distribution",
    operation_id = "evaluation_distribution",
    tag = "evaluations",
    params(DistributionParams),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Grade counts per district or industry", body = Object),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn distribution(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<DistributionParams>,
) -> Result<Json<Distribution>, ApiError> {
    let by = By::parse(params.by.as_deref().unwrap_or("district"))?;
    let d = evaluation::distribution(
        &state.platform,
        &Reader::from_principal(&caller.principal),
        by,
    )
    .await?;
    Ok(Json(d))
}
