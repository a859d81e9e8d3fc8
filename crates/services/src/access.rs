//! 访问控制 — the ONE place that decides whether a caller may read data about an information
//! subject (信息主体). Every door that shows subject data (pull collection now; records, reports
//! and sharing later) asks [`decide`] and nothing else, so the rule cannot differ between the API,
//! the UI and the CLI.
//!
//! The rule in force until authorizations (授权) and agreements (协议) land ([P3]):
//! - the platform operator (平台运营方) may read every item;
//! - an institution (接入机构) may read items whose fields are all 公开 or 有条件共享; an item
//!   with any 授权共享 or 不对外 field needs the subject's authorization, which cannot be given
//!   yet, so it is refused;
//! - other roles read no subject data through this door.
//!
//! [P3] extends [`ReadRequest`] with the authorization and agreement in force (found by reader,
//! subject and purpose) without changing the callers: they already hand in who reads, what, about
//! whom and why, and already await the decision.

use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use xinrong_core::catalog::{Item, Sensitivity};
use xinrong_core::role::Role;

/// One intended read of one item about one subject.
#[derive(Debug, Clone, Copy)]
pub struct ReadRequest<'a> {
    /// The reading organisation's role.
    pub reader_role: Role,
    /// The reading organisation.
    pub reader_org_id: &'a str,
    pub item: &'a Item,
    /// The subject's USCC (or ID number).
    pub subject: &'a str,
    /// 查询用途 as the reader states it (e.g. 贷前调查).
    pub purpose: Option<&'a str>,
}

/// The answer of [`decide`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Refused; `code` names the rule, `reason` is for people (Chinese).
    Deny {
        code: &'static str,
        reason: String,
    },
}

impl Decision {
    /// `Ok` when allowed, the caller-facing error (`access.denied`, HTTP 403) when not.
    pub fn into_result(self) -> ServiceResult<()> {
        match self {
            Decision::Allow => Ok(()),
            Decision::Deny { code, reason } => Err(ServiceError::Denied {
                code,
                message: reason,
            }),
        }
    }
}

/// The message every refusal starts with, as the UI shows it.
pub const DENIED_MESSAGE: &str = "无权查看该信息项";

/// Decides whether `request` may be served. Asynchronous because the rules of [P3] look up
/// authorizations and agreements; today's rule needs no lookup.
pub async fn decide(_platform: &Platform, request: &ReadRequest<'_>) -> ServiceResult<Decision> {
    Ok(decide_now(request))
}

/// Today's rule, pure (see the module documentation).
fn decide_now(request: &ReadRequest<'_>) -> Decision {
    match request.reader_role {
        Role::Operator => Decision::Allow,
        Role::Institution => match needs_authorization(request.item) {
            None => Decision::Allow,
            Some(level) => Decision::Deny {
                code: "access.denied",
                reason: format!(
                    "{DENIED_MESSAGE}：“{}”含{}字段，须取得信息主体授权",
                    request.item.label,
                    level.label_zh()
                ),
            },
        },
        _ => Decision::Deny {
            code: "access.denied",
            reason: format!("{DENIED_MESSAGE}：仅接入机构与平台运营方可查询信息主体的数据"),
        },
    }
}

/// The most sensitive level of the item's fields if it is 授权共享 or 不对外.
fn needs_authorization(item: &Item) -> Option<Sensitivity> {
    item.fields
        .iter()
        .map(|f| f.sensitivity)
        .max()
        .filter(|s| *s >= Sensitivity::Authorized)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xinrong_core::catalog::builtin;

    fn request(role: Role, key: &str) -> Decision {
        let item = builtin().item(key).expect("item");
        decide_now(&ReadRequest {
            reader_role: role,
            reader_org_id: "org",
            item,
            subject: "91410100MA44XPMU3B",
            purpose: Some("贷前调查"),
        })
    }

    #[test]
    fn institutions_read_public_and_restricted_items_only() {
        assert_eq!(
            request(Role::Institution, "tax.tax_arrears"),
            Decision::Allow
        );
        let Decision::Deny { code, reason } =
            request(Role::Institution, "real_estate.property_mortgage")
        else {
            panic!("authorized fields must be refused");
        };
        assert_eq!(code, "access.denied");
        assert!(reason.starts_with(DENIED_MESSAGE), "{reason}");
        assert!(reason.contains("授权共享"), "{reason}");
    }

    #[test]
    fn the_operator_reads_everything_and_other_roles_nothing() {
        assert_eq!(
            request(Role::Operator, "real_estate.property_mortgage"),
            Decision::Allow
        );
        for role in [Role::Government, Role::Provider, Role::Enterprise] {
            assert!(matches!(
                request(role, "tax.tax_arrears"),
                Decision::Deny { .. }
            ));
        }
    }

    #[test]
    fn a_denial_becomes_a_403_error() {
        let err = request(Role::Enterprise, "tax.tax_arrears")
            .into_result()
            .unwrap_err();
        assert_eq!(err.code(), "access.denied");
        assert!(err.public_message().starts_with(DENIED_MESSAGE));
    }
}
