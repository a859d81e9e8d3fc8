//! Authentication: turns a session cookie or a bearer token into the [`Caller`] of a request.
//! Authorization happens per route in [`crate::access`].

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use xinrong_services::identity::{self, Principal};

pub const SESSION_COOKIE: &str = "xr_session";

/// How the caller proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser session; the value is the cookie, needed to log out.
    Session(String),
    /// An API token in `Authorization: Bearer`.
    Bearer,
}

/// The authenticated caller of a request, put into its extensions.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub credential: Credential,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Caller {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or(crate::error::ApiError(
                xinrong_services::ServiceError::Unauthenticated,
            ))
    }
}

/// Resolves the caller, if any credential is presented. Static assets skip the lookup.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.uri().path().starts_with("/assets/") {
        return next.run(request).await;
    }
    let bearer = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let caller = if let Some(token) = bearer {
        identity::principal_for_token(&state.platform, &token)
            .await
            .ok()
            .map(|principal| Caller {
                principal,
                credential: Credential::Bearer,
            })
    } else {
        let jar = CookieJar::from_headers(request.headers());
        match jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) {
            Some(token) => identity::principal_for_session(&state.platform, &token)
                .await
                .ok()
                .map(|principal| Caller {
                    principal,
                    credential: Credential::Session(token),
                }),
            None => None,
        }
    };
    if let Some(caller) = caller {
        request.extensions_mut().insert(caller);
    }
    next.run(request).await
}
