//! Proof verification as an outside auditor does it, knowing only hashes: RFC 9162 §2.1.3.2
//! (inclusion) and §2.1.4.2 (consistency).

use crate::hash::{Hash, node_hash};

/// True when `proof` shows that `leaf` is leaf `index` of a tree of `size` leaves with `root`.
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && r == *root
}

/// True when `proof` shows that the tree of `old_size` leaves with `old_root` is a prefix of
/// the tree of `new_size` leaves with `new_root`.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old_size == 0 || old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    // If the old size is a power of two its root is the first proof node, implicitly.
    let mut nodes: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        nodes.push(*old_root);
    }
    nodes.extend_from_slice(proof);
    let Some((first, rest)) = nodes.split_first() else {
        return false;
    };
    let (mut f_n, mut s_n) = (old_size - 1, new_size - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    fr == *old_root && sr == *new_root && s_n == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::tree::Tree;
    use proptest::prelude::*;

    fn tree(n: usize) -> Tree {
        Tree::from_leaves(
            (0..n)
                .map(|i| leaf_hash(format!("leaf {i}").as_bytes()))
                .collect(),
        )
    }

    #[test]
    fn small_trees_by_hand() {
        let t = tree(3);
        let (a, b, c) = (t.leaf(0).unwrap(), t.leaf(1).unwrap(), t.leaf(2).unwrap());
        assert_eq!(t.root(), node_hash(&node_hash(&a, &b), &c));
        assert_eq!(t.inclusion_proof(2, 3).unwrap(), vec![node_hash(&a, &b)]);
        assert_eq!(t.inclusion_proof(0, 3).unwrap(), vec![b, c]);
        assert_eq!(tree(1).root(), a);
        assert_eq!(Tree::new().root(), crate::EMPTY_ROOT);
    }

    #[test]
    fn bad_requests_are_refused() {
        let t = tree(4);
        assert!(t.inclusion_proof(4, 4).is_err());
        assert!(t.inclusion_proof(0, 5).is_err());
        assert!(t.consistency_proof(0, 3).is_err());
        assert!(t.consistency_proof(3, 2).is_err());
        assert!(!verify_inclusion(&t.leaf(0).unwrap(), 4, 4, &[], &t.root()));
    }

    proptest! {
        #[test]
        fn every_inclusion_proof_verifies_and_tampering_fails(n in 1usize..70, seed in any::<u64>()) {
            let t = tree(n);
            let size = 1 + (seed as usize % n);
            let index = (seed as usize / 7) % size;
            let root = t.root_at(size as u64).unwrap();
            let leaf = t.leaf(index as u64).unwrap();
            let proof = t.inclusion_proof(index as u64, size as u64).unwrap();
            prop_assert!(verify_inclusion(&leaf, index as u64, size as u64, &proof, &root));
            let other = leaf_hash(b"not in the tree");
            prop_assert!(!verify_inclusion(&other, index as u64, size as u64, &proof, &root));
            if size > 1 {
                prop_assert!(!verify_inclusion(&leaf, ((index + 1) % size) as u64, size as u64, &proof, &root));
            }
            if let Some(first) = proof.first() {
                let mut bad = proof.clone();
                bad[0] = node_hash(first, first);
                prop_assert!(!verify_inclusion(&leaf, index as u64, size as u64, &bad, &root));
            }
        }

        #[test]
        fn every_consistency_proof_verifies_and_tampering_fails(n in 1usize..70, seed in any::<u64>()) {
            let t = tree(n);
            let new = 1 + (seed as usize % n);
            let old = 1 + ((seed as usize / 11) % new);
            let (old_root, new_root) = (t.root_at(old as u64).unwrap(), t.root_at(new as u64).unwrap());
            let proof = t.consistency_proof(old as u64, new as u64).unwrap();
            prop_assert!(verify_consistency(old as u64, new as u64, &old_root, &new_root, &proof));
            // A rewritten history (any old leaf changed) is caught.
            let mut leaves: Vec<Hash> = (0..n).map(|i| t.leaf(i as u64).unwrap()).collect();
            leaves[(seed as usize) % old] = leaf_hash(b"rewritten");
            let forged_old = Tree::from_leaves(leaves).root_at(old as u64).unwrap();
            prop_assert!(!verify_consistency(old as u64, new as u64, &forged_old, &new_root, &proof));
            if old < new {
                prop_assert!(!verify_consistency(old as u64, new as u64, &old_root, &old_root, &proof) || old_root == new_root);
            }
        }
    }
}
