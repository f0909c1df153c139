-- Two transactions recounting the same region's weeks at once each read the rows as they
-- were before the other's change, and the second failed with a duplicate key (two editors
-- answering in one region in the same second, found under the Monday-morning load). Each
-- recount now takes a lock on its region's summary, held to the end of its transaction, so
-- the next one waits and then reads what the first committed (each statement of a PL/pgSQL
-- function in READ COMMITTED sees what committed before it began). Regions are locked in id
-- order, so two transactions over the same regions cannot deadlock on these locks.

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
