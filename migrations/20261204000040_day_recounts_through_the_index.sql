-- The day recounts of migrations 32 and 34 read each touched day's questions through the
-- index of their time. Joined to the touched days as a set, the planner guessed a hundred
-- days and read every question of the region in index order to find one day's: with a
-- region's three years, each answer took 114 ms in `question_days` and 85 ms in
-- `question_due_days`. A lateral count per day is planned as one range of the index.
create or replace function question_days_recompute(touched jsonb) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('question_days'), r::int)
    from (select distinct (x ->> 'region_id')::bigint as r from jsonb_array_elements(touched) x order by 1) t;
    delete from question_days d
    using jsonb_to_recordset(touched) t(region_id bigint, day date)
    where d.region_id = t.region_id and d.day = t.day;
    insert into question_days (region_id, day, received, responded, on_time)
    select t.region_id, t.day, c.received, c.responded, c.on_time
    from (select distinct region_id, day from jsonb_to_recordset(touched) x(region_id bigint, day date)) t
    cross join lateral (
        select count(*) as received, count(q.first_response_at) as responded,
               count(*) filter (where q.first_response_at <= q.first_response_due) as on_time
        from questions q
        where q.region_id = t.region_id
          and q.received_at >= (t.day::timestamp at time zone 'UTC')
          and q.received_at < ((t.day + 1)::timestamp at time zone 'UTC')) c
    where c.received > 0;
end
$$;

create or replace function question_deadline_days_recompute(due_days jsonb, received_days jsonb) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('question_deadline_days'), r::int)
    from (select distinct (x ->> 'region_id')::bigint as r
          from jsonb_array_elements(coalesce(due_days, '[]') || coalesce(received_days, '[]')) x order by 1) t;
    if due_days is not null then
        delete from question_due_days d
        using jsonb_to_recordset(due_days) t(region_id bigint, day date)
        where d.region_id = t.region_id and d.day = t.day;
        insert into question_due_days (region_id, day, due)
        select t.region_id, t.day, c.due
        from (select distinct region_id, day from jsonb_to_recordset(due_days) x(region_id bigint, day date)) t
        cross join lateral (
            select count(*) as due
            from questions q
            where q.region_id = t.region_id
              and q.due_at >= (t.day::timestamp at time zone 'UTC')
              and q.due_at < ((t.day + 1)::timestamp at time zone 'UTC')) c
        where c.due > 0;
    end if;
    if received_days is not null then
        delete from question_waiting_days w
        using jsonb_to_recordset(received_days) t(region_id bigint, day date)
        where w.region_id = t.region_id and w.received_day = t.day;
        insert into question_waiting_days (region_id, received_day, due_day, waiting)
        select t.region_id, t.day, c.due_day, c.waiting
        from (select distinct region_id, day from jsonb_to_recordset(received_days) x(region_id bigint, day date)) t
        cross join lateral (
            select (q.first_response_due at time zone 'UTC')::date as due_day, count(*) as waiting
            from questions q
            where q.region_id = t.region_id
              and q.received_at >= (t.day::timestamp at time zone 'UTC')
              and q.received_at < ((t.day + 1)::timestamp at time zone 'UTC')
              and q.first_response_at is null and q.status in ('new', 'in_progress') and q.paused_at is null
            group by 1) c;
    end if;
end
$$;

-- The weekly recount of migration 31 the same way, one region at a time: its weeks' rows are
-- deleted along the region's index and each week's questions counted from one range of the
-- index of their time. At national scale it took 217 ms of an answer's 226 ms, reading every
-- question of the region.
create or replace function question_weeks_recompute(touched jsonb) returns void language plpgsql as $$
declare
    region bigint;
    zone text;
    weeks date[];
begin
    for region, zone, weeks in
        select x.region_id, r.time_zone, array_agg(distinct x.week)
        from jsonb_to_recordset(touched) x(region_id bigint, week date)
        join regions r on r.id = x.region_id
        group by 1, 2 order by 1
    loop
        perform pg_advisory_xact_lock(hashtext('question_weeks'), region::int);
        delete from question_weeks w where w.region_id = region and w.week = any(weeks);
        insert into question_weeks (region_id, municipality_id, week, received, responded, median_first_response_minutes)
        select region,
               case when grouping(q.municipality_id) = 1 then 0 else q.municipality_id end,
               t.week, count(*), count(q.first_response_minutes),
               percentile_cont(0.5) within group (order by q.first_response_minutes)
        from unnest(weeks) t(week)
        cross join lateral (
            select o.municipality_id, q.first_response_minutes
            from questions q
            join organizations o on o.region_id = q.region_id and o.id = q.organization_id
            where q.region_id = region
              and q.received_at >= (t.week::timestamp at time zone zone)
              and q.received_at < ((t.week + 7)::timestamp at time zone zone)) q
        group by grouping sets ((t.week), (t.week, q.municipality_id))
        having grouping(q.municipality_id) = 1 or q.municipality_id is not null;
    end loop;
end
$$;
