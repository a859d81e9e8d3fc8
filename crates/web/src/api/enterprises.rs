//! `GET /api/v1/enterprises`: the enterprise list, narrowed to the caller's jurisdiction.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xinrong_services::enterprises::{self, EnterpriseQuery, EnterpriseSummary};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Part of the name, or the (leading part of the) USCC.
    pub q: Option<String>,
    /// GB/T 2260 code of a district, or of a city for all its districts.
    pub region: Option<String>,
    /// GB/T 4754 section letter (`C`) or division (`52`).
    pub industry: Option<String>,
    /// 1-based page number.
    pub page: Option<u64>,
    /// Rows per page, 1–100 (default 20).
    pub per_page: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EnterpriseView {
    pub uscc: String,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub industry_code: String,
    pub industry_name: String,
    pub established: NaiveDate,
    /// large, medium, small or micro (工信部联企业〔2011〕300号).
    pub size_class: String,
    /// Registered capital in fen.
    pub registered_capital_fen: i64,
}

impl From<EnterpriseSummary> for EnterpriseView {
    fn from(e: EnterpriseSummary) -> Self {
        EnterpriseView {
            uscc: e.uscc,
            name: e.name,
            region_code: e.region_code,
            region_name: e.region_name,
            industry_code: e.industry_code,
            industry_name: e.industry_name,
            established: e.established,
            size_class: e.size_class,
            registered_capital_fen: e.registered_capital_fen,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EnterprisePage {
    pub items: Vec<EnterpriseView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// Search enterprises by name or USCC, filter by district and industry, page through.
/// A government user sees only its jurisdiction.
#[utoipa::path(
    get,
    path = "/api/v1/enterprises",
    tag = "enterprises",
    security(("bearer" = []), ("session" = [])),
    params(ListParams),
    responses(
        (status = 200, body = EnterprisePage),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Result<Json<EnterprisePage>, ApiError> {
    let query = EnterpriseQuery {
        q: params.q,
        region: params.region,
        industry: params.industry,
        page: params.page,
        per_page: params.per_page,
    };
    let page = enterprises::search(&state.platform, &caller.principal, &query).await?;
    Ok(Json(EnterprisePage {
        items: page.items.into_iter().map(EnterpriseView::from).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}
