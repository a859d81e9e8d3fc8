//! A stored result as one reader may see it, shaped by the ONE access decision
//! (`crate::access::Facts`): the score and the grade need a basis for reading the subject at
//! all; each indicator, factor and tag is shown only when the reader's verdict on every item it
//! reads shows that item's sensitivity level in clear — otherwise its text is replaced by the
//! reason and how to obtain it (never the value, never a hint of it).

use super::StoredEvaluation;
use crate::access::Facts;
use chrono::{DateTime, Utc};
use serde::Serialize;
use xinrong_core::access::{Basis, Disclosure, Notice};
use xinrong_core::catalog::{Polarity, Sensitivity};
use xinrong_core::evaluation::{DimensionScore, Model};
use xinrong_core::profile::TagRules;

/// One indicator as the reader receives it.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub key: String,
    pub label: String,
    /// The dimension's label.
    pub dimension: String,
    pub item_keys: Vec<String>,
    pub sensitivity: Sensitivity,
    /// ‰ of 1000.
    pub weight: u32,
    /// Whether the reader may see this indicator's outcome.
    pub shown: bool,
    /// 0..=100 (absent when not shown).
    pub points: Option<u32>,
    /// Score units (absent when not shown).
    pub contribution: Option<u32>,
    /// Against the indicator's neutral points (absent when not shown).
    pub delta: Option<i32>,
    /// Plain Chinese; the reason it is not shown, when it is not.
    pub text: String,
    pub missing: Option<bool>,
}

/// A top positive or negative factor as the reader receives it.
#[derive(Debug, Clone, Serialize)]
pub struct FactorView {
    pub indicator: String,
    pub shown: bool,
    /// Plain Chinese; the reason it is not shown, when it is not.
    pub text: String,
    pub delta: Option<i32>,
}

/// A profile tag (画像标签) as the reader receives it. A tag the reader may not see has no key,
/// label or polarity: even its existence would disclose the data behind it.
#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    pub key: String,
    pub label: String,
    pub polarity: Option<Polarity>,
    pub meaning: String,
    pub shown: bool,
}

/// An evaluation as one reader receives it.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationView {
    pub subject: String,
    pub model_version: u32,
    pub model_name: String,
    /// 0..=1000.
    pub score: u32,
    pub grade: String,
    pub grade_label: String,
    pub grade_meaning: String,
    pub dimensions: Vec<DimensionScore>,
    pub indicators: Vec<IndicatorView>,
    /// ≤ 3, largest gain first.
    pub top_positive: Vec<FactorView>,
    /// ≤ 3, largest loss first.
    pub top_negative: Vec<FactorView>,
    pub tags: Vec<TagView>,
    pub tag_rules_version: u32,
    pub evaluated_at: DateTime<Utc>,
    /// Why the reader may read the evaluation (the most generous basis any indicator had).
    pub basis: Basis,
    /// The authorization relied on, when one was.
    pub authorization_id: Option<String>,
    /// Why some parts are not shown, and how to obtain them (distinct).
    pub notices: Vec<Notice>,
    /// The access-log entry of this read (absent for the subject's own reads).
    pub access_id: Option<String>,
}

/// Whether every item of `item_keys` is shown in clear at `sensitivity`; otherwise the notice
/// to show instead.
fn judge(
    facts: &Facts,
    purpose: Option<&str>,
    item_keys: &[String],
    sensitivity: Sensitivity,
    basis: &mut Basis,
) -> Result<(), Notice> {
    let catalog = crate::catalog::current();
    for key in item_keys {
        let Some(item) = catalog.item(key) else {
            continue;
        };
        let verdict = facts.verdict(item, purpose, None, None, false);
        if matches!(verdict.basis, Basis::Authorization { .. })
            || (*basis == Basis::None && verdict.discloses_anything())
        {
            *basis = verdict.basis.clone();
        }
        if verdict.for_level(sensitivity) != Disclosure::Show {
            return Err(verdict.notice.unwrap_or(Notice {
                code: "access.denied",
                message: crate::access::DENIED_MESSAGE.into(),
            }));
        }
    }
    Ok(())
}

fn hidden_text(notice: &Notice) -> String {
    format!("未提供：{}", notice.message)
}

/// Shapes `stored` for the reader `facts` describe, with the stated purpose (its code).
pub fn shape(
    stored: &StoredEvaluation,
    facts: &Facts,
    purpose_code: Option<&str>,
) -> EvaluationView {
    let mut notices: Vec<Notice> = Vec::new();
    let mut note = |n: Notice| {
        if !notices.iter().any(|m| m.code == n.code) {
            notices.push(n);
        }
    };
    let mut basis = Basis::None;
    let evaluation = &stored.evaluation;
    let mut view = EvaluationView {
        subject: stored.subject.clone(),
        model_version: evaluation.model_version,
        model_name: String::new(),
        score: evaluation.score,
        grade: evaluation.grade.clone(),
        grade_label: String::new(),
        grade_meaning: String::new(),
        dimensions: Vec::new(),
        indicators: Vec::new(),
        top_positive: Vec::new(),
        top_negative: Vec::new(),
        tags: Vec::new(),
        tag_rules_version: stored.tag_rules_version,
        evaluated_at: stored.evaluated_at.and_utc(),
        basis: Basis::None,
        authorization_id: None,
        notices: Vec::new(),
        access_id: None,
    };
    match Model::by_version(evaluation.model_version) {
        Some(model) => {
            let explanation = model.explain(evaluation);
            view.model_name = explanation.model_name;
            view.grade_label = explanation.grade_label;
            view.grade_meaning = explanation.grade_meaning;
            view.dimensions = explanation.dimensions;
            for i in explanation.indicators {
                let verdict = judge(facts, purpose_code, &i.item_keys, i.sensitivity, &mut basis);
                let shown = verdict.is_ok();
                let text = match verdict {
                    Ok(()) => i.text,
                    Err(n) => {
                        let t = hidden_text(&n);
                        note(n);
                        t
                    }
                };
                view.indicators.push(IndicatorView {
                    key: i.key,
                    label: i.label,
                    dimension: i.dimension,
                    item_keys: i.item_keys,
                    sensitivity: i.sensitivity,
                    weight: i.weight,
                    shown,
                    points: shown.then_some(i.points),
                    contribution: shown.then_some(i.contribution),
                    delta: shown.then_some(i.delta),
                    text,
                    missing: shown.then_some(i.missing),
                });
            }
            for (factors, out) in [
                (explanation.top_positive, &mut view.top_positive),
                (explanation.top_negative, &mut view.top_negative),
            ] {
                for f in factors {
                    match judge(facts, purpose_code, &f.item_keys, f.sensitivity, &mut basis) {
                        Ok(()) => out.push(FactorView {
                            indicator: f.indicator,
                            shown: true,
                            text: f.text,
                            delta: Some(f.delta),
                        }),
                        Err(n) => {
                            out.push(FactorView {
                                indicator: f.indicator,
                                shown: false,
                                text: hidden_text(&n),
                                delta: None,
                            });
                            note(n);
                        }
                    }
                }
            }
        }
        None => note(Notice {
            code: "evaluation.model_unavailable",
            message: format!(
                "评价模型第 {} 版未随本程序发布，无法展开指标说明",
                evaluation.model_version
            ),
        }),
    }
    let rules = TagRules::by_version(stored.tag_rules_version);
    for key in &stored.tags {
        let Some(rule) = rules.and_then(|r| r.describe(key)) else {
            continue;
        };
        match judge(
            facts,
            purpose_code,
            &rule.item_keys,
            rule.sensitivity,
            &mut basis,
        ) {
            Ok(()) => view.tags.push(TagView {
                key: rule.key.clone(),
                label: rule.label.clone(),
                polarity: Some(rule.polarity),
                meaning: rule.meaning.clone(),
                shown: true,
            }),
            Err(n) => {
                view.tags.push(TagView {
                    key: String::new(),
                    label: hidden_text(&n),
                    polarity: None,
                    meaning: String::new(),
                    shown: false,
                });
                note(n);
            }
        }
    }
    if basis == Basis::None {
        // No indicator named an item (a model without explanation): the subject-level basis.
        if let Some(item) = crate::catalog::current().items.first() {
            basis = facts.verdict(item, purpose_code, None, None, false).basis;
        }
    }
    if let Basis::Authorization { id } = &basis {
        view.authorization_id = Some(id.clone());
    }
    view.basis = basis;
    view.notices = notices;
    view
}
