//! The provider's data submission page (数据报送): pick one of its items, upload a file, see
//! what was stored and why each rejected row was rejected.

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use xinrong_services::ServiceError;
use xinrong_services::catalog;
use xinrong_services::collect::{Encoding, Format, IngestReport, IngestRequest, grants, ingest};
use xinrong_services::identity::Principal;

#[derive(Template)]
#[template(path = "collect.html")]
struct CollectPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    items: Vec<(String, String)>,
    report: Option<IngestReport>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    report: Option<IngestReport>,
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

/// The upload's fields, read from the multipart body.
#[derive(Default)]
struct Upload {
    item: String,
    format: String,
    encoding: String,
    strict: bool,
    file: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, ServiceError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ServiceError::invalid("collect.upload", format!("上传内容无法读取：{e}"))
    };
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => upload.file = field.bytes().await.map_err(bad)?.to_vec(),
            "item" => upload.item = field.text().await.map_err(bad)?,
            "format" => upload.format = field.text().await.map_err(bad)?,
            "encoding" => upload.encoding = field.text().await.map_err(bad)?,
            "strict" => upload.strict = field.text().await.map_err(bad)? == "true",
            _ => {}
        }
    }
    Ok(upload)
}

pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    multipart: Multipart,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let result = async {
        let upload = read_upload(multipart).await?;
        ingest(
            &state.platform,
            IngestRequest {
                item_key: &upload.item,
                provider_org_id: &caller.principal.org_id,
                format: Format::parse(if upload.format.is_empty() {
                    "csv"
                } else {
                    &upload.format
                })?,
                encoding: Encoding::parse(if upload.encoding.is_empty() {
                    "auto"
                } else {
                    &upload.encoding
                })?,
                strict: upload.strict,
                bytes: &upload.file,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(report) => page(&state, &caller, lang, &csrf, Some(report), None).await,
        Err(err) => page(&state, &caller, lang, &csrf, None, Some(err)).await,
    }
}
