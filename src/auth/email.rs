//! E-mail addresses as accounts are keyed by them: one spelling per person.

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn looks_like_email(email: &str) -> bool {
    let e = email.trim();
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.contains(char::is_whitespace)
                && e.len() <= 254
        }
        None => false,
    }
}
