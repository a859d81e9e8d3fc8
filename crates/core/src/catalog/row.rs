//! Checking one uploaded row against its item: header mapping, types, required fields, national
//! codes, no future dates (except on fields marked `allow_future`, such as 有效期至), no negative
//! amounts. Pure: the caller supplies "today".

use super::model::{CodeTable, Field, FieldType, Item};
use crate::codes::industry::industries;
use crate::codes::region::regions;
use crate::codes::resident_id::ResidentId;
use crate::codes::uscc::Uscc;
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// One problem with one cell, for the provider's error report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// Field key, or empty for a whole-row problem.
    pub field: String,
    pub value: String,
    /// Why, in Chinese.
    pub reason: String,
}

/// A row that passed: normalised values, its subject and its natural key.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRow {
    pub subject: String,
    /// Natural-key values in the item's order.
    pub natural_key: Vec<String>,
    /// Normalised values by field key; absent cells are left out.
    pub values: Map<String, Value>,
}

impl Item {
    /// Maps a file's header cells to fields by key, Chinese label or alias. Unknown headers
    /// are an error for the whole file: a misspelt column must not be dropped silently.
    pub fn map_headers<'a>(&'a self, headers: &[String]) -> Result<Vec<&'a Field>, Vec<String>> {
        let mut unknown = Vec::new();
        let mut mapped = Vec::new();
        for header in headers {
            let h = header.trim().trim_start_matches('\u{feff}');
            match self
                .fields
                .iter()
                .find(|f| f.key == h || f.label == h || f.aliases.iter().any(|a| a == h))
            {
                Some(f) => mapped.push(f),
                None => unknown.push(h.to_owned()),
            }
        }
        if unknown.is_empty() {
            Ok(mapped)
        } else {
            Err(unknown)
        }
    }

    /// Checks one row given as (field, raw text) pairs.
    pub fn check_row(
        &self,
        cells: &[(&Field, &str)],
        today: NaiveDate,
    ) -> Result<CheckedRow, Vec<RowError>> {
        let mut errors = Vec::new();
        let mut values = Map::new();
        for (field, raw) in cells {
            let text = raw.trim();
            if text.is_empty() {
                continue;
            }
            match normalise(field, text, today) {
                Ok(v) => {
                    values.insert(field.key.clone(), v);
                }
                Err(reason) => errors.push(RowError {
                    field: field.key.clone(),
                    value: text.to_owned(),
                    reason,
                }),
            }
        }
        for field in self.fields.iter().filter(|f| f.required) {
            if !values.contains_key(&field.key) && !errors.iter().any(|e| e.field == field.key) {
                errors.push(RowError {
                    field: field.key.clone(),
                    value: String::new(),
                    reason: format!("必填字段“{}”为空", field.label),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let text_of = |key: &str| match values.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        Ok(CheckedRow {
            subject: text_of(&self.subject_fields[0]),
            natural_key: self.natural_key.iter().map(|k| text_of(k)).collect(),
            values,
        })
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y.%m.%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

fn normalise(field: &Field, text: &str, today: NaiveDate) -> Result<Value, String> {
    let label = &field.label;
    match field.field_type {
        FieldType::String | FieldType::Enum => Ok(Value::String(text.to_owned())),
        FieldType::Date => {
            let date = parse_date(text)
                .ok_or_else(|| format!("“{label}”不是有效日期（应为 YYYY-MM-DD）"))?;
            if date > today && !field.allow_future {
                return Err(format!("“{label}”不能晚于今天"));
            }
            Ok(Value::String(date.to_string()))
        }
        FieldType::Month => {
            let padded = format!("{}-01", text.replace(['/', '.'], "-").trim_end_matches('-'));
            let date = parse_date(&padded)
                .or_else(|| parse_date(&format!("{text}01")))
                .ok_or_else(|| format!("“{label}”不是有效年月（应为 YYYY-MM）"))?;
            if date > today && !field.allow_future {
                return Err(format!("“{label}”不能晚于本月"));
            }
            Ok(Value::String(date.format("%Y-%m").to_string()))
        }
        FieldType::Decimal => {
            let cleaned = text.replace(',', "");
            let (int, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
            let digits = int.strip_prefix('-').unwrap_or(int);
            let valid = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit());
            if !valid {
                return Err(format!("“{label}”不是有效数值"));
            }
            if int.starts_with('-') && field.unit.is_some() {
                return Err(format!("“{label}”金额不能为负数"));
            }
            // Kept as exact decimal text: amounts never pass through floating point.
            Ok(Value::String(cleaned))
        }
        FieldType::Integer => {
            let n: i64 = text
                .replace(',', "")
                .parse()
                .map_err(|_| format!("“{label}”不是整数"))?;
            if n < 0 {
                return Err(format!("“{label}”不能为负数"));
            }
            Ok(Value::from(n))
        }
        FieldType::Boolean => match text {
            "是" | "有" | "true" | "TRUE" | "True" | "1" | "Y" | "y" => Ok(Value::Bool(true)),
            "否" | "无" | "false" | "FALSE" | "False" | "0" | "N" | "n" => Ok(Value::Bool(false)),
            _ => Err(format!("“{label}”应为“是”或“否”")),
        },
        FieldType::Code => check_code(field, text).map(Value::String),
        FieldType::Object | FieldType::Array => {
            if text.starts_with(['{', '[']) {
                serde_json::from_str(text).map_err(|_| format!("“{label}”不是有效的 JSON"))
            } else {
                Ok(Value::String(text.to_owned()))
            }
        }
    }
}

fn check_code(field: &Field, text: &str) -> Result<String, String> {
    match field.code_table {
        Some(CodeTable::Uscc) => Uscc::parse(text)
            .map(|u| u.as_str().to_owned())
            .map_err(|e| e.to_string()),
        Some(CodeTable::ResidentId) => {
            // "ID number or USCC" fields hold either kind of subject.
            ResidentId::parse(text)
                .map(|id| id.as_str().to_owned())
                .or_else(|e| {
                    if field.key.contains("uscc") {
                        Uscc::parse(text).map(|u| u.as_str().to_owned())
                    } else {
                        Err(e)
                    }
                })
                .map_err(|e| e.to_string())
        }
        Some(CodeTable::Region) => regions()
            .get(text)
            .map(|r| r.code.to_owned())
            .ok_or_else(|| format!("未知行政区划代码：{text}")),
        Some(CodeTable::Industry) => {
            let known =
                industries().division(text).is_some() || industries().section(text).is_some();
            if known {
                Ok(text.to_owned())
            } else {
                Err(format!("未知行业代码：{text}"))
            }
        }
        None => Ok(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::builtin;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn row<'a>(item: &'a Item, cells: &[(&str, &'a str)]) -> Vec<(&'a Field, &'a str)> {
        cells
            .iter()
            .map(|(k, v)| (item.field(k).unwrap(), *v))
            .collect()
    }

    #[test]
    fn headers_map_by_key_label_or_alias() {
        let item = builtin().item("tax.tax_arrears").unwrap();
        let mapped = item
            .map_headers(&["\u{feff}统一社会信用代码".into(), "enterprise_name".into()])
            .unwrap();
        assert_eq!(mapped[0].key, "uscc");
        assert_eq!(
            item.map_headers(&["uscc".into(), "纳税人识别号".into()])
                .unwrap_err(),
            ["纳税人识别号"]
        );
    }

    #[test]
    fn a_good_row_is_normalised() {
        let item = builtin().item("tax.tax_arrears").unwrap();
        let checked = item
            .check_row(
                &row(
                    item,
                    &[
                        ("uscc", "914403001922038216"),
                        ("has_tax_arrears", "是"),
                        ("tax_arrears_amount", "12,345.60"),
                    ],
                ),
                today(),
            )
            .unwrap();
        assert_eq!(checked.subject, "914403001922038216");
        assert_eq!(checked.values["has_tax_arrears"], Value::Bool(true));
        assert_eq!(
            checked.values["tax_arrears_amount"],
            Value::String("12345.60".into())
        );
    }

    #[test]
    fn bad_cells_are_each_explained() {
        let item = builtin().item("tax.tax_arrears").unwrap();
        let errors = item
            .check_row(
                &row(
                    item,
                    &[
                        ("uscc", "914403001922038217"),
                        ("has_tax_arrears", "也许"),
                        ("tax_arrears_amount", "-5"),
                    ],
                ),
                today(),
            )
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["uscc", "has_tax_arrears", "tax_arrears_amount"]);
        assert!(errors[0].reason.contains("校验位"));
        assert!(errors[2].reason.contains("负数"));
        let missing = item.check_row(&[], today()).unwrap_err();
        assert!(
            missing
                .iter()
                .any(|e| e.field == "uscc" && e.reason.contains("必填"))
        );
    }

    #[test]
    fn future_dates_are_refused() {
        let item = builtin()
            .item("market_registration.change_records")
            .unwrap();
        let errors = item
            .check_row(
                &row(
                    item,
                    &[
                        ("uscc", "914403001922038216"),
                        ("change_date", "2027-01-01"),
                    ],
                ),
                today(),
            )
            .unwrap_err();
        assert!(errors[0].reason.contains("不能晚于今天"));
        let ok = item
            .check_row(
                &row(
                    item,
                    &[("uscc", "914403001922038216"), ("change_date", "2026/3/5")],
                ),
                today(),
            )
            .unwrap();
        assert_eq!(ok.natural_key, ["914403001922038216", "2026-03-05"]);
    }

    #[test]
    fn validity_ends_may_lie_in_the_future() {
        let item = builtin()
            .item("market_registration.business_license")
            .unwrap();
        let to = item.field("operating_term_to").unwrap();
        let from = item.field("operating_term_from").unwrap();
        assert!(to.allow_future && !from.allow_future);
        let ok = item
            .check_row(
                &row(
                    item,
                    &[
                        ("uscc", "914403001922038216"),
                        ("operating_term_from", "2020-01-01"),
                        ("operating_term_to", "2050-12-31"),
                    ],
                ),
                today(),
            )
            .unwrap();
        assert_eq!(
            ok.values["operating_term_to"],
            Value::String("2050-12-31".into())
        );
        // The start of the term is an ordinary date: the future is still refused there.
        let errors = item
            .check_row(
                &row(
                    item,
                    &[
                        ("uscc", "914403001922038216"),
                        ("operating_term_from", "2050-01-01"),
                    ],
                ),
                today(),
            )
            .unwrap_err();
        assert_eq!(errors[0].field, "operating_term_from");
        assert!(errors[0].reason.contains("不能晚于今天"));
    }

    #[test]
    fn a_month_field_follows_its_flag() {
        let mut item = builtin()
            .item("housing_fund.employer_basic_info")
            .unwrap()
            .clone();
        let cells = [
            ("uscc", "914403001922038216"),
            ("employer_account_no", "A1"),
            ("paid_up_to_month", "2027-03"),
        ];
        let errors = item.check_row(&row(&item, &cells), today()).unwrap_err();
        assert!(errors[0].reason.contains("不能晚于本月"), "{errors:?}");
        let field = item
            .fields
            .iter_mut()
            .find(|f| f.key == "paid_up_to_month")
            .unwrap();
        field.allow_future = true;
        let ok = item.check_row(&row(&item, &cells), today()).unwrap();
        assert_eq!(
            ok.values["paid_up_to_month"],
            Value::String("2027-03".into())
        );
    }

    #[test]
    fn every_validity_end_in_v1_allows_the_future() {
        let flagged: Vec<String> = builtin()
            .items
            .iter()
            .flat_map(|i| {
                i.fields
                    .iter()
                    .filter(|f| f.allow_future)
                    .map(move |f| format!("{}.{}", i.key, f.key))
            })
            .collect();
        for expected in [
            "administrative.administrative_license.valid_to",
            "market_registration.business_license.operating_term_to",
            "agriculture.agri_insurance.policy_valid_to",
            "qualifications.transport.valid_until",
            "intellectual_property.trademarks.exclusive_right_end_date",
        ] {
            assert!(flagged.iter().any(|f| f == expected), "{expected}");
        }
        // Event dates stay in the past.
        assert!(!flagged.iter().any(|f| f.ends_with(".decision_date")));
    }
}
