//! What the objection (异议) and credit-repair (信用修复) routes share: evidence sent inline
//! (base64) and decoded into uploads, attachment and timeline views, and files served as
//! downloads.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use xinrong_services::ServiceError;
use xinrong_services::attachments::{AttachmentRow, Upload};
use xinrong_services::objections::{AttachmentMeta, Step};

/// A file sent inline.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AttachmentUpload {
    pub filename: String,
    /// `application/pdf`, `image/jpeg` or `image/png`; the content must be of this type.
    pub content_type: String,
    pub content_base64: String,
}

/// Decodes inline files; `attachment.encoding` names the first that is not base64.
pub(crate) fn uploads(files: Vec<AttachmentUpload>) -> Result<Vec<Upload>, ServiceError> {
    files
        .into_iter()
        .map(|f| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(f.content_base64.trim())
                .map_err(|_| {
                    ServiceError::invalid(
                        "attachment.encoding",
                        format!("附件“{}”不是有效的 base64 编码", f.filename),
                    )
                })?;
            Ok(Upload {
                filename: f.filename,
                declared_type: f.content_type,
                bytes,
            })
        })
        .collect()
}

/// An attachment's metadata (the file itself: the `attachments/{attachment_id}` route).
#[derive(Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// SM3 of the bytes, hex.
    pub sm3: String,
}

impl From<AttachmentMeta> for AttachmentView {
    fn from(a: AttachmentMeta) -> Self {
        AttachmentView {
            id: a.id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            sm3: a.sm3,
        }
    }
}

/// One step of a timeline (留痕, each a ledger leaf).
#[derive(Serialize, utoipa::ToSchema)]
pub struct StepView {
    /// e.g. `objection.filed`, `objection.confirmed`.
    pub kind: String,
    pub label: String,
    pub at: DateTime<FixedOffset>,
    pub actor_org_id: Option<String>,
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    pub leaf_index: i64,
}

impl From<Step> for StepView {
    fn from(s: Step) -> Self {
        StepView {
            kind: s.kind,
            label: s.label,
            at: s.at,
            actor_org_id: s.actor_org_id,
            body: s.body,
            leaf_index: s.leaf_index,
        }
    }
}

/// A file as a download, never rendered inline.
pub(crate) fn download(file: AttachmentRow) -> Response {
    let ext = match file.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "bin",
    };
    let disposition = format!(
        "attachment; filename=\"{}.{ext}\"",
        file.id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
    );
    (
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        file.content,
    )
        .into_response()
}
