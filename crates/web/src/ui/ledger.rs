//! 防篡改账本 page: the latest signed tree head and the platform's public key for every
//! logged-in role; the last verification (账本核验) and a button to run one for the operator.

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::identity::Principal;
use xinrong_services::ledger::{self, LedgerStatus, PublicKeyInfo, SignedHead, Verification};

/// A time stored in UTC, shown in Asia/Shanghai to the second.
fn shanghai(t: chrono::NaiveDateTime) -> String {
    t.and_utc()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

pub struct HeadRow {
    pub size: u64,
    pub root: String,
    pub signed_at: String,
    pub signature: String,
    pub key_id: String,
}

impl From<SignedHead> for HeadRow {
    fn from(h: SignedHead) -> Self {
        HeadRow {
            size: h.tree_size,
            root: h.root,
            signed_at: shanghai(h.signed_at),
            signature: h.signature,
            key_id: h.key_id,
        }
    }
}

pub struct CheckRow {
    pub checked_at: String,
    pub ok: bool,
    pub size: u64,
    pub root: String,
    pub heads_checked: u64,
    pub problem_count: u64,
    pub first_problem: String,
}

impl From<Verification> for CheckRow {
    fn from(v: Verification) -> Self {
        CheckRow {
            checked_at: shanghai(v.checked_at),
            ok: v.ok,
            size: v.size,
            root: v.root,
            heads_checked: v.heads_checked,
            problem_count: v.problem_count,
            first_problem: v.first_problem.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    head: Option<HeadRow>,
    key: PublicKeyInfo,
    is_operator: bool,
    check: Option<CheckRow>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    error: Option<ServiceError>,
) -> Response {
    let p = &state.platform;
    let is_operator = caller.principal.role == Role::Operator;
    let head = ledger::latest_head(p).await;
    let check = if is_operator {
        ledger::last_verification(p).await
    } else {
        Ok(None)
    };
    let (head, check, error) = match (head, check, error) {
        (Ok(h), Ok(c), e) => (h, c, e),
        (Err(e), _, _) | (_, Err(e), _) => (None, None, Some(e)),
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &LedgerPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            head: head.map(HeadRow::from),
            key: ledger::public_key(p),
            is_operator,
            check: check.map(CheckRow::from),
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    page(&state, &caller, Lang::from_headers(&headers), &csrf, None).await
}

/// Runs a verification now (operator) and shows the page with its outcome.
pub async fn verify(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let outcome: Result<LedgerStatus, ServiceError> =
        ledger::verify_and_record(&state.platform).await;
    if let Ok(status) = &outcome
        && !status.ok
    {
        tracing::warn!(problems = status.problems.len(), first = ?status.first_problem,
            "ledger verification found mismatches");
    }
    page(
        &state,
        &caller,
        Lang::from_headers(&headers),
        &csrf,
        outcome.err(),
    )
    .await
}
