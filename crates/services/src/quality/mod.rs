//! 数据质量 (data quality) and 反馈数据使用情况 (usage feedback), per provider and item.
//!
//! From the counts every batch records (received, rejected, natural-key duplicates, filled
//! catalogue cells) and the reads in `data_reads`:
//! - 完整率 completeness = filled cells / all field cells of the accepted rows;
//! - 有效率 validity = accepted rows / received rows;
//! - 重复率 duplicate rate = rows repeating a natural key within their batch / received rows;
//! - 时效 freshness = age of the last batch against the item's 更新频率 (fresh within one
//!   period, due within half a period more, then overdue; `on_change` items are never overdue);
//! - 错误趋势 error trend = rejected share of each of the last [`TREND_BATCHES`] batches, oldest
//!   first, with a direction;
//! - 使用情况 usage = reads in the last 30 days and all time, by reader kind.
//!
//! Ratios are integer basis points next to their counts (see [`metrics`]). A provider sees its
//! own report only; the operator (and government, read-only) sees every provider ranked by the
//! overall score [`metrics::score`].

pub mod metrics;
pub mod ranking;
pub mod report;
pub mod usage;

pub use metrics::{Direction, Freshness};
pub use ranking::{RankedProvider, Ranking};
pub use report::{ItemQuality, ProviderQuality, ProviderSummary, TREND_BATCHES, TrendPoint};
pub use usage::{DataRead, KindReads, Usage, record_read};

use crate::identity::Principal;
use crate::{Platform, ServiceError, ServiceResult};
use xinrong_core::role::Role;

/// Roles that see every provider.
const OVERSEERS: &[Role] = &[Role::Operator, Role::Government];

/// The quality report of one provider: a provider gets its own (naming another is refused);
/// the operator and government name the provider they want.
pub async fn provider_quality(
    platform: &Platform,
    actor: &Principal,
    provider: Option<&str>,
) -> ServiceResult<ProviderQuality> {
    match actor.role {
        Role::Provider => match provider {
            Some(p) if p != actor.org_id => Err(ServiceError::Forbidden),
            _ => report::load(platform, &actor.org_id, &actor.org_name).await,
        },
        r if OVERSEERS.contains(&r) => match provider {
            Some(p) => report_of(platform, p).await,
            None => Err(ServiceError::invalid(
                "quality.provider",
                "请指定数据提供单位（provider）",
            )),
        },
        _ => Err(ServiceError::Forbidden),
    }
}

/// Every provider ranked; operator and government only.
pub async fn provider_ranking(platform: &Platform, actor: &Principal) -> ServiceResult<Ranking> {
    actor.require(OVERSEERS)?;
    ranking::load(platform).await
}

/// The report of a provider named by ID or USCC, for the operator's CLI (which has the
/// database and so every right).
pub async fn report_of(platform: &Platform, provider: &str) -> ServiceResult<ProviderQuality> {
    let org =
        xinrong_store::repo::organizations::list(&platform.db.conn, Some(Role::Provider.code()))
            .await?
            .into_iter()
            .find(|o| o.id == provider || o.uscc.as_deref() == Some(provider))
            .ok_or(ServiceError::NotFound("数据提供单位"))?;
    report::load(platform, &org.id, &org.name).await
}

/// Every provider ranked, for the operator's CLI.
pub async fn ranking_all(platform: &Platform) -> ServiceResult<Ranking> {
    ranking::load(platform).await
}
