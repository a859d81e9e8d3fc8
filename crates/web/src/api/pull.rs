//! `POST /api/v1/pull`: read a pull item (接口调用) about one subject from its provider's API,
//! when the access decision allows it.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use xinrong_services::pull::{PullRequest, PullResult, pull};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PullBody {
    /// Catalogue item key whose modes include `pull`, e.g. `tax.tax_arrears`.
    pub item: String,
    /// The subject's USCC (or ID number for items about a person).
    pub subject: String,
    /// 查询用途, e.g. 贷前调查.
    pub purpose: Option<String>,
    /// The authorization (授权) relied on; any active one that covers when absent.
    pub authorization: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ColumnView {
    pub key: String,
    pub label: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PullView {
    pub item_key: String,
    pub item_label: String,
    pub subject: String,
    pub provider_org_id: String,
    pub provider_name: String,
    /// The item's fields in catalogue order.
    pub columns: Vec<ColumnView>,
    /// Checked rows: field key → value.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Rows the provider sent that failed the catalogue's checks (left out).
    pub rejected_rows: usize,
    /// Answered from the short cache without calling the provider.
    pub from_cache: bool,
    /// When the provider answered.
    pub fetched_at: DateTime<Utc>,
}

impl From<PullResult> for PullView {
    fn from(r: PullResult) -> Self {
        PullView {
            item_key: r.item_key,
            item_label: r.item_label,
            subject: r.subject,
            provider_org_id: r.provider_org_id,
            provider_name: r.provider_name,
            columns: r
                .columns
                .into_iter()
                .map(|c| ColumnView {
                    key: c.key,
                    label: c.label,
                })
                .collect(),
            rows: r.rows,
            rejected_rows: r.rejected_rows,
            from_cache: r.from_cache,
            fetched_at: r.fetched_at.and_utc(),
        }
    }
}

/// Reads an item about a subject from its provider. 403 `access.denied` when the reader may
/// not see the item; 503 `pull.source_unavailable` / 504 `pull.timeout` when the provider
/// cannot answer; 429 `pull.rate_limited` / `pull.busy` when its quota is used up.
#[utoipa::path(
    post,
    path = "/api/v1/pull",
    tag = "pull",
    security(("bearer" = []), ("session" = [])),
    request_body = PullBody,
    responses(
        (status = 200, body = PullView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody),
        (status = 503, body = ErrorBody),
        (status = 504, body = ErrorBody)
    )
)]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<PullBody>,
) -> Result<Json<PullView>, ApiError> {
    let result = pull(
        &state.platform,
        PullRequest {
            reader_role: caller.principal.role,
            reader_org_id: &caller.principal.org_id,
            item_key: body.item.trim(),
            subject: &body.subject,
            purpose: body
                .purpose
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty()),
            authorization_id: body.authorization.as_deref(),
        },
    )
    .await?;
    Ok(Json(result.into()))
}
