-- Questions received per region and day (UTC), with how many were first answered and how many
-- on time: the federal overview's "last 7 days" sums 7 rows per region instead of reading
-- every question of the week across the installation (96,000 rows on the national data set).
-- Kept by the statement-level triggers' pattern of question_weeks, one recount at a time per
-- region.
create table question_days (
    region_id bigint not null references regions (id),
    day date not null,
    received integer not null,
    responded integer not null,
    on_time integer not null,
    primary key (region_id, day)
);

create function question_days_recompute(touched jsonb) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('question_days'), r::int)
    from (select distinct (x ->> 'region_id')::bigint as r from jsonb_array_elements(touched) x order by 1) t;
    delete from question_days d
    using jsonb_to_recordset(touched) t(region_id bigint, day date)
    where d.region_id = t.region_id and d.day = t.day;
    insert into question_days (region_id, day, received, responded, on_time)
    select q.region_id, t.day, count(*), count(q.first_response_at),
           count(*) filter (where q.first_response_at <= q.first_response_due)
    from (select distinct region_id, day from jsonb_to_recordset(touched) x(region_id bigint, day date)) t
    join questions q on q.region_id = t.region_id
        and q.received_at >= (t.day::timestamp at time zone 'UTC')
        and q.received_at < ((t.day + 1)::timestamp at time zone 'UTC')
    group by q.region_id, t.day;
end
$$;

create function question_days_refresh() returns trigger language plpgsql as $$
declare
    touched jsonb;
begin
    if tg_op = 'INSERT' then
        select jsonb_agg(distinct jsonb_build_object('region_id', n.region_id,
                   'day', (n.received_at at time zone 'UTC')::date))
        into touched from changed_new n;
    elsif tg_op = 'DELETE' then
        select jsonb_agg(distinct jsonb_build_object('region_id', o.region_id,
                   'day', (o.received_at at time zone 'UTC')::date))
        into touched from changed_old o;
    else
        -- Only rows whose counted columns differ, before and after, matter.
        select jsonb_agg(distinct jsonb_build_object('region_id', c.region_id,
                   'day', (c.received_at at time zone 'UTC')::date))
        into touched
        from ((select id, region_id, received_at, first_response_at, first_response_due from changed_new
               except
               select id, region_id, received_at, first_response_at, first_response_due from changed_old)
              union all
              (select id, region_id, received_at, first_response_at, first_response_due from changed_old
               except
               select id, region_id, received_at, first_response_at, first_response_due from changed_new)) c;
    end if;
    if touched is not null then
        perform question_days_recompute(touched);
    end if;
    return null;
end
$$;
create trigger questions_days_insert after insert on questions
    referencing new table as changed_new for each statement execute function question_days_refresh();
create trigger questions_days_update after update on questions
    referencing old table as changed_old new table as changed_new
    for each statement execute function question_days_refresh();
create trigger questions_days_delete after delete on questions
    referencing old table as changed_old for each statement execute function question_days_refresh();

insert into question_days (region_id, day, received, responded, on_time)
select q.region_id, (q.received_at at time zone 'UTC')::date, count(*), count(q.first_response_at),
       count(*) filter (where q.first_response_at <= q.first_response_due)
from questions q group by 1, 2;
analyze question_days;

-- Questions still waiting for their first response while being worked on, by deadline: the
-- overview adds those already past it to the on-time share's base; the days before today
-- come from question_waiting_days, today's part is read from this index.
create index questions_waiting_first_response_idx on questions (region_id, first_response_due)
    include (received_at)
    where first_response_at is null and status in ('new', 'in_progress') and paused_at is null;

grant select, insert, update, delete on question_days to gospublic_app;
alter table question_days enable row level security;
create policy question_days_tenant on question_days
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
