//! Rendering a stored evaluation for people: contributions that add up to the score, deltas
//! against neutral, top factors and plain Chinese text. Text is made here only, never while
//! evaluating.

use super::model::{Indicator, Kind, Model};
use super::{DimensionScore, Evaluation, Explanation, Factor, IndicatorExplanation, Observation};

/// How many positive and negative factors an explanation lists.
const TOP: usize = 3;

impl Model {
    /// Explains an evaluation computed with this model version.
    ///
    /// Contributions: each indicator's exact share is weight × points / 100 score units; they are
    /// rounded down and the units lost to rounding (score − Σ rounded down) go one each to the
    /// indicators with the largest remainders (ties: model order), so the contributions add up to
    /// the score exactly. Delta: weight × (points − neutral) / 100, rounded half away from zero.
    pub fn explain(&self, evaluation: &Evaluation) -> Explanation {
        let observations: Vec<Option<&Observation>> = self
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| match evaluation.indicators.get(i) {
                Some(o) if o.key == ind.key => Some(o),
                _ => evaluation.indicators.iter().find(|o| o.key == ind.key),
            })
            .collect();
        let points: Vec<u32> = observations
            .iter()
            .zip(&self.indicators)
            .map(|(o, ind)| o.map_or(ind.missing, |o| o.points.min(100)))
            .collect();

        let exact: Vec<u32> = self
            .indicators
            .iter()
            .zip(&points)
            .map(|(ind, p)| ind.weight * p)
            .collect();
        let mut contributions: Vec<u32> = exact.iter().map(|e| e / 100).collect();
        let computed: u32 = exact.iter().sum::<u32>() / 100;
        let mut left = computed.saturating_sub(contributions.iter().sum());
        let mut order: Vec<usize> = (0..exact.len()).collect();
        order.sort_by(|a, b| (exact[*b] % 100).cmp(&(exact[*a] % 100)).then(a.cmp(b)));
        for i in order {
            if left == 0 {
                break;
            }
            if !exact[i].is_multiple_of(100) {
                contributions[i] += 1;
                left -= 1;
            }
        }

        let mut indicators = Vec::with_capacity(self.indicators.len());
        for (i, ind) in self.indicators.iter().enumerate() {
            let value = observations[i].and_then(|o| o.value.as_deref());
            let diff = i64::from(ind.weight) * (i64::from(points[i]) - i64::from(ind.neutral));
            let delta = if diff >= 0 {
                (diff + 50) / 100
            } else {
                -((-diff + 50) / 100)
            };
            indicators.push(IndicatorExplanation {
                key: ind.key.clone(),
                label: ind.label.clone(),
                dimension: self.dimensions[ind.dimension].label.clone(),
                item_keys: ind.item_keys.clone(),
                sensitivity: ind.sensitivity,
                weight: ind.weight,
                points: points[i],
                contribution: contributions[i],
                delta: i32::try_from(delta).unwrap_or(0),
                text: ind.render(value),
                missing: value.is_none(),
            });
        }

        let dimensions = self
            .dimensions
            .iter()
            .enumerate()
            .map(|(di, d)| DimensionScore {
                key: d.key.clone(),
                label: d.label.clone(),
                weight: d.weight,
                points: self
                    .indicators
                    .iter()
                    .zip(&contributions)
                    .filter(|(ind, _)| ind.dimension == di)
                    .map(|(_, c)| *c)
                    .sum(),
            })
            .collect();

        let factor = |e: &IndicatorExplanation| Factor {
            indicator: e.key.clone(),
            text: e.text.clone(),
            delta: e.delta,
            item_keys: e.item_keys.clone(),
            sensitivity: e.sensitivity,
        };
        let mut positive: Vec<&IndicatorExplanation> =
            indicators.iter().filter(|e| e.delta > 0).collect();
        positive.sort_by_key(|e| std::cmp::Reverse(e.delta));
        let mut negative: Vec<&IndicatorExplanation> =
            indicators.iter().filter(|e| e.delta < 0).collect();
        negative.sort_by_key(|e| e.delta);
        let top_positive = positive.into_iter().take(TOP).map(factor).collect();
        let top_negative = negative.into_iter().take(TOP).map(factor).collect();

        let grade = self
            .grades
            .iter()
            .find(|g| g.symbol == evaluation.grade)
            .unwrap_or_else(|| self.grade_for(evaluation.score));
        let mut grade_meaning = grade.meaning.clone();
        if grade.symbol != self.grade_for(evaluation.score).symbol {
            let reasons: Vec<&str> = self
                .applying_caps(|i| points.get(i).copied())
                .map(|(_, cap)| cap.reason.as_str())
                .collect();
            if !reasons.is_empty() {
                grade_meaning = format!("{grade_meaning}（{}）", reasons.join("；"));
            }
        }
        Explanation {
            model_version: self.version,
            model_name: self.name.clone(),
            score: evaluation.score,
            grade: evaluation.grade.clone(),
            grade_label: grade.label.clone(),
            grade_meaning,
            dimensions,
            indicators,
            top_positive,
            top_negative,
        }
    }
}

impl Indicator {
    /// The indicator's sentence for an observed value (`None`: missing data).
    fn render(&self, value: Option<&str>) -> String {
        let Some(value) = value else {
            return self.missing_text.clone();
        };
        let shown = match &self.kind {
            Kind::Flag { .. } => match value {
                "true" => "是",
                "false" => "否",
                other => other,
            },
            _ => value,
        };
        let yes = match &self.kind {
            Kind::Exists { .. } => Some(value != "0"),
            Kind::Flag { .. } => Some(value == "true"),
            _ => None,
        };
        let template = match yes {
            Some(true) => self.text_yes.as_deref().unwrap_or(&self.text),
            Some(false) => self.text_no.as_deref().unwrap_or(&self.text),
            None => &self.text,
        };
        template.replace("{v}", shown)
    }
}
