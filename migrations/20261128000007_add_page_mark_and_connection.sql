-- Whether a page carries the official-status mark (госметка) and is connected to the
-- «Госпаблики» component, as registries record them today. The mark's dated history comes
-- with the status-mark screens; this is its current state.
alter table pages
    add column mark_status text not null default 'none'
        constraint pages_mark_status_known check (mark_status in ('none', 'requested', 'granted', 'rejected', 'revoked')),
    add column connected boolean not null default false;

-- Whether a page address is registered anywhere, without showing whose it is: the tenant
-- role cannot see other regions' pages, yet one page may be registered only once.
create function pages_registered(p_platform text, p_url_key text) returns table (registered boolean)
    language sql stable security definer set search_path = public as $$
    select true from pages where platform = p_platform and url_key = p_url_key
$$;
revoke all on function pages_registered(text, text) from public;
grant execute on function pages_registered(text, text) to gospublic_app;
