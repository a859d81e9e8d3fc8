//! Deterministic synthetic rows for one catalogue item and one subject, shaped by the item's
//! fields: the subject in its subject fields, valid national codes in code fields, past dates,
//! non-negative amounts.

use chrono::{Duration, NaiveDate};
use serde_json::{Map, Value};
use xinrong_core::catalog::{CodeTable, Field, FieldType, Item};
use xinrong_core::codes::industry::industries;
use xinrong_core::codes::resident_id::ResidentId;
use xinrong_core::codes::uscc::Uscc;

/// A stable 64-bit hash (FNV-1a then a splitmix finaliser): the same inputs give the same rows
/// on every run and machine.
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The rows the simulated provider holds about `subject` for `item`: one, or up to three when
/// the natural key has fields besides the subject.
pub fn rows_for(item: &Item, subject: &str, seed: u64) -> Vec<Map<String, Value>> {
    let seed_text = seed.to_string();
    let base = stable_hash(&[&seed_text, &item.key, subject]);
    let multi = item
        .natural_key
        .iter()
        .any(|k| !item.subject_fields.contains(k));
    let count = if multi { 1 + (base % 3) as usize } else { 1 };
    (0..count)
        .map(|i| {
            item.fields
                .iter()
                .map(|f| {
                    let h = stable_hash(&[&seed_text, &item.key, subject, &f.key, &i.to_string()]);
                    let value = if item.subject_fields.contains(&f.key) {
                        Value::String(subject.to_owned())
                    } else {
                        value_for(f, h, i)
                    };
                    (f.key.clone(), value)
                })
                .collect()
        })
        .collect()
}

fn value_for(field: &Field, h: u64, row: usize) -> Value {
    let epoch = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
    match field.field_type {
        FieldType::String => {
            if field.key.ends_with("_name") || field.label.ends_with("名称") {
                Value::String(format!("示例{}{}", field.label, h % 1000))
            } else {
                Value::String(format!("{}{}", field.label, h % 10_000))
            }
        }
        FieldType::Enum => {
            let options: Vec<&str> = field
                .note
                .as_deref()
                .map(|n| n.split(['/', '、']).map(str::trim).collect())
                .unwrap_or_default();
            match options.get((h % options.len().max(1) as u64) as usize) {
                Some(o) if !o.is_empty() && o.chars().count() <= 8 => Value::String((*o).into()),
                _ => Value::String(format!("类别{}", h % 3 + 1)),
            }
        }
        FieldType::Date => {
            let date = epoch + Duration::days((h % 600) as i64 + row as i64 * 30);
            Value::String(date.to_string())
        }
        FieldType::Month => Value::String(format!("2024-{:02}", (h % 12) + 1)),
        FieldType::Decimal => Value::String(format!("{}.{:02}", h % 1_000_000, (h >> 20) % 100)),
        FieldType::Integer => Value::from(
            ((h % 200) as i64)
                + if field.key.contains("year") {
                    2020 + row as i64
                } else {
                    0
                },
        ),
        FieldType::Boolean => Value::Bool(h.is_multiple_of(2)),
        FieldType::Code => Value::String(code_for(field, h)),
        FieldType::Object => Value::Object(Map::new()),
        FieldType::Array => Value::Array(Vec::new()),
    }
}

fn code_for(field: &Field, h: u64) -> String {
    match field.code_table {
        Some(CodeTable::Uscc) => {
            let digits = format!("{:09}", h % 1_000_000_000);
            Uscc::from_body(&format!("91410100{digits}"))
                .map(|u| u.as_str().to_owned())
                .unwrap_or_default()
        }
        Some(CodeTable::ResidentId) => {
            let day = 1 + h % 28;
            let serial = h % 1000;
            ResidentId::from_body(&format!(
                "4101021980{:02}{day:02}{serial:03}",
                1 + (h >> 8) % 12
            ))
            .map(|id| id.as_str().to_owned())
            .unwrap_or_default()
        }
        Some(CodeTable::Region) => "410100".to_owned(),
        Some(CodeTable::Industry) => {
            let divisions: Vec<_> = industries().divisions().collect();
            divisions[(h % divisions.len() as u64) as usize]
                .code
                .to_owned()
        }
        None => format!("{:08}", h % 100_000_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xinrong_core::catalog::{Mode, builtin};

    #[test]
    fn every_pull_item_yields_rows_the_catalogue_accepts() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        for item in builtin()
            .items
            .iter()
            .filter(|i| i.modes.contains(&Mode::Pull))
        {
            let subject = match item
                .field(&item.subject_fields[0])
                .and_then(|f| f.code_table)
            {
                Some(CodeTable::ResidentId) => ResidentId::from_body("41010219800101001")
                    .unwrap()
                    .as_str()
                    .to_owned(),
                _ => Uscc::from_body("91410100MA44XPMU3")
                    .unwrap()
                    .as_str()
                    .to_owned(),
            };
            let subject = subject.as_str();
            let rows = rows_for(item, subject, 7);
            assert!(!rows.is_empty());
            assert_eq!(rows, rows_for(item, subject, 7), "deterministic");
            for row in rows {
                let texts: Vec<(String, String)> = row
                    .iter()
                    .map(|(k, v)| {
                        let t = match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        (k.clone(), t)
                    })
                    .collect();
                let cells: Vec<_> = texts
                    .iter()
                    .map(|(k, t)| (item.field(k).unwrap(), t.as_str()))
                    .collect();
                let checked = item
                    .check_row(&cells, today)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", item.key));
                assert_eq!(checked.subject, subject);
            }
        }
    }
}
