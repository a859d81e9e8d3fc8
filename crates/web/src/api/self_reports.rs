//! 自愿填报: an enterprise declares records about itself for the self-reportable catalogue
//! items, under the credit commitment it signs.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use xinrong_services::self_report::{self, Declared, DeclaredBatch, SelfReport};

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportableItem {
    pub key: String,
    pub label: String,
    pub section: String,
    /// The field that names the enterprise: filled in by the platform.
    pub subject_field: String,
}

/// What an enterprise may declare, and the commitment it signs (shown in full before signing).
#[derive(Serialize, utoipa::ToSchema)]
pub struct SelfReportOptions {
    pub items: Vec<ReportableItem>,
    pub commitment_text: String,
}

/// The self-reportable items and the commitment text.
#[utoipa::path(
    get,
    path = "/api/v1/self-reports/items",
    tag = "self_reports",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = SelfReportOptions),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn items(_caller: Caller) -> Json<SelfReportOptions> {
    Json(SelfReportOptions {
        items: self_report::reportable_items()
            .into_iter()
            .map(|i| ReportableItem {
                key: i.key.clone(),
                label: i.label.clone(),
                section: i.section.clone(),
                subject_field: i.subject_fields[0].clone(),
            })
            .collect(),
        commitment_text: self_report::COMMITMENT_TEXT.to_owned(),
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SelfReportRequest {
    /// A self-reportable catalogue item.
    pub item_key: String,
    /// Field key → value, as in an upload file. The subject field may be omitted (it is the
    /// enterprise itself; any other value is refused).
    pub values: BTreeMap<String, String>,
    /// Must be `true`: the enterprise signs the credit commitment (`commitment_text`).
    pub commitment_accepted: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeclaredView {
    pub batch_id: String,
    pub item_key: String,
    pub subject: String,
    /// 1 when a new record version was written, 0 when the record already read so.
    pub new_versions: usize,
    pub commitment_id: String,
    /// SM3 digest of the commitment text as signed.
    pub commitment_sm3: String,
    pub signed_at: DateTime<Utc>,
    /// `企业自主填报`: the label the record carries wherever it is shown.
    pub label: String,
}

impl From<Declared> for DeclaredView {
    fn from(d: Declared) -> Self {
        DeclaredView {
            batch_id: d.batch_id,
            item_key: d.item_key,
            subject: d.subject,
            new_versions: d.new_versions,
            commitment_id: d.commitment_id,
            commitment_sm3: d.commitment_sm3,
            signed_at: d.signed_at,
            label: self_report::LABEL_ZH.to_owned(),
        }
    }
}

/// Declares one record about the caller's enterprise. Checked like a batch row; refused with
/// nothing written when the item is not self-reportable, a value is invalid, or the
/// commitment is not signed.
#[utoipa::path(
    post,
    path = "/api/v1/self-reports",
    tag = "self_reports",
    security(("bearer" = []), ("session" = [])),
    request_body = SelfReportRequest,
    responses(
        (status = 201, body = DeclaredView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "`self_report.not_allowed`, `self_report.invalid`, `self_report.subject`, `self_report.commitment_required`, `catalog.unknown_item`", body = ErrorBody)
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<SelfReportRequest>,
) -> Result<(StatusCode, Json<DeclaredView>), ApiError> {
    let declared = self_report::submit(
        &state.platform,
        &caller.principal,
        SelfReport {
            item_key: body.item_key,
            values: body.values,
            commitment_accepted: body.commitment_accepted,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(declared.into())))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeclaredBatchView {
    pub batch_id: String,
    pub item_key: String,
    pub item_label: String,
    pub created_at: DateTime<Utc>,
    pub new_versions: i32,
    pub commitment_id: Option<String>,
    pub commitment_sm3: Option<String>,
}

impl From<DeclaredBatch> for DeclaredBatchView {
    fn from(d: DeclaredBatch) -> Self {
        DeclaredBatchView {
            batch_id: d.batch_id,
            item_key: d.item_key,
            item_label: d.item_label,
            created_at: d.created_at,
            new_versions: d.new_versions,
            commitment_id: d.commitment_id,
            commitment_sm3: d.commitment_sm3,
        }
    }
}

/// The caller's own self-reports, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/self-reports",
    tag = "self_reports",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = Vec<DeclaredBatchView>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<DeclaredBatchView>>, ApiError> {
    let rows = self_report::list(&state.platform, &caller.principal).await?;
    Ok(Json(
        rows.into_iter().map(DeclaredBatchView::from).collect(),
    ))
}
