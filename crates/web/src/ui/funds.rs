//! 风险补偿基金 pages: the funds a reader may see (government units create them for their
//! jurisdiction), one fund with its balance, rules, balance history, registered loans and
//! claims, with the actions of the reader's role: top up, approve / reject / pay (the manager),
//! register a loan and claim with documents (an institution).

use super::objections::{Posted, read_multipart};
use super::{Page, render_outcome};
use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::Deserialize;
use xinrong_core::finance::fund::FundRules;
use xinrong_core::money::Fen;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::funds::{self, ClaimFiling, FundDetail, FundView, NewFund};
use xinrong_services::identity::{Organization, Principal, list_organizations};

/// Who opens the fund pages (the service checks jurisdiction, manager and institution).
pub const ROLES: &[Role] = &[Role::Operator, Role::Government, Role::Institution];
/// Who creates funds.
pub const CREATORS: &[Role] = &[Role::Operator, Role::Government];
/// Claim forms carry documents: up to 10 files of 10 MiB.
pub const BODY_LIMIT: usize = 110 * 1024 * 1024;

/// Adds this resource's pages, each guarded through [`super::page`].
pub(super) fn routes(registry: &mut Registry, r: Router<AppState>) -> Router<AppState> {
    let readers = Access::Roles(ROLES);
    let r = super::page(registry, r, Method::GET, "/funds", readers, get(list));
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/funds",
        Access::Roles(CREATORS),
        post(create),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/funds/{id}",
        readers,
        get(detail),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/funds/{id}/topups",
        readers,
        post(topup),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/funds/{id}/loans",
        readers,
        post(register_loan),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/funds/{id}/claims",
        readers,
        post(file_claim).layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT)),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/funds/{id}/claims/{claim}/{action}",
        readers,
        post(act),
    );
    super::page(
        registry,
        r,
        Method::GET,
        "/funds/{id}/claims/{claim}/attachments/{attachment_id}",
        readers,
        get(attachment),
    )
}

fn label(tr: &Tr, prefix: &str, code: &str, fallback: &str) -> String {
    super::objections::label(tr, prefix, code, fallback)
}

#[derive(Template)]
#[template(path = "funds.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    rows: Vec<FundView>,
    can_create: bool,
    /// Government units to manage a new fund (operator only).
    managers: Vec<Organization>,
    error: Option<String>,
    form: CreateForm,
}

impl ListPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        label(&self.tr, prefix, code, fallback)
    }
}

/// The create form's fields (money as 元 text, the share as a percentage).
#[derive(Deserialize, Default, Clone)]
pub struct CreateForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub manager_org_id: String,
    #[serde(default)]
    pub share_percent: String,
    #[serde(default)]
    pub cap_per_loan: String,
    #[serde(default)]
    pub cap_per_institution: String,
    #[serde(default)]
    pub pure_credit_only: Option<String>,
    #[serde(default)]
    pub initial_topup: String,
}

/// 元 text (`100000.00`) as fen, or `code`.
fn yuan_field(text: &str, code: &'static str, what: &str) -> Result<i64, ServiceError> {
    let t = text.trim().replace([',', '，'], "");
    if t.is_empty() {
        return Ok(0);
    }
    Fen::parse_yuan(&t)
        .map(|f| f.0)
        .ok_or_else(|| ServiceError::invalid(code, format!("{what}须为金额（元，最多两位小数）")))
}

/// A percentage with up to two decimals as basis points (`40` → 4000, `37.5` → 3750).
fn percent_field(text: &str) -> Result<u32, ServiceError> {
    Fen::parse_yuan(text.trim().trim_end_matches('%'))
        .and_then(|f| u32::try_from(f.0).ok())
        .ok_or_else(|| {
            ServiceError::invalid("fund.share", "代偿比例须为百分数（最多两位小数），如 40")
        })
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    form: CreateForm,
    error: Option<ServiceError>,
) -> Response {
    let p = &caller.principal;
    let rows = match funds::list(&state.platform, p).await {
        Ok(r) => r,
        Err(err) => return PageError::new(err, lang, "/funds".into()).into_response(),
    };
    let managers = if p.role == Role::Operator {
        list_organizations(&state.platform, Some(Role::Government))
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &ListPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            rows,
            can_create: CREATORS.contains(&p.role),
            managers,
            error: error.as_ref().map(|e| e.public_message()),
            form,
        },
        error.as_ref(),
    )
}

/// `/funds`: the funds the reader may see; government units and the operator create one.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let lang = Lang::from_headers(&headers);
    list_page(&state, &caller, lang, &csrf, CreateForm::default(), None).await
}

/// `POST /funds`: creates a fund.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(form): Form<CreateForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let built = (|| -> Result<NewFund, ServiceError> {
        Ok(NewFund {
            name: form.name.clone(),
            region_code: Some(form.region_code.clone()).filter(|r| !r.trim().is_empty()),
            manager_org_id: Some(form.manager_org_id.clone()).filter(|m| !m.is_empty()),
            rules: FundRules {
                share_bp: percent_field(&form.share_percent)?,
                cap_per_loan_fen: yuan_field(&form.cap_per_loan, "fund.cap", "单笔贷款上限")?,
                cap_per_institution_fen: yuan_field(
                    &form.cap_per_institution,
                    "fund.cap",
                    "单家机构上限",
                )?,
                eligible_product_ids: vec![],
                eligible_institution_org_ids: vec![],
                pure_credit_only: form.pure_credit_only.is_some(),
            },
            initial_topup_fen: yuan_field(&form.initial_topup, "fund.amount", "初始注资")?,
        })
    })();
    let done = match built {
        Ok(new) => funds::create(&state.platform, &caller.principal, new).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(f) => Redirect::to(&format!("/funds/{}", f.id)).into_response(),
        Err(err) => list_page(&state, &caller, lang, &csrf, form, Some(err)).await,
    }
}

#[derive(Template)]
#[template(path = "fund.html")]
struct DetailPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    d: FundDetail,
    available_text: String,
    error: Option<String>,
}

impl DetailPage {
    fn label(&self, prefix: &str, code: &str, fallback: &str) -> String {
        label(&self.tr, prefix, code, fallback)
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
    let d = match funds::detail(&state.platform, &caller.principal, id).await {
        Ok(d) => d,
        Err(err) => return PageError::new(err, lang, format!("/funds/{id}")).into_response(),
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &DetailPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            available_text: Fen(d.available_fen).to_string(),
            d,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/funds/{id}`: balance, rules, history, loans and claims, with the reader's actions.
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

#[derive(Deserialize, Default)]
pub struct TopupForm {
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub note: String,
}

/// `POST /funds/{id}/topups`.
pub async fn topup(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<TopupForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let done = match yuan_field(&form.amount, "fund.amount", "注资金额") {
        Ok(amount) => funds::topup(&state.platform, &caller.principal, &id, amount, &form.note)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/funds/{id}")).into_response(),
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, Some(err)).await,
    }
}

#[derive(Deserialize, Default)]
pub struct LoanForm {
    #[serde(default)]
    pub loan_id: String,
}

/// `POST /funds/{id}/loans`: an institution registers a loan.
pub async fn register_loan(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<LoanForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match funds::register_loan(&state.platform, &caller.principal, &id, &form.loan_id).await {
        Ok(_) => Redirect::to(&format!("/funds/{id}")).into_response(),
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, Some(err)).await,
    }
}

/// `POST /funds/{id}/claims` (multipart, CSRF token in the URL): an institution claims.
pub async fn file_claim(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let done = async {
        let Posted { fields, files } = read_multipart(multipart).await?;
        let field = |k: &str| fields.get(k).cloned().unwrap_or_default();
        let loss = yuan_field(&field("loss"), "fund.claim_loss", "损失金额")?;
        funds::file_claim(
            &state.platform,
            &caller.principal,
            &id,
            ClaimFiling {
                loan_id: field("loan_id"),
                loss_fen: loss,
                reason: field("reason"),
                attachments: files,
            },
        )
        .await
    }
    .await;
    match done {
        Ok(_) => Redirect::to(&format!("/funds/{id}#claims")).into_response(),
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, Some(err)).await,
    }
}

#[derive(Deserialize, Default)]
pub struct ActForm {
    #[serde(default)]
    pub text: String,
}

/// `POST /funds/{id}/claims/{claim}/{action}`: approve, reject or pay.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path((id, claim, action)): Path<(String, String, String)>,
    Form(form): Form<ActForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let (platform, p) = (&state.platform, &caller.principal);
    let done = match action.as_str() {
        "approve" => funds::approve(platform, p, &id, &claim, &form.text).await,
        "reject" => funds::reject(platform, p, &id, &claim, &form.text).await,
        "pay" => funds::pay(platform, p, &id, &claim).await,
        _ => Err(ServiceError::NotFound("操作")),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/funds/{id}#claims")).into_response(),
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, Some(err)).await,
    }
}

/// `/funds/{id}/claims/{claim}/attachments/{attachment_id}`: a claim document, as a download.
pub async fn attachment(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path((id, claim, attachment_id)): Path<(String, String, String)>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let file = funds::claim_attachment(
        &state.platform,
        &caller.principal,
        &id,
        &claim,
        &attachment_id,
    )
    .await;
    super::objections::download_or_page(file, lang, format!("/funds/{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use xinrong_core::finance::fund::{claim_status, movement_kind, status};

    #[test]
    fn every_status_has_a_label_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let tr = Tr(lang);
            let mut keys: Vec<String> = status::ALL
                .iter()
                .map(|s| format!("funds.st.{s}"))
                .collect();
            keys.extend(
                claim_status::ALL
                    .iter()
                    .map(|s| format!("funds.claim_st.{s}")),
            );
            keys.extend(
                ["share", "loan_cap", "institution_cap", "balance"]
                    .iter()
                    .map(|s| format!("funds.limit.{s}")),
            );
            keys.extend(
                [movement_kind::TOPUP, movement_kind::PAYOUT]
                    .iter()
                    .map(|s| format!("funds.mv.{s}")),
            );
            keys.extend(
                ["normal", "overdue", "default", "settled"]
                    .iter()
                    .map(|s| format!("funds.loan_st.{s}")),
            );
            for key in keys {
                assert_ne!(tr.t(&key), "??", "{key}");
            }
        }
    }

    #[test]
    fn form_amounts_and_shares() {
        assert_eq!(yuan_field("100,000.50", "x", "x").unwrap(), 10_000_050);
        assert_eq!(yuan_field("", "x", "x").unwrap(), 0);
        assert!(yuan_field("1.234", "x", "x").is_err());
        assert_eq!(percent_field("40").unwrap(), 4_000);
        assert_eq!(percent_field("37.5%").unwrap(), 3_750);
        assert!(percent_field("abc").is_err());
    }
}
