-- The inbox lists what is due first, the newest first among equal due times, and so among the
-- closed questions, which have none. Ending the due-time indexes with the time received lets a
-- page be read in that order and stop after fifty, instead of sorting every closed question of
-- the organization (4,743 over three years for the busiest one of the national data set).
drop index questions_org_due_idx;
create index questions_org_due_idx on questions (region_id, organization_id, due_at, received_at desc, id desc);
drop index questions_region_due_idx;
create index questions_region_due_idx on questions (region_id, due_at, received_at desc, id desc);
