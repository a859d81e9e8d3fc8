//! 工作日 — the working-day calendar deadlines are counted in (异议处理时限 "N 个工作日").
//!
//! A day is a working day when it is Monday to Friday and not a public holiday, or when it is a
//! weekend day the State Council moved work to (调休上班). The holiday and adjusted-workday tables
//! are data: one file per year, `calendar/cn-YYYY.toml` at the repository root, embedded at build
//! time (the 2026 table is the State Council's notice of 2025-11-04).
//!
//! For a year without a table, the fixed-date statutory holidays of the 全国年节及纪念日放假办法
//! (元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October) are kept and weekends are non-working;
//! the lunar holidays (春节, 清明, 端午, 中秋) and 调休 of such a year are unknown until its table
//! is added, so a deadline crossing them may be a few days early — never later than the law.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The shipped tables, oldest first.
const BUILTIN: &[&str] = &[include_str!("../../../calendar/cn-2026.toml")];

/// One year's table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearTable {
    /// Where the dates come from (the notice's title and date).
    pub source: String,
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休上班).
    pub workdays: BTreeSet<NaiveDate>,
}

/// Working days: weekends, plus a holiday/adjusted-workday table per known year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, YearTable>,
}

#[derive(Deserialize)]
struct FileHoliday {
    #[allow(dead_code)]
    name: String,
    from: String,
    to: String,
}

#[derive(Deserialize)]
struct FileWorkday {
    #[allow(dead_code)]
    name: String,
    date: String,
}

#[derive(Deserialize)]
struct File {
    year: i32,
    source: String,
    #[serde(default)]
    holidays: Vec<FileHoliday>,
    #[serde(default)]
    workdays: Vec<FileWorkday>,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| format!("日期 {text} 无效：{e}"))
}

impl Calendar {
    /// A calendar from year files in the `calendar/cn-YYYY.toml` format.
    pub fn from_toml(texts: &[&str]) -> Result<Calendar, String> {
        let mut years = BTreeMap::new();
        for text in texts {
            let file: File = toml::from_str(text).map_err(|e| format!("工作日历格式错误：{e}"))?;
            let mut table = YearTable {
                source: file.source,
                ..YearTable::default()
            };
            for h in file.holidays {
                let (from, to) = (parse_date(&h.from)?, parse_date(&h.to)?);
                if to < from || from.year() != file.year || to.year() != file.year {
                    return Err(format!(
                        "假期 {} 至 {} 不在 {} 年内",
                        h.from, h.to, file.year
                    ));
                }
                let mut day = from;
                while day <= to {
                    table.holidays.insert(day);
                    day = day.succ_opt().expect("date in range");
                }
            }
            for w in file.workdays {
                let day = parse_date(&w.date)?;
                if day.year() != file.year {
                    return Err(format!("调休上班日 {} 不在 {} 年内", w.date, file.year));
                }
                if !is_weekend(day) {
                    return Err(format!("调休上班日 {} 不是周末", w.date));
                }
                if table.holidays.contains(&day) {
                    return Err(format!("{} 同时是假日和调休上班日", w.date));
                }
                table.workdays.insert(day);
            }
            if years.insert(file.year, table).is_some() {
                return Err(format!("{} 年的工作日历重复", file.year));
            }
        }
        Ok(Calendar { years })
    }

    /// The tables shipped in `calendar/`.
    pub fn builtin() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| Calendar::from_toml(BUILTIN).expect("shipped calendar is valid"))
    }

    /// Years with a table.
    pub fn known_years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    pub fn is_workday(&self, day: NaiveDate) -> bool {
        match self.years.get(&day.year()) {
            Some(table) => {
                table.workdays.contains(&day) || !(is_weekend(day) || table.holidays.contains(&day))
            }
            None => !(is_weekend(day) || fixed_statutory_holiday(day)),
        }
    }

    /// The `n`th working day after `day` (`day` itself is not counted; `n = 0` gives `day`).
    pub fn add_workdays(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut left = n;
        let mut d = day;
        while left > 0 {
            d = d.succ_opt().expect("date in range");
            if self.is_workday(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in `(from, to]`; 0 when `to <= from`.
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut d = from;
        while d < to {
            d = d.succ_opt().expect("date in range");
            if self.is_workday(d) {
                count += 1;
            }
        }
        count
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Holidays fixed by date in 全国年节及纪念日放假办法 (2024 revision), for years without a table.
fn fixed_statutory_holiday(day: NaiveDate) -> bool {
    matches!((day.month(), day.day()), (1, 1) | (5, 1..=2) | (10, 1..=3))
}

/// [`Calendar::add_workdays`] on the shipped calendar.
pub fn add_workdays(day: NaiveDate, n: u32) -> NaiveDate {
    Calendar::builtin().add_workdays(day, n)
}

/// [`Calendar::is_workday`] on the shipped calendar.
pub fn is_workday(day: NaiveDate) -> bool {
    Calendar::builtin().is_workday(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_2026_table_is_shipped() {
        let cal = Calendar::builtin();
        assert_eq!(cal.known_years(), vec![2026]);
        // 元旦 Thursday 1 January to Saturday 3 January; Sunday 4 January is worked.
        assert!(!is_workday(d(2026, 1, 1)));
        assert!(!is_workday(d(2026, 1, 2)));
        assert!(is_workday(d(2026, 1, 4)));
        // 春节: 15–23 February off, Saturdays 14 and 28 February worked.
        assert!(is_workday(d(2026, 2, 14)));
        assert!(!is_workday(d(2026, 2, 16)));
        assert!(!is_workday(d(2026, 2, 23)));
        assert!(is_workday(d(2026, 2, 24)));
        assert!(is_workday(d(2026, 2, 28)));
        // 国庆 1–7 October; Sunday 20 September and Saturday 10 October worked.
        assert!(is_workday(d(2026, 9, 20)));
        assert!(!is_workday(d(2026, 10, 7)));
        assert!(is_workday(d(2026, 10, 8)));
        assert!(is_workday(d(2026, 10, 10)));
        // An ordinary week.
        assert!(is_workday(d(2026, 11, 25)));
        assert!(!is_workday(d(2026, 11, 28)));
    }

    #[test]
    fn deadlines_skip_holidays_and_count_adjusted_workdays() {
        // Filed Wednesday 30 September 2026: 5 working days are 8, 9, 10 (Saturday, worked),
        // 12 and 13 October.
        assert_eq!(add_workdays(d(2026, 9, 30), 5), d(2026, 10, 13));
        // Filed Wednesday 25 November 2026: 26, 27, 30 November, 1, 2 December.
        assert_eq!(add_workdays(d(2026, 11, 25), 5), d(2026, 12, 2));
        // Filed on a Saturday: counting starts Monday.
        assert_eq!(add_workdays(d(2026, 11, 28), 1), d(2026, 11, 30));
        assert_eq!(add_workdays(d(2026, 11, 28), 0), d(2026, 11, 28));
        // A year without a table keeps the fixed-date statutory holidays.
        assert!(!is_workday(d(2027, 1, 1)));
        assert_eq!(add_workdays(d(2026, 12, 31), 1), d(2027, 1, 4));
    }

    #[test]
    fn bad_tables_are_refused() {
        let base = "year = 2026\nsource = \"x\"\n";
        assert!(
            Calendar::from_toml(&[&format!(
                "{base}[[workdays]]\nname = \"a\"\ndate = \"2026-11-25\"\n"
            )])
            .unwrap_err()
            .contains("不是周末")
        );
        assert!(
            Calendar::from_toml(&[&format!(
                "{base}[[holidays]]\nname = \"a\"\nfrom = \"2027-01-01\"\nto = \"2027-01-02\"\n"
            )])
            .is_err()
        );
        assert!(
            Calendar::from_toml(&[base, base])
                .unwrap_err()
                .contains("重复")
        );
    }

    fn any_day() -> impl Strategy<Value = NaiveDate> {
        (0i64..1100).prop_map(|n| d(2025, 6, 1) + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn the_nth_working_day_is_a_working_day_with_n_before_it(day in any_day(), n in 1u32..40) {
            let end = add_workdays(day, n);
            prop_assert!(end > day);
            prop_assert!(is_workday(end));
            prop_assert_eq!(Calendar::builtin().workdays_between(day, end), n);
            // No earlier day already had n working days after `day`.
            prop_assert_eq!(Calendar::builtin().workdays_between(day, end.pred_opt().unwrap()), n - 1);
        }

        #[test]
        fn adding_working_days_composes(day in any_day(), a in 0u32..20, b in 0u32..20) {
            prop_assert_eq!(add_workdays(add_workdays(day, a), b), add_workdays(day, a + b));
        }

        #[test]
        fn more_working_days_never_end_earlier(day in any_day(), n in 0u32..30) {
            prop_assert!(add_workdays(day, n + 1) > add_workdays(day, n));
            // Five working days span at least a week minus the two weekend days.
            prop_assert!(add_workdays(day, 5) >= day + chrono::Duration::days(5));
        }
    }
}
