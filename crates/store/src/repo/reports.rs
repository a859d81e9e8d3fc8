//! Issued credit reports (信用报告).

use crate::entity::ledger_leaf::{self, Entity as LedgerLeaf};
use crate::entity::report::{self, Entity as Report};
use crate::error::StoreResult;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};

pub use report::Model as ReportRow;

pub async fn insert(db: &impl ConnectionTrait, row: ReportRow) -> StoreResult<()> {
    Report::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<ReportRow>> {
    Ok(Report::find_by_id(id.to_owned()).one(db).await?)
}

/// Records the digest of the report's PDF, unless one is recorded already. Returns whether this
/// call recorded it.
pub async fn set_pdf_digest(
    db: &impl ConnectionTrait,
    id: &str,
    digest: &str,
) -> StoreResult<bool> {
    let done = Report::update_many()
        .col_expr(report::Column::PdfDigest, Expr::value(digest.to_owned()))
        .filter(report::Column::Id.eq(id))
        .filter(report::Column::PdfDigest.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The hash stored for one ledger leaf.
pub async fn leaf_hash(db: &impl ConnectionTrait, index: i64) -> StoreResult<Option<String>> {
    Ok(LedgerLeaf::find()
        .filter(ledger_leaf::Column::LeafIndex.eq(index))
        .one(db)
        .await?
        .map(|l| l.leaf_hash))
}
