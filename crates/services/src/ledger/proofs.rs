//! The tree as stored now, and proofs over it: inclusion (RFC 9162 §2.1.3) of a record version
//! and consistency (§2.1.4) between two sizes.

use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use serde::Serialize;
use xinrong_ledger::{Hash, Tree};
use xinrong_store::repo::ledger::{self, LeafRow};

/// The tree as stored now: its size and root.
#[derive(Debug, Clone, Serialize)]
pub struct TreeHead {
    pub size: u64,
    pub root: String,
}

/// An inclusion proof for one record version or batch manifest, checkable with RFC 9162
/// §2.1.3.2.
#[derive(Debug, Clone, Serialize)]
pub struct InclusionProof {
    pub record_id: String,
    pub leaf_index: u64,
    pub leaf_hash: String,
    pub tree_size: u64,
    pub root: String,
    pub path: Vec<String>,
}

/// A consistency proof between two tree sizes, checkable with RFC 9162 §2.1.4.2.
#[derive(Debug, Clone, Serialize)]
pub struct ConsistencyProof {
    pub from_size: u64,
    pub to_size: u64,
    pub from_root: String,
    pub to_root: String,
    pub path: Vec<String>,
}

async fn load_tree(platform: &Platform) -> ServiceResult<(Tree, Vec<LeafRow>)> {
    let leaves = ledger::all(&platform.db.conn).await?;
    let tree = Tree::from_leaves(
        leaves
            .iter()
            .filter_map(|l| Hash::from_hex(&l.leaf_hash))
            .collect(),
    );
    Ok((tree, leaves))
}

fn hexes(hashes: Vec<Hash>) -> Vec<String> {
    hashes.iter().map(Hash::to_hex).collect()
}

fn bad_proof(e: xinrong_ledger::ProofError) -> ServiceError {
    ServiceError::invalid("ledger.proof", e.to_string())
}

pub async fn head(platform: &Platform) -> ServiceResult<TreeHead> {
    let (tree, _) = load_tree(platform).await?;
    Ok(TreeHead {
        size: tree.len(),
        root: tree.root().to_hex(),
    })
}

pub async fn inclusion(platform: &Platform, record_id: &str) -> ServiceResult<InclusionProof> {
    let (tree, leaves) = load_tree(platform).await?;
    let leaf = leaves
        .iter()
        .find(|l| (l.kind == "record" || l.kind == "batch") && l.ref_id == record_id)
        .ok_or(ServiceError::NotFound("记录或批次"))?;
    let index = leaf.leaf_index as u64;
    let path = tree.inclusion_proof(index, tree.len()).map_err(bad_proof)?;
    Ok(InclusionProof {
        record_id: record_id.to_owned(),
        leaf_index: index,
        leaf_hash: leaf.leaf_hash.clone(),
        tree_size: tree.len(),
        root: tree.root().to_hex(),
        path: hexes(path),
    })
}

pub async fn consistency(
    platform: &Platform,
    from: u64,
    to: u64,
) -> ServiceResult<ConsistencyProof> {
    let (tree, _) = load_tree(platform).await?;
    let path = tree.consistency_proof(from, to).map_err(bad_proof)?;
    Ok(ConsistencyProof {
        from_size: from,
        to_size: to,
        from_root: tree.root_at(from).map_err(bad_proof)?.to_hex(),
        to_root: tree.root_at(to).map_err(bad_proof)?.to_hex(),
        path: hexes(path),
    })
}
