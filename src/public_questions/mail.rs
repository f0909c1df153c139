//! The letter a resident gets when they gave an e-mail: their question's number and the
//! private status link, in the language they asked in.

use crate::i18n::Locale;
use crate::state::AppState;

/// Sends the letter; true when the relay took it. Without a relay, or when it fails, the
/// resident still has the link on the confirmation page.
pub async fn confirm(
    state: &AppState,
    l: Locale,
    to: &str,
    organization: &str,
    number: i64,
    link: &str,
) -> bool {
    let Some(mail) = &state.settings.mail else {
        return false;
    };
    let subject = l.t1("ask-mail-subject", "number", &number.to_string());
    let body = l.t_args(
        "ask-mail-body",
        &[
            ("organization", organization.to_owned().into()),
            ("number", number.to_string().into()),
            ("link", link.to_owned().into()),
        ],
    );
    match crate::mail::send(mail, to, &subject, body).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "question confirmation mail could not be sent");
            false
        }
    }
}
