-- How many questions each organization has in each status, kept by delta in the transaction
-- of the change. The inbox counts its answered questions here: they pile up year after year,
-- while the open questions it counts row by row stay few. Deltas, not recounts: an answer
-- moves one question between two rows, and concurrent answers in one organization wait on
-- the row, not on each other's recount.
create table question_statuses (
    region_id bigint not null references regions (id),
    organization_id bigint not null,
    status text not null,
    questions integer not null,
    primary key (region_id, organization_id, status)
);

create function question_statuses_apply() returns trigger language plpgsql as $$
begin
    -- Rows in key order, so two transactions touching the same organizations lock them alike.
    if tg_op = 'INSERT' then
        insert into question_statuses (region_id, organization_id, status, questions)
        select n.region_id, n.organization_id, n.status, count(*) from changed_new n
        group by 1, 2, 3 order by 1, 2, 3
        on conflict (region_id, organization_id, status)
            do update set questions = question_statuses.questions + excluded.questions;
    elsif tg_op = 'DELETE' then
        insert into question_statuses (region_id, organization_id, status, questions)
        select o.region_id, o.organization_id, o.status, -count(*) from changed_old o
        group by 1, 2, 3 order by 1, 2, 3
        on conflict (region_id, organization_id, status)
            do update set questions = question_statuses.questions + excluded.questions;
    else
        insert into question_statuses (region_id, organization_id, status, questions)
        select c.region_id, c.organization_id, c.status, sum(c.delta)
        from (select n.region_id, n.organization_id, n.status, 1 as delta from changed_new n
              union all
              select o.region_id, o.organization_id, o.status, -1 from changed_old o) c
        group by 1, 2, 3 having sum(c.delta) <> 0 order by 1, 2, 3
        on conflict (region_id, organization_id, status)
            do update set questions = question_statuses.questions + excluded.questions;
    end if;
    return null;
end
$$;
create trigger questions_statuses_insert after insert on questions
    referencing new table as changed_new for each statement execute function question_statuses_apply();
create trigger questions_statuses_update after update on questions
    referencing old table as changed_old new table as changed_new
    for each statement execute function question_statuses_apply();
create trigger questions_statuses_delete after delete on questions
    referencing old table as changed_old for each statement execute function question_statuses_apply();

insert into question_statuses (region_id, organization_id, status, questions)
select region_id, organization_id, status, count(*) from questions group by 1, 2, 3;
analyze question_statuses;

-- The inbox now reads only open questions row by row.
drop index questions_active_idx;
create index questions_open_idx on questions (region_id, organization_id)
    include (status, due_at, risk_at, assignee_id, paused_at, awaiting_approval)
    where status in ('new', 'in_progress');

grant select, insert, update, delete on question_statuses to gospublic_app;
alter table question_statuses enable row level security;
create policy question_statuses_tenant on question_statuses
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
