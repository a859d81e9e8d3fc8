//! Money as integer fen (分). Floating point never touches an amount.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of renminbi in fen (1 元 = 100 fen; 1 万元 = 1,000,000 fen).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// An amount given in whole 万元, the unit registered capital is usually quoted in.
    pub const fn from_wan_yuan(wan: i64) -> Fen {
        Fen(wan * 1_000_000)
    }

    /// An exact decimal amount of 元 (`"1234.5"`, `"-3"`) in fen; `None` for anything else or
    /// for more than two decimals (a fraction of a fen).
    pub fn parse_yuan(text: &str) -> Option<Fen> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let valid = !whole.is_empty()
            && frac.len() <= 2
            && whole
                .bytes()
                .chain(frac.bytes())
                .all(|b| b.is_ascii_digit());
        if !valid {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let cents: i64 = format!("{frac:0<2}").parse().ok()?;
        let fen = whole.checked_mul(100)?.checked_add(cents)?;
        Some(Fen(if negative { -fen } else { fen }))
    }

    /// Plain decimal 元 with two decimals (`"1234.50"`, `"-0.05"`): the text catalogue amounts
    /// are stored as, and what [`Fen::parse_yuan`] reads back.
    pub fn yuan_text(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Formatted in 万元 with two decimals (e.g. `1234.56万元`), the way Chinese finance pages show capital.
    pub fn display_wan_yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        // 1 万元 = 1_000_000 fen; two decimals of 万元 = 10_000 fen.
        let hundredths = (abs + 5_000) / 10_000;
        format!("{sign}{}.{:02}万元", hundredths / 100, hundredths % 100)
    }
}

// Annual interest rates are integer basis points (`385` = 3.85%), like money never floats.

/// An annual rate as basis points from a percentage text (`"3.85"` → 385, `"4"` → 400,
/// `"3.85%"` → 385); `None` for anything else or more than two decimals.
pub fn parse_rate_percent(text: &str) -> Option<i64> {
    let t = text.trim().trim_end_matches('%').trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
        || whole.len() > 6
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(whole * 100 + frac)
}

/// Basis points as a percentage text (`385` → `"3.85%"`).
pub fn rate_text(rate_bp: i64) -> String {
    let sign = if rate_bp < 0 { "-" } else { "" };
    let abs = rate_bp.unsigned_abs();
    format!("{sign}{}.{:02}%", abs / 100, abs % 100)
}

impl fmt::Display for Fen {
    /// Yuan with two decimals, e.g. `¥1,234.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, ch) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}¥{grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_yuan() {
        assert_eq!(Fen::parse_yuan("1234.5"), Some(Fen(123_450)));
        assert_eq!(Fen::parse_yuan("-3"), Some(Fen(-300)));
        assert_eq!(Fen::parse_yuan("0.01"), Some(Fen(1)));
        assert_eq!(Fen::parse_yuan("1.005"), None);
        assert_eq!(Fen::parse_yuan("1e3"), None);
        assert_eq!(Fen::parse_yuan(""), None);
        assert_eq!(Fen::parse_yuan("99999999999999999999"), None);
    }

    proptest::proptest! {
        #[test]
        fn yuan_text_reads_back_exactly(fen in -10_000_000_000_000i64..10_000_000_000_000) {
            proptest::prop_assert_eq!(Fen::parse_yuan(&Fen(fen).yuan_text()), Some(Fen(fen)));
        }
    }

    #[test]
    fn yuan_text_is_plain_decimal() {
        assert_eq!(Fen(123_450).yuan_text(), "1234.50");
        assert_eq!(Fen(-5).yuan_text(), "-0.05");
    }

    #[test]
    fn displays_yuan_with_grouping() {
        assert_eq!(Fen(123_450).to_string(), "¥1,234.50");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(-100_000_000).to_string(), "-¥1,000,000.00");
    }

    #[test]
    fn displays_wan_yuan_rounded() {
        assert_eq!(Fen::from_wan_yuan(500).display_wan_yuan(), "500.00万元");
        assert_eq!(Fen(12_345_678).display_wan_yuan(), "12.35万元");
    }
}
