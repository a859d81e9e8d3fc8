//! 居民身份证号 (resident identity card number), GB 11643-1999.
//!
//! 18 characters: address code (6), birth date YYYYMMDD (8), sequence (3, odd for men), and a
//! check character: Σ digitᵢ·Wᵢ mod 11 mapped through `10X98765432`.

use super::CodeError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

impl ResidentId {
    /// Parses an ID number: 17 digits and a check character (digit or X, case-insensitive),
    /// a real birth date between 1800 and 2100, and the right check character.
    pub fn parse(input: &str) -> Result<ResidentId, CodeError> {
        let code = input.trim().to_uppercase();
        let n = code.chars().count();
        if n != 18 {
            return Err(CodeError::IdLength(n));
        }
        if let Some(bad) = code.chars().take(17).find(|c| !c.is_ascii_digit()) {
            return Err(CodeError::IdAlphabet(bad));
        }
        let expected = Self::check_char(&code[..17])?;
        let last = code.chars().last().expect("18 characters");
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(CodeError::IdAlphabet(last));
        }
        if last != expected {
            return Err(CodeError::IdCheck);
        }
        Ok(ResidentId(code))
    }

    /// The check character of the first 17 characters (which must be digits with a valid
    /// birth date).
    pub fn check_char(first17: &str) -> Result<char, CodeError> {
        if let Some(bad) = first17.chars().find(|c| !c.is_ascii_digit()) {
            return Err(CodeError::IdAlphabet(bad));
        }
        if first17.len() != 17 {
            return Err(CodeError::IdLength(first17.len() + 1));
        }
        birth_date_of(first17)?;
        let sum: u32 = first17
            .bytes()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        Ok(CHECK[(sum % 11) as usize] as char)
    }

    pub fn from_body(first17: &str) -> Result<ResidentId, CodeError> {
        let check = Self::check_char(first17)?;
        Ok(ResidentId(format!("{first17}{check}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0).expect("validated on parse")
    }

    /// The 17th digit is odd for men.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }
}

fn birth_date_of(code: &str) -> Result<NaiveDate, CodeError> {
    let digits = code.get(6..14).ok_or(CodeError::IdBirthDate)?;
    let date = NaiveDate::parse_from_str(digits, "%Y%m%d").map_err(|_| CodeError::IdBirthDate)?;
    let earliest = NaiveDate::from_ymd_opt(1800, 1, 1).expect("date");
    let latest = NaiveDate::from_ymd_opt(2100, 12, 31).expect("date");
    if date < earliest || date > latest {
        return Err(CodeError::IdBirthDate);
    }
    Ok(date)
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ResidentId {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ResidentId::parse(s)
    }
}

impl TryFrom<String> for ResidentId {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ResidentId::parse(&s)
    }
}

impl From<ResidentId> for String {
    fn from(id: ResidentId) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn standard_vectors_are_valid() {
        let a = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(
            a.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(!a.is_male());
        assert_eq!(a.region_code(), "110105");
        let b = ResidentId::parse("440524188001010014").unwrap();
        assert!(b.is_male());
        assert!(ResidentId::parse("11010519491231002x").is_ok());
    }

    #[test]
    fn errors_name_the_rule() {
        assert_eq!(
            ResidentId::parse("110105194912310021").unwrap_err().code(),
            "id.check"
        );
        assert_eq!(
            ResidentId::parse("1101051949123100").unwrap_err().code(),
            "id.length"
        );
        assert_eq!(
            ResidentId::parse("110105194902300021").unwrap_err().code(),
            "id.birth_date"
        );
        assert_eq!(
            ResidentId::parse("11010519491231A02X").unwrap_err().code(),
            "id.alphabet"
        );
    }

    fn body() -> impl Strategy<Value = String> {
        (100000u32..999999, 0i64..(200 * 365), 0u32..1000).prop_map(|(region, days, seq)| {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            format!("{region}{}{seq:03}", date.format("%Y%m%d"))
        })
    }

    proptest! {
        #[test]
        fn any_body_makes_a_valid_id(b in body()) {
            let id = ResidentId::from_body(&b).unwrap();
            prop_assert_eq!(ResidentId::parse(id.as_str()).unwrap(), id);
        }

        #[test]
        fn a_changed_digit_is_detected(b in body(), pos in 0usize..17, digit in 0u8..10) {
            let id = ResidentId::from_body(&b).unwrap();
            let mut bytes = id.as_str().as_bytes().to_vec();
            prop_assume!(bytes[pos] != b'0' + digit);
            bytes[pos] = b'0' + digit;
            let altered = String::from_utf8(bytes).unwrap();
            let err = ResidentId::parse(&altered).unwrap_err();
            prop_assert!(matches!(err.code(), "id.check" | "id.birth_date"));
        }

        #[test]
        fn wrong_lengths_are_rejected(s in "[0-9]{0,30}") {
            prop_assume!(s.len() != 18);
            prop_assert_eq!(ResidentId::parse(&s).unwrap_err().code(), "id.length");
        }
    }
}
