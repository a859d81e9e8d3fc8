//! 信用修复 pages: the enterprise sees when each adverse record may be repaired (the
//! 申请信用修复 button stays greyed out, with its opening date, until the minimum publicity
//! period has passed), applies with evidence and the signed commitment, and follows the
//! timeline; the source unit and the operator review. Record metadata only.

use super::objections::{CasePages, case_routes, download_or_page, read_multipart};
use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::commitments::texts;
use xinrong_services::identity::Principal;
use xinrong_services::objections::{AttachmentMeta, OwnRecord, Step};
use xinrong_services::repairs::{
    self, Application, Eligibility, ListQuery, RepairDetail, RepairView, Verdict, status,
};

impl ListPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        super::objections::label(&self.tr, prefix, code, fallback)
    }
}

impl DetailPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        super::objections::label(&self.tr, prefix, code, fallback)
    }
}

#[derive(Template)]
#[template(path = "repairs.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    rows: Vec<RepairView>,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct ListParams {
    pub status: Option<String>,
    pub subject: Option<String>,
}

/// `/repairs`: the enterprise's applications, the provider's queue, or (operator) all.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let status_filter = params.status.filter(|s| !s.is_empty());
    let query = ListQuery {
        subject: params.subject.filter(|s| !s.is_empty()),
        status: status_filter.clone(),
        ..ListQuery::default()
    };
    match repairs::list(&state.platform, &caller.principal, query).await {
        Ok(rows) => {
            let layout = Page::new(&caller, lang, &csrf);
            super::render(&ListPage {
                tr: layout.tr,
                principal: layout.principal,
                csrf: layout.csrf,
                show_enterprises: layout.show_enterprises,
                rows,
                status: status_filter.unwrap_or_default(),
                statuses: status::ALL
                    .iter()
                    .map(|s| (*s, status::label_zh(s)))
                    .collect(),
            })
        }
        Err(err) => PageError::new(err, lang, "/repairs".into()).into_response(),
    }
}

#[derive(Template)]
#[template(path = "repair_new.html")]
struct NewPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    record: OwnRecord,
    e: Eligibility,
    commitment: &'static str,
    statement: String,
    error: Option<String>,
    shown: Option<xinrong_services::share::ItemView>,
}

#[derive(Deserialize)]
pub struct NewParams {
    pub record: String,
}

async fn new_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    record_id: &str,
    statement: String,
    error: Option<ServiceError>,
) -> Response {
    let path = "/repairs/new".to_owned();
    let p = &caller.principal;
    let e = match repairs::eligibility(&state.platform, p, record_id).await {
        Ok(e) => e,
        Err(err) => return PageError::new(err, lang, path).into_response(),
    };
    let record = match xinrong_services::objections::own_records(
        &state.platform,
        p,
        Some(record_id),
    )
    .await
    {
        Ok(mut r) if !r.is_empty() => r.remove(0),
        Ok(_) => {
            return PageError::new(ServiceError::NotFound("信用记录"), lang, path).into_response();
        }
        Err(err) => return PageError::new(err, lang, path).into_response(),
    };
    let shown = super::subjects::shaped_record(state, caller, record_id).await;
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &NewPage {
            shown,
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            record,
            e,
            commitment: texts::REPAIR,
            statement,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/repairs/new?record=ID`: when the record may be repaired, and the application form.
pub async fn new(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<NewParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    new_page(
        &state,
        &caller,
        lang,
        &csrf,
        &params.record,
        String::new(),
        None,
    )
    .await
}

/// `POST /repairs` (multipart, CSRF token in the URL).
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    multipart: Multipart,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let posted = match read_multipart(multipart).await {
        Ok(p) => p,
        Err(err) => return PageError::new(err, lang, "/repairs".into()).into_response(),
    };
    let record = posted.fields.get("record").cloned().unwrap_or_default();
    let statement = posted.fields.get("statement").cloned().unwrap_or_default();
    let application = Application {
        record_id: record.clone(),
        statement: statement.clone(),
        attachments: posted.files,
        commitment_signed: posted.fields.get("commitment").map(String::as_str) == Some("signed"),
    };
    match repairs::apply(&state.platform, &caller.principal, application).await {
        Ok(r) => Redirect::to(&format!("/repairs/{}", r.id)).into_response(),
        Err(err) => new_page(&state, &caller, lang, &csrf, &record, statement, Some(err)).await,
    }
}

#[derive(Template)]
#[template(path = "repair.html")]
struct DetailPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    r: RepairView,
    timeline: Vec<Step>,
    attachments: Vec<AttachmentMeta>,
    commitment_text: String,
    commitment_sm3: String,
    can_review: bool,
    error: Option<String>,
}

async fn detail_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    id: &str,
    error: Option<ServiceError>,
) -> Response {
    let p = &caller.principal;
    let d: RepairDetail = match repairs::detail(&state.platform, p, id).await {
        Ok(d) => d,
        Err(err) => return PageError::new(err, lang, format!("/repairs/{id}")).into_response(),
    };
    let can_review = d.repair.status == status::PENDING
        && (p.role == Role::Operator
            || (p.role == Role::Provider && p.org_id == d.repair.provider_org_id));
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &DetailPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            r: d.repair,
            timeline: d.timeline,
            attachments: d.attachments,
            commitment_text: d.commitment_text,
            commitment_sm3: d.commitment_sm3,
            can_review,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/repairs/{id}`: the application, its evidence, the commitment as signed and the timeline.
pub async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    detail_page(&state, &caller, lang, &csrf, &id, None).await
}

#[derive(Deserialize)]
pub struct ReviewForm {
    pub verdict: String,
    #[serde(default)]
    pub text: String,
}

/// `POST /repairs/{id}/review`: approve or reject (with the reason).
pub async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let done = match Verdict::parse(&form.verdict) {
        Ok(v) => repairs::review(&state.platform, &caller.principal, &id, v, &form.text).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/repairs/{id}")).into_response(),
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, Some(err)).await,
    }
}

/// `/repairs/{id}/attachments/{attachment_id}`: an evidence file, as a download.
pub async fn attachment(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path((id, attachment_id)): Path<(String, String)>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let file = repairs::attachment(&state.platform, &caller.principal, &id, &attachment_id);
    download_or_page(file.await, lang, format!("/repairs/{id}"))
}

/// Registers the repair pages.
pub(super) fn routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
) -> axum::Router<AppState> {
    use axum::routing::{get, post};
    let pages = CasePages {
        base: "/repairs",
        list: get(list),
        create: post(create),
        new: get(new),
        detail: get(detail),
        action: ("/review", post(review)),
        attachment: get(attachment),
    };
    case_routes(registry, r, pages)
}
