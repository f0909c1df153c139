//! How fast residents get answers, over a period against the one before: received, answered
//! share, median and 90th percentile of the first response in working hours (waiting on the
//! resident excluded), share answered within the deadline — open questions already past it
//! count against it — overdue now, transfers and reopened questions; per municipality and
//! per category. A transferred question counts once, for the organization it is with.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;

use super::db::answer_days::{self as days_db, DayRange, WHOLE};
use super::db::responsiveness as db;
pub use super::db::responsiveness::{Period, Responsiveness, by_organization, overdue_now};
use crate::ids::RegionId;
use crate::regions::time::{day_of, start_of_day};

impl Responsiveness {
    pub fn answered_percent(&self) -> Option<i64> {
        (self.considered > 0).then(|| self.answered * 100 / self.considered)
    }

    pub fn on_time_percent(&self) -> Option<i64> {
        (self.on_time_base > 0).then(|| self.on_time * 100 / self.on_time_base)
    }
}

/// A period's figures next to those of the period of the same length before it.
#[derive(Clone, Debug, Default)]
pub struct Overview {
    pub now: Responsiveness,
    pub before: Responsiveness,
    /// This period per municipality (the regional level has no id), unordered.
    pub by_municipality: Vec<Responsiveness>,
    /// This period per category, the most asked first.
    pub by_category: Vec<Responsiveness>,
    pub by_category_before: Vec<Responsiveness>,
}

/// Both periods in one pass over their questions, grouped three ways at once.
pub async fn overview(db: &mut PgConnection, p: &Period<'_>) -> Result<Overview, sqlx::Error> {
    let rows = db::grouped(db, p).await?;
    let mut out = Overview::default();
    for r in rows {
        let mut f = r.figures;
        match (r.whole, r.per_municipality, r.current) {
            (true, _, true) => out.now = f,
            (true, _, false) => out.before = f,
            (false, true, true) => out.by_municipality.push(f),
            (false, true, false) => {}
            (false, false, current) => {
                f.id = None;
                if current {
                    out.by_category.push(f);
                } else {
                    out.by_category_before.push(f);
                }
            }
        }
    }
    out.sort_categories();
    Ok(out)
}

impl Overview {
    fn sort_categories(&mut self) {
        for c in [&mut self.by_category, &mut self.by_category_before] {
            c.sort_by(|a, b| {
                b.received
                    .cmp(&a.received)
                    .then_with(|| a.name.cmp(&b.name))
            });
        }
    }
}

/// The region's last `days` calendar days, today included, against as many days before
/// them: the dashboard's period, whole days as the daily summary keeps them.
#[derive(Clone, Copy, Debug)]
pub struct Calendar {
    pub days: DayRange,
    pub before: DateTime<Utc>,
    pub from: DateTime<Utc>,
}

impl Calendar {
    pub fn last(days: i64, now: DateTime<Utc>, tz: Tz) -> Calendar {
        let to = day_of(&now, tz);
        let from = to - Duration::days(days.max(1) - 1);
        let before = from - Duration::days(days.max(1));
        let start = |d| start_of_day(d, tz).unwrap_or(now);
        Calendar {
            days: DayRange { before, from, to },
            before: start(before),
            from: start(from),
        }
    }

    /// The same days as the questions' own figures read them, up to `now`.
    pub fn period<'a>(
        &self,
        region: RegionId,
        ids: Option<&'a [i64]>,
        platform: Option<&'a str>,
        now: DateTime<Utc>,
    ) -> Period<'a> {
        Period {
            region,
            ids,
            before: self.before,
            from: self.from,
            to: now,
            now,
            platform,
        }
    }
}

/// What `overview` counts for the whole region, from the daily summary: a run of days is a
/// few rows per day whatever the number of questions. Percentiles are exact: the summary
/// keeps each day's minutes, for the region and its municipalities; categories come with
/// their counts only, as the dashboard shows their volume.
pub async fn overview_from_days(
    db: &mut PgConnection,
    region: RegionId,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Result<Overview, sqlx::Error> {
    let counts = days_db::counts(db, region, calendar.days, now).await?;
    let minutes = days_db::minutes(db, region, calendar.days).await?;
    let mut by_day: HashMap<(bool, i64), Vec<i32>> = HashMap::new();
    for m in minutes {
        if m.current {
            by_day
                .entry((true, WHOLE))
                .or_default()
                .extend_from_slice(&m.minutes);
        }
        by_day
            .entry((m.current, m.municipality_id))
            .or_default()
            .extend(m.minutes);
    }

    let mut out = Overview::default();
    for c in counts {
        let category = (!c.category.is_empty()).then(|| c.category.clone());
        let (id, name) = match (c.municipality_id, &category) {
            (WHOLE, Some(cat)) => (None, Some(cat.clone())),
            (WHOLE, None) => (None, None),
            (0, _) => (None, None),
            (m, _) => (Some(m), c.name.clone()),
        };
        let mut f = Responsiveness {
            id,
            name,
            received: c.received,
            considered: c.considered,
            answered: c.answered,
            median_minutes: None,
            p90_minutes: None,
            on_time: c.on_time,
            on_time_base: c.responded + c.waiting,
            transferred: c.transferred,
            reopened: c.reopened,
        };
        if category.is_none() {
            if let Some(values) = by_day.get_mut(&(c.current, c.municipality_id)) {
                values.sort_unstable();
                f.median_minutes = percentile(values, 0.5);
                f.p90_minutes = percentile(values, 0.9);
            }
        }
        match (c.municipality_id, category.is_some(), c.current) {
            (WHOLE, false, true) => out.now = f,
            (WHOLE, false, false) => out.before = f,
            (WHOLE, true, true) => out.by_category.push(f),
            (WHOLE, true, false) => out.by_category_before.push(f),
            (_, _, true) => out.by_municipality.push(f),
            (_, _, false) => {}
        }
    }
    out.sort_categories();
    Ok(out)
}

/// As PostgreSQL's `percentile_cont` reads sorted values.
fn percentile(sorted: &[i32], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let at = p * last as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    let (a, b) = (f64::from(sorted[lo]), f64::from(sorted[hi]));
    Some(a + (b - a) * (at - lo as f64))
}

/// Ranked best first by on-time share; those with fewer questions than the region's minimum
/// go last, unranked, so one fast answer does not top the table.
pub fn rank(rows: &mut [Responsiveness], min_questions: i64) {
    rows.sort_by(|a, b| {
        let key = |r: &Responsiveness| {
            let ranked = r.considered >= min_questions;
            (
                ranked,
                r.on_time_percent().unwrap_or(-1),
                -(r.median_minutes.unwrap_or(f64::MAX) as i64),
            )
        };
        key(b).cmp(&key(a)).then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, considered: i64, on_time: i64) -> Responsiveness {
        Responsiveness {
            name: Some(name.into()),
            considered,
            on_time,
            on_time_base: considered,
            ..Default::default()
        }
    }

    #[test]
    fn one_fast_answer_does_not_top_the_table() {
        let mut rows = vec![
            row("Тихий", 1, 1),
            row("Большой", 50, 40),
            row("Лучший", 20, 19),
        ];
        rank(&mut rows, 10);
        let names: Vec<_> = rows.iter().map(|r| r.name.clone().unwrap()).collect();
        assert_eq!(names, ["Лучший", "Большой", "Тихий"]);
    }

    #[test]
    fn shares_need_a_base() {
        let r = Responsiveness::default();
        assert_eq!((r.answered_percent(), r.on_time_percent()), (None, None));
        let r = Responsiveness {
            considered: 4,
            answered: 3,
            on_time: 1,
            on_time_base: 3,
            ..Default::default()
        };
        assert_eq!(
            (r.answered_percent(), r.on_time_percent()),
            (Some(75), Some(33))
        );
    }
}
