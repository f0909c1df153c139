-- Two transactions recounting the same region's summary at once each read the rows as they
-- were before the other's change: the weekly question summary then failed the second with a
-- duplicate key (two editors answering in one region in the same second, found under the
-- Monday-morning load), and a coverage total could keep the count of whichever committed
-- last. Each recount now takes a lock on its region's summary, held to the end of its
-- transaction, so the next one waits and then reads what the first committed (each
-- statement of a PL/pgSQL function in READ COMMITTED sees what committed before it began).
-- Regions are locked in id order, so two transactions over the same regions cannot deadlock
-- on these locks.

create or replace function question_weeks_recompute(touched jsonb) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('question_weeks'), r::int)
    from (select distinct (x ->> 'region_id')::bigint as r from jsonb_array_elements(touched) x order by 1) t;
    delete from question_weeks w
    using jsonb_to_recordset(touched) t(region_id bigint, week date)
    where w.region_id = t.region_id and w.week = t.week;
    insert into question_weeks (region_id, municipality_id, week, received, responded, median_first_response_minutes)
    select q.region_id,
           case when grouping(o.municipality_id) = 1 then 0 else o.municipality_id end,
           t.week, count(*), count(q.first_response_minutes),
           percentile_cont(0.5) within group (order by q.first_response_minutes)
    from (select distinct region_id, week from jsonb_to_recordset(touched) x(region_id bigint, week date)) t
    join regions r on r.id = t.region_id
    join questions q on q.region_id = t.region_id
        and q.received_at >= (t.week::timestamp at time zone r.time_zone)
        and q.received_at < ((t.week + 7)::timestamp at time zone r.time_zone)
    join organizations o on o.region_id = q.region_id and o.id = q.organization_id
    group by grouping sets ((q.region_id, t.week), (q.region_id, t.week, o.municipality_id))
    having grouping(o.municipality_id) = 1 or o.municipality_id is not null;
end
$$;

create or replace function coverage_facts_recompute(orgs bigint[]) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('coverage_facts'), r::int)
    from (select distinct o.region_id as r from organizations o where o.id = any(orgs) order by 1) x;
    delete from coverage_facts c
    where c.organization_id = any(orgs)
      and not exists (select 1 from organizations o
                      where o.id = c.organization_id and o.archived_at is null and not o.exempt);
    with per_platform as (
        select o.region_id, o.id, o.municipality_id, p.platform,
               bool_or(p.mark_status = 'granted') as verified,
               bool_or(p.connected) as connected,
               max(l.week) filter (where coalesce(l.posts, 0) * s.active_days::float8 / 7 >= s.active_posts) as active_week
        from organizations o
        left join region_settings s on s.region_id = o.region_id
        left join pages p on p.region_id = o.region_id and p.organization_id = o.id
        left join page_latest l on l.page_id = p.id
        where o.id = any(orgs) and o.archived_at is null and not o.exempt
        group by o.region_id, o.id, o.municipality_id, p.platform
    )
    insert into coverage_facts (region_id, organization_id, municipality_id, platforms, verified_on,
                                connected_on, active_week, active_weeks)
    select region_id, id, municipality_id,
           coalesce(array_agg(platform order by platform) filter (where platform is not null), '{}'),
           coalesce(array_agg(platform order by platform) filter (where verified), '{}'),
           coalesce(array_agg(platform order by platform) filter (where connected), '{}'),
           max(active_week),
           coalesce(jsonb_object_agg(platform, active_week) filter (where active_week is not null), '{}')
    from per_platform
    group by region_id, id, municipality_id
    on conflict (organization_id) do update set
        region_id = excluded.region_id, municipality_id = excluded.municipality_id,
        platforms = excluded.platforms, verified_on = excluded.verified_on,
        connected_on = excluded.connected_on, active_week = excluded.active_week,
        active_weeks = excluded.active_weeks;
    perform region_coverage_recompute(array(
        select distinct o.region_id from organizations o where o.id = any(orgs)
        union select distinct c.region_id from coverage_facts c where c.organization_id = any(orgs)));
end
$$;

create or replace function region_coverage_recompute(regions bigint[]) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('region_coverage'), r::int) from (select distinct unnest(regions) as r order by 1) x;
    insert into region_coverage (region_id, obliged, with_page, covered, verified, connected)
    select r.id, count(c.organization_id),
           count(*) filter (where cardinality(c.platforms) > 0),
           count(*) filter (where cardinality(c.platforms) > 0
                            and c.platforms @> coalesce(s.required_platforms, '{vk,ok}')),
           count(*) filter (where cardinality(c.verified_on) > 0),
           count(*) filter (where cardinality(c.connected_on) > 0)
    from (select distinct unnest(regions) as id) r
    left join region_settings s on s.region_id = r.id
    left join coverage_facts c on c.region_id = r.id
    group by r.id, s.required_platforms
    order by r.id
    on conflict (region_id) do update set
        obliged = excluded.obliged, with_page = excluded.with_page, covered = excluded.covered,
        verified = excluded.verified, connected = excluded.connected;
end
$$;
