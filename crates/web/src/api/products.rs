//! 金融产品 (products) and 产品匹配 (matching): the public product supermarket; institutions
//! create, edit and submit their products; the operator reviews; an enterprise matches its need
//! against every listed product. Amounts are fen, rates basis points, times Asia/Shanghai.

use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinrong_core::finance::eligibility::Eligibility;
use xinrong_core::finance::product::{GuaranteeType, Need, ProductKind, ProductTerms, Scenario};
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::matching::{self, MatchReason, ProductMatch, Ranked};
use xinrong_services::finance::products::{
    self, ProductDetail, ProductInput, ProductStep, ProductView, SearchPage, SearchQuery,
};

const INSTITUTION: &[Role] = &[Role::Institution];
const OPERATOR: &[Role] = &[Role::Operator];
/// Who manages products: an institution its own, the operator all.
const MANAGERS: &[Role] = &[Role::Institution, Role::Operator];
const ENTERPRISE: &[Role] = &[Role::Enterprise];

/// Merges this resource's route groups, each guarded by [`super::group`].
pub(super) fn mount(
    registry: &mut Registry,
    api: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let public = OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(show));
    let institution = OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(update))
        .routes(routes!(submit));
    let operator = OpenApiRouter::new()
        .routes(routes!(review_queue))
        .routes(routes!(approve))
        .routes(routes!(reject));
    let managers = OpenApiRouter::new()
        .routes(routes!(manage))
        .routes(routes!(delist));
    let enterprise = OpenApiRouter::new().routes(routes!(match_need));
    api.merge(super::group(registry, Access::Public, public))
        .merge(super::group(
            registry,
            Access::Roles(INSTITUTION),
            institution,
        ))
        .merge(super::group(registry, Access::Roles(OPERATOR), operator))
        .merge(super::group(registry, Access::Roles(MANAGERS), managers))
        .merge(super::group(
            registry,
            Access::Roles(ENTERPRISE),
            enterprise,
        ))
}

/// A product as an institution writes it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductIn {
    /// Unique within the institution.
    pub name: String,
    pub kind: ProductKind,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    #[serde(default)]
    pub description: String,
    pub amount_min_fen: i64,
    pub amount_max_fen: i64,
    pub term_min_months: u32,
    pub term_max_months: u32,
    /// Annual rate in basis points (385 = 3.85%), at most 3600.
    pub rate_min_bp: u32,
    pub rate_max_bp: u32,
    pub guarantee_types: Vec<GuaranteeType>,
    /// 准入条件; empty restricts nothing.
    #[serde(default)]
    pub eligibility: Eligibility,
    /// Catalogue item keys the institution needs authorized (at least one).
    pub required_items: Vec<String>,
    /// Purpose of that authorization: `pre_loan`, `loan_approval` …
    pub purpose_code: String,
}

impl From<ProductIn> for ProductInput {
    fn from(p: ProductIn) -> Self {
        ProductInput {
            name: p.name,
            kind: p.kind,
            scenarios: p.scenarios,
            description: p.description,
            amount_min_fen: p.amount_min_fen,
            amount_max_fen: p.amount_max_fen,
            term_min_months: p.term_min_months,
            term_max_months: p.term_max_months,
            rate_min_bp: p.rate_min_bp,
            rate_max_bp: p.rate_max_bp,
            guarantee_types: p.guarantee_types,
            eligibility: p.eligibility,
            required_items: p.required_items,
            purpose_code: p.purpose_code,
        }
    }
}

/// A product.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProductOut {
    pub id: String,
    pub institution_org_id: String,
    pub institution_name: String,
    pub name: String,
    pub kind: ProductKind,
    pub kind_label: String,
    pub scenarios: Vec<Scenario>,
    pub scenario_labels: Vec<String>,
    pub description: String,
    pub terms: ProductTerms,
    pub guarantee_labels: Vec<String>,
    pub eligibility: Eligibility,
    /// The eligibility in plain Chinese, one line per restricting criterion.
    pub eligibility_zh: Vec<String>,
    pub required_items: Vec<String>,
    pub required_item_labels: Vec<String>,
    pub purpose_code: String,
    pub purpose_label: String,
    /// draft, pending, listed, rejected or delisted.
    pub status: String,
    pub status_label: String,
    pub submitted_at: Option<DateTime<FixedOffset>>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    /// Why it was rejected or delisted by the operator.
    pub review_reason: Option<String>,
    pub listed_at: Option<DateTime<FixedOffset>>,
    pub delisted_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    pub version: i32,
}

impl From<ProductView> for ProductOut {
    fn from(v: ProductView) -> Self {
        ProductOut {
            id: v.id,
            institution_org_id: v.institution_org_id,
            institution_name: v.institution_name,
            name: v.name,
            kind: v.kind,
            kind_label: v.kind_label,
            scenarios: v.scenarios,
            scenario_labels: v.scenario_labels,
            description: v.description,
            terms: v.terms,
            guarantee_labels: v.guarantee_labels,
            eligibility: v.eligibility,
            eligibility_zh: v.eligibility_zh,
            required_items: v.required_items,
            required_item_labels: v.required_item_labels,
            purpose_code: v.purpose_code,
            purpose_label: v.purpose_label,
            status: v.status,
            status_label: v.status_label,
            submitted_at: v.submitted_at,
            reviewed_at: v.reviewed_at,
            review_reason: v.review_reason,
            listed_at: v.listed_at,
            delisted_at: v.delisted_at,
            created_at: v.created_at,
            updated_at: v.updated_at,
            version: v.version,
        }
    }
}

/// One step of a product's timeline.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProductStepOut {
    pub kind: String,
    pub label: String,
    pub at: DateTime<FixedOffset>,
    pub actor_org_id: Option<String>,
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

impl From<ProductStep> for ProductStepOut {
    fn from(s: ProductStep) -> Self {
        ProductStepOut {
            kind: s.kind,
            label: s.label,
            at: s.at,
            actor_org_id: s.actor_org_id,
            body: s.body,
        }
    }
}

/// A product with its timeline (the timeline only for its institution and the operator).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProductDetailOut {
    pub product: ProductOut,
    pub timeline: Vec<ProductStepOut>,
}

impl From<ProductDetail> for ProductDetailOut {
    fn from(d: ProductDetail) -> Self {
        ProductDetailOut {
            product: d.product.into(),
            timeline: d.timeline.into_iter().map(Into::into).collect(),
        }
    }
}

/// One page of the product supermarket.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchPageOut {
    pub items: Vec<ProductOut>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
}

impl From<SearchPage> for SearchPageOut {
    fn from(p: SearchPage) -> Self {
        SearchPageOut {
            items: p.items.into_iter().map(Into::into).collect(),
            total: p.total,
            page: p.page,
            per_page: p.per_page,
            pages: p.pages,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SearchParams {
    /// Kind code (credit_loan, mortgage_loan, guaranteed_loan, insurance, supply_chain, bill, other).
    pub kind: Option<String>,
    /// Scenario code (bidding, gov_procurement, supply_chain, dev_zone, commercial, tech, green, agri).
    pub scenario: Option<String>,
    /// Guarantee type code (credit, mortgage, pledge, guarantee).
    pub guarantee: Option<String>,
    /// Only products whose amount range contains this amount (fen).
    pub amount_fen: Option<i64>,
    /// Only products whose term range contains this many months.
    pub term_months: Option<u32>,
    /// GB/T 2260 code or prefix: products open to all regions or to one containing it.
    pub region: Option<String>,
    /// Text in the product's or the institution's name.
    pub q: Option<String>,
    /// 1-based page.
    pub page: Option<u32>,
    /// Page size, 1–100 (20 by default).
    pub per_page: Option<u32>,
}

/// The product supermarket (产品超市): listed products, filtered, newest listing first. Public.
#[utoipa::path(
    get,
    path = "/api/v1/products",
    tag = "products",
    params(SearchParams),
    responses(
        (status = 200, body = SearchPageOut),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn search(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchPageOut>, ApiError> {
    let page = products::search(
        &state.platform,
        &SearchQuery {
            kind: p.kind,
            scenario: p.scenario,
            guarantee: p.guarantee,
            amount_fen: p.amount_fen,
            term_months: p.term_months,
            region: p.region,
            q: p.q,
            page: p.page,
            per_page: p.per_page,
        },
    )
    .await?;
    Ok(Json(page.into()))
}

/// One product: a listed one for anyone; any status for its institution and the operator (with
/// the timeline); otherwise 404.
#[utoipa::path(
    get,
    path = "/api/v1/products/{id}",
    tag = "products",
    params(("id" = String, Path, description = "Product ID")),
    responses(
        (status = 200, body = ProductDetailOut),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Path(id): Path<String>,
) -> Result<Json<ProductDetailOut>, ApiError> {
    let p = caller.as_ref().map(|c| &c.0.principal);
    let d = products::show(&state.platform, p, &id).await?;
    Ok(Json(d.into()))
}

/// An institution creates a product as a draft. The same content under the same name again
/// returns the existing product; different content under a taken name is `product.name_taken`.
#[utoipa::path(
    post,
    path = "/api/v1/products",
    tag = "products",
    security(("bearer" = []), ("session" = [])),
    request_body = ProductIn,
    responses(
        (status = 201, body = ProductOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<ProductIn>,
) -> Result<(StatusCode, Json<ProductOut>), ApiError> {
    let v = products::create(&state.platform, &caller.principal, body.into()).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// The institution edits its product (draft, rejected or delisted; it becomes a draft again).
/// A pending or listed product is `product.state`.
#[utoipa::path(
    put,
    path = "/api/v1/products/{id}",
    tag = "products",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Product ID")),
    request_body = ProductIn,
    responses(
        (status = 200, body = ProductOut),
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
    Json(body): Json<ProductIn>,
) -> Result<Json<ProductOut>, ApiError> {
    let v = products::update(&state.platform, &caller.principal, &id, body.into()).await?;
    Ok(Json(v.into()))
}

/// The institution submits its product for review; the operators are notified.
#[utoipa::path(
    post,
    path = "/api/v1/products/{id}/submit",
    tag = "products",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Product ID")),
    responses(
        (status = 200, body = ProductOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ProductOut>, ApiError> {
    let v = products::submit(&state.platform, &caller.principal, &id).await?;
    Ok(Json(v.into()))
}

/// The operator's review queue: pending products, oldest submission first.
#[utoipa::path(
    get,
    path = "/api/v1/products/review",
    tag = "products",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = Vec<ProductOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn review_queue(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ProductOut>>, ApiError> {
    let rows = products::review_queue(&state.platform, &caller.principal).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// The operator lists a pending product; the institution is notified.
#[utoipa::path(
    post,
    path = "/api/v1/products/{id}/approve",
    tag = "products",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Product ID")),
    responses(
        (status = 200, body = ProductOut),
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
) -> Result<Json<ProductOut>, ApiError> {
    let v = products::approve(&state.platform, &caller.principal, &id).await?;
    Ok(Json(v.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReasonIn {
    /// Required to reject, and for the operator to delist.
    #[serde(default)]
    pub reason: String,
}

/// The operator rejects a pending product; a reason is required (`product.reason_required`).
#[utoipa::path(
    post,
    path = "/api/v1/products/{id}/reject",
    tag = "products",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Product ID")),
    request_body = ReasonIn,
    responses(
        (status = 200, body = ProductOut),
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
    Json(body): Json<ReasonIn>,
) -> Result<Json<ProductOut>, ApiError> {
    let v = products::reject(&state.platform, &caller.principal, &id, &body.reason).await?;
    Ok(Json(v.into()))
}

/// The institution or the operator delists a listed product (the operator gives a reason).
#[utoipa::path(
    post,
    path = "/api/v1/products/{id}/delist",
    tag = "products",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Product ID")),
    request_body = ReasonIn,
    responses(
        (status = 200, body = ProductOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn delist(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Option<Json<ReasonIn>>,
) -> Result<Json<ProductOut>, ApiError> {
    let reason = body.map(|b| b.0.reason).unwrap_or_default();
    let v = products::delist(&state.platform, &caller.principal, &id, &reason).await?;
    Ok(Json(v.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ManageParams {
    /// draft, pending, listed, rejected or delisted.
    pub status: Option<String>,
}

/// The products the caller manages, any status: an institution its own, the operator all.
#[utoipa::path(
    get,
    path = "/api/v1/products/manage",
    tag = "products",
    security(("bearer" = []), ("session" = [])),
    params(ManageParams),
    responses(
        (status = 200, body = Vec<ProductOut>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn manage(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ManageParams>,
) -> Result<Json<Vec<ProductOut>>, ApiError> {
    let rows = products::list(&state.platform, &caller.principal, p.status.as_deref()).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// One reason a product fits or not.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchReasonOut {
    /// amount, term, guarantee, rate, or an eligibility criterion (grade, required_tag, …).
    pub criterion: String,
    pub met: bool,
    pub reason_zh: String,
}

impl From<MatchReason> for MatchReasonOut {
    fn from(r: MatchReason) -> Self {
        MatchReasonOut {
            criterion: r.criterion,
            met: r.met,
            reason_zh: r.reason_zh,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProductMatchOut {
    pub product: ProductOut,
    pub reasons: Vec<MatchReasonOut>,
    /// Higher ranks first (lower starting rate, then room above the amount and term).
    pub rank_score: i64,
}

impl From<ProductMatch> for ProductMatchOut {
    fn from(m: ProductMatch) -> Self {
        ProductMatchOut {
            product: m.product.into(),
            reasons: m.reasons.into_iter().map(Into::into).collect(),
            rank_score: m.rank_score,
        }
    }
}

/// Products that fit the need, best first, and the others with why not.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RankedOut {
    pub fits: Vec<ProductMatchOut>,
    pub misfits: Vec<ProductMatchOut>,
}

impl From<Ranked> for RankedOut {
    fn from(r: Ranked) -> Self {
        RankedOut {
            fits: r.fits.into_iter().map(Into::into).collect(),
            misfits: r.misfits.into_iter().map(Into::into).collect(),
        }
    }
}

/// 产品匹配: the enterprise states its need; every listed product is checked against it and
/// against what is known of the enterprise (grade, tags, size, age, industry, region, white
/// list, green), fits ranked first with reasons, misfits with why not.
#[utoipa::path(
    post,
    path = "/api/v1/matching",
    tag = "products",
    security(("bearer" = []), ("session" = [])),
    request_body = Need,
    responses(
        (status = 200, body = RankedOut),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn match_need(
    State(state): State<AppState>,
    caller: Caller,
    Json(need): Json<Need>,
) -> Result<Json<RankedOut>, ApiError> {
    let uscc = caller
        .principal
        .org_uscc
        .clone()
        .ok_or(ApiError(ServiceError::Forbidden))?;
    let ranked = matching::rank(&state.platform, &uscc, &need).await?;
    Ok(Json(ranked.into()))
}
