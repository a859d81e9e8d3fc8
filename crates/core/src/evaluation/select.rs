//! Record selection shared by evaluation indicators and profile tag rules: which records of which
//! items count (conditions, a window of months, the most recent record by a field), compiled at
//! load and applied in one pass over an enterprise's records. One way to do each thing: an
//! indicator and a tag that say the same words select the same records.

use super::{FactRecord, ModelError};
use crate::catalog::{Catalog, FieldType, Sensitivity};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Error codes of one kind of file (evaluation model or tag rules).
pub(crate) struct Codes {
    pub unknown_item: &'static str,
    pub unknown_field: &'static str,
    pub invalid: &'static str,
}

/// Scale of exact decimals: values are compared as integers of 10⁻⁶.
const DECIMAL_SCALE: i128 = 1_000_000;

/// A condition as written: `{ field = "x", eq = … }` with exactly one operator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCondition {
    pub field: String,
    pub eq: Option<toml::Value>,
    pub ne: Option<toml::Value>,
    #[serde(rename = "in")]
    pub one_of: Option<Vec<toml::Value>>,
    pub empty: Option<bool>,
    pub min: Option<toml::Value>,
    pub max: Option<toml::Value>,
}

/// The value kinds the engine compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Text,
    Bool,
    Int,
    Dec,
    Date,
    Month,
    Other,
}

impl Ty {
    pub fn of(field_type: FieldType) -> Ty {
        match field_type {
            FieldType::String | FieldType::Enum | FieldType::Code => Ty::Text,
            FieldType::Boolean => Ty::Bool,
            FieldType::Integer => Ty::Int,
            FieldType::Decimal => Ty::Dec,
            FieldType::Date => Ty::Date,
            FieldType::Month => Ty::Month,
            FieldType::Object | FieldType::Array => Ty::Other,
        }
    }

    fn ordered(self) -> bool {
        matches!(self, Ty::Int | Ty::Dec | Ty::Date | Ty::Month)
    }
}

#[derive(Debug, Clone)]
enum Op {
    EqText(String),
    NeText(String),
    InText(Vec<String>),
    EqBool(bool),
    NeBool(bool),
    EqNum(i128),
    NeNum(i128),
    Min(i128),
    Max(i128),
    Empty(bool),
}

/// A compiled condition on one field.
#[derive(Debug, Clone)]
pub(crate) struct Cond {
    field: String,
    ty: Ty,
    op: Op,
}

impl Cond {
    /// A record lacking the field fails every condition except `empty = true`.
    fn holds(&self, values: &serde_json::Map<String, Value>) -> bool {
        let value = present(values.get(&self.field));
        if let Op::Empty(want) = self.op {
            return value.is_none() == want;
        }
        let Some(value) = value else {
            return false;
        };
        match &self.op {
            Op::EqText(s) => text_of(value) == Some(s.as_str()),
            Op::NeText(s) => text_of(value).is_some_and(|v| v != s),
            Op::InText(list) => text_of(value).is_some_and(|v| list.iter().any(|s| s == v)),
            Op::EqBool(b) => value.as_bool() == Some(*b),
            Op::NeBool(b) => value.as_bool().is_some_and(|v| v != *b),
            Op::EqNum(n) => key_of(value, self.ty) == Some(*n),
            Op::NeNum(n) => key_of(value, self.ty).is_some_and(|v| v != *n),
            Op::Min(n) => key_of(value, self.ty).is_some_and(|v| v >= *n),
            Op::Max(n) => key_of(value, self.ty).is_some_and(|v| v <= *n),
            Op::Empty(_) => unreachable!(),
        }
    }
}

/// A value that is there: JSON null, blank text and an empty array count as absent.
pub(crate) fn present(value: Option<&Value>) -> Option<&Value> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::Array(a)) if a.is_empty() => None,
        Some(v) => Some(v),
    }
}

fn text_of(value: &Value) -> Option<&str> {
    value.as_str()
}

/// Order or compare key of a value: integers as is, decimals in 10⁻⁶, dates as `yyyymmdd`,
/// months as `yyyymm00`. No floating point anywhere.
pub(crate) fn key_of(value: &Value, ty: Ty) -> Option<i128> {
    match ty {
        Ty::Int => match value {
            Value::Number(n) => n.as_i64().map(i128::from),
            Value::String(s) => s.trim().parse::<i64>().ok().map(i128::from),
            _ => None,
        },
        Ty::Dec => match value {
            Value::String(s) => parse_decimal(s),
            Value::Number(n) => n.as_i64().map(|n| i128::from(n) * DECIMAL_SCALE),
            _ => None,
        },
        Ty::Date => value.as_str().and_then(parse_date_key),
        Ty::Month => value.as_str().and_then(parse_month_key),
        _ => None,
    }
}

/// An exact decimal (`"-12345.60"`) in units of 10⁻⁶; digits beyond the sixth decimal are
/// truncated.
pub(crate) fn parse_decimal(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    let mut n: i128 = 0;
    for b in whole.bytes() {
        if !b.is_ascii_digit() || n > i128::MAX / 100 {
            return None;
        }
        n = n * 10 + i128::from(b - b'0');
    }
    let mut scale = DECIMAL_SCALE;
    n *= DECIMAL_SCALE;
    for b in frac.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        scale /= 10;
        n += i128::from(b - b'0') * scale;
    }
    Some(if negative { -n } else { n })
}

fn digits(bytes: &[u8]) -> Option<i128> {
    if bytes.is_empty() {
        return None;
    }
    let mut n = 0i128;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i128::from(b - b'0');
    }
    Some(n)
}

/// `YYYY-MM-DD` → `yyyymmdd`.
pub(crate) fn parse_date_key(text: &str) -> Option<i128> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Some(digits(&b[0..4])? * 10_000 + digits(&b[5..7])? * 100 + digits(&b[8..10])?)
}

/// `YYYY-MM` (or a full date, whose day is ignored) → `yyyymm00`.
pub(crate) fn parse_month_key(text: &str) -> Option<i128> {
    let b = text.as_bytes();
    if b.len() < 7 || b[4] != b'-' || (b.len() > 7 && b[7] != b'-') {
        return None;
    }
    Some(digits(&b[0..4])? * 10_000 + digits(&b[5..7])? * 100)
}

pub(crate) fn date_key(date: NaiveDate) -> i128 {
    i128::from(date.year()) * 10_000 + i128::from(date.month()) * 100 + i128::from(date.day())
}

/// "Within the last N months" by a date or month field, up to and including `today`.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    field: String,
    ty: Ty,
    months: u32,
}

impl Window {
    /// The inclusive key range: dates in [today − N months, today]; months from the month of
    /// that day to the current month.
    fn bounds(&self, today: NaiveDate) -> (i128, i128) {
        let from = today
            .checked_sub_months(Months::new(self.months))
            .unwrap_or(NaiveDate::MIN);
        match self.ty {
            Ty::Month => {
                let (lo, hi) = (date_key(from), date_key(today));
                (lo - lo % 100, hi - hi % 100)
            }
            _ => (date_key(from), date_key(today)),
        }
    }
}

/// How the most recent record is found.
#[derive(Debug, Clone)]
pub(crate) enum Order {
    /// When the platform received the record.
    Received,
    /// A date, month or integer field; ties (and records lacking it, which rank lowest) fall back
    /// to when the platform received the record.
    Field(String, Ty),
}

/// Which records of which items count.
#[derive(Debug, Clone)]
pub(crate) struct Selector {
    pub items: Vec<String>,
    all: Vec<Cond>,
    any: Vec<Cond>,
    window: Option<Window>,
    /// `Some`: only the most recent record (within the window) is considered, and the conditions
    /// are tested on it. `None`: every record within the window that meets the conditions counts.
    pub latest: Option<Order>,
}

impl Selector {
    /// Whether a record meets the conditions (`where`: all of them; `where_any`: at least one).
    pub fn matches(&self, values: &serde_json::Map<String, Value>) -> bool {
        self.all.iter().all(|c| c.holds(values))
            && (self.any.is_empty() || self.any.iter().any(|c| c.holds(values)))
    }
}

/// The selection part of an indicator or tag, as written.
pub(crate) struct SelectorSpec<'a> {
    pub owner: &'a str,
    pub items: &'a [String],
    pub all: &'a [RawCondition],
    pub any: &'a [RawCondition],
    pub date_field: Option<&'a str>,
    pub window_months: Option<u32>,
    pub latest_by: Option<&'a str>,
    /// The kind reads one record: the most recent (by `latest_by`, else by receipt).
    pub needs_latest: bool,
}

/// Compiles a selection, recording the fields it reads in `reads` (item → fields) and the
/// most sensitive level among them in `sensitivity`.
pub(crate) struct Compiler<'c> {
    pub catalog: &'c Catalog,
    pub codes: &'c Codes,
    pub reads: BTreeMap<String, Vec<String>>,
}

impl<'c> Compiler<'c> {
    pub fn new(catalog: &'c Catalog, codes: &'c Codes) -> Compiler<'c> {
        Compiler {
            catalog,
            codes,
            reads: BTreeMap::new(),
        }
    }

    /// The items named, checked against the catalogue.
    pub fn check_items(&mut self, owner: &str, items: &[String]) -> Result<(), ModelError> {
        if items.is_empty() {
            return Err(ModelError::new(
                self.codes.invalid,
                format!("“{owner}”未指定所依据的目录信息项（items）"),
            ));
        }
        for (i, item) in items.iter().enumerate() {
            if self.catalog.item(item).is_none() {
                return Err(ModelError::new(
                    self.codes.unknown_item,
                    format!("“{owner}”引用的信息项“{item}”不在目录中"),
                ));
            }
            if items[..i].contains(item) {
                return Err(ModelError::new(
                    self.codes.invalid,
                    format!("“{owner}”重复列出信息项“{item}”"),
                ));
            }
            self.reads.entry(item.clone()).or_default();
        }
        Ok(())
    }

    /// The type of a field present in every item, which must be the same everywhere; records it as
    /// read and returns its type and sensitivity.
    pub fn field(
        &mut self,
        owner: &str,
        items: &[String],
        field: &str,
        allowed: &[Ty],
        what: &str,
    ) -> Result<(Ty, Sensitivity), ModelError> {
        let mut found: Option<(FieldType, Sensitivity)> = None;
        for item_key in items {
            let item = self.catalog.item(item_key).ok_or_else(|| {
                ModelError::new(
                    self.codes.unknown_item,
                    format!("“{owner}”引用的信息项“{item_key}”不在目录中"),
                )
            })?;
            let Some(f) = item.field(field) else {
                return Err(ModelError::new(
                    self.codes.unknown_field,
                    format!("“{owner}”引用的字段“{field}”不在信息项“{item_key}”中"),
                ));
            };
            match found {
                Some((t, _)) if t != f.field_type => {
                    return Err(ModelError::new(
                        self.codes.unknown_field,
                        format!("“{owner}”引用的字段“{field}”在各信息项中类型不一致"),
                    ));
                }
                Some((t, s)) => found = Some((t, s.max(f.sensitivity))),
                None => found = Some((f.field_type, f.sensitivity)),
            }
        }
        let (field_type, sensitivity) = found.ok_or_else(|| {
            ModelError::new(
                self.codes.invalid,
                format!("“{owner}”未指定所依据的目录信息项（items）"),
            )
        })?;
        let ty = Ty::of(field_type);
        if !allowed.contains(&ty) {
            return Err(ModelError::new(
                self.codes.unknown_field,
                format!("“{owner}”的字段“{field}”类型为 {field_type:?}，不能用作{what}"),
            ));
        }
        for item in items {
            let fields = self.reads.entry(item.clone()).or_default();
            if !fields.iter().any(|f| f == field) {
                fields.push(field.to_owned());
                fields.sort();
            }
        }
        Ok((ty, sensitivity))
    }

    /// The most sensitive level of an item's natural key (what "a record exists" reveals).
    pub fn key_sensitivity(&self, items: &[String]) -> Sensitivity {
        items
            .iter()
            .filter_map(|k| self.catalog.item(k))
            .flat_map(|item| {
                item.natural_key
                    .iter()
                    .filter_map(|k| item.field(k).map(|f| f.sensitivity))
            })
            .max()
            .unwrap_or(Sensitivity::Public)
    }

    pub fn selector(
        &mut self,
        spec: &SelectorSpec<'_>,
        sensitivity: &mut Sensitivity,
    ) -> Result<Selector, ModelError> {
        let owner = spec.owner;
        self.check_items(owner, spec.items)?;
        *sensitivity = (*sensitivity).max(self.key_sensitivity(spec.items));
        let mut all = Vec::with_capacity(spec.all.len());
        for raw in spec.all {
            all.push(self.condition(owner, spec.items, raw, sensitivity)?);
        }
        let mut any = Vec::with_capacity(spec.any.len());
        for raw in spec.any {
            any.push(self.condition(owner, spec.items, raw, sensitivity)?);
        }
        let window = match (spec.date_field, spec.window_months) {
            (None, None) => None,
            (Some(field), Some(months)) => {
                if !(1..=600).contains(&months) {
                    return Err(ModelError::new(
                        self.codes.invalid,
                        format!("“{owner}”的时间窗口 window_months 应在 1 到 600 个月之间"),
                    ));
                }
                let (ty, s) = self.field(
                    owner,
                    spec.items,
                    field,
                    &[Ty::Date, Ty::Month],
                    "时间窗口字段",
                )?;
                *sensitivity = (*sensitivity).max(s);
                Some(Window {
                    field: field.to_owned(),
                    ty,
                    months,
                })
            }
            _ => {
                return Err(ModelError::new(
                    self.codes.invalid,
                    format!("“{owner}”的 date_field 与 window_months 须同时给出"),
                ));
            }
        };
        let latest = match spec.latest_by {
            Some(field) => {
                let (ty, s) = self.field(
                    owner,
                    spec.items,
                    field,
                    &[Ty::Date, Ty::Month, Ty::Int],
                    "排序字段（latest_by）",
                )?;
                *sensitivity = (*sensitivity).max(s);
                Some(Order::Field(field.to_owned(), ty))
            }
            None if spec.needs_latest => Some(Order::Received),
            None => None,
        };
        Ok(Selector {
            items: spec.items.to_vec(),
            all,
            any,
            window,
            latest,
        })
    }

    fn condition(
        &mut self,
        owner: &str,
        items: &[String],
        raw: &RawCondition,
        sensitivity: &mut Sensitivity,
    ) -> Result<Cond, ModelError> {
        let all_types = [
            Ty::Text,
            Ty::Bool,
            Ty::Int,
            Ty::Dec,
            Ty::Date,
            Ty::Month,
            Ty::Other,
        ];
        let (ty, s) = self.field(owner, items, &raw.field, &all_types, "条件字段")?;
        *sensitivity = (*sensitivity).max(s);
        let field = &raw.field;
        let ops = [
            raw.eq.is_some(),
            raw.ne.is_some(),
            raw.one_of.is_some(),
            raw.empty.is_some(),
            raw.min.is_some(),
            raw.max.is_some(),
        ];
        if ops.iter().filter(|b| **b).count() != 1 {
            return Err(ModelError::new(
                self.codes.invalid,
                format!(
                    "“{owner}”对字段“{field}”的条件须且只能使用 eq、ne、in、empty、min、max 之一"
                ),
            ));
        }
        let bad = |what: &str| {
            ModelError::new(
                self.codes.unknown_field,
                format!("“{owner}”对字段“{field}”的条件{what}与字段类型不符"),
            )
        };
        let op = if let Some(empty) = raw.empty {
            Op::Empty(empty)
        } else if let Some(v) = raw.eq.as_ref().or(raw.ne.as_ref()) {
            let eq = raw.eq.is_some();
            match ty {
                Ty::Text => {
                    let s = v.as_str().ok_or_else(|| bad("取值"))?.to_owned();
                    if eq { Op::EqText(s) } else { Op::NeText(s) }
                }
                Ty::Bool => {
                    let b = v.as_bool().ok_or_else(|| bad("取值"))?;
                    if eq { Op::EqBool(b) } else { Op::NeBool(b) }
                }
                Ty::Int | Ty::Dec | Ty::Date | Ty::Month => {
                    let n = threshold(v, ty).ok_or_else(|| bad("取值"))?;
                    if eq { Op::EqNum(n) } else { Op::NeNum(n) }
                }
                Ty::Other => return Err(bad("（只能使用 empty）")),
            }
        } else if let Some(list) = &raw.one_of {
            if ty != Ty::Text || list.is_empty() {
                return Err(bad("（in 只用于文本类字段且不能为空）"));
            }
            let mut out = Vec::with_capacity(list.len());
            for v in list {
                out.push(v.as_str().ok_or_else(|| bad("取值"))?.to_owned());
            }
            Op::InText(out)
        } else {
            let (v, is_min) = match (&raw.min, &raw.max) {
                (Some(v), _) => (v, true),
                (_, Some(v)) => (v, false),
                _ => unreachable!("one operator is present"),
            };
            if !ty.ordered() {
                return Err(bad("（min/max 只用于数值、日期、年月字段）"));
            }
            let n = threshold(v, ty).ok_or_else(|| bad("取值"))?;
            if is_min { Op::Min(n) } else { Op::Max(n) }
        };
        Ok(Cond {
            field: field.clone(),
            ty,
            op,
        })
    }
}

/// A threshold or comparison value written in a model file, in the key space of `ty`.
pub(crate) fn threshold(value: &toml::Value, ty: Ty) -> Option<i128> {
    match (ty, value) {
        (Ty::Int, toml::Value::Integer(n)) => Some(i128::from(*n)),
        (Ty::Int, toml::Value::String(s)) => s.trim().parse::<i64>().ok().map(i128::from),
        (Ty::Dec, toml::Value::Integer(n)) => Some(i128::from(*n) * DECIMAL_SCALE),
        (Ty::Dec, toml::Value::String(s)) => parse_decimal(s),
        (Ty::Date, toml::Value::String(s)) => parse_date_key(s),
        (Ty::Month, toml::Value::String(s)) if s.len() == 7 => parse_month_key(s),
        _ => None,
    }
}

/// Per selector, what one pass over the records found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tally {
    /// Records that count (in latest mode: 1 if the most recent record meets the conditions).
    pub count: u32,
    /// Whether every record counted is self-declared (true when none counted).
    pub all_self_declared: bool,
    /// Latest mode: the index of the most recent eligible record.
    pub best: Option<usize>,
    best_key: (Option<i128>, NaiveDateTime),
    bounds: (i128, i128),
}

/// Item key → the selectors reading it, for one pass over the records.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dispatch {
    by_item: HashMap<String, Vec<u16>>,
}

impl Dispatch {
    pub fn add(&mut self, index: usize, items: &[String]) {
        for item in items {
            let list = self.by_item.entry(item.clone()).or_default();
            let index = u16::try_from(index).expect("fewer than 65536 selectors");
            if !list.contains(&index) {
                list.push(index);
            }
        }
    }

    /// One pass over the records: for each of `count` selectors (by index; `None` for
    /// indicators that read no records), its tally. `excluded(selector, record)` says whether a record must be
    /// ignored by that selector (e.g. an adverse record under a pending objection).
    pub fn scan<'s>(
        &self,
        count: usize,
        selector_of: impl Fn(usize) -> Option<&'s Selector>,
        records: &[FactRecord],
        today: NaiveDate,
        excluded: impl Fn(usize, &FactRecord) -> bool,
    ) -> Vec<Tally> {
        let today_key = date_key(today);
        let mut tallies: Vec<Tally> = (0..count)
            .map(|i| Tally {
                count: 0,
                all_self_declared: true,
                best: None,
                best_key: (None, NaiveDateTime::MIN),
                bounds: match selector_of(i).and_then(|s| s.window.as_ref()) {
                    Some(w) => w.bounds(today),
                    None => (i128::MIN, today_key),
                },
            })
            .collect();
        for (ri, record) in records.iter().enumerate() {
            let Some(list) = self.by_item.get(&record.item_key) else {
                continue;
            };
            for &si in list {
                let si = usize::from(si);
                let Some(selector) = selector_of(si) else {
                    continue;
                };
                let tally = &mut tallies[si];
                if let Some(window) = &selector.window {
                    let key = present(record.values.get(&window.field))
                        .and_then(|v| key_of(v, window.ty));
                    match key {
                        Some(k) if k >= tally.bounds.0 && k <= tally.bounds.1 => {}
                        _ => continue,
                    }
                }
                if excluded(si, record) {
                    continue;
                }
                match &selector.latest {
                    Some(order) => {
                        let key = match order {
                            Order::Received => None,
                            Order::Field(field, ty) => {
                                present(record.values.get(field)).and_then(|v| key_of(v, *ty))
                            }
                        };
                        let key = (key, record.created_at);
                        if tally.best.is_none() || key >= tally.best_key {
                            tally.best = Some(ri);
                            tally.best_key = key;
                        }
                    }
                    None => {
                        if selector.matches(&record.values) {
                            tally.count += 1;
                            tally.all_self_declared &= record.self_declared;
                        }
                    }
                }
            }
        }
        for (i, tally) in tallies.iter_mut().enumerate() {
            if let (Some(selector), Some(best)) = (selector_of(i), tally.best)
                && selector.latest.is_some()
                && selector.matches(&records[best].values)
            {
                tally.count = 1;
                tally.all_self_declared = records[best].self_declared;
            }
        }
        tallies
    }
}
