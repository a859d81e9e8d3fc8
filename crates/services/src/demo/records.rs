//! 演示记录 (demo records): catalogue records for the demo city's enterprises, generated
//! deterministically from the seed and sent through the real push path (`collect::ingest`),
//! one batch per item from the provider that answers for it — so every record has a version, a
//! ledger leaf and an event like any provider's batch.
//!
//! Each enterprise gets a hidden standing (优/良/中/差/劣) that shapes everything sent about it:
//! payment histories with gaps and arrears, its tax credit grade, penalties, court cases and
//! list entries are correlated, so the evaluation spreads over the grades. Rows are written to
//! a file item by item while they are generated; nothing holds all rows at once.

use super::rows::Row;
use crate::collect::{BatchKind, Encoding, Format, IngestRequest, ingest};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use xinrong_core::codes::industry::industries;
use xinrong_core::codes::resident_id::ResidentId;
use xinrong_core::codes::uscc::Uscc;
use xinrong_store::repo::enterprises::EnterpriseRow;
use xinrong_store::repo::organizations::OrganizationRow;

/// The repeatable histories (ratings, reports, inspections, IP …) are scaled by
/// `records_per_enterprise / TUNED_FOR`; with the one-off records (licence, statistics,
/// accounts …) 40 gives about 40 records per enterprise.
const TUNED_FOR: f64 = 23.0;

/// What the demo wrote: rows per item and in all.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RecordSummary {
    pub records: u64,
    pub seconds: f64,
    pub per_item: BTreeMap<String, u64>,
}

/// One enterprise as the generator sees it.
pub(super) struct Subject {
    idx: u32,
    uscc: String,
    name: String,
    /// `91` company, `92` 个体工商户, `93` 农民专业合作社.
    kind: String,
    section: String,
    division: String,
    region: String,
    employees: i64,
    established: NaiveDate,
    capital_fen: i64,
    legal_rep: String,
    legal_rep_id: String,
    /// 0 优 … 4 劣: the hidden standing that correlates everything adverse.
    tier: usize,
}

/// A unit that decides or sends (an authority): name and USCC.
#[derive(Clone)]
struct Unit {
    name: String,
    uscc: String,
}

struct Gen<'a> {
    seed: u64,
    today: NaiveDate,
    scale: f64,
    city: String,
    units: HashMap<&'static str, Unit>,
    subjects: &'a [Subject],
}

/// Every push item the demo fills, in the order it is sent (registration first: the business
/// licence is the root of an enterprise's records).
const ITEMS: &[&str] = &[
    "market_registration.business_license",
    "market_registration.legal_representative_info",
    "market_registration.industry_classification",
    "market_registration.change_records",
    "market_registration.shareholders_contributions",
    "market_registration.branches",
    "market_registration.equity_pledge",
    "market_registration.annual_report",
    "market_registration.abnormal_operation_list",
    "market_registration.serious_violation_list",
    "market_registration.random_inspection",
    "tax.tax_credit_rating",
    "tax.abnormal_taxpayer",
    "tax.tax_arrears",
    "tax.tax_filing_details",
    "housing_fund.deposit_info",
    "housing_fund.deposit_statistics_12m",
    "social_insurance.pension_payment_statistics",
    "medical_insurance.arrears",
    "medical_insurance.payment_statistics",
    "medical_insurance.change_rates",
    "medical_insurance_designation.designated_unit",
    "medical_insurance_designation.private_medical_institution",
    "medical_insurance_designation.retail_pharmacy",
    "environment.env_credit_rating",
    "environment.carbon_emissions",
    "environment.eia_credit",
    "customs.customs_registration",
    "customs.customs_credit_rating",
    "intellectual_property.trademarks",
    "intellectual_property.patents",
    "intellectual_property.ip_pledge",
    "software_copyright.software_copyrights",
    "judicial.court_judgments",
    "judicial.enforcement_cases",
    "judicial.terminated_enforcement_cases",
    "judicial.dishonest_judgment_debtors",
    "judicial.bankruptcy",
    "administrative.administrative_license",
    "administrative.administrative_penalty",
    "administrative.administrative_coercion",
    "administrative.administrative_reward",
    "administrative.administrative_inspection",
    "administrative.administrative_confirmation",
    "administrative.administrative_adjudication",
    "administrative.administrative_levy",
    "administrative.administrative_benefit_payment",
    "administrative.supervisory_inspection",
    "administrative.other_enforcement",
    "agriculture.entity_basic_info",
    "agriculture.entity_operations",
    "agriculture.land_transfer",
    "agriculture.confirmed_land_plots",
    "agriculture.agri_insurance",
    "agriculture.agri_subsidy",
    "agri_related_list.large_grower_list",
    "contract_performance.contract_records",
    "public_resource_trading.public_resource_transactions",
    "qualifications.construction",
    "qualifications.medical",
    "qualifications.education",
    "qualifications.transport",
    "tech_innovation.innovation_rating",
    "tech_innovation.research_support",
    "utilities.water_account",
    "utilities.water_usage_statistics",
    "utilities.electricity_account",
    "utilities.gas_account",
    "utilities.gas_usage_statistics",
];

/// Share of enterprises per standing (优 良 中 差 劣), per mille.
const TIERS: [u32; 5] = [300, 500, 120, 55, 25];

/// SplitMix64: independent, well-mixed seeds for (seed, item, enterprise).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn rng_for(seed: u64, stream: u64, idx: u32) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(mix(seed ^ 0xdead_beef_0000)
        ^ (stream << 32)
        ^ u64::from(idx)))
}

pub(super) fn subjects(seed: u64, rows: &[EnterpriseRow]) -> Vec<Subject> {
    rows.iter()
        .enumerate()
        .map(|(i, e)| {
            let idx = i as u32;
            let mut rng = rng_for(seed, 9_999, idx);
            let mut roll = rng.random_range(0..1000);
            let mut tier = 0;
            for (t, w) in TIERS.iter().enumerate() {
                if roll < *w {
                    tier = t;
                    break;
                }
                roll -= w;
            }
            let section = industries()
                .section_of_division(&e.industry_code)
                .map(|s| s.code.to_string())
                .unwrap_or_else(|| "L".to_owned());
            Subject {
                idx,
                uscc: e.uscc.clone(),
                name: e.name.clone(),
                kind: e.uscc[..2].to_owned(),
                section,
                division: e.industry_code.clone(),
                region: e.region_code.clone(),
                employees: i64::from(e.employees.max(1)),
                established: e.established,
                capital_fen: e.registered_capital_fen,
                legal_rep: e.legal_rep_name.clone(),
                legal_rep_id: e.legal_rep_id_number.clone(),
                tier,
            }
        })
        .collect()
}

fn io(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::invalid("demo.records_io", format!("演示记录文件写入失败：{e}"))
}

/// Generates and sends the records of every item. `providers` are the demo's provider
/// organisations with their source-unit keys.
pub(super) async fn seed_records(
    platform: &Platform,
    seed: u64,
    per_enterprise: u32,
    city_name: &str,
    subjects: &[Subject],
    providers: &[(OrganizationRow, &'static str)],
) -> ServiceResult<RecordSummary> {
    let started = std::time::Instant::now();
    let mut summary = RecordSummary::default();
    if per_enterprise == 0 || subjects.is_empty() {
        return Ok(summary);
    }
    let today = platform
        .clock
        .now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .date_naive();
    let units = providers
        .iter()
        .filter_map(|(org, key)| {
            Some((
                *key,
                Unit {
                    name: org.name.clone(),
                    uscc: org.uscc.clone()?,
                },
            ))
        })
        .collect();
    let generator = Gen {
        seed,
        today,
        scale: f64::from(per_enterprise) / TUNED_FOR,
        city: city_name.to_owned(),
        units,
        subjects,
    };
    let dir = std::env::temp_dir();
    for (item_no, item_key) in ITEMS.iter().enumerate() {
        let provider = providers
            .iter()
            .find(|(_, key)| {
                crate::collect::grants::expand(crate::collect::grants::demo_sources(key))
                    .iter()
                    .any(|k| k == item_key)
            })
            .map(|(org, _)| org.id.clone())
            .ok_or_else(|| {
                ServiceError::invalid(
                    "demo.records_provider",
                    format!("演示城市中没有信息项 {item_key} 的数据提供单位"),
                )
            })?;
        let path = dir.join(format!(
            "xinrong-demo-{}-{}.jsonl",
            item_key,
            xinrong_core::ids::new_id().simple()
        ));
        let written = {
            let mut out = std::io::BufWriter::with_capacity(
                256 * 1024,
                std::fs::File::create(&path).map_err(io)?,
            );
            let mut rows: Vec<String> = Vec::new();
            let mut written = 0u64;
            for subject in subjects {
                let mut rng = rng_for(seed, item_no as u64 + 1, subject.idx);
                generator.generate(item_key, subject, &mut rng, &mut rows);
                for row in rows.drain(..) {
                    out.write_all(row.as_bytes()).map_err(io)?;
                    out.write_all(b"\n").map_err(io)?;
                    written += 1;
                }
            }
            out.flush().map_err(io)?;
            written
        };
        if written == 0 {
            let _ = std::fs::remove_file(&path);
            continue;
        }
        let report = ingest(
            platform,
            IngestRequest {
                item_key,
                provider_org_id: &provider,
                format: Format::Jsonl,
                encoding: Encoding::Utf8,
                strict: false,
                kind: BatchKind::Regular,
                path: &path,
                progress: None,
            },
        )
        .await;
        let _ = std::fs::remove_file(&path);
        let report = report?;
        if report.rejected > 0 {
            let first = report
                .errors
                .first()
                .map(|p| format!("第 {} 行 {}={}：{}", p.row, p.field, p.value, p.reason))
                .unwrap_or_default();
            return Err(ServiceError::invalid(
                "demo.records_rejected",
                format!(
                    "演示记录 {item_key} 有 {} 行未通过校验：{first}",
                    report.rejected
                ),
            ));
        }
        summary.records += report.accepted as u64;
        summary
            .per_item
            .insert((*item_key).to_owned(), report.accepted as u64);
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn d(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn month(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

/// Fen as the decimal yuan text amounts are sent in.
fn yuan(fen: i64) -> String {
    xinrong_core::money::Fen(fen).yuan_text()
}

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, pool: &'a [T]) -> &'a T {
    &pool[rng.random_range(0..pool.len())]
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("day 1")
}

fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    let total = date.year() * 12 + date.month0() as i32 + months;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .expect("month")
}

/// A payment history: one flag per month (oldest first), true = paid in full on time.
struct History {
    months: Vec<NaiveDate>,
    paid: Vec<bool>,
}

impl History {
    fn consecutive(&self) -> i64 {
        self.paid.iter().rev().take_while(|p| **p).count() as i64
    }
    fn normal(&self) -> i64 {
        self.paid.iter().filter(|p| **p).count() as i64
    }
    fn unpaid(&self) -> i64 {
        self.paid.len() as i64 - self.normal()
    }
    /// Arrears now: the latest month is unpaid.
    fn in_arrears(&self) -> bool {
        self.paid.last().is_some_and(|p| !p)
    }
    fn trailing_unpaid(&self) -> i64 {
        self.paid.iter().rev().take_while(|p| !**p).count() as i64
    }
    fn last_normal(&self) -> Option<NaiveDate> {
        self.months
            .iter()
            .zip(&self.paid)
            .rev()
            .find(|(_, p)| **p)
            .map(|(m, _)| *m)
    }
}

impl Gen<'_> {
    fn unit(&self, key: &str) -> Unit {
        self.units.get(key).cloned().unwrap_or_else(|| Unit {
            name: format!("{}人民政府", self.city),
            uscc: self
                .units
                .values()
                .next()
                .map(|u| u.uscc.clone())
                .unwrap_or_default(),
        })
    }

    fn short_city(&self) -> &str {
        self.city.trim_end_matches('市')
    }

    /// A count scaled to the requested records per enterprise (stochastic rounding).
    fn count(&self, rng: &mut ChaCha8Rng, base: f64) -> usize {
        let x = (base * self.scale).max(0.0);
        let whole = x.floor();
        (whole as usize) + usize::from(chance(rng, x - whole))
    }

    /// A day between `from` and `to` (both inclusive); `to` when the range is empty.
    fn day(&self, rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let to = to.min(self.today - chrono::Duration::days(1));
        let span = (to - from).num_days();
        if span <= 0 {
            return to;
        }
        from + chrono::Duration::days(rng.random_range(0..=span))
    }

    /// A day in the enterprise's life, within the last `years` years.
    fn recent(&self, rng: &mut ChaCha8Rng, s: &Subject, years: i64) -> NaiveDate {
        let from = (self.today - chrono::Duration::days(365 * years)).max(s.established);
        self.day(rng, from, self.today)
    }

    /// The last `n` complete months, oldest first, never before the enterprise existed.
    fn months(&self, s: &Subject, n: i32) -> Vec<NaiveDate> {
        let this = first_of_month(self.today);
        let start = first_of_month(s.established);
        (1..=n)
            .rev()
            .map(|k| add_months(this, -k))
            .filter(|m| *m >= start)
            .collect()
    }

    fn history(&self, rng: &mut ChaCha8Rng, s: &Subject, n: i32) -> History {
        let months = self.months(s, n);
        let (gap, streak_p, streak_max) = match s.tier {
            0 => (0.0, 0.0, 0),
            1 => (0.015, 0.0, 0),
            2 => (0.06, 0.10, 2),
            3 => (0.15, 0.45, 4),
            _ => (0.30, 0.80, 8),
        };
        let mut paid: Vec<bool> = months.iter().map(|_| !chance(rng, gap)).collect();
        if streak_max > 0 && chance(rng, streak_p) {
            let len = rng.random_range(1..=streak_max).min(paid.len());
            let n = paid.len();
            for p in &mut paid[n - len..] {
                *p = false;
            }
        }
        History { months, paid }
    }

    /// The payment months that paid, as dates on the 15th of the following month.
    fn paid_on(&self, m: NaiveDate, day: u32) -> NaiveDate {
        add_months(m, 1)
            .with_day(day)
            .expect("day")
            .min(self.today - chrono::Duration::days(1))
    }

    fn person(&self, rng: &mut ChaCha8Rng, s: &Subject) -> (String, String) {
        const SURNAMES: &[&str] = super::names::SURNAMES;
        const GIVEN: &[&str] = super::names::GIVEN_NAME_CHARS;
        let name = format!(
            "{}{}{}",
            pick(rng, SURNAMES),
            pick(rng, GIVEN),
            if chance(rng, 0.6) {
                *pick(rng, GIVEN)
            } else {
                ""
            }
        );
        let birth = NaiveDate::from_ymd_opt(1955, 1, 1).expect("date")
            + chrono::Duration::days(rng.random_range(0..(45 * 365)));
        let body = format!(
            "{}{}{:03}",
            s.region,
            birth.format("%Y%m%d"),
            rng.random_range(0..1000)
        );
        let id = ResidentId::from_body(&body)
            .map(|id| id.as_str().to_owned())
            .unwrap_or_default();
        (name, id)
    }

    /// A valid USCC outside the city's enterprise code space (branches, counterparties
    /// elsewhere).
    fn other_uscc(&self, rng: &mut ChaCha8Rng, kind: &str, region: &str) -> String {
        let digits = format!("{:08}", rng.random_range(0..100_000_000u32));
        let check = super::city::gb11714_check(&digits);
        Uscc::from_body(&format!("{kind}{region}{digits}{check}"))
            .map(|u| u.as_str().to_owned())
            .unwrap_or_default()
    }

    fn address(&self, rng: &mut ChaCha8Rng, s: &Subject) -> String {
        const ROADS: &[&str] = &[
            "人民路",
            "建设路",
            "中原路",
            "文化路",
            "金水路",
            "农业路",
            "经三路",
            "花园路",
            "大学路",
            "工业路",
            "航海路",
            "商都路",
            "未来路",
            "科学大道",
            "长江路",
            "黄河路",
        ];
        let district = xinrong_core::codes::region::regions()
            .get(&s.region)
            .map(|r| r.name.to_string())
            .unwrap_or_default();
        format!(
            "{}{}{}{}号",
            self.city,
            district,
            pick(rng, ROADS),
            rng.random_range(1..=399)
        )
    }

    fn doc_no(&self, rng: &mut ChaCha8Rng, prefix: &str, year: i32) -> String {
        format!(
            "{}{}〔{year}〕{}号",
            self.short_city().chars().next().unwrap_or('市'),
            prefix,
            rng.random_range(1..=9_999)
        )
    }

    /// A common head of the 行政 items' counterpart fields.
    fn counterpart(&self, s: &Subject) -> Row {
        Row::new()
            .s("subject_name", &s.name)
            .s(
                "subject_category",
                if s.kind == "92" {
                    "个体工商户"
                } else {
                    "法人及非法人组织"
                },
            )
            .s("subject_uscc", &s.uscc)
            .s("legal_rep_name", &s.legal_rep)
            .s("legal_rep_id_type", "身份证")
            .s("legal_rep_id_no", &s.legal_rep_id)
    }

    /// Tax credit grade for a year, persistent around the enterprise's standing.
    fn base_grade(&self, rng: &mut ChaCha8Rng, s: &Subject) -> usize {
        // A, B, M, C, D
        let weights: [u32; 5] = match s.tier {
            0 => [60, 40, 0, 0, 0],
            1 => [20, 70, 10, 0, 0],
            2 => [0, 40, 30, 30, 0],
            3 => [0, 20, 0, 60, 20],
            _ => [0, 0, 0, 40, 60],
        };
        let mut roll = rng.random_range(0..100);
        for (g, w) in weights.iter().enumerate() {
            if roll < *w {
                return g;
            }
            roll -= w;
        }
        1
    }

    fn is_industrial(s: &Subject) -> bool {
        matches!(s.section.as_str(), "B" | "C" | "D")
    }

    // Each arm reads "when …, send …": the conditions stay inside the arms on purpose.
    #[allow(clippy::collapsible_match)]
    fn generate(&self, item: &str, s: &Subject, rng: &mut ChaCha8Rng, out: &mut Vec<String>) {
        let tier = s.tier;
        let today = self.today;
        let year = today.year();
        let market = self.unit("market");
        match item {
            "market_registration.business_license" => {
                let kind = match s.kind.as_str() {
                    "92" => "个体工商户",
                    "93" => "农民专业合作社",
                    _ => "有限责任公司（自然人投资或控股）",
                };
                let to = s.established + chrono::Duration::days(365 * 30);
                out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s("legal_representative", &s.legal_rep)
                        .s("establishment_date", d(s.established))
                        .s("domicile", self.address(rng, s))
                        .s("registration_status", "存续")
                        .s("registration_authority", &market.name)
                        .s("business_scope", scope(&s.section))
                        .s("enterprise_type", kind)
                        .s("registered_capital", yuan(s.capital_fen / 100 * 100))
                        .s("operating_term_from", d(s.established))
                        .s("operating_term_to", d(to))
                        .end(),
                );
            }
            "market_registration.legal_representative_info" => out.push(
                Row::new()
                    .s("enterprise_name", &s.name)
                    .s("uscc", &s.uscc)
                    .s("legal_rep_name", &s.legal_rep)
                    .end(),
            ),
            "market_registration.industry_classification" => out.push(
                Row::new()
                    .s("enterprise_name", &s.name)
                    .s("uscc", &s.uscc)
                    .s("industry_code", &s.division)
                    .end(),
            ),
            "market_registration.change_records" => {
                let age = (today - s.established).num_days() as f64 / 365.0;
                let n = self.count(rng, (age * 0.22).min(6.0));
                let mut dates = BTreeSet::new();
                for _ in 0..n {
                    dates.insert(self.day(rng, s.established + chrono::Duration::days(30), today));
                }
                for date in dates {
                    let (item, before, after) = match rng.random_range(0..5) {
                        0 => ("住所变更", self.address(rng, s), self.address(rng, s)),
                        1 => {
                            let wan = s.capital_fen / 1_000_000;
                            (
                                "注册资本变更",
                                format!("{}万元", (wan / 2).max(1)),
                                format!("{wan}万元"),
                            )
                        }
                        2 => ("经营范围变更", scope(&s.section), scope(&s.section)),
                        3 => (
                            "投资人（股权）变更",
                            self.person(rng, s).0,
                            self.person(rng, s).0,
                        ),
                        _ => (
                            "高级管理人员备案",
                            self.person(rng, s).0,
                            s.legal_rep.clone(),
                        ),
                    };
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .s("change_item", item)
                            .s("content_before", &before)
                            .s("content_after", &after)
                            .s("change_date", d(date))
                            .end(),
                    );
                }
            }
            "market_registration.shareholders_contributions" => {
                if s.kind != "91" {
                    return;
                }
                let n = 1 + rng.random_range(0..3);
                let capital = s.capital_fen;
                let mut left = 100i64;
                let mut names = BTreeSet::new();
                for i in 0..n {
                    let ratio = if i + 1 == n {
                        left
                    } else {
                        let r = rng.random_range(1..=left - (n - i - 1) as i64);
                        left -= r;
                        r
                    };
                    let (name, uscc, kind) = if i == 0 {
                        (s.legal_rep.clone(), None, "自然人股东")
                    } else if chance(rng, 0.25) {
                        let u = self.other_uscc(rng, "91", &s.region);
                        (format!("{}投资有限公司", trade(rng)), Some(u), "企业法人")
                    } else {
                        (self.person(rng, s).0, None, "自然人股东")
                    };
                    if !names.insert(name.clone()) {
                        continue;
                    }
                    let amount = capital * ratio / 100;
                    let mut row = Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s("shareholder_name", &name)
                        .s("shareholder_person_or_entity_name", &name)
                        .s("shareholder_type", kind)
                        .s("contribution_ratio", format!("{ratio}.00"))
                        .s("contribution_amount", yuan(amount))
                        .s("contribution_method", "货币")
                        .s("subscribed_contribution", yuan(amount))
                        .s("contribution_date", d(s.established));
                    if let Some(u) = uscc {
                        row = row.s("shareholder_uscc", &u);
                    }
                    out.push(row.end());
                }
            }
            "market_registration.branches" => {
                if s.kind != "91" || s.employees < 50 || !chance(rng, 0.25) {
                    return;
                }
                for i in 0..rng.random_range(1..=3) {
                    let (head, _) = self.person(rng, s);
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .s(
                                "branch_name",
                                format!("{}第{}分公司", s.name, ["一", "二", "三"][i]),
                            )
                            .s("branch_uscc", self.other_uscc(rng, "91", &s.region))
                            .s("branch_head_name", &head)
                            .s("branch_establishment_date", d(self.recent(rng, s, 8)))
                            .s("branch_domicile", self.address(rng, s))
                            .s("branch_registration_status", "存续")
                            .s("branch_registration_authority", &market.name)
                            .end(),
                    );
                }
            }
            "market_registration.equity_pledge" => {
                if s.kind != "91" || !chance(rng, [0.01, 0.015, 0.03, 0.05, 0.06][tier]) {
                    return;
                }
                let date = self.recent(rng, s, 4);
                let (pledgor, pledgor_id) = (s.legal_rep.clone(), s.legal_rep_id.clone());
                out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s(
                            "pledge_registration_no",
                            format!("{}{}", date.format("%Y%m%d"), rng.random_range(1000..9999)),
                        )
                        .s("pledgor", &pledgor)
                        .s("pledgor_id_no", &pledgor_id)
                        .s("pledged_equity_amount", yuan(s.capital_fen / 5))
                        .s("pledgee", format!("{}银行股份有限公司", self.short_city()))
                        .s("pledgee_id_no", self.other_uscc(rng, "91", &s.region))
                        .s("pledge_registration_date", d(date))
                        .s("publication_date", d(date))
                        .s(
                            "pledge_status",
                            if chance(rng, 0.7) { "有效" } else { "无效" },
                        )
                        .end(),
                );
            }
            "market_registration.annual_report" => {
                // The report for year Y is filed from January to June of Y+1.
                let last = if (today.month(), today.day()) > (6, 30) {
                    year - 1
                } else {
                    year - 2
                };
                let first = s.established.year().max(2013).max(last - 11);
                let mut years: Vec<i32> = (first..=last).collect();
                // Poor standing: the latest report is often missing.
                if tier >= 3 && chance(rng, 0.5) {
                    years.pop();
                }
                let keep = self.count(rng, years.len() as f64 * 0.85).min(years.len());
                let skip = years.len() - keep;
                let revenue = s.employees * rng.random_range(150_000..1_200_000) * 100;
                for y in years.into_iter().skip(skip) {
                    let grow = 100 + (y - first) as i64 * rng.random_range(0..8);
                    let rev = revenue * grow / 130;
                    let assets = (s.capital_fen + rev / 2) * rng.random_range(80..140) / 100;
                    let margin = match tier {
                        0 => rng.random_range(4..15),
                        1 => rng.random_range(1..10),
                        2 => rng.random_range(-3..6),
                        _ => rng.random_range(-15..3),
                    };
                    let profit = rev * margin / 100;
                    let liabilities = assets * rng.random_range(20..(60 + 10 * tier as i64)) / 100;
                    let mut row = Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .n("report_year", i64::from(y))
                        .s("total_assets", yuan(assets))
                        .s("total_owners_equity", yuan((assets - liabilities).max(0)))
                        .s("total_operating_revenue", yuan(rev))
                        .s("total_tax_paid", yuan(rev * rng.random_range(1..6) / 100))
                        .s("total_liabilities", yuan(liabilities))
                        .b("has_external_guarantee", chance(rng, 0.05))
                        .n("employee_count", s.employees);
                    // Losses are reported as negative amounts: the fields carry no unit check
                    // for the sign beyond "no negative amounts", so a loss is sent as zero profit.
                    row = row
                        .s("total_profit", yuan(profit.max(0)))
                        .s("net_profit", yuan((profit * 3 / 4).max(0)));
                    out.push(row.end());
                }
            }
            "market_registration.abnormal_operation_list" => {
                if !chance(rng, [0.005, 0.015, 0.06, 0.12, 0.30][tier]) {
                    return;
                }
                let reasons = [
                    "未按照规定期限公示年度报告",
                    "通过登记的住所或者经营场所无法联系",
                    "公示企业信息隐瞒真实情况、弄虚作假",
                    "未在责令的期限内公示有关企业信息",
                ];
                let date = self.recent(rng, s, 3);
                out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        // Some have since been moved off the list (移出).
                        .b("is_on_abnormal_list", !chance(rng, 0.25))
                        .s("abnormal_list_reason_type", pick(rng, &reasons))
                        .s("abnormal_list_date", d(date))
                        .end(),
                );
            }
            "market_registration.serious_violation_list" => {
                if !chance(rng, [0.0, 0.0, 0.0, 0.012, 0.08][tier]) {
                    return;
                }
                let date = self.recent(rng, s, 4);
                let row = Row::new()
                    .s("enterprise_name", &s.name)
                    .s("uscc", &s.uscc)
                    .s(
                        "listing_reason",
                        "被列入经营异常名录届满3年仍未履行相关义务",
                    )
                    .s("listing_date", d(date))
                    .s("listing_authority", &market.name);
                let row = if chance(rng, 0.2) {
                    row.s("removal_reason", "履行相关义务，申请移出")
                        .s("removal_date", d(self.day(rng, date, today)))
                        .s("removal_authority", &market.name)
                } else {
                    row
                };
                out.push(row.end());
            }
            "market_registration.random_inspection" => {
                if !chance(rng, 0.15) {
                    return;
                }
                let failed = if chance(rng, [0.02, 0.05, 0.2, 0.4, 0.6][tier]) {
                    rng.random_range(1..=2)
                } else {
                    0
                };
                out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .n("failed_inspections_3y", failed)
                        .end(),
                );
            }
            "tax.tax_credit_rating" => {
                // The grade for year Y is published in April of Y+1; rated since 2014.
                let last = if (today.month(), today.day()) >= (4, 20) {
                    year - 1
                } else {
                    year - 2
                };
                let first = s.established.year().max(2014).max(last - 11);
                let years: Vec<i32> = (first..=last).collect();
                if years.is_empty() {
                    return;
                }
                let keep = self.count(rng, years.len() as f64).clamp(1, years.len());
                let base = self.base_grade(rng, s);
                const GRADES: [&str; 5] = ["A", "B", "M", "C", "D"];
                for y in years[years.len() - keep..].iter().copied() {
                    let g = if y == s.established.year() {
                        2
                    } else if y == last || chance(rng, 0.7) {
                        base
                    } else {
                        match base {
                            0 => 1,
                            1 => *pick(rng, &[0, 1, 1, 2]),
                            2 => 1,
                            3 => *pick(rng, &[1, 3]),
                            _ => 3,
                        }
                    };
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .n("rating_year", i64::from(y))
                            .s("tax_credit_grade", GRADES[g])
                            .end(),
                    );
                }
            }
            "tax.abnormal_taxpayer" => {
                if chance(rng, [0.0, 0.0, 0.005, 0.04, 0.2][tier]) {
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .b("is_abnormal_taxpayer", true)
                            .end(),
                    );
                }
            }
            "tax.tax_arrears" => {
                if chance(rng, [0.0, 0.01, 0.06, 0.25, 0.5][tier]) {
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .b("has_tax_arrears", true)
                            .s(
                                "tax_arrears_amount",
                                yuan(s.employees * rng.random_range(2_000..60_000) * 100),
                            )
                            .s(
                                "tax_type",
                                pick(rng, &["增值税", "企业所得税", "城镇土地使用税", "房产税"]),
                            )
                            .end(),
                    );
                }
            }
            "tax.tax_filing_details" => {
                let h = self.history(rng, s, 12);
                let monthly_vat = s.employees * rng.random_range(300..4_000) * 100;
                let months: Vec<_> = h
                    .months
                    .iter()
                    .zip(&h.paid)
                    .map(|(m, paid)| {
                        let due = monthly_vat * rng.random_range(70..130) / 100;
                        json!({
                            "tax_period": month(*m),
                            "vat_payable": yuan(due),
                            "vat_paid": yuan(if *paid { due } else { 0 }),
                            "filed_on_time": *paid,
                            "paid_on_time": *paid,
                            "payment_date": if *paid { Some(d(self.paid_on(*m, 15))) } else { None },
                        })
                    })
                    .collect();
                let invoices = rng.random_range(1..6);
                out.push(
                    Row::new()
                        .s("uscc", &s.uscc)
                        .j(
                            "taxpayer_basic_info",
                            json!({
                                "taxpayer_name": s.name,
                                "taxpayer_type": if s.employees >= 10 { "一般纳税人" } else { "小规模纳税人" },
                                "registration_date": d(s.established),
                                "tax_authority": self.unit("tax").name,
                            }),
                        )
                        .j(
                            "tax_payable_info",
                            json!({
                                "months": months,
                                "consecutive_normal_months": h.consecutive(),
                                "unpaid_months_12m": h.unpaid(),
                            }),
                        )
                        .j(
                            "vat_invoice_info",
                            json!((0..invoices)
                                .map(|k| json!({
                                    "month": month(add_months(first_of_month(today), -(k + 1))),
                                    "invoices_issued": rng.random_range(1..200),
                                    "amount": yuan(monthly_vat * rng.random_range(400..900) / 100),
                                }))
                                .collect::<Vec<_>>()),
                        )
                        .j(
                            "cash_flow_info",
                            json!({"operating_net_cash_flow": yuan(monthly_vat * rng.random_range(2..12))}),
                        )
                        .j(
                            "balance_sheet_info",
                            json!({"asset_liability_ratio": format!("0.{}", rng.random_range(20..(70 + 5 * tier as i32)))}),
                        )
                        .j(
                            "tax_audit_info",
                            json!({"audited_3y": chance(rng, 0.1 + 0.1 * tier as f64), "issues_found": tier >= 3}),
                        )
                        .end(),
                );
            }
            "housing_fund.deposit_info" | "housing_fund.deposit_statistics_12m" => {
                // Both items come from one deposit history: the same stream decides it.
                let mut base = rng_for(self.seed, 50_001, s.idx);
                let p = if s.employees >= 10 { 0.8 } else { 0.3 } - 0.08 * tier as f64;
                if !chance(&mut base, p) {
                    return;
                }
                let h = self.history(&mut base, s, 12);
                let people = (s.employees * base.random_range(60..=100) / 100).max(1);
                let per_person = base.random_range(300..=1_200) * 100;
                if item == "housing_fund.deposit_info" {
                    let records: Vec<_> = h
                        .months
                        .iter()
                        .zip(&h.paid)
                        .map(|(m, paid)| {
                            json!({
                                "month": month(*m),
                                "depositors": people,
                                "amount": yuan(if *paid { people * per_person } else { 0 }),
                                "status": if *paid { "正常" } else { "欠缴" },
                            })
                        })
                        .collect();
                    out.push(
                        Row::new()
                            .s("uscc", &s.uscc)
                            .j(
                                "deposit_basic_info",
                                json!({"unit_name": s.name, "first_deposit_month": month(h.months.first().copied().unwrap_or(today))}),
                            )
                            .j(
                                "account_info",
                                json!({"employer_account_no": format!("GJJ{:010}", s.idx), "depositors": people}),
                            )
                            .j(
                                "arrears_info",
                                json!({"in_arrears": h.in_arrears(), "arrears_months": h.trailing_unpaid(), "arrears_amount": yuan(h.trailing_unpaid() * people * per_person)}),
                            )
                            .j("deposit_records", json!(records))
                            .end(),
                    );
                } else {
                    let mut row = Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .n("avg_monthly_depositors_12m", people)
                        .s("total_deposit_12m", yuan(h.normal() * people * per_person))
                        .n("consecutive_normal_months_12m", h.consecutive());
                    if let Some(m) = h.last_normal() {
                        row = row.s("last_normal_payment_date", d(self.paid_on(m, 10)));
                    }
                    out.push(row.end());
                }
            }
            "social_insurance.pension_payment_statistics" => {
                let p = if s.kind == "92" { 0.3 } else { 0.95 } - 0.05 * tier as f64;
                if !chance(rng, p) {
                    return;
                }
                let h = self.history(rng, s, 24);
                let people = (s.employees * rng.random_range(70..=100) / 100).max(1);
                let monthly = people * rng.random_range(600..=900) * 100;
                let mut row = Row::new()
                    .s("enterprise_name", &s.name)
                    .s("uscc", &s.uscc)
                    .n("monthly_insured_headcount_24m", people)
                    .s("monthly_employer_payment_24m", yuan(monthly))
                    .n("consecutive_normal_months_24m", h.consecutive())
                    .b("has_arrears", h.in_arrears())
                    .s("arrears_amount", yuan(h.trailing_unpaid() * monthly))
                    .n("normal_payment_count_24m", h.normal());
                if let Some(m) = h.last_normal() {
                    row = row.s("last_normal_payment_month", month(m));
                }
                out.push(row.end());
            }
            "medical_insurance.arrears"
            | "medical_insurance.payment_statistics"
            | "medical_insurance.change_rates" => {
                let mut base = rng_for(self.seed, 50_002, s.idx);
                let p = if s.kind == "92" { 0.3 } else { 0.92 } - 0.05 * tier as f64;
                if !chance(&mut base, p) {
                    return;
                }
                let h = self.history(&mut base, s, 24);
                let people = (s.employees * base.random_range(70..=100) / 100).max(1);
                let monthly = people * base.random_range(280..=420) * 100;
                match item {
                    "medical_insurance.arrears" => {
                        if h.in_arrears() {
                            let periods: Vec<String> = h
                                .months
                                .iter()
                                .zip(&h.paid)
                                .filter(|(_, p)| !**p)
                                .map(|(m, _)| month(*m))
                                .collect();
                            out.push(
                                Row::new()
                                    .s("enterprise_name", &s.name)
                                    .s("uscc", &s.uscc)
                                    .b("has_arrears", true)
                                    .s("arrears_amount_24m", yuan(h.unpaid() * monthly))
                                    .s("arrears_periods", periods.join(","))
                                    .end(),
                            );
                        }
                    }
                    "medical_insurance.payment_statistics" => {
                        let paid: Vec<_> = h
                            .months
                            .iter()
                            .zip(&h.paid)
                            .filter(|(_, p)| **p)
                            .map(|(m, _)| *m)
                            .collect();
                        let mut row = Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .n("monthly_insured_headcount_24m", people)
                            .s("monthly_employer_payment_24m", yuan(monthly))
                            .j(
                                "payment_dates_24m",
                                json!(
                                    paid.iter()
                                        .map(|m| d(self.paid_on(*m, 20)))
                                        .collect::<Vec<_>>()
                                ),
                            )
                            .s("fee_period_per_payment", "按月")
                            .j(
                                "monthly_payment_amount_and_date_24m",
                                json!(h.months.iter().zip(&h.paid).map(|(m, p)| json!({
                                    "month": month(*m),
                                    "amount": yuan(if *p { monthly } else { 0 }),
                                    "date": if *p { Some(d(self.paid_on(*m, 20))) } else { None },
                                })).collect::<Vec<_>>()),
                            );
                        if let Some(m) = h.last_normal() {
                            row = row.s("last_normal_payment_month", month(m));
                        }
                        out.push(row.end());
                    }
                    _ => {
                        let headcount = rng.random_range(-10..=12) - 3 * tier as i64;
                        let amount = headcount + rng.random_range(-3..=3);
                        out.push(
                            Row::new()
                                .s("enterprise_name", &s.name)
                                .s("uscc", &s.uscc)
                                .s("insured_headcount_change_rate_q", percent(headcount))
                                .s("payment_amount_change_rate_q", percent(amount))
                                .end(),
                        );
                    }
                }
            }
            "medical_insurance_designation.designated_unit"
            | "medical_insurance_designation.private_medical_institution"
            | "medical_insurance_designation.retail_pharmacy" => {
                let medical = s.division == "84" || (s.division == "52" && s.idx.is_multiple_of(9));
                if !medical {
                    return;
                }
                let pharmacy = s.division == "52";
                let row = Row::new().s("enterprise_name", &s.name).s("uscc", &s.uscc);
                match item {
                    "medical_insurance_designation.designated_unit" => {
                        if chance(rng, 0.7) {
                            out.push(row.b("is_designated_unit", true).end());
                        }
                    }
                    "medical_insurance_designation.private_medical_institution" if !pharmacy => out
                        .push(
                            row.s(
                                "medical_practice_licence",
                                format!("PDY{:08}41010{}", s.idx, rng.random_range(10..99)),
                            )
                            .end(),
                        ),
                    "medical_insurance_designation.retail_pharmacy" if pharmacy => out.push(
                        row.s("drug_business_licence", format!("豫AA{:07}", s.idx))
                            .end(),
                    ),
                    _ => {}
                }
            }
            "environment.env_credit_rating" => {
                if !(Self::is_industrial(s) || (s.section == "E" && chance(rng, 0.3))) {
                    return;
                }
                let years = self.count(rng, 4.0).min(6);
                for k in 0..years {
                    let y = year - 1 - k as i32;
                    let date = NaiveDate::from_ymd_opt(y, 6, 30).expect("date");
                    if date < s.established {
                        break;
                    }
                    let score = match tier {
                        0 => rng.random_range(90..=100),
                        1 => rng.random_range(80..=95),
                        2 => rng.random_range(65..=85),
                        3 => rng.random_range(50..=75),
                        _ => rng.random_range(30..=60),
                    };
                    let grade = match score {
                        90.. => "环保诚信",
                        75..=89 => "环保良好",
                        60..=74 => "环保警示",
                        _ => "环保不良",
                    };
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .s("env_credit_score", format!("{score}.0"))
                            .s("env_credit_grade", grade)
                            .s("rating_date", d(date))
                            .end(),
                    );
                }
            }
            "environment.carbon_emissions" => {
                if Self::is_industrial(s) && s.employees >= 100 {
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .s(
                                "co2_emissions_disclosed_latest_year",
                                format!(
                                    "{}.{}",
                                    s.employees * rng.random_range(5..60),
                                    rng.random_range(0..10)
                                ),
                            )
                            .end(),
                    );
                }
            }
            "environment.eia_credit" => {
                if (Self::is_industrial(s) || s.section == "M")
                    && chance(rng, [0.0, 0.0, 0.01, 0.03, 0.08][tier])
                {
                    out.push(
                        Row::new()
                            .s("unit_name", &s.name)
                            .s("uscc", &s.uscc)
                            .s("domicile", self.address(rng, s))
                            .s(
                                "dishonest_behaviour",
                                "环境影响报告书（表）存在重大缺陷、遗漏",
                            )
                            .n("dishonesty_points", rng.random_range(5..=20))
                            .s(
                                "current_credit_status",
                                if tier >= 4 {
                                    "黑名单"
                                } else {
                                    "重点监督检查名单"
                                },
                            )
                            .end(),
                    );
                }
            }
            "customs.customs_registration" | "customs.customs_credit_rating" => {
                let mut base = rng_for(self.seed, 50_003, s.idx);
                let p = match s.section.as_str() {
                    "C" => 0.12,
                    "F" => 0.05,
                    "G" => 0.04,
                    "I" | "M" => 0.02,
                    _ => 0.0,
                };
                if !chance(&mut base, p) {
                    return;
                }
                let code = format!(
                    "41{:02}{}{:05}",
                    s.idx % 97,
                    if s.section == "C" { 9 } else { 3 },
                    s.idx % 100_000
                );
                if item == "customs.customs_registration" {
                    out.push(
                        Row::new()
                            .s("enterprise_name_cn", &s.name)
                            .s("uscc", &s.uscc)
                            .s("customs_registration_code", &code)
                            .s("business_category", "进出口货物收发货人")
                            .b("customs_deregistered_flag", false)
                            .end(),
                    );
                } else {
                    let grade = match tier {
                        0 if chance(rng, 0.25) => "高级认证企业",
                        0..=2 => "一般信用企业",
                        3 => *pick(rng, &["一般信用企业", "失信企业"]),
                        _ => "失信企业",
                    };
                    let date = self.recent(rng, s, 5);
                    out.push(
                        Row::new()
                            .s("enterprise_name_cn", &s.name)
                            .s("uscc", &s.uscc)
                            .s("customs_registration_code", &code)
                            .s("customs_credit_grade", grade)
                            .s("credit_grade_effective_date", d(date))
                            .end(),
                    );
                }
            }
            "intellectual_property.trademarks" => {
                let p = if s.kind == "91" { 0.3 } else { 0.06 };
                if !chance(rng, p) {
                    return;
                }
                let n = self.count(rng, 2.5 + (s.employees as f64).ln()).max(1);
                for k in 0..n {
                    let applied = self.recent(rng, s, 12);
                    let start = applied + chrono::Duration::days(rng.random_range(270..420));
                    let mut row = Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s(
                            "trademark_name",
                            format!("{}{}", trade(rng), ["", "图形", "及图"][k % 3]),
                        )
                        .s(
                            "application_or_registration_no",
                            format!("{}{:07}{k}", applied.year() % 100, s.idx),
                        )
                        .s("applicant_name_cn", &s.name)
                        .s("application_date", d(applied))
                        .s("nice_class", format!("{:02}", rng.random_range(1..=45)));
                    if start < today {
                        row = row.s("exclusive_right_start_date", d(start)).s(
                            "exclusive_right_end_date",
                            d(start + chrono::Duration::days(3652)),
                        );
                    }
                    out.push(row.end());
                }
            }
            "intellectual_property.patents" => {
                let p = match s.section.as_str() {
                    "C" | "M" | "I" | "D" => 0.25,
                    "E" | "A" | "B" => 0.06,
                    _ => 0.02,
                };
                if !chance(rng, p) {
                    return;
                }
                let n = self
                    .count(rng, 2.0 + (s.employees as f64).ln() * 1.2)
                    .max(1);
                for k in 0..n {
                    let applied = self.recent(rng, s, 10);
                    let (kind, code) = *pick(
                        rng,
                        &[
                            ("发明", 1),
                            ("实用新型", 2),
                            ("实用新型", 2),
                            ("外观设计", 3),
                        ],
                    );
                    let published = applied + chrono::Duration::days(rng.random_range(90..540));
                    let mut row = Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s(
                            "patent_title",
                            format!(
                                "一种{}{}",
                                pick(rng, PATENT_WORDS),
                                pick(rng, &["装置", "方法", "系统", "结构"])
                            ),
                        )
                        .s("patent_type", kind)
                        .s(
                            "application_no",
                            format!("CN{}{code}{:06}{k}", applied.year(), s.idx % 1_000_000),
                        )
                        .s("applicant_or_patentee", &s.name)
                        .s("applicant_address", self.address(rng, s))
                        .s("application_date", d(applied))
                        .s("inventor_or_designer", self.person(rng, s).0);
                    if published < today {
                        row = row
                            .s(
                                "publication_no",
                                format!(
                                    "CN{}{}",
                                    rng.random_range(100_000_000..999_999_999u32),
                                    ["A", "U", "S"][code - 1]
                                ),
                            )
                            .s("publication_date", d(published))
                            .s(
                                "legal_status",
                                if chance(rng, 0.85) {
                                    "授权"
                                } else {
                                    "实质审查"
                                },
                            );
                    } else {
                        row = row.s("legal_status", "申请中");
                    }
                    out.push(row.end());
                }
            }
            "intellectual_property.ip_pledge" => {
                if s.kind == "91" && chance(rng, 0.006) {
                    let date = self.recent(rng, s, 3);
                    out.push(
                        Row::new()
                            .s("pledgor_id_no", &s.uscc)
                            .s(
                                "pledge_registration_no",
                                format!("Y{}{:07}", date.year(), s.idx),
                            )
                            .s("ip_name", format!("{}商标专用权", trade(rng)))
                            .s("pledgor_name", &s.name)
                            .s(
                                "pledgee_name",
                                format!("{}农村商业银行股份有限公司", self.short_city()),
                            )
                            .s("announcement_date", d(date))
                            .end(),
                    );
                }
            }
            "software_copyright.software_copyrights" => {
                let p = match s.section.as_str() {
                    "I" => 0.7,
                    "M" => 0.25,
                    "C" | "L" | "R" => 0.04,
                    _ => 0.01,
                };
                if !chance(rng, p) {
                    return;
                }
                let n = self.count(rng, 3.0).max(1);
                for k in 0..n {
                    let date = self.recent(rng, s, 8);
                    let name = format!(
                        "{}{}{}",
                        trade(rng),
                        pick(rng, &["智慧", "云", "数据", "企业"]),
                        pick(rng, &["管理系统", "服务平台", "监测软件", "小程序"])
                    );
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .s("copyright_owner", &s.name)
                            .s("software_full_name", format!("{name}V{}.0", 1 + k % 3))
                            .s(
                                "first_publication_date",
                                d(date - chrono::Duration::days(30)),
                            )
                            .s("version", format!("V{}.0", 1 + k % 3))
                            .s("software_category", "应用软件")
                            .s("industry_category", "信息技术服务")
                            .s(
                                "registration_no",
                                format!("{}SR{:07}{k}", date.year(), s.idx),
                            )
                            .s("registration_date", d(date))
                            .end(),
                    );
                }
            }
            "judicial.court_judgments" => {
                if !chance(rng, [0.03, 0.05, 0.10, 0.2, 0.3][tier]) {
                    return;
                }
                let court = format!("{}{}人民法院", self.city, region_name(&s.region));
                for k in 0..rng.random_range(1..=3) {
                    let date = self.recent(rng, s, 5);
                    let (other, other_id) = self.person(rng, s);
                    let plaintiff = chance(rng, 0.5);
                    let mut row = Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s(
                            "cause_of_action",
                            pick(
                                rng,
                                &[
                                    "买卖合同纠纷",
                                    "劳动争议",
                                    "租赁合同纠纷",
                                    "借款合同纠纷",
                                    "建设工程施工合同纠纷",
                                ],
                            ),
                        )
                        .s(
                            "case_no",
                            format!(
                                "（{}）豫01{:02}民初{}号",
                                date.year(),
                                k,
                                1000 + s.idx % 9000
                            ),
                        );
                    row = if plaintiff {
                        row.s("plaintiff_name", &s.name)
                            .s("plaintiff_id_no_or_uscc", &s.uscc)
                            .s("defendant_name", &other)
                            .s("defendant_id_no_or_uscc", &other_id)
                    } else {
                        row.s("plaintiff_name", &other)
                            .s("plaintiff_id_no_or_uscc", &other_id)
                            .s("defendant_name", &s.name)
                            .s("defendant_id_no_or_uscc", &s.uscc)
                    };
                    out.push(
                        row.s(
                            "judgment_result",
                            pick(
                                rng,
                                &[
                                    "支持原告全部诉讼请求",
                                    "部分支持原告诉讼请求",
                                    "驳回原告诉讼请求",
                                    "准予撤诉",
                                ],
                            ),
                        )
                        .s("court", &court)
                        .s("location", &self.city)
                        .s("publish_date", d(date))
                        .end(),
                    );
                }
            }
            "judicial.enforcement_cases" => {
                if !chance(rng, [0.0, 0.005, 0.03, 0.12, 0.35][tier]) {
                    return;
                }
                let date = self.recent(rng, s, 3);
                out.push(
                    Row::new()
                        .s(
                            "case_no",
                            format!("（{}）豫01执{}号", date.year(), 1000 + s.idx % 9000),
                        )
                        .s("debtor_name", &s.name)
                        .s("debtor_id_no_or_uscc", &s.uscc)
                        .s("enforcement_court", format!("{}中级人民法院", self.city))
                        .s("enforcement_date", d(date))
                        .s(
                            "enforcement_subject_amount",
                            yuan(rng.random_range(20_000..3_000_000) * 100),
                        )
                        .end(),
                );
            }
            "judicial.terminated_enforcement_cases" => {
                if !chance(rng, [0.0, 0.0, 0.005, 0.04, 0.2][tier]) {
                    return;
                }
                let filed = self.recent(rng, s, 4);
                let ended = self.day(rng, filed, filed + chrono::Duration::days(300));
                out.push(
                    Row::new()
                        .s(
                            "case_no",
                            format!("（{}）豫01执恢{}号", filed.year(), 100 + s.idx % 900),
                        )
                        .s("debtor_name", &s.name)
                        .s("debtor_id_no_or_uscc", &s.uscc)
                        .s("enforcement_court", format!("{}中级人民法院", self.city))
                        .s("filing_date", d(filed))
                        .s("termination_date", d(ended))
                        .end(),
                );
            }
            "judicial.dishonest_judgment_debtors" => {
                if !chance(rng, [0.0, 0.0, 0.01, 0.06, 0.3][tier]) {
                    return;
                }
                let filed = self.recent(rng, s, 3);
                let published = self.day(rng, filed, filed + chrono::Duration::days(90));
                let row = Row::new()
                    .s(
                        "case_no",
                        format!("（{}）豫01执{}号之一", filed.year(), 1000 + s.idx % 9000),
                    )
                    .s("enterprise_name", &s.name)
                    .s("debtor_name", &s.name)
                    .s("legal_rep_or_head_name", &s.legal_rep)
                    .s("debtor_id_no_or_uscc", &s.uscc)
                    .s(
                        "performance_status",
                        if chance(rng, 0.8) {
                            "全部未履行"
                        } else {
                            "部分履行"
                        },
                    )
                    .s(
                        "dishonest_behaviour",
                        "有履行能力而拒不履行生效法律文书确定义务",
                    )
                    .s("enforcement_court", format!("{}中级人民法院", self.city))
                    .s("location", "河南")
                    .s("filing_date", d(filed))
                    .s("publish_date", d(published))
                    .s(
                        "enforcement_basis_case_no",
                        format!("（{}）豫01民初{}号", filed.year() - 1, 100 + s.idx % 900),
                    )
                    .s(
                        "enforcement_basis_issuer",
                        format!("{}中级人民法院", self.city),
                    )
                    .s("adjudicated_obligation", "支付货款及利息");
                // Some have since performed and been removed from the list (屏蔽/撤销).
                let row = if tier < 4 && chance(rng, 0.3) {
                    row.s("revocation_date", d(self.day(rng, published, today)))
                } else {
                    row
                };
                out.push(row.end());
            }
            "judicial.bankruptcy" => {
                if !chance(rng, [0.0, 0.0, 0.0, 0.004, 0.03][tier]) {
                    return;
                }
                let date = self.recent(rng, s, 2);
                out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s(
                            "bankruptcy_case_no",
                            format!("（{}）豫01破{}号", date.year(), 10 + s.idx % 90),
                        )
                        .s("bankruptcy_type", pick(rng, &["破产清算", "破产重整"]))
                        .s("acceptance_date", d(date))
                        .s("accepting_court", format!("{}中级人民法院", self.city))
                        .s("administrator_name", "河南某某律师事务所")
                        .end(),
                );
            }
            "administrative.administrative_license" => {
                let n = self.count(rng, if s.kind == "92" { 0.8 } else { 1.1 });
                let mut seen = BTreeSet::new();
                for _ in 0..n {
                    let (name, authority) = *pick(rng, licence_kinds(&s.section));
                    let date = self.recent(rng, s, 6);
                    let doc = self.doc_no(rng, "许", date.year());
                    if !seen.insert(doc.clone()) {
                        continue;
                    }
                    let unit = self.unit(authority);
                    out.push(
                        self.counterpart(s)
                            .s("decision_doc_name", format!("准予{name}决定书"))
                            .s("decision_doc_no", &doc)
                            .s("license_category", "普通")
                            .s("license_certificate_name", name)
                            .s("license_no", format!("{}{:08}", date.year(), s.idx))
                            .s(
                                "license_content",
                                format!("准予{}", name.trim_end_matches("证")),
                            )
                            .s("decision_date", d(date))
                            .s("valid_from", d(date))
                            .s("valid_to", d(date + chrono::Duration::days(365 * 5)))
                            .s("license_status", "有效")
                            .s("authority_name", &unit.name)
                            .s("authority_uscc", &unit.uscc)
                            .s("data_source_unit", &unit.name)
                            .s("data_source_unit_code", &unit.uscc)
                            .s("sharing_attribute", "公开")
                            .end(),
                    );
                }
            }
            "administrative.administrative_penalty" => {
                if !chance(rng, [0.02, 0.05, 0.15, 0.30, 0.5][tier]) {
                    return;
                }
                let n = if tier >= 3 {
                    rng.random_range(1..=3)
                } else {
                    1
                };
                let mut docs = BTreeSet::new();
                for _ in 0..n {
                    let (facts, basis, authority, fine_max) = *pick(rng, PENALTIES);
                    let unit = self.unit(authority);
                    let date = self.recent(rng, s, 3);
                    let fine = rng.random_range(1..=fine_max) * 100_000;
                    let doc = self.doc_no(rng, "罚", date.year());
                    if !docs.insert(doc.clone()) {
                        continue;
                    }
                    out.push(
                        self.counterpart(s)
                            .s("decision_doc_name", "行政处罚决定书")
                            .s("decision_doc_no", &doc)
                            .s("violation_type", facts.split('，').next().unwrap_or(facts))
                            .s("violation_facts", facts)
                            .s("penalty_basis", basis)
                            .s("penalty_category", if fine > 0 { "罚款" } else { "警告" })
                            .s("penalty_content", format!("罚款人民币{}元", fine / 100))
                            .s("fine_amount", yuan(fine))
                            .s("decision_date", d(date))
                            .s(
                                "penalty_valid_until",
                                d(date + chrono::Duration::days(365 * 3)),
                            )
                            .s(
                                "publication_end_date",
                                d(date + chrono::Duration::days(365 * 3)),
                            )
                            .s("authority_name", &unit.name)
                            .s("authority_uscc", &unit.uscc)
                            .s("data_source_unit", &unit.name)
                            .s("data_source_unit_code", &unit.uscc)
                            .s("sharing_attribute", "公开")
                            .end(),
                    );
                }
            }
            "administrative.administrative_coercion" => {
                if !chance(rng, [0.0, 0.0, 0.005, 0.03, 0.1][tier]) {
                    return;
                }
                let unit = self.unit("tax");
                let date = self.recent(rng, s, 3);
                out.push(
                    self.counterpart(s)
                        .s("decision_doc_name", "查封（扣押）决定书")
                        .s("decision_doc_no", self.doc_no(rng, "强", date.year()))
                        .s("coercion_reason", "逾期不缴纳税款及滞纳金")
                        .s("coercion_basis", "《中华人民共和国税收征收管理法》第四十条")
                        .s("coercion_kind", "行政强制执行")
                        .s("coercive_enforcement_type", "划拨存款、汇款")
                        .s("coercion_content", "从其银行账户中扣缴税款及滞纳金")
                        .s("coercion_result", "已执行")
                        .s("decision_date", d(date))
                        .s("enforcement_date", d(date))
                        .s("authority_name", &unit.name)
                        .s("authority_code", &unit.uscc)
                        .s("data_source_unit", &unit.name)
                        .s("sharing_attribute", "公开")
                        .end(),
                );
            }
            "administrative.administrative_reward" => {
                if !chance(rng, [0.08, 0.03, 0.01, 0.0, 0.0][tier]) {
                    return;
                }
                let (name, level) = *pick(rng, REWARDS);
                let date = self.recent(rng, s, 5);
                let unit = self.unit("industry");
                out.push(
                    self.counterpart(s)
                        .s("decision_doc_no", self.doc_no(rng, "奖", date.year()))
                        .s("reward_name", format!("{}年度{name}", date.year() - 1))
                        .s("reward_matter", format!("授予{}", name))
                        .s("reward_level", level)
                        .s("award_date", d(date))
                        .s("valid_until", d(date + chrono::Duration::days(365 * 3)))
                        .s("authority_name", &unit.name)
                        .s("authority_code", &unit.uscc)
                        .s("data_source_unit", &unit.name)
                        .s("sharing_attribute", "公开")
                        .end(),
                );
            }
            "administrative.administrative_inspection"
            | "administrative.supervisory_inspection" => {
                let supervisory = item == "administrative.supervisory_inspection";
                let n = self.count(rng, if supervisory { 0.6 } else { 0.9 });
                let mut keys = BTreeSet::new();
                for _ in 0..n {
                    let authority = *pick(rng, &["market", "ecology", "urban", "hrss", "health"]);
                    let unit = self.unit(authority);
                    let date = self.recent(rng, s, 4);
                    if !keys.insert((date, authority)) {
                        continue;
                    }
                    let ok = !chance(rng, [0.02, 0.05, 0.2, 0.4, 0.6][tier]);
                    let result = if ok {
                        "未发现问题"
                    } else {
                        "发现问题，已责令改正"
                    };
                    if supervisory {
                        out.push(
                            Row::new()
                                .s("enterprise_name", &s.name)
                                .s("uscc", &s.uscc)
                                .s("legal_rep_name", &s.legal_rep)
                                .s("inspection_form", "双随机抽查")
                                .s("inspection_method", "现场检查")
                                .s("inspection_content", "经营资质、安全生产及信息公示情况")
                                .s("inspection_result", result)
                                .s("inspection_date", d(date))
                                .s("authority_name", &unit.name)
                                .s("authority_uscc", &unit.uscc)
                                .s("data_source_unit", &unit.name)
                                .end(),
                        );
                    } else {
                        out.push(
                            self.counterpart(s)
                                .s(
                                    "inspection_form",
                                    pick(rng, &["日常检查", "专项检查", "双随机抽查"]),
                                )
                                .s("inspection_method", pick(rng, &["现场检查", "书面检查"]))
                                .s(
                                    "inspection_content",
                                    pick(
                                        rng,
                                        &[
                                            "食品安全",
                                            "消防安全",
                                            "环境保护",
                                            "劳动用工",
                                            "计量器具",
                                        ],
                                    ),
                                )
                                .s("inspection_result", result)
                                .s("inspection_date", d(date))
                                .s("authority_name", &unit.name)
                                .s("authority_code", &unit.uscc)
                                .s("data_source_unit", &unit.name)
                                .s("sharing_attribute", "公开")
                                .end(),
                        );
                    }
                }
            }
            "administrative.administrative_confirmation" => {
                if !chance(rng, 0.04) {
                    return;
                }
                let unit = self.unit("industry");
                let date = self.recent(rng, s, 4);
                out.push(
                    self.counterpart(s)
                        .s(
                            "confirmation_item_name",
                            pick(
                                rng,
                                &[
                                    "小型微利企业认定",
                                    "资源综合利用认定",
                                    "技术先进型服务企业认定",
                                ],
                            ),
                        )
                        .s("confirmation_kind", "认定")
                        .s("confirmation_content", "符合认定条件")
                        .s("confirmation_date", d(date))
                        .s("authority_name", &unit.name)
                        .s("authority_code", &unit.uscc)
                        .s("data_source_unit", &unit.name)
                        .s("sharing_attribute", "公开")
                        .end(),
                );
            }
            "administrative.administrative_adjudication" => {
                if !chance(rng, 0.004) {
                    return;
                }
                let unit = self.unit("natres");
                let date = self.recent(rng, s, 4);
                out.push(
                    self.counterpart(s)
                        .s("adjudication_kind", "权属纠纷裁决")
                        .b("is_final", false)
                        .s("adjudication_content", "确认争议土地使用权归属")
                        .s("adjudication_cause", "土地使用权权属争议")
                        .s("legal_basis", "《中华人民共和国土地管理法》第十四条")
                        .s("adjudication_date", d(date))
                        .s("authority_name", &unit.name)
                        .s("authority_code", &unit.uscc)
                        .s("data_source_unit", &unit.name)
                        .s("sharing_attribute", "公开")
                        .end(),
                );
            }
            "administrative.administrative_levy" => {
                // 残疾人就业保障金: employers of 30 or more, once a year.
                if s.employees < 30 {
                    return;
                }
                let unit = self.unit("tax");
                let years = self.count(rng, 3.0).min(6);
                for k in 0..years {
                    let y = year - 1 - k as i32;
                    if y < s.established.year() {
                        break;
                    }
                    let date = self.day(
                        rng,
                        NaiveDate::from_ymd_opt(y, 7, 1).expect("date"),
                        NaiveDate::from_ymd_opt(y, 9, 30).expect("date"),
                    );
                    out.push(
                        self.counterpart(s)
                            .s("levy_kind", "残疾人就业保障金")
                            .s("levy_content", format!("{}年度残疾人就业保障金", y - 1))
                            .s(
                                "amount",
                                yuan(s.employees * rng.random_range(50..300) * 100),
                            )
                            .s("levy_date", d(date))
                            .s("authority_name", &unit.name)
                            .s("authority_uscc", &unit.uscc)
                            .s("data_source_unit", &unit.name)
                            .s("sharing_attribute", "有条件共享")
                            .end(),
                    );
                }
            }
            "administrative.administrative_benefit_payment" => {
                if !chance(rng, [0.12, 0.1, 0.05, 0.02, 0.0][tier]) {
                    return;
                }
                let unit = self.unit("hrss");
                let date = self.recent(rng, s, 3);
                out.push(
                    self.counterpart(s)
                        .s("decision_doc_no", self.doc_no(rng, "人社", date.year()))
                        .s(
                            "benefit_type",
                            pick(
                                rng,
                                &["失业保险稳岗返还", "一次性吸纳就业补贴", "职业技能培训补贴"],
                            ),
                        )
                        .s("benefit_content", "按规定发放")
                        .s(
                            "amount",
                            yuan(s.employees * rng.random_range(200..1_500) * 100),
                        )
                        .s("benefit_date", d(date))
                        .s("authority_name", &unit.name)
                        .s("authority_uscc", &unit.uscc)
                        .s("data_source_unit", &unit.name)
                        .s("sharing_attribute", "公开")
                        .end(),
                );
            }
            "administrative.other_enforcement" => {
                if !chance(rng, [0.002, 0.005, 0.02, 0.04, 0.06][tier]) {
                    return;
                }
                let unit = self.unit("urban");
                let date = self.recent(rng, s, 3);
                out.push(
                    self.counterpart(s)
                        .s("action_content", "责令限期改正违规设置户外广告")
                        .s("decision_date", d(date))
                        .s("authority_name", &unit.name)
                        .s("authority_uscc", &unit.uscc)
                        .s("data_source_unit", &unit.name)
                        .s("sharing_attribute", "公开")
                        .end(),
                );
            }
            "agriculture.entity_basic_info"
            | "agriculture.entity_operations"
            | "agriculture.land_transfer"
            | "agriculture.confirmed_land_plots"
            | "agriculture.agri_insurance"
            | "agriculture.agri_subsidy"
            | "agri_related_list.large_grower_list" => {
                if s.section != "A" {
                    return;
                }
                self.agriculture(item, s, rng, out);
            }
            "contract_performance.contract_records" => {
                if s.kind != "91" || !chance(rng, 0.18) {
                    return;
                }
                for k in 0..rng.random_range(1..=3) {
                    let other = &self.subjects[rng.random_range(0..self.subjects.len())];
                    if other.uscc == s.uscc {
                        continue;
                    }
                    let kind = *pick(
                        rng,
                        &[
                            "买卖合同",
                            "建设工程合同",
                            "技术服务合同",
                            "租赁合同",
                            "运输合同",
                        ],
                    );
                    out.push(
                        Row::new()
                            .s(
                                "contract_no",
                                format!("HT{}{:07}{k}", year - rng.random_range(0..3), s.idx),
                            )
                            .s("contract_name", format!("{}{kind}", trade(rng)))
                            .s("party_a_name", &s.name)
                            .s("party_a_uscc", &s.uscc)
                            .s("party_b_name", &other.name)
                            .s("party_b_uscc", &other.uscc)
                            .s("contract_type", kind)
                            .s(
                                "data_source",
                                pick(rng, &["正常履行", "履行完毕", "履行中"]),
                            )
                            .end(),
                    );
                }
            }
            "public_resource_trading.public_resource_transactions" => {
                let p = match s.section.as_str() {
                    "E" => 0.5,
                    "I" | "M" | "N" => 0.08,
                    "F" | "C" => 0.03,
                    _ => 0.0,
                };
                if !chance(rng, p) {
                    return;
                }
                let n = rng.random_range(1..=4);
                let tenders: Vec<_> = (0..n)
                    .map(|k| {
                        let date = self.recent(rng, s, 3);
                        json!({"project": format!("{}{}项目", self.city, ["道路改造", "学校建设", "管网维修", "绿化提升"][k % 4]), "date": d(date), "won": chance(rng, 0.35)})
                    })
                    .collect();
                let awards: Vec<_> = tenders
                    .iter()
                    .filter(|t| t["won"] == json!(true))
                    .map(|t| json!({"project": t["project"], "date": t["date"], "amount": yuan(rng.random_range(200_000..20_000_000) * 100)}))
                    .collect();
                let (construction, procurement) = if s.section == "E" {
                    (tenders, Vec::new())
                } else {
                    (Vec::new(), awards.clone())
                };
                out.push(
                    Row::new()
                        .s("uscc", &s.uscc)
                        .j("construction_tender_info", json!(construction))
                        .j(
                            "construction_award_results",
                            json!(if s.section == "E" { awards } else { Vec::new() }),
                        )
                        .j("gov_procurement_award_results", json!(procurement))
                        .j("mining_rights_transfer_results", json!([]))
                        .end(),
                );
            }
            "qualifications.construction" => {
                if s.section != "E" || !chance(rng, 0.85) {
                    return;
                }
                let mut seen = BTreeSet::new();
                for _ in 0..rng.random_range(1..=3) {
                    let (series, category) = *pick(
                        rng,
                        &[
                            ("施工总承包", "建筑工程"),
                            ("施工总承包", "市政公用工程"),
                            ("专业承包", "建筑装修装饰工程"),
                            ("专业承包", "地基基础工程"),
                            ("专业承包", "环保工程"),
                        ],
                    );
                    if !seen.insert(category) {
                        continue;
                    }
                    let issued = self.recent(rng, s, 5);
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .s("qualification_series", series)
                            .s("qualification_category", category)
                            .s(
                                "qualification_grade",
                                if s.employees >= 300 {
                                    "一级"
                                } else if s.employees >= 50 {
                                    "二级"
                                } else {
                                    "三级"
                                },
                            )
                            .s("issuing_authority", "河南省住房和城乡建设厅")
                            .s("issue_date", d(issued))
                            .s("valid_until", d(issued + chrono::Duration::days(365 * 5)))
                            .end(),
                    );
                }
            }
            "qualifications.medical" => {
                if s.division != "84" {
                    return;
                }
                let issued = self.recent(rng, s, 4);
                out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s("practice_licence_no", format!("PDY{:08}", s.idx))
                        .s("issuing_authority", self.unit("health").name)
                        .s("valid_until", d(issued + chrono::Duration::days(365 * 5)))
                        .end(),
                );
            }
            "qualifications.education" => {
                if s.section != "P" {
                    return;
                }
                let issued = self.recent(rng, s, 4);
                out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s(
                            "school_licence_no",
                            format!("教民{:015}", u64::from(s.idx) * 7_919),
                        )
                        .s("school_type", "民办培训机构")
                        .s(
                            "training_institution_type",
                            pick(rng, &["职业技能培训", "文化艺术培训", "体育培训"]),
                        )
                        .s("training_content", "职业技能培训")
                        .s(
                            "competent_department",
                            format!("{}人力资源和社会保障局", self.city),
                        )
                        .s("valid_until", d(issued + chrono::Duration::days(365 * 3)))
                        .j("penalty_records", json!([]))
                        .end(),
                );
            }
            "qualifications.transport" => {
                if !matches!(s.division.as_str(), "54" | "58" | "59" | "60") {
                    return;
                }
                let issued = self.recent(rng, s, 4);
                out.push(
                    Row::new()
                        .s("operator_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s(
                            "road_transport_licence_no",
                            format!(
                                "豫交运管许可郑字{:012}号",
                                410_100_000_000u64 + u64::from(s.idx)
                            ),
                        )
                        .s("business_scope", "道路普通货物运输")
                        .s("issuing_authority", format!("{}交通运输局", self.city))
                        .s("valid_until", d(issued + chrono::Duration::days(365 * 4)))
                        .end(),
                );
            }
            "tech_innovation.innovation_rating" | "tech_innovation.research_support" => {
                let mut base = rng_for(self.seed, 50_004, s.idx);
                let techy = matches!(s.section.as_str(), "C" | "I" | "M");
                let p = if techy && s.employees >= 10 {
                    [0.8, 0.6, 0.3, 0.1, 0.0][tier]
                } else if techy {
                    0.15
                } else {
                    0.03
                };
                if !chance(&mut base, p) {
                    return;
                }
                let high_tech = chance(&mut base, 0.55);
                let srdi = s.employees >= 20 && chance(&mut base, 0.4);
                let giant = srdi && chance(&mut base, 0.1);
                let funded = high_tech && chance(&mut base, 0.4);
                if item == "tech_innovation.innovation_rating" {
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .b("is_srdi_little_giant", giant)
                            .b("is_srdi_sme", srdi)
                            .b("is_innovative_sme", srdi || chance(rng, 0.5))
                            .b("is_high_tech_enterprise", high_tech)
                            .b("is_tech_sme", true)
                            .b(
                                "is_national_high_tech_enterprise",
                                high_tech && chance(rng, 0.8),
                            )
                            .j("research_support_received", json!({"funded": funded}))
                            .end(),
                    );
                } else if funded {
                    out.push(
                        Row::new()
                            .s("enterprise_name", &s.name)
                            .s("uscc", &s.uscc)
                            .s(
                                "lab_construction",
                                pick(
                                    rng,
                                    &["市级工程技术研究中心", "省级企业技术中心", "市级重点实验室"],
                                ),
                            )
                            .s(
                                "government_funding",
                                format!(
                                    "{}年度科技计划项目资助{}万元",
                                    year - 1,
                                    rng.random_range(10..200)
                                ),
                            )
                            .s(
                                "standard_setting_participation",
                                if chance(rng, 0.3) {
                                    "参与制定团体标准1项"
                                } else {
                                    "无"
                                },
                            )
                            .s(
                                "talent_certification",
                                if chance(rng, 0.3) {
                                    "市级创新创业人才"
                                } else {
                                    "无"
                                },
                            )
                            .end(),
                    );
                }
            }
            "utilities.water_account"
            | "utilities.water_usage_statistics"
            | "utilities.electricity_account"
            | "utilities.gas_account"
            | "utilities.gas_usage_statistics" => self.utilities(item, s, out),
            _ => {}
        }
    }

    fn agriculture(&self, item: &str, s: &Subject, rng: &mut ChaCha8Rng, out: &mut Vec<String>) {
        let mut base = rng_for(self.seed, 50_005, s.idx);
        let crops = *pick(
            &mut base,
            &[
                "小麦、玉米",
                "蔬菜",
                "花生",
                "苗木花卉",
                "水果",
                "生猪养殖",
                "食用菌",
            ],
        );
        let area = base.random_range(50..3_000);
        let plots: Vec<String> = (0..base.random_range(1..=3))
            .map(|k| format!("{}{}{:04}", s.region, 100 + s.idx % 900, k + 1))
            .collect();
        let category = if s.kind == "93" {
            "农民专业合作社"
        } else {
            "农业企业"
        };
        let farming = if crops.contains("养殖") {
            "养殖业"
        } else {
            "种植业"
        };
        let started = (self.today - chrono::Duration::days(365 * 5)).max(s.established);
        let village = format!(
            "{}{}{}村",
            self.city,
            region_name(&s.region),
            pick(&mut base, &["李庄", "王营", "张寨", "刘湾", "陈岗"])
        );
        match item {
            "agriculture.entity_basic_info" => out.push(
                Row::new()
                    .s("entity_name", &s.name)
                    .s("person_in_charge", &s.legal_rep)
                    .s("id_type", "统一社会信用代码")
                    .s("id_no", &s.uscc)
                    .s("entity_category", category)
                    .s("location", &village)
                    .s("business_content", crops)
                    .j("operated_plots", json!(plots))
                    .s("farming_type", farming)
                    .s("farming_scale", format!("{area}.00"))
                    .end(),
            ),
            "agriculture.entity_operations" => out.push(
                Row::new()
                    .s("id_no", &s.uscc)
                    .s("business_content", crops)
                    .j("operated_plots", json!(plots))
                    .s("farming_type", farming)
                    .s("farming_scale", format!("{area}.00"))
                    .end(),
            ),
            "agriculture.land_transfer" => {
                for plot in &plots {
                    let (farmer, farmer_id) = self.person(rng, s);
                    let from = self.day(rng, started, self.today);
                    let mu = rng.random_range(5..200);
                    out.push(
                        Row::new()
                            .s("transferee_name", &s.name)
                            .s("transferee_id_no_or_uscc", &s.uscc)
                            .s("transferor_name", &farmer)
                            .s("transferor_id_no_or_uscc", &farmer_id)
                            .s(
                                "transfer_fee",
                                yuan(mu * rng.random_range(600..1_200) * 100),
                            )
                            .s("land_area", format!("{mu}.00"))
                            .s("plot_no", plot)
                            .s("plot_address", &village)
                            .s("transfer_start_date", d(from))
                            .s(
                                "transfer_end_date",
                                d(from + chrono::Duration::days(365 * 10)),
                            )
                            .s("boundary_east", "道路")
                            .s("boundary_west", "沟渠")
                            .s("boundary_south", "林带")
                            .s("boundary_north", "邻户承包地")
                            .end(),
                    );
                }
            }
            "agriculture.confirmed_land_plots" => {
                for plot in &plots {
                    out.push(
                        Row::new()
                            .s("plot_no", plot)
                            .s("plot_name", format!("{}地块", &plot[plot.len() - 4..]))
                            .s("plot_address", &village)
                            .s("holder_name", &s.name)
                            .s("holder_id_no_or_uscc", &s.uscc)
                            .s(
                                "plot_area",
                                format!(
                                    "{}.{}",
                                    rng.random_range(5..200),
                                    rng.random_range(0..100)
                                ),
                            )
                            .s("soil_fertility_grade", pick(rng, &["一等", "二等", "三等"]))
                            .s("plot_category", "承包地块")
                            .s("land_use_type", "耕地")
                            .s("land_purpose", "种植业")
                            .s("ownership_nature", "集体土地所有权")
                            .b("is_basic_farmland", chance(rng, 0.7))
                            .s("contract_term", "2028-12-31")
                            .end(),
                    );
                }
            }
            "agriculture.agri_insurance" => {
                if !chance(rng, 0.7) {
                    return;
                }
                for k in 0..self.count(rng, 2.0).max(1) {
                    let y = self.today.year() - k as i32;
                    let from = NaiveDate::from_ymd_opt(y, 3, 1).expect("date");
                    if from >= self.today || from < s.established {
                        continue;
                    }
                    out.push(
                        Row::new()
                            .s("entity_name", &s.name)
                            .s("id_type", "统一社会信用代码")
                            .s("id_no", &s.uscc)
                            .b("is_insured", true)
                            .s(
                                "insurance_type",
                                if farming == "养殖业" {
                                    "能繁母猪保险"
                                } else {
                                    "完全成本保险"
                                },
                            )
                            .s("insured_scale", format!("{area}.00"))
                            .s("sum_insured", yuan(area * 1_000 * 100))
                            .s("policy_valid_from", d(from))
                            .s("policy_valid_to", d(from + chrono::Duration::days(364)))
                            .j(
                                "claims_info",
                                json!({"claims": i32::from(chance(rng, 0.2))}),
                            )
                            .end(),
                    );
                }
            }
            "agriculture.agri_subsidy" => {
                for kind in ["耕地地力保护补贴", "农机购置补贴"] {
                    if chance(rng, 0.6) {
                        out.push(
                            Row::new()
                                .s("entity_name", &s.name)
                                .s("id_type", "统一社会信用代码")
                                .s("id_no", &s.uscc)
                                .s("subsidy_type", kind)
                                .s(
                                    "subsidy_amount",
                                    yuan(area * rng.random_range(80..130) * 100),
                                )
                                .end(),
                        );
                    }
                }
            }
            _ => {
                if area >= 300 {
                    out.push(
                        Row::new()
                            .s("grower_name", &s.name)
                            .s("id_type", "统一社会信用代码")
                            .s("id_no", &s.uscc)
                            .s("address", &village)
                            .j("basic_info", json!({"person_in_charge": s.legal_rep}))
                            .s("planting_area", format!("{area}.00"))
                            .s("crop_varieties", crops)
                            .s("subsidised_area", format!("{}.00", area * 8 / 10))
                            .s("subsidy_amount", yuan(area * 100 * 100))
                            .end(),
                    );
                }
            }
        }
    }

    fn utilities(&self, item: &str, s: &Subject, out: &mut Vec<String>) {
        // Accounts are decided once per enterprise and utility; each item of the utility
        // reads the same stream.
        let (stream, p) = match item {
            "utilities.water_account" | "utilities.water_usage_statistics" => (50_010, 0.75),
            "utilities.electricity_account" => (50_011, 0.9),
            _ => (
                50_012,
                match s.section.as_str() {
                    "H" | "C" | "D" => 0.7,
                    _ => 0.15,
                },
            ),
        };
        let mut rng = rng_for(self.seed, stream, s.idx);
        if !chance(&mut rng, p) {
            return;
        }
        let accounts = 1
            + usize::from(s.employees >= 50 && chance(&mut rng, 0.5))
            + usize::from(s.employees >= 300 && chance(&mut rng, 0.5));
        let today = self.today;
        let statistics_date = first_of_month(today) - chrono::Duration::days(1);
        for a in 0..accounts {
            // One account per service address (the natural key): further sites are numbered.
            let address = match a {
                0 => self.address(&mut rng, s),
                _ => format!("{}{}号厂区", self.address(&mut rng, s), a + 1),
            };
            let opened = self.day(&mut rng, s.established, today);
            let h = self.history(&mut rng, s, 12);
            let monthly = (s.employees * rng.random_range(20..400)).max(30) * 100;
            let arrears = h.trailing_unpaid() * monthly;
            let account_no = format!("{:02}{:09}{a}", stream % 100, s.idx);
            let records: Vec<_> = h
                .months
                .iter()
                .zip(&h.paid)
                .map(|(m, p)| json!({"month": month(*m), "amount": yuan(monthly), "paid": *p}))
                .collect();
            let volume = |k: i64| format!("{}.{}", s.employees * k + 10, a);
            match item {
                "utilities.water_account" => out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s("account_open_date", d(opened))
                        .s("service_address", &address)
                        .s(
                            "prepaid_amount",
                            yuan(if arrears == 0 { monthly / 2 } else { 0 }),
                        )
                        .s("arrears_amount", yuan(arrears))
                        .b("one_meter_per_account", true)
                        .end(),
                ),
                "utilities.water_usage_statistics" => out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .j(
                            "customer_registration_info",
                            json!({"address": address, "opened": d(opened)}),
                        )
                        .j("monthly_payment_records", json!(records))
                        .s(
                            "water_account_name_and_no",
                            format!("{} {account_no}", s.name),
                        )
                        .j("water_payment_details", json!([]))
                        .s("billing_period", "按月")
                        .s("avg_monthly_water_volume_3m", volume(3))
                        .s("avg_monthly_water_volume_6m", volume(3))
                        .b("has_arrears", arrears > 0)
                        .s("statistics_date", d(statistics_date))
                        .end(),
                ),
                "utilities.electricity_account" => out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s("service_address", &address)
                        .s("operating_capacity", format!("{}.0", s.employees * 5 + 30))
                        .s("contracted_capacity", format!("{}.0", s.employees * 6 + 50))
                        .s("first_supply_date", d(opened))
                        .s("account_status", "正常用电")
                        .s("arrears_amount", yuan(arrears))
                        .n("violations_24m", i64::from(s.tier >= 3 && h.unpaid() > 2))
                        .s("statistics_date", d(statistics_date))
                        .end(),
                ),
                "utilities.gas_account" => out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .s("account_open_date", d(opened))
                        .s("service_address", &address)
                        .s(
                            "prepaid_amount",
                            yuan(if arrears == 0 { monthly / 3 } else { 0 }),
                        )
                        .s("arrears_amount", yuan(arrears))
                        .b("one_meter_per_account", true)
                        .s("statistics_date", d(statistics_date))
                        .end(),
                ),
                _ => out.push(
                    Row::new()
                        .s("enterprise_name", &s.name)
                        .s("uscc", &s.uscc)
                        .j(
                            "customer_registration_info",
                            json!({"address": address, "opened": d(opened)}),
                        )
                        .s(
                            "gas_account_name_and_no",
                            format!("{} {account_no}", s.name),
                        )
                        .j("gas_payment_details", json!(records))
                        .s("avg_monthly_gas_volume_3m", volume(2))
                        .s("avg_monthly_gas_volume_6m", volume(2))
                        .b("has_arrears", arrears > 0)
                        .s("statistics_date", d(statistics_date))
                        .end(),
                ),
            }
        }
    }
}

fn percent(n: i64) -> String {
    // A rate as a decimal fraction, e.g. -0.05.
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}0.{:02}", n.abs().min(99))
}

fn region_name(code: &str) -> String {
    xinrong_core::codes::region::regions()
        .get(code)
        .map(|r| r.name.to_string())
        .unwrap_or_default()
}

fn trade(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}{}",
        pick(rng, super::names::TRADE_SYLLABLES),
        pick(rng, super::names::TRADE_SYLLABLES)
    )
}

fn scope(section: &str) -> String {
    let words = super::names::business_words(section);
    format!(
        "{}；{}相关咨询服务。（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
        words.join("、"),
        words[0]
    )
}

const PATENT_WORDS: &[&str] = &[
    "节能",
    "自动化",
    "高精度",
    "智能",
    "环保型",
    "便携式",
    "多功能",
    "防水",
    "轻量化",
];

/// Licences by section: (certificate, the unit deciding it).
fn licence_kinds(section: &str) -> &'static [(&'static str, &'static str)] {
    match section {
        "H" => &[
            ("食品经营许可证", "market"),
            ("公众聚集场所投入使用营业前消防安全检查合格证", "urban"),
        ],
        "F" => &[("食品经营许可证", "market"), ("药品经营许可证", "market")],
        "C" => &[("工业产品生产许可证", "market"), ("排污许可证", "ecology")],
        "E" => &[("建筑工程施工许可证", "urban"), ("安全生产许可证", "urban")],
        "G" => &[("道路运输经营许可证", "urban")],
        "Q" => &[("医疗机构执业许可证", "health")],
        "P" => &[("民办学校办学许可证", "finance")],
        "A" => &[
            ("种子生产经营许可证", "agri"),
            ("动物防疫条件合格证", "agri"),
        ],
        _ => &[
            ("户外广告设施设置许可", "urban"),
            ("城市建筑垃圾处置核准", "urban"),
        ],
    }
}

/// Penalties: (facts, basis, authority, maximum fine in hundreds of yuan).
const PENALTIES: &[(&str, &str, &str, i64)] = &[
    (
        "未按规定期限办理纳税申报，逾期申报",
        "《中华人民共和国税收征收管理法》第六十二条",
        "tax",
        20,
    ),
    (
        "超标排放大气污染物，违反排污许可管理规定",
        "《中华人民共和国大气污染防治法》第九十九条",
        "ecology",
        1_000,
    ),
    (
        "经营标签不符合规定的食品",
        "《中华人民共和国食品安全法》第一百二十五条",
        "market",
        500,
    ),
    (
        "发布虚假广告，对商品作虚假宣传",
        "《中华人民共和国广告法》第五十五条",
        "market",
        800,
    ),
    (
        "未按规定为职工缴纳社会保险费",
        "《中华人民共和国社会保险法》第八十六条",
        "hrss",
        300,
    ),
    (
        "擅自占用城市道路堆放物料",
        "《城市道路管理条例》第四十二条",
        "urban",
        50,
    ),
    (
        "未取得许可擅自从事诊疗活动",
        "《医疗机构管理条例》第四十三条",
        "health",
        300,
    ),
];

/// Rewards: (name, level).
const REWARDS: &[(&str, &str)] = &[
    ("守合同重信用企业", "市级"),
    ("纳税信用A级纳税人表彰", "市级"),
    ("优秀民营企业", "市级"),
    ("安全生产先进单位", "区县级"),
    ("劳动关系和谐企业", "省级"),
];
