-- What each page's red flags read, kept per page in the transaction of the change, so the
-- dashboard counts a narrow table instead of joining pages, organizations and figures and
-- scoring every page on each request. The flags that move with the clock are kept as dates
-- and compared with today when read; the score is kept as "red while the newest figures are
-- fresh", since stale figures make it unknown, never red.
create table page_flags (
    region_id bigint not null,
    page_id bigint primary key,
    organization_id bigint not null,
    platform text not null,
    archived boolean not null,
    no_mark boolean not null,
    requested_since date,
    last_post_on date,
    latest_week date,
    red_when_fresh boolean not null,
    foreign key (region_id, page_id) references pages (region_id, id) on delete cascade
);
create index page_flags_region_idx on page_flags (region_id);

-- Recounts the given pages (of any region); pages gone are gone by the cascade. Whether a page
-- is red is the quality score of `quality::score::score` in SQL, component by component in the
-- same order and the same floating-point steps, with the newest figures taken as fresh;
-- tests/dashboard.rs compares the two over generated pages and every threshold.
-- PL/pgSQL keeps the statement's plan for the session: planning it takes longer than running it
-- for the one page a form changes.
create function page_flags_recompute(pages_touched bigint[]) returns void language plpgsql as $$
begin
    insert into page_flags (region_id, page_id, organization_id, platform, archived, no_mark, requested_since,
                            last_post_on, latest_week, red_when_fresh)
    select p.region_id, p.id, p.organization_id, p.platform, o.archived_at is not null, p.mark_status <> 'granted',
           case when p.mark_status = 'requested' then p.mark_since end, l.last_post_on, l.week,
           coalesce(not r.percent >= w.green_from and r.percent < w.red_below, false)
    from (select distinct unnest(pages_touched) as id) t
    join pages p on p.id = t.id
    join organizations o on o.region_id = p.region_id and o.id = p.organization_id
    join region_settings s on s.region_id = p.region_id
    left join page_latest l on l.region_id = p.region_id and l.page_id = p.id
    cross join lateral (
        select greatest(s.weight_connected, 0) as connected, greatest(s.weight_mark, 0) as mark,
               greatest(s.weight_setup, 0) as setup, greatest(s.weight_widgets, 0) as widgets,
               greatest(s.weight_activity, 0) as activity, greatest(s.weight_reach, 0) as reach,
               greatest(s.weight_post_reach, 0) as post_reach,
               greatest(s.weight_connected, 0) + greatest(s.weight_mark, 0) + greatest(s.weight_setup, 0)
                 + greatest(s.weight_widgets, 0) + greatest(s.weight_activity, 0) + greatest(s.weight_reach, 0)
                 + greatest(s.weight_post_reach, 0) as total,
               greatest(s.green_from, 0) as green_from, greatest(s.red_below, 0) as red_below,
               greatest(case p.category when 'flagship' then s.quota_flagship when 'card' then s.quota_card
                        else s.quota_active end, 0) as quota) w
    cross join lateral (
        select case when l.followers > 0 and l.reach is not null
                    then greatest(l.reach, 0)::float8 / l.followers::float8 end as reach_ratio,
               case when l.followers > 0 and l.views is not null and l.posts > 0
                    then greatest(l.views / l.posts, 0)::float8 / l.followers::float8 end as post_reach_ratio) fresh
    cross join lateral (
        select case when w.total > 0 and p.has_avatar is not null and p.has_description is not null
                         and p.has_cover is not null and p.widgets is not null and l.posts is not null
                         and fresh.reach_ratio is not null and fresh.post_reach_ratio is not null then
            (((((((case when p.connected then w.connected else 0 end)::float8
                + (case when p.mark_status = 'granted' then w.mark else 0 end)::float8)
                + w.setup::float8 * (p.has_avatar::int::float8 * 0.25::float8
                                     + p.has_description::int::float8 * 0.25::float8
                                     + p.has_cover::int::float8 * 0.5::float8))
                + case when p.widgets <= 0 then 0::float8 when p.widgets = 1 then w.widgets::float8 / 2::float8
                       else w.widgets::float8 end)
                + case when greatest(l.posts, 0) >= w.quota then w.activity::float8 else 0::float8 end)
                + w.reach::float8 * case when fresh.reach_ratio >= 0.7::float8 then 1::float8
                                         when fresh.reach_ratio >= 0.5::float8 then 0.7::float8
                                         when fresh.reach_ratio >= 0.3::float8 then 0.5::float8
                                         else 0::float8 end)
                + case when fresh.post_reach_ratio > 0.7::float8 then w.post_reach::float8 else 0::float8 end)
                / w.total::float8 * 100::float8
        end as share) x
    -- Rounded half away from zero, as Rust's f64::round.
    cross join lateral (select floor(x.share) + (x.share - floor(x.share) >= 0.5)::int as percent) r
    order by p.id
    on conflict (page_id) do update set
        organization_id = excluded.organization_id, platform = excluded.platform, archived = excluded.archived,
        no_mark = excluded.no_mark, requested_since = excluded.requested_since,
        last_post_on = excluded.last_post_on, latest_week = excluded.latest_week,
        red_when_fresh = excluded.red_when_fresh;
end
$$;

create function page_flags_refresh_pages() returns trigger language plpgsql as $$
begin
    perform page_flags_recompute(array(select n.id from changed_new n));
    return null;
end
$$;
create trigger pages_page_flags_insert after insert on pages
    referencing new table as changed_new for each statement execute function page_flags_refresh_pages();
create trigger pages_page_flags_update after update on pages
    referencing new table as changed_new for each statement execute function page_flags_refresh_pages();

create function page_flags_refresh_figures() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform page_flags_recompute(array(select o.page_id from changed_old o));
    else
        perform page_flags_recompute(array(select n.page_id from changed_new n));
    end if;
    return null;
end
$$;
create trigger page_latest_page_flags_insert after insert on page_latest
    referencing new table as changed_new for each statement execute function page_flags_refresh_figures();
create trigger page_latest_page_flags_update after update on page_latest
    referencing new table as changed_new for each statement execute function page_flags_refresh_figures();
create trigger page_latest_page_flags_delete after delete on page_latest
    referencing old table as changed_old for each statement execute function page_flags_refresh_figures();

create function page_flags_refresh_organizations() returns trigger language plpgsql as $$
begin
    perform page_flags_recompute(array(
        select p.id from changed_old o join changed_new n on n.id = o.id
        join pages p on p.region_id = n.region_id and p.organization_id = n.id
        where (o.archived_at is null) <> (n.archived_at is null)));
    return null;
end
$$;
create trigger organizations_page_flags_update after update on organizations
    referencing old table as changed_old new table as changed_new
    for each statement execute function page_flags_refresh_organizations();

-- New weights, quotas or thresholds rescore the region's pages.
create function page_flags_refresh_settings() returns trigger language plpgsql as $$
begin
    perform page_flags_recompute(array(
        select p.id from changed_new n join pages p on p.region_id = n.region_id));
    return null;
end
$$;
create trigger region_settings_page_flags_update after update on region_settings
    referencing new table as changed_new for each statement execute function page_flags_refresh_settings();

select page_flags_recompute(array(select id from pages));
analyze page_flags;

grant select, insert, update, delete on page_flags to gospublic_app;
alter table page_flags enable row level security;
create policy page_flags_tenant on page_flags
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
