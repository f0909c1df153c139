//! How fast residents get answers, over a period against the one before: received, answered
//! share, median and 90th percentile of the first response in working hours (waiting on the
//! resident excluded), share answered within the deadline — open questions already past it
//! count against it — overdue now, transfers and reopened questions; per municipality and
//! per category. A transferred question counts once, for the organization it is with.

use sqlx::PgConnection;

use super::db::responsiveness as db;
pub use super::db::responsiveness::{Period, Responsiveness, by_organization, overdue_now};

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
    for c in [&mut out.by_category, &mut out.by_category_before] {
        c.sort_by(|a, b| {
            b.received
                .cmp(&a.received)
                .then_with(|| a.name.cmp(&b.name))
        });
    }
    Ok(out)
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
