//! `xinrong catalog list|check`.

use crate::config::{
    CatalogCheckArgs, CatalogCommand, CatalogListArgs, OutputFormat, TemplateArgs,
};
use crate::failure::{CliResult, Failure};
use xinrong_core::catalog::{Catalog, Mode, Sensitivity};
use xinrong_services::catalog;

pub fn run(cmd: CatalogCommand) -> CliResult {
    match cmd {
        CatalogCommand::List(args) => list(args),
        CatalogCommand::Check(args) => check(args),
    }
}

fn modes(modes: &[Mode]) -> String {
    modes
        .iter()
        .map(|m| match m {
            Mode::Push => "push",
            Mode::Pull => "pull",
        })
        .collect::<Vec<_>>()
        .join("+")
}

fn list(args: CatalogListArgs) -> CliResult {
    let c = catalog::current();
    if let Some(section) = &args.section
        && !c.sections.iter().any(|s| &s.key == section)
    {
        return Err(Failure::new(
            "catalog.section",
            format!("目录中没有信息种类 {section}"),
        ));
    }
    let items: Vec<_> = c
        .items
        .iter()
        .filter(|i| args.section.as_ref().is_none_or(|s| &i.section == s))
        .collect();
    match args.format {
        OutputFormat::Json => {
            println!("{}", serde_json::to_string_pretty(&items).expect("JSON"));
        }
        OutputFormat::Text => {
            println!("信用信息目录 v{}（{}）", c.version, c.published);
            for item in items {
                println!(
                    "{:<58} {:<10} {:>3} 字段  {}",
                    item.key,
                    modes(&item.modes),
                    item.fields.len(),
                    item.label
                );
            }
        }
    }
    Ok(())
}

fn check(args: CatalogCheckArgs) -> CliResult {
    let c: Catalog = catalog::load_dir(&args.dir)?;
    let count = |level: Sensitivity| {
        c.items
            .iter()
            .flat_map(|i| &i.fields)
            .filter(|f| f.sensitivity == level)
            .count()
    };
    println!(
        "目录 v{} 检查通过：信息种类 {} 个，信息项 {} 个，字段 {} 个（公开 {}，有条件共享 {}，授权共享 {}，不对外 {}）",
        c.version,
        c.sections.len(),
        c.items.len(),
        c.field_count(),
        count(Sensitivity::Public),
        count(Sensitivity::Restricted),
        count(Sensitivity::Authorized),
        count(Sensitivity::Internal),
    );
    if c.version != catalog::current().version || c.items.len() != catalog::current().items.len() {
        eprintln!("提示：该目录与当前内置目录不同，重新构建后生效");
    }
    Ok(())
}

/// `xinrong template --item KEY --format xlsx|csv [--out FILE]`.
pub fn template(args: TemplateArgs) -> CliResult {
    let format = xinrong_services::collect::Format::parse(&args.format)?;
    let bytes = xinrong_services::collect::template(&args.item, format)?;
    let out = args
        .out
        .unwrap_or_else(|| std::path::PathBuf::from(format!("{}.{}", args.item, args.format)));
    std::fs::write(&out, bytes)
        .map_err(|e| Failure::new("template.io", format!("无法写入 {}：{e}", out.display())))?;
    println!("{}", out.display());
    Ok(())
}
