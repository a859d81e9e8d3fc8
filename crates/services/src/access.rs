//! 访问控制 — the ONE place that decides how much of an information subject's (信息主体) data a
//! reader receives. Every door that shows subject data (the subject view behind the API, pages,
//! exports and the CLI in `crate::share`; pull collection in `crate::pull`; reports in [P4])
//! asks here and nothing else, so the rule cannot differ between the API, the UI and the CLI.
//!
//! This module looks the facts up — the reader's active sharing agreements (数据共享协议), the
//! authorization it names or the active ones it holds (授权), the subject's region for a
//! government unit's jurisdiction — and the pure rule in `xinrong_core::access` decides from
//! them: show, mask or withhold, per sensitivity level (分级分类).

use crate::agreements::{self, AgreementRow};
use crate::authorizations::{self, AuthorizationRow};
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::platform::Platform;
use chrono::{NaiveDate, NaiveDateTime};
use xinrong_core::access::{Grounds, Notice, Verdict, judge};
use xinrong_core::catalog::Item;
use xinrong_core::purpose::Purpose;
use xinrong_core::role::Role;
use xinrong_store::repo::{enterprises, organizations};

/// Who reads: a user of an organisation, or the organisation itself (CLI, integrations).
#[derive(Debug, Clone)]
pub struct Reader {
    pub role: Role,
    pub org_id: String,
    pub org_name: String,
    /// Jurisdiction (government) or seat (others).
    pub region_code: Option<String>,
    /// For an enterprise: the enterprise it is.
    pub org_uscc: Option<String>,
    /// bank, guarantor, insurer, credit_agency for institutions.
    pub institution_kind: Option<String>,
    /// The user, when a person reads; `None` for the CLI acting as the organisation.
    pub user_id: Option<String>,
}

impl Reader {
    pub fn from_principal(p: &Principal) -> Reader {
        Reader {
            role: p.role,
            org_id: p.org_id.clone(),
            org_name: p.org_name.clone(),
            region_code: p.region_code.clone(),
            org_uscc: p.org_uscc.clone(),
            institution_kind: None,
            user_id: Some(p.user_id.clone()),
        }
    }

    /// The organisation `org` (its id, USCC or exact name) reading as itself, as `xinrong view --as`
    /// does.
    pub async fn for_org(platform: &Platform, org: &str) -> ServiceResult<Reader> {
        let row = crate::agreements::find_org(&platform.db.conn, org)
            .await?
            .ok_or_else(|| {
                ServiceError::invalid(
                    "org.unknown",
                    format!("没有名称、编号或统一社会信用代码为“{}”的机构", org.trim()),
                )
            })?;
        let role = row
            .kind
            .parse::<Role>()
            .map_err(|_| ServiceError::invalid("org.kind", "机构类型无效"))?;
        Ok(Reader {
            role,
            org_id: row.id,
            org_name: row.name,
            region_code: row.region_code,
            org_uscc: row.uscc,
            institution_kind: row.institution_kind,
            user_id: None,
        })
    }

    /// The platform operator acting through the command line: the operator organisation when
    /// there is one (so the access log names it), else the platform itself.
    pub async fn platform_operator(platform: &Platform) -> ServiceResult<Reader> {
        let operator = organizations::list(&platform.db.conn, Some(Role::Operator.code()))
            .await?
            .into_iter()
            .next();
        Ok(Reader {
            role: Role::Operator,
            org_id: operator
                .as_ref()
                .map_or_else(|| "platform".to_owned(), |o| o.id.clone()),
            org_name: operator.map_or_else(|| "平台运营方".to_owned(), |o| o.name),
            region_code: None,
            org_uscc: None,
            institution_kind: None,
            user_id: None,
        })
    }

    fn core(&self) -> xinrong_core::access::Reader<'_> {
        xinrong_core::access::Reader {
            role: self.role,
            org_id: &self.org_id,
            region_code: self.region_code.as_deref(),
            org_uscc: self.org_uscc.as_deref(),
        }
    }

    /// Earlier versions are for the subject itself and the operator.
    pub fn may_read_history(&self, subject: &str) -> bool {
        self.role == Role::Operator
            || (self.role == Role::Enterprise && self.org_uscc.as_deref() == Some(subject))
    }

    /// The reader's kind as usage feedback counts it.
    pub fn kind_code(&self) -> &str {
        self.institution_kind
            .as_deref()
            .unwrap_or_else(|| self.role.code())
    }
}

/// What the platform knows that bears on a reader's reads about one subject, looked up once
/// per request.
#[derive(Debug, Clone)]
pub struct Facts {
    reader: Reader,
    subject: String,
    subject_region: Option<String>,
    agreements: Vec<AgreementRow>,
    /// The named authorization (already checked), or the reader's active ones.
    authorizations: Vec<AuthorizationRow>,
}

impl Facts {
    /// Looks up the facts. A named authorization that cannot be used refuses the whole read
    /// with its reason (`authz.unknown`, `authz.expired`, `authz.paused`, `authz.revoked` …).
    pub async fn gather(
        platform: &Platform,
        reader: &Reader,
        subject: &str,
        authorization_id: Option<&str>,
        now: NaiveDateTime,
    ) -> ServiceResult<Facts> {
        let conn = &platform.db.conn;
        let subject_region = enterprises::get(conn, subject)
            .await?
            .map(|e| e.region_code);
        let (agreements, authorizations) = if reader.role == Role::Institution {
            let agreements = agreements::active_for(conn, &reader.org_id, now).await?;
            let authorizations = match authorization_id.map(str::trim).filter(|s| !s.is_empty()) {
                Some(id) => {
                    vec![authorizations::check(conn, id, &reader.org_id, subject, now).await?]
                }
                None => authorizations::find_active(conn, &reader.org_id, subject, now).await?,
            };
            (agreements, authorizations)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Facts {
            reader: reader.clone(),
            subject: subject.to_owned(),
            subject_region,
            agreements,
            authorizations,
        })
    }

    /// The verdict for `item` (one of its records when `record_date`/`provider` are given).
    pub fn verdict(
        &self,
        item: &Item,
        purpose_code: Option<&str>,
        record_date: Option<NaiveDate>,
        provider: Option<&str>,
        repaired: bool,
    ) -> Verdict {
        let agreement_covers = purpose_code.is_some_and(|p| {
            self.agreements
                .iter()
                .any(|a| a.in_force && a.scope.covers(item, p))
        });
        let authorization = purpose_code.and_then(|p| {
            self.authorizations
                .iter()
                .find(|a| a.covers(item, p, record_date))
                .map(|a| a.id.as_str())
        });
        judge(
            &self.reader.core(),
            &Grounds {
                subject: &self.subject,
                subject_region: self.subject_region.as_deref(),
                purpose_stated: purpose_code.is_some(),
                agreement_covers,
                authorization,
                record_provider: provider,
                repaired,
            },
        )
    }

    /// Why nothing at all can be shown to this reader, when that is so regardless of item: no
    /// purpose, no agreement in force, outside the jurisdiction, not its own subject.
    pub fn refusal(&self, purpose_code: Option<&str>) -> Option<Notice> {
        let any_item = crate::catalog::current().items.first()?;
        let verdict = self.verdict(any_item, purpose_code, None, None, false);
        if verdict.discloses_anything() {
            return None;
        }
        let notice = verdict.notice?;
        if notice.code == "access.no_agreement" && !self.agreements.iter().any(|a| a.in_force) {
            return Some(Notice {
                code: "access.no_agreement",
                message: "本机构没有有效的数据共享协议，不能查询信息主体的数据，请联系平台运营方"
                    .into(),
            });
        }
        Some(notice)
    }
}

/// One intended read of one item about one subject, as pull collection (接口调用) asks.
#[derive(Debug, Clone, Copy)]
pub struct ReadRequest<'a> {
    pub reader: &'a Reader,
    pub item: &'a Item,
    /// The subject's USCC (or ID number).
    pub subject: &'a str,
    /// 查询用途 as the reader states it (code or Chinese label).
    pub purpose: Option<&'a str>,
    pub authorization_id: Option<&'a str>,
}

/// The message every refusal starts with, as the UI shows it.
pub const DENIED_MESSAGE: &str = "无权查看该信息项";

/// Decides one item-level read (pull collection): the verdict to shape the answer with, or the
/// refusal. Pull data is fetched live from the provider, and only when the reader would
/// receive every level of the item's fields — an item with 授权共享 fields is fetched for an
/// institution only under an authorization (接口调用须经授权), never fetched to be withheld.
pub async fn decide(platform: &Platform, request: &ReadRequest<'_>) -> ServiceResult<Verdict> {
    let purpose = request.purpose.and_then(Purpose::parse).map(|p| p.code());
    let facts = Facts::gather(
        platform,
        request.reader,
        request.subject,
        request.authorization_id,
        platform.clock.now_naive(),
    )
    .await?;
    let verdict = facts.verdict(request.item, purpose, None, None, false);
    let withholds =
        request.item.fields.iter().any(|f| {
            verdict.for_level(f.sensitivity) == xinrong_core::access::Disclosure::Withhold
        });
    if !withholds {
        return Ok(verdict);
    }
    let notice = verdict.notice.unwrap_or(Notice {
        code: "access.denied",
        message: String::new(),
    });
    Err(ServiceError::Denied {
        code: notice.code,
        message: format!("{DENIED_MESSAGE}：{}", notice.message),
    })
}
