//! 绿色金融 (green finance): the green enterprise and project library, filled by rules over the
//! green industry catalogue and environmental credit ratings and by reviewed self-declarations.
//!
//! - **Rule** ([`refresh`], `xinrong green refresh`): every enterprise whose industry division is
//!   in `models/green` and whose latest `environment.env_credit_rating` grade is not 警示/不良
//!   gets an `approved` entry of source `rule`; one that no longer qualifies is set `removed`
//!   with the reasons. The latest rating is read straight from the record store: this is the
//!   platform's own processing (like the evaluation), not a share to a third party, so it does
//!   not pass through the access decision.
//! - **Declaration** ([`declare`], [`declare_project`]): an enterprise declares itself green
//!   (category + evidence) or a green project; the operator approves or rejects (a reason is
//!   required). A 不良 rating refuses a declaration, and [`refresh`] removes an approved one.
//!
//! [`is_green`] is what eligibility rules see: an approved entry of either source.

use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::objections::local;
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::HashMap;
use xinrong_core::codes::region::region_prefix;
use xinrong_core::finance::green::{
    ENV_DATE_FIELD, ENV_GRADE_FIELD, ENV_RATING_ITEM, GreenAssessment, GreenCatalog, assess_green,
    excludes_declaration,
};
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter};
use xinrong_store::repo::green::{self as repo, Filter, GreenEntryRow, GreenProjectRow};

/// Enterprises recomputed per transaction by [`refresh`].
pub const REFRESH_BATCH: u64 = 500;
/// Longest evidence, description or review text.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Most rows a library list answers.
pub const LIST_LIMIT: u64 = 1_000;

pub const SOURCE_RULE: &str = "rule";
pub const SOURCE_DECLARATION: &str = "declaration";

/// Entry statuses, as stored.
pub mod status {
    pub const CANDIDATE: &str = "candidate";
    pub const APPROVED: &str = "approved";
    pub const REJECTED: &str = "rejected";
    pub const REMOVED: &str = "removed";
    pub const ALL: &[&str] = &[CANDIDATE, APPROVED, REJECTED, REMOVED];

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            CANDIDATE => "待审核",
            APPROVED => "已认定",
            REJECTED => "未通过",
            REMOVED => "已移出",
            _ => "未知",
        }
    }
}

/// Project statuses, as stored.
pub mod project_status {
    pub const SUBMITTED: &str = "submitted";
    pub const APPROVED: &str = "approved";
    pub const REJECTED: &str = "rejected";
    pub const ALL: &[&str] = &[SUBMITTED, APPROVED, REJECTED];

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            SUBMITTED => "待审核",
            APPROVED => "已认定",
            REJECTED => "未通过",
            _ => "未知",
        }
    }
}

/// Whether `uscc` is in the green enterprise library now: an approved rule-based entry or an
/// approved declaration.
pub async fn is_green<C: ConnectionTrait>(conn: &C, uscc: &str) -> ServiceResult<bool> {
    Ok(repo::has_approved(conn, uscc).await?)
}

/// Which of these enterprises are in the green library now: [`is_green`] for many in one
/// query per 500 (for gathering the facts of a whole region).
pub async fn green_among<C: ConnectionTrait>(
    conn: &C,
    usccs: &[String],
) -> ServiceResult<std::collections::HashSet<String>> {
    Ok(repo::approved_among(conn, usccs).await?)
}

fn category_label(key: Option<&str>) -> String {
    key.and_then(|k| GreenCatalog::builtin().category(k))
        .map_or_else(String::new, |c| c.label.clone())
}

/// One library entry.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub id: String,
    pub uscc: String,
    pub name: String,
    pub region_code: String,
    /// rule or declaration.
    pub source: String,
    pub source_label: String,
    pub category: Option<String>,
    pub category_label: String,
    pub status: String,
    pub status_label: String,
    pub reasons: Vec<String>,
    pub evidence: Option<String>,
    pub env_grade: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub updated_at: DateTime<FixedOffset>,
}

/// One green project.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectView {
    pub id: String,
    pub uscc: String,
    pub enterprise_name: String,
    pub name: String,
    pub category: String,
    pub category_label: String,
    pub investment_fen: i64,
    /// E.g. "120.00 万元".
    pub investment_text: String,
    pub co2_reduction_t: i64,
    pub description: String,
    pub status: String,
    pub status_label: String,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
}

fn source_label(s: &str) -> &'static str {
    match s {
        SOURCE_RULE => "规则认定",
        SOURCE_DECLARATION => "自主申报",
        _ => "其他",
    }
}

fn entry_view(row: GreenEntryRow, names: &HashMap<String, (String, String)>) -> EntryView {
    let (name, region) = names.get(&row.subject).cloned().unwrap_or_default();
    EntryView {
        source_label: source_label(&row.source).to_owned(),
        category_label: category_label(row.category.as_deref()),
        status_label: status::label_zh(&row.status).to_owned(),
        reasons: serde_json::from_str(&row.reasons).unwrap_or_default(),
        reviewed_at: row.reviewed_at.map(local),
        updated_at: local(row.updated_at),
        id: row.id,
        uscc: row.subject,
        name,
        region_code: region,
        source: row.source,
        category: row.category,
        status: row.status,
        evidence: row.evidence,
        env_grade: row.env_grade,
        review_reason: row.review_reason,
    }
}

fn project_view(row: GreenProjectRow, names: &HashMap<String, (String, String)>) -> ProjectView {
    let (name, _) = names.get(&row.subject).cloned().unwrap_or_default();
    ProjectView {
        category_label: category_label(Some(&row.category)),
        status_label: project_status::label_zh(&row.status).to_owned(),
        investment_text: xinrong_core::money::Fen(row.investment_fen).display_wan_yuan(),
        reviewed_at: row.reviewed_at.map(local),
        created_at: local(row.created_at),
        id: row.id,
        uscc: row.subject,
        enterprise_name: name,
        name: row.name,
        category: row.category,
        investment_fen: row.investment_fen,
        co2_reduction_t: row.co2_reduction_t,
        description: row.description,
        status: row.status,
        review_reason: row.review_reason,
    }
}

/// Names and regions of these enterprises.
async fn names_of(
    conn: &impl ConnectionTrait,
    subjects: impl Iterator<Item = String>,
) -> ServiceResult<HashMap<String, (String, String)>> {
    let mut list: Vec<String> = subjects.collect();
    list.sort();
    list.dedup();
    Ok(repo::enterprises_among(conn, &list)
        .await?
        .into_iter()
        .map(|e| (e.uscc, (e.name, e.region_code)))
        .collect())
}

async fn entry_views(
    conn: &impl ConnectionTrait,
    rows: Vec<GreenEntryRow>,
) -> ServiceResult<Vec<EntryView>> {
    let names = names_of(conn, rows.iter().map(|r| r.subject.clone())).await?;
    Ok(rows.into_iter().map(|r| entry_view(r, &names)).collect())
}

async fn project_views(
    conn: &impl ConnectionTrait,
    rows: Vec<GreenProjectRow>,
) -> ServiceResult<Vec<ProjectView>> {
    let names = names_of(conn, rows.iter().map(|r| r.subject.clone())).await?;
    Ok(rows.into_iter().map(|r| project_view(r, &names)).collect())
}

/// The latest `env_credit_grade` of each subject among `records` (newest version of each
/// record, then the latest `rating_date`).
fn latest_grades(records: Vec<xinrong_store::entity::record::Model>) -> HashMap<String, String> {
    // Newest version per (subject, record).
    let mut heads: HashMap<(String, String), xinrong_store::entity::record::Model> = HashMap::new();
    for r in records {
        let key = (r.subject.clone(), r.natural_key_hash.clone());
        match heads.get(&key) {
            Some(h) if h.version >= r.version => {}
            _ => {
                heads.insert(key, r);
            }
        }
    }
    let mut best: HashMap<String, (String, String)> = HashMap::new();
    for ((subject, _), r) in heads {
        let Ok(payload) = serde_json::from_str::<serde_json::Value>(&r.payload) else {
            continue;
        };
        let date = payload[ENV_DATE_FIELD]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let Some(grade) = payload[ENV_GRADE_FIELD]
            .as_str()
            .filter(|g| !g.trim().is_empty())
        else {
            continue;
        };
        match best.get(&subject) {
            Some((d, _)) if d.as_str() >= date.as_str() => {}
            _ => {
                best.insert(subject, (date, grade.trim().to_owned()));
            }
        }
    }
    best.into_iter().map(|(s, (_, g))| (s, g)).collect()
}

/// The latest environmental credit grade of one enterprise.
pub async fn latest_env_grade(
    conn: &impl ConnectionTrait,
    uscc: &str,
) -> ServiceResult<Option<String>> {
    let records = repo::records_among(conn, ENV_RATING_ITEM, &[uscc.to_owned()]).await?;
    Ok(latest_grades(records).remove(uscc))
}

/// What one [`refresh`] did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RefreshReport {
    pub enterprises: usize,
    /// Enterprises green by rule after the run.
    pub green_by_rule: usize,
    /// Rule entries newly approved (added or restored).
    pub added: usize,
    /// Rule entries set removed.
    pub removed: usize,
    /// Approved declarations removed for a 不良 rating.
    pub declarations_removed: usize,
}

fn reasons_json(a: &[String]) -> String {
    serde_json::to_string(a).expect("JSON")
}

/// Recomputes the rule-based entries of every enterprise ([`REFRESH_BATCH`] per transaction)
/// and removes approved declarations whose enterprise's latest rating is 不良.
pub async fn refresh(platform: &Platform) -> ServiceResult<RefreshReport> {
    let conn = &platform.db.conn;
    let mut report = RefreshReport::default();
    let filter = EnterpriseFilter::default();
    let mut after: Option<String> = None;
    loop {
        let page = enterprises::scan_after(conn, &filter, after.as_deref(), REFRESH_BATCH).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.uscc.clone());
        let usccs: Vec<String> = page.iter().map(|e| e.uscc.clone()).collect();
        let grades = latest_grades(repo::records_among(conn, ENV_RATING_ITEM, &usccs).await?);
        let rules: HashMap<String, GreenEntryRow> = repo::entries_among(conn, SOURCE_RULE, &usccs)
            .await?
            .into_iter()
            .map(|e| (e.subject.clone(), e))
            .collect();
        let declared: Vec<GreenEntryRow> =
            repo::entries_among(conn, SOURCE_DECLARATION, &usccs).await?;
        let now = crate::ledger::whole_seconds(platform.clock.now_naive());
        let txn = platform.db.begin().await?;
        for e in &page {
            report.enterprises += 1;
            let grade = grades.get(&e.uscc).map(String::as_str);
            let a: GreenAssessment = assess_green(&e.industry_code, grade);
            if a.green {
                report.green_by_rule += 1;
            }
            let reasons = reasons_json(&a.reasons_zh);
            match rules.get(&e.uscc) {
                None if a.green => {
                    repo::insert_entry(
                        &txn,
                        GreenEntryRow {
                            id: ids::new_id().to_string(),
                            subject: e.uscc.clone(),
                            source: SOURCE_RULE.to_owned(),
                            category: a.category.clone(),
                            status: status::APPROVED.to_owned(),
                            reasons,
                            evidence: None,
                            env_grade: grade.map(str::to_owned),
                            declared_by_user_id: None,
                            reviewer_user_id: None,
                            review_reason: None,
                            reviewed_at: None,
                            created_at: now,
                            updated_at: now,
                        },
                    )
                    .await?;
                    report.added += 1;
                }
                None => {}
                Some(old) => {
                    let new_status = if a.green {
                        status::APPROVED
                    } else {
                        status::REMOVED
                    };
                    if old.status == new_status
                        && old.reasons == reasons
                        && old.category == a.category
                        && old.env_grade.as_deref() == grade
                    {
                        continue;
                    }
                    if old.status != new_status {
                        if a.green {
                            report.added += 1;
                        } else {
                            report.removed += 1;
                        }
                    }
                    let mut row = old.clone();
                    row.status = new_status.to_owned();
                    row.reasons = reasons;
                    row.category = a.category.clone();
                    row.env_grade = grade.map(str::to_owned);
                    row.updated_at = now;
                    repo::update_entry_if(&txn, row, &old.status).await?;
                }
            }
        }
        for d in declared {
            let grade = grades.get(&d.subject).map(String::as_str);
            if d.status == status::APPROVED && excludes_declaration(grade) {
                let mut row = d.clone();
                let mut reasons: Vec<String> = serde_json::from_str(&d.reasons).unwrap_or_default();
                reasons.push(format!(
                    "最近一次环保信用评价为“{}”，移出绿色企业库",
                    grade.unwrap_or_default()
                ));
                row.status = status::REMOVED.to_owned();
                row.reasons = reasons_json(&reasons);
                row.env_grade = grade.map(str::to_owned);
                row.updated_at = now;
                if repo::update_entry_if(&txn, row, status::APPROVED).await? {
                    report.declarations_removed += 1;
                    notifications::notify(
                        &txn,
                        platform,
                        Notice {
                            recipient: Recipient::Subject(d.subject.clone()),
                            kind: "green.removed",
                            title: "绿色企业认定已移出".into(),
                            body: format!(
                                "贵企业最近一次环保信用评价为“{}”，已移出绿色企业库。",
                                grade.unwrap_or_default()
                            ),
                            link: Some("/green".into()),
                        },
                    )
                    .await?;
                }
            } else if d.env_grade.as_deref() != grade {
                let mut row = d.clone();
                row.env_grade = grade.map(str::to_owned);
                repo::update_entry_if(&txn, row, &d.status).await?;
            }
        }
        txn.commit()
            .await
            .map_err(xinrong_store::StoreError::from)?;
        if (page.len() as u64) < REFRESH_BATCH {
            break;
        }
    }
    let txn = platform.db.begin().await?;
    let run_id = ids::new_id().to_string();
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "green.refreshed",
            ref_id: &run_id,
            subject: None,
            actor_user_id: None,
            actor_org_id: None,
            body: serde_json::to_value(&report).expect("JSON"),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(report)
}

fn text(value: &str, code: &'static str, what: &str, required: bool) -> ServiceResult<String> {
    let t = value.trim();
    if required && t.is_empty() {
        return Err(ServiceError::invalid(code, format!("请填写{what}")));
    }
    if t.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceError::invalid(
            code,
            format!("{what}不能超过 {MAX_TEXT_CHARS} 个字"),
        ));
    }
    Ok(t.to_owned())
}

fn category(key: &str) -> ServiceResult<String> {
    let c = GreenCatalog::builtin();
    c.category(key.trim())
        .map(|c| c.key.clone())
        .ok_or_else(|| {
            ServiceError::invalid(
                "green.category",
                format!(
                    "绿色产业类别“{key}”无效，应为 {} 之一",
                    c.categories()
                        .iter()
                        .map(|c| format!("{}（{}）", c.key, c.label))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )
        })
}

fn own_uscc(p: &Principal) -> ServiceResult<String> {
    if p.role != Role::Enterprise {
        return Err(ServiceError::Denied {
            code: "green.not_enterprise",
            message: "只有企业本身可以申报绿色企业或绿色项目".into(),
        });
    }
    p.org_uscc.clone().ok_or(ServiceError::Forbidden)
}

fn excluded(grade: &str) -> ServiceError {
    ServiceError::invalid(
        "green.env_excluded",
        format!("最近一次环保信用评价为“{grade}”，不能认定为绿色企业"),
    )
}

/// The enterprise declares itself green (category + evidence); the operator reviews. A
/// rejected or removed declaration may be made again.
pub async fn declare(
    platform: &Platform,
    p: &Principal,
    category_key: &str,
    evidence: &str,
) -> ServiceResult<EntryView> {
    let uscc = own_uscc(p)?;
    let category = category(category_key)?;
    let evidence = text(evidence, "green.evidence_required", "申报依据", true)?;
    let conn = &platform.db.conn;
    if enterprises::get(conn, &uscc).await?.is_none() {
        return Err(ServiceError::NotFound("企业"));
    }
    let grade = latest_env_grade(conn, &uscc).await?;
    if let Some(g) = grade.as_deref().filter(|g| excludes_declaration(Some(g))) {
        return Err(excluded(g));
    }
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let existing = repo::entry_of(conn, &uscc, SOURCE_DECLARATION).await?;
    let reasons = vec![format!(
        "企业自主申报为{}，待平台运营方审核",
        category_label(Some(&category))
    )];
    let row = GreenEntryRow {
        id: existing
            .as_ref()
            .map_or_else(|| ids::new_id().to_string(), |e| e.id.clone()),
        subject: uscc.clone(),
        source: SOURCE_DECLARATION.to_owned(),
        category: Some(category.clone()),
        status: status::CANDIDATE.to_owned(),
        reasons: reasons_json(&reasons),
        evidence: Some(evidence.clone()),
        env_grade: grade.clone(),
        declared_by_user_id: Some(p.user_id.clone()),
        reviewer_user_id: None,
        review_reason: None,
        reviewed_at: None,
        created_at: existing.as_ref().map_or(now, |e| e.created_at),
        updated_at: now,
    };
    let txn = platform.db.begin().await?;
    match &existing {
        None => repo::insert_entry(&txn, row.clone()).await?,
        Some(old) if old.status == status::REJECTED || old.status == status::REMOVED => {
            if !repo::update_entry_if(&txn, row.clone(), &old.status).await? {
                return Err(ServiceError::invalid(
                    "green.state",
                    "申报状态已被其他操作改变，请刷新后重试",
                ));
            }
        }
        Some(old) => {
            return Err(ServiceError::invalid(
                "green.state",
                format!(
                    "本企业已有{}的绿色企业申报，不能重复申报",
                    status::label_zh(&old.status)
                ),
            ));
        }
    }
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Operators,
            kind: "green.declared",
            title: format!("绿色企业申报待审核：{}", p.org_name),
            body: format!(
                "{}申报为绿色企业（{}），请审核。",
                p.org_name,
                category_label(Some(&category))
            ),
            link: Some("/green/review".into()),
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "green.declared",
            ref_id: &row.id,
            subject: Some(&uscc),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "category": category, "evidence": evidence }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(entry_views(conn, vec![row]).await?.remove(0))
}

/// A green project as the enterprise declares it.
#[derive(Debug, Clone, Default)]
pub struct ProjectInput {
    pub name: String,
    pub category: String,
    pub investment_fen: i64,
    /// Expected CO2 reduction, tonnes per year.
    pub co2_reduction_t: i64,
    pub description: String,
}

/// The enterprise declares a green project; the operator reviews.
pub async fn declare_project(
    platform: &Platform,
    p: &Principal,
    input: ProjectInput,
) -> ServiceResult<ProjectView> {
    let uscc = own_uscc(p)?;
    let name = text(&input.name, "green.project_name", "项目名称", true)?;
    if name.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "green.project_name",
            "项目名称不能超过 100 个字",
        ));
    }
    let category = category(&input.category)?;
    if input.investment_fen <= 0 || input.investment_fen > 1_000_000_000_000_000 {
        return Err(ServiceError::invalid(
            "green.investment",
            "项目投资额须大于 0 元（以分为单位的整数）",
        ));
    }
    if input.co2_reduction_t < 0 || input.co2_reduction_t > 1_000_000_000 {
        return Err(ServiceError::invalid(
            "green.co2",
            "预计二氧化碳减排量须为 0 至 10 亿吨之间的整数",
        ));
    }
    let description = text(&input.description, "green.description", "项目简介", true)?;
    let conn = &platform.db.conn;
    if enterprises::get(conn, &uscc).await?.is_none() {
        return Err(ServiceError::NotFound("企业"));
    }
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let row = GreenProjectRow {
        id: ids::new_id().to_string(),
        subject: uscc.clone(),
        name,
        category,
        investment_fen: input.investment_fen,
        co2_reduction_t: input.co2_reduction_t,
        description,
        status: project_status::SUBMITTED.to_owned(),
        submitted_by_user_id: p.user_id.clone(),
        reviewer_user_id: None,
        review_reason: None,
        reviewed_at: None,
        created_at: now,
        updated_at: now,
    };
    let txn = platform.db.begin().await?;
    repo::insert_project(&txn, row.clone()).await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Operators,
            kind: "green.project_submitted",
            title: format!("绿色项目申报待审核：{}", row.name),
            body: format!("{}申报绿色项目“{}”，请审核。", p.org_name, row.name),
            link: Some("/green/review".into()),
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "green.project_submitted",
            ref_id: &row.id,
            subject: Some(&uscc),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "name": row.name,
                "category": row.category,
                "investment_fen": row.investment_fen,
                "co2_reduction_t": row.co2_reduction_t,
            }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(project_views(conn, vec![row]).await?.remove(0))
}

/// What a review decided on.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reviewed {
    Enterprise(EntryView),
    Project(ProjectView),
}

/// The operator approves or rejects a declaration (an enterprise declaration's entry ID or a
/// project ID). Rejection needs a reason (`green.reason_required`); a decided one is
/// `green.state`; approving an enterprise whose latest rating is 不良 is `green.env_excluded`.
pub async fn review(
    platform: &Platform,
    p: &Principal,
    id: &str,
    approve: bool,
    reason: &str,
) -> ServiceResult<Reviewed> {
    if p.role != Role::Operator {
        return Err(ServiceError::Forbidden);
    }
    let reason = text(reason, "green.reason_required", "审核意见", !approve)?;
    let reason = (!reason.is_empty()).then_some(reason);
    let conn = &platform.db.conn;
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let verdict = if approve { "通过" } else { "未通过" };
    if let Some(old) = repo::get_entry(conn, id.trim())
        .await?
        .filter(|e| e.source == SOURCE_DECLARATION)
    {
        if old.status != status::CANDIDATE {
            return Err(ServiceError::invalid(
                "green.state",
                format!(
                    "申报当前状态为“{}”，不能审核",
                    status::label_zh(&old.status)
                ),
            ));
        }
        let grade = latest_env_grade(conn, &old.subject).await?;
        if approve && let Some(g) = grade.as_deref().filter(|g| excludes_declaration(Some(g))) {
            return Err(excluded(g));
        }
        let mut row = old.clone();
        let mut reasons: Vec<String> = serde_json::from_str(&old.reasons).unwrap_or_default();
        reasons.push(match &reason {
            Some(r) => format!("平台运营方审核{verdict}：{r}"),
            None => format!("平台运营方审核{verdict}"),
        });
        row.status = if approve {
            status::APPROVED
        } else {
            status::REJECTED
        }
        .to_owned();
        row.reasons = reasons_json(&reasons);
        row.env_grade = grade;
        row.reviewer_user_id = Some(p.user_id.clone());
        row.review_reason = reason.clone();
        row.reviewed_at = Some(now);
        row.updated_at = now;
        let txn = platform.db.begin().await?;
        if !repo::update_entry_if(&txn, row.clone(), status::CANDIDATE).await? {
            return Err(ServiceError::invalid(
                "green.state",
                "申报状态已被其他操作改变，请刷新后重试",
            ));
        }
        notifications::notify(
            &txn,
            platform,
            Notice {
                recipient: Recipient::Subject(row.subject.clone()),
                kind: if approve {
                    "green.approved"
                } else {
                    "green.rejected"
                },
                title: format!("绿色企业申报审核{verdict}"),
                body: match &reason {
                    Some(r) => format!("您的绿色企业申报审核{verdict}：{r}"),
                    None => format!("您的绿色企业申报审核{verdict}，已列入绿色企业库。"),
                },
                link: Some("/green".into()),
            },
        )
        .await?;
        trail::append(
            &txn,
            platform,
            TrailEntry {
                kind: if approve {
                    "green.approved"
                } else {
                    "green.rejected"
                },
                ref_id: &row.id,
                subject: Some(&row.subject),
                actor_user_id: Some(&p.user_id),
                actor_org_id: Some(&p.org_id),
                body: serde_json::json!({ "reason": reason }),
            },
        )
        .await?;
        txn.commit()
            .await
            .map_err(xinrong_store::StoreError::from)?;
        return Ok(Reviewed::Enterprise(
            entry_views(conn, vec![row]).await?.remove(0),
        ));
    }
    let old = repo::get_project(conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("绿色申报"))?;
    if old.status != project_status::SUBMITTED {
        return Err(ServiceError::invalid(
            "green.state",
            format!(
                "项目当前状态为“{}”，不能审核",
                project_status::label_zh(&old.status)
            ),
        ));
    }
    let mut row = old.clone();
    row.status = if approve {
        project_status::APPROVED
    } else {
        project_status::REJECTED
    }
    .to_owned();
    row.reviewer_user_id = Some(p.user_id.clone());
    row.review_reason = reason.clone();
    row.reviewed_at = Some(now);
    row.updated_at = now;
    let txn = platform.db.begin().await?;
    if !repo::update_project_if(&txn, row.clone(), project_status::SUBMITTED).await? {
        return Err(ServiceError::invalid(
            "green.state",
            "项目状态已被其他操作改变，请刷新后重试",
        ));
    }
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Subject(row.subject.clone()),
            kind: if approve {
                "green.project_approved"
            } else {
                "green.project_rejected"
            },
            title: format!("绿色项目“{}”审核{verdict}", row.name),
            body: match &reason {
                Some(r) => format!("绿色项目“{}”审核{verdict}：{r}", row.name),
                None => format!("绿色项目“{}”审核{verdict}，已列入绿色项目库。", row.name),
            },
            link: Some("/green".into()),
        },
    )
    .await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: if approve {
                "green.project_approved"
            } else {
                "green.project_rejected"
            },
            ref_id: &row.id,
            subject: Some(&row.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "reason": reason }),
        },
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(Reviewed::Project(
        project_views(conn, vec![row]).await?.remove(0),
    ))
}

/// The region prefix `p` is limited to: a government unit its jurisdiction, the operator and
/// institutions nothing; enterprises are handled by the callers.
fn scope(p: &Principal) -> ServiceResult<Option<String>> {
    match p.role {
        Role::Operator | Role::Institution => Ok(None),
        Role::Government => Ok(Some(region_prefix(
            p.region_code.as_deref().unwrap_or("none"),
        ))),
        _ => Err(ServiceError::Forbidden),
    }
}

/// Library entries `p` may see: an enterprise its own (every status); a government unit the
/// approved ones in its jurisdiction; the operator and institutions the approved ones (the
/// operator may filter by status). `category` filters.
pub async fn enterprises(
    platform: &Platform,
    p: &Principal,
    category_filter: Option<&str>,
    status_filter: Option<&str>,
) -> ServiceResult<Vec<EntryView>> {
    let conn = &platform.db.conn;
    if let Some(s) = status_filter
        && !status::ALL.contains(&s)
    {
        return Err(ServiceError::invalid(
            "green.status",
            format!("未知的状态：{s}（{}）", status::ALL.join("、")),
        ));
    }
    let mut filter = Filter {
        category: category_filter.map(str::to_owned),
        limit: Some(LIST_LIMIT),
        ..Filter::default()
    };
    if p.role == Role::Enterprise {
        filter.subject = Some(own_uscc(p)?);
    } else {
        filter.region_prefix = scope(p)?;
        let status = match (p.role, status_filter) {
            (Role::Operator, Some(s)) => s,
            _ => status::APPROVED,
        };
        filter.statuses = vec![status.to_owned()];
    }
    let rows = repo::list_entries(conn, &filter).await?;
    entry_views(conn, rows).await
}

/// Projects `p` may see: an enterprise its own; a government unit those in its jurisdiction;
/// the operator all; institutions the approved ones. `status` filters.
pub async fn projects(
    platform: &Platform,
    p: &Principal,
    status_filter: Option<&str>,
) -> ServiceResult<Vec<ProjectView>> {
    if let Some(s) = status_filter
        && !project_status::ALL.contains(&s)
    {
        return Err(ServiceError::invalid(
            "green.status",
            format!("未知的状态：{s}（{}）", project_status::ALL.join("、")),
        ));
    }
    let mut filter = Filter {
        statuses: status_filter
            .map(|s| vec![s.to_owned()])
            .unwrap_or_default(),
        limit: Some(LIST_LIMIT),
        ..Filter::default()
    };
    match p.role {
        Role::Enterprise => filter.subject = Some(own_uscc(p)?),
        Role::Institution => filter.statuses = vec![project_status::APPROVED.to_owned()],
        _ => filter.region_prefix = scope(p)?,
    }
    let conn = &platform.db.conn;
    let rows = repo::list_projects(conn, &filter).await?;
    project_views(conn, rows).await
}

/// The operator's review queue: enterprise declarations and projects awaiting review.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewQueue {
    pub declarations: Vec<EntryView>,
    pub projects: Vec<ProjectView>,
}

pub async fn queue(platform: &Platform, p: &Principal) -> ServiceResult<ReviewQueue> {
    p.require(&[Role::Operator])?;
    let conn = &platform.db.conn;
    let declarations = repo::list_entries(
        conn,
        &Filter {
            source: Some(SOURCE_DECLARATION.into()),
            statuses: vec![status::CANDIDATE.into()],
            ..Filter::default()
        },
    )
    .await?;
    let projects = repo::list_projects(
        conn,
        &Filter {
            statuses: vec![project_status::SUBMITTED.into()],
            ..Filter::default()
        },
    )
    .await?;
    Ok(ReviewQueue {
        declarations: entry_views(conn, declarations).await?,
        projects: project_views(conn, projects).await?,
    })
}

/// Green enterprises of one category.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryCount {
    pub key: String,
    pub label: String,
    pub enterprises: usize,
    pub projects: usize,
}

/// A listed green product (绿色金融产品).
#[derive(Debug, Clone, Serialize)]
pub struct GreenProduct {
    pub id: String,
    pub name: String,
    pub institution_org_id: String,
}

/// The green view for government (its jurisdiction) and the operator.
#[derive(Debug, Clone, Serialize)]
pub struct GreenSummary {
    /// Distinct enterprises in the library.
    pub green_enterprises: usize,
    pub by_rule: usize,
    pub by_declaration: usize,
    pub by_category: Vec<CategoryCount>,
    pub projects_approved: usize,
    pub projects_pending: usize,
    pub declarations_pending: usize,
    pub investment_fen: i64,
    pub investment_text: String,
    pub co2_reduction_t: i64,
    pub products: Vec<GreenProduct>,
    /// Loans recorded to enterprises now in the library (绿色贷款), and their amount.
    pub green_loans: usize,
    pub green_loan_fen: i64,
    pub green_loan_text: String,
    pub catalog_version: u32,
    pub catalog_source: String,
}

pub async fn summary(platform: &Platform, p: &Principal) -> ServiceResult<GreenSummary> {
    p.require(&[Role::Operator, Role::Government])?;
    let region = scope(p)?;
    let conn = &platform.db.conn;
    let entries = repo::list_entries(
        conn,
        &Filter {
            region_prefix: region.clone(),
            ..Filter::default()
        },
    )
    .await?;
    let loans = xinrong_store::repo::loans::list(
        conn,
        &xinrong_store::repo::loans::Filter {
            region_prefix: region.clone(),
            ..Default::default()
        },
    )
    .await?;
    let projects = repo::list_projects(
        conn,
        &Filter {
            region_prefix: region,
            ..Filter::default()
        },
    )
    .await?;
    let catalog = GreenCatalog::builtin();
    let mut green: HashMap<String, String> = HashMap::new();
    let (mut by_rule, mut by_declaration, mut pending) = (0, 0, 0);
    for e in &entries {
        if e.status == status::APPROVED {
            if e.source == SOURCE_RULE {
                by_rule += 1;
            } else {
                by_declaration += 1;
            }
            // A declared category wins over the rule's for the count by category.
            let cat = e.category.clone().unwrap_or_default();
            if e.source == SOURCE_DECLARATION || !green.contains_key(&e.subject) {
                green.insert(e.subject.clone(), cat);
            }
        } else if e.status == status::CANDIDATE {
            pending += 1;
        }
    }
    let approved: Vec<&GreenProjectRow> = projects
        .iter()
        .filter(|p| p.status == project_status::APPROVED)
        .collect();
    let by_category = catalog
        .categories()
        .iter()
        .map(|c| CategoryCount {
            key: c.key.clone(),
            label: c.label.clone(),
            enterprises: green.values().filter(|k| **k == c.key).count(),
            projects: approved.iter().filter(|p| p.category == c.key).count(),
        })
        .collect();
    let investment_fen: i64 = approved.iter().map(|p| p.investment_fen).sum();
    let green_loans: Vec<i64> = loans
        .iter()
        .filter(|l| green.contains_key(&l.subject))
        .map(|l| l.amount_fen)
        .collect();
    let green_loan_fen: i64 = green_loans.iter().sum();
    let products = xinrong_store::repo::products::list_listed_by_scenario(conn, "green")
        .await?
        .into_iter()
        .map(|p| GreenProduct {
            id: p.id,
            name: p.name,
            institution_org_id: p.institution_org_id,
        })
        .collect();
    Ok(GreenSummary {
        green_enterprises: green.len(),
        by_rule,
        by_declaration,
        by_category,
        projects_approved: approved.len(),
        projects_pending: projects
            .iter()
            .filter(|p| p.status == project_status::SUBMITTED)
            .count(),
        declarations_pending: pending,
        investment_fen,
        investment_text: xinrong_core::money::Fen(investment_fen).display_wan_yuan(),
        co2_reduction_t: approved.iter().map(|p| p.co2_reduction_t).sum(),
        products,
        green_loans: green_loans.len(),
        green_loan_fen,
        green_loan_text: xinrong_core::money::Fen(green_loan_fen).display_wan_yuan(),
        catalog_version: catalog.version,
        catalog_source: catalog.source.clone(),
    })
}

/// An enterprise's own green standing.
#[derive(Debug, Clone, Serialize)]
pub struct MyGreen {
    pub uscc: String,
    /// In the library now ([`is_green`]).
    pub green: bool,
    /// The rule applied live to its industry and latest rating.
    pub rule: GreenAssessment,
    pub env_grade: Option<String>,
    pub entries: Vec<EntryView>,
    pub projects: Vec<ProjectView>,
}

pub async fn mine(platform: &Platform, p: &Principal) -> ServiceResult<MyGreen> {
    let uscc = own_uscc(p)?;
    let conn = &platform.db.conn;
    let enterprise = enterprises::get(conn, &uscc)
        .await?
        .ok_or(ServiceError::NotFound("企业"))?;
    let grade = latest_env_grade(conn, &uscc).await?;
    let rule = assess_green(&enterprise.industry_code, grade.as_deref());
    let entries = repo::entries_of(conn, &uscc).await?;
    let projects = repo::list_projects(
        conn,
        &Filter {
            subject: Some(uscc.clone()),
            ..Filter::default()
        },
    )
    .await?;
    Ok(MyGreen {
        green: is_green(conn, &uscc).await?,
        rule,
        env_grade: grade,
        entries: entry_views(conn, entries).await?,
        projects: project_views(conn, projects).await?,
        uscc,
    })
}
