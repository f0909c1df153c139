//! VK events carry only the author's id: right after a batch is filed, the names of its new
//! questions' authors are asked of VK (`users.get`, one call per community, at most three
//! calls a second per token as VK allows) and written over the `id…` placeholder. A name that
//! cannot be had leaves the placeholder and the profile link, which still lead to the person.

use std::collections::BTreeMap;
use std::time::Duration;

use sqlx::PgPool;

use super::apis::Apis;
use super::secrets::SecretKey;
use crate::ids::{QuestionId, RegionId};

/// What naming needs: the platform and the key the community tokens are sealed with.
#[derive(Clone)]
pub struct Namer {
    pub apis: Apis,
    pub key: Option<SecretKey>,
}

/// A new question from VK whose author is known only by id.
pub struct Unnamed {
    pub region: RegionId,
    pub question: QuestionId,
    pub connection: i64,
    pub from_id: i64,
}

/// VK's placeholder name for a person: what the intake writes until the name is known.
pub fn placeholder(from_id: i64) -> String {
    format!("id{from_id}")
}

pub async fn name_authors(
    db: &PgPool,
    namer: &Namer,
    unnamed: &[Unnamed],
) -> Result<(), sqlx::Error> {
    let Some(key) = &namer.key else {
        return Ok(());
    };
    let mut by_connection: BTreeMap<i64, Vec<&Unnamed>> = BTreeMap::new();
    for u in unnamed.iter().filter(|u| u.from_id > 0) {
        by_connection.entry(u.connection).or_default().push(u);
    }
    for (connection, people) in by_connection {
        let Some(token) = super::db::connection_token(db, connection)
            .await?
            .and_then(|sealed| key.open(&sealed))
        else {
            continue;
        };
        for chunk in people.chunks(1000) {
            let ids: Vec<i64> = chunk.iter().map(|u| u.from_id).collect();
            match namer.apis.vk_names(&token, &ids).await {
                Ok(names) => {
                    let names: BTreeMap<i64, String> = names.into_iter().collect();
                    for u in chunk {
                        if let Some(name) = names.get(&u.from_id) {
                            let mut tx = crate::state::tenant_tx(db, u.region).await?;
                            crate::questions::db::set_author_name(
                                &mut tx,
                                u.region,
                                u.question,
                                name,
                                &placeholder(u.from_id),
                            )
                            .await?;
                            tx.commit().await?;
                        }
                    }
                }
                Err(reason) => {
                    tracing::warn!(connection, reason, "VK did not give the authors' names");
                }
            }
            // VK allows three calls a second per token.
            tokio::time::sleep(Duration::from_millis(340)).await;
        }
    }
    Ok(())
}
