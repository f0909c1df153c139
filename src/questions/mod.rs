//! Citizen questions: arrival, the editor's inbox, answers, transfers and the deadlines they
//! are held to, counted in the region's working time.

pub mod access;
pub mod actions;
pub mod approval;
pub mod calendar;
pub mod clock;
pub mod db;
pub mod follow_up;
pub mod forms;
pub mod handlers;
pub mod housekeeping;
pub mod keywords;
mod overdue;
pub mod production_calendar;
mod templates;
pub mod view;
pub mod workflow;

use axum::routing::{get, post};

use crate::web::routes::{Access, GET, POST, Routes};

/// A POST-only route.
fn action<H, T>(path: &'static str, access: Access, handler: H) -> Routes
where
    H: axum::handler::Handler<T, crate::state::AppState>,
    T: 'static,
{
    Routes::new().add(path, &[(POST, access)], post(handler))
}

pub fn router() -> Routes {
    let member = Access::RegionMember;
    Routes::new()
        .add(
            "/r/{region}/questions",
            &[(GET, member), (POST, member)],
            get(handlers::inbox).post(handlers::create),
        )
        .add(
            "/r/{region}/questions/new",
            &[(GET, member)],
            get(handlers::new_form),
        )
        .add(
            "/r/{region}/questions/overdue",
            &[(GET, member)],
            get(overdue::list),
        )
        .add(
            "/r/{region}/questions/{id}",
            &[(GET, member)],
            get(handlers::show),
        )
        .merge(action(
            "/r/{region}/questions/{id}/contacts",
            member,
            handlers::contacts,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/assign",
            member,
            handlers::assign,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/note",
            member,
            handlers::note,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/answer",
            member,
            handlers::answer,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/approve",
            Access::OrgHead,
            handlers::approve,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/return",
            Access::OrgHead,
            handlers::return_draft,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/pause",
            member,
            handlers::pause,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/resume",
            member,
            handlers::resume,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/transfer",
            member,
            handlers::transfer,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/reject",
            member,
            handlers::reject,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/duplicate",
            member,
            handlers::duplicate,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/close",
            member,
            handlers::close,
        ))
        .merge(action(
            "/r/{region}/questions/{id}/reopen",
            member,
            handlers::reopen,
        ))
        .merge(action(
            "/r/{region}/orgs/{id}/answer-approval",
            Access::OrgHead,
            approval::switch,
        ))
        .add(
            "/r/{region}/answer-templates",
            &[(GET, member), (POST, member)],
            get(templates::list).post(templates::create),
        )
        .add(
            "/r/{region}/answer-templates/{id}",
            &[(GET, member), (POST, member)],
            get(templates::edit_form).post(templates::update),
        )
        .merge(action(
            "/r/{region}/answer-templates/{id}/delete",
            member,
            templates::delete,
        ))
}
