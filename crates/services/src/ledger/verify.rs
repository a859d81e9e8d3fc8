//! 账本核验 (ledger verification), as `xinrong ledger verify` runs it: recompute every leaf from
//! the stored rows, the tree from the leaves, and check every signed head's root and SM2
//! signature with the platform's public key. A payload changed by one byte, a row deleted or
//! inserted behind the platform's back, a head altered — each is named, the first one first.

use super::heads::timestamp_ms;
use super::leaves::{batch_leaf, record_leaf};
use crate::error::ServiceResult;
use crate::platform::Platform;
use crate::trail::trail_leaf;
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use xinrong_core::ids;
use xinrong_ledger::{Frontier, Hash, sm3};
use xinrong_store::repo::ledger::LeafRow;
use xinrong_store::repo::tree_heads::{self, VerificationRow};
use xinrong_store::repo::{batches, ledger, trail};

#[derive(Debug, Clone, Serialize)]
pub struct LedgerStatus {
    pub size: u64,
    pub root: String,
    pub ok: bool,
    /// Signed heads checked.
    pub heads_checked: u64,
    /// The first problem found, in Chinese.
    pub first_problem: Option<String>,
    /// Each problem found, in Chinese, in ledger order.
    pub problems: Vec<String>,
}

/// Problems keyed by where in the ledger they are, so the first one is named first.
#[derive(Default)]
struct Problems(Vec<(u64, String)>);

impl Problems {
    fn at(&mut self, position: u64, message: String) {
        self.0.push((position, message));
    }

    fn into_sorted(mut self) -> Vec<String> {
        self.0.sort_by_key(|(p, _)| *p); // stable: one position keeps its order
        self.0.into_iter().map(|(_, m)| m).collect()
    }
}

pub async fn verify(platform: &Platform) -> ServiceResult<LedgerStatus> {
    let conn = &platform.db.conn;
    let leaves = ledger::all(conn).await?;
    let batches = batches::all(conn).await?;
    let heads = tree_heads::all(conn).await?;
    let trail_rows = trail::by_leaf_range(conn, 0, i64::MAX).await?;
    let mut problems = Problems::default();
    let trail_by_id: HashMap<&str, &trail::TrailRow> =
        trail_rows.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut trail_leaves: HashSet<&str> = HashSet::new();

    let batch_by_id: HashMap<&str, &batches::BatchRow> =
        batches.iter().map(|b| (b.id.as_str(), b)).collect();
    let mut batch_leaves: HashSet<&str> = HashSet::new();

    // Leaves in order: each recomputed from the row it names. The tree's right edge is kept as
    // we go, so each signed head is checked at its size in one pass.
    let mut frontier = Frontier::new();
    let mut heads_at = heads.iter().peekable();
    let mut heads_checked = 0u64;
    let public = platform.ledger_key.public_key();
    let key_id = public.key_id().to_hex();
    let mut check_heads = |frontier: &Frontier, problems: &mut Problems| {
        while let Some(head) = heads_at.next_if(|h| h.tree_size as u64 == frontier.size()) {
            heads_checked += 1;
            let size = frontier.size();
            let at = size.saturating_sub(1);
            let root = frontier.root();
            if head.root != root.to_hex() {
                problems.at(at, format!(
                    "签名树头（大小 {size}）的根 {} 与由账本叶子重算的根 {root} 不符（树头或叶子被改动）",
                    head.root
                ));
            }
            if head.key_id != key_id {
                problems.at(
                    at,
                    format!(
                        "签名树头（大小 {size}）的密钥标识 {} 不是平台公钥 {key_id}",
                        head.key_id
                    ),
                );
            }
            let signature = hex::decode(&head.signature).unwrap_or_default();
            let stored_root = Hash::from_hex(&head.root).unwrap_or(Hash([0; 32]));
            if !public.verify_head(size, &stored_root, timestamp_ms(head.signed_at), &signature) {
                problems.at(
                    at,
                    format!(
                        "签名树头（大小 {size}）的 SM2 签名不能用平台公钥验证（树头被改动或伪造）"
                    ),
                );
            }
            if head.frontier != frontier.to_hex() {
                problems.at(
                    at,
                    format!("签名树头（大小 {size}）存储的右边界与账本叶子不符"),
                );
            }
        }
    };
    check_heads(&frontier, &mut problems);
    for (i, leaf) in leaves.iter().enumerate() {
        let i = i as u64;
        if leaf.leaf_index as u64 != i {
            problems.at(
                i,
                format!(
                    "账本叶子序号不连续：第 {i} 个叶子的序号为 {}（叶子被删除或插入）",
                    leaf.leaf_index
                ),
            );
        }
        let Some(hash) = Hash::from_hex(&leaf.leaf_hash) else {
            problems.at(i, format!("账本叶子 {i} 的哈希无效"));
            frontier.push(Hash([0; 32]));
            check_heads(&frontier, &mut problems);
            continue;
        };
        match leaf.kind.as_str() {
            // Record leaves are checked from the records' side below, a page at a time.
            "record" => {}
            "batch" => match batch_by_id.get(leaf.ref_id.as_str()) {
                None => problems.at(
                    i,
                    format!(
                        "账本叶子 {i} 指向的批次 {} 已不存在（批次被删除）",
                        leaf.ref_id
                    ),
                ),
                Some(batch) if !batch_leaves.insert(batch.id.as_str()) => problems.at(
                    i,
                    format!("批次 {} 在账本中出现两次（叶子 {i} 被插入）", batch.id),
                ),
                Some(batch) if batch_leaf(batch) != hash => problems.at(
                    i,
                    format!("批次 {} 的清单与账本叶子 {i} 不符（批次被改动）", batch.id),
                ),
                Some(_) => {}
            },
            "trail" => match trail_by_id.get(leaf.ref_id.as_str()) {
                None => problems.at(
                    i,
                    format!(
                        "账本叶子 {i} 指向的留痕 {} 已不存在（留痕被删除）",
                        leaf.ref_id
                    ),
                ),
                Some(entry) if !trail_leaves.insert(entry.id.as_str()) => problems.at(
                    i,
                    format!("留痕 {} 在账本中出现两次（叶子 {i} 被插入）", entry.id),
                ),
                Some(entry) if entry.leaf_index as u64 != i || trail_leaf(entry) != hash => {
                    problems.at(
                        i,
                        format!("留痕 {} 与账本叶子 {i} 不符（留痕被改动）", entry.id),
                    )
                }
                Some(_) => {}
            },
            other => problems.at(i, format!("账本叶子 {i} 的类型 {other} 未知")),
        }
        frontier.push(hash);
        check_heads(&frontier, &mut problems);
    }
    let size = frontier.size();
    for head in heads_at {
        problems.at(
            head.tree_size as u64,
            format!(
                "签名树头（大小 {}）超出账本现有叶子数 {size}（叶子被删除）",
                head.tree_size
            ),
        );
    }
    let signed = heads.last().map_or(0, |h| h.tree_size as u64);
    if signed < size {
        problems.at(
            signed,
            format!(
                "账本叶子 {signed}–{} 不在任何签名树头之内（叶子被绕过平台插入）",
                size - 1
            ),
        );
    }
    check_records(conn, &leaves, &mut problems).await?;
    // Batches no leaf names were written behind the platform's back.
    for batch in &batches {
        if !batch_leaves.contains(batch.id.as_str()) {
            problems.at(
                batch.first_leaf.max(0) as u64,
                format!("批次 {} 不在账本中（批次被绕过平台插入）", batch.id),
            );
        }
    }
    for entry in &trail_rows {
        if !trail_leaves.contains(entry.id.as_str()) {
            problems.at(
                entry.leaf_index.max(0) as u64,
                format!("留痕 {} 不在账本中（留痕被绕过平台插入）", entry.id),
            );
        }
    }
    let problems = problems.into_sorted();
    Ok(LedgerStatus {
        size,
        root: frontier.root().to_hex(),
        ok: problems.is_empty(),
        heads_checked,
        first_problem: problems.first().cloned(),
        problems,
    })
}

/// Reads the record store a page at a time: each record's content against its digest, its leaf
/// recomputed against the stored leaf; a record no leaf names was inserted behind the
/// platform's back, a record leaf no record answers was deleted or rewritten.
async fn check_records(
    conn: &impl xinrong_store::ConnectionTrait,
    leaves: &[LeafRow],
    problems: &mut Problems,
) -> ServiceResult<()> {
    let mut seen = vec![false; leaves.len()];
    let mut after: Option<String> = None;
    loop {
        let page = tree_heads::records_after(conn, after.as_deref(), 2_000).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for record in &page {
            let at = record.ledger_index.max(0) as u64;
            let leaf = usize::try_from(record.ledger_index)
                .ok()
                .and_then(|i| leaves.get(i))
                .filter(|l| l.kind == "record" && l.ref_id == record.id);
            let Some(leaf) = leaf else {
                problems.at(
                    at,
                    format!("记录 {} 不在账本中（记录被绕过平台插入）", record.id),
                );
                continue;
            };
            seen[at as usize] = true;
            if sm3(&[record.payload.as_bytes()]).to_hex() != record.content_hash {
                problems.at(
                    at,
                    format!(
                        "记录 {}（账本叶子 {at}）的内容与其摘要不符（内容被改动）",
                        record.id
                    ),
                );
            }
            let expected = record_leaf(
                &record.item_key,
                &record.subject,
                &record.natural_key_hash,
                record.version,
                &record.content_hash,
            );
            if expected.to_hex() != leaf.leaf_hash {
                problems.at(
                    at,
                    format!("记录 {} 与账本叶子 {at} 不符（记录被改动）", record.id),
                );
            }
        }
    }
    let unseen: Vec<(u64, String)> = leaves
        .iter()
        .enumerate()
        .filter(|(i, l)| l.kind == "record" && !seen[*i])
        .map(|(i, l)| (i as u64, l.ref_id.clone()))
        .collect();
    if unseen.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = unseen.iter().map(|(_, id)| id.clone()).collect();
    let existing: HashSet<String> = tree_heads::existing_records(conn, &ids)
        .await?
        .into_iter()
        .collect();
    for (i, id) in unseen {
        if existing.contains(&id) {
            problems.at(
                i,
                format!("账本叶子 {i} 指向的记录 {id} 已被改动（其账本序号不再指向该叶子）"),
            );
        } else {
            problems.at(
                i,
                format!("账本叶子 {i} 指向的记录 {id} 已不存在（记录被删除）"),
            );
        }
    }
    Ok(())
}

/// A verification as recorded, for the operator's ledger page.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub checked_at: NaiveDateTime,
    pub ok: bool,
    pub size: u64,
    pub root: String,
    pub heads_checked: u64,
    pub problem_count: u64,
    pub first_problem: Option<String>,
}

impl From<VerificationRow> for Verification {
    fn from(row: VerificationRow) -> Self {
        Verification {
            checked_at: row.checked_at,
            ok: row.ok,
            size: row.tree_size as u64,
            root: row.root,
            heads_checked: row.heads_checked as u64,
            problem_count: row.problem_count as u64,
            first_problem: row.first_problem,
        }
    }
}

/// Verifies and records the outcome.
pub async fn verify_and_record(platform: &Platform) -> ServiceResult<LedgerStatus> {
    let status = verify(platform).await?;
    tree_heads::record_verification(
        &platform.db.conn,
        VerificationRow {
            id: ids::new_id().to_string(),
            checked_at: platform.clock.now_naive(),
            ok: status.ok,
            tree_size: status.size as i64,
            root: status.root.clone(),
            heads_checked: status.heads_checked as i64,
            problem_count: status.problems.len() as i64,
            first_problem: status.first_problem.clone(),
        },
    )
    .await?;
    Ok(status)
}

pub async fn last_verification(platform: &Platform) -> ServiceResult<Option<Verification>> {
    Ok(tree_heads::last_verification(&platform.db.conn)
        .await?
        .map(Verification::from))
}
