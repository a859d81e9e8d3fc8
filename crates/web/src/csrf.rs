//! CSRF protection by double submit: a random `xr_csrf` cookie (SameSite=Strict) whose value
//! every state-changing browser request must repeat, in the form field `csrf` or the
//! `X-CSRF-Token` header. Requests carrying a bearer token are exempt: a browser never adds one
//! on its own.

use crate::error::{ApiError, PageError};
use crate::i18n::Lang;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use xinrong_services::ServiceError;

pub const CSRF_COOKIE: &str = "xr_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
const MAX_FORM_BYTES: usize = 1 << 20;

/// The request's CSRF token, for forms to embed.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

pub async fn protect(request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let cookie = jar.get(CSRF_COOKIE).map(|c| c.value().to_owned());
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let bearer = request.headers().contains_key(AUTHORIZATION);
    if safe || bearer {
        let (token, fresh) = match cookie {
            Some(token) if token.len() >= 32 => (token, false),
            _ => (new_token(), true),
        };
        let mut request = request;
        request.extensions_mut().insert(CsrfToken(token.clone()));
        let mut response = next.run(request).await;
        if fresh && !bearer {
            let cookie = format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(SET_COOKIE, value);
            }
        }
        return response;
    }
    let Some(expected) = cookie else {
        return reject(&request);
    };
    let header = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(sent) = header {
        return if constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
            next.run(with_token(request, expected)).await
        } else {
            reject(&request)
        };
    }
    // File uploads (multipart) carry the token in the form's action URL: the body is not
    // buffered here, a multi-megabyte file must stream to its handler.
    let is_multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart {
        let sent = request.uri().query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v.into_owned())
        });
        return match sent {
            Some(sent) if constant_time_eq(sent.as_bytes(), expected.as_bytes()) => {
                next.run(with_token(request, expected)).await
            }
            _ => reject(&request),
        };
    }
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return reject(&request);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        let request = Request::from_parts(parts, Body::empty());
        return reject(&request);
    };
    let sent = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    let request = Request::from_parts(parts, Body::from(bytes));
    match sent {
        Some(sent) if constant_time_eq(sent.as_bytes(), expected.as_bytes()) => {
            next.run(with_token(request, expected)).await
        }
        _ => reject(&request),
    }
}

fn with_token(mut request: Request, token: String) -> Request {
    request.extensions_mut().insert(CsrfToken(token));
    request
}

fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn reject(request: &Request) -> Response {
    let err = ServiceError::invalid("csrf.invalid", "页面已过期或请求来源无效，请刷新页面后重试");
    if request.uri().path().starts_with("/api/") {
        let mut response = ApiError(err).into_response();
        *response.status_mut() = axum::http::StatusCode::FORBIDDEN;
        response
    } else {
        let lang = Lang::from_headers(request.headers());
        let mut response = PageError::new(err, lang, request.uri().to_string()).into_response();
        *response.status_mut() = axum::http::StatusCode::FORBIDDEN;
        response
    }
}
