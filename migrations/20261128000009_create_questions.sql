-- Citizen questions and the rules that time them.

-- Deadlines per priority, the at-risk threshold, what a transfer does to the clock, how long
-- residents' contacts are kept after a question is closed, and the region's categories.
alter table region_settings
    add column high_first_response_hours integer not null default 9
        constraint region_settings_high_response check (high_first_response_hours between 1 and 240),
    add column urgent_final_answer_days integer not null default 7
        constraint region_settings_urgent_final check (urgent_final_answer_days between 1 and 60),
    add column at_risk_percent integer not null default 80
        constraint region_settings_at_risk check (at_risk_percent between 10 and 99),
    add column transfer_keeps_clock boolean not null default false,
    add column contact_retention_days integer not null default 365
        constraint region_settings_retention check (contact_retention_days between 1 and 3650),
    add column question_categories text[] not null default
        '{ЖКХ,Благоустройство,Дороги,Здравоохранение,Образование,Социальная защита,Транспорт,Культура и спорт,Безопасность,Другое}';

-- Answer approval: the head of an organization approves answers before they are published.
alter table organizations add column answer_approval boolean not null default false;

alter table memberships drop constraint memberships_role_known;
alter table memberships add constraint memberships_role_known
    check (role in ('admin', 'coordinator', 'editor', 'head'));
alter table memberships drop constraint memberships_scope_fits_role;
alter table memberships add constraint memberships_scope_fits_role check (
    (role = 'admin' and municipality_id is null and organization_id is null)
    or (role = 'coordinator' and (municipality_id is null or organization_id is null))
    or (role in ('editor', 'head') and municipality_id is null and organization_id is not null)
);
alter table invitations drop constraint invitations_role_known;
alter table invitations add constraint invitations_role_known
    check (role in ('admin', 'coordinator', 'editor', 'head'));

create table questions (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    organization_id bigint not null,
    page_id bigint,
    channel text not null constraint questions_channel_known
        check (channel in ('comment', 'message', 'form', 'api', 'manual')),
    external_id text,
    author_name text,
    author_contact text,
    body text not null constraint questions_body_present check (length(btrim(body)) > 0),
    attachments text[] not null default '{}',
    category text not null,
    priority text not null default 'normal' constraint questions_priority_known
        check (priority in ('normal', 'high', 'urgent')),
    status text not null default 'new' constraint questions_status_known
        check (status in ('new', 'in_progress', 'answered', 'closed', 'rejected', 'duplicate')),
    assignee_id bigint references users (id),
    received_at timestamptz not null,
    -- The clocks. Each "risk" instant is when the region's share of the allowed working time
    -- is used up; pausing moves all four by the working time spent waiting.
    first_response_due timestamptz not null,
    first_response_risk timestamptz not null,
    final_due timestamptz not null,
    final_risk timestamptz not null,
    first_response_at timestamptz,
    answered_at timestamptz,
    closed_at timestamptz,
    paused_at timestamptz,
    paused_minutes integer not null default 0,
    answer text,
    answered_by bigint references users (id),
    draft_answer text,
    draft_kind text constraint questions_draft_kind_known check (draft_kind in ('interim', 'final')),
    draft_by bigint references users (id),
    draft_returned_comment text,
    -- Bumped by every change to the answer or its draft: two people answering at once are
    -- told instead of silently overwriting each other.
    answer_rev integer not null default 0,
    resolution_reason text constraint questions_resolution_known
        check (resolution_reason in ('spam', 'abuse', 'off_topic')),
    resolution_comment text,
    duplicate_of bigint,
    reopen_count integer not null default 0,
    transfer_count integer not null default 0,
    previous_organization_ids bigint[] not null default '{}',
    overdue_notified_at timestamptz,
    contacts_erased_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- What the inbox sorts by: the next deadline of an open question, none while it waits
    -- on the resident or once it is answered.
    due_at timestamptz generated always as (
        case when status in ('new', 'in_progress') and paused_at is null then
            case when first_response_at is null then least(first_response_due, final_due) else final_due end
        end) stored,
    risk_at timestamptz generated always as (
        case when status in ('new', 'in_progress') and paused_at is null then
            case when first_response_at is null then least(first_response_risk, final_risk) else final_risk end
        end) stored,
    awaiting_approval boolean generated always as
        (draft_answer is not null and draft_returned_comment is null) stored,
    constraint questions_region_id_key unique (region_id, id),
    -- The same message from the same page never becomes two questions.
    constraint questions_external_key unique (page_id, channel, external_id),
    foreign key (region_id, organization_id) references organizations (region_id, id),
    foreign key (region_id, page_id) references pages (region_id, id),
    foreign key (region_id, duplicate_of) references questions (region_id, id),
    constraint questions_duplicate_has_original check ((status = 'duplicate') = (duplicate_of is not null)),
    constraint questions_rejection_has_reason check (status <> 'rejected' or resolution_reason is not null)
);
create index questions_org_due_idx on questions (region_id, organization_id, due_at, id);
create index questions_region_due_idx on questions (region_id, due_at, id);
create index questions_org_status_idx on questions (region_id, organization_id, status);
-- The inbox counts read only questions still being worked on or just answered.
create index questions_active_idx on questions (region_id, organization_id)
    include (status, due_at, risk_at, assignee_id, paused_at, awaiting_approval)
    where status in ('new', 'in_progress', 'answered');
create index questions_assignee_idx on questions (region_id, assignee_id) where assignee_id is not null;
-- "Transferred away" lists: few questions are ever transferred, so only those are indexed.
create index questions_previous_org_idx on questions using gin (previous_organization_ids)
    where transfer_count > 0;
create index questions_overdue_unnotified_idx on questions (due_at) where overdue_notified_at is null;
create index questions_closed_contacts_idx on questions (region_id, closed_at)
    where contacts_erased_at is null and author_contact is not null;

-- One timeline of everything that happened to a question.
create table question_events (
    region_id bigint not null,
    id bigint generated always as identity primary key,
    question_id bigint not null,
    at timestamptz not null default now(),
    actor_id bigint references users (id),
    kind text not null constraint question_events_kind_known check (kind in (
        'received', 'assigned', 'note', 'interim', 'draft', 'approved', 'returned', 'answered',
        'paused', 'resumed', 'transferred', 'rejected', 'duplicate', 'closed', 'reopened', 'escalated')),
    from_status text,
    to_status text,
    -- Residents see only public events (answers); notes and everything else stay internal.
    public boolean not null default false,
    body text,
    details jsonb not null default '{}'::jsonb,
    foreign key (region_id, question_id) references questions (region_id, id) on delete cascade
);
create index question_events_question_idx on question_events (region_id, question_id, at, id);

create table answer_templates (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    -- None: the region's template, offered to every organization.
    organization_id bigint,
    title text not null constraint answer_templates_title_present check (length(btrim(title)) > 0),
    body text not null constraint answer_templates_body_present check (length(btrim(body)) > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint answer_templates_region_id_key unique (region_id, id),
    constraint answer_templates_title_key unique nulls not distinct (region_id, organization_id, title),
    foreign key (region_id, organization_id) references organizations (region_id, id) on delete cascade
);

grant select, insert, update, delete on questions, question_events, answer_templates to gospublic_app;
grant usage, select on all sequences in schema public to gospublic_app;

do $$
declare
    t text;
begin
    foreach t in array array['questions', 'question_events', 'answer_templates']
    loop
        execute format('alter table %I enable row level security', t);
        execute format(
            'create policy %I on %I using (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint) '
            'with check (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint)',
            t || '_tenant', t);
    end loop;
end
$$;
