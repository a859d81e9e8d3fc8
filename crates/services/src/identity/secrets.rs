//! Random bearer secrets and their stored digests. Only SM3 digests reach the database, so a
//! leaked table does not hand out live sessions or tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sm3::{Digest, Sm3};

/// 256 random bits, URL-safe base64.
pub(crate) fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Lowercase hex SM3 digest of a secret.
pub(crate) fn digest(secret: &str) -> String {
    hex::encode(Sm3::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_sm3() {
        // GB/T 32905-2016 example: SM3("abc").
        assert_eq!(
            digest("abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn secrets_are_long_and_distinct() {
        let a = random_secret();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_secret());
    }
}
