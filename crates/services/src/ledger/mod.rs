//! 防篡改账本 (tamper-evident ledger): every accepted record version and every batch manifest is
//! a leaf of an RFC 9162 Merkle tree over SM3; after each batch the platform signs the tree head
//! with SM2 (签名树头). Proofs let anyone check a record is in the log and the log only grew;
//! verification (账本核验) recomputes every leaf from the stored rows, the tree from the leaves
//! and checks every signed head.

mod heads;
mod key_file;
mod leaves;
mod proofs;
mod verify;

pub use heads::{
    PublicKeyInfo, SignedHead, frontier_for_append, latest_head, list_heads, public_key,
    sign_frontier, sign_head,
};
pub use key_file::{DEFAULT_KEY_FILE, load_or_create_key};
pub use leaves::{batch_leaf, record_leaf, whole_seconds};
pub use proofs::{ConsistencyProof, InclusionProof, TreeHead, consistency, head, inclusion};
pub use verify::{LedgerStatus, Verification, last_verification, verify, verify_and_record};
