//! 账本核验 (ledger verification): recompute every leaf and the root from stored rows, as
//! `xinrong ledger verify` does, so any edit to a stored record is found.

use crate::error::ServiceResult;
use crate::platform::Platform;
use serde::Serialize;
use xinrong_ledger::{Hash, Tree, leaf_hash, sm3};
use xinrong_store::repo::{ledger, records};

#[derive(Debug, Clone, Serialize)]
pub struct LedgerStatus {
    pub size: u64,
    pub root: String,
    pub ok: bool,
    /// Each problem found, in Chinese.
    pub problems: Vec<String>,
}

/// The leaf a record version commits to.
pub fn record_leaf(
    item_key: &str,
    subject: &str,
    natural_key_hash: &str,
    version: i32,
    content_hash: &str,
) -> Hash {
    leaf_hash(
        format!("record\n{item_key}\n{subject}\n{natural_key_hash}\n{version}\n{content_hash}")
            .as_bytes(),
    )
}

pub async fn verify(platform: &Platform) -> ServiceResult<LedgerStatus> {
    let leaves = ledger::all(&platform.db.conn).await?;
    let mut problems = Vec::new();
    let mut tree = Tree::new();
    for (i, leaf) in leaves.iter().enumerate() {
        if leaf.leaf_index != i as i64 {
            problems.push(format!(
                "叶子序号不连续：第 {i} 个叶子的序号为 {}",
                leaf.leaf_index
            ));
        }
        match Hash::from_hex(&leaf.leaf_hash) {
            Some(h) => {
                tree.push(h);
            }
            None => problems.push(format!("叶子 {} 的哈希无效", leaf.leaf_index)),
        }
    }
    let records = records::all(&platform.db.conn).await?;
    let record_ids: std::collections::HashSet<&str> =
        records.iter().map(|r| r.id.as_str()).collect();
    for leaf in leaves.iter().filter(|l| l.kind == "record") {
        if !record_ids.contains(leaf.ref_id.as_str()) {
            problems.push(format!(
                "账本叶子 {} 指向的记录 {} 已不存在（记录被删除）",
                leaf.leaf_index, leaf.ref_id
            ));
        }
    }
    for record in &records {
        if sm3(&[record.payload.as_bytes()]).to_hex() != record.content_hash {
            problems.push(format!(
                "记录 {} 的内容与其摘要不符（内容被改动）",
                record.id
            ));
        }
        let expected = record_leaf(
            &record.item_key,
            &record.subject,
            &record.natural_key_hash,
            record.version,
            &record.content_hash,
        );
        match leaves.get(record.ledger_index as usize) {
            Some(leaf) if leaf.ref_id == record.id && leaf.leaf_hash == expected.to_hex() => {}
            _ => problems.push(format!(
                "记录 {} 与账本叶子 {} 不符",
                record.id, record.ledger_index
            )),
        }
    }
    Ok(LedgerStatus {
        size: tree.len(),
        root: tree.root().to_hex(),
        ok: problems.is_empty(),
        problems,
    })
}

/// The tree as stored now: its size and root.
#[derive(Debug, Clone, Serialize)]
pub struct TreeHead {
    pub size: u64,
    pub root: String,
}

/// An inclusion proof for one record version, checkable with RFC 9162 §2.1.3.2.
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

async fn load_tree(
    platform: &Platform,
) -> ServiceResult<(Tree, Vec<xinrong_store::repo::ledger::LeafRow>)> {
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
        .find(|l| l.kind == "record" && l.ref_id == record_id)
        .ok_or(crate::ServiceError::NotFound("记录"))?;
    let index = leaf.leaf_index as u64;
    let path = tree
        .inclusion_proof(index, tree.len())
        .map_err(|e| crate::ServiceError::invalid("ledger.proof", e.to_string()))?;
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
    let bad =
        |e: xinrong_ledger::ProofError| crate::ServiceError::invalid("ledger.proof", e.to_string());
    let path = tree.consistency_proof(from, to).map_err(bad)?;
    Ok(ConsistencyProof {
        from_size: from,
        to_size: to,
        from_root: tree.root_at(from).map_err(bad)?.to_hex(),
        to_root: tree.root_at(to).map_err(bad)?.to_hex(),
        path: hexes(path),
    })
}
