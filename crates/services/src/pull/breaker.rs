//! 熔断 (circuit breaker): after `threshold` consecutive failed calls to a provider, calls are
//! refused at once for `cooldown`, sparing a struggling provider and answering the reader
//! quickly; then one probe call is let through, whose outcome closes or reopens the breaker.
//! Time comes from the caller (the platform `Clock`), so tests move it instead of sleeping.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls are refused until the cooldown ends.
    Open,
    /// The cooldown is over: the next call is a probe.
    HalfOpen,
}

impl BreakerState {
    pub fn code(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            BreakerState::Closed => "正常",
            BreakerState::Open => "熔断中",
            BreakerState::HalfOpen => "试探恢复",
        }
    }
}

/// Whether a call may go to the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Allowed,
    /// The one call after a cooldown; its outcome decides.
    Probe,
    Refused {
        retry_after: Duration,
    },
}

#[derive(Debug, Clone)]
pub struct Breaker {
    threshold: u32,
    cooldown: Duration,
    consecutive_failures: u32,
    opened_at: Option<DateTime<Utc>>,
    probing: bool,
}

impl Breaker {
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Breaker {
            threshold: threshold.max(1),
            cooldown,
            consecutive_failures: 0,
            opened_at: None,
            probing: false,
        }
    }

    pub fn state(&self, now: DateTime<Utc>) -> BreakerState {
        match self.opened_at {
            None => BreakerState::Closed,
            Some(at) if now < at + self.cooldown || self.probing => BreakerState::Open,
            Some(_) => BreakerState::HalfOpen,
        }
    }

    pub fn admit(&mut self, now: DateTime<Utc>) -> Admission {
        let Some(at) = self.opened_at else {
            return Admission::Allowed;
        };
        let reopens = at + self.cooldown;
        if now < reopens {
            Admission::Refused {
                retry_after: reopens - now,
            }
        } else if self.probing {
            Admission::Refused {
                retry_after: Duration::seconds(1),
            }
        } else {
            self.probing = true;
            Admission::Probe
        }
    }

    /// A call succeeded: the breaker closes and the failure count starts again.
    pub fn on_success(&mut self) {
        self.consecutive_failures = 0;
        self.opened_at = None;
        self.probing = false;
    }

    /// A call failed: a failed probe reopens at once; otherwise the breaker opens on the
    /// `threshold`-th consecutive failure.
    pub fn on_failure(&mut self, now: DateTime<Utc>) {
        if self.opened_at.is_some() {
            self.opened_at = Some(now);
            self.probing = false;
            return;
        }
        self.consecutive_failures += 1;
        if self.consecutive_failures >= self.threshold {
            self.opened_at = Some(now);
            self.consecutive_failures = 0;
        }
    }

    /// A probe was admitted but never made (e.g. refused by a quota): let another one try.
    pub fn abandon_probe(&mut self) {
        self.probing = false;
    }

    /// Whether calls are refused right now (a retry loop stops when this turns true).
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.opened_at.is_some_and(|at| now < at + self.cooldown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap()
    }

    #[test]
    fn opens_after_threshold_consecutive_failures() {
        let mut b = Breaker::new(3, Duration::seconds(30));
        let now = t0();
        b.on_failure(now);
        b.on_failure(now);
        assert_eq!(b.admit(now), Admission::Allowed);
        b.on_success();
        b.on_failure(now);
        b.on_failure(now);
        assert_eq!(
            b.state(now),
            BreakerState::Closed,
            "a success resets the count"
        );
        b.on_failure(now);
        assert_eq!(b.state(now), BreakerState::Open);
        assert_eq!(
            b.admit(now + Duration::seconds(10)),
            Admission::Refused {
                retry_after: Duration::seconds(20)
            }
        );
    }

    #[test]
    fn half_opens_after_cooldown_with_one_probe() {
        let mut b = Breaker::new(1, Duration::seconds(30));
        b.on_failure(t0());
        let later = t0() + Duration::seconds(30);
        assert_eq!(b.state(later), BreakerState::HalfOpen);
        assert_eq!(b.admit(later), Admission::Probe);
        assert!(
            matches!(b.admit(later), Admission::Refused { .. }),
            "one probe at a time"
        );
        b.on_success();
        assert_eq!(b.state(later), BreakerState::Closed);
        assert_eq!(b.admit(later), Admission::Allowed);
    }

    #[test]
    fn a_failed_probe_reopens_for_a_full_cooldown() {
        let mut b = Breaker::new(2, Duration::seconds(30));
        b.on_failure(t0());
        b.on_failure(t0());
        let later = t0() + Duration::seconds(31);
        assert_eq!(b.admit(later), Admission::Probe);
        b.on_failure(later);
        assert_eq!(b.state(later), BreakerState::Open);
        assert!(b.is_open(later + Duration::seconds(29)));
        assert_eq!(b.admit(later + Duration::seconds(30)), Admission::Probe);
    }

    #[test]
    fn an_abandoned_probe_lets_the_next_call_probe() {
        let mut b = Breaker::new(1, Duration::seconds(5));
        b.on_failure(t0());
        let later = t0() + Duration::seconds(5);
        assert_eq!(b.admit(later), Admission::Probe);
        b.abandon_probe();
        assert_eq!(b.admit(later), Admission::Probe);
    }
}
