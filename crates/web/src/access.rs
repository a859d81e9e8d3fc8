//! Route-level access: every route is registered with the roles that may call it. Anonymous
//! callers of a guarded route get 401, callers of another role 403 — JSON for the API, a page
//! for the UI.

use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::OpenApi;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not (login page, health checks, assets, the API document).
    Public,
    /// Logged-in users of these roles only.
    Roles(&'static [Role]),
}

pub const ALL_ROLES: &[Role] = &Role::ALL;

/// One route and its access rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePolicy {
    pub method: Method,
    /// The path as routed, with `{param}` placeholders.
    pub path: String,
    pub access: Access,
}

/// Collects the policy of every route as the routers are built.
#[derive(Default)]
pub struct Registry {
    policies: Vec<RoutePolicy>,
}

impl Registry {
    pub fn record(&mut self, method: Method, path: &str, access: Access) {
        self.policies.push(RoutePolicy {
            method,
            path: path.to_owned(),
            access,
        });
    }

    /// Records every operation of an OpenAPI fragment with one access rule.
    pub fn record_openapi(&mut self, doc: &OpenApi, access: Access) {
        for (path, item) in &doc.paths.paths {
            let ops = [
                (Method::GET, item.get.is_some()),
                (Method::POST, item.post.is_some()),
                (Method::PUT, item.put.is_some()),
                (Method::DELETE, item.delete.is_some()),
                (Method::PATCH, item.patch.is_some()),
            ];
            for (method, present) in ops {
                if present {
                    self.record(method, path, access);
                }
            }
        }
    }

    pub fn into_policies(self) -> Vec<RoutePolicy> {
        self.policies
    }
}

/// Middleware body: lets the request through only for the given roles.
pub async fn require(roles: &'static [Role], request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let caller = request.extensions().get::<Caller>().cloned();
    let denied = match &caller {
        None => Some(ServiceError::Unauthenticated),
        Some(c) if !roles.contains(&c.principal.role) => Some(ServiceError::Forbidden),
        Some(_) => None,
    };
    match denied {
        None => next.run(request).await,
        Some(err) if api => ApiError(err).into_response(),
        Some(err) => {
            let lang = crate::i18n::Lang::from_headers(request.headers());
            PageError::new(err, lang, request.uri().to_string()).into_response()
        }
    }
}

/// A layer guarding a router with [`require`].
#[macro_export]
macro_rules! guard {
    ($roles:expr) => {
        axum::middleware::from_fn(move |req, next| $crate::access::require($roles, req, next))
    };
}
