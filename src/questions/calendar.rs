//! Working time of a region: its time zone, working days and hours, holidays and the
//! Saturdays the production calendar turns into working days. Deadlines are "received + N
//! working minutes"; figures are "working minutes between two instants". Pure and exact to
//! the minute; everything is computed in the region's local time and returned in UTC.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Looking further than this for working time means the calendar has none.
const MAX_DAYS: i64 = 3 * 366;

#[derive(Clone, Debug)]
pub struct WorkCalendar {
    pub tz: Tz,
    /// Monday first.
    pub work_days: [bool; 7],
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub holidays: BTreeSet<NaiveDate>,
    pub working_saturdays: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working_saturdays.contains(&day) {
            return true;
        }
        !self.holidays.contains(&day)
            && self.work_days[day.weekday().num_days_from_monday() as usize]
    }

    /// The working window of a day in UTC, if it is a working day.
    fn window(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working_day(day) || self.start >= self.end {
            return None;
        }
        let at = |t: NaiveTime| {
            self.tz
                .from_local_datetime(&day.and_time(t))
                .earliest()
                .map(|d| d.with_timezone(&Utc))
        };
        Some((at(self.start)?, at(self.end)?))
    }

    fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }

    /// The instant `minutes` of working time after `from` (a question received at night
    /// starts its clock when the next working day begins).
    pub fn add_working_minutes(&self, from: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        if minutes <= 0 {
            return from;
        }
        let mut remaining = Duration::minutes(minutes);
        let mut day = self.local_day(from);
        for _ in 0..MAX_DAYS {
            if let Some((start, end)) = self.window(day) {
                let cursor = from.max(start);
                if cursor < end {
                    let available = end - cursor;
                    if remaining <= available {
                        return cursor + remaining;
                    }
                    remaining -= available;
                }
            }
            day = day
                .succ_opt()
                .expect("dates far from the end of the calendar");
        }
        DateTime::<Utc>::MAX_UTC
    }

    /// The end of the n-th working day after the day `from` falls on ("answer within 7
    /// working days" of a question received on Monday is due at the close of the next
    /// Tuesday week).
    pub fn add_working_days(&self, from: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        let mut day = self.local_day(from);
        let mut counted = 0;
        for _ in 0..MAX_DAYS {
            day = day
                .succ_opt()
                .expect("dates far from the end of the calendar");
            if let Some((_, end)) = self.window(day) {
                counted += 1;
                if counted >= days {
                    return end;
                }
            }
        }
        DateTime::<Utc>::MAX_UTC
    }

    /// Working minutes between two instants (0 when `to` is not after `from`).
    pub fn working_minutes_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let mut total = Duration::zero();
        let mut day = self.local_day(from);
        let last = self.local_day(to);
        while day <= last {
            if let Some((start, end)) = self.window(day) {
                let a = from.max(start);
                let b = to.min(end);
                if b > a {
                    total += b - a;
                }
            }
            day = match day.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        total.num_minutes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Altai Krai, Monday to Friday 09:00–18:00, with the holidays a test names.
    fn altai(holidays: &[&str], saturdays: &[&str]) -> WorkCalendar {
        WorkCalendar {
            tz: chrono_tz::Asia::Barnaul,
            work_days: [true, true, true, true, true, false, false],
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
            holidays: holidays.iter().map(|d| date(d)).collect(),
            working_saturdays: saturdays.iter().map(|d| date(d)).collect(),
        }
    }

    fn local(cal: &WorkCalendar, s: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        cal.tz
            .from_local_datetime(&naive)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn show(cal: &WorkCalendar, t: DateTime<Utc>) -> String {
        t.with_timezone(&cal.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    #[test]
    fn due_times_with_real_dates() {
        let june = altai(&["2026-06-12"], &[]);
        let new_year = altai(
            &[
                "2026-12-31",
                "2027-01-01",
                "2027-01-02",
                "2027-01-03",
                "2027-01-04",
                "2027-01-05",
                "2027-01-06",
                "2027-01-07",
                "2027-01-08",
            ],
            &[],
        );
        let moved = altai(&[], &["2026-11-28"]);
        let cases = [
            // 17:55 on the Thursday before Russia Day (Friday 12 June): 5 minutes, then Monday.
            (&june, "2026-06-11 17:55", 9 * 60, "2026-06-15 17:55"),
            // Urgent, 4 hours, at 17:55 on an ordinary Friday.
            (&june, "2026-11-27 17:55", 4 * 60, "2026-11-30 12:55"),
            // Received at night: the clock starts at 09:00.
            (&june, "2026-11-24 02:10", 9 * 60, "2026-11-24 18:00"),
            (&june, "2026-11-24 02:10", 9 * 60 + 1, "2026-11-25 09:01"),
            // Received on Sunday.
            (&june, "2026-11-29 12:00", 60, "2026-11-30 10:00"),
            // The New Year holidays.
            (&new_year, "2026-12-30 16:00", 9 * 60, "2027-01-11 16:00"),
            // A working Saturday moved by the production calendar.
            (&moved, "2026-11-27 17:00", 2 * 60, "2026-11-28 10:00"),
        ];
        for (cal, received, minutes, due) in cases {
            assert_eq!(
                show(cal, cal.add_working_minutes(local(cal, received), minutes)),
                due,
                "{received} + {minutes} min"
            );
        }
    }

    #[test]
    fn working_days_end_at_the_close_of_the_last_day() {
        let cal = altai(&["2026-11-04"], &[]);
        // Received Monday 2 November; 4 November is a holiday; the 7th working day after is Thursday 12th.
        let due = cal.add_working_days(local(&cal, "2026-11-02 10:00"), 7);
        assert_eq!(show(&cal, due), "2026-11-12 18:00");
    }

    #[test]
    fn elapsed_working_time() {
        let cal = altai(&["2026-06-12"], &[]);
        let m = |a: &str, b: &str| cal.working_minutes_between(local(&cal, a), local(&cal, b));
        assert_eq!(m("2026-06-11 17:55", "2026-06-15 09:30"), 35);
        assert_eq!(m("2026-06-13 10:00", "2026-06-14 10:00"), 0);
        assert_eq!(m("2026-06-15 10:00", "2026-06-15 09:00"), 0);
        assert_eq!(m("2026-06-15 08:00", "2026-06-16 20:00"), 18 * 60);
    }

    #[test]
    fn a_calendar_without_working_time_never_hangs() {
        let mut cal = altai(&[], &[]);
        cal.work_days = [false; 7];
        assert_eq!(
            cal.add_working_minutes(Utc::now(), 60),
            DateTime::<Utc>::MAX_UTC
        );
    }

    proptest! {
        #[test]
        fn elapsed_time_to_the_due_time_is_what_was_added(
            start in 1_767_225_600i64..1_830_297_600i64,
            minutes in 0i64..6_000,
        ) {
            let cal = altai(&["2026-01-01", "2026-01-02", "2026-01-07", "2026-02-23", "2026-03-09", "2026-05-01", "2026-05-11", "2026-06-12", "2026-11-04"], &["2026-11-28"]);
            let received = DateTime::<Utc>::from_timestamp(start, 0).unwrap();
            let due = cal.add_working_minutes(received, minutes);
            prop_assert_eq!(cal.working_minutes_between(received, due), minutes);
            prop_assert!(due >= received);
            prop_assert!(cal.add_working_minutes(received, minutes + 1) > due);
        }
    }
}
