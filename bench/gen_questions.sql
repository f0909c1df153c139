-- Fills a region with :count questions for the inbox benchmark: deterministic, spread over
-- every organization of the region, a year of history, the states a real region has (most
-- finished, 5% open from the last ten days, many of those overdue). Deadlines are received + 9 hours and
-- + 7 days of wall-clock time: close enough for measuring how fast the inbox reads them.
-- Usage: psql -v region=ID -v count=500000 -f bench/gen_questions.sql
\set ON_ERROR_STOP on
select setseed(0.42) \g /dev/null
create temporary table bench_orgs as
    select id, row_number() over (order by id) as rn from organizations where region_id = :region;
select count(*) as n from bench_orgs \gset
insert into questions (region_id, organization_id, channel, external_id, author_name, author_contact, body,
                       category, priority, status, received_at, first_response_due, first_response_risk,
                       final_due, final_risk, first_response_at, answered_at, closed_at, answer, resolution_reason,
                       first_response_minutes, answer_minutes)
select :region, o.id, 'comment', 'bench-' || g, 'Житель ' || g, '+7 900 ' || lpad((g % 10000000)::text, 7, '0'),
       'Вопрос № ' || g || ' о работе организации: когда отремонтируют дорогу и вывезут мусор?',
       (array['ЖКХ','Благоустройство','Дороги','Здравоохранение','Образование','Социальная защита','Транспорт','Другое'])[1 + g % 8],
       case when g % 50 = 0 then 'urgent' when g % 9 = 0 then 'high' else 'normal' end,
       s.status, r.received, r.received + interval '9 hours', r.received + interval '7 hours',
       r.received + interval '7 days', r.received + interval '5 days 14 hours',
       case when s.status in ('answered', 'closed') then r.received + interval '3 hours' end,
       case when s.status in ('answered', 'closed') then r.received + interval '2 days' end,
       case when s.status in ('closed', 'rejected') then r.received + interval '4 days' end,
       case when s.status in ('answered', 'closed') then 'Ответ на вопрос № ' || g end,
       case when s.status = 'rejected' then 'spam' end,
       case when s.status in ('answered', 'closed') then (30 + g % 900)::int end,
       case when s.status in ('answered', 'closed') then (540 + g % 3000)::int end
from generate_series(1::bigint, :count) g
join bench_orgs o on o.rn = 1 + (g * 7919) % :n
cross join lateral (select case
        when g % 100 < 84 then 'closed' when g % 100 < 90 then 'answered'
        when g % 100 < 93 then 'in_progress' when g % 100 < 95 then 'new' else 'rejected' end as status) s
cross join lateral (select case when s.status in ('new', 'in_progress')
        then now() - make_interval(mins => ((g * 13) % (60 * 24 * 10))::int)
        else now() - make_interval(mins => ((g * 17) % (60 * 24 * 365))::int) end as received) r;
vacuum analyze questions;
