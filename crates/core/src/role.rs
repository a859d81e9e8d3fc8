//! Roles (角色) and organisation kinds (机构类型) — who may do what is decided from these.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The five kinds of organisation on the platform; every user belongs to exactly one organisation,
/// and a user's role is the kind of its organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 平台运营方 — manages catalogue, organisations and agreements; audits.
    Operator,
    /// 政府部门 / 县区 — sees its jurisdiction: dashboards, white-list recommendation, policies, funds.
    Government,
    /// 数据提供单位 — uploads batches or registers its API.
    Provider,
    /// 接入机构 — banks, insurers, guarantors and credit agencies.
    Institution,
    /// 企业 / 信息主体 — the enterprise the data is about.
    Enterprise,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Operator,
        Role::Government,
        Role::Provider,
        Role::Institution,
        Role::Enterprise,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Government => "government",
            Role::Provider => "provider",
            Role::Institution => "institution",
            Role::Enterprise => "enterprise",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Operator => "平台运营方",
            Role::Government => "政府部门",
            Role::Provider => "数据提供单位",
            Role::Institution => "接入机构",
            Role::Enterprise => "企业",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::Operator => "Operator",
            Role::Government => "Government",
            Role::Provider => "Data provider",
            Role::Institution => "Institution",
            Role::Enterprise => "Enterprise",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text is not one of the five role codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知角色：{0}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// What kind of institution an 接入机构 is; products and reports differ by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    /// 银行
    Bank,
    /// 融资担保机构
    Guarantor,
    /// 保险机构
    Insurer,
    /// 征信机构 / 信用服务机构
    CreditAgency,
}

impl InstitutionKind {
    pub fn code(self) -> &'static str {
        match self {
            InstitutionKind::Bank => "bank",
            InstitutionKind::Guarantor => "guarantor",
            InstitutionKind::Insurer => "insurer",
            InstitutionKind::CreditAgency => "credit_agency",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            InstitutionKind::Bank,
            InstitutionKind::Guarantor,
            InstitutionKind::Insurer,
            InstitutionKind::CreditAgency,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>().unwrap(), role);
        }
        assert!("admin".parse::<Role>().is_err());
    }
}
