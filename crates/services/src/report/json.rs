//! Reading fields of an issued report's JSON, as the PDF and the report page both do: the JSON
//! is the report (it is what the digest covers), so both render from it.

use serde_json::Value;

/// A text field.
pub fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// An integer field.
pub fn int(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

/// A list field; empty when absent.
pub fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}
