//! Loans (获贷明细) and their repayments.

use crate::entity::loan::{self, Entity as Loan};
use crate::entity::loan_repayment::{self, Entity as Repayment};
use crate::error::StoreResult;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};

pub use loan::Model as LoanRow;
pub use loan_repayment::Model as RepaymentRow;

/// Which loans to list; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub institution_org_id: Option<String>,
    pub subject: Option<String>,
    /// GB/T 2260 prefix of the borrower's region.
    pub region_prefix: Option<String>,
    pub status: Option<String>,
    /// One of pure_credit, first_loan, renewal, no_principal_renewal.
    pub flag: Option<String>,
    pub guarantee: Option<String>,
    pub application_id: Option<String>,
    pub disbursed_from: Option<NaiveDate>,
    pub disbursed_to: Option<NaiveDate>,
    pub limit: Option<u64>,
}

pub async fn insert(db: &impl ConnectionTrait, row: LoanRow) -> StoreResult<()> {
    Loan::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<LoanRow>> {
    Ok(Loan::find_by_id(id.to_owned()).one(db).await?)
}

/// The loan an institution recorded under `contract_no`.
pub async fn by_contract(
    db: &impl ConnectionTrait,
    institution_org_id: &str,
    contract_no: &str,
) -> StoreResult<Option<LoanRow>> {
    Ok(Loan::find()
        .filter(loan::Column::InstitutionOrgId.eq(institution_org_id))
        .filter(loan::Column::ContractNo.eq(contract_no))
        .one(db)
        .await?)
}

/// Loans disbursing one application.
pub async fn for_application(
    db: &impl ConnectionTrait,
    application_id: &str,
) -> StoreResult<Vec<LoanRow>> {
    Ok(Loan::find()
        .filter(loan::Column::ApplicationId.eq(application_id))
        .all(db)
        .await?)
}

/// Newest disbursement first.
pub async fn list(db: &impl ConnectionTrait, filter: &Filter) -> StoreResult<Vec<LoanRow>> {
    let mut q = Loan::find();
    if let Some(v) = &filter.institution_org_id {
        q = q.filter(loan::Column::InstitutionOrgId.eq(v.as_str()));
    }
    if let Some(v) = &filter.subject {
        q = q.filter(loan::Column::Subject.eq(v.as_str()));
    }
    if let Some(v) = &filter.region_prefix {
        q = q.filter(loan::Column::RegionCode.starts_with(v.as_str()));
    }
    if let Some(v) = &filter.status {
        q = q.filter(loan::Column::Status.eq(v.as_str()));
    }
    if let Some(v) = &filter.guarantee {
        q = q.filter(loan::Column::Guarantee.eq(v.as_str()));
    }
    if let Some(v) = &filter.application_id {
        q = q.filter(loan::Column::ApplicationId.eq(v.as_str()));
    }
    match filter.flag.as_deref() {
        Some("pure_credit") => q = q.filter(loan::Column::PureCredit.eq(true)),
        Some("first_loan") => q = q.filter(loan::Column::FirstLoan.eq(true)),
        Some("renewal") => q = q.filter(loan::Column::Renewal.eq(true)),
        Some("no_principal_renewal") => q = q.filter(loan::Column::NoPrincipalRenewal.eq(true)),
        _ => {}
    }
    if let Some(v) = filter.disbursed_from {
        q = q.filter(loan::Column::DisbursedOn.gte(v));
    }
    if let Some(v) = filter.disbursed_to {
        q = q.filter(loan::Column::DisbursedOn.lte(v));
    }
    if let Some(limit) = filter.limit {
        q = q.limit(limit);
    }
    Ok(q.order_by_desc(loan::Column::DisbursedOn)
        .order_by_desc(loan::Column::CreatedAt)
        .order_by_desc(loan::Column::Id)
        .all(db)
        .await?)
}

/// Writes `row` if the stored row still has `status` and `outstanding_fen`; false when another
/// step got there first (the caller refuses, nothing changed).
pub async fn update_if(
    db: &impl ConnectionTrait,
    row: LoanRow,
    status: &str,
    outstanding_fen: i64,
) -> StoreResult<bool> {
    let id = row.id.clone();
    let res = Loan::update_many()
        .set(row.into_active_model().reset_all())
        .filter(loan::Column::Id.eq(id))
        .filter(loan::Column::Status.eq(status))
        .filter(loan::Column::OutstandingFen.eq(outstanding_fen))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn insert_repayment(db: &impl ConnectionTrait, row: RepaymentRow) -> StoreResult<()> {
    Repayment::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The repayment of `loan_id` with exactly this date and these amounts, if recorded.
pub async fn find_repayment(
    db: &impl ConnectionTrait,
    loan_id: &str,
    paid_on: NaiveDate,
    principal_fen: i64,
    interest_fen: i64,
) -> StoreResult<Option<RepaymentRow>> {
    Ok(Repayment::find()
        .filter(loan_repayment::Column::LoanId.eq(loan_id))
        .filter(loan_repayment::Column::PaidOn.eq(paid_on))
        .filter(loan_repayment::Column::PrincipalFen.eq(principal_fen))
        .filter(loan_repayment::Column::InterestFen.eq(interest_fen))
        .one(db)
        .await?)
}

/// A loan's repayments, oldest first.
pub async fn repayments(
    db: &impl ConnectionTrait,
    loan_id: &str,
) -> StoreResult<Vec<RepaymentRow>> {
    Ok(Repayment::find()
        .filter(loan_repayment::Column::LoanId.eq(loan_id))
        .order_by_asc(loan_repayment::Column::PaidOn)
        .order_by_asc(loan_repayment::Column::CreatedAt)
        .order_by_asc(loan_repayment::Column::Id)
        .all(db)
        .await?)
}
