-- The answer figures of `answer_days` summed per calendar month (the month of the day
-- received, in the region's time zone), with the first-response minutes and the waiting
-- deadlines merged, still sorted. A 365-day dashboard reads the whole months of its periods
-- here and only the days at their edges from `answer_days`: some 2,000 rows instead of
-- 37,000 for the largest region.
-- Kept by the recount of `answer_days`, in the transaction of the change, by difference: the
-- day rows it replaced are taken out of their month and the new ones put in, for the rows
-- that changed only, so an answer costs three rows, not a recount of the month. The recount
-- holds the region's lock, so one region's months change one at a time.
create table answer_months (
    region_id bigint not null references regions (id),
    month date not null,
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
    primary key (region_id, month, municipality_id, category)
);

-- The first day of the first month that starts on or after a day.
create function month_on_or_after(day date) returns date language sql immutable as $$
    select (date_trunc('month', (day - 1)::timestamp) + interval '1 month')::date
$$;

-- The first day of a day's month.
create function month_of(day date) returns date language sql immutable as $$
    select date_trunc('month', day::timestamp)::date
$$;

-- The rows of `days` summed per month, their arrays merged and sorted.
create function answer_months_of(days answer_days[]) returns setof answer_months
language sql stable as $$
    with d as (select * from unnest(days)),
    sums as (
        select region_id, month_of(day) as month, municipality_id, category,
               sum(received)::int as received, sum(considered)::int as considered,
               sum(answered)::int as answered, sum(responded)::int as responded,
               sum(on_time)::int as on_time, sum(transferred)::int as transferred,
               sum(reopened)::int as reopened
        from d group by 1, 2, 3, 4),
    minutes as (
        select region_id, month_of(day) as month, municipality_id, category,
               array_agg(m order by m) as minutes
        from d, unnest(d.minutes) m group by 1, 2, 3, 4),
    waiting as (
        select region_id, month_of(day) as month, municipality_id, category,
               array_agg(w order by w) as waiting_due
        from d, unnest(d.waiting_due) w group by 1, 2, 3, 4)
    select s.region_id, s.month, s.municipality_id, s.category, s.received, s.considered,
           s.answered, s.responded, s.on_time, s.transferred, s.reopened,
           coalesce(m.minutes, '{}'), coalesce(w.waiting_due, '{}')
    from sums s
    left join minutes m using (region_id, month, municipality_id, category)
    left join waiting w using (region_id, month, municipality_id, category)
$$;

-- Moves the month figures from the day rows `old_days` to `new_days`, for the keys whose rows
-- differ: an answer changes three rows of its day (the whole region, its municipality, its
-- category), and only their months are touched.
create function answer_months_shift(old_days answer_days[], new_days answer_days[])
returns void language plpgsql as $$
declare
    gone answer_days[];
    came answer_days[];
begin
    select array_agg(o.day_row) filter (where o.day_row is not null),
           array_agg(n.day_row) filter (where n.day_row is not null)
    into gone, came
    from (select x as day_row from unnest(old_days) x) o
    full join (select x as day_row from unnest(new_days) x) n
        on (o.day_row).region_id = (n.day_row).region_id and (o.day_row).day = (n.day_row).day
       and (o.day_row).municipality_id = (n.day_row).municipality_id
       and (o.day_row).category = (n.day_row).category
    where o.day_row is distinct from n.day_row;
    if gone is not null then
        update answer_months a
        set received = a.received - g.received, considered = a.considered - g.considered,
            answered = a.answered - g.answered, responded = a.responded - g.responded,
            on_time = a.on_time - g.on_time, transferred = a.transferred - g.transferred,
            reopened = a.reopened - g.reopened,
            minutes = array(select x from unnest(a.minutes) x
                            except all select y from unnest(g.minutes) y order by 1),
            waiting_due = array(select x from unnest(a.waiting_due) x
                                except all select y from unnest(g.waiting_due) y order by 1)
        from answer_months_of(gone) g
        where a.region_id = g.region_id and a.month = g.month
          and a.municipality_id = g.municipality_id and a.category = g.category;
    end if;
    if came is not null then
        insert into answer_months
        select * from answer_months_of(came)
        order by region_id, month, municipality_id, category
        on conflict (region_id, month, municipality_id, category) do update
        set received = answer_months.received + excluded.received,
            considered = answer_months.considered + excluded.considered,
            answered = answer_months.answered + excluded.answered,
            responded = answer_months.responded + excluded.responded,
            on_time = answer_months.on_time + excluded.on_time,
            transferred = answer_months.transferred + excluded.transferred,
            reopened = answer_months.reopened + excluded.reopened,
            minutes = array(select x from unnest(answer_months.minutes) x
                            union all select y from unnest(excluded.minutes) y order by 1),
            waiting_due = array(select x from unnest(answer_months.waiting_due) x
                                union all select y from unnest(excluded.waiting_due) y order by 1);
    end if;
    -- Nothing received is nothing at all: every other figure counts among those received.
    delete from answer_months a
    using (select distinct g.region_id, month_of(g.day) as month from unnest(gone) g) t
    where a.region_id = t.region_id and a.month = t.month and a.received = 0;
end
$$;

-- The day recount of migration 35, now also moving its changes into the months. Each
-- region's days are deleted and counted through the indexes of their keys: joined to the
-- touched days as a set, the planner guessed a hundred of them and read every question and
-- every day row of the region to find one day's.
create or replace function answer_days_recompute(touched jsonb) returns void language plpgsql as $$
declare
    region bigint;
    zone text;
    days date[];
    old_days answer_days[] := '{}';
    new_days answer_days[] := '{}';
begin
    for region, zone, days in
        select x.region_id, r.time_zone, array_agg(distinct x.day)
        from jsonb_to_recordset(touched) x(region_id bigint, day date)
        join regions r on r.id = x.region_id
        group by 1, 2 order by 1
    loop
        perform pg_advisory_xact_lock(hashtext('answer_days'), region::int);
        old_days := old_days || array(
            select d from answer_days d where d.region_id = region and d.day = any(days));
        delete from answer_days d where d.region_id = region and d.day = any(days);
        insert into answer_days (region_id, day, municipality_id, category, received, considered, answered,
                                 responded, on_time, transferred, reopened, minutes, waiting_due)
        select region, t.day,
               case when grouping(q.municipality_id) = 1 then -1 else coalesce(q.municipality_id, 0) end,
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
                                      and q.paused_at is null), '{}')
        from unnest(days) t(day)
        cross join lateral (
            select o.municipality_id, q.category, q.status, q.answered_at, q.first_response_at,
                   q.first_response_due, q.first_response_minutes, q.transfer_count, q.reopen_count,
                   q.paused_at
            from questions q
            join organizations o on o.region_id = q.region_id and o.id = q.organization_id
            where q.region_id = region
              and q.received_at >= (t.day::timestamp at time zone zone)
              and q.received_at < ((t.day + 1)::timestamp at time zone zone)) q
        group by grouping sets ((t.day), (t.day, q.municipality_id), (t.day, q.category));
        new_days := new_days || array(
            select d from answer_days d where d.region_id = region and d.day = any(days));
    end loop;
    perform answer_months_shift(old_days, new_days);
end
$$;

-- The rows of the region's answer figures for the period `period_from..=period_to` and the
-- one before it, `before_from..period_from`: the months that lie wholly inside either, and
-- the days of the rest. A period's whole months run from the first month starting on or
-- after its first day up to the month of the day after its last. Written as one statement
-- with every bound an expression of the arguments, so it is planned into its caller: the
-- caller's conditions reach both summaries and each bound is a range of their index.
create function answer_period(region bigint, before_from date, period_from date, period_to date)
returns table (current boolean, municipality_id bigint, category text, received integer,
               considered integer, answered integer, responded integer, on_time integer,
               transferred integer, reopened integer, minutes integer[], waiting_due timestamptz[])
language sql stable as $$
    select m.month >= period_from, m.municipality_id, m.category, m.received, m.considered,
           m.answered, m.responded, m.on_time, m.transferred, m.reopened, m.minutes, m.waiting_due
    from answer_months m
    where m.region_id = region
      and ((m.month >= month_on_or_after(before_from) and m.month < month_of(period_from))
           or (m.month >= month_on_or_after(period_from) and m.month < month_of(period_to + 1)))
    union all
    select d.day >= period_from, d.municipality_id, d.category, d.received, d.considered,
           d.answered, d.responded, d.on_time, d.transferred, d.reopened, d.minutes, d.waiting_due
    from answer_days d
    where d.region_id = region
      and ((d.day >= before_from and d.day < month_on_or_after(before_from))
           or (d.day >= greatest(month_on_or_after(before_from), month_of(period_from))
               and d.day < month_on_or_after(period_from))
           or (d.day >= greatest(month_on_or_after(period_from), month_of(period_to + 1))
               and d.day <= period_to))
$$;

-- Region by region, so no array holds more than one region's days.
insert into answer_months
select m.* from regions r
cross join lateral answer_months_of(array(select d from answer_days d where d.region_id = r.id)) m;
analyze answer_months;

grant select, insert, update, delete on answer_months to gospublic_app;
alter table answer_months enable row level security;
create policy answer_months_tenant on answer_months
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
