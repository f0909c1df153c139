-- Coverage summed per municipality and per sector, for the whole region's dashboard, kept by
-- delta in the transaction of the change (the pattern of question_statuses). The dashboard
-- summed every organization's coverage_facts row on each request: 4,400 rows, the largest
-- statement of the largest region's dashboard. It now reads a row per group.
--
-- coverage_groups: per region, platform ('' for every platform), kind ('m' a municipality,
-- group 0 being the regional level; 's' a sector) and group, the figures that do not depend
-- on the day. The figures of one platform's view are with_page, verified and connected of
-- that platform; obliged and covered are always the '' row's.
-- coverage_active_weeks: how many organizations of the group have each week as their newest
-- week posting to the rule. Active is "that week is at most 14 days before today", so the
-- dashboard sums the weeks from its cutoff on, and no row goes stale as days pass.
create table coverage_groups (
    region_id bigint not null references regions (id),
    platform text not null,
    kind text not null constraint coverage_groups_kind_known check (kind in ('m', 's')),
    group_id bigint not null,
    obliged integer not null,
    with_page integer not null,
    covered integer not null,
    verified integer not null,
    connected integer not null,
    primary key (region_id, platform, kind, group_id)
);

create table coverage_active_weeks (
    region_id bigint not null references regions (id),
    platform text not null,
    week date not null,
    kind text not null,
    group_id bigint not null,
    organizations integer not null,
    primary key (region_id, platform, week, kind, group_id)
);

-- One organization as the groups see it: its coverage facts and its sectors.
create type coverage_member as (
    region_id bigint,
    municipality_id bigint,
    sectors bigint[],
    platforms text[],
    verified_on text[],
    connected_on text[],
    active_week date,
    active_weeks jsonb
);

-- What one organization adds to each of its groups, for every platform and each of its own.
create function coverage_contributions(m coverage_member, required text[])
returns table (kind text, group_id bigint, platform text, obliged integer, with_page integer,
               covered integer, verified integer, connected integer, week date)
language sql immutable as $$
    select g.kind, g.id, v.platform, 1,
           case when v.platform = '' then (cardinality(m.platforms) > 0)::int else 1 end,
           case when v.platform = '' then (cardinality(m.platforms) > 0 and m.platforms @> required)::int
                else 0 end,
           case when v.platform = '' then (cardinality(m.verified_on) > 0)::int
                else (v.platform = any(m.verified_on))::int end,
           case when v.platform = '' then (cardinality(m.connected_on) > 0)::int
                else (v.platform = any(m.connected_on))::int end,
           case when v.platform = '' then m.active_week else (m.active_weeks ->> v.platform)::date end
    from (select 'm' as kind, coalesce(m.municipality_id, 0) as id
          union all
          select 's', s from unnest(m.sectors) s) g
    cross join (select '' as platform union all select p from unnest(m.platforms) p) v
$$;

-- Takes the old members' contributions out and puts the new ones in. Rows in key order, so
-- two transactions touching the same groups lock them alike.
create function coverage_groups_shift(olds coverage_member[], news coverage_member[])
returns void language sql as $$
    with members as (
        select m, -1 as sign from unnest(olds) m
        union all
        select m, 1 from unnest(news) m
    ), changes as (
        select (d.m).region_id, c.*, d.sign
        from members d
        left join region_settings s on s.region_id = (d.m).region_id
        cross join lateral coverage_contributions(d.m, coalesce(s.required_platforms, '{vk,ok}')) c
    ), groups as (
        insert into coverage_groups (region_id, platform, kind, group_id, obliged, with_page, covered,
                                     verified, connected)
        select region_id, platform, kind, group_id, sum(sign * obliged), sum(sign * with_page),
               sum(sign * covered), sum(sign * verified), sum(sign * connected)
        from changes
        group by 1, 2, 3, 4
        having sum(sign * obliged) <> 0 or sum(sign * with_page) <> 0 or sum(sign * covered) <> 0
            or sum(sign * verified) <> 0 or sum(sign * connected) <> 0
        order by 1, 2, 3, 4
        on conflict (region_id, platform, kind, group_id) do update set
            obliged = coverage_groups.obliged + excluded.obliged,
            with_page = coverage_groups.with_page + excluded.with_page,
            covered = coverage_groups.covered + excluded.covered,
            verified = coverage_groups.verified + excluded.verified,
            connected = coverage_groups.connected + excluded.connected
        returning 1
    )
    insert into coverage_active_weeks (region_id, platform, week, kind, group_id, organizations)
    select region_id, platform, week, kind, group_id, sum(sign)
    from changes
    where week is not null
    group by 1, 2, 3, 4, 5
    having sum(sign) <> 0
    order by 1, 2, 3, 4, 5
    on conflict (region_id, platform, week, kind, group_id) do update set
        organizations = coverage_active_weeks.organizations + excluded.organizations
$$;

create function coverage_member_of(c coverage_facts, sectors bigint[]) returns coverage_member
language sql immutable as $$
    select row(c.region_id, c.municipality_id, sectors, c.platforms, c.verified_on, c.connected_on,
               c.active_week, c.active_weeks)::coverage_member
$$;

-- A change of an organization's facts: its groups lose what it added and gain what it adds.
create function coverage_groups_from_facts() returns trigger language plpgsql as $$
declare
    olds coverage_member[];
    news coverage_member[];
begin
    if tg_op in ('UPDATE', 'DELETE') then
        select array_agg(coverage_member_of(c, array(select os.sector_id from organization_sectors os
                                                      where os.organization_id = c.organization_id)))
        into olds from changed_old c;
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        select array_agg(coverage_member_of(c, array(select os.sector_id from organization_sectors os
                                                      where os.organization_id = c.organization_id)))
        into news from changed_new c;
    end if;
    perform coverage_groups_shift(olds, news);
    return null;
end
$$;
create trigger coverage_facts_groups_insert after insert on coverage_facts
    referencing new table as changed_new for each statement execute function coverage_groups_from_facts();
create trigger coverage_facts_groups_update after update on coverage_facts
    referencing old table as changed_old new table as changed_new
    for each statement execute function coverage_groups_from_facts();
create trigger coverage_facts_groups_delete after delete on coverage_facts
    referencing old table as changed_old for each statement execute function coverage_groups_from_facts();

-- A change of an organization's sectors: its facts leave the sectors it had and join those it
-- has. Before the statement it had its sectors now, less the rows the statement added, plus
-- those it removed. An organization without facts (not obliged, or being deleted) adds none.
-- Its municipality is in both and cancels out.
create function coverage_groups_from_sector_rows() returns trigger language plpgsql as $$
declare
    olds coverage_member[];
    news coverage_member[];
begin
    if tg_op = 'INSERT' then
        select array_agg(coverage_member_of(c, array(
                   select os.sector_id from organization_sectors os where os.organization_id = c.organization_id
                   except all
                   select n.sector_id from changed_new n where n.organization_id = c.organization_id))),
               array_agg(coverage_member_of(c, array(
                   select os.sector_id from organization_sectors os where os.organization_id = c.organization_id)))
        into olds, news
        from coverage_facts c where c.organization_id in (select organization_id from changed_new);
    elsif tg_op = 'DELETE' then
        select array_agg(coverage_member_of(c, array(
                   select os.sector_id from organization_sectors os where os.organization_id = c.organization_id
                   union all
                   select o.sector_id from changed_old o where o.organization_id = c.organization_id))),
               array_agg(coverage_member_of(c, array(
                   select os.sector_id from organization_sectors os where os.organization_id = c.organization_id)))
        into olds, news
        from coverage_facts c where c.organization_id in (select organization_id from changed_old);
    else
        select array_agg(coverage_member_of(c, array(
                   (select os.sector_id from organization_sectors os where os.organization_id = c.organization_id
                    except all
                    select n.sector_id from changed_new n where n.organization_id = c.organization_id)
                   union all
                   select o.sector_id from changed_old o where o.organization_id = c.organization_id))),
               array_agg(coverage_member_of(c, array(
                   select os.sector_id from organization_sectors os where os.organization_id = c.organization_id)))
        into olds, news
        from coverage_facts c
        where c.organization_id in (select organization_id from changed_new
                                    union select organization_id from changed_old);
    end if;
    perform coverage_groups_shift(olds, news);
    return null;
end
$$;
create trigger organization_sectors_groups_insert after insert on organization_sectors
    referencing new table as changed_new for each statement execute function coverage_groups_from_sector_rows();
create trigger organization_sectors_groups_update after update on organization_sectors
    referencing old table as changed_old new table as changed_new
    for each statement execute function coverage_groups_from_sector_rows();
create trigger organization_sectors_groups_delete after delete on organization_sectors
    referencing old table as changed_old for each statement execute function coverage_groups_from_sector_rows();

-- Counts the regions' groups again from their facts: when what counts as covered changes, and
-- once here.
create function coverage_groups_recount(regions bigint[]) returns void language plpgsql as $$
begin
    delete from coverage_groups where region_id = any(regions);
    delete from coverage_active_weeks where region_id = any(regions);
    perform coverage_groups_shift(null, array(
        select coverage_member_of(c, array(select os.sector_id from organization_sectors os
                                           where os.organization_id = c.organization_id))
        from coverage_facts c where c.region_id = any(regions)));
end
$$;

create function coverage_groups_from_settings() returns trigger language plpgsql as $$
declare
    regions bigint[];
begin
    select array_agg(distinct c.region_id) into regions
    from ((select region_id, required_platforms from changed_new
           except
           select region_id, required_platforms from changed_old)) c;
    if regions is not null then
        perform coverage_groups_recount(regions);
    end if;
    return null;
end
$$;
create trigger region_settings_coverage_groups_update after update on region_settings
    referencing old table as changed_old new table as changed_new
    for each statement execute function coverage_groups_from_settings();

select coverage_groups_recount(array(select id from regions));
analyze coverage_groups;
analyze coverage_active_weeks;

grant select, insert, update, delete on coverage_groups, coverage_active_weeks to gospublic_app;

do $$
declare
    t text;
begin
    foreach t in array array['coverage_groups', 'coverage_active_weeks']
    loop
        execute format('alter table %I enable row level security', t);
        execute format(
            'create policy %I on %I using (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint) '
            'with check (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint)',
            t || '_tenant', t);
    end loop;
end
$$;
