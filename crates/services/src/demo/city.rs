//! The synthetic enterprises of a demo city: deterministic for a seed, plausible in mix.
//!
//! Pure generation, no IO: the loader in `mod.rs` stores what this produces.

use super::names::*;
use chrono::{NaiveDate, NaiveDateTime};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use xinrong_core::codes::industry::industries;
use xinrong_core::codes::resident_id::ResidentId;
use xinrong_core::codes::size_class::{SizeSector, classify};
use xinrong_core::codes::uscc::Uscc;
use xinrong_store::repo::enterprises::EnterpriseRow;

/// Share of new registrations by GB/T 4754 section in a Chinese prefecture city, per mille:
/// wholesale/retail and business services dominate, manufacturing is a solid tenth.
const SECTION_MIX: &[(&str, u32)] = &[
    ("F", 300),
    ("C", 120),
    ("L", 100),
    ("E", 70),
    ("I", 60),
    ("M", 60),
    ("H", 50),
    ("O", 50),
    ("A", 40),
    ("G", 40),
    ("K", 30),
    ("R", 25),
    ("N", 20),
    ("P", 12),
    ("Q", 10),
    ("D", 8),
    ("B", 5),
];

/// Employee bands per mille: most market entities are micro.
const EMPLOYEE_BANDS: &[(u32, u32, u32)] = &[
    (650, 1, 9),
    (200, 10, 49),
    (100, 50, 299),
    (40, 300, 999),
    (10, 1000, 5000),
];

/// The place the city's enterprises are registered in: its county-level regions and the weight
/// of each (urban districts hold more enterprises than rural counties).
pub struct CityRegions {
    pub counties: Vec<(String, u32)>,
    /// 8-character prefix of ID numbers of residents (any real county of the province).
    pub resident_regions: Vec<String>,
}

pub struct EnterpriseGenerator<'a> {
    rng: ChaCha8Rng,
    regions: &'a CityRegions,
    names: HashSet<String>,
    city_short: String,
    section_total: u32,
    next_org_code: u64,
    now: NaiveDateTime,
}

impl<'a> EnterpriseGenerator<'a> {
    pub fn new(
        rng: ChaCha8Rng,
        regions: &'a CityRegions,
        city_name: &str,
        now: NaiveDateTime,
    ) -> Self {
        EnterpriseGenerator {
            rng,
            regions,
            names: HashSet::new(),
            city_short: city_name.trim_end_matches('市').to_owned(),
            section_total: SECTION_MIX.iter().map(|(_, w)| w).sum(),
            next_org_code: 0,
            now,
        }
    }

    pub fn next_enterprise(&mut self) -> EnterpriseRow {
        let region_code = self.pick_region();
        let (section, industry_code) = self.pick_industry();
        let (employees, revenue_fen, assets_fen) = self.pick_scale();
        let size = classify(
            SizeSector::for_division(&industry_code),
            employees,
            revenue_fen,
            assets_fen,
        );
        // 个体工商户 (92) are common in retail and catering; cooperatives (93) in agriculture.
        let kind = match section {
            "A" if self.rng.random_ratio(1, 3) => "93",
            "F" | "H" | "O" if employees < 10 && self.rng.random_ratio(1, 3) => "92",
            _ => "91",
        };
        let uscc = self.next_uscc(kind, &region_code);
        let name = self.unique_name(kind, section, &region_code);
        let (legal_rep_name, legal_rep_id_number) = self.person();
        let today = self.now.date();
        let established = self.established(today);
        // Registered capital tracks size loosely, in whole 万元.
        let capital_wan: i64 = match employees {
            0..=9 => self.rng.random_range(1..=100),
            10..=49 => self.rng.random_range(50..=1_000),
            50..=299 => self.rng.random_range(500..=5_000),
            _ => self.rng.random_range(2_000..=50_000),
        };
        EnterpriseRow {
            uscc: uscc.as_str().to_owned(),
            name,
            region_code,
            industry_code,
            established,
            registered_capital_fen: capital_wan * 1_000_000,
            employees: employees as i32,
            size_class: size.code().to_owned(),
            legal_rep_name,
            legal_rep_id_number: legal_rep_id_number.as_str().to_owned(),
            created_at: self.now,
        }
    }

    fn pick_region(&mut self) -> String {
        let total: u32 = self.regions.counties.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.random_range(0..total);
        for (code, weight) in &self.regions.counties {
            if roll < *weight {
                return code.clone();
            }
            roll -= weight;
        }
        self.regions.counties[0].0.clone()
    }

    fn pick_industry(&mut self) -> (&'static str, String) {
        let mut roll = self.rng.random_range(0..self.section_total);
        let mut section = SECTION_MIX[0].0;
        for (s, w) in SECTION_MIX {
            if roll < *w {
                section = s;
                break;
            }
            roll -= w;
        }
        let divisions: Vec<String> = industries()
            .divisions_of(section)
            .map(|d| d.code.to_string())
            .collect();
        let division = divisions
            .choose(&mut self.rng)
            .cloned()
            .expect("section has divisions");
        (section, division)
    }

    /// Employees, yearly revenue and total assets, consistent with one another.
    fn pick_scale(&mut self) -> (u32, i64, i64) {
        let mut roll = self.rng.random_range(0..1000);
        let mut band = EMPLOYEE_BANDS[0];
        for b in EMPLOYEE_BANDS {
            if roll < b.0 {
                band = *b;
                break;
            }
            roll -= b.0;
        }
        let employees = self.rng.random_range(band.1..=band.2);
        // Revenue per employee between 10 and 150 万元 a year; assets 0.5–2 × revenue.
        let revenue_wan = i64::from(employees) * self.rng.random_range(10..=150);
        let assets_wan = revenue_wan * self.rng.random_range(50..=200) / 100;
        (employees, revenue_wan * 1_000_000, assets_wan * 1_000_000)
    }

    /// A USCC: 9 (market regulator) + kind digit, the region, a unique 9-character organisation
    /// code with its GB 11714 check character, then the GB 32100 check character.
    fn next_uscc(&mut self, kind: &str, region: &str) -> Uscc {
        // An affine bijection on 0..10^8 spreads sequential counters into unrelated-looking codes
        // while guaranteeing uniqueness.
        const MODULUS: u64 = 100_000_000;
        let body = (self.next_org_code * 48_271 + 12_345_679) % MODULUS;
        self.next_org_code += 1;
        let digits = format!("{body:08}");
        let org_code = format!("{digits}{}", gb11714_check(&digits));
        Uscc::from_body(&format!("{kind}{region}{org_code}"))
            .expect("generated USCC body is well-formed")
    }

    fn unique_name(&mut self, kind: &str, section: &str, region: &str) -> String {
        let district = xinrong_core::codes::region::regions()
            .get(region)
            .map(|r| r.name.to_string())
            .unwrap_or_default();
        for attempt in 0.. {
            let trade = format!(
                "{}{}",
                TRADE_SYLLABLES.choose(&mut self.rng).expect("pool"),
                TRADE_SYLLABLES.choose(&mut self.rng).expect("pool")
            );
            let name = match kind {
                "92" => format!(
                    "{}{}{}{}",
                    district,
                    trade,
                    if attempt > 3 {
                        self.person().0
                    } else {
                        String::new()
                    },
                    SHOP_WORDS.choose(&mut self.rng).expect("pool")
                ),
                "93" => format!(
                    "{}{}{}专业合作社",
                    district,
                    trade,
                    business_words(section).choose(&mut self.rng).expect("pool")
                ),
                _ => {
                    let place = if self.rng.random_ratio(1, 2) {
                        self.city_short.clone()
                    } else {
                        district.clone()
                    };
                    let suffix = if attempt > 3 {
                        format!("{}", attempt)
                    } else {
                        String::new()
                    };
                    format!(
                        "{place}{trade}{}{suffix}有限公司",
                        business_words(section).choose(&mut self.rng).expect("pool")
                    )
                }
            };
            if self.names.insert(name.clone()) {
                return name;
            }
        }
        unreachable!("the loop returns once a fresh name is found")
    }

    fn person(&mut self) -> (String, ResidentId) {
        let surname = SURNAMES.choose(&mut self.rng).expect("pool");
        let given: String = (0..self.rng.random_range(1..=2))
            .map(|_| *GIVEN_NAME_CHARS.choose(&mut self.rng).expect("pool"))
            .collect();
        let region = self
            .regions
            .resident_regions
            .choose(&mut self.rng)
            .expect("resident regions")
            .clone();
        let birth = NaiveDate::from_ymd_opt(1955, 1, 1).expect("date")
            + chrono::Duration::days(self.rng.random_range(0..(45 * 365)));
        let seq: u32 = self.rng.random_range(0..1000);
        let body = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
        let id = ResidentId::from_body(&body).expect("generated ID body is well-formed");
        (format!("{surname}{given}"), id)
    }

    /// Registration dates: skewed to the last decade, as registrations have boomed since 2014.
    fn established(&mut self, today: NaiveDate) -> NaiveDate {
        let max_days = if self.rng.random_ratio(7, 10) {
            10 * 365
        } else {
            30 * 365
        };
        today - chrono::Duration::days(self.rng.random_range(30..max_days))
    }
}

/// GB 11714-1997 check character of an 8-character organisation code body.
pub fn gb11714_check(body: &str) -> char {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(36).unwrap_or(0) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).expect("digit"),
    }
}

#[cfg(test)]
mod tests {
    use super::gb11714_check;

    #[test]
    fn organisation_code_check_matches_known_code() {
        // 华为技术有限公司's organisation code is 19220382-1 (inside its USCC 914403001922038216).
        assert_eq!(gb11714_check("19220382"), '1');
    }
}
