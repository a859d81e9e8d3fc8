//! Parsing and checking a catalogue: every rule an added item or field must satisfy.

use super::model::{Catalog, CodeTable, FieldType, Item, Mode, Polarity};
use std::collections::HashSet;

/// Why a catalogue was rejected; `file` names the source file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("{file}：无法解析：{message}")]
    Syntax { file: String, message: String },
    #[error("{file}：{message}")]
    Rule { file: String, message: String },
}

impl CatalogError {
    pub fn code(&self) -> &'static str {
        match self {
            CatalogError::Syntax { .. } => "catalog.syntax",
            CatalogError::Rule { .. } => "catalog.rule",
        }
    }
}

#[derive(serde::Deserialize)]
struct ItemFile {
    #[serde(default)]
    items: Vec<Item>,
}

fn is_snake(key: &str) -> bool {
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Catalog {
    /// Parses a header and item files (`(file name, text)`) and checks every rule.
    pub fn parse(header: &str, item_files: &[(&str, &str)]) -> Result<Catalog, CatalogError> {
        let mut catalog: Catalog = toml::from_str(header).map_err(|e| CatalogError::Syntax {
            file: "catalog.toml".into(),
            message: e.to_string(),
        })?;
        for (file, text) in item_files {
            let parsed: ItemFile = toml::from_str(text).map_err(|e| CatalogError::Syntax {
                file: (*file).to_owned(),
                message: e.to_string(),
            })?;
            for item in &parsed.items {
                check_item(item).map_err(|message| CatalogError::Rule {
                    file: (*file).to_owned(),
                    message: format!("{}：{message}", item.key),
                })?;
            }
            catalog.items.extend(parsed.items);
        }
        check_catalog(&catalog).map_err(|message| CatalogError::Rule {
            file: "catalog.toml".into(),
            message,
        })?;
        // Items in section order, each section's items in file order (the sort is stable).
        catalog.items.sort_by_key(|i| {
            catalog
                .sections
                .iter()
                .find(|s| s.key == i.section)
                .map(|s| s.order)
                .unwrap_or(u32::MAX)
        });
        Ok(catalog)
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }

    pub fn items_of<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| i.section == section)
    }

    pub fn field_count(&self) -> usize {
        self.items.iter().map(|i| i.fields.len()).sum()
    }
}

fn check_item(item: &Item) -> Result<(), String> {
    let Some((section, name)) = item.key.split_once('.') else {
        return Err("信息项键须为 section.item 形式".into());
    };
    if section != item.section || !is_snake(section) || !is_snake(name) {
        return Err(format!(
            "信息项键须以所属种类 {} 开头且为小写下划线形式",
            item.section
        ));
    }
    if item.label.trim().is_empty() {
        return Err("信息项名称不能为空".into());
    }
    if item.modes.is_empty() {
        return Err("须至少有一种共享方式（push 或 pull）".into());
    }
    if item.fields.is_empty() {
        return Err("信息项须至少有一个字段".into());
    }
    match (item.polarity, item.severity) {
        (Polarity::Negative, None) => {
            return Err("负面信息项须标明严重程度 severity（minor、major 或 serious）".into());
        }
        (Polarity::Positive | Polarity::Neutral, Some(_)) => {
            return Err("只有负面信息项才标明严重程度 severity".into());
        }
        _ => {}
    }
    if item.self_reportable {
        let enterprise_subject = item
            .subject_fields
            .first()
            .and_then(|k| item.field(k))
            .is_some_and(|f| f.code_table == Some(CodeTable::Uscc));
        if !item.modes.contains(&Mode::Push)
            || item.polarity == Polarity::Negative
            || !enterprise_subject
        {
            return Err(
                "可自愿填报的信息项须可物理归集（push）、不是负面信息，且主体为统一社会信用代码"
                    .into(),
            );
        }
    }
    let mut keys = HashSet::new();
    for field in &item.fields {
        if !is_snake(&field.key) {
            return Err(format!("字段键 {} 须为小写下划线形式", field.key));
        }
        if !keys.insert(field.key.as_str()) {
            return Err(format!("字段键 {} 重复", field.key));
        }
        if field.label.trim().is_empty() {
            return Err(format!("字段 {} 缺少中文名称", field.key));
        }
        if field.allow_future && !matches!(field.field_type, FieldType::Date | FieldType::Month) {
            return Err(format!(
                "字段 {} 不是日期或年月，不能标记 allow_future",
                field.key
            ));
        }
    }
    if item.subject_fields.is_empty() {
        return Err("须指明信息主体字段".into());
    }
    if item.natural_key.is_empty() {
        return Err("须指明记录的自然键".into());
    }
    for key in item.subject_fields.iter().chain(&item.natural_key) {
        match item.field(key) {
            None => return Err(format!("主体字段或自然键 {key} 不是本信息项的字段")),
            Some(f) if !f.required => return Err(format!("主体字段或自然键 {key} 须为必填")),
            Some(_) => {}
        }
    }
    Ok(())
}

fn check_catalog(catalog: &Catalog) -> Result<(), String> {
    if catalog.version == 0 {
        return Err("目录版本号须为正整数".into());
    }
    let mut sections = HashSet::new();
    for s in &catalog.sections {
        if !is_snake(&s.key) || !sections.insert(s.key.as_str()) {
            return Err(format!("信息种类键 {} 无效或重复", s.key));
        }
    }
    let mut items = HashSet::new();
    for item in &catalog.items {
        if !sections.contains(item.section.as_str()) {
            return Err(format!("{} 所属种类 {} 不在目录中", item.key, item.section));
        }
        if !items.insert(item.key.as_str()) {
            return Err(format!("信息项 {} 重复", item.key));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#"
version = 1
title = "测试目录"
published = "2026-11-24"
[[sections]]
key = "tax"
label = "纳税信息"
order = 1
"#;

    const ITEMS: &str = r#"
[[items]]
key = "tax.arrears"
label = "欠税信息"
section = "tax"
modes = ["push"]
subject_fields = ["uscc"]
natural_key = ["uscc", "period"]
polarity = "negative"
severity = "major"
update_frequency = "quarterly"
[[items.fields]]
key = "uscc"
label = "统一社会信用代码"
type = "code"
required = true
sensitivity = "public"
code_table = "uscc"
[[items.fields]]
key = "period"
label = "所属期"
type = "month"
required = true
sensitivity = "public"
[[items.fields]]
key = "amount"
label = "欠税金额"
type = "decimal"
sensitivity = "restricted"
unit = "yuan"
"#;

    #[test]
    fn a_valid_catalogue_parses() {
        let c = Catalog::parse(HEADER, &[("tax.toml", ITEMS)]).unwrap();
        assert_eq!(c.items.len(), 1);
        assert_eq!(
            c.items[0].update_frequency,
            super::super::UpdateFrequency::Quarterly
        );
        assert_eq!(
            c.item("tax.arrears")
                .unwrap()
                .field("amount")
                .unwrap()
                .sensitivity,
            super::super::Sensitivity::Restricted
        );
    }

    #[test]
    fn rules_are_enforced_with_the_file_named() {
        let cases = [
            (
                ITEMS.replace("key = \"tax.arrears\"", "key = \"judicial.arrears\""),
                "开头",
            ),
            (
                ITEMS.replace(
                    "natural_key = [\"uscc\", \"period\"]",
                    "natural_key = [\"uscc\", \"nope\"]",
                ),
                "nope",
            ),
            (ITEMS.replace("key = \"period\"", "key = \"uscc\""), "重复"),
            (
                ITEMS.replace("modes = [\"push\"]", "modes = []"),
                "共享方式",
            ),
            (
                ITEMS.replace("sensitivity = \"restricted\"", "sensitivity = \"secret\""),
                "",
            ),
            (
                ITEMS.replace("update_frequency = \"quarterly\"\n", ""),
                "update_frequency",
            ),
            (
                ITEMS.replace(
                    "update_frequency = \"quarterly\"",
                    "update_frequency = \"hourly\"",
                ),
                "hourly",
            ),
            (
                ITEMS.replace("unit = \"yuan\"", "unit = \"yuan\"\nallow_future = true"),
                "allow_future",
            ),
            (ITEMS.replace("severity = \"major\"\n", ""), "严重程度"),
            (
                ITEMS.replace("polarity = \"negative\"", "polarity = \"neutral\""),
                "只有负面",
            ),
            (
                ITEMS.replace("severity = \"major\"", "severity = \"grave\""),
                "grave",
            ),
        ];
        for (text, expected) in cases {
            let err = Catalog::parse(HEADER, &[("tax.toml", &text)]).unwrap_err();
            assert!(err.to_string().starts_with("tax.toml："), "{err}");
            assert!(err.to_string().contains(expected), "{err}");
        }
        let dup = Catalog::parse(HEADER, &[("a.toml", ITEMS), ("b.toml", ITEMS)]).unwrap_err();
        assert!(dup.to_string().contains("重复"));
    }
}
