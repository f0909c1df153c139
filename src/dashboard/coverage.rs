//! Coverage of the organizations that must run an official page: with a page, with a page on
//! every platform the region requires, verified (a page with the mark), active (a page
//! posting to the region's rule), connected to «Госпаблики». Per organization first, then
//! summed per municipality and per sector, so every figure can open the organizations
//! behind it.

use sqlx::PgConnection;

use super::db::coverage::{self as db, Facts};
pub use super::db::coverage::{OrgFacts, Params};

/// One figure group: the region, a municipality or a sector.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Coverage {
    /// The municipality's or sector's id; none for the region, or for organizations of the
    /// regional level (no municipality).
    pub id: Option<i64>,
    pub name: Option<String>,
    pub obliged: i64,
    pub with_page: i64,
    pub covered: i64,
    pub verified: i64,
    pub active: i64,
    pub connected: i64,
}

impl Coverage {
    fn add(&mut self, f: &Facts) {
        self.obliged += 1;
        self.with_page += i64::from(f.has_page);
        self.covered += i64::from(f.covered);
        self.verified += i64::from(f.verified);
        self.active += i64::from(f.active);
        self.connected += i64::from(f.connected);
    }
}

/// The region's (or the scope's) figures, per municipality (the regional level first, then
/// by name) and per sector (in the region's order; only sectors with organizations).
#[derive(Clone, Debug, Default)]
pub struct Tables {
    pub total: Coverage,
    pub municipalities: Vec<Coverage>,
    pub sectors: Vec<Coverage>,
}

/// The three tables from one pass over the organizations: their facts are read once and
/// summed here, instead of aggregating the same rows three times in SQL.
pub async fn tables(db: &mut PgConnection, p: &Params<'_>) -> Result<Tables, sqlx::Error> {
    let facts = db::facts(db, p).await?;
    let municipalities = crate::municipalities::db::options(db, p.region).await?;
    let sectors = crate::sectors::db::options(db, p.region).await?;
    let mut out = Tables::default();
    let mut by_municipality: std::collections::HashMap<Option<i64>, Coverage> =
        std::collections::HashMap::new();
    let mut by_sector: std::collections::HashMap<i64, Coverage> = std::collections::HashMap::new();
    for f in &facts {
        out.total.add(f);
        by_municipality.entry(f.municipality_id).or_default().add(f);
        for s in &f.sector_ids {
            by_sector.entry(*s).or_default().add(f);
        }
    }
    if let Some(mut regional) = by_municipality.remove(&None) {
        regional.id = None;
        out.municipalities.push(regional);
    }
    for crate::web::forms::SelectOption { id, name } in municipalities {
        if let Some(mut c) = by_municipality.remove(&Some(id)) {
            c.id = Some(id);
            c.name = Some(name);
            out.municipalities.push(c);
        }
    }
    for crate::web::forms::SelectOption { id, name } in sectors {
        if let Some(mut c) = by_sector.remove(&id) {
            c.id = Some(id);
            c.name = Some(name);
            out.sectors.push(c);
        }
    }
    Ok(out)
}

/// Which organizations a figure stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    Obliged,
    WithPage,
    NoPage,
    Covered,
    NotCovered,
    Verified,
    NotVerified,
    Active,
    NotActive,
    Connected,
    NotConnected,
}

impl Flag {
    pub const ALL: [Flag; 11] = [
        Flag::Obliged,
        Flag::WithPage,
        Flag::NoPage,
        Flag::Covered,
        Flag::NotCovered,
        Flag::Verified,
        Flag::NotVerified,
        Flag::Active,
        Flag::NotActive,
        Flag::Connected,
        Flag::NotConnected,
    ];

    pub fn parse(s: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            Flag::Obliged => "obliged",
            Flag::WithPage => "with_page",
            Flag::NoPage => "no_page",
            Flag::Covered => "covered",
            Flag::NotCovered => "not_covered",
            Flag::Verified => "verified",
            Flag::NotVerified => "not_verified",
            Flag::Active => "active",
            Flag::NotActive => "not_active",
            Flag::Connected => "connected",
            Flag::NotConnected => "not_connected",
        }
    }

    fn condition(self) -> &'static str {
        match self {
            Flag::Obliged => "true",
            Flag::WithPage => "f.has_page",
            Flag::NoPage => "not f.has_page",
            Flag::Covered => "f.covered",
            Flag::NotCovered => "not f.covered",
            Flag::Verified => "f.verified",
            Flag::NotVerified => "not f.verified",
            Flag::Active => "f.active",
            Flag::NotActive => "not f.active",
            Flag::Connected => "f.connected",
            Flag::NotConnected => "not f.connected",
        }
    }
}

/// The organizations behind a figure, a page at a time, and how many there are.
pub async fn organizations(
    db: &mut PgConnection,
    p: &Params<'_>,
    flag: Flag,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OrgFacts>, i64), sqlx::Error> {
    db::organizations(db, p, flag.condition(), limit, offset).await
}
