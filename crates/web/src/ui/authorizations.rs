//! 授权管理 pages: the list (htmx actions per row), the enterprise's online grant with the
//! full notice (充分告知) and a required consent, the institution's written upload, and one
//! authorization's detail with its timeline (留痕) and dispute handling.

use super::agreements::{days_of, field, fields, form_pairs};
use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Deserialize;
use std::collections::HashMap;
use xinrong_core::authorization::{self as rules, Action, Actor, State as AuthzState};
use xinrong_core::purpose::Purpose;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::authorizations::{self, AuthorizationRow, GrantRequest, ListFilter};
use xinrong_services::catalog;
use xinrong_services::identity::{self, Principal};

/// Who sees authorizations: the subject, the grantee, the operator.
pub const PARTIES: &[Role] = &[Role::Operator, Role::Institution, Role::Enterprise];
/// Who grants: an enterprise online, an institution with a written scan.
pub const GRANTERS: &[Role] = &[Role::Enterprise, Role::Institution];
pub const ENTERPRISE: &[Role] = &[Role::Enterprise];
pub const INSTITUTION: &[Role] = &[Role::Institution];

/// Shown in Asia/Shanghai.
fn local(t: NaiveDateTime) -> String {
    t.and_utc()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn local_day(t: NaiveDateTime) -> String {
    t.and_utc()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string()
}

/// The label of an item or section key.
fn scope_label(key: &str) -> String {
    let cat = catalog::current();
    if let Some(s) = cat.sections.iter().find(|s| s.key == key) {
        return format!("{}（整类）", s.label);
    }
    cat.item(key)
        .map(|i| i.label.clone())
        .unwrap_or_else(|| key.to_owned())
}

fn actor_of(p: &Principal, row: &AuthorizationRow) -> Option<Actor> {
    match p.role {
        Role::Operator => Some(Actor::Operator),
        Role::Enterprise if p.org_uscc.as_deref() == Some(row.subject.as_str()) => {
            Some(Actor::Subject)
        }
        Role::Institution if p.org_id == row.grantee_org_id => Some(Actor::Grantee),
        _ => None,
    }
}

/// One row as shown, with the actions the viewer may take now.
pub struct RowView {
    pub row: AuthorizationRow,
    pub grantee_name: String,
    /// (action code, Chinese label) — dispute is offered on the detail page (it needs a reason).
    pub actions: Vec<(&'static str, &'static str)>,
    pub scope: String,
    pub valid_until: String,
    pub created: String,
    pub last_used: String,
}

fn action_code(a: Action) -> &'static str {
    match a {
        Action::Pause => "pause",
        Action::Resume => "resume",
        Action::Revoke => "revoke",
        Action::Dispute => "dispute",
        Action::UpholdDispute => "uphold",
        Action::DismissDispute => "dismiss",
    }
}

fn parse_action(code: &str) -> Option<Action> {
    Action::ALL.into_iter().find(|a| action_code(*a) == code)
}

fn possible(p: &Principal, row: &AuthorizationRow) -> Vec<Action> {
    let Some(actor) = actor_of(p, row) else {
        return Vec::new();
    };
    let state = AuthzState {
        status: row.status,
        dispute: row.dispute,
    };
    Action::ALL
        .into_iter()
        .filter(|a| rules::transition(state, *a, actor, row.channel).is_ok())
        .collect()
}

fn row_view(p: &Principal, row: AuthorizationRow, names: &HashMap<String, String>) -> RowView {
    let actions = possible(p, &row)
        .into_iter()
        .filter(|a| *a != Action::Dispute)
        .map(|a| (action_code(a), a.label_zh()))
        .collect();
    RowView {
        grantee_name: names.get(&row.grantee_org_id).cloned().unwrap_or_default(),
        actions,
        scope: row
            .items
            .keys()
            .iter()
            .map(|k| scope_label(k))
            .collect::<Vec<_>>()
            .join("、"),
        valid_until: local_day(row.valid_until),
        created: local(row.created_at),
        last_used: row
            .last_used_at
            .map(local)
            .unwrap_or_else(|| "—".to_owned()),
        row,
    }
}

fn status_text(tr: &Tr, row: &AuthorizationRow) -> String {
    if tr.is_en() {
        return row.status.code().to_owned();
    }
    if row.dispute == rules::Dispute::Open {
        format!("{}（{}）", row.status.label_zh(), row.dispute.label_zh())
    } else {
        row.status.label_zh().to_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "authorizations.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    rows: Vec<RowView>,
    status: String,
    disputed: bool,
    can_grant: bool,
    error: Option<String>,
}

impl ListPage {
    fn status_text(&self, row: &AuthorizationRow) -> String {
        status_text(&self.tr, row)
    }
}

/// One row, for htmx to swap in after an action.
#[derive(Template)]
#[template(path = "authorization_row.html")]
struct RowFragment {
    tr: Tr,
    csrf: String,
    r: RowView,
    error: Option<String>,
}

impl RowFragment {
    fn status_text(&self, row: &AuthorizationRow) -> String {
        status_text(&self.tr, row)
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    disputed: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let status = q.status.unwrap_or_default();
    let disputed = q.disputed.as_deref() == Some("true");
    let loaded = async {
        let rows = authorizations::list(
            &state.platform,
            &caller.principal,
            &ListFilter {
                status: Some(status.clone()),
                disputed,
                ..ListFilter::default()
            },
        )
        .await?;
        let names = authorizations::org_names(&state.platform).await?;
        Ok::<_, ServiceError>((rows, names))
    }
    .await;
    let (rows, names) = match loaded {
        Ok(v) => v,
        Err(err) => return PageError::new(err, lang, "/authorizations".into()).into_response(),
    };
    let layout = Page::new(&caller, lang, &csrf);
    render_outcome(
        &ListPage {
            rows: rows
                .into_iter()
                .map(|r| row_view(&caller.principal, r, &names))
                .collect(),
            tr: layout.tr,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            can_grant: GRANTERS.contains(&caller.principal.role),
            principal: layout.principal,
            status,
            disputed,
            error: None,
        },
        None,
    )
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let pairs = form_pairs(&body);
    let htmx = headers.contains_key("hx-request");
    let reason = field(&pairs, "reason");
    let result = match parse_action(&field(&pairs, "action")) {
        Some(action) => {
            authorizations::act(
                &state.platform,
                &caller.principal,
                &id,
                action,
                Some(reason.as_str()),
            )
            .await
        }
        None => Err(ServiceError::invalid("authz.action", "未知的操作")),
    };
    if !htmx {
        return match result {
            Ok(row) => Redirect::to(&format!("/authorizations/{}", row.id)).into_response(),
            Err(err) => detail_page(&state, &caller, lang, &csrf, &id, Some(err)).await,
        };
    }
    let (row, error) = match result {
        Ok(row) => (row, None),
        Err(err) => match authorizations::get(&state.platform, &caller.principal, &id).await {
            Ok(row) => (row, Some(err.public_message())),
            Err(_) => {
                return PageError::new(err, lang, format!("/authorizations/{id}")).into_response();
            }
        },
    };
    let names = match authorizations::org_names(&state.platform).await {
        Ok(n) => n,
        Err(err) => return PageError::new(err, lang, "/authorizations".into()).into_response(),
    };
    super::render(&RowFragment {
        tr: Tr(lang),
        csrf: csrf.0.clone(),
        r: row_view(&caller.principal, row, &names),
        error,
    })
}

// ---------------------------------------------------------------------------------------------
// Detail
// ---------------------------------------------------------------------------------------------

pub struct TimelineItem {
    pub at: String,
    pub label: &'static str,
    pub kind: String,
    pub leaf_index: i64,
    pub actor: String,
}

fn event_label(kind: &str) -> &'static str {
    match kind {
        "authorization.granted" => "授权",
        "authorization.paused" => "暂停",
        "authorization.resumed" => "恢复",
        "authorization.revoked" => "撤销",
        "authorization.disputed" => "提出争议",
        "authorization.dispute_upheld" => "争议成立（撤销）",
        "authorization.dispute_dismissed" => "争议驳回（恢复）",
        _ => "其他",
    }
}

#[derive(Template)]
#[template(path = "authorization_detail.html")]
struct DetailPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    r: RowView,
    subject_name: String,
    scope_items: Vec<String>,
    timeline: Vec<TimelineItem>,
    can_dispute: bool,
    valid_from: String,
    data_range: String,
    error: Option<String>,
}

impl DetailPage {
    fn status_text(&self, row: &AuthorizationRow) -> String {
        status_text(&self.tr, row)
    }
}

async fn detail_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    id: &str,
    error: Option<ServiceError>,
) -> Response {
    let loaded = async {
        let row = authorizations::get(&state.platform, &caller.principal, id).await?;
        let timeline = authorizations::timeline(&state.platform, &caller.principal, id).await?;
        let names = authorizations::org_names(&state.platform).await?;
        let subject_name = authorizations::subject_name(&state.platform, &row.subject).await?;
        Ok::<_, ServiceError>((row, timeline, names, subject_name))
    }
    .await;
    let (row, timeline, names, subject_name) = match loaded {
        Ok(v) => v,
        Err(err) => {
            return PageError::new(err, lang, format!("/authorizations/{id}")).into_response();
        }
    };
    let can_dispute = possible(&caller.principal, &row).contains(&Action::Dispute);
    let data_range = match (row.data_from, row.data_to) {
        (None, None) => "不限".to_owned(),
        (f, t) => format!(
            "{} 至 {}",
            f.map(|d| d.to_string()).unwrap_or_else(|| "不限".into()),
            t.map(|d| d.to_string()).unwrap_or_else(|| "不限".into())
        ),
    };
    let timeline = timeline
        .into_iter()
        .map(|t| TimelineItem {
            at: local(t.created_at),
            label: event_label(&t.kind),
            actor: t
                .actor_org_id
                .as_ref()
                .and_then(|o| names.get(o).cloned())
                .unwrap_or_else(|| "平台".to_owned()),
            kind: t.kind,
            leaf_index: t.leaf_index,
        })
        .collect();
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &DetailPage {
            scope_items: row.items.keys().iter().map(|k| scope_label(k)).collect(),
            valid_from: local(row.valid_from),
            data_range,
            r: row_view(&caller.principal, row, &names),
            subject_name: subject_name.unwrap_or_default(),
            timeline,
            can_dispute,
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

pub async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    detail_page(
        &state,
        &caller,
        Lang::from_headers(&headers),
        &csrf,
        &id,
        None,
    )
    .await
}

pub async fn evidence(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    match authorizations::evidence(&state.platform, &caller.principal, &id).await {
        Ok((name, mime, bytes)) => {
            crate::api::authorizations::evidence_response(&name, &mime, bytes)
        }
        Err(err) => PageError::new(
            err,
            Lang::from_headers(&headers),
            format!("/authorizations/{id}"),
        )
        .into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Granting
// ---------------------------------------------------------------------------------------------

/// What the grant form holds (also carried through the review step).
#[derive(Default, Clone)]
pub struct GrantForm {
    pub subject: String,
    pub grantee: String,
    pub sections: Vec<String>,
    pub items: String,
    pub purpose: String,
    pub purpose_text: String,
    pub data_from: String,
    pub data_to: String,
    pub days: String,
}

impl GrantForm {
    fn from_pairs(pairs: &[(String, String)]) -> GrantForm {
        GrantForm {
            subject: field(pairs, "subject"),
            grantee: field(pairs, "grantee"),
            sections: fields(pairs, "section"),
            items: fields(pairs, "items").join(","),
            purpose: field(pairs, "purpose"),
            purpose_text: field(pairs, "purpose_text"),
            data_from: field(pairs, "data_from"),
            data_to: field(pairs, "data_to"),
            days: field(pairs, "days"),
        }
    }

    fn has_section(&self, key: &str) -> bool {
        self.sections.iter().any(|s| s == key)
    }

    fn request(&self, consent: bool) -> Result<GrantRequest, ServiceError> {
        let date = |name: &str, text: &str| -> Result<Option<NaiveDate>, ServiceError> {
            if text.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    ServiceError::invalid(
                        "authz.form",
                        format!("{name}须为 YYYY-MM-DD 格式的日期，收到“{text}”"),
                    )
                })
        };
        let mut items = self.sections.clone();
        items.extend(
            self.items
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
        );
        Ok(GrantRequest {
            subject: self.subject.clone(),
            grantee: self.grantee.clone(),
            items,
            purpose: self.purpose.clone(),
            purpose_text: self.purpose_text.clone(),
            data_from: date("数据范围起始日期", &self.data_from)?,
            data_to: date("数据范围截止日期", &self.data_to)?,
            days: days_of(&self.days)?,
            consent,
        })
    }
}

#[derive(Template)]
#[template(path = "authorization_new.html")]
struct NewPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    /// True: the enterprise's online form; false: the institution's written upload.
    online: bool,
    institutions: Vec<(String, String)>,
    sections: Vec<(String, String)>,
    purposes: Vec<(&'static str, &'static str)>,
    form: GrantForm,
    error: Option<String>,
}

/// The notice (充分告知) with the specifics, and the consent checkbox.
#[derive(Template)]
#[template(path = "authorization_review.html")]
struct ReviewPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    form: GrantForm,
    grantee_name: String,
    subject_name: String,
    scope_items: Vec<String>,
    purpose_label: String,
    data_range: String,
    valid_until: String,
    days: i64,
}

async fn new_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    form: GrantForm,
    error: Option<ServiceError>,
) -> Response {
    let institutions = match identity::list_organizations(&state.platform, Some(Role::Institution))
        .await
    {
        Ok(list) => list.into_iter().map(|o| (o.id, o.name)).collect(),
        Err(err) => return PageError::new(err, lang, "/authorizations/new".into()).into_response(),
    };
    let mut sections: Vec<_> = catalog::current().sections.clone();
    sections.sort_by_key(|s| s.order);
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &NewPage {
            online: caller.principal.role == Role::Enterprise,
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            institutions,
            sections: sections.into_iter().map(|s| (s.key, s.label)).collect(),
            purposes: Purpose::ALL
                .iter()
                .map(|p| (p.code(), p.label_zh()))
                .collect(),
            form,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let form = GrantForm {
        days: "365".to_owned(),
        purpose: Purpose::PreLoan.code().to_owned(),
        ..GrantForm::default()
    };
    new_page(
        &state,
        &caller,
        Lang::from_headers(&headers),
        &csrf,
        form,
        None,
    )
    .await
}

/// The enterprise's online grant: without `consent` the notice with the specifics is shown
/// (nothing is written); with it the authorization is granted.
pub async fn new_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    body: Bytes,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let pairs = form_pairs(&body);
    let form = GrantForm::from_pairs(&pairs);
    let consent = field(&pairs, "consent") == "on";
    let request = match form.request(consent) {
        Ok(r) => r,
        Err(err) => return new_page(&state, &caller, lang, &csrf, form, Some(err)).await,
    };
    if consent {
        return match authorizations::grant_online(&state.platform, &caller.principal, request).await
        {
            Ok(row) => Redirect::to(&format!("/authorizations/{}", row.id)).into_response(),
            Err(err) => new_page(&state, &caller, lang, &csrf, form, Some(err)).await,
        };
    }
    review_page(&state, &caller, lang, &csrf, form, request).await
}

async fn review_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    form: GrantForm,
    request: GrantRequest,
) -> Response {
    // Check everything the grant will check before showing the notice, so the enterprise
    // never consents to something that cannot be granted.
    let checked = async {
        let Some(uscc) = caller.principal.org_uscc.clone() else {
            return Err(ServiceError::Forbidden);
        };
        let grantee =
            xinrong_services::agreements::find_org(&state.platform.db.conn, &request.grantee)
                .await?
                .filter(|o| o.kind == Role::Institution.code())
                .ok_or_else(|| ServiceError::invalid("authz.grantee", "请选择被授权的接入机构"))?;
        let scope = rules::Scope::parse(catalog::current(), &request.items)
            .map_err(|e| ServiceError::invalid(e.code, e.message))?;
        let purpose = Purpose::parse(&request.purpose)
            .ok_or_else(|| ServiceError::invalid("authz.purpose", "请选择查询用途"))?;
        rules::check_purpose_text(&request.purpose_text)
            .map_err(|e| ServiceError::invalid(e.code, e.message))?;
        rules::check_data_range(request.data_from, request.data_to)
            .map_err(|e| ServiceError::invalid(e.code, e.message))?;
        let now = state.platform.clock.now_naive();
        let (_, until) = rules::validity(now, request.days)
            .map_err(|e| ServiceError::invalid(e.code, e.message))?;
        let subject_name = authorizations::subject_name(&state.platform, &uscc).await?;
        Ok((grantee, scope, purpose, until, subject_name))
    }
    .await;
    let (grantee, scope, purpose, until, subject_name) = match checked {
        Ok(v) => v,
        Err(err) => return new_page(state, caller, lang, csrf, form, Some(err)).await,
    };
    let data_range = match (request.data_from, request.data_to) {
        (None, None) => "不限（含全部历史记录）".to_owned(),
        (f, t) => format!(
            "{} 至 {} 的记录",
            f.map(|d| d.to_string()).unwrap_or_else(|| "最早".into()),
            t.map(|d| d.to_string()).unwrap_or_else(|| "最新".into())
        ),
    };
    let layout = Page::new(caller, lang, csrf);
    super::render(&ReviewPage {
        tr: layout.tr,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
        grantee_name: grantee.name,
        subject_name: subject_name.unwrap_or_default(),
        scope_items: scope.keys().iter().map(|k| scope_label(k)).collect(),
        purpose_label: if request.purpose_text.trim().is_empty() {
            purpose.label_zh().to_owned()
        } else {
            format!("{}：{}", purpose.label_zh(), request.purpose_text.trim())
        },
        data_range,
        valid_until: local_day(until - Duration::seconds(0)),
        days: request.days,
        form,
    })
}

/// The institution's written grant: the fields and the scan in one multipart form; the CSRF
/// token rides in the action URL.
pub async fn written_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    multipart: Multipart,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let result = async {
        let (req, evidence) = crate::api::authorizations::read_written(multipart).await?;
        let form = GrantForm {
            subject: req.subject.clone(),
            items: req.items.join(","),
            purpose: req.purpose.clone(),
            purpose_text: req.purpose_text.clone(),
            days: req.days.to_string(),
            ..GrantForm::default()
        };
        let granted =
            authorizations::grant_written(&state.platform, &caller.principal, req, evidence).await;
        Ok::<_, ServiceError>((form, granted))
    }
    .await;
    match result {
        Ok((_, Ok(row))) => Redirect::to(&format!("/authorizations/{}", row.id)).into_response(),
        Ok((form, Err(err))) => new_page(&state, &caller, lang, &csrf, form, Some(err)).await,
        Err(err) => {
            new_page(
                &state,
                &caller,
                lang,
                &csrf,
                GrantForm::default(),
                Some(err),
            )
            .await
        }
    }
}

/// Registers the authorization pages.
pub fn routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
) -> axum::Router<AppState> {
    use crate::access::Access;
    use axum::http::Method;
    use axum::routing::{get, post};
    let parties = Access::Roles(PARTIES);
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/authorizations",
        parties,
        get(list),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/authorizations/new",
        Access::Roles(GRANTERS),
        get(new_form),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/authorizations/new",
        Access::Roles(ENTERPRISE),
        post(new_submit),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/authorizations/written",
        Access::Roles(INSTITUTION),
        post(written_submit).layer(axum::extract::DefaultBodyLimit::max(
            crate::api::authorizations::MAX_WRITTEN_BYTES,
        )),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/authorizations/{id}",
        parties,
        get(detail),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/authorizations/{id}/evidence",
        parties,
        get(evidence),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/authorizations/{id}/action",
        parties,
        post(act),
    )
}
