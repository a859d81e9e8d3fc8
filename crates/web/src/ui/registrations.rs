//! 企业注册审核 (operator): the queue of registrations that did not match the held data, with
//! the licence scan, approve and reject.

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use xinrong_services::ServiceError;
use xinrong_services::identity::Principal;
use xinrong_services::registration::{self, RegistrationView};

pub struct Row {
    pub r: RegistrationView,
    pub created_at: String,
    pub decided_at: String,
    pub status_key: &'static str,
}

impl From<RegistrationView> for Row {
    fn from(r: RegistrationView) -> Self {
        Row {
            created_at: super::tokens::shanghai(Some(r.created_at)),
            decided_at: super::tokens::shanghai(r.decided_at),
            status_key: super::register::status_key(&r.status),
            r,
        }
    }
}

#[derive(Template)]
#[template(path = "registrations.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    status: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "registrations_detail.html")]
struct DetailPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    row: Row,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct ListParams {
    status: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(q): Query<ListParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    // The queue by default: what waits for a decision.
    let status = q.status.unwrap_or_else(|| "pending".to_owned());
    let filter = (!status.is_empty() && status != "all").then_some(status.as_str());
    let rows = match registration::list(&state.platform, &caller.principal, filter).await {
        Ok(rows) => rows,
        Err(err) => return PageError::new(err, lang, "/registrations".into()).into_response(),
    };
    let layout = Page::new(&caller, lang, &csrf);
    render_outcome(
        &ListPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            status,
            rows: rows.into_iter().map(Row::from).collect(),
        },
        None,
    )
}

async fn detail_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    id: &str,
    error: Option<ServiceError>,
) -> Response {
    let row = match registration::get(&state.platform, &caller.principal, id).await {
        Ok(r) => r,
        Err(err) => {
            return PageError::new(err, lang, format!("/registrations/{id}")).into_response();
        }
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &DetailPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            row: row.into(),
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

pub async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    detail_page(
        &state,
        &caller,
        Lang::from_headers(&headers),
        &csrf,
        &id,
        None,
    )
    .await
}

pub async fn approve(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    match registration::approve(&state.platform, &caller.principal, &id).await {
        Ok(_) => Redirect::to(&format!("/registrations/{id}")).into_response(),
        Err(err) => {
            detail_page(
                &state,
                &caller,
                Lang::from_headers(&headers),
                &csrf,
                &id,
                Some(err),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct RejectForm {
    reason: String,
}

pub async fn reject(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<RejectForm>,
) -> Response {
    match registration::reject(&state.platform, &caller.principal, &id, &form.reason).await {
        Ok(_) => Redirect::to(&format!("/registrations/{id}")).into_response(),
        Err(err) => {
            detail_page(
                &state,
                &caller,
                Lang::from_headers(&headers),
                &csrf,
                &id,
                Some(err),
            )
            .await
        }
    }
}

pub async fn licence(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    match crate::api::registrations::licence_response(&state, &caller, &id).await {
        Ok(r) => r,
        Err(err) => PageError::new(
            err,
            Lang::from_headers(&headers),
            format!("/registrations/{id}"),
        )
        .into_response(),
    }
}

/// The operator's review pages.
pub(super) fn routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
) -> axum::Router<AppState> {
    use crate::access::Access;
    use axum::http::Method;
    use axum::routing::{get, post};
    let op = Access::Roles(super::OPERATOR);
    let r = super::page(registry, r, Method::GET, "/registrations", op, get(list));
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/registrations/{id}",
        op,
        get(detail),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/registrations/{id}/licence",
        op,
        get(licence),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/registrations/{id}/approve",
        op,
        post(approve),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/registrations/{id}/reject",
        op,
        post(reject),
    )
}
