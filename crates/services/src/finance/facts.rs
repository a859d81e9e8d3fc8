//! What the financing rules know of an enterprise (企业画像事实): grade, tags, size class, age,
//! industry, region, white-list and green status — gathered in one place so a product, a
//! policy and a fund all judge an enterprise on the same facts.

use super::{green, whitelist};
use crate::error::ServiceResult;
use std::str::FromStr;
use xinrong_core::codes::size_class::SizeClass;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter, EnterpriseRow};
use xinrong_store::repo::evaluations::{self, SubjectGradeRow};

pub use xinrong_core::finance::eligibility::Facts;

/// Enterprises read per query when gathering many.
const CHUNK: u64 = 1_000;

fn facts_of(
    enterprise: &EnterpriseRow,
    grade: Option<&SubjectGradeRow>,
    whitelisted: bool,
    green: bool,
) -> Facts {
    Facts {
        grade: grade.map(|g| g.grade.clone()),
        tags: grade
            .map(|g| g.tags.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default(),
        size_class: SizeClass::from_str(&enterprise.size_class).ok(),
        established: Some(enterprise.established),
        industry_code: Some(enterprise.industry_code.clone()),
        region_code: Some(enterprise.region_code.clone()),
        whitelisted,
        green,
    }
}

/// The facts of `uscc`; `None` when the enterprise is unknown.
pub async fn gather<C: ConnectionTrait>(conn: &C, uscc: &str) -> ServiceResult<Option<Facts>> {
    let Some(enterprise) = enterprises::get(conn, uscc).await? else {
        return Ok(None);
    };
    let grade = evaluations::grade_of(conn, uscc).await?;
    let listed = whitelist::is_listed(conn, uscc).await?;
    let green = green::is_green(conn, uscc).await?;
    Ok(Some(facts_of(&enterprise, grade.as_ref(), listed, green)))
}

/// Every enterprise whose region code starts with `region_prefix` (all when `None`), with its
/// facts, in USCC order. Reads in chunks so memory stays flat for a whole province.
pub async fn gather_all<C: ConnectionTrait>(
    conn: &C,
    region_prefix: Option<&str>,
) -> ServiceResult<Vec<(String, Facts)>> {
    let filter = EnterpriseFilter {
        region_prefixes: region_prefix.map(|p| vec![p.to_owned()]),
        ..EnterpriseFilter::default()
    };
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = enterprises::scan_after(conn, &filter, after.as_deref(), CHUNK).await?;
        let (Some(first), Some(last)) = (page.first(), page.last()) else {
            break;
        };
        let grades = evaluations::grades_between(conn, &first.uscc, &last.uscc).await?;
        let mut grades = grades.iter().peekable();
        let usccs: Vec<String> = page.iter().map(|e| e.uscc.clone()).collect();
        let listed = whitelist::listed_among(conn, &usccs).await?;
        let green = green::green_among(conn, &usccs).await?;
        for enterprise in &page {
            while grades.next_if(|g| g.subject < enterprise.uscc).is_some() {}
            let grade = grades.next_if(|g| g.subject == enterprise.uscc);
            let facts = facts_of(
                enterprise,
                grade,
                listed.contains(&enterprise.uscc),
                green.contains(&enterprise.uscc),
            );
            out.push((enterprise.uscc.clone(), facts));
        }
        after = Some(last.uscc.clone());
        if (page.len() as u64) < CHUNK {
            break;
        }
    }
    Ok(out)
}
