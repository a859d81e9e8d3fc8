//! The catalogue's types. Field and variant names follow the TOML files.

use serde::{Deserialize, Serialize};

/// A whole catalogue version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    pub version: u32,
    pub title: String,
    pub published: String,
    pub sections: Vec<Section>,
    #[serde(default)]
    pub items: Vec<Item>,
}

/// 信息种类 (category).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    pub key: String,
    pub label: String,
    pub order: u32,
}

/// 信息项 (item): one kind of record about a subject.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    /// `section.item`, e.g. `housing_fund.deposit_statistics_12m`.
    pub key: String,
    pub label: String,
    pub section: String,
    /// 物理归集 (push) and/or 接口调用 (pull).
    pub modes: Vec<Mode>,
    /// 责任单位 / 信息来源单位 as the policy texts name them.
    #[serde(default)]
    pub source_units: Vec<String>,
    /// Field(s) naming the information subject (信息主体): a USCC, or an ID number.
    pub subject_fields: Vec<String>,
    /// Fields identifying one record of the item for one subject.
    pub natural_key: Vec<String>,
    pub polarity: Polarity,
    #[serde(default)]
    pub docs: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub fields: Vec<Field>,
}

impl Item {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Field {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default)]
    pub required: bool,
    pub sensitivity: Sensitivity,
    #[serde(default)]
    pub code_table: Option<CodeTable>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// 物理归集: the provider pushes, the platform stores.
    Push,
    /// 接口调用: the platform calls the provider's API with the subject's authorization.
    Pull,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// Adverse information (失信, 处罚, 欠税 …): feeds warnings and lowers evaluations.
    Negative,
    /// Favourable information (荣誉, 资质 …).
    Positive,
    Neutral,
}

/// 分级分类 (sensitivity level) of a field.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    /// 公开: published by law.
    Public,
    /// 有条件共享: masked or summarised unless authorised.
    Restricted,
    /// 授权共享: only with the subject's authorization.
    Authorized,
    /// 不对外: never leaves the platform.
    Internal,
}

impl Sensitivity {
    pub fn label_zh(self) -> &'static str {
        match self {
            Sensitivity::Public => "公开",
            Sensitivity::Restricted => "有条件共享",
            Sensitivity::Authorized => "授权共享",
            Sensitivity::Internal => "不对外",
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    String,
    Date,
    /// A month, `YYYY-MM`.
    Month,
    /// An exact decimal (amounts are never floating point).
    Decimal,
    Integer,
    Boolean,
    Enum,
    /// A standardised identifier or classification code.
    Code,
    /// A sub-record the texts do not itemise.
    Object,
    /// Repeating sub-records.
    Array,
}

/// The national code a field's values must satisfy.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodeTable {
    Uscc,
    ResidentId,
    Region,
    Industry,
}
