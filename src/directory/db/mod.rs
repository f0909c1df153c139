//! SQL of the public directory: organizations found by what a resident typed, an
//! organization's public card (its official pages, contacts, founder and subordinates) and
//! the page an address names. Only what a resident may see is selected: no questions, people,
//! notes or scores, and no organization that is archived or exempt from running a page (an
//! exemption is often why an organization is not to be shown).

pub mod opendata;

use chrono::NaiveDate;
use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::query::SearchText;
use crate::ids::{OrgId, RegionId};

/// Results on one page of the directory.
pub const PER_PAGE: i64 = 20;

/// One organization in the results.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Found {
    pub id: OrgId,
    pub name: String,
    pub short_name: Option<String>,
    pub address: Option<String>,
    pub municipality: Option<String>,
    pub region_slug: String,
    pub region_name: String,
    pub verified: bool,
    pub pages: i64,
    /// With a cap, how many matched, up to one more than the cap.
    pub matched: i64,
}

/// What the directory is asked.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Every region when none.
    pub region: Option<RegionId>,
    pub text: Option<SearchText>,
    pub municipality: Option<i64>,
    pub sector: Option<i64>,
    pub offset: i64,
}

/// Organizations that match, the best first: the words' relevance, then those with a
/// verified page, then by name. One more than a page, to know there is a next. The rank and
/// the verified flag are computed for the matches; the region, municipality and page count
/// only for the page shown. With `cap`, the matches are read from the index once, up to one
/// more than the cap, and only those are ranked; each row says how many matched, and past the
/// cap a single row comes back, unranked, to say so.
pub async fn search(
    db: &mut PgConnection,
    f: &Filter,
    cap: Option<i64>,
) -> Result<Vec<Found>, sqlx::Error> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new("with ");
    if let Some(cap) = cap {
        q.push("candidates as materialized (select o.id");
        push_matching(&mut q, f);
        q.push(" limit ")
            .push_bind(cap + 1)
            .push("), matched as materialized (select count(*) as n from candidates), ");
    }
    q.push(
        "hits as (select o.id, o.region_id, o.name, o.short_name, o.address, o.municipality_id, ",
    );
    match &f.text {
        None => q.push("0::real as rank"),
        // Whole words count on top of prefixes: «школа 1» puts № 1 before № 10.
        Some(t) => q
            .push("ts_rank(o.search_words, to_tsquery('russian', ")
            .push_bind(t.prefixes())
            .push(")) + ts_rank(o.search_words, to_tsquery('russian', ")
            .push_bind(t.whole())
            .push(")) as rank"),
    };
    match cap {
        // Past the cap, one row only, to carry the count: nothing is ranked.
        Some(cap) => {
            q.push(" from organizations o join candidates c on c.id = o.id where (select n from matched) <= ")
                .push_bind(cap)
                .push(" or o.id = (select min(id) from candidates)");
        }
        None => push_matching(&mut q, f),
    }
    q.push(
        r#"), shown as (
               select h.*, exists (select 1 from pages p where p.region_id = h.region_id
                                   and p.organization_id = h.id and p.mark_status = 'granted') as verified
               from hits h order by rank desc, verified desc, name, id limit "#,
    )
    .push_bind(PER_PAGE + 1)
    .push(" offset ")
    .push_bind(f.offset)
    .push(
        r#")
           select s.id, s.name, s.short_name, s.address, m.name as municipality,
                  r.slug as region_slug, r.name as region_name, s.verified,
                  (select count(*) from pages p where p.region_id = s.region_id
                          and p.organization_id = s.id) as pages, "#,
    );
    match cap {
        Some(_) => q.push("(select n from matched) as matched"),
        None => q.push("0::bigint as matched"),
    };
    q.push(
        r#"
           from shown s
           join regions r on r.id = s.region_id
           left join municipalities m on m.region_id = s.region_id and m.id = s.municipality_id
           order by s.rank desc, s.verified desc, s.name, s.id"#,
    );
    q.build_query_as().fetch_all(db).await
}

/// ` from organizations o where …` for what the filter asks.
fn push_matching(q: &mut QueryBuilder<'_, Postgres>, f: &Filter) {
    q.push(" from organizations o where o.archived_at is null and not o.exempt");
    if let Some(region) = f.region {
        q.push(" and o.region_id = ").push_bind(region);
    }
    if let Some(t) = &f.text {
        q.push(" and o.search_words @@ to_tsquery('russian', ")
            .push_bind(t.prefixes())
            .push(")");
    }
    if let Some(m) = f.municipality {
        q.push(" and o.municipality_id = ").push_bind(m);
    }
    if let Some(s) = f.sector {
        q.push(
            " and exists (select 1 from organization_sectors s where s.region_id = o.region_id \
             and s.organization_id = o.id and s.sector_id = ",
        )
        .push_bind(s)
        .push(")");
    }
}

/// For each word, the most similar word residents can search by (trigram similarity over
/// the dictionary), or none when nothing is similar enough.
pub async fn corrections(
    db: &mut PgConnection,
    words: &[String],
) -> Result<Vec<Option<String>>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select (select d.word from search_dictionary d where d.word % q.w
                   order by d.word <-> q.w, d.word limit 1)
           from unnest($1::text[]) with ordinality as q(w, n) order by q.n"#,
    )
    .bind(words)
    .fetch_all(db)
    .await
}

/// A municipality or a sector, for the filters.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

pub async fn municipalities(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<Choice>, sqlx::Error> {
    sqlx::query_as("select id, name from municipalities where region_id = $1 order by name, id")
        .bind(region)
        .fetch_all(db)
        .await
}

pub async fn sectors(db: &mut PgConnection, region: RegionId) -> Result<Vec<Choice>, sqlx::Error> {
    sqlx::query_as("select id, name from sectors where region_id = $1 order by position, name, id")
        .bind(region)
        .fetch_all(db)
        .await
}

/// A region on the national entry page.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RegionEntry {
    pub slug: String,
    pub name: String,
}

pub async fn regions(db: &mut PgConnection) -> Result<Vec<RegionEntry>, sqlx::Error> {
    sqlx::query_as("select slug, name from regions order by name")
        .fetch_all(db)
        .await
}

/// An organization's public card.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Card {
    pub id: OrgId,
    pub name: String,
    pub short_name: Option<String>,
    pub level: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub municipality: Option<String>,
    pub parent_id: Option<OrgId>,
    pub parent_name: Option<String>,
    pub sectors: Vec<String>,
}

pub async fn card(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
) -> Result<Option<Card>, sqlx::Error> {
    sqlx::query_as(
        r#"select o.id, o.name, o.short_name, o.level, o.address, o.phone, o.email, o.website,
                  m.name as municipality, parent.id as parent_id, parent.name as parent_name,
                  array(select s.name from organization_sectors os
                        join sectors s on s.region_id = os.region_id and s.id = os.sector_id
                        where os.region_id = o.region_id and os.organization_id = o.id
                        order by os.slot) as sectors
           from organizations o
           left join municipalities m on m.region_id = o.region_id and m.id = o.municipality_id
           left join organizations parent on parent.region_id = o.region_id and parent.id = o.parent_id
                                          and parent.archived_at is null and not parent.exempt
           where o.region_id = $1 and o.id = $2 and o.archived_at is null and not o.exempt"#,
    )
    .bind(region)
    .bind(org)
    .fetch_optional(db)
    .await
}

/// One of the organization's official pages as a resident sees it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicPage {
    pub platform: String,
    pub url: String,
    pub title: Option<String>,
    /// The mark is granted now.
    pub verified: bool,
    /// Since when, when it is.
    pub verified_since: Option<NaiveDate>,
}

pub async fn pages_of(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
) -> Result<Vec<PublicPage>, sqlx::Error> {
    sqlx::query_as(
        r#"select platform, url, title, mark_status = 'granted' as verified,
                  case when mark_status = 'granted' then mark_since end as verified_since
           from pages where region_id = $1 and organization_id = $2
           order by mark_status = 'granted' desc, platform, id"#,
    )
    .bind(region)
    .bind(org)
    .fetch_all(db)
    .await
}

/// An organization a card links to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Link {
    pub id: OrgId,
    pub name: String,
}

/// The organizations it founded, by name (the first `limit`).
pub async fn subordinates(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
    limit: i64,
) -> Result<Vec<Link>, sqlx::Error> {
    sqlx::query_as(
        r#"select id, name from organizations
           where region_id = $1 and parent_id = $2 and archived_at is null and not exempt
           order by name, id limit $3"#,
    )
    .bind(region)
    .bind(org)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The registered page an address names, in whichever region it is.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Registered {
    pub region_slug: String,
    pub region_name: String,
    pub organization_id: OrgId,
    pub organization: String,
    pub url: String,
    pub verified: bool,
    pub verified_since: Option<NaiveDate>,
}

/// Reads across regions (as the schema's owner): the answer to "is this page official?" does
/// not depend on which region's box it was typed in.
pub async fn registered(
    db: &mut PgConnection,
    platform: &str,
    url_key: &str,
) -> Result<Option<Registered>, sqlx::Error> {
    sqlx::query_as(
        r#"select r.slug as region_slug, r.name as region_name, o.id as organization_id,
                  o.name as organization, p.url, p.mark_status = 'granted' as verified,
                  case when p.mark_status = 'granted' then p.mark_since end as verified_since
           from pages p
           join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           join regions r on r.id = p.region_id
           where p.platform = $1 and p.url_key = $2 and o.archived_at is null and not o.exempt"#,
    )
    .bind(platform)
    .bind(url_key)
    .fetch_optional(db)
    .await
}

/// Every public card of the region, for its sitemap: id and when it last changed.
pub async fn card_ids(
    db: &mut PgConnection,
    region: RegionId,
) -> Result<Vec<(OrgId, chrono::DateTime<chrono::Utc>)>, sqlx::Error> {
    sqlx::query_as(
        "select id, updated_at from organizations where region_id = $1 and archived_at is null and not exempt order by id",
    )
    .bind(region)
    .fetch_all(db)
    .await
}
