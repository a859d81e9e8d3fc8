//! 信用修复 — when an adverse record may be repaired. Pure: the caller supplies the dates.
//!
//! The 2026 信用修复管理办法 (in force 2026-04-01) bounds how long an adverse record is public by
//! its severity: minor (轻微/一般) records are generally not published, or at most 3 months;
//! ordinary records (our [`Severity::Major`], 较重) 3 months to 1 year; serious (严重) records 1 to
//! 3 years. Repair may be applied for once the **minimum** publicity period has passed, the
//! violation is corrected and a commitment is signed. Portals grey out the online application
//! until then, showing the date it opens ([`opens_on`]).
//!
//! The period runs from the record's decision date (决定日期, 列入日期, 发布日期 … — the first
//! field of [`PERIOD_START_FIELDS`] the item has and the record fills), else from the day the
//! platform received the record.

use crate::catalog::{FieldType, Item, Severity};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Publicity periods of one severity, in months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// 最短公示期: repair may be applied for once this has passed.
    pub min_months: u32,
    /// 最长公示期: the record is not public beyond this (informative; not applied here).
    pub max_months: u32,
}

/// Minimum and maximum publicity per severity; configurable, defaults from the 2026 办法.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepairPeriods {
    pub minor: Period,
    pub major: Period,
    pub serious: Period,
}

impl Default for RepairPeriods {
    fn default() -> Self {
        RepairPeriods {
            // "一般不公示，或公示期最长 3 个月": no minimum.
            minor: Period {
                min_months: 0,
                max_months: 3,
            },
            // "公示期 3 个月至 1 年".
            major: Period {
                min_months: 3,
                max_months: 12,
            },
            // "公示期 1 年至 3 年".
            serious: Period {
                min_months: 12,
                max_months: 36,
            },
        }
    }
}

impl RepairPeriods {
    pub fn of(&self, severity: Severity) -> Period {
        match severity {
            Severity::Minor => self.minor,
            Severity::Major => self.major,
            Severity::Serious => self.serious,
        }
    }

    /// Each minimum within its maximum.
    pub fn check(&self) -> Result<(), String> {
        for s in [Severity::Minor, Severity::Major, Severity::Serious] {
            let p = self.of(s);
            if p.min_months > p.max_months {
                return Err(format!(
                    "{}失信信息的最短公示期（{} 个月）长于最长公示期（{} 个月）",
                    s.label_zh(),
                    p.min_months,
                    p.max_months
                ));
            }
        }
        Ok(())
    }
}

/// Date fields the publicity period runs from, most specific first.
pub const PERIOD_START_FIELDS: &[&str] = &[
    "decision_date",
    "penalty_date",
    "listing_date",
    "abnormal_list_date",
    "publish_date",
    "filing_date",
    "acceptance_date",
    "enforcement_date",
    "seizure_start",
    "adjudication_date",
];

/// The field of `item` the publicity period runs from, if it has one.
pub fn period_start_field(item: &Item) -> Option<&str> {
    PERIOD_START_FIELDS.iter().copied().find(|key| {
        item.field(key)
            .is_some_and(|f| f.field_type == FieldType::Date)
    })
}

/// The day the publicity period of a record starts: its decision date when the item has one
/// and the record fills it with a valid date, else `received` (the day the platform got it).
pub fn period_start(
    item: &Item,
    values: &serde_json::Map<String, serde_json::Value>,
    received: NaiveDate,
) -> NaiveDate {
    period_start_field(item)
        .and_then(|key| values.get(key))
        .and_then(|v| v.as_str())
        .and_then(|s| NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok())
        .unwrap_or(received)
}

/// The first day repair may be applied for: the start plus the minimum period (a month-end
/// start ends at the shorter month's end: 31 August + 6 months is 28/29 February).
pub fn opens_on(start: NaiveDate, severity: Severity, periods: &RepairPeriods) -> NaiveDate {
    start
        .checked_add_months(Months::new(periods.of(severity).min_months))
        .unwrap_or(NaiveDate::MAX)
}

/// The last day a record may be public: the start plus the maximum period. Readers may leave a
/// record out of the public sections after it even without a repair.
pub fn publicity_ends_on(
    start: NaiveDate,
    severity: Severity,
    periods: &RepairPeriods,
) -> NaiveDate {
    start
        .checked_add_months(Months::new(periods.of(severity).max_months))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether repair may be applied for on `today`.
pub fn is_open(
    today: NaiveDate,
    start: NaiveDate,
    severity: Severity,
    periods: &RepairPeriods,
) -> bool {
    today >= opens_on(start, severity, periods)
}

/// A date as Chinese text: 2026年3月5日.
pub fn date_zh(day: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn defaults_follow_the_2026_measures() {
        let p = RepairPeriods::default();
        assert_eq!(p.of(Severity::Minor).max_months, 3);
        assert_eq!((p.major.min_months, p.major.max_months), (3, 12));
        assert_eq!((p.serious.min_months, p.serious.max_months), (12, 36));
        p.check().unwrap();
        let bad = RepairPeriods {
            major: Period {
                min_months: 13,
                max_months: 12,
            },
            ..p
        };
        assert!(bad.check().unwrap_err().contains("较重"));
    }

    #[test]
    fn opening_dates() {
        let p = RepairPeriods::default();
        assert_eq!(opens_on(d(2026, 3, 5), Severity::Major, &p), d(2026, 6, 5));
        assert_eq!(
            opens_on(d(2026, 3, 5), Severity::Serious, &p),
            d(2027, 3, 5)
        );
        assert_eq!(opens_on(d(2026, 3, 5), Severity::Minor, &p), d(2026, 3, 5));
        // Month ends clamp.
        assert_eq!(
            opens_on(d(2026, 11, 30), Severity::Major, &p),
            d(2027, 2, 28)
        );
        assert!(!is_open(d(2026, 6, 4), d(2026, 3, 5), Severity::Major, &p));
        assert!(is_open(d(2026, 6, 5), d(2026, 3, 5), Severity::Major, &p));
        assert_eq!(date_zh(d(2026, 6, 5)), "2026年6月5日");
        assert_eq!(
            publicity_ends_on(d(2026, 3, 5), Severity::Serious, &p),
            d(2029, 3, 5)
        );
        assert_eq!(
            publicity_ends_on(d(2026, 3, 5), Severity::Minor, &p),
            d(2026, 6, 5)
        );
    }

    #[test]
    fn the_period_runs_from_the_decision_date_else_receipt() {
        let catalog = crate::catalog::builtin();
        let penalty = catalog
            .item("administrative.administrative_penalty")
            .unwrap();
        assert_eq!(period_start_field(penalty), Some("decision_date"));
        let mut values = serde_json::Map::new();
        let received = d(2026, 11, 1);
        assert_eq!(period_start(penalty, &values, received), received);
        values.insert("decision_date".into(), "2026-02-03".into());
        assert_eq!(period_start(penalty, &values, received), d(2026, 2, 3));
        values.insert("decision_date".into(), "not a date".into());
        assert_eq!(period_start(penalty, &values, received), received);
        let dishonest = catalog.item("judicial.dishonest_judgment_debtors").unwrap();
        assert_eq!(period_start_field(dishonest), Some("publish_date"));
        let arrears = catalog.item("tax.tax_arrears").unwrap();
        assert_eq!(period_start_field(arrears), None);
    }

    proptest! {
        #[test]
        fn longer_minimums_open_no_earlier(days in 0i64..3000, a in 0u32..48, b in 0u32..48) {
            let start = d(2024, 1, 1) + chrono::Duration::days(days);
            let (lo, hi) = (a.min(b), a.max(b));
            let with = |m| RepairPeriods { major: Period { min_months: m, max_months: 48 }, ..RepairPeriods::default() };
            let open_lo = opens_on(start, Severity::Major, &with(lo));
            let open_hi = opens_on(start, Severity::Major, &with(hi));
            prop_assert!(open_lo <= open_hi);
            prop_assert!(open_lo >= start);
            // A record can always be repaired before its publicity ends.
            prop_assert!(opens_on(start, Severity::Major, &with(hi)) <= publicity_ends_on(start, Severity::Major, &with(hi)));
            // Never open the day before, always open on the day.
            prop_assert!(is_open(open_hi, start, Severity::Major, &with(hi)));
            prop_assert!(!is_open(open_hi.pred_opt().unwrap(), start, Severity::Major, &with(hi)) || hi == 0);
        }

        #[test]
        fn serious_records_wait_at_least_as_long_as_major_ones(days in 0i64..3000) {
            let start = d(2024, 1, 1) + chrono::Duration::days(days);
            let p = RepairPeriods::default();
            prop_assert!(opens_on(start, Severity::Minor, &p) <= opens_on(start, Severity::Major, &p));
            prop_assert!(opens_on(start, Severity::Major, &p) <= opens_on(start, Severity::Serious, &p));
        }
    }
}
