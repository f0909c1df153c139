//! How a member relates to one question, and so what they may see and do with it.

use super::db::Question;
use super::workflow::Action;
use crate::error::AppError;
use crate::web::access::{OrgPlacement, RegionAccess, Role};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// An editor or head of the organization the question is with now: answers it.
    Handler { head: bool },
    /// An admin, or a coordinator whose scope holds the organization: steers it.
    Overseer,
    /// An editor of an organization that transferred it away: sees its history only.
    Former,
}

impl Relation {
    pub fn of(access: &RegionAccess, q: &Question, placement: &OrgPlacement) -> Option<Relation> {
        let mut handler = false;
        let mut head = false;
        let mut overseer = false;
        let mut former = false;
        for m in &access.memberships {
            match (m.role, &m.organization) {
                (Role::Editor | Role::Head, Some((org, _))) if *org == q.organization_id => {
                    handler = true;
                    head |= m.role == Role::Head;
                }
                (Role::Editor | Role::Head, Some((org, _)))
                    if q.previous_organization_ids.contains(&org.0) =>
                {
                    former = true
                }
                _ => {}
            }
        }
        if !handler {
            overseer = access.memberships.iter().any(|m| {
                matches!(m.role, Role::Admin | Role::Coordinator)
                    && RegionAccess {
                        user: access.user.clone(),
                        region: access.region.clone(),
                        memberships: vec![m.clone()],
                    }
                    .can_view_org(placement)
            });
        }
        if handler {
            Some(Relation::Handler { head })
        } else if overseer {
            Some(Relation::Overseer)
        } else if former {
            Some(Relation::Former)
        } else {
            None
        }
    }

    pub fn may(self, action: Action) -> bool {
        match self {
            Relation::Handler { head } => match action {
                Action::Approve | Action::Return => head,
                _ => true,
            },
            Relation::Overseer => action.for_overseers(),
            Relation::Former => false,
        }
    }

    pub fn require(self, action: Action) -> Result<(), AppError> {
        if self.may(action) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Residents' contacts are for the people who answer them.
    pub fn sees_contacts(self) -> bool {
        matches!(self, Relation::Handler { .. })
    }
}
