//! An independent oracle: Python's hashlib SM3 (OpenSSL) computes the RFC 9162 root of the same
//! leaves, so a bug shared by our hash and our tree code cannot hide.

use std::process::Command;
use xinrong_ledger::{Tree, leaf_hash};

const SCRIPT: &str = r#"
import hashlib, sys
def h(b): return hashlib.new("sm3", b).digest()
def mth(leaves):
    n = len(leaves)
    if n == 0: return h(b"")
    if n == 1: return h(b"\x00" + leaves[0])
    k = 1
    while k * 2 < n: k *= 2
    return h(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))
n = int(sys.argv[1])
print(mth([f"record {i}".encode() for i in range(n)]).hex())
"#;

#[test]
fn roots_match_pythons_sm3() {
    for n in [0usize, 1, 2, 3, 5, 8, 13, 100] {
        let out = Command::new("python3")
            .args(["-c", SCRIPT, &n.to_string()])
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let tree = Tree::from_leaves(
            (0..n)
                .map(|i| leaf_hash(format!("record {i}").as_bytes()))
                .collect(),
        );
        assert_eq!(tree.root().to_hex(), expected, "n = {n}");
    }
}
