//! 信用信息目录 (catalog) use-cases: the catalogue in force, and checking a directory of
//! catalogue files before it is shipped.

use crate::error::{ServiceError, ServiceResult};
use std::path::Path;
use xinrong_core::catalog::{self, Catalog};

/// The catalogue in force: the one shipped with this build.
pub fn current() -> &'static Catalog {
    catalog::builtin()
}

/// Reads and checks a catalogue directory laid out like `catalog/v1` (`catalog.toml` and
/// `items/*.toml`).
pub fn load_dir(dir: &Path) -> ServiceResult<Catalog> {
    let io = |path: &Path, e: std::io::Error| {
        ServiceError::invalid("catalog.io", format!("无法读取 {}：{e}", path.display()))
    };
    let header_path = dir.join("catalog.toml");
    let header = std::fs::read_to_string(&header_path).map_err(|e| io(&header_path, e))?;
    let items_dir = dir.join("items");
    let mut paths: Vec<_> = std::fs::read_dir(&items_dir)
        .map_err(|e| io(&items_dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in &paths {
        let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, text));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    Catalog::parse(&header, &borrowed).map_err(|e| ServiceError::Invalid {
        code: e.code(),
        message: e.to_string(),
    })
}
