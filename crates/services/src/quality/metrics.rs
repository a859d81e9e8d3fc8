//! The arithmetic of 数据质量: ratios in basis points, freshness against the expected update
//! frequency (更新频率), the direction of the error trend and the overall score. Pure.
//!
//! Every ratio is an integer number of basis points (1 bp = 0.01 %, 10 000 = 100 %), rounded
//! half up, and always shipped next to the counts it came from, so nothing stored or compared
//! passes through floating point.

use chrono::NaiveDateTime;
use serde::Serialize;
use xinrong_core::catalog::UpdateFrequency;

/// 10 000 basis points = 100 %.
pub const FULL: u32 = 10_000;

/// `num / den` in basis points, rounded half up; `None` when there is nothing to divide by.
pub fn bp(num: i64, den: i64) -> Option<u32> {
    if den <= 0 {
        return None;
    }
    let num = num.clamp(0, den) as i128;
    let den = den as i128;
    Some(((num * FULL as i128 + den / 2) / den) as u32)
}

/// 时效状态: how the age of a provider's last batch of an item compares with the item's expected
/// update frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Freshness {
    /// 按期: the last batch is at most one period old.
    Fresh,
    /// 待更新: older than one period, within the grace of half a period more.
    Due,
    /// 逾期: older than one and a half periods.
    Overdue,
    /// 随变随报: the item is sent when something happens, so its age says nothing; never overdue.
    OnChange,
    /// 尚未报送: no batch yet.
    None,
}

impl Freshness {
    pub fn code(self) -> &'static str {
        match self {
            Freshness::Fresh => "fresh",
            Freshness::Due => "due",
            Freshness::Overdue => "overdue",
            Freshness::OnChange => "on_change",
            Freshness::None => "none",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Freshness::Fresh => "按期",
            Freshness::Due => "待更新",
            Freshness::Overdue => "逾期",
            Freshness::OnChange => "随变随报",
            Freshness::None => "尚未报送",
        }
    }

    /// The timeliness credit of an item with a schedule (see [`score`]); `None` for an
    /// on-change item, which does not count.
    pub fn credit_bp(self) -> Option<u32> {
        match self {
            Freshness::Fresh => Some(FULL),
            Freshness::Due => Some(FULL / 2),
            Freshness::Overdue | Freshness::None => Some(0),
            Freshness::OnChange => None,
        }
    }
}

/// The freshness of an item whose last batch arrived at `last` (UTC), judged at `now` (UTC).
/// A period is the frequency's [`UpdateFrequency::period_days`]; the grace is half a period.
pub fn freshness(
    frequency: UpdateFrequency,
    last: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Freshness {
    let Some(period_days) = frequency.period_days() else {
        return Freshness::OnChange;
    };
    let Some(last) = last else {
        return Freshness::None;
    };
    let age = (now - last).num_seconds();
    let period = period_days * 86_400;
    if age <= period {
        Freshness::Fresh
    } else if age <= period + period / 2 {
        Freshness::Due
    } else {
        Freshness::Overdue
    }
}

/// Which way the rejected share of recent batches is heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 好转: the newer batches reject less.
    Improving,
    /// 变差: the newer batches reject more.
    Worsening,
    /// 平稳: within one percentage point, or too few batches to tell.
    Steady,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Direction::Improving => "improving",
            Direction::Worsening => "worsening",
            Direction::Steady => "steady",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Direction::Improving => "好转",
            Direction::Worsening => "变差",
            Direction::Steady => "平稳",
        }
    }
}

/// A change of the mean rejected share smaller than this (1 percentage point) is steady.
pub const STEADY_BP: i64 = 100;

/// Compares the mean rejected share of the newer half of the batches (oldest → newest) with the
/// older half; with an odd count the middle batch belongs to neither.
pub fn direction(shares_bp: &[u32]) -> Direction {
    let n = shares_bp.len();
    if n < 2 {
        return Direction::Steady;
    }
    let half = n / 2;
    let mean = |s: &[u32]| s.iter().map(|&v| i64::from(v)).sum::<i64>() * 1_000 / s.len() as i64;
    let older = mean(&shares_bp[..half]);
    let newer = mean(&shares_bp[n - half..]);
    let delta = newer - older;
    if delta <= -STEADY_BP * 1_000 {
        Direction::Improving
    } else if delta >= STEADY_BP * 1_000 {
        Direction::Worsening
    } else {
        Direction::Steady
    }
}

/// The parts the overall score (综合得分) is made of, each in basis points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreParts {
    pub validity_bp: Option<u32>,
    pub completeness_bp: Option<u32>,
    pub duplicate_bp: Option<u32>,
    /// Mean timeliness credit of the scheduled items; `None` when every item is on-change.
    pub timeliness_bp: Option<u32>,
}

/// 综合得分 in basis points:
/// 40 % validity + 30 % completeness + 10 % (100 % − duplicate rate) + 20 % timeliness,
/// where timeliness is the mean over scheduled items of fresh 100 %, due 50 %, overdue or never
/// sent 0 %, and counts as 100 % when every item is on-change. `None` — unranked — when
/// nothing was ever received.
pub fn score(parts: ScoreParts) -> Option<u32> {
    let validity = parts.validity_bp?;
    let completeness = parts.completeness_bp.unwrap_or(0);
    let unique = FULL - parts.duplicate_bp.unwrap_or(0).min(FULL);
    let timeliness = parts.timeliness_bp.unwrap_or(FULL);
    let weighted = 4 * u64::from(validity)
        + 3 * u64::from(completeness)
        + u64::from(unique)
        + 2 * u64::from(timeliness);
    Some(((weighted + 5) / 10) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(days: i64, hours: i64) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            + Duration::days(days)
            + Duration::hours(hours)
    }

    #[test]
    fn ratios_are_exact_basis_points() {
        assert_eq!(bp(8, 10), Some(8_000));
        assert_eq!(bp(2, 3), Some(6_667));
        assert_eq!(bp(1, 3), Some(3_333));
        assert_eq!(bp(0, 5), Some(0));
        assert_eq!(bp(5, 5), Some(FULL));
        assert_eq!(bp(1, 0), None);
        // Counts as large as a year of a big provider's cells do not overflow.
        assert_eq!(bp(i64::MAX / 2, i64::MAX), Some(5_000));
    }

    #[test]
    fn monthly_items_turn_due_then_overdue() {
        let last = Some(at(0, 0));
        let m = UpdateFrequency::Monthly;
        assert_eq!(freshness(m, last, at(31, 0)), Freshness::Fresh);
        assert_eq!(freshness(m, last, at(31, 1)), Freshness::Due);
        assert_eq!(freshness(m, last, at(46, 12)), Freshness::Due);
        assert_eq!(freshness(m, last, at(46, 13)), Freshness::Overdue);
        assert_eq!(freshness(m, None, at(0, 0)), Freshness::None);
        assert_eq!(
            freshness(UpdateFrequency::Daily, last, at(1, 12)),
            Freshness::Due
        );
    }

    #[test]
    fn on_change_items_are_never_overdue() {
        for now in [at(0, 0), at(400, 0), at(4_000, 0)] {
            assert_eq!(
                freshness(UpdateFrequency::OnChange, Some(at(0, 0)), now),
                Freshness::OnChange
            );
        }
        assert_eq!(
            freshness(UpdateFrequency::OnChange, None, at(9, 0)),
            Freshness::OnChange
        );
        assert_eq!(Freshness::OnChange.credit_bp(), None);
    }

    #[test]
    fn trend_direction_compares_halves() {
        assert_eq!(direction(&[]), Direction::Steady);
        assert_eq!(direction(&[5_000]), Direction::Steady);
        assert_eq!(direction(&[2_000, 1_000, 0]), Direction::Improving);
        assert_eq!(direction(&[0, 0, 500, 1_000]), Direction::Worsening);
        assert_eq!(direction(&[1_000, 1_050]), Direction::Steady);
        assert_eq!(direction(&[1_000, 1_100]), Direction::Worsening);
    }

    #[test]
    fn score_weights_the_parts() {
        let all = ScoreParts {
            validity_bp: Some(FULL),
            completeness_bp: Some(FULL),
            duplicate_bp: Some(0),
            timeliness_bp: Some(FULL),
        };
        assert_eq!(score(all), Some(FULL));
        let some = ScoreParts {
            validity_bp: Some(8_000),
            completeness_bp: Some(5_000),
            duplicate_bp: Some(1_000),
            timeliness_bp: None,
        };
        // 0.4·80 + 0.3·50 + 0.1·90 + 0.2·100 = 76 %.
        assert_eq!(score(some), Some(7_600));
        assert_eq!(
            score(ScoreParts {
                validity_bp: None,
                ..all
            }),
            None
        );
    }
}
