//! SM3 and the RFC 9162 leaf/node hashes.

use sm3::{Digest, Sm3};
use std::fmt;

/// A 32-byte SM3 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub fn from_hex(text: &str) -> Option<Hash> {
        let bytes = hex::decode(text).ok()?;
        Some(Hash(bytes.try_into().ok()?))
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// SM3 of the concatenation of `parts`.
pub fn sm3(parts: &[&[u8]]) -> Hash {
    let mut hasher = Sm3::new();
    for part in parts {
        hasher.update(part);
    }
    Hash(hasher.finalize().into())
}

/// The root of the empty tree: SM3 of the empty string.
pub const EMPTY_ROOT: Hash = Hash([
    0x1a, 0xb2, 0x1d, 0x83, 0x55, 0xcf, 0xa1, 0x7f, 0x8e, 0x61, 0x19, 0x48, 0x31, 0xe8, 0x1a, 0x8f,
    0x22, 0xbe, 0xc8, 0xc7, 0x28, 0xfe, 0xfb, 0x74, 0x7e, 0xd0, 0x35, 0xeb, 0x50, 0x82, 0xaa, 0x2b,
]);

/// `H(0x00 ‖ data)` — RFC 9162 §2.1.1.
pub fn leaf_hash(data: &[u8]) -> Hash {
    sm3(&[&[0x00], data])
}

/// `H(0x01 ‖ left ‖ right)` — RFC 9162 §2.1.1.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    sm3(&[&[0x01], &left.0, &right.0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sm3_standard_vectors() {
        assert_eq!(
            sm3(&[b"abc"]).to_hex(),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            sm3(&[b"abcd".repeat(16).as_slice()]).to_hex(),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
    }

    #[test]
    fn empty_root_is_sm3_of_nothing() {
        assert_eq!(sm3(&[]), EMPTY_ROOT);
    }

    #[test]
    fn leaves_and_nodes_are_domain_separated() {
        let a = leaf_hash(b"a");
        let b = leaf_hash(b"b");
        let node = node_hash(&a, &b);
        // A leaf whose data is two hashes side by side is still not the node over them.
        let forged = [a.0, b.0].concat();
        assert_ne!(leaf_hash(&forged), node);
        assert_eq!(Hash::from_hex(&node.to_hex()), Some(node));
    }
}
