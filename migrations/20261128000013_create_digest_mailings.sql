-- One row per region and week whose Monday digest has gone out: the row is the claim, so
-- several servers sending at once send each region's digest once.
create table digest_mailings (
    region_id bigint not null references regions (id),
    -- The Monday of the week, in the region's time zone.
    week date not null,
    recipients integer not null default 0,
    sent_at timestamptz not null default now(),
    primary key (region_id, week)
);
grant select, insert, update on digest_mailings to gospublic_app;
alter table digest_mailings enable row level security;
create policy digest_mailings_tenant on digest_mailings
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
