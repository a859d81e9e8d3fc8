//! The right edge of the tree (a compact range): the roots of the perfect subtrees that make up
//! a tree of `size` leaves, one per set bit of `size`, largest first. Enough to append leaves and
//! compute the RFC 9162 root without reading the leaves before them.

use crate::hash::{EMPTY_ROOT, Hash, node_hash};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    nodes: Vec<Hash>,
}

impl Frontier {
    pub fn new() -> Frontier {
        Frontier::default()
    }

    /// A frontier from stored parts; `None` unless there is one node per set bit of `size`.
    pub fn from_parts(size: u64, nodes: Vec<Hash>) -> Option<Frontier> {
        (nodes.len() == size.count_ones() as usize).then_some(Frontier { size, nodes })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn nodes(&self) -> &[Hash] {
        &self.nodes
    }

    /// Appends a leaf hash, merging equal-sized subtrees as a binary counter carries.
    pub fn push(&mut self, leaf: Hash) {
        let mut hash = leaf;
        let mut size = self.size;
        while size & 1 == 1 {
            let left = self.nodes.pop().expect("one node per set bit");
            hash = node_hash(&left, &hash);
            size >>= 1;
        }
        self.nodes.push(hash);
        self.size += 1;
    }

    /// MTH of the leaves so far: the subtrees folded from the right.
    pub fn root(&self) -> Hash {
        let mut nodes = self.nodes.iter().rev();
        let Some(last) = nodes.next() else {
            return EMPTY_ROOT;
        };
        nodes.fold(*last, |right, left| node_hash(left, &right))
    }

    /// The nodes as one hex string (64 characters each), for storage.
    pub fn to_hex(&self) -> String {
        self.nodes.iter().map(Hash::to_hex).collect()
    }

    /// Reads [`Frontier::to_hex`] back.
    pub fn from_hex(size: u64, text: &str) -> Option<Frontier> {
        if !text.len().is_multiple_of(64) || !text.is_ascii() {
            return None;
        }
        let nodes = (0..text.len() / 64)
            .map(|i| Hash::from_hex(&text[i * 64..(i + 1) * 64]))
            .collect::<Option<Vec<_>>>()?;
        Frontier::from_parts(size, nodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::tree::Tree;

    #[test]
    fn roots_agree_with_the_tree_at_every_size() {
        let leaves: Vec<Hash> = (0..300)
            .map(|i| leaf_hash(format!("l{i}").as_bytes()))
            .collect();
        let tree = Tree::from_leaves(leaves.clone());
        let mut frontier = Frontier::new();
        assert_eq!(frontier.root(), EMPTY_ROOT);
        for (i, leaf) in leaves.iter().enumerate() {
            frontier.push(*leaf);
            let size = i as u64 + 1;
            assert_eq!(frontier.root(), tree.root_at(size).unwrap(), "size {size}");
            let again = Frontier::from_hex(size, &frontier.to_hex()).unwrap();
            assert_eq!(again, frontier);
        }
    }

    #[test]
    fn malformed_parts_are_refused() {
        let h = leaf_hash(b"x");
        assert!(
            Frontier::from_parts(3, vec![h]).is_none(),
            "3 has two set bits"
        );
        assert!(Frontier::from_parts(4, vec![h]).is_some());
        assert!(Frontier::from_hex(1, "abc").is_none());
        assert!(Frontier::from_hex(1, &"zz".repeat(32)).is_none());
        assert!(Frontier::from_hex(0, "").is_some());
    }
}
