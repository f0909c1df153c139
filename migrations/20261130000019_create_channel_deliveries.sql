-- Answers going back to where residents asked. A delivery is written in the same transaction
-- as the answer it carries (an outbox), so an answer is never published without one, and a
-- worker sends it. An answer longer than the platform takes is cut into parts when it is
-- written; each part is recorded as sent in one statement right after the platform took it.
create table channel_deliveries (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    question_id bigint not null,
    connection_id bigint not null,
    kind text not null constraint channel_deliveries_kind_known check (kind in ('interim', 'final', 'request')),
    parts text[] not null constraint channel_deliveries_has_parts check (cardinality(parts) > 0),
    sent_parts integer not null default 0,
    -- The platform's ids of the parts sent (a comment id, a message id).
    remote_ids text[] not null default '{}',
    status text not null default 'pending' constraint channel_deliveries_status_known
        check (status in ('pending', 'delivered', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    claimed_until timestamptz,
    -- The platform's reason for the last failure, as it gave it.
    error text,
    remote_url text,
    created_by bigint references users (id),
    created_at timestamptz not null default now(),
    delivered_at timestamptz,
    failed_at timestamptz,
    constraint channel_deliveries_region_id_key unique (region_id, id),
    foreign key (region_id, question_id) references questions (region_id, id) on delete cascade,
    foreign key (region_id, connection_id) references channel_connections (region_id, id) on delete cascade
);
create index channel_deliveries_due_idx on channel_deliveries (next_attempt_at) where status = 'pending';
create index channel_deliveries_question_idx on channel_deliveries (region_id, question_id, id);

grant select, insert, update on channel_deliveries to gospublic_app;
alter table channel_deliveries enable row level security;
create policy channel_deliveries_tenant on channel_deliveries
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);

-- A chat with a bot (Telegram, MAX) has no threads: further messages from the same chat join
-- its open question. `conversation` names the chat, for example `telegram:123456`.
alter table questions add column conversation text;
create index questions_conversation_idx on questions (page_id, conversation)
    where conversation is not null and status in ('new', 'in_progress');

alter table question_events drop constraint question_events_kind_known;
alter table question_events add constraint question_events_kind_known check (kind in (
    'received', 'assigned', 'note', 'interim', 'draft', 'approved', 'returned', 'answered',
    'paused', 'resumed', 'transferred', 'rejected', 'duplicate', 'closed', 'reopened', 'escalated',
    'follow_up', 'delivered', 'delivery_failed', 'answered_on_platform', 'edited', 'withdrawn'));
