//! 绿色金融 (green finance): the green enterprise and project library (rule-based and reviewed
//! self-declarations), declarations and their review, and the green summary for government
//! users and the operator. Amounts are fen, times Asia/Shanghai.

use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_core::finance::green::GreenAssessment;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::green::{
    self, CategoryCount, EntryView, GreenProduct, GreenSummary, MyGreen, ProjectInput, ProjectView,
    ReviewQueue, Reviewed,
};

/// Who reads the library (each sees its scope: an enterprise its own, a government unit its
/// jurisdiction).
const LIBRARY_READERS: &[Role] = &[
    Role::Operator,
    Role::Government,
    Role::Institution,
    Role::Enterprise,
];
const SUMMARY_READERS: &[Role] = &[Role::Operator, Role::Government];
const ENTERPRISE: &[Role] = &[Role::Enterprise];
const OPERATOR: &[Role] = &[Role::Operator];

/// Merges this resource's route groups, each guarded by [`super::group`].
pub(super) fn mount(
    registry: &mut Registry,
    api: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let readers = OpenApiRouter::new()
        .routes(routes!(enterprises))
        .routes(routes!(projects));
    let summary_readers = OpenApiRouter::new().routes(routes!(summary));
    let enterprise = OpenApiRouter::new()
        .routes(routes!(declare))
        .routes(routes!(mine));
    let operator = OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(approve))
        .routes(routes!(reject));
    api.merge(super::group(
        registry,
        Access::Roles(LIBRARY_READERS),
        readers,
    ))
    .merge(super::group(
        registry,
        Access::Roles(SUMMARY_READERS),
        summary_readers,
    ))
    .merge(super::group(
        registry,
        Access::Roles(ENTERPRISE),
        enterprise,
    ))
    .merge(super::group(registry, Access::Roles(OPERATOR), operator))
}

/// A library entry.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryOut {
    pub id: String,
    pub uscc: String,
    pub name: String,
    pub region_code: String,
    /// rule or declaration.
    pub source: String,
    pub source_label: String,
    /// Green catalogue category key.
    pub category: Option<String>,
    pub category_label: String,
    /// candidate, approved, rejected or removed.
    pub status: String,
    pub status_label: String,
    pub reasons: Vec<String>,
    pub evidence: Option<String>,
    /// Latest environmental credit grade known.
    pub env_grade: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub updated_at: DateTime<FixedOffset>,
}

impl From<EntryView> for EntryOut {
    fn from(e: EntryView) -> Self {
        EntryOut {
            id: e.id,
            uscc: e.uscc,
            name: e.name,
            region_code: e.region_code,
            source: e.source,
            source_label: e.source_label,
            category: e.category,
            category_label: e.category_label,
            status: e.status,
            status_label: e.status_label,
            reasons: e.reasons,
            evidence: e.evidence,
            env_grade: e.env_grade,
            review_reason: e.review_reason,
            reviewed_at: e.reviewed_at,
            updated_at: e.updated_at,
        }
    }
}

/// A green project.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProjectOut {
    pub id: String,
    pub uscc: String,
    pub enterprise_name: String,
    pub name: String,
    pub category: String,
    pub category_label: String,
    pub investment_fen: i64,
    pub investment_text: String,
    /// Expected CO2 reduction, tonnes per year.
    pub co2_reduction_t: i64,
    pub description: String,
    /// submitted, approved or rejected.
    pub status: String,
    pub status_label: String,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
}

impl From<ProjectView> for ProjectOut {
    fn from(p: ProjectView) -> Self {
        ProjectOut {
            id: p.id,
            uscc: p.uscc,
            enterprise_name: p.enterprise_name,
            name: p.name,
            category: p.category,
            category_label: p.category_label,
            investment_fen: p.investment_fen,
            investment_text: p.investment_text,
            co2_reduction_t: p.co2_reduction_t,
            description: p.description,
            status: p.status,
            status_label: p.status_label,
            review_reason: p.review_reason,
            reviewed_at: p.reviewed_at,
            created_at: p.created_at,
        }
    }
}

/// A declaration or its review: an enterprise entry or a project.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DeclarationOut {
    /// enterprise or project.
    pub kind: String,
    pub entry: Option<EntryOut>,
    pub project: Option<ProjectOut>,
}

impl From<Reviewed> for DeclarationOut {
    fn from(r: Reviewed) -> Self {
        match r {
            Reviewed::Enterprise(e) => DeclarationOut {
                kind: "enterprise".into(),
                entry: Some(e.into()),
                project: None,
            },
            Reviewed::Project(p) => DeclarationOut {
                kind: "project".into(),
                entry: None,
                project: Some(p.into()),
            },
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EntryParams {
    /// Green catalogue category key.
    pub category: Option<String>,
    /// candidate, approved, rejected or removed (operator; others see approved entries).
    pub status: Option<String>,
}

/// Green enterprises: an enterprise sees its own entries (any status); a government unit the
/// approved ones in its jurisdiction; the operator and institutions the approved ones.
#[utoipa::path(
    get,
    path = "/api/v1/green/enterprises",
    tag = "green",
    security(("bearer" = []), ("session" = [])),
    params(EntryParams),
    responses(
        (status = 200, body = Vec<EntryOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn enterprises(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<EntryParams>,
) -> Result<Json<Vec<EntryOut>>, ApiError> {
    let rows = green::enterprises(
        &state.platform,
        &caller.principal,
        params.category.as_deref().filter(|s| !s.is_empty()),
        params.status.as_deref().filter(|s| !s.is_empty()),
    )
    .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ProjectParams {
    /// submitted, approved or rejected.
    pub status: Option<String>,
}

/// Green projects: an enterprise its own; a government unit those in its jurisdiction; the
/// operator all; institutions the approved ones.
#[utoipa::path(
    get,
    path = "/api/v1/green/projects",
    tag = "green",
    security(("bearer" = []), ("session" = [])),
    params(ProjectParams),
    responses(
        (status = 200, body = Vec<ProjectOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn projects(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<ProjectParams>,
) -> Result<Json<Vec<ProjectOut>>, ApiError> {
    let rows = green::projects(
        &state.platform,
        &caller.principal,
        params.status.as_deref().filter(|s| !s.is_empty()),
    )
    .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// A self-declaration: the enterprise itself (`kind` enterprise: category + evidence) or a
/// green project (`kind` project: name, category, investment, expected CO2 reduction,
/// description).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationIn {
    /// enterprise or project.
    pub kind: String,
    /// Green catalogue category key (energy_saving, clean_production, clean_energy,
    /// ecological, infrastructure, green_services).
    pub category: String,
    /// Enterprise: why it is green (required).
    #[serde(default)]
    pub evidence: String,
    /// Project name.
    #[serde(default)]
    pub name: String,
    /// Project investment, fen.
    #[serde(default)]
    pub investment_fen: i64,
    /// Expected CO2 reduction, tonnes per year.
    #[serde(default)]
    pub co2_reduction_t: i64,
    #[serde(default)]
    pub description: String,
}

/// The enterprise declares itself or a project green; the operator reviews.
/// `green.env_excluded` when its latest environmental credit rating is 不良.
#[utoipa::path(
    post,
    path = "/api/v1/green/declarations",
    tag = "green",
    security(("bearer" = []), ("session" = [])),
    request_body = DeclarationIn,
    responses(
        (status = 201, body = DeclarationOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn declare(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<DeclarationIn>,
) -> Result<(StatusCode, Json<DeclarationOut>), ApiError> {
    let (platform, p) = (&state.platform, &caller.principal);
    let done = match body.kind.as_str() {
        "enterprise" => {
            Reviewed::Enterprise(green::declare(platform, p, &body.category, &body.evidence).await?)
        }
        "project" => Reviewed::Project(
            green::declare_project(
                platform,
                p,
                ProjectInput {
                    name: body.name,
                    category: body.category,
                    investment_fen: body.investment_fen,
                    co2_reduction_t: body.co2_reduction_t,
                    description: body.description,
                },
            )
            .await?,
        ),
        other => {
            return Err(ServiceError::invalid(
                "green.kind",
                format!("申报类型“{other}”无效，应为 enterprise 或 project"),
            )
            .into());
        }
    };
    Ok((StatusCode::CREATED, Json(done.into())))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewIn {
    /// Required for a rejection.
    #[serde(default)]
    pub reason: String,
}

/// The operator approves a declaration (an enterprise declaration or a project).
#[utoipa::path(
    post,
    path = "/api/v1/green/declarations/{id}/approve",
    tag = "green",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Declaration (entry) or project ID")),
    request_body = ReviewIn,
    responses(
        (status = 200, body = DeclarationOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Option<Json<ReviewIn>>,
) -> Result<Json<DeclarationOut>, ApiError> {
    let reason = body.map(|b| b.0.reason).unwrap_or_default();
    let r = green::review(&state.platform, &caller.principal, &id, true, &reason).await?;
    Ok(Json(r.into()))
}

/// The operator rejects a declaration; a reason is required (`green.reason_required`).
#[utoipa::path(
    post,
    path = "/api/v1/green/declarations/{id}/reject",
    tag = "green",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Declaration (entry) or project ID")),
    request_body = ReviewIn,
    responses(
        (status = 200, body = DeclarationOut),
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
    body: Option<Json<ReviewIn>>,
) -> Result<Json<DeclarationOut>, ApiError> {
    let reason = body.map(|b| b.0.reason).unwrap_or_default();
    let r = green::review(&state.platform, &caller.principal, &id, false, &reason).await?;
    Ok(Json(r.into()))
}

/// The operator's review queue.
#[derive(Serialize, utoipa::ToSchema)]
pub struct QueueOut {
    pub declarations: Vec<EntryOut>,
    pub projects: Vec<ProjectOut>,
}

impl From<ReviewQueue> for QueueOut {
    fn from(q: ReviewQueue) -> Self {
        QueueOut {
            declarations: q.declarations.into_iter().map(Into::into).collect(),
            projects: q.projects.into_iter().map(Into::into).collect(),
        }
    }
}

/// Declarations and projects awaiting review.
#[utoipa::path(
    get,
    path = "/api/v1/green/declarations",
    tag = "green",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = QueueOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<QueueOut>, ApiError> {
    Ok(Json(
        green::queue(&state.platform, &caller.principal)
            .await?
            .into(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CategoryCountOut {
    pub key: String,
    pub label: String,
    pub enterprises: usize,
    pub projects: usize,
}

impl From<CategoryCount> for CategoryCountOut {
    fn from(c: CategoryCount) -> Self {
        CategoryCountOut {
            key: c.key,
            label: c.label,
            enterprises: c.enterprises,
            projects: c.projects,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct GreenProductOut {
    pub id: String,
    pub name: String,
    pub institution_org_id: String,
}

impl From<GreenProduct> for GreenProductOut {
    fn from(p: GreenProduct) -> Self {
        GreenProductOut {
            id: p.id,
            name: p.name,
            institution_org_id: p.institution_org_id,
        }
    }
}

/// The green view: library counts by category, projects, green products.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SummaryOut {
    pub green_enterprises: usize,
    pub by_rule: usize,
    pub by_declaration: usize,
    pub by_category: Vec<CategoryCountOut>,
    pub projects_approved: usize,
    pub projects_pending: usize,
    pub declarations_pending: usize,
    pub investment_fen: i64,
    pub investment_text: String,
    pub co2_reduction_t: i64,
    pub products: Vec<GreenProductOut>,
    /// Loans recorded to enterprises now in the library.
    pub green_loans: usize,
    pub green_loan_fen: i64,
    pub green_loan_text: String,
    pub catalog_version: u32,
    pub catalog_source: String,
}

impl From<GreenSummary> for SummaryOut {
    fn from(s: GreenSummary) -> Self {
        SummaryOut {
            green_enterprises: s.green_enterprises,
            by_rule: s.by_rule,
            by_declaration: s.by_declaration,
            by_category: s.by_category.into_iter().map(Into::into).collect(),
            projects_approved: s.projects_approved,
            projects_pending: s.projects_pending,
            declarations_pending: s.declarations_pending,
            investment_fen: s.investment_fen,
            investment_text: s.investment_text,
            co2_reduction_t: s.co2_reduction_t,
            products: s.products.into_iter().map(Into::into).collect(),
            green_loans: s.green_loans,
            green_loan_fen: s.green_loan_fen,
            green_loan_text: s.green_loan_text,
            catalog_version: s.catalog_version,
            catalog_source: s.catalog_source,
        }
    }
}

/// The green summary: the operator's of the whole platform, a government unit's of its
/// jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/green/summary",
    tag = "green",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = SummaryOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn summary(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<SummaryOut>, ApiError> {
    Ok(Json(
        green::summary(&state.platform, &caller.principal)
            .await?
            .into(),
    ))
}

/// The enterprise's own green standing.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MyGreenOut {
    pub uscc: String,
    /// In the green library now.
    pub green: bool,
    /// The rule applied live to its industry and latest rating.
    pub rule: GreenAssessment,
    pub env_grade: Option<String>,
    pub entries: Vec<EntryOut>,
    pub projects: Vec<ProjectOut>,
}

impl From<MyGreen> for MyGreenOut {
    fn from(m: MyGreen) -> Self {
        MyGreenOut {
            uscc: m.uscc,
            green: m.green,
            rule: m.rule,
            env_grade: m.env_grade,
            entries: m.entries.into_iter().map(Into::into).collect(),
            projects: m.projects.into_iter().map(Into::into).collect(),
        }
    }
}

/// The enterprise's own green standing: in the library or not, the rule's reasons, its
/// declarations and projects.
#[utoipa::path(
    get,
    path = "/api/v1/my/green",
    tag = "green",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = MyGreenOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<MyGreenOut>, ApiError> {
    Ok(Json(
        green::mine(&state.platform, &caller.principal)
            .await?
            .into(),
    ))
}
