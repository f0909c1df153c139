//! The public screens: the national entry (find a region, or search every region), a
//! region's directory, an organization's public card, and «Проверить страницу».

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use serde::Deserialize;

use super::db::{self, Card, Choice, Filter, Found, Link, PER_PAGE, PublicPage, RegionEntry};
use super::query::SearchText;
use crate::error::{AppError, AppResult};
use crate::ids::OrgId;
use crate::web::access::MaybeUser;
use crate::web::public::PublicChrome;
use crate::web::reads::Reads;
use crate::web::redirect;
use crate::web::render::render;

/// Subordinate organizations a card lists.
const SUBORDINATES_SHOWN: i64 = 100;
/// Pages of results a visitor may walk through; deeper than this a narrower query helps more.
const LAST_PAGE: i64 = 50;
/// Matches in every region past which results are not ranked: «детский сад» across the
/// country is tens of thousands of kindergartens, and the one a resident means is found by
/// picking their region.
const NATIONAL_RANKED: i64 = 1000;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    pub q: String,
    pub municipality: String,
    pub sector: String,
    pub page: String,
}

impl SearchQuery {
    /// A region's directory searching for the same words.
    pub fn in_region(&self, slug: &str) -> String {
        if self.q.trim().is_empty() {
            return format!("/r/{slug}/directory");
        }
        let q: String = url::form_urlencoded::byte_serialize(self.q.trim().as_bytes()).collect();
        format!("/r/{slug}/directory?q={q}")
    }

    fn page(&self) -> i64 {
        self.page.trim().parse().unwrap_or(1).clamp(1, LAST_PAGE)
    }

    /// The same search on another page of results.
    pub fn href(&self, path: &str, page: i64) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &self.q),
            ("municipality", &self.municipality),
            ("sector", &self.sector),
        ] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        q.append_pair("page", &page.to_string());
        format!("{path}?{}", q.finish())
    }

    pub fn is_municipality(&self, id: &i64) -> bool {
        self.municipality == id.to_string()
    }

    pub fn is_sector(&self, id: &i64) -> bool {
        self.sector == id.to_string()
    }
}

/// A page of results.
pub struct Results {
    pub items: Vec<Found>,
    pub page: i64,
    pub more: bool,
    /// The words searched for instead of a typo.
    pub corrected: Option<String>,
    /// Too many matches in every region to rank: the resident is asked to pick a region.
    pub too_broad: bool,
}

impl Results {
    fn of(mut items: Vec<Found>, page: i64, corrected: Option<String>) -> Results {
        let more = items.len() as i64 > PER_PAGE && page < LAST_PAGE;
        items.truncate(PER_PAGE as usize);
        Results {
            items,
            page,
            more,
            corrected,
            too_broad: false,
        }
    }

    fn too_broad(page: i64) -> Results {
        Results {
            too_broad: true,
            ..Results::of(Vec::new(), page, None)
        }
    }
}

/// What a search came to: organizations, or too many in every region to rank.
enum Matched {
    Found(Vec<Found>, Option<String>),
    TooBroad,
}

// The last page a visitor may reach starts before the cap.
const _: () = assert!((LAST_PAGE - 1) * PER_PAGE < NATIONAL_RANKED);

/// The search, unless it is of every region and matches too many to rank. Every region's
/// matches are read only up to one more than the cap, and that many are ranked at most.
async fn ranked(
    db: &mut sqlx::PgConnection,
    filter: &Filter,
) -> Result<Option<Vec<Found>>, sqlx::Error> {
    let national = filter.region.is_none() && filter.text.is_some();
    let found = db::search(db, filter, national.then_some(NATIONAL_RANKED)).await?;
    // A search with more matches than the cap always has rows to say so.
    if national && found.first().is_some_and(|f| f.matched > NATIONAL_RANKED) {
        return Ok(None);
    }
    Ok(Some(found))
}

/// The typed words; when they match nothing, the same words with each typo corrected against
/// the dictionary of words residents can search by (and the correction is said).
async fn matches(db: &mut sqlx::PgConnection, filter: &Filter) -> Result<Matched, sqlx::Error> {
    let Some(found) = ranked(db, filter).await? else {
        return Ok(Matched::TooBroad);
    };
    let Some(typed) = filter.text.as_ref().filter(|_| found.is_empty()) else {
        return Ok(Matched::Found(found, None));
    };
    let corrected = db::corrections(db, &typed.words).await?;
    let words: Vec<String> = typed
        .words
        .iter()
        .zip(corrected)
        .map(|(w, c)| match c {
            // Short words and numbers are kept: a house number is not a typo.
            Some(c) if w.chars().count() >= 4 && !w.chars().all(|ch| ch.is_ascii_digit()) => c,
            _ => w.clone(),
        })
        .collect();
    if words == typed.words {
        return Ok(Matched::Found(found, None));
    }
    let text = SearchText { words };
    let again = Filter {
        text: Some(text.clone()),
        ..filter.clone()
    };
    Ok(match ranked(db, &again).await? {
        Some(found) => Matched::Found(found, Some(text.phrase())),
        None => Matched::TooBroad,
    })
}

/// A page of results, read on `db`: the region's transaction, or for every region a
/// connection as the schema's owner.
async fn find(
    db: &mut sqlx::PgConnection,
    filter: Filter,
    page: i64,
) -> Result<Results, sqlx::Error> {
    let filter = Filter {
        offset: (page - 1) * PER_PAGE,
        ..filter
    };
    Ok(match matches(db, &filter).await? {
        Matched::Found(items, corrected) => Results::of(items, page, corrected),
        Matched::TooBroad => Results::too_broad(page),
    })
}

#[derive(Template)]
#[template(path = "public/national.html")]
pub struct NationalScreen {
    pub chrome: PublicChrome,
    pub regions: Vec<RegionEntry>,
    pub query: SearchQuery,
    pub results: Option<Results>,
}

/// `/`: a signed-in person lands on their start page; anyone else finds a region or searches
/// every region.
pub async fn national(
    reads: Reads,
    MaybeUser(user): MaybeUser,
    chrome: PublicChrome,
    Query(query): Query<SearchQuery>,
) -> AppResult<Response> {
    let text = SearchText::parse(&query.q);
    if user.is_some() && text.is_none() {
        return Ok(redirect("/home"));
    }
    // Every region's organizations: read as the schema's owner.
    let mut conn = reads.pool().acquire().await?;
    let results = match text {
        Some(text) => {
            let filter = Filter {
                text: Some(text),
                ..Filter::default()
            };
            Some(find(&mut conn, filter, query.page()).await?)
        }
        None => None,
    };
    let regions = db::regions(&mut conn).await?;
    render(&NationalScreen {
        chrome,
        regions,
        query,
        results,
    })
}

#[derive(Template)]
#[template(path = "public/directory.html")]
pub struct DirectoryScreen {
    pub chrome: PublicChrome,
    pub region_name: String,
    pub region_slug: String,
    pub municipalities: Vec<Choice>,
    pub sectors: Vec<Choice>,
    pub query: SearchQuery,
    pub results: Option<Results>,
}

fn choice(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

pub async fn directory(
    reads: Reads,
    chrome: PublicChrome,
    Query(query): Query<SearchQuery>,
) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let filter = Filter {
        region: Some(region.id),
        text: SearchText::parse(&query.q),
        municipality: choice(&query.municipality),
        sector: choice(&query.sector),
        offset: 0,
    };
    let asked = filter.text.is_some() || filter.municipality.is_some() || filter.sector.is_some();
    // One transaction for the results and the filters' choices.
    let mut tx = reads.tenant(region.id).await?;
    let results = if asked {
        Some(find(&mut tx, filter, query.page()).await?)
    } else {
        None
    };
    let municipalities = db::municipalities(&mut tx, region.id).await?;
    let sectors = db::sectors(&mut tx, region.id).await?;
    tx.commit().await?;
    render(&DirectoryScreen {
        chrome,
        region_name: region.name,
        region_slug: region.slug,
        municipalities,
        sectors,
        query,
        results,
    })
}

#[derive(Template)]
#[template(path = "public/card.html")]
pub struct CardScreen {
    pub chrome: PublicChrome,
    pub region_name: String,
    pub region_slug: String,
    pub card: Card,
    pub pages: Vec<PublicPage>,
    pub subordinates: Vec<Link>,
    /// Contests a page of the organization won, while their badge shows.
    pub awards: Vec<crate::contests::db::Award>,
}

impl CardScreen {
    pub fn verified_count(&self) -> usize {
        self.pages.iter().filter(|p| p.verified).count()
    }

    /// A website as a link: the address as typed, with a scheme when it had none.
    pub fn website_href(&self, site: &str) -> String {
        if site.contains("://") {
            site.to_owned()
        } else {
            format!("https://{site}")
        }
    }
}

#[derive(Deserialize)]
pub struct CardPath {
    #[allow(dead_code)]
    region: String,
    id: i64,
}

pub async fn card(
    reads: Reads,
    chrome: PublicChrome,
    Path(path): Path<CardPath>,
) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let org = OrgId(path.id);
    let mut tx = reads.tenant(region.id).await?;
    let card = db::card(&mut tx, region.id, org)
        .await?
        .ok_or(AppError::NotFound)?;
    let pages = db::pages_of(&mut tx, region.id, org).await?;
    let subordinates = db::subordinates(&mut tx, region.id, org, SUBORDINATES_SHOWN).await?;
    let today = crate::regions::time::today_in(&region);
    let awards = crate::contests::db::awards(&mut tx, region.id, org, today).await?;
    tx.commit().await?;
    render(&CardScreen {
        chrome,
        region_name: region.name,
        region_slug: region.slug,
        card,
        pages,
        subordinates,
        awards,
    })
}
