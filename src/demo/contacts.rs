//! Contacts for seeded organizations, so the public directory has addresses to show and
//! search: the municipality (or the region's capital), a street and a house drawn from the
//! organization's id, and a phone and e-mail of the same kind.

/// Gives every organization of the region (`$1`, or every region when null) without an
/// address one.
pub const CONTACTS: &str = r#"
    update organizations o
    set address = coalesce(m.name, r.name) || ', ул. '
                  || (array['Ленина', 'Мира', 'Советская', 'Молодёжная', 'Школьная', 'Садовая',
                            'Пушкина', 'Гагарина', 'Победы', 'Партизанская'])[1 + o.id % 10]
                  || ', ' || (1 + o.id * 7 % 120),
        phone = '+7 ' || (300 + o.region_id % 600) || ' ' || lpad((o.id * 7919 % 1000000)::text, 6, '0'),
        email = 'info' || o.id || '@org.example'
    from regions r, organizations x
    left join municipalities m on m.region_id = x.region_id and m.id = x.municipality_id
    where r.id = o.region_id and x.id = o.id and o.address is null
      and ($1::bigint is null or o.region_id = $1)"#;
