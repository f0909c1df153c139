//! The rules an organization's contacts keep, wherever they are typed (the form, a registry
//! file): each within its column's length, the e-mail with an «@» and no spaces, the site a
//! host name without spaces.

use super::db::Contacts;

/// Each broken contact: the field's code and the catalog key of its message.
pub fn problems(c: &Contacts) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let long = |v: &Option<String>, max: usize| v.as_ref().is_some_and(|v| v.chars().count() > max);
    for (field, value, max) in [
        ("address", &c.address, 500),
        ("phone", &c.phone, 100),
        ("email", &c.email, 254),
        ("website", &c.website, 500),
    ] {
        if long(value, max) {
            out.push((field, "field-too-long"));
        }
    }
    if c.email
        .as_ref()
        .is_some_and(|m| !m.contains('@') || m.contains(char::is_whitespace))
    {
        out.push(("email", "email-invalid"));
    }
    if c.website
        .as_ref()
        .is_some_and(|w| w.contains(char::is_whitespace) || !w.contains('.'))
    {
        out.push(("website", "field-website-format"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_checked_field_by_field() {
        let ok = Contacts {
            address: Some("г. Барнаул, ул. Мира, 1".into()),
            phone: Some("+7 3852 00-00-00".into()),
            email: Some("info@school.example".into()),
            website: Some("school.example".into()),
        };
        assert!(problems(&ok).is_empty());
        let bad = Contacts {
            email: Some("info at school".into()),
            website: Some("school".into()),
            phone: Some("1".repeat(101)),
            ..ok
        };
        assert_eq!(
            problems(&bad),
            [
                ("phone", "field-too-long"),
                ("email", "email-invalid"),
                ("website", "field-website-format")
            ]
        );
    }
}
