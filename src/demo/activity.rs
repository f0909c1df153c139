//! Demo page quality: setup, categories, marks in every state with their history, and a year
//! of weekly figures for every page — most pages alive and growing, some middling, some
//! dormant — so the cards and scores show a believable spread. Seeded once.
//!
//! Its SQL stays here, not in a store: it writes generated history in bulk, as no screen
//! does.

use sqlx::PgConnection;

use crate::ids::RegionId;

pub async fn seed(db: &mut PgConnection, region: RegionId) -> anyhow::Result<()> {
    let seeded: bool =
        sqlx::query_scalar("select exists (select 1 from page_snapshots where region_id = $1)")
            .bind(region)
            .fetch_one(&mut *db)
            .await?;
    if seeded {
        return Ok(());
    }
    setup(db, region).await?;
    marks(db, region).await?;
    figures(db, region).await?;
    Ok(())
}

/// A fixed profile per page from its address: 0–39 good, 40–74 middling, 75–99 poor.
async fn setup(db: &mut PgConnection, region: RegionId) -> anyhow::Result<()> {
    sqlx::query(
        r#"update pages p set
               category = case when o.level = 'regional_body' then 'flagship'
                               when o.level = 'local_government' then 'active'
                               when abs(hashtext(p.url_key)) % 3 = 0 then 'card' else 'active' end,
               has_avatar = abs(hashtext(p.url_key)) % 100 < 90,
               has_description = abs(hashtext(p.url_key)) % 100 < 80,
               has_cover = abs(hashtext(p.url_key)) % 100 < 55,
               has_contacts = abs(hashtext(p.url_key)) % 100 < 85,
               widgets = case when abs(hashtext(p.url_key)) % 100 < 40 then 2
                              when abs(hashtext(p.url_key)) % 100 < 75 then 1 else 0 end,
               comments_open = abs(hashtext(p.url_key)) % 100 < 92,
               connected = connected or abs(hashtext(p.url_key)) % 100 < 70,
               checklist = case when abs(hashtext(p.url_key)) % 100 < 40
                                then '{gosuslugi_admin,two_factor,profile_filled,topic_set,confirmed_via_gosuslugi}'::text[]
                                when abs(hashtext(p.url_key)) % 100 < 75 then '{gosuslugi_admin,profile_filled}'::text[]
                                else '{}'::text[] end
           from organizations o
           where o.region_id = p.region_id and o.id = p.organization_id and p.region_id = $1"#,
    )
    .bind(region)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Marks: granted for most good pages, requests (some stuck), refusals and revocations.
async fn marks(db: &mut PgConnection, region: RegionId) -> anyhow::Result<()> {
    sqlx::query(
        r#"with chosen as (
               select p.id, abs(hashtext(p.url_key || 'mark')) % 100 as m,
                      (now() at time zone r.time_zone)::date as today
               from pages p join regions r on r.id = p.region_id
               where p.region_id = $1 and p.platform in ('vk', 'ok')
           ), steps as (
               select id, 'none' as from_status, 'requested' as status, today - (60 + m * 3) as on_day from chosen where m < 75
               union all
               select id, 'requested', 'granted', today - (30 + m * 2) from chosen where m < 50
               union all
               select id, 'granted', 'revoked', today - (10 + m) from chosen where m between 45 and 49
               union all
               select id, 'requested', 'rejected', today - (20 + m) from chosen where m between 50 and 56

           )
           insert into page_mark_events (region_id, page_id, from_status, status, happened_on)
           select $1, id, from_status, status, on_day from steps"#,
    )
    .bind(region)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        r#"update pages p set mark_status = last.status, mark_since = last.happened_on
           from (select distinct on (page_id) page_id, status, happened_on from page_mark_events
                 where region_id = $1 order by page_id, happened_on desc, id desc) last
           where p.region_id = $1 and p.id = last.page_id"#,
    )
    .bind(region)
    .execute(&mut *db)
    .await?;
    // Requests filed between 5 and 60 days ago stay open; those over the region's limit are stuck.
    sqlx::query(
        r#"update page_mark_events e set happened_on = (now() at time zone r.time_zone)::date - (5 + abs(hashtext(p.url_key)) % 56)
           from pages p join regions r on r.id = p.region_id
           where e.region_id = $1 and p.id = e.page_id and p.mark_status = 'requested' and e.status = 'requested'"#,
    )
    .bind(region)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        r#"update pages p set mark_since = e.happened_on from page_mark_events e
           where p.region_id = $1 and e.page_id = p.id and p.mark_status = 'requested' and e.status = 'requested'"#,
    )
    .bind(region)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// A year of weeks. Followers grow; good pages post above their quota, middling ones around
/// it, poor ones rarely, and a few poor ones stopped posting two months ago.
async fn figures(db: &mut PgConnection, region: RegionId) -> anyhow::Result<()> {
    sqlx::query(
        r#"with pg as (
               select p.id, abs(hashtext(p.url_key)) % 100 as profile,
                      300 + abs(hashtext(p.url_key || 'f')) % 6000 as base,
                      date_trunc('week', now() at time zone r.time_zone)::date as this_week
               from pages p join regions r on r.id = p.region_id where p.region_id = $1
           ), w as (
               select pg.id, pg.profile, pg.base, pg.this_week - 7 * g as week, g,
                      abs(hashtext(pg.id::text || ':' || g)) % 100 as noise
               from pg cross join generate_series(1, 52) g
           ), figures as (
               select id, week, g, noise, profile,
                      (base * (1 + (52 - g) * case when profile < 40 then 0.012 when profile < 75 then 0.005 else 0.001 end))::int
                          + noise as followers,
                      case when profile >= 90 and g <= 9 then 0
                           when profile < 40 then 4 + noise % 5
                           when profile < 75 then 2 + noise % 3
                           else noise % 2 end as posts
               from w
           ), dated as (
               select figures.*,
                      max(case when posts > 0 then week end) over (partition by id order by week) as last_posting_week
               from figures
           )
           insert into page_snapshots (region_id, page_id, week, followers, posts, views, likes, comments, reposts, reach,
                                       last_post_on, source)
           select $1, id, week, followers, posts,
                  posts * followers * (case when profile < 40 then 85 when profile < 75 then 55 else 25 end + noise % 20) / 100,
                  posts * followers * (3 + noise % 4) / 100,
                  posts * followers * (1 + noise % 2) / 200,
                  posts * followers / 400,
                  followers * (case when profile < 40 then 72 when profile < 75 then 45 else 20 end + noise % 15) / 100,
                  case when posts > 0 then week + (noise % 5) else last_posting_week + 4 end,
                  'upload'
           from dated"#,
    )
    .bind(region)
    .execute(&mut *db)
    .await?;
    Ok(())
}
