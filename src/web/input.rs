//! Text no person typed and PostgreSQL cannot store — NUL and the other control characters
//! but tab and line breaks, broken percent-encoding, bytes that are not UTF-8, a query value
//! of absurd length — is refused at the door, for every query string and every form, so no
//! handler meets it: 400 for a query, 422 for a form, naming the field.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ErrorKind;
use crate::web::csrf::FORM_LIMIT;

/// Longer than any search or filter a person types; a form's fields are bounded by the form
/// limit and by their own validation.
pub const MAX_QUERY_VALUE: usize = 2_000;

/// Which field of a refused request was at fault, for the error page.
#[derive(Clone, Debug)]
pub struct BadField(pub String);

/// Checks `a=b&c=d` pairs; the name of the first field that holds what no one types.
pub fn bad_field(raw: &[u8], max_value: Option<usize>) -> Option<String> {
    for pair in raw.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let name = decode(name);
        let shown = name
            .as_deref()
            .map(str::to_owned)
            .unwrap_or_else(|| String::from_utf8_lossy(pair).chars().take(40).collect());
        let (Some(name), Some(value)) = (name, decode(value)) else {
            return Some(shown);
        };
        let too_long = max_value.is_some_and(|max| value.chars().count() > max);
        if too_long || !typeable(&name) || !typeable(&value) {
            return Some(name);
        }
    }
    None
}

/// Percent-decoded UTF-8 with `+` as a space, or none when the encoding is broken.
fn decode(raw: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = raw.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// No control characters but tab, line feed and carriage return.
fn typeable(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

fn refuse(kind: ErrorKind, field: String) -> Response {
    let mut response = kind.status().into_response();
    response.extensions_mut().insert(kind);
    response.extensions_mut().insert(BadField(field));
    response
}

pub async fn middleware(req: Request, next: Next) -> Response {
    if let Some(field) = req
        .uri()
        .query()
        .and_then(|q| bad_field(q.as_bytes(), Some(MAX_QUERY_VALUE)))
    {
        return refuse(ErrorKind::BadQuery, field);
    }
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // Over the form limit: the CSRF check below answers 413 on its own.
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return ErrorKind::PayloadTooLarge.status().into_response();
    };
    if let Some(field) = bad_field(&bytes, None) {
        return refuse(ErrorKind::BadForm, field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_no_one_types_is_refused_with_its_field() {
        let long = format!("q={}", "а".repeat(MAX_QUERY_VALUE + 1));
        let cases: &[(&str, Option<&str>)] = &[
            ("q=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0+5&page=2", None),
            ("text=line%0Aline%0D%0A%09tab", None),
            ("", None),
            ("flag", None),
            ("q=a%00b", Some("q")),
            ("page=1&name=%07bell", Some("name")),
            ("q=%E2%80%8Bzero-width-is-text", None),
            ("q=%ZZ", Some("q")),
            ("q=50%", Some("q")),
            ("q=%FF%FE", Some("q")),
            ("%00=x", Some("\u{0}")),
            (&long, Some("q")),
        ];
        for (raw, expected) in cases {
            assert_eq!(
                bad_field(raw.as_bytes(), Some(MAX_QUERY_VALUE)).as_deref(),
                *expected,
                "{raw}"
            );
        }
        // A form's values are bounded by the form limit, not by the query's.
        assert_eq!(bad_field(long.as_bytes(), None), None);
    }
}
