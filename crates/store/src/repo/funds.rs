//! Compensation funds (风险补偿基金): pools, balance movements, registered loans and claims.

use crate::entity::{fund, fund_claim, fund_loan, fund_movement};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};

pub use fund::Model as FundRow;
pub use fund_claim::Model as ClaimRow;
pub use fund_loan::Model as FundLoanRow;
pub use fund_movement::Model as MovementRow;

pub async fn insert(db: &impl ConnectionTrait, row: FundRow) -> StoreResult<()> {
    fund::Entity::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<FundRow>> {
    Ok(fund::Entity::find_by_id(id.to_owned()).one(db).await?)
}

/// Funds whose region starts with `region_prefix` (all when `None`), by region then name.
pub async fn list(
    db: &impl ConnectionTrait,
    region_prefix: Option<&str>,
) -> StoreResult<Vec<FundRow>> {
    let mut q = fund::Entity::find();
    if let Some(p) = region_prefix {
        q = q.filter(fund::Column::RegionCode.starts_with(p));
    }
    Ok(q.order_by_asc(fund::Column::RegionCode)
        .order_by_asc(fund::Column::Name)
        .all(db)
        .await?)
}

/// Adds `delta_fen` (negative for a payout) to an active fund's balance if the result is not
/// negative; the new balance, or `None` when the fund is not active or the balance would go
/// below zero (nothing changed). Guarded in the one UPDATE so two payouts at once cannot
/// overdraw the fund.
pub async fn add_to_balance(
    db: &impl ConnectionTrait,
    id: &str,
    delta_fen: i64,
    at: NaiveDateTime,
) -> StoreResult<Option<i64>> {
    let res = fund::Entity::update_many()
        .col_expr(
            fund::Column::BalanceFen,
            Expr::col(fund::Column::BalanceFen).add(delta_fen),
        )
        .col_expr(fund::Column::UpdatedAt, Expr::value(at))
        .filter(fund::Column::Id.eq(id))
        .filter(fund::Column::Status.eq("active"))
        .filter(Expr::col(fund::Column::BalanceFen).add(delta_fen).gte(0))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    Ok(get(db, id).await?.map(|f| f.balance_fen))
}

pub async fn insert_movement(db: &impl ConnectionTrait, row: MovementRow) -> StoreResult<()> {
    fund_movement::Entity::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A fund's movements, newest first.
pub async fn movements(db: &impl ConnectionTrait, fund_id: &str) -> StoreResult<Vec<MovementRow>> {
    Ok(fund_movement::Entity::find()
        .filter(fund_movement::Column::FundId.eq(fund_id))
        .order_by_desc(fund_movement::Column::CreatedAt)
        .order_by_desc(fund_movement::Column::Id)
        .all(db)
        .await?)
}

pub async fn movement_for_claim(
    db: &impl ConnectionTrait,
    claim_id: &str,
) -> StoreResult<Option<MovementRow>> {
    Ok(fund_movement::Entity::find()
        .filter(fund_movement::Column::ClaimId.eq(claim_id))
        .one(db)
        .await?)
}

pub async fn insert_loan(db: &impl ConnectionTrait, row: FundLoanRow) -> StoreResult<()> {
    fund_loan::Entity::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The registration of `loan_id` (in whichever fund).
pub async fn loan_registration(
    db: &impl ConnectionTrait,
    loan_id: &str,
) -> StoreResult<Option<FundLoanRow>> {
    Ok(fund_loan::Entity::find()
        .filter(fund_loan::Column::LoanId.eq(loan_id))
        .one(db)
        .await?)
}

/// Loans registered against a fund (of one institution when given), newest first.
pub async fn loans(
    db: &impl ConnectionTrait,
    fund_id: &str,
    institution_org_id: Option<&str>,
) -> StoreResult<Vec<FundLoanRow>> {
    let mut q = fund_loan::Entity::find().filter(fund_loan::Column::FundId.eq(fund_id));
    if let Some(i) = institution_org_id {
        q = q.filter(fund_loan::Column::InstitutionOrgId.eq(i));
    }
    Ok(q.order_by_desc(fund_loan::Column::RegisteredAt)
        .order_by_desc(fund_loan::Column::Id)
        .all(db)
        .await?)
}

pub async fn insert_claim(db: &impl ConnectionTrait, row: ClaimRow) -> StoreResult<()> {
    fund_claim::Entity::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get_claim(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<ClaimRow>> {
    Ok(fund_claim::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?)
}

/// Claims on a fund (of one institution, of one loan when given), newest first.
pub async fn claims(
    db: &impl ConnectionTrait,
    fund_id: &str,
    institution_org_id: Option<&str>,
    loan_id: Option<&str>,
) -> StoreResult<Vec<ClaimRow>> {
    let mut q = fund_claim::Entity::find().filter(fund_claim::Column::FundId.eq(fund_id));
    if let Some(i) = institution_org_id {
        q = q.filter(fund_claim::Column::InstitutionOrgId.eq(i));
    }
    if let Some(l) = loan_id {
        q = q.filter(fund_claim::Column::LoanId.eq(l));
    }
    Ok(q.order_by_desc(fund_claim::Column::CreatedAt)
        .order_by_desc(fund_claim::Column::Id)
        .all(db)
        .await?)
}

/// Writes `row` if the stored claim still has status `expected`; false when another step got
/// there first (nothing changed).
pub async fn update_claim_if(
    db: &impl ConnectionTrait,
    row: ClaimRow,
    expected: &str,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = fund_claim::Entity::update_many()
        .set(row.into_active_model().reset_all())
        .filter(fund_claim::Column::Id.eq(id))
        .filter(fund_claim::Column::Status.eq(expected))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Writes a fund's name, rules and status (not its balance).
pub async fn update_fund(db: &impl ConnectionTrait, row: FundRow) -> StoreResult<()> {
    let mut am = row.into_active_model().reset_all();
    am.balance_fen = sea_orm::ActiveValue::NotSet;
    am.update(db).await?;
    Ok(())
}
