-- The answer figures of a region's dashboard per day received (in the region's time zone):
-- for the whole region (municipality_id -1), per municipality (0: organizations without one)
-- and per category (municipality_id -1). A 365-day dashboard sums a few thousand rows
-- instead of grouping 250,000 questions twice. The first-response minutes are kept, sorted,
-- so the median and the 90th percentile stay exact; the category rows keep none, since only
-- their volume is shown. The one figure that moves with the clock, questions still waiting
-- past their first-response deadline, is counted when read from the deadlines of the
-- questions still waiting, kept sorted beside the counts.
-- Kept in the transaction of the change, one recount at a time per region.
create table answer_days (
    region_id bigint not null references regions (id),
    day date not null,
    municipality_id bigint not null,
    category text not null,
    received integer not null,
    considered integer not null,
    answered integer not null,
    responded integer not null,
    on_time integer not null,
    transferred integer not null,
    reopened integer not null,
    minutes integer[] not null,
    waiting_due timestamptz[] not null,
    primary key (region_id, day, municipality_id, category)
);

create function answer_days_recompute(touched jsonb) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('answer_days'), r::int)
    from (select distinct (x ->> 'region_id')::bigint as r from jsonb_array_elements(touched) x order by 1) t;
    delete from answer_days d
    using jsonb_to_recordset(touched) t(region_id bigint, day date)
    where d.region_id = t.region_id and d.day = t.day;
    insert into answer_days (region_id, day, municipality_id, category, received, considered, answered,
                             responded, on_time, transferred, reopened, minutes, waiting_due)
    select q.region_id, t.day,
           case when grouping(o.municipality_id) = 1 then -1 else coalesce(o.municipality_id, 0) end,
           case when grouping(q.category) = 1 then '' else q.category end,
           count(*),
           count(*) filter (where q.status not in ('rejected', 'duplicate', 'withdrawn')),
           count(q.answered_at),
           count(q.first_response_at),
           count(*) filter (where q.first_response_at <= q.first_response_due),
           count(*) filter (where q.transfer_count > 0),
           count(*) filter (where q.reopen_count > 0),
           case when grouping(q.category) = 0 then '{}'::integer[]
                else coalesce(array_agg(q.first_response_minutes order by q.first_response_minutes)
                              filter (where q.first_response_minutes is not null), '{}') end,
           coalesce(array_agg(q.first_response_due order by q.first_response_due)
                    filter (where q.first_response_at is null and q.status in ('new', 'in_progress')
                                  and q.paused_at is null and q.first_response_due is not null), '{}')
    from (select distinct region_id, day from jsonb_to_recordset(touched) x(region_id bigint, day date)) t
    join regions r on r.id = t.region_id
    join questions q on q.region_id = t.region_id
        and q.received_at >= (t.day::timestamp at time zone r.time_zone)
        and q.received_at < ((t.day + 1)::timestamp at time zone r.time_zone)
    join organizations o on o.region_id = q.region_id and o.id = q.organization_id
    group by grouping sets ((q.region_id, t.day), (q.region_id, t.day, o.municipality_id),
                            (q.region_id, t.day, q.category));
end
$$;

create function answer_days_refresh() returns trigger language plpgsql as $$
declare
    touched jsonb;
begin
    if tg_op = 'INSERT' then
        select jsonb_agg(distinct jsonb_build_object('region_id', n.region_id,
                   'day', (n.received_at at time zone r.time_zone)::date))
        into touched from changed_new n join regions r on r.id = n.region_id;
    elsif tg_op = 'DELETE' then
        select jsonb_agg(distinct jsonb_build_object('region_id', o.region_id,
                   'day', (o.received_at at time zone r.time_zone)::date))
        into touched from changed_old o join regions r on r.id = o.region_id;
    else
        -- Notes, drafts and assignment change nothing counted here.
        select jsonb_agg(distinct jsonb_build_object('region_id', c.region_id,
                   'day', (c.received_at at time zone r.time_zone)::date))
        into touched
        from ((select id, region_id, organization_id, received_at, category, status, answered_at,
                      first_response_at, first_response_due, first_response_minutes, transfer_count, reopen_count, paused_at
               from changed_new
               except
               select id, region_id, organization_id, received_at, category, status, answered_at,
                      first_response_at, first_response_due, first_response_minutes, transfer_count, reopen_count, paused_at
               from changed_old)
              union all
              (select id, region_id, organization_id, received_at, category, status, answered_at,
                      first_response_at, first_response_due, first_response_minutes, transfer_count, reopen_count, paused_at
               from changed_old
               except
               select id, region_id, organization_id, received_at, category, status, answered_at,
                      first_response_at, first_response_due, first_response_minutes, transfer_count, reopen_count, paused_at
               from changed_new)) c
        join regions r on r.id = c.region_id;
    end if;
    if touched is not null then
        perform answer_days_recompute(touched);
    end if;
    return null;
end
$$;
create trigger questions_answer_days_insert after insert on questions
    referencing new table as changed_new for each statement execute function answer_days_refresh();
create trigger questions_answer_days_update after update on questions
    referencing old table as changed_old new table as changed_new
    for each statement execute function answer_days_refresh();
create trigger questions_answer_days_delete after delete on questions
    referencing old table as changed_old for each statement execute function answer_days_refresh();

-- An organization moving to another municipality moves its questions between the rows.
create function answer_days_refresh_organization() returns trigger language plpgsql as $$
declare
    touched jsonb;
begin
    select jsonb_agg(distinct jsonb_build_object('region_id', q.region_id,
               'day', (q.received_at at time zone r.time_zone)::date))
    into touched
    from changed_old o join changed_new n on n.id = o.id
    join regions r on r.id = n.region_id
    join questions q on q.region_id = n.region_id and q.organization_id = n.id
    where o.municipality_id is distinct from n.municipality_id;
    if touched is not null then
        perform answer_days_recompute(touched);
    end if;
    return null;
end
$$;
create trigger organizations_answer_days_update after update on organizations
    referencing old table as changed_old new table as changed_new
    for each statement execute function answer_days_refresh_organization();

select answer_days_recompute(
    (select jsonb_agg(distinct jsonb_build_object('region_id', q.region_id,
                'day', (q.received_at at time zone r.time_zone)::date))
     from questions q join regions r on r.id = q.region_id));
analyze answer_days;

grant select, insert, update, delete on answer_days to gospublic_app;
alter table answer_days enable row level security;
create policy answer_days_tenant on answer_days
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
