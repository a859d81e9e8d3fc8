//! Rules for every file the platform writes for people to open (CSV, XLSX).

fn is_plain_number(text: &str) -> bool {
    let (int, frac) = text.split_once('.').unwrap_or((text, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

/// Neutralises spreadsheet formulas: a cell starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would run as a formula in Excel or WPS (CSV injection, e.g.
/// `=cmd|' /C calc'!A0`), so it gets a leading apostrophe and is shown as text. Plain negative
/// numbers are left alone so amounts stay numbers.
pub fn safe_cell(value: &str) -> std::borrow::Cow<'_, str> {
    let risky = value.starts_with(['=', '+', '@', '\t', '\r'])
        || value
            .strip_prefix('-')
            .is_some_and(|rest| !is_plain_number(rest));
    if risky {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::safe_cell;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text() {
        for bad in [
            "=cmd|' /C calc'!A0",
            "+1+1",
            "@SUM(A1)",
            "-2+3",
            "\t=1",
            "=HYPERLINK(\"x\")",
        ] {
            assert!(safe_cell(bad).starts_with('\''), "{bad}");
        }
        for fine in [
            "郑州华信商贸有限公司",
            "914403001922038216",
            "-12.50",
            "12",
            "",
        ] {
            assert_eq!(safe_cell(fine), fine);
        }
    }

    proptest! {
        #[test]
        fn no_output_starts_a_formula(s in ".*") {
            let out = safe_cell(&s);
            let first = out.chars().next();
            prop_assert!(!matches!(first, Some('=' | '+' | '@' | '\t' | '\r')));
            if let Some(rest) = out.strip_prefix('-') {
                prop_assert!(super::is_plain_number(rest));
            }
        }
    }
}
