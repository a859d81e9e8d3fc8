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
    /// 更新频率: how often the source unit is expected to send new data; data quality judges
    /// freshness against it.
    pub update_frequency: UpdateFrequency,
    /// How grave an adverse record of this item is (严重程度), for events and warnings; only
    /// negative items carry one.
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub docs: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// 自愿填报: the enterprise itself may declare records of this item, under a credit
    /// commitment (信用承诺); such records are labelled as self-declared wherever shown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub self_reportable: bool,
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
    /// A date or month that may lie after today (有效期至, 营业期限至, 截止日期 …); other dates
    /// in the future are refused.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_future: bool,
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

/// 严重程度 of an adverse item: what a new record of it means for warnings and evaluation.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// 一般: e.g. arrears of a fee, a failed random inspection.
    Minor,
    /// 较重: e.g. administrative penalties, tax arrears, abnormal operation listing.
    Major,
    /// 严重: e.g. 失信被执行人, 严重违法失信, bankruptcy.
    Serious,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Serious => "serious",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Minor => "一般",
            Severity::Major => "较重",
            Severity::Serious => "严重",
        }
    }
}

/// 更新频率 (expected update frequency) of an item.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UpdateFrequency {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    /// 随变随报: sent when something happens (a decision, a registration, a change), so a
    /// quiet provider is not a stale one.
    OnChange,
}

impl UpdateFrequency {
    pub const ALL: [UpdateFrequency; 6] = [
        UpdateFrequency::Daily,
        UpdateFrequency::Weekly,
        UpdateFrequency::Monthly,
        UpdateFrequency::Quarterly,
        UpdateFrequency::Yearly,
        UpdateFrequency::OnChange,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UpdateFrequency::Daily => "daily",
            UpdateFrequency::Weekly => "weekly",
            UpdateFrequency::Monthly => "monthly",
            UpdateFrequency::Quarterly => "quarterly",
            UpdateFrequency::Yearly => "yearly",
            UpdateFrequency::OnChange => "on_change",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            UpdateFrequency::Daily => "每日",
            UpdateFrequency::Weekly => "每周",
            UpdateFrequency::Monthly => "每月",
            UpdateFrequency::Quarterly => "每季度",
            UpdateFrequency::Yearly => "每年",
            UpdateFrequency::OnChange => "随变随报",
        }
    }

    /// The longest gap, in days, between two batches that still counts as on schedule; `None`
    /// for [`UpdateFrequency::OnChange`], which is never late.
    pub fn period_days(self) -> Option<i64> {
        match self {
            UpdateFrequency::Daily => Some(1),
            UpdateFrequency::Weekly => Some(7),
            UpdateFrequency::Monthly => Some(31),
            UpdateFrequency::Quarterly => Some(92),
            UpdateFrequency::Yearly => Some(366),
            UpdateFrequency::OnChange => None,
        }
    }
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
