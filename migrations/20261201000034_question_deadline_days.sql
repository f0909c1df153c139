-- The federal overview's two counts of questions past a deadline "now", without reading every
-- such question of the installation on each view (171,000 index entries on the national data
-- set): how many open questions fall due on each day (UTC), and how many questions received
-- on each day still wait for their first response, by the day that response falls due. Days
-- before today are summed from these rows; only today's deadlines are read live. Kept by the
-- statement-level triggers' pattern, one recount at a time per region.
create table question_due_days (
    region_id bigint not null references regions (id),
    day date not null,
    due integer not null,
    primary key (region_id, day)
);

create table question_waiting_days (
    region_id bigint not null references regions (id),
    received_day date not null,
    due_day date not null,
    waiting integer not null,
    primary key (region_id, received_day, due_day)
);

-- `due_days` and `received_days` are arrays of {region_id, day}: the days whose counts may have changed.
create function question_deadline_days_recompute(due_days jsonb, received_days jsonb) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('question_deadline_days'), r::int)
    from (select distinct (x ->> 'region_id')::bigint as r
          from jsonb_array_elements(coalesce(due_days, '[]') || coalesce(received_days, '[]')) x order by 1) t;
    if due_days is not null then
        delete from question_due_days d
        using jsonb_to_recordset(due_days) t(region_id bigint, day date)
        where d.region_id = t.region_id and d.day = t.day;
        insert into question_due_days (region_id, day, due)
        select q.region_id, t.day, count(*)
        from (select distinct region_id, day from jsonb_to_recordset(due_days) x(region_id bigint, day date)) t
        join questions q on q.region_id = t.region_id
            and q.due_at >= (t.day::timestamp at time zone 'UTC')
            and q.due_at < ((t.day + 1)::timestamp at time zone 'UTC')
        group by q.region_id, t.day;
    end if;
    if received_days is not null then
        delete from question_waiting_days w
        using jsonb_to_recordset(received_days) t(region_id bigint, day date)
        where w.region_id = t.region_id and w.received_day = t.day;
        insert into question_waiting_days (region_id, received_day, due_day, waiting)
        select q.region_id, t.day, (q.first_response_due at time zone 'UTC')::date, count(*)
        from (select distinct region_id, day from jsonb_to_recordset(received_days) x(region_id bigint, day date)) t
        join questions q on q.region_id = t.region_id
            and q.received_at >= (t.day::timestamp at time zone 'UTC')
            and q.received_at < ((t.day + 1)::timestamp at time zone 'UTC')
        where q.first_response_at is null and q.status in ('new', 'in_progress') and q.paused_at is null
          and q.first_response_due is not null
        group by q.region_id, t.day, 3;
    end if;
end
$$;

create function question_deadline_days_refresh() returns trigger language plpgsql as $$
declare
    changed jsonb;
    due_days jsonb;
    received_days jsonb;
begin
    if tg_op = 'INSERT' then
        select jsonb_agg(jsonb_build_object('region_id', region_id, 'received_at', received_at, 'due_at', due_at))
        into changed from changed_new;
    elsif tg_op = 'DELETE' then
        select jsonb_agg(jsonb_build_object('region_id', region_id, 'received_at', received_at, 'due_at', due_at))
        into changed from changed_old;
    else
        -- Only rows whose deadlines or waiting differ, before and after, matter.
        select jsonb_agg(jsonb_build_object('region_id', c.region_id, 'received_at', c.received_at, 'due_at', c.due_at))
        into changed
        from ((select id, region_id, received_at, due_at, first_response_at, first_response_due, status, paused_at
               from changed_new
               except
               select id, region_id, received_at, due_at, first_response_at, first_response_due, status, paused_at
               from changed_old)
              union all
              (select id, region_id, received_at, due_at, first_response_at, first_response_due, status, paused_at
               from changed_old
               except
               select id, region_id, received_at, due_at, first_response_at, first_response_due, status, paused_at
               from changed_new)) c;
    end if;
    if changed is null then
        return null;
    end if;
    select jsonb_agg(distinct jsonb_build_object('region_id', c.region_id, 'day', (c.due_at at time zone 'UTC')::date))
    into due_days from jsonb_to_recordset(changed) c(region_id bigint, received_at timestamptz, due_at timestamptz)
    where c.due_at is not null;
    select jsonb_agg(distinct jsonb_build_object('region_id', c.region_id, 'day', (c.received_at at time zone 'UTC')::date))
    into received_days from jsonb_to_recordset(changed) c(region_id bigint, received_at timestamptz, due_at timestamptz);
    perform question_deadline_days_recompute(due_days, received_days);
    return null;
end
$$;
create trigger questions_deadline_days_insert after insert on questions
    referencing new table as changed_new for each statement execute function question_deadline_days_refresh();
create trigger questions_deadline_days_update after update on questions
    referencing old table as changed_old new table as changed_new
    for each statement execute function question_deadline_days_refresh();
create trigger questions_deadline_days_delete after delete on questions
    referencing old table as changed_old for each statement execute function question_deadline_days_refresh();

insert into question_due_days (region_id, day, due)
select region_id, (due_at at time zone 'UTC')::date, count(*) from questions where due_at is not null group by 1, 2;
insert into question_waiting_days (region_id, received_day, due_day, waiting)
select region_id, (received_at at time zone 'UTC')::date, (first_response_due at time zone 'UTC')::date, count(*)
from questions
where first_response_at is null and status in ('new', 'in_progress') and paused_at is null and first_response_due is not null
group by 1, 2, 3;
analyze question_due_days;
analyze question_waiting_days;

grant select, insert, update, delete on question_due_days, question_waiting_days to gospublic_app;
do $$
declare
    t text;
begin
    foreach t in array array['question_due_days', 'question_waiting_days']
    loop
        execute format('alter table %I enable row level security', t);
        execute format(
            'create policy %I on %I using (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint) '
            'with check (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint)',
            t || '_tenant', t);
    end loop;
end
$$;
