//! The ledger's head and proofs: anyone logged in can check that a record is in the log and
//! that the log only ever grew. Proofs carry hashes, never record content.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use xinrong_services::ledger;

#[derive(Serialize, utoipa::ToSchema)]
pub struct HeadView {
    pub size: u64,
    /// SM3 root, hex.
    pub root: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct InclusionView {
    pub record_id: String,
    pub leaf_index: u64,
    pub leaf_hash: String,
    pub tree_size: u64,
    pub root: String,
    /// Audit path, leaf to root (RFC 9162 §2.1.3).
    pub path: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ConsistencyView {
    pub from_size: u64,
    pub to_size: u64,
    pub from_root: String,
    pub to_root: String,
    /// Consistency proof (RFC 9162 §2.1.4).
    pub path: Vec<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ConsistencyParams {
    pub from: u64,
    pub to: u64,
}

/// The current tree head.
#[utoipa::path(get, path = "/api/v1/ledger/head", tag = "ledger",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = HeadView), (status = 401, body = ErrorBody)))]
pub async fn head(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Json<HeadView>, ApiError> {
    let h = ledger::head(&state.platform).await?;
    Ok(Json(HeadView {
        size: h.size,
        root: h.root,
    }))
}

/// An inclusion proof for a record version.
#[utoipa::path(get, path = "/api/v1/ledger/inclusion/{record_id}", tag = "ledger",
    security(("bearer" = []), ("session" = [])),
    params(("record_id" = String, Path, description = "Record version ID")),
    responses((status = 200, body = InclusionView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn inclusion(
    State(state): State<AppState>,
    _caller: Caller,
    Path(record_id): Path<String>,
) -> Result<Json<InclusionView>, ApiError> {
    let p = ledger::inclusion(&state.platform, &record_id).await?;
    Ok(Json(InclusionView {
        record_id: p.record_id,
        leaf_index: p.leaf_index,
        leaf_hash: p.leaf_hash,
        tree_size: p.tree_size,
        root: p.root,
        path: p.path,
    }))
}

/// A consistency proof between two tree sizes.
#[utoipa::path(get, path = "/api/v1/ledger/consistency", tag = "ledger",
    security(("bearer" = []), ("session" = [])),
    params(ConsistencyParams),
    responses((status = 200, body = ConsistencyView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn consistency(
    State(state): State<AppState>,
    _caller: Caller,
    Query(q): Query<ConsistencyParams>,
) -> Result<Json<ConsistencyView>, ApiError> {
    let p = ledger::consistency(&state.platform, q.from, q.to).await?;
    Ok(Json(ConsistencyView {
        from_size: p.from_size,
        to_size: p.to_size,
        from_root: p.from_root,
        to_root: p.to_root,
        path: p.path,
    }))
}
