//! 重试退避: the wait before the n-th retry of an idempotent (GET) call — exponential, capped,
//! and jittered so that many readers retrying a recovering provider do not arrive together.

use rand::Rng;
use std::time::Duration;

/// The first retry waits about this long.
pub const BASE: Duration = Duration::from_millis(50);
/// No retry waits longer.
pub const CAP: Duration = Duration::from_millis(2_000);

/// The wait before retry `attempt` (0 = the first retry): a random point in the upper half of
/// `min(CAP, BASE · 2^attempt)` ("equal jitter"), so the wait grows yet never collapses to zero.
pub fn delay(attempt: u32, rng: &mut impl Rng) -> Duration {
    let ceiling = ceiling(attempt).as_millis() as u64;
    let half = ceiling / 2;
    Duration::from_millis(half + rng.random_range(0..=ceiling - half))
}

/// The longest wait before retry `attempt`.
pub fn ceiling(attempt: u32) -> Duration {
    let factor = 1u64 << attempt.min(20);
    Duration::from_millis(
        (BASE.as_millis() as u64)
            .saturating_mul(factor)
            .min(CAP.as_millis() as u64),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    proptest::proptest! {
        #[test]
        fn delay_stays_within_half_and_full_ceiling(attempt in 0u32..64, seed in proptest::prelude::any::<u64>()) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let d = delay(attempt, &mut rng);
            let c = ceiling(attempt);
            proptest::prop_assert!(d <= c && d <= CAP);
            proptest::prop_assert!(d >= c / 2);
            proptest::prop_assert!(d >= BASE / 2);
        }

        #[test]
        fn ceiling_grows_until_the_cap(attempt in 0u32..63) {
            proptest::prop_assert!(ceiling(attempt) <= ceiling(attempt + 1));
        }
    }

    #[test]
    fn first_retries_double() {
        assert_eq!(ceiling(0), BASE);
        assert_eq!(ceiling(1), BASE * 2);
        assert_eq!(ceiling(30), CAP);
    }
}
