//! Uploads go to a file on disk as they arrive (落盘), never into memory whole: a provider's
//! 5 GB export costs the server a 64 KiB buffer, and the batch then streams from the file.

use crate::error::ApiError;
use axum::body::{Body, Bytes};
use futures_util::StreamExt;
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;
use xinrong_services::ServiceError;
use xinrong_services::collect::Spooled;

/// Largest upload accepted in one request.
pub const MAX_UPLOAD_BYTES: u64 = 8 * 1024 * 1024 * 1024;

fn spool_path() -> PathBuf {
    std::env::temp_dir().join(format!("xinrong-upload-{}", uuid::Uuid::new_v4().simple()))
}

fn failed(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::invalid("collect.upload", format!("上传内容无法读取：{e}"))
}

fn too_large() -> ServiceError {
    ServiceError::invalid(
        "collect.too_large",
        format!("文件超过上限 {} GB", MAX_UPLOAD_BYTES / 1024 / 1024 / 1024),
    )
}

/// Writes chunks to a new spool file; the file is removed again if anything fails.
pub async fn spool<S, E>(mut chunks: S) -> Result<Spooled, ServiceError>
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let spooled = Spooled::new(spool_path());
    let mut file = tokio::fs::File::create(spooled.path())
        .await
        .map_err(failed)?;
    let mut written = 0u64;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(failed)?;
        written += chunk.len() as u64;
        if written > MAX_UPLOAD_BYTES {
            return Err(too_large());
        }
        file.write_all(&chunk).await.map_err(failed)?;
    }
    file.flush().await.map_err(failed)?;
    Ok(spooled)
}

/// A request body spooled to disk.
pub async fn spool_body(body: Body) -> Result<Spooled, ApiError> {
    Ok(spool(body.into_data_stream()).await?)
}

/// One multipart field spooled to disk.
pub async fn spool_field(
    field: axum::extract::multipart::Field<'_>,
) -> Result<Spooled, ServiceError> {
    spool(Box::pin(field)).await
}
