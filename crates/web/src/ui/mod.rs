//! The server-rendered UI (askama + htmx). Pages are registered with their roles like the API.

mod agreements;
mod applications;
mod authorizations;
mod catalog;
mod collect;
mod connectors;
mod eligibility_form;
mod enterprises;
pub(crate) mod evaluations;
mod funds;
mod green;
mod home;
mod inbox;
mod ledger;
mod loans;
mod login;
mod objections;
mod organizations;
mod payables;
mod policies;
mod products;
mod pull;
mod quality;
mod register;
mod registrations;
mod repairs;
pub mod reports;
mod self_report;
mod subjects;
mod tokens;
mod whitelist;

use crate::access::{ALL_ROLES, Access, Registry};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::guard;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};
use xinrong_core::role::Role;
use xinrong_services::identity::Principal;

const DIRECTORY_ROLES: &[Role] = &[Role::Operator, Role::Government];
const OPERATOR: &[Role] = &[Role::Operator];
const PROVIDER: &[Role] = &[Role::Provider];
const PULL_READERS: &[Role] = &[Role::Operator, Role::Institution];

/// What every logged-in page's layout needs.
pub struct Page {
    pub tr: Tr,
    pub principal: Principal,
    pub csrf: String,
    pub show_enterprises: bool,
}

impl Page {
    pub fn new(caller: &Caller, lang: Lang, csrf: &CsrfToken) -> Page {
        Page {
            tr: Tr(lang),
            show_enterprises: DIRECTORY_ROLES.contains(&caller.principal.role),
            principal: caller.principal.clone(),
            csrf: csrf.0.clone(),
        }
    }
}

/// Only same-site relative paths are followed after login, never another host.
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

fn page(
    registry: &mut Registry,
    router: Router<AppState>,
    method: Method,
    path: &str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Router<AppState> {
    registry.record(method, path, access);
    let handler = match access {
        Access::Public => handler,
        Access::Roles(roles) => handler.route_layer(guard!(roles)),
    };
    router.route(path, handler)
}

pub fn router(registry: &mut Registry) -> Router<AppState> {
    let all = Access::Roles(ALL_ROLES);
    let r = Router::new();
    let r = page(
        registry,
        r,
        Method::GET,
        "/login",
        Access::Public,
        get(login::form),
    );
    let r = page(
        registry,
        r,
        Method::POST,
        "/login",
        Access::Public,
        post(login::submit),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/lang/{code}",
        Access::Public,
        get(login::switch_language),
    );
    let r = page(
        registry,
        r,
        Method::POST,
        "/logout",
        all,
        post(login::logout),
    );
    let r = page(registry, r, Method::GET, "/", all, get(home::home));
    let r = page(
        registry,
        r,
        Method::GET,
        "/quality",
        Access::Roles(quality::READERS),
        get(quality::index),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/quality/providers/{id}",
        Access::Roles(quality::OVERSEERS),
        get(quality::provider),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/enterprises",
        Access::Roles(DIRECTORY_ROLES),
        get(enterprises::list),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/subjects",
        all,
        get(subjects::search),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/subjects/{uscc}",
        all,
        get(subjects::show),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/subjects/{uscc}/export",
        all,
        get(subjects::export),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/my/data",
        Access::Roles(&[Role::Enterprise]),
        get(subjects::mine),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/evaluations",
        Access::Roles(evaluations::DISTRIBUTION_READERS),
        get(evaluations::distributions),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/access-log",
        Access::Roles(&[Role::Operator, Role::Enterprise]),
        get(subjects::access_log),
    );
    let op = Access::Roles(OPERATOR);
    let r = page(
        registry,
        r,
        Method::GET,
        "/organizations",
        op,
        get(organizations::list),
    );
    let r = page(
        registry,
        r,
        Method::POST,
        "/organizations",
        op,
        post(organizations::create),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/organizations/{id}",
        op,
        get(organizations::detail),
    );
    let r = page(
        registry,
        r,
        Method::POST,
        "/organizations/{id}/users",
        op,
        post(organizations::add_user),
    );
    let r = page(
        registry,
        r,
        Method::POST,
        "/users/{id}/password",
        op,
        post(organizations::reset_password),
    );
    let prov = Access::Roles(PROVIDER);
    let r = page(
        registry,
        r,
        Method::GET,
        "/collect",
        prov,
        get(collect::form),
    );
    let r = page(
        registry,
        r,
        Method::POST,
        "/collect",
        prov,
        // The file streams to disk under its own limit (`spool::MAX_UPLOAD_BYTES`).
        post(collect::upload).layer(axum::extract::DefaultBodyLimit::disable()),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/collect/jobs/{id}",
        prov,
        get(collect::job),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/collect/jobs/{id}/status",
        prov,
        get(collect::job_status),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/collect/jobs/{id}/errors",
        prov,
        get(collect::job_errors),
    );
    let readers = Access::Roles(PULL_READERS);
    let r = page(registry, r, Method::GET, "/pull", readers, get(pull::form));
    let r = page(
        registry,
        r,
        Method::POST,
        "/pull",
        readers,
        post(pull::submit),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/connectors",
        op,
        get(connectors::list),
    );
    let r = page(
        registry,
        r,
        Method::POST,
        "/connectors",
        op,
        post(connectors::set),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/catalog",
        all,
        get(catalog::index),
    );
    let r = page(
        registry,
        r,
        Method::GET,
        "/catalog/{key}",
        all,
        get(catalog::item),
    );
    let r = page(registry, r, Method::GET, "/ledger", all, get(ledger::show));
    let r = page(
        registry,
        r,
        Method::POST,
        "/ledger/verify",
        op,
        post(ledger::verify),
    );
    let r = register::routes(registry, r);
    let r = registrations::routes(registry, r);
    let r = inbox::routes(registry, r);
    let r = self_report::routes(registry, r);
    let r = agreements::routes(registry, r);
    let r = authorizations::routes(registry, r);
    let r = objections::routes(registry, r);
    let r = repairs::routes(registry, r);
    let r = reports::routes(registry, r);
    let r = applications::routes(registry, r);
    let r = funds::routes(registry, r);
    let r = green::routes(registry, r);
    let r = loans::routes(registry, r);
    let r = payables::routes(registry, r);
    let r = policies::routes(registry, r);
    let r = products::routes(registry, r);
    let r = whitelist::routes(registry, r);
    let r = page(registry, r, Method::GET, "/tokens", all, get(tokens::list));
    let r = page(
        registry,
        r,
        Method::POST,
        "/tokens",
        all,
        post(tokens::create),
    );
    page(
        registry,
        r,
        Method::POST,
        "/tokens/{id}/revoke",
        all,
        post(tokens::revoke),
    )
}

/// Renders a page that shows a form again after a failed action: the page carries the error's
/// message, the response the error's status.
pub fn render_outcome(
    template: &impl askama::Template,
    error: Option<&xinrong_services::ServiceError>,
) -> axum::response::Response {
    let mut response = render(template);
    if let Some(err) = error
        && response.status() == axum::http::StatusCode::OK
    {
        *response.status_mut() = crate::error::status_of(err);
    }
    response
}

/// Renders a template or logs why it could not.
pub fn render(template: &impl askama::Template) -> axum::response::Response {
    use axum::response::IntoResponse;
    match template.render() {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "template failed");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "template error",
            )
                .into_response()
        }
    }
}
