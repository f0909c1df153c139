//! The code that confirms a vote, sent to the address the voter gave.

use crate::i18n::Locale;
use crate::state::AppState;

pub async fn send_code(state: &AppState, l: Locale, to: &str, contest: &str, code: &str) {
    let Some(mail) = &state.settings.mail else {
        tracing::warn!("a contest asks for e-mail confirmation but no mail relay is configured");
        return;
    };
    let subject = l.t1("contest-mail-subject", "contest", contest);
    let body = l.t_args(
        "contest-mail-body",
        &[
            ("contest", contest.to_owned().into()),
            ("code", code.to_owned().into()),
        ],
    );
    if let Err(e) = crate::mail::send(mail, to, &subject, body).await {
        tracing::warn!(error = %e, "vote confirmation code could not be sent");
    }
}
