-- How many questions each organization transferred away and no longer holds, kept by delta
-- in the transaction of the change, as question_statuses is. The inbox's "transferred"
-- count of an editor reads it: transferred questions pile up with the history, and finding
-- them row by row took 2-3 ms of every inbox on three years of questions.
--
-- A question counts once for each organization among its previous ones that is not the
-- one holding it now, exactly as the inbox's list of transferred questions selects them.
create table question_transfers_away (
    region_id bigint not null references regions (id),
    organization_id bigint not null,
    questions integer not null,
    primary key (region_id, organization_id)
);

create function question_transfers_away_of(previous bigint[], transfers integer, holder bigint)
returns setof bigint language sql immutable as $$
    select distinct p from unnest(previous) p where transfers > 0 and p <> holder
$$;

create function question_transfers_away_apply() returns trigger language plpgsql as $$
begin
    -- Rows in key order, so two transactions touching the same organizations lock them alike.
    if tg_op = 'INSERT' then
        insert into question_transfers_away (region_id, organization_id, questions)
        select n.region_id, a.org, count(*)
        from changed_new n cross join lateral question_transfers_away_of(n.previous_organization_ids, n.transfer_count, n.organization_id) a(org)
        group by 1, 2 order by 1, 2
        on conflict (region_id, organization_id)
            do update set questions = question_transfers_away.questions + excluded.questions;
    elsif tg_op = 'DELETE' then
        insert into question_transfers_away (region_id, organization_id, questions)
        select o.region_id, a.org, -count(*)
        from changed_old o cross join lateral question_transfers_away_of(o.previous_organization_ids, o.transfer_count, o.organization_id) a(org)
        group by 1, 2 order by 1, 2
        on conflict (region_id, organization_id)
            do update set questions = question_transfers_away.questions + excluded.questions;
    else
        insert into question_transfers_away (region_id, organization_id, questions)
        select c.region_id, c.org, sum(c.delta)
        from (select n.region_id, a.org, 1 as delta
              from changed_new n cross join lateral question_transfers_away_of(n.previous_organization_ids, n.transfer_count, n.organization_id) a(org)
              union all
              select o.region_id, a.org, -1
              from changed_old o cross join lateral question_transfers_away_of(o.previous_organization_ids, o.transfer_count, o.organization_id) a(org)) c
        group by 1, 2 having sum(c.delta) <> 0 order by 1, 2
        on conflict (region_id, organization_id)
            do update set questions = question_transfers_away.questions + excluded.questions;
    end if;
    return null;
end
$$;
create trigger questions_transfers_away_insert after insert on questions
    referencing new table as changed_new for each statement execute function question_transfers_away_apply();
create trigger questions_transfers_away_update after update on questions
    referencing old table as changed_old new table as changed_new
    for each statement execute function question_transfers_away_apply();
create trigger questions_transfers_away_delete after delete on questions
    referencing old table as changed_old for each statement execute function question_transfers_away_apply();

insert into question_transfers_away (region_id, organization_id, questions)
select q.region_id, a.org, count(*)
from questions q cross join lateral question_transfers_away_of(q.previous_organization_ids, q.transfer_count, q.organization_id) a(org)
where q.transfer_count > 0
group by 1, 2;
analyze question_transfers_away;

grant select, insert, update, delete on question_transfers_away to gospublic_app;
alter table question_transfers_away enable row level security;
create policy question_transfers_away_tenant on question_transfers_away
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
