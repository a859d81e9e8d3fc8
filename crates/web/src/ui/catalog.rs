//! The catalogue pages: every section and item, and each item's fields with their sensitivity.

use super::{Page, render};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::Extension;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use xinrong_core::catalog::{Mode, Polarity, Section};
use xinrong_services::ServiceError;
use xinrong_services::catalog;
use xinrong_services::identity::Principal;

pub struct ItemRow {
    pub key: String,
    pub label: String,
    pub modes: String,
    pub field_count: usize,
}

pub struct FieldRow {
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub required: bool,
    pub sensitivity: String,
    pub sensitivity_label: &'static str,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    title: String,
    version: u32,
    published: String,
    item_count: usize,
    field_count: usize,
    sections: Vec<(Section, Vec<ItemRow>)>,
}

#[derive(Template)]
#[template(path = "catalog_item.html")]
struct ItemPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    key: String,
    label: String,
    modes: String,
    sources: String,
    subject: String,
    natural_key: String,
    polarity: &'static str,
    /// 严重程度 of an adverse item, e.g. `严重（serious）`.
    severity: Option<String>,
    /// 更新频率, e.g. `每月（monthly）`.
    frequency: String,
    fields: Vec<FieldRow>,
}

fn modes(tr: Tr, modes: &[Mode]) -> String {
    modes
        .iter()
        .map(|m| {
            tr.t(match m {
                Mode::Push => "cat.push",
                Mode::Pull => "cat.pull",
            })
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

pub async fn index(
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let layout = Page::new(&caller, Lang::from_headers(&headers), &csrf);
    let tr = layout.tr;
    let c = catalog::current();
    let mut sections: Vec<Section> = c.sections.clone();
    sections.sort_by_key(|s| s.order);
    let sections = sections
        .into_iter()
        .map(|s| {
            let items = c
                .items_of(&s.key)
                .map(|i| ItemRow {
                    key: i.key.clone(),
                    label: i.label.clone(),
                    modes: modes(tr, &i.modes),
                    field_count: i.fields.len(),
                })
                .collect();
            (s, items)
        })
        .collect();
    render(&CatalogPage {
        title: c.title.clone(),
        version: c.version,
        published: c.published.clone(),
        item_count: c.items.len(),
        field_count: c.field_count(),
        sections,
        tr,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
    })
}

pub async fn item(
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(key): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let Some(item) = catalog::current().item(&key) else {
        return PageError::new(
            ServiceError::NotFound("信息项"),
            lang,
            format!("/catalog/{key}"),
        )
        .into_response();
    };
    let layout = Page::new(&caller, lang, &csrf);
    let tr = layout.tr;
    render(&ItemPage {
        key: item.key.clone(),
        label: item.label.clone(),
        modes: modes(tr, &item.modes),
        sources: item.source_units.join("；"),
        subject: item.subject_fields.join(", "),
        natural_key: item.natural_key.join(", "),
        polarity: tr.t(match item.polarity {
            Polarity::Negative => "cat.negative",
            Polarity::Positive => "cat.positive",
            Polarity::Neutral => "cat.neutral",
        }),
        severity: item
            .severity
            .map(|s| format!("{}（{}）", s.label_zh(), s.code())),
        frequency: format!(
            "{}（{}）",
            item.update_frequency.label_zh(),
            serde_plain(&item.update_frequency)
        ),
        fields: item
            .fields
            .iter()
            .map(|f| FieldRow {
                key: f.key.clone(),
                label: f.label.clone(),
                field_type: serde_plain(&f.field_type),
                required: f.required,
                sensitivity: serde_plain(&f.sensitivity),
                sensitivity_label: f.sensitivity.label_zh(),
            })
            .collect(),
        tr,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
    })
}

/// The serde name of a unit enum variant (`decimal`, `restricted` …), as the files spell it.
fn serde_plain(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
