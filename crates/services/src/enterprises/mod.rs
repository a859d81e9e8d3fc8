//! Enterprises (企业 / 信息主体): search within a jurisdiction, and export.

mod export;
mod search;

pub use export::{EXPORT_HEADER, export_csv};
pub use search::{EnterpriseQuery, EnterpriseSummary, SearchPage, search};

pub use xinrong_core::codes::region::region_prefix;

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
