-- What the monitoring screens read instead of scanning a year of rows on every request,
-- kept current by statement-level triggers in the same transaction as the change, whoever
-- makes it (screens, imports, seeding). Statement-level with transition tables, so a bulk
-- load refreshes each affected row once, not once per inserted row.

-- A copy of each page's newest week of figures: the dashboards read a region's few thousand
-- rows of it instead of finding the newest of a year of weeks per page.
create table page_latest (
    region_id bigint not null,
    page_id bigint primary key,
    week date not null,
    followers integer,
    posts integer,
    views bigint,
    likes integer,
    comments integer,
    reposts integer,
    reach bigint,
    last_post_on date,
    foreign key (region_id, page_id) references pages (region_id, id) on delete cascade
);
create index page_latest_region_idx on page_latest (region_id);

create function page_latest_refresh(changed bigint[]) returns void language sql as $$
    delete from page_latest where page_id = any(changed);
    insert into page_latest (region_id, page_id, week, followers, posts, views, likes, comments, reposts, reach, last_post_on)
    select distinct on (s.page_id) s.region_id, s.page_id, s.week, s.followers, s.posts, s.views, s.likes,
           s.comments, s.reposts, s.reach, s.last_post_on
    from page_snapshots s where s.page_id = any(changed)
    order by s.page_id, s.week desc;
$$;

create function page_snapshots_refresh_latest() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        perform page_latest_refresh(array(select distinct page_id from changed_new));
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        perform page_latest_refresh(array(select distinct page_id from changed_old));
    end if;
    return null;
end
$$;
create trigger page_snapshots_latest_insert after insert on page_snapshots
    referencing new table as changed_new for each statement execute function page_snapshots_refresh_latest();
create trigger page_snapshots_latest_update after update on page_snapshots
    referencing old table as changed_old new table as changed_new
    for each statement execute function page_snapshots_refresh_latest();
create trigger page_snapshots_latest_delete after delete on page_snapshots
    referencing old table as changed_old for each statement execute function page_snapshots_refresh_latest();

insert into page_latest (region_id, page_id, week, followers, posts, views, likes, comments, reposts, reach, last_post_on)
select distinct on (s.page_id) s.region_id, s.page_id, s.week, s.followers, s.posts, s.views, s.likes,
       s.comments, s.reposts, s.reach, s.last_post_on
from page_snapshots s order by s.page_id, s.week desc;

-- The answer figures of a period read only this index: the questions of a region received
-- in the period, with every column the figures count.
drop index questions_received_idx;
create index questions_received_idx on questions (region_id, received_at)
    include (organization_id, status, category, first_response_minutes, first_response_at, first_response_due,
             answered_at, paused_at, transfer_count, reopen_count);

-- Questions received per week (Monday in the region's time zone) and the median first
-- response in working minutes, for the whole region (municipality_id 0) and per
-- municipality: the trend charts of a region or municipal coordinator read 26 rows.
create table question_weeks (
    region_id bigint not null references regions (id),
    municipality_id bigint not null,
    week date not null,
    received integer not null,
    responded integer not null,
    median_first_response_minutes double precision,
    primary key (region_id, municipality_id, week)
);

-- Recomputes the given (region, week) pairs from the questions, whole weeks at a time: a
-- median cannot be adjusted by one answer, but a week of one region is a few thousand rows.
create function question_weeks_recompute(touched jsonb) returns void language plpgsql as $$
begin
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

create function question_weeks_refresh() returns trigger language plpgsql as $$
declare
    touched jsonb;
begin
    if tg_op = 'INSERT' then
        select jsonb_agg(distinct jsonb_build_object('region_id', n.region_id,
                   'week', date_trunc('week', n.received_at at time zone r.time_zone)::date))
        into touched from changed_new n join regions r on r.id = n.region_id;
    elsif tg_op = 'DELETE' then
        select jsonb_agg(distinct jsonb_build_object('region_id', o.region_id,
                   'week', date_trunc('week', o.received_at at time zone r.time_zone)::date))
        into touched from changed_old o join regions r on r.id = o.region_id;
    else
        -- Most updates (notes, assignment, drafts) change nothing these figures count.
        select jsonb_agg(distinct w) into touched
        from changed_old o join changed_new n on n.id = o.id
        join regions r on r.id = n.region_id
        cross join lateral (values
            (jsonb_build_object('region_id', o.region_id, 'week', date_trunc('week', o.received_at at time zone r.time_zone)::date)),
            (jsonb_build_object('region_id', n.region_id, 'week', date_trunc('week', n.received_at at time zone r.time_zone)::date))
        ) v(w)
        where o.organization_id is distinct from n.organization_id
           or o.received_at is distinct from n.received_at
           or o.first_response_minutes is distinct from n.first_response_minutes;
    end if;
    if touched is not null then
        perform question_weeks_recompute(touched);
    end if;
    return null;
end
$$;
create trigger questions_weeks_insert after insert on questions
    referencing new table as changed_new for each statement execute function question_weeks_refresh();
create trigger questions_weeks_update after update on questions
    referencing old table as changed_old new table as changed_new
    for each statement execute function question_weeks_refresh();
create trigger questions_weeks_delete after delete on questions
    referencing old table as changed_old for each statement execute function question_weeks_refresh();

-- An organization moving to another municipality moves its questions in the per-municipality rows.
create function question_weeks_refresh_organization() returns trigger language plpgsql as $$
declare
    touched jsonb;
begin
    select jsonb_agg(distinct jsonb_build_object('region_id', w.region_id, 'week', w.week))
    into touched
    from changed_old o join changed_new n on n.id = o.id
    join question_weeks w on w.region_id = n.region_id and w.municipality_id = 0
    where o.municipality_id is distinct from n.municipality_id
      and exists (select 1 from questions q where q.region_id = n.region_id and q.organization_id = n.id);
    if touched is not null then
        perform question_weeks_recompute(touched);
    end if;
    return null;
end
$$;
create trigger organizations_weeks_update after update on organizations
    referencing old table as changed_old new table as changed_new
    for each statement execute function question_weeks_refresh_organization();

select question_weeks_recompute(
    (select jsonb_agg(distinct jsonb_build_object('region_id', q.region_id,
                'week', date_trunc('week', q.received_at at time zone r.time_zone)::date))
     from questions q join regions r on r.id = q.region_id));

grant select, insert, update, delete on question_weeks, page_latest to gospublic_app;

do $$
declare
    t text;
begin
    foreach t in array array['question_weeks', 'page_latest']
    loop
        execute format('alter table %I enable row level security', t);
        execute format(
            'create policy %I on %I using (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint) '
            'with check (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint)',
            t || '_tenant', t);
    end loop;
end
$$;
