//! 核验 (verification) of a credit report file: is this JSON or PDF the report the platform
//! issued, unaltered? A JSON file's canonical body must hash (SM3) to the digest stored for the
//! report id inside it, and the report's ledger anchor must verify; a PDF must hash, byte for
//! byte, to the digest recorded when it was rendered. Also what the public page shows about a
//! report id — only public registration data about the subject.

use super::canonical::digest_of;
use super::{ANCHOR_KIND, AnchorBody};
use crate::error::ServiceResult;
use crate::platform::Platform;
use crate::trail::trail_leaf;
use chrono::{DateTime, Utc};
use serde::Serialize;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::reports::{self, ReportRow};
use xinrong_store::repo::{enterprises, trail};

/// The outcome of a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 真实有效: issued by the platform and unaltered.
    Genuine,
    /// 已被篡改: names a known report, but its content differs from what was issued.
    Altered,
    /// 未找到: no report the platform issued.
    Unknown,
}

impl Status {
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Genuine => "真实有效",
            Status::Altered => "已被篡改",
            Status::Unknown => "未找到",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Genuine => "genuine",
            Status::Altered => "altered",
            Status::Unknown => "unknown",
        }
    }

    /// The exit status of `xinrong report verify`: 0 genuine, 1 altered, 2 unknown.
    pub fn exit_code(self) -> i32 {
        match self {
            Status::Genuine => 0,
            Status::Altered => 1,
            Status::Unknown => 2,
        }
    }
}

/// What a verification found.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub status: Status,
    /// `json`, `pdf`, or `unknown` when the file is neither.
    pub format: &'static str,
    pub report_id: Option<String>,
    /// The subject's USCC and registered name (public registration data).
    pub subject: Option<String>,
    pub subject_name: Option<String>,
    pub generated_at: Option<DateTime<Utc>>,
    /// The digest the platform recorded for this report in this format.
    pub digest: Option<String>,
    /// The digest of the file as received.
    pub file_digest: Option<String>,
    /// The ledger leaf anchoring the report.
    pub ledger_index: Option<i64>,
    /// Plain Chinese.
    pub message: String,
}

/// What `/verify/report/{id}` shows: whether the id is known, when it was issued, the subject's
/// USCC and registered name, the digests and the anchor — nothing else about the subject.
#[derive(Debug, Clone, Serialize)]
pub struct PublicReport {
    pub report_id: String,
    pub issued_at: DateTime<Utc>,
    pub subject: String,
    pub subject_name: String,
    pub json_digest: String,
    pub pdf_digest: Option<String>,
    pub ledger_index: i64,
    /// The ledger leaf exists, commits to this report and digest, and hashes as stored.
    pub anchor_verified: bool,
}

/// Whether the report's anchor — the trail entry at its ledger leaf — names this report and
/// digest and hashes to the stored leaf.
pub(super) async fn anchor_ok(conn: &impl ConnectionTrait, row: &ReportRow) -> ServiceResult<bool> {
    let entries = trail::by_leaf_range(conn, row.ledger_index, row.ledger_index + 1).await?;
    let Some(entry) = entries.first() else {
        return Ok(false);
    };
    if entry.kind != ANCHOR_KIND || entry.ref_id != row.id {
        return Ok(false);
    }
    let Ok(body) = serde_json::from_str::<AnchorBody>(&entry.body) else {
        return Ok(false);
    };
    if body.report_id != row.id || body.digest != row.json_digest {
        return Ok(false);
    }
    let stored = reports::leaf_hash(conn, row.ledger_index).await?;
    Ok(stored.as_deref() == Some(trail_leaf(entry).to_hex().as_str()))
}

async fn subject_name(conn: &impl ConnectionTrait, uscc: &str) -> ServiceResult<String> {
    Ok(enterprises::get(conn, uscc)
        .await?
        .map(|e| e.name)
        .unwrap_or_default())
}

/// The public facts about report `id`, or `None` when the platform issued no such report.
pub async fn public_info(platform: &Platform, id: &str) -> ServiceResult<Option<PublicReport>> {
    let conn = &platform.db.conn;
    let id = id.trim();
    if !looks_like_id(id.as_bytes()) {
        return Ok(None);
    }
    let Some(row) = reports::get(conn, id).await? else {
        return Ok(None);
    };
    let anchor_verified = anchor_ok(conn, &row).await?;
    Ok(Some(PublicReport {
        report_id: row.id.clone(),
        issued_at: row.created_at.and_utc(),
        subject_name: subject_name(conn, &row.subject).await?,
        subject: row.subject,
        json_digest: row.json_digest,
        pdf_digest: row.pdf_digest,
        ledger_index: row.ledger_index,
        anchor_verified,
    }))
}

/// The marker before the report id in a PDF's metadata.
pub const PDF_ID_MARKER: &str = "xinrong-report:";

fn looks_like_id(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

/// Every id-shaped string in `bytes`, those after the PDF marker first.
fn candidate_ids(bytes: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let marker = PDF_ID_MARKER.as_bytes();
    let mut push = |s: &[u8]| {
        let s = String::from_utf8_lossy(s).into_owned();
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for i in 0..bytes.len().saturating_sub(marker.len() + 36 - 1) {
        if bytes[i..].starts_with(marker) {
            let at = i + marker.len();
            if looks_like_id(&bytes[at..at + 36]) {
                push(&bytes[at..at + 36]);
            }
        }
    }
    for i in 0..bytes.len().saturating_sub(35) {
        if looks_like_id(&bytes[i..i + 36]) {
            push(&bytes[i..i + 36]);
        }
    }
    out
}

/// The first candidate id that names a report the platform issued.
async fn find_report(
    conn: &impl ConnectionTrait,
    candidates: &[String],
) -> ServiceResult<Option<ReportRow>> {
    for id in candidates.iter().take(64) {
        if let Some(row) = reports::get(conn, id).await? {
            return Ok(Some(row));
        }
    }
    Ok(None)
}

/// Tells whether `bytes` — a report's JSON or PDF file — is genuine and unaltered.
pub async fn verify(platform: &Platform, bytes: &[u8]) -> ServiceResult<Verification> {
    let conn = &platform.db.conn;
    let file_digest = xinrong_ledger::sm3(&[bytes]).to_hex();
    let trimmed = bytes.trim_ascii_start();
    let is_pdf = trimmed.starts_with(b"%PDF");
    let parsed: Option<serde_json::Value> = if is_pdf {
        None
    } else {
        serde_json::from_slice(bytes).ok()
    };
    let format = if is_pdf {
        "pdf"
    } else if parsed.is_some() || trimmed.starts_with(b"{") {
        "json"
    } else {
        "unknown"
    };
    let row = match parsed
        .as_ref()
        .and_then(|v| v.get("report_id"))
        .and_then(|v| v.as_str())
    {
        Some(id) if looks_like_id(id.as_bytes()) => reports::get(conn, id).await?,
        Some(_) => None,
        None => find_report(conn, &candidate_ids(bytes)).await?,
    };
    let Some(row) = row else {
        return Ok(Verification {
            status: Status::Unknown,
            format,
            report_id: None,
            subject: None,
            subject_name: None,
            generated_at: None,
            digest: None,
            file_digest: Some(file_digest),
            ledger_index: None,
            message: "未找到该报告：平台没有签发过此报告编号的信用报告".into(),
        });
    };
    let anchor = anchor_ok(conn, &row).await?;
    let (status, digest, message) = match (format, &parsed) {
        ("pdf", _) => match &row.pdf_digest {
            Some(d) if *d == file_digest && anchor => (
                Status::Genuine,
                Some(d.clone()),
                "真实有效：PDF 与平台签发的报告逐字节一致".to_owned(),
            ),
            Some(d) => (
                Status::Altered,
                Some(d.clone()),
                "已被篡改：PDF 的 SM3 摘要与平台记录的不一致".to_owned(),
            ),
            None => (
                Status::Altered,
                None,
                "已被篡改：平台没有为该报告生成过此 PDF".to_owned(),
            ),
        },
        (_, Some(value)) => {
            let body_digest = digest_of(value);
            let stated_ok = value
                .get("digest")
                .is_none_or(|d| d.as_str() == Some(row.json_digest.as_str()));
            if body_digest == row.json_digest && stated_ok && anchor {
                (
                    Status::Genuine,
                    Some(row.json_digest.clone()),
                    "真实有效：报告内容的 SM3 摘要与平台记录及账本锚定一致".to_owned(),
                )
            } else {
                (
                    Status::Altered,
                    Some(row.json_digest.clone()),
                    "已被篡改：报告内容的 SM3 摘要与平台记录的不一致".to_owned(),
                )
            }
        }
        _ => (
            Status::Altered,
            Some(row.json_digest.clone()),
            "已被篡改：文件无法解析，但含有平台签发的报告编号".to_owned(),
        ),
    };
    Ok(Verification {
        status,
        format,
        report_id: Some(row.id.clone()),
        subject_name: Some(subject_name(conn, &row.subject).await?),
        subject: Some(row.subject.clone()),
        generated_at: Some(row.created_at.and_utc()),
        digest,
        file_digest: Some(file_digest),
        ledger_index: Some(row.ledger_index),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_after_the_marker_first() {
        let a = "0191f5d2-8a7e-7c3b-9d4e-0123456789ab";
        let b = "0191f5d2-8a7e-7c3b-9d4e-ba9876543210";
        let text = format!("x {b} y /Keywords ({PDF_ID_MARKER}{a}) z");
        assert_eq!(
            candidate_ids(text.as_bytes()),
            vec![a.to_owned(), b.to_owned()]
        );
        assert!(candidate_ids(b"no ids here").is_empty());
        assert!(!looks_like_id(b"0191F5D2-8A7E-7C3B-9D4E-0123456789AB"));
    }
}
