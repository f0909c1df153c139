\set ON_ERROR_STOP 1
set track_functions = 'pl';
select set_config('bench.answers', :'answers', false) \gset
-- One transaction: the per-function figures are the transaction's own.
begin;
create temporary table answer_times (ms float8);
do $$
declare
    region bigint;
    question bigint;
    started timestamptz;
    took float8;
begin
    select region_id into region from questions group by 1 order by count(*) desc limit 1;
    for question in
        select id from questions
        where region_id = region and status in ('new', 'in_progress') and first_response_at is null
        order by id desc limit current_setting('bench.answers')::int
    loop
        started := clock_timestamp();
        begin
            update questions set
                first_response_at = now(), first_response_minutes = 100, answer_minutes = 100,
                answer = 'Ответ', answered_at = now(), answered_by = null, status = 'answered',
                paused_at = null, answer_rev = answer_rev + 1, updated_at = now()
            where region_id = region and id = question;
            took := extract(epoch from clock_timestamp() - started) * 1000;
            raise exception using errcode = 'P0001', message = 'rolled back';
        exception when sqlstate 'P0001' then
            null;
        end;
        insert into answer_times values (took);
    end loop;
end
$$;
select count(*) as answers,
       round(percentile_cont(0.5) within group (order by ms)::numeric, 1) as median_ms,
       round(percentile_cont(0.9) within group (order by ms)::numeric, 1) as p90_ms
from answer_times;
select funcname as summary_function, round((self_time / calls)::numeric, 2) as self_ms_per_call,
       round((total_time / (select count(*) from answer_times))::numeric, 2) as total_ms_per_answer
from pg_stat_xact_user_functions order by total_time desc;
rollback;
