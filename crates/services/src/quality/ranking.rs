//! The operator's view: every provider ranked by its overall score (综合得分).

use super::report::{self, ProviderSummary, shanghai};
use crate::{Platform, ServiceResult};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::HashMap;
use xinrong_core::role::Role;

/// One provider's place in the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankedProvider {
    /// 1 for the best score; providers that never sent a batch share the last rank.
    pub rank: usize,
    #[serde(flatten)]
    pub summary: ProviderSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranking {
    /// Asia/Shanghai.
    pub generated_at: DateTime<FixedOffset>,
    pub providers: Vec<RankedProvider>,
}

/// Scored providers first, best first (ties by validity, then name); then the unscored ones.
pub(crate) fn rank(mut summaries: Vec<ProviderSummary>) -> Vec<RankedProvider> {
    summaries.sort_by(|a, b| {
        b.score_bp
            .cmp(&a.score_bp)
            .then_with(|| b.validity_bp.cmp(&a.validity_bp))
            .then_with(|| a.provider_name.cmp(&b.provider_name))
            .then_with(|| a.provider_org_id.cmp(&b.provider_org_id))
    });
    let scored = summaries.iter().filter(|s| s.score_bp.is_some()).count();
    summaries
        .into_iter()
        .enumerate()
        .map(|(i, summary)| RankedProvider {
            rank: if summary.score_bp.is_some() {
                i + 1
            } else {
                scored + 1
            },
            summary,
        })
        .collect()
}

/// Every provider organisation, ranked.
pub(crate) async fn load(platform: &Platform) -> ServiceResult<Ranking> {
    let conn = &platform.db.conn;
    let now = platform.clock.now_naive();
    let providers =
        xinrong_store::repo::organizations::list(conn, Some(Role::Provider.code())).await?;
    let stats = xinrong_store::repo::batches::quality_stats(conn, None).await?;
    let usage = super::usage::usage_by_item(platform, None, now).await?;
    let mut by_provider: HashMap<&str, Vec<xinrong_store::repo::batches::BatchStat>> =
        HashMap::new();
    for s in &stats {
        by_provider
            .entry(s.provider_org_id.as_str())
            .or_default()
            .push(s.clone());
    }
    let mut summaries = Vec::with_capacity(providers.len());
    for org in &providers {
        let granted = xinrong_store::repo::provider_items::items_of(conn, &org.id).await?;
        let own = by_provider.get(org.id.as_str()).map_or(&[][..], |v| v);
        summaries.push(report::build(&org.id, &org.name, &granted, own, &usage, now).summary);
    }
    Ok(Ranking {
        generated_at: shanghai(now),
        providers: rank(summaries),
    })
}
