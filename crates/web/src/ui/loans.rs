//! 获贷明细 pages: every party's list with filters and totals; the institution's recording
//! form (optionally prefilled from an approved application), batch upload with the table of
//! row errors, and each loan with its repayments, status actions and timeline.

use super::{Page, render, render_outcome};
use crate::access::{Access, Registry};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use xinrong_core::finance::loan::{GUARANTEES, LoanStatus, guarantee_label_zh};
use xinrong_core::money::Fen;
use xinrong_core::money::{parse_rate_percent, rate_text};
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::loans::{
    self, BatchReport, FLAGS, FileFormat, Flags, LoanDetail, LoanList, LoanQuery, NewLoan,
    NewRepayment, Prefill,
};
use xinrong_services::identity::Principal;

/// Who opens the loan pages (each sees its own scope).
pub const READERS: &[Role] = &[
    Role::Operator,
    Role::Government,
    Role::Institution,
    Role::Enterprise,
];
/// Who records.
pub const LENDERS: &[Role] = &[Role::Institution];

/// Adds this resource's pages, each guarded through [`super::page`].
pub(super) fn routes(registry: &mut Registry, r: Router<AppState>) -> Router<AppState> {
    let readers = Access::Roles(READERS);
    let lenders = Access::Roles(LENDERS);
    let r = super::page(registry, r, Method::GET, "/loans", readers, get(list));
    let r = super::page(registry, r, Method::POST, "/loans", lenders, post(create));
    let r = super::page(registry, r, Method::GET, "/loans/new", lenders, get(new));
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/loans/upload",
        lenders,
        get(upload_form),
    );
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/loans/upload",
        lenders,
        post(upload).layer(axum::extract::DefaultBodyLimit::max(
            loans::MAX_FILE_BYTES + 64 * 1024,
        )),
    );
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/loans/{id}",
        readers,
        get(detail),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/loans/{id}/{action}",
        lenders,
        post(act),
    )
}

/// Money and labels shared by the loan templates.
pub(super) trait Show {
    fn tr(&self) -> &Tr;
    fn yuan(&self, fen: &i64) -> String {
        Fen(*fen).yuan_text()
    }
    fn wan(&self, fen: &i64) -> String {
        Fen(*fen).display_wan_yuan()
    }
    fn rate(&self, bp: &i64) -> String {
        rate_text(*bp)
    }
    fn status_label(&self, code: &str) -> String {
        let fallback = LoanStatus::parse(code).map_or("未知", LoanStatus::label_zh);
        super::objections::label(self.tr(), "loans.st", code, fallback)
    }
    fn guarantee_label(&self, code: &str) -> String {
        super::objections::label(self.tr(), "loans.g", code, guarantee_label_zh(code))
    }
    fn flag_label(&self, code: &str) -> String {
        let fallback = FLAGS
            .iter()
            .find(|(k, _)| *k == code)
            .map_or(code, |(_, l)| *l);
        super::objections::label(self.tr(), "loans.flag", code, fallback)
    }
}

#[derive(Template)]
#[template(path = "loans.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    list: LoanList,
    f: ListParams,
    statuses: Vec<&'static str>,
    flags: Vec<&'static str>,
    guarantees: Vec<&'static str>,
    is_lender: bool,
}

impl Show for ListPage {
    fn tr(&self) -> &Tr {
        &self.tr
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListParams {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub flag: String,
    #[serde(default)]
    pub guarantee: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn date(s: &str) -> Option<NaiveDate> {
    s.trim().parse().ok()
}

/// `/loans`: the caller's loans, filtered, with totals.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(f): Query<ListParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let q = LoanQuery {
        subject: opt(&f.subject),
        status: opt(&f.status),
        flag: opt(&f.flag),
        guarantee: opt(&f.guarantee),
        from: date(&f.from),
        to: date(&f.to),
        limit: Some(200),
        ..LoanQuery::default()
    };
    match loans::list(&state.platform, &caller.principal, q).await {
        Ok(list) => {
            let layout = Page::new(&caller, lang, &csrf);
            render(&ListPage {
                is_lender: layout.principal.role == Role::Institution,
                tr: layout.tr,
                principal: layout.principal,
                csrf: layout.csrf,
                show_enterprises: layout.show_enterprises,
                list,
                f,
                statuses: LoanStatus::ALL.iter().map(|s| s.code()).collect(),
                flags: FLAGS.iter().map(|(k, _)| *k).collect(),
                guarantees: GUARANTEES.to_vec(),
            })
        }
        Err(err) => PageError::new(err, lang, "/loans".into()).into_response(),
    }
}

/// The recording form's fields, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct NewForm {
    #[serde(default)]
    pub subject_uscc: String,
    #[serde(default)]
    pub contract_no: String,
    #[serde(default)]
    pub amount_yuan: String,
    #[serde(default)]
    pub rate_percent: String,
    #[serde(default)]
    pub term_months: String,
    #[serde(default)]
    pub guarantee: String,
    pub pure_credit: Option<String>,
    pub first_loan: Option<String>,
    pub renewal: Option<String>,
    pub no_principal_renewal: Option<String>,
    #[serde(default)]
    pub disbursed_on: String,
    #[serde(default)]
    pub application_id: String,
}

#[derive(Template)]
#[template(path = "loan_new.html")]
struct NewPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    form: NewForm,
    prefill: Option<Prefill>,
    guarantees: Vec<&'static str>,
    error: Option<String>,
}

impl Show for NewPage {
    fn tr(&self) -> &Tr {
        &self.tr
    }
}

fn new_page(
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    form: NewForm,
    prefill: Option<Prefill>,
    error: Option<&ServiceError>,
) -> Response {
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &NewPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            form,
            prefill,
            guarantees: GUARANTEES.to_vec(),
            error: error.map(|e| e.public_message()),
        },
        error,
    )
}

#[derive(Deserialize)]
pub struct NewParams {
    pub application: Option<String>,
}

/// `/loans/new[?application=ID]`: the recording form, prefilled from an approved application.
pub async fn new(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Query(params): Query<NewParams>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let mut form = NewForm {
        disbursed_on: xinrong_services::objections::today(&state.platform).to_string(),
        ..NewForm::default()
    };
    let mut prefill = None;
    if let Some(app) = params.application.as_deref().filter(|a| !a.is_empty()) {
        match loans::prefill(&state.platform, &caller.principal, app).await {
            Ok(p) => {
                form.subject_uscc = p.subject.clone();
                form.amount_yuan = Fen(p.amount_fen).yuan_text();
                form.term_months = p.term_months.to_string();
                form.application_id = p.application_id.clone();
                prefill = Some(p);
            }
            Err(err) => {
                return PageError::new(err, lang, "/loans/new".into()).into_response();
            }
        }
    }
    new_page(&caller, lang, &csrf, form, prefill, None)
}

fn to_new_loan(form: &NewForm) -> Result<NewLoan, ServiceError> {
    let amount = form.amount_yuan.trim().replace(',', "");
    let amount_fen = Fen::parse_yuan(&amount).map(|f| f.0).ok_or_else(|| {
        ServiceError::invalid("loan.amount", "放款金额须为以元为单位、最多两位小数的数字")
    })?;
    let rate_bp = parse_rate_percent(&form.rate_percent).ok_or_else(|| {
        ServiceError::invalid("loan.rate", "年利率须为百分数，最多两位小数（如 3.85）")
    })?;
    let term_months = form
        .term_months
        .trim()
        .parse::<i64>()
        .map_err(|_| ServiceError::invalid("loan.term", "期限须为整数月数"))?;
    let disbursed_on = form.disbursed_on.trim().parse::<NaiveDate>().ok();
    Ok(NewLoan {
        subject: form.subject_uscc.clone(),
        contract_no: form.contract_no.clone(),
        amount_fen,
        rate_bp,
        term_months,
        guarantee: form.guarantee.clone(),
        flags: Flags {
            pure_credit: form.pure_credit.is_some(),
            first_loan: form.first_loan.is_some(),
            renewal: form.renewal.is_some(),
            no_principal_renewal: form.no_principal_renewal.is_some(),
        },
        disbursed_on,
        application_id: opt(&form.application_id),
    })
}

/// `POST /loans`: records the loan; the form again with the reason when refused.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(form): Form<NewForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let result = match to_new_loan(&form) {
        Ok(n) => loans::record(&state.platform, &caller.principal, n).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Redirect::to(&format!("/loans/{}", r.loan.id)).into_response(),
        Err(err) => {
            let prefill = match opt(&form.application_id) {
                Some(a) => loans::prefill(&state.platform, &caller.principal, &a)
                    .await
                    .ok(),
                None => None,
            };
            new_page(&caller, lang, &csrf, form, prefill, Some(&err))
        }
    }
}

#[derive(Template)]
#[template(path = "loan_upload.html")]
struct UploadPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    report: Option<BatchReport>,
    error: Option<String>,
    columns: Vec<(&'static str, &'static str, bool)>,
}

impl Show for UploadPage {
    fn tr(&self) -> &Tr {
        &self.tr
    }
}

fn upload_page(
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    report: Option<BatchReport>,
    error: Option<&ServiceError>,
) -> Response {
    let layout = Page::new(caller, lang, csrf);
    let refused = report.as_ref().is_some_and(|r| !r.applied);
    let mut response = render_outcome(
        &UploadPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            report,
            error: error.map(|e| e.public_message()),
            columns: loans::COLUMNS.iter().map(|c| (c.0, c.1, c.2)).collect(),
        },
        error,
    );
    if refused && response.status() == axum::http::StatusCode::OK {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// `/loans/upload`: the batch upload form and the template.
pub async fn upload_form(
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    upload_page(&caller, Lang::from_headers(&headers), &csrf, None, None)
}

/// `POST /loans/upload` (multipart, CSRF token in the URL): all rows or none.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    mut multipart: Multipart,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() == Some("file") {
                    let name = field.file_name().unwrap_or_default().to_owned();
                    match field.bytes().await {
                        Ok(b) => file = Some((name, b.to_vec())),
                        Err(e) => {
                            let err = ServiceError::invalid(
                                "loan.batch_file",
                                format!("上传内容无法读取：{e}"),
                            );
                            return upload_page(&caller, lang, &csrf, None, Some(&err));
                        }
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                let err =
                    ServiceError::invalid("loan.batch_file", format!("上传内容无法读取：{e}"));
                return upload_page(&caller, lang, &csrf, None, Some(&err));
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let err = ServiceError::invalid("loan.batch_file", "请选择要上传的文件");
        return upload_page(&caller, lang, &csrf, None, Some(&err));
    };
    let format = FileFormat::of_filename(&name);
    match loans::import(&state.platform, &caller.principal, format, &bytes).await {
        Ok(report) => upload_page(&caller, lang, &csrf, Some(report), None),
        Err(err) => upload_page(&caller, lang, &csrf, None, Some(&err)),
    }
}

#[derive(Template)]
#[template(path = "loan.html")]
struct DetailPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    d: LoanDetail,
    can_act: bool,
    next_statuses: Vec<&'static str>,
    today: String,
    error: Option<String>,
}

impl Show for DetailPage {
    fn tr(&self) -> &Tr {
        &self.tr
    }
}

impl DetailPage {
    fn step_label(&self, kind: &str, fallback: &str) -> String {
        super::objections::label(&self.tr, "loans.step", kind, fallback)
    }
}

async fn detail_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    id: &str,
    error: Option<&ServiceError>,
) -> Response {
    let d = match loans::detail(&state.platform, &caller.principal, id).await {
        Ok(d) => d,
        Err(err) => return PageError::new(err, lang, format!("/loans/{id}")).into_response(),
    };
    let p = &caller.principal;
    let can_act = p.role == Role::Institution
        && p.org_id == d.loan.institution_org_id
        && d.loan.status != LoanStatus::Settled.code();
    let from = LoanStatus::parse(&d.loan.status).unwrap_or(LoanStatus::Normal);
    let next_statuses = LoanStatus::ALL
        .into_iter()
        .filter(|s| from.can_become(*s, d.loan.outstanding_fen).is_ok())
        .map(LoanStatus::code)
        .collect();
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &DetailPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            today: xinrong_services::objections::today(&state.platform).to_string(),
            d,
            can_act,
            next_statuses,
            error: error.map(|e| e.public_message()),
        },
        error,
    )
}

/// `/loans/{id}`: the loan, its repayments, timeline and (lender) actions.
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
pub struct ActForm {
    #[serde(default)]
    pub paid_on: String,
    #[serde(default)]
    pub principal_yuan: String,
    #[serde(default)]
    pub interest_yuan: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
}

fn yuan_field(text: &str) -> Result<i64, ServiceError> {
    let t = text.trim().replace(',', "");
    if t.is_empty() {
        return Ok(0);
    }
    Fen::parse_yuan(&t).map(|f| f.0).ok_or_else(|| {
        ServiceError::invalid(
            "loan.repayment_amount",
            "还款金额须为以元为单位、最多两位小数的数字",
        )
    })
}

/// `POST /loans/{id}/repayments` or `/loans/{id}/status`.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ActForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let p = &caller.principal;
    let result = match action.as_str() {
        "repayments" => match (
            yuan_field(&form.principal_yuan),
            yuan_field(&form.interest_yuan),
        ) {
            (Ok(principal_fen), Ok(interest_fen)) => {
                loans::repay(
                    &state.platform,
                    p,
                    &id,
                    NewRepayment {
                        paid_on: form.paid_on.trim().parse().ok(),
                        principal_fen,
                        interest_fen,
                    },
                )
                .await
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        },
        "status" => loans::set_status(&state.platform, p, &id, &form.status, &form.note).await,
        _ => Err(ServiceError::NotFound("操作")),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/loans/{id}")).into_response(),
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, Some(&err)).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_label_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let tr = Tr(lang);
            let mut keys: Vec<String> = LoanStatus::ALL
                .iter()
                .map(|s| format!("loans.st.{}", s.code()))
                .collect();
            keys.extend(GUARANTEES.iter().map(|g| format!("loans.g.{g}")));
            keys.extend(FLAGS.iter().map(|(f, _)| format!("loans.flag.{f}")));
            for kind in [
                "loan.recorded",
                "loan.batch_recorded",
                "loan.repaid",
                "loan.normal",
                "loan.overdue",
                "loan.default",
                "loan.settled",
            ] {
                assert_ne!(loans::step_label(kind), "其他", "{kind}");
                keys.push(format!("loans.step.{kind}"));
            }
            use xinrong_services::finance::whitelist::{Action, EntryStatus};
            keys.extend(
                EntryStatus::ALL
                    .iter()
                    .map(|s| format!("whitelist.st.{}", s.code())),
            );
            keys.extend(
                [
                    Action::Apply,
                    Action::Recommend,
                    Action::Approve,
                    Action::Reject,
                    Action::Remove,
                ]
                .iter()
                .map(|a| format!("whitelist.act.{}", a.code())),
            );
            for key in keys {
                assert_ne!(tr.t(&key), "??", "{key}");
            }
        }
    }
}
