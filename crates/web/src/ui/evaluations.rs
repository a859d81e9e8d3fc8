//! 公共信用综合评价 pages: the evaluation panel shown on a subject's page (`/subjects/{uscc}`)
//! and on the enterprise's own `/my/data` — through the same `evaluation::view` as the API, so
//! the same access decision shapes it and the same access log records it — and the grade
//! distributions by district and industry for government and the operator (`/evaluations`).

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::access::Reader;
use xinrong_services::evaluation::{self, By, Distribution, EvaluationView, ViewRequest};
use xinrong_services::identity::Principal;

/// Who may open `/evaluations`.
pub const DISTRIBUTION_READERS: &[Role] = &[Role::Operator, Role::Government];

/// The evaluation panel of a subject page: the view, or why it is not shown.
#[derive(Debug, Clone)]
pub struct Panel {
    pub view: Option<EvaluationView>,
    pub error: Option<String>,
    pub error_code: &'static str,
}

impl Panel {
    /// Width (0–100) of a dimension's bar: points earned of its weight.
    pub fn bar(points: &u32, weight: &u32) -> u32 {
        if *weight == 0 {
            0
        } else {
            (points * 100 / weight).min(100)
        }
    }

    /// The CSS class of a grade symbol.
    pub fn grade_class(grade: &str) -> &'static str {
        match grade.chars().next() {
            Some('A') => "grade-a",
            Some('B') => "grade-b",
            Some('C') => "grade-c",
            _ => "grade-d",
        }
    }

    /// The CSS class of a tag's polarity.
    pub fn polarity(p: &Option<xinrong_core::catalog::Polarity>) -> &'static str {
        match p {
            Some(xinrong_core::catalog::Polarity::Positive) => "positive",
            Some(xinrong_core::catalog::Polarity::Negative) => "negative",
            _ => "neutral",
        }
    }

    pub fn time(at: &chrono::DateTime<chrono::Utc>) -> String {
        xinrong_core::clock::display(*at)
    }
}

/// The panel for `uscc` as the caller may see it, with the purpose and authorization the page
/// was asked with.
pub async fn panel(
    state: &AppState,
    caller: &Caller,
    uscc: &str,
    purpose: Option<&str>,
    authorization: Option<&str>,
) -> Panel {
    let result = evaluation::view(
        &state.platform,
        &Reader::from_principal(&caller.principal),
        &ViewRequest {
            subject: uscc,
            purpose: purpose.filter(|p| !p.trim().is_empty()),
            authorization_id: authorization.filter(|a| !a.trim().is_empty()),
            channel: "ui",
        },
    )
    .await;
    match result {
        Ok(view) => Panel {
            view: Some(view),
            error: None,
            error_code: "",
        },
        Err(err) => Panel {
            view: None,
            error: Some(err.public_message()),
            error_code: err.code(),
        },
    }
}

#[derive(Template)]
#[template(path = "evaluations.html")]
pub struct DistributionPage {
    pub tr: Tr,
    pub principal: Principal,
    pub csrf: String,
    pub show_enterprises: bool,
    /// (element id, title key, distribution).
    pub sections: Vec<(&'static str, &'static str, Distribution)>,
    pub error: Option<String>,
}

/// `/evaluations` (评价等级分布): grade counts and average scores per district and per industry.
pub async fn distributions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let layout = Page::new(&caller, Lang::from_headers(&headers), &csrf);
    let reader = Reader::from_principal(&caller.principal);
    let mut error: Option<ServiceError> = None;
    let mut get = async |by| match evaluation::distribution(&state.platform, &reader, by).await {
        Ok(d) => Some(d),
        Err(e) => {
            error = Some(e);
            None
        }
    };
    let mut sections = Vec::new();
    if let Some(d) = get(By::District).await {
        sections.push(("by-district", "eval.by_district", d));
    }
    if let Some(d) = get(By::Industry).await {
        sections.push(("by-industry", "eval.by_industry", d));
    }
    let page = DistributionPage {
        tr: layout.tr,
        principal: layout.principal,
        csrf: layout.csrf,
        show_enterprises: layout.show_enterprises,
        sections,
        error: error.as_ref().map(|e| e.public_message()),
    };
    render_outcome(&page, error.as_ref())
}
