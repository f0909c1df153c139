-- Figures the platforms give every day, fetched by the collector for connected pages: when each
-- page was last collected, and why it failed when it did. Claimed with a lease, so several
-- servers share the pages and none is collected twice in a day.
create table page_collection (
    page_id bigint primary key,
    region_id bigint not null references regions (id),
    collected_on date,
    last_success_at timestamptz,
    last_error text,
    failed_at timestamptz,
    -- The week already had figures someone typed or uploaded: they were kept.
    kept_existing boolean not null default false,
    next_attempt_at timestamptz not null default now(),
    claimed_until timestamptz,
    foreign key (region_id, page_id) references pages (region_id, id) on delete cascade
);

grant select, insert, update on page_collection to gospublic_app;
alter table page_collection enable row level security;
create policy page_collection_tenant on page_collection
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);

alter table page_snapshots drop constraint page_snapshots_source_known;
alter table page_snapshots add constraint page_snapshots_source_known
    check (source in ('upload', 'api', 'manual', 'collected'));
