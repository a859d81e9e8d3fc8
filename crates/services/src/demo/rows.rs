//! One JSON Lines row of a demo batch, written straight to text (the demo writes millions).

use std::fmt::Write;

pub(super) struct Row(String);

impl Row {
    pub fn new() -> Row {
        let mut text = String::with_capacity(384);
        text.push('{');
        Row(text)
    }

    fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
    }

    /// A string value, escaped as JSON.
    pub fn s(mut self, key: &str, value: impl AsRef<str>) -> Row {
        let value = value.as_ref();
        self.key(key);
        self.0.push('"');
        for c in value.chars() {
            match c {
                '"' => self.0.push_str("\\\""),
                '\\' => self.0.push_str("\\\\"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(self.0, "\\u{:04x}", c as u32);
                }
                c => self.0.push(c),
            }
        }
        self.0.push('"');
        self
    }

    pub fn n(mut self, key: &str, value: i64) -> Row {
        self.key(key);
        let _ = write!(self.0, "{value}");
        self
    }

    pub fn b(mut self, key: &str, value: bool) -> Row {
        self.key(key);
        self.0.push_str(if value { "true" } else { "false" });
        self
    }

    /// A nested object or array.
    pub fn j(mut self, key: &str, value: serde_json::Value) -> Row {
        self.key(key);
        self.0.push_str(&value.to_string());
        self
    }

    pub fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}
