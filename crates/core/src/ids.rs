//! The one ID scheme of xinrong: UUIDv7 (time-ordered, so primary keys stay index-friendly on every
//! backend) rendered as lowercase hyphenated text, which every database stores portably.

use uuid::Uuid;

/// A new time-ordered identifier. Callers needing determinism (demo data) use [`from_seed`].
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// A deterministic identifier derived from a seed and a counter, for reproducible demo data.
///
/// Still a valid version-4-shaped UUID so nothing downstream can tell it apart.
pub fn from_seed(seed: u64, counter: u64) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&seed.to_be_bytes());
    bytes[8..].copy_from_slice(&counter.to_be_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ids_are_deterministic_and_distinct() {
        assert_eq!(from_seed(7, 1), from_seed(7, 1));
        assert_ne!(from_seed(7, 1), from_seed(7, 2));
        assert_ne!(from_seed(7, 1), from_seed(8, 1));
    }

    #[test]
    fn new_ids_sort_by_creation_time() {
        let a = new_id();
        let b = new_id();
        assert!(a < b);
    }
}
