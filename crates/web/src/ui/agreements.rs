//! 数据共享协议 (agreements) page: the operator lists, creates, suspends, reinstates and
//! terminates agreements; an institution sees its own, read-only.

use super::{Page, render_outcome};
use crate::auth::Caller;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use xinrong_core::authorization::AgreementAction;
use xinrong_core::purpose::Purpose;
use xinrong_core::role::Role;
use xinrong_services::ServiceError;
use xinrong_services::agreements::{self, AgreementRow, NewAgreement, STANDARD_COMMITMENT};
use xinrong_services::catalog;
use xinrong_services::identity::{self, Principal};

/// Who may open the page.
pub const READERS: &[Role] = &[Role::Operator, Role::Institution];

#[derive(Template)]
#[template(path = "agreements.html")]
struct AgreementsPage {
    tr: Tr,
    principal: Principal,
    csrf: String,
    show_enterprises: bool,
    is_operator: bool,
    agreements: Vec<AgreementRow>,
    /// Signed commitments by agreement ID.
    commitments: std::collections::HashMap<String, xinrong_services::commitments::CommitmentRow>,
    /// (id, name) of every institution, for the form.
    institutions: Vec<(String, String)>,
    /// (key, label) of every catalogue section.
    sections: Vec<(String, String)>,
    purposes: Vec<(&'static str, &'static str)>,
    commitment: &'static str,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl AgreementsPage {
    fn section_label<'a>(&'a self, key: &'a str) -> &'a str {
        self.sections
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| l.as_str())
            .or_else(|| catalog::current().item(key).map(|i| i.label.as_str()))
            .unwrap_or(key)
    }

    /// The scope in words: every category, or the labels in catalogue order.
    fn scope_text(&self, a: &AgreementRow) -> String {
        let keys = a.scope.items.keys();
        if self.sections.iter().all(|(k, _)| keys.contains(k)) {
            return self.tr.t("agr.all_sections").to_owned();
        }
        let mut labels: Vec<&str> = self
            .sections
            .iter()
            .filter(|(k, _)| keys.contains(k))
            .map(|(_, l)| l.as_str())
            .collect();
        labels.extend(
            keys.iter()
                .filter(|k| !self.sections.iter().any(|(s, _)| s == *k))
                .map(|k| self.section_label(k)),
        );
        labels.join("、")
    }

    fn day(&self, t: &chrono::NaiveDateTime) -> String {
        day(*t)
    }

    /// (signed at, SM3, text) of an agreement's commitment.
    fn commitment(&self, a: &AgreementRow) -> Option<(String, &str, &str)> {
        self.commitments.get(&a.id).map(|c| {
            (
                c.signed_at
                    .and_utc()
                    .with_timezone(&chrono_tz::Asia::Shanghai)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                c.text_sm3.as_str(),
                c.text.as_str(),
            )
        })
    }

    fn status_label(&self, a: &AgreementRow) -> &'static str {
        // An active agreement outside its term reads nothing: say so.
        if a.status == xinrong_core::authorization::AgreementStatus::Active && !a.in_force {
            return if self.tr.is_en() {
                "outside its term"
            } else {
                "不在有效期内"
            };
        }
        if self.tr.is_en() {
            a.status.code()
        } else {
            a.status.label_zh()
        }
    }
}

fn day(t: chrono::NaiveDateTime) -> String {
    t.and_utc()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string()
}

async fn page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    csrf: &CsrfToken,
    notice: Option<&'static str>,
    error: Option<ServiceError>,
) -> Response {
    let is_operator = caller.principal.role == Role::Operator;
    let loaded = async {
        let list = agreements::list(&state.platform, &caller.principal, None).await?;
        let institutions = if is_operator {
            identity::list_organizations(&state.platform, Some(Role::Institution))
                .await?
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect()
        } else {
            Vec::new()
        };
        let commitments = agreements::commitments_of(&state.platform, &list).await?;
        Ok::<_, ServiceError>((list, institutions, commitments))
    }
    .await;
    let (list, institutions, commitments) = match loaded {
        Ok(v) => v,
        Err(err) => return PageError::new(err, lang, "/agreements".into()).into_response(),
    };
    let mut sections: Vec<_> = catalog::current().sections.clone();
    sections.sort_by_key(|s| s.order);
    let layout = Page::new(caller, lang, csrf);
    render_outcome(
        &AgreementsPage {
            tr: layout.tr,
            principal: layout.principal,
            csrf: layout.csrf,
            show_enterprises: layout.show_enterprises,
            is_operator,
            agreements: list,
            commitments,
            institutions,
            sections: sections.into_iter().map(|s| (s.key, s.label)).collect(),
            purposes: Purpose::ALL
                .iter()
                .map(|p| (p.code(), p.label_zh()))
                .collect(),
            commitment: STANDARD_COMMITMENT,
            notice,
            error: error.as_ref().map(|e| e.public_message()),
        },
        error.as_ref(),
    )
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
) -> Response {
    page(
        &state,
        &caller,
        Lang::from_headers(&headers),
        &csrf,
        None,
        None,
    )
    .await
}

/// The pairs of a urlencoded form, repeated keys kept (checkbox groups).
pub(crate) fn form_pairs(body: &Bytes) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub(crate) fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

pub(crate) fn fields(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .flat_map(|(_, v)| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

pub(crate) fn days_of(text: &str) -> Result<i64, ServiceError> {
    text.trim().parse().map_err(|_| {
        ServiceError::invalid(
            "authz.days",
            format!("有效期天数须为整数，收到“{}”", text.trim()),
        )
    })
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    body: Bytes,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let pairs = form_pairs(&body);
    let result = async {
        let mut items = fields(&pairs, "section");
        items.extend(fields(&pairs, "items"));
        let commitment = field(&pairs, "commitment_text");
        agreements::create(
            &state.platform,
            Some(&caller.principal),
            NewAgreement {
                org: field(&pairs, "org"),
                items,
                purposes: fields(&pairs, "purpose"),
                days: days_of(&field(&pairs, "days"))?,
                commitment_text: (!commitment.is_empty()).then_some(commitment),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => page(&state, &caller, lang, &csrf, Some("agr.created"), None).await,
        Err(err) => page(&state, &caller, lang, &csrf, None, Some(err)).await,
    }
}

pub async fn change(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let pairs = form_pairs(&body);
    let action = match field(&pairs, "action").as_str() {
        "suspend" => Some(AgreementAction::Suspend),
        "reinstate" => Some(AgreementAction::Reinstate),
        "terminate" => Some(AgreementAction::Terminate),
        _ => None,
    };
    let result = match action {
        Some(action) => {
            let reason = field(&pairs, "reason");
            agreements::change(
                &state.platform,
                Some(&caller.principal),
                &id,
                action,
                Some(reason.as_str()),
            )
            .await
        }
        None => Err(ServiceError::invalid("agreement.action", "未知的操作")),
    };
    match result {
        Ok(_) => page(&state, &caller, lang, &csrf, Some("agr.changed"), None).await,
        Err(err) => page(&state, &caller, lang, &csrf, None, Some(err)).await,
    }
}

/// Registers the agreements pages.
pub fn routes(
    registry: &mut crate::access::Registry,
    r: axum::Router<AppState>,
) -> axum::Router<AppState> {
    use crate::access::Access;
    use axum::http::Method;
    use axum::routing::{get, post};
    let op = Access::Roles(&[Role::Operator]);
    let r = super::page(
        registry,
        r,
        Method::GET,
        "/agreements",
        Access::Roles(READERS),
        get(list),
    );
    let r = super::page(registry, r, Method::POST, "/agreements", op, post(create));
    super::page(
        registry,
        r,
        Method::POST,
        "/agreements/{id}/status",
        op,
        post(change),
    )
}
