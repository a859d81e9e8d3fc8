//! 脱敏 (masking): the ONE masking policy. Every output — API JSON, HTML, CSV/XLSX exports,
//! the CLI and reports — masks through [`mask_value`], so a value is hidden the same way
//! wherever it leaves.
//!
//! What a field masks to is decided by its [`MaskKind`], derived from the catalogue field
//! ([`mask_kind`]); some kinds look at the value, because the texts put a person and an
//! organisation in one column (姓名/名称, 身份证号码/统一社会信用代码): an organisation's name
//! or USCC is public by law, a person's is not.
//!
//! | kind | example | masked |
//! |---|---|---|
//! | ID number | `410105199001011234` | `4101**********1234` |
//! | person's name | `张三` | `张*` |
//! | phone | `13812341234` | `138****1234` |
//! | amount | `1234567.00` 元 | `100万–500万元` (a band) |
//! | address | `河南省郑州市金水区花园路1号` | `河南省郑州市金水区****` |

use crate::catalog::{CodeTable, Field, FieldType};
use crate::codes::uscc::Uscc;
use serde::Serialize;

/// How a field's value is masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MaskKind {
    /// A resident ID number (居民身份证号码) or other personal document number.
    IdNumber,
    /// A column that holds a person's ID number or an organisation's USCC.
    IdOrUscc,
    /// A natural person's name (自然人姓名).
    PersonName,
    /// A column that holds a person's or an organisation's name.
    NameOrOrg,
    /// A telephone number.
    Phone,
    /// A money amount, shown as a band.
    Amount,
    /// An address, shown to the district.
    Address,
    /// Nothing in the value identifies a person or tells an amount: masking leaves it as it is
    /// (for 授权共享 fields the access rule withholds such a value instead).
    Opaque,
}

impl MaskKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            MaskKind::IdNumber => "证件号码",
            MaskKind::IdOrUscc => "证件号码或统一社会信用代码",
            MaskKind::PersonName => "自然人姓名",
            MaskKind::NameOrOrg => "姓名或名称",
            MaskKind::Phone => "电话",
            MaskKind::Amount => "金额",
            MaskKind::Address => "地址",
            MaskKind::Opaque => "无",
        }
    }
}

/// The mask kind of a catalogue field, from its code table, type, unit and label.
pub fn mask_kind(field: &Field) -> MaskKind {
    let label = field.label.as_str();
    let key = field.key.as_str();
    let has = |needles: &[&str]| needles.iter().any(|n| label.contains(n));
    let mixed_id = has(&["统一社会信用代码"]) || (has(&["证照"]) && has(&["证件"]));
    if field.code_table == Some(CodeTable::ResidentId) {
        return if mixed_id {
            MaskKind::IdOrUscc
        } else {
            MaskKind::IdNumber
        };
    }
    if field.code_table == Some(CodeTable::Uscc) {
        // An enterprise's own code is public; a column that may also hold a person's ID is not.
        return if has(&["身份证", "证件"]) {
            MaskKind::IdOrUscc
        } else {
            MaskKind::Opaque
        };
    }
    if has(&["身份证", "证件号", "证照号", "证件号码"]) || key.ends_with("id_number") {
        return if mixed_id || has(&["证照"]) {
            MaskKind::IdOrUscc
        } else {
            MaskKind::IdNumber
        };
    }
    if has(&["电话", "手机", "联系方式"]) || key.contains("phone") {
        return MaskKind::Phone;
    }
    if has(&["地址", "住所", "住址"]) || key.ends_with("address") {
        return MaskKind::Address;
    }
    if has(&["姓名"]) || key.ends_with("person_name") {
        return if has(&["名称"]) {
            MaskKind::NameOrOrg
        } else {
            MaskKind::PersonName
        };
    }
    let money_unit = matches!(
        field.unit.as_deref(),
        Some("yuan" | "wan_yuan" | "元" | "万元")
    );
    if field.field_type == FieldType::Decimal && money_unit {
        return MaskKind::Amount;
    }
    MaskKind::Opaque
}

/// The masked form of `value`, or `None` when the kind has nothing to mask to
/// ([`MaskKind::Opaque`]) — the caller then decides between showing and withholding.
pub fn mask_value(kind: MaskKind, value: &str, unit: Option<&str>) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return Some(String::new());
    }
    Some(match kind {
        MaskKind::IdNumber => mask_id_number(value),
        MaskKind::IdOrUscc => {
            if Uscc::parse(value).is_ok() {
                value.to_owned()
            } else {
                mask_id_number(value)
            }
        }
        MaskKind::PersonName => mask_person_name(value),
        MaskKind::NameOrOrg => {
            if looks_like_organisation(value) {
                value.to_owned()
            } else {
                mask_person_name(value)
            }
        }
        MaskKind::Phone => mask_phone(value),
        MaskKind::Amount => amount_band(value, unit),
        MaskKind::Address => address_to_district(value),
        MaskKind::Opaque => return None,
    })
}

/// `4101**********123X`: the first four and last four characters, the rest starred.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len().max(4));
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

/// `张*`, `欧阳**`-style: the surname's first character, every other character starred.
pub fn mask_person_name(name: &str) -> String {
    let mut chars = name.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    format!("{first}{}", "*".repeat(chars.count().max(1)))
}

/// `138****1234`: the first three and last four digits of a mobile number; shorter numbers keep
/// only their last two.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() >= 11 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        return format!("{head}{}{tail}", "*".repeat(chars.len() - 7));
    }
    let keep = chars.len().saturating_sub(2);
    let tail: String = chars[keep..].iter().collect();
    format!("{}{tail}", "*".repeat(keep.max(4)))
}

/// Organisation names end in a legal-form or unit word; a person's name is short and has none.
fn looks_like_organisation(name: &str) -> bool {
    const ORG_WORDS: &[&str] = &[
        "公司", "集团", "厂", "社", "局", "院", "店", "中心", "部", "所", "行", "会", "队", "场",
        "站", "馆", "处", "委", "办", "组", "协会", "银行", "合作", "学校", "医院", "政府", "企业",
        "商行", "门市",
    ];
    name.chars().count() > 4 || ORG_WORDS.iter().any(|w| name.contains(w))
}

/// The band an amount falls in, in 元, computed on the decimal's integer part (no floating
/// point): `<10万`, `10万–50万`, `50万–100万`, `100万–500万`, `500万–1000万`,
/// `1000万–5000万`, `≥5000万`; `金额已隐藏` when the text is not a decimal.
pub fn amount_band(value: &str, unit: Option<&str>) -> String {
    const BANDS: &[(u128, &str)] = &[
        (100_000, "10万元以下"),
        (500_000, "10万–50万元"),
        (1_000_000, "50万–100万元"),
        (5_000_000, "100万–500万元"),
        (10_000_000, "500万–1000万元"),
        (50_000_000, "1000万–5000万元"),
    ];
    let text = value.replace([',', '，'], "");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let whole = digits.split_once('.').map_or(digits, |(w, _)| w);
    let fraction_ok = digits
        .split_once('.')
        .is_none_or(|(_, f)| f.bytes().all(|b| b.is_ascii_digit()));
    let Ok(mut yuan) = whole.parse::<u128>() else {
        return "金额已隐藏".to_owned();
    };
    if !fraction_ok {
        return "金额已隐藏".to_owned();
    }
    if matches!(unit, Some("万元" | "wan_yuan")) {
        yuan = yuan.saturating_mul(10_000);
    }
    if negative {
        return "负数（已隐藏）".to_owned();
    }
    BANDS
        .iter()
        .find(|(limit, _)| yuan < *limit)
        .map_or("5000万元以上", |(_, band)| band)
        .to_owned()
}

/// An address cut after its county-level part (区/县/旗/市辖 city), the rest starred.
pub fn address_to_district(address: &str) -> String {
    let chars: Vec<char> = address.chars().collect();
    // The first county-level marker after a possible province/city prefix.
    let cut = chars
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, c)| matches!(c, '区' | '县' | '旗'))
        .map(|(i, _)| i + 1)
        .or_else(|| {
            // No county marker: keep up to the last 市 among the first ten characters.
            chars
                .iter()
                .take(10)
                .rposition(|c| *c == '市')
                .map(|i| i + 1)
        })
        .unwrap_or(0);
    let head: String = chars[..cut].iter().collect();
    format!("{head}****")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::builtin;
    use proptest::prelude::*;

    #[test]
    fn the_issue_examples() {
        assert_eq!(mask_id_number("41010519900101123X"), "4101**********123X");
        assert_eq!(mask_person_name("张三"), "张*");
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(
            address_to_district("河南省郑州市金水区花园路1号"),
            "河南省郑州市金水区****"
        );
        assert_eq!(amount_band("1234567.00", Some("元")), "100万–500万元");
        assert_eq!(amount_band("12.5", Some("万元")), "10万–50万元");
        assert_eq!(amount_band("99999.99", Some("元")), "10万元以下");
        assert_eq!(amount_band("50000000", Some("元")), "5000万元以上");
        assert_eq!(amount_band("abc", Some("元")), "金额已隐藏");
    }

    #[test]
    fn mixed_columns_mask_people_and_show_organisations() {
        let uscc = "91350100M000100Y43";
        assert_eq!(
            mask_value(MaskKind::IdOrUscc, uscc, None).unwrap(),
            uscc,
            "an organisation's USCC is public"
        );
        assert_eq!(
            mask_value(MaskKind::IdOrUscc, "41010519900101123X", None).unwrap(),
            "4101**********123X"
        );
        assert_eq!(
            mask_value(MaskKind::NameOrOrg, "郑州市某某商贸有限公司", None).unwrap(),
            "郑州市某某商贸有限公司"
        );
        assert_eq!(
            mask_value(MaskKind::NameOrOrg, "李四", None).unwrap(),
            "李*"
        );
        assert_eq!(mask_value(MaskKind::Opaque, "x", None), None);
    }

    #[test]
    fn catalogue_fields_get_the_kinds_their_labels_promise() {
        let catalog = builtin();
        let kind_of = |label: &str| {
            catalog
                .items
                .iter()
                .flat_map(|i| i.fields.iter())
                .find(|f| f.label == label)
                .map(mask_kind)
                .unwrap_or_else(|| panic!("no field labelled {label}"))
        };
        assert_eq!(kind_of("法定代表人姓名"), MaskKind::PersonName);
        assert_eq!(kind_of("法定代表人证件号码"), MaskKind::IdNumber);
        assert_eq!(kind_of("身份证号码/统一社会信用代码"), MaskKind::IdOrUscc);
        assert_eq!(kind_of("被执行人姓名/名称"), MaskKind::NameOrOrg);
        assert_eq!(kind_of("住所"), MaskKind::Address);
        assert_eq!(kind_of("欠税金额"), MaskKind::Amount);
        // Every field labelled as a personal identifier masks to something.
        for field in catalog.items.iter().flat_map(|i| i.fields.iter()) {
            if field.label.contains("身份证") || field.label.ends_with("姓名") {
                assert_ne!(mask_kind(field), MaskKind::Opaque, "{}", field.label);
            }
        }
    }

    proptest! {
        #[test]
        fn masked_ids_keep_length_and_hide_the_middle(id in "[0-9]{17}[0-9X]") {
            let masked = mask_id_number(&id);
            prop_assert_eq!(masked.chars().count(), 18);
            prop_assert_eq!(&masked[..4], &id[..4]);
            prop_assert_eq!(&masked[14..], &id[14..]);
            prop_assert!(masked[4..14].chars().all(|c| c == '*'));
        }

        #[test]
        fn masked_names_never_contain_the_given_name(name in "[\u{4e00}-\u{9fa5}]{2,4}") {
            let masked = mask_person_name(&name);
            let given: String = name.chars().skip(1).collect();
            prop_assert!(!masked.contains(&given));
            prop_assert!(masked.starts_with(name.chars().next().unwrap()));
        }

        #[test]
        fn masked_phones_hide_the_middle_four(phone in "1[3-9][0-9]{9}") {
            let masked = mask_phone(&phone);
            prop_assert_eq!(&masked[..3], &phone[..3]);
            prop_assert_eq!(&masked[3..7], "****");
            prop_assert_eq!(&masked[7..], &phone[7..]);
        }

        #[test]
        fn amount_bands_are_ordered(a in 0u64..100_000_000_000, b in 0u64..100_000_000_000) {
            let rank = |v: u64| {
                let band = amount_band(&format!("{v}.00"), Some("元"));
                ["10万元以下", "10万–50万元", "50万–100万元", "100万–500万元",
                 "500万–1000万元", "1000万–5000万元", "5000万元以上"]
                    .iter().position(|b| *b == band).expect("a known band")
            };
            if a <= b { prop_assert!(rank(a) <= rank(b)); }
            let band = amount_band(&a.to_string(), Some("元"));
            prop_assert!(!band.contains(&a.to_string()) || a < 10);
        }

        #[test]
        fn addresses_lose_everything_after_the_district(street in "[\u{4e00}-\u{9fa5}]{2,8}路[0-9]{1,4}号") {
            let address = format!("河南省郑州市金水区{street}");
            let masked = address_to_district(&address);
            prop_assert_eq!(masked, "河南省郑州市金水区****".to_owned());
        }
    }
}
