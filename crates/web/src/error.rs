//! The web layer's errors: one JSON body `{"code", "message"}` for the API, one page for the UI.

use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use xinrong_services::ServiceError;

/// The error body of every API response that is not a success.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine code, e.g. `auth.required`, `region.unknown`.
    pub code: String,
    /// Human-readable message (Chinese).
    pub message: String,
}

pub fn status_of(err: &ServiceError) -> StatusCode {
    match err {
        ServiceError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::BadCredentials | ServiceError::Unauthenticated => StatusCode::UNAUTHORIZED,
        ServiceError::Locked { .. } => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Forbidden => StatusCode::FORBIDDEN,
        ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
        ServiceError::Conflict(_) => StatusCode::CONFLICT,
        ServiceError::Denied { .. } => StatusCode::FORBIDDEN,
        ServiceError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Unavailable { code, .. } if *code == "pull.timeout" => {
            StatusCode::GATEWAY_TIMEOUT
        }
        ServiceError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        ServiceError::Store(_) if err.code() == "conflict" => StatusCode::CONFLICT,
        ServiceError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn log_if_internal(err: &ServiceError) {
    if let ServiceError::Store(inner) = err {
        tracing::error!(error = %inner, "storage failure");
    }
}

/// An API error response.
#[derive(Debug)]
pub struct ApiError(pub ServiceError);

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        ApiError(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_if_internal(&self.0);
        let body = ErrorBody {
            code: self.0.code().to_owned(),
            message: self.0.public_message(),
        };
        let mut response = (status_of(&self.0), Json(body)).into_response();
        let retry_after = match self.0 {
            ServiceError::Locked { retry_after_secs }
            | ServiceError::Throttled {
                retry_after_secs, ..
            } => Some(retry_after_secs),
            ServiceError::Unavailable {
                retry_after_secs, ..
            } => retry_after_secs,
            _ => None,
        };
        if let Some(retry_after_secs) = retry_after
            && let Ok(v) = retry_after_secs.to_string().parse()
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, v);
        }
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    tr: Tr,
    status: u16,
    message: String,
    login_next: Option<&'a str>,
}

/// An error shown as a page in the UI.
#[derive(Debug)]
pub struct PageError {
    err: ServiceError,
    lang: Lang,
    path: String,
}

impl PageError {
    pub fn new(err: ServiceError, lang: Lang, path: String) -> Self {
        PageError { err, lang, path }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log_if_internal(&self.err);
        let status = status_of(&self.err);
        let tr = Tr(self.lang);
        let message = match &self.err {
            ServiceError::Unauthenticated => tr.t("error.login_required").to_owned(),
            ServiceError::Forbidden => tr.t("error.forbidden").to_owned(),
            other => other.public_message(),
        };
        let next = crate::ui::safe_next(&self.path);
        let page = ErrorPage {
            tr,
            status: status.as_u16(),
            message,
            login_next: matches!(self.err, ServiceError::Unauthenticated).then_some(next.as_str()),
        };
        let html = page.render().unwrap_or_else(|_| "error".to_owned());
        (status, Html(html)).into_response()
    }
}
