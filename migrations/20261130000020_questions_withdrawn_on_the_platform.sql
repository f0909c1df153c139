-- A resident who deletes their comment on the platform withdraws the question: it leaves the
-- inbox and the clocks, and it is not counted as a question the organization failed to answer.
alter table questions drop constraint questions_status_known;
alter table questions add constraint questions_status_known
    check (status in ('new', 'in_progress', 'answered', 'closed', 'rejected', 'duplicate', 'withdrawn'));
