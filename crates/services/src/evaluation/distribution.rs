//! 评价等级分布 (grade distributions) by district (区县) or industry (行业门类), from the current
//! grades: government units see the enterprises of their jurisdiction, the operator all; other
//! roles are refused. Counts only — no subject is named.

use crate::access::Reader;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use serde::Serialize;
use std::collections::BTreeMap;
use xinrong_core::codes::industry::industries;
use xinrong_core::codes::region::{region_prefix, regions};
use xinrong_core::evaluation::Model;
use xinrong_core::role::Role;
use xinrong_store::repo::evaluations::{self as repo, GroupBy};

/// How to group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// 区县 (GB/T 2260 county-level code).
    District,
    /// 行业 (GB/T 4754 division).
    Industry,
}

impl By {
    /// `district` or `industry`; `evaluation.distribution_by` otherwise.
    pub fn parse(text: &str) -> ServiceResult<By> {
        match text.trim() {
            "district" | "region" | "区县" => Ok(By::District),
            "industry" | "行业" => Ok(By::Industry),
            other => Err(ServiceError::invalid(
                "evaluation.distribution_by",
                format!("分布维度“{other}”无效，应为 district（区县）或 industry（行业）"),
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            By::District => "district",
            By::Industry => "industry",
        }
    }
}

/// One district or industry.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DistributionRow {
    pub code: String,
    pub name: String,
    /// Per grade, in the order of [`Distribution::grades`].
    pub counts: Vec<u64>,
    pub total: u64,
    /// Mean score, rounded to an integer.
    pub average_score: u32,
}

/// A grade distribution.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Distribution {
    pub by: By,
    /// Grade symbols, best first (the current model's table; grades of older models that no
    /// longer exist are appended).
    pub grades: Vec<String>,
    /// The jurisdiction the counts are limited to (government readers).
    pub jurisdiction: Option<String>,
    pub rows: Vec<DistributionRow>,
    /// All rows together.
    pub total: DistributionRow,
}

/// The distribution of current grades by `by`, as `reader` may see it.
pub async fn distribution(
    platform: &Platform,
    reader: &Reader,
    by: By,
) -> ServiceResult<Distribution> {
    let jurisdiction = match reader.role {
        Role::Operator => None,
        Role::Government => Some(reader.region_code.clone().ok_or(ServiceError::Denied {
            code: "access.outside_jurisdiction",
            message: "本单位未设置辖区，不能查看评价等级分布".into(),
        })?),
        _ => {
            return Err(ServiceError::Denied {
                code: "access.denied",
                message: "评价等级分布仅向政府部门（本辖区）和平台运营方提供".into(),
            });
        }
    };
    let prefixes = jurisdiction.as_deref().map(|j| vec![region_prefix(j)]);
    let group = match by {
        By::District => GroupBy::Region,
        By::Industry => GroupBy::Industry,
    };
    let cells = repo::distribution(&platform.db.conn, group, prefixes.as_deref()).await?;
    let mut grades: Vec<String> = Model::builtin()
        .grades()
        .iter()
        .map(|g| g.symbol.clone())
        .collect();
    for c in &cells {
        if !grades.contains(&c.grade) {
            grades.push(c.grade.clone());
        }
    }
    let mut groups: BTreeMap<String, (Vec<u64>, i64)> = BTreeMap::new();
    for c in &cells {
        let entry = groups
            .entry(c.code.clone())
            .or_insert_with(|| (vec![0; grades.len()], 0));
        let at = grades
            .iter()
            .position(|g| *g == c.grade)
            .expect("added above");
        entry.0[at] += c.count.max(0) as u64;
        entry.1 += c.score_sum;
    }
    let row = |code: String, name: String, counts: Vec<u64>, sum: i64| {
        let total: u64 = counts.iter().sum();
        DistributionRow {
            code,
            name,
            average_score: (sum.max(0) as u64 + total / 2)
                .checked_div(total)
                .unwrap_or(0) as u32,
            counts,
            total,
        }
    };
    let mut all_counts = vec![0u64; grades.len()];
    let mut all_sum = 0i64;
    let rows: Vec<DistributionRow> = groups
        .into_iter()
        .map(|(code, (counts, sum))| {
            for (a, c) in all_counts.iter_mut().zip(&counts) {
                *a += c;
            }
            all_sum += sum;
            let name = match by {
                By::District => regions().full_name(&code),
                By::Industry => industries()
                    .division(&code)
                    .map(|d| d.name.to_owned())
                    .unwrap_or_default(),
            };
            row(code, name, counts, sum)
        })
        .collect();
    Ok(Distribution {
        by,
        grades,
        jurisdiction,
        rows,
        total: row("total".into(), "合计".into(), all_counts, all_sum),
    })
}
