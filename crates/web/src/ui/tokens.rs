//! The API token page: create (the secret is shown once), list, revoke.

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use xinrong_services::ServiceError;
use xinrong_services::identity::{self, ApiTokenInfo, Principal};

pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: String,
    pub revoked: bool,
}

/// Times are stored in UTC and shown in Asia/Shanghai.
pub(super) fn shanghai(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| {
        t.with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    })
    .unwrap_or_else(|| "—".to_owned())
}

impl From<ApiTokenInfo> for TokenRow {
    fn from(t: ApiTokenInfo) -> Self {
        TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: shanghai(Some(t.created_at)),
            expires_at: shanghai(t.expires_at),
            last_used_at: shanghai(t.last_used_at),
            revoked: t.revoked_at.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    tokens: Vec<TokenRow>,
    created: Option<String>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    created: Option<String>,
    error: Option<ServiceError>,
) -> Response {
    let tokens = match identity::list_tokens(&state.platform, &caller.principal).await {
        Ok(t) => t,
        Err(err) => return PageError::new(err, lang, "/tokens".to_owned()).into_response(),
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &TokensPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            tokens: tokens.into_iter().map(TokenRow::from).collect(),
            created,
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
) -> Response {
    page(
        &state,
        &caller,
        Lang::from_headers(&headers),
        &csrf,
        None,
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct CreateForm {
    name: String,
    days: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(form): Form<CreateForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let days = match form
        .days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => Ok(None),
        Some(d) => d
            .parse::<u32>()
            .map(Some)
            .map_err(|_| ServiceError::invalid("token.days", "有效天数须为正整数")),
    };
    let result = match days {
        Ok(days) => {
            identity::create_token(&state.platform, &caller.principal, &form.name, days).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => page(&state, &caller, lang, &csrf, Some(created.token), None).await,
        Err(err) => page(&state, &caller, lang, &csrf, None, Some(err)).await,
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    match identity::revoke_token(&state.platform, &caller.principal, &id).await {
        Ok(()) => Redirect::to("/tokens").into_response(),
        Err(err) => {
            PageError::new(err, Lang::from_headers(&headers), "/tokens".to_owned()).into_response()
        }
    }
}
