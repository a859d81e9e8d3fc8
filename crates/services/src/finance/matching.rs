//! 产品匹配 (matching): a stated need against every listed product, ranked, with reasons.
//!
//! Each listed product is checked twice: its terms against the need
//! ([`ProductTerms::fit`](xinrong_core::finance::product::ProductTerms::fit): amount, term,
//! guarantee, rate) and its eligibility rules against what is known of the enterprise
//! ([`assess`] over [`facts::gather`]). A product fits when every check is met; fits are ranked
//! by [`product::score`] (lower starting rate, then room above the amount and the term), ties by
//! id. Misfits follow with every reason, fewest unmet checks first. An amount outside every
//! product's range gives no fits — refusing the application is the applications' part.

use super::facts;
use super::products::{ProductView, view};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use serde::Serialize;
use xinrong_core::finance::eligibility::assess;
use xinrong_core::finance::product::{self, Need};
use xinrong_store::repo::products as repo;

/// One reason a product fits or does not: a term (`amount`, `term`, `guarantee`, `rate`) or an
/// eligibility criterion (`grade`, `required_tag`, … as `eligibility::Criterion` serializes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchReason {
    pub criterion: String,
    pub met: bool,
    pub reason_zh: String,
}

/// A product with every reason and its ranking score.
#[derive(Debug, Clone, Serialize)]
pub struct ProductMatch {
    pub product: ProductView,
    /// Term checks first, then eligibility checks; met and unmet.
    pub reasons: Vec<MatchReason>,
    pub rank_score: i64,
}

impl ProductMatch {
    pub fn fits(&self) -> bool {
        self.reasons.iter().all(|r| r.met)
    }

    pub fn unmet(&self) -> impl Iterator<Item = &MatchReason> {
        self.reasons.iter().filter(|r| !r.met)
    }

    pub fn met(&self) -> impl Iterator<Item = &MatchReason> {
        self.reasons.iter().filter(|r| r.met)
    }
}

/// The products that fit, best first, and the others with why not.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub fits: Vec<ProductMatch>,
    pub misfits: Vec<ProductMatch>,
}

/// Matches `need` of the enterprise `uscc` against every listed product. `need.invalid`-style
/// codes (`need.amount`, `need.term` …) for a need that breaks a rule; not found for an unknown
/// enterprise. The caller checks who may ask for `uscc`.
pub async fn rank(platform: &Platform, uscc: &str, need: &Need) -> ServiceResult<Ranked> {
    need.validate()
        .map_err(|e| ServiceError::invalid(e.code, e.message))?;
    let conn = &platform.db.conn;
    let facts = facts::gather(conn, uscc.trim())
        .await?
        .ok_or(ServiceError::NotFound("企业"))?;
    let today = crate::objections::today(platform);
    let mut fits = Vec::new();
    let mut misfits = Vec::new();
    for row in repo::list_listed(conn).await? {
        let product = view(row);
        let mut reasons: Vec<MatchReason> = product
            .terms
            .fit(need)
            .into_iter()
            .map(|c| MatchReason {
                criterion: c.criterion.to_owned(),
                met: c.met,
                reason_zh: c.reason_zh,
            })
            .collect();
        for c in assess(&product.eligibility, &facts, today).checks {
            reasons.push(MatchReason {
                criterion: serde_json::to_value(c.criterion)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                met: c.met,
                reason_zh: c.reason_zh,
            });
        }
        let m = ProductMatch {
            rank_score: product::score(&product.terms, need),
            product,
            reasons,
        };
        if m.fits() {
            fits.push(m);
        } else {
            misfits.push(m);
        }
    }
    product::rank(&mut fits, |m| (m.rank_score, m.product.id.as_str()));
    misfits.sort_by(|a, b| {
        a.unmet().count().cmp(&b.unmet().count()).then_with(|| {
            product::order(
                (a.rank_score, a.product.id.as_str()),
                (b.rank_score, b.product.id.as_str()),
            )
        })
    });
    Ok(Ranked { fits, misfits })
}
