//! The model file (`models/evaluation/vN.toml`): its TOML shape, and the checks that turn it into
//! a compiled [`Model`].

use super::select::{
    Codes, Compiler, Dispatch, RawCondition, Selector, SelectorSpec, Ty, threshold,
};
use super::{Grade, GradeCap, ModelError};
use crate::catalog::{Catalog, Sensitivity};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

pub(crate) const CODES: Codes = Codes {
    unknown_item: "evaluation.model_unknown_item",
    unknown_field: "evaluation.model_unknown_field",
    invalid: "evaluation.model_indicator",
};
const SYNTAX: &str = "evaluation.model_syntax";
const WEIGHTS: &str = "evaluation.model_weights";
const GRADES: &str = "evaluation.model_grades";
const DUPLICATE: &str = "evaluation.model_duplicate";
const POINTS: &str = "evaluation.model_points";
const RULES: &str = "evaluation.model_rules";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    version: u32,
    name: String,
    published: String,
    rules: RawRules,
    dimensions: Vec<RawDimension>,
    grades: Vec<RawGrade>,
    #[serde(default)]
    caps: Vec<RawCap>,
    indicators: Vec<RawIndicator>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCap {
    indicator: String,
    max_points: u32,
    grade: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    objection_pending: Treatment,
    repaired: Treatment,
    self_declared_percent: u32,
}

/// How records under a pending objection, or repaired, count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Treatment {
    /// An adverse record is not counted; other records count.
    ExcludeAdverse,
    /// Counted like any other record.
    Count,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    key: String,
    label: String,
    weight: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    symbol: String,
    label: String,
    min_score: u32,
    meaning: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    Exists,
    Count,
    Latest,
    Number,
    Flag,
    Age,
    Master,
}

impl RawKind {
    fn name(self) -> &'static str {
        match self {
            RawKind::Exists => "exists",
            RawKind::Count => "count",
            RawKind::Latest => "latest",
            RawKind::Number => "number",
            RawKind::Flag => "flag",
            RawKind::Age => "age",
            RawKind::Master => "master",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    min: toml::Value,
    points: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    key: String,
    label: String,
    dimension: String,
    weight: u32,
    kind: RawKind,
    #[serde(default)]
    items: Vec<String>,
    #[serde(default, rename = "where")]
    all: Vec<RawCondition>,
    #[serde(default)]
    where_any: Vec<RawCondition>,
    date_field: Option<String>,
    window_months: Option<u32>,
    latest_by: Option<String>,
    field: Option<String>,
    present: Option<u32>,
    absent: Option<u32>,
    bands: Option<Vec<RawBand>>,
    map: Option<BTreeMap<String, u32>>,
    other: Option<u32>,
    if_true: Option<u32>,
    if_false: Option<u32>,
    missing: Option<u32>,
    neutral: u32,
    text: String,
    text_yes: Option<String>,
    text_no: Option<String>,
    missing_text: Option<String>,
}

/// Points by bands of a value: the band with the greatest `min` not above the value; values below
/// the first band's `min` get the first band's points.
#[derive(Debug, Clone)]
pub(crate) struct Bands(Vec<(i128, u32)>);

impl Bands {
    pub fn points(&self, value: i128) -> u32 {
        let mut points = self.0[0].1;
        for &(min, p) in &self.0 {
            if value >= min {
                points = p;
            } else {
                break;
            }
        }
        points
    }
}

/// Master data an indicator of kind `master` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MasterField {
    /// 注册资本, bands in 万元.
    RegisteredCapital,
    /// 从业人数.
    Employees,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Exists {
        present: u32,
        absent: u32,
    },
    Count {
        bands: Bands,
    },
    Latest {
        field: String,
        map: HashMap<String, u32>,
        other: u32,
    },
    Number {
        field: String,
        ty: Ty,
        bands: Bands,
    },
    Flag {
        field: String,
        if_true: u32,
        if_false: u32,
    },
    Age {
        bands: Bands,
    },
    Master {
        field: MasterField,
        bands: Bands,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Dimension {
    pub key: String,
    pub label: String,
    pub weight: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Indicator {
    pub key: String,
    pub label: String,
    pub dimension: usize,
    pub weight: u32,
    pub kind: Kind,
    pub selector: Option<Selector>,
    pub missing: u32,
    pub neutral: u32,
    pub text: String,
    pub text_yes: Option<String>,
    pub text_no: Option<String>,
    pub missing_text: String,
    pub item_keys: Vec<String>,
    pub sensitivity: Sensitivity,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    pub objection_pending: Treatment,
    pub repaired: Treatment,
    pub self_declared_percent: u32,
}

/// One validated, compiled version of the evaluation model.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) version: u32,
    pub(crate) name: String,
    pub(crate) published: String,
    pub(crate) rules: Rules,
    pub(crate) dimensions: Vec<Dimension>,
    pub(crate) indicators: Vec<Indicator>,
    pub(crate) grades: Vec<Grade>,
    pub(crate) caps: Vec<GradeCap>,
    /// Per cap: (indicator index, grade index).
    pub(crate) cap_index: Vec<(usize, usize)>,
    pub(crate) inputs: BTreeMap<String, Vec<String>>,
    pub(crate) dispatch: Dispatch,
}

fn check_points(owner: &str, what: &str, points: u32) -> Result<u32, ModelError> {
    if points > 100 {
        return Err(ModelError::new(
            POINTS,
            format!("“{owner}”的{what}为 {points}，应在 0 到 100 之间"),
        ));
    }
    Ok(points)
}

fn require<T: Copy>(owner: &str, name: &str, value: Option<T>) -> Result<T, ModelError> {
    value.ok_or_else(|| ModelError::new(CODES.invalid, format!("“{owner}”缺少参数 {name}")))
}

fn forbid(owner: &str, kind: RawKind, present: &[(&str, bool)]) -> Result<(), ModelError> {
    match present.iter().find(|(_, p)| *p) {
        Some((name, _)) => Err(ModelError::new(
            CODES.invalid,
            format!("“{owner}”的类型 {} 不使用参数 {name}", kind.name()),
        )),
        None => Ok(()),
    }
}

/// A text template may hold `{v}` (the observed value) and nothing else in braces; the missing
/// text has no value to show.
fn check_template(owner: &str, name: &str, text: &str, value: bool) -> Result<(), ModelError> {
    let rest = if value {
        text.replace("{v}", "")
    } else {
        text.to_owned()
    };
    if rest.contains(['{', '}']) {
        let allowed = if value {
            "只能使用占位符 {v}"
        } else {
            "不能使用占位符"
        };
        return Err(ModelError::new(
            CODES.invalid,
            format!("“{owner}”的说明文字 {name}“{text}”{allowed}"),
        ));
    }
    Ok(())
}

fn bands(
    owner: &str,
    raw: Option<&Vec<RawBand>>,
    parse: impl Fn(&toml::Value) -> Option<i128>,
) -> Result<Bands, ModelError> {
    let raw =
        raw.ok_or_else(|| ModelError::new(CODES.invalid, format!("“{owner}”缺少参数 bands")))?;
    if raw.is_empty() {
        return Err(ModelError::new(
            CODES.invalid,
            format!("“{owner}”的 bands 不能为空"),
        ));
    }
    let mut out: Vec<(i128, u32)> = Vec::with_capacity(raw.len());
    for band in raw {
        let min = parse(&band.min).ok_or_else(|| {
            ModelError::new(
                CODES.invalid,
                format!("“{owner}”的分档下限 {:?} 不是有效数值", band.min),
            )
        })?;
        if out.last().is_some_and(|(prev, _)| *prev >= min) {
            return Err(ModelError::new(
                CODES.invalid,
                format!("“{owner}”的分档 bands 应按 min 严格递增排列"),
            ));
        }
        out.push((min, check_points(owner, "分档分值", band.points)?));
    }
    Ok(Bands(out))
}

fn integer(value: &toml::Value) -> Option<i128> {
    value.as_integer().map(i128::from)
}

impl Model {
    /// Parses and validates a model file against a catalogue. Every problem is reported with a
    /// stable code and a Chinese message naming the culprit.
    pub fn from_toml(text: &str, catalog: &Catalog) -> Result<Model, ModelError> {
        let raw: RawModel = toml::from_str(text).map_err(|e| {
            ModelError::new(SYNTAX, format!("评价模型文件格式错误：{}", e.message()))
        })?;
        if raw.version == 0 {
            return Err(ModelError::new(SYNTAX, "评价模型版本号 version 应为正整数"));
        }
        if raw.rules.self_declared_percent > 100 {
            return Err(ModelError::new(
                RULES,
                format!(
                    "规则 self_declared_percent 为 {}，应在 0 到 100 之间",
                    raw.rules.self_declared_percent
                ),
            ));
        }

        // Dimensions.
        let mut dimensions: Vec<Dimension> = Vec::with_capacity(raw.dimensions.len());
        for d in &raw.dimensions {
            if dimensions.iter().any(|x| x.key == d.key) {
                return Err(ModelError::new(
                    DUPLICATE,
                    format!("维度“{}”重复定义", d.key),
                ));
            }
            dimensions.push(Dimension {
                key: d.key.clone(),
                label: d.label.clone(),
                weight: d.weight,
            });
        }
        if dimensions.is_empty() {
            return Err(ModelError::new(WEIGHTS, "评价模型未定义任何维度"));
        }
        let total: u32 = dimensions.iter().map(|d| d.weight).sum();
        if total != 1000 {
            return Err(ModelError::new(
                WEIGHTS,
                format!("各维度权重之和为 {total}‰，应为 1000‰"),
            ));
        }

        // Grades.
        let mut grades: Vec<Grade> = Vec::with_capacity(raw.grades.len());
        for g in &raw.grades {
            if grades.iter().any(|x| x.symbol == g.symbol) {
                return Err(ModelError::new(
                    DUPLICATE,
                    format!("信用等级“{}”重复定义", g.symbol),
                ));
            }
            if g.min_score > 1000 {
                return Err(ModelError::new(
                    GRADES,
                    format!("信用等级“{}”的最低分 {} 超过 1000", g.symbol, g.min_score),
                ));
            }
            if let Some(prev) = grades.last()
                && prev.min_score <= g.min_score
            {
                return Err(ModelError::new(
                    GRADES,
                    format!(
                        "信用等级应按最低分从高到低排列：“{}”（{}）不低于前一等级“{}”（{}）",
                        g.symbol, g.min_score, prev.symbol, prev.min_score
                    ),
                ));
            }
            grades.push(Grade {
                symbol: g.symbol.clone(),
                label: g.label.clone(),
                min_score: g.min_score,
                meaning: g.meaning.clone(),
            });
        }
        match grades.last() {
            None => return Err(ModelError::new(GRADES, "评价模型未定义任何信用等级")),
            Some(g) if g.min_score != 0 => {
                return Err(ModelError::new(
                    GRADES,
                    format!(
                        "最低一级信用等级“{}”的最低分应为 0，以覆盖全部分数",
                        g.symbol
                    ),
                ));
            }
            Some(_) => {}
        }

        // Indicators.
        let mut compiler = Compiler::new(catalog, &CODES);
        let mut indicators: Vec<Indicator> = Vec::with_capacity(raw.indicators.len());
        for r in &raw.indicators {
            if indicators.iter().any(|x| x.key == r.key) {
                return Err(ModelError::new(
                    DUPLICATE,
                    format!("指标“{}”重复定义", r.key),
                ));
            }
            let indicator = compile_indicator(r, &dimensions, &mut compiler)?;
            indicators.push(indicator);
        }
        for (di, d) in dimensions.iter().enumerate() {
            let sum: u32 = indicators
                .iter()
                .filter(|i| i.dimension == di)
                .map(|i| i.weight)
                .sum();
            if sum != d.weight {
                return Err(ModelError::new(
                    WEIGHTS,
                    format!(
                        "维度“{}”（{}）下各指标权重之和为 {sum}‰，应等于维度权重 {}‰",
                        d.label, d.key, d.weight
                    ),
                ));
            }
        }

        // Grade caps.
        let mut caps = Vec::with_capacity(raw.caps.len());
        let mut cap_index = Vec::with_capacity(raw.caps.len());
        for c in &raw.caps {
            let indicator = indicators
                .iter()
                .position(|i| i.key == c.indicator)
                .ok_or_else(|| {
                    ModelError::new(
                        GRADES,
                        format!("等级上限所依据的指标“{}”未定义", c.indicator),
                    )
                })?;
            let grade = grades
                .iter()
                .position(|g| g.symbol == c.grade)
                .ok_or_else(|| {
                    ModelError::new(
                        GRADES,
                        format!(
                            "指标“{}”的等级上限“{}”不是已定义的等级",
                            c.indicator, c.grade
                        ),
                    )
                })?;
            check_points(
                &format!("等级上限 {}", c.indicator),
                "max_points",
                c.max_points,
            )?;
            caps.push(GradeCap {
                indicator: c.indicator.clone(),
                max_points: c.max_points,
                grade: c.grade.clone(),
                reason: c.reason.clone(),
            });
            cap_index.push((indicator, grade));
        }

        let mut dispatch = Dispatch::default();
        for (i, indicator) in indicators.iter().enumerate() {
            if let Some(s) = &indicator.selector {
                dispatch.add(i, &s.items);
            }
        }
        Ok(Model {
            version: raw.version,
            name: raw.name,
            published: raw.published,
            rules: Rules {
                objection_pending: raw.rules.objection_pending,
                repaired: raw.rules.repaired,
                self_declared_percent: raw.rules.self_declared_percent,
            },
            dimensions,
            indicators,
            grades,
            caps,
            cap_index,
            inputs: compiler.reads,
            dispatch,
        })
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// 发布日期 as written in the file (`YYYY-MM-DD`).
    pub fn published(&self) -> &str {
        &self.published
    }

    /// Item keys the model reads, and for each the field keys it reads (sorted).
    pub fn inputs(&self) -> &BTreeMap<String, Vec<String>> {
        &self.inputs
    }

    /// The grade table, best first; the last grade starts at 0.
    pub fn grades(&self) -> &[Grade] {
        &self.grades
    }

    /// The grade a score earns before caps: the first whose minimum it reaches.
    pub fn grade_for(&self, score: u32) -> &Grade {
        &self.grades[self.grade_index(score)]
    }

    pub(crate) fn grade_index(&self, score: u32) -> usize {
        self.grades
            .iter()
            .position(|g| score >= g.min_score)
            .unwrap_or(self.grades.len() - 1)
    }

    /// The grade caps (一票否决): while an indicator's points are at most `max_points`, the
    /// grade is at most `grade`.
    pub fn caps(&self) -> &[GradeCap] {
        &self.caps
    }

    /// The caps that apply to indicator points given in model order (missing entries count as
    /// not applying).
    pub(crate) fn applying_caps<'a>(
        &'a self,
        points: impl Fn(usize) -> Option<u32> + 'a,
    ) -> impl Iterator<Item = (usize, &'a GradeCap)> + 'a {
        self.cap_index
            .iter()
            .zip(&self.caps)
            .filter(move |((ind, _), cap)| points(*ind).is_some_and(|p| p <= cap.max_points))
            .map(|((_, grade), cap)| (*grade, cap))
    }

    /// Indicator keys in model order.
    pub fn indicator_keys(&self) -> impl Iterator<Item = &str> {
        self.indicators.iter().map(|i| i.key.as_str())
    }
}

/// Where master-data indicators' values come from in the catalogue (for access decisions).
fn master_source(kind: RawKind, field: Option<MasterField>) -> (&'static str, &'static str) {
    match (kind, field) {
        (RawKind::Age, _) => ("market_registration.business_license", "establishment_date"),
        (_, Some(MasterField::Employees)) => {
            ("market_registration.annual_report", "employee_count")
        }
        _ => ("market_registration.business_license", "registered_capital"),
    }
}

fn compile_indicator(
    r: &RawIndicator,
    dimensions: &[Dimension],
    compiler: &mut Compiler<'_>,
) -> Result<Indicator, ModelError> {
    let owner = format!("指标 {}", r.key);
    let owner = owner.as_str();
    let dimension = dimensions
        .iter()
        .position(|d| d.key == r.dimension)
        .ok_or_else(|| {
            ModelError::new(
                CODES.invalid,
                format!("“{owner}”所属维度“{}”未定义", r.dimension),
            )
        })?;
    let neutral = check_points(owner, "中性分值 neutral", r.neutral)?;
    let record_kind = !matches!(r.kind, RawKind::Age | RawKind::Master);
    let mut sensitivity = Sensitivity::Public;

    // Which parameters a kind takes.
    forbid(
        owner,
        r.kind,
        &[
            (
                "present/absent",
                r.kind != RawKind::Exists && (r.present.is_some() || r.absent.is_some()),
            ),
            (
                "map/other",
                r.kind != RawKind::Latest && (r.map.is_some() || r.other.is_some()),
            ),
            (
                "if_true/if_false",
                r.kind != RawKind::Flag && (r.if_true.is_some() || r.if_false.is_some()),
            ),
            (
                "bands",
                !matches!(
                    r.kind,
                    RawKind::Count | RawKind::Number | RawKind::Age | RawKind::Master
                ) && r.bands.is_some(),
            ),
            (
                "field",
                matches!(r.kind, RawKind::Exists | RawKind::Count | RawKind::Age)
                    && r.field.is_some(),
            ),
            (
                "missing",
                matches!(r.kind, RawKind::Exists | RawKind::Count) && r.missing.is_some(),
            ),
            ("items", !record_kind && !r.items.is_empty()),
            (
                "where/where_any/date_field/window_months/latest_by",
                !record_kind
                    && (!r.all.is_empty()
                        || !r.where_any.is_empty()
                        || r.date_field.is_some()
                        || r.window_months.is_some()
                        || r.latest_by.is_some()),
            ),
            (
                "text_yes/text_no",
                !matches!(r.kind, RawKind::Exists | RawKind::Flag)
                    && (r.text_yes.is_some() || r.text_no.is_some()),
            ),
        ],
    )?;

    let selector = if record_kind {
        Some(compiler.selector(
            &SelectorSpec {
                owner,
                items: &r.items,
                all: &r.all,
                any: &r.where_any,
                date_field: r.date_field.as_deref(),
                window_months: r.window_months,
                latest_by: r.latest_by.as_deref(),
                needs_latest: matches!(r.kind, RawKind::Latest | RawKind::Number | RawKind::Flag),
            },
            &mut sensitivity,
        )?)
    } else {
        None
    };

    let value_field =
        |compiler: &mut Compiler<'_>, allowed: &[Ty], what: &str, sensitivity: &mut Sensitivity| {
            let field = r.field.as_deref().ok_or_else(|| {
                ModelError::new(CODES.invalid, format!("“{owner}”缺少参数 field"))
            })?;
            let (ty, s) = compiler.field(owner, &r.items, field, allowed, what)?;
            *sensitivity = (*sensitivity).max(s);
            Ok::<_, ModelError>((field.to_owned(), ty))
        };

    let mut master_field = None;
    let kind = match r.kind {
        RawKind::Exists => Kind::Exists {
            present: check_points(owner, "present", require(owner, "present", r.present)?)?,
            absent: check_points(owner, "absent", require(owner, "absent", r.absent)?)?,
        },
        RawKind::Count => {
            let bands = bands(owner, r.bands.as_ref(), integer)?;
            if bands.0[0].0 != 0 {
                return Err(ModelError::new(
                    CODES.invalid,
                    format!("“{owner}”的计数分档应从 min = 0 开始"),
                ));
            }
            let points: Vec<u32> = bands.0.iter().map(|b| b.1).collect();
            let up = points.windows(2).all(|w| w[0] <= w[1]);
            let down = points.windows(2).all(|w| w[0] >= w[1]);
            if !up && !down {
                return Err(ModelError::new(
                    CODES.invalid,
                    format!("“{owner}”的计数分档分值应单调（随次数只增或只减）"),
                ));
            }
            Kind::Count { bands }
        }
        RawKind::Latest => {
            let (field, _) = value_field(
                compiler,
                &[Ty::Text, Ty::Bool, Ty::Int],
                "取值映射字段",
                &mut sensitivity,
            )?;
            let raw_map = r
                .map
                .as_ref()
                .ok_or_else(|| ModelError::new(CODES.invalid, format!("“{owner}”缺少参数 map")))?;
            let mut map = HashMap::with_capacity(raw_map.len());
            for (k, v) in raw_map {
                map.insert(
                    k.clone(),
                    check_points(owner, &format!("取值“{k}”的分值"), *v)?,
                );
            }
            Kind::Latest {
                field,
                map,
                other: check_points(owner, "other", require(owner, "other", r.other)?)?,
            }
        }
        RawKind::Number => {
            let (field, ty) = value_field(
                compiler,
                &[Ty::Int, Ty::Dec],
                "数值分档字段",
                &mut sensitivity,
            )?;
            let bands = bands(owner, r.bands.as_ref(), |v| threshold(v, ty))?;
            Kind::Number { field, ty, bands }
        }
        RawKind::Flag => {
            let (field, _) = value_field(compiler, &[Ty::Bool], "是否字段", &mut sensitivity)?;
            Kind::Flag {
                field,
                if_true: check_points(owner, "if_true", require(owner, "if_true", r.if_true)?)?,
                if_false: check_points(owner, "if_false", require(owner, "if_false", r.if_false)?)?,
            }
        }
        RawKind::Age => Kind::Age {
            bands: bands(owner, r.bands.as_ref(), integer)?,
        },
        RawKind::Master => {
            let field = match r.field.as_deref() {
                Some("registered_capital") => MasterField::RegisteredCapital,
                Some("employees") => MasterField::Employees,
                Some(other) => {
                    return Err(ModelError::new(
                        CODES.unknown_field,
                        format!(
                            "“{owner}”的主体字段“{other}”未知（可用 registered_capital、employees）"
                        ),
                    ));
                }
                None => {
                    return Err(ModelError::new(
                        CODES.invalid,
                        format!("“{owner}”缺少参数 field"),
                    ));
                }
            };
            master_field = Some(field);
            let bands = match field {
                // Thresholds in 万元; a decimal in units of 10⁻⁶ 万元 is exactly fen.
                MasterField::RegisteredCapital => {
                    bands(owner, r.bands.as_ref(), |v| threshold(v, Ty::Dec))?
                }
                MasterField::Employees => bands(owner, r.bands.as_ref(), integer)?,
            };
            Kind::Master { field, bands }
        }
    };

    let can_be_missing = !matches!(r.kind, RawKind::Exists | RawKind::Count);
    let missing = if can_be_missing {
        check_points(
            owner,
            "缺失数据分值 missing",
            require(owner, "missing", r.missing)?,
        )?
    } else {
        neutral
    };

    check_template(owner, "text", &r.text, true)?;
    for (name, text) in [("text_yes", &r.text_yes), ("text_no", &r.text_no)] {
        if let Some(text) = text {
            check_template(owner, name, text, true)?;
        }
    }
    if let Some(text) = &r.missing_text {
        check_template(owner, "missing_text", text, false)?;
    }

    let item_keys = if record_kind {
        r.items.clone()
    } else {
        let (item, field) = master_source(r.kind, master_field);
        if let Some(f) = compiler.catalog.item(item).and_then(|i| i.field(field)) {
            sensitivity = sensitivity.max(f.sensitivity);
            vec![item.to_owned()]
        } else {
            Vec::new()
        }
    };

    Ok(Indicator {
        key: r.key.clone(),
        label: r.label.clone(),
        dimension,
        weight: r.weight,
        kind,
        selector,
        missing,
        neutral,
        text: r.text.clone(),
        text_yes: r.text_yes.clone(),
        text_no: r.text_no.clone(),
        missing_text: r
            .missing_text
            .clone()
            .unwrap_or_else(|| format!("缺少{}数据", r.label)),
        item_keys,
        sensitivity,
    })
}
