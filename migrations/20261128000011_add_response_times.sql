-- Working minutes a question waited for its first response and for its final answer, less
-- the time it waited on the resident. Computed in the region's calendar when the response is
-- given, in the same transaction, so the monitoring medians are plain SQL.
alter table questions
    add column first_response_minutes integer constraint questions_first_response_minutes check (first_response_minutes >= 0),
    add column answer_minutes integer constraint questions_answer_minutes check (answer_minutes >= 0);
create index questions_received_idx on questions (region_id, received_at);

-- Rankings by responsiveness skip organizations and municipalities with fewer questions.
alter table region_settings
    add column ranking_min_questions integer not null default 10
        constraint region_settings_ranking_min check (ranking_min_questions between 1 and 10000);
