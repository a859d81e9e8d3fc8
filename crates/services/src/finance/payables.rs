//! 供应链金融 — 应付账款确认 (supply-chain payables).
//!
//! A supplier declares an account payable owed to it by a core enterprise (the debtor); only
//! the debtor confirms it (核心企业确权) or disputes it with a reason — any other enterprise is
//! refused with `payable.not_debtor` and nothing changes. A core enterprise may also register a
//! payable it owes directly: it is the debtor, so the payable is confirmed at once. The
//! supplier attaches confirmed payables to its own financing applications; the institution the
//! application is addressed to sees them labelled 核心企业已确认, with the confirming
//! enterprise's name and time. The debtor settles a confirmed payable; the supplier may cancel
//! one that is not settled. Statuses and rules: `xinrong_core::finance::payable`.
//!
//! Every step is one transaction: the status changes only if it is still the expected one
//! (`payable.state` otherwise), the other party is notified and a trail entry (ref_id = the
//! payable's id) appended.

use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::objections::shared::{local, required_text, today};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::finance::payable::{self as rules, status};
use xinrong_core::ids;
use xinrong_core::money::Fen;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::payables::{self as repo, AttachedRow, PayableRow};
use xinrong_store::repo::{applications, enterprises};

pub use xinrong_core::finance::payable::status as statuses;

/// The label institutions see on an attached, confirmed payable.
pub const CONFIRMED_LABEL: &str = "核心企业已确认";

/// Application statuses a payable may be attached in (not yet decided).
pub const OPEN_APPLICATION: &[&str] = &["submitted", "accepted", "under_review"];

/// A payable as its parties (and the addressed institution) see it.
#[derive(Debug, Clone, Serialize)]
pub struct PayableView {
    pub id: String,
    pub debtor_uscc: String,
    pub debtor_name: String,
    pub supplier_uscc: String,
    pub supplier_name: String,
    pub amount_fen: i64,
    /// e.g. `¥120,000.00`.
    pub amount_text: String,
    pub due_on: NaiveDate,
    pub invoice_refs: Vec<String>,
    pub status: String,
    pub status_label: String,
    /// Registered by the debtor itself (confirmed at once) rather than declared by the supplier.
    pub registered_by_debtor: bool,
    /// The confirming enterprise's name (the debtor), once confirmed.
    pub confirmed_by_name: Option<String>,
    pub confirmed_at: Option<DateTime<FixedOffset>>,
    pub dispute_reason: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

/// A payable attached to an application.
#[derive(Debug, Clone, Serialize)]
pub struct AttachedPayable {
    pub payable: PayableView,
    pub attached_at: DateTime<FixedOffset>,
    /// 核心企业已确认 when the payable is confirmed (or later settled), otherwise its status label.
    pub label: String,
}

/// An application's payables and what the viewer may do.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationPayables {
    pub application_id: String,
    pub attached: Vec<AttachedPayable>,
    /// The viewer is the applicant and may attach more.
    pub can_attach: bool,
    /// The applicant's confirmed payables not attached yet (only for the applicant).
    pub attachable: Vec<PayableView>,
}

#[derive(Default)]
struct EntNames(HashMap<String, String>);

impl EntNames {
    async fn of(&mut self, conn: &impl ConnectionTrait, uscc: &str) -> ServiceResult<String> {
        if let Some(n) = self.0.get(uscc) {
            return Ok(n.clone());
        }
        let name = enterprises::get(conn, uscc)
            .await?
            .map_or_else(|| uscc.to_owned(), |e| e.name);
        self.0.insert(uscc.to_owned(), name.clone());
        Ok(name)
    }
}

async fn view(
    conn: &impl ConnectionTrait,
    names: &mut EntNames,
    row: PayableRow,
) -> ServiceResult<PayableView> {
    let debtor_name = names.of(conn, &row.debtor_uscc).await?;
    Ok(PayableView {
        supplier_name: names.of(conn, &row.supplier_uscc).await?,
        amount_text: Fen(row.amount_fen).to_string(),
        invoice_refs: serde_json::from_str(&row.invoice_refs).unwrap_or_default(),
        status_label: status::label_zh(&row.status).to_owned(),
        registered_by_debtor: row.declared_by_uscc == row.debtor_uscc,
        confirmed_by_name: row.confirmed_at.map(|_| debtor_name.clone()),
        confirmed_at: row.confirmed_at.map(local),
        created_at: local(row.created_at),
        debtor_name,
        id: row.id,
        debtor_uscc: row.debtor_uscc,
        supplier_uscc: row.supplier_uscc,
        amount_fen: row.amount_fen,
        due_on: row.due_on,
        status: row.status,
        dispute_reason: row.dispute_reason,
    })
}

fn rule(e: rules::PayableError) -> ServiceError {
    ServiceError::invalid(e.code, e.message)
}

fn own_uscc(p: &Principal) -> ServiceResult<String> {
    if p.role != Role::Enterprise {
        return Err(ServiceError::Forbidden);
    }
    p.org_uscc.clone().ok_or(ServiceError::Forbidden)
}

fn link(id: &str) -> Option<String> {
    Some(format!("/payables#p-{id}"))
}

async fn commit(txn: xinrong_store::DatabaseTransaction) -> ServiceResult<()> {
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(())
}

/// What is declared (by the supplier) or registered (by the debtor).
#[derive(Debug, Clone)]
pub struct NewPayable {
    pub debtor_uscc: String,
    pub supplier_uscc: String,
    pub amount_fen: i64,
    pub due_on: NaiveDate,
    pub invoice_refs: Vec<String>,
}

/// The supplier declares a payable naming the core enterprise; or the core enterprise (the
/// debtor) registers one it owes, confirmed at once. The caller must be one of the two.
pub async fn declare(
    platform: &Platform,
    p: &Principal,
    new: NewPayable,
) -> ServiceResult<PayableView> {
    let me = own_uscc(p)?;
    let conn = &platform.db.conn;
    let debtor = Uscc::parse(new.debtor_uscc.trim())?.as_str().to_owned();
    let supplier = Uscc::parse(new.supplier_uscc.trim())?.as_str().to_owned();
    if debtor == supplier {
        return Err(ServiceError::invalid(
            "payable.same_party",
            "债务人（核心企业）和供应商不能是同一家企业",
        ));
    }
    let by_debtor = me == debtor;
    if !by_debtor && me != supplier {
        return Err(ServiceError::invalid(
            "payable.not_party",
            "只能登记本企业作为供应商或核心企业的应付账款",
        ));
    }
    let counterparty = if by_debtor { &supplier } else { &debtor };
    if enterprises::get(conn, counterparty).await?.is_none() {
        return Err(ServiceError::invalid(
            "payable.unknown_enterprise",
            format!("平台上没有统一社会信用代码为 {counterparty} 的企业"),
        ));
    }
    let invoices = rules::check_declaration(
        new.amount_fen,
        new.due_on,
        &new.invoice_refs,
        today(platform),
    )
    .map_err(rule)?;
    let now = platform.clock.now_naive();
    let id = ids::new_id().to_string();
    let row = PayableRow {
        id: id.clone(),
        debtor_uscc: debtor.clone(),
        supplier_uscc: supplier.clone(),
        amount_fen: new.amount_fen,
        due_on: new.due_on,
        invoice_refs: serde_json::to_string(&invoices).expect("JSON"),
        status: if by_debtor {
            status::CONFIRMED
        } else {
            status::DECLARED
        }
        .to_owned(),
        declared_by_user_id: p.user_id.clone(),
        declared_by_uscc: me.clone(),
        confirmed_by_user_id: by_debtor.then(|| p.user_id.clone()),
        confirmed_at: by_debtor.then_some(now),
        dispute_reason: None,
        created_at: now,
        updated_at: now,
    };
    let mut names = EntNames::default();
    let my_name = names.of(conn, &me).await?;
    let amount = Fen(new.amount_fen).to_string();
    let txn = platform.db.begin().await?;
    repo::insert(&txn, row.clone()).await?;
    let kind = if by_debtor {
        "payable.registered"
    } else {
        "payable.declared"
    };
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind,
            ref_id: &id,
            subject: Some(&supplier),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "debtor_uscc": debtor, "supplier_uscc": supplier, "amount_fen": new.amount_fen,
                "due_on": new.due_on, "invoice_refs": invoices,
            }),
        },
    )
    .await?;
    let notice = if by_debtor {
        Notice {
            recipient: Recipient::Subject(supplier.clone()),
            kind,
            title: format!("核心企业确认应付账款：{my_name}"),
            body: format!(
                "{my_name}登记并确认了应付贵企业的账款 {amount}（到期日 {}），可用于融资申请。",
                new.due_on
            ),
            link: link(&id),
        }
    } else {
        Notice {
            recipient: Recipient::Subject(debtor.clone()),
            kind,
            title: format!("待确认的应付账款：{my_name}"),
            body: format!(
                "{my_name}申报贵企业应付其账款 {amount}（到期日 {}），请确认或提出异议。",
                new.due_on
            ),
            link: link(&id),
        }
    };
    notifications::notify(&txn, platform, notice).await?;
    commit(txn).await?;
    view(conn, &mut names, row).await
}

/// Loads a payable `p` may see: its debtor or supplier, the operator; "not found" otherwise.
async fn load_party(
    conn: &impl ConnectionTrait,
    p: &Principal,
    id: &str,
) -> ServiceResult<PayableRow> {
    let row = repo::get(conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("应付账款"))?;
    let party = match p.role {
        Role::Operator => true,
        Role::Enterprise => p
            .org_uscc
            .as_deref()
            .is_some_and(|u| u == row.debtor_uscc || u == row.supplier_uscc),
        _ => false,
    };
    if party {
        Ok(row)
    } else {
        Err(ServiceError::NotFound("应付账款"))
    }
}

fn wrong_state(row: &PayableRow, action: &str) -> ServiceError {
    ServiceError::invalid(
        "payable.state",
        format!(
            "应付账款当前状态为“{}”，不能{action}",
            status::label_zh(&row.status)
        ),
    )
}

/// Only the debtor: any other enterprise (the supplier included, or a stranger) is refused
/// with `payable.not_debtor` before anything is read back to it.
async fn load_as_debtor(
    conn: &impl ConnectionTrait,
    p: &Principal,
    id: &str,
) -> ServiceResult<PayableRow> {
    let me = own_uscc(p)?;
    let row = repo::get(conn, id.trim()).await?;
    match row {
        Some(row) if row.debtor_uscc == me => Ok(row),
        Some(_) => Err(ServiceError::Denied {
            code: "payable.not_debtor",
            message: "只有应付账款的债务人（核心企业）可以确认或提出异议".into(),
        }),
        None => Err(ServiceError::NotFound("应付账款")),
    }
}

async fn step(
    platform: &Platform,
    p: &Principal,
    row: PayableRow,
    from: &str,
    kind: &'static str,
    notice: Notice,
    body: serde_json::Value,
) -> ServiceResult<PayableView> {
    let txn = platform.db.begin().await?;
    if !repo::update_if(&txn, row.clone(), from).await? {
        return Err(ServiceError::invalid(
            "payable.state",
            "应付账款状态已被其他操作改变，请刷新后重试",
        ));
    }
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind,
            ref_id: &row.id,
            subject: Some(&row.supplier_uscc),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body,
        },
    )
    .await?;
    notifications::notify(&txn, platform, notice).await?;
    commit(txn).await?;
    view(&platform.db.conn, &mut EntNames::default(), row).await
}

/// The debtor confirms a declared payable (确权); the due date must not have passed.
pub async fn confirm(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<PayableView> {
    let conn = &platform.db.conn;
    let mut row = load_as_debtor(conn, p, id).await?;
    if row.status != status::DECLARED {
        return Err(wrong_state(&row, "确认"));
    }
    rules::check_due(row.due_on, today(platform)).map_err(rule)?;
    let now = platform.clock.now_naive();
    row.status = status::CONFIRMED.to_owned();
    row.confirmed_by_user_id = Some(p.user_id.clone());
    row.confirmed_at = Some(now);
    row.updated_at = now;
    let name = EntNames::default().of(conn, &row.debtor_uscc).await?;
    let notice = Notice {
        recipient: Recipient::Subject(row.supplier_uscc.clone()),
        kind: "payable.confirmed",
        title: format!("应付账款已确认：{name}"),
        body: format!(
            "{name}已确认应付贵企业的账款 {}，可附于融资申请。",
            Fen(row.amount_fen)
        ),
        link: link(&row.id),
    };
    let body = serde_json::json!({ "amount_fen": row.amount_fen, "due_on": row.due_on });
    step(
        platform,
        p,
        row,
        status::DECLARED,
        "payable.confirmed",
        notice,
        body,
    )
    .await
}

/// The debtor disputes a declared payable, with a reason.
pub async fn dispute(
    platform: &Platform,
    p: &Principal,
    id: &str,
    reason: &str,
) -> ServiceResult<PayableView> {
    let conn = &platform.db.conn;
    let mut row = load_as_debtor(conn, p, id).await?;
    if row.status != status::DECLARED {
        return Err(wrong_state(&row, "提出异议"));
    }
    let reason = required_text(reason, "payable.reason_required", "异议理由")?;
    let now = platform.clock.now_naive();
    row.status = status::DISPUTED.to_owned();
    row.dispute_reason = Some(reason.clone());
    row.updated_at = now;
    let name = EntNames::default().of(conn, &row.debtor_uscc).await?;
    let notice = Notice {
        recipient: Recipient::Subject(row.supplier_uscc.clone()),
        kind: "payable.disputed",
        title: format!("应付账款有异议：{name}"),
        body: format!("{name}对贵企业申报的应付账款提出异议：{reason}"),
        link: link(&row.id),
    };
    let body = serde_json::json!({ "reason": reason });
    step(
        platform,
        p,
        row,
        status::DECLARED,
        "payable.disputed",
        notice,
        body,
    )
    .await
}

/// The debtor marks a confirmed payable settled (已结清).
pub async fn settle(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<PayableView> {
    let conn = &platform.db.conn;
    let mut row = load_as_debtor(conn, p, id).await?;
    if row.status != status::CONFIRMED {
        return Err(wrong_state(&row, "结清"));
    }
    row.status = status::SETTLED.to_owned();
    row.updated_at = platform.clock.now_naive();
    let notice = Notice {
        recipient: Recipient::Subject(row.supplier_uscc.clone()),
        kind: "payable.settled",
        title: "应付账款已结清".into(),
        body: format!("核心企业已将应付账款 {} 标记为结清。", Fen(row.amount_fen)),
        link: link(&row.id),
    };
    step(
        platform,
        p,
        row,
        status::CONFIRMED,
        "payable.settled",
        notice,
        serde_json::json!({}),
    )
    .await
}

/// The supplier cancels a payable it declared (declared, disputed or confirmed, not settled).
pub async fn cancel(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<PayableView> {
    let me = own_uscc(p)?;
    let conn = &platform.db.conn;
    let mut row = load_party(conn, p, id).await?;
    if row.supplier_uscc != me {
        return Err(ServiceError::Denied {
            code: "payable.not_supplier",
            message: "只有供应商可以撤销应付账款".into(),
        });
    }
    if !rules::can_move(&row.status, status::CANCELLED) {
        return Err(wrong_state(&row, "撤销"));
    }
    let from = row.status.clone();
    row.status = status::CANCELLED.to_owned();
    row.updated_at = platform.clock.now_naive();
    let notice = Notice {
        recipient: Recipient::Subject(row.debtor_uscc.clone()),
        kind: "payable.cancelled",
        title: "应付账款已撤销".into(),
        body: format!("供应商撤销了应付账款 {}。", Fen(row.amount_fen)),
        link: link(&row.id),
    };
    step(
        platform,
        p,
        row,
        &from,
        "payable.cancelled",
        notice,
        serde_json::json!({ "from": from }),
    )
    .await
}

/// Which payables to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    /// Both sides.
    #[default]
    Any,
    /// Owed by the caller (it is the debtor): to confirm.
    AsDebtor,
    /// Owed to the caller (it is the supplier).
    AsSupplier,
}

impl Side {
    pub fn parse(text: &str) -> ServiceResult<Side> {
        match text {
            "" | "any" => Ok(Side::Any),
            "debtor" => Ok(Side::AsDebtor),
            "supplier" => Ok(Side::AsSupplier),
            other => Err(ServiceError::invalid(
                "payable.side",
                format!("未知的范围：{other}（debtor、supplier 或 any）"),
            )),
        }
    }
}

/// The payables of the caller's enterprise (as debtor, as supplier or both), newest first; the
/// operator sees all. `status` narrows to one status.
pub async fn list(
    platform: &Platform,
    p: &Principal,
    side: Side,
    status_filter: Option<&str>,
) -> ServiceResult<Vec<PayableView>> {
    if let Some(s) = status_filter
        && !status::ALL.contains(&s)
    {
        return Err(ServiceError::invalid(
            "payable.status",
            format!("未知的应付账款状态：{s}（{}）", status::ALL.join("、")),
        ));
    }
    let statuses: Vec<&str> = status_filter.into_iter().collect();
    let conn = &platform.db.conn;
    let rows = match p.role {
        Role::Operator => repo::list(conn, None, None, &statuses).await?,
        Role::Enterprise => {
            let me = own_uscc(p)?;
            let mut rows = Vec::new();
            if side != Side::AsSupplier {
                rows.extend(repo::list(conn, Some(&me), None, &statuses).await?);
            }
            if side != Side::AsDebtor {
                rows.extend(repo::list(conn, None, Some(&me), &statuses).await?);
            }
            rows.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
            rows
        }
        _ => return Err(ServiceError::Forbidden),
    };
    let mut names = EntNames::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(view(conn, &mut names, row).await?);
    }
    Ok(out)
}

/// Every payable (the CLI).
pub async fn list_all(platform: &Platform) -> ServiceResult<Vec<PayableView>> {
    let conn = &platform.db.conn;
    let mut names = EntNames::default();
    let mut out = Vec::new();
    for row in repo::list(conn, None, None, &[]).await? {
        out.push(view(conn, &mut names, row).await?);
    }
    Ok(out)
}

/// One payable, for its parties and the operator.
pub async fn get(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<PayableView> {
    let conn = &platform.db.conn;
    let row = load_party(conn, p, id).await?;
    view(conn, &mut EntNames::default(), row).await
}

/// Loads an application `p` may see for payables: the applicant, the addressed institution, the
/// operator; "not found" otherwise.
async fn load_application(
    conn: &impl ConnectionTrait,
    p: &Principal,
    application_id: &str,
) -> ServiceResult<applications::ApplicationRow> {
    let app = applications::get(conn, application_id.trim())
        .await?
        .ok_or(ServiceError::NotFound("融资申请"))?;
    let visible = match p.role {
        Role::Operator => true,
        Role::Enterprise => p.org_uscc.as_deref() == Some(app.subject.as_str()),
        Role::Institution => p.org_id == app.institution_org_id,
        _ => false,
    };
    if visible {
        Ok(app)
    } else {
        Err(ServiceError::NotFound("融资申请"))
    }
}

/// The supplier attaches one of its confirmed payables to one of its own applications that is
/// not decided yet. Attaching the same payable again answers the current list. Someone else's
/// application is "not found"; a payable not confirmed is `payable.not_confirmed`.
pub async fn attach(
    platform: &Platform,
    p: &Principal,
    application_id: &str,
    payable_id: &str,
) -> ServiceResult<ApplicationPayables> {
    let me = own_uscc(p)?;
    let conn = &platform.db.conn;
    let app = load_application(conn, p, application_id).await?;
    let row = load_party(conn, p, payable_id).await?;
    if row.supplier_uscc != me {
        return Err(ServiceError::Denied {
            code: "payable.not_supplier",
            message: "只能附上本企业作为供应商的应付账款".into(),
        });
    }
    if repo::attachment(conn, &app.id, &row.id).await?.is_some() {
        return for_application(platform, p, &app.id).await;
    }
    if row.status != status::CONFIRMED {
        return Err(ServiceError::invalid(
            "payable.not_confirmed",
            format!(
                "只能附上核心企业已确认的应付账款，该笔当前为“{}”",
                status::label_zh(&row.status)
            ),
        ));
    }
    rules::check_due(row.due_on, today(platform)).map_err(rule)?;
    if !OPEN_APPLICATION.contains(&app.status.as_str()) {
        return Err(ServiceError::invalid(
            "payable.application_state",
            "该融资申请已有审批结果或已结束，不能再附应付账款",
        ));
    }
    let now = platform.clock.now_naive();
    let mut names = EntNames::default();
    let debtor_name = names.of(conn, &row.debtor_uscc).await?;
    let my_name = names.of(conn, &me).await?;
    let txn = platform.db.begin().await?;
    repo::attach(
        &txn,
        AttachedRow {
            application_id: app.id.clone(),
            payable_id: row.id.clone(),
            attached_by_user_id: p.user_id.clone(),
            attached_at: now,
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "payable.attached",
            ref_id: &row.id,
            subject: Some(&me),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "application_id": app.id }),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Org(app.institution_org_id.clone()),
            kind: "payable.attached",
            title: format!("融资申请附上应付账款：{my_name}"),
            body: format!(
                "{my_name}为融资申请附上{debtor_name}已确认的应付账款 {}（到期日 {}）。",
                Fen(row.amount_fen),
                row.due_on
            ),
            link: Some(format!("/applications/{}", app.id)),
        },
    )
    .await?;
    commit(txn).await?;
    for_application(platform, p, &app.id).await
}

/// The payables attached to an application, for the applicant, the addressed institution and
/// the operator; the applicant also gets its attachable confirmed payables.
pub async fn for_application(
    platform: &Platform,
    p: &Principal,
    application_id: &str,
) -> ServiceResult<ApplicationPayables> {
    let conn = &platform.db.conn;
    let app = load_application(conn, p, application_id).await?;
    let mut names = EntNames::default();
    let mut attached = Vec::new();
    for (link, row) in repo::for_application(conn, &app.id).await? {
        let v = view(conn, &mut names, row).await?;
        let label = if v.confirmed_at.is_some() && v.status != status::CANCELLED {
            CONFIRMED_LABEL.to_owned()
        } else {
            v.status_label.clone()
        };
        attached.push(AttachedPayable {
            payable: v,
            attached_at: local(link.attached_at),
            label,
        });
    }
    let is_applicant =
        p.role == Role::Enterprise && p.org_uscc.as_deref() == Some(app.subject.as_str());
    let can_attach = is_applicant && OPEN_APPLICATION.contains(&app.status.as_str());
    let mut attachable = Vec::new();
    if can_attach {
        let today = today(platform);
        for row in repo::list(conn, None, Some(&app.subject), &[status::CONFIRMED]).await? {
            if row.due_on >= today && !attached.iter().any(|a| a.payable.id == row.id) {
                attachable.push(view(conn, &mut names, row).await?);
            }
        }
    }
    Ok(ApplicationPayables {
        application_id: app.id,
        attached,
        can_attach,
        attachable,
    })
}

/// For an institution: every payable attached to applications addressed to it, newest first,
/// with the application it is attached to.
pub async fn for_institution(
    platform: &Platform,
    p: &Principal,
) -> ServiceResult<Vec<(String, AttachedPayable)>> {
    if p.role != Role::Institution {
        return Err(ServiceError::Forbidden);
    }
    let conn = &platform.db.conn;
    let mut names = EntNames::default();
    let mut out = Vec::new();
    for link in repo::attached_for_institution(conn, &p.org_id).await? {
        if let Some(row) = repo::get(conn, &link.payable_id).await? {
            let v = view(conn, &mut names, row).await?;
            let label = if v.confirmed_at.is_some() && v.status != status::CANCELLED {
                CONFIRMED_LABEL.to_owned()
            } else {
                v.status_label.clone()
            };
            out.push((
                link.application_id,
                AttachedPayable {
                    payable: v,
                    attached_at: local(link.attached_at),
                    label,
                },
            ));
        }
    }
    Ok(out)
}

/// A step's Chinese label.
pub fn step_label(kind: &str) -> &'static str {
    match kind {
        "payable.declared" => "供应商申报应付账款",
        "payable.registered" => "核心企业登记并确认",
        "payable.confirmed" => "核心企业确认",
        "payable.disputed" => "核心企业提出异议",
        "payable.settled" => "已结清",
        "payable.cancelled" => "供应商撤销",
        "payable.attached" => "附于融资申请",
        _ => "其他",
    }
}
