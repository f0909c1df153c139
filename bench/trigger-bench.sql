-- Each summary trigger measured on a 20,000-row statement, with the trigger and without it,
-- each statement in a transaction rolled back so every run starts from the same rows. Runs
-- against the demo region of a seeded database (bench/trigger-bench.sh).
\set ON_ERROR_STOP on
\timing off
\pset footer off
set jit = off;

-- 20,000 organizations of the demo region with one question each, and 20,000 weeks of
-- figures for its pages: the rows the statements below touch.
create temporary table bench_region as select id from regions where slug = 'altai-krai';
create temporary table bench_muni as
    select min(id) as a, max(id) as b from municipalities where region_id = (select id from bench_region);
insert into organizations (region_id, name, inn, ogrn, level, municipality_id)
select r.id, 'Бенчмарк ' || g, lpad((9000000000 + g)::text, 10, '0'), lpad((5000000000000 + g)::text, 13, '0'),
       'municipal_institution', (select a from bench_muni)
from bench_region r, generate_series(1, 20000) g;
create temporary table bench_orgs as select id from organizations where name like 'Бенчмарк %';
create temporary table bench_pages as
    select p.id, p.region_id, row_number() over (order by p.id) as n
    from pages p where p.region_id = (select id from bench_region) order by p.id limit 400;
analyze organizations; analyze questions; analyze page_snapshots;

\o /dev/null
create or replace function pg_temp.timed(statement text, trigger_table text, trigger_name text)
returns table (with_trigger_ms numeric, without_trigger_ms numeric) language plpgsql as $$
declare
    t0 timestamptz;
begin
    -- Warm the caches once, then measure with and without the trigger.
    begin
        execute statement;
        raise exception 'rollback';
    exception when raise_exception then
    end;
    begin
        t0 := clock_timestamp();
        execute statement;
        with_trigger_ms := round(extract(epoch from clock_timestamp() - t0)::numeric * 1000, 1);
        raise exception 'rollback';
    exception when raise_exception then
    end;
    begin
        execute format('alter table %I disable trigger %I', trigger_table, trigger_name);
        t0 := clock_timestamp();
        execute statement;
        without_trigger_ms := round(extract(epoch from clock_timestamp() - t0)::numeric * 1000, 1);
        raise exception 'rollback';
    exception when raise_exception then
    end;
    return next;
end
$$;
\o

create temporary table bench_questions_sql as select $q$
    insert into questions (region_id, organization_id, channel, body, category, received_at,
                           first_response_due, first_response_risk, final_due, final_risk)
    select o.region_id, o.id, 'manual', 'Вопрос', 'Другое', now() - (o.id % 600) * interval '1 hour',
           now() + interval '1 day', now() + interval '20 hours', now() + interval '30 days', now() + interval '25 days'
    from organizations o join bench_orgs b on b.id = o.id
$q$::text as sql;

-- The rows the update and delete statements act on exist outside the rolled-back runs.
insert into questions (region_id, organization_id, channel, body, category, received_at,
                       first_response_due, first_response_risk, final_due, final_risk)
select o.region_id, o.id, 'manual', 'Вопрос', 'Другое', now() - (o.id % 600) * interval '1 hour',
       now() + interval '1 day', now() + interval '20 hours', now() + interval '30 days', now() + interval '25 days'
from organizations o join bench_orgs b on b.id = o.id;
insert into page_snapshots (region_id, page_id, week, followers, posts, source)
select p.region_id, p.id, (date_trunc('week', now())::date - 7 * (100 + g)), 100 + g, 1, 'upload'
from bench_pages p, generate_series(1, 50) g;
analyze questions; analyze page_snapshots;

select 'questions: insert 20,000' as statement, t.* from bench_questions_sql s, pg_temp.timed(s.sql, 'questions', 'questions_weeks_insert') t
union all
select 'questions: update 20,000, a column the summary ignores (assignee note)', t.* from pg_temp.timed(
    $q$update questions set draft_answer = 'черновик' where organization_id in (select id from bench_orgs)$q$, 'questions', 'questions_weeks_update') t
union all
select 'questions: update 20,000 first responses', t.* from pg_temp.timed(
    $q$update questions set first_response_minutes = 30, first_response_at = received_at + interval '30 minutes' where organization_id in (select id from bench_orgs)$q$, 'questions', 'questions_weeks_update') t
union all
select 'questions: delete 20,000', t.* from pg_temp.timed(
    $q$delete from questions where organization_id in (select id from bench_orgs)$q$, 'questions', 'questions_weeks_delete') t
union all
select 'organizations: update 20,000 names (moves none)', t.* from pg_temp.timed(
    $q$update organizations set name = name || '.' where id in (select id from bench_orgs)$q$, 'organizations', 'organizations_weeks_update') t
union all
select 'organizations: move 20,000 to another municipality', t.* from pg_temp.timed(
    $q$update organizations set municipality_id = (select b from bench_muni) where id in (select id from bench_orgs)$q$, 'organizations', 'organizations_weeks_update') t
union all
select 'page figures: insert 20,000 weeks', t.* from pg_temp.timed(
    $q$insert into page_snapshots (region_id, page_id, week, followers, posts, source)
       select p.region_id, p.id, (date_trunc('week', now())::date - 7 * (200 + g)), g, 1, 'upload'
       from bench_pages p, generate_series(1, 50) g$q$, 'page_snapshots', 'page_snapshots_latest_insert') t
union all
select 'page figures: update 20,000 weeks', t.* from pg_temp.timed(
    $q$update page_snapshots set followers = followers + 1 where page_id in (select id from bench_pages)$q$, 'page_snapshots', 'page_snapshots_latest_update') t
union all
select 'page figures: delete 20,000 weeks', t.* from pg_temp.timed(
    $q$delete from page_snapshots where page_id in (select id from bench_pages) and week < date_trunc('week', now())::date - 7 * 100$q$, 'page_snapshots', 'page_snapshots_latest_delete') t;
