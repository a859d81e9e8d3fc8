//! 数据质量 pages: a provider sees its own items (completeness, validity, duplicates, freshness,
//! the error trend of recent batches as a small bar list, and who read its data); the operator
//! and government see every provider ranked and can open any provider's report.

use super::{Page, render};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::identity::Principal;
use xinrong_services::quality::{
    self, ItemQuality, ProviderQuality, RankedProvider, TrendPoint, Usage,
};

/// Who opens `/quality`: a provider gets its report, the others the ranking.
pub const READERS: &[Role] = &[Role::Provider, Role::Operator, Role::Government];
/// Who sees every provider.
pub const OVERSEERS: &[Role] = &[Role::Operator, Role::Government];

/// A ratio in basis points as a percentage with two decimals, exactly: 8000 → "80.00%".
pub fn pct(bp: &Option<u32>) -> String {
    match bp {
        Some(bp) => format!("{}.{:02}%", bp / 100, bp % 100),
        None => "—".to_owned(),
    }
}

/// One bar of the inline error trend.
pub struct Bar {
    /// Height in pixels, 2–24: a batch without rejections still shows as a stub.
    pub height: u32,
    pub title: String,
    pub rejected_bp: u32,
}

fn bars(trend: &[TrendPoint]) -> Vec<Bar> {
    trend
        .iter()
        .map(|p| {
            let share = p.rejected_bp.unwrap_or(0);
            Bar {
                height: 2 + share * 22 / 10_000,
                title: format!(
                    "{} · {}/{} · {}",
                    p.at.format("%Y-%m-%d %H:%M"),
                    p.rejected,
                    p.received,
                    pct(&p.rejected_bp)
                ),
                rejected_bp: share,
            }
        })
        .collect()
}

/// An item row as the template shows it.
pub struct ItemRow {
    pub item: ItemQuality,
    pub bars: Vec<Bar>,
    pub last: String,
}

#[derive(Template)]
#[template(path = "quality.html")]
struct ReportPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    report: ProviderQuality,
    rows: Vec<ItemRow>,
    usage: Usage,
    /// Shown to the operator and government above a provider's report.
    back_to_ranking: bool,
}

#[derive(Template)]
#[template(path = "quality_ranking.html")]
struct RankingPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    generated_at: String,
    sort: String,
    providers: Vec<RankedProvider>,
}

/// A translated label for a code (`quality.fresh.due`, `kind.bank` …), or the service's Chinese
/// label when there is no translation.
fn dyn_label(tr: &Tr, prefix: &str, code: &str, fallback: &str) -> String {
    match tr.t(&format!("{prefix}.{code}")) {
        "??" => fallback.to_owned(),
        text => text.to_owned(),
    }
}

impl ReportPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        dyn_label(&self.tr, prefix, code, fallback)
    }
}

fn report_page(
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    report: ProviderQuality,
    back_to_ranking: bool,
) -> Response {
    let layout = Page::new(caller, lang, csrf);
    let rows = report
        .items
        .iter()
        .map(|i| ItemRow {
            bars: bars(&i.trend),
            last: i
                .last_batch_at
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|| "—".to_owned()),
            item: i.clone(),
        })
        .collect();
    render(&ReportPage {
        tr: layout.tr,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
        usage: report.usage.clone(),
        report,
        rows,
        back_to_ranking,
    })
}

#[derive(Deserialize)]
pub struct RankingParams {
    /// score (default), validity, completeness, duplicate, timeliness or reads.
    pub sort: Option<String>,
}

fn sort_ranking(providers: &mut [RankedProvider], key: &str) {
    let by = |p: &RankedProvider| -> (bool, i64) {
        let s = &p.summary;
        let v = match key {
            "validity" => s.validity_bp.map(i64::from),
            "completeness" => s.completeness_bp.map(i64::from),
            // Fewer duplicates is better: sort the rate ascending.
            "duplicate" => s.duplicate_bp.map(|d| -i64::from(d)),
            "timeliness" => s.timeliness_bp.map(i64::from),
            "reads" => Some(s.reads_30d),
            _ => s.score_bp.map(i64::from),
        };
        (v.is_some(), v.unwrap_or(0))
    };
    providers.sort_by(|a, b| by(b).cmp(&by(a)).then_with(|| a.rank.cmp(&b.rank)));
}

/// `/quality`: the provider's own report, or the ranking for operator and government.
pub async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<RankingParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let p = &caller.principal;
    if p.role == Role::Provider {
        return match quality::provider_quality(&state.platform, p, None).await {
            Ok(report) => report_page(&caller, lang, &csrf, report, false),
            Err(err) => PageError::new(err, lang, "/quality".into()).into_response(),
        };
    }
    match quality::provider_ranking(&state.platform, p).await {
        Ok(ranking) => {
            let sort = match params.sort.as_deref() {
                Some(s @ ("validity" | "completeness" | "duplicate" | "timeliness" | "reads")) => {
                    s.to_owned()
                }
                _ => "score".to_owned(),
            };
            let mut providers = ranking.providers;
            sort_ranking(&mut providers, &sort);
            let layout = Page::new(&caller, lang, &csrf);
            render(&RankingPage {
                tr: layout.tr,
                principal: layout.principal,
                csrf: layout.csrf,
                show_enterprises: layout.show_enterprises,
                generated_at: ranking.generated_at.format("%Y-%m-%d %H:%M").to_string(),
                sort,
                providers,
            })
        }
        Err(err) => PageError::new(err, lang, "/quality".into()).into_response(),
    }
}

/// `/quality/providers/{id}`: one provider's report, for the operator and government.
pub async fn provider(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let path = format!("/quality/providers/{id}");
    if !OVERSEERS.contains(&caller.principal.role) {
        return PageError::new(ServiceError::Forbidden, lang, path).into_response();
    }
    match quality::provider_quality(&state.platform, &caller.principal, Some(&id)).await {
        Ok(report) => report_page(&caller, lang, &csrf, report, true),
        Err(err) => PageError::new(err, lang, path).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_label_in_both_languages() {
        use xinrong_core::catalog::UpdateFrequency;
        use xinrong_services::quality::{Direction, Freshness};
        for lang in [Lang::Zh, Lang::En] {
            let tr = Tr(lang);
            let mut keys: Vec<String> = UpdateFrequency::ALL
                .iter()
                .map(|f| format!("quality.freq.{}", f.code()))
                .collect();
            for f in [
                Freshness::Fresh,
                Freshness::Due,
                Freshness::Overdue,
                Freshness::OnChange,
                Freshness::None,
            ] {
                keys.push(format!("quality.fresh.{}", f.code()));
            }
            for d in [
                Direction::Improving,
                Direction::Worsening,
                Direction::Steady,
            ] {
                keys.push(format!("quality.dir.{}", d.code()));
            }
            for key in keys {
                assert_ne!(tr.t(&key), "??", "{key}");
            }
        }
        assert_eq!(dyn_label(&Tr(Lang::En), "kind", "bank", "银行"), "Bank");
        assert_eq!(
            dyn_label(&Tr(Lang::En), "kind", "guarantee", "融资担保机构"),
            "融资担保机构"
        );
    }

    #[test]
    fn percentages_are_exact() {
        assert_eq!(pct(&Some(8_000)), "80.00%");
        assert_eq!(pct(&Some(6_667)), "66.67%");
        assert_eq!(pct(&Some(5)), "0.05%");
        assert_eq!(pct(&None), "—");
    }
}
