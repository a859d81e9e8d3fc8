//! 归集 (collection): push batches from providers, validated against the catalogue, stored as
//! versioned records, each version a ledger leaf and an event — all in one transaction.

mod decode;
mod error_report;
pub mod grants;
mod ingest;
pub mod jobs;
mod master;
pub mod progress;
mod template;

pub use decode::{Encoding, Format};
pub(crate) use decode::{check_zip, xlsx_cell_text};
pub use error_report::error_report;
pub use ingest::{BatchKind, IngestReport, IngestRequest, MAX_LISTED_PROBLEMS, RowProblem, ingest};
pub use jobs::{JobOutcome, JobRequest, JobStatus, Jobs, Spooled};
pub use progress::{Progress, ProgressSnapshot, Stage};
pub use template::template;
