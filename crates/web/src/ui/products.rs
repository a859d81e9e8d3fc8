//! 金融产品 pages: the public product supermarket (产品超市, also for anonymous visitors) and a
//! product's page; an institution's own products (我的产品) with the create and edit form; the
//! operator's review queue with approve and reject (reason required).

use super::Page;
use super::eligibility_form::EligibilityFields;
use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::Deserialize;
use xinrong_core::codes::size_class::SizeClass;
use xinrong_core::finance::eligibility::GRADES;
use xinrong_core::finance::product::{GuaranteeType, ProductKind, Scenario};
use xinrong_core::money::Fen;
use xinrong_core::money::{parse_rate_percent, rate_text};
use xinrong_core::purpose::Purpose;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::products::{
    self, ProductInput, ProductStep, ProductView, SearchPage, SearchQuery, status,
};
use xinrong_services::identity::Principal;

const INSTITUTION: &[Role] = &[Role::Institution];
const OPERATOR: &[Role] = &[Role::Operator];
const MANAGERS: &[Role] = &[Role::Institution, Role::Operator];

/// Adds this resource's pages, each guarded through [`super::page`].
pub(super) fn routes(registry: &mut Registry, r: Router<AppState>) -> Router<AppState> {
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/products",
        Access::Public,
        get(supermarket),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/products/mine",
        Access::Roles(MANAGERS),
        get(mine),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/products/review",
        Access::Roles(OPERATOR),
        get(review),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/products/new",
        Access::Roles(INSTITUTION),
        get(new_form),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/products/new",
        Access::Roles(INSTITUTION),
        post(create),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/products/{id}",
        Access::Public,
        get(detail),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/products/{id}/edit",
        Access::Roles(INSTITUTION),
        get(edit_form),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/products/{id}/edit",
        Access::Roles(INSTITUTION),
        post(save),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/products/{id}/{action}",
        Access::Roles(MANAGERS),
        post(act),
    )
}

/// The layout's fields for a page anyone may open.
struct Layout {
    tr: Tr,
    principal: Option<Principal>,
    csrf: String,
    show_enterprises: bool,
}

fn layout(caller: Option<&Caller>, lang: Lang, csrf: &CsrfToken) -> Layout {
    match caller {
        Some(c) => {
            let p = Page::new(c, lang, csrf);
            Layout {
                tr: p.tr,
                principal: Some(p.principal),
                csrf: p.csrf,
                show_enterprises: p.show_enterprises,
            }
        }
        None => Layout {
            tr: Tr(lang),
            principal: None,
            csrf: csrf.0.clone(),
            show_enterprises: false,
        },
    }
}

fn role_of(principal: &Option<Principal>) -> &'static str {
    principal.as_ref().map_or("", |p| p.role.code())
}

#[derive(Template)]
#[template(path = "products.html")]
struct SupermarketPage {
    tr: Tr,
    principal: Option<Principal>,
    csrf: String,
    show_enterprises: bool,
    role: &'static str,
    found: SearchPage,
    f: Filters,
    kinds: Vec<(&'static str, &'static str)>,
    scenarios: Vec<(&'static str, &'static str)>,
    guarantees: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    prev: Option<String>,
    next: Option<String>,
}

/// The supermarket's filter form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub scenario: String,
    #[serde(default)]
    pub guarantee: String,
    /// 万元.
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub term: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub page: Option<u32>,
}

impl Filters {
    fn query(&self) -> Result<SearchQuery, ServiceError> {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let amount_fen = match opt(&self.amount) {
            None => None,
            Some(a) => Some(wan_to_fen(&a, "product.amount", "金额")?),
        };
        let term_months = match opt(&self.term) {
            None => None,
            Some(t) => Some(
                t.parse::<u32>()
                    .map_err(|_| ServiceError::invalid("product.term", "期限须为整数个月"))?,
            ),
        };
        Ok(SearchQuery {
            kind: opt(&self.kind),
            scenario: opt(&self.scenario),
            guarantee: opt(&self.guarantee),
            amount_fen,
            term_months,
            region: opt(&self.region),
            q: opt(&self.q),
            page: self.page,
            per_page: None,
        })
    }

    /// The query string of this search on another page.
    fn href(&self, page: u32) -> String {
        let enc = |s: &str| {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        };
        format!(
            "/products?q={}&kind={}&scenario={}&guarantee={}&amount={}&term={}&region={}&page={page}",
            enc(&self.q),
            enc(&self.kind),
            enc(&self.scenario),
            enc(&self.guarantee),
            enc(&self.amount),
            enc(&self.term),
            enc(&self.region)
        )
    }
}

/// 万元 as typed (`50`, `12.5`) in fen.
fn wan_to_fen(text: &str, code: &'static str, what: &str) -> Result<i64, ServiceError> {
    Fen::parse_yuan(text)
        .and_then(|f| f.0.checked_mul(10_000))
        .filter(|f| *f > 0)
        .ok_or_else(|| {
            ServiceError::invalid(code, format!("{what}须为大于 0 的万元数，最多两位小数"))
        })
}

/// fen in 万元 as typed back into the form.
fn fen_to_wan(fen: i64) -> String {
    let t = Fen(fen / 10_000).yuan_text();
    t.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A rate in basis points as typed back into the form (`3.85`).
fn bp_to_percent(bp: u32) -> String {
    rate_text(i64::from(bp)).trim_end_matches('%').to_owned()
}

fn options<T: Copy>(
    all: &[T],
    f: fn(T) -> (&'static str, &'static str),
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| f(*v)).collect()
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    options(ProductKind::ALL, |k| (k.code(), k.label_zh()))
}
fn scenario_options() -> Vec<(&'static str, &'static str)> {
    options(Scenario::ALL, |k| (k.code(), k.label_zh()))
}
fn guarantee_options() -> Vec<(&'static str, &'static str)> {
    options(GuaranteeType::ALL, |k| (k.code(), k.label_zh()))
}

/// `/products`: the product supermarket, for everyone.
async fn supermarket(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Option<Extension<Caller>>,
    Query(f): Query<Filters>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let caller = caller.map(|c| c.0);
    let l = layout(caller.as_ref(), lang, &csrf);
    let (found, error) = match f.query() {
        Ok(q) => match products::search(&state.platform, &q).await {
            Ok(found) => (found, None),
            Err(err) => (empty_page(), Some(err)),
        },
        Err(err) => (empty_page(), Some(err)),
    };
    let prev = (found.page > 1).then(|| f.href(found.page - 1));
    let next = (found.page < found.pages).then(|| f.href(found.page + 1));
    super::render_outcome(
        &SupermarketPage {
            role: role_of(&l.principal),
            tr: l.tr,
            principal: l.principal,
            csrf: l.csrf,
            show_enterprises: l.show_enterprises,
            found,
            f,
            kinds: kinds(),
            scenarios: scenario_options(),
            guarantees: guarantee_options(),
            error: error.as_ref().map(|e| e.public_message()),
            prev,
            next,
        },
        error.as_ref(),
    )
}

fn empty_page() -> SearchPage {
    SearchPage {
        items: Vec::new(),
        total: 0,
        page: 1,
        per_page: products::PER_PAGE,
        pages: 1,
    }
}

#[derive(Template)]
#[template(path = "product.html")]
struct DetailPage {
    tr: Tr,
    principal: Option<Principal>,
    csrf: String,
    show_enterprises: bool,
    role: &'static str,
    p: ProductView,
    timeline: Vec<ProductStep>,
    error: Option<String>,
    editable: bool,
    can_review: bool,
    can_delist: bool,
}

async fn detail_page(
    state: &AppState,
    caller: Option<&Caller>,
    lang: Lang,
    csrf: &CsrfToken,
    id: &str,
    error: Option<ServiceError>,
) -> Response {
    let principal = caller.map(|c| &c.principal);
    let d = match products::show(&state.platform, principal, id).await {
        Ok(d) => d,
        Err(err) => return PageError::new(err, lang, "/products".into()).into_response(),
    };
    let is_owner = principal
        .is_some_and(|p| p.role == Role::Institution && p.org_id == d.product.institution_org_id);
    let is_operator = principal.is_some_and(|p| p.role == Role::Operator);
    let s = d.product.status.as_str();
    let l = layout(caller, lang, csrf);
    super::render_outcome(
        &DetailPage {
            role: role_of(&l.principal),
            tr: l.tr,
            principal: l.principal,
            csrf: l.csrf,
            show_enterprises: l.show_enterprises,
            editable: is_owner && status::EDITABLE.contains(&s),
            can_review: is_operator && s == status::PENDING,
            can_delist: (is_owner || is_operator) && s == status::LISTED,
            p: d.product,
            timeline: d.timeline,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/products/{id}`: a product's terms and eligibility in plain Chinese; the caller's actions.
async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Option<Extension<Caller>>,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let caller = caller.map(|c| c.0);
    detail_page(&state, caller.as_ref(), lang, &csrf, &id, None).await
}

#[derive(Template)]
#[template(path = "products_manage.html")]
struct ManagePage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    rows: Vec<ProductView>,
    /// The operator's review queue (with approve and reject) rather than a plain list.
    review: bool,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct ManageParams {
    pub status: Option<String>,
}

/// `/products/mine`: an institution's own products (the operator: all), by status.
async fn mine(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<ManageParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let status_filter = params.status.filter(|s| !s.is_empty());
    match products::list(&state.platform, &caller.principal, status_filter.as_deref()).await {
        Ok(rows) => manage_page(&caller, lang, &csrf, rows, false, status_filter, None),
        Err(err) => PageError::new(err, lang, "/products".into()).into_response(),
    }
}

fn manage_page(
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    rows: Vec<ProductView>,
    review: bool,
    status_filter: Option<String>,
    error: Option<ServiceError>,
) -> Response {
    let l = Page::new(caller, lang, csrf);
    super::render_outcome(
        &ManagePage {
            tr: l.tr,
            principal: l.principal,
            csrf: l.csrf,
            show_enterprises: l.show_enterprises,
            rows,
            review,
            status: status_filter.unwrap_or_default(),
            statuses: status::ALL
                .iter()
                .map(|s| (*s, status::label_zh(s)))
                .collect(),
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/products/review`: the operator's queue of pending products.
async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let lang = Lang::from_headers(&headers);
    review_page(&state, &caller, lang, &csrf, None).await
}

async fn review_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    error: Option<ServiceError>,
) -> Response {
    match products::review_queue(&state.platform, &caller.principal).await {
        Ok(rows) => manage_page(caller, lang, csrf, rows, true, None, error),
        Err(err) => PageError::new(err, lang, "/products".into()).into_response(),
    }
}

/// The product form's fields, as typed (amounts in 万元, rates in %).
#[derive(Debug, Clone, Default)]
pub struct FormValues {
    pub name: String,
    pub kind: String,
    pub scenarios: Vec<String>,
    pub description: String,
    pub amount_min: String,
    pub amount_max: String,
    pub term_min: String,
    pub term_max: String,
    pub rate_min: String,
    pub rate_max: String,
    pub guarantees: Vec<String>,
    pub required_items: Vec<String>,
    pub purpose: String,
    pub eligibility: EligibilityFields,
}

impl FormValues {
    fn from_pairs(pairs: Vec<(String, String)>) -> FormValues {
        let mut v = FormValues::default();
        for (k, val) in pairs {
            match k.as_str() {
                "name" => v.name = val,
                "kind" => v.kind = val,
                "scenario" => v.scenarios.push(val),
                "description" => v.description = val,
                "amount_min" => v.amount_min = val,
                "amount_max" => v.amount_max = val,
                "term_min" => v.term_min = val,
                "term_max" => v.term_max = val,
                "rate_min" => v.rate_min = val,
                "rate_max" => v.rate_max = val,
                "guarantee" => v.guarantees.push(val),
                "required_items" => v.required_items.push(val),
                "purpose" => v.purpose = val,
                _ => {
                    v.eligibility.accept(&k, val);
                }
            }
        }
        v
    }

    fn of(p: &ProductView) -> FormValues {
        FormValues {
            eligibility: EligibilityFields::of(&p.eligibility),
            name: p.name.clone(),
            kind: p.kind.code().to_owned(),
            scenarios: p.scenarios.iter().map(|s| s.code().to_owned()).collect(),
            description: p.description.clone(),
            amount_min: fen_to_wan(p.terms.amount_min_fen),
            amount_max: fen_to_wan(p.terms.amount_max_fen),
            term_min: p.terms.term_min_months.to_string(),
            term_max: p.terms.term_max_months.to_string(),
            rate_min: bp_to_percent(p.terms.rate_min_bp),
            rate_max: bp_to_percent(p.terms.rate_max_bp),
            guarantees: p
                .terms
                .guarantee_types
                .iter()
                .map(|g| g.code().to_owned())
                .collect(),
            required_items: p.required_items.clone(),
            purpose: p.purpose_code.clone(),
        }
    }

    /// The input these fields describe; the first field that cannot be read, with its code.
    fn input(&self) -> Result<ProductInput, ServiceError> {
        let kind = ProductKind::parse(&self.kind)
            .ok_or_else(|| ServiceError::invalid("product.kind", "请选择产品类型"))?;
        let scenarios = self
            .scenarios
            .iter()
            .map(|s| {
                Scenario::parse(s).ok_or_else(|| {
                    ServiceError::invalid("product.scenario", format!("未知的应用场景：{s}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let guarantee_types = self
            .guarantees
            .iter()
            .map(|s| {
                GuaranteeType::parse(s).ok_or_else(|| {
                    ServiceError::invalid("product.guarantee", format!("未知的担保方式：{s}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let months = |t: &str, code: &'static str, what: &str| -> Result<u32, ServiceError> {
            t.trim()
                .parse::<u32>()
                .map_err(|_| ServiceError::invalid(code, format!("{what}须为整数个月")))
        };
        let rate = |t: &str, what: &str| -> Result<u32, ServiceError> {
            parse_rate_percent(t)
                .and_then(|bp| u32::try_from(bp).ok())
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "product.rate",
                        format!("{what}须为百分数，最多两位小数（如 3.85）"),
                    )
                })
        };
        Ok(ProductInput {
            name: self.name.clone(),
            kind,
            scenarios,
            description: self.description.clone(),
            amount_min_fen: wan_to_fen(&self.amount_min, "product.amount", "最低额度")?,
            amount_max_fen: wan_to_fen(&self.amount_max, "product.amount", "最高额度")?,
            term_min_months: months(&self.term_min, "product.term", "最短期限")?,
            term_max_months: months(&self.term_max, "product.term", "最长期限")?,
            rate_min_bp: rate(&self.rate_min, "最低年利率")?,
            rate_max_bp: rate(&self.rate_max, "最高年利率")?,
            guarantee_types,
            eligibility: self.eligibility.parse()?,
            required_items: self.required_items.clone(),
            purpose_code: self.purpose.clone(),
        })
    }
}

#[derive(Template)]
#[template(path = "product_form.html")]
struct FormPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    /// None: a new product.
    id: Option<String>,
    v: FormValues,
    error: Option<String>,
    kinds: Vec<(&'static str, &'static str)>,
    scenarios: Vec<(&'static str, &'static str)>,
    guarantees: Vec<(&'static str, &'static str)>,
    purposes: Vec<(&'static str, &'static str)>,
    grades: Vec<&'static str>,
    sizes: Vec<(&'static str, &'static str)>,
    items: Vec<(String, String)>,
}

impl FormPage {
    fn has(&self, list: &[String], code: &str) -> bool {
        list.iter().any(|c| c == code)
    }
}

fn form_page(
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    id: Option<String>,
    v: FormValues,
    error: Option<ServiceError>,
) -> Response {
    let l = Page::new(caller, lang, csrf);
    let items = xinrong_services::catalog::current()
        .items
        .iter()
        .map(|i| (i.key.clone(), i.label.clone()))
        .collect();
    super::render_outcome(
        &FormPage {
            tr: l.tr,
            principal: l.principal,
            csrf: l.csrf,
            show_enterprises: l.show_enterprises,
            id,
            v,
            error: error.as_ref().map(|e| e.public_message()),
            kinds: kinds(),
            scenarios: scenario_options(),
            guarantees: guarantee_options(),
            purposes: Purpose::ALL
                .iter()
                .map(|p| (p.code(), p.label_zh()))
                .collect(),
            grades: GRADES.to_vec(),
            sizes: SizeClass::ALL
                .iter()
                .map(|s| (s.code(), s.label_zh()))
                .collect(),
            items,
        },
        error.as_ref(),
    )
}

/// `/products/new`: the institution's form for a new product.
async fn new_form(
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let v = FormValues {
        kind: ProductKind::CreditLoan.code().to_owned(),
        purpose: Purpose::PreLoan.code().to_owned(),
        guarantees: vec![GuaranteeType::Credit.code().to_owned()],
        ..FormValues::default()
    };
    form_page(&caller, lang, &csrf, None, v, None)
}

/// `POST /products/new`: creates the draft, then its page.
async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let v = FormValues::from_pairs(pairs);
    let result = match v.input() {
        Ok(input) => products::create(&state.platform, &caller.principal, input).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(p) => Redirect::to(&format!("/products/{}", p.id)).into_response(),
        Err(err) => form_page(&caller, lang, &csrf, None, v, Some(err)),
    }
}

/// `/products/{id}/edit`: the institution's form for its own product.
async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match products::show(&state.platform, Some(&caller.principal), &id).await {
        Ok(d) if d.product.institution_org_id == caller.principal.org_id => {
            let v = FormValues::of(&d.product);
            form_page(&caller, lang, &csrf, Some(d.product.id), v, None)
        }
        Ok(_) => PageError::new(ServiceError::NotFound("金融产品"), lang, "/products".into())
            .into_response(),
        Err(err) => PageError::new(err, lang, "/products".into()).into_response(),
    }
}

/// `POST /products/{id}/edit`: saves the draft, then its page.
async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let v = FormValues::from_pairs(pairs);
    let result = match v.input() {
        Ok(input) => products::update(&state.platform, &caller.principal, &id, input).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(p) => Redirect::to(&format!("/products/{}", p.id)).into_response(),
        Err(err) => form_page(&caller, lang, &csrf, Some(id), v, Some(err)),
    }
}

/// Every action form posts these fields.
#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    pub reason: String,
    /// `review`: back to the review queue afterwards.
    #[serde(default)]
    pub back: String,
}

/// `POST /products/{id}/{action}`: submit, approve, reject or delist.
async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let platform = &state.platform;
    let p = &caller.principal;
    let result = match action.as_str() {
        "submit" => products::submit(platform, p, &id).await,
        "approve" => products::approve(platform, p, &id).await,
        "reject" => products::reject(platform, p, &id, &form.reason).await,
        "delist" => products::delist(platform, p, &id, &form.reason).await,
        _ => Err(ServiceError::NotFound("操作")),
    };
    let to_queue = form.back == "review";
    match result {
        Ok(_) if to_queue => Redirect::to("/products/review").into_response(),
        Ok(v) => Redirect::to(&format!("/products/{}", v.id)).into_response(),
        Err(err) if to_queue => review_page(&state, &caller, lang, &csrf, Some(err)).await,
        Err(err) => detail_page(&state, Some(&caller), lang, &csrf, &id, Some(err)).await,
    }
}
