//! The home page of each role.

use super::{Page, render};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use xinrong_core::codes::region::regions;
use xinrong_core::role::Role;
use xinrong_services::enterprises::{self, EnterpriseQuery};
use xinrong_services::platform_stats;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    tr: Tr,
    principal: xinrong_services::identity::Principal,
    csrf: String,
    show_enterprises: bool,
    lead: &'static str,
    region_name: Option<String>,
    stats: Vec<(&'static str, String)>,
}

pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let page = Page::new(&caller, Lang::from_headers(&headers), &csrf);
    let tr = page.tr;
    let role = page.principal.role;
    let lead = tr.t(match role {
        Role::Operator => "home.operator.lead",
        Role::Government => "home.government.lead",
        Role::Provider => "home.provider.lead",
        Role::Institution => "home.institution.lead",
        Role::Enterprise => "home.enterprise.lead",
    });
    let region_name = page
        .principal
        .region_code
        .as_deref()
        .filter(|_| role == Role::Government)
        .map(|code| regions().full_name(code));
    let stats = match role {
        Role::Operator => match platform_stats(&state.platform).await {
            Ok(s) => vec![
                (tr.t("home.enterprises"), s.enterprises.to_string()),
                (tr.t("home.organizations"), s.organizations.to_string()),
                (tr.t("home.users"), s.users.to_string()),
            ],
            Err(err) => return crate::error::ApiError(err).into_response(),
        },
        Role::Government => {
            match enterprises::search(
                &state.platform,
                &page.principal,
                &EnterpriseQuery {
                    per_page: Some(1),
                    ..Default::default()
                },
            )
            .await
            {
                Ok(p) => vec![(tr.t("home.enterprises"), p.total.to_string())],
                Err(err) => return crate::error::ApiError(err).into_response(),
            }
        }
        _ => Vec::new(),
    };
    render(&HomePage {
        tr,
        lead,
        region_name,
        stats,
        show_enterprises: page.show_enterprises,
        csrf: page.csrf,
        principal: page.principal,
    })
}
