//! Applying a model to one enterprise: one pass over its records, integer arithmetic only.

use super::model::{Indicator, Kind, MasterField, Model, Treatment};
use super::select::{Tally, key_of, present};
use super::{Evaluation, FactRecord, Observation, SubjectFacts};
use crate::money::Fen;
use chrono::{Datelike, NaiveDate};
use serde_json::Value;

impl Model {
    /// Evaluates one enterprise as of `today` (windows such as "the last 12 months" end on it).
    ///
    /// score = ⌊Σ weightᵢ × pointsᵢ / 100⌋ over all indicators (weights in ‰ of 1000, points
    /// 0..=100), so 0..=1000; the grade is the first whose minimum the score reaches.
    pub fn evaluate(&self, facts: &SubjectFacts<'_>, today: NaiveDate) -> Evaluation {
        let rules = self.rules;
        let tallies = self.dispatch.scan(
            self.indicators.len(),
            |i| self.indicators[i].selector.as_ref(),
            facts.records,
            today,
            |i, record| {
                let indicator = &self.indicators[i];
                // Value kinds: only records that meet the conditions and carry a readable value
                // may supply it; the most recent of them does.
                if indicator.reads_value()
                    && !(indicator
                        .selector
                        .as_ref()
                        .is_some_and(|s| s.matches(&record.values))
                        && indicator.value_points(record).is_some())
                {
                    return true;
                }
                let flagged = (record.objection_pending
                    && rules.objection_pending == Treatment::ExcludeAdverse)
                    || (record.repaired && rules.repaired == Treatment::ExcludeAdverse);
                flagged && indicator.standalone_points(record) < indicator.neutral
            },
        );
        let mut total: u64 = 0;
        let mut observations = Vec::with_capacity(self.indicators.len());
        for (indicator, tally) in self.indicators.iter().zip(&tallies) {
            let (points, value) = indicator.outcome(tally, facts, today);
            let points = self.self_declared(indicator, tally, facts.records, points);
            total += u64::from(indicator.weight) * u64::from(points);
            observations.push(Observation {
                key: indicator.key.clone(),
                points,
                value,
            });
        }
        let score = u32::try_from(total / 100).unwrap_or(u32::MAX).min(1000);
        let mut grade = self.grade_index(score);
        for (cap, _) in self.applying_caps(|i| observations.get(i).map(|o: &Observation| o.points))
        {
            grade = grade.max(cap);
        }
        Evaluation {
            model_version: self.version,
            score,
            grade: self.grades[grade].symbol.clone(),
            indicators: observations,
        }
    }

    /// A favourable result resting only on self-declared records keeps `self_declared_percent`
    /// of its gain above neutral (rounded down).
    fn self_declared(
        &self,
        indicator: &Indicator,
        tally: &Tally,
        records: &[FactRecord],
        points: u32,
    ) -> u32 {
        if points <= indicator.neutral || indicator.selector.is_none() {
            return points;
        }
        let rests_on_self_declared = match tally.best {
            Some(best)
                if indicator
                    .selector
                    .as_ref()
                    .is_some_and(|s| s.latest.is_some()) =>
            {
                records[best].self_declared
            }
            _ => tally.count > 0 && tally.all_self_declared,
        };
        if rests_on_self_declared {
            indicator.neutral
                + (points - indicator.neutral) * self.rules.self_declared_percent / 100
        } else {
            points
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whole years from `from` to `to` (0 if `to` is earlier).
pub(crate) fn whole_years(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut years = i64::from(to.year()) - i64::from(from.year());
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years.max(0)
}

impl Indicator {
    /// Whether the indicator reads one value from the most recent record (latest, number, flag).
    pub(crate) fn reads_value(&self) -> bool {
        matches!(
            self.kind,
            Kind::Latest { .. } | Kind::Number { .. } | Kind::Flag { .. }
        )
    }

    /// The points one record would give on its own: a record is ADVERSE for this indicator when
    /// this is below `neutral` (the model's objection and repair rules apply to adverse records).
    pub(crate) fn standalone_points(&self, record: &FactRecord) -> u32 {
        let Some(selector) = &self.selector else {
            return self.neutral;
        };
        match &self.kind {
            Kind::Exists { present, absent } => {
                if selector.matches(&record.values) {
                    *present
                } else {
                    *absent
                }
            }
            Kind::Count { bands } => bands.points(i128::from(selector.matches(&record.values))),
            Kind::Latest { .. } | Kind::Number { .. } | Kind::Flag { .. } => {
                if selector.matches(&record.values) {
                    self.value_points(record).map_or(self.missing, |(p, _)| p)
                } else {
                    self.missing
                }
            }
            Kind::Age { .. } | Kind::Master { .. } => self.neutral,
        }
    }

    /// Points and observed value from the one record a latest/number/flag indicator reads.
    fn value_points<'r>(&self, record: &'r FactRecord) -> Option<(u32, &'r Value)> {
        match &self.kind {
            Kind::Latest { field, map, other } => {
                let value = present(record.values.get(field))?;
                let points = match value {
                    Value::String(s) => map.get(s.as_str()).copied(),
                    Value::Bool(b) => map.get(if *b { "true" } else { "false" }).copied(),
                    Value::Number(n) => n.as_i64().and_then(|n| map.get(&n.to_string()).copied()),
                    _ => None,
                };
                Some((points.unwrap_or(*other), value))
            }
            Kind::Number { field, ty, bands } => {
                let value = present(record.values.get(field))?;
                let key = key_of(value, *ty)?;
                Some((bands.points(key), value))
            }
            Kind::Flag {
                field,
                if_true,
                if_false,
            } => {
                let value = present(record.values.get(field))?;
                let b = value.as_bool()?;
                Some((if b { *if_true } else { *if_false }, value))
            }
            _ => None,
        }
    }

    /// Points and observed value (None = missing data) from the pass's tally.
    fn outcome(
        &self,
        tally: &Tally,
        facts: &SubjectFacts<'_>,
        today: NaiveDate,
    ) -> (u32, Option<String>) {
        match &self.kind {
            Kind::Exists { present, absent } => {
                let p = if tally.count > 0 { *present } else { *absent };
                (p, Some(tally.count.to_string()))
            }
            Kind::Count { bands } => (
                bands.points(i128::from(tally.count)),
                Some(tally.count.to_string()),
            ),
            Kind::Latest { .. } | Kind::Number { .. } | Kind::Flag { .. } => {
                let record = match tally.best {
                    Some(best) if tally.count == 1 => &facts.records[best],
                    _ => return (self.missing, None),
                };
                match self.value_points(record) {
                    Some((p, value)) => (p, scalar_text(value)),
                    None => (self.missing, None),
                }
            }
            Kind::Age { bands } => match facts.established {
                Some(established) => {
                    let years = whole_years(established, today);
                    (bands.points(i128::from(years)), Some(years.to_string()))
                }
                None => (self.missing, None),
            },
            Kind::Master { field, bands } => match field {
                MasterField::RegisteredCapital if facts.registered_capital_fen > 0 => {
                    let fen = facts.registered_capital_fen;
                    (
                        bands.points(i128::from(fen)),
                        Some(Fen(fen).display_wan_yuan()),
                    )
                }
                MasterField::Employees if facts.employees > 0 => (
                    bands.points(i128::from(facts.employees)),
                    Some(facts.employees.to_string()),
                ),
                _ => (self.missing, None),
            },
        }
    }
}
