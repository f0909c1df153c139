-- Every region has its settings row from the moment it exists, so reading the settings is a
-- plain read: the screens that only read may run on a read replica, where inserting the
-- defaults on first read cannot work.
insert into region_settings (region_id)
select r.id from regions r on conflict do nothing;

create function regions_create_settings() returns trigger language plpgsql as $$
begin
    insert into region_settings (region_id) select n.id from changed_new n on conflict do nothing;
    return null;
end
$$;
create trigger regions_settings_insert after insert on regions
    referencing new table as changed_new for each statement execute function regions_create_settings();
