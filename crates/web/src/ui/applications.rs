//! 一键式融资 pages. The enterprise states its need once (`/financing`), sees the listed
//! products that fit ranked with the reasons they fit and why the others do not, ticks one or
//! many, reads the authorizations they need on the confirm page (institution, items, purpose,
//! validity — 充分告知) and submits with its consent. `/applications` lists per role (the
//! operator's overdue flags highlighted); `/applications/{id}` shows the need, the timeline
//! (进度跟踪) and the caller's next actions (the institution's accept, review, approve, reject
//! with a reason; the enterprise's withdraw).

use super::{Page, render_outcome};
use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use xinrong_core::finance::application::Status;
use xinrong_core::finance::product::{GuaranteeType, Need};
use xinrong_core::money::Fen;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::applications::{
    self, ApplicationView, AuthorizationNotice, Decision, ListQuery, NeedView,
};
use xinrong_services::finance::matching::{ProductMatch, Ranked};
use xinrong_services::finance::products::ProductView;
use xinrong_services::identity::Principal;
use xinrong_services::objections::Step;

/// Who reads applications (the service narrows each to its parties and jurisdiction).
const READERS: &[Role] = &[
    Role::Enterprise,
    Role::Institution,
    Role::Operator,
    Role::Government,
];
/// Who acts on one.
const PARTIES: &[Role] = &[Role::Enterprise, Role::Institution];
const ENTERPRISE: &[Role] = &[Role::Enterprise];

/// Adds this resource's pages, each guarded through [`super::page`].
pub(super) fn routes(registry: &mut Registry, r: Router<AppState>) -> Router<AppState> {
    let ent = Access::Roles(ENTERPRISE);
    let r = super::page(registry, r, Method::GET, "/financing", ent, get(financing));
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/financing/confirm",
        ent,
        get(confirm),
    );
    let r = super::page(registry, r, Method::POST, "/financing", ent, post(submit));
    let readers = Access::Roles(READERS);
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/applications",
        readers,
        get(list),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/applications/{id}",
        readers,
        get(detail),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/applications/{id}/{action}",
        Access::Roles(PARTIES),
        post(act),
    )
}

/// Form or query pairs; repeated keys (`product`) kept.
fn pairs(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

fn field<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

/// The need as typed: amount in 万元, term in months, rate in percent.
#[derive(Debug, Clone, Default)]
pub struct NeedForm {
    pub amount_wan: String,
    pub term_months: String,
    pub purpose: String,
    pub guarantee: String,
    pub max_rate: String,
}

impl NeedForm {
    fn from_pairs(p: &[(String, String)]) -> NeedForm {
        NeedForm {
            amount_wan: field(p, "amount_wan").trim().to_owned(),
            term_months: field(p, "term_months").trim().to_owned(),
            purpose: field(p, "purpose").trim().to_owned(),
            guarantee: field(p, "guarantee").trim().to_owned(),
            max_rate: field(p, "max_rate").trim().to_owned(),
        }
    }

    fn is_empty(&self) -> bool {
        self.amount_wan.is_empty() && self.term_months.is_empty() && self.purpose.is_empty()
    }

    /// The need, or which field is wrong. Amounts and rates are exact decimals, never floats:
    /// "5.5" percent is 550 basis points as "5.5" 元 is 550 fen.
    fn need(&self) -> Result<Need, ServiceError> {
        let amount_fen = Fen::parse_yuan(&self.amount_wan)
            .and_then(|f| f.0.checked_mul(10_000))
            .filter(|f| *f > 0)
            .ok_or_else(|| {
                ServiceError::invalid("need.amount", "请填写融资金额（万元，最多两位小数）")
            })?;
        let term_months = self
            .term_months
            .parse::<u32>()
            .map_err(|_| ServiceError::invalid("need.term", "请填写融资期限（月）"))?;
        let guarantee = GuaranteeType::parse(&self.guarantee)
            .ok_or_else(|| ServiceError::invalid("need.guarantee", "请选择担保方式"))?;
        let max_rate_bp = if self.max_rate.is_empty() {
            None
        } else {
            Some(
                Fen::parse_yuan(&self.max_rate)
                    .and_then(|f| u32::try_from(f.0).ok())
                    .ok_or_else(|| {
                        ServiceError::invalid(
                            "need.rate",
                            "可接受的最高年利率请填百分数，如 4.5（最多两位小数）",
                        )
                    })?,
            )
        };
        Ok(Need {
            amount_fen,
            term_months,
            purpose: self.purpose.clone(),
            guarantee,
            max_rate_bp,
        })
    }

    /// The need as query pairs, to carry it to the next page.
    fn query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("amount_wan", &self.amount_wan)
            .append_pair("term_months", &self.term_months)
            .append_pair("purpose", &self.purpose)
            .append_pair("guarantee", &self.guarantee)
            .append_pair("max_rate", &self.max_rate)
            .finish()
    }
}

fn guarantees() -> Vec<(&'static str, &'static str)> {
    GuaranteeType::ALL
        .iter()
        .map(|g| (g.code(), g.label_zh()))
        .collect()
}

#[derive(Template)]
#[template(path = "financing.html")]
struct FinancingPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    form: NeedForm,
    guarantees: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    ranked: Option<Ranked>,
}

impl FinancingPage {
    fn unmet(&self, m: &ProductMatch) -> Vec<String> {
        m.unmet().map(|r| r.reason_zh.clone()).collect()
    }

    fn met(&self, m: &ProductMatch) -> Vec<String> {
        m.met().map(|r| r.reason_zh.clone()).collect()
    }
}

/// `/financing`: the need form; with a need, the products that fit (tick to apply) and the
/// others with why not.
pub async fn financing(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let p = pairs(query.unwrap_or_default().as_bytes());
    let form = NeedForm::from_pairs(&p);
    let outcome = if form.is_empty() {
        Ok(None)
    } else {
        match form.need() {
            Ok(need) => applications::matches(&state.platform, &caller.principal, &need)
                .await
                .map(Some),
            Err(e) => Err(e),
        }
    };
    let (ranked, error) = match outcome {
        Ok(r) => (r, None),
        Err(e) => (None, Some(e)),
    };
    let layout = Page::new(&caller, lang, &csrf);
    render_outcome(
        &FinancingPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            form: if form.guarantee.is_empty() {
                NeedForm {
                    guarantee: "credit".into(),
                    ..form
                }
            } else {
                form
            },
            guarantees: guarantees(),
            error: error.as_ref().map(|e| e.public_message()),
            ranked,
        },
        error.as_ref(),
    )
}

#[derive(Template)]
#[template(path = "financing_confirm.html")]
struct ConfirmPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    form: NeedForm,
    need: Option<Need>,
    back: String,
    products: Vec<ProductView>,
    authorizations: Vec<AuthorizationNotice>,
    error: Option<String>,
}

impl ConfirmPage {
    fn amount(&self) -> String {
        self.need
            .as_ref()
            .map(|n| xinrong_core::finance::product::wan(n.amount_fen))
            .unwrap_or_default()
    }

    fn guarantee_label(&self) -> &'static str {
        self.need.as_ref().map_or("", |n| n.guarantee.label_zh())
    }
}

async fn confirm_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    p: &[(String, String)],
    error: Option<ServiceError>,
) -> Response {
    let form = NeedForm::from_pairs(p);
    let ids: Vec<String> = p
        .iter()
        .filter(|(k, _)| k == "product")
        .map(|(_, v)| v.clone())
        .collect();
    let back = format!("/financing?{}", form.query());
    let need = form.need();
    let preview = match &need {
        Ok(n) => applications::preview(&state.platform, &caller.principal, n, &ids).await,
        Err(_) => Err(ServiceError::invalid("need.amount", "融资需求不完整")),
    };
    let (products, authorizations, err) = match preview {
        Ok(pv) => (pv.products, pv.authorizations, error),
        Err(e) => (Vec::new(), Vec::new(), Some(e)),
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &ConfirmPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            need: need.ok(),
            form,
            back,
            products,
            authorizations,
            error: err.as_ref().map(|e| e.public_message()),
        },
        err.as_ref(),
    )
}

/// `/financing/confirm?…&product=ID&product=ID`: what will be submitted and the
/// authorizations it grants, with the consent checkbox.
pub async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let p = pairs(query.unwrap_or_default().as_bytes());
    confirm_page(&state, &caller, lang, &csrf, &p, None).await
}

/// `POST /financing`: submits (one transaction), then the enterprise's list.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    body: Bytes,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let p = pairs(&body);
    let form = NeedForm::from_pairs(&p);
    let ids: Vec<String> = p
        .iter()
        .filter(|(k, _)| k == "product")
        .map(|(_, v)| v.clone())
        .collect();
    let consent = field(&p, "consent") == "1";
    let done = match form.need() {
        Ok(need) => {
            applications::submit(&state.platform, &caller.principal, need, ids, consent).await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(rows) if rows.len() == 1 => {
            Redirect::to(&format!("/applications/{}", rows[0].id)).into_response()
        }
        Ok(_) => Redirect::to("/applications?submitted=1").into_response(),
        Err(err) => confirm_page(&state, &caller, lang, &csrf, &p, Some(err)).await,
    }
}

#[derive(Template)]
#[template(path = "applications.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    rows: Vec<ApplicationView>,
    status: String,
    overdue: bool,
    submitted: bool,
    statuses: Vec<(&'static str, &'static str)>,
}

impl ListPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        super::objections::label(&self.tr, prefix, code, fallback)
    }
}

/// `/applications`: the enterprise's own, the institution's inbox, government's jurisdiction,
/// the operator's all; filters status and overdue.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let p = pairs(query.unwrap_or_default().as_bytes());
    let status = field(&p, "status").trim().to_owned();
    let overdue = field(&p, "overdue") == "1";
    let q = ListQuery {
        status: (!status.is_empty()).then(|| status.clone()),
        overdue,
        subject: Some(field(&p, "subject").trim().to_owned()).filter(|s| !s.is_empty()),
        institution: None,
    };
    match applications::list(&state.platform, &caller.principal, q).await {
        Ok(rows) => {
            let layout = Page::new(&caller, lang, &csrf);
            super::render(&ListPage {
                tr: layout.tr,
                principal: layout.principal,
                csrf: layout.csrf,
                show_enterprises: layout.show_enterprises,
                rows,
                status,
                overdue,
                submitted: field(&p, "submitted") == "1",
                statuses: Status::ALL
                    .iter()
                    .map(|s| (s.code(), s.label_zh()))
                    .collect(),
            })
        }
        Err(err) => PageError::new(err, lang, "/applications".into()).into_response(),
    }
}

#[derive(Template)]
#[template(path = "application.html")]
struct DetailPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    a: ApplicationView,
    need: Option<NeedView>,
    timeline: Vec<Step>,
    error: Option<String>,
    can_accept: bool,
    can_review: bool,
    can_decide: bool,
    can_withdraw: bool,
}

impl DetailPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        super::objections::label(&self.tr, prefix, code, fallback)
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
    let path = format!("/applications/{id}");
    let d = match applications::detail(&state.platform, &caller.principal, id).await {
        Ok(d) => d,
        Err(err) => return PageError::new(err, lang, path).into_response(),
    };
    let p = &caller.principal;
    let s = Status::parse(&d.application.status);
    let addressee = p.role == Role::Institution && p.org_id == d.application.institution_org_id;
    let applicant = p.role == Role::Enterprise;
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &DetailPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            can_accept: addressee && s == Some(Status::Submitted),
            can_review: addressee && s == Some(Status::Accepted),
            can_decide: addressee && matches!(s, Some(Status::Accepted | Status::UnderReview)),
            can_withdraw: applicant && s.is_some_and(|s| s.is_pending()),
            a: d.application,
            need: d.need,
            timeline: d.timeline,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/applications/{id}`: the application, its need, its timeline (进度跟踪) and the caller's
/// next actions.
pub async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    detail_page(&state, &caller, lang, &csrf, &id, None).await
}

/// `POST /applications/{id}/{action}`: accept, review, approve (optional amount in 万元),
/// reject (reason), withdraw.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let p = pairs(&body);
    let amount = field(&p, "approved_wan").trim();
    let approved = if amount.is_empty() {
        Ok(None)
    } else {
        Fen::parse_yuan(amount)
            .and_then(|f| f.0.checked_mul(10_000))
            .map(Some)
            .ok_or_else(|| {
                ServiceError::invalid("application.approved_amount", "批准金额请填万元数")
            })
    };
    let done = match approved {
        Ok(approved_amount_fen) => {
            let decision = Decision {
                reason: Some(field(&p, "reason").to_owned()),
                approved_amount_fen,
            };
            applications::act(&state.platform, &caller.principal, &id, &action, decision).await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/applications/{id}")).into_response(),
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, Some(err)).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_step_and_overdue_has_a_label_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let tr = Tr(lang);
            let mut keys: Vec<String> = Status::ALL
                .iter()
                .map(|s| format!("applications.st.{}", s.code()))
                .collect();
            keys.push("applications.overdue.accept".into());
            keys.push("applications.overdue.decide".into());
            for kind in [
                "application.submitted",
                "application.accepted",
                "application.review_started",
                "application.approved",
                "application.rejected",
                "application.disbursed",
                "application.withdrawn",
                "application.expired",
                "application.overdue",
            ] {
                assert_ne!(applications::step_label(kind), "其他", "{kind}");
                keys.push(format!("applications.step.{kind}"));
            }
            for key in keys {
                assert_ne!(tr.t(&key), "??", "{key}");
            }
        }
    }

    #[test]
    fn the_need_form_reads_exact_decimals() {
        let form = NeedForm {
            amount_wan: "100.5".into(),
            term_months: "12".into(),
            purpose: "采购".into(),
            guarantee: "credit".into(),
            max_rate: "4.35".into(),
        };
        let need = form.need().unwrap();
        assert_eq!(need.amount_fen, 100_500_000);
        assert_eq!(need.max_rate_bp, Some(435));
        for (amount, rate) in [("abc", ""), ("-1", ""), ("1", "4.355"), ("0", "")] {
            let bad = NeedForm {
                amount_wan: amount.into(),
                max_rate: rate.into(),
                ..form.clone()
            };
            assert!(bad.need().is_err(), "{amount} {rate}");
        }
    }
}
