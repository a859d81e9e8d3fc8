//! Password hashing with Argon2id (PHC strings), and the rules a new password must meet.

use crate::error::{ServiceError, ServiceResult};
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use std::sync::LazyLock;

pub fn hash_password(password: &str) -> ServiceResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| ServiceError::invalid("password.hash", "密码无法处理"))
}

/// True when `password` matches `phc`. A malformed stored hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the username is unknown, so that a wrong username costs as
/// much time as a wrong password and does not reveal which accounts exist.
pub(crate) static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("xinrong-dummy-password").expect("hash dummy password"));

/// At least 10 characters with a letter and a digit: what a clerk can remember and a guesser
/// cannot enumerate within the lockout budget.
pub fn validate_new_password(password: &str) -> ServiceResult<()> {
    let long_enough = password.chars().count() >= 10;
    let has_letter = password.chars().any(|c| c.is_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if long_enough && has_letter && has_digit && password.len() <= 256 {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "password.weak",
            "密码至少10位，且须同时包含字母和数字",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash_password("Correct horse 1").unwrap();
        let b = hash_password("Correct horse 1").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password("Correct horse 1", &a));
        assert!(!verify_password("Correct horse 2", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(validate_new_password("short1").is_err());
        assert!(validate_new_password("onlyletterslong").is_err());
        assert!(validate_new_password("1234567890").is_err());
        assert!(validate_new_password("Zhengzhou2026").is_ok());
    }
}
