//! 公共信用综合评价 (evaluation) as a use-case: every enterprise gets a score, a grade, an
//! explanation and its profile tags (画像标签), computed by the pure model in
//! `xinrong_core::evaluation` / `xinrong_core::profile` from the current version of its records,
//! and stored with the model version beside it.
//!
//! - [`evaluate_all`] — the full run (`xinrong evaluate --all`): walks the enterprises in USCC
//!   chunks with one records query per chunk, evaluates on every core, writes in bulk (see
//!   `scan`).
//! - [`follow_outbox`] / [`spawn_follower`] — incremental re-evaluation: the subjects of new
//!   change events (变更事件) are re-evaluated as soon as a batch commits (the ingest path
//!   signals [`Platform::changes`]), or within a second at most.
//! - Objection and repair decisions change what the model counts (a record under a pending
//!   objection or repaired is not counted against the subject): the result is re-evaluated on
//!   read when it is older than the subject's latest objection or repair change — see
//!   [`current_fresh`].
//! - [`view`] — a reader's view of a result, shaped by the ONE access decision and logged as an
//!   access (查询记录) when someone other than the subject reads it; [`distribution`] — grade
//!   distributions by district and industry for government (its jurisdiction) and the operator.
//!
//! History: a result is appended to `evaluations` only when it changed (same digest = same
//! result); `subject_grades` always points at the current one.

mod distribution;
mod follow;
mod scan;
mod shape;

pub use distribution::{By, Distribution, DistributionRow, distribution};
pub use follow::{CONSUMER, FollowReport, follow_outbox, spawn_follower};
pub use scan::{RunSummary, evaluate_all};
pub use shape::{EvaluationView, FactorView, IndicatorView, TagView, shape};

use crate::access::{self, Reader};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::evaluation::{Evaluation, Model};
use xinrong_core::profile::TagRules;
use xinrong_core::purpose::Purpose;
use xinrong_store::repo::evaluations as repo;

/// The pseudo item key an evaluation read is logged under in the access log.
pub const ACCESS_ITEM: &str = "evaluation";

/// One stored result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvaluation {
    pub id: String,
    pub subject: String,
    pub evaluation: Evaluation,
    /// Profile tag keys (画像标签), in rule order.
    pub tags: Vec<String>,
    pub tag_rules_version: u32,
    /// UTC.
    pub evaluated_at: NaiveDateTime,
}

/// What the `result` column holds: the compact evaluation and the tags.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredResult {
    #[serde(flatten)]
    pub evaluation: Evaluation,
    pub tags: Vec<String>,
}

impl StoredEvaluation {
    fn from_row(row: repo::EvaluationRow) -> ServiceResult<StoredEvaluation> {
        let result: StoredResult = serde_json::from_str(&row.result).map_err(|e| {
            ServiceError::invalid(
                "evaluation.stored",
                format!("评价结果 {} 无法读取：{e}", row.id),
            )
        })?;
        Ok(StoredEvaluation {
            id: row.id,
            subject: row.subject,
            evaluation: result.evaluation,
            tags: result.tags,
            tag_rules_version: row.tag_rules_version as u32,
            evaluated_at: row.evaluated_at,
        })
    }

    /// The model this result was computed with, when it shipped with this build.
    pub fn model(&self) -> Option<&'static Model> {
        Model::by_version(self.evaluation.model_version)
    }
}

/// A USCC as typed: trimmed, upper-cased and checked (GB 32100), else `uscc.*` with the reason.
pub fn parse_subject(subject: &str) -> ServiceResult<String> {
    Ok(Uscc::parse(&subject.trim().to_uppercase())?
        .as_str()
        .to_owned())
}

fn unknown(subject: &str) -> ServiceError {
    ServiceError::invalid(
        "subject.unknown",
        format!("平台没有统一社会信用代码为 {subject} 的企业"),
    )
}

/// The stored current result of `subject`, if it was ever evaluated.
pub async fn current(
    platform: &Platform,
    subject: &str,
) -> ServiceResult<Option<StoredEvaluation>> {
    let subject = subject.trim().to_uppercase();
    match repo::current(&platform.db.conn, &subject).await? {
        Some((_, row)) => Ok(Some(StoredEvaluation::from_row(row)?)),
        None => Ok(None),
    }
}

/// Evaluates `subject` now with the current model and tag rules, stores the result if it
/// changed, and returns the current result. `subject.unknown` for a USCC the platform does not
/// hold.
pub async fn evaluate_subject(
    platform: &Platform,
    subject: &str,
) -> ServiceResult<StoredEvaluation> {
    let subject = parse_subject(subject)?;
    let changed = scan::evaluate_subjects(
        platform,
        Model::builtin(),
        TagRules::builtin(),
        std::slice::from_ref(&subject),
    )
    .await?;
    if changed.unknown.contains(&subject) {
        return Err(unknown(&subject));
    }
    current(platform, &subject)
        .await?
        .ok_or_else(|| unknown(&subject))
}

/// The current result of `subject`, evaluated first when there is none yet or when it predates
/// a change the model must see that raises no change event: an objection filed or decided, a
/// repair decided, a different model or tag-rule version shipped.
pub async fn current_fresh(platform: &Platform, subject: &str) -> ServiceResult<StoredEvaluation> {
    let subject = parse_subject(subject)?;
    let conn = &platform.db.conn;
    if let Some(stored) = current(platform, &subject).await? {
        let newest_flag = repo::flags_changed_at(conn, &subject).await?;
        let stale_flags = newest_flag.is_some_and(|at| at >= stored.evaluated_at);
        let stale_model = stored.evaluation.model_version != Model::builtin().version()
            || stored.tag_rules_version != TagRules::builtin().version();
        if !stale_flags && !stale_model {
            return Ok(stored);
        }
    }
    evaluate_subject(platform, &subject).await
}

/// The stored results of `subject`, newest first (the history).
pub async fn history(
    platform: &Platform,
    subject: &str,
    limit: u64,
) -> ServiceResult<Vec<StoredEvaluation>> {
    let subject = parse_subject(subject)?;
    repo::history(&platform.db.conn, &subject, limit.clamp(1, 500))
        .await?
        .into_iter()
        .map(StoredEvaluation::from_row)
        .collect()
}

/// One read of a subject's evaluation asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct ViewRequest<'a> {
    pub subject: &'a str,
    /// 查询用途 (code or Chinese label); institutions must state one.
    pub purpose: Option<&'a str>,
    /// The authorization the reader relies on; any active one that covers when absent.
    pub authorization_id: Option<&'a str>,
    /// The door: `api`, `ui`, `cli`, `report`.
    pub channel: &'static str,
}

/// The evaluation of `request.subject` as `reader` may see it: refused outright (with the
/// reason) when the reader has no basis at all; otherwise shaped by the access decision and,
/// when the reader is not the subject itself, logged as an access (查询记录, item
/// [`ACCESS_ITEM`]).
pub async fn view(
    platform: &Platform,
    reader: &Reader,
    request: &ViewRequest<'_>,
) -> ServiceResult<EvaluationView> {
    let subject = parse_subject(request.subject)?;
    let purpose = match request.purpose.map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => Some(Purpose::parse(p).ok_or_else(|| {
            ServiceError::invalid(
                "access.unknown_purpose",
                format!(
                    "查询用途“{p}”无效，应为：{}",
                    Purpose::ALL.map(|p| p.label_zh()).join("、")
                ),
            )
        })?),
    };
    if repo::enterprise(&platform.db.conn, &subject)
        .await?
        .is_none()
    {
        return Err(unknown(&subject));
    }
    let facts = access::Facts::gather(
        platform,
        reader,
        &subject,
        request
            .authorization_id
            .map(str::trim)
            .filter(|a| !a.is_empty()),
        platform.clock.now_naive(),
    )
    .await?;
    let purpose_code = purpose.map(|p| p.code());
    if let Some(notice) = facts.refusal(purpose_code) {
        return Err(ServiceError::Denied {
            code: notice.code,
            message: notice.message,
        });
    }
    let stored = current_fresh(platform, &subject).await?;
    let mut shaped = shape(&stored, &facts, purpose_code);
    let own = reader.org_uscc.as_deref() == Some(subject.as_str())
        && reader.role == xinrong_core::role::Role::Enterprise;
    if !own {
        let id = crate::share::record_item_read(
            platform,
            reader,
            &subject,
            ACCESS_ITEM,
            purpose_code,
            shaped.authorization_id.as_deref(),
            request.channel,
        )
        .await?;
        shaped.access_id = Some(id);
    }
    Ok(shaped)
}

/// `stored` in full, as the subject itself sees it (every indicator, factor and tag): for the
/// operator's command line and the subject's own pages. Not logged — the subject's own read.
pub async fn full_view(
    platform: &Platform,
    stored: &StoredEvaluation,
) -> ServiceResult<EvaluationView> {
    let itself = Reader {
        role: xinrong_core::role::Role::Enterprise,
        org_id: String::new(),
        org_name: String::new(),
        region_code: None,
        org_uscc: Some(stored.subject.clone()),
        institution_kind: None,
        user_id: None,
    };
    let facts = access::Facts::gather(
        platform,
        &itself,
        &stored.subject,
        None,
        platform.clock.now_naive(),
    )
    .await?;
    Ok(shape(stored, &facts, None))
}
