//! 接口调用 (pull collection): items whose catalogue modes include `pull` are not stored; they
//! are read from the provider's own API at the moment a reader asks, and only when the access
//! decision (`crate::access::decide`) allows it.
//!
//! Each provider has one connector (`connectors` table: base URL, timeout, retries, quotas,
//! cache TTL, breaker) set by the operator. The live state — breaker, rate and concurrency
//! quotas, short cache, counters — is a [`PullRegistry`] held by `Platform`, so every request
//! of a server shares it. Time-dependent rules (breaker cooldown, token bucket, cache TTL) read
//! the platform `Clock`.
//!
//! Errors callers branch on: `access.denied` (403), `pull.not_pull_item`, `pull.no_connector`,
//! `pull.subject` (422), `pull.rate_limited` / `pull.busy` (429), `pull.source_unavailable`
//! (503), `pull.timeout` (504).

pub mod backoff;
pub mod breaker;
pub mod cache;
pub mod connector;
pub mod quota;
mod read;
pub mod registry;

pub use breaker::BreakerState;
pub use connector::{
    Connector, ConnectorChange, ConnectorSettings, get_connector, list_connectors, set_connector,
};
pub use read::{Column, PullRequest, PullResult, UNAVAILABLE_MESSAGE, pull};
pub use registry::{LiveState, PullRegistry};
