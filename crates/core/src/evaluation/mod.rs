//! 公共信用综合评价 (evaluation): an indicator model kept as data, applied to one enterprise's
//! current records.
//!
//! A [`Model`] is one version of `models/evaluation/vN.toml`, validated against the catalogue at
//! load ([`Model::from_toml`]): dimensions and their weights (‰, summing to 1000), indicators
//! computing points 0..=100 from records with a small set of generic kinds, rules for missing data
//! and for records under objection, repaired or self-declared, and the grade table.
//! [`Model::evaluate`] is pure integer arithmetic and yields the compact [`Evaluation`] that is
//! stored; [`Model::explain`] renders it for people (contributions, top factors, plain Chinese).
//! See `docs/evaluation.md`.

mod engine;
mod explain;
mod model;
pub(crate) mod select;

#[cfg(test)]
mod tests;

use crate::catalog::Sensitivity;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

pub use model::Model;

/// The model versions shipped with this build, oldest first. A shipped version is never edited
/// or removed: stored results name their version and must stay explainable.
const SHIPPED: &[(u32, &str)] = &[(1, include_str!("../../../../models/evaluation/v1.toml"))];

static MODELS: LazyLock<Vec<Model>> = LazyLock::new(|| {
    SHIPPED
        .iter()
        .map(|(version, text)| {
            let model = Model::from_toml(text, crate::catalog::builtin())
                .unwrap_or_else(|e| panic!("shipped evaluation model v{version} is invalid: {e}"));
            assert_eq!(
                model.version(),
                *version,
                "shipped model file names its version"
            );
            model
        })
        .collect()
});

impl Model {
    /// The current model: the newest shipped version, validated against the builtin catalogue.
    pub fn builtin() -> &'static Model {
        MODELS.last().expect("at least one shipped model")
    }

    /// Any shipped version (to explain results computed with an older model).
    pub fn by_version(version: u32) -> Option<&'static Model> {
        MODELS.iter().find(|m| m.version() == version)
    }

    /// Every shipped version, oldest first.
    pub fn shipped() -> &'static [Model] {
        &MODELS
    }
}

/// A model or tag-rules file that cannot be used: a stable machine code (e.g.
/// `evaluation.model_weights`) and a Chinese message naming the culprit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ModelError {
    pub code: &'static str,
    pub message: String,
}

impl ModelError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> ModelError {
        ModelError {
            code,
            message: message.into(),
        }
    }
}

/// What the engine knows about one enterprise: master data and the current version of each of
/// its records.
#[derive(Debug, Clone, Copy)]
pub struct SubjectFacts<'a> {
    pub subject: &'a str,
    /// 成立日期.
    pub established: Option<NaiveDate>,
    /// 注册资本 in fen; 0 or less means unknown.
    pub registered_capital_fen: i64,
    /// 从业人数; 0 or less means unknown.
    pub employees: i32,
    pub records: &'a [FactRecord],
}

/// The CURRENT version of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRecord {
    pub item_key: String,
    /// Normalised payload (or only the fields [`Model::inputs`] names).
    pub values: serde_json::Map<String, serde_json::Value>,
    /// UTC, when the platform received this version.
    pub created_at: NaiveDateTime,
    /// 异议处理中.
    pub objection_pending: bool,
    /// 已信用修复.
    pub repaired: bool,
    /// 企业自主填报.
    pub self_declared: bool,
}

/// What is STORED for a result: compact, enough to explain later with the same model version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub model_version: u32,
    /// 0..=1000.
    pub score: u32,
    /// The model's grade symbol, e.g. "A+".
    pub grade: String,
    /// One per indicator, in model order.
    pub indicators: Vec<Observation>,
}

/// One indicator's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub key: String,
    /// 0..=100.
    pub points: u32,
    /// The observed value, short (e.g. "A", "3", "true"); `None` = missing data.
    pub value: Option<String>,
}

/// An evaluation rendered for people (never stored).
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub model_version: u32,
    pub model_name: String,
    pub score: u32,
    pub grade: String,
    pub grade_label: String,
    pub grade_meaning: String,
    pub dimensions: Vec<DimensionScore>,
    pub indicators: Vec<IndicatorExplanation>,
    /// ≤ 3, largest positive delta first.
    pub top_positive: Vec<Factor>,
    /// ≤ 3, most negative delta first.
    pub top_negative: Vec<Factor>,
}

/// One dimension (维度) of an explanation.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionScore {
    pub key: String,
    pub label: String,
    /// ‰ of 1000: the most this dimension can contribute.
    pub weight: u32,
    /// Score units earned (sum of its indicators' contributions).
    pub points: u32,
}

/// One indicator (指标) of an explanation.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorExplanation {
    pub key: String,
    pub label: String,
    /// The dimension's label.
    pub dimension: String,
    /// Catalogue items the indicator reads (empty is never the case: master-data indicators
    /// name the item their data comes from).
    pub item_keys: Vec<String>,
    /// The most sensitive level among the fields read.
    pub sensitivity: Sensitivity,
    /// ‰ of 1000.
    pub weight: u32,
    /// 0..=100.
    pub points: u32,
    /// Score units; the contributions of all indicators add up to the score exactly.
    pub contribution: u32,
    /// Score units gained or lost against the indicator's neutral points.
    pub delta: i32,
    /// Plain Chinese with the observed value.
    pub text: String,
    pub missing: bool,
}

/// A top positive or negative factor.
#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    /// The indicator key.
    pub indicator: String,
    pub text: String,
    pub delta: i32,
    pub item_keys: Vec<String>,
    pub sensitivity: Sensitivity,
}

/// 信用等级: one row of the model's grade table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grade {
    pub symbol: String,
    pub label: String,
    pub min_score: u32,
    pub meaning: String,
}

/// 等级上限 (一票否决): while the indicator's points are at most `max_points` (e.g. a current
/// 失信被执行人 listing), the grade is at most `grade`, whatever the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradeCap {
    pub indicator: String,
    pub max_points: u32,
    pub grade: String,
    pub reason: String,
}
