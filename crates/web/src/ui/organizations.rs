//! Organisation management for the operator: list and register organisations, add users to
//! them, reset passwords.

use super::{Page, render_outcome};
use crate::api::organizations::{parse_institution_kind, parse_role};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use xinrong_core::codes::region::regions;
use xinrong_core::role::{InstitutionKind, Role};
use xinrong_services::ServiceError;
use xinrong_services::identity::{self, NewOrganization, NewUser, Organization, Principal};

pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub role_label: &'static str,
    pub uscc: String,
    pub region_name: String,
}

impl OrgRow {
    fn new(o: Organization, tr: Tr) -> Self {
        let role_label = o.kind.parse::<Role>().map(|r| tr.role(&r)).unwrap_or("");
        OrgRow {
            region_name: o
                .region_code
                .as_deref()
                .map(|c| regions().full_name(c))
                .unwrap_or_else(|| "—".into()),
            uscc: o.uscc.unwrap_or_else(|| "—".into()),
            id: o.id,
            name: o.name,
            role_label,
        }
    }
}

pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub last_login_at: String,
    pub locked: bool,
}

#[derive(Template)]
#[template(path = "organizations.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    role: String,
    role_options: Vec<(String, &'static str)>,
    kind_options: Vec<(String, &'static str)>,
    organizations: Vec<OrgRow>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "organization.html")]
struct DetailPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    org: OrgRow,
    users: Vec<UserRow>,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    role: Option<String>,
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    role: String,
    error: Option<ServiceError>,
) -> Response {
    let filter = match role.as_str() {
        "" => None,
        r => match parse_role(r) {
            Ok(role) => Some(role),
            Err(err) => return PageError::new(err, lang, "/organizations".into()).into_response(),
        },
    };
    let orgs = match identity::list_organizations(&state.platform, filter).await {
        Ok(orgs) => orgs,
        Err(err) => return PageError::new(err, lang, "/organizations".into()).into_response(),
    };
    let layout = Page::new(caller, lang, csrf);
    let tr = layout.tr;
    let page = ListPage {
        role,
        role_options: Role::ALL
            .iter()
            .map(|r| (r.code().to_owned(), tr.role(r)))
            .collect(),
        kind_options: [
            InstitutionKind::Bank,
            InstitutionKind::Guarantor,
            InstitutionKind::Insurer,
            InstitutionKind::CreditAgency,
        ]
        .into_iter()
        .map(|k| (k.code().to_owned(), tr.t(&format!("kind.{}", k.code()))))
        .collect(),
        organizations: orgs.into_iter().map(|o| OrgRow::new(o, tr)).collect(),
        error: error.as_ref().map(|e| e.public_message()),
        tr,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
    };
    render_outcome(&page, error.as_ref())
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Response {
    list_page(
        &state,
        &caller,
        Lang::from_headers(&headers),
        &csrf,
        q.role.unwrap_or_default(),
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct CreateForm {
    role: String,
    name: String,
    uscc: Option<String>,
    region_code: Option<String>,
    institution_kind: Option<String>,
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(form): Form<CreateForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let result = async {
        let role = parse_role(&form.role)?;
        let institution_kind = parse_institution_kind(form.institution_kind.as_deref())?;
        let new = NewOrganization {
            id: None,
            role,
            name: form.name,
            uscc: non_empty(form.uscc),
            region_code: non_empty(form.region_code),
            institution_kind,
        };
        identity::add_organization(&state.platform, &caller.principal, new).await
    }
    .await;
    match result {
        Ok(org) => Redirect::to(&format!("/organizations/{}", org.id)).into_response(),
        Err(err) => list_page(&state, &caller, lang, &csrf, String::new(), Some(err)).await,
    }
}

async fn detail_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    id: &str,
    notice: Option<&'static str>,
    error: Option<ServiceError>,
) -> Response {
    let path = format!("/organizations/{id}");
    let org = match identity::get_organization(&state.platform, id).await {
        Ok(org) => org,
        Err(err) => return PageError::new(err, lang, path).into_response(),
    };
    let users = match identity::list_users(&state.platform, &caller.principal, id).await {
        Ok(users) => users,
        Err(err) => return PageError::new(err, lang, path).into_response(),
    };
    let layout = Page::new(caller, lang, csrf);
    let tr = layout.tr;
    let page = DetailPage {
        org: OrgRow::new(org, tr),
        users: users
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                last_login_at: super::tokens::shanghai(u.last_login_at),
                locked: u.locked,
            })
            .collect(),
        notice: notice.map(|key| tr.t(key)),
        error: error.as_ref().map(|e| e.public_message()),
        tr,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
    };
    render_outcome(&page, error.as_ref())
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
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct UserForm {
    username: String,
    display_name: String,
    password: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<UserForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let new = NewUser {
        org_id: id.clone(),
        username: form.username.trim().to_owned(),
        display_name: form.display_name,
        password: form.password,
    };
    match identity::add_user(&state.platform, &caller.principal, new).await {
        Ok(_) => {
            detail_page(
                &state,
                &caller,
                lang,
                &csrf,
                &id,
                Some("org.user_added"),
                None,
            )
            .await
        }
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, None, Some(err)).await,
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    org_id: String,
    password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(user_id): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let result =
        identity::reset_password(&state.platform, &caller.principal, &user_id, &form.password)
            .await;
    let (notice, error) = match result {
        Ok(()) => (Some("org.password_reset"), None),
        Err(err) => (None, Some(err)),
    };
    detail_page(&state, &caller, lang, &csrf, &form.org_id, notice, error).await
}
