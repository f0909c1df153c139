-- The audit log is evidence: rows are added, never changed or removed, by anyone.
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_log_no_update_or_delete
    before update or delete on audit_log
    for each row execute function audit_log_is_append_only();

create trigger audit_log_no_truncate
    before truncate on audit_log
    for each statement execute function audit_log_is_append_only();

revoke update, delete, truncate on audit_log from gospublic_app;
create index audit_log_user_idx on audit_log (region_id, user_id, created_at desc);
create index audit_log_object_idx on audit_log (region_id, object_type, object_id);
