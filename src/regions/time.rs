//! A region's time: its zone, its "today" and how instants read there. Deadlines, "today"
//! and every date a person sees are the region's, never the server's.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::web::access::Region;

/// A zone as a person types it, where it is entered: an unknown name is refused, never
/// replaced by another zone.
pub fn parse_zone(text: &str) -> Option<Tz> {
    text.trim().parse().ok()
}

/// Russia's zones, west to east, as an operator picks a region's zone.
pub const RUSSIA: &[&str] = &[
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Kirov",
    "Europe/Volgograd",
    "Europe/Astrakhan",
    "Europe/Samara",
    "Europe/Saratov",
    "Europe/Ulyanovsk",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Barnaul",
    "Asia/Novosibirsk",
    "Asia/Novokuznetsk",
    "Asia/Tomsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Chita",
    "Asia/Yakutsk",
    "Asia/Khandyga",
    "Asia/Vladivostok",
    "Asia/Ust-Nera",
    "Asia/Magadan",
    "Asia/Sakhalin",
    "Asia/Srednekolymsk",
    "Asia/Kamchatka",
    "Asia/Anadyr",
];

/// A zone with its offset now, as a choice reads: «Asia/Barnaul (UTC+7)».
pub fn zone_label(name: &str) -> String {
    use chrono::Offset;
    match parse_zone(name) {
        Some(tz) => {
            let seconds = chrono::Utc::now()
                .with_timezone(&tz)
                .offset()
                .fix()
                .local_minus_utc();
            let (sign, minutes) = if seconds < 0 {
                ('−', -seconds / 60)
            } else {
                ('+', seconds / 60)
            };
            if minutes % 60 == 0 {
                format!("{name} (UTC{sign}{})", minutes / 60)
            } else {
                format!("{name} (UTC{sign}{}:{:02})", minutes / 60, minutes % 60)
            }
        }
        None => name.to_owned(),
    }
}

/// Every other zone the time-zone database knows, for an installation outside Russia.
pub fn other_zones() -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|name| !RUSSIA.contains(name))
        .collect()
}

/// The zone a region has stored. Zones are checked where they are entered, so a stored name
/// always parses; a row edited by hand falls back to Moscow time, and says so in the log.
pub fn zone_of(stored: &str) -> Tz {
    parse_zone(stored).unwrap_or_else(|| {
        tracing::warn!(
            time_zone = stored,
            "unknown time zone stored for a region; reading it as Europe/Moscow"
        );
        chrono_tz::Europe::Moscow
    })
}

/// The zone of the region a request is about.
pub fn zone(region: &Region) -> Tz {
    zone_of(&region.time_zone)
}

/// The calendar day it is now in the region.
pub fn today_in(region: &Region) -> NaiveDate {
    today(zone(region))
}

/// The calendar day it is now in the zone.
pub fn today(tz: Tz) -> NaiveDate {
    Utc::now().with_timezone(&tz).date_naive()
}

/// The instant a calendar day begins in the zone (the earliest, where clocks moved).
pub fn start_of_day(day: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Local midnight to midnight of the day `now` falls on.
pub fn day_bounds(now: DateTime<Utc>, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let day = now.with_timezone(&tz).date_naive();
    let start = |d| start_of_day(d, tz).unwrap_or(now);
    (start(day), start(day.succ_opt().unwrap_or(day)))
}

/// The calendar day an instant falls on in the zone.
pub fn day_of(t: &DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// An instant as a person there reads it: `28.11.2026 14:05`.
pub fn local(t: &DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_refused_not_replaced() {
        assert_eq!(parse_zone("Asia/Barnaul"), Some(chrono_tz::Asia::Barnaul));
        assert_eq!(
            parse_zone(" Europe/Moscow "),
            Some(chrono_tz::Europe::Moscow)
        );
        assert_eq!(parse_zone("Asia/Nowhere"), None);
        for name in RUSSIA {
            assert!(parse_zone(name).is_some(), "{name}");
        }
        assert_eq!(zone_label("Asia/Barnaul"), "Asia/Barnaul (UTC+7)");
        assert_eq!(zone_label("Asia/Kolkata"), "Asia/Kolkata (UTC+5:30)");
        assert!(other_zones().contains(&"Asia/Almaty"));
        assert!(!other_zones().contains(&"Europe/Moscow"));
        assert_eq!(parse_zone(""), None);
    }

    #[test]
    fn days_are_the_regions() {
        let tz = chrono_tz::Asia::Barnaul;
        // 18:30 UTC on the 28th is already 01:30 on the 29th in Barnaul (UTC+7).
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 18, 30, 0).unwrap();
        let (start, end) = day_bounds(now, tz);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 11, 28, 17, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 11, 29, 17, 0, 0).unwrap());
        assert_eq!(local(&now, tz), "29.11.2026 01:30");
        assert_eq!(
            start_of_day(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(), tz),
            Some(start)
        );
    }
}
