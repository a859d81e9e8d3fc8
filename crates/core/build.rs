//! Embeds the shipped catalogue (`catalog/v1` at the repository root) into the binary, so a
//! fresh installation has one. The files stay data: edit them, rebuild, `xinrong catalog check`.

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../catalog/v1");
    println!("cargo:rerun-if-changed={}", root.display());
    let header = root.join("catalog.toml");
    let items_dir = root.join("items");
    println!("cargo:rerun-if-changed={}", items_dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&items_dir)
        .unwrap_or_else(|e| panic!("catalogue directory {}: {e}", items_dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut out = String::new();
    writeln!(out, "/// `catalog.toml`: version and sections.").unwrap();
    writeln!(
        out,
        "pub const HEADER: &str = include_str!({:?});",
        header.canonicalize().unwrap()
    )
    .unwrap();
    writeln!(out, "/// One file of items per section: (file name, text).").unwrap();
    writeln!(out, "pub const ITEM_FILES: &[(&str, &str)] = &[").unwrap();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file.file_name().unwrap().to_string_lossy();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            file.canonicalize().unwrap()
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_catalog.rs");
    std::fs::write(dest, out).unwrap();
}
