-- Questions with texts as varied as residents write them, for the inbox search benchmark:
-- :org_count for one organization (:org) and :rest_count spread over the region's other
-- organizations. Deterministic. Usage:
--   psql -v region=ID -v org=ID -v org_count=100000 -v rest_count=22000 -f bench/gen_search_questions.sql
\set ON_ERROR_STOP on
create temporary table topics (n int, t text);
insert into topics values
 (0, 'Когда отремонтируют дорогу на улице'), (1, 'Третью неделю не вывозят мусор во дворе на улице'),
 (2, 'Не горит уличное освещение на улице'), (3, 'Как записать ребёнка в первый класс, живём на улице'),
 (4, 'Очередь в поликлинике к терапевту, прикреплены по адресу улица'), (5, 'Автобус № 12 не ходит по расписанию, остановка на улице'),
 (6, 'Прорвало трубу, нет горячей воды, улица'), (7, 'Просим установить детскую площадку во дворе на улице'),
 (8, 'Когда уберут снег с тротуаров на улице'), (9, 'Бродячие собаки у школы на улице'),
 (10, 'Почему не работает кружок в доме культуры на улице'), (11, 'Как получить компенсацию за капремонт, дом на улице');
create temporary table streets (n int, s text);
insert into streets select g - 1, (array['Ленина','Мира','Гагарина','Советской','Пушкина','Молодёжной','Садовой','Лесной',
  'Школьной','Новой','Кирова','Чкалова','Строителей','Победы','Партизанской','Северной','Южной','Заводской',
  'Набережной','Полевой'])[g] from generate_series(1, 20) g;
create temporary table others as
    select id, row_number() over (order by id) as rn from organizations where region_id = :region and id <> :org;
select count(*) as n from others \gset
insert into questions (region_id, organization_id, channel, external_id, author_name, body, category, status,
                       received_at, first_response_due, first_response_risk, final_due, final_risk,
                       first_response_at, answered_at, closed_at, answer)
select :region, case when g <= :org_count then :org else (select id from others where rn = 1 + g % :n) end,
       'comment', 'search-' || g, 'Житель ' || g,
       t.t || ' ' || s.s || ', ' || (1 + g % 97) || '. ' ||
           (array['Спасибо.','Помогите, пожалуйста!','Жду ответа.','Сколько можно ждать?',''])[1 + g % 5],
       (array['ЖКХ','Благоустройство','Дороги','Здравоохранение','Образование','Транспорт','Другое'])[1 + g % 7],
       case when g % 20 = 0 then 'new' when g % 20 = 1 then 'in_progress' else 'closed' end,
       now() - make_interval(mins => (g * 17 % (60 * 24 * 365))::int),
       now() - make_interval(mins => (g * 17 % (60 * 24 * 365))::int) + interval '9 hours',
       now() - make_interval(mins => (g * 17 % (60 * 24 * 365))::int) + interval '7 hours',
       now() - make_interval(mins => (g * 17 % (60 * 24 * 365))::int) + interval '7 days',
       now() - make_interval(mins => (g * 17 % (60 * 24 * 365))::int) + interval '5 days',
       case when g % 20 > 1 then now() - make_interval(mins => (g * 17 % (60 * 24 * 365))::int) + interval '2 hours' end,
       case when g % 20 > 1 then now() - make_interval(mins => (g * 17 % (60 * 24 * 365))::int) + interval '1 day' end,
       case when g % 20 > 1 then now() - make_interval(mins => (g * 17 % (60 * 24 * 365))::int) + interval '2 days' end,
       case when g % 20 > 1 then 'Ответ на вопрос № ' || g end
from generate_series(1::bigint, :org_count + :rest_count) g
join topics t on t.n = g % 12
join streets s on s.n = (g / 12) % 20
-- In the order they are numbered, as questions arrive one by one: without it the join files
-- each topic's questions together, and a sample of the table's first rows sees one topic.
order by g;
vacuum analyze questions;
-- The load's dirty pages written out now, not by a checkpoint in the middle of the measurement.
checkpoint;
