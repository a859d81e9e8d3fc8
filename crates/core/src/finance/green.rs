//! 绿色金融 (green finance): the green industry catalogue as data (`models/green/vN.toml`) and
//! the rule that marks an enterprise green.
//!
//! The catalogue maps the six first-level categories of 《绿色产业指导目录（2019年版）》 to
//! GB/T 4754-2017 divisions; every code is checked against [`crate::codes::industry`] at load.
//! [`assess_green`] is the rule: green when the industry is in the catalogue and the latest
//! environmental credit rating (`environment.env_credit_rating` › `env_credit_grade`) is not
//! 警示/不良 (黄牌/红牌). A 不良 (红牌) rating also excludes an enterprise that declared itself
//! green ([`excludes_declaration`]).

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The catalogue versions shipped with this build, oldest first (never edited once shipped).
const SHIPPED: &[(u32, &str)] = &[(1, include_str!("../../../../models/green/v1.toml"))];

/// The catalogue item and field the rule reads.
pub const ENV_RATING_ITEM: &str = "environment.env_credit_rating";
pub const ENV_GRADE_FIELD: &str = "env_credit_grade";
pub const ENV_DATE_FIELD: &str = "rating_date";

static CATALOGS: LazyLock<Vec<GreenCatalog>> = LazyLock::new(|| {
    SHIPPED
        .iter()
        .map(|(version, text)| {
            let c = GreenCatalog::from_toml(text)
                .unwrap_or_else(|e| panic!("shipped green catalogue v{version} is invalid: {e}"));
            assert_eq!(c.version, *version, "shipped catalogue names its version");
            c
        })
        .collect()
});

/// Why a catalogue file was refused: a stable code (`green.catalog_*`) and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct GreenCatalogError {
    pub code: &'static str,
    pub message: String,
}

fn err(code: &'static str, message: impl Into<String>) -> GreenCatalogError {
    GreenCatalogError {
        code,
        message: message.into(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    version: u32,
    name: String,
    published: String,
    source: String,
    categories: Vec<RawCategory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    key: String,
    label: String,
    industries: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

/// One category of the catalogue (节能环保产业 …) with its industry divisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GreenCategory {
    pub key: String,
    pub label: String,
    /// GB/T 4754-2017 division codes.
    pub industries: Vec<String>,
    /// How the mapping approximates the official catalogue, if it does.
    pub note: Option<String>,
}

/// One validated version of the green industry catalogue.
#[derive(Debug, Clone)]
pub struct GreenCatalog {
    pub version: u32,
    pub name: String,
    pub published: String,
    pub source: String,
    categories: Vec<GreenCategory>,
    by_industry: HashMap<String, usize>,
}

impl GreenCatalog {
    /// The current catalogue: the newest shipped version.
    pub fn builtin() -> &'static GreenCatalog {
        CATALOGS.last().expect("at least one shipped version")
    }

    /// Parses and validates a catalogue file: known industry divisions, each in one category,
    /// unique category keys.
    pub fn from_toml(text: &str) -> Result<GreenCatalog, GreenCatalogError> {
        let raw: RawCatalog = toml::from_str(text).map_err(|e| {
            err(
                "green.catalog_syntax",
                format!("绿色产业目录文件格式错误：{}", e.message()),
            )
        })?;
        if raw.version == 0 || raw.categories.is_empty() {
            return Err(err(
                "green.catalog_syntax",
                "绿色产业目录须有版本号（≥1）和至少一个类别",
            ));
        }
        let table = crate::codes::industry::industries();
        let mut categories = Vec::new();
        let mut by_industry = HashMap::new();
        for (i, c) in raw.categories.into_iter().enumerate() {
            if c.key.trim().is_empty() || c.label.trim().is_empty() {
                return Err(err("green.catalog_syntax", "绿色产业类别须有代码和名称"));
            }
            if categories.iter().any(|o: &GreenCategory| o.key == c.key) {
                return Err(err(
                    "green.catalog_duplicate",
                    format!("绿色产业类别 {} 重复", c.key),
                ));
            }
            for code in &c.industries {
                if table.division(code).is_none() {
                    return Err(err(
                        "green.catalog_unknown_industry",
                        format!(
                            "类别“{}”中的行业代码 {code} 不是 GB/T 4754-2017 的行业大类",
                            c.label
                        ),
                    ));
                }
                if by_industry.insert(code.clone(), i).is_some() {
                    return Err(err(
                        "green.catalog_duplicate",
                        format!("行业大类 {code} 出现在多个绿色产业类别中"),
                    ));
                }
            }
            categories.push(GreenCategory {
                key: c.key,
                label: c.label,
                industries: c.industries,
                note: c.note,
            });
        }
        Ok(GreenCatalog {
            version: raw.version,
            name: raw.name,
            published: raw.published,
            source: raw.source,
            categories,
            by_industry,
        })
    }

    pub fn categories(&self) -> &[GreenCategory] {
        &self.categories
    }

    /// The category a division (`"77"`) belongs to, if any.
    pub fn category_of(&self, industry_code: &str) -> Option<&GreenCategory> {
        self.by_industry
            .get(industry_code.trim())
            .map(|i| &self.categories[*i])
    }

    /// A category by its key (`"clean_energy"`).
    pub fn category(&self, key: &str) -> Option<&GreenCategory> {
        self.categories.iter().find(|c| c.key == key)
    }
}

/// How an environmental credit grade weighs on greenness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvStanding {
    /// 环保诚信 / 环保良好 / 绿牌 / 蓝牌, or any other grade that is not a warning.
    Good,
    /// 环保警示 / 黄牌: not green by rule; a reviewed declaration still stands.
    Warning,
    /// 环保不良 / 红牌: excluded, even when declared.
    Bad,
}

/// Classifies an `env_credit_grade` value (as stored: 环保诚信/环保良好/环保警示/环保不良, or the
/// 绿/蓝/黄/红牌 scheme some provinces use).
pub fn env_standing(grade: &str) -> EnvStanding {
    let g = grade.trim();
    if g.contains("不良") || g.starts_with("红") {
        EnvStanding::Bad
    } else if g.contains("警示") || g.starts_with("黄") {
        EnvStanding::Warning
    } else {
        EnvStanding::Good
    }
}

/// Whether a latest rating `env_rating` removes a (reviewed) green declaration: 不良 / 红牌 only.
pub fn excludes_declaration(env_rating: Option<&str>) -> bool {
    env_rating.is_some_and(|g| env_standing(g) == EnvStanding::Bad)
}

/// The rule's answer for one enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GreenAssessment {
    pub green: bool,
    /// The catalogue category of the enterprise's industry, if any.
    pub category: Option<String>,
    /// Plain Chinese lines explaining the answer.
    pub reasons_zh: Vec<String>,
}

/// The rule over the builtin catalogue: see [`assess_green_with`].
pub fn assess_green(industry_code: &str, env_rating: Option<&str>) -> GreenAssessment {
    assess_green_with(GreenCatalog::builtin(), industry_code, env_rating)
}

/// Green when `industry_code` is in `catalog` and the latest environmental credit rating
/// `env_rating` (None: never rated) is not 警示/不良.
pub fn assess_green_with(
    catalog: &GreenCatalog,
    industry_code: &str,
    env_rating: Option<&str>,
) -> GreenAssessment {
    let mut reasons = Vec::new();
    let division = crate::codes::industry::industries()
        .division(industry_code.trim())
        .map_or_else(
            || industry_code.to_owned(),
            |d| format!("{} {}", d.code, d.name),
        );
    let category = catalog.category_of(industry_code);
    let in_catalog = match category {
        Some(c) => {
            reasons.push(format!("所属行业 {division} 属于绿色产业目录“{}”", c.label));
            true
        }
        None => {
            reasons.push(format!("所属行业 {division} 不在绿色产业目录内"));
            false
        }
    };
    let rating_ok = match env_rating.map(str::trim).filter(|g| !g.is_empty()) {
        None => {
            reasons.push("暂无环保信用评价记录".to_owned());
            true
        }
        Some(g) => match env_standing(g) {
            EnvStanding::Good => {
                reasons.push(format!("最近一次环保信用评价为“{g}”"));
                true
            }
            EnvStanding::Warning => {
                reasons.push(format!("最近一次环保信用评价为“{g}”，不予认定为绿色企业"));
                false
            }
            EnvStanding::Bad => {
                reasons.push(format!(
                    "最近一次环保信用评价为“{g}”，不予认定为绿色企业（自主申报亦不予认定）"
                ));
                false
            }
        },
    };
    GreenAssessment {
        green: in_catalog && rating_ok,
        category: category.map(|c| c.key.clone()),
        reasons_zh: reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogue_loads_and_maps_divisions() {
        let c = GreenCatalog::builtin();
        assert_eq!(c.version, 1);
        assert_eq!(c.categories().len(), 6);
        assert_eq!(c.category_of("77").unwrap().label, "生态环境产业");
        assert_eq!(c.category_of("44").unwrap().key, "clean_energy");
        assert_eq!(c.category_of("42").unwrap().label, "清洁生产产业");
        assert_eq!(c.category_of("46").unwrap().label, "基础设施绿色升级");
        assert!(c.category_of("65").is_none());
        assert!(c.category_of("").is_none());
        assert!(c.category("green_services").is_some());
        for cat in c.categories() {
            for code in &cat.industries {
                assert!(
                    crate::codes::industry::industries()
                        .division(code)
                        .is_some()
                );
            }
        }
    }

    #[test]
    fn unknown_industry_code_is_refused_with_a_stable_code() {
        let text = r#"
version = 2
name = "x"
published = "2026-11-26"
source = "x"
[[categories]]
key = "a"
label = "甲"
industries = ["77", "99"]
"#;
        let e = GreenCatalog::from_toml(text).unwrap_err();
        assert_eq!(e.code, "green.catalog_unknown_industry");
        assert!(e.message.contains("99"));
        let dup = text.replace("\"99\"", "\"77\"");
        assert_eq!(
            GreenCatalog::from_toml(&dup).unwrap_err().code,
            "green.catalog_duplicate"
        );
        let bad = text.replace("industries", "industry");
        assert_eq!(
            GreenCatalog::from_toml(&bad).unwrap_err().code,
            "green.catalog_syntax"
        );
    }

    #[test]
    fn rule_needs_a_listed_industry_and_no_warning_or_bad_rating() {
        let a = assess_green("77", None);
        assert!(a.green);
        assert_eq!(a.category.as_deref(), Some("ecological"));
        assert!(assess_green("77", Some("环保诚信")).green);
        assert!(assess_green("44", Some("环保良好")).green);
        assert!(assess_green("44", Some("蓝牌")).green);
        let w = assess_green("77", Some("环保警示"));
        assert!(!w.green);
        assert!(w.reasons_zh.iter().any(|r| r.contains("环保警示")));
        assert!(!assess_green("77", Some("环保不良")).green);
        assert!(!assess_green("77", Some("红牌")).green);
        assert!(!assess_green("77", Some("黄牌")).green);
        let no = assess_green("65", Some("环保诚信"));
        assert!(!no.green);
        assert_eq!(no.category, None);
        assert!(no.reasons_zh[0].contains("不在绿色产业目录"));
    }

    #[test]
    fn only_a_bad_rating_excludes_a_declaration() {
        assert!(excludes_declaration(Some("环保不良")));
        assert!(excludes_declaration(Some("红牌")));
        assert!(!excludes_declaration(Some("环保警示")));
        assert!(!excludes_declaration(Some("环保诚信")));
        assert!(!excludes_declaration(None));
        assert_eq!(env_standing("环保警示"), EnvStanding::Warning);
    }
}
