use super::*;
use crate::catalog::builtin as catalog;
use crate::profile::TagRules;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

#[test]
fn builtin_model_and_tag_rules_load() {
    let model = Model::builtin();
    assert_eq!(model.version(), 1);
    assert!(Model::by_version(1).is_some());
    assert!(Model::by_version(999).is_none());
    assert!(!model.inputs().is_empty());
    let rules = TagRules::builtin();
    assert_eq!(rules.version(), 1);
    assert!(rules.describe("dishonest_debtor").is_some());
    let _ = catalog();
}

#[test]
fn no_records_at_all_gets_missing_points_and_a_grade() {
    let model = Model::builtin();
    let facts = SubjectFacts {
        subject: "91110000MA0000000X",
        established: None,
        registered_capital_fen: 0,
        employees: 0,
        records: &[],
    };
    let e = model.evaluate(&facts, today());
    assert!(e.score <= 1000);
    assert!(model.grades().iter().any(|g| g.symbol == e.grade));
    let x = model.explain(&e);
    assert_eq!(
        x.indicators.iter().map(|i| i.contribution).sum::<u32>(),
        e.score
    );
    eprintln!("{}", serde_json::to_string_pretty(&x).unwrap());
}
