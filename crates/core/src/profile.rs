//! 画像 (profile) and its 标签 (tags): short labels such as 纳税信用A级 or 失信被执行人,
//! derived from an enterprise's current records by rules kept as data
//! (`models/profile/vN.toml`). A tag rule selects records exactly as an evaluation indicator
//! does (same conditions, windows and "most recent record" semantics, see
//! [`crate::evaluation`]); the tag applies when enough records count.

use crate::catalog::{Catalog, Polarity, Sensitivity};
use crate::evaluation::select::{Codes, Compiler, Dispatch, RawCondition, Selector, SelectorSpec};
use crate::evaluation::{ModelError, SubjectFacts};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

const CODES: Codes = Codes {
    unknown_item: "profile.rules_unknown_item",
    unknown_field: "profile.rules_unknown_field",
    invalid: "profile.rules_invalid",
};
const SYNTAX: &str = "profile.rules_syntax";
const DUPLICATE: &str = "profile.rules_duplicate";

/// The tag-rule versions shipped with this build, oldest first (never edited once shipped).
const SHIPPED: &[(u32, &str)] = &[(1, include_str!("../../../models/profile/v1.toml"))];

static RULES: LazyLock<Vec<TagRules>> = LazyLock::new(|| {
    SHIPPED
        .iter()
        .map(|(version, text)| {
            let rules = TagRules::from_toml(text, crate::catalog::builtin())
                .unwrap_or_else(|e| panic!("shipped tag rules v{version} are invalid: {e}"));
            assert_eq!(
                rules.version(),
                *version,
                "shipped rules file names its version"
            );
            rules
        })
        .collect()
});

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    version: u32,
    name: String,
    published: String,
    rules: RawTreatment,
    tags: Vec<RawTag>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Treatment {
    ExcludeAdverse,
    Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SelfDeclared {
    Count,
    Ignore,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTreatment {
    objection_pending: Treatment,
    repaired: Treatment,
    self_declared: SelfDeclared,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTag {
    key: String,
    label: String,
    polarity: Polarity,
    meaning: String,
    items: Vec<String>,
    #[serde(default, rename = "where")]
    all: Vec<RawCondition>,
    #[serde(default)]
    where_any: Vec<RawCondition>,
    date_field: Option<String>,
    window_months: Option<u32>,
    latest_by: Option<String>,
    min_count: Option<u32>,
}

/// One tag as people see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagRule {
    pub key: String,
    pub label: String,
    pub polarity: Polarity,
    pub item_keys: Vec<String>,
    /// The most sensitive level among the fields the rule reads.
    pub sensitivity: Sensitivity,
    pub meaning: String,
}

#[derive(Debug, Clone)]
struct CompiledTag {
    rule: TagRule,
    selector: Selector,
    min_count: u32,
}

/// One validated version of the tag rules.
#[derive(Debug, Clone)]
pub struct TagRules {
    version: u32,
    name: String,
    treatment: RawTreatment,
    tags: Vec<CompiledTag>,
    inputs: BTreeMap<String, Vec<String>>,
    dispatch: Dispatch,
}

impl TagRules {
    /// The current rules: the newest shipped version.
    pub fn builtin() -> &'static TagRules {
        RULES.last().expect("at least one shipped version")
    }

    /// Any shipped version.
    pub fn by_version(version: u32) -> Option<&'static TagRules> {
        RULES.iter().find(|r| r.version == version)
    }

    /// Parses and validates a rules file against a catalogue.
    pub fn from_toml(text: &str, catalog: &Catalog) -> Result<TagRules, ModelError> {
        let raw: RawRules = toml::from_str(text).map_err(|e| {
            ModelError::new(SYNTAX, format!("画像标签规则文件格式错误：{}", e.message()))
        })?;
        if raw.version == 0 {
            return Err(ModelError::new(
                SYNTAX,
                "画像标签规则版本号 version 应为正整数",
            ));
        }
        let _ = raw.published;
        let mut compiler = Compiler::new(catalog, &CODES);
        let mut tags: Vec<CompiledTag> = Vec::with_capacity(raw.tags.len());
        for t in &raw.tags {
            if tags.iter().any(|x| x.rule.key == t.key) {
                return Err(ModelError::new(
                    DUPLICATE,
                    format!("标签“{}”重复定义", t.key),
                ));
            }
            let owner = format!("标签 {}", t.key);
            let mut sensitivity = Sensitivity::Public;
            let selector = compiler.selector(
                &SelectorSpec {
                    owner: &owner,
                    items: &t.items,
                    all: &t.all,
                    any: &t.where_any,
                    date_field: t.date_field.as_deref(),
                    window_months: t.window_months,
                    latest_by: t.latest_by.as_deref(),
                    needs_latest: false,
                },
                &mut sensitivity,
            )?;
            let min_count = t.min_count.unwrap_or(1);
            if min_count == 0 {
                return Err(ModelError::new(
                    CODES.invalid,
                    format!("“{owner}”的 min_count 应至少为 1"),
                ));
            }
            if selector.latest.is_some() && min_count > 1 {
                return Err(ModelError::new(
                    CODES.invalid,
                    format!("“{owner}”使用 latest_by 时只考察一条记录，min_count 不能大于 1"),
                ));
            }
            tags.push(CompiledTag {
                rule: TagRule {
                    key: t.key.clone(),
                    label: t.label.clone(),
                    polarity: t.polarity,
                    item_keys: t.items.clone(),
                    sensitivity,
                    meaning: t.meaning.clone(),
                },
                selector,
                min_count,
            });
        }
        let mut dispatch = Dispatch::default();
        for (i, tag) in tags.iter().enumerate() {
            dispatch.add(i, &tag.selector.items);
        }
        Ok(TagRules {
            version: raw.version,
            name: raw.name,
            treatment: raw.rules,
            tags,
            inputs: compiler.reads,
            dispatch,
        })
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Item keys the rules read, and for each the field keys they read (sorted).
    pub fn inputs(&self) -> &BTreeMap<String, Vec<String>> {
        &self.inputs
    }

    /// Every tag, in rule order.
    pub fn tags(&self) -> impl Iterator<Item = &TagRule> {
        self.tags.iter().map(|t| &t.rule)
    }

    /// The keys of the tags that apply, in rule order.
    pub fn apply(&self, facts: &SubjectFacts<'_>, today: NaiveDate) -> Vec<String> {
        let treatment = self.treatment;
        let tallies = self.dispatch.scan(
            self.tags.len(),
            |i| Some(&self.tags[i].selector),
            facts.records,
            today,
            |i, record| match self.tags[i].rule.polarity {
                Polarity::Negative => {
                    ((record.objection_pending
                        && treatment.objection_pending == Treatment::ExcludeAdverse)
                        || (record.repaired && treatment.repaired == Treatment::ExcludeAdverse))
                        && self.tags[i].selector.matches(&record.values)
                }
                Polarity::Positive => {
                    record.self_declared && treatment.self_declared == SelfDeclared::Ignore
                }
                Polarity::Neutral => false,
            },
        );
        self.tags
            .iter()
            .zip(&tallies)
            .filter(|(tag, tally)| tally.count >= tag.min_count)
            .map(|(tag, _)| tag.rule.key.clone())
            .collect()
    }

    /// The rule of one tag key.
    pub fn describe(&self, key: &str) -> Option<&TagRule> {
        self.tags
            .iter()
            .find(|t| t.rule.key == key)
            .map(|t| &t.rule)
    }
}
