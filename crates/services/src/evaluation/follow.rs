//! Incremental re-evaluation (增量评价): the evaluation consumer of the change-event outbox.
//!
//! The ingest path signals [`Platform::changes`] right after a batch commits; the follower wakes
//! on that signal (or every second at the latest), reads the events after its durable cursor,
//! re-evaluates their distinct subjects in chunks (the same code as the full run) and
//! acknowledges — so a crash re-reads unacknowledged events and loses nothing. Objection and
//! repair changes raise no events: the follower also re-evaluates the subjects whose objections
//! or repairs changed since its last pass (and a read re-evaluates a result older than such a
//! change, see [`super::current_fresh`]).
//!
//! Model versions: the follower evaluates with the current (newest shipped) model. Results of an
//! older model stay as they are until `xinrong evaluate --all` re-evaluates everyone (or a read
//! re-evaluates that subject); the follower logs a warning at start while such results exist.

use super::scan;
use crate::error::ServiceResult;
use crate::platform::Platform;
use serde::Serialize;
use std::time::Duration;
use xinrong_core::evaluation::Model;
use xinrong_core::profile::TagRules;
use xinrong_store::repo::evaluations as repo;

/// The consumer name of the evaluation follower.
pub const CONSUMER: &str = "evaluation";

/// Longest wait between passes when no change is signalled.
const TICK: Duration = Duration::from_secs(1);

/// What one pass did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FollowReport {
    pub events: u64,
    pub subjects: u64,
    pub changed: u64,
    /// The last event acknowledged in this pass.
    pub last_seq: Option<i64>,
}

/// Re-evaluates the subjects of every unacknowledged event, page by page, and acknowledges.
pub async fn follow_outbox(platform: &Platform) -> ServiceResult<FollowReport> {
    let mut report = FollowReport::default();
    loop {
        let events = crate::events::read(platform, CONSUMER, crate::events::MAX_PAGE).await?;
        let Some(last) = events.last().map(|e| e.seq) else {
            break;
        };
        let mut subjects: Vec<String> = events.iter().map(|e| e.subject.clone()).collect();
        subjects.sort_unstable();
        subjects.dedup();
        let run =
            scan::evaluate_subjects(platform, Model::builtin(), TagRules::builtin(), &subjects)
                .await?;
        crate::events::acknowledge(platform, CONSUMER, last).await?;
        report.events += events.len() as u64;
        report.subjects += (subjects.len() - run.unknown.len()) as u64;
        report.changed += run.changed;
        report.last_seq = Some(last);
        if (events.len() as u64) < crate::events::MAX_PAGE {
            break;
        }
    }
    Ok(report)
}

/// Starts the follower for a server: a pass at once, then on every change signal or tick.
pub fn spawn_follower(platform: Platform) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match repo::stale_count(
            &platform.db.conn,
            Model::builtin().version() as i32,
            TagRules::builtin().version() as i32,
        )
        .await
        {
            Ok(n) if n > 0 => tracing::warn!(
                stale = n,
                model = Model::builtin().version(),
                "results of another model or tag-rule version exist; run `xinrong evaluate --all`"
            ),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "evaluation follower: version check failed"),
        }
        let mut since = platform.clock.now_naive();
        loop {
            match follow_outbox(&platform).await {
                Ok(r) if r.events > 0 => {
                    tracing::debug!(events = r.events, changed = r.changed, "re-evaluated")
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "evaluation follower failed"),
            }
            match repo::flags_changed_since(&platform.db.conn, since).await {
                Ok((subjects, newest)) if !subjects.is_empty() => {
                    let run = scan::evaluate_subjects(
                        &platform,
                        Model::builtin(),
                        TagRules::builtin(),
                        &subjects,
                    )
                    .await;
                    match run {
                        Ok(_) => since = newest.unwrap_or(since),
                        Err(err) => {
                            tracing::warn!(error = %err, "re-evaluation after objection or repair failed")
                        }
                    }
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "evaluation follower: flag check failed"),
            }
            tokio::select! {
                _ = platform.changes.notified() => {}
                _ = tokio::time::sleep(TICK) => {}
            }
        }
    })
}
