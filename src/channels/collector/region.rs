//! A region's VK pages read with its read token, connected or not: followers of up to 500
//! communities in one `groups.getById`, then their walls 25 at a time in one `execute`, so
//! a region of 4,400 pages takes about 190 calls at VK's three a second.

use serde_json::Value;
use sqlx::PgPool;

use super::week::{posts_of, week_of};
use super::{VK_PAUSE, record, today_of};
use crate::channels::apis::{Apis, Reply};
use crate::channels::db::collection::Due;

/// Communities named in one `groups.getById` call.
const NAMES_PER_CALL: usize = 500;
/// Calls `execute` runs in one.
const CALLS_PER_EXECUTE: usize = 25;

/// The communities of a `groups.getById` answer: 5.199 answers `{"groups": [...]}`, older
/// versions a bare list.
pub fn groups_of(answer: &Value) -> Vec<Value> {
    answer
        .get("groups")
        .unwrap_or(answer)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The community's name as `groups.getById` takes it: `school5` or `club123`.
fn vk_name(url_key: &str) -> &str {
    url_key.strip_prefix("vk.com/").unwrap_or(url_key)
}

/// The community of the answer that is this page's.
fn community_of<'a>(groups: &'a [Value], name: &str) -> Option<&'a Value> {
    groups.iter().find(|g| {
        let id = g.get("id").and_then(Value::as_i64);
        let screen = g.get("screen_name").and_then(Value::as_str).unwrap_or("");
        screen.eq_ignore_ascii_case(name) || id.is_some_and(|id| name == format!("club{id}"))
    })
}

/// A page whose community VK answered for.
struct Found<'a> {
    page: &'a Due,
    group: i64,
    followers: Option<i64>,
}

pub async fn collect(
    db: &PgPool,
    apis: &Apis,
    token: &str,
    pages: &[Due],
) -> Result<(), sqlx::Error> {
    for chunk in pages.chunks(NAMES_PER_CALL) {
        let names: Vec<&str> = chunk.iter().map(|p| vk_name(&p.url_key)).collect();
        let answer = apis
            .vk_method(
                "groups.getById",
                token,
                vec![
                    ("group_ids", names.join(",")),
                    ("fields", "members_count".to_owned()),
                ],
            )
            .await;
        tokio::time::sleep(VK_PAUSE).await;
        let groups = match answer {
            Ok(answer) => groups_of(&answer),
            Err(reply) => {
                let mut tx = db.begin().await?;
                for page in chunk {
                    record(&mut tx, page, Err(reply.clone())).await?;
                }
                tx.commit().await?;
                continue;
            }
        };
        let mut found = Vec::with_capacity(chunk.len());
        let mut tx = db.begin().await?;
        for page in chunk {
            match community_of(&groups, vk_name(&page.url_key)) {
                Some(g) => found.push(Found {
                    page,
                    group: g.get("id").and_then(Value::as_i64).unwrap_or_default(),
                    followers: g.get("members_count").and_then(Value::as_i64),
                }),
                None => {
                    let missing = Reply::Refused("VK: no such community".to_owned());
                    record(&mut tx, page, Err(missing)).await?;
                }
            }
        }
        tx.commit().await?;
        for walls in found.chunks(CALLS_PER_EXECUTE) {
            read_walls(db, apis, token, walls).await?;
            tokio::time::sleep(VK_PAUSE).await;
        }
    }
    Ok(())
}

/// This week's walls of up to 25 communities in one `execute`, written in one transaction.
async fn read_walls(
    db: &PgPool,
    apis: &Apis,
    token: &str,
    walls: &[Found<'_>],
) -> Result<(), sqlx::Error> {
    let calls: Vec<String> = walls
        .iter()
        .map(|f| {
            format!(
                r#"API.wall.get({{"owner_id":{},"count":100,"filter":"owner"}})"#,
                -f.group.abs()
            )
        })
        .collect();
    let code = format!("return [{}];", calls.join(","));
    let executed = apis.vk_execute(token, code).await;
    let mut tx = db.begin().await?;
    match executed {
        Ok(executed) => {
            let mut reasons = executed.errors.into_iter();
            for (i, f) in walls.iter().enumerate() {
                let fetched = match executed.answers.get(i) {
                    Some(wall) if wall.is_object() => {
                        let tz = crate::regions::time::zone_of(&f.page.time_zone);
                        Ok(week_of(f.followers, &posts_of(wall), today_of(f.page), tz))
                    }
                    _ => Err(Reply::Refused(
                        reasons.next().unwrap_or_else(|| "VK: no answer".to_owned()),
                    )),
                };
                record(&mut tx, f.page, fetched).await?;
            }
        }
        Err(reply) => {
            for f in walls {
                record(&mut tx, f.page, Err(reply.clone())).await?;
            }
        }
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_page_finds_its_community_by_name_or_number() {
        let groups = groups_of(&json!({"groups": [
            {"id": 5, "screen_name": "School5"},
            {"id": 123, "screen_name": "club123"},
            {"id": 7, "screen_name": "renamed"}
        ]}));
        let id = |name| community_of(&groups, name).and_then(|g| g["id"].as_i64());
        assert_eq!(id("school5"), Some(5));
        assert_eq!(id("club123"), Some(123));
        assert_eq!(id("club7"), Some(7));
        assert_eq!(id("gone"), None);
        assert_eq!(vk_name("vk.com/club7"), "club7");
    }
}
