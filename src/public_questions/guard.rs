//! What keeps the form from being flooded, without anyone else's service: a field only robots
//! fill, a minimum time between showing the form and sending it, and limits per client
//! address and per resident's contact counted in PostgreSQL (so every app instance shares
//! them). Addresses and contacts are counted by hash and never stored in clear.

use std::net::IpAddr;
use std::time::Duration;

use sqlx::PgConnection;

use super::db;
use crate::web::session::{hash_token, hex};

/// Why a submission was refused; each has a message the resident reads above the form, which
/// keeps what they typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The hidden field was filled in.
    Robot,
    /// Sent sooner after the form was shown than a person types.
    TooFast,
    /// Too many questions from this address or this contact lately.
    TooMany,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::Robot => "ask-refused-robot",
            Refusal::TooFast => "ask-refused-fast",
            Refusal::TooMany => "ask-refused-limit",
        }
    }
}

/// Questions from one client address per hour: a school or an office shares one address.
const PER_ADDRESS: i32 = 10;
const ADDRESS_WINDOW: f64 = 3600.0;
/// Questions with one e-mail or phone per day.
const PER_CONTACT: i32 = 5;
const CONTACT_WINDOW: f64 = 86_400.0;
/// Windows older than the longest are deleted by housekeeping.
pub const LONGEST_WINDOW: f64 = CONTACT_WINDOW;

/// The checks made before anything is read from the form's fields.
pub fn robot_check(
    honeypot: &str,
    shown_seconds_ago: Option<f64>,
    min_fill: Duration,
) -> Result<(), Refusal> {
    if !honeypot.trim().is_empty() {
        return Err(Refusal::Robot);
    }
    match shown_seconds_ago {
        Some(s) if s >= min_fill.as_secs_f64() => Ok(()),
        // A session never shown the form posts from somewhere else than the form.
        _ => Err(Refusal::TooFast),
    }
}

fn key(kind: &str, value: &str) -> String {
    format!("{kind}:{}", hex(&hash_token(value)))
}

/// Counts a submission from `address` (when known) and, for a new question, with `contact`;
/// refused once either is over its limit. Runs in the submission's transaction.
pub async fn count(
    tx: &mut PgConnection,
    address: Option<IpAddr>,
    contact: Option<&str>,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    if let Some(ip) = address {
        let hits = db::count_submission(tx, &key("addr", &network_of(ip)), ADDRESS_WINDOW).await?;
        if hits > PER_ADDRESS {
            return Ok(Err(Refusal::TooMany));
        }
    }
    if let Some(contact) = contact {
        let hits = db::count_submission(tx, &key("contact", contact), CONTACT_WINDOW).await?;
        if hits > PER_CONTACT {
            return Ok(Err(Refusal::TooMany));
        }
    }
    Ok(Ok(()))
}

/// The address a limit counts by: IPv4 as it is; IPv6 by its /64, which one household or
/// device gets whole and can hop around in.
fn network_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_honeypot_or_a_hurried_post_is_refused() {
        let min = Duration::from_secs(3);
        assert_eq!(robot_check("", Some(10.0), min), Ok(()));
        assert_eq!(
            robot_check("http://spam", Some(10.0), min),
            Err(Refusal::Robot)
        );
        assert_eq!(robot_check("", Some(0.5), min), Err(Refusal::TooFast));
        assert_eq!(robot_check("", None, min), Err(Refusal::TooFast));
    }

    #[test]
    fn ipv6_addresses_of_one_network_count_together() {
        let a: IpAddr = "2001:db8:1:2::10".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::1".parse().unwrap();
        assert_eq!(network_of(a), network_of(b));
        assert_ne!(
            network_of("192.0.2.1".parse().unwrap()),
            network_of("192.0.2.2".parse().unwrap())
        );
    }
}
