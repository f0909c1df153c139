-- Names are compared in one spelling (see src/names.rs): «г. Новосибирск» and
-- «Г. НОВОСИБИРСК» are one municipality, «Образование» and «образование» one sector.
create unique index municipalities_name_ci_key on municipalities (region_id, lower(name));
create unique index sectors_name_ci_key on sectors (region_id, lower(name));
