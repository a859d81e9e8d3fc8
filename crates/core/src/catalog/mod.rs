//! 信用信息目录 (catalog): the categories, items and fields the platform collects, as data.
//!
//! The catalogue lives in TOML files (`catalog/v1/` at the repository root): a header with the
//! sections, and one file of items per section. Adding an item or a field is a data change,
//! checked by [`Catalog::parse`] (and `xinrong catalog check`), never a code change. Parsing is
//! pure: callers hand in the files' text.

mod model;
mod row;
mod validate;

pub use model::{
    Catalog, CodeTable, Field, FieldType, Item, Mode, Polarity, Section, Sensitivity, Severity,
    UpdateFrequency,
};
pub use row::{CheckedRow, RowError};
pub use validate::CatalogError;

/// The catalogue shipped with this build (`catalog/v1`), embedded so a fresh installation has
/// one without any files beside the binary.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_catalog.rs"));
}

/// The embedded catalogue, parsed. Panics only if the shipped files are invalid, which the
/// test suite rules out.
pub fn builtin() -> &'static Catalog {
    static CATALOG: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(|| {
        Catalog::parse(embedded::HEADER, embedded::ITEM_FILES).expect("shipped catalogue is valid")
    });
    &CATALOG
}
