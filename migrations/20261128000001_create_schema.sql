-- The tenant is the region. Every tenant table carries region_id and references other tenant
-- tables through (region_id, id), so a row can never point into another region.

create table regions (
    id bigint generated always as identity primary key,
    slug text not null constraint regions_slug_key unique
        constraint regions_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'),
    name text not null constraint regions_name_present check (length(btrim(name)) > 0),
    time_zone text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table municipalities (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    name text not null constraint municipalities_name_present check (length(btrim(name)) > 0),
    kind text not null constraint municipalities_kind_known
        check (kind in ('city_okrug', 'municipal_okrug', 'municipal_district', 'urban_settlement', 'rural_settlement')),
    oktmo text constraint municipalities_oktmo_format check (oktmo ~ '^[0-9]{8}([0-9]{3})?$'),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint municipalities_region_id_key unique (region_id, id),
    constraint municipalities_name_key unique (region_id, name),
    constraint municipalities_oktmo_key unique (region_id, oktmo)
);

create table sectors (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    name text not null constraint sectors_name_present check (length(btrim(name)) > 0),
    position integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint sectors_region_id_key unique (region_id, id),
    constraint sectors_name_key unique (region_id, name)
);

create table organizations (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    name text not null constraint organizations_name_present check (length(btrim(name)) > 0),
    short_name text,
    inn text not null constraint organizations_inn_format check (inn ~ '^[0-9]{10}$'),
    ogrn text not null constraint organizations_ogrn_format check (ogrn ~ '^[0-9]{13}$'),
    level text not null constraint organizations_level_known
        check (level in ('regional_body', 'local_government', 'state_institution', 'municipal_institution', 'other')),
    parent_id bigint,
    municipality_id bigint,
    exempt boolean not null default false,
    exemption_basis text,
    archived_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint organizations_region_id_key unique (region_id, id),
    constraint organizations_ogrn_key unique (region_id, ogrn),
    constraint organizations_parent_fkey foreign key (region_id, parent_id)
        references organizations (region_id, id),
    constraint organizations_municipality_fkey foreign key (region_id, municipality_id)
        references municipalities (region_id, id),
    constraint organizations_not_own_parent check (parent_id is null or parent_id <> id),
    constraint organizations_exemption_has_basis
        check (not exempt or length(btrim(coalesce(exemption_basis, ''))) > 0)
);
create index organizations_parent_idx on organizations (region_id, parent_id);
create index organizations_municipality_idx on organizations (region_id, municipality_id);
create index organizations_name_idx on organizations (region_id, lower(name));

-- "Up to three sectors" is structural: a sector sits in slot 1, 2 or 3.
create table organization_sectors (
    region_id bigint not null,
    organization_id bigint not null,
    sector_id bigint not null,
    slot smallint not null constraint organization_sectors_slot_range check (slot between 1 and 3),
    primary key (organization_id, sector_id),
    constraint organization_sectors_slot_key unique (organization_id, slot),
    foreign key (region_id, organization_id) references organizations (region_id, id) on delete cascade,
    foreign key (region_id, sector_id) references sectors (region_id, id)
);
create index organization_sectors_sector_idx on organization_sectors (region_id, sector_id);

create table pages (
    region_id bigint not null,
    id bigint generated always as identity primary key,
    organization_id bigint not null,
    platform text not null constraint pages_platform_known
        check (platform in ('vk', 'ok', 'telegram', 'max', 'other')),
    -- url_key is the normalized identity of the page (vk.com/club123); url is how it is shown.
    url_key text not null,
    url text not null,
    title text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint pages_region_id_key unique (region_id, id),
    -- One page cannot be registered twice anywhere in the installation.
    constraint pages_url_key unique (platform, url_key),
    foreign key (region_id, organization_id) references organizations (region_id, id)
);
create index pages_organization_idx on pages (region_id, organization_id);

create table users (
    id bigint generated always as identity primary key,
    email text not null constraint users_email_key unique
        constraint users_email_lowercase check (email = lower(btrim(email))),
    name text not null,
    password_hash text not null,
    is_operator boolean not null default false,
    is_demo boolean not null default false,
    locale text not null default 'ru' constraint users_locale_known check (locale in ('ru', 'en')),
    disabled_at timestamptz,
    password_changed_at timestamptz not null default now(),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- A coordinator is scoped to the whole region, one municipality, or a founder's subtree
-- (organization_id is the founder); an editor to one organization; an admin to the region.
create table memberships (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    user_id bigint not null references users (id) on delete cascade,
    role text not null constraint memberships_role_known check (role in ('admin', 'coordinator', 'editor')),
    municipality_id bigint,
    organization_id bigint,
    created_at timestamptz not null default now(),
    constraint memberships_scope_key unique nulls not distinct (user_id, region_id, role, municipality_id, organization_id),
    foreign key (region_id, municipality_id) references municipalities (region_id, id) on delete cascade,
    foreign key (region_id, organization_id) references organizations (region_id, id) on delete cascade,
    constraint memberships_scope_fits_role check (
        (role = 'admin' and municipality_id is null and organization_id is null)
        or (role = 'coordinator' and (municipality_id is null or organization_id is null))
        or (role = 'editor' and municipality_id is null and organization_id is not null)
    )
);
create index memberships_user_idx on memberships (user_id);

create table invitations (
    region_id bigint not null references regions (id),
    id bigint generated always as identity primary key,
    email text not null,
    role text not null constraint invitations_role_known check (role in ('admin', 'coordinator', 'editor')),
    municipality_id bigint,
    organization_id bigint,
    token_hash bytea not null constraint invitations_token_key unique,
    invited_by bigint references users (id),
    expires_at timestamptz not null,
    accepted_at timestamptz,
    accepted_by bigint references users (id),
    created_at timestamptz not null default now(),
    foreign key (region_id, municipality_id) references municipalities (region_id, id) on delete cascade,
    foreign key (region_id, organization_id) references organizations (region_id, id) on delete cascade,
    constraint invitations_scope_fits_role check (
        (role = 'admin' and municipality_id is null and organization_id is null)
        or (role = 'coordinator' and (municipality_id is null or organization_id is null))
        or (role = 'editor' and municipality_id is null and organization_id is not null)
    )
);
create index invitations_region_idx on invitations (region_id, created_at desc);

-- Only a hash of the session token is stored: a leaked table does not hand out sessions.
create table sessions (
    id_hash bytea primary key,
    user_id bigint references users (id) on delete cascade,
    csrf_token text not null,
    flash text,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now()
);
create index sessions_user_idx on sessions (user_id);
create index sessions_last_seen_idx on sessions (last_seen_at);

-- region_id is null for installation-wide actions (creating a region, operator sign-in).
create table audit_log (
    id bigint generated always as identity primary key,
    region_id bigint references regions (id),
    user_id bigint references users (id),
    action text not null,
    object_type text not null,
    object_id bigint,
    details jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now()
);
create index audit_log_region_idx on audit_log (region_id, created_at desc);
