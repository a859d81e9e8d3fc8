//! 接口管理 (connectors) for the operator: every provider's query-API connector with its live
//! state — breaker, calls, failures, cache hits — and a form to add or change one.

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::identity::{self, Principal};
use xinrong_services::pull::{self, Connector, ConnectorChange, ConnectorSettings};

#[derive(Template)]
#[template(path = "connectors.html")]
struct ConnectorsPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    connectors: Vec<Connector>,
    /// (id, name) of every provider.
    providers: Vec<(String, String)>,
    /// The provider whose settings fill the form.
    selected: String,
    form: ConnectorSettings,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct Selection {
    org: Option<String>,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    selected: String,
    notice: Option<&'static str>,
    error: Option<ServiceError>,
) -> Response {
    let loaded = async {
        let connectors = pull::list_connectors(&state.platform).await?;
        let providers = identity::list_organizations(&state.platform, Some(Role::Provider)).await?;
        Ok::<_, ServiceError>((connectors, providers))
    }
    .await;
    let (connectors, providers) = match loaded {
        Ok(v) => v,
        Err(err) => return PageError::new(err, lang, "/connectors".into()).into_response(),
    };
    let form = connectors
        .iter()
        .find(|c| c.org_id == selected)
        .map(|c| c.settings.clone())
        .unwrap_or_else(|| ConnectorSettings::new(""));
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &ConnectorsPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            connectors,
            providers: providers.into_iter().map(|o| (o.id, o.name)).collect(),
            selected,
            form,
            notice,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(q): Query<Selection>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    page(
        &state,
        &caller,
        lang,
        &csrf,
        q.org.unwrap_or_default(),
        None,
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct SetForm {
    org: String,
    base_url: String,
    timeout_ms: String,
    retries: String,
    max_concurrency: String,
    rate_per_minute: String,
    cache_ttl_seconds: String,
    breaker_threshold: String,
    breaker_cooldown_seconds: String,
    enabled: Option<String>,
}

fn number(text: &str, label: &str) -> Result<u32, ServiceError> {
    text.trim().parse().map_err(|_| {
        ServiceError::invalid(
            "connector.range",
            format!("{label}应为非负整数，收到“{}”", text.trim()),
        )
    })
}

impl SetForm {
    fn change(&self) -> Result<ConnectorChange, ServiceError> {
        Ok(ConnectorChange {
            base_url: Some(self.base_url.trim().to_owned()),
            timeout_ms: Some(number(&self.timeout_ms, "超时（毫秒）")?),
            retries: Some(number(&self.retries, "重试次数")?),
            max_concurrency: Some(number(&self.max_concurrency, "并发上限")?),
            rate_per_minute: Some(number(&self.rate_per_minute, "每分钟调用上限")?),
            cache_ttl_seconds: Some(number(&self.cache_ttl_seconds, "缓存时长（秒）")?),
            breaker_threshold: Some(number(&self.breaker_threshold, "熔断阈值")?),
            breaker_cooldown_seconds: Some(number(
                &self.breaker_cooldown_seconds,
                "熔断冷却（秒）",
            )?),
            enabled: Some(self.enabled.as_deref() == Some("true")),
        })
    }
}

pub async fn set(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(form): Form<SetForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let result = async {
        let change = form.change()?;
        pull::set_connector(&state.platform, form.org.trim(), change).await
    }
    .await;
    match result {
        Ok(c) => {
            page(
                &state,
                &caller,
                lang,
                &csrf,
                c.org_id,
                Some("conn.saved"),
                None,
            )
            .await
        }
        Err(err) => page(&state, &caller, lang, &csrf, form.org, None, Some(err)).await,
    }
}
