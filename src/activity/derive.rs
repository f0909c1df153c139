//! What a page's weekly figures say about it: posting pace, engagement, reach, and whether it
//! is alive by the region's rule. Missing figures give "unknown", never zero.

use chrono::NaiveDate;

/// One week of a page, as recorded (a figure not known is null, never zero).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow, serde::Serialize, utoipa::ToSchema,
)]
#[schema(as = RecordedWeek)]
pub struct Week {
    /// The Monday the week starts on.
    pub week: NaiveDate,
    pub followers: Option<i32>,
    pub posts: Option<i32>,
    pub views: Option<i64>,
    pub likes: Option<i32>,
    pub comments: Option<i32>,
    pub reposts: Option<i32>,
    pub reach: Option<i64>,
    pub last_post_on: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Derived {
    /// Average posts a week over the last four recorded weeks.
    pub posts_per_week: Option<f64>,
    /// (likes + comments + reposts) ÷ views of the last week, in percent.
    pub engagement_percent: Option<f64>,
    /// Weekly reach ÷ followers of the last week.
    pub reach_ratio: Option<f64>,
    /// Views per post in the last week.
    pub average_post_reach: Option<f64>,
    pub days_since_last_post: Option<i64>,
    pub alive: Alive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alive {
    Active,
    /// Posting, but less than the region's rule for "active".
    Quiet,
    Dormant,
    Unknown,
}

impl Alive {
    pub fn code(self) -> &'static str {
        match self {
            Alive::Active => "active",
            Alive::Quiet => "quiet",
            Alive::Dormant => "dormant",
            Alive::Unknown => "unknown",
        }
    }
}

/// The region's rule: active = at least `active_posts` posts in the last `active_days` days;
/// dormant = no post for `dormant_days`.
#[derive(Clone, Copy, Debug)]
pub struct AliveRule {
    pub active_posts: i32,
    pub active_days: i32,
    pub dormant_days: i32,
}

fn per(part: Option<i64>, whole: Option<i64>) -> Option<f64> {
    match (part, whole) {
        (Some(p), Some(w)) if w > 0 => Some(p as f64 / w as f64),
        _ => None,
    }
}

/// `weeks` in any order; `today` in the region's time zone.
pub fn derive(weeks: &[Week], today: NaiveDate, rule: AliveRule) -> Derived {
    let mut sorted: Vec<&Week> = weeks.iter().collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.week));
    let last = sorted.first();
    let recent: Vec<i32> = sorted.iter().take(4).filter_map(|w| w.posts).collect();
    let posts_per_week = (!recent.is_empty() && recent.len() == sorted.len().min(4))
        .then(|| recent.iter().map(|p| f64::from(*p)).sum::<f64>() / recent.len() as f64);
    let engagement_percent = last.and_then(|w| {
        let reactions = w.likes? as i64 + w.comments? as i64 + w.reposts? as i64;
        per(Some(reactions), w.views).map(|r| r * 100.0)
    });
    let reach_ratio = last.and_then(|w| per(w.reach, w.followers.map(i64::from)));
    let average_post_reach = last.and_then(|w| per(w.views, w.posts.map(i64::from)));
    let last_post = sorted.iter().filter_map(|w| w.last_post_on).max();
    let days_since_last_post = last_post.map(|d| (today - d).num_days().max(0));
    let alive = match (days_since_last_post, last.and_then(|w| w.posts)) {
        (Some(days), _) if days > i64::from(rule.dormant_days) => Alive::Dormant,
        (_, Some(posts)) => {
            // The last week's posts, scaled to the rule's window.
            let in_window = f64::from(posts) * f64::from(rule.active_days) / 7.0;
            if in_window + 1e-9 >= f64::from(rule.active_posts) {
                Alive::Active
            } else if posts == 0 && days_since_last_post.is_none() {
                Alive::Dormant
            } else {
                Alive::Quiet
            }
        }
        (Some(_), None) => Alive::Quiet,
        (None, None) => Alive::Unknown,
    };
    Derived {
        posts_per_week,
        engagement_percent,
        reach_ratio,
        average_post_reach,
        days_since_last_post,
        alive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const RULE: AliveRule = AliveRule {
        active_posts: 3,
        active_days: 7,
        dormant_days: 30,
    };

    fn week(monday: &str, posts: i32) -> Week {
        Week {
            week: d(monday),
            followers: Some(1000),
            posts: Some(posts),
            views: Some(4000),
            likes: Some(150),
            comments: Some(30),
            reposts: Some(20),
            reach: Some(600),
            last_post_on: Some(d(monday) + chrono::Duration::days(4)),
        }
    }

    #[test]
    fn figures_of_a_living_page() {
        let weeks = [
            week("2026-11-02", 2),
            week("2026-11-16", 5),
            week("2026-11-09", 4),
            week("2026-11-23", 5),
            week("2026-10-26", 40),
        ];
        let x = derive(&weeks, d("2026-11-28"), RULE);
        assert_eq!(
            x.posts_per_week,
            Some(4.0),
            "the last four weeks, not the old burst"
        );
        assert_eq!(x.engagement_percent, Some(5.0));
        assert_eq!(x.reach_ratio, Some(0.6));
        assert_eq!(x.average_post_reach, Some(800.0));
        assert_eq!(x.days_since_last_post, Some(1));
        assert_eq!(x.alive, Alive::Active);
    }

    #[test]
    fn quiet_dormant_and_unknown() {
        let quiet = derive(&[week("2026-11-23", 1)], d("2026-11-28"), RULE);
        assert_eq!(quiet.alive, Alive::Quiet);
        let mut old = week("2026-11-23", 0);
        old.last_post_on = Some(d("2026-10-01"));
        let dormant = derive(&[old], d("2026-11-28"), RULE);
        assert_eq!(
            (dormant.alive, dormant.days_since_last_post),
            (Alive::Dormant, Some(58))
        );
        let nothing = derive(&[], d("2026-11-28"), RULE);
        assert_eq!(nothing.alive, Alive::Unknown);
        assert_eq!(nothing.posts_per_week, None);
    }

    #[test]
    fn missing_figures_are_unknown_not_zero() {
        let mut w = week("2026-11-23", 3);
        w.views = None;
        w.followers = Some(0);
        let x = derive(&[w], d("2026-11-28"), RULE);
        assert_eq!(x.engagement_percent, None);
        assert_eq!(x.reach_ratio, None, "no followers to divide by");
        assert_eq!(x.average_post_reach, None);
        let mut gap = week("2026-11-16", 3);
        gap.posts = None;
        let x = derive(&[week("2026-11-23", 3), gap], d("2026-11-28"), RULE);
        assert_eq!(
            x.posts_per_week, None,
            "a week without a post count leaves the pace unknown"
        );
    }
}
