//! Which actions a question allows in each state. One table, used by the handlers to refuse
//! and by the question screen to offer only what will work.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    InProgress,
    Answered,
    Closed,
    Rejected,
    Duplicate,
    /// The resident deleted their comment on the platform.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::InProgress,
        Status::Answered,
        Status::Closed,
        Status::Rejected,
        Status::Duplicate,
        Status::Withdrawn,
    ];

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::Answered => "answered",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
            Status::Duplicate => "duplicate",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// Open questions run their clocks and can still be answered.
    pub fn is_open(self) -> bool {
        matches!(self, Status::New | Status::InProgress)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Assign,
    Note,
    Interim,
    Answer,
    Approve,
    Return,
    Pause,
    Resume,
    Transfer,
    Reject,
    MarkDuplicate,
    Close,
    Reopen,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::Assign,
        Action::Note,
        Action::Interim,
        Action::Answer,
        Action::Approve,
        Action::Return,
        Action::Pause,
        Action::Resume,
        Action::Transfer,
        Action::Reject,
        Action::MarkDuplicate,
        Action::Close,
        Action::Reopen,
    ];

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            Action::Assign => "assign",
            Action::Note => "note",
            Action::Interim => "interim",
            Action::Answer => "answer",
            Action::Approve => "approve",
            Action::Return => "return",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Transfer => "transfer",
            Action::Reject => "reject",
            Action::MarkDuplicate => "duplicate",
            Action::Close => "close",
            Action::Reopen => "reopen",
        }
    }

    /// Coordinators and admins steer questions (reassign, transfer, notes) but do not answer
    /// for an organization.
    pub fn for_overseers(self) -> bool {
        matches!(self, Action::Assign | Action::Transfer | Action::Note)
    }
}

/// What the question looks like when someone acts on it.
#[derive(Clone, Copy, Debug)]
pub struct State {
    pub status: Status,
    pub paused: bool,
    pub has_draft: bool,
}

/// Whether `action` is possible in `state`, regardless of who asks.
pub fn allows(state: State, action: Action) -> bool {
    let open = state.status.is_open();
    match action {
        Action::Note => true,
        Action::Assign | Action::Transfer | Action::Reject | Action::MarkDuplicate => open,
        Action::Interim | Action::Answer => open && !state.paused,
        Action::Approve | Action::Return => open && state.has_draft,
        Action::Pause => open && !state.paused,
        Action::Resume => open && state.paused,
        Action::Close => state.status == Status::Answered,
        Action::Reopen => matches!(state.status, Status::Answered | Status::Closed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(status: Status) -> State {
        State {
            status,
            paused: false,
            has_draft: false,
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.code()), Some(a));
        }
        assert_eq!(Status::parse("transferred"), None);
    }

    #[test]
    fn the_table_of_transitions() {
        use Action::*;
        use Status::*;
        let cases: &[(Status, &[Action])] = &[
            (
                New,
                &[
                    Assign,
                    Note,
                    Interim,
                    Answer,
                    Pause,
                    Transfer,
                    Reject,
                    MarkDuplicate,
                ],
            ),
            (
                InProgress,
                &[
                    Assign,
                    Note,
                    Interim,
                    Answer,
                    Pause,
                    Transfer,
                    Reject,
                    MarkDuplicate,
                ],
            ),
            (Answered, &[Note, Close, Reopen]),
            (Closed, &[Note, Reopen]),
            (Rejected, &[Note]),
            (Duplicate, &[Note]),
        ];
        for (status, allowed) in cases {
            for action in Action::ALL {
                assert_eq!(
                    allows(state(*status), action),
                    allowed.contains(&action),
                    "{status:?} / {action:?}"
                );
            }
        }
    }

    #[test]
    fn a_paused_question_waits_for_the_resident() {
        let paused = State {
            status: Status::InProgress,
            paused: true,
            has_draft: false,
        };
        assert!(!allows(paused, Action::Answer));
        assert!(!allows(paused, Action::Interim));
        assert!(!allows(paused, Action::Pause));
        assert!(allows(paused, Action::Resume));
        assert!(allows(paused, Action::Transfer));
        assert!(!allows(state(Status::InProgress), Action::Resume));
    }

    #[test]
    fn only_a_draft_can_be_approved_or_returned() {
        let drafted = State {
            status: Status::InProgress,
            paused: false,
            has_draft: true,
        };
        assert!(allows(drafted, Action::Approve));
        assert!(allows(drafted, Action::Return));
        assert!(!allows(state(Status::InProgress), Action::Approve));
        assert!(!allows(
            State {
                status: Status::Closed,
                ..drafted
            },
            Action::Approve
        ));
    }
}
