//! Outgoing mail, optional: with an SMTP relay configured, invitations are sent; without one,
//! the admin is shown the link to pass on. Plain SMTP to a relay the operator runs (usually on
//! the same host), so no TLS stack is built in.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone, Debug)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub from: String,
}

pub async fn send(
    settings: &MailSettings,
    to: &str,
    subject: &str,
    body: String,
) -> anyhow::Result<()> {
    let message = Message::builder()
        .from(settings.from.parse()?)
        .to(to.parse()?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
        .port(settings.port)
        .timeout(Some(Duration::from_secs(10)))
        .build();
    transport.send(message).await?;
    Ok(())
}

/// A message with one file attached (a report the recipient opens in a spreadsheet).
pub async fn send_with_attachment(
    settings: &MailSettings,
    to: &str,
    subject: &str,
    body: String,
    file_name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> anyhow::Result<()> {
    use lettre::message::{Attachment, MultiPart, SinglePart};
    let message = Message::builder()
        .from(settings.from.parse()?)
        .to(to.parse()?)
        .subject(subject)
        .multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(body))
                .singlepart(
                    Attachment::new(file_name.to_owned())
                        .body(bytes, ContentType::parse(content_type)?),
                ),
        )?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
        .port(settings.port)
        .timeout(Some(Duration::from_secs(10)))
        .build();
    transport.send(message).await?;
    Ok(())
}
