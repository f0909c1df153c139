//! Tokens a connection calls its platform with, sealed with the installation's key so a copy
//! of the database alone does not hand them out. The key comes from the environment
//! (`GOSPUBLIC_SECRET_KEY`: 32 random bytes as 64 hex digits, `openssl rand -hex 32`); without
//! it the server stores no token and says why. Secrets the platform sends back are only
//! compared, so only their SHA-256 is kept.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct SecretKey(Key);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "GOSPUBLIC_SECRET_KEY must be 64 hexadecimal digits (32 random bytes: `openssl rand -hex 32`)"
    )]
    Malformed,
}

impl SecretKey {
    pub fn parse(hex: &str) -> Result<SecretKey, KeyError> {
        let hex = hex.trim();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(KeyError::Malformed);
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte =
                u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| KeyError::Malformed)?;
        }
        Ok(SecretKey(Key::from(bytes)))
    }

    /// A random nonce, then the token encrypted and authenticated under the key.
    pub fn seal(&self, plain: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).expect("the OS random number generator is unavailable");
        let cipher = ChaCha20Poly1305::new(&self.0);
        let sealed = cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .expect("encrypting a short token cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        out
    }

    /// The token, or None when it was sealed under another key or tampered with.
    pub fn open(&self, sealed: &[u8]) -> Option<String> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let plain = ChaCha20Poly1305::new(&self.0)
            .decrypt(Nonce::from_slice(nonce), body)
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

/// What is kept of a secret that is only ever compared.
pub fn fingerprint(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Compares a presented secret with a kept fingerprint in constant time.
pub fn matches(presented: &str, kept: &[u8]) -> bool {
    crate::web::csrf::constant_time_eq(&fingerprint(presented), kept)
}

/// The last characters of a token, as the card shows one it will not show again.
pub fn tail(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    let shown: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("…{shown}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    #[test]
    fn a_sealed_token_opens_only_under_its_key() {
        let key = SecretKey::parse(KEY).unwrap();
        let sealed = key.seal("vk1.a.community-token");
        assert!(
            !sealed.windows(9).any(|w| w == b"community"),
            "not in the clear"
        );
        assert_eq!(key.open(&sealed).as_deref(), Some("vk1.a.community-token"));
        assert_ne!(key.seal("x"), key.seal("x"), "a fresh nonce each time");
        let other = SecretKey::parse(&KEY.replace('0', "1")).unwrap();
        assert_eq!(other.open(&sealed), None);
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(key.open(&tampered), None);
        assert_eq!(key.open(b"short"), None);
    }

    #[test]
    fn keys_and_secrets() {
        assert_eq!(SecretKey::parse("abc").unwrap_err(), KeyError::Malformed);
        assert!(SecretKey::parse(&"g".repeat(64)).is_err());
        let kept = fingerprint("s3cret");
        assert!(matches("s3cret", &kept) && !matches("s3cret ", &kept));
        assert_eq!(tail("1234567890"), "…7890");
        assert_eq!(
            format!("{:?}", SecretKey::parse(KEY).unwrap()),
            "SecretKey(…)"
        );
    }
}
