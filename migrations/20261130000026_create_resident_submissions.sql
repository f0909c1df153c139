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
    -- The language the resident asked in: their letters are written in it.
    locale text not null default 'ru',
    foreign key (region_id, question_id) references questions (region_id, id) on delete cascade
);

grant select, insert, update, delete on resident_submissions to gospublic_app;
alter table resident_submissions enable row level security;
create policy resident_submissions_tenant on resident_submissions
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);

-- What the organization made public on a question from the site, to be mailed to the
-- resident when they gave an e-mail: written in the answer's transaction, sent by a worker.
create table resident_letters (
    region_id bigint not null,
    id bigint generated always as identity primary key,
    question_id bigint not null,
    kind text not null constraint resident_letters_kind_known check (kind in ('interim', 'final', 'request')),
    body text not null,
    created_at timestamptz not null default now(),
    -- A worker holds the letter until then; a failed one waits until then to be tried again.
    next_attempt_at timestamptz not null default now(),
    attempts integer not null default 0,
    last_error text,
    sent_at timestamptz,
    foreign key (region_id, question_id) references questions (region_id, id) on delete cascade
);
create index resident_letters_due on resident_letters (next_attempt_at) where sent_at is null;
grant select, insert, update, delete on resident_letters to gospublic_app;
alter table resident_letters enable row level security;
create policy resident_letters_tenant on resident_letters
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
