//! The region dashboard as the widgets it is made of, each with the figures it shows and the
//! links it offers; every link keeps the view's focus.

use super::coverage::Coverage;
use super::db::focus::Choices;
use super::focus::{Focus, LEVELS, PERIODS, PLATFORMS, Place};
use super::responsiveness::Responsiveness;

/// The coverage columns shown after "must have a page", in order.
pub const COLUMNS: [&str; 5] = ["with_page", "covered", "verified", "active", "connected"];

pub fn value(c: &Coverage, column: &str) -> i64 {
    match column {
        "with_page" => c.with_page,
        "covered" => c.covered,
        "verified" => c.verified,
        "active" => c.active,
        "connected" => c.connected,
        _ => c.obliged,
    }
}

/// Where the view looks and how to narrow or widen it: the filter form and the breadcrumbs.
pub struct FilterWidget {
    /// The region's address, `/r/{slug}`.
    pub base: String,
    pub focus: Focus,
    pub place: Place,
    pub region_name: String,
    pub choices: Choices,
}

impl FilterWidget {
    /// The view one step up: without the sector, then without the municipality.
    pub fn up_links(&self) -> Vec<(String, String)> {
        let base = format!("{}/dashboard", self.base);
        let top = Focus {
            municipality: None,
            sector: None,
            ..self.focus.clone()
        };
        let mut out = vec![(format!("{base}?{}", top.query()), self.region_name.clone())];
        if let (Some(m), Some(name)) = (self.focus.municipality, &self.place.municipality)
            && self.focus.sector.is_some()
        {
            let f = Focus {
                sector: None,
                ..self.focus.in_municipality(Some(m))
            };
            out.push((format!("{base}?{}", f.query()), name.clone()));
        }
        out
    }

    /// The view is narrowed by some filter: the filter form opens to show which.
    pub fn narrowed(&self) -> bool {
        let f = &self.focus;
        f.municipality.is_some() || f.sector.is_some() || f.level.is_some() || f.platform.is_some()
    }

    pub fn is_municipality(&self, id: &i64) -> bool {
        self.focus.municipality == Some(*id)
    }

    pub fn is_sector(&self, id: &i64) -> bool {
        self.focus.sector == Some(*id)
    }

    pub fn is_level(&self, level: &str) -> bool {
        self.focus.level == Some(level)
    }

    pub fn is_platform(&self, platform: &str) -> bool {
        self.focus.platform == Some(platform)
    }

    pub fn levels(&self) -> &'static [&'static str] {
        &LEVELS
    }

    pub fn platforms(&self) -> &'static [&'static str] {
        &PLATFORMS
    }

    pub fn periods(&self) -> &'static [i64] {
        &PERIODS
    }
}

/// Coverage: the view's figures, what is missing, and the tables one level down.
pub struct CoverageWidget {
    pub base: String,
    pub focus: Focus,
    pub total: Coverage,
    pub municipalities: Vec<Coverage>,
    pub sectors: Vec<Coverage>,
    pub green_from: i64,
    pub red_below: i64,
    /// The platforms every organization must be on.
    pub required: Vec<String>,
}

impl CoverageWidget {
    pub fn columns(&self) -> &'static [&'static str] {
        &COLUMNS
    }

    /// The tables one level down: per municipality until one is chosen, per sector until
    /// one is chosen.
    pub fn tables(&self) -> Vec<(&'static str, &Vec<Coverage>)> {
        let mut out = Vec::new();
        if self.focus.municipality.is_none() {
            out.push(("municipality", &self.municipalities));
        }
        if self.focus.sector.is_none() {
            out.push(("sector", &self.sectors));
        }
        out
    }

    pub fn value(&self, c: &Coverage, column: &str) -> i64 {
        value(c, column)
    }

    pub fn percent(&self, c: &Coverage, column: &str) -> Option<i64> {
        (c.obliged > 0).then(|| value(c, column) * 100 / c.obliged)
    }

    pub fn light(&self, c: &Coverage, column: &str) -> &'static str {
        match self.percent(c, column) {
            None => "unknown",
            Some(p) if p >= self.green_from => "green",
            Some(p) if p < self.red_below => "red",
            Some(_) => "yellow",
        }
    }

    pub fn gap(&self, column: &str) -> i64 {
        self.total.obliged - value(&self.total, column)
    }

    /// The focus of a row: `kind` is "municipality" or "sector".
    fn row_focus(&self, kind: &str, c: &Coverage) -> Focus {
        match (kind, c.id) {
            ("municipality", m) => self.focus.in_municipality(m),
            ("sector", Some(id)) => self.focus.in_sector(id),
            _ => self.focus.clone(),
        }
    }

    /// The organizations behind a figure of a row (or of the whole view: kind "").
    pub fn link(&self, kind: &str, c: &Coverage, flag: &str) -> String {
        let focus = if kind.is_empty() {
            self.focus.clone()
        } else {
            self.row_focus(kind, c)
        };
        format!("{}/dashboard/orgs?flag={flag}&{}", self.base, focus.query())
    }

    /// The dashboard of a row: one level down the drill-down.
    pub fn row_link(&self, kind: &str, c: &Coverage) -> String {
        format!(
            "{}/dashboard?{}",
            self.base,
            self.row_focus(kind, c).query()
        )
    }

    pub fn sort_link(&self, column: &str) -> String {
        format!(
            "{}/dashboard?{}",
            self.base,
            self.focus.sorted(column).query()
        )
    }

    pub fn export_link(&self, kind: &str, format: &str) -> String {
        format!(
            "{}/dashboard/export?table={kind}&format={format}&{}",
            self.base,
            self.focus.query()
        )
    }
}

/// A topic of residents' questions: this period against the one before.
#[derive(Clone, Debug)]
pub struct Trend {
    pub name: String,
    pub now: i64,
    pub before: i64,
}

/// How fast residents are answered in the view's period, against the period before.
pub struct AnswersWidget {
    pub base: String,
    pub focus: Focus,
    pub now: Responsiveness,
    pub before: Responsiveness,
    pub by_municipality: Vec<Responsiveness>,
    /// Ranked organizations of a municipality or sector view.
    pub by_organization: Vec<Responsiveness>,
    pub top_categories: Vec<Trend>,
    pub overdue_now: i64,
    /// Fewer questions than this and a place is listed but not ranked.
    pub ranking_min: i64,
    /// The period as the inbox filter reads it (`YYYY-MM-DD`, region's days).
    pub from_date: String,
    pub to_date: String,
}

impl AnswersWidget {
    pub fn periods(&self) -> &'static [i64] {
        &PERIODS
    }

    /// The same view for another period.
    pub fn period_link(&self, days: &i64) -> String {
        format!(
            "{}/dashboard?{}#answers",
            self.base,
            self.focus.with_days(*days).query()
        )
    }

    /// Working minutes as hours with one decimal.
    pub fn hours(&self, minutes: &Option<f64>) -> String {
        minutes
            .map(|m| format!("{:.1}", m / 60.0))
            .unwrap_or_else(|| "—".into())
    }

    pub fn percent_text(&self, p: Option<i64>) -> String {
        p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
    }

    pub fn change(&self, t: &Trend) -> String {
        match t.now - t.before {
            0 => "±0".into(),
            d if d > 0 => format!("+{d}"),
            d => d.to_string(),
        }
    }

    pub fn ranked(&self, r: &Responsiveness) -> bool {
        r.considered >= self.ranking_min
    }

    /// The inbox with this period's questions (of a category, when given).
    pub fn inbox_link(&self, category: Option<&str>) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        out.append_pair("status", "all")
            .append_pair("received_from", &self.from_date)
            .append_pair("received_to", &self.to_date);
        if let Some(c) = category {
            out.append_pair("category", c);
        }
        format!("{}/questions?{}", self.base, out.finish())
    }

    /// The organization's view for a row of the ranking, in this view's period.
    pub fn org_link(&self, id: &Option<i64>) -> String {
        format!(
            "{}/dashboard/org/{}?{}",
            self.base,
            id.unwrap_or(0),
            self.focus.query()
        )
    }

    pub fn questions_export_link(&self) -> String {
        format!(
            "{}/dashboard/questions.csv?{}",
            self.base,
            self.focus.query()
        )
    }
}

/// Pages that need a coordinator's call, counted per red flag.
pub struct RedFlagsWidget {
    pub base: String,
    pub focus: Focus,
    /// (flag, number of pages).
    pub counts: Vec<(&'static str, i64)>,
}

impl RedFlagsWidget {
    /// The pages behind a red flag, in this view.
    pub fn pages_link(&self, flag: &str) -> String {
        format!(
            "{}/dashboard/pages?flag={flag}&{}",
            self.base,
            self.focus.query()
        )
    }

    pub fn pages_export_link(&self) -> String {
        format!("{}/dashboard/pages.xlsx?{}", self.base, self.focus.query())
    }
}
