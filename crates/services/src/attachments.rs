//! 附件 (attachments): evidence of correction, a signed authorization scan, a business licence.
//! The content must be what the uploader declares — the bytes are sniffed, not the file name
//! believed — and at most [`MAX_BYTES`]; the SM3 digest of the bytes is kept beside them.

use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use xinrong_core::ids;
use xinrong_ledger::sm3;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::attachments;

pub use attachments::AttachmentRow;

/// The largest attachment accepted: 10 MiB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The types accepted, as MIME type and Chinese name.
pub const ALLOWED: &[(&str, &str)] = &[
    ("application/pdf", "PDF"),
    ("image/jpeg", "JPEG 图片"),
    ("image/png", "PNG 图片"),
];

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    pub filename: String,
    /// MIME type the uploader declares (from the form or the `Content-Type` of the part).
    pub declared_type: String,
    pub bytes: Vec<u8>,
}

/// Who uploads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Uploader<'a> {
    pub user_id: Option<&'a str>,
    pub org_id: Option<&'a str>,
}

/// The MIME type an upload declares, normalised, from its declaration or else its file name.
fn declared(upload: &Upload) -> String {
    let declared = upload
        .declared_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !declared.is_empty() && declared != "application/octet-stream" {
        return if declared == "image/jpg" {
            "image/jpeg".to_owned()
        } else {
            declared
        };
    }
    let ext = upload
        .filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        _ => "",
    }
    .to_owned()
}

/// Checks an upload without storing it: the accepted MIME type, or the reason it is refused.
pub fn check(upload: &Upload) -> ServiceResult<&'static str> {
    if upload.bytes.len() > MAX_BYTES {
        return Err(ServiceError::invalid(
            "attachment.too_large",
            format!(
                "附件“{}”大小为 {} 字节，超过上限 {} MiB",
                upload.filename,
                upload.bytes.len(),
                MAX_BYTES / 1024 / 1024
            ),
        ));
    }
    if upload.bytes.is_empty() {
        return Err(ServiceError::invalid(
            "attachment.empty",
            format!("附件“{}”是空文件", upload.filename),
        ));
    }
    let declared = declared(upload);
    let Some((mime, _)) = ALLOWED.iter().find(|(m, _)| *m == declared) else {
        return Err(ServiceError::invalid(
            "attachment.type_not_allowed",
            format!(
                "附件“{}”的类型不被接受：仅接受 PDF、JPEG、PNG",
                upload.filename
            ),
        ));
    };
    let sniffed = infer::get(&upload.bytes).map(|t| t.mime_type());
    if sniffed != Some(*mime) {
        return Err(ServiceError::invalid(
            "attachment.type_mismatch",
            format!(
                "附件“{}”声明为 {}，但内容不是该类型的文件",
                upload.filename,
                ALLOWED
                    .iter()
                    .find(|(m, _)| m == mime)
                    .map_or("", |(_, n)| n)
            ),
        ));
    }
    Ok(mime)
}

/// Checks and stores an upload inside the caller's transaction.
pub async fn store<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    upload: Upload,
    by: Uploader<'_>,
) -> ServiceResult<AttachmentRow> {
    let mime = check(&upload)?;
    let filename: String = upload
        .filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let row = AttachmentRow {
        id: ids::new_id().to_string(),
        filename: if filename.is_empty() {
            "附件".to_owned()
        } else {
            filename
        },
        content_type: mime.to_owned(),
        size: upload.bytes.len() as i64,
        sm3: sm3(&[&upload.bytes]).to_hex(),
        content: upload.bytes,
        uploaded_by_user_id: by.user_id.map(str::to_owned),
        uploaded_by_org_id: by.org_id.map(str::to_owned),
        created_at: platform.clock.now_naive(),
    };
    attachments::insert(conn, row.clone()).await?;
    Ok(row)
}

pub async fn get(conn: &impl ConnectionTrait, id: &str) -> ServiceResult<AttachmentRow> {
    attachments::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(name: &str, declared: &str, bytes: &[u8]) -> Upload {
        Upload {
            filename: name.into(),
            declared_type: declared.into(),
            bytes: bytes.to_vec(),
        }
    }

    const PNG: &[u8] =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

    #[test]
    fn content_must_be_the_declared_type() {
        assert_eq!(
            check(&upload("a.png", "image/png", PNG)).unwrap(),
            "image/png"
        );
        assert_eq!(check(&upload("a.pdf", "", PDF)).unwrap(), "application/pdf");
        let err = check(&upload("a.pdf", "application/pdf", PNG)).unwrap_err();
        assert_eq!(err.code(), "attachment.type_mismatch");
        let err = check(&upload(
            "evil.pdf",
            "application/pdf",
            b"MZ\x90\0 not a pdf",
        ))
        .unwrap_err();
        assert_eq!(err.code(), "attachment.type_mismatch");
        let err = check(&upload("a.exe", "application/x-msdownload", b"MZ")).unwrap_err();
        assert_eq!(err.code(), "attachment.type_not_allowed");
    }

    #[test]
    fn oversized_and_empty_files_are_refused() {
        let mut big = PDF.to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        assert_eq!(
            check(&upload("big.pdf", "application/pdf", &big))
                .unwrap_err()
                .code(),
            "attachment.too_large"
        );
        assert_eq!(
            check(&upload("e.pdf", "application/pdf", b""))
                .unwrap_err()
                .code(),
            "attachment.empty"
        );
    }
}
