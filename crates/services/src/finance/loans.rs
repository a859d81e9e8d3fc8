//! 获贷明细 (loans): disbursements, repayments and status, by form, API and batch upload.
//!
//! The lending institution records a loan (放款) once per contract number: recording the same
//! contract again with the same values answers the loan already recorded; with other values it
//! is refused (`loan.contract_conflict`). A loan may disburse an approved financing application
//! of the same institution and enterprise: the application moves to 已放款 in the same
//! transaction. Repayments reduce the outstanding principal (never below zero, a repayment
//! beyond it is refused); the loan is settled when it reaches zero. Status changes (overdue,
//! default, settled) follow `xinrong_core::finance::loan::LoanStatus::can_become`.
//!
//! Who sees what: an institution its own loans, an enterprise its own, a government unit the
//! loans of enterprises in its jurisdiction (by region prefix), the operator all. Another
//! party's loan answers "not found". Every step is one transaction with a trail entry
//! (ref_id = loan id, or the batch id for a batch upload) and a notice to the enterprise.

mod batch;

pub use batch::{BatchReport, COLUMNS, FileFormat, MAX_FILE_BYTES, RowError, import, template_csv};
pub use xinrong_core::finance::loan::{Flags, LoanStatus, LoanView, RepaymentView, Totals};

use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::objections::{Step, local, today};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use xinrong_core::codes::region::region_prefix;
use xinrong_core::finance::loan::{self as rules, Disbursement, LoanError, guarantee_label_zh};
use xinrong_core::ids;
use xinrong_core::money::Fen;
use xinrong_core::money::rate_text;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::StoreError;
use xinrong_store::repo::loans::{self as repo, Filter, LoanRow, RepaymentRow};
use xinrong_store::repo::{enterprises, organizations};

/// What the institution records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewLoan {
    /// The borrower's USCC.
    pub subject: String,
    pub contract_no: String,
    pub amount_fen: i64,
    pub rate_bp: i64,
    pub term_months: i64,
    /// credit, mortgage, pledge or guarantee (or the Chinese label).
    pub guarantee: String,
    pub flags: Flags,
    pub disbursed_on: Option<NaiveDate>,
    /// The approved financing application this loan disburses.
    pub application_id: Option<String>,
}

/// The answer to a recording: the loan, and whether this call created it.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub loan: LoanView,
    pub created: bool,
}

/// A loan with its repayments and its timeline.
#[derive(Debug, Clone, Serialize)]
pub struct LoanDetail {
    pub loan: LoanView,
    pub repayments: Vec<RepaymentView>,
    pub timeline: Vec<Step>,
}

/// A list and its totals.
#[derive(Debug, Clone, Serialize)]
pub struct LoanList {
    pub loans: Vec<LoanView>,
    pub totals: Totals,
    /// More loans matched than listed (the totals count all of them).
    pub truncated: bool,
}

/// List filters; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct LoanQuery {
    pub subject: Option<String>,
    /// Institution organisation ID (operator and government only).
    pub institution: Option<String>,
    pub status: Option<String>,
    /// pure_credit, first_loan, renewal or no_principal_renewal.
    pub flag: Option<String>,
    pub guarantee: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Most loans listed (totals count all); default 500.
    pub limit: Option<usize>,
}

/// Flags a list may filter on.
pub const FLAGS: [(&str, &str); 4] = [
    ("pure_credit", "纯信用"),
    ("first_loan", "首贷"),
    ("renewal", "续贷"),
    ("no_principal_renewal", "无还本续贷"),
];

pub(crate) fn invalid(e: LoanError) -> ServiceError {
    ServiceError::invalid(e.code, e.message)
}

/// Org and enterprise names, looked up once per answer.
#[derive(Default)]
pub(crate) struct Names {
    orgs: HashMap<String, String>,
    subjects: HashMap<String, String>,
}

impl Names {
    pub(crate) async fn org(
        &mut self,
        conn: &impl ConnectionTrait,
        id: &str,
    ) -> ServiceResult<String> {
        if let Some(n) = self.orgs.get(id) {
            return Ok(n.clone());
        }
        let name = organizations::get(conn, id)
            .await?
            .map_or_else(|| id.to_owned(), |o| o.name);
        self.orgs.insert(id.to_owned(), name.clone());
        Ok(name)
    }

    pub(crate) async fn subject(
        &mut self,
        conn: &impl ConnectionTrait,
        uscc: &str,
    ) -> ServiceResult<String> {
        if let Some(n) = self.subjects.get(uscc) {
            return Ok(n.clone());
        }
        let name = enterprises::get(conn, uscc)
            .await?
            .map_or_else(|| uscc.to_owned(), |e| e.name);
        self.subjects.insert(uscc.to_owned(), name.clone());
        Ok(name)
    }
}

pub(crate) async fn view(
    conn: &impl ConnectionTrait,
    names: &mut Names,
    row: LoanRow,
) -> ServiceResult<LoanView> {
    let institution_name = names.org(conn, &row.institution_org_id).await?;
    let subject_name = names.subject(conn, &row.subject).await?;
    Ok(LoanView {
        institution_name,
        subject_name,
        guarantee_label: guarantee_label_zh(&row.guarantee).to_owned(),
        status_label: LoanStatus::parse(&row.status)
            .map_or("未知", LoanStatus::label_zh)
            .to_owned(),
        created_at: local(row.created_at),
        updated_at: local(row.updated_at),
        id: row.id,
        institution_org_id: row.institution_org_id,
        subject: row.subject,
        application_id: row.application_id,
        product_id: row.product_id,
        contract_no: row.contract_no,
        amount_fen: row.amount_fen,
        rate_bp: row.rate_bp,
        term_months: row.term_months,
        guarantee: row.guarantee,
        pure_credit: row.pure_credit,
        first_loan: row.first_loan,
        renewal: row.renewal,
        no_principal_renewal: row.no_principal_renewal,
        disbursed_on: row.disbursed_on,
        maturity_on: row.maturity_on,
        status: row.status,
        outstanding_fen: row.outstanding_fen,
        principal_repaid_fen: row.principal_repaid_fen,
        interest_repaid_fen: row.interest_repaid_fen,
        batch_id: row.batch_id,
    })
}

fn repayment_view(r: RepaymentRow) -> RepaymentView {
    RepaymentView {
        created_at: local(r.created_at),
        id: r.id,
        loan_id: r.loan_id,
        paid_on: r.paid_on,
        principal_fen: r.principal_fen,
        interest_fen: r.interest_fen,
    }
}

/// Whether `p` may see a loan of `institution` to an enterprise in `region`.
fn visible(p: &Principal, row: &LoanRow) -> bool {
    match p.role {
        Role::Operator => true,
        Role::Institution => row.institution_org_id == p.org_id,
        Role::Enterprise => p.org_uscc.as_deref() == Some(row.subject.as_str()),
        Role::Government => p
            .region_code
            .as_deref()
            .is_some_and(|j| xinrong_core::access::jurisdiction_covers(j, &row.region_code)),
        Role::Provider => false,
    }
}

/// A loan checked and ready to write (everything but its ID, batch and times).
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub subject: String,
    pub region_code: String,
    pub contract_no: String,
    pub amount_fen: i64,
    pub rate_bp: i64,
    pub term_months: i64,
    pub guarantee: String,
    pub flags: Flags,
    pub disbursed_on: NaiveDate,
    pub maturity_on: NaiveDate,
    pub application_id: Option<String>,
    pub product_id: Option<String>,
}

impl Prepared {
    /// Whether a stored loan records exactly this disbursement.
    fn same_as(&self, row: &LoanRow) -> bool {
        row.subject == self.subject
            && row.amount_fen == self.amount_fen
            && row.rate_bp == self.rate_bp
            && row.term_months == self.term_months
            && row.guarantee == self.guarantee
            && row.pure_credit == self.flags.pure_credit
            && row.first_loan == self.flags.first_loan
            && row.renewal == self.flags.renewal
            && row.no_principal_renewal == self.flags.no_principal_renewal
            && row.disbursed_on == self.disbursed_on
            && (self.application_id.is_none() || row.application_id == self.application_id)
    }
}

/// Checks the values of one disbursement (no database): the core rules.
pub(crate) fn check_values(
    new: &NewLoan,
    today: NaiveDate,
) -> Result<(String, NaiveDate, NaiveDate), LoanError> {
    let guarantee = rules::parse_guarantee(&new.guarantee).ok_or_else(|| {
        LoanError::new("loan.guarantee", "担保方式须为信用、抵押、质押或保证之一")
    })?;
    let disbursed_on = new
        .disbursed_on
        .ok_or_else(|| LoanError::new("loan.disbursed_on", "请填写放款日期"))?;
    if disbursed_on > today {
        return Err(LoanError::new("loan.disbursed_on", "放款日期不能晚于今天"));
    }
    let maturity = Disbursement {
        contract_no: new.contract_no.clone(),
        amount_fen: new.amount_fen,
        rate_bp: new.rate_bp,
        term_months: new.term_months,
        guarantee: guarantee.to_owned(),
        flags: new.flags,
        disbursed_on,
    }
    .validate()?;
    Ok((guarantee.to_owned(), disbursed_on, maturity))
}

/// Checks one disbursement against the rules and the database (the enterprise exists; the
/// application, if any, is this institution's, this enterprise's and approved).
pub(crate) async fn prepare(
    conn: &impl ConnectionTrait,
    p: &Principal,
    new: &NewLoan,
    today: NaiveDate,
) -> ServiceResult<Prepared> {
    let subject = new.subject.trim().to_uppercase();
    let (guarantee, disbursed_on, maturity_on) = check_values(new, today).map_err(invalid)?;
    let enterprise = if subject.is_empty() {
        None
    } else {
        enterprises::get(conn, &subject).await?
    };
    let Some(enterprise) = enterprise else {
        return Err(ServiceError::invalid(
            "loan.subject_unknown",
            "借款企业不在平台企业名录中（请核对统一社会信用代码）",
        ));
    };
    let application_id = new
        .application_id
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    let mut product_id = None;
    if let Some(app_id) = &application_id {
        let app = xinrong_store::repo::applications::get(conn, app_id)
            .await?
            .filter(|a| a.institution_org_id == p.org_id)
            .ok_or(ServiceError::NotFound("融资申请"))?;
        if app.subject != subject {
            return Err(ServiceError::invalid(
                "loan.application_subject",
                "融资申请的申请企业与借款企业不一致",
            ));
        }
        product_id = Some(app.product_id);
    }
    Ok(Prepared {
        subject,
        region_code: enterprise.region_code,
        contract_no: new.contract_no.trim().to_owned(),
        amount_fen: new.amount_fen,
        rate_bp: new.rate_bp,
        term_months: new.term_months,
        guarantee,
        flags: new.flags,
        disbursed_on,
        maturity_on,
        application_id,
        product_id,
    })
}

fn conflict() -> ServiceError {
    ServiceError::invalid(
        "loan.contract_conflict",
        "该合同编号已登记过一笔内容不同的贷款；同一合同请勿重复登记不同数据",
    )
}

/// Outcome of writing one prepared loan inside a transaction.
pub(crate) enum Written {
    Created(LoanRow),
    Existing(LoanRow),
}

/// Writes one prepared loan inside `txn` (idempotent by contract number), disburses its
/// application and notifies the enterprise. The trail entry is the caller's.
pub(crate) async fn write_in<C: ConnectionTrait>(
    txn: &C,
    platform: &Platform,
    p: &Principal,
    prep: &Prepared,
    batch_id: Option<&str>,
) -> ServiceResult<Written> {
    if let Some(existing) = repo::by_contract(txn, &p.org_id, &prep.contract_no).await? {
        return if prep.same_as(&existing) {
            Ok(Written::Existing(existing))
        } else {
            Err(conflict())
        };
    }
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let id = ids::new_id().to_string();
    let row = LoanRow {
        id: id.clone(),
        institution_org_id: p.org_id.clone(),
        subject: prep.subject.clone(),
        region_code: prep.region_code.clone(),
        application_id: prep.application_id.clone(),
        product_id: prep.product_id.clone(),
        contract_no: prep.contract_no.clone(),
        amount_fen: prep.amount_fen,
        rate_bp: prep.rate_bp,
        term_months: prep.term_months,
        guarantee: prep.guarantee.clone(),
        pure_credit: prep.flags.pure_credit,
        first_loan: prep.flags.first_loan,
        renewal: prep.flags.renewal,
        no_principal_renewal: prep.flags.no_principal_renewal,
        disbursed_on: prep.disbursed_on,
        maturity_on: prep.maturity_on,
        status: LoanStatus::Normal.code().to_owned(),
        outstanding_fen: prep.amount_fen,
        principal_repaid_fen: 0,
        interest_repaid_fen: 0,
        created_by_user_id: p.user_id.clone(),
        batch_id: batch_id.map(str::to_owned),
        created_at: now,
        updated_at: now,
    };
    repo::insert(txn, row.clone()).await?;
    if let Some(app_id) = &prep.application_id {
        crate::finance::applications::disburse_in(txn, platform, p, app_id, &id).await?;
    }
    notifications::notify(
        txn,
        platform,
        Notice {
            recipient: Recipient::Subject(prep.subject.clone()),
            kind: "loan.recorded",
            title: format!("获贷登记：{}", p.org_name),
            body: format!(
                "{} 已登记向贵企业发放贷款 {} 元（合同编号 {}，年利率 {}，期限 {} 个月，{} 到期）。",
                p.org_name,
                Fen(prep.amount_fen).yuan_text(),
                prep.contract_no,
                rate_text(prep.rate_bp),
                prep.term_months,
                prep.maturity_on
            ),
            link: Some(format!("/loans/{id}")),
        },
    )
    .await?;
    Ok(Written::Created(row))
}

fn require_institution(p: &Principal) -> ServiceResult<()> {
    p.require(&[Role::Institution])
}

/// The institution records one disbursement (idempotent by contract number).
pub async fn record(platform: &Platform, p: &Principal, new: NewLoan) -> ServiceResult<Recorded> {
    require_institution(p)?;
    let conn = &platform.db.conn;
    let prep = prepare(conn, p, &new, today(platform)).await?;
    // A retry of a recorded contract answers before any write.
    if let Some(existing) = repo::by_contract(conn, &p.org_id, &prep.contract_no).await? {
        if !prep.same_as(&existing) {
            return Err(conflict());
        }
        let loan = view(conn, &mut Names::default(), existing).await?;
        return Ok(Recorded {
            loan,
            created: false,
        });
    }
    let txn = platform.db.begin().await?;
    let written = write_in(&txn, platform, p, &prep, None).await;
    let row = match written {
        Ok(Written::Created(row)) => row,
        Ok(Written::Existing(row)) => {
            drop(txn);
            let loan = view(conn, &mut Names::default(), row).await?;
            return Ok(Recorded {
                loan,
                created: false,
            });
        }
        Err(ServiceError::Store(StoreError::Conflict(_))) => {
            // A concurrent recording of the same contract won: answer as a retry.
            drop(txn);
            return match repo::by_contract(conn, &p.org_id, &prep.contract_no).await? {
                Some(existing) if prep.same_as(&existing) => Ok(Recorded {
                    loan: view(conn, &mut Names::default(), existing).await?,
                    created: false,
                }),
                _ => Err(conflict()),
            };
        }
        Err(e) => return Err(e),
    };
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "loan.recorded",
            ref_id: &row.id,
            subject: Some(&row.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "contract_no": row.contract_no,
                "amount_fen": row.amount_fen,
                "rate_bp": row.rate_bp,
                "term_months": row.term_months,
                "guarantee": row.guarantee,
                "pure_credit": row.pure_credit,
                "first_loan": row.first_loan,
                "renewal": row.renewal,
                "no_principal_renewal": row.no_principal_renewal,
                "disbursed_on": row.disbursed_on,
                "maturity_on": row.maturity_on,
                "application_id": row.application_id,
            }),
        },
    )
    .await?;
    txn.commit().await.map_err(StoreError::from)?;
    Ok(Recorded {
        loan: view(conn, &mut Names::default(), row).await?,
        created: true,
    })
}

async fn load_visible(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<LoanRow> {
    repo::get(&platform.db.conn, id.trim())
        .await?
        .filter(|row| visible(p, row))
        .ok_or(ServiceError::NotFound("贷款"))
}

/// The lending institution's own loan (others answer not found).
async fn load_own(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<LoanRow> {
    require_institution(p)?;
    repo::get(&platform.db.conn, id.trim())
        .await?
        .filter(|row| row.institution_org_id == p.org_id)
        .ok_or(ServiceError::NotFound("贷款"))
}

/// One repayment as the institution records it.
#[derive(Debug, Clone, Default)]
pub struct NewRepayment {
    pub paid_on: Option<NaiveDate>,
    pub principal_fen: i64,
    pub interest_fen: i64,
}

/// The institution records a repayment (a retry of the same date and amounts is found, not
/// counted twice). Principal beyond the outstanding is refused; reaching zero settles the loan.
pub async fn repay(
    platform: &Platform,
    p: &Principal,
    id: &str,
    r: NewRepayment,
) -> ServiceResult<LoanDetail> {
    let row = load_own(platform, p, id).await?;
    let conn = &platform.db.conn;
    let paid_on = r
        .paid_on
        .ok_or_else(|| ServiceError::invalid("loan.repayment_date", "请填写还款日期"))?;
    if paid_on < row.disbursed_on || paid_on > today(platform) {
        return Err(ServiceError::invalid(
            "loan.repayment_date",
            "还款日期须在放款日期与今天之间",
        ));
    }
    if repo::find_repayment(conn, &row.id, paid_on, r.principal_fen, r.interest_fen)
        .await?
        .is_some()
    {
        return detail(platform, p, &row.id).await;
    }
    if row.status == LoanStatus::Settled.code() {
        return Err(ServiceError::invalid(
            "loan.state",
            "贷款已结清，不能再登记还款",
        ));
    }
    let left = rules::apply_repayment(row.outstanding_fen, r.principal_fen, r.interest_fen)
        .map_err(invalid)?;
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let settles = left == 0;
    let mut next = row.clone();
    next.outstanding_fen = left;
    next.principal_repaid_fen += r.principal_fen;
    next.interest_repaid_fen += r.interest_fen;
    next.updated_at = now;
    if settles {
        next.status = LoanStatus::Settled.code().to_owned();
    }
    let txn = platform.db.begin().await?;
    if !repo::update_if(&txn, next.clone(), &row.status, row.outstanding_fen).await? {
        return Err(ServiceError::invalid(
            "loan.state",
            "贷款已被其他操作改变，请刷新后重试",
        ));
    }
    repo::insert_repayment(
        &txn,
        RepaymentRow {
            id: ids::new_id().to_string(),
            loan_id: row.id.clone(),
            paid_on,
            principal_fen: r.principal_fen,
            interest_fen: r.interest_fen,
            created_by_user_id: p.user_id.clone(),
            created_at: now,
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "loan.repaid",
            ref_id: &row.id,
            subject: Some(&row.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "paid_on": paid_on,
                "principal_fen": r.principal_fen,
                "interest_fen": r.interest_fen,
                "outstanding_fen": left,
            }),
        },
    )
    .await?;
    if settles {
        trail::append(
            &txn,
            platform,
            TrailEntry {
                kind: "loan.settled",
                ref_id: &row.id,
                subject: Some(&row.subject),
                actor_user_id: Some(&p.user_id),
                actor_org_id: Some(&p.org_id),
                body: serde_json::json!({ "from": row.status, "by": "repayment" }),
            },
        )
        .await?;
        notifications::notify(
            &txn,
            platform,
            Notice {
                recipient: Recipient::Subject(row.subject.clone()),
                kind: "loan.settled",
                title: format!("贷款已结清：{}", row.contract_no),
                body: format!(
                    "{} 登记合同编号 {} 的贷款本金已全部归还，贷款已结清。",
                    p.org_name, row.contract_no
                ),
                link: Some(format!("/loans/{}", row.id)),
            },
        )
        .await?;
    }
    txn.commit().await.map_err(StoreError::from)?;
    detail(platform, p, &row.id).await
}

/// The institution changes a loan's status (overdue, back to normal, default, settled).
pub async fn set_status(
    platform: &Platform,
    p: &Principal,
    id: &str,
    to: &str,
    note: &str,
) -> ServiceResult<LoanDetail> {
    let row = load_own(platform, p, id).await?;
    let to = LoanStatus::parse(to).ok_or_else(|| {
        ServiceError::invalid(
            "loan.status",
            "状态须为 normal（正常）、overdue（逾期）、default（违约）或 settled（已结清）",
        )
    })?;
    let from = LoanStatus::parse(&row.status).unwrap_or(LoanStatus::Normal);
    from.can_become(to, row.outstanding_fen).map_err(invalid)?;
    let note = note.trim();
    if note.chars().count() > crate::objections::MAX_TEXT_CHARS {
        return Err(ServiceError::invalid("loan.note", "说明过长"));
    }
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let mut next = row.clone();
    next.status = to.code().to_owned();
    next.updated_at = now;
    let txn = platform.db.begin().await?;
    if !repo::update_if(&txn, next, &row.status, row.outstanding_fen).await? {
        return Err(ServiceError::invalid(
            "loan.state",
            "贷款已被其他操作改变，请刷新后重试",
        ));
    }
    let kind = match to {
        LoanStatus::Normal => "loan.normal",
        LoanStatus::Overdue => "loan.overdue",
        LoanStatus::Default => "loan.default",
        LoanStatus::Settled => "loan.settled",
    };
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind,
            ref_id: &row.id,
            subject: Some(&row.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "from": row.status, "to": to.code(), "note": note }),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Subject(row.subject.clone()),
            kind,
            title: format!("贷款状态变更为“{}”：{}", to.label_zh(), row.contract_no),
            body: format!(
                "{} 将合同编号 {} 的贷款状态由“{}”变更为“{}”。{}",
                p.org_name,
                row.contract_no,
                from.label_zh(),
                to.label_zh(),
                if note.is_empty() {
                    String::new()
                } else {
                    format!("说明：{note}")
                }
            ),
            link: Some(format!("/loans/{}", row.id)),
        },
    )
    .await?;
    txn.commit().await.map_err(StoreError::from)?;
    detail(platform, p, &row.id).await
}

/// A loan the caller may see, with its repayments and timeline.
pub async fn detail(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<LoanDetail> {
    let row = load_visible(platform, p, id).await?;
    let conn = &platform.db.conn;
    let repayments = repo::repayments(conn, &row.id)
        .await?
        .into_iter()
        .map(repayment_view)
        .collect();
    let mut entries = trail::for_ref(conn, &row.id).await?;
    if let Some(batch) = &row.batch_id {
        entries.splice(0..0, trail::for_ref(conn, batch).await?);
    }
    let timeline = entries
        .into_iter()
        .map(|r| Step {
            label: step_label(&r.kind).to_owned(),
            kind: r.kind,
            at: local(r.created_at),
            actor_org_id: r.actor_org_id,
            body: serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null),
            leaf_index: r.leaf_index,
        })
        .collect();
    Ok(LoanDetail {
        loan: view(conn, &mut Names::default(), row).await?,
        repayments,
        timeline,
    })
}

/// A loan step's Chinese label.
pub fn step_label(kind: &str) -> &'static str {
    match kind {
        "loan.recorded" => "机构登记放款",
        "loan.batch_recorded" => "机构批量登记放款",
        "loan.repaid" => "登记还款",
        "loan.normal" => "恢复正常",
        "loan.overdue" => "标记逾期",
        "loan.default" => "标记违约",
        "loan.settled" => "贷款结清",
        _ => "其他",
    }
}

/// The repository filter for what `p` may see, with the caller's filters.
fn scoped(p: &Principal, q: &LoanQuery) -> ServiceResult<Option<Filter>> {
    let blank = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut f = Filter {
        subject: blank(&q.subject).map(|s| s.to_uppercase()),
        institution_org_id: blank(&q.institution),
        status: blank(&q.status),
        flag: blank(&q.flag),
        guarantee: blank(&q.guarantee),
        disbursed_from: q.from,
        disbursed_to: q.to,
        ..Filter::default()
    };
    if let Some(s) = &f.status
        && LoanStatus::parse(s).is_none()
    {
        return Err(ServiceError::invalid("loan.status", "未知的贷款状态"));
    }
    if let Some(fl) = &f.flag
        && !FLAGS.iter().any(|(k, _)| k == fl)
    {
        return Err(ServiceError::invalid("loan.flag", "未知的贷款标识"));
    }
    match p.role {
        Role::Operator => {}
        Role::Institution => f.institution_org_id = Some(p.org_id.clone()),
        Role::Enterprise => match &p.org_uscc {
            Some(u) => f.subject = Some(u.clone()),
            None => return Ok(None),
        },
        Role::Government => {
            let prefix = p
                .region_code
                .as_deref()
                .map(region_prefix)
                .unwrap_or_default();
            if prefix.is_empty() {
                return Ok(None);
            }
            f.region_prefix = Some(prefix);
        }
        Role::Provider => return Err(ServiceError::Forbidden),
    }
    Ok(Some(f))
}

/// The loans `p` may see, filtered, newest disbursement first, with totals over all matches.
pub async fn list(platform: &Platform, p: &Principal, q: LoanQuery) -> ServiceResult<LoanList> {
    let Some(filter) = scoped(p, &q)? else {
        return Ok(LoanList {
            loans: Vec::new(),
            totals: Totals::default(),
            truncated: false,
        });
    };
    list_filtered(platform, filter, q.limit).await
}

/// Every loan (the CLI acts as the platform), filtered.
pub async fn list_all(platform: &Platform, q: LoanQuery) -> ServiceResult<LoanList> {
    let operator = Principal {
        user_id: String::new(),
        username: String::new(),
        display_name: String::new(),
        org_id: String::new(),
        org_name: String::new(),
        role: Role::Operator,
        region_code: None,
        org_uscc: None,
    };
    let filter = scoped(&operator, &q)?.unwrap_or_default();
    list_filtered(platform, filter, q.limit).await
}

async fn list_filtered(
    platform: &Platform,
    filter: Filter,
    limit: Option<usize>,
) -> ServiceResult<LoanList> {
    let conn = &platform.db.conn;
    let limit = limit.unwrap_or(500).clamp(1, 10_000);
    let rows = repo::list(conn, &filter).await?;
    let mut names = Names::default();
    let mut totals = Totals::default();
    let mut loans = Vec::new();
    let truncated = rows.len() > limit;
    for row in rows {
        let v = view(conn, &mut names, row).await?;
        totals.add(&v);
        if loans.len() < limit {
            loans.push(v);
        }
    }
    Ok(LoanList {
        loans,
        totals,
        truncated,
    })
}

/// The values to prefill the recording form from an approved application of this institution.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Prefill {
    pub application_id: String,
    pub subject: String,
    pub subject_name: String,
    pub amount_fen: i64,
    pub term_months: i64,
}

/// The prefill of `/loans/new?application=ID`: the institution's own application only.
pub async fn prefill(
    platform: &Platform,
    p: &Principal,
    application_id: &str,
) -> ServiceResult<Prefill> {
    require_institution(p)?;
    let conn = &platform.db.conn;
    let app = xinrong_store::repo::applications::get(conn, application_id.trim())
        .await?
        .filter(|a| a.institution_org_id == p.org_id)
        .ok_or(ServiceError::NotFound("融资申请"))?;
    let subject_name = Names::default().subject(conn, &app.subject).await?;
    Ok(Prefill {
        application_id: app.id,
        subject: app.subject,
        subject_name,
        amount_fen: app.approved_amount_fen.unwrap_or(app.amount_fen),
        term_months: i64::from(app.term_months),
    })
}
