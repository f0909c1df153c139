//! A week's figures from what the platforms answer: the wall's posts of this week summed, the
//! last post dated, days counted in the region's time zone.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::activity::db::monday_of;
use crate::activity::derive::Week;

/// The posts of a `wall.get` answer.
pub fn posts_of(wall: &Value) -> Vec<Value> {
    wall.get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn count(post: &Value, key: &str) -> i64 {
    post.pointer(&format!("/{key}/count"))
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// This week's figures from the wall's posts (newest first, a pinned one possibly on top),
/// days counted in the region's time zone.
pub fn week_of(
    followers: Option<i64>,
    posts: &[Value],
    today: NaiveDate,
    tz: chrono_tz::Tz,
) -> Week {
    let monday = monday_of(today);
    let dated: Vec<(NaiveDate, &Value)> = posts
        .iter()
        .filter_map(|p| {
            let at = DateTime::<Utc>::from_timestamp(p.get("date")?.as_i64()?, 0)?;
            Some((at.with_timezone(&tz).date_naive(), p))
        })
        .collect();
    let this_week: Vec<&Value> = dated
        .iter()
        .filter(|(d, _)| *d >= monday && *d <= today)
        .map(|(_, p)| *p)
        .collect();
    let sum = |key: &str| this_week.iter().map(|p| count(p, key)).sum::<i64>();
    Week {
        week: monday,
        followers: followers.map(|f| f.min(i64::from(i32::MAX)) as i32),
        posts: Some(this_week.len() as i32),
        views: Some(sum("views")),
        likes: Some(sum("likes") as i32),
        comments: Some(sum("comments") as i32),
        reposts: Some(sum("reposts") as i32),
        reach: None,
        last_post_on: dated.iter().map(|(d, _)| *d).max(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn this_weeks_posts_are_summed_and_the_last_post_dated() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(); // a Thursday
        let at = |d: u32| {
            NaiveDate::from_ymd_opt(2026, 11, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp()
        };
        let post = |d, views| json!({"date": at(d), "views": {"count": views}, "likes": {"count": 2}, "comments": {"count": 1}, "reposts": {"count": 0}});
        let posts = [post(20, 900), post(25, 300), post(24, 200), post(19, 50)];
        let w = week_of(Some(1234), &posts, today, chrono_tz::Asia::Barnaul);
        assert_eq!(w.week, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!((w.posts, w.views, w.likes), (Some(2), Some(500), Some(4)));
        assert_eq!(w.followers, Some(1234));
        assert_eq!(w.last_post_on, NaiveDate::from_ymd_opt(2026, 11, 25));
        let quiet = week_of(None, &[], today, chrono_tz::Asia::Barnaul);
        assert_eq!((quiet.posts, quiet.last_post_on), (Some(0), None));
    }
}
