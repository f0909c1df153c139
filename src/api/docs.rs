//! `/api/docs`: the OpenAPI document read for people, rendered here from the same document
//! `/api/openapi.json` serves, so the reference cannot drift from the API; no script, no CDN.

use askama::Template;
use axum::response::Response;
use serde_json::Value;

use crate::error::AppResult;
use crate::web::chrome::Chrome;
use crate::web::render::render;

pub struct Operation {
    pub method: String,
    pub path: String,
    pub anchor: String,
    pub summary: String,
    pub description: String,
    pub scopes: Vec<String>,
    pub parameters: Vec<Field>,
    pub body: Option<String>,
    pub responses: Vec<(String, String, Option<String>)>,
}

pub struct Field {
    pub name: String,
    pub kind: String,
    pub required: bool,
    pub description: String,
}

pub struct Schema {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "api/docs.html")]
pub struct DocsScreen {
    pub chrome: Chrome,
    pub title: String,
    pub description: String,
    pub operations: Vec<Operation>,
    pub schemas: Vec<Schema>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_owned()
}

fn ref_name(v: &Value) -> Option<String> {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
        .map(str::to_owned)
}

/// A schema's type in a few words: `integer`, `string or null`, `array of Question`.
fn kind(v: &Value) -> String {
    if let Some(name) = ref_name(v) {
        return name;
    }
    if let Some(all) = v.get("oneOf").and_then(Value::as_array) {
        return all.iter().map(kind).collect::<Vec<_>>().join(" or ");
    }
    let base = match v.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        Some(Value::String(t)) if t == "array" => {
            format!("array of {}", v.get("items").map(kind).unwrap_or_default())
        }
        Some(Value::String(t)) => t.clone(),
        _ => "any".to_owned(),
    };
    match v.get("format").and_then(Value::as_str) {
        Some(f) => format!("{base} ({f})"),
        None => base,
    }
}

fn schema_of(content: &Value) -> Option<String> {
    content
        .pointer("/content/application~1json/schema")
        .map(kind)
}

pub fn screen(chrome: Chrome) -> DocsScreen {
    let doc = super::openapi::document();
    let mut operations = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(methods) = item.as_object() else {
                continue;
            };
            for (method, op) in methods {
                let parameters = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .map(|p| Field {
                                name: format!("{} ({})", text(p, "name"), text(p, "in")),
                                kind: p.get("schema").map(kind).unwrap_or_default(),
                                required: p.get("required").and_then(Value::as_bool) == Some(true),
                                description: text(p, "description"),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .map(|rs| {
                        rs.iter()
                            .map(|(status, r)| {
                                (status.clone(), text(r, "description"), schema_of(r))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let scopes = op
                    .pointer("/security/0/token")
                    .and_then(Value::as_array)
                    .map(|s| {
                        s.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                operations.push(Operation {
                    method: method.to_uppercase(),
                    anchor: format!("{method}{}", path.replace(['/', '{', '}'], "-")),
                    path: path.clone(),
                    summary: text(op, "summary"),
                    description: text(op, "description"),
                    scopes,
                    parameters,
                    body: op.get("requestBody").and_then(schema_of),
                    responses,
                });
            }
        }
    }
    let mut schemas = Vec::new();
    if let Some(all) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, s) in all {
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let fields = s
                .get("properties")
                .and_then(Value::as_object)
                .map(|ps| {
                    ps.iter()
                        .map(|(field, p)| Field {
                            name: field.clone(),
                            kind: kind(p),
                            required: required.contains(&field.as_str()),
                            description: text(p, "description"),
                        })
                        .collect()
                })
                .unwrap_or_default();
            schemas.push(Schema {
                name: name.clone(),
                description: text(s, "description"),
                fields,
            });
        }
    }
    DocsScreen {
        chrome,
        title: doc
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        description: doc
            .pointer("/info/description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        operations,
        schemas,
    }
}

pub async fn show(chrome: Chrome) -> AppResult<Response> {
    render(&screen(chrome))
}
