-- An answer rewrote its month's arrays twice: the day's old rows were taken out of the month
-- (every array of the month rebuilt without them, after summing the day's rows into months
-- and sorting their arrays again) and the new rows put in (rebuilt again), though the two
-- differ by a minute or a deadline. In the largest region a month holds some 10,000 minutes
-- and 6,000 deadlines.
-- Now each changed day row is compared with its old self first, and each month row changes
-- once: its figures by the difference, its arrays by the few values that left and came, and
-- not at all when none did.

-- The values of `a` without those of `b`, each taken out once per occurrence.
create function multiset_minus(a anyarray, b anyarray) returns anyarray
language sql immutable as $$
    select case when a = b then a[1:0]
                else array(select x from unnest(a) x except all select y from unnest(b) y) end
$$;

-- Arrays of the group put end to end.
create aggregate array_concat(anycompatiblearray) (
    sfunc = array_cat, stype = anycompatiblearray, initcond = '{}'
);

-- `kept`, sorted, without the values of `gone` (each once per occurrence) and with those of
-- `came`, still sorted. A few values are found by halving and spliced in or out; sorting the
-- month's 10,000 minutes again for one of them took 2 ms a row. Many values (a recount of
-- a whole day) are merged by sorting.
create function sorted_change(kept anyarray, gone anyarray, came anyarray) returns anyarray
language plpgsql immutable as $$
declare
    result alias for $0;
    i int;
    low int;
    high int;
    middle int;
begin
    if cardinality(gone) + cardinality(came) > 64 then
        return array(select x from unnest(kept) x except all select y from unnest(gone) y
                     union all select z from unnest(came) z order by 1);
    end if;
    result := kept;
    for i in 1 .. cardinality(gone) loop
        -- The first place holding the value.
        low := 1;
        high := cardinality(result) + 1;
        while low < high loop
            middle := (low + high) / 2;
            if result[middle] < gone[i] then low := middle + 1; else high := middle; end if;
        end loop;
        if low <= cardinality(result) and result[low] = gone[i] then
            result := result[:low - 1] || result[low + 1:];
        end if;
    end loop;
    for i in 1 .. cardinality(came) loop
        -- The place after the last value not above it.
        low := 1;
        high := cardinality(result) + 1;
        while low < high loop
            middle := (low + high) / 2;
            if result[middle] <= came[i] then low := middle + 1; else high := middle; end if;
        end loop;
        result := result[:low - 1] || came[i:i] || result[low:];
    end loop;
    return result;
end
$$;

create or replace function answer_months_shift(old_days answer_days[], new_days answer_days[])
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
    if gone is null and came is null then
        return;
    end if;
    -- The recount holds the region's lock: no other transaction changes these months, so
    -- the rows not updated are the ones to insert.
    with pairs as (
        select coalesce(n.region_id, o.region_id) as region_id,
               month_of(coalesce(n.day, o.day)) as month,
               coalesce(n.municipality_id, o.municipality_id) as municipality_id,
               coalesce(n.category, o.category) as category,
               coalesce(n.received, 0) - coalesce(o.received, 0) as received,
               coalesce(n.considered, 0) - coalesce(o.considered, 0) as considered,
               coalesce(n.answered, 0) - coalesce(o.answered, 0) as answered,
               coalesce(n.responded, 0) - coalesce(o.responded, 0) as responded,
               coalesce(n.on_time, 0) - coalesce(o.on_time, 0) as on_time,
               coalesce(n.transferred, 0) - coalesce(o.transferred, 0) as transferred,
               coalesce(n.reopened, 0) - coalesce(o.reopened, 0) as reopened,
               multiset_minus(coalesce(o.minutes, '{}'), coalesce(n.minutes, '{}')) as minutes_gone,
               multiset_minus(coalesce(n.minutes, '{}'), coalesce(o.minutes, '{}')) as minutes_came,
               multiset_minus(coalesce(o.waiting_due, '{}'), coalesce(n.waiting_due, '{}')) as waiting_gone,
               multiset_minus(coalesce(n.waiting_due, '{}'), coalesce(o.waiting_due, '{}')) as waiting_came
        from unnest(coalesce(gone, '{}')) o
        full join unnest(coalesce(came, '{}')) n
            on o.region_id = n.region_id and o.day = n.day
           and o.municipality_id = n.municipality_id and o.category = n.category),
    change as (
        select region_id, month, municipality_id, category,
               sum(received)::int as received, sum(considered)::int as considered,
               sum(answered)::int as answered, sum(responded)::int as responded,
               sum(on_time)::int as on_time, sum(transferred)::int as transferred,
               sum(reopened)::int as reopened,
               array_concat(minutes_gone) as minutes_gone, array_concat(minutes_came) as minutes_came,
               array_concat(waiting_gone) as waiting_gone, array_concat(waiting_came) as waiting_came
        from pairs group by 1, 2, 3, 4),
    updated as (
        update answer_months a
        set received = a.received + d.received, considered = a.considered + d.considered,
            answered = a.answered + d.answered, responded = a.responded + d.responded,
            on_time = a.on_time + d.on_time, transferred = a.transferred + d.transferred,
            reopened = a.reopened + d.reopened,
            minutes = sorted_change(a.minutes, d.minutes_gone, d.minutes_came),
            waiting_due = sorted_change(a.waiting_due, d.waiting_gone, d.waiting_came)
        from change d
        where a.region_id = d.region_id and a.month = d.month
          and a.municipality_id = d.municipality_id and a.category = d.category
        returning a.region_id, a.month, a.municipality_id, a.category)
    insert into answer_months
    select d.region_id, d.month, d.municipality_id, d.category, d.received, d.considered,
           d.answered, d.responded, d.on_time, d.transferred, d.reopened,
           sorted_change('{}'::integer[], '{}', d.minutes_came),
           sorted_change('{}'::timestamptz[], '{}', d.waiting_came)
    from change d
    where not exists (select 1 from updated u
                      where u.region_id = d.region_id and u.month = d.month
                        and u.municipality_id = d.municipality_id and u.category = d.category)
    order by 1, 2, 3, 4;
    -- Nothing received is nothing at all: every other figure counts among those received.
    delete from answer_months a
    using (select distinct g.region_id, month_of(g.day) as month from unnest(gone) g) t
    where a.region_id = t.region_id and a.month = t.month and a.received = 0;
end
$$;
