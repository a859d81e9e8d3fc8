//! 绿色金融 pages: the green view (government: its jurisdiction; operator: all) with the summary
//! by category and the green enterprises and projects; an institution's list of green
//! enterprises and approved projects; an enterprise's own standing with the declaration forms;
//! the operator's review queue.

use super::Page;
use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::Deserialize;
use xinrong_core::finance::green::GreenCatalog;
use xinrong_core::money::Fen;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::green::{
    self, EntryView, GreenSummary, MyGreen, ProjectInput, ProjectView, ReviewQueue,
};
use xinrong_services::identity::Principal;

const READERS: &[Role] = &[
    Role::Operator,
    Role::Government,
    Role::Institution,
    Role::Enterprise,
];
const ENTERPRISE: &[Role] = &[Role::Enterprise];
const OPERATOR: &[Role] = &[Role::Operator];

/// Adds this resource's pages, each guarded through [`super::page`].
pub(super) fn routes(registry: &mut Registry, r: Router<AppState>) -> Router<AppState> {
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/green",
        Access::Roles(READERS),
        get(index),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/green/declarations",
        Access::Roles(ENTERPRISE),
        post(declare),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/green/review",
        Access::Roles(OPERATOR),
        get(review),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/green/review/{id}/{action}",
        Access::Roles(OPERATOR),
        post(decide),
    )
}

#[derive(Template)]
#[template(path = "green.html")]
struct GreenPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    summary: Option<GreenSummary>,
    entries: Vec<EntryView>,
    projects: Vec<ProjectView>,
    mine: Option<MyGreen>,
    categories: Vec<(String, String)>,
    error: Option<String>,
}

async fn green_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    error: Option<ServiceError>,
) -> Response {
    let (platform, p) = (&state.platform, &caller.principal);
    let loaded = async {
        let mut summary = None;
        let mut mine = None;
        let mut entries = Vec::new();
        let mut projects = Vec::new();
        match p.role {
            Role::Enterprise => mine = Some(green::mine(platform, p).await?),
            _ => {
                if matches!(p.role, Role::Operator | Role::Government) {
                    summary = Some(green::summary(platform, p).await?);
                }
                entries = green::enterprises(platform, p, None, None).await?;
                projects = green::projects(platform, p, None).await?;
            }
        }
        Ok::<_, ServiceError>((summary, mine, entries, projects))
    };
    let (summary, mine, entries, projects) = match loaded.await {
        Ok(v) => v,
        Err(err) => return PageError::new(err, lang, "/green".into()).into_response(),
    };
    let layout = Page::new(caller, lang, csrf);
    super::render_outcome(
        &GreenPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            summary,
            entries,
            projects,
            mine,
            categories: GreenCatalog::builtin()
                .categories()
                .iter()
                .map(|c| (c.key.clone(), c.label.clone()))
                .collect(),
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/green`: the green view for the caller's role.
async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let lang = Lang::from_headers(&headers);
    green_page(&state, &caller, lang, &csrf, None).await
}

/// The declaration forms' fields (enterprise or project).
#[derive(Deserialize, Default)]
pub struct DeclarationForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub name: String,
    /// Yuan, up to two decimals.
    #[serde(default)]
    pub investment_yuan: String,
    #[serde(default)]
    pub co2_reduction_t: String,
    #[serde(default)]
    pub description: String,
}

/// `POST /green/declarations`: the enterprise declares itself or a project.
async fn declare(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(f): Form<DeclarationForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let (platform, p) = (&state.platform, &caller.principal);
    let done = match f.kind.as_str() {
        "project" => {
            let investment = Fen::parse_yuan(f.investment_yuan.trim()).ok_or_else(|| {
                ServiceError::invalid("green.investment", "项目投资额须为金额（元），如 850000")
            });
            let co2 = f.co2_reduction_t.trim().parse::<i64>().map_err(|_| {
                ServiceError::invalid("green.co2", "预计二氧化碳减排量须为整数（吨/年）")
            });
            match (investment, co2) {
                (Ok(inv), Ok(co2)) => green::declare_project(
                    platform,
                    p,
                    ProjectInput {
                        name: f.name,
                        category: f.category,
                        investment_fen: inv.0,
                        co2_reduction_t: co2,
                        description: f.description,
                    },
                )
                .await
                .map(|_| ()),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        _ => green::declare(platform, p, &f.category, &f.evidence)
            .await
            .map(|_| ()),
    };
    match done {
        Ok(()) => Redirect::to("/green").into_response(),
        Err(err) => green_page(&state, &caller, lang, &csrf, Some(err)).await,
    }
}

#[derive(Template)]
#[template(path = "green_review.html")]
struct ReviewPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    queue: ReviewQueue,
    error: Option<String>,
}

async fn review_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    error: Option<ServiceError>,
) -> Response {
    let queue = match green::queue(&state.platform, &caller.principal).await {
        Ok(q) => q,
        Err(err) => return PageError::new(err, lang, "/green/review".into()).into_response(),
    };
    let layout = Page::new(caller, lang, csrf);
    super::render_outcome(
        &ReviewPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            queue,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/green/review`: declarations and projects awaiting the operator.
async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let lang = Lang::from_headers(&headers);
    review_page(&state, &caller, lang, &csrf, None).await
}

#[derive(Deserialize, Default)]
pub struct ReviewForm {
    #[serde(default)]
    pub reason: String,
}

/// `POST /green/review/{id}/{approve|reject}`.
async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<ReviewForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let approve = match action.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return review_page(
                &state,
                &caller,
                lang,
                &csrf,
                Some(ServiceError::NotFound("操作")),
            )
            .await;
        }
    };
    match green::review(&state.platform, &caller.principal, &id, approve, &f.reason).await {
        Ok(_) => Redirect::to("/green/review").into_response(),
        Err(err) => review_page(&state, &caller, lang, &csrf, Some(err)).await,
    }
}
