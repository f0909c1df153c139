-- Defense in depth for tenant isolation. Region-scoped work runs in transactions that switch
-- to gospublic_app (no BYPASSRLS, owns nothing) and set app.region_id; row-level security
-- then hides every other region's rows even from a query that forgot its region filter.
-- A transaction that never set the region sees nothing.

do $$
begin
    create role gospublic_app nologin;
exception when duplicate_object or unique_violation then
    null;
end
$$;

-- The connecting user must be allowed to switch to the role (a superuser always may).
do $$
begin
    if not (select rolsuper from pg_roles where rolname = current_user) then
        execute format('grant gospublic_app to %I', current_user);
    end if;
exception when duplicate_object or unique_violation then
    null;
end
$$;

grant usage on schema public to gospublic_app;
grant select on regions to gospublic_app;
-- Names and addresses of people, never their password hashes.
grant select (id, email, name, is_operator, disabled_at, locale) on users to gospublic_app;
grant select, insert, update, delete on
    municipalities, sectors, organizations, organization_sectors, pages,
    memberships, invitations, password_resets, audit_log
    to gospublic_app;
grant usage, select on all sequences in schema public to gospublic_app;

do $$
declare
    t text;
begin
    foreach t in array array['municipalities', 'sectors', 'organizations', 'organization_sectors', 'pages',
                             'memberships', 'invitations', 'password_resets', 'audit_log']
    loop
        execute format('alter table %I enable row level security', t);
        execute format(
            'create policy %I on %I using (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint) '
            'with check (region_id = nullif(current_setting(''app.region_id'', true), '''')::bigint)',
            t || '_tenant', t);
    end loop;
end
$$;
