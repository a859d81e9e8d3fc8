//! What each leaf commits to (叶子内容). A leaf is `SM3(0x00 ‖ text)` where the text names its
//! kind and lists the row's fields one per line, so verification can recompute it from the row.

use chrono::{NaiveDateTime, Timelike};
use xinrong_ledger::{Hash, leaf_hash};
use xinrong_store::repo::batches::BatchRow;

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

/// A timestamp as every backend stores it: whole seconds (MySQL `DATETIME` keeps no fraction).
/// Times that go into a leaf or a signed head are cut to this before they are stored.
pub fn whole_seconds(at: NaiveDateTime) -> NaiveDateTime {
    at.with_nanosecond(0).expect("zero nanoseconds is valid")
}

/// The leaf a batch manifest (批次清单) commits to: which file (SM3 of its bytes) of which item
/// from which provider, how it was read, every count, the leaves it wrote and when.
pub fn batch_leaf(batch: &BatchRow) -> Hash {
    let b = batch;
    let text = format!(
        "batch\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        b.id,
        b.kind,
        b.item_key,
        b.provider_org_id,
        b.content_hash,
        b.format,
        b.strict,
        b.catalog_version,
        b.rows_total,
        b.rows_new,
        b.rows_versioned,
        b.rows_unchanged,
        b.rows_rejected,
        b.rows_duplicate,
        b.cells_filled,
        b.cells_total,
        b.first_leaf,
        b.leaf_count,
        whole_seconds(b.created_at).format("%Y-%m-%dT%H:%M:%SZ"),
    );
    leaf_hash(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_batch() -> BatchRow {
        BatchRow {
            id: "0193a000-0000-7000-8000-000000000001".into(),
            item_key: "tax.tax_arrears".into(),
            provider_org_id: "0193a000-0000-7000-8000-0000000000aa".into(),
            content_hash: "ab".repeat(32),
            format: "csv".into(),
            strict: false,
            catalog_version: 1,
            rows_total: 3,
            rows_new: 2,
            rows_versioned: 0,
            rows_unchanged: 0,
            rows_rejected: 1,
            kind: "regular".into(),
            rows_duplicate: 0,
            cells_filled: 10,
            cells_total: 15,
            first_leaf: 0,
            leaf_count: 2,
            created_at: chrono::DateTime::from_timestamp(1_764_032_400, 250_000_000)
                .unwrap()
                .naive_utc(),
        }
    }

    #[test]
    fn every_manifest_field_is_committed_to() {
        let base = sample_batch();
        let leaf = batch_leaf(&base);
        type Change = Box<dyn Fn(&mut BatchRow)>;
        let variants: Vec<Change> = vec![
            Box::new(|b| b.id.push('0')),
            Box::new(|b| b.kind = "correction".into()),
            Box::new(|b| b.item_key.push('x')),
            Box::new(|b| b.provider_org_id.push('x')),
            Box::new(|b| b.content_hash = "cd".repeat(32)),
            Box::new(|b| b.format = "xlsx".into()),
            Box::new(|b| b.strict = true),
            Box::new(|b| b.catalog_version = 2),
            Box::new(|b| b.rows_total += 1),
            Box::new(|b| b.rows_new += 1),
            Box::new(|b| b.rows_versioned += 1),
            Box::new(|b| b.rows_unchanged += 1),
            Box::new(|b| b.rows_rejected += 1),
            Box::new(|b| b.rows_duplicate += 1),
            Box::new(|b| b.cells_filled += 1),
            Box::new(|b| b.cells_total += 1),
            Box::new(|b| b.first_leaf += 1),
            Box::new(|b| b.leaf_count += 1),
            Box::new(|b| b.created_at += chrono::Duration::seconds(1)),
        ];
        for (i, change) in variants.iter().enumerate() {
            let mut b = base.clone();
            change(&mut b);
            assert_ne!(batch_leaf(&b), leaf, "field {i} changes the leaf");
        }
        // The fraction of a second no backend keeps does not.
        let mut b = base.clone();
        b.created_at = whole_seconds(b.created_at);
        assert_eq!(batch_leaf(&b), leaf);
        assert_ne!(
            leaf,
            record_leaf("a", "b", "c", 1, "d"),
            "kinds are separated"
        );
    }
}
