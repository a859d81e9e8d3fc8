use super::*;
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn facts() -> Facts {
    Facts {
        grade: Some("A".into()),
        tags: vec!["high_tech".into(), "tax_credit_a".into()],
        size_class: Some(SizeClass::Small),
        established: Some(day(2020, 3, 15)),
        industry_code: Some("39".into()),
        region_code: Some("410105".into()),
        whitelisted: true,
        green: false,
    }
}

const TODAY: fn() -> NaiveDate = || day(2026, 11, 25);

#[test]
fn an_open_rule_admits_everyone_with_no_checks() {
    let rule = Eligibility::default();
    assert!(rule.is_open());
    assert!(rule.validate().is_ok());
    let a = assess(&rule, &Facts::default(), TODAY());
    assert!(a.eligible());
    assert!(a.checks.is_empty());
    assert!(rule.describe_zh().is_empty());
}

#[test]
fn every_criterion_gives_one_check_with_its_reason() {
    let rule = Eligibility {
        min_grade: Some("B+".into()),
        required_tags: vec!["high_tech".into()],
        excluded_tags: vec!["dishonest_debtor".into()],
        size_classes: vec![SizeClass::Small, SizeClass::Micro],
        min_age_months: Some(24),
        max_age_months: None,
        industries: vec!["C".into()],
        regions: vec!["4101".into()],
        whitelist_required: true,
        green_required: true,
    };
    rule.validate().expect("valid rule");
    let a = assess(&rule, &facts(), TODAY());
    assert_eq!(a.checks.len(), 9);
    let unmet: Vec<Criterion> = a.unmet().map(|c| c.criterion).collect();
    assert_eq!(unmet, vec![Criterion::Green]);
    assert!(!a.eligible());
    let grade = &a.checks[0];
    assert_eq!(grade.reason_zh, "评价等级 A，满足 B+ 及以上");
    let industry = a
        .checks
        .iter()
        .find(|c| c.criterion == Criterion::Industry)
        .expect("industry check");
    assert!(industry.met, "division 39 is in section C");
    assert!(industry.reason_zh.contains("计算机"));
    assert_eq!(rule.describe_zh().len(), 9);
}

#[test]
fn grades_compare_best_first_and_a_missing_grade_fails() {
    let rule = Eligibility {
        min_grade: Some("A".into()),
        ..Eligibility::default()
    };
    for (grade, ok) in [("A+", true), ("A", true), ("B+", false), ("D", false)] {
        let f = Facts {
            grade: Some(grade.into()),
            ..Facts::default()
        };
        assert_eq!(assess(&rule, &f, TODAY()).eligible(), ok, "{grade}");
    }
    let none = assess(&rule, &Facts::default(), TODAY());
    assert!(!none.eligible());
    assert!(none.checks[0].reason_zh.contains("尚无评价等级"));
}

#[test]
fn age_counts_whole_months() {
    let rule = Eligibility {
        min_age_months: Some(12),
        max_age_months: Some(36),
        ..Eligibility::default()
    };
    let at = |established| Facts {
        established: Some(established),
        ..Facts::default()
    };
    assert!(!assess(&rule, &at(day(2025, 11, 26)), TODAY()).eligible());
    assert!(assess(&rule, &at(day(2025, 11, 25)), TODAY()).eligible());
    assert!(assess(&rule, &at(day(2023, 11, 25)), TODAY()).eligible());
    let old = assess(&rule, &at(day(2023, 10, 24)), TODAY());
    assert!(!old.eligible());
    assert!(old.checks[0].reason_zh.contains("超过 3 年"));
}

#[test]
fn region_prefixes_match_the_county() {
    let rule = Eligibility {
        regions: vec!["410102".into(), "4115".into()],
        ..Eligibility::default()
    };
    let at = |code: &str| Facts {
        region_code: Some(code.into()),
        ..Facts::default()
    };
    assert!(assess(&rule, &at("410102"), TODAY()).eligible());
    assert!(assess(&rule, &at("411502"), TODAY()).eligible());
    assert!(!assess(&rule, &at("410105"), TODAY()).eligible());
    assert!(!assess(&rule, &Facts::default(), TODAY()).eligible());
}

#[test]
fn bad_rules_are_refused_with_stable_codes() {
    let cases = [
        (
            Eligibility {
                min_grade: Some("AA".into()),
                ..Eligibility::default()
            },
            "eligibility.grade",
        ),
        (
            Eligibility {
                required_tags: vec!["no_such_tag".into()],
                ..Eligibility::default()
            },
            "eligibility.tag",
        ),
        (
            Eligibility {
                required_tags: vec!["high_tech".into()],
                excluded_tags: vec!["high_tech".into()],
                ..Eligibility::default()
            },
            "eligibility.tag_conflict",
        ),
        (
            Eligibility {
                industries: vec!["99".into()],
                ..Eligibility::default()
            },
            "eligibility.industry",
        ),
        (
            Eligibility {
                regions: vec!["419".into()],
                ..Eligibility::default()
            },
            "eligibility.region",
        ),
        (
            Eligibility {
                min_age_months: Some(40),
                max_age_months: Some(12),
                ..Eligibility::default()
            },
            "eligibility.age",
        ),
    ];
    for (rule, code) in cases {
        assert_eq!(rule.validate().expect_err(code).code, code);
    }
}

#[test]
fn unknown_fields_in_stored_rules_are_refused() {
    let err = serde_json::from_str::<Eligibility>(r#"{"min_grad":"A"}"#).expect_err("typo");
    assert!(err.to_string().contains("min_grad"));
    let rule: Eligibility =
        serde_json::from_str(r#"{"min_grade":"B","size_classes":["micro"]}"#).expect("parses");
    assert_eq!(rule.size_classes, vec![SizeClass::Micro]);
}

fn any_grade() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(proptest::sample::select(GRADES.to_vec()).prop_map(str::to_owned))
}

fn any_tags() -> impl Strategy<Value = Vec<String>> {
    proptest::sample::subsequence(
        vec![
            "high_tech",
            "srdi",
            "dishonest_debtor",
            "tax_arrears",
            "has_patent",
        ],
        0..4,
    )
    .prop_map(|v| v.into_iter().map(str::to_owned).collect())
}

proptest! {
    /// Eligible exactly when every check is met; one check per restricting criterion; adding a
    /// criterion never turns an ineligible enterprise eligible.
    #[test]
    fn restricting_more_never_admits_more(
        min_grade in any_grade(),
        required in any_tags(),
        grade in any_grade(),
        tags in any_tags(),
        whitelisted in any::<bool>(),
        whitelist_required in any::<bool>(),
    ) {
        let facts = Facts { grade, tags, whitelisted, ..Facts::default() };
        let loose = Eligibility { min_grade: min_grade.clone(), ..Eligibility::default() };
        let strict = Eligibility {
            min_grade,
            required_tags: required,
            whitelist_required,
            ..Eligibility::default()
        };
        let a = assess(&loose, &facts, TODAY());
        let b = assess(&strict, &facts, TODAY());
        prop_assert_eq!(b.eligible(), b.checks.iter().all(|c| c.met));
        prop_assert!(!b.eligible() || a.eligible());
        let restricting = usize::from(strict.min_grade.is_some())
            + strict.required_tags.len()
            + usize::from(strict.whitelist_required);
        prop_assert_eq!(b.checks.len(), restricting);
    }
}
