//! 接口调用容量 (call quotas) per provider: a token bucket for the rate (calls per minute, with
//! bursts up to a minute's worth) and a semaphore for the calls in flight at once. The bucket
//! takes time from the caller (the platform `Clock`), so tests need no sleeps.

use chrono::{DateTime, Utc};

/// Units per token: one token is 60,000 units and a bucket of `rate` calls per minute gains
/// `rate` units a millisecond, so refills are exact integers.
const UNITS: u64 = 60_000;

#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate_per_minute: u64,
    units: u64,
    last: DateTime<Utc>,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(rate_per_minute: u32, now: DateTime<Utc>) -> Self {
        let rate = u64::from(rate_per_minute.max(1));
        TokenBucket {
            rate_per_minute: rate,
            units: rate * UNITS,
            last: now,
        }
    }

    fn refill(&mut self, now: DateTime<Utc>) {
        let elapsed_ms = (now - self.last).num_milliseconds();
        if elapsed_ms > 0 {
            let capacity = self.rate_per_minute * UNITS;
            self.units = (self.units + elapsed_ms as u64 * self.rate_per_minute).min(capacity);
            self.last = now;
        }
    }

    /// Takes one call's token, or says in how many milliseconds one will be there.
    pub fn try_take(&mut self, now: DateTime<Utc>) -> Result<(), u64> {
        self.refill(now);
        if self.units >= UNITS {
            self.units -= UNITS;
            Ok(())
        } else {
            Err((UNITS - self.units).div_ceil(self.rate_per_minute))
        }
    }

    /// Whole tokens left.
    pub fn available(&mut self, now: DateTime<Utc>) -> u64 {
        self.refill(now);
        self.units / UNITS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap()
    }

    #[test]
    fn a_minutes_worth_then_refusal_then_refill() {
        let mut bucket = TokenBucket::new(3, t0());
        for _ in 0..3 {
            assert_eq!(bucket.try_take(t0()), Ok(()));
        }
        assert_eq!(bucket.try_take(t0()), Err(20_000), "one token per 20 s");
        let later = t0() + Duration::seconds(19);
        assert_eq!(bucket.try_take(later), Err(1_000));
        assert_eq!(bucket.try_take(t0() + Duration::seconds(20)), Ok(()));
        assert_eq!(
            bucket.available(t0() + Duration::hours(1)),
            3,
            "never above capacity"
        );
    }

    #[test]
    fn a_clock_moving_back_adds_nothing() {
        let mut bucket = TokenBucket::new(1, t0());
        assert_eq!(bucket.try_take(t0()), Ok(()));
        assert!(bucket.try_take(t0() - Duration::seconds(120)).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_more_calls_than_burst_plus_refill(rate in 1u32..500, steps in proptest::collection::vec(0i64..5_000, 1..200)) {
            let mut bucket = TokenBucket::new(rate, t0());
            let mut now = t0();
            let mut taken = 0u64;
            for step in &steps {
                now += Duration::milliseconds(*step);
                if bucket.try_take(now).is_ok() {
                    taken += 1;
                }
            }
            let elapsed_ms = (now - t0()).num_milliseconds() as u64;
            let allowed = u64::from(rate) + elapsed_ms * u64::from(rate) / 60_000;
            proptest::prop_assert!(taken <= allowed, "{taken} > {allowed}");
        }
    }
}
