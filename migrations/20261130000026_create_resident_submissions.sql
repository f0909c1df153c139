-- Questions residents ask on the public site: the consent they gave, the private link they
-- follow their question by, and the limits that keep the form from being flooded.

-- When the visitor's question form was last shown: a submission sooner than a person can type
-- is refused. Kept with the session, so every app instance sees it and no signed field can be
-- replayed.
alter table sessions add column form_started_at timestamptz;

create table resident_submissions (
    region_id bigint not null references regions (id),
    question_id bigint primary key,
    -- The consent to the processing of personal data (152-ФЗ) word for word as it was shown,
    -- in the language it was shown in, and when it was given.
    consent_text text not null,
    consent_at timestamptz not null,
    -- SHA-256 of the status link's token: the token itself is shown only to the resident.
    status_token_hash bytea not null constraint resident_submissions_token_key unique,
    link_revoked_at timestamptz,
    foreign key (region_id, question_id) references questions (region_id, id) on delete cascade
);

grant select, insert, update, delete on resident_submissions to gospublic_app;
alter table resident_submissions enable row level security;
create policy resident_submissions_tenant on resident_submissions
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);

-- Submissions per client address and per resident's contact in a fixed window, shared by
-- every app instance. Keys are hashes: the table holds no address or contact in clear.
create table submission_limits (
    key text primary key,
    hits integer not null,
    window_started_at timestamptz not null
);
grant select, insert, update, delete on submission_limits to gospublic_app;
