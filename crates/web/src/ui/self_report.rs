//! 自愿填报 (enterprise): choose a self-reportable item, fill the form generated from its
//! fields, read the credit commitment in full and sign it; the declared records carry the
//! label 企业自主填报 wherever they are shown.

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use std::collections::BTreeMap;
use xinrong_core::catalog::{FieldType, Item};
use xinrong_services::ServiceError;
use xinrong_services::identity::Principal;
use xinrong_services::self_report::{self, Declared, DeclaredBatch, SelfReport};

pub struct ItemLink {
    pub key: String,
    pub label: String,
}

pub struct DeclaredRow {
    pub d: DeclaredBatch,
    pub created_at: String,
}

#[derive(Template)]
#[template(path = "self_report.html")]
struct IndexPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    items: Vec<ItemLink>,
    declared: Vec<DeclaredRow>,
    label: &'static str,
}

/// One input of the generated form.
pub struct Input {
    pub key: String,
    pub label: String,
    pub required: bool,
    /// `text`, `date` or `month`.
    pub html_type: &'static str,
    pub inputmode: &'static str,
    pub hint: String,
    pub value: String,
    /// The subject field: the enterprise itself, not editable.
    pub fixed: bool,
}

#[derive(Template)]
#[template(path = "self_report_form.html")]
struct FormPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    item_key: String,
    item_label: String,
    inputs: Vec<Input>,
    commitment: &'static str,
    error: Option<String>,
    done: Option<Declared>,
    label: &'static str,
}

pub async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let declared = match self_report::list(&state.platform, &caller.principal).await {
        Ok(d) => d,
        Err(err) => return PageError::new(err, lang, "/self-report".into()).into_response(),
    };
    let layout = Page::new(&caller, lang, &csrf);
    render_outcome(
        &IndexPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            items: self_report::reportable_items()
                .into_iter()
                .map(|i| ItemLink {
                    key: i.key.clone(),
                    label: i.label.clone(),
                })
                .collect(),
            declared: declared
                .into_iter()
                .map(|d| DeclaredRow {
                    created_at: super::tokens::shanghai(Some(d.created_at)),
                    d,
                })
                .collect(),
            label: self_report::LABEL_ZH,
        },
        None,
    )
}

fn inputs(item: &Item, uscc: &str, values: &BTreeMap<String, String>) -> Vec<Input> {
    let subject = &item.subject_fields[0];
    item.fields
        .iter()
        .map(|f| {
            let (html_type, inputmode, hint) = match f.field_type {
                FieldType::Date => ("date", "", "YYYY-MM-DD"),
                FieldType::Month => ("month", "", "YYYY-MM"),
                FieldType::Integer => ("text", "numeric", ""),
                FieldType::Decimal => ("text", "decimal", ""),
                FieldType::Boolean => ("text", "", "是 / 否"),
                _ => ("text", "", ""),
            };
            let fixed = f.key == *subject;
            Input {
                key: f.key.clone(),
                label: f.label.clone(),
                required: f.required,
                html_type,
                inputmode,
                hint: match &f.unit {
                    Some(unit) if unit == "yuan" => "元".to_owned(),
                    Some(unit) if unit == "wan_yuan" => "万元".to_owned(),
                    _ => hint.to_owned(),
                },
                value: if fixed {
                    uscc.to_owned()
                } else {
                    values.get(&f.key).cloned().unwrap_or_default()
                },
                fixed,
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    item: &Item,
    values: &BTreeMap<String, String>,
    error: Option<&ServiceError>,
    done: Option<Declared>,
) -> Response {
    let layout = Page::new(caller, lang, csrf);
    let uscc = caller.principal.org_uscc.clone().unwrap_or_default();
    render_outcome(
        &FormPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            item_key: item.key.clone(),
            item_label: item.label.clone(),
            inputs: inputs(item, &uscc, values),
            commitment: self_report::COMMITMENT_TEXT,
            error: error.map(|e| e.public_message()),
            done,
            label: self_report::LABEL_ZH,
        },
        error,
    )
}

pub async fn form(
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(key): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match self_report::reportable_item(&key) {
        Ok(item) => form_page(&caller, lang, &csrf, item, &BTreeMap::new(), None, None),
        Err(err) => PageError::new(err, lang, "/self-report".into()).into_response(),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(key): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let item = match self_report::reportable_item(&key) {
        Ok(item) => item,
        Err(err) => return PageError::new(err, lang, "/self-report".into()).into_response(),
    };
    let mut values = BTreeMap::new();
    let mut accepted = false;
    for (name, value) in pairs {
        if let Some(field) = name.strip_prefix("f.") {
            values.insert(field.to_owned(), value);
        } else if name == "commitment" {
            accepted = value == "signed";
        }
    }
    let result = self_report::submit(
        &state.platform,
        &caller.principal,
        SelfReport {
            item_key: key,
            values: values.clone(),
            commitment_accepted: accepted,
        },
    )
    .await;
    match result {
        Ok(done) => form_page(
            &caller,
            lang,
            &csrf,
            item,
            &BTreeMap::new(),
            None,
            Some(done),
        ),
        Err(err) => form_page(&caller, lang, &csrf, item, &values, Some(&err), None),
    }
}

/// The enterprise's self-report pages.
pub(super) fn routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
) -> axum::Router<AppState> {
    use crate::access::Access;
    use axum::http::Method;
    use axum::routing::{get, post};
    use xinrong_core::role::Role;
    let ent = Access::Roles(&[Role::Enterprise]);
    let r = super::page(registry, r, Method::GET, "/self-report", ent, get(index));
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/self-report/{key}",
        ent,
        get(form),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/self-report/{key}",
        ent,
        post(submit),
    )
}
