//! 应付账款 pages: an enterprise's payables in two tabs — to confirm (it is the debtor) and
//! declared by it or owed to it (it is the supplier) — with the declare / register form and the
//! confirm, dispute, settle and cancel actions; an institution's list of payables attached to
//! applications addressed to it; and the HTML fragment `GET /applications/{id}/payables` that
//! the application page loads with htmx (the list, plus an attach form for the applicant).

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
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use xinrong_core::money::Fen;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::payables::{
    self, ApplicationPayables, AttachedPayable, NewPayable, PayableView, Side,
};
use xinrong_services::identity::Principal;

/// Who opens `/payables`.
pub const READERS: &[Role] = &[Role::Enterprise, Role::Institution, Role::Operator];
/// Who writes.
pub const ENTERPRISE: &[Role] = &[Role::Enterprise];

/// Adds this resource's pages, each guarded through [`super::page`].
pub(super) fn routes(registry: &mut Registry, r: Router<AppState>) -> Router<AppState> {
    let readers = Access::Roles(READERS);
    let ent = Access::Roles(ENTERPRISE);
    let r = super::page(registry, r, Method::GET, "/payables", readers, get(list));
    let r = super::page(registry, r, Method::POST, "/payables", ent, post(declare));
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/payables/{id}/{action}",
        ent,
        post(act),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/applications/{id}/payables",
        readers,
        get(fragment),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/applications/{id}/payables",
        ent,
        post(attach),
    )
}

fn label(tr: &Tr, prefix: &str, code: &str, fallback: &str) -> String {
    super::objections::label(tr, prefix, code, fallback)
}

#[derive(Template)]
#[template(path = "payables.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    /// `debtor` (to confirm) or `supplier` (declared by me / owed to me); `all` for the operator.
    tab: String,
    rows: Vec<PayableView>,
    /// Institution: payables attached to applications addressed to it (application ID first).
    attached: Vec<(String, AttachedPayable)>,
    my_uscc: String,
    error: Option<String>,
    form: DeclareForm,
}

impl ListPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        label(&self.tr, prefix, code, fallback)
    }
}

#[derive(Deserialize)]
pub struct ListParams {
    pub tab: Option<String>,
}

/// The declare / register form.
#[derive(Deserialize, Default, Clone)]
pub struct DeclareForm {
    /// `supplier` (I am owed: declare) or `debtor` (I owe: register, confirmed at once).
    #[serde(default)]
    pub my_side: String,
    #[serde(default)]
    pub counterparty_uscc: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub due_on: String,
    /// One per line (or separated by commas).
    #[serde(default)]
    pub invoices: String,
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    tab: Option<String>,
    form: DeclareForm,
    error: Option<ServiceError>,
) -> Response {
    let p = &caller.principal;
    let (tab, rows, attached) = match p.role {
        Role::Institution => match payables::for_institution(&state.platform, p).await {
            Ok(a) => ("attached".to_owned(), Vec::new(), a),
            Err(err) => return PageError::new(err, lang, "/payables".into()).into_response(),
        },
        Role::Operator => match payables::list(&state.platform, p, Side::Any, None).await {
            Ok(r) => ("all".to_owned(), r, Vec::new()),
            Err(err) => return PageError::new(err, lang, "/payables".into()).into_response(),
        },
        _ => {
            let tab = match tab.as_deref() {
                Some("supplier") => "supplier",
                _ => "debtor",
            };
            let side = if tab == "supplier" {
                Side::AsSupplier
            } else {
                Side::AsDebtor
            };
            match payables::list(&state.platform, p, side, None).await {
                Ok(r) => (tab.to_owned(), r, Vec::new()),
                Err(err) => return PageError::new(err, lang, "/payables".into()).into_response(),
            }
        }
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &ListPage {
            tr: layout.tr,
            my_uscc: layout.principal.org_uscc.clone().unwrap_or_default(),
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            tab,
            rows,
            attached,
            error: error.as_ref().map(|e| e.public_message()),
            form,
        },
        error.as_ref(),
    )
}

/// `/payables?tab=debtor|supplier`.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let form = DeclareForm {
        my_side: "supplier".into(),
        ..DeclareForm::default()
    };
    list_page(&state, &caller, lang, &csrf, params.tab, form, None).await
}

fn parse_form(p: &Principal, form: &DeclareForm) -> Result<NewPayable, ServiceError> {
    let me = p.org_uscc.clone().unwrap_or_default();
    let other = form.counterparty_uscc.trim().to_uppercase();
    let (debtor_uscc, supplier_uscc) = if form.my_side == "debtor" {
        (me, other)
    } else {
        (other, me)
    };
    let amount = Fen::parse_yuan(&form.amount.trim().replace([',', '，'], ""))
        .map(|f| f.0)
        .ok_or_else(|| ServiceError::invalid("payable.amount", "金额须为元，最多两位小数"))?;
    let due_on = NaiveDate::parse_from_str(form.due_on.trim(), "%Y-%m-%d")
        .map_err(|_| ServiceError::invalid("payable.due_on", "到期日须为日期，如 2027-03-31"))?;
    let invoice_refs = form
        .invoices
        .split(['\n', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(NewPayable {
        debtor_uscc,
        supplier_uscc,
        amount_fen: amount,
        due_on,
        invoice_refs,
    })
}

/// `POST /payables`: declare (as supplier) or register (as debtor).
pub async fn declare(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(form): Form<DeclareForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let p = &caller.principal;
    let done = match parse_form(p, &form) {
        Ok(new) => payables::declare(&state.platform, p, new).await,
        Err(e) => Err(e),
    };
    let tab = if form.my_side == "debtor" {
        "debtor"
    } else {
        "supplier"
    };
    match done {
        Ok(v) => Redirect::to(&format!("/payables?tab={tab}#p-{}", v.id)).into_response(),
        Err(err) => {
            list_page(
                &state,
                &caller,
                lang,
                &csrf,
                Some(tab.into()),
                form,
                Some(err),
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ActForm {
    #[serde(default)]
    pub text: String,
}

/// `POST /payables/{id}/{action}`: confirm, dispute, settle or cancel.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ActForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let (platform, p) = (&state.platform, &caller.principal);
    let (done, tab) = match action.as_str() {
        "confirm" => (payables::confirm(platform, p, &id).await, "debtor"),
        "dispute" => (
            payables::dispute(platform, p, &id, &form.text).await,
            "debtor",
        ),
        "settle" => (payables::settle(platform, p, &id).await, "debtor"),
        "cancel" => (payables::cancel(platform, p, &id).await, "supplier"),
        _ => (Err(ServiceError::NotFound("操作")), "debtor"),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/payables?tab={tab}#p-{id}")).into_response(),
        Err(err) => {
            let form = DeclareForm {
                my_side: "supplier".into(),
                ..DeclareForm::default()
            };
            list_page(
                &state,
                &caller,
                lang,
                &csrf,
                Some(tab.into()),
                form,
                Some(err),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "payables_fragment.html")]
struct Fragment {
    tr: Tr,
    csrf: String,
    a: ApplicationPayables,
    error: Option<String>,
}

impl Fragment {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        label(&self.tr, prefix, code, fallback)
    }
}

fn fragment_response(
    tr: Tr,
    csrf: &CsrfToken,
    found: Result<ApplicationPayables, ServiceError>,
    error: Option<ServiceError>,
) -> Response {
    match found {
        Ok(a) => render_outcome(
            &Fragment {
                tr,
                csrf: csrf.0.clone(),
                a,
                error: error.as_ref().map(|e| e.public_message()),
            },
            error.as_ref(),
        ),
        Err(err) => {
            // A fragment: a short message in place, not a whole error page.
            let status = crate::error::status_of(&err);
            let message: String = err
                .public_message()
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#39;".to_owned(),
                    c => c.to_string(),
                })
                .collect();
            let html = format!("<p class=\"alert\" role=\"alert\">{message}</p>");
            (status, Html(html)).into_response()
        }
    }
}

/// `GET /applications/{id}/payables`: the HTML fragment the application page loads (htmx).
pub async fn fragment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let found = payables::for_application(&state.platform, &caller.principal, &id).await;
    fragment_response(Tr(lang), &csrf, found, None)
}

#[derive(Deserialize, Default)]
pub struct AttachForm {
    #[serde(default)]
    pub payable_id: String,
}

/// `POST /applications/{id}/payables`: the applicant attaches a confirmed payable; back to the
/// application page (htmx requests get the fragment back).
pub async fn attach(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<AttachForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let htmx = headers.contains_key("hx-request");
    let (platform, p) = (&state.platform, &caller.principal);
    match payables::attach(platform, p, &id, &form.payable_id).await {
        Ok(a) if htmx => fragment_response(Tr(lang), &csrf, Ok(a), None),
        Ok(_) => Redirect::to(&format!("/applications/{id}#payables")).into_response(),
        Err(err) if htmx => {
            let found = payables::for_application(platform, p, &id).await;
            fragment_response(Tr(lang), &csrf, found, Some(err))
        }
        Err(err) => PageError::new(err, lang, format!("/applications/{id}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xinrong_core::finance::payable::status;

    #[test]
    fn every_status_has_a_label_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let tr = Tr(lang);
            for s in status::ALL {
                assert_ne!(tr.t(&format!("payables.st.{s}")), "??", "{s}");
            }
        }
        assert_eq!(
            Tr(Lang::Zh).t("payables.confirmed_by_core"),
            payables::CONFIRMED_LABEL
        );
    }
}
