//! The live state of pull collection, one per platform and shared by every request: per
//! provider its breaker, quotas, cache and counters, and the one HTTP client. Rebuilt for a
//! provider when its connector's settings change.

use super::breaker::{Breaker, BreakerState};
use super::cache::TtlCache;
use super::quota::TokenBucket;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use xinrong_store::repo::connectors::ConnectorRow;

/// Answers kept per provider at most.
const CACHE_ENTRIES: usize = 10_000;

/// A provider's checked answer, as cached.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub rows: Vec<Map<String, Value>>,
    /// Rows the provider sent that failed the catalogue's checks or named another subject.
    pub rejected_rows: usize,
    pub fetched_at: NaiveDateTime,
}

/// Counters since the server started (or the connector last changed).
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub calls: AtomicU64,
    pub failures: AtomicU64,
    pub cache_hits: AtomicU64,
    pub short_circuits: AtomicU64,
    pub rate_limited: AtomicU64,
}

impl Counters {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// What the operator sees of a connector while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LiveState {
    pub breaker: BreakerState,
    /// HTTP calls made to the provider (each attempt counts).
    pub calls: u64,
    pub failures: u64,
    pub cache_hits: u64,
    /// Reads refused at once because the breaker was open.
    pub short_circuits: u64,
    /// Reads refused by the rate or concurrency quota.
    pub rate_limited: u64,
    pub in_flight: u64,
    pub cached: u64,
}

#[derive(Debug)]
pub(crate) struct Slot {
    pub config: ConnectorRow,
    pub breaker: Mutex<Breaker>,
    pub bucket: Mutex<TokenBucket>,
    pub permits: Arc<Semaphore>,
    pub cache: Mutex<TtlCache<Fetched>>,
    pub counters: Arc<Counters>,
}

impl Slot {
    fn new(config: &ConnectorRow, now: DateTime<Utc>, counters: Arc<Counters>) -> Slot {
        let n = |v: i32| u32::try_from(v).unwrap_or(1);
        Slot {
            config: config.clone(),
            breaker: Mutex::new(Breaker::new(
                n(config.breaker_threshold),
                Duration::seconds(i64::from(config.breaker_cooldown_seconds)),
            )),
            bucket: Mutex::new(TokenBucket::new(n(config.rate_per_minute), now)),
            permits: Arc::new(Semaphore::new(n(config.max_concurrency).max(1) as usize)),
            cache: Mutex::new(TtlCache::new(
                Duration::seconds(i64::from(config.cache_ttl_seconds)),
                CACHE_ENTRIES,
            )),
            counters,
        }
    }

    pub fn live(&self, now: DateTime<Utc>) -> LiveState {
        let c = &self.counters;
        let max = u64::try_from(self.config.max_concurrency.max(1)).unwrap_or(1);
        LiveState {
            breaker: lock(&self.breaker).state(now),
            calls: c.calls.load(Ordering::Relaxed),
            failures: c.failures.load(Ordering::Relaxed),
            cache_hits: c.cache_hits.load(Ordering::Relaxed),
            short_circuits: c.short_circuits.load(Ordering::Relaxed),
            rate_limited: c.rate_limited.load(Ordering::Relaxed),
            in_flight: max.saturating_sub(self.permits.available_permits() as u64),
            cached: lock(&self.cache).len() as u64,
        }
    }
}

/// Locks a mutex whose holder cannot leave it inconsistent (no code panics while holding one).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Per-provider live state and the HTTP client of pull collection (held by `Platform`).
#[derive(Debug)]
pub struct PullRegistry {
    pub(crate) client: reqwest::Client,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    pub(crate) rng: Mutex<ChaCha8Rng>,
}

impl Default for PullRegistry {
    fn default() -> Self {
        let client = reqwest::Client::builder()
            .user_agent(concat!("xinrong-pull/", env!("CARGO_PKG_VERSION")))
            // A provider's answer is data, never a pointer elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        PullRegistry {
            client,
            slots: Mutex::new(HashMap::new()),
            rng: Mutex::new(ChaCha8Rng::from_os_rng()),
        }
    }
}

impl PullRegistry {
    /// The live slot of a connector; a changed connector gets fresh quotas, breaker and cache
    /// (its counters go on).
    pub(crate) fn slot(&self, config: &ConnectorRow, now: DateTime<Utc>) -> Arc<Slot> {
        let mut slots = lock(&self.slots);
        if let Some(slot) = slots.get(&config.org_id)
            && slot.config == *config
        {
            return slot.clone();
        }
        let counters = slots
            .get(&config.org_id)
            .map(|s| s.counters.clone())
            .unwrap_or_default();
        let slot = Arc::new(Slot::new(config, now, counters));
        slots.insert(config.org_id.clone(), slot.clone());
        slot
    }

    /// The live state of a connector (all zero before its first read).
    pub fn live(&self, config: &ConnectorRow, now: DateTime<Utc>) -> LiveState {
        self.slot(config, now).live(now)
    }
}
