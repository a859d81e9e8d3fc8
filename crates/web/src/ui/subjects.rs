//! 信息主体数据 pages: an institution (or the operator, a government unit, a provider) states a
//! subject, a purpose and optionally an authorization and sees exactly what the access decision
//! lets its organisation see; the enterprise sees all of its own data (我的信用信息) with every
//! version, source and flag; the access log (查询记录) for the enterprise and the operator.
//! Pages, API and exports all render the same `share::SubjectView`.

use super::{Page, render, render_outcome};
use crate::api::subjects::{LogParams, ViewParams, export_response};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use xinrong_core::access::Shown;
use xinrong_core::purpose::Purpose;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::access::Reader;
use xinrong_services::identity::Principal;
use xinrong_services::share::{self, AccessEntry, SubjectView, ViewRequest};

/// One record as the caller may see it (objection and repair pages), or nothing when the
/// decision shows nothing; the read is logged like any other.
pub async fn shaped_record(
    state: &AppState,
    caller: &Caller,
    record_id: &str,
) -> Option<xinrong_services::share::ItemView> {
    let reader = Reader::from_principal(&caller.principal);
    match share::record(&state.platform, &reader, record_id, "ui").await {
        Ok(v) => Some(v),
        Err(err) => {
            tracing::debug!(code = err.code(), "record not shown");
            None
        }
    }
}

/// A field's value for the page: (text, css class, title).
pub fn shown_cell(shown: &Shown) -> (String, &'static str, &'static str) {
    match shown {
        Shown::Clear(v) => (v.clone(), "clear", ""),
        Shown::Masked(v) => (v.clone(), "masked", "已脱敏"),
        Shown::Withheld => ("未提供".into(), "withheld", "须取得授权"),
    }
}

fn shanghai(at: &chrono::DateTime<chrono::Utc>) -> String {
    xinrong_core::clock::display(*at)
}

#[derive(Template)]
#[template(path = "subject_view.html")]
pub struct SubjectPage {
    pub tr: Tr,
    pub principal: Principal,
    pub csrf: String,
    pub show_enterprises: bool,
    pub params_subject: String,
    pub purpose: String,
    pub purpose_text: String,
    pub authorization: String,
    pub purposes: Vec<(&'static str, &'static str)>,
    pub own: bool,
    pub view: Option<SubjectView>,
    /// The evaluation panel (公共信用综合评价), beside the data view.
    pub evaluation: Option<super::evaluations::Panel>,
    pub export_query: String,
    pub error: Option<String>,
    pub error_code: &'static str,
}

impl SubjectPage {
    pub fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        shanghai(at)
    }
}

fn query_string(params: &ViewParams) -> String {
    let mut q = Vec::new();
    let mut push = |k: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            q.push(format!("{k}={}", urlencode(v)));
        }
    };
    push("purpose", &params.purpose);
    push("purpose_text", &params.purpose_text);
    push("authorization", &params.authorization);
    if params.history == Some(true) {
        q.push("history=true".into());
    }
    q.join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn subject_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    uscc: Option<String>,
    params: ViewParams,
) -> Response {
    let layout = Page::new(caller, lang, csrf);
    let own = caller.principal.role == Role::Enterprise;
    let mut result: Option<Result<SubjectView, ServiceError>> = None;
    if let Some(uscc) = uscc.as_deref().filter(|u| !u.trim().is_empty()) {
        let items: Option<Vec<String>> = params.items.as_ref().map(|s| {
            s.split(',')
                .map(|k| k.trim().to_owned())
                .filter(|k| !k.is_empty())
                .collect()
        });
        let request = ViewRequest {
            subject: uscc,
            purpose: params.purpose.as_deref().filter(|p| !p.trim().is_empty()),
            purpose_text: params.purpose_text.as_deref(),
            authorization_id: params
                .authorization
                .as_deref()
                .filter(|a| !a.trim().is_empty()),
            items: items.as_deref(),
            history: params.history.unwrap_or(own),
            channel: "ui",
        };
        result = Some(
            share::view(
                &state.platform,
                &Reader::from_principal(&caller.principal),
                &request,
            )
            .await,
        );
    }
    let (view, error) = match result {
        Some(Ok(v)) => (Some(v), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    // The evaluation, through the same access decision, when the data view was allowed.
    let evaluation = match (&view, uscc.as_deref()) {
        (Some(_), Some(u)) => Some(
            super::evaluations::panel(
                state,
                caller,
                u,
                params.purpose.as_deref(),
                params.authorization.as_deref(),
            )
            .await,
        ),
        _ => None,
    };
    let page = SubjectPage {
        tr: layout.tr,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
        params_subject: uscc.unwrap_or_default(),
        purpose: params.purpose.clone().unwrap_or_default(),
        purpose_text: params.purpose_text.clone().unwrap_or_default(),
        authorization: params.authorization.clone().unwrap_or_default(),
        purposes: Purpose::ALL
            .iter()
            .map(|p| (p.code(), p.label_zh()))
            .collect(),
        own,
        view,
        evaluation,
        export_query: query_string(&params),
        error: error.as_ref().map(|e| e.public_message()),
        error_code: error.as_ref().map(|e| e.code()).unwrap_or(""),
    };
    render_outcome(&page, error.as_ref())
}

#[derive(serde::Deserialize, Default)]
pub struct SearchForm {
    pub subject: Option<String>,
    #[serde(flatten)]
    pub params: ViewParamsForm,
}

/// The same fields as the API's parameters, as a GET form sends them.
#[derive(serde::Deserialize, Default)]
pub struct ViewParamsForm {
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
    pub authorization: Option<String>,
    pub items: Option<String>,
    pub history: Option<bool>,
    pub format: Option<String>,
}

impl From<ViewParamsForm> for ViewParams {
    fn from(f: ViewParamsForm) -> Self {
        ViewParams {
            purpose: f.purpose,
            purpose_text: f.purpose_text,
            authorization: f.authorization,
            items: f.items,
            history: f.history,
            format: f.format,
        }
    }
}

/// `/subjects`: the query form, and the view when a subject was given.
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(form): Query<SearchForm>,
) -> Response {
    if caller.principal.role == Role::Enterprise {
        return Redirect::to("/my/data").into_response();
    }
    let lang = Lang::from_headers(&headers);
    subject_page(
        &state,
        &caller,
        lang,
        &csrf,
        form.subject,
        form.params.into(),
    )
    .await
}

/// `/subjects/{uscc}`: the view as the caller's organisation receives it.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(uscc): Path<String>,
    Query(form): Query<ViewParamsForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    subject_page(&state, &caller, lang, &csrf, Some(uscc), form.into()).await
}

/// `/subjects/{uscc}/export`: the page's CSV/XLSX download.
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(uscc): Path<String>,
    Query(form): Query<ViewParamsForm>,
) -> Response {
    match export_response(&state, &caller, &uscc, &form.into()).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

/// `/my/data` (我的信用信息): the enterprise's own view, every version.
pub async fn mine(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let own = caller.principal.org_uscc.clone();
    let params = ViewParams {
        purpose: None,
        purpose_text: None,
        authorization: None,
        items: None,
        history: Some(true),
        format: None,
    };
    subject_page(&state, &caller, lang, &csrf, own, params).await
}

#[derive(Template)]
#[template(path = "access_log.html")]
pub struct AccessLogPage {
    pub tr: Tr,
    pub principal: Principal,
    pub csrf: String,
    pub show_enterprises: bool,
    pub entries: Vec<AccessEntry>,
    pub total: u64,
    pub subject: String,
    pub org: String,
    pub operator: bool,
    pub error: Option<String>,
}

impl AccessLogPage {
    pub fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        shanghai(at)
    }

    pub fn purpose_label(&self, code: &Option<String>) -> String {
        code.as_deref()
            .and_then(Purpose::parse)
            .map_or_else(|| "—".to_owned(), |p| p.label_zh().to_owned())
    }

    /// Item keys as their catalogue labels (an evaluation read as 公共信用综合评价).
    pub fn item_labels(&self, keys: &[String]) -> String {
        let catalog = xinrong_services::catalog::current();
        keys.iter()
            .map(|k| match catalog.item(k) {
                Some(i) => i.label.as_str(),
                None if k == xinrong_services::evaluation::ACCESS_ITEM => "公共信用综合评价",
                None => k.as_str(),
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn channel_label(&self, channel: &str) -> &'static str {
        match channel {
            "api" => "接口",
            "ui" => "页面",
            "cli" => "命令行",
            "export_csv" | "export_xlsx" => "导出",
            "report" => "信用报告",
            "pull" => "接口调用",
            _ => "其他",
        }
    }
}

/// `/access-log` (查询记录): the enterprise's own, or the operator's search.
pub async fn access_log(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<LogParams>,
) -> Response {
    let layout = Page::new(&caller, Lang::from_headers(&headers), &csrf);
    let result = share::access_log(
        &state.platform,
        &Reader::from_principal(&caller.principal),
        params.query(),
    )
    .await;
    let (entries, total, error) = match result {
        Ok((e, t)) => (e, t, None),
        Err(e) => (Vec::new(), 0, Some(e)),
    };
    let page = AccessLogPage {
        tr: layout.tr,
        operator: caller.principal.role == Role::Operator,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
        entries,
        total,
        subject: params.subject.clone().unwrap_or_default(),
        org: params.org.clone().unwrap_or_default(),
        error: error.as_ref().map(|e| e.public_message()),
    };
    match error {
        Some(e) => render_outcome(&page, Some(&e)),
        None => render(&page),
    }
}
