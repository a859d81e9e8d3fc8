//! Login, logout and the language switch.

use super::{render, safe_next};
use crate::auth::{Caller, Credential, SESSION_COOKIE};
use crate::csrf::CsrfToken;
use crate::i18n::{LANG_COOKIE, Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;
use xinrong_services::{ServiceError, identity};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    tr: Tr,
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

pub async fn form(
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<NextParam>,
) -> Response {
    render(&LoginPage {
        tr: Tr(Lang::from_headers(&headers)),
        csrf: csrf.0,
        next: safe_next(q.next.as_deref().unwrap_or("/")),
        username: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let next = safe_next(form.next.as_deref().unwrap_or("/"));
    match identity::login(&state.platform, &form.username, &form.password).await {
        Ok(outcome) => {
            let cookie = Cookie::build((SESSION_COOKIE, outcome.session_token))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(state.secure_cookies)
                .max_age(time_from(identity::SESSION_TTL))
                .build();
            (jar.add(cookie), Redirect::to(&next)).into_response()
        }
        Err(err) => {
            let status = crate::error::status_of(&err);
            let message = match &err {
                ServiceError::Store(_) => err.public_message(),
                other => other.to_string(),
            };
            let page = LoginPage {
                tr: Tr(lang),
                csrf: csrf.0,
                next,
                username: form.username,
                error: Some(message),
            };
            (status, render(&page)).into_response()
        }
    }
}

fn time_from(d: chrono::Duration) -> time::Duration {
    time::Duration::seconds(d.num_seconds())
}

pub async fn logout(State(state): State<AppState>, jar: CookieJar, caller: Caller) -> Response {
    if let Credential::Session(token) = &caller.credential
        && let Err(err) = identity::logout(&state.platform, token).await
    {
        return crate::error::ApiError(err).into_response();
    }
    let removal = Cookie::build((SESSION_COOKIE, "")).path("/").build();
    (jar.remove(removal), Redirect::to("/login")).into_response()
}

pub async fn switch_language(
    Path(code): Path<String>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    let value = if code == "en" { "en" } else { "zh" };
    let cookie = Cookie::build((LANG_COOKIE, value))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(365))
        .build();
    // Back to the page the switch was clicked on, when it is ours.
    let back = headers
        .get(axum::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .map(|u| {
            safe_next(&format!(
                "{}{}",
                u.path(),
                u.query().map(|q| format!("?{q}")).unwrap_or_default()
            ))
        })
        .unwrap_or_else(|| "/".to_owned());
    (jar.add(cookie), Redirect::to(&back)).into_response()
}
