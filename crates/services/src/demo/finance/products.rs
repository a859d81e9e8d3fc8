//! Demo products (金融产品): two to four per institution, written through the product services
//! (create, submit, approve or reject), covering every kind and scenario with varied ranges and
//! eligibility — some for white-listed or green enterprises only, some from grade B+ up, some
//! excluding dishonest debtors, some limited to the institution's region. Most are listed; one
//! waits for review and one was rejected with a reason. Deterministic from the seed.

use crate::error::ServiceResult;
use crate::finance::products::{self, ProductInput, status};
use crate::identity::Principal;
use crate::platform::Platform;
use xinrong_core::codes::size_class::SizeClass;
use xinrong_core::finance::eligibility::Eligibility;
use xinrong_core::finance::product::{GuaranteeType as G, ProductKind as K, Scenario as S};
use xinrong_core::role::{InstitutionKind, Role};
use xinrong_store::repo::organizations;

const WAN: i64 = 1_000_000;

struct Template {
    name: &'static str,
    kind: K,
    scenarios: &'static [S],
    description: &'static str,
    amount_wan: (i64, i64),
    term: (u32, u32),
    rate_bp: (u32, u32),
    guarantees: &'static [G],
    items: &'static [&'static str],
    purpose: &'static str,
    rule: fn(region: &str) -> Eligibility,
}

fn open(_: &str) -> Eligibility {
    Eligibility::default()
}

fn grade_b_plus_honest(_: &str) -> Eligibility {
    Eligibility {
        min_grade: Some("B+".into()),
        excluded_tags: vec!["dishonest_debtor".into()],
        ..Eligibility::default()
    }
}

fn tech(_: &str) -> Eligibility {
    Eligibility {
        min_grade: Some("B".into()),
        required_tags: vec!["high_tech".into()],
        excluded_tags: vec!["dishonest_debtor".into()],
        ..Eligibility::default()
    }
}

fn green(_: &str) -> Eligibility {
    Eligibility {
        green_required: true,
        excluded_tags: vec!["serious_violation".into()],
        ..Eligibility::default()
    }
}

fn agri(region: &str) -> Eligibility {
    Eligibility {
        industries: vec!["A".into()],
        regions: vec![region.to_owned()],
        ..Eligibility::default()
    }
}

fn whitelist(region: &str) -> Eligibility {
    Eligibility {
        whitelist_required: true,
        regions: vec![region.to_owned()],
        ..Eligibility::default()
    }
}

fn small_honest(_: &str) -> Eligibility {
    Eligibility {
        size_classes: vec![SizeClass::Small, SizeClass::Micro],
        excluded_tags: vec!["dishonest_debtor".into()],
        min_age_months: Some(12),
        ..Eligibility::default()
    }
}

fn supply(_: &str) -> Eligibility {
    Eligibility {
        min_grade: Some("B".into()),
        min_age_months: Some(24),
        ..Eligibility::default()
    }
}

const TAX: &[&str] = &["tax.tax_credit_rating", "tax.tax_payment_statistics"];

const BANK: &[Template] = &[
    Template {
        name: "信易贷·信用快贷",
        kind: K::CreditLoan,
        scenarios: &[S::Bidding, S::GovProcurement],
        description: "纯信用、线上申请，凭纳税和中标记录授信，随借随还。",
        amount_wan: (10, 300),
        term: (3, 36),
        rate_bp: (365, 600),
        guarantees: &[G::Credit],
        items: TAX,
        purpose: "pre_loan",
        rule: grade_b_plus_honest,
    },
    Template {
        name: "科技贷",
        kind: K::CreditLoan,
        scenarios: &[S::Tech],
        description: "面向高新技术企业的信用贷款，知识产权可作增信。",
        amount_wan: (50, 1000),
        term: (6, 36),
        rate_bp: (345, 550),
        guarantees: &[G::Credit, G::Guarantee, G::Pledge],
        items: &["tax.tax_credit_rating", "intellectual_property.patents"],
        purpose: "pre_loan",
        rule: tech,
    },
    Template {
        name: "绿色信贷",
        kind: K::MortgageLoan,
        scenarios: &[S::Green],
        description: "支持节能环保、清洁能源项目，利率优惠。",
        amount_wan: (100, 5000),
        term: (12, 120),
        rate_bp: (330, 490),
        guarantees: &[G::Mortgage, G::Pledge],
        items: &["environment.env_credit_rating", "tax.tax_credit_rating"],
        purpose: "pre_loan",
        rule: green,
    },
    Template {
        name: "惠农e贷",
        kind: K::CreditLoan,
        scenarios: &[S::Agri],
        description: "面向本地农业经营主体，用于农资采购和季节性生产。",
        amount_wan: (5, 100),
        term: (3, 24),
        rate_bp: (400, 650),
        guarantees: &[G::Credit, G::Guarantee],
        items: &["agriculture.entity_basic_info", "agriculture.agri_subsidy"],
        purpose: "pre_loan",
        rule: agri,
    },
    Template {
        name: "白名单专享贷",
        kind: K::CreditLoan,
        scenarios: &[S::DevZone, S::Commercial],
        description: "纳入融资白名单的园区及商圈企业专享，审批从快。",
        amount_wan: (20, 500),
        term: (6, 36),
        rate_bp: (350, 520),
        guarantees: &[G::Credit],
        items: TAX,
        purpose: "loan_approval",
        rule: whitelist,
    },
    Template {
        name: "供应链e贷",
        kind: K::SupplyChain,
        scenarios: &[S::SupplyChain],
        description: "凭核心企业确认的应付账款融资，额度随订单循环使用。",
        amount_wan: (10, 2000),
        term: (1, 12),
        rate_bp: (380, 600),
        guarantees: &[G::Credit, G::Pledge],
        items: &[
            "contract_performance.contract_records",
            "tax.tax_filing_details",
        ],
        purpose: "pre_loan",
        rule: supply,
    },
    Template {
        name: "商票贴现",
        kind: K::Bill,
        scenarios: &[S::SupplyChain],
        description: "商业承兑汇票贴现，当日到账。",
        amount_wan: (10, 1000),
        term: (1, 12),
        rate_bp: (180, 350),
        guarantees: &[G::Pledge],
        items: &["tax.tax_credit_rating"],
        purpose: "pre_loan",
        rule: open,
    },
];

const GUARANTOR: &[Template] = &[
    Template {
        name: "创业担保贷",
        kind: K::GuaranteedLoan,
        scenarios: &[S::Commercial],
        description: "政府性融资担保，财政贴息，支持小微企业创业。",
        amount_wan: (5, 300),
        term: (12, 36),
        rate_bp: (385, 500),
        guarantees: &[G::Guarantee],
        items: &[
            "social_insurance.pension_payment_statistics",
            "tax.tax_credit_rating",
        ],
        purpose: "guarantee_review",
        rule: small_honest,
    },
    Template {
        name: "政采贷担保",
        kind: K::GuaranteedLoan,
        scenarios: &[S::GovProcurement, S::Bidding],
        description: "凭政府采购合同或中标通知书提供担保，担保费率优惠。",
        amount_wan: (10, 1000),
        term: (3, 12),
        rate_bp: (200, 300),
        guarantees: &[G::Guarantee],
        items: &["public_resource_trading.public_resource_transactions"],
        purpose: "guarantee_review",
        rule: grade_b_plus_honest,
    },
];

const INSURER: &[Template] = &[
    Template {
        name: "贷款保证保险",
        kind: K::Insurance,
        scenarios: &[S::Tech, S::Agri],
        description: "为小微企业贷款提供保证保险增信。",
        amount_wan: (10, 500),
        term: (12, 36),
        rate_bp: (100, 300),
        guarantees: &[G::Credit],
        items: &["tax.tax_credit_rating"],
        purpose: "insurance_underwriting",
        rule: grade_b_plus_honest,
    },
    Template {
        name: "农业保险保单融资",
        kind: K::Insurance,
        scenarios: &[S::Agri],
        description: "以农业保险保单增信，帮助农户获得贷款。",
        amount_wan: (5, 200),
        term: (6, 24),
        rate_bp: (120, 260),
        guarantees: &[G::Pledge, G::Credit],
        items: &["agriculture.agri_insurance"],
        purpose: "insurance_underwriting",
        rule: agri,
    },
];

const AGENCY: &[Template] = &[Template {
    name: "开发区信用融资撮合",
    kind: K::Other,
    scenarios: &[S::DevZone],
    description: "为开发区企业对接多家银行，出具信用报告。",
    amount_wan: (10, 1000),
    term: (3, 36),
    rate_bp: (350, 800),
    guarantees: &[G::Credit, G::Guarantee, G::Mortgage],
    items: &["tax.tax_credit_rating"],
    purpose: "credit_service",
    rule: open,
}];

fn input(t: &Template, region: &str) -> ProductInput {
    ProductInput {
        name: t.name.to_owned(),
        kind: t.kind,
        scenarios: t.scenarios.to_vec(),
        description: t.description.to_owned(),
        amount_min_fen: t.amount_wan.0 * WAN,
        amount_max_fen: t.amount_wan.1 * WAN,
        term_min_months: t.term.0,
        term_max_months: t.term.1,
        rate_min_bp: t.rate_bp.0,
        rate_max_bp: t.rate_bp.1,
        guarantee_types: t.guarantees.to_vec(),
        eligibility: (t.rule)(region),
        required_items: t.items.iter().map(|s| (*s).to_owned()).collect(),
        purpose_code: t.purpose.to_owned(),
    }
}

/// What happens to a demo product after it is created.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Listed,
    Pending,
    Rejected,
}

pub(super) async fn seed(platform: &Platform, seed: u64) -> ServiceResult<()> {
    let conn = &platform.db.conn;
    let mut operator = products::cli_principal(platform, None).await?;
    operator.user_id = "demo".into();
    let mut orgs = organizations::list(conn, Some(Role::Institution.code())).await?;
    orgs.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let offset = (seed % BANK.len() as u64) as usize;
    let mut bank_no = 0usize;
    let (mut pending_done, mut rejected_done) = (false, false);
    for org in orgs {
        let region: String = org
            .region_code
            .clone()
            .unwrap_or_else(|| "41".into())
            .chars()
            .take(4)
            .collect();
        let kind = org.institution_kind.as_deref().unwrap_or_default();
        let picks: Vec<&Template> = if kind == InstitutionKind::Bank.code() {
            let n = 2 + (bank_no + offset) % 2; // two or three
            let start = (bank_no * 2 + offset) % BANK.len();
            bank_no += 1;
            (0..n).map(|k| &BANK[(start + k) % BANK.len()]).collect()
        } else if kind == InstitutionKind::Guarantor.code() {
            GUARANTOR.iter().collect()
        } else if kind == InstitutionKind::Insurer.code() {
            INSURER.iter().collect()
        } else {
            AGENCY.iter().collect()
        };
        let p = Principal {
            user_id: "demo".into(),
            username: "demo".into(),
            display_name: "演示".into(),
            org_id: org.id.clone(),
            org_name: org.name.clone(),
            role: Role::Institution,
            region_code: org.region_code.clone(),
            org_uscc: org.uscc.clone(),
        };
        for t in picks {
            let fate = if !pending_done && kind == InstitutionKind::Guarantor.code() {
                pending_done = true;
                Fate::Pending
            } else if !rejected_done && kind == InstitutionKind::Bank.code() && bank_no == 2 {
                rejected_done = true;
                Fate::Rejected
            } else {
                Fate::Listed
            };
            let v = products::create(platform, &p, input(t, &region)).await?;
            if v.status != status::DRAFT {
                continue; // seeded before
            }
            products::submit(platform, &p, &v.id).await?;
            match fate {
                Fate::Listed => {
                    products::approve(platform, &operator, &v.id).await?;
                }
                Fate::Rejected => {
                    products::reject(
                        platform,
                        &operator,
                        &v.id,
                        "请补充利率定价依据和还款方式说明后重新提交",
                    )
                    .await?;
                }
                Fate::Pending => {}
            }
        }
    }
    Ok(())
}
