//! argon2id hashing, always off the async runtime.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::AppError;

pub const MIN_LENGTH: usize = 10;

/// Each argon2 run takes 19 MiB and a core for tens of milliseconds. Bounding how many run at
/// once keeps a burst of sign-ins from spreading that memory over many blocking threads (each
/// with its own allocator arena that never shrinks) and from starving page requests of CPU.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

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
    fn hash_verifies_and_is_argon2id() {
        let h = hash_blocking("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_blocking("correct horse battery", &h));
        assert!(!verify_blocking("wrong horse battery", &h));
        assert!(!verify_blocking("x", "not a hash"));
    }
}
