//! The demo city's organisations and logins: the operator, government units for the city and
//! each district, one provider per source unit of the catalogue, banks, guarantors, an insurer, a
//! credit agency, and a few enterprises.

use crate::error::ServiceResult;
use crate::identity::NewOrganization;
use crate::identity::NewUser;
use crate::platform::Platform;
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::ids;
use xinrong_core::role::{InstitutionKind, Role};
use xinrong_store::repo::enterprises::EnterpriseRow;
use xinrong_store::repo::organizations::OrganizationRow;
use xinrong_store::repo::users::UserRow;

use super::DemoCredential;
use super::city::gb11714_check;

pub const DEMO_PASSWORD_PREFIX: &str = "Demo-";

/// Source units named in the catalogue reference (责任单位 / 信息来源单位), as a city has them.
/// `{c}` is replaced by the city's name (e.g. 郑州市), `{s}` by its short name (郑州).
const PROVIDERS: &[(&str, &str)] = &[
    ("market", "{c}市场监督管理局"),
    ("tax", "国家税务总局{c}税务局"),
    ("court", "{c}中级人民法院"),
    ("hrss", "{c}人力资源和社会保障局"),
    ("medins", "{c}医疗保障局"),
    ("housingfund", "{c}住房公积金管理中心"),
    ("ecology", "{c}生态环境局"),
    ("customs", "{s}海关"),
    ("natres", "{c}自然资源和规划局"),
    ("agri", "{c}农业农村局"),
    ("science", "{c}科学技术局"),
    ("industry", "{c}工业和信息化局"),
    ("trading", "{c}公共资源交易中心"),
    ("health", "{c}卫生健康委员会"),
    ("civil", "{c}民政局"),
    ("urban", "{c}城市管理局"),
    ("finance", "{c}财政局"),
    ("water", "{s}自来水有限公司"),
    ("power", "国网{s}供电公司"),
    ("gas", "{s}燃气股份有限公司"),
];

const BANKS: &[(&str, &str)] = &[
    ("icbc", "中国工商银行股份有限公司{s}分行"),
    ("abc", "中国农业银行股份有限公司{s}分行"),
    ("boc", "中国银行股份有限公司{s}分行"),
    ("ccb", "中国建设银行股份有限公司{s}分行"),
    ("bocom", "交通银行股份有限公司{s}分行"),
    ("psbc", "中国邮政储蓄银行股份有限公司{s}分行"),
    ("cmb", "招商银行股份有限公司{s}分行"),
    ("citic", "中信银行股份有限公司{s}分行"),
    ("spdb", "上海浦东发展银行股份有限公司{s}分行"),
    ("cib", "兴业银行股份有限公司{s}分行"),
    ("city", "{s}银行股份有限公司"),
    ("rural", "{s}农村商业银行股份有限公司"),
];

const OTHER_INSTITUTIONS: &[(&str, &str, InstitutionKind)] = &[
    (
        "guarantee",
        "{s}中小企业融资担保有限公司",
        InstitutionKind::Guarantor,
    ),
    (
        "agriguarantee",
        "{s}农业信贷融资担保有限公司",
        InstitutionKind::Guarantor,
    ),
    (
        "picc",
        "中国人民财产保险股份有限公司{s}市分公司",
        InstitutionKind::Insurer,
    ),
    (
        "credit",
        "{s}信用服务有限公司",
        InstitutionKind::CreditAgency,
    ),
];

/// How many enterprises get a demo login.
const ENTERPRISE_LOGINS: usize = 3;

pub(super) struct Accounts {
    pub accounts: Vec<(OrganizationRow, Option<UserRow>)>,
    pub credentials: Vec<DemoCredential>,
    /// Each demo provider's ID and its key in the source-unit table.
    pub providers: Vec<(String, &'static str)>,
}

/// One password for every demo login of a seed: easy to hand out, printed once.
pub(super) fn demo_password(seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_da7a);
    let letters: String = (0..4)
        .map(|_| *b"abcdefghjkmnpqrstuvwxyz".choose(&mut rng).expect("pool") as char)
        .collect();
    let digits: String = (0..4)
        .map(|_| *b"23456789".choose(&mut rng).expect("pool") as char)
        .collect();
    format!("{DEMO_PASSWORD_PREFIX}{letters}{digits}")
}

struct Builder<'a> {
    platform: &'a Platform,
    seed: u64,
    counter: u64,
    out: Accounts,
    password: &'a str,
    password_hash: &'a str,
}

impl Builder<'_> {
    /// A valid USCC for a demo organisation registered in `region` (91 = enterprise,
    /// 11 = government organ, 12 = public institution).
    fn uscc(&mut self, kind: &str, region: &str) -> String {
        let digits = format!(
            "{:08}",
            (self.seed.wrapping_mul(7_919) + self.counter * 104_729) % 100_000_000
        );
        let body = format!("{kind}{region}{digits}{}", gb11714_check(&digits));
        Uscc::from_body(&body)
            .expect("well-formed demo USCC")
            .as_str()
            .to_owned()
    }

    fn add(&mut self, new: NewOrganization, username: Option<String>) -> ServiceResult<()> {
        self.counter += 1;
        let id = ids::from_seed(self.seed, self.counter).to_string();
        let role = new.role;
        let org = crate::identity::organization_row_for_demo(
            self.platform,
            NewOrganization {
                id: Some(id),
                ..new
            },
        )?;
        let user = match username {
            Some(username) => {
                let row = crate::identity::user_row_for_demo(
                    self.platform,
                    &NewUser {
                        org_id: org.id.clone(),
                        username: username.clone(),
                        display_name: format!("{}演示用户", org.name),
                        password: self.password.to_owned(),
                    },
                    self.password_hash.to_owned(),
                )?;
                self.out.credentials.push(DemoCredential {
                    role: role.code().to_owned(),
                    username,
                    password: self.password.to_owned(),
                    organization: org.name.clone(),
                });
                Some(row)
            }
            None => None,
        };
        self.out.accounts.push((org, user));
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn plan(
    platform: &Platform,
    seed: u64,
    city_code: &str,
    city_name: &str,
    counties: &[(String, u32)],
    password: &str,
    password_hash: &str,
) -> ServiceResult<Accounts> {
    let short = city_name.trim_end_matches('市');
    let fill = |template: &str| template.replace("{c}", city_name).replace("{s}", short);
    let mut b = Builder {
        platform,
        seed,
        counter: 0,
        out: Accounts {
            accounts: Vec::new(),
            credentials: Vec::new(),
            providers: Vec::new(),
        },
        password,
        password_hash,
    };
    let uscc = b.uscc("12", city_code);
    b.add(
        NewOrganization {
            id: None,
            role: Role::Operator,
            name: format!("{short}融资信用服务平台运营中心"),
            uscc: Some(uscc),
            region_code: Some(city_code.to_owned()),
            institution_kind: None,
        },
        Some("operator".to_owned()),
    )?;
    let uscc = b.uscc("11", city_code);
    b.add(
        NewOrganization {
            id: None,
            role: Role::Government,
            name: format!("{city_name}发展和改革委员会"),
            uscc: Some(uscc),
            region_code: Some(city_code.to_owned()),
            institution_kind: None,
        },
        Some("gov".to_owned()),
    )?;
    for (county, _) in counties {
        let county_name = xinrong_core::codes::region::regions()
            .get(county)
            .map(|r| r.name.to_string())
            .unwrap_or_default();
        let uscc = b.uscc("11", county);
        b.add(
            NewOrganization {
                id: None,
                role: Role::Government,
                // A county-level city (县级市) is named on its own; a district or county under
                // the city's name.
                name: if county_name.ends_with('市') {
                    format!("{county_name}发展和改革委员会")
                } else {
                    format!("{city_name}{county_name}发展和改革委员会")
                },
                uscc: Some(uscc),
                region_code: Some(county.clone()),
                institution_kind: None,
            },
            Some(format!("gov-{county}")),
        )?;
    }
    for (key, template) in PROVIDERS {
        let kind = if template.contains("公司") {
            "91"
        } else {
            "11"
        };
        let uscc = b.uscc(kind, city_code);
        b.add(
            NewOrganization {
                id: None,
                role: Role::Provider,
                name: fill(template),
                uscc: Some(uscc),
                region_code: Some(city_code.to_owned()),
                institution_kind: None,
            },
            Some(format!("provider-{key}")),
        )?;
        let id = b.out.accounts.last().expect("just added").0.id.clone();
        b.out.providers.push((id, key));
    }
    for (key, template) in BANKS {
        let uscc = b.uscc("91", city_code);
        b.add(
            NewOrganization {
                id: None,
                role: Role::Institution,
                name: fill(template),
                uscc: Some(uscc),
                region_code: Some(city_code.to_owned()),
                institution_kind: Some(InstitutionKind::Bank),
            },
            Some(format!("bank-{key}")),
        )?;
    }
    for (key, template, kind) in OTHER_INSTITUTIONS {
        let uscc = b.uscc("91", city_code);
        b.add(
            NewOrganization {
                id: None,
                role: Role::Institution,
                name: fill(template),
                uscc: Some(uscc),
                region_code: Some(city_code.to_owned()),
                institution_kind: Some(*kind),
            },
            Some(format!("inst-{key}")),
        )?;
    }
    Ok(b.out)
}

/// Logins for the first few demo enterprises, so the enterprise role can be tried at once.
pub(super) fn enterprise_logins(
    platform: &Platform,
    enterprises: &[EnterpriseRow],
    password: &str,
    password_hash: &str,
) -> ServiceResult<Accounts> {
    let mut b = Builder {
        platform,
        seed: u64::MAX,
        counter: 0,
        out: Accounts {
            accounts: Vec::new(),
            credentials: Vec::new(),
            providers: Vec::new(),
        },
        password,
        password_hash,
    };
    for (i, enterprise) in enterprises.iter().take(ENTERPRISE_LOGINS).enumerate() {
        b.add(
            NewOrganization {
                id: None,
                role: Role::Enterprise,
                name: enterprise.name.clone(),
                uscc: Some(enterprise.uscc.clone()),
                region_code: Some(enterprise.region_code.clone()),
                institution_kind: None,
            },
            Some(format!("ent-{}", i + 1)),
        )?;
    }
    Ok(b.out)
}
