//! The provider's data submission page (数据报送): pick one of its items, upload a file, see
//! what was stored and why each rejected row was rejected.

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::i18n::{Lang, Tr};
use crate::spool::spool_field;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use std::time::Duration;
use xinrong_services::ServiceError;
use xinrong_services::catalog;
use xinrong_services::collect::{
    BatchKind, Encoding, Format, IngestReport, JobOutcome, JobRequest, JobStatus, Spooled, grants,
};
use xinrong_services::identity::Principal;

#[derive(Template)]
#[template(path = "collect.html")]
struct CollectPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    items: Vec<(String, String)>,
    /// The finished batch's job ID (for the error report downloads) and report.
    report: Option<(String, IngestReport)>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    report: Option<(String, IngestReport)>,
    error: Option<ServiceError>,
) -> Response {
    let items = match grants::items_of(&state.platform, &caller.principal.org_id).await {
        Ok(keys) => keys
            .into_iter()
            .map(|k| {
                let label = catalog::current()
                    .item(&k)
                    .map(|i| i.label.clone())
                    .unwrap_or_default();
                (k, label)
            })
            .collect(),
        Err(err) => {
            return {
                use axum::response::IntoResponse;
                crate::error::PageError::new(err, lang, "/collect".into()).into_response()
            };
        }
    };
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &CollectPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            items,
            report,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    page(
        &state,
        &caller,
        Lang::from_headers(&headers),
        &csrf,
        None,
        None,
    )
    .await
}

/// The upload's fields, read from the multipart body; the file is spooled to disk as it
/// arrives.
#[derive(Default)]
struct Upload {
    item: String,
    format: String,
    encoding: String,
    strict: bool,
    file: Option<Spooled>,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, ServiceError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ServiceError::invalid("collect.upload", format!("上传内容无法读取：{e}"))
    };
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => upload.file = Some(spool_field(field).await?),
            "item" => upload.item = field.text().await.map_err(bad)?,
            "format" => upload.format = field.text().await.map_err(bad)?,
            "encoding" => upload.encoding = field.text().await.map_err(bad)?,
            "strict" => upload.strict = field.text().await.map_err(bad)? == "true",
            _ => {}
        }
    }
    Ok(upload)
}

/// How long the upload page waits for a batch before it shows the progress page instead.
const WAIT_INLINE: Duration = Duration::from_secs(3);

pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    multipart: Multipart,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let org_id = caller.principal.org_id.clone();
    let started = async {
        let upload = read_upload(multipart).await?;
        let file = upload
            .file
            .ok_or_else(|| ServiceError::invalid("collect.no_file", "请选择要上传的文件"))?;
        let or = |value: String, default: &str| {
            if value.is_empty() {
                default.to_owned()
            } else {
                value
            }
        };
        Ok::<_, ServiceError>(state.platform.jobs.start(
            &state.platform,
            JobRequest {
                item_key: upload.item,
                provider_org_id: org_id.clone(),
                format: Format::parse(&or(upload.format, "csv"))?,
                encoding: Encoding::parse(&or(upload.encoding, "auto"))?,
                strict: upload.strict,
                kind: BatchKind::Regular,
                file,
            },
        ))
    }
    .await;
    let id = match started {
        Ok(id) => id,
        Err(err) => return page(&state, &caller, lang, &csrf, None, Some(err)).await,
    };
    match state.platform.jobs.wait(&id, &org_id, WAIT_INLINE).await {
        Some(JobStatus {
            outcome: Some(JobOutcome::Finished { report }),
            ..
        }) => page(&state, &caller, lang, &csrf, Some((id, report)), None).await,
        Some(JobStatus {
            outcome: Some(JobOutcome::Failed { code, message }),
            ..
        }) => {
            let err = ServiceError::invalid(code, message);
            page(&state, &caller, lang, &csrf, None, Some(err)).await
        }
        _ => Redirect::to(&format!("/collect/jobs/{id}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "collect_job.html")]
struct JobPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    job: JobStatus,
    stage: &'static str,
}

#[derive(Template)]
#[template(path = "collect_job_status.html")]
struct JobFragment {
    tr: Tr,
    job: JobStatus,
    stage: &'static str,
}

fn job_of(state: &AppState, caller: &Caller, id: &str) -> Result<JobStatus, ServiceError> {
    state
        .platform
        .jobs
        .status(id, &caller.principal.org_id)
        .ok_or(ServiceError::NotFound("报送任务"))
}

/// 报送进度: a long batch's progress page, refreshed by htmx until the batch ends.
pub async fn job(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match job_of(&state, &caller, &id) {
        Ok(job) => {
            if let Some(JobOutcome::Finished { report }) = job.outcome.clone() {
                return page(&state, &caller, lang, &csrf, Some((id, report)), None).await;
            }
            let layout = Page::new(&caller, lang, &csrf);
            super::render(&JobPage {
                tr: layout.tr,
                principal: layout.principal,
                csrf: layout.csrf,
                show_enterprises: layout.show_enterprises,
                stage: job.progress.stage.label_zh(),
                job,
            })
        }
        Err(err) => crate::error::PageError::new(err, lang, "/collect".into()).into_response(),
    }
}

/// The progress fragment htmx swaps in; once the batch has ended it sends the browser to the
/// finished page.
pub async fn job_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match job_of(&state, &caller, &id) {
        Ok(job) if job.outcome.is_some() => (
            [("HX-Redirect", format!("/collect/jobs/{id}"))],
            axum::http::StatusCode::OK,
        )
            .into_response(),
        Ok(job) => super::render(&JobFragment {
            tr: Tr(lang),
            stage: job.progress.stage.label_zh(),
            job,
        }),
        Err(err) => crate::error::PageError::new(err, lang, "/collect".into()).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct ReportQuery {
    format: Option<String>,
}

/// 下载错误报告 (XLSX or CSV) of a finished batch.
pub async fn job_errors(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    crate::api::batches::error_report_response(&state, &caller, &id, query.format.as_deref())
        .unwrap_or_else(|err| {
            crate::error::PageError::new(err, lang, "/collect".into()).into_response()
        })
}
