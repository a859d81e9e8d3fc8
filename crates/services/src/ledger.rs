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
    for record in records::all(&platform.db.conn).await? {
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
