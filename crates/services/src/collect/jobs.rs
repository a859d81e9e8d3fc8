//! Batches that run in the background (后台报送任务), so an upload page or an API client can
//! watch a long file's progress and fetch its error report afterwards. Jobs live in memory for
//! an hour after they finish; the batch itself is in the database the moment it commits.

use super::ingest::{BatchKind, IngestReport, IngestRequest, ingest};
use super::progress::{Progress, ProgressSnapshot};
use super::{Encoding, Format};
use crate::platform::Platform;
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a finished job stays visible.
const KEEP_FINISHED: Duration = Duration::from_secs(3600);

/// An uploaded file waiting to be applied; removed from disk when the job ends.
pub struct Spooled {
    path: PathBuf,
}

impl Spooled {
    /// Takes ownership of a file: it is deleted when this value is dropped.
    pub fn new(path: PathBuf) -> Spooled {
        Spooled { path }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What to apply.
pub struct JobRequest {
    pub item_key: String,
    pub provider_org_id: String,
    pub format: Format,
    pub encoding: Encoding,
    pub strict: bool,
    pub kind: BatchKind,
    pub file: Spooled,
}

/// How a job ended.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum JobOutcome {
    Finished { report: IngestReport },
    Failed { code: &'static str, message: String },
}

/// A job as its owner sees it.
#[derive(Debug, Clone, Serialize)]
pub struct JobStatus {
    pub id: String,
    pub item_key: String,
    pub progress: ProgressSnapshot,
    /// `None` while running.
    pub outcome: Option<JobOutcome>,
}

struct Job {
    org_id: String,
    item_key: String,
    progress: Arc<Progress>,
    outcome: Option<JobOutcome>,
    finished: Option<Instant>,
    done: Arc<tokio::sync::Notify>,
}

#[derive(Default)]
pub struct Jobs {
    jobs: Mutex<HashMap<String, Job>>,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jobs")
    }
}

impl Jobs {
    /// Starts applying `request` in the background and returns the job's ID.
    pub fn start(self: &Arc<Self>, platform: &Platform, request: JobRequest) -> String {
        let id = xinrong_core::ids::new_id().to_string();
        let progress = Arc::new(Progress::default());
        let done = Arc::new(tokio::sync::Notify::new());
        {
            let mut jobs = self.jobs.lock().expect("jobs lock");
            jobs.retain(|_, j| j.finished.is_none_or(|t| t.elapsed() < KEEP_FINISHED));
            jobs.insert(
                id.clone(),
                Job {
                    org_id: request.provider_org_id.clone(),
                    item_key: request.item_key.clone(),
                    progress: progress.clone(),
                    outcome: None,
                    finished: None,
                    done: done.clone(),
                },
            );
        }
        let (jobs, platform, job_id) = (self.clone(), platform.clone(), id.clone());
        tokio::spawn(async move {
            let result = ingest(
                &platform,
                IngestRequest {
                    item_key: &request.item_key,
                    provider_org_id: &request.provider_org_id,
                    format: request.format,
                    encoding: request.encoding,
                    strict: request.strict,
                    kind: request.kind,
                    path: request.file.path(),
                    progress: Some(progress),
                },
            )
            .await;
            drop(request.file);
            let outcome = match result {
                Ok(report) => JobOutcome::Finished { report },
                Err(e) => {
                    if e.code() == "internal" {
                        tracing::error!(error = ?e, job = %job_id, "background batch failed");
                    }
                    JobOutcome::Failed {
                        code: e.code(),
                        message: e.public_message(),
                    }
                }
            };
            if let Some(job) = jobs.jobs.lock().expect("jobs lock").get_mut(&job_id) {
                job.outcome = Some(outcome);
                job.finished = Some(Instant::now());
            }
            done.notify_waiters();
        });
        id
    }

    /// The job's status, for the organisation that started it only.
    pub fn status(&self, id: &str, org_id: &str) -> Option<JobStatus> {
        let jobs = self.jobs.lock().expect("jobs lock");
        let job = jobs.get(id).filter(|j| j.org_id == org_id)?;
        Some(JobStatus {
            id: id.to_owned(),
            item_key: job.item_key.clone(),
            progress: job.progress.snapshot(),
            outcome: job.outcome.clone(),
        })
    }

    /// Waits up to `limit` for the job to finish; returns its status either way.
    pub async fn wait(&self, id: &str, org_id: &str, limit: Duration) -> Option<JobStatus> {
        let done = {
            let jobs = self.jobs.lock().expect("jobs lock");
            let job = jobs.get(id).filter(|j| j.org_id == org_id)?;
            if job.outcome.is_some() {
                None
            } else {
                Some(job.done.clone())
            }
        };
        if let Some(done) = done {
            let notified = done.notified();
            // The job may have finished between the check and here.
            if self.status(id, org_id)?.outcome.is_none() {
                let _ = tokio::time::timeout(limit, notified).await;
            }
        }
        self.status(id, org_id)
    }
}
