//! Enterprises (企业 / 信息主体): search within a jurisdiction, and export.

mod export;
mod search;

pub use export::{EXPORT_HEADER, export_csv};
pub use search::{EnterpriseQuery, EnterpriseSummary, SearchPage, search};

/// The LIKE prefix of all regions under a GB/T 2260 code: `410000` → `41`, `410100` → `4101`,
/// `410105` → `410105`.
pub fn region_prefix(code: &str) -> String {
    let mut prefix = code;
    while prefix.len() > 2 && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    prefix.to_owned()
}

#[cfg(test)]
mod tests {
    use super::region_prefix;

    #[test]
    fn prefixes_follow_the_hierarchy() {
        assert_eq!(region_prefix("410000"), "41");
        assert_eq!(region_prefix("410100"), "4101");
        assert_eq!(region_prefix("410105"), "410105");
        assert_eq!(region_prefix("4101"), "4101");
    }
}
