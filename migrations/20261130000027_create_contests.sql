-- Page contests (#Знакомьтесь_Госпаблики): the region's admin names nominations, residents
-- vote for a page in each, the admin voids bursts and publishes the results, and the winners
-- carry a badge on their public cards for a while.

create table contests (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    title text not null constraint contests_title_present check (length(btrim(title)) > 0),
    description text not null default '',
    voting_starts_at timestamptz not null,
    voting_ends_at timestamptz not null,
    -- A vote counts only once confirmed by a code sent to the voter's e-mail.
    email_confirmation boolean not null default false,
    results_published_at timestamptz,
    -- The last day (in the region) the winners' badge shows on their cards.
    badge_until date,
    created_by bigint references users (id) on delete set null,
    created_at timestamptz not null default now(),
    constraint contests_region_id_key unique (region_id, id),
    constraint contests_period check (voting_ends_at > voting_starts_at)
);

create table contest_nominations (
    region_id bigint not null,
    id bigint generated always as identity primary key,
    contest_id bigint not null,
    title text not null constraint contest_nominations_title_present check (length(btrim(title)) > 0),
    -- Where the nominees came from: a sector's pages, or a list the admin pasted.
    sector_id bigint,
    position integer not null default 0,
    constraint contest_nominations_region_id_key unique (region_id, id),
    constraint contest_nominations_title_key unique (contest_id, title),
    foreign key (region_id, contest_id) references contests (region_id, id) on delete cascade
);

create table contest_nominees (
    region_id bigint not null,
    nomination_id bigint not null,
    page_id bigint not null,
    primary key (nomination_id, page_id),
    foreign key (region_id, nomination_id) references contest_nominations (region_id, id) on delete cascade,
    foreign key (region_id, page_id) references pages (region_id, id) on delete cascade
);

create table contest_votes (
    region_id bigint not null,
    id bigint generated always as identity primary key,
    contest_id bigint not null,
    nomination_id bigint not null,
    page_id bigint not null,
    -- SHA-256 of the voter id in the signed vote cookie.
    voter_hash bytea not null,
    -- The voter's network (IPv4 /24, IPv6 /48), for the admin's view of bursts.
    address_block text,
    -- With e-mail confirmation: SHA-256 of the address and of the code sent to it.
    email_hash bytea,
    code_hash bytea,
    confirmed_at timestamptz,
    cast_at timestamptz not null default now(),
    voided_at timestamptz,
    void_reason text,
    foreign key (region_id, contest_id) references contests (region_id, id) on delete cascade,
    foreign key (nomination_id, page_id) references contest_nominees (nomination_id, page_id) on delete cascade,
    constraint contest_votes_once unique (nomination_id, voter_hash)
);
-- One confirmed address, one vote per nomination.
create unique index contest_votes_email_once on contest_votes (nomination_id, email_hash)
    where email_hash is not null and voided_at is null;
create index contest_votes_by_contest on contest_votes (region_id, contest_id, cast_at);

-- Keys the installation makes for itself, shared by every instance (the vote cookie's).
create table signing_keys (
    purpose text primary key,
    key bytea not null
);

grant select, insert, update, delete on contests, contest_nominations, contest_nominees, contest_votes
    to gospublic_app;
grant select, insert on signing_keys to gospublic_app;
alter table contests enable row level security;
alter table contest_nominations enable row level security;
alter table contest_nominees enable row level security;
alter table contest_votes enable row level security;
create policy contests_tenant on contests
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
create policy contest_nominations_tenant on contest_nominations
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
create policy contest_nominees_tenant on contest_nominees
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
create policy contest_votes_tenant on contest_votes
    using (region_id = nullif(current_setting('app.region_id', true), '')::bigint)
    with check (region_id = nullif(current_setting('app.region_id', true), '')::bigint);
