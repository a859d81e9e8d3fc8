//! The catalogue (信用信息目录) in force, for every role: providers read it to prepare
//! batches, institutions to know what exists, the operator to manage it.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::Path;
use serde::Serialize;
use xinrong_core::catalog::{Item, Mode, Polarity, Section};
use xinrong_services::ServiceError;
use xinrong_services::catalog;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemSummary {
    pub key: String,
    pub label: String,
    pub section: String,
    pub modes: Vec<Mode>,
    pub polarity: Polarity,
    pub field_count: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CatalogView {
    pub version: u32,
    pub title: String,
    pub published: String,
    pub sections: Vec<Section>,
    pub items: Vec<ItemSummary>,
}

/// The catalogue in force: sections and items (fields via the item endpoint).
#[utoipa::path(
    get,
    path = "/api/v1/catalog",
    tag = "catalog",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CatalogView), (status = 401, body = ErrorBody))
)]
pub async fn show(_caller: Caller) -> Json<CatalogView> {
    let c = catalog::current();
    Json(CatalogView {
        version: c.version,
        title: c.title.clone(),
        published: c.published.clone(),
        sections: c.sections.clone(),
        items: c
            .items
            .iter()
            .map(|i| ItemSummary {
                key: i.key.clone(),
                label: i.label.clone(),
                section: i.section.clone(),
                modes: i.modes.clone(),
                polarity: i.polarity,
                field_count: i.fields.len(),
            })
            .collect(),
    })
}

/// One item with its fields, their types and sensitivity levels.
#[utoipa::path(
    get,
    path = "/api/v1/catalog/items/{key}",
    tag = "catalog",
    security(("bearer" = []), ("session" = [])),
    params(("key" = String, Path, description = "Item key, e.g. tax.tax_credit_rating")),
    responses((status = 200, body = Item), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub async fn item(_caller: Caller, Path(key): Path<String>) -> Result<Json<Item>, ApiError> {
    catalog::current()
        .item(&key)
        .cloned()
        .map(Json)
        .ok_or(ApiError(ServiceError::NotFound("信息项")))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct TemplateParams {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

/// The upload template of an item (报送模板).
#[utoipa::path(
    get,
    path = "/api/v1/catalog/items/{key}/template",
    tag = "catalog",
    security(("bearer" = []), ("session" = [])),
    params(("key" = String, Path, description = "Item key"), TemplateParams),
    responses(
        (status = 200, description = "The template file", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn template(
    _caller: Caller,
    Path(key): Path<String>,
    axum::extract::Query(params): axum::extract::Query<TemplateParams>,
) -> Result<axum::response::Response, ApiError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let name = params.format.unwrap_or_else(|| "xlsx".to_owned());
    let format = xinrong_services::collect::Format::parse(&name)?;
    let bytes = xinrong_services::collect::template(&key, format)?;
    let content_type = if name == "csv" {
        "text/csv; charset=utf-8"
    } else {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    let disposition = format!("attachment; filename=\"{key}.{name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
