//! 统一社会信用代码 (unified social credit code), GB 32100-2015.
//!
//! 18 characters: registration authority (1), entity type (1), the registering authority's
//! GB/T 2260 region (6), the GB 11714 organisation code (9), and a check character computed over
//! the first 17 with weights 3^(i−1) mod 31.

use super::CodeError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The 31 characters a USCC may use (no I, O, Z, S, V); a character's value is its index.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A USCC whose length, alphabet and check character are valid (or, via
/// [`Uscc::parse_lenient`], whose check is known to fail).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

fn normalise(input: &str) -> String {
    input.trim().to_uppercase()
}

/// Checks length and alphabet of a normalised code.
fn check_shape(code: &str, len: usize) -> Result<(), CodeError> {
    let n = code.chars().count();
    if n != len {
        return Err(if len == 18 {
            CodeError::UsccLength(n)
        } else {
            CodeError::UsccLength(n + 1)
        });
    }
    match code.chars().find(|c| value_of(*c).is_none()) {
        Some(bad) => Err(CodeError::UsccAlphabet(bad)),
        None => Ok(()),
    }
}

impl Uscc {
    /// Parses a code typed by a person or sent by a provider: trims, uppercases, and rejects a
    /// wrong length, a character outside the alphabet, or a wrong check character.
    pub fn parse(input: &str) -> Result<Uscc, CodeError> {
        let (uscc, check_ok) = Self::parse_lenient(input)?;
        if check_ok {
            Ok(uscc)
        } else {
            Err(CodeError::UsccCheck)
        }
    }

    /// Like [`parse`](Self::parse) but accepts a failing check character, reporting it. For the
    /// market regulator's authoritative registrations only: some codes issued in early pilot
    /// regions (e.g. `91350100M0001TGQXM`) fail the check yet are real.
    pub fn parse_lenient(input: &str) -> Result<(Uscc, bool), CodeError> {
        let code = normalise(input);
        check_shape(&code, 18)?;
        let expected = Self::check_char(&code[..17])?;
        let check_ok = code.ends_with(expected);
        Ok((Uscc(code), check_ok))
    }

    /// The check character of the first 17 characters.
    pub fn check_char(first17: &str) -> Result<char, CodeError> {
        let body = normalise(first17);
        check_shape(&body, 17)?;
        let sum: u32 = body
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| value_of(c).expect("shape checked") * w)
            .sum();
        let check = (31 - sum % 31) % 31;
        Ok(ALPHABET.as_bytes()[check as usize] as char)
    }

    /// A code from its first 17 characters, with the check character appended.
    pub fn from_body(first17: &str) -> Result<Uscc, CodeError> {
        let body = normalise(first17);
        let check = Self::check_char(&body)?;
        Ok(Uscc(format!("{body}{check}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The GB/T 2260 region of the registering authority (characters 3–8).
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Uscc {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uscc::parse(s)
    }
}

impl TryFrom<String> for Uscc {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Uscc::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(u: Uscc) -> String {
        u.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn standard_vectors_are_valid() {
        for code in [
            "914403001922038216",
            "91350100M000100Y43",
            "91310115591693856A",
            "91310110666007217T",
        ] {
            assert!(Uscc::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn wrong_check_is_rejected() {
        assert_eq!(Uscc::parse("914403001922038217"), Err(CodeError::UsccCheck));
    }

    #[test]
    fn lenient_parse_flags_pilot_codes() {
        let (code, ok) = Uscc::parse_lenient("91350100M0001TGQXM").unwrap();
        assert!(!ok);
        assert_eq!(code.region_code(), "350100");
        assert!(Uscc::parse("91350100M0001TGQXM").is_err());
    }

    #[test]
    fn errors_name_the_rule() {
        assert_eq!(Uscc::parse("91440300").unwrap_err().code(), "uscc.length");
        assert_eq!(
            Uscc::parse("91440300192203821O").unwrap_err().code(),
            "uscc.alphabet"
        );
        assert_eq!(
            Uscc::parse("914403001922038217").unwrap_err().code(),
            "uscc.check"
        );
    }

    #[test]
    fn serde_validates() {
        let ok: Result<Uscc, _> = serde_json_like("914403001922038216");
        assert!(ok.is_ok());
        assert!(serde_json_like("914403001922038217").is_err());
    }

    fn serde_json_like(s: &str) -> Result<Uscc, CodeError> {
        Uscc::try_from(s.to_owned())
    }

    fn body() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(ALPHABET.chars().collect::<Vec<_>>()),
            17,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn any_body_makes_a_valid_code(b in body()) {
            let code = Uscc::from_body(&b).unwrap();
            prop_assert_eq!(Uscc::parse(code.as_str()).unwrap(), code);
        }

        #[test]
        fn any_single_substitution_is_detected(b in body(), pos in 0usize..18, replacement in proptest::sample::select(ALPHABET.chars().collect::<Vec<_>>())) {
            let code = Uscc::from_body(&b).unwrap();
            let mut chars: Vec<char> = code.as_str().chars().collect();
            prop_assume!(chars[pos] != replacement);
            chars[pos] = replacement;
            let altered: String = chars.into_iter().collect();
            prop_assert_eq!(Uscc::parse(&altered), Err(CodeError::UsccCheck));
        }

        #[test]
        fn lowercase_is_normalised(b in body()) {
            let code = Uscc::from_body(&b).unwrap();
            prop_assert_eq!(Uscc::parse(&code.as_str().to_lowercase()).unwrap(), code);
        }

        #[test]
        fn foreign_characters_are_rejected(b in body(), pos in 0usize..17, bad in proptest::sample::select(vec!['I', 'O', 'Z', 'S', 'V', '-', '中', ' '])) {
            let mut chars: Vec<char> = b.chars().collect();
            chars[pos] = bad;
            chars.push('0');
            let code: String = chars.into_iter().collect();
            let err = Uscc::parse(&code).unwrap_err();
            prop_assert!(matches!(err.code(), "uscc.alphabet" | "uscc.length"), "{}", err.code());
        }

        #[test]
        fn wrong_lengths_are_rejected(s in "[0-9A-H]{0,30}") {
            prop_assume!(s.len() != 18);
            prop_assert_eq!(Uscc::parse(&s).unwrap_err().code(), "uscc.length");
        }
    }
}
