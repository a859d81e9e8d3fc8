//! 访问控制规则 (the access rule), pure: given who reads, about whom, why, and what the services
//! found (agreement, authorization, jurisdiction, repair), how much of each sensitivity level of
//! an item may be disclosed. `xinrong_services::access` looks the facts up and applies this to
//! every output path; this module decides and nothing else.
//!
//! | reader | 公开 | 有条件共享 | 授权共享 | 不对外 |
//! |---|---|---|---|---|
//! | the subject itself (企业本身) | show | show | show | show |
//! | platform operator (平台运营方) | show | show | mask | show |
//! | institution, agreement covers item and purpose, active authorization covers the item | show | show | show | withhold |
//! | institution, agreement covers item and purpose, no authorization | show | mask | withhold | withhold |
//! | institution without a covering agreement, or without a purpose | withhold | withhold | withhold | withhold |
//! | government, subject in its jurisdiction | show | mask | withhold | withhold |
//! | provider, its own record | show | show | show | show |
//! | anyone else | withhold | withhold | withhold | withhold |
//!
//! A repaired record (信用修复) is withheld from everyone but the subject and the operator.
//! "Mask" means the one masking policy (`crate::masking`); a 授权共享 field with nothing to mask
//! to is withheld, so such a value never leaves in clear without an authorization.

use crate::catalog::{Field, Sensitivity};
use crate::masking::{self, MaskKind};
use crate::role::Role;
use serde::Serialize;

/// Who reads.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub role: Role,
    pub org_id: &'a str,
    /// Jurisdiction of a government unit (GB/T 2260).
    pub region_code: Option<&'a str>,
    /// For an enterprise user: the enterprise it acts for.
    pub org_uscc: Option<&'a str>,
}

/// What the services established about one read of one item (of one record).
#[derive(Debug, Clone, Copy, Default)]
pub struct Grounds<'a> {
    pub subject: &'a str,
    /// The subject's registered region (GB/T 2260), for jurisdiction.
    pub subject_region: Option<&'a str>,
    /// A purpose was stated (and is a known purpose).
    pub purpose_stated: bool,
    /// An active sharing agreement of the reader covers this item and purpose.
    pub agreement_covers: bool,
    /// The active authorization that covers this item, purpose and record, if any.
    pub authorization: Option<&'a str>,
    /// The organisation that provided the record.
    pub record_provider: Option<&'a str>,
    /// The record was repaired (信用修复) and left the public sections.
    pub repaired: bool,
}

/// What happens to the values of one sensitivity level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    Show,
    Mask,
    Withhold,
}

/// Why the reader may read at all (依据), as shown beside the data and kept in the access log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// The subject reads its own data (本企业).
    Subject,
    /// The platform operator (平台运营方).
    Operator,
    /// An institution under its sharing agreement (共享协议).
    Agreement,
    /// An institution under an agreement and the subject's authorization (授权).
    Authorization { id: String },
    /// A government unit within its jurisdiction (辖区).
    Jurisdiction,
    /// A provider reading the record it provided (本单位报送).
    OwnRecord,
    /// No ground: nothing is disclosed.
    None,
}

impl Basis {
    /// The basis in words, as pages and reports show it.
    pub fn label_zh(&self) -> String {
        match self {
            Basis::Subject => "本企业".into(),
            Basis::Operator => "平台运营方".into(),
            Basis::Agreement => "数据共享协议".into(),
            Basis::Authorization { id } => format!("信息主体授权（{id}）"),
            Basis::Jurisdiction => "辖区监管".into(),
            Basis::OwnRecord => "本单位报送".into(),
            Basis::None => "无查询依据".into(),
        }
    }
}

/// The verdict for one item (or one record of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub basis: Basis,
    public: Disclosure,
    restricted: Disclosure,
    authorized: Disclosure,
    internal: Disclosure,
    /// Why something is masked or withheld and how to obtain it; stable code and Chinese text.
    pub notice: Option<Notice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub code: &'static str,
    pub message: String,
}

impl Verdict {
    fn new(basis: Basis, levels: [Disclosure; 4], notice: Option<Notice>) -> Verdict {
        let [public, restricted, authorized, internal] = levels;
        Verdict {
            basis,
            public,
            restricted,
            authorized,
            internal,
            notice,
        }
    }

    fn nothing(code: &'static str, message: impl Into<String>) -> Verdict {
        Verdict::new(
            Basis::None,
            [Disclosure::Withhold; 4],
            Some(Notice {
                code,
                message: message.into(),
            }),
        )
    }

    pub fn for_level(&self, level: Sensitivity) -> Disclosure {
        match level {
            Sensitivity::Public => self.public,
            Sensitivity::Restricted => self.restricted,
            Sensitivity::Authorized => self.authorized,
            Sensitivity::Internal => self.internal,
        }
    }

    /// Whether anything at all is disclosed.
    pub fn discloses_anything(&self) -> bool {
        [self.public, self.restricted, self.authorized, self.internal]
            .iter()
            .any(|d| *d != Disclosure::Withhold)
    }
}

use Disclosure::{Mask, Show, Withhold};

/// The region prefix a jurisdiction covers: `410100` (a city) covers `4101xx`, `410000` (a
/// province) covers `41xxxx`, `410105` (a district) only itself.
pub fn jurisdiction_covers(jurisdiction: &str, region: &str) -> bool {
    let prefix = crate::codes::region::region_prefix(jurisdiction);
    !prefix.is_empty() && region.starts_with(&prefix)
}

/// The access rule (see the module documentation).
pub fn judge(reader: &Reader<'_>, grounds: &Grounds<'_>) -> Verdict {
    let own = reader.role == Role::Enterprise && reader.org_uscc == Some(grounds.subject);
    if own {
        return Verdict::new(Basis::Subject, [Show; 4], None);
    }
    if reader.role == Role::Operator {
        return Verdict::new(
            Basis::Operator,
            [Show, Show, Mask, Show],
            Some(Notice {
                code: "access.operator_masked",
                message: "授权共享信息对平台运营方脱敏显示".into(),
            }),
        );
    }
    if grounds.repaired {
        return Verdict::nothing("access.repaired", "该记录已完成信用修复，不再公示");
    }
    match reader.role {
        Role::Institution => {
            if !grounds.purpose_stated {
                return Verdict::nothing(
                    "access.purpose_required",
                    "须说明查询用途（如贷前调查、贷中审批、贷后管理）",
                );
            }
            if !grounds.agreement_covers {
                return Verdict::nothing(
                    "access.no_agreement",
                    "本机构没有覆盖该信息项和查询用途的有效数据共享协议，请联系平台运营方签订或变更协议",
                );
            }
            match grounds.authorization {
                Some(id) => Verdict::new(
                    Basis::Authorization { id: id.to_owned() },
                    [Show, Show, Show, Withhold],
                    None,
                ),
                None => Verdict::new(
                    Basis::Agreement,
                    [Show, Mask, Withhold, Withhold],
                    Some(Notice {
                        code: "access.authorization_required",
                        message: "有条件共享信息已脱敏，授权共享信息未提供：须取得信息主体对该信息项和查询用途的有效授权（企业可在线授权，或由机构上传书面授权书）".into(),
                    }),
                ),
            }
        }
        Role::Government => {
            let inside = match (reader.region_code, grounds.subject_region) {
                (Some(j), Some(r)) => jurisdiction_covers(j, r),
                _ => false,
            };
            if inside {
                Verdict::new(
                    Basis::Jurisdiction,
                    [Show, Mask, Withhold, Withhold],
                    Some(Notice {
                        code: "access.government_masked",
                        message: "政府部门可查看辖区企业的公开信息，有条件共享信息脱敏显示，授权共享信息不提供".into(),
                    }),
                )
            } else {
                Verdict::nothing("access.outside_jurisdiction", "该企业不在本单位辖区内")
            }
        }
        Role::Provider if grounds.record_provider == Some(reader.org_id) => {
            Verdict::new(Basis::OwnRecord, [Show; 4], None)
        }
        Role::Provider => Verdict::nothing(
            "access.not_own_record",
            "数据提供单位只能查看本单位报送的记录",
        ),
        Role::Enterprise => Verdict::nothing("access.not_own_subject", "企业只能查看本企业的信息"),
        Role::Operator => unreachable!("handled above"),
    }
}

/// One field's value as it leaves the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "disclosure", content = "value", rename_all = "snake_case")]
pub enum Shown {
    Clear(String),
    Masked(String),
    Withheld,
}

impl Shown {
    /// The text any output prints: the value, its mask, or an empty cell.
    pub fn text(&self) -> &str {
        match self {
            Shown::Clear(v) | Shown::Masked(v) => v,
            Shown::Withheld => "",
        }
    }
}

/// Applies `verdict` to one field's value — the only place a value becomes output.
pub fn shape(verdict: &Verdict, field: &Field, value: &str) -> Shown {
    match verdict.for_level(field.sensitivity) {
        Show => Shown::Clear(value.to_owned()),
        Withhold => Shown::Withheld,
        Mask => {
            match masking::mask_value(masking::mask_kind(field), value, field.unit.as_deref()) {
                Some(masked) => Shown::Masked(masked),
                // Nothing to mask to: a restricted value stays (it names no one and tells no
                // amount); an authorized one is withheld.
                None if field.sensitivity <= Sensitivity::Restricted => {
                    Shown::Clear(value.to_owned())
                }
                None => Shown::Withheld,
            }
        }
    }
}

/// The mask kind of a field, re-exported for outputs that explain masking.
pub fn mask_kind(field: &Field) -> MaskKind {
    masking::mask_kind(field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::builtin;
    use proptest::prelude::*;

    const SUBJECT: &str = "91410100MA44XPMU3B";

    fn reader(role: Role) -> Reader<'static> {
        Reader {
            role,
            org_id: "org-1",
            region_code: Some("410100"),
            org_uscc: None,
        }
    }

    fn grounds() -> Grounds<'static> {
        Grounds {
            subject: SUBJECT,
            subject_region: Some("410105"),
            purpose_stated: true,
            agreement_covers: true,
            authorization: None,
            record_provider: Some("prov-1"),
            repaired: false,
        }
    }

    fn role_strategy() -> impl Strategy<Value = Role> {
        prop::sample::select(Role::ALL.to_vec())
    }

    proptest! {
        /// The promise of the issue: without an active authorization no 授权共享 value leaves in
        /// clear, whoever reads (but the subject and the record's own provider), whatever else
        /// holds, for every field of the catalogue.
        #[test]
        fn authorized_fields_never_leave_in_clear_without_authorization(
            role in role_strategy(),
            purpose in any::<bool>(),
            agreement in any::<bool>(),
            repaired in any::<bool>(),
            inside in any::<bool>(),
            field_index in 0usize..10_000,
            value in "[0-9A-Za-z\u{4e00}-\u{9fa5}]{6,20}",
        ) {
            let fields: Vec<&Field> = builtin().items.iter().flat_map(|i| i.fields.iter())
                .filter(|f| f.sensitivity == Sensitivity::Authorized).collect();
            let field = fields[field_index % fields.len()];
            let r = Reader { region_code: Some(if inside { "410100" } else { "420100" }), ..reader(role) };
            let g = Grounds { purpose_stated: purpose, agreement_covers: agreement, repaired, authorization: None, record_provider: Some("someone-else"), ..grounds() };
            let shown = shape(&judge(&r, &g), field, &value);
            prop_assert_ne!(shown, Shown::Clear(value.clone()));
        }

        /// Nothing at all leaves without a ground: an institution without agreement or purpose,
        /// a government unit outside its jurisdiction, another enterprise.
        #[test]
        fn no_ground_no_data(role in role_strategy(), purpose in any::<bool>(), agreement in any::<bool>()) {
            let r = Reader { region_code: Some("420100"), org_uscc: Some("91110000000000000X"), ..reader(role) };
            let g = Grounds { purpose_stated: purpose, agreement_covers: agreement, record_provider: Some("x"), ..grounds() };
            let v = judge(&r, &g);
            let grounded = role == Role::Operator || (role == Role::Institution && purpose && agreement);
            prop_assert_eq!(v.discloses_anything(), grounded);
        }
    }

    #[test]
    fn the_table_of_the_module_documentation() {
        let levels = |v: &Verdict| {
            [
                Sensitivity::Public,
                Sensitivity::Restricted,
                Sensitivity::Authorized,
                Sensitivity::Internal,
            ]
            .map(|l| v.for_level(l))
        };
        let own = Reader {
            org_uscc: Some(SUBJECT),
            ..reader(Role::Enterprise)
        };
        assert_eq!(levels(&judge(&own, &grounds())), [Show; 4]);
        assert_eq!(
            levels(&judge(&reader(Role::Operator), &grounds())),
            [Show, Show, Mask, Show]
        );
        let authorized = Grounds {
            authorization: Some("a-1"),
            ..grounds()
        };
        let v = judge(&reader(Role::Institution), &authorized);
        assert_eq!(levels(&v), [Show, Show, Show, Withhold]);
        assert_eq!(v.basis, Basis::Authorization { id: "a-1".into() });
        assert_eq!(
            levels(&judge(&reader(Role::Institution), &grounds())),
            [Show, Mask, Withhold, Withhold]
        );
        assert_eq!(
            levels(&judge(&reader(Role::Government), &grounds())),
            [Show, Mask, Withhold, Withhold]
        );
        let outside = Reader {
            region_code: Some("420100"),
            ..reader(Role::Government)
        };
        assert_eq!(
            judge(&outside, &grounds()).notice.unwrap().code,
            "access.outside_jurisdiction"
        );
        let provider = Reader {
            org_id: "prov-1",
            ..reader(Role::Provider)
        };
        assert_eq!(levels(&judge(&provider, &grounds())), [Show; 4]);
        let repaired = Grounds {
            repaired: true,
            ..grounds()
        };
        assert!(!judge(&reader(Role::Institution), &repaired).discloses_anything());
        assert!(judge(&own, &repaired).discloses_anything());
        let no_purpose = Grounds {
            purpose_stated: false,
            ..grounds()
        };
        assert_eq!(
            judge(&reader(Role::Institution), &no_purpose)
                .notice
                .unwrap()
                .code,
            "access.purpose_required"
        );
    }

    #[test]
    fn jurisdictions_cover_their_regions() {
        assert!(jurisdiction_covers("410100", "410105"));
        assert!(jurisdiction_covers("410000", "419001"));
        assert!(jurisdiction_covers("410105", "410105"));
        assert!(!jurisdiction_covers("410105", "410104"));
        assert!(!jurisdiction_covers("410100", "420105"));
    }
}
