//! The two clocks of a question — first response and final answer — set from the region's
//! rules, moved by waiting on the resident, and read as "at risk" or "overdue".

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::calendar::WorkCalendar;
use crate::settings::db::RegionSettings;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Normal, Priority::High, Priority::Urgent];

    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
}

/// The region's deadline rules, in working time.
#[derive(Clone, Debug)]
pub struct Rules {
    pub calendar: WorkCalendar,
    pub first_response_hours: [i32; 3],
    pub final_answer_days: [i32; 3],
    pub at_risk_percent: i32,
    pub transfer_keeps_clock: bool,
}

impl Rules {
    pub fn from_settings(time_zone: &str, s: &RegionSettings) -> Rules {
        let tz: Tz = crate::regions::time::zone_of(time_zone);
        let mut work_days = [false; 7];
        for d in &s.work_days {
            if (1..=7).contains(d) {
                work_days[(*d - 1) as usize] = true;
            }
        }
        Rules {
            calendar: WorkCalendar {
                tz,
                work_days,
                start: s.work_start,
                end: s.work_end,
                holidays: s.holidays.iter().copied().collect::<BTreeSet<_>>(),
                working_saturdays: s.working_saturdays.iter().copied().collect(),
            },
            first_response_hours: [
                s.first_response_hours,
                s.high_first_response_hours,
                s.urgent_first_response_hours,
            ],
            final_answer_days: [
                s.final_answer_days,
                s.final_answer_days,
                s.urgent_final_answer_days,
            ],
            at_risk_percent: s.at_risk_percent,
            transfer_keeps_clock: s.transfer_keeps_clock,
        }
    }

    fn index(p: Priority) -> usize {
        match p {
            Priority::Normal => 0,
            Priority::High => 1,
            Priority::Urgent => 2,
        }
    }

    /// The instant when `at_risk_percent` of the working time from `start` to `due` is used.
    fn risk(&self, start: DateTime<Utc>, due: DateTime<Utc>) -> DateTime<Utc> {
        let total = self.calendar.working_minutes_between(start, due);
        let used = total * i64::from(self.at_risk_percent) / 100;
        self.calendar.add_working_minutes(start, used).min(due)
    }

    /// Both clocks started at `start` (the question's arrival, a transfer with a new clock,
    /// or a reopening).
    pub fn start(&self, priority: Priority, start: DateTime<Utc>) -> Clocks {
        let i = Rules::index(priority);
        let first_due = self
            .calendar
            .add_working_minutes(start, i64::from(self.first_response_hours[i]) * 60);
        let final_due = self
            .calendar
            .add_working_days(start, self.final_answer_days[i].max(1) as u32);
        Clocks {
            first_response_due: first_due,
            first_response_risk: self.risk(start, first_due),
            final_due,
            final_risk: self.risk(start, final_due),
        }
    }

    /// Waiting on the resident from `paused` to `resumed`: every deadline still ahead at the
    /// pause keeps the working time it had left, counted again from the resumption; one
    /// already missed stays missed. Returns the moved clocks and the working minutes waited.
    pub fn resume(
        &self,
        c: Clocks,
        paused: DateTime<Utc>,
        resumed: DateTime<Utc>,
    ) -> (Clocks, i64) {
        let cal = &self.calendar;
        let shift = |t: DateTime<Utc>| {
            if t <= paused {
                t
            } else {
                cal.add_working_minutes(resumed.max(paused), cal.working_minutes_between(paused, t))
            }
        };
        let moved = Clocks {
            first_response_due: shift(c.first_response_due),
            first_response_risk: shift(c.first_response_risk),
            final_due: shift(c.final_due),
            final_risk: shift(c.final_risk),
        };
        (moved, cal.working_minutes_between(paused, resumed))
    }

    /// Working minutes between two instants in this region's calendar.
    pub fn elapsed(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        self.calendar.working_minutes_between(from, to)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Clocks {
    pub first_response_due: DateTime<Utc>,
    pub first_response_risk: DateTime<Utc>,
    pub final_due: DateTime<Utc>,
    pub final_risk: DateTime<Utc>,
}

/// How an open question stands against its next deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    OnTime,
    AtRisk,
    Overdue,
    /// Waiting on the resident, answered or finished: no clock runs.
    Stopped,
}

impl Standing {
    pub fn of(
        due: Option<DateTime<Utc>>,
        risk: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Standing {
        match (due, risk) {
            (Some(due), _) if now >= due => Standing::Overdue,
            (Some(_), Some(risk)) if now >= risk => Standing::AtRisk,
            (Some(_), _) => Standing::OnTime,
            (None, _) => Standing::Stopped,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Standing::OnTime => "on_time",
            Standing::AtRisk => "at_risk",
            Standing::Overdue => "overdue",
            Standing::Stopped => "stopped",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime, TimeZone};
    use proptest::prelude::*;

    fn rules() -> Rules {
        Rules {
            calendar: WorkCalendar {
                tz: chrono_tz::Asia::Barnaul,
                work_days: [true, true, true, true, true, false, false],
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                end: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
                holidays: [NaiveDate::from_ymd_opt(2026, 11, 4).unwrap()].into(),
                working_saturdays: BTreeSet::new(),
            },
            first_response_hours: [9, 6, 4],
            final_answer_days: [7, 7, 3],
            at_risk_percent: 80,
            transfer_keeps_clock: false,
        }
    }

    fn local(s: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        chrono_tz::Asia::Barnaul
            .from_local_datetime(&naive)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn show(t: DateTime<Utc>) -> String {
        t.with_timezone(&chrono_tz::Asia::Barnaul)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    #[test]
    fn clocks_per_priority_with_a_holiday() {
        let r = rules();
        // Tuesday 3 November 2026 at 17:55, the evening before National Unity Day.
        let received = local("2026-11-03 17:55");
        let normal = r.start(Priority::Normal, received);
        assert_eq!(show(normal.first_response_due), "2026-11-05 17:55");
        // 80% of 9 hours = 7 h 12 min of working time.
        assert_eq!(show(normal.first_response_risk), "2026-11-05 16:07");
        assert_eq!(show(normal.final_due), "2026-11-13 18:00");
        let urgent = r.start(Priority::Urgent, received);
        assert_eq!(show(urgent.first_response_due), "2026-11-05 12:55");
        assert_eq!(show(urgent.final_due), "2026-11-09 18:00");
        let high = r.start(Priority::High, received);
        assert_eq!(show(high.first_response_due), "2026-11-05 14:55");
    }

    #[test]
    fn waiting_on_the_resident_moves_the_deadlines() {
        let r = rules();
        let received = local("2026-11-09 10:00");
        let c = r.start(Priority::Normal, received);
        assert_eq!(show(c.first_response_due), "2026-11-10 10:00");
        // Paused Monday 12:00 (2 working hours used), resumed Wednesday 11:00.
        let (moved, waited) = r.resume(c, local("2026-11-09 12:00"), local("2026-11-11 11:00"));
        assert_eq!(waited, 6 * 60 + 9 * 60 + 2 * 60);
        assert_eq!(show(moved.first_response_due), "2026-11-11 18:00");
        // The working time the question was actually handled stays 9 hours.
        let handled = r.elapsed(received, moved.first_response_due) - waited;
        assert_eq!(handled, 9 * 60);
    }

    #[test]
    fn a_deadline_missed_before_the_pause_stays_missed() {
        let r = rules();
        let c = r.start(Priority::Urgent, local("2026-11-09 09:00"));
        let (moved, _) = r.resume(c, local("2026-11-09 15:00"), local("2026-11-10 15:00"));
        assert_eq!(moved.first_response_due, c.first_response_due);
        assert!(moved.final_due > c.final_due);
    }

    #[test]
    fn standing_against_the_clock() {
        let due = local("2026-11-10 10:00");
        let risk = local("2026-11-10 08:00");
        let s = |now: &str| Standing::of(Some(due), Some(risk), local(now));
        assert_eq!(s("2026-11-09 12:00"), Standing::OnTime);
        assert_eq!(s("2026-11-10 08:30"), Standing::AtRisk);
        assert_eq!(s("2026-11-10 10:00"), Standing::Overdue);
        assert_eq!(Standing::of(None, None, due), Standing::Stopped);
    }

    proptest! {
        #[test]
        fn a_pause_never_changes_the_handling_time(
            start in 0i64..60 * 24 * 60,
            pause_after in 0i64..60 * 30,
            wait in 0i64..60 * 24 * 20,
        ) {
            let r = rules();
            let received = local("2026-11-02 00:00") + chrono::Duration::minutes(start);
            let c = r.start(Priority::Normal, received);
            let paused = received + chrono::Duration::minutes(pause_after);
            prop_assume!(paused < c.first_response_due);
            let resumed = paused + chrono::Duration::minutes(wait);
            let (moved, waited) = r.resume(c, paused, resumed);
            prop_assert_eq!(r.elapsed(received, moved.first_response_due) - waited, 9 * 60);
            prop_assert!(moved.first_response_risk <= moved.first_response_due);
        }
    }
}
