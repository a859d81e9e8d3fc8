//! 异议 pages: the enterprise files on its records and follows each objection's timeline; the
//! source unit works its queue (deadlines, overdue markers) and confirms or corrects; the
//! operator sees escalated, overdue and all objections and rules on escalations. Only record
//! metadata is shown (item, record id, version, source unit, dates) — never the payload.

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
use axum::routing::MethodRouter;
use axum::{Extension, Form};
use serde::Deserialize;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::attachments::{AttachmentRow, Upload};
use xinrong_services::identity::Principal;
use xinrong_services::objections::{
    self, AttachmentMeta, Filing, ListQuery, ObjectionView, OwnRecord, Ruling, Step, status,
};

/// Who opens the objection pages (the service checks each objection's parties).
pub const ROLES: &[Role] = &[Role::Enterprise, Role::Provider, Role::Operator];
/// Who files.
pub const ENTERPRISE: &[Role] = &[Role::Enterprise];
/// Multipart bodies of the filing forms: up to 10 files of 10 MiB.
pub const BODY_LIMIT: usize = 110 * 1024 * 1024;

/// A translated label for a stored code (`obj.st.open`, `step.objection.filed` …), or the
/// service's Chinese label when there is no translation.
pub(super) fn label(tr: &Tr, prefix: &str, code: &str, fallback: &str) -> String {
    match tr.t(&format!("{prefix}.{code}")) {
        "??" => fallback.to_owned(),
        text => text.to_owned(),
    }
}

impl ListPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        label(&self.tr, prefix, code, fallback)
    }
}

impl DetailPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        label(&self.tr, prefix, code, fallback)
    }
}

#[derive(Template)]
#[template(path = "objections.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    rows: Vec<ObjectionView>,
    status: String,
    overdue: bool,
    statuses: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct ListParams {
    pub status: Option<String>,
    pub overdue: Option<String>,
    pub subject: Option<String>,
}

/// `/objections`: the enterprise's own, the provider's queue, or (operator) all, filtered.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let status_filter = params.status.filter(|s| !s.is_empty());
    let overdue = params.overdue.as_deref() == Some("1");
    let query = ListQuery {
        subject: params.subject.filter(|s| !s.is_empty()),
        status: status_filter.clone(),
        overdue,
        ..ListQuery::default()
    };
    match objections::list(&state.platform, &caller.principal, query).await {
        Ok(rows) => {
            let layout = Page::new(&caller, lang, &csrf);
            super::render(&ListPage {
                tr: layout.tr,
                principal: layout.principal,
                csrf: layout.csrf,
                show_enterprises: layout.show_enterprises,
                rows,
                status: status_filter.unwrap_or_default(),
                overdue,
                statuses: status::ALL
                    .iter()
                    .map(|s| (*s, status::label_zh(s)))
                    .collect(),
            })
        }
        Err(err) => PageError::new(err, lang, "/objections".into()).into_response(),
    }
}

#[derive(Template)]
#[template(path = "objection_new.html")]
struct NewPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    record: Option<OwnRecord>,
    records: Vec<OwnRecord>,
    error: Option<String>,
    reason: String,
    shown: Option<xinrong_services::share::ItemView>,
}

#[derive(Deserialize)]
pub struct NewParams {
    pub record: Option<String>,
}

async fn new_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    record: Option<String>,
    reason: String,
    error: Option<ServiceError>,
) -> Response {
    let p = &caller.principal;
    let listed = match objections::own_records(&state.platform, p, record.as_deref()).await {
        Ok(r) => r,
        Err(err) => return PageError::new(err, lang, "/objections/new".into()).into_response(),
    };
    let (record, records) = match record {
        Some(_) => (listed.into_iter().next(), Vec::new()),
        None => (None, listed),
    };
    let shown = match &record {
        Some(r) => super::subjects::shaped_record(state, caller, &r.record_id).await,
        None => None,
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &NewPage {
            shown,
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            record,
            records,
            error: error.as_ref().map(|e| e.public_message()),
            reason,
        },
        error.as_ref(),
    )
}

/// `/objections/new?record=ID`: the filing form (without a record: the enterprise's records
/// to choose from).
pub async fn new(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<NewParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let record = params.record.filter(|r| !r.is_empty());
    new_page(&state, &caller, lang, &csrf, record, String::new(), None).await
}

/// A filing form's fields, files kept in memory (the body is bounded by [`BODY_LIMIT`]).
#[derive(Default)]
pub(super) struct Posted {
    pub fields: std::collections::HashMap<String, String>,
    pub files: Vec<Upload>,
}

pub(super) async fn read_multipart(mut multipart: Multipart) -> Result<Posted, ServiceError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ServiceError::invalid("attachment.upload", format!("上传内容无法读取：{e}"))
    };
    let mut posted = Posted::default();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let declared = field.content_type().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(bad)?;
            if filename.is_empty() && bytes.is_empty() {
                continue; // no file chosen
            }
            posted.files.push(Upload {
                filename,
                declared_type: declared,
                bytes: bytes.to_vec(),
            });
        } else {
            let text = field.text().await.map_err(bad)?;
            posted.fields.insert(name, text);
        }
    }
    Ok(posted)
}

/// `POST /objections` (multipart, CSRF token in the URL): files the objection.
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
        Err(err) => {
            return new_page(&state, &caller, lang, &csrf, None, String::new(), Some(err)).await;
        }
    };
    let record = posted.fields.get("record").cloned().unwrap_or_default();
    let reason = posted.fields.get("reason").cloned().unwrap_or_default();
    let filing = Filing {
        record_id: record.clone(),
        reason: reason.clone(),
        attachments: posted.files,
    };
    match objections::file(&state.platform, &caller.principal, filing).await {
        Ok(o) => Redirect::to(&format!("/objections/{}", o.id)).into_response(),
        Err(err) => {
            let record = (!record.is_empty()).then_some(record);
            new_page(&state, &caller, lang, &csrf, record, reason, Some(err)).await
        }
    }
}

#[derive(Template)]
#[template(path = "objection.html")]
struct DetailPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    o: ObjectionView,
    timeline: Vec<Step>,
    attachments: Vec<AttachmentMeta>,
    error: Option<String>,
    can_confirm: bool,
    can_correct: bool,
    can_escalate: bool,
    can_close: bool,
    can_decide: bool,
    shown: Option<xinrong_services::share::ItemView>,
}

async fn detail_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    id: &str,
    error: Option<ServiceError>,
) -> Response {
    let path = format!("/objections/{id}");
    let d = match objections::detail(&state.platform, &caller.principal, id).await {
        Ok(d) => d,
        Err(err) => return PageError::new(err, lang, path).into_response(),
    };
    let p = &caller.principal;
    let s = d.objection.status.as_str();
    let is_provider = p.role == Role::Provider && p.org_id == d.objection.provider_org_id;
    let is_subject = p.role == Role::Enterprise;
    let shown = super::subjects::shaped_record(state, caller, &d.objection.record_id).await;
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &DetailPage {
            shown,
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            can_confirm: is_provider && s == status::OPEN,
            can_correct: is_provider && status::AWAITING_PROVIDER.contains(&s),
            can_escalate: is_subject && s == status::CONFIRMED,
            can_close: is_subject && (s == status::OPEN || s == status::CONFIRMED),
            can_decide: p.role == Role::Operator && s == status::ESCALATED,
            o: d.objection,
            timeline: d.timeline,
            attachments: d.attachments,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/objections/{id}`: the objection, its timeline (留痕) and the caller's next actions.
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

/// `/objections/{id}/attachments/{attachment_id}`: a file, as a download.
pub async fn attachment(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path((id, attachment_id)): Path<(String, String)>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let file = objections::attachment(&state.platform, &caller.principal, &id, &attachment_id);
    download_or_page(file.await, lang, format!("/objections/{id}"))
}

/// A case's attachment as a download, or the error page leading back to the case (`back`).
pub(super) fn download_or_page(
    file: Result<AttachmentRow, ServiceError>,
    lang: Lang,
    back: String,
) -> Response {
    match file {
        Ok(file) => crate::api::workflow::download(file),
        Err(err) => PageError::new(err, lang, back).into_response(),
    }
}

/// Every action form posts these fields (each action reads the ones it needs).
#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub ruling: String,
    /// The corrected record as a JSON object (correction only).
    #[serde(default)]
    pub row: String,
}

/// `POST /objections/{id}/{action}`: confirm, correct, escalate, close or decide.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let (platform, p) = (&state.platform, &caller.principal);
    let done = match action.as_str() {
        "confirm" => objections::confirm(platform, p, &id, &form.text).await,
        "correct" => match serde_json::from_str::<objections::CorrectedRow>(form.row.trim()) {
            Ok(row) => objections::correct(platform, p, &id, row, &form.text).await,
            Err(_) => Err(ServiceError::invalid(
                "objection.correction_invalid",
                "更正后的记录须为一个 JSON 对象，如 {\"字段\": \"值\"}",
            )),
        },
        "escalate" => objections::escalate(platform, p, &id, &form.text).await,
        "close" => objections::close(platform, p, &id).await,
        "decide" => match Ruling::parse(&form.ruling) {
            Ok(r) => objections::decide(platform, p, &id, r, &form.text).await,
            Err(e) => Err(e),
        },
        _ => Err(ServiceError::NotFound("操作")),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/objections/{id}")).into_response(),
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, Some(err)).await,
    }
}

/// The pages of one kind of case (objection, repair application), registered alike under
/// `base`: the list, the enterprise's form (`base/new`) and filing (`POST base`, multipart up
/// to [`BODY_LIMIT`]), the case itself, its action forms and its attachments.
pub(super) struct CasePages {
    pub base: &'static str,
    pub list: MethodRouter<AppState>,
    pub create: MethodRouter<AppState>,
    pub new: MethodRouter<AppState>,
    pub detail: MethodRouter<AppState>,
    /// Where the action forms post, after `base/{id}` (`/{action}`, `/review`), and the handler.
    pub action: (&'static str, MethodRouter<AppState>),
    pub attachment: MethodRouter<AppState>,
}

/// Registers a kind of case's pages: filing for the enterprise, the rest for [`ROLES`] (the
/// service checks each case's parties).
pub(super) fn case_routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
    pages: CasePages,
) -> axum::Router<AppState> {
    use crate::access::Access;
    use axum::http::Method;
    let parties = Access::Roles(ROLES);
    let ent = Access::Roles(ENTERPRISE);
    let limit = axum::extract::DefaultBodyLimit::max(BODY_LIMIT);
    let base = pages.base;
    let (action, act) = pages.action;
    let r = super::page(registry, r, Method::GET, base, parties, pages.list);
    let create = pages.create.layer(limit);
    let r = super::page(registry, r, Method::POST, base, ent, create);
    let new = format!("{base}/new");
    let r = super::page(registry, r, Method::GET, &new, ent, pages.new);
    let case = format!("{base}/{{id}}");
    let r = super::page(registry, r, Method::GET, &case, parties, pages.detail);
    let acts = format!("{case}{action}");
    let r = super::page(registry, r, Method::POST, &acts, parties, act);
    let files = format!("{case}/attachments/{{attachment_id}}");
    super::page(registry, r, Method::GET, &files, parties, pages.attachment)
}

/// Registers the objection pages.
pub(super) fn routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
) -> axum::Router<AppState> {
    use axum::routing::{get, post};
    let pages = CasePages {
        base: "/objections",
        list: get(list),
        create: post(create),
        new: get(new),
        detail: get(detail),
        action: ("/{action}", post(act)),
        attachment: get(attachment),
    };
    case_routes(registry, r, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_step_has_a_label_in_both_languages() {
        use xinrong_services::{objections, repairs};
        for lang in [Lang::Zh, Lang::En] {
            let tr = Tr(lang);
            let mut keys: Vec<String> = objections::status::ALL
                .iter()
                .map(|s| format!("obj.st.{s}"))
                .collect();
            keys.extend(
                repairs::status::ALL
                    .iter()
                    .map(|s| format!("repair.st.{s}")),
            );
            for kind in [
                "objection.filed",
                "objection.confirmed",
                "objection.corrected",
                "objection.escalated",
                "objection.upheld",
                "objection.correction_ordered",
                "objection.closed",
                "objection.overdue",
                "repair.applied",
                "repair.approved",
                "repair.rejected",
                "commitment.signed",
            ] {
                assert_ne!(objections::step_label(kind), "其他", "{kind}");
                keys.push(format!("step.{kind}"));
            }
            for key in keys {
                assert_ne!(tr.t(&key), "??", "{key}");
            }
        }
        assert_eq!(
            label(&Tr(Lang::En), "obj.st", "open", "待处理"),
            "Awaiting the source unit"
        );
        assert_eq!(label(&Tr(Lang::En), "obj.st", "nonsense", "未知"), "未知");
    }
}
