//! How times and durations of questions read on screen: in the region's time zone, working
//! time as hours and minutes.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::i18n::Locale;

pub fn tz_of(time_zone: &str) -> Tz {
    time_zone.parse().unwrap_or(chrono_tz::Europe::Moscow)
}

pub fn local(t: &DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string()
}

/// Working minutes as "2 ч 05 мин" / "2 h 05 min".
pub fn duration(minutes: i64, l: Locale) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    l.t_args(
        "duration-hours-minutes",
        &[("hours", h.into()), ("minutes", format!("{m:02}").into())],
    )
}

/// Local midnight to midnight of the day `now` falls on.
pub fn today(now: DateTime<Utc>, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    use chrono::TimeZone;
    let day = now.with_timezone(&tz).date_naive();
    let start = |d: chrono::NaiveDate| {
        tz.from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    };
    (start(day), start(day.succ_opt().unwrap_or(day)))
}
