//! 数据质量 and 数据使用情况: a provider reads its own report; the operator and government read
//! any provider's and the ranking of all. Ratios are integer basis points (10000 = 100 %) next
//! to the counts they come from; times are Asia/Shanghai.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use xinrong_services::quality::{
    self, ItemQuality, KindReads, ProviderQuality, ProviderSummary, RankedProvider, Ranking,
    TrendPoint, Usage,
};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QualityParams {
    /// The provider's organisation ID or USCC: required for operator and government, and if
    /// given by a provider it must be its own.
    pub provider: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KindReadsView {
    /// Reader kind: an institution kind (bank, guarantor, insurer, credit_agency) or a role code.
    pub reader_kind: String,
    pub label: String,
    pub reads_30d: i64,
    pub reads_total: i64,
}

/// 数据使用情况: how often the data was read, in the last 30 days and all time.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UsageView {
    pub reads_30d: i64,
    pub reads_total: i64,
    pub by_kind: Vec<KindReadsView>,
}

impl From<Usage> for UsageView {
    fn from(u: Usage) -> Self {
        UsageView {
            reads_30d: u.reads_30d,
            reads_total: u.reads_total,
            by_kind: u
                .by_kind
                .into_iter()
                .map(|k: KindReads| KindReadsView {
                    reader_kind: k.reader_kind,
                    label: k.label,
                    reads_30d: k.reads_30d,
                    reads_total: k.reads_total,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TrendPointView {
    pub batch_id: String,
    pub at: DateTime<FixedOffset>,
    pub received: i64,
    pub rejected: i64,
    pub rejected_bp: Option<u32>,
}

impl From<TrendPoint> for TrendPointView {
    fn from(p: TrendPoint) -> Self {
        TrendPointView {
            batch_id: p.batch_id,
            at: p.at,
            received: p.received,
            rejected: p.rejected,
            rejected_bp: p.rejected_bp,
        }
    }
}

/// One item of one provider, over every batch it sent.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemQualityView {
    pub item_key: String,
    pub item_label: String,
    /// daily, weekly, monthly, quarterly, yearly or on_change.
    pub update_frequency: String,
    pub update_frequency_label: String,
    pub batches: i64,
    pub rows_received: i64,
    pub rows_accepted: i64,
    pub rows_rejected: i64,
    pub rows_duplicate: i64,
    pub cells_filled: i64,
    pub cells_total: i64,
    /// 完整率: cells_filled / cells_total.
    pub completeness_bp: Option<u32>,
    /// 有效率: rows_accepted / rows_received.
    pub validity_bp: Option<u32>,
    /// 重复率: rows_duplicate / rows_received.
    pub duplicate_bp: Option<u32>,
    pub last_batch_at: Option<DateTime<FixedOffset>>,
    pub age_days: Option<i64>,
    /// fresh, due, overdue, on_change (not judged by age) or none (nothing sent yet).
    pub freshness: String,
    pub freshness_label: String,
    /// Rejected share of the latest batches, oldest first.
    pub trend: Vec<TrendPointView>,
    /// improving, worsening or steady.
    pub trend_direction: String,
    pub trend_label: String,
    pub usage: UsageView,
}

impl From<ItemQuality> for ItemQualityView {
    fn from(i: ItemQuality) -> Self {
        ItemQualityView {
            item_key: i.item_key,
            item_label: i.item_label,
            update_frequency: i.update_frequency.code().to_owned(),
            update_frequency_label: i.update_frequency_label.to_owned(),
            batches: i.counts.batches,
            rows_received: i.counts.rows_received,
            rows_accepted: i.counts.rows_accepted,
            rows_rejected: i.counts.rows_rejected,
            rows_duplicate: i.counts.rows_duplicate,
            cells_filled: i.counts.cells_filled,
            cells_total: i.counts.cells_total,
            completeness_bp: i.completeness_bp,
            validity_bp: i.validity_bp,
            duplicate_bp: i.duplicate_bp,
            last_batch_at: i.last_batch_at,
            age_days: i.age_days,
            freshness: i.freshness.code().to_owned(),
            freshness_label: i.freshness_label.to_owned(),
            trend: i.trend.into_iter().map(Into::into).collect(),
            trend_direction: i.trend_direction.code().to_owned(),
            trend_label: i.trend_label.to_owned(),
            usage: i.usage.into(),
        }
    }
}

/// A provider's headline numbers; in the ranking, with its rank.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProviderSummaryView {
    /// Place in the ranking (ranking only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    pub provider_org_id: String,
    pub provider_name: String,
    /// 综合得分 = 40 % validity + 30 % completeness + 10 % (100 % − duplicate rate) + 20 %
    /// timeliness; null until the provider sends a batch.
    pub score_bp: Option<u32>,
    pub batches: i64,
    pub rows_received: i64,
    pub rows_accepted: i64,
    pub rows_rejected: i64,
    pub rows_duplicate: i64,
    pub cells_filled: i64,
    pub cells_total: i64,
    pub completeness_bp: Option<u32>,
    pub validity_bp: Option<u32>,
    pub duplicate_bp: Option<u32>,
    /// Mean over items with a schedule: fresh 100 %, due 50 %, overdue or never sent 0 %.
    pub timeliness_bp: Option<u32>,
    pub items: usize,
    pub items_fresh: usize,
    pub items_due: usize,
    pub items_overdue: usize,
    pub items_never: usize,
    pub reads_30d: i64,
    pub reads_total: i64,
}

fn summary_view(rank: Option<usize>, s: ProviderSummary) -> ProviderSummaryView {
    ProviderSummaryView {
        rank,
        provider_org_id: s.provider_org_id,
        provider_name: s.provider_name,
        score_bp: s.score_bp,
        batches: s.counts.batches,
        rows_received: s.counts.rows_received,
        rows_accepted: s.counts.rows_accepted,
        rows_rejected: s.counts.rows_rejected,
        rows_duplicate: s.counts.rows_duplicate,
        cells_filled: s.counts.cells_filled,
        cells_total: s.counts.cells_total,
        completeness_bp: s.completeness_bp,
        validity_bp: s.validity_bp,
        duplicate_bp: s.duplicate_bp,
        timeliness_bp: s.timeliness_bp,
        items: s.items,
        items_fresh: s.items_fresh,
        items_due: s.items_due,
        items_overdue: s.items_overdue,
        items_never: s.items_never,
        reads_30d: s.reads_30d,
        reads_total: s.reads_total,
    }
}

/// One provider's data quality report.
#[derive(Serialize, utoipa::ToSchema)]
pub struct QualityView {
    pub generated_at: DateTime<FixedOffset>,
    pub summary: ProviderSummaryView,
    pub items: Vec<ItemQualityView>,
    pub usage: UsageView,
}

impl From<ProviderQuality> for QualityView {
    fn from(q: ProviderQuality) -> Self {
        QualityView {
            generated_at: q.generated_at,
            summary: summary_view(None, q.summary),
            items: q.items.into_iter().map(Into::into).collect(),
            usage: q.usage.into(),
        }
    }
}

/// Every provider, best overall score first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RankingView {
    pub generated_at: DateTime<FixedOffset>,
    pub providers: Vec<ProviderSummaryView>,
}

impl From<Ranking> for RankingView {
    fn from(r: Ranking) -> Self {
        RankingView {
            generated_at: r.generated_at,
            providers: r
                .providers
                .into_iter()
                .map(|p: RankedProvider| summary_view(Some(p.rank), p.summary))
                .collect(),
        }
    }
}

/// A provider's data quality (数据质量) per item and the use of its data (数据使用情况).
#[utoipa::path(
    get,
    path = "/api/v1/quality",
    tag = "quality",
    security(("bearer" = []), ("session" = [])),
    params(QualityParams),
    responses(
        (status = 200, body = QualityView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<QualityParams>,
) -> Result<Json<QualityView>, ApiError> {
    let report = quality::provider_quality(
        &state.platform,
        &caller.principal,
        params.provider.as_deref(),
    )
    .await?;
    Ok(Json(report.into()))
}

/// Every data provider ranked by its overall quality score (operator and government).
#[utoipa::path(
    get,
    path = "/api/v1/quality/providers",
    tag = "quality",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = RankingView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn providers(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<RankingView>, ApiError> {
    let ranking = quality::provider_ranking(&state.platform, &caller.principal).await?;
    Ok(Json(ranking.into()))
}
