//! The ledger's heads and proofs: anyone logged in can check that a record is in the log, that
//! the log only ever grew, and that the platform signed each head (SM2, 签名树头) with the key
//! it publishes. Proofs carry hashes, never record content.

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

/// An inclusion proof for a record version or a batch manifest.
#[utoipa::path(get, path = "/api/v1/ledger/inclusion/{record_id}", tag = "ledger",
    security(("bearer" = []), ("session" = [])),
    params(("record_id" = String, Path, description = "Record version ID, or a batch ID for its manifest")),
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

/// A tree head signed by the platform with SM2.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedHeadView {
    pub tree_size: u64,
    /// SM3 root, hex.
    pub root: String,
    /// UTC, RFC 3339.
    pub signed_at: String,
    /// `signed_at` in milliseconds since the epoch, as inside the signed message.
    pub timestamp_ms: u64,
    /// SM2 signature `r ‖ s` (64 bytes, hex) with the default distinguishing ID
    /// `1234567812345678` over `"xinrong/ledger/tree-head/v1\0" ‖ timestamp_ms (u64) ‖
    /// tree_size (u64) ‖ 0x20 ‖ root ‖ 0x0000` (RFC 9162 TreeHeadDataV2, big-endian).
    pub signature: String,
    /// SM3 of the DER public key, hex.
    pub key_id: String,
}

/// The latest signed head with the key that checks it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LatestHeadView {
    #[serde(flatten)]
    pub head: SignedHeadView,
    /// SubjectPublicKeyInfo PEM of the platform's SM2 key.
    pub public_key: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicKeyView {
    /// `SM2`.
    pub algorithm: String,
    pub distinguishing_id: String,
    pub key_id: String,
    /// SubjectPublicKeyInfo PEM.
    pub public_key: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct HeadsParams {
    /// Smallest tree size to list (default 0).
    pub from: Option<u64>,
    /// At most this many heads (default 100, at most 1000).
    pub limit: Option<u64>,
}

fn signed_view(h: ledger::SignedHead) -> SignedHeadView {
    SignedHeadView {
        tree_size: h.tree_size,
        root: h.root,
        signed_at: h.signed_at.and_utc().to_rfc3339(),
        timestamp_ms: h.timestamp_ms,
        signature: h.signature,
        key_id: h.key_id,
    }
}

/// The latest signed tree head and the public key that checks it.
#[utoipa::path(get, path = "/api/v1/ledger/heads/latest", tag = "ledger",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = LatestHeadView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn latest_head(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Json<LatestHeadView>, ApiError> {
    let head = ledger::latest_head(&state.platform)
        .await?
        .ok_or(xinrong_services::ServiceError::NotFound("签名树头"))?;
    Ok(Json(LatestHeadView {
        head: signed_view(head),
        public_key: ledger::public_key(&state.platform).public_key_pem,
    }))
}

/// Signed tree heads from a size on, smallest first.
#[utoipa::path(get, path = "/api/v1/ledger/heads", tag = "ledger",
    security(("bearer" = []), ("session" = [])),
    params(HeadsParams),
    responses((status = 200, body = Vec<SignedHeadView>), (status = 401, body = ErrorBody)))]
pub async fn heads(
    State(state): State<AppState>,
    _caller: Caller,
    Query(q): Query<HeadsParams>,
) -> Result<Json<Vec<SignedHeadView>>, ApiError> {
    let heads =
        ledger::list_heads(&state.platform, q.from.unwrap_or(0), q.limit.unwrap_or(100)).await?;
    Ok(Json(heads.into_iter().map(signed_view).collect()))
}

/// The platform's SM2 public key for checking signed tree heads.
#[utoipa::path(get, path = "/api/v1/ledger/public-key", tag = "ledger",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = PublicKeyView), (status = 401, body = ErrorBody)))]
pub async fn public_key(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Json<PublicKeyView>, ApiError> {
    let k = ledger::public_key(&state.platform);
    Ok(Json(PublicKeyView {
        algorithm: k.algorithm.to_owned(),
        distinguishing_id: k.distinguishing_id.to_owned(),
        key_id: k.key_id,
        public_key: k.public_key_pem,
    }))
}
