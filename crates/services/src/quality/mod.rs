//! 数据质量 (data quality) and 数据使用情况 (usage feedback) per provider and item.

pub mod usage;

pub use usage::{DataRead, record_read};
