-- The rules a region sets for itself. Defaults follow common regional practice: VK and OK
-- required (распоряжение 2523-р), active = 3 posts in 7 days, dormant after 30 days, first
-- response within 9 working hours (4 when urgent), final answer within 7 working days.
create table region_settings (
    region_id bigint primary key references regions (id),
    required_platforms text[] not null default '{vk,ok}',
    optional_platforms text[] not null default '{telegram,max}',
    active_posts integer not null default 3 constraint region_settings_active_posts check (active_posts between 1 and 100),
    active_days integer not null default 7 constraint region_settings_active_days check (active_days between 1 and 90),
    dormant_days integer not null default 30 constraint region_settings_dormant_days check (dormant_days between 1 and 365),
    first_response_hours integer not null default 9 constraint region_settings_first_response check (first_response_hours between 1 and 240),
    urgent_first_response_hours integer not null default 4 constraint region_settings_urgent_response check (urgent_first_response_hours between 1 and 240),
    final_answer_days integer not null default 7 constraint region_settings_final_answer check (final_answer_days between 1 and 60),
    work_days smallint[] not null default '{1,2,3,4,5}',
    work_start time not null default '09:00',
    work_end time not null default '18:00',
    holidays date[] not null default '{}',
    working_saturdays date[] not null default '{}',
    weight_connected integer not null default 10,
    weight_mark integer not null default 10,
    weight_setup integer not null default 20,
    weight_widgets integer not null default 10,
    weight_activity integer not null default 30,
    weight_reach integer not null default 10,
    weight_post_reach integer not null default 5,
    green_from integer not null default 80,
    red_below integer not null default 50,
    updated_at timestamptz not null default now(),
    constraint region_settings_working_hours check (work_start < work_end),
    constraint region_settings_thresholds check (0 <= red_below and red_below <= green_from and green_from <= 100)
);
insert into region_settings (region_id) select id from regions on conflict do nothing;

alter table region_settings enable row level security;
create policy region_settings_tenant on region_settings
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
grant select, insert, update on region_settings to gospublic_app;
