-- A page connected to its platform, so residents' comments and messages arrive as questions.
-- The webhook address carries `hook_token`, which names the connection without the region.
-- A secret the platform sends back (VK's secret key, the Telegram webhook secret) is only
-- ever compared: its SHA-256 is kept. A token used to call the platform is sealed with the
-- installation's key (GOSPUBLIC_SECRET_KEY, see src/channels/secrets.rs).
create table channel_connections (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    page_id bigint not null,
    platform text not null constraint channel_connections_platform_known
        check (platform in ('vk', 'telegram', 'max')),
    hook_token text not null constraint channel_connections_hook_token_key unique,
    -- VK: the community's id and the string its Callback API expects back on confirmation.
    group_id bigint,
    confirmation text,
    secret_hash bytea,
    token_sealed bytea,
    -- The event types that become questions.
    events text[] not null default '{}',
    created_by bigint references users (id),
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    last_event_at timestamptz,
    failing_since timestamptz,
    failure text,
    constraint channel_connections_region_id_key unique (region_id, id),
    foreign key (region_id, page_id) references pages (region_id, id) on delete cascade
);
-- One live connection per page and platform.
create unique index channel_connections_live_key on channel_connections (page_id, platform)
    where revoked_at is null;

-- Every event a platform delivered, as it came: written and acknowledged at once, turned into
-- a question right after by a worker. The platform's own id for the event makes a redelivery
-- a no-op.
create table channel_events (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    connection_id bigint not null,
    event_key text not null,
    kind text not null,
    payload jsonb not null,
    received_at timestamptz not null default now(),
    -- null until the worker has dealt with it (made a question, or decided it makes none).
    processed_at timestamptz,
    outcome text,
    question_id bigint,
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    claimed_until timestamptz,
    error text,
    constraint channel_events_key unique (connection_id, event_key),
    foreign key (region_id, connection_id) references channel_connections (region_id, id) on delete cascade
);
create index channel_events_pending_idx on channel_events (next_attempt_at) where processed_at is null;

grant select, insert, update on channel_connections, channel_events to gospublic_app;
alter table channel_connections enable row level security;
create policy channel_connections_tenant on channel_connections
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
alter table channel_events enable row level security;
create policy channel_events_tenant on channel_events
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);

-- Where a question can be read on its platform: the comment, the discussion post, the
-- conversation.
alter table questions add column source_url text;
