//! A short-lived cache of providers' answers (短时缓存), keyed by provider, item and subject: the
//! same question within the TTL is answered without calling the provider again. Bounded; time
//! comes from the caller (the platform `Clock`).

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

#[derive(Debug)]
pub struct TtlCache<V> {
    ttl: Duration,
    max_entries: usize,
    entries: HashMap<String, (DateTime<Utc>, V)>,
}

impl<V: Clone> TtlCache<V> {
    /// A TTL of zero turns the cache off.
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        TtlCache {
            ttl,
            max_entries: max_entries.max(1),
            entries: HashMap::new(),
        }
    }

    pub fn key(provider: &str, item: &str, subject: &str) -> String {
        format!("{provider}\u{1f}{item}\u{1f}{subject}")
    }

    /// The value stored under `key` if it is younger than the TTL.
    pub fn get(&mut self, key: &str, now: DateTime<Utc>) -> Option<V> {
        match self.entries.get(key) {
            Some((at, v)) if now < *at + self.ttl && now >= *at => Some(v.clone()),
            Some(_) => {
                self.entries.remove(key);
                None
            }
            None => None,
        }
    }

    pub fn put(&mut self, key: String, value: V, now: DateTime<Utc>) {
        if self.ttl <= Duration::zero() {
            return;
        }
        if self.entries.len() >= self.max_entries && !self.entries.contains_key(&key) {
            let ttl = self.ttl;
            self.entries.retain(|_, (at, _)| now < *at + ttl);
            if self.entries.len() >= self.max_entries
                && let Some(oldest) = self
                    .entries
                    .iter()
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(k, _)| k.clone())
            {
                self.entries.remove(&oldest);
            }
        }
        self.entries.insert(key, (now, value));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap()
    }

    #[test]
    fn hit_within_ttl_miss_after() {
        let mut cache = TtlCache::new(Duration::seconds(60), 10);
        let key = TtlCache::<u32>::key("p", "tax.tax_arrears", "S");
        cache.put(key.clone(), 7, t0());
        assert_eq!(cache.get(&key, t0() + Duration::seconds(59)), Some(7));
        assert_eq!(cache.get(&key, t0() + Duration::seconds(60)), None);
        assert!(cache.is_empty(), "an expired entry is dropped");
    }

    #[test]
    fn keys_differ_by_provider_item_and_subject() {
        let mut cache = TtlCache::new(Duration::seconds(60), 10);
        cache.put(TtlCache::<u32>::key("p", "i", "S"), 1, t0());
        assert_eq!(cache.get(&TtlCache::<u32>::key("p", "i", "T"), t0()), None);
        assert_eq!(cache.get(&TtlCache::<u32>::key("q", "i", "S"), t0()), None);
        assert_eq!(cache.get(&TtlCache::<u32>::key("p", "j", "S"), t0()), None);
    }

    #[test]
    fn zero_ttl_stores_nothing_and_size_is_bounded() {
        let mut off = TtlCache::new(Duration::zero(), 10);
        off.put("k".into(), 1, t0());
        assert!(off.is_empty());
        let mut small = TtlCache::new(Duration::seconds(60), 2);
        small.put("a".into(), 1, t0());
        small.put("b".into(), 2, t0() + Duration::seconds(1));
        small.put("c".into(), 3, t0() + Duration::seconds(2));
        assert_eq!(small.len(), 2);
        assert_eq!(
            small.get("a", t0() + Duration::seconds(2)),
            None,
            "the oldest goes"
        );
        assert_eq!(small.get("c", t0() + Duration::seconds(2)), Some(3));
    }
}
