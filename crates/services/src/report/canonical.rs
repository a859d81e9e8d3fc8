//! The canonical JSON of a report body — what its SM3 digest is computed over: objects with
//! their keys sorted (byte order of the UTF-8 keys), no whitespace, strings and integers as
//! `serde_json` writes them. Any JSON text with the same content has the same canonical form,
//! so a pretty-printed report file verifies; any changed value does not.

use serde_json::Value;

/// Keys of a report file that are not part of what is hashed.
pub const UNHASHED_KEYS: [&str; 2] = ["digest", "ledger_index"];

/// The canonical bytes of `value`.
pub fn canonical_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, key).expect("writing to a Vec");
                out.push(b':');
                write(&map[key], out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out);
            }
            out.push(b']');
        }
        other => serde_json::to_writer(&mut *out, other).expect("writing to a Vec"),
    }
}

/// SM3 (hex) of the canonical JSON of a report body; the keys in [`UNHASHED_KEYS`] are left
/// out, so the digest of a report file's content equals the digest of its body.
pub fn digest_of(value: &Value) -> String {
    let bytes = match value {
        Value::Object(map) if UNHASHED_KEYS.iter().any(|k| map.contains_key(*k)) => {
            let mut body = map.clone();
            for k in UNHASHED_KEYS {
                body.remove(k);
            }
            canonical_json(&Value::Object(body))
        }
        other => canonical_json(other),
    };
    xinrong_ledger::sm3(&[&bytes]).to_hex()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_whitespace_do_not_matter_values_do() {
        let a: Value =
            serde_json::from_str(r#"{"b": [1, {"y": "乙", "x": null}], "a": true}"#).unwrap();
        let b = json!({"a": true, "b": [1, {"x": null, "y": "乙"}]});
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_eq!(
            String::from_utf8(canonical_json(&a)).unwrap(),
            r#"{"a":true,"b":[1,{"x":null,"y":"乙"}]}"#
        );
        let c = json!({"a": true, "b": [1, {"x": null, "y": "甲"}]});
        assert_ne!(digest_of(&a), digest_of(&c));
    }

    #[test]
    fn the_digest_and_ledger_index_are_not_hashed() {
        let body = json!({"report_id": "r", "n": 1});
        let mut file = body.clone();
        file["digest"] = json!("abc");
        file["ledger_index"] = json!(7);
        assert_eq!(digest_of(&body), digest_of(&file));
    }
}
