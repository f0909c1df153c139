-- The public directory: an organization's contacts for its public card, and what residents
-- search it by. `search_text` is the name, short name and address in lower case with «ё» read
-- as «е»; `search_words` its Russian word forms. Full text search (word forms, prefixes) reads
-- the words, trigram similarity (typos) the text, each through an index that starts with the
-- region, so a region's search reads only its region's entries.
create extension if not exists pg_trgm;
create extension if not exists btree_gin;

alter table organizations
    add column address text constraint organizations_address_length check (length(address) <= 500),
    add column phone text constraint organizations_phone_length check (length(phone) <= 100),
    add column email text constraint organizations_email_length check (length(email) <= 254),
    add column website text constraint organizations_website_length check (length(website) <= 500),
    add column search_text text generated always as (
        lower(translate(name || ' ' || coalesce(short_name, '') || ' ' || coalesce(address, ''), 'Ёё', 'Ее'))
    ) stored;
-- A generated column cannot read another, so the words repeat the text's expression.
alter table organizations
    add column search_words tsvector generated always as (to_tsvector('russian',
        lower(translate(name || ' ' || coalesce(short_name, '') || ' ' || coalesce(address, ''), 'Ёё', 'Ее'))
    )) stored;

create index organizations_search_words on organizations
    using gin (region_id, search_words) where archived_at is null;
create index organizations_search_trigrams on organizations
    using gin (region_id, search_text gin_trgm_ops) where archived_at is null;
-- The public card and the check read verified pages by organization and by address.
create index pages_verified_by_organization on pages (region_id, organization_id) where mark_status = 'granted';
