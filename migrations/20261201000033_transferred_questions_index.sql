-- The inbox counts the questions passed on from the member's organizations to others. Under
-- row-level security the planner may not use the array index for that (array overlap is not
-- leakproof), so it read every question of the region: 74 ms for a region of 62,000
-- questions. The questions ever transferred are a few percent of them; this index holds just
-- those, with what the count filters on.
create index questions_transferred_idx on questions (region_id)
    include (organization_id, previous_organization_ids)
    where transfer_count > 0;
