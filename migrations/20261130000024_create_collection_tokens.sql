-- A region's VK read token (a service key of the region's VK app): with it the collector
-- reads followers and posts of every VK page of the region, connected or not, since those
-- figures are public. One per region, sealed with the installation key like page tokens.
create table collection_tokens (
    region_id bigint primary key references regions (id),
    token_sealed bytea not null,
    -- The token's last characters, so the screen can say which one is kept.
    token_tail text not null,
    set_by bigint references users (id) on delete set null,
    set_at timestamptz not null default now(),
    failing_since timestamptz,
    failure text
);

grant select, insert, update, delete on collection_tokens to gospublic_app;
alter table collection_tokens enable row level security;
create policy collection_tokens_tenant on collection_tokens
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);

-- Pages collected with the region's token have no connection: the claim finds them by platform.
create index pages_vk_by_region on pages (region_id) where platform = 'vk';
