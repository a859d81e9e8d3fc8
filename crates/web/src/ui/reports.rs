//! 标准化信用信息报告 pages: an institution states a purpose on `/subjects/{uscc}` (the
//! enterprise on `/my/data`) and generates a report (`POST /subjects/{uscc}/report`), which
//! opens at `/reports/{id}` — the printable HTML (A4, one section per page when printed) with its
//! PDF download. The public page `/verify/report/{id}` says whether a report id is known, when it
//! was issued and about which subject (USCC and registered name only), with its digests, and
//! checks an uploaded file: 真实有效 / 已被篡改 / 未找到.
//!
//! [`render_html`] is the report as a standalone printable document (`xinrong report --format
//! html`); the page embeds the same body template.

use super::{Page, render};
use crate::api::reports::{NewReport, issue_for, pdf_response};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::ApiError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde_json::Value;
use xinrong_core::role::Role;
use xinrong_services::access::Reader;
use xinrong_services::identity::Principal;
use xinrong_services::report::json::{int as n, list as arr};
use xinrong_services::report::{self, IssuedReport, PublicReport, Verification};

pub fn routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
) -> axum::Router<AppState> {
    use crate::access::{ALL_ROLES, Access};
    let all = Access::Roles(ALL_ROLES);
    let r = super::page(
        registry,
        r,
        Method::POST,
        "/subjects/{uscc}/report",
        all,
        post(generate),
    );
    let r = super::page(registry, r, Method::GET, "/reports/{id}", all, get(show));
    let r = super::page(registry, r, Method::GET, "/reports/{id}/pdf", all, get(pdf));
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/verify/report/{id}",
        Access::Public,
        get(verify_page),
    );
    super::page(
        registry,
        r,
        Method::POST,
        "/verify/report/{id}",
        Access::Public,
        post(verify_upload).layer(axum::extract::DefaultBodyLimit::max(
            crate::api::reports::MAX_VERIFY_BYTES,
        )),
    )
}

/// One field as the report shows it: label, text, css class.
pub struct FieldDoc {
    pub label: String,
    pub value: String,
    pub class: &'static str,
}

pub struct RecordDoc {
    pub provenance: String,
    pub flags: Vec<&'static str>,
    pub withheld: Option<String>,
    pub fields: Vec<FieldDoc>,
}

pub struct ItemDoc {
    pub label: String,
    pub basis: String,
    pub notice: Option<String>,
    pub records: Vec<RecordDoc>,
}

pub struct SectionDoc {
    pub number: String,
    pub key: String,
    pub label: String,
    pub status: String,
    pub notice: Option<String>,
    pub empty: Option<String>,
    pub items: Vec<ItemDoc>,
}

pub struct EvaluationDoc {
    pub score: Option<String>,
    pub grade: Option<String>,
    pub meaning: Option<String>,
    pub model: Option<String>,
    pub evaluated_at: Option<String>,
    pub notices: Vec<String>,
    pub dimensions: Vec<(String, String)>,
    pub positive: Vec<String>,
    pub negative: Vec<String>,
    pub indicators: Vec<(String, String)>,
}

/// A tag: label (or why it is not shown), negative.
pub struct TagDoc {
    pub text: String,
    pub negative: bool,
}

/// The report as the templates print it: every text already formatted.
pub struct ReportDoc {
    pub id: String,
    pub title: String,
    pub subject_name: String,
    pub uscc: String,
    pub requester: String,
    pub user: Option<String>,
    pub purpose: String,
    pub purpose_text: Option<String>,
    pub authorizations: String,
    pub generated: String,
    pub data_as_of: String,
    pub catalog_version: u32,
    pub digest: String,
    pub ledger_index: i64,
    pub verify_path: String,
    pub evaluation: Option<EvaluationDoc>,
    pub evaluation_notice: String,
    pub evaluation_number: String,
    pub tags_number: String,
    pub tags: Vec<TagDoc>,
    pub sections: Vec<SectionDoc>,
}

fn shown_time(text: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| xinrong_core::clock::display(t.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|_| text.to_owned())
}

fn s(v: &Value, key: &str) -> Option<String> {
    xinrong_services::report::json::text(v, key).map(str::to_owned)
}

/// The text of an indicator, factor or tag, or the hidden marker when the reader may not see it.
fn shown_text(v: &Value, key: &str) -> String {
    if v.get("shown").and_then(Value::as_bool) == Some(false) {
        report::pdf::HIDDEN.to_owned()
    } else {
        s(v, key).unwrap_or_default()
    }
}

fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", D[n % 10]),
        _ if n.is_multiple_of(10) => format!("{}十", D[(n / 10) % 10]),
        _ => format!("{}十{}", D[(n / 10) % 10], D[n % 10]),
    }
}

impl ReportDoc {
    pub fn new(report: &IssuedReport) -> ReportDoc {
        let b = &report.body;
        let evaluation = b.evaluation.as_ref().map(|ev| EvaluationDoc {
            score: n(ev, "score").map(|s| format!("{s} 分（满分 1000）")),
            grade: s(ev, "grade")
                .map(|g| format!("{g} {}", s(ev, "grade_label").unwrap_or_default())),
            meaning: s(ev, "grade_meaning"),
            model: s(ev, "model_name").map(|m| {
                format!(
                    "{m}（第 {} 版）",
                    n(ev, "model_version").unwrap_or_default()
                )
            }),
            evaluated_at: s(ev, "evaluated_at").map(|t| shown_time(&t)),
            notices: arr(ev, "notices")
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned).or_else(|| s(x, "message")))
                .collect(),
            dimensions: arr(ev, "dimensions")
                .iter()
                .map(|d| {
                    (
                        s(d, "label").unwrap_or_default(),
                        format!(
                            "{} 分（权重 {}‰）",
                            n(d, "points").unwrap_or_default(),
                            n(d, "weight").unwrap_or_default()
                        ),
                    )
                })
                .collect(),
            positive: arr(ev, "top_positive")
                .iter()
                .map(|f| shown_text(f, "text"))
                .collect(),
            negative: arr(ev, "top_negative")
                .iter()
                .map(|f| shown_text(f, "text"))
                .collect(),
            indicators: arr(ev, "indicators")
                .iter()
                .map(|i| {
                    let c = n(i, "contribution")
                        .map(|c| format!("（{c} 分）"))
                        .unwrap_or_default();
                    (
                        s(i, "label").unwrap_or_default(),
                        format!("{}{c}", shown_text(i, "text")),
                    )
                })
                .collect(),
        });
        let tags = b
            .evaluation
            .as_ref()
            .map(|ev| {
                arr(ev, "tags")
                    .iter()
                    .map(|t| TagDoc {
                        text: shown_text(t, "label"),
                        negative: s(t, "polarity").as_deref() == Some("negative"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let sections = b
            .sections
            .iter()
            .enumerate()
            .map(|(i, sec)| SectionDoc {
                number: chinese_number(i + 3),
                key: sec.key.clone(),
                label: sec.label.clone(),
                status: sec.status.clone(),
                notice: sec.notice.as_ref().map(|n| n.message.clone()),
                empty: sec.empty_text.clone(),
                items: sec
                    .items
                    .iter()
                    .map(|item| ItemDoc {
                        label: item.label.clone(),
                        basis: item.basis.clone(),
                        notice: item
                            .notice
                            .as_ref()
                            .filter(|n| sec.notice.as_ref() != Some(*n))
                            .map(|n| n.message.clone()),
                        records: item
                            .records
                            .iter()
                            .map(|r| RecordDoc {
                                provenance: format!(
                                    "来源：{} · 更新：{} · 目录第 {} 版",
                                    r.source_unit,
                                    shown_time(&r.updated_at),
                                    r.catalog_version
                                ),
                                flags: report::pdf::flags(r),
                                withheld: r.withheld.as_ref().map(|w| w.message.clone()),
                                fields: r
                                    .fields
                                    .iter()
                                    .filter(|f| !report::pdf::identifies_subject(b, f))
                                    .map(|f| match f.disclosure.as_str() {
                                        "masked" => FieldDoc {
                                            label: f.label.clone(),
                                            value: format!("{}（已脱敏）", f.value),
                                            class: "masked",
                                        },
                                        "withheld" => FieldDoc {
                                            label: f.label.clone(),
                                            value: "未提供（须取得信息主体授权）".to_owned(),
                                            class: "withheld",
                                        },
                                        _ => FieldDoc {
                                            label: f.label.clone(),
                                            value: f.value.clone(),
                                            class: "clear",
                                        },
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        ReportDoc {
            id: b.report_id.clone(),
            title: b.title.clone(),
            subject_name: b.subject.name.clone(),
            uscc: b.subject.uscc.clone(),
            requester: b.requester.org_name.clone(),
            user: b.requester.user_id.clone(),
            purpose: match (&b.purpose.label, &b.purpose.code) {
                (Some(l), Some(c)) => format!("{l}（{c}）"),
                _ => "—".to_owned(),
            },
            purpose_text: b.purpose.text.clone(),
            authorizations: b.authorization_ids.join("、"),
            generated: format!("{}（北京时间）", shown_time(&b.generated_at)),
            data_as_of: b
                .data_as_of
                .as_deref()
                .map_or_else(|| report::NO_RECORDS.to_owned(), shown_time),
            catalog_version: b.catalog_version,
            digest: report.digest.clone(),
            ledger_index: report.ledger_index,
            verify_path: b.verify_path.clone(),
            evaluation,
            evaluation_notice: b
                .evaluation_notice
                .clone()
                .unwrap_or_else(|| "暂无公共信用综合评价结果".to_owned()),
            evaluation_number: chinese_number(1),
            tags_number: chinese_number(2),
            tags,
            sections,
        }
    }
}

/// The report as a standalone printable HTML document.
#[derive(Template)]
#[template(path = "report_document.html")]
struct ReportDocument<'a> {
    doc: &'a ReportDoc,
}

/// The report as a standalone, printable HTML document (A4; each section on its own page
/// when printed).
pub fn render_html(report: &IssuedReport) -> String {
    let doc = ReportDoc::new(report);
    ReportDocument { doc: &doc }
        .render()
        .unwrap_or_else(|e| format!("<!doctype html><p>报告无法显示：{e}</p>"))
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    doc: ReportDoc,
}

#[derive(serde::Deserialize, Default)]
pub struct GenerateForm {
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
    pub authorization: Option<String>,
}

/// `POST /subjects/{uscc}/report`: issue, then open the report; a refusal shows its reason.
async fn generate(
    State(state): State<AppState>,
    caller: Caller,
    Path(uscc): Path<String>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    axum::Form(form): axum::Form<GenerateForm>,
) -> Response {
    let uscc = if caller.principal.role == Role::Enterprise {
        caller.principal.org_uscc.clone().unwrap_or(uscc)
    } else {
        uscc
    };
    let body = NewReport {
        subject: uscc,
        purpose: form.purpose.filter(|p| !p.trim().is_empty()),
        purpose_text: form.purpose_text.filter(|p| !p.trim().is_empty()),
        authorization_id: form.authorization.filter(|p| !p.trim().is_empty()),
    };
    match issue_for(&state, &caller, body, "ui").await {
        Ok(report) => Redirect::to(&format!("/reports/{}", report.id())).into_response(),
        Err(ApiError(err)) => {
            let lang = Lang::from_headers(&headers);
            let _ = csrf;
            crate::error::PageError::new(err, lang, "/subjects".to_owned()).into_response()
        }
    }
}

async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let reader = Reader::from_principal(&caller.principal);
    match report::get(&state.platform, &reader, &id).await {
        Ok(report) => {
            let layout = Page::new(&caller, lang, &csrf);
            render(&ReportPage {
                tr: layout.tr,
                principal: layout.principal,
                csrf: layout.csrf,
                show_enterprises: layout.show_enterprises,
                doc: ReportDoc::new(&report),
            })
        }
        Err(err) => {
            crate::error::PageError::new(err, lang, format!("/reports/{id}")).into_response()
        }
    }
}

async fn pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let reader = Reader::from_principal(&caller.principal);
    let result = async {
        let mut report = report::get(&state.platform, &reader, &id).await?;
        let bytes = report::pdf(&state.platform, &mut report).await?;
        Ok::<_, xinrong_services::ServiceError>(pdf_response(bytes, report.id()))
    }
    .await;
    match result {
        Ok(r) => r,
        Err(err) => {
            crate::error::PageError::new(err, lang, format!("/reports/{id}")).into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "verify_report.html")]
struct VerifyPage {
    tr: Tr,
    csrf: String,
    id: String,
    info: Option<PublicReport>,
    result: Option<Verification>,
    error: Option<String>,
}

impl VerifyPage {
    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        xinrong_core::clock::display(*at)
    }

    /// The outcome in the page's language.
    fn outcome(&self, v: &Verification) -> &'static str {
        match (v.status, self.tr.is_en()) {
            (report::Status::Genuine, false) => "真实有效",
            (report::Status::Altered, false) => "已被篡改",
            (report::Status::Unknown, false) => "未找到",
            (report::Status::Genuine, true) => "Genuine",
            (report::Status::Altered, true) => "Altered",
            (report::Status::Unknown, true) => "Not found",
        }
    }
}

async fn verify_view(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    id: String,
    result: Option<Verification>,
    error: Option<String>,
) -> Response {
    let info = match report::public_info(&state.platform, &id).await {
        Ok(info) => info,
        Err(err) => {
            return crate::error::PageError::new(err, lang, format!("/verify/report/{id}"))
                .into_response();
        }
    };
    let status = if info.is_none() && result.is_none() {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let mut response = render(&VerifyPage {
        tr: Tr(lang),
        csrf: csrf.0.clone(),
        id,
        info,
        result,
        error,
    });
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

/// `GET /verify/report/{id}` (public).
async fn verify_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
) -> Response {
    verify_view(&state, Lang::from_headers(&headers), &csrf, id, None, None).await
}

/// `POST /verify/report/{id}` (public, multipart `file`): the page with the outcome.
async fn verify_upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    mut multipart: Multipart,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let mut bytes: Option<Vec<u8>> = None;
    let mut error = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() == Some("file") {
                    match field.bytes().await {
                        Ok(b) => bytes = Some(b.to_vec()),
                        Err(e) => error = Some(format!("文件无法读取：{e}")),
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                error = Some(format!("文件无法读取：{e}"));
                break;
            }
        }
    }
    let result = match bytes {
        Some(b) if !b.is_empty() => match report::verify(&state.platform, &b).await {
            Ok(v) => Some(v),
            Err(e) => {
                error = Some(e.public_message());
                None
            }
        },
        _ => {
            error.get_or_insert_with(|| "请选择要核验的报告文件（JSON 或 PDF）".to_owned());
            None
        }
    };
    verify_view(&state, lang, &csrf, id, result, error).await
}
