//! 签名树头 (signed tree heads): the platform signs each tree head with SM2 (GB/T 32918,
//! SM2DSA with SM3) so that whoever holds the platform's public key can tell a head the
//! platform issued from one written into the database by anybody else.
//!
//! The signed message is RFC 9162 `TreeHeadDataV2` (§4.10) — timestamp in milliseconds,
//! tree size, root hash, no extensions — preceded by a fixed domain string so the signature
//! can never be replayed as a signature over anything else. SM2 uses the default
//! distinguishing identifier of GM/T 0009 (`1234567812345678`). Keys are stored as PKCS#8 PEM,
//! the public key as SubjectPublicKeyInfo PEM; the key ID is the SM3 of the public key's DER,
//! as RFC 9162 derives a log ID from its key.

use crate::hash::{Hash, sm3};
use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sm2::elliptic_curve::Generate;
use sm2::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use sm2::{PublicKey, SecretKey};
use std::fmt;

/// The default SM2 distinguishing identifier (GM/T 0009-2012).
pub const SM2_DEFAULT_ID: &str = "1234567812345678";

/// Prefixed to every signed tree head message.
pub const HEAD_DOMAIN: &[u8] = b"xinrong/ledger/tree-head/v1\0";

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("不是有效的 SM2 私钥（PKCS#8 PEM）：{0}")]
    BadPrivateKey(String),
    #[error("不是有效的 SM2 公钥（SubjectPublicKeyInfo PEM）：{0}")]
    BadPublicKey(String),
}

/// The bytes an SM2 tree head signature covers: the domain string, then RFC 9162
/// `TreeHeadDataV2` — `timestamp` (ms since the epoch, u64), `tree_size` (u64), `root_hash`
/// (one length byte, then the hash) and empty `extensions` (a zero u16), big-endian.
pub fn head_message(size: u64, root: &Hash, timestamp_ms: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEAD_DOMAIN.len() + 8 + 8 + 1 + 32 + 2);
    out.extend_from_slice(HEAD_DOMAIN);
    out.extend_from_slice(&timestamp_ms.to_be_bytes());
    out.extend_from_slice(&size.to_be_bytes());
    out.push(32);
    out.extend_from_slice(&root.0);
    out.extend_from_slice(&0u16.to_be_bytes());
    out
}

/// 账本签名私钥: the platform's SM2 signing key. Its `Debug` never shows the secret.
#[derive(Clone)]
pub struct LedgerKey {
    secret: SecretKey,
    signing: SigningKey,
}

impl fmt::Debug for LedgerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LedgerKey({})", self.public_key().key_id())
    }
}

impl LedgerKey {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> LedgerKey {
        Self::from_secret(SecretKey::generate()).expect("a generated key is valid")
    }

    fn from_secret(secret: SecretKey) -> Result<LedgerKey, KeyError> {
        let signing = SigningKey::new(SM2_DEFAULT_ID, &secret)
            .map_err(|e| KeyError::BadPrivateKey(e.to_string()))?;
        Ok(LedgerKey { secret, signing })
    }

    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`).
    pub fn from_pkcs8_pem(pem: &str) -> Result<LedgerKey, KeyError> {
        let secret =
            SecretKey::from_pkcs8_pem(pem).map_err(|e| KeyError::BadPrivateKey(e.to_string()))?;
        Self::from_secret(secret)
    }

    /// The key as PKCS#8 PEM. Secret: write it only to a file only the platform can read.
    pub fn to_pkcs8_pem(&self) -> String {
        self.secret
            .to_pkcs8_pem(LineEnding::LF)
            .expect("PKCS#8 encoding of a valid key")
            .to_string()
    }

    pub fn public_key(&self) -> LedgerPublicKey {
        LedgerPublicKey {
            verifying: self.signing.verifying_key().clone(),
        }
    }

    /// Signs a tree head; the signature is SM2 `r ‖ s`, 64 bytes.
    pub fn sign_head(&self, size: u64, root: &Hash, timestamp_ms: u64) -> [u8; 64] {
        let signature: Signature = self.signing.sign(&head_message(size, root, timestamp_ms));
        signature
            .to_bytes()
            .as_slice()
            .try_into()
            .expect("64 bytes")
    }
}

/// 账本公钥: what an auditor needs to check signed tree heads.
#[derive(Clone, Debug)]
pub struct LedgerPublicKey {
    verifying: VerifyingKey,
}

impl PartialEq for LedgerPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.to_der() == other.to_der()
    }
}

impl Eq for LedgerPublicKey {}

impl LedgerPublicKey {
    /// Reads SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn from_pem(pem: &str) -> Result<LedgerPublicKey, KeyError> {
        let key = PublicKey::from_public_key_pem(pem)
            .map_err(|e| KeyError::BadPublicKey(e.to_string()))?;
        let verifying = VerifyingKey::new(SM2_DEFAULT_ID, key)
            .map_err(|e| KeyError::BadPublicKey(e.to_string()))?;
        Ok(LedgerPublicKey { verifying })
    }

    pub fn to_pem(&self) -> String {
        self.verifying
            .to_public_key_pem(LineEnding::LF)
            .expect("SPKI encoding of a valid key")
    }

    /// DER SubjectPublicKeyInfo.
    pub fn to_der(&self) -> Vec<u8> {
        self.verifying
            .to_public_key_der()
            .expect("SPKI encoding of a valid key")
            .into_vec()
    }

    /// 密钥标识: SM3 of the DER public key.
    pub fn key_id(&self) -> Hash {
        sm3(&[&self.to_der()])
    }

    /// True when `signature` (SM2 `r ‖ s`) is this key's signature over the tree head.
    pub fn verify_head(&self, size: u64, root: &Hash, timestamp_ms: u64, signature: &[u8]) -> bool {
        let Ok(signature) = Signature::from_slice(signature) else {
            return false;
        };
        self.verifying
            .verify(&head_message(size, root, timestamp_ms), &signature)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    #[test]
    fn a_signed_head_verifies_and_any_change_fails() {
        let key = LedgerKey::generate();
        let public = key.public_key();
        let root = leaf_hash(b"root");
        let sig = key.sign_head(7, &root, 1_764_000_000_000);
        assert!(public.verify_head(7, &root, 1_764_000_000_000, &sig));
        assert!(
            !public.verify_head(8, &root, 1_764_000_000_000, &sig),
            "size"
        );
        assert!(
            !public.verify_head(7, &leaf_hash(b"x"), 1_764_000_000_000, &sig),
            "root"
        );
        assert!(
            !public.verify_head(7, &root, 1_764_000_000_001, &sig),
            "time"
        );
        let mut flipped = sig;
        flipped[10] ^= 1;
        assert!(
            !public.verify_head(7, &root, 1_764_000_000_000, &flipped),
            "signature"
        );
        assert!(
            !public.verify_head(7, &root, 1_764_000_000_000, &sig[..63]),
            "length"
        );
        let other = LedgerKey::generate().public_key();
        assert!(
            !other.verify_head(7, &root, 1_764_000_000_000, &sig),
            "another key"
        );
    }

    #[test]
    fn keys_round_trip_through_pem_and_keep_their_id() {
        let key = LedgerKey::generate();
        let pem = key.to_pkcs8_pem();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let again = LedgerKey::from_pkcs8_pem(&pem).unwrap();
        assert_eq!(again.public_key(), key.public_key());
        let public_pem = key.public_key().to_pem();
        assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        let public = LedgerPublicKey::from_pem(&public_pem).unwrap();
        assert_eq!(public.key_id(), key.public_key().key_id());
        assert_ne!(public.key_id(), LedgerKey::generate().public_key().key_id());
        // A signature made before the round trip verifies after it.
        let root = leaf_hash(b"r");
        assert!(public.verify_head(1, &root, 5, &again.sign_head(1, &root, 5)));
    }

    #[test]
    fn broken_keys_are_refused_and_debug_hides_the_secret() {
        assert!(matches!(
            LedgerKey::from_pkcs8_pem(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
            ),
            Err(KeyError::BadPrivateKey(_))
        ));
        assert!(LedgerKey::from_pkcs8_pem("").is_err());
        assert!(LedgerPublicKey::from_pem("garbage").is_err());
        let key = LedgerKey::generate();
        let shown = format!("{key:?}");
        let pem = key.to_pkcs8_pem();
        let body: String = pem.lines().nth(1).unwrap().chars().take(20).collect();
        assert!(!shown.contains(&body), "{shown}");
        assert!(shown.contains(&key.public_key().key_id().to_hex()));
    }

    #[test]
    fn the_message_is_the_rfc_9162_tree_head_after_the_domain() {
        let root = Hash([0xab; 32]);
        let m = head_message(0x0102, &root, 0x0a0b);
        let body = &m[HEAD_DOMAIN.len()..];
        assert_eq!(&body[..8], &0x0a0bu64.to_be_bytes());
        assert_eq!(&body[8..16], &0x0102u64.to_be_bytes());
        assert_eq!(body[16], 32);
        assert_eq!(&body[17..49], &[0xab; 32]);
        assert_eq!(&body[49..], &[0, 0]);
    }
}
