use super::*;
use crate::catalog::builtin as catalog;
use crate::profile::TagRules;
use proptest::prelude::*;
use serde_json::{Value, json};

const MODEL: &str = include_str!("../../../../models/evaluation/v1.toml");
const TAGS: &str = include_str!("../../../../models/profile/v1.toml");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn at(days_ago: i64) -> NaiveDateTime {
    (today() - chrono::Duration::days(days_ago))
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

fn rec(item: &str, values: Value) -> FactRecord {
    FactRecord {
        item_key: item.to_owned(),
        values: values.as_object().cloned().unwrap(),
        created_at: at(10),
        objection_pending: false,
        repaired: false,
        self_declared: false,
    }
}

fn facts(records: &[FactRecord]) -> SubjectFacts<'_> {
    SubjectFacts {
        subject: "91110000MA0000000X",
        established: None,
        registered_capital_fen: 0,
        employees: 0,
        records,
    }
}

fn evaluate(records: &[FactRecord]) -> Evaluation {
    Model::builtin().evaluate(&facts(records), today())
}

fn points(e: &Evaluation, key: &str) -> u32 {
    e.indicators.iter().find(|o| o.key == key).unwrap().points
}

fn value<'a>(e: &'a Evaluation, key: &str) -> Option<&'a str> {
    e.indicators
        .iter()
        .find(|o| o.key == key)
        .unwrap()
        .value
        .as_deref()
}

/// An ordinary, well-behaved enterprise.
fn good_enterprise() -> Vec<FactRecord> {
    vec![
        rec(
            "market_registration.business_license",
            json!({"registration_status": "存续", "establishment_date": "2018-03-01"}),
        ),
        rec(
            "tax.tax_credit_rating",
            json!({"rating_year": 2025, "tax_credit_grade": "B"}),
        ),
        rec("tax.tax_arrears", json!({"has_tax_arrears": false})),
        rec(
            "social_insurance.pension_payment_statistics",
            json!({"consecutive_normal_months_24m": 24, "has_arrears": false, "monthly_insured_headcount_24m": 35}),
        ),
        rec(
            "housing_fund.deposit_statistics_12m",
            json!({"consecutive_normal_months_12m": 12}),
        ),
        rec(
            "utilities.electricity_account",
            json!({"service_address": "1", "arrears_amount": "0.00"}),
        ),
        rec(
            "market_registration.annual_report",
            json!({"report_year": 2025, "net_profit": "560000.00", "total_tax_paid": "320000.00", "total_operating_revenue": "12000000"}),
        ),
    ]
}

fn good_facts(records: &[FactRecord]) -> SubjectFacts<'_> {
    SubjectFacts {
        subject: "91110000MA0000000X",
        established: NaiveDate::from_ymd_opt(2018, 3, 1),
        registered_capital_fen: 500_000_000,
        employees: 35,
        records,
    }
}

// ─── Loading and validation ──────────────────────────────────────────────────────────────────

#[test]
fn builtin_model_and_tag_rules_load() {
    let model = Model::builtin();
    assert_eq!(model.version(), 1);
    assert!(Model::by_version(1).is_some());
    assert!(Model::by_version(999).is_none());
    assert_eq!(model.grades().last().unwrap().min_score, 0);
    assert!(model.inputs()["tax.tax_credit_rating"].contains(&"tax_credit_grade".to_owned()));
    assert!(model.inputs()["tax.tax_credit_rating"].contains(&"rating_year".to_owned()));
    let rules = TagRules::builtin();
    assert_eq!(rules.version(), 1);
    for key in [
        "tax_credit_a",
        "high_tech",
        "srdi",
        "si_24m_normal",
        "dishonest_debtor",
        "abnormal_operation",
        "penalty_12m",
        "tax_arrears",
    ] {
        assert!(rules.describe(key).is_some(), "{key}");
    }
    // Every item and field the files name is in the catalogue (checked at load), and every
    // indicator names its sources.
    let x = model.explain(&evaluate(&[]));
    assert!(x.indicators.iter().all(|i| !i.item_keys.is_empty()));
}

fn bad_model(text: &str) -> ModelError {
    Model::from_toml(text, catalog()).expect_err("model must be rejected")
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "fixture text {from:?} must occur once"
    );
    text.replacen(from, to, 1)
}

#[test]
fn model_syntax_errors_are_rejected() {
    let e = bad_model("version = 1\nname = ");
    assert_eq!(e.code, "evaluation.model_syntax");
    let e = bad_model(&replace_once(
        MODEL,
        "neutral = 70\ntext = \"成立",
        "neutrl = 70\ntext = \"成立",
    ));
    assert_eq!(e.code, "evaluation.model_syntax");
    assert!(e.message.contains("neutrl"), "{}", e.message);
}

#[test]
fn dimension_weights_must_add_up() {
    let e = bad_model(&replace_once(
        MODEL,
        "label = \"基础信息\"\nweight = 80",
        "label = \"基础信息\"\nweight = 90",
    ));
    assert_eq!(e.code, "evaluation.model_weights");
    assert!(e.message.contains("1010"), "{}", e.message);
}

#[test]
fn indicator_weights_must_add_up_to_their_dimension() {
    let text = replace_once(
        MODEL,
        "label = \"基础信息\"\nweight = 80",
        "label = \"基础信息\"\nweight = 85",
    );
    let text = replace_once(
        &text,
        "label = \"经营状况\"\nweight = 120",
        "label = \"经营状况\"\nweight = 115",
    );
    let e = bad_model(&text);
    assert_eq!(e.code, "evaluation.model_weights");
    assert!(e.message.contains("基础信息"), "{}", e.message);
}

#[test]
fn unknown_items_are_rejected() {
    let e = bad_model(&replace_once(
        MODEL,
        "items = [\"tax.tax_credit_rating\"]",
        "items = [\"tax.no_such_item\"]",
    ));
    assert_eq!(e.code, "evaluation.model_unknown_item");
    assert!(e.message.contains("tax.no_such_item"), "{}", e.message);
    assert!(
        e.message.contains("tax_credit_grade"),
        "names the indicator: {}",
        e.message
    );
}

#[test]
fn unknown_fields_and_wrong_field_types_are_rejected() {
    let e = bad_model(&replace_once(
        MODEL,
        "field = \"tax_credit_grade\"",
        "field = \"tax_credit_grde\"",
    ));
    assert_eq!(e.code, "evaluation.model_unknown_field");
    assert!(e.message.contains("tax_credit_grde"), "{}", e.message);
    // A flag must read a boolean field.
    let e = bad_model(&replace_once(
        MODEL,
        "field = \"has_tax_arrears\"",
        "field = \"tax_arrears_amount\"",
    ));
    assert_eq!(e.code, "evaluation.model_unknown_field");
    // A window needs a date or month field.
    let e = bad_model(&replace_once(
        MODEL,
        "date_field = \"enforcement_date\"",
        "date_field = \"case_no\"",
    ));
    assert_eq!(e.code, "evaluation.model_unknown_field");
    // A condition's value must fit the field's type.
    let e = bad_model(&replace_once(
        MODEL,
        "where = [{ field = \"is_on_abnormal_list\", eq = true }]",
        "where = [{ field = \"is_on_abnormal_list\", eq = \"是\" }]",
    ));
    assert_eq!(e.code, "evaluation.model_unknown_field");
}

#[test]
fn grades_must_descend_and_cover_zero() {
    let e = bad_model(&replace_once(MODEL, "min_score = 800", "min_score = 900"));
    assert_eq!(e.code, "evaluation.model_grades");
    let e = bad_model(&replace_once(MODEL, "min_score = 0", "min_score = 100"));
    assert_eq!(e.code, "evaluation.model_grades");
    assert!(e.message.contains('D'), "{}", e.message);
}

#[test]
fn duplicate_keys_are_rejected() {
    let e = bad_model(&replace_once(
        MODEL,
        "key = \"tax_abnormal\"",
        "key = \"tax_arrears\"",
    ));
    assert_eq!(e.code, "evaluation.model_duplicate");
    assert!(e.message.contains("tax_arrears"), "{}", e.message);
    let e = bad_model(&replace_once(MODEL, "symbol = \"B+\"", "symbol = \"A\""));
    assert_eq!(e.code, "evaluation.model_duplicate");
}

#[test]
fn points_outside_0_to_100_are_rejected() {
    let e = bad_model(&replace_once(
        MODEL,
        "\"A\" = 100, \"B\" = 80",
        "\"A\" = 120, \"B\" = 80",
    ));
    assert_eq!(e.code, "evaluation.model_points");
    assert!(e.message.contains("tax_credit_grade"), "{}", e.message);
}

#[test]
fn grade_caps_must_name_known_indicators_and_grades() {
    let e = bad_model(&replace_once(
        MODEL,
        "indicator = \"jud_dishonest\"",
        "indicator = \"jud_dishonst\"",
    ));
    assert_eq!(e.code, "evaluation.model_grades");
    assert!(e.message.contains("jud_dishonst"), "{}", e.message);
    let e = bad_model(&replace_once(
        MODEL,
        "grade = \"C\"\nreason = \"被列为失信被执行人",
        "grade = \"E\"\nreason = \"被列为失信被执行人",
    ));
    assert_eq!(e.code, "evaluation.model_grades");
}

#[test]
fn misused_indicator_parameters_are_rejected() {
    // Unknown dimension.
    let e = bad_model(&replace_once(
        MODEL,
        "dimension = \"social\"\nweight = 5",
        "dimension = \"socail\"\nweight = 5",
    ));
    assert_eq!(e.code, "evaluation.model_indicator");
    // A parameter of another kind.
    let e = bad_model(&replace_once(
        MODEL,
        "if_true = 0\nif_false = 100\nmissing = 100\nneutral = 100\ntext = \"欠税",
        "present = 0\nif_true = 0\nif_false = 100\nmissing = 100\nneutral = 100\ntext = \"欠税",
    ));
    assert_eq!(e.code, "evaluation.model_indicator");
    // Bands out of order.
    let e = bad_model(&replace_once(
        MODEL,
        "{ min = 1, points = 60 }, { min = 3, points = 20 }",
        "{ min = 3, points = 60 }, { min = 1, points = 20 }",
    ));
    assert_eq!(e.code, "evaluation.model_indicator");
    // A placeholder other than {v}.
    let e = bad_model(&replace_once(
        MODEL,
        "text = \"近12个月行政处罚 {v} 次\"",
        "text = \"近12个月行政处罚 {n} 次\"",
    ));
    assert_eq!(e.code, "evaluation.model_indicator");
    assert!(e.message.contains("{n}"), "{}", e.message);
    let e = bad_model(&replace_once(
        MODEL,
        "self_declared_percent = 50",
        "self_declared_percent = 150",
    ));
    assert_eq!(e.code, "evaluation.model_rules");
}

fn bad_tags(text: &str) -> ModelError {
    TagRules::from_toml(text, catalog()).expect_err("rules must be rejected")
}

#[test]
fn tag_rule_errors_are_rejected() {
    assert_eq!(bad_tags("version = ").code, "profile.rules_syntax");
    let e = bad_tags(&replace_once(
        TAGS,
        "items = [\"intellectual_property.patents\"]",
        "items = [\"ip.patents\"]",
    ));
    assert_eq!(e.code, "profile.rules_unknown_item");
    assert!(e.message.contains("has_patent"), "{}", e.message);
    let e = bad_tags(&replace_once(
        TAGS,
        "field = \"tax_credit_grade\"",
        "field = \"grade\"",
    ));
    assert_eq!(e.code, "profile.rules_unknown_field");
    let e = bad_tags(&replace_once(TAGS, "key = \"tech_sme\"", "key = \"srdi\""));
    assert_eq!(e.code, "profile.rules_duplicate");
    let e = bad_tags(&replace_once(
        TAGS,
        "window_months = 36",
        "window_months = 0",
    ));
    assert_eq!(e.code, "profile.rules_invalid");
}

// ─── Known facts per indicator kind ──────────────────────────────────────────────────────────

#[test]
fn no_records_at_all_gets_missing_points_and_a_grade() {
    let model = Model::builtin();
    let e = evaluate(&[]);
    assert!(e.score <= 1000);
    assert_eq!(e.grade, model.grade_for(e.score).symbol);
    assert_eq!(
        e.grade, "B",
        "no data at all is an average enterprise, score {}",
        e.score
    );
    for (o, ind) in e.indicators.iter().zip(&model.indicators) {
        if o.value.is_none() {
            assert_eq!(o.points, ind.missing, "{}", o.key);
        }
    }
    assert_eq!(points(&e, "tax_credit_grade"), 40);
    assert_eq!(value(&e, "tax_credit_grade"), None);
    assert_eq!(value(&e, "basic_age"), None);
    assert_eq!(value(&e, "jud_dishonest"), Some("0"));
    let x = model.explain(&e);
    assert_eq!(
        x.indicators.iter().map(|i| i.contribution).sum::<u32>(),
        e.score
    );
    assert!(
        x.indicators
            .iter()
            .find(|i| i.key == "tax_credit_grade")
            .unwrap()
            .missing
    );
}

#[test]
fn a_good_enterprise_grades_well_and_explains_itself() {
    let model = Model::builtin();
    let records = good_enterprise();
    let e = model.evaluate(&good_facts(&records), today());
    assert!(e.score >= 750, "score {}", e.score);
    let x = model.explain(&e);
    assert_eq!(
        x.indicators.iter().map(|i| i.contribution).sum::<u32>(),
        e.score
    );
    let grade = x
        .indicators
        .iter()
        .find(|i| i.key == "tax_credit_grade")
        .unwrap();
    assert_eq!(grade.text, "纳税信用等级 B 级");
    let age = x.indicators.iter().find(|i| i.key == "basic_age").unwrap();
    assert_eq!(age.text, "成立 8 年");
    let capital = x
        .indicators
        .iter()
        .find(|i| i.key == "basic_capital")
        .unwrap();
    assert_eq!(capital.text, "注册资本 500.00万元");
    assert!(x.top_positive.len() <= 3 && x.top_negative.len() <= 3);
}

#[test]
fn latest_maps_the_most_recent_record_by_its_order_field() {
    let records = vec![
        rec(
            "tax.tax_credit_rating",
            json!({"rating_year": 2025, "tax_credit_grade": "A"}),
        ),
        rec(
            "tax.tax_credit_rating",
            json!({"rating_year": 2023, "tax_credit_grade": "D"}),
        ),
    ];
    let e = evaluate(&records);
    assert_eq!(points(&e, "tax_credit_grade"), 100);
    assert_eq!(value(&e, "tax_credit_grade"), Some("A"));
    // An unmapped value gets `other`.
    let e = evaluate(&[rec(
        "tax.tax_credit_rating",
        json!({"rating_year": 2025, "tax_credit_grade": "Z"}),
    )]);
    assert_eq!(points(&e, "tax_credit_grade"), 50);
}

#[test]
fn count_uses_the_window_and_bands() {
    let penalty = |date: &str| {
        rec(
            "administrative.administrative_penalty",
            json!({"decision_doc_no": date, "decision_date": date, "fine_amount": "5000.00"}),
        )
    };
    // 2026-11-24 minus 12 months = 2025-11-24, inclusive.
    let records = vec![
        penalty("2026-10-01"),
        penalty("2025-11-24"),
        penalty("2025-11-23"),
    ];
    let e = evaluate(&records);
    assert_eq!(value(&e, "reg_penalty_12m"), Some("2"));
    assert_eq!(points(&e, "reg_penalty_12m"), 40);
    assert_eq!(
        value(&e, "reg_heavy_penalty_36m"),
        Some("0"),
        "fines below 100000"
    );
    let heavy = rec(
        "administrative.administrative_penalty",
        json!({"decision_doc_no": "x", "decision_date": "2024-01-01", "fine_amount": "100000.00"}),
    );
    let e = evaluate(&[heavy]);
    assert_eq!(value(&e, "reg_heavy_penalty_36m"), Some("1"));
    assert_eq!(points(&e, "reg_heavy_penalty_36m"), 50);
    // A future-dated record is outside the window.
    let e = evaluate(&[penalty("2026-12-01")]);
    assert_eq!(value(&e, "reg_penalty_12m"), Some("0"));
}

#[test]
fn number_compares_exact_decimals() {
    let tax = |v: &str| {
        rec(
            "market_registration.annual_report",
            json!({"report_year": 2025, "total_tax_paid": v}),
        )
    };
    assert_eq!(points(&evaluate(&[tax("49999.99")]), "op_tax_paid"), 40);
    assert_eq!(points(&evaluate(&[tax("50000.00")]), "op_tax_paid"), 60);
    assert_eq!(points(&evaluate(&[tax("50000")]), "op_tax_paid"), 60);
    assert_eq!(points(&evaluate(&[tax("not a number")]), "op_tax_paid"), 30);
    assert_eq!(
        value(&evaluate(&[tax("not a number")]), "op_tax_paid"),
        None
    );
    let months = |n: i64| {
        rec(
            "social_insurance.pension_payment_statistics",
            json!({"consecutive_normal_months_24m": n}),
        )
    };
    assert_eq!(points(&evaluate(&[months(11)]), "si_normal_months"), 45);
    assert_eq!(points(&evaluate(&[months(12)]), "si_normal_months"), 70);
    let loss = rec(
        "market_registration.annual_report",
        json!({"report_year": 2025, "net_profit": "-0.01"}),
    );
    assert_eq!(points(&evaluate(&[loss]), "op_net_profit"), 30);
}

#[test]
fn flag_reads_the_boolean_and_missing_means_missing() {
    let arrears = |b: bool| rec("tax.tax_arrears", json!({"has_tax_arrears": b}));
    assert_eq!(points(&evaluate(&[arrears(true)]), "tax_arrears"), 0);
    assert_eq!(points(&evaluate(&[arrears(false)]), "tax_arrears"), 100);
    assert_eq!(value(&evaluate(&[]), "tax_arrears"), None);
    let x = Model::builtin().explain(&evaluate(&[arrears(true)]));
    let i = x
        .indicators
        .iter()
        .find(|i| i.key == "tax_arrears")
        .unwrap();
    assert_eq!(i.text, "当前存在欠税");
    assert!(x.top_negative.iter().any(|f| f.indicator == "tax_arrears"));
}

#[test]
fn age_and_master_data_use_bands() {
    let model = Model::builtin();
    let mut f = facts(&[]);
    f.established = NaiveDate::from_ymd_opt(2016, 11, 25);
    let e = model.evaluate(&f, today());
    assert_eq!(value(&e, "basic_age"), Some("9"), "a day short of 10 years");
    assert_eq!(points(&e, "basic_age"), 85);
    f.established = NaiveDate::from_ymd_opt(2016, 11, 24);
    assert_eq!(points(&model.evaluate(&f, today()), "basic_age"), 100);
    f.registered_capital_fen = 999_999_999; // 999.99999 万元
    assert_eq!(points(&model.evaluate(&f, today()), "basic_capital"), 85);
    f.registered_capital_fen = 1_000_000_000; // 1000 万元
    assert_eq!(points(&model.evaluate(&f, today()), "basic_capital"), 100);
    f.employees = 50;
    assert_eq!(points(&model.evaluate(&f, today()), "op_employees"), 80);
}

#[test]
fn a_dishonest_debtor_scores_lower() {
    let model = Model::builtin();
    let clean = good_enterprise();
    let mut listed = clean.clone();
    listed.push(rec(
        "judicial.dishonest_judgment_debtors",
        json!({"case_no": "(2026)京01执1号", "publish_date": "2026-05-01"}),
    ));
    let a = model.evaluate(&good_facts(&clean), today());
    let b = model.evaluate(&good_facts(&listed), today());
    assert_eq!(a.score - b.score, 80);
    assert_eq!(points(&b, "jud_dishonest"), 0);
    let x = model.explain(&b);
    assert_eq!(x.top_negative[0].indicator, "jud_dishonest");
    assert_eq!(x.top_negative[0].delta, -80);
    // The grade cap: at most C whatever the score.
    assert_eq!(b.grade, "C");
    assert!(
        b.score >= 700,
        "score alone would give a better grade: {}",
        b.score
    );
    assert!(
        x.grade_meaning.contains("失信被执行人"),
        "{}",
        x.grade_meaning
    );
    // A revoked listing does not count.
    listed
        .last_mut()
        .unwrap()
        .values
        .insert("revocation_date".into(), json!("2026-09-01"));
    assert_eq!(model.evaluate(&good_facts(&listed), today()).score, a.score);
}

#[test]
fn objection_pending_and_repaired_adverse_records_do_not_count() {
    let model = Model::builtin();
    let clean = good_enterprise();
    let base = model.evaluate(&good_facts(&clean), today()).score;
    let penalty = rec(
        "administrative.administrative_penalty",
        json!({"decision_doc_no": "x", "decision_date": "2026-06-01", "fine_amount": "200000"}),
    );
    for (objection, repaired) in [(true, false), (false, true), (true, true)] {
        let mut records = clean.clone();
        let mut r = penalty.clone();
        r.objection_pending = objection;
        r.repaired = repaired;
        records.push(r);
        assert_eq!(model.evaluate(&good_facts(&records), today()).score, base);
    }
    let mut records = clean.clone();
    records.push(penalty);
    assert!(model.evaluate(&good_facts(&records), today()).score < base);

    // A newer adverse grade under objection is skipped: the previous grade stands.
    let mut records = clean.clone();
    let mut d = rec(
        "tax.tax_credit_rating",
        json!({"rating_year": 2026, "tax_credit_grade": "D"}),
    );
    d.objection_pending = true;
    records.push(d.clone());
    let e = model.evaluate(&good_facts(&records), today());
    assert_eq!(value(&e, "tax_credit_grade"), Some("B"));
    // A favourable record under objection counts.
    let mut a = d;
    a.values.insert("tax_credit_grade".into(), json!("A"));
    let e = model.evaluate(&good_facts(&[a]), today());
    assert_eq!(value(&e, "tax_credit_grade"), Some("A"));
}

#[test]
fn self_declared_favourable_records_count_at_the_stated_percentage() {
    let patents = |self_declared: bool| {
        (0..3)
            .map(|i| {
                let mut r = rec(
                    "intellectual_property.patents",
                    json!({"application_no": i.to_string()}),
                );
                r.self_declared = self_declared;
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(points(&evaluate(&patents(false)), "hon_patents"), 70);
    assert_eq!(points(&evaluate(&patents(true)), "hon_patents"), 35);
    // Adverse self-declared records count in full.
    let mut r = rec("tax.tax_arrears", json!({"has_tax_arrears": true}));
    r.self_declared = true;
    assert_eq!(points(&evaluate(&[r]), "tax_arrears"), 0);
}

#[test]
fn where_any_needs_one_condition() {
    let rating = |sme: bool, giant: bool| {
        rec(
            "tech_innovation.innovation_rating",
            json!({"is_srdi_sme": sme, "is_srdi_little_giant": giant}),
        )
    };
    assert_eq!(points(&evaluate(&[rating(false, false)]), "hon_srdi"), 0);
    assert_eq!(points(&evaluate(&[rating(true, false)]), "hon_srdi"), 100);
    assert_eq!(points(&evaluate(&[rating(false, true)]), "hon_srdi"), 100);
}

#[test]
fn other_items_and_unknown_fields_in_records_are_ignored() {
    let records = vec![
        rec("agriculture.agri_subsidy", json!({"subsidy_amount": "1"})),
        rec("nonexistent.item", json!({"x": 1})),
        rec(
            "tax.tax_credit_rating",
            json!({"rating_year": "2025", "tax_credit_grade": "A", "zzz": [1]}),
        ),
    ];
    let e = evaluate(&records);
    assert_eq!(points(&e, "tax_credit_grade"), 100);
}

#[test]
fn explain_tolerates_an_observation_list_from_elsewhere() {
    let model = Model::builtin();
    let mut e = evaluate(&good_enterprise());
    e.indicators.reverse();
    let x = model.explain(&e);
    assert_eq!(x.indicators[0].key, model.indicators[0].key);
    e.indicators.clear();
    let x = model.explain(&e);
    assert!(x.indicators.iter().all(|i| {
        i.points
            == model
                .indicators
                .iter()
                .find(|m| m.key == i.key)
                .unwrap()
                .missing
    }));
}

// ─── Tags ──────────────────────────────────────────────────────────────────────────────────

fn tags(records: &[FactRecord]) -> Vec<String> {
    TagRules::builtin().apply(&facts(records), today())
}

#[test]
fn tags_follow_the_rules() {
    assert!(tags(&[]).is_empty());
    let records = vec![
        rec(
            "tax.tax_credit_rating",
            json!({"rating_year": 2025, "tax_credit_grade": "A"}),
        ),
        rec(
            "tax.tax_credit_rating",
            json!({"rating_year": 2024, "tax_credit_grade": "B"}),
        ),
        rec(
            "tech_innovation.innovation_rating",
            json!({"is_high_tech_enterprise": true, "is_srdi_sme": true, "is_srdi_little_giant": false}),
        ),
        rec(
            "social_insurance.pension_payment_statistics",
            json!({"consecutive_normal_months_24m": 24}),
        ),
        rec(
            "judicial.dishonest_judgment_debtors",
            json!({"case_no": "1"}),
        ),
        rec(
            "market_registration.abnormal_operation_list",
            json!({"is_on_abnormal_list": true}),
        ),
        rec(
            "administrative.administrative_penalty",
            json!({"decision_doc_no": "1", "decision_date": "2026-02-01"}),
        ),
        rec("tax.tax_arrears", json!({"has_tax_arrears": true})),
        rec(
            "intellectual_property.patents",
            json!({"application_no": "1"}),
        ),
        rec(
            "customs.customs_credit_rating",
            json!({"customs_credit_grade": "高级认证", "credit_grade_effective_date": "2024-01-01"}),
        ),
    ];
    let got = tags(&records);
    for key in [
        "tax_credit_a",
        "high_tech",
        "srdi",
        "si_24m_normal",
        "dishonest_debtor",
        "abnormal_operation",
        "penalty_12m",
        "tax_arrears",
        "has_patent",
        "customs_aeo",
    ] {
        assert!(got.contains(&key.to_owned()), "{key} in {got:?}");
    }
    assert!(!got.contains(&"srdi_little_giant".to_owned()));
    // Rule order.
    let order: Vec<&str> = TagRules::builtin().tags().map(|t| t.key.as_str()).collect();
    let mut sorted = got.clone();
    sorted.sort_by_key(|k| order.iter().position(|o| o == k));
    assert_eq!(got, sorted);

    // Latest grade B → no A tag; objection-pending adverse records → no negative tag.
    let mut records = vec![
        rec(
            "tax.tax_credit_rating",
            json!({"rating_year": 2024, "tax_credit_grade": "A"}),
        ),
        rec(
            "tax.tax_credit_rating",
            json!({"rating_year": 2025, "tax_credit_grade": "B"}),
        ),
        rec(
            "judicial.dishonest_judgment_debtors",
            json!({"case_no": "1"}),
        ),
        rec(
            "administrative.administrative_penalty",
            json!({"decision_doc_no": "1", "decision_date": "2025-02-01"}),
        ),
    ];
    records[2].objection_pending = true;
    assert!(tags(&records).is_empty(), "{:?}", tags(&records));
}

// ─── Properties ────────────────────────────────────────────────────────────────────────────

fn date_strategy() -> impl Strategy<Value = String> {
    (0i64..2000).prop_map(|d| (today() - chrono::Duration::days(d)).to_string())
}

fn flags() -> impl Strategy<Value = (bool, bool, bool)> {
    (
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.2),
    )
}

fn with_flags(mut r: FactRecord, (o, rp, s): (bool, bool, bool), created: i64) -> FactRecord {
    r.objection_pending = o;
    r.repaired = rp;
    r.self_declared = s;
    r.created_at = at(created);
    r
}

/// A record of an item the model only reads adversely.
fn adverse_record() -> impl Strategy<Value = FactRecord> {
    (
        0usize..12,
        date_strategy(),
        0i64..5_000_000,
        flags(),
        0i64..1000,
    )
        .prop_map(|(which, date, amount, f, created)| {
            let amount = format!("{}.{:02}", amount / 100, amount % 100);
            let r = match which {
                0 => rec(
                    "administrative.administrative_penalty",
                    json!({"decision_doc_no": date, "decision_date": date, "fine_amount": amount}),
                ),
                1 => rec(
                    "judicial.dishonest_judgment_debtors",
                    json!({"case_no": date, "publish_date": date}),
                ),
                2 => rec(
                    "judicial.enforcement_cases",
                    json!({"case_no": date, "enforcement_date": date}),
                ),
                3 => rec(
                    "judicial.terminated_enforcement_cases",
                    json!({"case_no": date, "termination_date": date}),
                ),
                4 => rec(
                    "judicial.bankruptcy",
                    json!({"bankruptcy_case_no": date, "acceptance_date": date}),
                ),
                5 => rec(
                    "market_registration.abnormal_operation_list",
                    json!({"is_on_abnormal_list": true, "abnormal_list_date": date}),
                ),
                6 => rec(
                    "market_registration.serious_violation_list",
                    json!({"listing_date": date}),
                ),
                7 => rec(
                    "administrative.administrative_coercion",
                    json!({"decision_doc_no": date, "decision_date": date}),
                ),
                8 => rec("environment.eia_credit", json!({"dishonesty_points": 3})),
                9 => rec(
                    "real_estate.property_seizure",
                    json!({"seizure_doc_no": date, "seizure_start": date}),
                ),
                10 => rec("medical_insurance.arrears", json!({"has_arrears": true})),
                _ => rec("tax.tax_arrears", json!({"has_tax_arrears": true})),
            };
            with_flags(r, f, created)
        })
}

/// A record of an item the model only reads favourably.
fn positive_record() -> impl Strategy<Value = FactRecord> {
    (0usize..5, date_strategy(), flags(), 0i64..1000).prop_map(|(which, date, f, created)| {
        let r = match which {
            0 => rec("intellectual_property.patents", json!({"application_no": date})),
            1 => rec("intellectual_property.trademarks", json!({"application_or_registration_no": date})),
            2 => rec("software_copyright.software_copyrights", json!({"registration_no": date})),
            3 => rec("administrative.administrative_reward", json!({"reward_name": date, "award_date": date})),
            _ => rec(
                "tech_innovation.innovation_rating",
                json!({"is_high_tech_enterprise": true, "is_srdi_sme": true, "is_srdi_little_giant": true}),
            ),
        };
        with_flags(r, f, created)
    })
}

/// Any record the model reads, with arbitrary (valid or odd) values.
fn any_record() -> impl Strategy<Value = FactRecord> {
    let grade = prop::sample::select(vec!["A", "B", "M", "C", "D", "?"]);
    let status = prop::sample::select(vec!["存续", "吊销", "注销", "迁出", ""]);
    prop_oneof![
        adverse_record(),
        positive_record(),
        (grade, 2018i64..2027, flags(), 0i64..1000).prop_map(|(g, y, f, c)| with_flags(
            rec("tax.tax_credit_rating", json!({"rating_year": y, "tax_credit_grade": g})),
            f,
            c
        )),
        (2018i64..2027, -10_000_000i64..100_000_000, 0i64..100_000_000, flags(), 0i64..1000).prop_map(|(y, p, v, f, c)| with_flags(
            rec(
                "market_registration.annual_report",
                json!({
                    "report_year": y,
                    "net_profit": format!("{}{}.{:02}", if p < 0 { "-" } else { "" }, p.abs() / 100, p.abs() % 100),
                    "total_tax_paid": format!("{}.{:02}", v / 100, v % 100),
                    "total_operating_revenue": (v * 7).to_string(),
                })
            ),
            f,
            c
        )),
        (0i64..30, any::<bool>(), 0i64..500, flags(), 0i64..1000).prop_map(|(m, a, h, f, c)| with_flags(
            rec(
                "social_insurance.pension_payment_statistics",
                json!({"consecutive_normal_months_24m": m, "has_arrears": a, "monthly_insured_headcount_24m": h})
            ),
            f,
            c
        )),
        (0i64..15, 0i64..100_000, flags(), 0i64..1000).prop_map(|(m, a, f, c)| with_flags(
            rec("housing_fund.deposit_statistics_12m", json!({"consecutive_normal_months_12m": m, "total_deposit_12m": a.to_string()})),
            f,
            c
        )),
        (0i64..3, flags(), 0i64..1000).prop_map(|(a, f, c)| with_flags(
            rec("utilities.electricity_account", json!({"service_address": "x", "arrears_amount": format!("{a}.00")})),
            f,
            c
        )),
        (status, flags(), 0i64..1000).prop_map(|(s, f, c)| with_flags(
            rec("market_registration.business_license", json!({"registration_status": s})),
            f,
            c
        )),
        (any::<bool>(), flags(), 0i64..1000).prop_map(|(a, f, c)| with_flags(
            rec("utilities.water_usage_statistics", json!({"has_arrears": a})),
            f,
            c
        )),
    ]
}

fn master() -> impl Strategy<Value = (Option<NaiveDate>, i64, i32)> {
    (
        prop::option::of(0i64..20_000).prop_map(|d| d.map(|d| today() - chrono::Duration::days(d))),
        -1i64..5_000_000_000,
        -1i32..1000,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn score_and_grade_are_consistent_and_explained(
        records in prop::collection::vec(any_record(), 0..40),
        (established, capital, employees) in master(),
    ) {
        let model = Model::builtin();
        let f = SubjectFacts { subject: "x", established, registered_capital_fen: capital, employees, records: &records };
        let e = model.evaluate(&f, today());
        prop_assert!(e.score <= 1000);
        prop_assert_eq!(e.indicators.len(), model.indicators.len());
        prop_assert!(e.indicators.iter().all(|o| o.points <= 100));
        let expected: u32 = model.indicators.iter().zip(&e.indicators).map(|(i, o)| i.weight * o.points).sum::<u32>() / 100;
        prop_assert_eq!(e.score, expected);
        let by_score = model.grade_for(e.score);
        prop_assert!(e.score >= by_score.min_score);
        let better = model.grades().iter().take_while(|g| g.symbol != by_score.symbol).last();
        if let Some(b) = better { prop_assert!(e.score < b.min_score); }
        // Caps only lower the grade, to the worst cap that applies.
        let rank = |symbol: &str| model.grades().iter().position(|g| g.symbol == symbol).unwrap();
        let mut expected_grade = rank(&by_score.symbol);
        for cap in model.caps() {
            if points(&e, &cap.indicator) <= cap.max_points {
                expected_grade = expected_grade.max(rank(&cap.grade));
            }
        }
        prop_assert_eq!(&e.grade, &model.grades()[expected_grade].symbol);
        let x = model.explain(&e);
        prop_assert_eq!(x.indicators.iter().map(|i| i.contribution).sum::<u32>(), e.score);
        prop_assert_eq!(x.dimensions.iter().map(|d| d.points).sum::<u32>(), e.score);
        for (d, dim) in x.dimensions.iter().zip(&model.dimensions) { prop_assert!(d.points <= dim.weight); }
        prop_assert!(x.top_positive.len() <= 3 && x.top_negative.len() <= 3);
        prop_assert!(x.top_positive.iter().all(|f| f.delta > 0));
        prop_assert!(x.top_negative.iter().all(|f| f.delta < 0));
        // Deterministic, and order of records does not matter for the score.
        prop_assert_eq!(&model.evaluate(&f, today()), &e);
        let json = serde_json::to_string(&e).unwrap();
        prop_assert!(json.len() < 2048, "stored result is compact: {} bytes", json.len());
    }

    #[test]
    fn adding_an_adverse_record_never_raises_the_score(
        records in prop::collection::vec(any_record(), 0..30),
        extra in adverse_record(),
    ) {
        let model = Model::builtin();
        let before = model.evaluate(&facts(&records), today()).score;
        let mut more = records.clone();
        more.push(extra);
        let after = model.evaluate(&facts(&more), today()).score;
        prop_assert!(after <= before, "{} → {}", before, after);
    }

    #[test]
    fn adding_a_positive_record_never_lowers_the_score(
        records in prop::collection::vec(any_record(), 0..30),
        extra in positive_record(),
    ) {
        let model = Model::builtin();
        let before = model.evaluate(&facts(&records), today()).score;
        let mut more = records.clone();
        more.push(extra);
        let after = model.evaluate(&facts(&more), today()).score;
        prop_assert!(after >= before, "{} → {}", before, after);
    }

    #[test]
    fn adverse_records_under_objection_or_repaired_change_nothing(
        records in prop::collection::vec(any_record(), 0..30),
        extra in adverse_record(),
        repaired in any::<bool>(),
    ) {
        let model = Model::builtin();
        let before = model.evaluate(&facts(&records), today());
        let mut more = records.clone();
        let mut extra = extra;
        extra.objection_pending = !repaired;
        extra.repaired = repaired;
        more.push(extra);
        let after = model.evaluate(&facts(&more), today());
        prop_assert_eq!(before.score, after.score);
        prop_assert_eq!(TagRules::builtin().apply(&facts(&records), today()), TagRules::builtin().apply(&facts(&more), today()));
    }
}

#[test]
fn the_docs_describe_every_indicator_grade_and_tag() {
    let docs = include_str!("../../../../docs/evaluation.md");
    let model = Model::builtin();
    for key in model.indicator_keys() {
        assert!(
            docs.contains(&format!("`{key}`")),
            "docs/evaluation.md lacks indicator {key}"
        );
    }
    for grade in model.grades() {
        assert!(
            docs.contains(&format!("**{}**", grade.symbol)),
            "docs lack grade {}",
            grade.symbol
        );
    }
    for tag in TagRules::builtin().tags() {
        assert!(
            docs.contains(&format!("`{}`", tag.key)),
            "docs lack tag {}",
            tag.key
        );
    }
}

#[test]
fn value_kinds_read_the_most_recent_record_that_carries_the_value() {
    let records = vec![
        rec(
            "tax.tax_credit_rating",
            json!({"rating_year": 2024, "tax_credit_grade": "A"}),
        ),
        rec("tax.tax_credit_rating", json!({"rating_year": 2025})),
        rec("tax.tax_credit_rating", json!({"tax_credit_grade": "D"})),
    ];
    let e = evaluate(&records);
    assert_eq!(
        value(&e, "tax_credit_grade"),
        Some("A"),
        "2025 has no grade; no year ranks lowest"
    );
    let newer = rec(
        "market_registration.annual_report",
        json!({"report_year": 2025, "total_tax_paid": "oops"}),
    );
    let older = rec(
        "market_registration.annual_report",
        json!({"report_year": 2024, "total_tax_paid": "2000000"}),
    );
    assert_eq!(points(&evaluate(&[newer, older]), "op_tax_paid"), 80);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn tags_are_known_unique_in_rule_order_and_negative_ones_follow_adverse_records(
        records in prop::collection::vec(any_record(), 0..30),
        extra in adverse_record(),
    ) {
        let rules = TagRules::builtin();
        let order: Vec<&str> = rules.tags().map(|t| t.key.as_str()).collect();
        let got = rules.apply(&facts(&records), today());
        let positions: Vec<usize> = got.iter().map(|k| order.iter().position(|o| o == k).unwrap()).collect();
        prop_assert!(positions.windows(2).all(|w| w[0] < w[1]), "{:?}", got);
        // An adverse record never removes a negative tag nor adds a positive one.
        let mut more = records.clone();
        more.push(extra);
        let after = rules.apply(&facts(&more), today());
        for key in &got {
            if rules.describe(key).unwrap().polarity == crate::catalog::Polarity::Negative {
                prop_assert!(after.contains(key), "{} lost", key);
            }
        }
        for key in &after {
            if rules.describe(key).unwrap().polarity == crate::catalog::Polarity::Positive {
                prop_assert!(got.contains(key), "{} gained", key);
            }
        }
    }
}

#[test]
fn the_shipped_model_and_tags_read_collected_items_only() {
    use crate::catalog::Mode;
    let inputs = Model::builtin()
        .inputs()
        .keys()
        .chain(TagRules::builtin().inputs().keys());
    for item in inputs {
        let modes = &catalog().item(item).unwrap().modes;
        assert!(
            modes.contains(&Mode::Push),
            "{item} is pull-only: absent for most enterprises"
        );
    }
}

#[test]
fn every_condition_operator_and_month_windows_work() {
    let text = r#"
version = 7
name = "t"
published = "2026-11-25"
[rules]
objection_pending = "count"
repaired = "count"
self_declared = "ignore"

[[tags]]
key = "paid_recently"
label = "近期已缴存"
polarity = "positive"
meaning = "m"
items = ["housing_fund.employer_basic_info"]
date_field = "paid_up_to_month"
window_months = 2

[[tags]]
key = "grade_ab"
label = "A或B"
polarity = "positive"
meaning = "m"
items = ["tax.tax_credit_rating"]
where = [{ field = "tax_credit_grade", in = ["A", "B"] }, { field = "rating_year", min = 2024 }, { field = "rating_year", max = 2025 }]

[[tags]]
key = "not_d"
label = "非D"
polarity = "negative"
meaning = "m"
items = ["tax.tax_credit_rating"]
where = [{ field = "tax_credit_grade", ne = "D" }, { field = "rating_year", eq = 2025 }]

[[tags]]
key = "two_patents"
label = "两件专利"
polarity = "positive"
meaning = "m"
items = ["intellectual_property.patents"]
where = [{ field = "application_date", min = "2020-01-01" }]
min_count = 2
"#;
    let rules = TagRules::from_toml(text, catalog()).unwrap();
    assert_eq!(rules.version(), 7);
    let apply = |records: &[FactRecord]| rules.apply(&facts(records), today());
    let month = |m: &str| {
        rec(
            "housing_fund.employer_basic_info",
            json!({"paid_up_to_month": m}),
        )
    };
    // today 2026-11-24 − 2 months = 2026-09-24: months 2026-09 … 2026-11.
    assert_eq!(apply(&[month("2026-09")]), ["paid_recently"]);
    assert_eq!(apply(&[month("2026-11")]), ["paid_recently"]);
    assert!(apply(&[month("2026-08")]).is_empty());
    assert!(apply(&[month("2026-12")]).is_empty());
    let grade = |g: &str, y: i64| {
        rec(
            "tax.tax_credit_rating",
            json!({"tax_credit_grade": g, "rating_year": y}),
        )
    };
    assert_eq!(apply(&[grade("B", 2025)]), ["grade_ab", "not_d"]);
    assert_eq!(apply(&[grade("A", 2023)]), Vec::<String>::new());
    assert_eq!(apply(&[grade("C", 2025)]), ["not_d"]);
    assert!(apply(&[grade("D", 2025)]).is_empty());
    assert!(
        apply(&[grade("A", 2026)]).is_empty(),
        "max is inclusive and 2026 is above it"
    );
    let patent = |d: &str| {
        rec(
            "intellectual_property.patents",
            json!({"application_no": d, "application_date": d}),
        )
    };
    assert!(apply(&[patent("2021-01-01")]).is_empty());
    assert!(apply(&[patent("2021-01-01"), patent("2019-12-31")]).is_empty());
    assert_eq!(
        apply(&[patent("2021-01-01"), patent("2020-01-01")]),
        ["two_patents"]
    );
    // self_declared = "ignore": a self-declared record does not make a positive tag.
    let mut declared = patent("2022-01-01");
    declared.self_declared = true;
    assert!(apply(&[patent("2021-01-01"), declared]).is_empty());
}
