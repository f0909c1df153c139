-- The inbox finds questions by the words of their text in Russian word forms («ё» read as
-- «е»), through an index that starts with the region and the organization, instead of
-- reading every text in the scope. Adding the stored column rewrites the table once.
alter table questions add column search_words tsvector generated always as
    (to_tsvector('russian', replace(lower(body), 'ё', 'е'))) stored;
create index questions_search_words on questions using gin (region_id, organization_id, search_words);
