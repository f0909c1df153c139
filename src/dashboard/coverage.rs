//! Coverage of the organizations that must run an official page: with a page, with a page on
//! every platform the region requires, verified (a page with the mark), active (a page
//! posting to the region's rule), connected to «Госпаблики». Per organization first, then
//! summed per municipality and per sector, so every figure can open the organizations
//! behind it.

use std::collections::HashMap;

use sqlx::PgConnection;

use super::db::coverage as db;
pub use super::db::coverage::{Coverage, OrgFacts, Params};

/// The region's (or the scope's) figures, per municipality (the regional level first, then
/// by name) and per sector (in the region's order; only sectors with organizations).
#[derive(Clone, Debug, Default)]
pub struct Tables {
    pub total: Coverage,
    pub municipalities: Vec<Coverage>,
    pub sectors: Vec<Coverage>,
}

/// The three tables from one pass over the organizations, summed in the database.
pub async fn tables(db: &mut PgConnection, p: &Params<'_>) -> Result<Tables, sqlx::Error> {
    let sums = db::sums(db, p).await?;
    let municipalities = crate::municipalities::db::options(db, p.region).await?;
    let sectors = crate::sectors::db::options(db, p.region).await?;
    let mut out = Tables::default();
    let mut by_municipality: HashMap<Option<i64>, Coverage> = HashMap::new();
    let mut by_sector: HashMap<i64, Coverage> = HashMap::new();
    for s in sums {
        match s.group_kind.as_str() {
            "total" => out.total = s.figures,
            "municipality" => {
                by_municipality.insert(s.figures.id, s.figures);
            }
            _ => {
                if let Some(id) = s.figures.id {
                    by_sector.insert(id, s.figures);
                }
            }
        }
    }
    if let Some(regional) = by_municipality.remove(&None) {
        out.municipalities.push(regional);
    }
    for crate::web::forms::SelectOption { id, name } in municipalities {
        if let Some(c) = by_municipality.remove(&Some(id)) {
            out.municipalities.push(Coverage {
                name: Some(name),
                ..c
            });
        }
    }
    for crate::web::forms::SelectOption { id, name } in sectors {
        if let Some(c) = by_sector.remove(&id) {
            out.sectors.push(Coverage {
                name: Some(name),
                ..c
            });
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
