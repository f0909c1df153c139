//! The official-status mark (госметка) of a page: its states and which changes an editor
//! records. Admins and coordinators may also correct a status outside these steps, with a
//! note saying why.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkStatus {
    None,
    Requested,
    Granted,
    Rejected,
    Revoked,
}

impl MarkStatus {
    pub const ALL: [MarkStatus; 5] = [
        MarkStatus::None,
        MarkStatus::Requested,
        MarkStatus::Granted,
        MarkStatus::Rejected,
        MarkStatus::Revoked,
    ];

    pub fn parse(s: &str) -> Option<MarkStatus> {
        MarkStatus::ALL.into_iter().find(|m| m.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            MarkStatus::None => "none",
            MarkStatus::Requested => "requested",
            MarkStatus::Granted => "granted",
            MarkStatus::Rejected => "rejected",
            MarkStatus::Revoked => "revoked",
        }
    }

    /// The steps an editor records: a request, and then its outcome; after a refusal or a
    /// revocation, a new request.
    pub fn next(self) -> &'static [MarkStatus] {
        match self {
            MarkStatus::None | MarkStatus::Rejected | MarkStatus::Revoked => {
                &[MarkStatus::Requested]
            }
            MarkStatus::Requested => &[MarkStatus::Granted, MarkStatus::Rejected],
            MarkStatus::Granted => &[MarkStatus::Revoked],
        }
    }

    pub fn can_become(self, to: MarkStatus) -> bool {
        self.next().contains(&to)
    }
}

/// The verification checklist an editor follows to get the mark, in order.
pub const CHECKLIST: [&str; 5] = [
    "gosuslugi_admin",
    "two_factor",
    "profile_filled",
    "topic_set",
    "confirmed_via_gosuslugi",
];

#[cfg(test)]
mod tests {
    use super::*;
    use MarkStatus::*;

    #[test]
    fn the_steps_an_editor_records() {
        let allowed = [
            (None, Requested),
            (Requested, Granted),
            (Requested, Rejected),
            (Granted, Revoked),
            (Rejected, Requested),
            (Revoked, Requested),
        ];
        for from in MarkStatus::ALL {
            for to in MarkStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for m in MarkStatus::ALL {
            assert_eq!(MarkStatus::parse(m.code()), Some(m));
        }
        assert_eq!(MarkStatus::parse("approved"), Option::None);
    }
}
