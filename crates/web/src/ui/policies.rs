//! 政策找人 pages: an enterprise sees the policies matched to it (为我匹配的政策) with the reasons
//! it fits, and the others with why not; a government unit sees its policies with their matched
//! counts, drafts new ones (with the eligibility fields) and publishes or withdraws them; a
//! policy's page shows its terms and, to its issuer and the operator, the matched enterprises.

use super::Page;
use super::eligibility_form::EligibilityFields;
use crate::access::{ALL_ROLES, Access, Registry};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use chrono::NaiveDate;
use xinrong_core::codes::size_class::SizeClass;
use xinrong_core::finance::eligibility::GRADES;
use xinrong_core::finance::policy::PolicyKind;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::finance::policies::{
    self, MyPolicies, PolicyFit, PolicyInput, PolicyMatches, PolicyView, status,
};
use xinrong_services::identity::Principal;

const GOVERNMENT: &[Role] = &[Role::Government];

/// Adds this resource's pages, each guarded through [`super::page`].
pub(super) fn routes(registry: &mut Registry, r: Router<AppState>) -> Router<AppState> {
    let all = Access::Roles(ALL_ROLES);
    let gov = Access::Roles(GOVERNMENT);
    let r = super::page(registry, r, Method::GET, "/policies", all, get(list));
    let r = super::page(registry, r, Method::POST, "/policies", gov, post(create));
    let r = super::page(registry, r, Method::GET, "/policies/{id}", all, get(detail));
    super::page(
        registry,
        r,
        Method::POST,
        "/policies/{id}/{action}",
        gov,
        post(act),
    )
}

/// The create form's fields, as typed.
#[derive(Debug, Clone, Default)]
pub struct FormValues {
    pub title: String,
    pub kind: String,
    pub region_code: String,
    pub benefit: String,
    pub body: String,
    pub valid_from: String,
    pub valid_to: String,
    pub eligibility: EligibilityFields,
}

impl FormValues {
    fn from_pairs(pairs: Vec<(String, String)>) -> FormValues {
        let mut v = FormValues::default();
        for (k, val) in pairs {
            match k.as_str() {
                "title" => v.title = val,
                "kind" => v.kind = val,
                "region_code" => v.region_code = val,
                "benefit" => v.benefit = val,
                "body" => v.body = val,
                "valid_from" => v.valid_from = val,
                "valid_to" => v.valid_to = val,
                _ => {
                    v.eligibility.accept(&k, val);
                }
            }
        }
        v
    }

    fn of(p: &PolicyView) -> FormValues {
        FormValues {
            eligibility: EligibilityFields::of(&p.eligibility),
            title: p.title.clone(),
            kind: p.kind.clone(),
            region_code: p.region_code.clone(),
            benefit: p.benefit.clone(),
            body: p.body.clone(),
            valid_from: p.valid_from.to_string(),
            valid_to: p.valid_to.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    fn input(&self) -> Result<PolicyInput, ServiceError> {
        let date = |t: &str, what: &str| -> Result<Option<NaiveDate>, ServiceError> {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    ServiceError::invalid(
                        "policy.validity",
                        format!("{what}须为日期，如 2026-01-01"),
                    )
                })
        };
        let valid_from = date(&self.valid_from, "有效期起")?
            .ok_or_else(|| ServiceError::invalid("policy.validity", "请填写有效期起"))?;
        Ok(PolicyInput {
            title: self.title.clone(),
            kind: self.kind.clone(),
            region_code: Some(self.region_code.clone()).filter(|r| !r.trim().is_empty()),
            eligibility: self.eligibility.parse()?,
            benefit: self.benefit.clone(),
            body: self.body.clone(),
            valid_from,
            valid_to: date(&self.valid_to, "有效期止")?,
        })
    }
}

#[derive(Template)]
#[template(path = "policies.html")]
struct ListPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    /// The enterprise's fits and misfits.
    mine: Option<MyPolicies>,
    /// Everyone else: the readable policies with their matched counts (issuer, operator).
    policies: Vec<(PolicyView, Option<u64>)>,
    kinds: Vec<(&'static str, &'static str)>,
    grades: Vec<&'static str>,
    sizes: Vec<(&'static str, &'static str)>,
    v: FormValues,
    error: Option<String>,
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    v: FormValues,
    error: Option<ServiceError>,
) -> Response {
    let (platform, p) = (&state.platform, &caller.principal);
    let mut mine = None;
    let mut rows = Vec::new();
    if p.role == Role::Enterprise {
        match policies::for_enterprise(platform, p).await {
            Ok(m) => mine = Some(m),
            Err(err) => return PageError::new(err, lang, "/policies".into()).into_response(),
        }
    } else {
        let listed = match policies::list(platform, p, None).await {
            Ok(l) => l,
            Err(err) => return PageError::new(err, lang, "/policies".into()).into_response(),
        };
        let counted: Vec<String> = listed
            .iter()
            .filter(|v| {
                v.status != status::DRAFT
                    && (p.role == Role::Operator || v.issuer_org_id == p.org_id)
            })
            .map(|v| v.id.clone())
            .collect();
        let counts = policies::match_counts(platform, &counted)
            .await
            .unwrap_or_default();
        rows = listed
            .into_iter()
            .map(|v| {
                let n = counts.get(&v.id).copied();
                (v, n)
            })
            .collect();
    }
    let layout = Page::new(caller, lang, csrf);
    super::render_outcome(
        &ListPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            mine,
            policies: rows,
            kinds: kinds(),
            grades: GRADES.to_vec(),
            sizes: sizes(),
            v,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/policies`: the enterprise's matched and other policies; a government unit's policies and
/// the draft form; the published policies for the others.
async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let v = FormValues {
        valid_from: xinrong_services::objections::today(&state.platform).to_string(),
        region_code: caller.principal.region_code.clone().unwrap_or_default(),
        ..FormValues::default()
    };
    list_page(&state, &caller, lang, &csrf, v, None).await
}

/// `POST /policies`: drafts a policy.
async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let v = FormValues::from_pairs(pairs);
    let done = match v.input() {
        Ok(input) => policies::create(&state.platform, &caller.principal, input).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(p) => Redirect::to(&format!("/policies/{}", p.id)).into_response(),
        Err(err) => list_page(&state, &caller, lang, &csrf, v, Some(err)).await,
    }
}

#[derive(Template)]
#[template(path = "policy.html")]
struct DetailPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    p: PolicyView,
    /// The enterprise's checks against it.
    fit: Option<PolicyFit>,
    matches: Option<PolicyMatches>,
    can_publish: bool,
    can_withdraw: bool,
    notice: Option<String>,
    error: Option<String>,
    /// The draft's fields for the edit form (as typed after a refused edit).
    v: FormValues,
    kinds: Vec<(&'static str, &'static str)>,
    grades: Vec<&'static str>,
    sizes: Vec<(&'static str, &'static str)>,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    PolicyKind::ALL
        .iter()
        .map(|k| (k.code(), k.label_zh()))
        .collect()
}

fn sizes() -> Vec<(&'static str, &'static str)> {
    SizeClass::ALL
        .iter()
        .map(|s| (s.code(), s.label_zh()))
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn detail_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    id: &str,
    notice: Option<String>,
    error: Option<ServiceError>,
    typed: Option<FormValues>,
) -> Response {
    let (platform, pr) = (&state.platform, &caller.principal);
    let path = format!("/policies/{id}");
    let p = match policies::get(platform, pr, id).await {
        Ok(p) => p,
        Err(err) => return PageError::new(err, lang, path).into_response(),
    };
    let fit = if pr.role == Role::Enterprise {
        policies::for_enterprise(platform, pr)
            .await
            .ok()
            .and_then(|m| {
                m.fits
                    .into_iter()
                    .chain(m.misfits)
                    .find(|f| f.policy.id == p.id)
            })
    } else {
        None
    };
    let matches = if matches!(pr.role, Role::Government | Role::Operator) {
        policies::matches(platform, pr, id).await.ok()
    } else {
        None
    };
    let issuer = pr.role == Role::Government && pr.org_id == p.issuer_org_id;
    let layout = Page::new(caller, lang, csrf);
    super::render_outcome(
        &DetailPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            can_publish: issuer && p.status == status::DRAFT,
            can_withdraw: issuer && p.status == status::PUBLISHED,
            v: typed.unwrap_or_else(|| FormValues::of(&p)),
            kinds: kinds(),
            grades: GRADES.to_vec(),
            sizes: sizes(),
            p,
            fit,
            matches,
            notice,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

/// `/policies/{id}`: the terms in plain Chinese; the enterprise's reasons; the matched list.
async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    detail_page(&state, &caller, lang, &csrf, &id, None, None, None).await
}

/// `POST /policies/{id}/{edit|publish|withdraw}`.
async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let (platform, p) = (&state.platform, &caller.principal);
    if action == "edit" {
        let v = FormValues::from_pairs(pairs);
        let done = match v.input() {
            Ok(input) => policies::update(platform, p, &id, input).await,
            Err(e) => Err(e),
        };
        return match done {
            Ok(_) => Redirect::to(&format!("/policies/{id}")).into_response(),
            Err(err) => {
                detail_page(&state, &caller, lang, &csrf, &id, None, Some(err), Some(v)).await
            }
        };
    }
    let done = match action.as_str() {
        "publish" => policies::publish(platform, p, &id).await.map(|(_, r)| {
            Some(format!(
                "已发布：评估企业 {} 家，符合条件 {} 家，新匹配并通知 {} 家",
                r.assessed, r.eligible, r.new_matches
            ))
        }),
        "withdraw" => policies::withdraw(platform, p, &id).await.map(|_| None),
        _ => Err(ServiceError::NotFound("操作")),
    };
    match done {
        Ok(notice) => detail_page(&state, &caller, lang, &csrf, &id, notice, None, None).await,
        Err(err) => detail_page(&state, &caller, lang, &csrf, &id, None, Some(err), None).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_its_fields() {
        let v = FormValues::from_pairs(vec![
            ("title".into(), "科技贷".into()),
            ("kind".into(), "tech_loan".into()),
            ("valid_from".into(), "2026-01-01".into()),
            ("size_class".into(), "small".into()),
            ("size_class".into(), "micro".into()),
            ("industries".into(), "C, 65".into()),
            ("green_required".into(), "on".into()),
        ]);
        let input = v.input().unwrap();
        assert_eq!(input.eligibility.size_classes.len(), 2);
        assert_eq!(input.eligibility.industries, vec!["C", "65"]);
        assert!(input.eligibility.green_required);
        let bad = FormValues {
            valid_from: "明天".into(),
            ..FormValues::default()
        };
        assert_eq!(bad.input().unwrap_err().code(), "policy.validity");
    }
}
