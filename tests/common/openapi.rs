//! Checks a real response against the API's own OpenAPI document: the schema of its path,
//! method and status, read with the subset of JSON Schema the document uses ($ref, type with
//! null, properties, required, additionalProperties, items, integer and date-time formats).

use serde_json::Value;

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("the document has no {r}")),
        None => schema,
    }
}

fn type_ok(value: &Value, t: &str, format: Option<&str>) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => match (value.as_str(), format) {
            (Some(s), Some("date-time")) => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
            (Some(_), _) => true,
            _ => false,
        },
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => panic!("a type the checker does not know: {other}"),
    }
}

/// Every way `value` departs from `schema`, as paths with what was expected.
pub fn violations(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let schema = resolve(doc, schema);
    let mut out = Vec::new();
    if let Some(any) = schema.get("oneOf").and_then(Value::as_array) {
        if !any.iter().any(|s| violations(doc, s, value, at).is_empty()) {
            out.push(format!("{at}: matches none of oneOf"));
        }
        return out;
    }
    let format = schema.get("format").and_then(Value::as_str);
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() && !types.iter().any(|t| type_ok(value, t, format)) {
        out.push(format!(
            "{at}: expected {types:?} ({format:?}), got {value}"
        ));
        return out;
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                out.push(format!("{at}.{name}: required, missing"));
            }
        }
        for (name, v) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(s) => out.extend(violations(doc, s, v, &format!("{at}.{name}"))),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => out.push(format!("{at}.{name}: not in the schema")),
                    Some(extra @ Value::Object(_)) => {
                        out.extend(violations(doc, extra, v, &format!("{at}.{name}")))
                    }
                    // A response object carrying a field its schema does not name is drift.
                    _ if properties.is_some() => {
                        out.push(format!("{at}.{name}: not in the schema"))
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, v) in list.iter().enumerate() {
            out.extend(violations(doc, items, v, &format!("{at}[{i}]")));
        }
    }
    out
}

/// Asserts that a response of `method path` (the path as the document writes it) with this
/// status and body is what the document promises.
pub fn assert_conforms(doc: &Value, method: &str, path: &str, status: u16, body: &str) {
    let escaped = path.replace('~', "~0").replace('/', "~1");
    let pointer = format!(
        "/paths/{escaped}/{}/responses/{status}/content/application~1json/schema",
        method.to_lowercase()
    );
    let schema = doc
        .pointer(&pointer)
        .unwrap_or_else(|| panic!("the document does not promise {status} for {method} {path}"));
    let value: Value = serde_json::from_str(body)
        .unwrap_or_else(|_| panic!("{method} {path} {status}: not JSON: {body}"));
    let found = violations(doc, schema, &value, "$");
    assert!(
        found.is_empty(),
        "{method} {path} {status} departs from the document:\n{}\n{body}",
        found.join("\n")
    );
}
