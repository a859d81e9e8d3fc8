//! 政策找人 (policy matching): government units draft, publish and withdraw policies for their
//! jurisdiction; the platform matches enterprises on publishing; an enterprise sees the policies
//! it fits and those it doesn't, with reasons. Times are Asia/Shanghai.

use crate::access::{ALL_ROLES, Access, Registry};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_core::finance::eligibility::{Check, Eligibility};
use xinrong_core::finance::policy::PolicyKind;
use xinrong_core::role::Role;
use xinrong_services::finance::policies::{
    self, MatchReport, MatchedEnterprise, MyPolicies, PolicyFit, PolicyInput, PolicyMatches,
    PolicyView,
};

const GOVERNMENT: &[Role] = &[Role::Government];
/// Who reads a policy's matches: its issuer (and governments covering it), the operator.
const MATCH_READERS: &[Role] = &[Role::Government, Role::Operator];
const ENTERPRISE: &[Role] = &[Role::Enterprise];

/// Merges this resource's route groups, each guarded by [`super::group`].
pub(super) fn mount(
    registry: &mut Registry,
    api: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let readers = OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show));
    let issuer = OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(update))
        .routes(routes!(publish))
        .routes(routes!(withdraw));
    let match_readers = OpenApiRouter::new().routes(routes!(matches));
    let enterprise = OpenApiRouter::new().routes(routes!(mine));
    api.merge(super::group(registry, Access::Roles(ALL_ROLES), readers))
        .merge(super::group(registry, Access::Roles(GOVERNMENT), issuer))
        .merge(super::group(
            registry,
            Access::Roles(MATCH_READERS),
            match_readers,
        ))
        .merge(super::group(
            registry,
            Access::Roles(ENTERPRISE),
            enterprise,
        ))
}

/// A policy as its issuer writes it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyIn {
    pub title: String,
    pub kind: PolicyKind,
    /// GB/T 2260 code of the area it applies to, inside the issuer's jurisdiction (default:
    /// the jurisdiction). Outside: `policy.outside_jurisdiction`.
    #[serde(default)]
    pub region_code: Option<String>,
    /// 准入条件; empty restricts nothing.
    #[serde(default)]
    pub eligibility: Eligibility,
    /// 支持内容 (required).
    pub benefit: String,
    #[serde(default)]
    pub body: String,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
}

impl From<PolicyIn> for PolicyInput {
    fn from(p: PolicyIn) -> Self {
        PolicyInput {
            title: p.title,
            kind: p.kind.code().to_owned(),
            region_code: p.region_code,
            eligibility: p.eligibility,
            benefit: p.benefit,
            body: p.body,
            valid_from: p.valid_from,
            valid_to: p.valid_to,
        }
    }
}

/// A policy.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PolicyOut {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub kind_label: String,
    pub issuer_org_id: String,
    pub issuer_name: String,
    pub region_code: String,
    pub region_name: String,
    pub eligibility: Eligibility,
    /// The eligibility in plain Chinese, one line per criterion.
    pub criteria_zh: Vec<String>,
    pub benefit: String,
    pub body: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub in_force: bool,
    /// draft, published or withdrawn.
    pub status: String,
    pub status_label: String,
    pub published_at: Option<DateTime<FixedOffset>>,
    pub withdrawn_at: Option<DateTime<FixedOffset>>,
    pub matched_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

impl From<PolicyView> for PolicyOut {
    fn from(v: PolicyView) -> Self {
        PolicyOut {
            id: v.id,
            title: v.title,
            kind: v.kind,
            kind_label: v.kind_label,
            issuer_org_id: v.issuer_org_id,
            issuer_name: v.issuer_name,
            region_code: v.region_code,
            region_name: v.region_name,
            eligibility: v.eligibility,
            criteria_zh: v.criteria_zh,
            benefit: v.benefit,
            body: v.body,
            valid_from: v.valid_from,
            valid_to: v.valid_to,
            in_force: v.in_force,
            status: v.status,
            status_label: v.status_label,
            published_at: v.published_at,
            withdrawn_at: v.withdrawn_at,
            matched_at: v.matched_at,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// What one matching run did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchReportOut {
    pub policy_id: String,
    pub title: String,
    pub assessed: usize,
    pub eligible: usize,
    pub new_matches: usize,
    pub notified: usize,
}

impl From<MatchReport> for MatchReportOut {
    fn from(r: MatchReport) -> Self {
        MatchReportOut {
            policy_id: r.policy_id,
            title: r.title,
            assessed: r.assessed,
            eligible: r.eligible,
            new_matches: r.new_matches,
            notified: r.notified,
        }
    }
}

/// A published policy and the matching run publishing started.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PublishedOut {
    pub policy: PolicyOut,
    pub matching: MatchReportOut,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchedEnterpriseOut {
    pub uscc: String,
    pub name: String,
    pub region_code: String,
    pub matched_at: DateTime<FixedOffset>,
    pub notified_at: Option<DateTime<FixedOffset>>,
}

impl From<MatchedEnterprise> for MatchedEnterpriseOut {
    fn from(m: MatchedEnterprise) -> Self {
        MatchedEnterpriseOut {
            uscc: m.uscc,
            name: m.name,
            region_code: m.region_code,
            matched_at: m.matched_at,
            notified_at: m.notified_at,
        }
    }
}

/// A policy's matched enterprises (in the caller's jurisdiction).
#[derive(Serialize, utoipa::ToSchema)]
pub struct PolicyMatchesOut {
    pub policy: PolicyOut,
    pub count: usize,
    pub enterprises: Vec<MatchedEnterpriseOut>,
}

impl From<PolicyMatches> for PolicyMatchesOut {
    fn from(m: PolicyMatches) -> Self {
        PolicyMatchesOut {
            policy: m.policy.into(),
            count: m.count,
            enterprises: m.enterprises.into_iter().map(Into::into).collect(),
        }
    }
}

/// A policy with the enterprise's checks against it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PolicyFitOut {
    pub policy: PolicyOut,
    /// Every restricting criterion, met or not (unmet first).
    pub checks: Vec<Check>,
    pub matched_at: Option<DateTime<FixedOffset>>,
}

impl From<PolicyFit> for PolicyFitOut {
    fn from(f: PolicyFit) -> Self {
        PolicyFitOut {
            policy: f.policy.into(),
            checks: f.checks,
            matched_at: f.matched_at,
        }
    }
}

/// The enterprise's policies: fits and misfits with reasons.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MyPoliciesOut {
    pub uscc: String,
    pub fits: Vec<PolicyFitOut>,
    pub misfits: Vec<PolicyFitOut>,
}

impl From<MyPolicies> for MyPoliciesOut {
    fn from(m: MyPolicies) -> Self {
        MyPoliciesOut {
            uscc: m.uscc,
            fits: m.fits.into_iter().map(Into::into).collect(),
            misfits: m.misfits.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// draft, published or withdrawn.
    pub status: Option<String>,
}

/// Policies the caller may read, newest first: published ones for everyone; the issuer's own
/// drafts and withdrawn ones; withdrawn ones for the operator.
#[utoipa::path(
    get,
    path = "/api/v1/policies",
    tag = "policies",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Vec<PolicyOut>),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<PolicyOut>>, ApiError> {
    let status = params.status.filter(|s| !s.is_empty());
    let rows = policies::list(&state.platform, &caller.principal, status.as_deref()).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// A government unit drafts a policy for its jurisdiction.
#[utoipa::path(
    post,
    path = "/api/v1/policies",
    tag = "policies",
    security(("bearer" = []), ("session" = [])),
    request_body = PolicyIn,
    responses(
        (status = 201, body = PolicyOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<PolicyIn>,
) -> Result<(StatusCode, Json<PolicyOut>), ApiError> {
    let v = policies::create(&state.platform, &caller.principal, body.into()).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// One policy.
#[utoipa::path(
    get,
    path = "/api/v1/policies/{id}",
    tag = "policies",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Policy ID")),
    responses(
        (status = 200, body = PolicyOut),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PolicyOut>, ApiError> {
    Ok(Json(
        policies::get(&state.platform, &caller.principal, &id)
            .await?
            .into(),
    ))
}

/// The issuer edits a draft (`policy.state` once published).
#[utoipa::path(
    put,
    path = "/api/v1/policies/{id}",
    tag = "policies",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Policy ID")),
    request_body = PolicyIn,
    responses(
        (status = 200, body = PolicyOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<PolicyIn>,
) -> Result<Json<PolicyOut>, ApiError> {
    let v = policies::update(&state.platform, &caller.principal, &id, body.into()).await?;
    Ok(Json(v.into()))
}

/// The issuer publishes a draft; the platform matches enterprises and notifies them at once.
#[utoipa::path(
    post,
    path = "/api/v1/policies/{id}/publish",
    tag = "policies",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Policy ID")),
    responses(
        (status = 200, body = PublishedOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PublishedOut>, ApiError> {
    let (policy, report) = policies::publish(&state.platform, &caller.principal, &id).await?;
    Ok(Json(PublishedOut {
        policy: policy.into(),
        matching: report.into(),
    }))
}

/// The issuer withdraws a published policy.
#[utoipa::path(
    post,
    path = "/api/v1/policies/{id}/withdraw",
    tag = "policies",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Policy ID")),
    responses(
        (status = 200, body = PolicyOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PolicyOut>, ApiError> {
    let v = policies::withdraw(&state.platform, &caller.principal, &id).await?;
    Ok(Json(v.into()))
}

/// The enterprises a policy matched: its issuer and the operator see all, a government unit
/// covering the policy's region those in its jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/policies/{id}/matches",
    tag = "policies",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Policy ID")),
    responses(
        (status = 200, body = PolicyMatchesOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn matches(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PolicyMatchesOut>, ApiError> {
    let m = policies::matches(&state.platform, &caller.principal, &id).await?;
    Ok(Json(m.into()))
}

/// The enterprise's published policies in force for its region: those it fits (with the checks
/// it meets) and those it doesn't (with the unmet checks), computed live from its facts.
#[utoipa::path(
    get,
    path = "/api/v1/my/policies",
    tag = "policies",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = MyPoliciesOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<MyPoliciesOut>, ApiError> {
    let m = policies::for_enterprise(&state.platform, &caller.principal).await?;
    Ok(Json(m.into()))
}
