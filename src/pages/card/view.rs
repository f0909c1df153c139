//! The card as a page: its template struct and how figures, marks and charts read.

use askama::Template;
use chrono::NaiveDate;

use super::forms::{CATEGORIES, FiguresForm, MarkForm, SetupForm};
use crate::activity::chart::{self, Kind};
use crate::activity::derive::{Derived, Week};
use crate::i18n::Locale;
use crate::marks::db::MarkEvent;
use crate::marks::lifecycle::{CHECKLIST, MarkStatus};
use crate::pages::db::card::CardPage;
use crate::quality::score::Score;
use crate::web::chrome::Chrome;
use crate::web::forms::FieldErrors;

#[derive(Template)]
#[template(path = "pages/card.html")]
pub struct CardScreen {
    pub chrome: Chrome,
    pub page: CardPage,
    pub marks: Vec<MarkEvent>,
    /// Newest first.
    pub weeks: Vec<Week>,
    pub derived: Derived,
    pub score: Score,
    pub stuck: bool,
    pub can_edit: bool,
    pub can_correct: bool,
    pub followers_chart: String,
    pub posts_chart: String,
    pub mark_form: MarkForm,
    pub setup_form: SetupForm,
    pub figures_form: FiguresForm,
    pub failed: Option<&'static str>,
    pub errors: FieldErrors,
    /// The page's live connections to its platform.
    pub channels: Vec<crate::channels::db::ConnectionRow>,
    pub tz: chrono_tz::Tz,
}

impl CardScreen {
    /// A time as people of the region read it.
    pub fn local(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }

    pub fn error(&self, form: &str, field: &str) -> Option<String> {
        if self.failed == Some(form) {
            self.errors.get(field).map(str::to_owned)
        } else {
            None
        }
    }

    pub fn next_statuses(&self) -> Vec<(&'static str, String)> {
        let current = MarkStatus::parse(&self.page.mark_status).unwrap_or(MarkStatus::None);
        let options: Vec<MarkStatus> = if self.can_correct {
            MarkStatus::ALL.to_vec()
        } else {
            current.next().to_vec()
        };
        options
            .into_iter()
            .map(|m| (m.code(), self.chrome.label("mark", m.code())))
            .collect()
    }

    pub fn checked(&self, item: &str) -> bool {
        self.page.checklist.iter().any(|c| c == item)
    }

    pub fn checklist(&self) -> Vec<(&'static str, String)> {
        CHECKLIST
            .iter()
            .map(|c| (*c, self.chrome.label("checklist", c)))
            .collect()
    }

    pub fn categories(&self) -> Vec<(&'static str, String)> {
        CATEGORIES
            .iter()
            .map(|c| (*c, self.chrome.label("page-category", c)))
            .collect()
    }

    pub fn earned(&self, c: &crate::quality::score::Component) -> String {
        match c.earned {
            Some(e) => format!(
                "{} / {}",
                chart::format_number(e),
                chart::format_number(c.max)
            ),
            None => self.chrome.t("score-unknown"),
        }
    }

    /// The fix for a component that lost points or has no data.
    pub fn fix(&self, c: &crate::quality::score::Component) -> Option<String> {
        match c.earned {
            None => Some(self.chrome.t(&format!("score-missing-{}", c.key))),
            Some(e) if e + 1e-9 < c.max => Some(self.chrome.t(&format!("score-fix-{}", c.key))),
            Some(_) => None,
        }
    }

    pub fn number(&self, v: &Option<f64>) -> String {
        v.map(|v| chart::format_number((v * 10.0).round() / 10.0))
            .unwrap_or_else(|| "—".into())
    }

    pub fn engagement(&self) -> String {
        self.derived
            .engagement_percent
            .map(|v| format!("{}%", chart::format_number((v * 10.0).round() / 10.0)))
            .unwrap_or_else(|| "—".into())
    }

    pub fn percent(&self, v: &Option<f64>) -> String {
        v.map(|v| format!("{}%", chart::format_number((v * 1000.0).round() / 10.0)))
            .unwrap_or_else(|| "—".into())
    }

    pub fn opt<T: std::fmt::Display>(&self, v: &Option<T>) -> String {
        v.as_ref()
            .map(|v| v.to_string())
            .unwrap_or_else(|| "—".into())
    }

    pub fn date(&self, d: &NaiveDate) -> String {
        d.format("%d.%m.%Y").to_string()
    }

    /// The yes/no/unknown setup fields with their current values.
    pub fn setup_fields(&self) -> Vec<(&'static str, String)> {
        let f = &self.setup_form;
        vec![
            ("connected", f.connected.clone()),
            ("has_avatar", f.has_avatar.clone()),
            ("has_cover", f.has_cover.clone()),
            ("has_description", f.has_description.clone()),
            ("has_contacts", f.has_contacts.clone()),
            ("comments_open", f.comments_open.clone()),
        ]
    }

    pub fn figure_fields(&self) -> Vec<(&'static str, String)> {
        let f = &self.figures_form;
        vec![
            ("week", f.week.clone()),
            ("followers", f.followers.clone()),
            ("posts", f.posts.clone()),
            ("views", f.views.clone()),
            ("likes", f.likes.clone()),
            ("comments", f.comments.clone()),
            ("reposts", f.reposts.clone()),
            ("reach", f.reach.clone()),
            ("last_post_on", f.last_post_on.clone()),
        ]
    }

    pub fn yes_no_options(&self) -> Vec<(&'static str, String)> {
        vec![
            ("", self.chrome.t("unknown")),
            ("yes", self.chrome.t("yes")),
            ("no", self.chrome.t("no")),
        ]
    }
}

/// The followers line and the posts bars, oldest week first, each with a sentence saying
/// what it shows for screen readers.
pub fn charts(weeks: &[Week], l: Locale) -> (String, String) {
    let mut ordered: Vec<&Week> = weeks.iter().collect();
    ordered.sort_by_key(|w| w.week);
    let label = |w: &Week| w.week.format("%d.%m.%y").to_string();
    let followers: Vec<(String, Option<f64>)> = ordered
        .iter()
        .map(|w| (label(w), w.followers.map(f64::from)))
        .collect();
    let posts: Vec<(String, Option<f64>)> = ordered
        .iter()
        .map(|w| (label(w), w.posts.map(f64::from)))
        .collect();
    let known = |points: &[(String, Option<f64>)]| -> Vec<(String, f64)> {
        points
            .iter()
            .filter_map(|(d, v)| v.map(|v| (d.clone(), v)))
            .collect()
    };
    let describe = |key: &str, points: &[(String, Option<f64>)]| -> String {
        let k = known(points);
        match (k.first(), k.last()) {
            (Some((d1, v1)), Some((d2, v2))) => l.t_args(
                key,
                &[
                    ("from", chart::format_number(*v1).into()),
                    ("from_week", d1.clone().into()),
                    ("to", chart::format_number(*v2).into()),
                    ("to_week", d2.clone().into()),
                    ("weeks", (k.len() as i64).into()),
                ],
            ),
            _ => l.t("chart-no-data"),
        }
    };
    (
        chart::svg(
            "followers",
            &l.t("chart-followers"),
            &describe("chart-followers-desc", &followers),
            &followers,
            Kind::Line,
        ),
        chart::svg(
            "posts",
            &l.t("chart-posts"),
            &describe("chart-posts-desc", &posts),
            &posts,
            Kind::Bars,
        ),
    )
}
