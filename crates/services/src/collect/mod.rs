//! 归集 (collection): push batches from providers, validated against the catalogue, stored as
//! versioned records, each version a ledger leaf and an outbox event — all in one transaction.

mod decode;
pub mod grants;
mod ingest;
mod template;

pub use decode::{Encoding, Format};
pub use ingest::{IngestReport, IngestRequest, RowProblem, ingest};
pub use template::template;
