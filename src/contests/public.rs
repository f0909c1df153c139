//! What residents see of contests: the region's contests, a contest's page with its
//! nominees (and, once published, the results), the vote, and the e-mail code that confirms
//! it where the contest asks for one.

use std::collections::HashMap;
use std::net::IpAddr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;

use super::db::votes::{self, Cast, Mine, NewVote};
use super::db::{self, Contest, Nomination, Nominee};
use super::voter;
use crate::error::{AppError, AppResult};
use crate::ids::PageId;
use crate::public_questions::db::count_submission;
use crate::state::AppState;
use crate::web::access::ClientAddr;
use crate::web::public::PublicChrome;
use crate::web::redirect;
use crate::web::render::{private_page as private, render};
use crate::web::session::{Session, cookie_value, hash_token, hex};

/// New voters one network may get in an hour: a school votes from one address.
const NEW_VOTERS_PER_BLOCK: i32 = 50;
/// Votes one network may cast in one nomination in an hour.
const VOTES_PER_BLOCK: i32 = 50;
/// Tries at a confirmation code per voter in an hour.
const CODE_TRIES: i32 = 10;
const HOUR: f64 = 3600.0;

#[derive(Deserialize)]
pub struct ContestPath {
    #[allow(dead_code)]
    region: String,
    id: i64,
}

#[derive(Template)]
#[template(path = "public/contests.html")]
pub struct ListScreen {
    pub chrome: PublicChrome,
    pub region_slug: String,
    pub region_name: String,
    pub contests: Vec<Contest>,
    pub tz: chrono_tz::Tz,
}

impl ListScreen {
    pub fn when(&self, t: &chrono::DateTime<Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }
}

pub async fn list(State(state): State<AppState>, chrome: PublicChrome) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let mut tx = state.tenant(region.id).await?;
    let contests = db::list(&mut tx, region.id).await?;
    tx.commit().await?;
    render(&ListScreen {
        tz: crate::regions::time::zone_of(&region.time_zone),
        region_slug: region.slug,
        region_name: region.name,
        contests,
        chrome,
    })
}

/// One nomination on the contest page.
pub struct Race {
    pub nomination: Nomination,
    pub nominees: Vec<(Nominee, Option<i64>, bool)>,
    /// The page this visitor voted for, and whether the vote awaits its code.
    pub mine: Option<(PageId, bool)>,
}

#[derive(Template)]
#[template(path = "public/contest.html")]
pub struct ContestScreen {
    pub chrome: PublicChrome,
    pub csrf: String,
    pub region_slug: String,
    pub contest: Contest,
    pub races: Vec<Race>,
    pub open: bool,
    pub over: bool,
    pub notice: Option<String>,
    pub email: String,
    pub tz: chrono_tz::Tz,
}

impl ContestScreen {
    pub fn when(&self, t: &chrono::DateTime<Utc>) -> String {
        crate::regions::time::local(t, self.tz)
    }

    pub fn published(&self) -> bool {
        self.contest.results_published_at.is_some()
    }
}

/// The visitor's voter id, when their cookie is one this installation signed.
async fn voter_of(state: &AppState, headers: &HeaderMap) -> AppResult<(Vec<u8>, Option<Vec<u8>>)> {
    let key = key(state).await?;
    let voter = cookie_value(headers, voter::COOKIE).and_then(|v| voter::verify(&key, &v));
    Ok((key, voter))
}

async fn key(state: &AppState) -> AppResult<Vec<u8>> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(db::signing_key(&state.db, "vote", &fresh).await?)
}

#[allow(clippy::too_many_arguments)]
async fn screen(
    state: &AppState,
    chrome: PublicChrome,
    session: &Session,
    id: i64,
    voter: Option<&[u8]>,
    notice: Option<String>,
    email: String,
) -> AppResult<ContestScreen> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let mut tx = state.tenant(region.id).await?;
    let contest = db::get(&mut tx, region.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let nominations = db::nominations(&mut tx, region.id, id).await?;
    let nominees = db::nominees(&mut tx, region.id, id).await?;
    let mine = match voter {
        Some(v) => votes::mine(&mut tx, region.id, id, v).await?,
        None => Vec::new(),
    };
    let published = contest.results_published_at.is_some();
    let tally = if published {
        votes::tally(&mut tx, region.id, id).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let now = Utc::now();
    Ok(ContestScreen {
        csrf: session.ensure().await?.csrf_token,
        races: races(nominations, nominees, &mine, &tally, published),
        open: contest.is_open(now),
        over: contest.is_over(now),
        tz: crate::regions::time::zone_of(&region.time_zone),
        region_slug: region.slug,
        contest,
        notice,
        email,
        chrome,
    })
}

/// Nominees by nomination, with their votes and the winners once the results are public.
fn races(
    nominations: Vec<Nomination>,
    nominees: Vec<Nominee>,
    mine: &[Mine],
    tally: &[votes::Tally],
    published: bool,
) -> Vec<Race> {
    let counts: HashMap<(i64, PageId), i64> = tally
        .iter()
        .map(|t| ((t.nomination_id, t.page_id), t.votes))
        .collect();
    nominations
        .into_iter()
        .map(|nomination| {
            let of: Vec<Nominee> = nominees
                .iter()
                .filter(|n| n.nomination_id == nomination.id)
                .cloned()
                .collect();
            let votes = |n: &Nominee| counts.get(&(n.nomination_id, n.page_id)).copied();
            let top = of.iter().filter_map(votes).max().unwrap_or(0);
            let nominees = of
                .iter()
                .map(|n| {
                    let v = published.then(|| votes(n).unwrap_or(0));
                    (n.clone(), v, published && top > 0 && v == Some(top))
                })
                .collect();
            let mine = mine
                .iter()
                .find(|m| m.nomination_id == nomination.id)
                .map(|m| (m.page_id, !m.confirmed));
            Race {
                nomination,
                nominees,
                mine,
            }
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    chrome: PublicChrome,
    session: Session,
    headers: HeaderMap,
    Path(path): Path<ContestPath>,
) -> AppResult<Response> {
    let (_, voter) = voter_of(&state, &headers).await?;
    let notice = session.take_flash().await?;
    let s = screen(
        &state,
        chrome,
        &session,
        path.id,
        voter.as_deref(),
        notice,
        String::new(),
    )
    .await?;
    private(StatusCode::OK, &s)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct VoteForm {
    pub nomination: String,
    pub page: String,
    pub email: String,
}

/// The network a vote is counted by: IPv4 /24, IPv6 /48.
pub fn block_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

pub async fn vote(
    State(state): State<AppState>,
    chrome: PublicChrome,
    session: Session,
    headers: HeaderMap,
    ClientAddr(address): ClientAddr,
    Path(path): Path<ContestPath>,
    Form(form): Form<VoteForm>,
) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let l = chrome.locale;
    let (key, known) = voter_of(&state, &headers).await?;
    let block = address.map(block_of);
    let nomination: i64 = form
        .nomination
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let page = PageId(form.page.trim().parse().map_err(|_| AppError::NotFound)?);
    let mut tx = state.tenant(region.id).await?;
    let contest = db::get(&mut tx, region.id, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !db::is_nominee(&mut tx, region.id, contest.id, nomination, page).await? {
        return Err(AppError::NotFound);
    }
    let email = form.email.trim().to_lowercase();
    let refusal = if !contest.is_open(Utc::now()) {
        Some((StatusCode::CONFLICT, "contest-vote-closed"))
    } else if contest.email_confirmation && !crate::public_questions::form::is_email(&email) {
        Some((StatusCode::UNPROCESSABLE_ENTITY, "contest-email-needed"))
    } else {
        None
    };
    // A new voter is issued only as many times an hour per network.
    let (voter, new_cookie) = match (&refusal, known) {
        (_, Some(v)) => (Some(v), None),
        (Some(_), None) => (None, None),
        (None, None) => {
            let over = match &block {
                Some(b) => {
                    count_submission(&mut tx, &format!("voter:{b}"), HOUR).await?
                        > NEW_VOTERS_PER_BLOCK
                }
                None => false,
            };
            if over {
                (None, None)
            } else {
                let (cookie, v) = voter::issue(&key);
                (Some(v), Some(cookie))
            }
        }
    };
    let refusal = refusal.or(match (&voter, &block) {
        (None, _) => Some((StatusCode::TOO_MANY_REQUESTS, "contest-vote-limit")),
        (Some(_), Some(b)) => {
            let hits = count_submission(&mut tx, &format!("vote:{nomination}:{b}"), HOUR).await?;
            (hits > VOTES_PER_BLOCK)
                .then_some((StatusCode::TOO_MANY_REQUESTS, "contest-vote-limit"))
        }
        (Some(_), None) => None,
    });
    if let Some((status, key)) = refusal {
        tx.rollback().await?;
        let s = screen(
            &state,
            chrome,
            &session,
            path.id,
            voter.as_deref(),
            Some(l.t(key)),
            form.email,
        )
        .await?;
        return private(status, &s);
    }
    let voter = voter.expect("a voter when nothing refused");
    let code = contest.email_confirmation.then(code);
    let email_hash = code.as_ref().map(|_| hash_token(&email));
    let code_hash = code.as_deref().map(hash_token);
    let cast = votes::cast(
        &mut tx,
        region.id,
        &NewVote {
            contest: contest.id,
            nomination,
            page,
            voter: &voter,
            address_block: block.as_deref(),
            email_hash: email_hash.as_deref(),
            code_hash: code_hash.as_deref(),
        },
    )
    .await?;
    let mut response = if cast == Cast::Already {
        tx.rollback().await?;
        let s = screen(
            &state,
            chrome,
            &session,
            path.id,
            Some(&voter),
            Some(l.t("contest-voted-already")),
            String::new(),
        )
        .await?;
        private(StatusCode::CONFLICT, &s)?
    } else {
        tx.commit().await?;
        match code {
            Some(code) => {
                super::mail::send_code(&state, l, &email, &contest.title, &code).await;
                redirect(&format!(
                    "/r/{}/contests/{}/confirm",
                    region.slug, contest.id
                ))
            }
            None => {
                session.set_flash(l.t("contest-voted")).await?;
                redirect(&format!("/r/{}/contests/{}", region.slug, contest.id))
            }
        }
    };
    if let Some(cookie) = new_cookie {
        let value = voter::set_cookie(&cookie, state.settings.secure_cookies);
        response.headers_mut().append(
            SET_COOKIE,
            value
                .parse()
                .map_err(|_| AppError::Internal(anyhow::anyhow!("cookie")))?,
        );
    }
    Ok(response)
}

/// Six digits.
fn code() -> String {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).expect("the OS random number generator is unavailable");
    format!("{:06}", u32::from_le_bytes(bytes) % 1_000_000)
}

#[derive(Template)]
#[template(path = "public/contest_confirm.html")]
pub struct ConfirmScreen {
    pub chrome: PublicChrome,
    pub csrf: String,
    pub region_slug: String,
    pub contest: Contest,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    pub code: String,
}

async fn confirm_screen(
    state: &AppState,
    chrome: PublicChrome,
    session: &Session,
    id: i64,
    error: Option<String>,
) -> AppResult<ConfirmScreen> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let mut tx = state.tenant(region.id).await?;
    let contest = db::get(&mut tx, region.id, id)
        .await?
        .filter(|c| c.email_confirmation)
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(ConfirmScreen {
        csrf: session.ensure().await?.csrf_token,
        region_slug: region.slug,
        contest,
        error,
        chrome,
    })
}

pub async fn confirm_form(
    State(state): State<AppState>,
    chrome: PublicChrome,
    session: Session,
    Path(path): Path<ContestPath>,
) -> AppResult<Response> {
    let s = confirm_screen(&state, chrome, &session, path.id, None).await?;
    private(StatusCode::OK, &s)
}

pub async fn confirm(
    State(state): State<AppState>,
    chrome: PublicChrome,
    session: Session,
    headers: HeaderMap,
    Path(path): Path<ContestPath>,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let region = chrome.region.clone().ok_or(AppError::NotFound)?;
    let l = chrome.locale;
    let (_, voter) = voter_of(&state, &headers).await?;
    let refusal = match voter {
        // No voter of ours: no vote waits for this code.
        None => Some((StatusCode::UNPROCESSABLE_ENTITY, "contest-code-wrong")),
        Some(voter) => {
            let mut tx = state.tenant(region.id).await?;
            let tries = count_submission(&mut tx, &format!("code:{}", hex(&voter)), HOUR).await?;
            let refusal = if tries > CODE_TRIES {
                Some((StatusCode::TOO_MANY_REQUESTS, "contest-vote-limit"))
            } else {
                let code = hash_token(form.code.trim());
                let confirmed = votes::confirm(&mut tx, region.id, path.id, &voter, &code).await?;
                (confirmed == 0).then_some((StatusCode::UNPROCESSABLE_ENTITY, "contest-code-wrong"))
            };
            tx.commit().await?;
            refusal
        }
    };
    match refusal {
        None => {
            session.set_flash(l.t("contest-vote-confirmed")).await?;
            Ok(redirect(&format!(
                "/r/{}/contests/{}",
                region.slug, path.id
            )))
        }
        Some((status, key)) => {
            let s = confirm_screen(&state, chrome, &session, path.id, Some(l.t(key))).await?;
            private(status, &s)
        }
    }
}
