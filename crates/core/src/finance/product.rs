//! 金融产品 (financial products): kinds, scenarios, guarantee types, ranges, and how a stated
//! need fits a product.
//!
//! A product's terms ([`ProductTerms`]) are ranges: amount (fen), term (months), annual rate
//! (basis points) and the guarantee types it accepts. An enterprise states its need once
//! ([`Need`]); [`ProductTerms::fit`] answers one [`TermCheck`] per term — amount, term,
//! guarantee, rate — met or not, with its reason in plain Chinese. The eligibility rules over
//! the enterprise itself are [`super::eligibility`]'s.
//!
//! Ranking ([`score`], [`rank`]): products that fit are ordered by a score, higher first, ties
//! broken by product id (ascending) so the order is total and deterministic:
//!
//! ```text
//! score = (MAX_RATE_BP − rate_min_bp) × 1_000_000     lower starting rate first
//!       + amount headroom ‰ × 100                     (max − need) / max, 0‥1000
//!       + term headroom ‰                              (max − need) / max, 0‥1000
//! ```
//!
//! The rate dominates (a cheaper product always ranks first), then the room left above the
//! requested amount (a product far from its ceiling is likelier to grant the full amount),
//! then the room above the requested term.

use crate::money::rate_text;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Highest annual rate a product may state: 36% (the judicial protection ceiling for private
/// lending is far lower; anything above is a typo).
pub const MAX_RATE_BP: u32 = 3_600;
/// Longest term a product may state, in months (30 years).
pub const MAX_TERM_MONTHS: u32 = 360;
/// Largest amount a product may state: 100 亿元 in fen.
pub const MAX_AMOUNT_FEN: i64 = 1_000_000_000_000;

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $zh:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code, as stored and in the API (`snake_case`).
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            pub fn label_zh(self) -> &'static str {
                match self {
                    $($name::$variant => $zh,)+
                }
            }

            /// By code or Chinese label; surrounding blanks ignored.
            pub fn parse(text: &str) -> Option<$name> {
                let text = text.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == text || v.label_zh() == text)
            }

            /// Every code with its label, for error messages and help texts.
            pub fn codes_hint() -> String {
                Self::ALL
                    .iter()
                    .map(|v| format!("{}（{}）", v.code(), v.label_zh()))
                    .collect::<Vec<_>>()
                    .join("、")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

coded_enum! {
    /// 产品类型.
    ProductKind {
        CreditLoan => "credit_loan", "信用贷";
        MortgageLoan => "mortgage_loan", "抵押贷";
        GuaranteedLoan => "guaranteed_loan", "担保贷";
        Insurance => "insurance", "保险";
        SupplyChain => "supply_chain", "供应链";
        Bill => "bill", "票据";
        Other => "other", "其他";
    }
}

coded_enum! {
    /// 应用场景.
    Scenario {
        Bidding => "bidding", "招投标";
        GovProcurement => "gov_procurement", "政府采购";
        SupplyChain => "supply_chain", "供应链";
        DevZone => "dev_zone", "开发区";
        Commercial => "commercial", "特色商圈";
        Tech => "tech", "科技";
        Green => "green", "绿色";
        Agri => "agri", "涉农";
    }
}

coded_enum! {
    /// 担保方式.
    GuaranteeType {
        Credit => "credit", "信用";
        Mortgage => "mortgage", "抵押";
        Pledge => "pledge", "质押";
        Guarantee => "guarantee", "保证";
    }
}

/// 融资需求: what the enterprise states once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Need {
    /// Amount wanted, in fen.
    pub amount_fen: i64,
    /// Term wanted, in months.
    pub term_months: u32,
    /// What the money is for (free text, e.g. 采购原材料).
    pub purpose: String,
    /// The guarantee the enterprise can offer.
    pub guarantee: GuaranteeType,
    /// The highest annual rate acceptable, in basis points (385 = 3.85%); none = any.
    #[serde(default)]
    pub max_rate_bp: Option<u32>,
}

/// Terms or a need that break a rule: a stable code and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TermsError {
    pub code: &'static str,
    pub message: String,
}

fn err(code: &'static str, message: impl Into<String>) -> TermsError {
    TermsError {
        code,
        message: message.into(),
    }
}

/// 万元 with up to two decimals, for reasons (`50万元`, `12.5万元`).
pub fn wan(fen: i64) -> String {
    let hundredths = fen / 10_000;
    let (w, r) = (hundredths / 100, (hundredths % 100).abs());
    if r == 0 {
        format!("{w}万元")
    } else if r % 10 == 0 {
        format!("{w}.{}万元", r / 10)
    } else {
        format!("{w}.{r:02}万元")
    }
}

impl Need {
    /// Positive amount within [`MAX_AMOUNT_FEN`], a term of 1‥[`MAX_TERM_MONTHS`] months, a
    /// purpose, and a rate ceiling (if any) within [`MAX_RATE_BP`].
    pub fn validate(&self) -> Result<(), TermsError> {
        if self.amount_fen <= 0 || self.amount_fen > MAX_AMOUNT_FEN {
            return Err(err("need.amount", "融资金额须大于 0 且不超过 100 亿元"));
        }
        if self.term_months == 0 || self.term_months > MAX_TERM_MONTHS {
            return Err(err(
                "need.term",
                format!("融资期限须为 1 至 {MAX_TERM_MONTHS} 个月"),
            ));
        }
        let purpose = self.purpose.trim();
        if purpose.is_empty() || purpose.chars().count() > 200 {
            return Err(err("need.purpose", "请填写资金用途（不超过 200 字）"));
        }
        if let Some(r) = self.max_rate_bp
            && (r == 0 || r > MAX_RATE_BP)
        {
            return Err(err(
                "need.rate",
                format!(
                    "可接受的最高年利率须大于 0 且不超过 {}",
                    rate_text(i64::from(MAX_RATE_BP))
                ),
            ));
        }
        Ok(())
    }
}

/// A product's ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductTerms {
    pub amount_min_fen: i64,
    pub amount_max_fen: i64,
    pub term_min_months: u32,
    pub term_max_months: u32,
    /// Annual rate range in basis points (385 = 3.85%).
    pub rate_min_bp: u32,
    pub rate_max_bp: u32,
    /// Accepted guarantee types; at least one.
    pub guarantee_types: Vec<GuaranteeType>,
}

/// One term of a product against a need: which, met or not, and why in plain Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermCheck {
    /// `amount`, `term`, `guarantee` or `rate`.
    pub criterion: &'static str,
    pub met: bool,
    pub reason_zh: String,
}

impl ProductTerms {
    /// Positive ranges with min ≤ max, amounts up to [`MAX_AMOUNT_FEN`], terms up to
    /// [`MAX_TERM_MONTHS`], rates up to [`MAX_RATE_BP`], at least one guarantee type (no
    /// repeats).
    pub fn validate(&self) -> Result<(), TermsError> {
        if self.amount_min_fen <= 0 || self.amount_max_fen > MAX_AMOUNT_FEN {
            return Err(err("product.amount", "额度须大于 0 且不超过 100 亿元"));
        }
        if self.amount_min_fen > self.amount_max_fen {
            return Err(err("product.amount", "最低额度不能高于最高额度"));
        }
        if self.term_min_months == 0 || self.term_max_months > MAX_TERM_MONTHS {
            return Err(err(
                "product.term",
                format!("期限须为 1 至 {MAX_TERM_MONTHS} 个月"),
            ));
        }
        if self.term_min_months > self.term_max_months {
            return Err(err("product.term", "最短期限不能长于最长期限"));
        }
        if self.rate_min_bp == 0 || self.rate_max_bp > MAX_RATE_BP {
            return Err(err(
                "product.rate",
                format!(
                    "年利率须大于 0 且不超过 {}",
                    rate_text(i64::from(MAX_RATE_BP))
                ),
            ));
        }
        if self.rate_min_bp > self.rate_max_bp {
            return Err(err("product.rate", "最低利率不能高于最高利率"));
        }
        if self.guarantee_types.is_empty() {
            return Err(err("product.guarantee", "请至少选择一种担保方式"));
        }
        let mut seen = self.guarantee_types.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.guarantee_types.len() {
            return Err(err("product.guarantee", "担保方式不能重复"));
        }
        Ok(())
    }

    /// Whether `amount_fen` is within the amount range.
    pub fn amount_fits(&self, amount_fen: i64) -> bool {
        (self.amount_min_fen..=self.amount_max_fen).contains(&amount_fen)
    }

    /// One check per term: amount, term, guarantee, rate (the rate check only when the need
    /// caps the rate).
    pub fn fit(&self, need: &Need) -> Vec<TermCheck> {
        let range = format!("{}–{}", wan(self.amount_min_fen), wan(self.amount_max_fen));
        let mut checks = vec![TermCheck {
            criterion: "amount",
            met: self.amount_fits(need.amount_fen),
            reason_zh: if self.amount_fits(need.amount_fen) {
                format!("申请金额 {} 在额度 {range} 内", wan(need.amount_fen))
            } else if need.amount_fen < self.amount_min_fen {
                format!(
                    "申请金额 {} 低于最低额度 {}",
                    wan(need.amount_fen),
                    wan(self.amount_min_fen)
                )
            } else {
                format!(
                    "申请金额 {} 超过最高额度 {}",
                    wan(need.amount_fen),
                    wan(self.amount_max_fen)
                )
            },
        }];
        let term_ok = (self.term_min_months..=self.term_max_months).contains(&need.term_months);
        checks.push(TermCheck {
            criterion: "term",
            met: term_ok,
            reason_zh: format!(
                "期限 {} 个月{}期限范围 {}–{} 个月",
                need.term_months,
                if term_ok { "在" } else { "不在" },
                self.term_min_months,
                self.term_max_months
            ),
        });
        let guarantee_ok = self.guarantee_types.contains(&need.guarantee);
        let accepted = self
            .guarantee_types
            .iter()
            .map(|g| g.label_zh())
            .collect::<Vec<_>>()
            .join("、");
        checks.push(TermCheck {
            criterion: "guarantee",
            met: guarantee_ok,
            reason_zh: if guarantee_ok {
                format!(
                    "接受{}方式（本产品接受：{accepted}）",
                    need.guarantee.label_zh()
                )
            } else {
                format!(
                    "不接受{}方式（本产品接受：{accepted}）",
                    need.guarantee.label_zh()
                )
            },
        });
        if let Some(max) = need.max_rate_bp {
            let ok = self.rate_min_bp <= max;
            checks.push(TermCheck {
                criterion: "rate",
                met: ok,
                reason_zh: format!(
                    "最低年利率 {}{}可接受的 {}",
                    rate_text(i64::from(self.rate_min_bp)),
                    if ok { "不高于" } else { "高于" },
                    rate_text(i64::from(max))
                ),
            });
        }
        checks
    }

    /// Whether every term fits.
    pub fn fits(&self, need: &Need) -> bool {
        self.fit(need).iter().all(|c| c.met)
    }
}

/// `(max − x) / max` in per mille, clamped to 0‥1000.
fn headroom_permille(max: i64, x: i64) -> i64 {
    if max <= 0 {
        return 0;
    }
    (((max - x).max(0) as i128 * 1000) / max as i128).clamp(0, 1000) as i64
}

/// The ranking score of a product's terms for a need, higher first (see the module text).
pub fn score(terms: &ProductTerms, need: &Need) -> i64 {
    let rate = i64::from(MAX_RATE_BP.saturating_sub(terms.rate_min_bp));
    let amount = headroom_permille(terms.amount_max_fen, need.amount_fen);
    let term = headroom_permille(
        i64::from(terms.term_max_months),
        i64::from(need.term_months),
    );
    rate * 1_000_000 + amount * 100 + term
}

/// The ranking order: higher score first, then id ascending. Total and deterministic.
pub fn order(a: (i64, &str), b: (i64, &str)) -> Ordering {
    b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

/// Sorts `items` by [`order`] of `key` (score, id).
pub fn rank<T>(items: &mut [T], key: impl Fn(&T) -> (i64, &str)) {
    items.sort_by(|a, b| order(key(a), key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn terms() -> ProductTerms {
        ProductTerms {
            amount_min_fen: 10_000_000,
            amount_max_fen: 300_000_000,
            term_min_months: 3,
            term_max_months: 36,
            rate_min_bp: 385,
            rate_max_bp: 600,
            guarantee_types: vec![GuaranteeType::Credit, GuaranteeType::Guarantee],
        }
    }

    fn need(amount_fen: i64) -> Need {
        Need {
            amount_fen,
            term_months: 12,
            purpose: "采购原材料".into(),
            guarantee: GuaranteeType::Credit,
            max_rate_bp: Some(500),
        }
    }

    #[test]
    fn codes_and_labels_round_trip() {
        for k in ProductKind::ALL {
            assert_eq!(ProductKind::parse(k.code()), Some(*k));
            assert_eq!(ProductKind::parse(k.label_zh()), Some(*k));
        }
        for s in Scenario::ALL {
            assert_eq!(Scenario::parse(s.code()), Some(*s));
        }
        for g in GuaranteeType::ALL {
            assert_eq!(GuaranteeType::parse(g.label_zh()), Some(*g));
            let json = serde_json::to_string(g).unwrap();
            assert_eq!(json, format!("\"{}\"", g.code()));
        }
        assert_eq!(ProductKind::parse("nope"), None);
    }

    #[test]
    fn bad_terms_are_refused_with_codes() {
        let mut t = terms();
        t.amount_min_fen = t.amount_max_fen + 1;
        assert_eq!(t.validate().unwrap_err().code, "product.amount");
        let mut t = terms();
        t.amount_min_fen = 0;
        assert_eq!(t.validate().unwrap_err().code, "product.amount");
        let mut t = terms();
        t.term_min_months = 40;
        assert_eq!(t.validate().unwrap_err().code, "product.term");
        let mut t = terms();
        t.rate_max_bp = MAX_RATE_BP + 1;
        assert_eq!(t.validate().unwrap_err().code, "product.rate");
        let mut t = terms();
        t.rate_min_bp = 700;
        assert_eq!(t.validate().unwrap_err().code, "product.rate");
        let mut t = terms();
        t.guarantee_types.clear();
        assert_eq!(t.validate().unwrap_err().code, "product.guarantee");
        assert!(terms().validate().is_ok());
    }

    #[test]
    fn fit_names_every_term_with_its_reason() {
        let checks = terms().fit(&need(50_000_000));
        assert_eq!(
            checks.iter().map(|c| c.criterion).collect::<Vec<_>>(),
            ["amount", "term", "guarantee", "rate"]
        );
        assert!(checks.iter().all(|c| c.met));
        assert_eq!(
            checks[0].reason_zh,
            "申请金额 50万元 在额度 10万元–300万元 内"
        );
        let mut n = need(500_000_000);
        n.guarantee = GuaranteeType::Mortgage;
        n.max_rate_bp = Some(300);
        let checks = terms().fit(&n);
        assert_eq!(checks.iter().filter(|c| !c.met).count(), 3);
        assert_eq!(checks[0].reason_zh, "申请金额 500万元 超过最高额度 300万元");
        assert_eq!(checks[3].reason_zh, "最低年利率 3.85%高于可接受的 3.00%");
    }

    #[test]
    fn need_validation() {
        assert!(need(1).validate().is_ok());
        assert_eq!(need(0).validate().unwrap_err().code, "need.amount");
        let mut n = need(1);
        n.term_months = 0;
        assert_eq!(n.validate().unwrap_err().code, "need.term");
        n.term_months = 1;
        n.purpose = " ".into();
        assert_eq!(n.validate().unwrap_err().code, "need.purpose");
    }

    #[test]
    fn cheaper_products_rank_first() {
        let n = need(50_000_000);
        let cheap = ProductTerms {
            rate_min_bp: 300,
            ..terms()
        };
        assert!(score(&cheap, &n) > score(&terms(), &n));
        let roomy = ProductTerms {
            amount_max_fen: 1_000_000_000,
            ..terms()
        };
        assert!(score(&roomy, &n) > score(&terms(), &n));
    }

    fn arb_terms() -> impl Strategy<Value = ProductTerms> {
        (
            1i64..1_000_000_000,
            0i64..1_000_000_000,
            1u32..120,
            0u32..120,
            1u32..1800,
            0u32..1800,
        )
            .prop_map(|(amin, aspan, tmin, tspan, rmin, rspan)| ProductTerms {
                amount_min_fen: amin,
                amount_max_fen: amin + aspan,
                term_min_months: tmin,
                term_max_months: tmin + tspan,
                rate_min_bp: rmin,
                rate_max_bp: rmin + rspan,
                guarantee_types: vec![GuaranteeType::Credit],
            })
    }

    proptest! {
        #[test]
        fn amounts_outside_the_range_never_fit(t in arb_terms(), below in 1i64..1_000_000, above in 1i64..1_000_000, term in 1u32..240) {
            prop_assert!(t.validate().is_ok());
            for amount in [t.amount_min_fen - below, t.amount_max_fen + above] {
                let n = Need { amount_fen: amount, term_months: term, purpose: "x".into(), guarantee: GuaranteeType::Credit, max_rate_bp: None };
                let checks = t.fit(&n);
                prop_assert!(!checks[0].met);
                prop_assert!(!t.fits(&n));
            }
            let inside = Need { amount_fen: t.amount_min_fen, term_months: t.term_min_months, purpose: "x".into(), guarantee: GuaranteeType::Credit, max_rate_bp: Some(t.rate_min_bp) };
            prop_assert!(t.fits(&inside));
        }

        #[test]
        fn ranking_is_a_total_deterministic_order(
            items in proptest::collection::vec((arb_terms(), 0u8..20), 1..20),
            amount in 1i64..2_000_000_000,
            term in 1u32..240,
            seed in any::<u64>(),
        ) {
            let n = Need { amount_fen: amount, term_months: term, purpose: "x".into(), guarantee: GuaranteeType::Credit, max_rate_bp: None };
            let scored: Vec<(i64, String)> = items.iter().map(|(t, id)| (score(t, &n), format!("p{id:02}"))).collect();
            let mut a = scored.clone();
            rank(&mut a, |x| (x.0, x.1.as_str()));
            // Any permutation ranks to the same sequence.
            let mut b = scored.clone();
            let len = b.len();
            let mut s = seed;
            for i in (1..len).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                b.swap(i, (s >> 33) as usize % (i + 1));
            }
            rank(&mut b, |x| (x.0, x.1.as_str()));
            prop_assert_eq!(&a, &b);
            // Non-increasing score, ids ascending among equal scores.
            for w in a.windows(2) {
                prop_assert!(w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 <= w[1].1));
                prop_assert_ne!(order((w[0].0, &w[0].1), (w[1].0, &w[1].1)), Ordering::Greater);
            }
        }
    }
}
