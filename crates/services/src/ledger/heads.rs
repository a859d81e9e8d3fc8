//! 签名树头 (signed tree heads): after each batch the platform signs the tree's size and root
//! with its SM2 key, inside the batch's transaction, so a head exists exactly when its leaves do.

use super::leaves::whole_seconds;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use chrono::NaiveDateTime;
use serde::Serialize;
use xinrong_ledger::{Frontier, Hash, SM2_DEFAULT_ID};
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::tree_heads::{self, HeadRow};

/// A tree head as signed: `signature` is SM2 (`r ‖ s`, hex) over
/// [`xinrong_ledger::head_message`]`(tree_size, root, timestamp_ms)`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SignedHead {
    pub tree_size: u64,
    /// SM3 root, hex.
    pub root: String,
    /// UTC, whole seconds.
    pub signed_at: NaiveDateTime,
    /// `signed_at` in milliseconds since the epoch: the timestamp inside the signed message.
    pub timestamp_ms: u64,
    pub signature: String,
    /// SM3 of the signing key's DER public key, hex.
    pub key_id: String,
}

impl SignedHead {
    pub(crate) fn from_row(row: &HeadRow) -> SignedHead {
        SignedHead {
            tree_size: row.tree_size as u64,
            root: row.root.clone(),
            signed_at: row.signed_at,
            timestamp_ms: timestamp_ms(row.signed_at),
            signature: row.signature.clone(),
            key_id: row.key_id.clone(),
        }
    }
}

pub(crate) fn timestamp_ms(at: NaiveDateTime) -> u64 {
    at.and_utc().timestamp_millis().max(0) as u64
}

fn broken(message: String) -> ServiceError {
    ServiceError::invalid("ledger.broken", message)
}

/// The right edge of the tree as stored now: from the latest head's frontier plus the leaves
/// after it, or from every leaf when there is no head or its frontier does not give its root.
async fn current_frontier(
    conn: &impl ConnectionTrait,
) -> ServiceResult<(Frontier, Option<HeadRow>)> {
    let previous = tree_heads::latest(conn).await?;
    let start = previous.as_ref().and_then(|h| {
        Frontier::from_hex(h.tree_size as u64, &h.frontier).filter(|f| f.root().to_hex() == h.root)
    });
    let mut frontier = start.unwrap_or_default();
    for leaf in tree_heads::leaves_from(conn, frontier.size() as i64).await? {
        if leaf.leaf_index as u64 != frontier.size() {
            return Err(broken(format!(
                "账本叶子序号不连续：应为 {}，实为 {}",
                frontier.size(),
                leaf.leaf_index
            )));
        }
        let hash = Hash::from_hex(&leaf.leaf_hash)
            .ok_or_else(|| broken(format!("账本叶子 {} 的哈希无效", leaf.leaf_index)))?;
        frontier.push(hash);
    }
    Ok((frontier, previous))
}

/// Signs the tree as it stands in `conn` (call it inside the batch's transaction, after the
/// batch's leaves are appended) and stores the head. Reads only the leaves added since the last
/// head. When no leaf was added since, returns the last head unchanged.
pub async fn sign_head<C: ConnectionTrait>(
    platform: &Platform,
    conn: &C,
    now: NaiveDateTime,
) -> ServiceResult<SignedHead> {
    let (frontier, previous) = current_frontier(conn).await?;
    if let Some(previous) = previous
        && previous.tree_size as u64 == frontier.size()
    {
        return Ok(SignedHead::from_row(&previous));
    }
    sign_frontier(platform, conn, &frontier, now).await
}

/// The tree's right edge before a writer appends: a batch pushes its own leaves onto it and
/// signs with [`sign_frontier`], so a million-leaf batch never reads its leaves back. Call it
/// after taking the ledger's writer lock.
pub async fn frontier_for_append<C: ConnectionTrait>(conn: &C) -> ServiceResult<Frontier> {
    Ok(current_frontier(conn).await?.0)
}

/// Signs and stores the head of a tree whose right edge the caller computed while appending.
pub async fn sign_frontier<C: ConnectionTrait>(
    platform: &Platform,
    conn: &C,
    frontier: &Frontier,
    now: NaiveDateTime,
) -> ServiceResult<SignedHead> {
    let signed_at = whole_seconds(now);
    let ts = timestamp_ms(signed_at);
    let root = frontier.root();
    let signature = platform.ledger_key.sign_head(frontier.size(), &root, ts);
    let row = HeadRow {
        tree_size: frontier.size() as i64,
        root: root.to_hex(),
        signed_at,
        signature: hex::encode(signature),
        key_id: platform.ledger_key.public_key().key_id().to_hex(),
        frontier: frontier.to_hex(),
    };
    tree_heads::insert(conn, row.clone()).await?;
    Ok(SignedHead::from_row(&row))
}

/// The most recent signed head, if any batch was applied yet.
pub async fn latest_head(platform: &Platform) -> ServiceResult<Option<SignedHead>> {
    Ok(tree_heads::latest(&platform.db.conn)
        .await?
        .as_ref()
        .map(SignedHead::from_row))
}

/// Up to `limit` (at most 1,000) signed heads of size `from` or larger, smallest first.
pub async fn list_heads(
    platform: &Platform,
    from: u64,
    limit: u64,
) -> ServiceResult<Vec<SignedHead>> {
    let limit = limit.clamp(1, 1_000);
    let from = i64::try_from(from).unwrap_or(i64::MAX);
    Ok(tree_heads::list(&platform.db.conn, from, limit)
        .await?
        .iter()
        .map(SignedHead::from_row)
        .collect())
}

/// 账本公钥: what an auditor needs to check signed heads outside the platform.
#[derive(Debug, Clone, Serialize)]
pub struct PublicKeyInfo {
    /// Always `SM2` (GB/T 32918, signatures with SM3).
    pub algorithm: &'static str,
    /// The SM2 distinguishing identifier (GM/T 0009 default).
    pub distinguishing_id: &'static str,
    pub key_id: String,
    /// SubjectPublicKeyInfo PEM.
    pub public_key_pem: String,
}

pub fn public_key(platform: &Platform) -> PublicKeyInfo {
    let key = platform.ledger_key.public_key();
    PublicKeyInfo {
        algorithm: "SM2",
        distinguishing_id: SM2_DEFAULT_ID,
        key_id: key.key_id().to_hex(),
        public_key_pem: key.to_pem(),
    }
}
