//! argon2id hashing, always off the async runtime.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::AppError;
use crate::i18n::Locale;
use crate::web::forms::FieldErrors;

pub const MIN_LENGTH: usize = 10;

/// Each argon2 run takes 19 MiB and a core for tens of milliseconds. Bounding how many run at
/// once keeps a burst of sign-ins from spreading that memory over many blocking threads (each
/// with its own allocator arena that never shrinks) and from starving page requests of CPU.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Passwords at least MIN_LENGTH long that still top every leaked-password list, in Russia too.
const COMMON: [&str; 40] = [
    "1234567890",
    "12345678910",
    "123456789a",
    "1234567890a",
    "0987654321",
    "1111111111",
    "0000000000",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "password1",
    "password12",
    "password123",
    "passw0rd123",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "asdfghjkl1",
    "йцукенгшщз",
    "пароль1234",
    "пароль12345",
    "parol12345",
    "iloveyou12",
    "abc1234567",
    "abcd123456",
    "aa12345678",
    "qazwsxedcr",
    "1234qwerasdf",
    "q1w2e3r4t5",
    "12341234",
    "123123123123",
    "111222333444",
    "9876543210",
    "admin12345",
    "administrator",
    "welcome123",
    "letmein123",
    "gospublic1",
];

/// A new password as a person types it twice: long enough, not a well-known one, and the
/// same both times. Messages go to the `password` and `password_confirm` fields.
pub fn check_new(password: &str, confirm: &str, l: Locale, e: &mut FieldErrors) {
    if password.chars().count() < MIN_LENGTH {
        e.add("password", l.tn("password-too-short", MIN_LENGTH as i64));
    } else if is_common(password) {
        e.add("password", l.t("password-common"));
    } else if password != confirm {
        e.add("password_confirm", l.t("password-mismatch"));
    }
}

pub fn is_common(password: &str) -> bool {
    let p = password.trim().to_lowercase();
    COMMON.contains(&p.as_str()) || p.chars().all(|c| c == p.chars().next().unwrap_or(' '))
}

/// Verified against when the email is unknown, so both failures take the same time.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking("dummy password for timing").expect("hashing a constant"));

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

pub async fn hash(password: String) -> Result<String, AppError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)
}

/// `stored` is None for an unknown email: the dummy hash is checked and false returned.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => verify_blocking(&password, &hash),
        None => {
            verify_blocking(&password, &DUMMY_HASH);
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_recognized() {
        assert!(is_common("1234567890"));
        assert!(is_common("Qwerty12345"));
        assert!(is_common("ЙЦУКЕНГШЩЗ"));
        assert!(is_common("zzzzzzzzzzzz"));
        assert!(!is_common("горный Алтай 2026"));
    }

    #[test]
    fn hash_verifies_and_is_argon2id() {
        let h = hash_blocking("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_blocking("correct horse battery", &h));
        assert!(!verify_blocking("wrong horse battery", &h));
        assert!(!verify_blocking("x", "not a hash"));
    }
}
