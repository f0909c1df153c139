-- Tokens the region's other systems call the API with. The token is shown once and kept as
-- its SHA-256; `prefix` (its first characters) tells tokens apart in the list.
create table api_tokens (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    name text not null constraint api_tokens_name_present check (length(btrim(name)) between 1 and 200),
    scopes text[] not null constraint api_tokens_scopes_known check (
        cardinality(scopes) > 0 and scopes <@ array['questions:write', 'questions:read', 'registry:read',
                                                   'figures:write', 'figures:read']),
    token_hash bytea not null constraint api_tokens_hash_key unique,
    prefix text not null,
    expires_at timestamptz,
    created_by bigint references users (id),
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    constraint api_tokens_region_id_key unique (region_id, id)
);
create index api_tokens_region_idx on api_tokens (region_id, id);

-- Requests per token and minute, so the limit holds across every instance.
create table api_rate (
    token_id bigint not null references api_tokens (id) on delete cascade,
    minute timestamptz not null,
    requests integer not null,
    primary key (token_id, minute)
);

grant select, insert, update on api_tokens to gospublic_app;
alter table api_tokens enable row level security;
create policy api_tokens_tenant on api_tokens
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);

-- Systems that mirror the registry and the questions read them oldest change first.
create index organizations_updated_idx on organizations (region_id, updated_at, id);
create index pages_updated_idx on pages (region_id, updated_at, id);
create index questions_updated_idx on questions (region_id, updated_at, id);
