//! People of a region: members with their scoped roles, and single-use, expiring invitation
//! links. Without mail configured the link is shown to whoever invited and written to the log.

pub mod db;
mod handlers;
pub mod scope;

use axum::routing::{get, post};

use crate::web::routes::{Access, GET, POST, Routes};

pub fn router() -> Routes {
    Routes::new()
        .add(
            "/r/{region}/people",
            &[(GET, Access::RegionAdmin)],
            get(handlers::people),
        )
        .add(
            "/r/{region}/invitations",
            &[(POST, Access::RegionAdmin)],
            post(handlers::create),
        )
        .add(
            "/invitations/{token}",
            &[(GET, Access::Public), (POST, Access::Public)],
            get(handlers::accept_form).post(handlers::accept),
        )
}

use crate::i18n::Locale;
use crate::state::AppState;

/// Sends the invitation when mail is configured and says so; otherwise (or when sending
/// fails) the message for the admin carries the link to pass on. The mail itself is in
/// Russian: the invitee's language is not known yet.
/// Where invitation links lead, and whether that address was configured or only guessed
/// from the listening address: shown next to every invitation form.
pub struct LinkBase {
    pub url: String,
    pub guessed: bool,
}

impl LinkBase {
    pub fn of(state: &AppState) -> LinkBase {
        LinkBase {
            url: state.settings.base_url.clone(),
            guessed: !state.settings.base_url_configured,
        }
    }
}

pub async fn announce(
    state: &AppState,
    email: &str,
    region_name: &str,
    sent: &db::Sent,
    admin: Locale,
) -> String {
    let said = announce_link(state, email, region_name, &sent.link, admin).await;
    if sent.renewed {
        format!("{} {said}", admin.t1("invitation-renewed", "email", email))
    } else {
        said
    }
}

async fn announce_link(
    state: &AppState,
    email: &str,
    region_name: &str,
    link: &str,
    admin: Locale,
) -> String {
    let Some(mail) = &state.settings.mail else {
        return admin.t1("invitation-created", "link", link);
    };
    let l = Locale::Ru;
    let subject = l.t1("mail-invitation-subject", "region", region_name);
    let body = l.t_args(
        "mail-invitation-body",
        &[
            ("region", region_name.to_owned().into()),
            ("link", link.to_owned().into()),
        ],
    );
    match crate::mail::send(mail, email, &subject, body).await {
        Ok(()) => admin.t1("invitation-sent", "email", email),
        Err(e) => {
            tracing::warn!(error = %e, "invitation mail could not be sent");
            admin.t1("invitation-mail-failed", "link", link)
        }
    }
}
