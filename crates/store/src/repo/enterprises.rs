//! Enterprises: bulk insert, filtered search with paging, and keyset scans for export.

use crate::entity::enterprise::{self, Entity as Enterprise};
use crate::error::StoreResult;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

pub use enterprise::Model as EnterpriseRow;

/// Rows per INSERT: well under the bind-parameter limits of SQLite (32,766), PostgreSQL and MySQL
/// (65,535) at 11 columns.
const INSERT_CHUNK: usize = 1_000;

/// What to narrow a search to. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct EnterpriseFilter {
    /// Part of the name, or a whole or leading part of the USCC.
    pub text: Option<String>,
    /// Region code prefixes; a row matches if its region starts with any of them.
    /// `Some(vec![])` matches nothing (a jurisdiction that covers no region).
    pub region_prefixes: Option<Vec<String>>,
    /// GB/T 4754 divisions; a row matches if its industry is one of them.
    pub industry_codes: Option<Vec<String>>,
}

pub async fn insert_many(db: &impl ConnectionTrait, rows: Vec<EnterpriseRow>) -> StoreResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(INSERT_CHUNK).map(active).collect();
        Enterprise::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn active(row: EnterpriseRow) -> enterprise::ActiveModel {
    enterprise::ActiveModel {
        uscc: Set(row.uscc),
        name: Set(row.name),
        region_code: Set(row.region_code),
        industry_code: Set(row.industry_code),
        established: Set(row.established),
        registered_capital_fen: Set(row.registered_capital_fen),
        employees: Set(row.employees),
        size_class: Set(row.size_class),
        legal_rep_name: Set(row.legal_rep_name),
        legal_rep_id_number: Set(row.legal_rep_id_number),
        created_at: Set(row.created_at),
    }
}

pub async fn get(db: &impl ConnectionTrait, uscc: &str) -> StoreResult<Option<EnterpriseRow>> {
    Ok(Enterprise::find_by_id(uscc.to_owned()).one(db).await?)
}

/// Which of these USCCs are enterprises the platform knows.
pub async fn known_among(
    db: &impl ConnectionTrait,
    usccs: &[&str],
) -> StoreResult<std::collections::HashSet<String>> {
    if usccs.is_empty() {
        return Ok(Default::default());
    }
    let found: Vec<String> = Enterprise::find()
        .select_only()
        .column(enterprise::Column::Uscc)
        .filter(crate::bulk::one_of(
            db.get_database_backend(),
            enterprise::Column::Uscc,
            usccs.iter().map(|s| (*s).to_owned()).collect(),
        ))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}

/// Master-data columns a registration record may update; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MasterUpdate {
    pub name: Option<String>,
    pub legal_rep_name: Option<String>,
    pub established: Option<chrono::NaiveDate>,
    pub registered_capital_fen: Option<i64>,
    pub industry_code: Option<String>,
}

/// Updates the columns `update` names on one enterprise.
pub async fn apply_master(
    db: &impl ConnectionTrait,
    uscc: &str,
    update: &MasterUpdate,
) -> StoreResult<()> {
    let mut query = Enterprise::update_many().filter(enterprise::Column::Uscc.eq(uscc));
    let mut any = false;
    if let Some(v) = &update.name {
        query = query.col_expr(enterprise::Column::Name, Expr::value(v.clone()));
        any = true;
    }
    if let Some(v) = &update.legal_rep_name {
        query = query.col_expr(enterprise::Column::LegalRepName, Expr::value(v.clone()));
        any = true;
    }
    if let Some(v) = update.established {
        query = query.col_expr(enterprise::Column::Established, Expr::value(v));
        any = true;
    }
    if let Some(v) = update.registered_capital_fen {
        query = query.col_expr(enterprise::Column::RegisteredCapitalFen, Expr::value(v));
        any = true;
    }
    if let Some(v) = &update.industry_code {
        query = query.col_expr(enterprise::Column::IndustryCode, Expr::value(v.clone()));
        any = true;
    }
    if any {
        query.exec(db).await?;
    }
    Ok(())
}

pub async fn count_all(db: &impl ConnectionTrait) -> StoreResult<u64> {
    Ok(Enterprise::find().count(db).await?)
}

/// One page (1-based) of matching enterprises ordered by name, and the total number of matches.
pub async fn search(
    db: &impl ConnectionTrait,
    filter: &EnterpriseFilter,
    page: u64,
    per_page: u64,
) -> StoreResult<(Vec<EnterpriseRow>, u64)> {
    let query = filtered(filter);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(enterprise::Column::Name)
        .order_by_asc(enterprise::Column::Uscc)
        .offset(page.saturating_sub(1) * per_page)
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Up to `limit` matching enterprises with a USCC after `after`, in USCC order: a scan that
/// stays fast at any depth, for exports.
pub async fn scan_after(
    db: &impl ConnectionTrait,
    filter: &EnterpriseFilter,
    after: Option<&str>,
    limit: u64,
) -> StoreResult<Vec<EnterpriseRow>> {
    let mut query = filtered(filter)
        .order_by_asc(enterprise::Column::Uscc)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(enterprise::Column::Uscc.gt(after));
    }
    Ok(query.all(db).await?)
}

fn filtered(filter: &EnterpriseFilter) -> Select<Enterprise> {
    let mut query = Enterprise::find();
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let pattern = format!("%{}%", escape_like(text));
        let uscc_prefix = format!("{}%", escape_like(&text.to_uppercase()));
        query = query.filter(
            Condition::any()
                .add(Expr::col(enterprise::Column::Name).like(LikeExpr::new(pattern).escape('\\')))
                .add(
                    Expr::col(enterprise::Column::Uscc)
                        .like(LikeExpr::new(uscc_prefix).escape('\\')),
                ),
        );
    }
    if let Some(prefixes) = &filter.region_prefixes {
        let mut any = Condition::any();
        for prefix in prefixes {
            let pattern = format!("{}%", escape_like(prefix));
            any = any.add(
                Expr::col(enterprise::Column::RegionCode).like(LikeExpr::new(pattern).escape('\\')),
            );
        }
        if prefixes.is_empty() {
            // An empty jurisdiction sees nothing rather than everything.
            any = any.add(Expr::val(1).eq(Expr::val(0)));
        }
        query = query.filter(any);
    }
    if let Some(codes) = &filter.industry_codes {
        query = query.filter(enterprise::Column::IndustryCode.is_in(codes.clone()));
    }
    query
}

/// Escapes LIKE wildcards so user text matches literally.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
