//! Sign-in throttling, kept in PostgreSQL so every app instance sees the same counts.
//! Too many failures for one account, or from one address, lock further attempts for a while;
//! a successful sign-in clears the account's and the address's counts.

use std::net::IpAddr;

/// Failures within the window that lock an account.
pub const ACCOUNT_LIMIT: i32 = 5;
/// Failures within the window that lock a client address (many accounts from one place).
pub const ADDRESS_LIMIT: i32 = 20;
pub const WINDOW_MINUTES: i32 = 15;
pub const LOCK_MINUTES: i32 = 15;

pub fn keys(email: &str, addr: Option<IpAddr>) -> Vec<(String, i32)> {
    let mut keys = vec![(
        format!("account:{}", super::email::normalize_email(email)),
        ACCOUNT_LIMIT,
    )];
    if let Some(addr) = addr {
        keys.push((format!("address:{addr}"), ADDRESS_LIMIT));
    }
    keys
}
