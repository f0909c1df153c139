-- What an admin said a column of the region's files means, remembered for the region's next
-- upload of the same kind: a field's code, or 'ignore' for a column left out on purpose.
create table import_column_maps (
    region_id bigint not null references regions (id),
    kind text not null,
    -- The header as `import::columns::normalize` reduces it: spelling variants share a row.
    header_key text not null,
    target text not null,
    updated_at timestamptz not null default now(),
    primary key (region_id, kind, header_key)
);
grant select, insert, update, delete on import_column_maps to gospublic_app;
alter table import_column_maps enable row level security;
create policy import_column_maps_tenant on import_column_maps
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);

-- What a value the region's files write means in one of its dictionaries: «Спорт» is the
-- sector «Физическая культура и спорт». Mapped once, it holds for every later row and file.
create table import_value_maps (
    region_id bigint not null references regions (id),
    field text not null constraint import_value_maps_field_known check (field in ('sector', 'municipality')),
    value_key text not null,
    -- A sector's or a municipality's id; a map whose target is gone is ignored, not followed.
    target_id bigint not null,
    updated_at timestamptz not null default now(),
    primary key (region_id, field, value_key)
);
grant select, insert, update, delete on import_value_maps to gospublic_app;
alter table import_value_maps enable row level security;
create policy import_value_maps_tenant on import_value_maps
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);

-- A report keeps its first problems and a count per kind, not every problem of a broken
-- file: the list of imports reads neither.
alter table imports add column problem_groups jsonb not null default '[]'::jsonb;
-- The headers of the file no field claimed yet, for the mapping form.
alter table imports add column unknown_columns jsonb not null default '[]'::jsonb;
alter table imports drop constraint imports_kind_known;
alter table imports add constraint imports_kind_known
    check (kind in ('organizations', 'pages', 'activity', 'municipalities'));
-- A preview that was never committed may be thrown away: its file and report go, its record
-- stays in the history (the audit log links to it).
alter table imports drop constraint imports_status_known;
alter table imports add constraint imports_status_known
    check (status in ('previewed', 'committed', 'refused', 'deleted'));
