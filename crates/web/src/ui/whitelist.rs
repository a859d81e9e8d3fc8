//! 白名单 pages, one per role: the enterprise sees its status and applies; a government unit
//! sees the applications in its jurisdiction and recommends; the operator works the queue
//! (approve, reject with a reason, remove with a reason); an institution sees the list and its
//! recent changes.

use super::{Page, render_outcome};
use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use chrono::Duration;
use serde::Deserialize;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::whitelist::{
    self, ChangeView, EntryStatus, EntryView, WhitelistQuery,
};
use xinrong_services::identity::Principal;

/// Who opens the white-list page (each its own view).
pub const READERS: &[Role] = &[
    Role::Operator,
    Role::Government,
    Role::Institution,
    Role::Enterprise,
];
const APPLICANTS: &[Role] = &[Role::Enterprise];
const DECIDERS: &[Role] = &[Role::Government, Role::Operator];

/// Adds this resource's pages, each guarded through [`super::page`].
pub(super) fn routes(registry: &mut Registry, r: Router<AppState>) -> Router<AppState> {
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/whitelist",
        Access::Roles(READERS),
        get(index),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/whitelist",
        Access::Roles(APPLICANTS),
        post(apply),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/whitelist/{id}/{action}",
        Access::Roles(DECIDERS),
        post(act),
    )
}

#[derive(Template)]
#[template(path = "whitelist.html")]
struct IndexPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    entries: Vec<EntryView>,
    changes: Vec<ChangeView>,
    status: String,
    statuses: Vec<&'static str>,
    /// The enterprise may apply (no open entry).
    can_apply: bool,
    error: Option<String>,
}

impl IndexPage {
    fn status_label(&self, code: &str) -> String {
        let fallback = EntryStatus::parse(code).map_or("未知", EntryStatus::label_zh);
        super::objections::label(&self.tr, "whitelist.st", code, fallback)
    }

    fn action_label(&self, code: &str, fallback: &str) -> String {
        super::objections::label(&self.tr, "whitelist.act", code, fallback)
    }

    fn role(&self) -> &'static str {
        self.principal.role.code()
    }
}

#[derive(Deserialize, Default)]
pub struct IndexParams {
    #[serde(default)]
    pub status: String,
}

async fn index_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    status: String,
    error: Option<&ServiceError>,
) -> Response {
    let p = &caller.principal;
    let platform = &state.platform;
    let q = WhitelistQuery {
        subject: None,
        status: Some(status.clone()).filter(|s| !s.is_empty()),
    };
    let entries = match whitelist::list(platform, p, q).await {
        Ok(e) => e,
        Err(err) => return PageError::new(err, lang, "/whitelist".into()).into_response(),
    };
    let since = platform.clock.now_naive() - Duration::days(30);
    let changes = if p.role == Role::Enterprise {
        Vec::new()
    } else {
        match whitelist::changes(platform, p, Some(since)).await {
            Ok(mut c) => {
                c.reverse();
                c.truncate(50);
                c
            }
            Err(err) => return PageError::new(err, lang, "/whitelist".into()).into_response(),
        }
    };
    let can_apply = p.role == Role::Enterprise
        && !entries
            .iter()
            .any(|e| EntryStatus::parse(&e.status).is_some_and(EntryStatus::is_open));
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &IndexPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            entries,
            changes,
            status,
            statuses: EntryStatus::ALL.iter().map(|s| s.code()).collect(),
            can_apply,
            error: error.map(|e| e.public_message()),
        },
        error,
    )
}

/// `/whitelist`: the caller's view of the white list.
pub async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<IndexParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    index_page(&state, &caller, lang, &csrf, params.status, None).await
}

#[derive(Deserialize, Default)]
pub struct ReasonForm {
    #[serde(default)]
    pub reason: String,
}

/// `POST /whitelist`: the enterprise applies.
pub async fn apply(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(form): Form<ReasonForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match whitelist::apply(&state.platform, &caller.principal, &form.reason).await {
        Ok(_) => Redirect::to("/whitelist").into_response(),
        Err(err) => index_page(&state, &caller, lang, &csrf, String::new(), Some(&err)).await,
    }
}

/// `POST /whitelist/{id}/{recommend|approve|reject|remove}`.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ReasonForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match whitelist::act(
        &state.platform,
        &caller.principal,
        &id,
        &action,
        &form.reason,
    )
    .await
    {
        Ok(_) => Redirect::to("/whitelist").into_response(),
        Err(err) => index_page(&state, &caller, lang, &csrf, String::new(), Some(&err)).await,
    }
}
