//! Where a monitoring view looks: a municipality (or the regional level), a sector, a level
//! of organizations, a platform, and the period of the answer figures. All of it lives in
//! the URL, so a view can be bookmarked and shared, and every drill-down link carries it on.

use sqlx::PgConnection;

use super::db;
use crate::error::{AppError, AppResult};
use crate::ids::RegionId;

pub const PERIODS: [i64; 4] = [7, 30, 90, 365];
pub const LEVELS: [&str; 5] = [
    "regional_body",
    "local_government",
    "state_institution",
    "municipal_institution",
    "other",
];
pub const PLATFORMS: [&str; 5] = ["vk", "ok", "telegram", "max", "other"];

#[derive(serde::Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct FocusQuery {
    pub municipality: String,
    pub sector: String,
    pub level: String,
    pub platform: String,
    pub days: String,
    pub sort: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Focus {
    /// 0 stands for the regional level (organizations without a municipality).
    pub municipality: Option<i64>,
    pub sector: Option<i64>,
    pub level: Option<&'static str>,
    pub platform: Option<&'static str>,
    pub days: i64,
    pub sort: String,
}

fn id(v: &str) -> AppResult<Option<i64>> {
    match v.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or(AppError::NotFound),
    }
}

impl Focus {
    /// An id that is not a number names nothing (404); an unknown level, platform or period
    /// is no filter at all, so an old bookmark still opens.
    pub fn parse(q: &FocusQuery) -> AppResult<Focus> {
        Ok(Focus {
            municipality: id(&q.municipality)?,
            sector: id(&q.sector)?,
            level: LEVELS.into_iter().find(|l| *l == q.level.trim()),
            platform: PLATFORMS.into_iter().find(|p| *p == q.platform.trim()),
            days: q
                .days
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|d| PERIODS.contains(d))
                .unwrap_or(7),
            sort: q.sort.trim().chars().take(20).collect(),
        })
    }

    /// Whether anything narrows the organizations beyond the member's own scope.
    pub fn narrows_organizations(&self) -> bool {
        self.municipality.is_some() || self.sector.is_some() || self.level.is_some()
    }

    /// The URL parameters of this view (without a leading `?`), the period included.
    pub fn query(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        if let Some(m) = self.municipality {
            out.append_pair("municipality", &m.to_string());
        }
        if let Some(s) = self.sector {
            out.append_pair("sector", &s.to_string());
        }
        if let Some(l) = self.level {
            out.append_pair("level", l);
        }
        if let Some(p) = self.platform {
            out.append_pair("platform", p);
        }
        out.append_pair("days", &self.days.to_string());
        if !self.sort.is_empty() {
            out.append_pair("sort", &self.sort);
        }
        out.finish()
    }

    /// The same view narrowed to a municipality (`None`: the regional level).
    pub fn in_municipality(&self, m: Option<i64>) -> Focus {
        Focus {
            municipality: Some(m.unwrap_or(0)),
            ..self.clone()
        }
    }

    pub fn in_sector(&self, s: i64) -> Focus {
        Focus {
            sector: Some(s),
            ..self.clone()
        }
    }

    pub fn with_days(&self, days: i64) -> Focus {
        Focus {
            days,
            ..self.clone()
        }
    }

    pub fn sorted(&self, sort: &str) -> Focus {
        Focus {
            sort: sort.to_owned(),
            ..self.clone()
        }
    }

    /// The row of the weekly summary that holds exactly this view's organizations: the whole
    /// region (0) or one municipality; none when the view is narrower, which is counted live.
    pub fn summary_key(&self, scope: &crate::web::access::OrgScope) -> Option<i64> {
        if self.sector.is_some() || self.level.is_some() || self.platform.is_some() {
            return None;
        }
        let whole = scope.all;
        let only = match (
            &scope.municipalities[..],
            &scope.subtrees[..],
            &scope.organizations[..],
        ) {
            ([m], [], []) => Some(*m),
            _ => None,
        };
        match self.municipality {
            None if whole => Some(0),
            None => only,
            Some(0) => None,
            Some(m) if whole || only == Some(m) => Some(m),
            Some(_) => None,
        }
    }
}

/// The organizations of the member's scope (`scope`: none for the whole region) that the
/// focus keeps; none when neither narrows anything.
pub async fn organization_ids(
    db: &mut PgConnection,
    region: RegionId,
    scope: Option<Vec<i64>>,
    focus: &Focus,
) -> Result<Option<Vec<i64>>, sqlx::Error> {
    if !focus.narrows_organizations() {
        return Ok(scope);
    }
    db::focus::organization_ids(
        db,
        region,
        scope.as_deref(),
        focus.municipality,
        focus.level,
        focus.sector,
    )
    .await
    .map(Some)
}

/// The names of the municipality and sector a view narrows to. One the member sees no
/// organization in does not exist for them (404), so no count leaks.
#[derive(Clone, Debug, Default)]
pub struct Place {
    pub municipality: Option<String>,
    pub sector: Option<String>,
}

pub async fn place(
    db: &mut PgConnection,
    region: RegionId,
    region_name: &str,
    scope: Option<&[i64]>,
    focus: &Focus,
) -> AppResult<Place> {
    let mut out = Place::default();
    match focus.municipality {
        Some(0) => out.municipality = Some(region_name.to_owned()),
        Some(m) => {
            let name = db::focus::municipality_name(db, region, m, scope).await?;
            out.municipality = Some(name.ok_or(AppError::NotFound)?);
        }
        None => {}
    }
    if let Some(s) = focus.sector {
        let name = db::focus::sector_name(db, region, s, scope).await?;
        out.sector = Some(name.ok_or(AppError::NotFound)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::access::OrgScope;

    fn q(pairs: &[(&str, &str)]) -> FocusQuery {
        let mut q = FocusQuery::default();
        for (k, v) in pairs {
            let v = (*v).to_owned();
            match *k {
                "municipality" => q.municipality = v,
                "sector" => q.sector = v,
                "level" => q.level = v,
                "platform" => q.platform = v,
                "days" => q.days = v,
                _ => q.sort = v,
            }
        }
        q
    }

    #[test]
    fn the_url_round_trips_and_unknown_values_are_no_filter() {
        let f = Focus::parse(&q(&[
            ("municipality", "12"),
            ("sector", "3"),
            ("level", "municipal_institution"),
            ("platform", "vk"),
            ("days", "30"),
        ]))
        .unwrap();
        assert_eq!(
            f.query(),
            "municipality=12&sector=3&level=municipal_institution&platform=vk&days=30"
        );
        let odd = Focus::parse(&q(&[
            ("level", "king"),
            ("platform", "myspace"),
            ("days", "8"),
        ]))
        .unwrap();
        assert_eq!((odd.level, odd.platform, odd.days), (None, None, 7));
        assert!(Focus::parse(&q(&[("municipality", "x")])).is_err());
        assert!(Focus::parse(&q(&[("sector", "-1")])).is_err());
    }

    #[test]
    fn the_summary_stands_only_for_the_same_organizations() {
        let region = OrgScope {
            all: true,
            ..Default::default()
        };
        let municipal = OrgScope {
            municipalities: vec![5],
            ..Default::default()
        };
        let f = |pairs: &[(&str, &str)]| Focus::parse(&q(pairs)).unwrap();
        assert_eq!(f(&[]).summary_key(&region), Some(0));
        assert_eq!(f(&[("municipality", "5")]).summary_key(&region), Some(5));
        assert_eq!(f(&[("municipality", "0")]).summary_key(&region), None);
        assert_eq!(f(&[]).summary_key(&municipal), Some(5));
        assert_eq!(f(&[("municipality", "6")]).summary_key(&municipal), None);
        assert_eq!(f(&[("sector", "1")]).summary_key(&region), None);
        assert_eq!(f(&[("platform", "vk")]).summary_key(&region), None);
    }
}
