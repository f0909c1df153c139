-- Every bulk import: who, when, which file, what it found and what it did. The file is kept
-- so the admin can commit exactly what they previewed.
create table imports (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    kind text not null constraint imports_kind_known check (kind in ('organizations', 'pages')),
    file_name text not null,
    file_bytes bytea,
    user_id bigint references users (id),
    status text not null constraint imports_status_known check (status in ('previewed', 'committed', 'refused')),
    row_count integer not null default 0,
    created_count integer not null default 0,
    updated_count integer not null default 0,
    unchanged_count integer not null default 0,
    error_count integer not null default 0,
    errors jsonb not null default '[]'::jsonb,
    created_at timestamptz not null default now(),
    committed_at timestamptz,
    constraint imports_region_id_key unique (region_id, id)
);
create index imports_region_idx on imports (region_id, created_at desc);

alter table imports enable row level security;
create policy imports_tenant on imports
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
grant select, insert, update on imports to gospublic_app;
