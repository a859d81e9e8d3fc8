//! The enterprise list page: search, district and industry filters, paging. With htmx the
//! filters refresh only the results; without JavaScript the same URL renders the whole page.

use super::{Page, render};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use xinrong_core::codes::industry::industries;
use xinrong_core::codes::region::regions;
use xinrong_core::money::Fen;
use xinrong_core::role::Role;
use xinrong_services::enterprises::{self, EnterpriseQuery, SearchPage, region_prefix};
use xinrong_services::identity::Principal;

#[derive(Template)]
#[template(path = "enterprises.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    q: String,
    region: String,
    industry: String,
    region_options: Vec<(String, String)>,
    industry_options: Vec<(String, String)>,
    page: SearchPage,
}

#[derive(Template)]
#[template(path = "enterprise_rows.html")]
struct Rows {
    tr: Tr,
    q: String,
    region: String,
    industry: String,
    page: SearchPage,
}

/// Shared by both templates through `self::`.
trait Paging {
    fn filters(&self) -> (&str, &str, &str);
    fn query_for(&self, page: u64) -> String {
        let (q, region, industry) = self.filters();
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("q", q)
            .append_pair("region", region)
            .append_pair("industry", industry)
            .append_pair("page", &page.to_string())
            .finish()
    }
}

fn wan_yuan(fen: i64) -> String {
    Fen(fen).display_wan_yuan()
}

impl Paging for ListPage {
    fn filters(&self) -> (&str, &str, &str) {
        (&self.q, &self.region, &self.industry)
    }
}

impl Paging for Rows {
    fn filters(&self) -> (&str, &str, &str) {
        (&self.q, &self.region, &self.industry)
    }
}

impl ListPage {
    fn page_query(&self, page: u64) -> String {
        self.query_for(page)
    }
    fn wan_yuan(&self, fen: &i64) -> String {
        wan_yuan(*fen)
    }
}

impl Rows {
    fn page_query(&self, page: u64) -> String {
        self.query_for(page)
    }
    fn wan_yuan(&self, fen: &i64) -> String {
        wan_yuan(*fen)
    }
}

/// Districts the principal may filter by: its jurisdiction's counties (government), or the
/// counties of the cities that have enterprises (operator: the demo city's, in practice).
fn region_options(principal: &Principal) -> Vec<(String, String)> {
    let scope = match principal.role {
        Role::Government => principal.region_code.clone().unwrap_or_default(),
        _ => principal
            .region_code
            .clone()
            .unwrap_or_else(|| "410100".to_owned()),
    };
    let prefix = region_prefix(&scope);
    regions()
        .counties_of(&prefix)
        .into_iter()
        .map(|r| (r.code.to_string(), r.name.to_string()))
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(query): Query<EnterpriseQuery>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let page = match enterprises::search(&state.platform, &caller.principal, &query).await {
        Ok(page) => page,
        Err(err) => return PageError::new(err, lang, "/enterprises".to_owned()).into_response(),
    };
    let q = query.q.clone().unwrap_or_default();
    let region = query.region.clone().unwrap_or_default();
    let industry = query.industry.clone().unwrap_or_default();
    if headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request") {
        return render(&Rows {
            tr: Tr(lang),
            q,
            region,
            industry,
            page,
        });
    }
    let layout = Page::new(&caller, lang, &csrf);
    let industry_options = industries()
        .sections()
        .map(|s| (s.code.to_string(), s.name.to_string()))
        .collect();
    render(&ListPage {
        region_options: region_options(&layout.principal),
        industry_options,
        tr: layout.tr,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
        principal: layout.principal,
        q,
        region,
        industry,
        page,
    })
}
