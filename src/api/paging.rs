//! Lists a page at a time: oldest change first, the next page after the (updated_at, id) of
//! the last item, given back as an opaque cursor. A system mirroring the region keeps the
//! last cursor and asks again later.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Items when the caller does not say, and the most a page holds.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

/// A page of a list.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, limit: i64, key: impl Fn(&T) -> (DateTime<Utc>, i64)) -> Page<T> {
        let next_cursor = (items.len() as i64 == limit)
            .then(|| items.last().map(|last| cursor(key(last))))
            .flatten();
        Page { items, next_cursor }
    }
}

fn cursor((at, id): (DateTime<Utc>, i64)) -> String {
    format!("{}.{id}", at.timestamp_micros())
}

fn parse_cursor(s: &str) -> Option<(DateTime<Utc>, i64)> {
    let (micros, id) = s.split_once('.')?;
    Some((
        DateTime::from_timestamp_micros(micros.parse().ok()?)?,
        id.parse().ok()?,
    ))
}

/// Where a list starts and how long it is.
pub struct Paging {
    pub after: Option<(DateTime<Utc>, i64)>,
    pub updated_since: Option<DateTime<Utc>>,
    pub limit: i64,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Reads `cursor`, `updated_since` and `limit`; a wrong one is a message in `fields`.
pub fn read(
    cursor: &Option<String>,
    updated_since: &Option<String>,
    limit: &Option<String>,
    fields: &mut BTreeMap<String, String>,
) -> Paging {
    let after = given(cursor).and_then(|c| {
        let parsed = parse_cursor(c);
        if parsed.is_none() {
            fields.insert("cursor".into(), "not a cursor this API gave".into());
        }
        parsed
    });
    let updated_since = given(updated_since).and_then(|s| match s.parse::<DateTime<Utc>>() {
        Ok(t) => Some(t),
        Err(_) => {
            fields.insert(
                "updated_since".into(),
                "an RFC 3339 time, for example 2026-11-30T00:00:00Z".into(),
            );
            None
        }
    });
    let limit = match given(limit).map(str::parse::<i64>) {
        None => DEFAULT_LIMIT,
        Some(Ok(l)) if (1..=MAX_LIMIT).contains(&l) => l,
        Some(_) => {
            fields.insert("limit".into(), format!("from 1 to {MAX_LIMIT}"));
            DEFAULT_LIMIT
        }
    };
    Paging {
        after,
        updated_since,
        limit,
    }
}

/// An id filter; a wrong one is a message in `fields`.
pub fn id(
    name: &str,
    value: &Option<String>,
    fields: &mut BTreeMap<String, String>,
) -> Option<i64> {
    let v = given(value)?;
    match v.parse::<i64>() {
        Ok(id) => Some(id),
        Err(_) => {
            fields.insert(name.into(), "not a number".into());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_a_forged_one_is_said() {
        let at = DateTime::from_timestamp_micros(1_764_460_800_123_456).unwrap();
        assert_eq!(parse_cursor(&cursor((at, 42))), Some((at, 42)));
        let mut fields = BTreeMap::new();
        let p = read(
            &Some("x.y".into()),
            &Some("вчера".into()),
            &Some("5000".into()),
            &mut fields,
        );
        assert_eq!(p.limit, DEFAULT_LIMIT);
        assert_eq!(fields.len(), 3);
    }
}
