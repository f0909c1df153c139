-- Failed sign-ins per account and per client address, shared by every app instance.
create table login_throttle (
    key text primary key,
    failures integer not null default 0,
    window_started_at timestamptz not null default now(),
    locked_until timestamptz
);

-- Single-use, expiring password reset links an admin hands to a member of their region.
create table password_resets (
    id bigint generated always as identity primary key,
    region_id bigint not null references regions (id),
    user_id bigint not null references users (id) on delete cascade,
    token_hash bytea not null constraint password_resets_token_key unique,
    created_by bigint references users (id),
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
);
create index password_resets_user_idx on password_resets (user_id);
