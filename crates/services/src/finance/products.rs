//! 金融产品 (products): institutions publish, the operator reviews, the product supermarket
//! (产品超市) lists.
//!
//! ```text
//! draft ──submit──▶ pending ──approve──▶ listed ──delist──▶ delisted
//!   ▲                  └──reject (reason)──▶ rejected          │
//!   └──────── edit (draft, rejected, delisted) ◀───────────────┘
//! ```
//!
//! An institution (接入机构) creates a draft and edits it while it is a draft, rejected or
//! delisted (an edit makes it a draft again); it submits it for review (the operators are
//! notified). The operator (平台运营方) approves it (listed: it appears in the supermarket) or
//! rejects it with a required reason (the institution is notified either way). A listed product
//! cannot be edited — the institution or the operator delists it first (the other party is
//! notified), so what an enterprise applied for is what was reviewed.
//!
//! Every step is one transaction: the row changes only if its status and version are still the
//! ones the step read (a concurrent step makes the later one fail with `product.state`), and a
//! trail entry (留痕, ref_id = product id) is appended. An institution sees its own products, the
//! operator all, everyone (also anonymous visitors) the listed ones; anything else is not found.

use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::objections::local;
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use xinrong_core::finance::eligibility::Eligibility;
use xinrong_core::finance::product::{GuaranteeType, ProductKind, ProductTerms, Scenario};
use xinrong_core::ids;
use xinrong_core::purpose::Purpose;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::products::{self as repo, ProductRow};

/// Statuses, as stored.
pub mod status {
    pub const DRAFT: &str = "draft";
    pub const PENDING: &str = "pending";
    pub const LISTED: &str = "listed";
    pub const REJECTED: &str = "rejected";
    pub const DELISTED: &str = "delisted";
    pub const ALL: &[&str] = &[DRAFT, PENDING, LISTED, REJECTED, DELISTED];
    /// The institution may edit and submit.
    pub const EDITABLE: &[&str] = &[DRAFT, REJECTED, DELISTED];

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            DRAFT => "草稿",
            PENDING => "待审核",
            LISTED => "已上架",
            REJECTED => "未通过审核",
            DELISTED => "已下架",
            _ => "未知",
        }
    }
}

/// Longest product name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest description or reason, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// What an institution writes: a new product or a draft's new content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    pub name: String,
    pub kind: ProductKind,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    #[serde(default)]
    pub description: String,
    pub amount_min_fen: i64,
    pub amount_max_fen: i64,
    pub term_min_months: u32,
    pub term_max_months: u32,
    pub rate_min_bp: u32,
    pub rate_max_bp: u32,
    pub guarantee_types: Vec<GuaranteeType>,
    #[serde(default)]
    pub eligibility: Eligibility,
    /// Catalogue item keys the institution needs authorized to handle an application.
    pub required_items: Vec<String>,
    /// The purpose of that authorization: a code (`pre_loan`) or its label (贷前调查).
    pub purpose_code: String,
}

impl ProductInput {
    pub fn terms(&self) -> ProductTerms {
        ProductTerms {
            amount_min_fen: self.amount_min_fen,
            amount_max_fen: self.amount_max_fen,
            term_min_months: self.term_min_months,
            term_max_months: self.term_max_months,
            rate_min_bp: self.rate_min_bp,
            rate_max_bp: self.rate_max_bp,
            guarantee_types: self.guarantee_types.clone(),
        }
    }
}

/// A product as its readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct ProductView {
    pub id: String,
    pub institution_org_id: String,
    pub institution_name: String,
    pub name: String,
    pub kind: ProductKind,
    pub kind_label: String,
    pub scenarios: Vec<Scenario>,
    pub scenario_labels: Vec<String>,
    pub description: String,
    pub terms: ProductTerms,
    pub guarantee_labels: Vec<String>,
    pub eligibility: Eligibility,
    /// The eligibility in plain Chinese, one line per restricting criterion (empty: open to all).
    pub eligibility_zh: Vec<String>,
    pub required_items: Vec<String>,
    pub required_item_labels: Vec<String>,
    pub purpose_code: String,
    pub purpose_label: String,
    pub status: String,
    pub status_label: String,
    pub submitted_at: Option<DateTime<FixedOffset>>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub review_reason: Option<String>,
    pub listed_at: Option<DateTime<FixedOffset>>,
    pub delisted_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    pub version: i32,
}

impl ProductView {
    /// `10万元–300万元`.
    pub fn amount_text(&self) -> String {
        use xinrong_core::finance::product::wan;
        format!(
            "{}–{}",
            wan(self.terms.amount_min_fen),
            wan(self.terms.amount_max_fen)
        )
    }

    /// `3–36 个月`.
    pub fn term_text(&self) -> String {
        format!(
            "{}–{} 个月",
            self.terms.term_min_months, self.terms.term_max_months
        )
    }

    /// `3.85%–6.00%`.
    pub fn rate_text(&self) -> String {
        use xinrong_core::money::rate_text;
        format!(
            "{}–{}",
            rate_text(i64::from(self.terms.rate_min_bp)),
            rate_text(i64::from(self.terms.rate_max_bp))
        )
    }
}

/// One step of a product's timeline (from the trail).
#[derive(Debug, Clone, Serialize)]
pub struct ProductStep {
    pub kind: String,
    pub label: String,
    pub at: DateTime<FixedOffset>,
    pub actor_org_id: Option<String>,
    pub body: serde_json::Value,
}

/// A product with its timeline (the timeline only for its institution and the operator).
#[derive(Debug, Clone, Serialize)]
pub struct ProductDetail {
    pub product: ProductView,
    pub timeline: Vec<ProductStep>,
}

/// A step's Chinese label.
pub fn step_label(kind: &str) -> &'static str {
    match kind {
        "product.created" => "机构创建产品",
        "product.updated" => "机构修改产品",
        "product.submitted" => "提交平台审核",
        "product.approved" => "审核通过，已上架",
        "product.rejected" => "审核未通过",
        "product.delisted" => "产品下架",
        _ => "其他",
    }
}

fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_default()
}

fn item_label(key: &str) -> String {
    crate::catalog::current()
        .item(key)
        .map_or_else(|| key.to_owned(), |i| i.label.clone())
}

/// The view of a stored row.
pub fn view(row: ProductRow) -> ProductView {
    let kind = ProductKind::parse(&row.kind).unwrap_or(ProductKind::Other);
    let scenarios: Vec<Scenario> = json_list(&row.scenarios);
    let guarantee_types: Vec<GuaranteeType> = json_list(&row.guarantee_types);
    let eligibility: Eligibility = serde_json::from_str(&row.eligibility).unwrap_or_default();
    let required_items: Vec<String> = json_list(&row.required_items);
    let purpose = Purpose::parse(&row.purpose_code);
    ProductView {
        kind_label: kind.label_zh().to_owned(),
        kind,
        scenario_labels: scenarios.iter().map(|s| s.label_zh().to_owned()).collect(),
        scenarios,
        guarantee_labels: guarantee_types
            .iter()
            .map(|g| g.label_zh().to_owned())
            .collect(),
        terms: ProductTerms {
            amount_min_fen: row.amount_min_fen,
            amount_max_fen: row.amount_max_fen,
            term_min_months: u32::try_from(row.term_min_months).unwrap_or(0),
            term_max_months: u32::try_from(row.term_max_months).unwrap_or(0),
            rate_min_bp: u32::try_from(row.rate_min_bp).unwrap_or(0),
            rate_max_bp: u32::try_from(row.rate_max_bp).unwrap_or(0),
            guarantee_types,
        },
        eligibility_zh: eligibility.describe_zh(),
        eligibility,
        required_item_labels: required_items.iter().map(|k| item_label(k)).collect(),
        required_items,
        purpose_label: purpose
            .map_or_else(|| row.purpose_code.clone(), |p| p.label_zh().to_owned()),
        purpose_code: row.purpose_code,
        status_label: status::label_zh(&row.status).to_owned(),
        status: row.status,
        submitted_at: row.submitted_at.map(local),
        reviewed_at: row.reviewed_at.map(local),
        review_reason: row.review_reason,
        listed_at: row.listed_at.map(local),
        delisted_at: row.delisted_at.map(local),
        created_at: local(row.created_at),
        updated_at: local(row.updated_at),
        version: row.version,
        id: row.id,
        institution_org_id: row.institution_org_id,
        institution_name: row.institution_name,
        name: row.name,
        description: row.description,
    }
}

/// Any product by id, whatever its status (for the other financing services).
pub async fn get<C: ConnectionTrait>(conn: &C, id: &str) -> ServiceResult<ProductView> {
    repo::get(conn, id.trim())
        .await?
        .map(view)
        .ok_or(ServiceError::NotFound("金融产品"))
}

/// Checks an institution's input; the cleaned input (trimmed text, purpose as its code,
/// scenarios and items without repeats).
pub fn check_input(input: &ProductInput) -> ServiceResult<ProductInput> {
    let mut out = input.clone();
    out.name = input.name.trim().to_owned();
    if out.name.is_empty() {
        return Err(ServiceError::invalid("product.name", "请填写产品名称"));
    }
    if out.name.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::invalid(
            "product.name",
            format!("产品名称不能超过 {MAX_NAME_CHARS} 个字"),
        ));
    }
    out.description = input.description.trim().to_owned();
    if out.description.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceError::invalid(
            "product.description",
            format!("产品介绍不能超过 {MAX_TEXT_CHARS} 个字"),
        ));
    }
    input
        .terms()
        .validate()
        .map_err(|e| ServiceError::invalid(e.code, e.message))?;
    input
        .eligibility
        .validate()
        .map_err(|e| ServiceError::invalid(e.code, e.message))?;
    let mut scenarios = Vec::new();
    for s in &input.scenarios {
        if !scenarios.contains(s) {
            scenarios.push(*s);
        }
    }
    out.scenarios = scenarios;
    let mut items: Vec<String> = Vec::new();
    for key in &input.required_items {
        let key = key.trim();
        if crate::catalog::current().item(key).is_none() {
            return Err(ServiceError::invalid(
                "product.required_items",
                format!("信息目录中没有信息项“{key}”"),
            ));
        }
        if !items.iter().any(|k| k == key) {
            items.push(key.to_owned());
        }
    }
    if items.is_empty() {
        return Err(ServiceError::invalid(
            "product.required_items",
            "请至少选择一项办理业务所需授权的信息项",
        ));
    }
    out.required_items = items;
    let purpose = Purpose::parse(&input.purpose_code).ok_or_else(|| {
        ServiceError::invalid(
            "product.purpose",
            format!("查询用途无效，应为 {}", Purpose::codes_hint()),
        )
    })?;
    out.purpose_code = purpose.code().to_owned();
    Ok(out)
}

fn require_institution(p: &Principal) -> ServiceResult<()> {
    if p.role == Role::Institution {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

fn require_operator(p: &Principal) -> ServiceResult<()> {
    if p.role == Role::Operator {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

fn write_input(row: &mut ProductRow, input: &ProductInput) {
    row.name = input.name.clone();
    row.kind = input.kind.code().to_owned();
    row.scenarios = serde_json::to_string(&input.scenarios).expect("JSON");
    row.description = input.description.clone();
    row.amount_min_fen = input.amount_min_fen;
    row.amount_max_fen = input.amount_max_fen;
    row.term_min_months = input.term_min_months as i32;
    row.term_max_months = input.term_max_months as i32;
    row.rate_min_bp = input.rate_min_bp as i32;
    row.rate_max_bp = input.rate_max_bp as i32;
    row.guarantee_types = serde_json::to_string(&input.guarantee_types).expect("JSON");
    row.eligibility = serde_json::to_string(&input.eligibility).expect("JSON");
    row.required_items = serde_json::to_string(&input.required_items).expect("JSON");
    row.purpose_code = input.purpose_code.clone();
}

/// The input a stored row was written from (to tell a retried publish from a different one).
fn input_of(row: &ProductRow) -> ProductInput {
    let v = view(row.clone());
    ProductInput {
        name: v.name,
        kind: v.kind,
        scenarios: v.scenarios,
        description: v.description,
        amount_min_fen: v.terms.amount_min_fen,
        amount_max_fen: v.terms.amount_max_fen,
        term_min_months: v.terms.term_min_months,
        term_max_months: v.terms.term_max_months,
        rate_min_bp: v.terms.rate_min_bp,
        rate_max_bp: v.terms.rate_max_bp,
        guarantee_types: v.terms.guarantee_types,
        eligibility: v.eligibility,
        required_items: v.required_items,
        purpose_code: v.purpose_code,
    }
}

/// An institution creates a draft. Its name is its natural key within the institution: the same
/// content again returns the existing product (a retried publish), different content under a
/// taken name is refused (`product.name_taken`).
pub async fn create(
    platform: &Platform,
    p: &Principal,
    input: ProductInput,
) -> ServiceResult<ProductView> {
    require_institution(p)?;
    let input = check_input(&input)?;
    let conn = &platform.db.conn;
    if let Some(existing) = repo::by_name(conn, &p.org_id, &input.name).await? {
        if input_of(&existing) == input {
            return Ok(view(existing));
        }
        return Err(ServiceError::invalid(
            "product.name_taken",
            format!(
                "本机构已有名为“{}”的产品，请修改该产品或换一个名称",
                input.name
            ),
        ));
    }
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let id = ids::new_id().to_string();
    let mut row = ProductRow {
        id: id.clone(),
        institution_org_id: p.org_id.clone(),
        institution_name: p.org_name.clone(),
        name: String::new(),
        kind: String::new(),
        scenarios: String::new(),
        description: String::new(),
        amount_min_fen: 0,
        amount_max_fen: 0,
        term_min_months: 0,
        term_max_months: 0,
        rate_min_bp: 0,
        rate_max_bp: 0,
        guarantee_types: String::new(),
        eligibility: String::new(),
        required_items: String::new(),
        purpose_code: String::new(),
        status: status::DRAFT.to_owned(),
        created_by_user_id: p.user_id.clone(),
        submitted_at: None,
        reviewed_by_user_id: None,
        reviewed_at: None,
        review_reason: None,
        listed_at: None,
        delisted_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    write_input(&mut row, &input);
    let txn = platform.db.begin().await?;
    repo::insert(&txn, row.clone()).await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "product.created",
            ref_id: &id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::to_value(&input).expect("JSON"),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(view(row))
}

/// Loads a product `p` may act on or see beyond the supermarket: its institution's own, or any
/// for the operator; anything else is not found.
async fn load_own(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<ProductRow> {
    let row = repo::get(&platform.db.conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("金融产品"))?;
    match p.role {
        Role::Operator => Ok(row),
        Role::Institution if row.institution_org_id == p.org_id => Ok(row),
        _ => Err(ServiceError::NotFound("金融产品")),
    }
}

fn wrong_state(row: &ProductRow, action: &str) -> ServiceError {
    ServiceError::invalid(
        "product.state",
        format!(
            "产品当前状态为“{}”，不能{action}",
            status::label_zh(&row.status)
        ),
    )
}

/// Writes a step: the row (if still in `from` at the version read), notices, the trail entry —
/// one transaction.
async fn commit_step(
    platform: &Platform,
    p: &Principal,
    mut row: ProductRow,
    from: &str,
    kind: &'static str,
    notices: Vec<Notice>,
    body: serde_json::Value,
) -> ServiceResult<ProductView> {
    let read_version = row.version;
    row.version += 1;
    row.updated_at = crate::ledger::whole_seconds(platform.clock.now_naive());
    let txn = platform.db.begin().await?;
    if !repo::update_if(&txn, row.clone(), from, read_version).await? {
        return Err(ServiceError::invalid(
            "product.state",
            "产品已被其他操作改变，请刷新后重试",
        ));
    }
    for notice in notices {
        notifications::notify(&txn, platform, notice).await?;
    }
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind,
            ref_id: &row.id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body,
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(view(row))
}

/// The institution edits its product while it is a draft, rejected or delisted; it becomes a
/// draft again (to be submitted). A listed or pending product is refused (`product.state`).
pub async fn update(
    platform: &Platform,
    p: &Principal,
    id: &str,
    input: ProductInput,
) -> ServiceResult<ProductView> {
    require_institution(p)?;
    let mut row = load_own(platform, p, id).await?;
    if !status::EDITABLE.contains(&row.status.as_str()) {
        return Err(wrong_state(&row, "修改（已上架的产品请先下架）"));
    }
    let input = check_input(&input)?;
    if input.name != row.name
        && let Some(other) = repo::by_name(&platform.db.conn, &p.org_id, &input.name).await?
        && other.id != row.id
    {
        return Err(ServiceError::invalid(
            "product.name_taken",
            format!("本机构已有名为“{}”的产品", input.name),
        ));
    }
    let from = row.status.clone();
    write_input(&mut row, &input);
    row.status = status::DRAFT.to_owned();
    row.institution_name = p.org_name.clone();
    commit_step(
        platform,
        p,
        row,
        &from,
        "product.updated",
        Vec::new(),
        serde_json::to_value(&input).expect("JSON"),
    )
    .await
}

/// The institution submits its product for review; the operators are notified.
pub async fn submit(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<ProductView> {
    require_institution(p)?;
    let mut row = load_own(platform, p, id).await?;
    if !status::EDITABLE.contains(&row.status.as_str()) {
        return Err(wrong_state(&row, "提交审核"));
    }
    let from = row.status.clone();
    row.status = status::PENDING.to_owned();
    row.submitted_at = Some(crate::ledger::whole_seconds(platform.clock.now_naive()));
    let notice = Notice {
        recipient: Recipient::Operators,
        kind: "product.submitted",
        title: format!("金融产品待审核：{}", row.name),
        body: format!(
            "{}提交了金融产品“{}”，请审核。",
            row.institution_name, row.name
        ),
        link: Some(format!("/products/{}", row.id)),
    };
    commit_step(
        platform,
        p,
        row,
        &from,
        "product.submitted",
        vec![notice],
        serde_json::json!({ "from": from }),
    )
    .await
}

/// The operator approves a pending product: listed in the supermarket; the institution is
/// notified.
pub async fn approve(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<ProductView> {
    require_operator(p)?;
    let mut row = load_own(platform, p, id).await?;
    if row.status != status::PENDING {
        return Err(wrong_state(&row, "审核"));
    }
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    row.status = status::LISTED.to_owned();
    row.reviewed_at = Some(now);
    row.reviewed_by_user_id = Some(p.user_id.clone());
    row.review_reason = None;
    row.listed_at = Some(now);
    row.delisted_at = None;
    let notice = Notice {
        recipient: Recipient::Org(row.institution_org_id.clone()),
        kind: "product.approved",
        title: format!("产品已上架：{}", row.name),
        body: format!("金融产品“{}”已通过平台审核，已在产品超市上架。", row.name),
        link: Some(format!("/products/{}", row.id)),
    };
    commit_step(
        platform,
        p,
        row,
        status::PENDING,
        "product.approved",
        vec![notice],
        serde_json::json!({}),
    )
    .await
}

/// Required, trimmed reason of at most [`MAX_TEXT_CHARS`].
fn reason_text(reason: &str, what: &str) -> ServiceResult<String> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(ServiceError::invalid(
            "product.reason_required",
            format!("请填写{what}"),
        ));
    }
    if r.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceError::invalid(
            "product.reason_required",
            format!("{what}不能超过 {MAX_TEXT_CHARS} 个字"),
        ));
    }
    Ok(r.to_owned())
}

/// The operator rejects a pending product with a reason (required: `product.reason_required`);
/// the institution is notified and may edit and submit again.
pub async fn reject(
    platform: &Platform,
    p: &Principal,
    id: &str,
    reason: &str,
) -> ServiceResult<ProductView> {
    require_operator(p)?;
    let mut row = load_own(platform, p, id).await?;
    let reason = reason_text(reason, "不通过的理由")?;
    if row.status != status::PENDING {
        return Err(wrong_state(&row, "审核"));
    }
    row.status = status::REJECTED.to_owned();
    row.reviewed_at = Some(crate::ledger::whole_seconds(platform.clock.now_naive()));
    row.reviewed_by_user_id = Some(p.user_id.clone());
    row.review_reason = Some(reason.clone());
    let notice = Notice {
        recipient: Recipient::Org(row.institution_org_id.clone()),
        kind: "product.rejected",
        title: format!("产品未通过审核：{}", row.name),
        body: format!("金融产品“{}”未通过平台审核：{reason}", row.name),
        link: Some(format!("/products/{}", row.id)),
    };
    commit_step(
        platform,
        p,
        row,
        status::PENDING,
        "product.rejected",
        vec![notice],
        serde_json::json!({ "reason": reason }),
    )
    .await
}

/// The institution or the operator delists a listed product (a reason is optional for the
/// institution, required for the operator); the other party is notified.
pub async fn delist(
    platform: &Platform,
    p: &Principal,
    id: &str,
    reason: &str,
) -> ServiceResult<ProductView> {
    if !matches!(p.role, Role::Operator | Role::Institution) {
        return Err(ServiceError::Forbidden);
    }
    let mut row = load_own(platform, p, id).await?;
    let reason = if p.role == Role::Operator {
        Some(reason_text(reason, "下架理由")?)
    } else {
        let r = reason.trim();
        (!r.is_empty())
            .then(|| reason_text(r, "下架理由"))
            .transpose()?
    };
    if row.status != status::LISTED {
        return Err(wrong_state(&row, "下架"));
    }
    row.status = status::DELISTED.to_owned();
    row.delisted_at = Some(crate::ledger::whole_seconds(platform.clock.now_naive()));
    if p.role == Role::Operator {
        row.review_reason = reason.clone();
    }
    let recipient = if p.role == Role::Operator {
        Recipient::Org(row.institution_org_id.clone())
    } else {
        Recipient::Operators
    };
    let notice = Notice {
        recipient,
        kind: "product.delisted",
        title: format!("产品已下架：{}", row.name),
        body: match &reason {
            Some(r) => format!("金融产品“{}”已下架：{r}", row.name),
            None => format!("金融产品“{}”已由{}下架。", row.name, row.institution_name),
        },
        link: Some(format!("/products/{}", row.id)),
    };
    commit_step(
        platform,
        p,
        row,
        status::LISTED,
        "product.delisted",
        vec![notice],
        serde_json::json!({ "reason": reason }),
    )
    .await
}

/// One product: listed ones for anyone (also anonymous, `p` = None); any status for its own
/// institution and the operator, with the timeline. Otherwise not found.
pub async fn show(
    platform: &Platform,
    p: Option<&Principal>,
    id: &str,
) -> ServiceResult<ProductDetail> {
    let conn = &platform.db.conn;
    let row = repo::get(conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("金融产品"))?;
    let party = p.is_some_and(|p| {
        p.role == Role::Operator
            || (p.role == Role::Institution && p.org_id == row.institution_org_id)
    });
    if !party && row.status != status::LISTED {
        return Err(ServiceError::NotFound("金融产品"));
    }
    let timeline = if party {
        trail::for_ref(conn, &row.id)
            .await?
            .into_iter()
            .filter(|r| r.kind.starts_with("product."))
            .map(|r| ProductStep {
                label: step_label(&r.kind).to_owned(),
                kind: r.kind,
                at: local(r.created_at),
                actor_org_id: r.actor_org_id,
                body: serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ProductDetail {
        product: view(row),
        timeline,
    })
}

fn check_status(s: Option<&str>) -> ServiceResult<()> {
    match s {
        Some(s) if !status::ALL.contains(&s) => Err(ServiceError::invalid(
            "product.status",
            format!("未知的产品状态：{s}（{}）", status::ALL.join("、")),
        )),
        _ => Ok(()),
    }
}

/// The products `p` manages: an institution its own, the operator all; filtered by status;
/// newest first.
pub async fn list(
    platform: &Platform,
    p: &Principal,
    status_filter: Option<&str>,
) -> ServiceResult<Vec<ProductView>> {
    let org = match p.role {
        Role::Operator => None,
        Role::Institution => Some(p.org_id.as_str()),
        _ => return Err(ServiceError::Forbidden),
    };
    list_all(platform, org, status_filter).await
}

/// Every product (of one institution when `institution_org_id` is given), for the command
/// line, which acts as the platform.
pub async fn list_all(
    platform: &Platform,
    institution_org_id: Option<&str>,
    status_filter: Option<&str>,
) -> ServiceResult<Vec<ProductView>> {
    let status_filter = status_filter.map(str::trim).filter(|s| !s.is_empty());
    check_status(status_filter)?;
    let statuses: Vec<&str> = status_filter.into_iter().collect();
    Ok(repo::list(&platform.db.conn, institution_org_id, &statuses)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// The operator's review queue: pending products, oldest submission first.
pub async fn review_queue(platform: &Platform, p: &Principal) -> ServiceResult<Vec<ProductView>> {
    require_operator(p)?;
    let mut rows = list_all(platform, None, Some(status::PENDING)).await?;
    rows.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at).then(a.id.cmp(&b.id)));
    Ok(rows)
}

/// The supermarket's filters; empty fields do not filter.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchQuery {
    /// A kind code or label.
    pub kind: Option<String>,
    /// A scenario code or label.
    pub scenario: Option<String>,
    /// A guarantee type code or label.
    pub guarantee: Option<String>,
    /// Only products whose amount range contains this amount (fen).
    pub amount_fen: Option<i64>,
    /// Only products whose term range contains this many months.
    pub term_months: Option<u32>,
    /// A GB/T 2260 code or prefix: products open to every region or to one that contains or is
    /// inside it.
    pub region: Option<String>,
    /// Text in the product's or the institution's name.
    pub q: Option<String>,
    /// 1-based.
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One page of the supermarket.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub items: Vec<ProductView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
}

/// Default and largest page size of the supermarket.
pub const PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

fn parse_filter<T>(
    text: Option<&str>,
    parse: fn(&str) -> Option<T>,
    code: &'static str,
    what: &str,
    hint: String,
) -> ServiceResult<Option<T>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => parse(t)
            .map(Some)
            .ok_or_else(|| ServiceError::invalid(code, format!("未知的{what}：{t}（{hint}）"))),
    }
}

/// The product supermarket (产品超市): listed products only, filtered, newest listing first,
/// one page. Anyone may search.
pub async fn search(platform: &Platform, query: &SearchQuery) -> ServiceResult<SearchPage> {
    let kind = parse_filter(
        query.kind.as_deref(),
        ProductKind::parse,
        "product.kind",
        "产品类型",
        ProductKind::codes_hint(),
    )?;
    let scenario = parse_filter(
        query.scenario.as_deref(),
        Scenario::parse,
        "product.scenario",
        "应用场景",
        Scenario::codes_hint(),
    )?;
    let guarantee = parse_filter(
        query.guarantee.as_deref(),
        GuaranteeType::parse,
        "product.guarantee",
        "担保方式",
        GuaranteeType::codes_hint(),
    )?;
    if query.amount_fen.is_some_and(|a| a <= 0) {
        return Err(ServiceError::invalid("product.amount", "金额须大于 0"));
    }
    let region = query
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(r) = region
        && (!r.bytes().all(|b| b.is_ascii_digit()) || r.len() > 6)
    {
        return Err(ServiceError::invalid(
            "product.region",
            "地区须为行政区划代码或其前缀（如 41、4101、410102）",
        ));
    }
    let text = query
        .q
        .as_deref()
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let per_page = query.per_page.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE);
    let page = query.page.unwrap_or(1).max(1);
    let mut rows: Vec<ProductView> = repo::list_listed(&platform.db.conn)
        .await?
        .into_iter()
        .map(view)
        .filter(|v| kind.is_none_or(|k| v.kind == k))
        .filter(|v| scenario.is_none_or(|s| v.scenarios.contains(&s)))
        .filter(|v| guarantee.is_none_or(|g| v.terms.guarantee_types.contains(&g)))
        .filter(|v| query.amount_fen.is_none_or(|a| v.terms.amount_fits(a)))
        .filter(|v| {
            query
                .term_months
                .is_none_or(|t| (v.terms.term_min_months..=v.terms.term_max_months).contains(&t))
        })
        .filter(|v| {
            region.is_none_or(|r| {
                v.eligibility.regions.is_empty()
                    || v.eligibility
                        .regions
                        .iter()
                        .any(|pr| r.starts_with(pr.as_str()) || pr.starts_with(r))
            })
        })
        .filter(|v| {
            text.as_deref().is_none_or(|q| {
                v.name.to_lowercase().contains(q) || v.institution_name.to_lowercase().contains(q)
            })
        })
        .collect();
    rows.sort_by(|a, b| b.listed_at.cmp(&a.listed_at).then(a.id.cmp(&b.id)));
    let total = rows.len() as u64;
    let pages = (total as u32).div_ceil(per_page).max(1);
    let items = rows
        .into_iter()
        .skip(((page - 1) as usize).saturating_mul(per_page as usize))
        .take(per_page as usize)
        .collect();
    Ok(SearchPage {
        items,
        total,
        page,
        per_page,
        pages,
    })
}

/// The command line acting as organisation `org` (its ID, USCC or exact name), or as the
/// platform operator when `org` is None: a principal without a user (`cli`).
pub async fn cli_principal(platform: &Platform, org: Option<&str>) -> ServiceResult<Principal> {
    let conn = &platform.db.conn;
    let row = match org {
        Some(key) => crate::agreements::find_org(conn, key)
            .await?
            .ok_or_else(|| {
                ServiceError::invalid(
                    "org.unknown",
                    format!("没有名称、编号或统一社会信用代码为“{}”的机构", key.trim()),
                )
            })?,
        None => xinrong_store::repo::organizations::list(conn, Some(Role::Operator.code()))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| ServiceError::invalid("org.unknown", "平台尚无运营方机构"))?,
    };
    let role = row
        .kind
        .parse::<Role>()
        .map_err(|_| ServiceError::invalid("org.kind", "机构类型无效"))?;
    Ok(Principal {
        user_id: "cli".to_owned(),
        username: "cli".to_owned(),
        display_name: "命令行".to_owned(),
        org_id: row.id,
        org_name: row.name,
        role,
        region_code: row.region_code,
        org_uscc: row.uscc,
    })
}
