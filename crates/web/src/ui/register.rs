//! 企业注册 (public): the registration form, its outcome, and the status page of a request
//! under review.

use super::render_outcome;
use crate::api::registrations::{PENDING_MESSAGE, REGISTERED_MESSAGE};
use crate::csrf::CsrfToken;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use xinrong_services::ServiceError;
use xinrong_services::registration::{self, HeldData, Licence, Outcome, StatusView, Submission};

/// The most a registration form (with its licence scan) may weigh.
pub const MAX_FORM_BYTES: usize = 12 * 1024 * 1024;

/// What the form shows again after a refusal (never the password).
#[derive(Default, Clone)]
pub struct Entered {
    pub uscc: String,
    pub enterprise_name: String,
    pub legal_rep_name: String,
    pub legal_rep_id_number: String,
    pub username: String,
    pub contact_phone: String,
    pub contact_email: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    tr: Tr,
    csrf: String,
    form: Entered,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "register_done.html")]
struct DonePage {
    tr: Tr,
    message: &'static str,
    username: String,
    held: Option<HeldData>,
    capital: String,
    status_token: Option<String>,
}

#[derive(Template)]
#[template(path = "register_status.html")]
struct StatusPage {
    tr: Tr,
    token: String,
    status: Option<StatusView>,
    submitted_at: String,
    decided_at: String,
    error: Option<String>,
}

impl StatusPage {
    fn status_key(&self) -> &'static str {
        status_key(self.status.as_ref().map_or("", |s| s.status.as_str()))
    }
}

/// The translation key of a registration status.
pub(super) fn status_key(status: &str) -> &'static str {
    match status {
        "verified" => "reg.status.verified",
        "approved" => "reg.status.approved",
        "rejected" => "reg.status.rejected",
        _ => "reg.status.pending",
    }
}

pub async fn form(headers: HeaderMap, Extension(csrf): Extension<CsrfToken>) -> Response {
    render_outcome(
        &RegisterPage {
            tr: Tr(Lang::from_headers(&headers)),
            csrf: csrf.0,
            form: Entered::default(),
            error: None,
        },
        None,
    )
}

async fn read_form(
    mut multipart: Multipart,
) -> Result<(Entered, String, Option<Licence>), ServiceError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ServiceError::invalid("registration.form", format!("提交内容无法读取：{e}"))
    };
    let mut entered = Entered::default();
    let mut password = String::new();
    let mut licence = None;
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "licence" {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let content_type = field.content_type().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(bad)?;
            if !filename.is_empty() && !bytes.is_empty() {
                licence = Some(Licence {
                    filename,
                    content_type,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let text = field.text().await.map_err(bad)?;
        match name.as_str() {
            "uscc" => entered.uscc = text,
            "enterprise_name" => entered.enterprise_name = text,
            "legal_rep_name" => entered.legal_rep_name = text,
            "legal_rep_id_number" => entered.legal_rep_id_number = text,
            "username" => entered.username = text,
            "password" => password = text,
            "contact_phone" => entered.contact_phone = text,
            "contact_email" => entered.contact_email = text,
            _ => {}
        }
    }
    Ok((entered, password, licence))
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    multipart: Multipart,
) -> Response {
    let tr = Tr(Lang::from_headers(&headers));
    let (entered, password, licence) = match read_form(multipart).await {
        Ok(read) => read,
        Err(err) => {
            return render_outcome(
                &RegisterPage {
                    tr,
                    csrf: csrf.0,
                    form: Entered::default(),
                    error: Some(err.public_message()),
                },
                Some(&err),
            );
        }
    };
    let result = registration::submit(
        &state.platform,
        Submission {
            uscc: entered.uscc.clone(),
            enterprise_name: entered.enterprise_name.clone(),
            legal_rep_name: entered.legal_rep_name.clone(),
            legal_rep_id_number: entered.legal_rep_id_number.clone(),
            username: entered.username.clone(),
            password,
            contact_phone: entered.contact_phone.clone(),
            contact_email: Some(entered.contact_email.clone()),
            licence,
        },
    )
    .await;
    match result {
        Ok(Outcome::Registered { username, held, .. }) => render_outcome(
            &DonePage {
                tr,
                message: REGISTERED_MESSAGE,
                username,
                capital: yuan(held.registered_capital_fen),
                held: Some(*held),
                status_token: None,
            },
            None,
        ),
        Ok(Outcome::Pending { status_token, .. }) => render_outcome(
            &DonePage {
                tr,
                message: PENDING_MESSAGE,
                username: entered.username,
                held: None,
                capital: String::new(),
                status_token: Some(status_token),
            },
            None,
        ),
        Err(err) => render_outcome(
            &RegisterPage {
                tr,
                csrf: csrf.0,
                form: entered,
                error: Some(err.public_message()),
            },
            Some(&err),
        ),
    }
}

/// Fen as yuan with two decimals and thousands separators: 123456789 → 1,234,567.89 元.
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02} 元", fen % 100)
}

#[derive(Deserialize)]
pub struct TokenParam {
    token: Option<String>,
}

pub async fn status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<TokenParam>,
) -> Response {
    let tr = Tr(Lang::from_headers(&headers));
    let token = q.token.unwrap_or_default().trim().to_owned();
    if token.is_empty() {
        return render_outcome(
            &StatusPage {
                tr,
                token,
                status: None,
                submitted_at: String::new(),
                decided_at: String::new(),
                error: None,
            },
            None,
        );
    }
    match registration::status(&state.platform, &token).await {
        Ok(s) => render_outcome(
            &StatusPage {
                tr,
                token,
                submitted_at: super::tokens::shanghai(Some(s.submitted_at)),
                decided_at: super::tokens::shanghai(s.decided_at),
                status: Some(s),
                error: None,
            },
            None,
        ),
        Err(err) => render_outcome(
            &StatusPage {
                tr,
                token,
                status: None,
                submitted_at: String::new(),
                decided_at: String::new(),
                error: Some(err.public_message()),
            },
            Some(&err),
        ),
    }
}

/// The public registration pages.
pub(super) fn routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
) -> axum::Router<AppState> {
    use crate::access::Access;
    use axum::http::Method;
    use axum::routing::{get, post};
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/register",
        Access::Public,
        get(form),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/register",
        Access::Public,
        post(submit).layer(axum::extract::DefaultBodyLimit::max(MAX_FORM_BYTES)),
    );
    super::page(
        registry,
        r,
        Method::GET,
        "/register/status",
        Access::Public,
        get(status),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(super::yuan(123_456_789), "1,234,567.89 元");
        assert_eq!(super::yuan(5), "0.05 元");
    }
}
