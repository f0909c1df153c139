-- Official-status marks with their dated history, how a page is set up, and its weekly
-- activity figures.

alter table region_settings
    add column mark_stuck_days integer not null default 30
        constraint region_settings_mark_stuck check (mark_stuck_days between 1 and 365),
    -- Posts a week each page category is expected to publish.
    add column quota_flagship integer not null default 7
        constraint region_settings_quota_flagship check (quota_flagship between 0 and 100),
    add column quota_active integer not null default 3
        constraint region_settings_quota_active check (quota_active between 0 and 100),
    add column quota_card integer not null default 1
        constraint region_settings_quota_card check (quota_card between 0 and 100);

-- Setup fields are null until someone records them: the score then says "unknown".
alter table pages
    add column category text not null default 'active'
        constraint pages_category_known check (category in ('flagship', 'active', 'card')),
    add column has_avatar boolean,
    add column has_cover boolean,
    add column has_description boolean,
    add column has_contacts boolean,
    add column widgets smallint constraint pages_widgets_range check (widgets between 0 and 2),
    add column comments_open boolean,
    -- The verification checklist items the editor has ticked.
    add column checklist text[] not null default '{}',
    -- The date the current mark status came into effect (not when it was typed).
    add column mark_since date;

create table page_mark_events (
    region_id bigint not null,
    id bigint generated always as identity primary key,
    page_id bigint not null,
    from_status text not null,
    status text not null constraint page_mark_events_status_known
        check (status in ('none', 'requested', 'granted', 'rejected', 'revoked')),
    happened_on date not null,
    recorded_by bigint references users (id),
    -- A correction by an admin or coordinator outside the usual transitions.
    correction boolean not null default false,
    note text,
    evidence_url text,
    confirmed_by bigint references users (id),
    confirmed_at timestamptz,
    created_at timestamptz not null default now(),
    foreign key (region_id, page_id) references pages (region_id, id) on delete cascade
);
create index page_mark_events_page_idx on page_mark_events (region_id, page_id, happened_on, id);

create table page_snapshots (
    region_id bigint not null,
    page_id bigint not null,
    -- The Monday of the week the figures describe.
    week date not null constraint page_snapshots_week_monday check (extract(isodow from week) = 1),
    followers integer constraint page_snapshots_followers check (followers >= 0),
    posts integer constraint page_snapshots_posts check (posts >= 0),
    views bigint constraint page_snapshots_views check (views >= 0),
    likes integer constraint page_snapshots_likes check (likes >= 0),
    comments integer constraint page_snapshots_comments check (comments >= 0),
    reposts integer constraint page_snapshots_reposts check (reposts >= 0),
    reach bigint constraint page_snapshots_reach check (reach >= 0),
    last_post_on date,
    source text not null constraint page_snapshots_source_known check (source in ('upload', 'api', 'manual')),
    entered_by bigint references users (id),
    import_id bigint,
    updated_at timestamptz not null default now(),
    primary key (page_id, week),
    foreign key (region_id, page_id) references pages (region_id, id) on delete cascade
);
create index page_snapshots_region_week_idx on page_snapshots (region_id, week);

alter table imports drop constraint imports_kind_known;
alter table imports add constraint imports_kind_known check (kind in ('organizations', 'pages', 'activity'));

grant select, insert, update, delete on page_mark_events, page_snapshots to gospublic_app;
grant usage, select on all sequences in schema public to gospublic_app;

do $$
declare
    t text;
begin
    foreach t in array array['page_mark_events', 'page_snapshots']
    loop
        execute format('alter table %I enable row level security', t);
        execute format(
            'create policy %I on %I using (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint) '
            'with check (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint)',
            t || '_tenant', t);
    end loop;
end
$$;
