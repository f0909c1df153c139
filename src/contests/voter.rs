//! The signed vote cookie: a random voter id with an HMAC of it under a key the installation
//! keeps in PostgreSQL (one key for every instance). Only ids this server issued are taken,
//! so a robot cannot invent voters; it has to ask for each one, and each address gets only so
//! many new voters an hour.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::web::session::{hash_token, hex, random_token};

pub const COOKIE: &str = "gp_voter";
/// A year: one contest's voting lasts weeks, the next contest knows the same voter.
const MAX_AGE: u64 = 365 * 24 * 3600;

fn signature(key: &[u8], id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(id.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// A new voter: the cookie's value and the hash the votes are stored under.
pub fn issue(key: &[u8]) -> (String, Vec<u8>) {
    let id = random_token();
    let value = format!("{id}.{}", signature(key, &id));
    (value, hash_token(&id))
}

/// The voter a cookie names, when this installation signed it.
pub fn verify(key: &[u8], value: &str) -> Option<Vec<u8>> {
    let (id, sig) = value.split_once('.')?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(id.as_bytes());
    let given: Vec<u8> = (0..sig.len())
        .step_by(2)
        .map(|i| {
            sig.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect::<Option<_>>()?;
    // Constant time, by the MAC's own comparison.
    mac.verify_slice(&given).ok()?;
    Some(hash_token(id))
}

pub fn set_cookie(value: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={value}; Path=/; Max-Age={MAX_AGE}; HttpOnly; SameSite=Lax{}",
        crate::web::session::secure_attr(secure)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_cookie_signed_with_the_key_names_a_voter() {
        let key = b"0123456789abcdef0123456789abcdef";
        let (value, voter) = issue(key);
        assert_eq!(verify(key, &value), Some(voter));
        assert_eq!(verify(b"another key", &value), None);
        let (id, _) = value.split_once('.').unwrap();
        assert_eq!(verify(key, &format!("{id}.00")), None);
        assert_eq!(
            verify(key, &format!("{}{}", &value[..10], &value[11..])),
            None
        );
        assert_eq!(verify(key, "no-dot"), None);
    }
}
