-- The whole region's monthly page trends: pages registered per month (in the region's time
-- zone) and the net change of pages holding the mark per month (mark events are dated), per
-- platform. A dashboard sums a few dozen rows instead of every page and every mark event.
-- Kept in the transaction of the change, one recount at a time per region.
create table page_months (
    region_id bigint not null references regions (id),
    month date not null,
    platform text not null,
    registered integer not null,
    granted integer not null,
    primary key (region_id, month, platform)
);

create function page_months_recompute(touched jsonb) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('page_months'), r::int)
    from (select distinct (x ->> 'region_id')::bigint as r from jsonb_array_elements(touched) x order by 1) t;
    delete from page_months m
    using jsonb_to_recordset(touched) t(region_id bigint, month date)
    where m.region_id = t.region_id and m.month = t.month;
    insert into page_months (region_id, month, platform, registered, granted)
    select c.region_id, c.month, c.platform, sum(c.registered), sum(c.granted)
    from (select distinct region_id, month from jsonb_to_recordset(touched) x(region_id bigint, month date)) t
    join regions r on r.id = t.region_id
    cross join lateral (
        select p.region_id, t.month, p.platform, 1 as registered, 0 as granted
        from pages p
        where p.region_id = t.region_id
          and p.created_at >= (t.month::timestamp at time zone r.time_zone)
          and p.created_at < ((t.month + interval '1 month')::timestamp at time zone r.time_zone)
        union all
        select e.region_id, t.month, p.platform, 0,
               case when e.status = 'granted' then 1 when e.from_status = 'granted' then -1 else 0 end
        from page_mark_events e join pages p on p.region_id = e.region_id and p.id = e.page_id
        where e.region_id = t.region_id
          and e.happened_on >= t.month and e.happened_on < t.month + interval '1 month'
    ) c
    group by c.region_id, c.month, c.platform;
end
$$;

create function page_months_of_registration(p_region bigint, p_created timestamptz) returns jsonb
    language sql stable as $$
    select jsonb_build_object('region_id', p_region,
               'month', date_trunc('month', p_created at time zone r.time_zone)::date)
    from regions r where r.id = p_region
$$;

create function page_months_refresh_pages() returns trigger language plpgsql as $$
declare
    touched jsonb;
begin
    if tg_op = 'INSERT' then
        select jsonb_agg(distinct page_months_of_registration(n.region_id, n.created_at))
        into touched from changed_new n;
    elsif tg_op = 'DELETE' then
        -- The page's mark events go with it, and recount their own months.
        select jsonb_agg(distinct page_months_of_registration(o.region_id, o.created_at))
        into touched from changed_old o;
    else
        -- A page moved to another platform moves its registration and its marks.
        select jsonb_agg(distinct m)
        into touched
        from changed_old o join changed_new n on n.id = o.id
        cross join lateral (
            select page_months_of_registration(o.region_id, o.created_at)
            union all select page_months_of_registration(n.region_id, n.created_at)
            union all
            select jsonb_build_object('region_id', e.region_id, 'month', date_trunc('month', e.happened_on)::date)
            from page_mark_events e where e.region_id = n.region_id and e.page_id = n.id
        ) x(m)
        where o.platform is distinct from n.platform or o.created_at is distinct from n.created_at;
    end if;
    if touched is not null then
        perform page_months_recompute(touched);
    end if;
    return null;
end
$$;
create trigger pages_page_months_insert after insert on pages
    referencing new table as changed_new for each statement execute function page_months_refresh_pages();
create trigger pages_page_months_update after update on pages
    referencing old table as changed_old new table as changed_new
    for each statement execute function page_months_refresh_pages();
create trigger pages_page_months_delete after delete on pages
    referencing old table as changed_old for each statement execute function page_months_refresh_pages();

create function page_months_refresh_marks() returns trigger language plpgsql as $$
declare
    touched jsonb;
begin
    if tg_op = 'INSERT' then
        select jsonb_agg(distinct jsonb_build_object('region_id', n.region_id, 'month', date_trunc('month', n.happened_on)::date))
        into touched from changed_new n;
    elsif tg_op = 'DELETE' then
        select jsonb_agg(distinct jsonb_build_object('region_id', o.region_id, 'month', date_trunc('month', o.happened_on)::date))
        into touched from changed_old o;
    else
        select jsonb_agg(distinct m)
        into touched
        from changed_old o join changed_new n on n.id = o.id
        cross join lateral (
            select jsonb_build_object('region_id', o.region_id, 'month', date_trunc('month', o.happened_on)::date)
            union all
            select jsonb_build_object('region_id', n.region_id, 'month', date_trunc('month', n.happened_on)::date)
        ) x(m)
        where (o.page_id, o.status, o.from_status, o.happened_on)
              is distinct from (n.page_id, n.status, n.from_status, n.happened_on);
    end if;
    if touched is not null then
        perform page_months_recompute(touched);
    end if;
    return null;
end
$$;
create trigger page_mark_events_page_months_insert after insert on page_mark_events
    referencing new table as changed_new for each statement execute function page_months_refresh_marks();
create trigger page_mark_events_page_months_update after update on page_mark_events
    referencing old table as changed_old new table as changed_new
    for each statement execute function page_months_refresh_marks();
create trigger page_mark_events_page_months_delete after delete on page_mark_events
    referencing old table as changed_old for each statement execute function page_months_refresh_marks();

-- Every month that has a registration or a mark event, for a first count or a bulk load.
create function page_months_recompute_all() returns void language sql as $$
    select page_months_recompute(
        (select jsonb_agg(m) from (
            select distinct page_months_of_registration(p.region_id, p.created_at) as m from pages p
            union
            select jsonb_build_object('region_id', e.region_id, 'month', date_trunc('month', e.happened_on)::date)
            from page_mark_events e) x))
$$;

select page_months_recompute_all();
analyze page_months;

grant select, insert, update, delete on page_months to gospublic_app;
alter table page_months enable row level security;
create policy page_months_tenant on page_months
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
