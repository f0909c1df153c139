-- The public directory: an organization's contacts for its public card, and what residents
-- search it by. `search_text` is the name, short name and address in lower case with «ё» read
-- as «е»; `search_words` its Russian word forms. Full text search (word forms, prefixes) reads
-- the words through an index that starts with the region; typos are corrected against the
-- dictionary of every word searched by.
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

-- Every word residents can search by, once: a typo is corrected against these words by
-- trigram similarity (a small list), then searched as words, instead of comparing the typed
-- phrase with every organization's text. Words are only added; a stale one suggests a
-- correction that finds nothing.
create table search_dictionary (
    word text primary key
);
create index search_dictionary_trigrams on search_dictionary using gist (word gist_trgm_ops);
grant select, insert on search_dictionary to gospublic_app;

create function search_dictionary_add() returns trigger language plpgsql as $$
begin
    insert into search_dictionary (word)
    select distinct w from changed, unnest(regexp_split_to_array(changed.search_text, '[^[:alnum:]]+')) w
    where length(w) >= 4
    on conflict do nothing;
    return null;
end $$;
create trigger organizations_words_insert after insert on organizations
    referencing new table as changed for each statement execute function search_dictionary_add();
create trigger organizations_words_update after update on organizations
    referencing new table as changed for each statement execute function search_dictionary_add();
-- The public card and the check read verified pages by organization and by address.
create index pages_verified_by_organization on pages (region_id, organization_id) where mark_status = 'granted';
