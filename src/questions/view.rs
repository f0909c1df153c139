//! How durations of questions read on screen: working time as hours and minutes.

use crate::i18n::Locale;

/// Working minutes as "2 ч 05 мин" / "2 h 05 min".
pub fn duration(minutes: i64, l: Locale) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    l.t_args(
        "duration-hours-minutes",
        &[("hours", h.into()), ("minutes", format!("{m:02}").into())],
    )
}
