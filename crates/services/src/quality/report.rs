//! 数据质量报告 of one provider: per item completeness, validity, duplicates, freshness against
//! the expected update frequency, the error trend of recent batches and how the data was used.

use super::metrics::{self, Direction, Freshness, ScoreParts};
use super::usage::Usage;
use crate::{Platform, ServiceResult};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use xinrong_core::catalog::UpdateFrequency;
use xinrong_store::repo::batches::BatchStat;

/// The error trend shows this many of an item's latest batches.
pub const TREND_BATCHES: usize = 10;

/// Times are stored in UTC and shown in Asia/Shanghai (UTC+8, no daylight saving).
pub fn shanghai(at: NaiveDateTime) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    at.and_utc().with_timezone(&offset)
}

/// One batch in an error trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    pub batch_id: String,
    /// Received at, Asia/Shanghai.
    pub at: DateTime<FixedOffset>,
    pub received: i64,
    pub rejected: i64,
    /// Rejected share of the batch.
    pub rejected_bp: Option<u32>,
}

/// Row and cell counts summed over batches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub batches: i64,
    pub rows_received: i64,
    pub rows_accepted: i64,
    pub rows_rejected: i64,
    pub rows_duplicate: i64,
    pub cells_filled: i64,
    pub cells_total: i64,
}

impl Counts {
    fn add(&mut self, b: &BatchStat) {
        self.batches += 1;
        self.rows_received += i64::from(b.rows_total);
        self.rows_rejected += i64::from(b.rows_rejected);
        self.rows_accepted += i64::from(b.rows_total - b.rows_rejected);
        self.rows_duplicate += i64::from(b.rows_duplicate);
        self.cells_filled += b.cells_filled;
        self.cells_total += b.cells_total;
    }

    fn merge(&mut self, o: &Counts) {
        self.batches += o.batches;
        self.rows_received += o.rows_received;
        self.rows_accepted += o.rows_accepted;
        self.rows_rejected += o.rows_rejected;
        self.rows_duplicate += o.rows_duplicate;
        self.cells_filled += o.cells_filled;
        self.cells_total += o.cells_total;
    }

    /// 完整率: filled catalogue cells over all cells of the accepted rows.
    pub fn completeness_bp(&self) -> Option<u32> {
        metrics::bp(self.cells_filled, self.cells_total)
    }

    /// 有效率: accepted rows over received rows.
    pub fn validity_bp(&self) -> Option<u32> {
        metrics::bp(self.rows_accepted, self.rows_received)
    }

    /// 重复率: rows repeating a natural key of the same batch over received rows.
    pub fn duplicate_bp(&self) -> Option<u32> {
        metrics::bp(self.rows_duplicate, self.rows_received)
    }
}

/// The quality of one provider's data of one item, over every batch it sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemQuality {
    pub item_key: String,
    pub item_label: String,
    pub update_frequency: UpdateFrequency,
    pub update_frequency_label: &'static str,
    #[serde(flatten)]
    pub counts: Counts,
    pub completeness_bp: Option<u32>,
    pub validity_bp: Option<u32>,
    pub duplicate_bp: Option<u32>,
    /// The last batch, Asia/Shanghai.
    pub last_batch_at: Option<DateTime<FixedOffset>>,
    /// Whole days since the last batch.
    pub age_days: Option<i64>,
    pub freshness: Freshness,
    pub freshness_label: &'static str,
    /// Rejected share of the latest batches, oldest first.
    pub trend: Vec<TrendPoint>,
    pub trend_direction: Direction,
    pub trend_label: &'static str,
    pub usage: Usage,
}

/// The headline numbers of one provider (also its row in the operator's ranking).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderSummary {
    pub provider_org_id: String,
    pub provider_name: String,
    /// 综合得分 (see [`metrics::score`]); `None` until the provider sends a batch.
    pub score_bp: Option<u32>,
    #[serde(flatten)]
    pub counts: Counts,
    pub completeness_bp: Option<u32>,
    pub validity_bp: Option<u32>,
    pub duplicate_bp: Option<u32>,
    /// Mean timeliness credit of the items with a schedule.
    pub timeliness_bp: Option<u32>,
    pub items: usize,
    pub items_fresh: usize,
    pub items_due: usize,
    pub items_overdue: usize,
    pub items_never: usize,
    pub reads_30d: i64,
    pub reads_total: i64,
}

/// A provider's full report: its summary, every item and its usage by institution kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderQuality {
    /// When the report was computed, Asia/Shanghai.
    pub generated_at: DateTime<FixedOffset>,
    pub summary: ProviderSummary,
    pub items: Vec<ItemQuality>,
    pub usage: Usage,
}

/// Builds a provider's report from its grants, its batches (oldest first) and its reads.
pub(crate) fn build(
    org_id: &str,
    org_name: &str,
    granted: &[String],
    stats: &[BatchStat],
    usage: &BTreeMap<(String, String), Usage>,
    now: NaiveDateTime,
) -> ProviderQuality {
    let catalog = crate::catalog::current();
    let mut keys: BTreeSet<&str> = granted.iter().map(String::as_str).collect();
    keys.extend(stats.iter().map(|b| b.item_key.as_str()));
    let order = |k: &str| {
        catalog
            .items
            .iter()
            .position(|i| i.key == k)
            .unwrap_or(usize::MAX)
    };
    let mut keys: Vec<&str> = keys.into_iter().collect();
    keys.sort_by_key(|k| (order(k), k.to_string()));

    let mut total = Counts::default();
    let mut provider_usage = Usage::default();
    let mut credits = Vec::new();
    let mut items = Vec::new();
    for key in keys {
        let item = catalog.item(key);
        let frequency = item.map_or(UpdateFrequency::OnChange, |i| i.update_frequency);
        let batches: Vec<&BatchStat> = stats.iter().filter(|b| b.item_key == key).collect();
        let mut counts = Counts::default();
        for b in &batches {
            counts.add(b);
        }
        total.merge(&counts);
        let last = batches.last().map(|b| b.created_at);
        let freshness = metrics::freshness(frequency, last, now);
        credits.extend(freshness.credit_bp());
        let trend: Vec<TrendPoint> = batches[batches.len().saturating_sub(TREND_BATCHES)..]
            .iter()
            .map(|b| TrendPoint {
                batch_id: b.id.clone(),
                at: shanghai(b.created_at),
                received: i64::from(b.rows_total),
                rejected: i64::from(b.rows_rejected),
                rejected_bp: metrics::bp(i64::from(b.rows_rejected), i64::from(b.rows_total)),
            })
            .collect();
        let shares: Vec<u32> = trend.iter().filter_map(|p| p.rejected_bp).collect();
        let direction = metrics::direction(&shares);
        let item_usage = usage
            .get(&(org_id.to_owned(), key.to_owned()))
            .cloned()
            .unwrap_or_default();
        for k in &item_usage.by_kind {
            provider_usage.add(&k.reader_kind, k.reads_30d, k.reads_total);
        }
        items.push(ItemQuality {
            item_key: key.to_owned(),
            item_label: item.map_or_else(|| key.to_owned(), |i| i.label.clone()),
            update_frequency: frequency,
            update_frequency_label: frequency.label_zh(),
            completeness_bp: counts.completeness_bp(),
            validity_bp: counts.validity_bp(),
            duplicate_bp: counts.duplicate_bp(),
            counts,
            last_batch_at: last.map(shanghai),
            age_days: last.map(|l| (now - l).num_days()),
            freshness,
            freshness_label: freshness.label_zh(),
            trend,
            trend_direction: direction,
            trend_label: direction.label_zh(),
            usage: item_usage,
        });
    }
    // Reads of items the provider no longer answers for still count for the provider.
    for ((p, k), u) in usage {
        if p == org_id && !items.iter().any(|i| &i.item_key == k) {
            for kind in &u.by_kind {
                provider_usage.add(&kind.reader_kind, kind.reads_30d, kind.reads_total);
            }
        }
    }
    provider_usage.sort();

    let timeliness_bp = if credits.is_empty() {
        None
    } else {
        Some((credits.iter().map(|&c| u64::from(c)).sum::<u64>() / credits.len() as u64) as u32)
    };
    let count = |f: Freshness| items.iter().filter(|i| i.freshness == f).count();
    let summary = ProviderSummary {
        provider_org_id: org_id.to_owned(),
        provider_name: org_name.to_owned(),
        score_bp: metrics::score(ScoreParts {
            validity_bp: total.validity_bp(),
            completeness_bp: total.completeness_bp(),
            duplicate_bp: total.duplicate_bp(),
            timeliness_bp,
        }),
        completeness_bp: total.completeness_bp(),
        validity_bp: total.validity_bp(),
        duplicate_bp: total.duplicate_bp(),
        counts: total,
        timeliness_bp,
        items: items.len(),
        items_fresh: count(Freshness::Fresh),
        items_due: count(Freshness::Due),
        items_overdue: count(Freshness::Overdue),
        items_never: items.iter().filter(|i| i.counts.batches == 0).count(),
        reads_30d: provider_usage.reads_30d,
        reads_total: provider_usage.reads_total,
    };
    ProviderQuality {
        generated_at: shanghai(now),
        summary,
        items,
        usage: provider_usage,
    }
}

/// The report of one provider, loaded from the database.
pub(crate) async fn load(
    platform: &Platform,
    org_id: &str,
    org_name: &str,
) -> ServiceResult<ProviderQuality> {
    let conn = &platform.db.conn;
    let now = platform.clock.now_naive();
    let granted = xinrong_store::repo::provider_items::items_of(conn, org_id).await?;
    let stats = xinrong_store::repo::batches::quality_stats(conn, Some(org_id)).await?;
    let usage = super::usage::usage_by_item(platform, Some(org_id), now).await?;
    Ok(build(org_id, org_name, &granted, &stats, &usage, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day)
            .unwrap()
            .and_hms_opt(2, 0, 0)
            .unwrap()
    }

    fn batch(id: &str, item: &str, total: i32, rejected: i32, dup: i32, day: u32) -> BatchStat {
        BatchStat {
            id: id.into(),
            provider_org_id: "p".into(),
            item_key: item.into(),
            rows_total: total,
            rows_rejected: rejected,
            rows_duplicate: dup,
            cells_filled: i64::from(total - rejected) * 3,
            cells_total: i64::from(total - rejected) * 5,
            created_at: t(day),
        }
    }

    #[test]
    fn a_report_sums_batches_and_lists_granted_items() {
        let stats = [
            batch("a", "tax.tax_arrears", 10, 2, 1, 1),
            batch("b", "tax.tax_arrears", 10, 0, 0, 3),
        ];
        let granted = [
            "tax.tax_credit_rating".to_owned(),
            "tax.tax_arrears".to_owned(),
        ];
        let mut usage = BTreeMap::new();
        let mut u = Usage::default();
        u.add("bank", 2, 3);
        usage.insert(("p".to_owned(), "tax.tax_arrears".to_owned()), u.clone());
        usage.insert(("p".to_owned(), "tax.tax_deferral".to_owned()), u);
        let q = build("p", "某局", &granted, &stats, &usage, t(4));
        // Catalogue order: the rating comes before arrears.
        let keys: Vec<&str> = q.items.iter().map(|i| i.item_key.as_str()).collect();
        assert_eq!(keys, ["tax.tax_credit_rating", "tax.tax_arrears"]);
        let arrears = &q.items[1];
        assert_eq!(arrears.validity_bp, Some(9_000));
        assert_eq!(arrears.duplicate_bp, Some(500));
        assert_eq!(arrears.completeness_bp, Some(6_000));
        assert_eq!(arrears.freshness, Freshness::Fresh);
        assert_eq!(arrears.age_days, Some(1));
        assert_eq!(arrears.trend_direction, Direction::Improving);
        assert_eq!(
            arrears.last_batch_at.unwrap().to_rfc3339(),
            "2026-03-03T10:00:00+08:00"
        );
        assert_eq!(q.items[0].freshness, Freshness::None);
        // Reads of an item no longer granted still count for the provider.
        assert_eq!((q.usage.reads_30d, q.usage.reads_total), (4, 6));
        // Timeliness: one of two scheduled items fresh.
        assert_eq!(q.summary.timeliness_bp, Some(5_000));
        assert_eq!(q.summary.items_never, 1);
    }

    #[test]
    fn unscored_providers_share_the_last_rank() {
        let mut summaries = Vec::new();
        for (id, score) in [
            ("a", None),
            ("b", Some(7_000)),
            ("c", Some(9_000)),
            ("d", None),
        ] {
            let mut s = build(id, id, &[], &[], &BTreeMap::new(), t(1)).summary;
            s.score_bp = score;
            summaries.push(s);
        }
        let ranked = super::super::ranking::rank(summaries);
        let order: Vec<(&str, usize)> = ranked
            .iter()
            .map(|r| (r.summary.provider_org_id.as_str(), r.rank))
            .collect();
        assert_eq!(order, [("c", 1), ("b", 2), ("a", 3), ("d", 3)]);
    }
}
