-- Coverage as the monitoring screens count it, kept by statement-level triggers in the same
-- transaction as the change (the pattern of question_weeks), instead of grouping every page
-- of a region, or of the installation, on every request.
--
-- coverage_facts: one row per organization that must run a page (not archived, not exempt)
-- with what its pages add up to. What depends on today (a page is active while its newest
-- posting week is recent) is stored as that week, and compared with today when read.
-- region_coverage: the federal overview's figures per region.
--
-- Each recount takes a lock on its region's summary, held to the end of its transaction:
-- two transactions recounting one region at once would each read the rows as they were
-- before the other's change, and the total would keep whichever committed last. The next
-- one waits, and its next statement reads what the first committed. Regions are locked in
-- id order, so two transactions over the same regions cannot deadlock on these locks.

create table coverage_facts (
    region_id bigint not null,
    organization_id bigint primary key,
    municipality_id bigint,
    -- The platforms it has pages on, and those with a granted mark, and those connected.
    platforms text[] not null,
    verified_on text[] not null,
    connected_on text[] not null,
    -- The newest week in which one of its pages posted to the region's rule; per platform too.
    active_week date,
    active_weeks jsonb not null,
    foreign key (region_id, organization_id) references organizations (region_id, id) on delete cascade
);
create index coverage_facts_region_idx on coverage_facts (region_id, municipality_id);

create table region_coverage (
    region_id bigint primary key references regions (id),
    obliged integer not null,
    with_page integer not null,
    covered integer not null,
    verified integer not null,
    connected integer not null
);

create function region_coverage_recompute(regions bigint[]) returns void language plpgsql as $$
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

-- Recounts the given organizations from their pages and newest weekly figures; an
-- organization no longer obliged (archived, exempt, deleted) loses its row.
create function coverage_facts_recompute(orgs bigint[]) returns void language plpgsql as $$
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

-- Pages: only a change of what coverage counts (owner, platform, mark, connection) matters;
-- most updates (title, checklist, followers) change none of it.
create function coverage_from_pages() returns trigger language plpgsql as $$
declare
    orgs bigint[];
begin
    if tg_op = 'INSERT' then
        select array_agg(distinct organization_id) into orgs from changed_new;
    elsif tg_op = 'DELETE' then
        select array_agg(distinct organization_id) into orgs from changed_old;
    else
        select array_agg(distinct c.organization_id) into orgs
        from ((select id, organization_id, platform, mark_status, connected from changed_new
               except
               select id, organization_id, platform, mark_status, connected from changed_old)
              union all
              (select id, organization_id, platform, mark_status, connected from changed_old
               except
               select id, organization_id, platform, mark_status, connected from changed_new)) c;
    end if;
    if orgs is not null then
        perform coverage_facts_recompute(orgs);
    end if;
    return null;
end
$$;
create trigger pages_coverage_insert after insert on pages
    referencing new table as changed_new for each statement execute function coverage_from_pages();
create trigger pages_coverage_update after update on pages
    referencing old table as changed_old new table as changed_new
    for each statement execute function coverage_from_pages();
create trigger pages_coverage_delete after delete on pages
    referencing old table as changed_old for each statement execute function coverage_from_pages();

-- A page's newest week decides whether it is active.
create function coverage_from_latest() returns trigger language plpgsql as $$
declare
    orgs bigint[];
begin
    if tg_op = 'DELETE' then
        select array_agg(distinct p.organization_id) into orgs
        from changed_old c join pages p on p.id = c.page_id;
    else
        select array_agg(distinct p.organization_id) into orgs
        from changed_new c join pages p on p.id = c.page_id;
    end if;
    if orgs is not null then
        perform coverage_facts_recompute(orgs);
    end if;
    return null;
end
$$;
create trigger page_latest_coverage_insert after insert on page_latest
    referencing new table as changed_new for each statement execute function coverage_from_latest();
create trigger page_latest_coverage_update after update on page_latest
    referencing old table as changed_old new table as changed_new
    for each statement execute function coverage_from_latest();
create trigger page_latest_coverage_delete after delete on page_latest
    referencing old table as changed_old for each statement execute function coverage_from_latest();

-- Organizations: new ones, and a change of municipality, archiving or exemption.
create function coverage_from_organizations() returns trigger language plpgsql as $$
declare
    orgs bigint[];
    regions bigint[];
begin
    if tg_op = 'INSERT' then
        select array_agg(id) into orgs from changed_new;
    elsif tg_op = 'DELETE' then
        -- Their rows went with them (on delete cascade); the regions' totals follow.
        select array_agg(distinct region_id) into regions from changed_old;
        if regions is not null then
            perform region_coverage_recompute(regions);
        end if;
        return null;
    else
        select array_agg(distinct c.id) into orgs
        from ((select id, municipality_id, archived_at is null as live, exempt from changed_new
               except
               select id, municipality_id, archived_at is null, exempt from changed_old)) c;
    end if;
    if orgs is not null then
        perform coverage_facts_recompute(orgs);
    end if;
    return null;
end
$$;
create trigger organizations_coverage_insert after insert on organizations
    referencing new table as changed_new for each statement execute function coverage_from_organizations();
create trigger organizations_coverage_update after update on organizations
    referencing old table as changed_old new table as changed_new
    for each statement execute function coverage_from_organizations();
create trigger organizations_coverage_delete after delete on organizations
    referencing old table as changed_old for each statement execute function coverage_from_organizations();

-- The region's rule for an active page decides every organization's active week; the
-- required platforms decide the region's covered count.
create function coverage_from_settings() returns trigger language plpgsql as $$
declare
    orgs bigint[];
    regions bigint[];
begin
    select array_agg(o.id) into orgs
    from ((select region_id, active_posts, active_days from changed_new
           except
           select region_id, active_posts, active_days from changed_old)) c
    join organizations o on o.region_id = c.region_id;
    if orgs is not null then
        perform coverage_facts_recompute(orgs);
    end if;
    select array_agg(distinct c.region_id) into regions
    from ((select region_id, required_platforms from changed_new
           except
           select region_id, required_platforms from changed_old)) c;
    if regions is not null then
        perform region_coverage_recompute(regions);
    end if;
    return null;
end
$$;
create trigger region_settings_coverage_update after update on region_settings
    referencing old table as changed_old new table as changed_new
    for each statement execute function coverage_from_settings();

-- A new region starts with zeros.
create function coverage_from_regions() returns trigger language plpgsql as $$
begin
    perform region_coverage_recompute(array(select id from changed_new));
    return null;
end
$$;
create trigger regions_coverage_insert after insert on regions
    referencing new table as changed_new for each statement execute function coverage_from_regions();

select coverage_facts_recompute(array(select id from organizations));
select region_coverage_recompute(array(select id from regions));
analyze coverage_facts;
analyze region_coverage;

grant select, insert, update, delete on coverage_facts, region_coverage to gospublic_app;

do $$
declare
    t text;
begin
    foreach t in array array['coverage_facts', 'region_coverage']
    loop
        execute format('alter table %I enable row level security', t);
        execute format(
            'create policy %I on %I using (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint) '
            'with check (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint)',
            t || '_tenant', t);
    end loop;
end
$$;
