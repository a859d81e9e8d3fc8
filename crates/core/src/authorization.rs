//! 数据共享协议 (sharing agreements) and 授权 (authorizations) — the pure rules.
//!
//! An **agreement** is between the platform and one institution: which items or categories
//! (信息种类, by section key) it may read at all, for which purposes, for how long. An
//! **authorization** is the information subject's consent artefact: this grantee may read these
//! items or categories about me, for this one purpose, for records in this date range, until
//! this day. Both must be in force for an institution to read data that needs consent; the
//! access decision (`xinrong_services::access`) combines them.
//!
//! Everything here is deterministic and has no IO: scope coverage, the status machine with its
//! allowed transitions, validity and expiry, the data range. The services store and ledger what
//! these functions decide.

use crate::catalog::{Catalog, Item};
use crate::purpose::Purpose;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Longest validity of an agreement or authorization, in days (about ten years).
pub const MAX_DAYS: i64 = 3650;

/// A rule broken by input or by a requested change; `code` is stable, `message` Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuleError {
    pub code: &'static str,
    pub message: String,
}

fn rule(code: &'static str, message: impl Into<String>) -> RuleError {
    RuleError {
        code,
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------------

/// Items or categories: each key is an item key (`tax.tax_arrears`) or a section key (`tax`,
/// meaning every item of that category, including items added to it later).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Scope {
    keys: Vec<String>,
}

impl Scope {
    /// Checks every key against the catalogue: sorted, without duplicates, at least one.
    /// An unknown key is refused with `authz.item` naming it.
    pub fn parse<S: AsRef<str>>(catalog: &Catalog, keys: &[S]) -> Result<Scope, RuleError> {
        let mut out: Vec<String> = Vec::new();
        for key in keys {
            let key = key.as_ref().trim();
            if key.is_empty() {
                continue;
            }
            let known =
                catalog.item(key).is_some() || catalog.sections.iter().any(|s| s.key == key);
            if !known {
                return Err(rule(
                    "authz.item",
                    format!("信息项或信息种类“{key}”不在信用信息目录中"),
                ));
            }
            out.push(key.to_owned());
        }
        out.sort();
        out.dedup();
        if out.is_empty() {
            return Err(rule("authz.item", "请至少指定一个信息项或信息种类"));
        }
        Ok(Scope { keys: out })
    }

    /// Every section of the catalogue: the whole catalogue, now and as it grows.
    pub fn all_sections(catalog: &Catalog) -> Scope {
        let mut keys: Vec<String> = catalog.sections.iter().map(|s| s.key.clone()).collect();
        keys.sort();
        keys.dedup();
        Scope { keys }
    }

    /// Keys as stored, without checking them (rows written by [`Scope::parse`]).
    pub fn from_stored(keys: Vec<String>) -> Scope {
        Scope { keys }
    }

    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// True when the item is named itself or through its section.
    pub fn covers(&self, item: &Item) -> bool {
        self.keys
            .iter()
            .any(|k| *k == item.key || *k == item.section)
    }
}

/// Parses a comma-separated list of purposes (codes or Chinese labels), sorted and unique.
pub fn parse_purposes<S: AsRef<str>>(texts: &[S]) -> Result<Vec<Purpose>, RuleError> {
    let mut out = Vec::new();
    for text in texts {
        let text = text.as_ref().trim();
        if text.is_empty() {
            continue;
        }
        let purpose = Purpose::parse(text).ok_or_else(|| {
            rule(
                "authz.purpose",
                format!("未知的查询用途“{text}”，可选：{}", Purpose::codes_hint()),
            )
        })?;
        out.push(purpose);
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(rule("authz.purpose", "请至少指定一个查询用途"));
    }
    Ok(out)
}

/// The validity of something granted now for `days` days: `(now, now + days)`; days must lie
/// in 1..=[`MAX_DAYS`].
pub fn validity(
    now: NaiveDateTime,
    days: i64,
) -> Result<(NaiveDateTime, NaiveDateTime), RuleError> {
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(rule(
            "authz.days",
            format!("有效期须为 1 至 {MAX_DAYS} 天，收到 {days}"),
        ));
    }
    Ok((now, now + Duration::days(days)))
}

/// In force at `now`: `valid_from <= now < valid_until`.
pub fn within(valid_from: NaiveDateTime, valid_until: NaiveDateTime, now: NaiveDateTime) -> bool {
    valid_from <= now && now < valid_until
}

// ---------------------------------------------------------------------------------------------
// Agreements
// ---------------------------------------------------------------------------------------------

/// What an agreement allows: items or categories, and purposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementScope {
    pub items: Scope,
    pub purposes: Vec<Purpose>,
}

impl AgreementScope {
    /// True when the agreement allows reading `item` for the purpose coded `purpose_code`
    /// (a code or Chinese label). Whether the agreement is in force is not judged here.
    pub fn covers(&self, item: &Item, purpose_code: &str) -> bool {
        let Some(purpose) = Purpose::parse(purpose_code) else {
            return false;
        };
        self.items.covers(item) && self.purposes.contains(&purpose)
    }
}

/// 协议状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    Active,
    /// 暂停: the operator stopped it for now; it may be reinstated.
    Suspended,
    /// 终止: ended for good.
    Terminated,
}

/// A change the operator makes to an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementAction {
    Suspend,
    Reinstate,
    Terminate,
}

impl AgreementStatus {
    pub const ALL: [AgreementStatus; 3] = [
        AgreementStatus::Active,
        AgreementStatus::Suspended,
        AgreementStatus::Terminated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgreementStatus::Active => "active",
            AgreementStatus::Suspended => "suspended",
            AgreementStatus::Terminated => "terminated",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            AgreementStatus::Active => "生效",
            AgreementStatus::Suspended => "暂停",
            AgreementStatus::Terminated => "终止",
        }
    }

    pub fn parse(code: &str) -> Option<AgreementStatus> {
        AgreementStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status after `action`: suspend an active agreement, reinstate a suspended one,
    /// terminate either; a terminated agreement changes no more.
    pub fn apply(self, action: AgreementAction) -> Result<AgreementStatus, RuleError> {
        use AgreementAction as A;
        use AgreementStatus as S;
        match (self, action) {
            (S::Active, A::Suspend) => Ok(S::Suspended),
            (S::Suspended, A::Reinstate) => Ok(S::Active),
            (S::Active | S::Suspended, A::Terminate) => Ok(S::Terminated),
            (S::Terminated, _) => Err(rule("agreement.terminated", "协议已终止，不能再变更")),
            (from, _) => Err(rule(
                "agreement.status",
                format!("协议当前状态为“{}”，不能执行该操作", from.label_zh()),
            )),
        }
    }
}

/// An agreement allows reads at `now` only when active and within its term.
pub fn agreement_in_force(
    status: AgreementStatus,
    valid_from: NaiveDateTime,
    valid_until: NaiveDateTime,
    now: NaiveDateTime,
) -> bool {
    status == AgreementStatus::Active && within(valid_from, valid_until, now)
}

// ---------------------------------------------------------------------------------------------
// Authorizations
// ---------------------------------------------------------------------------------------------

/// How the subject gave its consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 线上授权: by the enterprise itself after real-name login, with the risks stated.
    Online,
    /// 书面授权: a signed paper the institution scanned and uploaded; its digest is kept.
    Written,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Written => "written",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Channel::Online => "线上授权",
            Channel::Written => "书面授权",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        [Channel::Online, Channel::Written]
            .into_iter()
            .find(|c| c.code() == code.trim())
    }
}

/// 授权状态. `Expired` is never stored: it is derived from `valid_until` when read
/// ([`effective_status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Paused,
    Revoked,
    Expired,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Active,
        Status::Paused,
        Status::Revoked,
        Status::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Revoked => "revoked",
            Status::Expired => "expired",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Active => "有效",
            Status::Paused => "已暂停",
            Status::Revoked => "已撤销",
            Status::Expired => "已过期",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Where a dispute (争议) of a written authorization stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dispute {
    None,
    /// Filed by the subject; the authorization is paused until the operator decides.
    Open,
    /// The operator agreed with the subject: the authorization is revoked.
    Upheld,
    /// The operator found the paper genuine: the authorization is active again.
    Dismissed,
    /// The subject revoked the authorization while its dispute was open.
    Withdrawn,
}

impl Dispute {
    pub const ALL: [Dispute; 5] = [
        Dispute::None,
        Dispute::Open,
        Dispute::Upheld,
        Dispute::Dismissed,
        Dispute::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dispute::None => "none",
            Dispute::Open => "open",
            Dispute::Upheld => "upheld",
            Dispute::Dismissed => "dismissed",
            Dispute::Withdrawn => "withdrawn",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Dispute::None => "无",
            Dispute::Open => "争议处理中",
            Dispute::Upheld => "争议成立",
            Dispute::Dismissed => "争议驳回",
            Dispute::Withdrawn => "随撤销结束",
        }
    }

    pub fn parse(code: &str) -> Option<Dispute> {
        Dispute::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// The stored state of an authorization: status (never `Expired` when stored) and dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct State {
    pub status: Status,
    pub dispute: Dispute,
}

/// Who asks for a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The information subject (an enterprise user of that enterprise).
    Subject,
    /// The institution the authorization was granted to.
    Grantee,
    /// The platform operator (and the CLI, which acts as the platform).
    Operator,
}

/// A change to an authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Pause,
    Resume,
    Revoke,
    Dispute,
    UpholdDispute,
    DismissDispute,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Pause,
        Action::Resume,
        Action::Revoke,
        Action::Dispute,
        Action::UpholdDispute,
        Action::DismissDispute,
    ];

    /// The trail event this action writes: `authorization.<event>`.
    pub fn event(self) -> &'static str {
        match self {
            Action::Pause => "paused",
            Action::Resume => "resumed",
            Action::Revoke => "revoked",
            Action::Dispute => "disputed",
            Action::UpholdDispute => "dispute_upheld",
            Action::DismissDispute => "dispute_dismissed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Action::Pause => "暂停",
            Action::Resume => "恢复",
            Action::Revoke => "撤销",
            Action::Dispute => "提出争议",
            Action::UpholdDispute => "认定争议成立",
            Action::DismissDispute => "驳回争议",
        }
    }

    /// Who may ask for it: the subject pauses, resumes and disputes; the subject, the grantee
    /// (withdrawing its own paper) and the operator revoke; only the operator decides disputes.
    pub fn allowed_for(self, actor: Actor) -> bool {
        match self {
            Action::Pause | Action::Resume | Action::Dispute => actor == Actor::Subject,
            Action::Revoke => true,
            Action::UpholdDispute | Action::DismissDispute => actor == Actor::Operator,
        }
    }
}

/// The status as of `now`: a stored active or paused authorization whose `valid_until` has
/// passed is expired; a revoked one stays revoked.
pub fn effective_status(stored: Status, valid_until: NaiveDateTime, now: NaiveDateTime) -> Status {
    match stored {
        Status::Revoked => Status::Revoked,
        _ if now >= valid_until => Status::Expired,
        other => other,
    }
}

/// The state after `actor` applies `action` to an authorization of `channel` whose status as
/// of now (see [`effective_status`]) is `state.status`.
///
/// - revoked and expired authorizations change no more;
/// - pause: active → paused; resume: paused → active, not while a dispute is open (the
///   operator decides it);
/// - revoke: active or paused → revoked (an open dispute ends as `withdrawn`);
/// - dispute: only a written authorization, once, active or paused → paused with dispute open;
/// - uphold: open dispute → revoked; dismiss: open dispute → active.
pub fn transition(
    state: State,
    action: Action,
    actor: Actor,
    channel: Channel,
) -> Result<State, RuleError> {
    if !action.allowed_for(actor) {
        return Err(rule(
            "authz.forbidden",
            format!("无权对该授权执行“{}”", action.label_zh()),
        ));
    }
    match state.status {
        Status::Revoked => return Err(rule("authz.revoked", "授权已撤销，不能再变更")),
        Status::Expired => return Err(rule("authz.expired", "授权已过期，不能再变更")),
        Status::Active | Status::Paused => {}
    }
    let open = state.dispute == Dispute::Open;
    let next = |status, dispute| Ok(State { status, dispute });
    match action {
        Action::Pause => match state.status {
            Status::Active => next(Status::Paused, state.dispute),
            _ => Err(rule("authz.status", "授权已处于暂停状态")),
        },
        Action::Resume => {
            if open {
                Err(rule(
                    "authz.disputed",
                    "授权争议处理中，待平台运营方处理后方可恢复",
                ))
            } else if state.status == Status::Paused {
                next(Status::Active, state.dispute)
            } else {
                Err(rule("authz.status", "授权未暂停，无需恢复"))
            }
        }
        Action::Revoke => next(
            Status::Revoked,
            if open {
                Dispute::Withdrawn
            } else {
                state.dispute
            },
        ),
        Action::Dispute => {
            if channel != Channel::Written {
                Err(rule(
                    "authz.dispute_channel",
                    "只有书面授权可以提出争议；线上授权可直接暂停或撤销",
                ))
            } else if state.dispute != Dispute::None {
                Err(rule("authz.dispute_once", "该授权已提出过争议"))
            } else {
                next(Status::Paused, Dispute::Open)
            }
        }
        Action::UpholdDispute | Action::DismissDispute => {
            if !open {
                return Err(rule("authz.no_dispute", "该授权没有待处理的争议"));
            }
            if action == Action::UpholdDispute {
                next(Status::Revoked, Dispute::Upheld)
            } else {
                next(Status::Active, Dispute::Dismissed)
            }
        }
    }
}

/// Why an authorization may not be used now, as `(code, Chinese reason)`; `None` when it may.
/// The reason says nothing about the data it protects.
pub fn refusal(
    state: State,
    valid_from: NaiveDateTime,
    valid_until: NaiveDateTime,
    now: NaiveDateTime,
) -> Option<(&'static str, &'static str)> {
    match effective_status(state.status, valid_until, now) {
        Status::Revoked => Some(("authz.revoked", "授权已被撤销")),
        Status::Expired => Some(("authz.expired", "授权已过期")),
        Status::Paused if state.dispute == Dispute::Open => {
            Some(("authz.disputed", "授权存在争议，处理完毕前暂停使用"))
        }
        Status::Paused => Some(("authz.paused", "授权已被信息主体暂停")),
        Status::Active if now < valid_from => Some(("authz.expired", "授权尚未生效")),
        Status::Active => None,
    }
}

/// What a subject consented to: items or categories, one purpose, and optionally the dates of
/// the records (数据范围).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub scope: Scope,
    pub purpose: Purpose,
    pub data_from: Option<NaiveDate>,
    pub data_to: Option<NaiveDate>,
}

impl Terms {
    /// True when a record of `item` dated `record_date` may be read for `purpose_code` (a code
    /// or Chinese label) under these terms. The purpose must be the one consented to (不得擅自
    /// 变更用途). A data range bounds dated records, both ends included; a record without a
    /// date (a current-state fact such as a registration) is not history and is covered.
    pub fn covers(&self, item: &Item, purpose_code: &str, record_date: Option<NaiveDate>) -> bool {
        if Purpose::parse(purpose_code) != Some(self.purpose) || !self.scope.covers(item) {
            return false;
        }
        match record_date {
            None => true,
            Some(d) => {
                self.data_from.is_none_or(|from| from <= d) && self.data_to.is_none_or(|to| d <= to)
            }
        }
    }
}

/// Checks a data range: the start not after the end.
pub fn check_data_range(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<(), RuleError> {
    match (from, to) {
        (Some(f), Some(t)) if f > t => Err(rule(
            "authz.data_range",
            format!("数据范围起始日期 {f} 晚于截止日期 {t}"),
        )),
        _ => Ok(()),
    }
}

/// Free text naming what the authorization is for (e.g. a named loan application): at most
/// 200 characters, no control characters.
pub fn check_purpose_text(text: &str) -> Result<String, RuleError> {
    let text = text.trim();
    if text.chars().count() > 200 {
        return Err(rule("authz.purpose_text", "用途说明不能超过 200 个字符"));
    }
    if text.chars().any(char::is_control) {
        return Err(rule("authz.purpose_text", "用途说明不能含控制字符"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::builtin;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn at(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            + Duration::days(day as i64)
    }

    fn state_strategy() -> impl Strategy<Value = State> {
        (
            prop::sample::select(vec![
                Status::Active,
                Status::Paused,
                Status::Revoked,
                Status::Expired,
            ]),
            prop::sample::select(Dispute::ALL.to_vec()),
        )
            .prop_map(|(status, dispute)| State { status, dispute })
    }

    fn actor_strategy() -> impl Strategy<Value = Actor> {
        prop::sample::select(vec![Actor::Subject, Actor::Grantee, Actor::Operator])
    }

    #[test]
    fn scope_parses_items_and_sections() {
        let cat = builtin();
        let scope = Scope::parse(cat, &["tax", "tax.tax_arrears", "tax"]).unwrap();
        assert_eq!(scope.keys(), ["tax", "tax.tax_arrears"]);
        let err = Scope::parse(cat, &["tax.nope"]).unwrap_err();
        assert_eq!(err.code, "authz.item");
        assert!(err.message.contains("tax.nope"));
        assert_eq!(
            Scope::parse::<&str>(cat, &[]).unwrap_err().code,
            "authz.item"
        );
    }

    #[test]
    fn agreement_covers_items_and_purposes() {
        let cat = builtin();
        let item = cat.item("tax.tax_arrears").unwrap();
        let scope = AgreementScope {
            items: Scope::parse(cat, &["tax"]).unwrap(),
            purposes: vec![Purpose::PreLoan],
        };
        assert!(scope.covers(item, "pre_loan"));
        assert!(scope.covers(item, "贷前调查"));
        assert!(!scope.covers(item, "post_loan"));
        assert!(!scope.covers(item, "nonsense"));
        let other = cat.items.iter().find(|i| i.section != "tax").unwrap();
        assert!(!scope.covers(other, "pre_loan"));
    }

    #[test]
    fn dispute_cycle() {
        let s0 = State {
            status: Status::Active,
            dispute: Dispute::None,
        };
        let s1 = transition(s0, Action::Dispute, Actor::Subject, Channel::Written).unwrap();
        assert_eq!(
            s1,
            State {
                status: Status::Paused,
                dispute: Dispute::Open
            }
        );
        assert_eq!(
            transition(s1, Action::Resume, Actor::Subject, Channel::Written)
                .unwrap_err()
                .code,
            "authz.disputed"
        );
        let upheld =
            transition(s1, Action::UpholdDispute, Actor::Operator, Channel::Written).unwrap();
        assert_eq!(upheld.status, Status::Revoked);
        let dismissed = transition(
            s1,
            Action::DismissDispute,
            Actor::Operator,
            Channel::Written,
        )
        .unwrap();
        assert_eq!(
            dismissed,
            State {
                status: Status::Active,
                dispute: Dispute::Dismissed
            }
        );
        assert_eq!(
            transition(s0, Action::Dispute, Actor::Subject, Channel::Online)
                .unwrap_err()
                .code,
            "authz.dispute_channel"
        );
        assert_eq!(
            transition(s1, Action::UpholdDispute, Actor::Subject, Channel::Written)
                .unwrap_err()
                .code,
            "authz.forbidden"
        );
    }

    #[test]
    fn refusals_name_the_state() {
        let active = State {
            status: Status::Active,
            dispute: Dispute::None,
        };
        assert_eq!(refusal(active, at(0), at(10), at(5)), None);
        assert_eq!(
            refusal(active, at(0), at(10), at(10)).unwrap().0,
            "authz.expired"
        );
        let paused = State {
            status: Status::Paused,
            dispute: Dispute::None,
        };
        assert_eq!(
            refusal(paused, at(0), at(10), at(5)).unwrap().0,
            "authz.paused"
        );
        let disputed = State {
            status: Status::Paused,
            dispute: Dispute::Open,
        };
        assert_eq!(
            refusal(disputed, at(0), at(10), at(5)).unwrap().0,
            "authz.disputed"
        );
        let revoked = State {
            status: Status::Revoked,
            dispute: Dispute::None,
        };
        assert_eq!(
            refusal(revoked, at(0), at(10), at(50)).unwrap().0,
            "authz.revoked"
        );
    }

    proptest! {
        /// An item is covered exactly when its key or its section is named.
        #[test]
        fn scope_covers_by_key_or_section(picks in prop::collection::vec(any::<prop::sample::Index>(), 1..6), probe in any::<prop::sample::Index>(), sections in any::<bool>()) {
            let cat = builtin();
            let keys: Vec<String> = picks.iter().map(|i| {
                let item = i.get(&cat.items);
                if sections { item.section.clone() } else { item.key.clone() }
            }).collect();
            let scope = Scope::parse(cat, &keys).unwrap();
            let item = probe.get(&cat.items);
            let named = keys.iter().any(|k| *k == item.key || *k == item.section);
            prop_assert_eq!(scope.covers(item), named);
        }

        /// Revoked and expired are terminal; nothing but the operator closes an open dispute
        /// except a revocation; nobody resumes while a dispute is open; a transition never
        /// stores `Expired`.
        #[test]
        fn status_machine_rules(state in state_strategy(), action in prop::sample::select(Action::ALL.to_vec()), actor in actor_strategy(), written in any::<bool>()) {
            let channel = if written { Channel::Written } else { Channel::Online };
            match transition(state, action, actor, channel) {
                Ok(next) => {
                    prop_assert!(action.allowed_for(actor));
                    prop_assert!(matches!(state.status, Status::Active | Status::Paused));
                    prop_assert_ne!(next.status, Status::Expired);
                    if state.dispute == Dispute::Open && next.dispute != Dispute::Open {
                        prop_assert!(actor == Actor::Operator || action == Action::Revoke);
                    }
                    if next.dispute == Dispute::Open {
                        prop_assert_eq!(next.status, Status::Paused);
                    }
                    if next.status == Status::Active {
                        prop_assert_ne!(next.dispute, Dispute::Open);
                    }
                    if action == Action::Dispute {
                        prop_assert_eq!(channel, Channel::Written);
                    }
                }
                Err(err) => {
                    if matches!(state.status, Status::Revoked | Status::Expired) && action.allowed_for(actor) {
                        prop_assert!(err.code == "authz.revoked" || err.code == "authz.expired");
                    }
                }
            }
        }

        /// Usable exactly when active, not disputed and within its validity.
        #[test]
        fn usable_only_when_active_and_valid(state in state_strategy(), from in 0u32..100, len in 1u32..100, now in 0u32..300) {
            let stored = if state.status == Status::Expired { State { status: Status::Active, ..state } } else { state };
            let usable = refusal(stored, at(from), at(from + len), at(now)).is_none();
            let expected = stored.status == Status::Active && within(at(from), at(from + len), at(now));
            prop_assert_eq!(usable, expected);
            let eff = effective_status(stored.status, at(from + len), at(now));
            if stored.status != Status::Revoked {
                prop_assert_eq!(eff == Status::Expired, now >= from + len);
            }
        }

        /// A dated record is covered exactly when inside the (inclusive) data range, for the
        /// consented purpose only.
        #[test]
        fn data_range_and_purpose(from in prop::option::of(0u32..400), to in prop::option::of(0u32..400), day in 0u32..400, probe in any::<prop::sample::Index>(), purpose in prop::sample::select(Purpose::ALL.to_vec()), asked in prop::sample::select(Purpose::ALL.to_vec())) {
            let cat = builtin();
            let item = probe.get(&cat.items);
            let d = |n: u32| at(n).date();
            let terms = Terms {
                scope: Scope::parse(cat, &[item.section.as_str()]).unwrap(),
                purpose,
                data_from: from.map(d),
                data_to: to.map(d),
            };
            let inside = from.is_none_or(|f| f <= day) && to.is_none_or(|t| day <= t);
            prop_assert_eq!(terms.covers(item, asked.code(), Some(d(day))), inside && asked == purpose);
            prop_assert_eq!(terms.covers(item, asked.label_zh(), None), asked == purpose);
        }

        /// Validity accepts 1..=3650 days and ends exactly that many days later.
        #[test]
        fn validity_bounds(days in -10i64..4000) {
            match validity(at(0), days) {
                Ok((from, until)) => {
                    prop_assert!((1..=MAX_DAYS).contains(&days));
                    prop_assert_eq!(from, at(0));
                    prop_assert_eq!(until - from, Duration::days(days));
                }
                Err(err) => {
                    prop_assert!(!(1..=MAX_DAYS).contains(&days));
                    prop_assert_eq!(err.code, "authz.days");
                }
            }
        }

        /// An agreement allows reads only while active and within its term; terminated is final.
        #[test]
        fn agreement_status_rules(status in prop::sample::select(AgreementStatus::ALL.to_vec()), action in prop::sample::select(vec![AgreementAction::Suspend, AgreementAction::Reinstate, AgreementAction::Terminate]), now in 0u32..50) {
            let next = status.apply(action);
            if status == AgreementStatus::Terminated {
                prop_assert!(next.is_err());
            }
            if let Ok(n) = next {
                prop_assert_ne!(n, status);
            }
            prop_assert_eq!(agreement_in_force(status, at(10), at(20), at(now)), status == AgreementStatus::Active && (10..20).contains(&now));
        }
    }
}
