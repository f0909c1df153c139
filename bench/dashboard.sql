-- The SQL each benchmarked screen runs for one request, captured from PostgreSQL's statement
-- log by bench/capture_sql.py (parameters written in, times relative to the capture) and
-- run by bench/dashboard-bench.sh with psql's \timing for comparison with the screens.
\set QUIET on
\o /dev/null
-- The application's connections run without JIT (see src/db.rs); so does this.
set jit = off;
\timing on
\echo == region dashboard
begin;
select s.id_hash, s.user_id, s.csrf_token, s.flash,
	                  s.last_seen_at < now() - make_interval(secs => '60') as stale
	           from sessions s
	           left join users u on u.id = s.user_id
	           where s.id_hash = '\xc21b7eb37180a073303756092e3c92786fcdc622ef2ef45a1e5247b544d28d7f'
	             and s.last_seen_at > now() - make_interval(secs => '7200')
	             and s.created_at > now() - make_interval(secs => '43200')
	             and (s.user_id is null or (u.disabled_at is null and u.password_changed_at <= s.created_at));
select id, slug, name, time_zone from regions where slug = 'moskovskaya-oblast';
select id, email, name, is_operator, locale from users where id = '3' and disabled_at is null;
select m.region_id, r.slug as region_slug, r.name as region_name, m.role,
	                  m.municipality_id, mu.name as municipality_name,
	                  m.organization_id, o.name as organization_name
	           from memberships m
	           join regions r on r.id = m.region_id
	           left join municipalities mu on mu.region_id = m.region_id and mu.id = m.municipality_id
	           left join organizations o on o.region_id = m.region_id and o.id = m.organization_id
	           where m.user_id = '3'
	           order by r.name, case m.role when 'admin' then 0 when 'coordinator' then 1 else 2 end,
	                    mu.name nulls first, o.name nulls first;
select set_config('role', 'gospublic_app', true), set_config('app.region_id', '2', true);
select required_platforms, optional_platforms, active_posts, active_days, dormant_days, first_response_hours, urgent_first_response_hours, final_answer_days, work_days, work_start, work_end, holidays, working_saturdays, weight_connected, weight_mark, weight_setup, weight_widgets, weight_activity, weight_reach, weight_post_reach, green_from, red_below, high_first_response_hours, urgent_final_answer_days, at_risk_percent, transfer_keeps_clock, contact_retention_days, question_categories, mark_stuck_days, quota_flagship, quota_active, quota_card, ranking_min_questions from region_settings where region_id = '2';
with f as (
	    with orgs as (
	        select o.id, o.name, o.municipality_id from organizations o
	        where o.region_id = '2' and o.archived_at is null and not o.exempt
	          and (NULL::bigint[] is null or o.id = any(NULL))
	    ), per_org as (
	        select p.organization_id,
	               array_agg(distinct p.platform) as platforms,
	               count(*) filter (where NULL::text is null or p.platform = NULL) > 0 as has_page,
	               coalesce(bool_or(p.mark_status = 'granted') filter (where NULL::text is null or p.platform = NULL), false) as verified,
	               coalesce(bool_or(p.connected) filter (where NULL::text is null or p.platform = NULL), false) as connected,
	               coalesce(bool_or(coalesce(l.posts, 0) * '7'::float8 / 7 >= '3')
	                        filter (where NULL::text is null or p.platform = NULL), false) as active
	        from pages p
	        left join page_latest l on l.region_id = '2' and l.page_id = p.id and l.week >= ('2026-11-28'::date + (current_date - '2026-11-28 14:20:54+00'::date))::date - 14
	        where p.region_id = '2' and (NULL::bigint[] is null or p.organization_id = any(NULL))
	        group by p.organization_id
	    )
	    select o.id, o.name, o.municipality_id,
	           coalesce(pf.has_page, false) as has_page,
	           coalesce(pf.platforms @> '{vk,ok}'::text[], false) as covered,
	           coalesce(pf.verified, false) as verified,
	           coalesce(pf.active, false) as active,
	           coalesce(pf.connected, false) as connected
	    from orgs o left join per_org pf on pf.organization_id = o.id)
	           select f.municipality_id, f.has_page, f.covered, f.verified, f.active, f.connected,
	                  coalesce(s.sector_ids, '{}') as sector_ids
	           from f left join (select os.organization_id, array_agg(os.sector_id) as sector_ids
	                             from organization_sectors os where os.region_id = '2'
	                             group by os.organization_id) s on s.organization_id = f.id;
select id, name from municipalities where region_id = '2' order by name;
select id, name from sectors where region_id = '2' order by position, name;
select q.received_at >= ('2026-11-21 14:20:54.835535+00'::timestamptz + (now() - '2026-11-28 14:20:54+00'::timestamptz)) as current,
	                  grouping(o.municipality_id, m.name) = 3 and grouping(q.category) = 1 as whole,
	                  grouping(o.municipality_id, m.name) = 0 as per_municipality,
	                  o.municipality_id as id, coalesce(m.name, q.category) as name, count(*) as received,
	    count(*) filter (where q.status not in ('rejected', 'duplicate')) as considered,
	    count(*) filter (where q.answered_at is not null) as answered,
	    percentile_cont(0.5) within group (order by q.first_response_minutes) as median_minutes,
	    percentile_cont(0.9) within group (order by q.first_response_minutes) as p90_minutes,
	    count(*) filter (where q.first_response_at is not null and q.first_response_at <= q.first_response_due) as on_time,
	    count(*) filter (where q.first_response_at is not null
	                     or (q.status in ('new', 'in_progress') and q.paused_at is null and q.first_response_due <= ('2026-11-28 14:20:54.835535+00'::timestamptz + (now() - '2026-11-28 14:20:54+00'::timestamptz)))) as on_time_base,
	    count(*) filter (where q.transfer_count > 0) as transferred,
	    count(*) filter (where q.reopen_count > 0) as reopened
	           from questions q
	           join organizations o on o.region_id = q.region_id and o.id = q.organization_id
	           left join municipalities m on m.region_id = q.region_id and m.id = o.municipality_id
	           where q.region_id = '2' and (NULL::bigint[] is null or q.organization_id = any(NULL))
	             and q.received_at >= ('2026-11-14 14:20:54.835535+00'::timestamptz + (now() - '2026-11-28 14:20:54+00'::timestamptz)) and q.received_at < ('2026-11-28 14:20:54.835535+00'::timestamptz + (now() - '2026-11-28 14:20:54+00'::timestamptz))
	             and (NULL::text is null or exists (select 1 from pages pp where pp.region_id = q.region_id
	                                              and pp.id = q.page_id and pp.platform = NULL))
	           group by grouping sets ((q.received_at >= ('2026-11-21 14:20:54.835535+00'::timestamptz + (now() - '2026-11-28 14:20:54+00'::timestamptz))), (q.received_at >= ('2026-11-21 14:20:54.835535+00'::timestamptz + (now() - '2026-11-28 14:20:54+00'::timestamptz)), o.municipality_id, m.name),
	                                   (q.received_at >= ('2026-11-21 14:20:54.835535+00'::timestamptz + (now() - '2026-11-28 14:20:54+00'::timestamptz)), q.category));
select count(*) from questions q where q.region_id = '2' and (NULL::bigint[] is null or q.organization_id = any(NULL))
	             and q.due_at <= ('2026-11-28 14:20:54.835535+00'::timestamptz + (now() - '2026-11-28 14:20:54+00'::timestamptz))
	             and (NULL::text is null or exists (select 1 from pages pp where pp.region_id = q.region_id
	                                              and pp.id = q.page_id and pp.platform = NULL));
select p.id, p.organization_id, o.name as organization_name, p.platform, p.url, p.title,
	       p.mark_status, p.mark_since, p.connected, p.category, p.has_avatar, p.has_cover, p.has_description,
	       p.has_contacts, p.widgets, p.comments_open, p.checklist
	    from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
	           where p.region_id = '2' and o.archived_at is null and (NULL::bigint[] is null or o.id = any(NULL))
	             and (NULL::text is null or p.platform = NULL);
select page_id, week, followers, posts, views, likes, comments, reposts, reach, last_post_on from page_latest
	           where region_id = '2' and (NULL::bigint[] is null or page_id = any(NULL));

	    with months as (
	        select generate_series(date_trunc('month', now() at time zone 'Europe/Moscow') - make_interval(months => '24'::int - 1),
	                               date_trunc('month', now() at time zone 'Europe/Moscow'), interval '1 month')::date as at
	    ), added as materialized (
	        select date_trunc('month', p.created_at at time zone 'Europe/Moscow')::date as at, count(*) as n
	        from pages p where p.region_id = '2' and (NULL::bigint[] is null or p.organization_id = any(NULL))
	          and (NULL::text is null or p.platform = NULL)
	        group by 1
	    )
	    select m.at, (select coalesce(sum(a.n), 0) from added a where a.at <= m.at)::float8 as value
	    from months m order by m.at;

	    with months as (
	        select generate_series(date_trunc('month', now() at time zone 'Europe/Moscow') - make_interval(months => '24'::int - 1),
	                               date_trunc('month', now() at time zone 'Europe/Moscow'), interval '1 month')::date as at
	    ), changes as materialized (
	        select date_trunc('month', e.happened_on)::date as at,
	               sum(case when e.status = 'granted' then 1 when e.from_status = 'granted' then -1 else 0 end) as n
	        from page_mark_events e join pages p on p.region_id = e.region_id and p.id = e.page_id
	        where e.region_id = '2' and (NULL::bigint[] is null or p.organization_id = any(NULL))
	          and (NULL::text is null or p.platform = NULL)
	        group by 1
	    )
	    select m.at, (select coalesce(sum(c.n), 0) from changes c where c.at <= m.at)::float8 as value
	    from months m order by m.at;

	    with weeks as (
	        select generate_series(date_trunc('week', now() at time zone 'Europe/Moscow') - make_interval(weeks => '26'::int - 1),
	                               date_trunc('week', now() at time zone 'Europe/Moscow'), interval '1 week')::date as at
	    )
	    select w.at, coalesce(s.received, 0)::float8 as received, s.median_first_response_minutes as median_minutes
	    from weeks w left join question_weeks s on s.region_id = '2' and s.municipality_id = '0' and s.week = w.at
	    order by w.at;
select m.id, m.name from municipalities m where m.region_id = '2'
	             and exists (select 1 from organizations o where o.region_id = '2' and o.municipality_id = m.id
	                         and (NULL::bigint[] is null or o.id = any(NULL)))
	           order by m.name;
select s.id, s.name from sectors s where s.region_id = '2'
	             and exists (select 1 from organization_sectors os where os.region_id = '2' and os.sector_id = s.id
	                         and (NULL::bigint[] is null or os.organization_id = any(NULL)))
	           order by s.position, s.name;
select exists (select 1 from organizations o where o.region_id = '2' and o.municipality_id is null
	                          and (NULL::bigint[] is null or o.id = any(NULL)));
commit;
\echo == municipality dashboard
begin;
select s.id_hash, s.user_id, s.csrf_token, s.flash,
	                  s.last_seen_at < now() - make_interval(secs => '60') as stale
	           from sessions s
	           left join users u on u.id = s.user_id
	           where s.id_hash = '\xc21b7eb37180a073303756092e3c92786fcdc622ef2ef45a1e5247b544d28d7f'
	             and s.last_seen_at > now() - make_interval(secs => '7200')
	             and s.created_at > now() - make_interval(secs => '43200')
	             and (s.user_id is null or (u.disabled_at is null and u.password_changed_at <= s.created_at));
select id, slug, name, time_zone from regions where slug = 'moskovskaya-oblast';
select id, email, name, is_operator, locale from users where id = '3' and disabled_at is null;
select m.region_id, r.slug as region_slug, r.name as region_name, m.role,
	                  m.municipality_id, mu.name as municipality_name,
	                  m.organization_id, o.name as organization_name
	           from memberships m
	           join regions r on r.id = m.region_id
	           left join municipalities mu on mu.region_id = m.region_id and mu.id = m.municipality_id
	           left join organizations o on o.region_id = m.region_id and o.id = m.organization_id
	           where m.user_id = '3'
	           order by r.name, case m.role when 'admin' then 0 when 'coordinator' then 1 else 2 end,
	                    mu.name nulls first, o.name nulls first;
select set_config('role', 'gospublic_app', true), set_config('app.region_id', '2', true);
select required_platforms, optional_platforms, active_posts, active_days, dormant_days, first_response_hours, urgent_first_response_hours, final_answer_days, work_days, work_start, work_end, holidays, working_saturdays, weight_connected, weight_mark, weight_setup, weight_widgets, weight_activity, weight_reach, weight_post_reach, green_from, red_below, high_first_response_hours, urgent_final_answer_days, at_risk_percent, transfer_keeps_clock, contact_retention_days, question_categories, mark_stuck_days, quota_flagship, quota_active, quota_card, ranking_min_questions from region_settings where region_id = '2';
select m.name from municipalities m where m.region_id = '2' and m.id = '70'
	                     and (NULL::bigint[] is null or exists (select 1 from organizations o where o.region_id = '2'
	                          and o.municipality_id = m.id and o.id = any(NULL)));
select o.id from organizations o
	           where o.region_id = '2' and (NULL::bigint[] is null or o.id = any(NULL))
	             and ('70'::bigint is null or ('70' = 0 and o.municipality_id is null) or o.municipality_id = '70')
	             and (NULL::text is null or o.level = NULL)
	             and (NULL::bigint is null or exists (select 1 from organization_sectors os
	                                                where os.region_id = '2' and os.organization_id = o.id and os.sector_id = NULL));
with f as (
	    with orgs as (
	        select o.id, o.name, o.municipality_id from organizations o
	        where o.region_id = '2' and o.archived_at is null and not o.exempt
	          and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or o.id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	    ), per_org as (
	        select p.organization_id,
	               array_agg(distinct p.platform) as platforms,
	               count(*) filter (where NULL::text is null or p.platform = NULL) > 0 as has_page,
	               coalesce(bool_or(p.mark_status = 'granted') filter (where NULL::text is null or p.platform = NULL), false) as verified,
	               coalesce(bool_or(p.connected) filter (where NULL::text is null or p.platform = NULL), false) as connected,
	               coalesce(bool_or(coalesce(l.posts, 0) * '7'::float8 / 7 >= '3')
	                        filter (where NULL::text is null or p.platform = NULL), false) as active
	        from pages p
	        left join page_latest l on l.region_id = '2' and l.page_id = p.id and l.week >= ('2026-11-28'::date + (current_date - '2026-11-28 14:20:55+00'::date))::date - 14
	        where p.region_id = '2' and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or p.organization_id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	        group by p.organization_id
	    )
	    select o.id, o.name, o.municipality_id,
	           coalesce(pf.has_page, false) as has_page,
	           coalesce(pf.platforms @> '{vk,ok}'::text[], false) as covered,
	           coalesce(pf.verified, false) as verified,
	           coalesce(pf.active, false) as active,
	           coalesce(pf.connected, false) as connected
	    from orgs o left join per_org pf on pf.organization_id = o.id)
	           select f.municipality_id, f.has_page, f.covered, f.verified, f.active, f.connected,
	                  coalesce(s.sector_ids, '{}') as sector_ids
	           from f left join (select os.organization_id, array_agg(os.sector_id) as sector_ids
	                             from organization_sectors os where os.region_id = '2'
	                             group by os.organization_id) s on s.organization_id = f.id;
select id, name from municipalities where region_id = '2' order by name;
select id, name from sectors where region_id = '2' order by position, name;
select q.received_at >= ('2026-11-21 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz)) as current,
	                  grouping(o.municipality_id, m.name) = 3 and grouping(q.category) = 1 as whole,
	                  grouping(o.municipality_id, m.name) = 0 as per_municipality,
	                  o.municipality_id as id, coalesce(m.name, q.category) as name, count(*) as received,
	    count(*) filter (where q.status not in ('rejected', 'duplicate')) as considered,
	    count(*) filter (where q.answered_at is not null) as answered,
	    percentile_cont(0.5) within group (order by q.first_response_minutes) as median_minutes,
	    percentile_cont(0.9) within group (order by q.first_response_minutes) as p90_minutes,
	    count(*) filter (where q.first_response_at is not null and q.first_response_at <= q.first_response_due) as on_time,
	    count(*) filter (where q.first_response_at is not null
	                     or (q.status in ('new', 'in_progress') and q.paused_at is null and q.first_response_due <= ('2026-11-28 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz)))) as on_time_base,
	    count(*) filter (where q.transfer_count > 0) as transferred,
	    count(*) filter (where q.reopen_count > 0) as reopened
	           from questions q
	           join organizations o on o.region_id = q.region_id and o.id = q.organization_id
	           left join municipalities m on m.region_id = q.region_id and m.id = o.municipality_id
	           where q.region_id = '2' and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or q.organization_id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	             and q.received_at >= ('2026-11-14 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz)) and q.received_at < ('2026-11-28 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz))
	             and (NULL::text is null or exists (select 1 from pages pp where pp.region_id = q.region_id
	                                              and pp.id = q.page_id and pp.platform = NULL))
	           group by grouping sets ((q.received_at >= ('2026-11-21 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz))), (q.received_at >= ('2026-11-21 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz)), o.municipality_id, m.name),
	                                   (q.received_at >= ('2026-11-21 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz)), q.category));
select o.id, o.name, count(*) as received,
	    count(*) filter (where q.status not in ('rejected', 'duplicate')) as considered,
	    count(*) filter (where q.answered_at is not null) as answered,
	    percentile_cont(0.5) within group (order by q.first_response_minutes) as median_minutes,
	    percentile_cont(0.9) within group (order by q.first_response_minutes) as p90_minutes,
	    count(*) filter (where q.first_response_at is not null and q.first_response_at <= q.first_response_due) as on_time,
	    count(*) filter (where q.first_response_at is not null
	                     or (q.status in ('new', 'in_progress') and q.paused_at is null and q.first_response_due <= ('2026-11-28 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz)))) as on_time_base,
	    count(*) filter (where q.transfer_count > 0) as transferred,
	    count(*) filter (where q.reopen_count > 0) as reopened
	           from questions q join organizations o on o.region_id = q.region_id and o.id = q.organization_id
	           where q.region_id = '2' and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or q.organization_id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	             and q.received_at >= ('2026-11-21 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz)) and q.received_at < ('2026-11-28 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz))
	             and (NULL::text is null or exists (select 1 from pages pp where pp.region_id = q.region_id
	                                              and pp.id = q.page_id and pp.platform = NULL))
	           group by o.id, o.name;
select count(*) from questions q where q.region_id = '2' and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or q.organization_id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	             and q.due_at <= ('2026-11-28 14:20:55.802075+00'::timestamptz + (now() - '2026-11-28 14:20:55+00'::timestamptz))
	             and (NULL::text is null or exists (select 1 from pages pp where pp.region_id = q.region_id
	                                              and pp.id = q.page_id and pp.platform = NULL));
select p.id, p.organization_id, o.name as organization_name, p.platform, p.url, p.title,
	       p.mark_status, p.mark_since, p.connected, p.category, p.has_avatar, p.has_cover, p.has_description,
	       p.has_contacts, p.widgets, p.comments_open, p.checklist
	    from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
	           where p.region_id = '2' and o.archived_at is null and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or o.id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	             and (NULL::text is null or p.platform = NULL);
select page_id, week, followers, posts, views, likes, comments, reposts, reach, last_post_on from page_latest
	           where region_id = '2' and (NULL::bigint[] is null or page_id = any(NULL));

	    with months as (
	        select generate_series(date_trunc('month', now() at time zone 'Europe/Moscow') - make_interval(months => '24'::int - 1),
	                               date_trunc('month', now() at time zone 'Europe/Moscow'), interval '1 month')::date as at
	    ), added as materialized (
	        select date_trunc('month', p.created_at at time zone 'Europe/Moscow')::date as at, count(*) as n
	        from pages p where p.region_id = '2' and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or p.organization_id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	          and (NULL::text is null or p.platform = NULL)
	        group by 1
	    )
	    select m.at, (select coalesce(sum(a.n), 0) from added a where a.at <= m.at)::float8 as value
	    from months m order by m.at;

	    with months as (
	        select generate_series(date_trunc('month', now() at time zone 'Europe/Moscow') - make_interval(months => '24'::int - 1),
	                               date_trunc('month', now() at time zone 'Europe/Moscow'), interval '1 month')::date as at
	    ), changes as materialized (
	        select date_trunc('month', e.happened_on)::date as at,
	               sum(case when e.status = 'granted' then 1 when e.from_status = 'granted' then -1 else 0 end) as n
	        from page_mark_events e join pages p on p.region_id = e.region_id and p.id = e.page_id
	        where e.region_id = '2' and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or p.organization_id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	          and (NULL::text is null or p.platform = NULL)
	        group by 1
	    )
	    select m.at, (select coalesce(sum(c.n), 0) from changes c where c.at <= m.at)::float8 as value
	    from months m order by m.at;

	    with weeks as (
	        select generate_series(date_trunc('week', now() at time zone 'Europe/Moscow') - make_interval(weeks => '26'::int - 1),
	                               date_trunc('week', now() at time zone 'Europe/Moscow'), interval '1 week')::date as at
	    )
	    select w.at, coalesce(s.received, 0)::float8 as received, s.median_first_response_minutes as median_minutes
	    from weeks w left join question_weeks s on s.region_id = '2' and s.municipality_id = '70' and s.week = w.at
	    order by w.at;
select m.id, m.name from municipalities m where m.region_id = '2'
	             and exists (select 1 from organizations o where o.region_id = '2' and o.municipality_id = m.id
	                         and (NULL::bigint[] is null or o.id = any(NULL)))
	           order by m.name;
select s.id, s.name from sectors s where s.region_id = '2'
	             and exists (select 1 from organization_sectors os where os.region_id = '2' and os.sector_id = s.id
	                         and (NULL::bigint[] is null or os.organization_id = any(NULL)))
	           order by s.position, s.name;
select exists (select 1 from organizations o where o.region_id = '2' and o.municipality_id is null
	                          and (NULL::bigint[] is null or o.id = any(NULL)));
commit;
\echo == municipality drill-down list
begin;
select s.id_hash, s.user_id, s.csrf_token, s.flash,
	                  s.last_seen_at < now() - make_interval(secs => '60') as stale
	           from sessions s
	           left join users u on u.id = s.user_id
	           where s.id_hash = '\xc21b7eb37180a073303756092e3c92786fcdc622ef2ef45a1e5247b544d28d7f'
	             and s.last_seen_at > now() - make_interval(secs => '7200')
	             and s.created_at > now() - make_interval(secs => '43200')
	             and (s.user_id is null or (u.disabled_at is null and u.password_changed_at <= s.created_at));
select id, slug, name, time_zone from regions where slug = 'moskovskaya-oblast';
select id, email, name, is_operator, locale from users where id = '3' and disabled_at is null;
select m.region_id, r.slug as region_slug, r.name as region_name, m.role,
	                  m.municipality_id, mu.name as municipality_name,
	                  m.organization_id, o.name as organization_name
	           from memberships m
	           join regions r on r.id = m.region_id
	           left join municipalities mu on mu.region_id = m.region_id and mu.id = m.municipality_id
	           left join organizations o on o.region_id = m.region_id and o.id = m.organization_id
	           where m.user_id = '3'
	           order by r.name, case m.role when 'admin' then 0 when 'coordinator' then 1 else 2 end,
	                    mu.name nulls first, o.name nulls first;
select set_config('role', 'gospublic_app', true), set_config('app.region_id', '2', true);
select required_platforms, optional_platforms, active_posts, active_days, dormant_days, first_response_hours, urgent_first_response_hours, final_answer_days, work_days, work_start, work_end, holidays, working_saturdays, weight_connected, weight_mark, weight_setup, weight_widgets, weight_activity, weight_reach, weight_post_reach, green_from, red_below, high_first_response_hours, urgent_final_answer_days, at_risk_percent, transfer_keeps_clock, contact_retention_days, question_categories, mark_stuck_days, quota_flagship, quota_active, quota_card, ranking_min_questions from region_settings where region_id = '2';
select m.name from municipalities m where m.region_id = '2' and m.id = '70'
	                     and (NULL::bigint[] is null or exists (select 1 from organizations o where o.region_id = '2'
	                          and o.municipality_id = m.id and o.id = any(NULL)));
select o.id from organizations o
	           where o.region_id = '2' and (NULL::bigint[] is null or o.id = any(NULL))
	             and ('70'::bigint is null or ('70' = 0 and o.municipality_id is null) or o.municipality_id = '70')
	             and (NULL::text is null or o.level = NULL)
	             and (NULL::bigint is null or exists (select 1 from organization_sectors os
	                                                where os.region_id = '2' and os.organization_id = o.id and os.sector_id = NULL));
with f as (
	    with orgs as (
	        select o.id, o.name, o.municipality_id from organizations o
	        where o.region_id = '2' and o.archived_at is null and not o.exempt
	          and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or o.id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	    ), per_org as (
	        select p.organization_id,
	               array_agg(distinct p.platform) as platforms,
	               count(*) filter (where NULL::text is null or p.platform = NULL) > 0 as has_page,
	               coalesce(bool_or(p.mark_status = 'granted') filter (where NULL::text is null or p.platform = NULL), false) as verified,
	               coalesce(bool_or(p.connected) filter (where NULL::text is null or p.platform = NULL), false) as connected,
	               coalesce(bool_or(coalesce(l.posts, 0) * '7'::float8 / 7 >= '3')
	                        filter (where NULL::text is null or p.platform = NULL), false) as active
	        from pages p
	        left join page_latest l on l.region_id = '2' and l.page_id = p.id and l.week >= ('2026-11-28'::date + (current_date - '2026-11-28 14:20:56+00'::date))::date - 14
	        where p.region_id = '2' and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or p.organization_id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	        group by p.organization_id
	    )
	    select o.id, o.name, o.municipality_id,
	           coalesce(pf.has_page, false) as has_page,
	           coalesce(pf.platforms @> '{vk,ok}'::text[], false) as covered,
	           coalesce(pf.verified, false) as verified,
	           coalesce(pf.active, false) as active,
	           coalesce(pf.connected, false) as connected
	    from orgs o left join per_org pf on pf.organization_id = o.id)
	           select f.id, f.name, m.name as municipality_name, f.has_page, f.covered, f.verified, f.active, f.connected
	           from f left join municipalities m on m.region_id = '2' and m.id = f.municipality_id
	           where not f.verified
	           order by f.name, f.id limit '50' offset '0';
with f as (
	    with orgs as (
	        select o.id, o.name, o.municipality_id from organizations o
	        where o.region_id = '2' and o.archived_at is null and not o.exempt
	          and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or o.id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	    ), per_org as (
	        select p.organization_id,
	               array_agg(distinct p.platform) as platforms,
	               count(*) filter (where NULL::text is null or p.platform = NULL) > 0 as has_page,
	               coalesce(bool_or(p.mark_status = 'granted') filter (where NULL::text is null or p.platform = NULL), false) as verified,
	               coalesce(bool_or(p.connected) filter (where NULL::text is null or p.platform = NULL), false) as connected,
	               coalesce(bool_or(coalesce(l.posts, 0) * '7'::float8 / 7 >= '3')
	                        filter (where NULL::text is null or p.platform = NULL), false) as active
	        from pages p
	        left join page_latest l on l.region_id = '2' and l.page_id = p.id and l.week >= ('2026-11-28'::date + (current_date - '2026-11-28 14:20:56+00'::date))::date - 14
	        where p.region_id = '2' and ('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'::bigint[] is null or p.organization_id = any('{701,901,1072,1353,1463,1501,1749,1825,1851,1912,1950,2126,2227,2256,2322,2349,2352,2444,2578,2658,2790,3001,3009}'))
	        group by p.organization_id
	    )
	    select o.id, o.name, o.municipality_id,
	           coalesce(pf.has_page, false) as has_page,
	           coalesce(pf.platforms @> '{vk,ok}'::text[], false) as covered,
	           coalesce(pf.verified, false) as verified,
	           coalesce(pf.active, false) as active,
	           coalesce(pf.connected, false) as connected
	    from orgs o left join per_org pf on pf.organization_id = o.id) select count(*) from f where not f.verified;
commit;
\echo == federal overview
begin;
select s.id_hash, s.user_id, s.csrf_token, s.flash,
	                  s.last_seen_at < now() - make_interval(secs => '60') as stale
	           from sessions s
	           left join users u on u.id = s.user_id
	           where s.id_hash = '\x3d8edee3c19125b5f60cb2c64c54399fa8b5b3842c943188fa84f5f379033a6e'
	             and s.last_seen_at > now() - make_interval(secs => '7200')
	             and s.created_at > now() - make_interval(secs => '43200')
	             and (s.user_id is null or (u.disabled_at is null and u.password_changed_at <= s.created_at));
select id, email, name, is_operator, locale from users where id = '1' and disabled_at is null;
select m.region_id, r.slug as region_slug, r.name as region_name, m.role,
	                  m.municipality_id, mu.name as municipality_name,
	                  m.organization_id, o.name as organization_name
	           from memberships m
	           join regions r on r.id = m.region_id
	           left join municipalities mu on mu.region_id = m.region_id and mu.id = m.municipality_id
	           left join organizations o on o.region_id = m.region_id and o.id = m.organization_id
	           where m.user_id = '1'
	           order by r.name, case m.role when 'admin' then 0 when 'coordinator' then 1 else 2 end,
	                    mu.name nulls first, o.name nulls first;
with per_org as (
	               select p.region_id, p.organization_id, array_agg(p.platform) as platforms,
	                      bool_or(p.mark_status = 'granted') as verified, bool_or(p.connected) as connected
	               from pages p group by p.region_id, p.organization_id
	           ), coverage as (
	               select o.region_id, count(*) as obliged, count(pf.organization_id) as with_page,
	                      count(*) filter (where pf.platforms @> coalesce(s.required_platforms, '{vk,ok}')) as covered,
	                      count(*) filter (where pf.verified) as verified,
	                      count(*) filter (where pf.connected) as connected
	               from organizations o
	               left join per_org pf on pf.region_id = o.region_id and pf.organization_id = o.id
	               left join region_settings s on s.region_id = o.region_id
	               where o.archived_at is null and not o.exempt
	               group by o.region_id
	           )
	           select r.id, r.name,
	                  coalesce(c.obliged, 0) as obliged, coalesce(c.with_page, 0) as with_page,
	                  coalesce(c.covered, 0) as covered, coalesce(c.verified, 0) as verified,
	                  coalesce(c.connected, 0) as connected,
	                  a.received, a.on_time,
	                  a.on_time_base, d.overdue
	           from regions r
	           left join coverage c on c.region_id = r.id
	           -- Per region, so each reads its own range of the received and due indexes.
	           cross join lateral (
	               select count(*) as received,
	                      count(*) filter (where q.first_response_at is not null
	                                       and q.first_response_at <= q.first_response_due) as on_time,
	                      count(*) filter (where q.first_response_at is not null
	                                       or (q.status in ('new', 'in_progress') and q.paused_at is null
	                                           and q.first_response_due <= ('2026-11-28 14:20:57.862917+00'::timestamptz + (now() - '2026-11-28 14:20:57+00'::timestamptz)))) as on_time_base
	               from questions q where q.region_id = r.id and q.received_at >= ('2026-11-21 14:20:57.862917+00'::timestamptz + (now() - '2026-11-28 14:20:57+00'::timestamptz))
	           ) a
	           -- An open question has a due time only while it is being worked on.
	           cross join lateral (
	               select count(*) as overdue from questions q where q.region_id = r.id and q.due_at <= ('2026-11-28 14:20:57.862917+00'::timestamptz + (now() - '2026-11-28 14:20:57+00'::timestamptz))
	           ) d
	           order by r.name;
commit;
\echo == coverage export (xlsx)
begin;
select s.id_hash, s.user_id, s.csrf_token, s.flash,
	                  s.last_seen_at < now() - make_interval(secs => '60') as stale
	           from sessions s
	           left join users u on u.id = s.user_id
	           where s.id_hash = '\xc21b7eb37180a073303756092e3c92786fcdc622ef2ef45a1e5247b544d28d7f'
	             and s.last_seen_at > now() - make_interval(secs => '7200')
	             and s.created_at > now() - make_interval(secs => '43200')
	             and (s.user_id is null or (u.disabled_at is null and u.password_changed_at <= s.created_at));
select id, slug, name, time_zone from regions where slug = 'moskovskaya-oblast';
select id, email, name, is_operator, locale from users where id = '3' and disabled_at is null;
select m.region_id, r.slug as region_slug, r.name as region_name, m.role,
	                  m.municipality_id, mu.name as municipality_name,
	                  m.organization_id, o.name as organization_name
	           from memberships m
	           join regions r on r.id = m.region_id
	           left join municipalities mu on mu.region_id = m.region_id and mu.id = m.municipality_id
	           left join organizations o on o.region_id = m.region_id and o.id = m.organization_id
	           where m.user_id = '3'
	           order by r.name, case m.role when 'admin' then 0 when 'coordinator' then 1 else 2 end,
	                    mu.name nulls first, o.name nulls first;
select set_config('role', 'gospublic_app', true), set_config('app.region_id', '2', true);
select required_platforms, optional_platforms, active_posts, active_days, dormant_days, first_response_hours, urgent_first_response_hours, final_answer_days, work_days, work_start, work_end, holidays, working_saturdays, weight_connected, weight_mark, weight_setup, weight_widgets, weight_activity, weight_reach, weight_post_reach, green_from, red_below, high_first_response_hours, urgent_final_answer_days, at_risk_percent, transfer_keeps_clock, contact_retention_days, question_categories, mark_stuck_days, quota_flagship, quota_active, quota_card, ranking_min_questions from region_settings where region_id = '2';
with f as (
	    with orgs as (
	        select o.id, o.name, o.municipality_id from organizations o
	        where o.region_id = '2' and o.archived_at is null and not o.exempt
	          and (NULL::bigint[] is null or o.id = any(NULL))
	    ), per_org as (
	        select p.organization_id,
	               array_agg(distinct p.platform) as platforms,
	               count(*) filter (where NULL::text is null or p.platform = NULL) > 0 as has_page,
	               coalesce(bool_or(p.mark_status = 'granted') filter (where NULL::text is null or p.platform = NULL), false) as verified,
	               coalesce(bool_or(p.connected) filter (where NULL::text is null or p.platform = NULL), false) as connected,
	               coalesce(bool_or(coalesce(l.posts, 0) * '7'::float8 / 7 >= '3')
	                        filter (where NULL::text is null or p.platform = NULL), false) as active
	        from pages p
	        left join page_latest l on l.region_id = '2' and l.page_id = p.id and l.week >= ('2026-11-28'::date + (current_date - '2026-11-28 14:20:58+00'::date))::date - 14
	        where p.region_id = '2' and (NULL::bigint[] is null or p.organization_id = any(NULL))
	        group by p.organization_id
	    )
	    select o.id, o.name, o.municipality_id,
	           coalesce(pf.has_page, false) as has_page,
	           coalesce(pf.platforms @> '{vk,ok}'::text[], false) as covered,
	           coalesce(pf.verified, false) as verified,
	           coalesce(pf.active, false) as active,
	           coalesce(pf.connected, false) as connected
	    from orgs o left join per_org pf on pf.organization_id = o.id)
	           select f.municipality_id, f.has_page, f.covered, f.verified, f.active, f.connected,
	                  coalesce(s.sector_ids, '{}') as sector_ids
	           from f left join (select os.organization_id, array_agg(os.sector_id) as sector_ids
	                             from organization_sectors os where os.region_id = '2'
	                             group by os.organization_id) s on s.organization_id = f.id;
select id, name from municipalities where region_id = '2' order by name;
select id, name from sectors where region_id = '2' order by position, name;
commit;
\echo == page export (xlsx)
begin;
select s.id_hash, s.user_id, s.csrf_token, s.flash,
	                  s.last_seen_at < now() - make_interval(secs => '60') as stale
	           from sessions s
	           left join users u on u.id = s.user_id
	           where s.id_hash = '\xc21b7eb37180a073303756092e3c92786fcdc622ef2ef45a1e5247b544d28d7f'
	             and s.last_seen_at > now() - make_interval(secs => '7200')
	             and s.created_at > now() - make_interval(secs => '43200')
	             and (s.user_id is null or (u.disabled_at is null and u.password_changed_at <= s.created_at));
select id, slug, name, time_zone from regions where slug = 'moskovskaya-oblast';
select id, email, name, is_operator, locale from users where id = '3' and disabled_at is null;
select m.region_id, r.slug as region_slug, r.name as region_name, m.role,
	                  m.municipality_id, mu.name as municipality_name,
	                  m.organization_id, o.name as organization_name
	           from memberships m
	           join regions r on r.id = m.region_id
	           left join municipalities mu on mu.region_id = m.region_id and mu.id = m.municipality_id
	           left join organizations o on o.region_id = m.region_id and o.id = m.organization_id
	           where m.user_id = '3'
	           order by r.name, case m.role when 'admin' then 0 when 'coordinator' then 1 else 2 end,
	                    mu.name nulls first, o.name nulls first;
select set_config('role', 'gospublic_app', true), set_config('app.region_id', '2', true);
select required_platforms, optional_platforms, active_posts, active_days, dormant_days, first_response_hours, urgent_first_response_hours, final_answer_days, work_days, work_start, work_end, holidays, working_saturdays, weight_connected, weight_mark, weight_setup, weight_widgets, weight_activity, weight_reach, weight_post_reach, green_from, red_below, high_first_response_hours, urgent_final_answer_days, at_risk_percent, transfer_keeps_clock, contact_retention_days, question_categories, mark_stuck_days, quota_flagship, quota_active, quota_card, ranking_min_questions from region_settings where region_id = '2';
select p.id, p.organization_id, o.name as organization_name, p.platform, p.url, p.title,
	       p.mark_status, p.mark_since, p.connected, p.category, p.has_avatar, p.has_cover, p.has_description,
	       p.has_contacts, p.widgets, p.comments_open, p.checklist
	    from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
	           where p.region_id = '2' and o.archived_at is null and (NULL::bigint[] is null or o.id = any(NULL))
	             and (NULL::text is null or p.platform = NULL);
select page_id, week, followers, posts, views, likes, comments, reposts, reach, last_post_on from page_latest
	           where region_id = '2' and (NULL::bigint[] is null or page_id = any(NULL));
select o.id, m.name, o.inn from organizations o
	           left join municipalities m on m.region_id = o.region_id and m.id = o.municipality_id
	           where o.region_id = '2' and (NULL::bigint[] is null or o.id = any(NULL));
select page_id, week, followers, posts, views, likes, comments, reposts, reach, last_post_on from page_latest
	           where region_id = '2' and (NULL::bigint[] is null or page_id = any(NULL));
commit;
