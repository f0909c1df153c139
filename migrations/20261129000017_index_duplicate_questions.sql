-- A question marked as another's duplicate points at it; without an index every deleted
-- question made PostgreSQL read the whole table for duplicates of it (20,000 deletions took
-- 170 s in bench/trigger-bench.sh). Few questions are duplicates: a partial index.
create index questions_duplicate_of_idx on questions (region_id, duplicate_of) where duplicate_of is not null;
