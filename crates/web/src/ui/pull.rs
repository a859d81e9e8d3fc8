//! 接口查询 (pull read) for institutions and the operator: pick a pull item, give the subject's
//! USCC and the purpose, see the provider's answer — or why there is none, in plain Chinese
//! ("无权查看该信息项", "数据源暂不可用，请稍后再试").

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;
use serde_json::Value;
use xinrong_core::catalog::Mode;
use xinrong_services::ServiceError;
use xinrong_services::identity::Principal;
use xinrong_services::pull::{PullRequest, PullResult, pull};

/// The answer laid out for the table.
pub struct ResultView {
    pub item_label: String,
    pub item_key: String,
    pub subject: String,
    pub provider_name: String,
    pub fetched_at: String,
    pub from_cache: bool,
    pub rejected_rows: usize,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn cell(value: Option<&Value>, tr: Tr) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(true)) => tr.t("pull.yes").to_owned(),
        Some(Value::Bool(false)) => tr.t("pull.no").to_owned(),
        Some(other) => other.to_string(),
    }
}

impl ResultView {
    fn new(r: PullResult, tr: Tr) -> Self {
        ResultView {
            rows: r
                .rows
                .iter()
                .map(|row| {
                    r.columns
                        .iter()
                        .map(|c| cell(row.get(&c.key), tr))
                        .collect()
                })
                .collect(),
            columns: r.columns.iter().map(|c| c.label.clone()).collect(),
            item_label: r.item_label,
            item_key: r.item_key,
            subject: r.subject,
            provider_name: r.provider_name,
            fetched_at: r
                .fetched_at
                .and_utc()
                .with_timezone(&chrono_tz::Asia::Shanghai)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            from_cache: r.from_cache,
            rejected_rows: r.rejected_rows,
        }
    }
}

#[derive(Template)]
#[template(path = "pull.html")]
struct PullPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    /// (key, label) of every pull item.
    items: Vec<(String, String)>,
    form: PullForm,
    result: Option<ResultView>,
    error: Option<String>,
    error_code: &'static str,
}

#[derive(Deserialize, Default)]
pub struct PullForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    purpose: String,
}

fn render(
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    form: PullForm,
    result: Option<PullResult>,
    error: Option<ServiceError>,
) -> Response {
    let layout = Page::new(caller, lang, csrf);
    let items = xinrong_services::catalog::current()
        .items
        .iter()
        .filter(|i| i.modes.contains(&Mode::Pull))
        .map(|i| (i.key.clone(), i.label.clone()))
        .collect();
    let page = PullPage {
        tr: layout.tr,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
        items,
        form,
        result: result.map(|r| ResultView::new(r, layout.tr)),
        error: error.as_ref().map(|e| e.public_message()),
        error_code: error.as_ref().map(|e| e.code()).unwrap_or(""),
    };
    render_outcome(&page, error.as_ref())
}

pub async fn form(
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    render(
        &caller,
        Lang::from_headers(&headers),
        &csrf,
        PullForm::default(),
        None,
        None,
    )
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(form): Form<PullForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let purpose = form.purpose.trim();
    let result = pull(
        &state.platform,
        PullRequest {
            reader_role: caller.principal.role,
            reader_org_id: &caller.principal.org_id,
            item_key: form.item.trim(),
            subject: &form.subject,
            purpose: (!purpose.is_empty()).then_some(purpose),
            authorization_id: None,
        },
    )
    .await;
    match result {
        Ok(r) => render(&caller, lang, &csrf, form, Some(r), None),
        Err(err) => render(&caller, lang, &csrf, form, None, Some(err)),
    }
}
