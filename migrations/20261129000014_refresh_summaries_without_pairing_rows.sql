-- Statement-level triggers see their transition tables without statistics, so pairing old
-- and new rows by id was planned as a nested loop: an import updating 20,000 organizations
-- compared 400 million pairs and its commit took 90 s. The changed rows are found as set
-- differences instead, which are hashed.

-- An organization moving to another municipality moves its questions in the per-municipality rows.
create or replace function question_weeks_refresh_organization() returns trigger language plpgsql as $$
declare
    touched jsonb;
begin
    select jsonb_agg(distinct jsonb_build_object('region_id', w.region_id, 'week', w.week))
    into touched
    from (select region_id, id, municipality_id from changed_new
          except
          select region_id, id, municipality_id from changed_old) moved
    join question_weeks w on w.region_id = moved.region_id and w.municipality_id = 0
    where exists (select 1 from questions q where q.region_id = moved.region_id and q.organization_id = moved.id);
    if touched is not null then
        perform question_weeks_recompute(touched);
    end if;
    return null;
end
$$;

create or replace function question_weeks_refresh() returns trigger language plpgsql as $$
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
        -- Most updates (notes, assignment, drafts, erasing contacts) change nothing these
        -- figures count: only rows whose counted columns differ, before and after, matter.
        select jsonb_agg(distinct jsonb_build_object('region_id', c.region_id,
                   'week', date_trunc('week', c.received_at at time zone r.time_zone)::date))
        into touched
        from ((select id, region_id, organization_id, received_at, first_response_minutes from changed_new
               except
               select id, region_id, organization_id, received_at, first_response_minutes from changed_old)
              union all
              (select id, region_id, organization_id, received_at, first_response_minutes from changed_old
               except
               select id, region_id, organization_id, received_at, first_response_minutes from changed_new)) c
        join regions r on r.id = c.region_id;
    end if;
    if touched is not null then
        perform question_weeks_recompute(touched);
    end if;
    return null;
end
$$;
