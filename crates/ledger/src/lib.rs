//! 防篡改账本 (tamper-evident ledger): an append-only Merkle tree in the shape of RFC 9162
//! (Certificate Transparency 2.0), hashed with SM3 (GB/T 32905-2016).
//!
//! Leaves and interior nodes are domain-separated (`0x00` / `0x01` prefixes) so a leaf can never
//! pass for a node. [`Tree`] computes roots and proofs over the leaf hashes it holds; the
//! `verify_*` functions check proofs knowing only hashes, as an auditor outside the platform
//! would. [`LedgerKey`] signs tree heads with SM2 (签名树头) and [`LedgerPublicKey`] checks them.
//! No IO: storage keeps the leaf hashes, this crate does the mathematics.

mod frontier;
mod hash;
mod proof;
mod sign;
mod tree;

pub use frontier::Frontier;
pub use hash::{EMPTY_ROOT, Hash, leaf_hash, node_hash, sm3};
pub use proof::{verify_consistency, verify_inclusion};
pub use sign::{HEAD_DOMAIN, KeyError, LedgerKey, LedgerPublicKey, SM2_DEFAULT_ID, head_message};
pub use tree::{ProofError, Tree};
