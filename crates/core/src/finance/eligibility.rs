//! 准入条件 (eligibility rules) over an enterprise's grade, tags, size, age, industry, region,
//! white-list and green status: one rule set for products and policies.
//!
//! A rule restricts only where it says something; [`assess`] answers one [`Check`] per
//! restricting criterion, met or not, with its reason in plain Chinese, so an enterprise sees
//! both why a product or policy fits and why another does not.

use crate::codes::industry::industries;
use crate::codes::region::regions;
use crate::codes::size_class::SizeClass;
use crate::profile::TagRules;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Evaluation grades (评价等级), best first — the grades of the evaluation model.
pub const GRADES: [&str; 6] = ["A+", "A", "B+", "B", "C", "D"];

/// Position of `grade` in [`GRADES`] (0 is best).
fn grade_rank(grade: &str) -> Option<usize> {
    GRADES.iter().position(|g| *g == grade)
}

/// 准入条件. Empty lists and `None` do not restrict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Eligibility {
    /// At or above this grade (one of A+, A, B+, B, C, D).
    pub min_grade: Option<String>,
    /// Profile tag keys that must all be present (e.g. `high_tech`).
    pub required_tags: Vec<String>,
    /// Profile tag keys of which none may be present (e.g. `dishonest_debtor`).
    pub excluded_tags: Vec<String>,
    pub size_classes: Vec<SizeClass>,
    /// Months since establishment, at least.
    pub min_age_months: Option<u32>,
    /// Months since establishment, at most (e.g. start-ups).
    pub max_age_months: Option<u32>,
    /// GB/T 4754 section letters (`C`) or two-digit divisions (`39`).
    pub industries: Vec<String>,
    /// GB/T 2260 prefixes: province `41`, city `4101`, county `410102`.
    pub regions: Vec<String>,
    /// Must be on the white list (白名单).
    pub whitelist_required: bool,
    /// Must be in the green enterprise library (绿色企业库).
    pub green_required: bool,
}

/// A rule that cannot be applied, with a stable code and a Chinese message naming the culprit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EligibilityError {
    pub code: &'static str,
    pub message: String,
}

fn invalid(code: &'static str, message: String) -> EligibilityError {
    EligibilityError { code, message }
}

impl Eligibility {
    /// Checks grades, tag keys (against the current profile rules), industry and region codes
    /// and the age range.
    pub fn validate(&self) -> Result<(), EligibilityError> {
        if let Some(grade) = &self.min_grade
            && grade_rank(grade).is_none()
        {
            return Err(invalid(
                "eligibility.grade",
                format!("评价等级“{grade}”无效，应为 A+、A、B+、B、C、D 之一"),
            ));
        }
        let tags = TagRules::builtin();
        for tag in self.required_tags.iter().chain(&self.excluded_tags) {
            if tags.describe(tag).is_none() {
                return Err(invalid("eligibility.tag", format!("画像标签“{tag}”不存在")));
            }
        }
        if let Some(tag) = self
            .required_tags
            .iter()
            .find(|t| self.excluded_tags.contains(t))
        {
            return Err(invalid(
                "eligibility.tag_conflict",
                format!("画像标签“{}”既被要求又被排除", tag_label(tag)),
            ));
        }
        for code in &self.industries {
            if industry_label(code).is_none() {
                return Err(invalid(
                    "eligibility.industry",
                    format!("行业代码“{code}”无效，应为国民经济行业门类字母或两位大类代码"),
                ));
            }
        }
        for code in &self.regions {
            if region_label(code).is_none() {
                return Err(invalid(
                    "eligibility.region",
                    format!("行政区划代码“{code}”无效，应为省（2位）、市（4位）或县区（6位）代码"),
                ));
            }
        }
        if let (Some(min), Some(max)) = (self.min_age_months, self.max_age_months)
            && min > max
        {
            return Err(invalid(
                "eligibility.age",
                format!("成立年限下限（{min} 个月）大于上限（{max} 个月）"),
            ));
        }
        Ok(())
    }

    /// Restricts nothing: every enterprise is eligible.
    pub fn is_open(&self) -> bool {
        *self == Eligibility::default()
    }

    /// One plain Chinese line per restricting criterion.
    pub fn describe_zh(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(grade) = &self.min_grade {
            lines.push(format!("评价等级 {grade} 及以上"));
        }
        if !self.required_tags.is_empty() {
            lines.push(format!("须具备：{}", labels(&self.required_tags)));
        }
        if !self.excluded_tags.is_empty() {
            lines.push(format!("不得存在：{}", labels(&self.excluded_tags)));
        }
        if !self.size_classes.is_empty() {
            let sizes: Vec<&str> = self.size_classes.iter().map(|s| s.label_zh()).collect();
            lines.push(format!("企业规模：{}", sizes.join("、")));
        }
        match (self.min_age_months, self.max_age_months) {
            (Some(min), Some(max)) => {
                lines.push(format!("成立 {} 至 {}", months(min), months(max)))
            }
            (Some(min), None) => lines.push(format!("成立满 {}", months(min))),
            (None, Some(max)) => lines.push(format!("成立不超过 {}", months(max))),
            (None, None) => {}
        }
        if !self.industries.is_empty() {
            let names: Vec<String> = self
                .industries
                .iter()
                .map(|c| industry_label(c).unwrap_or_else(|| c.clone()))
                .collect();
            lines.push(format!("行业：{}", names.join("、")));
        }
        if !self.regions.is_empty() {
            let names: Vec<String> = self
                .regions
                .iter()
                .map(|c| region_label(c).unwrap_or_else(|| c.clone()))
                .collect();
            lines.push(format!("地区：{}", names.join("、")));
        }
        if self.whitelist_required {
            lines.push("须在融资白名单内".to_owned());
        }
        if self.green_required {
            lines.push("须在绿色企业库内".to_owned());
        }
        lines
    }
}

fn tag_label(key: &str) -> String {
    TagRules::builtin()
        .describe(key)
        .map(|t| t.label.clone())
        .unwrap_or_else(|| key.to_owned())
}

fn labels(keys: &[String]) -> String {
    keys.iter()
        .map(|k| tag_label(k))
        .collect::<Vec<_>>()
        .join("、")
}

/// "3 年", "18 个月".
fn months(n: u32) -> String {
    if n > 0 && n.is_multiple_of(12) {
        format!("{} 年", n / 12)
    } else {
        format!("{n} 个月")
    }
}

/// The name of a section letter or two-digit division.
fn industry_label(code: &str) -> Option<String> {
    let table = industries();
    match code.len() {
        1 => table.section(code).map(|s| format!("{code} {}", s.name)),
        2 => table.division(code).map(|d| format!("{code} {}", d.name)),
        _ => None,
    }
}

/// The name of a 2-, 4- or 6-digit region prefix.
fn region_label(code: &str) -> Option<String> {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let full = match code.len() {
        2 => format!("{code}0000"),
        4 => format!("{code}00"),
        6 => code.to_owned(),
        _ => return None,
    };
    regions().get(&full).map(|_| regions().full_name(&full))
}

/// What is known of an enterprise when a rule is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// Current evaluation grade; `None` before the first evaluation.
    pub grade: Option<String>,
    /// Current profile tag keys.
    pub tags: Vec<String>,
    pub size_class: Option<SizeClass>,
    pub established: Option<NaiveDate>,
    /// GB/T 4754 division (two digits).
    pub industry_code: Option<String>,
    /// GB/T 2260 county code.
    pub region_code: Option<String>,
    pub whitelisted: bool,
    pub green: bool,
}

/// Which part of a rule a [`Check`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    Grade,
    RequiredTag,
    ExcludedTag,
    SizeClass,
    Age,
    Industry,
    Region,
    Whitelist,
    Green,
}

/// One criterion applied to one enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Check {
    pub criterion: Criterion,
    pub met: bool,
    /// E.g. "评价等级 A，满足 B+ 及以上".
    pub reason_zh: String,
}

/// Every restricting criterion of a rule applied to one enterprise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub checks: Vec<Check>,
}

impl Assessment {
    pub fn eligible(&self) -> bool {
        self.checks.iter().all(|c| c.met)
    }

    pub fn unmet(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.met)
    }

    pub fn met(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.met)
    }
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let mut m = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        m -= 1;
    }
    m.max(0) as u32
}

/// Applies `rule` to `facts` as of `today`.
pub fn assess(rule: &Eligibility, facts: &Facts, today: NaiveDate) -> Assessment {
    let mut checks = Vec::new();
    let mut push = |criterion, met, reason_zh: String| {
        checks.push(Check {
            criterion,
            met,
            reason_zh,
        })
    };
    if let Some(min) = &rule.min_grade {
        let need = grade_rank(min).unwrap_or(0);
        match facts.grade.as_deref() {
            Some(g) => {
                let met = grade_rank(g).is_some_and(|r| r <= need);
                let verdict = if met { "满足" } else { "未达到" };
                push(
                    Criterion::Grade,
                    met,
                    format!("评价等级 {g}，{verdict} {min} 及以上"),
                );
            }
            None => push(
                Criterion::Grade,
                false,
                format!("尚无评价等级，要求 {min} 及以上"),
            ),
        }
    }
    for tag in &rule.required_tags {
        let met = facts.tags.contains(tag);
        let label = tag_label(tag);
        let reason = if met {
            format!("具备“{label}”")
        } else {
            format!("不具备“{label}”")
        };
        push(Criterion::RequiredTag, met, reason);
    }
    for tag in &rule.excluded_tags {
        let present = facts.tags.contains(tag);
        let label = tag_label(tag);
        let reason = if present {
            format!("存在“{label}”")
        } else {
            format!("无“{label}”")
        };
        push(Criterion::ExcludedTag, !present, reason);
    }
    if !rule.size_classes.is_empty() {
        let allowed: Vec<&str> = rule.size_classes.iter().map(|s| s.label_zh()).collect();
        let allowed = allowed.join("、");
        match facts.size_class {
            Some(size) => {
                let met = rule.size_classes.contains(&size);
                let verdict = if met { "属于" } else { "不属于" };
                push(
                    Criterion::SizeClass,
                    met,
                    format!("企业规模为{}，{verdict}{allowed}", size.label_zh()),
                );
            }
            None => push(
                Criterion::SizeClass,
                false,
                format!("企业规模未知，要求{allowed}"),
            ),
        }
    }
    if rule.min_age_months.is_some() || rule.max_age_months.is_some() {
        match facts.established {
            Some(day) => {
                let age = months_between(day, today);
                let too_young = rule.min_age_months.is_some_and(|min| age < min);
                let too_old = rule.max_age_months.is_some_and(|max| age > max);
                let reason = if too_young {
                    format!(
                        "成立 {}，不足 {}",
                        months(age),
                        months(rule.min_age_months.unwrap_or(0))
                    )
                } else if too_old {
                    format!(
                        "成立 {}，超过 {}",
                        months(age),
                        months(rule.max_age_months.unwrap_or(0))
                    )
                } else {
                    format!("成立 {}，符合年限要求", months(age))
                };
                push(Criterion::Age, !too_young && !too_old, reason);
            }
            None => push(Criterion::Age, false, "成立日期未知".to_owned()),
        }
    }
    if !rule.industries.is_empty() {
        let division = facts.industry_code.as_deref().unwrap_or("");
        let section = industries()
            .section_of_division(division)
            .map(|s| s.code)
            .unwrap_or("");
        let met = rule
            .industries
            .iter()
            .any(|c| c == division || (c.len() == 1 && c == section));
        let name = industry_label(division).unwrap_or_else(|| "未知行业".to_owned());
        let verdict = if met {
            "属于支持行业"
        } else {
            "不属于支持行业"
        };
        push(
            Criterion::Industry,
            met,
            format!("所属行业 {name}，{verdict}"),
        );
    }
    if !rule.regions.is_empty() {
        let region = facts.region_code.as_deref().unwrap_or("");
        let met = !region.is_empty() && rule.regions.iter().any(|p| region.starts_with(p.as_str()));
        let name = if region.is_empty() {
            "未知地区".to_owned()
        } else {
            regions().full_name(region)
        };
        let verdict = if met {
            "在适用地区内"
        } else {
            "不在适用地区内"
        };
        push(Criterion::Region, met, format!("注册地 {name}，{verdict}"));
    }
    if rule.whitelist_required {
        let reason = if facts.whitelisted {
            "已列入融资白名单"
        } else {
            "未列入融资白名单"
        };
        push(Criterion::Whitelist, facts.whitelisted, reason.to_owned());
    }
    if rule.green_required {
        let reason = if facts.green {
            "已入绿色企业库"
        } else {
            "未入绿色企业库"
        };
        push(Criterion::Green, facts.green, reason.to_owned());
    }
    Assessment { checks }
}

#[cfg(test)]
mod tests;
