//! 收件箱: the user's own messages; mark one or all read (htmx swaps the row and refreshes the
//! unread badge in the navigation; without JavaScript the forms post and come back here).

use super::{Page, render, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use xinrong_services::ServiceError;
use xinrong_services::identity::Principal;
use xinrong_services::notifications::inbox::{self, InboxMessage};

/// Tells the badge to refresh itself (`hx-trigger="inbox-changed from:body"`).
const CHANGED: (&str, &str) = ("HX-Trigger", "inbox-changed");

pub struct MessageRow {
    pub m: InboxMessage,
    pub created_at: String,
    /// Only same-site paths are linked.
    pub link: Option<String>,
}

impl From<InboxMessage> for MessageRow {
    fn from(m: InboxMessage) -> Self {
        MessageRow {
            created_at: super::tokens::shanghai(Some(m.created_at)),
            link: m
                .link
                .as_deref()
                .filter(|l| l.starts_with('/') && !l.starts_with("//"))
                .map(str::to_owned),
            m,
        }
    }
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    unread: u64,
    rows: Vec<MessageRow>,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "inbox_row.html")]
struct RowFragment {
    tr: Tr,
    csrf: String,
    row: MessageRow,
}

#[derive(Template)]
#[template(path = "inbox_badge.html")]
struct Badge {
    tr: Tr,
    unread: u64,
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

pub async fn index(
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

async fn page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    email: Option<String>,
    error: Option<ServiceError>,
) -> Response {
    let email = match email {
        Some(e) => e,
        None => inbox::contact(&state.platform, &caller.principal)
            .await
            .ok()
            .and_then(|c| c.email)
            .unwrap_or_default(),
    };
    let listed = inbox::list(&state.platform, &caller.principal, false).await;
    let unread = inbox::unread_count(&state.platform, &caller.principal).await;
    let (rows, unread) = match (listed, unread) {
        (Ok(r), Ok(u)) => (r, u),
        (Err(err), _) | (_, Err(err)) => {
            return PageError::new(err, lang, "/inbox".into()).into_response();
        }
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &InboxPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            unread,
            rows: rows.into_iter().map(MessageRow::from).collect(),
            email,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

#[derive(serde::Deserialize)]
pub struct ContactForm {
    email: String,
}

/// Sets the address outbound notices are e-mailed to.
pub async fn set_contact(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    axum::Form(form): axum::Form<ContactForm>,
) -> Response {
    match inbox::set_email(&state.platform, &caller.principal, Some(&form.email)).await {
        Ok(_) => Redirect::to("/inbox").into_response(),
        Err(err) => {
            let lang = Lang::from_headers(&headers);
            page(&state, &caller, lang, &csrf, Some(form.email), Some(err)).await
        }
    }
}

/// The unread count for the navigation badge (empty when nothing is unread).
pub async fn badge(State(state): State<AppState>, headers: HeaderMap, caller: Caller) -> Response {
    let unread = inbox::unread_count(&state.platform, &caller.principal)
        .await
        .unwrap_or(0);
    render(&Badge {
        tr: Tr(Lang::from_headers(&headers)),
        unread,
    })
}

pub async fn read(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match inbox::mark_read(&state.platform, &caller.principal, &id).await {
        Ok(m) if is_htmx(&headers) => {
            let mut response = render(&RowFragment {
                tr: Tr(lang),
                csrf: csrf.0,
                row: m.into(),
            });
            if let Ok(v) = CHANGED.1.parse() {
                response.headers_mut().insert(CHANGED.0, v);
            }
            response
        }
        Ok(_) => Redirect::to("/inbox").into_response(),
        Err(err) => PageError::new(err, lang, "/inbox".into()).into_response(),
    }
}

pub async fn read_all(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
) -> Response {
    match inbox::mark_all_read(&state.platform, &caller.principal).await {
        Ok(_) => Redirect::to("/inbox").into_response(),
        Err(err) => {
            PageError::new(err, Lang::from_headers(&headers), "/inbox".into()).into_response()
        }
    }
}

/// Every user's inbox pages.
pub(super) fn routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
) -> axum::Router<AppState> {
    use crate::access::{ALL_ROLES, Access};
    use axum::http::Method;
    use axum::routing::{get, post};
    let all = Access::Roles(ALL_ROLES);
    let r = super::page(registry, r, Method::GET, "/inbox", all, get(index));
    let r = super::page(registry, r, Method::GET, "/inbox/badge", all, get(badge));
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/inbox/read-all",
        all,
        post(read_all),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/inbox/contact",
        all,
        post(set_contact),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/inbox/{id}/read",
        all,
        post(read),
    )
}
