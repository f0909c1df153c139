//! Every SQL statement about questions and their timeline. The region is always the first
//! filter; the organizations a member sees come from `orgs::db::push_visible`.

pub mod api;
pub mod changes;
pub mod housekeeping;
pub mod overdue;
pub mod search;
pub mod templates;

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::clock::{Clocks, Priority};
use crate::ids::{OrgId, PageId, QuestionId, RegionId, UserId};
use crate::orgs::db::push_visible;
use crate::web::access::OrgScope;
use crate::web::forms::{PAGE_SIZE, SelectOption};

/// Everything the question screen and the actions need.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Question {
    pub id: QuestionId,
    pub organization_id: OrgId,
    pub organization_name: String,
    pub answer_approval: bool,
    pub page_id: Option<PageId>,
    pub page_url: Option<String>,
    pub page_platform: Option<String>,
    pub channel: String,
    pub external_id: Option<String>,
    pub author_name: Option<String>,
    pub author_contact: Option<String>,
    pub body: String,
    pub attachments: Vec<String>,
    /// Where the question can be read on its platform, when it arrived from one.
    pub source_url: Option<String>,
    pub category: String,
    pub priority: String,
    pub status: String,
    pub assignee_id: Option<UserId>,
    pub assignee_name: Option<String>,
    pub received_at: DateTime<Utc>,
    pub first_response_due: DateTime<Utc>,
    pub first_response_risk: DateTime<Utc>,
    pub final_due: DateTime<Utc>,
    pub final_risk: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    pub paused_minutes: i32,
    pub answer: Option<String>,
    pub answered_by_name: Option<String>,
    pub draft_answer: Option<String>,
    pub draft_kind: Option<String>,
    pub draft_by: Option<UserId>,
    pub draft_by_name: Option<String>,
    pub draft_returned_comment: Option<String>,
    pub answer_rev: i32,
    pub resolution_reason: Option<String>,
    pub resolution_comment: Option<String>,
    pub duplicate_of: Option<QuestionId>,
    pub reopen_count: i32,
    pub transfer_count: i32,
    pub previous_organization_ids: Vec<i64>,
    pub contacts_erased_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub risk_at: Option<DateTime<Utc>>,
}

impl Question {
    pub fn clocks(&self) -> Clocks {
        Clocks {
            first_response_due: self.first_response_due,
            first_response_risk: self.first_response_risk,
            final_due: self.final_due,
            final_risk: self.final_risk,
        }
    }
}

const QUESTION_SELECT: &str = r#"
    select q.id, q.organization_id, o.name as organization_name, o.answer_approval,
           q.page_id, p.url as page_url, p.platform as page_platform, q.channel, q.external_id,
           q.author_name, q.author_contact, q.body, q.attachments, q.source_url, q.category, q.priority, q.status,
           q.assignee_id, au.name as assignee_name, q.received_at, q.first_response_due,
           q.first_response_risk, q.final_due, q.final_risk, q.first_response_at, q.answered_at,
           q.closed_at, q.paused_at, q.paused_minutes, q.answer, ab.name as answered_by_name,
           q.draft_answer, q.draft_kind, q.draft_by, db.name as draft_by_name, q.draft_returned_comment,
           q.answer_rev, q.resolution_reason, q.resolution_comment, q.duplicate_of, q.reopen_count,
           q.transfer_count, q.previous_organization_ids, q.contacts_erased_at, q.due_at, q.risk_at
    from questions q
    join organizations o on o.region_id = q.region_id and o.id = q.organization_id
    left join pages p on p.region_id = q.region_id and p.id = q.page_id
    left join users au on au.id = q.assignee_id
    left join users ab on ab.id = q.answered_by
    left join users db on db.id = q.draft_by
    where q.region_id = $1 and q.id = $2"#;

pub async fn get(
    db: &mut PgConnection,
    region: RegionId,
    id: QuestionId,
) -> Result<Option<Question>, sqlx::Error> {
    sqlx::query_as(QUESTION_SELECT)
        .bind(region)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The question, its row locked until the transaction ends: concurrent actions queue up and
/// each sees what the one before it did.
pub async fn lock(
    db: &mut PgConnection,
    region: RegionId,
    id: QuestionId,
) -> Result<Option<Question>, sqlx::Error> {
    let found: Option<(i64,)> =
        sqlx::query_as("select id from questions where region_id = $1 and id = $2 for update")
            .bind(region)
            .bind(id)
            .fetch_optional(&mut *db)
            .await?;
    match found {
        Some(_) => get(db, region, id).await,
        None => Ok(None),
    }
}

#[derive(Debug)]
pub struct NewQuestion {
    pub organization_id: OrgId,
    pub page_id: Option<PageId>,
    pub channel: String,
    pub external_id: Option<String>,
    pub author_name: Option<String>,
    pub author_contact: Option<String>,
    pub body: String,
    pub attachments: Vec<String>,
    pub category: String,
    pub priority: Priority,
    pub received_at: DateTime<Utc>,
}

pub async fn insert(
    db: &mut PgConnection,
    region: RegionId,
    q: &NewQuestion,
    c: &Clocks,
) -> Result<QuestionId, sqlx::Error> {
    sqlx::query_scalar(
        r#"insert into questions (region_id, organization_id, page_id, channel, external_id, author_name,
               author_contact, body, attachments, category, priority, received_at,
               first_response_due, first_response_risk, final_due, final_risk)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
           returning id"#,
    )
    .bind(region)
    .bind(q.organization_id)
    .bind(q.page_id)
    .bind(&q.channel)
    .bind(&q.external_id)
    .bind(&q.author_name)
    .bind(&q.author_contact)
    .bind(&q.body)
    .bind(&q.attachments)
    .bind(&q.category)
    .bind(q.priority.code())
    .bind(q.received_at)
    .bind(c.first_response_due)
    .bind(c.first_response_risk)
    .bind(c.final_due)
    .bind(c.final_risk)
    .fetch_one(db)
    .await
}

/// A question to write with its clocks, where it can be read on its platform, and the chat
/// its resident's further messages join it from.
pub struct FiledRow<'a> {
    pub question: &'a NewQuestion,
    pub clocks: Clocks,
    pub source_url: Option<&'a str>,
    pub conversation: Option<&'a str>,
}

/// Many questions in one statement: the summaries' statement trigger then runs once for all
/// of them, not once per question. Returns each new id with its (page, channel, external id).
pub async fn insert_many(
    db: &mut PgConnection,
    region: RegionId,
    rows: &[FiledRow<'_>],
) -> Result<Vec<(QuestionId, Option<PageId>, String, Option<String>)>, sqlx::Error> {
    fn col<T>(rows: &[FiledRow<'_>], f: impl Fn(&FiledRow<'_>) -> T) -> Vec<T> {
        rows.iter().map(f).collect()
    }
    sqlx::query_as(
        r#"insert into questions (region_id, organization_id, page_id, channel, external_id, author_name,
               author_contact, body, attachments, category, priority, received_at,
               first_response_due, first_response_risk, final_due, final_risk, source_url, conversation)
           select $1, r.org, r.page, r.channel, r.external, r.name, r.contact, r.body,
                  array(select jsonb_array_elements_text(r.attachments::jsonb)), r.category, r.priority, r.received,
                  r.fr_due, r.fr_risk, r.final_due, r.final_risk, r.source, r.conversation
           from unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                       $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::text[], $18::text[])
                as r(org, page, channel, external, name, contact, body, attachments, category, priority, received,
                     fr_due, fr_risk, final_due, final_risk, source, conversation)
           returning id, page_id, channel, external_id"#,
    )
    .bind(region)
    .bind(col(rows, |r| r.question.organization_id))
    .bind(col(rows, |r| r.question.page_id))
    .bind(col(rows, |r| r.question.channel.clone()))
    .bind(col(rows, |r| r.question.external_id.clone()))
    .bind(col(rows, |r| r.question.author_name.clone()))
    .bind(col(rows, |r| r.question.author_contact.clone()))
    .bind(col(rows, |r| r.question.body.clone()))
    .bind(col(rows, |r| {
        serde_json::to_string(&r.question.attachments).unwrap_or_else(|_| "[]".into())
    }))
    .bind(col(rows, |r| r.question.category.clone()))
    .bind(col(rows, |r| r.question.priority.code().to_owned()))
    .bind(col(rows, |r| r.question.received_at))
    .bind(col(rows, |r| r.clocks.first_response_due))
    .bind(col(rows, |r| r.clocks.first_response_risk))
    .bind(col(rows, |r| r.clocks.final_due))
    .bind(col(rows, |r| r.clocks.final_risk))
    .bind(col(rows, |r| r.source_url.map(str::to_owned)))
    .bind(col(rows, |r| r.conversation.map(str::to_owned)))
    .fetch_all(db)
    .await
}

/// The author's name learned from the platform, written only over the placeholder the question
/// was filed with (never over a name someone typed or an erased contact).
pub async fn set_author_name(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
    name: &str,
    placeholder: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update questions set author_name = $3 where region_id = $1 and id = $2 and author_name = $4",
    )
    .bind(region)
    .bind(question)
    .bind(name)
    .bind(placeholder)
    .execute(db)
    .await?;
    Ok(())
}

/// The open question a chat's further messages join, if the chat has one.
pub async fn open_in_conversation(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    conversation: &str,
) -> Result<Option<QuestionId>, sqlx::Error> {
    sqlx::query_scalar(
        r#"select id from questions
           where region_id = $1 and page_id = $2 and conversation = $3 and status in ('new', 'in_progress')
           order by id desc limit 1"#,
    )
    .bind(region)
    .bind(page)
    .bind(conversation)
    .fetch_optional(db)
    .await
}

/// The question already registered for this message of this page, if any.
pub async fn find_external(
    db: &mut PgConnection,
    region: RegionId,
    page: PageId,
    channel: &str,
    external_id: &str,
) -> Result<Option<QuestionId>, sqlx::Error> {
    sqlx::query_scalar(
        "select id from questions where region_id = $1 and page_id = $2 and channel = $3 and external_id = $4",
    )
    .bind(region)
    .bind(page)
    .bind(channel)
    .bind(external_id)
    .fetch_optional(db)
    .await
}

/// Every kind of timeline entry (the database refuses others).
pub const EVENT_KINDS: [&str; 22] = [
    "received",
    "assigned",
    "note",
    "interim",
    "draft",
    "approved",
    "returned",
    "answered",
    "paused",
    "resumed",
    "transferred",
    "rejected",
    "duplicate",
    "closed",
    "reopened",
    "escalated",
    "follow_up",
    "delivered",
    "delivery_failed",
    "answered_on_platform",
    "edited",
    "withdrawn",
];

/// One entry of the timeline.
pub struct Event<'a> {
    pub kind: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub public: bool,
    pub body: Option<&'a str>,
    pub details: Value,
}

impl<'a> Event<'a> {
    pub fn new(kind: &'a str) -> Event<'a> {
        Event {
            kind,
            from_status: None,
            to_status: None,
            public: false,
            body: None,
            details: Value::Object(Default::default()),
        }
    }
}

pub async fn add_event(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
    actor: Option<UserId>,
    e: Event<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into question_events (region_id, question_id, actor_id, kind, from_status, to_status, public, body, details)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
    )
    .bind(region)
    .bind(question)
    .bind(actor)
    .bind(e.kind)
    .bind(e.from_status)
    .bind(e.to_status)
    .bind(e.public)
    .bind(e.body)
    .bind(e.details)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub public: bool,
    pub body: Option<String>,
    pub details: Value,
}

pub async fn events(
    db: &mut PgConnection,
    region: RegionId,
    question: QuestionId,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        r#"select e.at, u.name as actor_name, e.kind, e.from_status, e.to_status, e.public, e.body, e.details
           from question_events e left join users u on u.id = e.actor_id
           where e.region_id = $1 and e.question_id = $2
           order by e.at, e.id"#,
    )
    .bind(region)
    .bind(question)
    .fetch_all(db)
    .await
}

/// People who answer for an organization: its editors and heads.
pub async fn handlers_of(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
) -> Result<Vec<SelectOption>, sqlx::Error> {
    sqlx::query_as(
        r#"select distinct u.id, u.name from memberships m join users u on u.id = m.user_id
           where m.region_id = $1 and m.organization_id = $2 and m.role in ('editor', 'head')
             and u.disabled_at is null
           order by u.name, u.id"#,
    )
    .bind(region)
    .bind(org)
    .fetch_all(db)
    .await
}

/// Moves a question's clocks (waiting on the resident, a transfer with a new clock, reopening).
pub async fn set_clocks(
    db: &mut PgConnection,
    region: RegionId,
    id: QuestionId,
    c: &Clocks,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"update questions set first_response_due = $3, first_response_risk = $4, final_due = $5,
                  final_risk = $6, overdue_notified_at = null, updated_at = now()
           where region_id = $1 and id = $2"#,
    )
    .bind(region)
    .bind(id)
    .bind(c.first_response_due)
    .bind(c.first_response_risk)
    .bind(c.final_due)
    .bind(c.final_risk)
    .execute(db)
    .await?;
    Ok(())
}

/// The inbox filters, as they appear in the URL.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    /// "open" (the default), "all" or a status code.
    pub status: String,
    pub org: String,
    pub page_id: String,
    pub category: String,
    pub priority: String,
    /// "me", "none" or a person's id.
    pub assignee: String,
    /// "overdue", "at_risk" or "today".
    pub due: String,
    /// "waiting" (on the resident), "approval" (drafts to approve) or "transferred" (sent
    /// elsewhere by my organizations).
    pub view: String,
    pub q: String,
    /// Received on or after this local date, and on or before `received_to` (YYYY-MM-DD).
    pub received_from: String,
    pub received_to: String,
    pub page: Option<String>,
}

impl InboxQuery {
    pub fn page(&self) -> i64 {
        crate::web::pager::page_number(self.page.as_deref())
    }

    fn id(value: &str) -> Option<i64> {
        value.trim().parse().ok()
    }

    /// The query string with one parameter replaced (or removed when `value` is empty) and
    /// the page reset: the links of the filter bar.
    pub fn with(&self, key: &str, value: &str) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            ("status", self.status.clone()),
            ("org", self.org.clone()),
            ("page_id", self.page_id.clone()),
            ("category", self.category.clone()),
            ("priority", self.priority.clone()),
            ("assignee", self.assignee.clone()),
            ("due", self.due.clone()),
            ("view", self.view.clone()),
            ("q", self.q.clone()),
            ("received_from", self.received_from.clone()),
            ("received_to", self.received_to.clone()),
        ];
        for (k, v) in pairs.iter_mut() {
            if *k == key {
                *v = value.to_owned();
            }
        }
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
            out.append_pair(k, v);
        }
        out.finish()
    }

    pub fn page_link(&self, page: i64) -> String {
        let base = self.with("", "");
        if base.is_empty() {
            format!("page={page}")
        } else {
            format!("{base}&page={page}")
        }
    }
}

/// Bounds and identity the inbox query needs besides the URL.
pub struct InboxContext<'a> {
    pub region: RegionId,
    /// The organizations in scope (see `scope_ids`); `None` for the whole region.
    pub ids: Option<&'a [i64]>,
    /// The organizations the member answers for, whose transfers they follow.
    pub own: &'a [i64],
    pub me: UserId,
    pub now: DateTime<Utc>,
    pub today: (DateTime<Utc>, DateTime<Utc>),
    pub tz: chrono_tz::Tz,
    /// What the typed words match (`search::matching`); `None` when no words were typed.
    pub found: Option<&'a search::Found>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InboxRow {
    pub id: QuestionId,
    pub organization_id: OrgId,
    pub organization_name: String,
    pub page_platform: Option<String>,
    pub category: String,
    pub priority: String,
    pub status: String,
    pub channel: String,
    pub excerpt: String,
    pub received_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub risk_at: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    pub assignee_name: Option<String>,
    pub has_draft: bool,
}

/// The organizations whose questions a member sees: `None` for the whole region. Resolved
/// once per request, so the question queries filter on an indexed column instead of
/// re-deriving the scope for every row.
pub async fn scope_ids(
    db: &mut PgConnection,
    region: RegionId,
    scope: &OrgScope,
) -> Result<Option<Vec<i64>>, sqlx::Error> {
    if scope.all {
        return Ok(None);
    }
    // A member's own organizations are the region's already (memberships reference them):
    // only municipalities and subtrees need the organizations read.
    if scope.municipalities.is_empty() && scope.subtrees.is_empty() {
        let mut own = scope.organizations.clone();
        own.sort_unstable();
        own.dedup();
        return Ok(Some(own));
    }
    let mut q = QueryBuilder::new("select o.id from organizations o where o.region_id = ");
    q.push_bind(region).push(" and ");
    push_visible(&mut q, region, scope);
    Ok(Some(q.build_query_scalar().fetch_all(db).await?))
}

enum Assignee {
    Any,
    Nobody,
    Person(i64),
}

/// The filters of the URL, checked: unknown values mean "no filter", never an error.
struct FilterValues {
    status: String,
    org: Option<i64>,
    page_id: Option<i64>,
    category: Option<String>,
    priority: Option<String>,
    assignee: Assignee,
    due: String,
    view: String,
    /// The words searched for, each a prefix in Russian word forms.
    words: Option<crate::directory::query::SearchText>,
    /// A question's number typed with or without «#».
    number: Option<i64>,
    received_from: Option<DateTime<Utc>>,
    received_to: Option<DateTime<Utc>>,
}

impl FilterValues {
    /// Whether the words are the only condition besides the member's scope, as
    /// `search::matching` searched them.
    fn words_alone(&self) -> bool {
        self.words.is_some() && self.status == "all" && self.no_other_filter()
    }

    /// Whether the status is the only condition besides the member's scope, so that
    /// `question_statuses` holds the number of matches.
    fn status_alone(&self) -> bool {
        self.words.is_none() && self.number.is_none() && self.no_other_filter()
    }

    /// No filter but the status and the words.
    fn no_other_filter(&self) -> bool {
        self.org.is_none()
            && self.page_id.is_none()
            && self.category.is_none()
            && self.priority.is_none()
            && matches!(self.assignee, Assignee::Any)
            && !matches!(self.due.as_str(), "overdue" | "at_risk" | "today")
            && !matches!(self.view.as_str(), "waiting" | "approval" | "transferred")
            && self.received_from.is_none()
            && self.received_to.is_none()
    }
}

fn filter_values(f: &InboxQuery, ctx: &InboxContext) -> FilterValues {
    let status = match f.status.as_str() {
        "" | "open" => "open".to_owned(),
        s if s == "all" || super::workflow::Status::parse(s).is_some() => s.to_owned(),
        _ => "open".to_owned(),
    };
    let assignee = match f.assignee.as_str() {
        "me" => Assignee::Person(ctx.me.0),
        "none" => Assignee::Nobody,
        other => InboxQuery::id(other).map_or(Assignee::Any, Assignee::Person),
    };
    let text = f.q.trim();
    FilterValues {
        status,
        org: InboxQuery::id(&f.org),
        page_id: InboxQuery::id(&f.page_id),
        category: crate::web::forms::optional(&f.category),
        priority: crate::web::forms::optional(&f.priority),
        assignee,
        due: f.due.clone(),
        view: f.view.clone(),
        // «#123» is a question's number only; «123» may also be a house number in the text.
        words: search::typed_words(f),
        number: text.trim_start_matches('#').parse().ok(),
        received_from: local_midnight(&f.received_from, ctx.tz, 0),
        received_to: local_midnight(&f.received_to, ctx.tz, 1),
    }
}

/// The start of a local date (`days_after` later), or none when the text is not a date.
fn local_midnight(value: &str, tz: chrono_tz::Tz, days_after: i64) -> Option<DateTime<Utc>> {
    let day = chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()?
        + chrono::Duration::days(days_after);
    crate::regions::time::start_of_day(day, tz)
}

type Builder<'a> = QueryBuilder<'a, Postgres>;

/// What is due first on top, the newest first among equal due times: the inbox's order, which
/// the search's list of matches follows too.
pub(super) const INBOX_ORDER: &str = "q.due_at nulls last, q.received_at desc, q.id desc";

/// The inbox counts matches up to this many; more shows as "over 10 000".
pub const TOTAL_CAP: i64 = 10_000;
/// A search matching at most this many questions sorts them itself; more are found walking
/// the scope in due order, where 25 matches come soon.
const SORTED_AFTER_SEARCH: i64 = 2_000;

/// How a statement tells which questions the typed words match.
#[derive(Clone, Copy, PartialEq)]
enum WordsTest<'a> {
    /// By the numbers `search::matching` listed, when it listed them.
    Listed,
    /// By these of the listed numbers: the page's, when the list is in the inbox's order.
    Only(&'a [i64]),
    /// By each question's words, on the way through the inbox's order: for a page of a long
    /// list this reads a few hundred questions, where a list of thousands of numbers costs
    /// milliseconds to plan (the planner weighs every element).
    Text,
}

/// `from … where …` of the inbox: only the filters in use become SQL, so each combination
/// gets a plan fitted to it.
fn push_from(qb: &mut Builder<'_>, v: &FilterValues, ctx: &InboxContext<'_>, test: WordsTest<'_>) {
    qb.push(" from questions q join organizations o on o.region_id = q.region_id and o.id = q.organization_id where q.region_id = ")
        .push_bind(ctx.region);
    if v.view == "transferred" {
        push_transferred_away(qb, "q", ctx.own);
    } else {
        search::push_orgs(qb, "q", ctx.ids);
    }
    push_status(qb, "q", &v.status);
    if let Some(org) = v.org {
        qb.push(" and q.organization_id = ").push_bind(org);
    }
    if let Some(page) = v.page_id {
        qb.push(" and q.page_id = ").push_bind(page);
    }
    if let Some(category) = &v.category {
        qb.push(" and q.category = ").push_bind(category.clone());
    }
    if let Some(priority) = &v.priority {
        qb.push(" and q.priority = ").push_bind(priority.clone());
    }
    match v.assignee {
        Assignee::Any => {}
        Assignee::Nobody => {
            qb.push(" and q.assignee_id is null");
        }
        Assignee::Person(id) => {
            qb.push(" and q.assignee_id = ").push_bind(id);
        }
    }
    match v.due.as_str() {
        "overdue" => {
            qb.push(" and q.due_at <= ").push_bind(ctx.now);
        }
        "at_risk" => {
            qb.push(" and q.risk_at <= ")
                .push_bind(ctx.now)
                .push(" and q.due_at > ")
                .push_bind(ctx.now);
        }
        "today" => {
            qb.push(" and q.due_at >= ")
                .push_bind(ctx.today.0)
                .push(" and q.due_at < ")
                .push_bind(ctx.today.1);
        }
        _ => {}
    }
    match v.view.as_str() {
        "waiting" => {
            qb.push(" and q.paused_at is not null and q.status in ('new', 'in_progress')");
        }
        "approval" => {
            qb.push(" and q.awaiting_approval");
        }
        _ => {}
    }
    if let Some(from) = v.received_from {
        qb.push(" and q.received_at >= ").push_bind(from);
    }
    if let Some(to) = v.received_to {
        qb.push(" and q.received_at < ").push_bind(to);
    }
    match (&v.words, v.number) {
        (Some(words), number) => {
            let listed = match (ctx.found, test) {
                (_, WordsTest::Only(ids)) => Some(ids),
                (Some(search::Found::Listed(ids)), WordsTest::Listed) => Some(ids.as_slice()),
                _ => None,
            };
            match listed {
                Some(ids) => qb
                    .push(" and (q.id = any(")
                    .push_bind(ids.to_vec())
                    .push(")"),
                // Each question's words are tested on the way, by the function behind `@@`, so
                // the planner walks the inbox's order instead of reading every match from the
                // text index and sorting them.
                None => {
                    qb.push(" and (ts_match_vq(q.search_words, ");
                    search::push_query(qb, ctx.region, words);
                    qb.push(")")
                }
            };
            if let Some(id) = number {
                qb.push(" or q.id = ").push_bind(id);
            }
            qb.push(")");
        }
        (None, Some(id)) => {
            qb.push(" and q.id = ").push_bind(id);
        }
        (None, None) => {}
    }
}

/// How many questions the filters match, up to `TOTAL_CAP + 1`: past the cap the exact
/// number costs a scan of the region and tells a person nothing the filters would not.
async fn count(
    db: &mut PgConnection,
    v: &FilterValues,
    ctx: &InboxContext<'_>,
    cached_plan: bool,
) -> Result<i64, sqlx::Error> {
    let mut qb = Builder::new("select count(*) from (select 1");
    push_from(&mut qb, v, ctx, WordsTest::Listed);
    qb.push(" limit ")
        .push_bind(TOTAL_CAP + 1)
        .push(") matches");
    qb.build_query_scalar()
        .persistent(cached_plan)
        .fetch_one(db)
        .await
}

/// How many questions of the scope have the status filtered for, from the per-organization
/// summary, capped as `count` is.
async fn count_from_statuses(
    db: &mut PgConnection,
    v: &FilterValues,
    ctx: &InboxContext<'_>,
) -> Result<i64, sqlx::Error> {
    let mut qb = Builder::new("select least(coalesce(sum(s.questions), 0), ");
    qb.push_bind(TOTAL_CAP + 1)
        .push(")::int8 from question_statuses s where s.region_id = ")
        .push_bind(ctx.region);
    search::push_orgs(&mut qb, "s", ctx.ids);
    push_status(&mut qb, "s", &v.status);
    qb.build_query_scalar().fetch_one(db).await
}

/// `and` the question's status (`table`) is the one filtered for: every status, the open
/// ones, or one.
fn push_status(qb: &mut Builder<'_>, table: &str, status: &str) {
    match status {
        "all" => {}
        "open" => {
            qb.push(format!(" and {table}.status in ('new', 'in_progress')"));
        }
        status => {
            qb.push(format!(" and {table}.status = "))
                .push_bind(status.to_owned());
        }
    }
}

/// How many questions the inbox's filters match.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Total {
    /// Counted up to `TOTAL_CAP + 1`, or estimated.
    pub count: i64,
    /// Estimated from a sample: common words in a large scope, shown as "about".
    pub estimated: bool,
}

impl Total {
    fn exact(count: i64) -> Total {
        Total {
            count,
            estimated: false,
        }
    }
}

/// One page of the inbox, what is due first on top, and the number of matches.
/// `counts` are the quick filters' (from `counts`): they already hold the totals of the open
/// statuses and of the answered one.
pub async fn inbox(
    db: &mut PgConnection,
    ctx: &InboxContext<'_>,
    f: &InboxQuery,
    counts: &InboxCounts,
) -> Result<(Vec<InboxRow>, Total), sqlx::Error> {
    let v = filter_values(f, ctx);
    // Planned for the words searched each time: a plan made once for any words guesses ten
    // matches for every phrase and joins thousands of rows one by one.
    let cached_plan = v.words.is_none();
    // When the words are the only filter, the search already counted them in this very
    // scope: counting again would plan thousands of numbers, or walk the scope testing every
    // question's words.
    let words_alone = v.words_alone() && v.number.is_none();
    let total = match ctx.found {
        Some(search::Found::BeyondCount) if v.words_alone() => Total::exact(TOTAL_CAP + 1),
        Some(search::Found::Listed(ids)) if words_alone => Total::exact(ids.len() as i64),
        Some(search::Found::About(about)) if words_alone => Total {
            count: *about,
            estimated: true,
        },
        // Every question of the scope counted by walking it grows with the history kept
        // (an editor's 4,743 questions of three years: 45 ms against 25 for one year).
        _ if v.status_alone() => Total::exact(match counts.of_status(&v.status) {
            Some(counted) => counted.min(TOTAL_CAP + 1),
            None => count_from_statuses(db, &v, ctx).await?,
        }),
        _ => Total::exact(count(db, &v, ctx, cached_plan).await?),
    };
    let offset = crate::web::pager::offset(f.page());
    let mut qb = Builder::new("");
    // The listed numbers are in the inbox's order: the page reads its own fifty.
    let page_of_list = match ctx.found {
        Some(search::Found::Listed(ids)) if words_alone => {
            let start = (offset as usize).min(ids.len());
            Some(&ids[start..(start + PAGE_SIZE as usize).min(ids.len())])
        }
        _ => None,
    };
    // Words that match few questions, with other filters: the listed ones are sorted, instead
    // of walking the scope in due order and reading every text on the way. Words common in
    // the scope were not listed, and the walk finds a page of them soon.
    let found_by_words = page_of_list.is_none()
        && matches!(ctx.found, Some(search::Found::Listed(_)))
        && total.count <= SORTED_AFTER_SEARCH;
    if found_by_words {
        qb.push("with matched as materialized (select q.id");
        push_from(&mut qb, &v, ctx, WordsTest::Listed);
        qb.push(") ");
    }
    qb.push(
        r#"select q.id, q.organization_id, o.name as organization_name,
                  (select p.platform from pages p where p.region_id = q.region_id and p.id = q.page_id) as page_platform,
                  q.category, q.priority, q.status, q.channel, left(q.body, 160) as excerpt, q.received_at,
                  q.due_at, q.risk_at, q.paused_at,
                  (select u.name from users u where u.id = q.assignee_id) as assignee_name,
                  q.awaiting_approval as has_draft"#,
    );
    if found_by_words {
        qb.push(
            " from matched m join questions q on q.id = m.id \
             join organizations o on o.region_id = q.region_id and o.id = q.organization_id",
        );
    } else if let Some(page) = page_of_list {
        push_from(&mut qb, &v, ctx, WordsTest::Only(page));
    } else {
        // Deep in a long list the walk would test the words of thousands of questions
        // before the page; the listed numbers are then cheaper than the walk.
        let test = if offset < search::WALKED_BEFORE_PAGE {
            WordsTest::Text
        } else {
            WordsTest::Listed
        };
        push_from(&mut qb, &v, ctx, test);
    }
    let skipped = if page_of_list.is_some() { 0 } else { offset };
    qb.push(" order by ")
        .push(INBOX_ORDER)
        .push(" limit ")
        .push_bind(PAGE_SIZE)
        .push(" offset ")
        .push_bind(skipped);
    let rows = qb
        .build_query_as::<InboxRow>()
        .persistent(cached_plan)
        .fetch_all(&mut *db)
        .await?;
    // A short page of an estimated list is its last: the matches are now known exactly.
    let total = if total.estimated && (rows.len() as i64) < PAGE_SIZE {
        Total::exact(offset + rows.len() as i64)
    } else {
        total
    };
    Ok((rows, total))
}

/// How many questions each quick filter would show, over everything the member sees.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct InboxCounts {
    pub open: i64,
    pub new: i64,
    pub in_progress: i64,
    pub answered: i64,
    pub overdue: i64,
    pub at_risk: i64,
    pub due_today: i64,
    pub mine: i64,
    pub unassigned: i64,
    pub waiting: i64,
    pub approval: i64,
    pub transferred: i64,
}

impl InboxCounts {
    /// How many questions have this status (`open` for both open ones), when counted here.
    fn of_status(&self, status: &str) -> Option<i64> {
        match status {
            "open" => Some(self.open),
            "new" => Some(self.new),
            "in_progress" => Some(self.in_progress),
            "answered" => Some(self.answered),
            _ => None,
        }
    }
}

/// Counts over open questions only (they are few, and indexed apart), the answered ones from
/// the per-organization summary (`question_statuses`) and the transferred ones from theirs.
pub async fn counts(
    db: &mut PgConnection,
    ctx: &InboxContext<'_>,
) -> Result<InboxCounts, sqlx::Error> {
    // Every row read is open: the conditions below need not say so again.
    let mut qb = Builder::new(
        r#"select count(*) as open,
                  count(*) filter (where q.status = 'new') as new,
                  count(*) filter (where q.status = 'in_progress') as in_progress,
                  count(*) filter (where q.due_at <= "#,
    );
    qb.push_bind(ctx.now)
        .push(") as overdue, count(*) filter (where q.risk_at <= ")
        .push_bind(ctx.now)
        .push(" and q.due_at > ")
        .push_bind(ctx.now)
        .push(") as at_risk, count(*) filter (where q.due_at >= ")
        .push_bind(ctx.today.0)
        .push(" and q.due_at < ")
        .push_bind(ctx.today.1)
        .push(") as due_today, count(*) filter (where q.assignee_id = ")
        .push_bind(ctx.me)
        .push(
            r#") as mine,
                  count(*) filter (where q.assignee_id is null) as unassigned,
                  count(*) filter (where q.paused_at is not null) as waiting,
                  count(*) filter (where q.awaiting_approval) as approval,
                  "#,
        );
    push_transferred(&mut qb, ctx);
    qb.push(
        r#" as transferred,
                  (select coalesce(sum(s.questions), 0)::bigint from question_statuses s
                   where s.status = 'answered' and s.region_id = "#,
    )
    .push_bind(ctx.region);
    search::push_orgs(&mut qb, "s", ctx.ids);
    qb.push(") as answered from questions q where q.region_id = ")
        .push_bind(ctx.region)
        .push(" and q.status in ('new', 'in_progress')");
    search::push_orgs(&mut qb, "q", ctx.ids);
    qb.build_query_as().fetch_one(&mut *db).await
}

/// How many questions the member's own organizations transferred away and no longer hold.
/// One organization's is kept in `question_transfers_away`; a question transferred between
/// several of a member's organizations would be counted once for each of them there, so
/// theirs are counted live.
fn push_transferred(qb: &mut Builder<'_>, ctx: &InboxContext<'_>) {
    match ctx.own {
        [] => {
            qb.push("0::bigint");
        }
        [org] => {
            qb.push("(select coalesce(sum(t.questions), 0)::bigint from question_transfers_away t where t.region_id = ")
                .push_bind(ctx.region)
                .push(" and t.organization_id = ")
                .push_bind(*org)
                .push(")");
        }
        own => {
            qb.push("(select count(*) from questions t where t.region_id = ")
                .push_bind(ctx.region);
            push_transferred_away(qb, "t", own);
            qb.push(")");
        }
    }
}

/// `and` the question (`table`) was transferred away from one of `own` and none of them
/// holds it now.
fn push_transferred_away(qb: &mut Builder<'_>, table: &str, own: &[i64]) {
    qb.push(format!(
        " and {table}.transfer_count > 0 and {table}.previous_organization_ids && "
    ))
    .push_bind(own.to_vec())
    .push(format!(" and not ({table}.organization_id = any("))
    .push_bind(own.to_vec())
    .push("))");
}

/// Open and overdue questions in a member's scope, for the region overview.
pub async fn open_counts(
    db: &mut PgConnection,
    region: RegionId,
    scope: &OrgScope,
) -> Result<(i64, i64), sqlx::Error> {
    let ids = scope_ids(db, region, scope).await?;
    sqlx::query_as(
        r#"select count(*), count(*) filter (where q.due_at <= now()) from questions q
           where q.region_id = $1 and q.status in ('new', 'in_progress')
             and ($2::bigint[] is null or q.organization_id = any($2))"#,
    )
    .bind(region)
    .bind(&ids)
    .fetch_one(db)
    .await
}

/// The pages of these organizations, which a member files or filters questions by.
pub async fn pages_of(
    db: &mut PgConnection,
    region: RegionId,
    orgs: &[i64],
) -> Result<Vec<SelectOption>, sqlx::Error> {
    // A coordinator answers for no organization: nothing to read.
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(
        r#"select p.id, o.name || ' — ' || p.url as name
           from pages p join organizations o on o.region_id = p.region_id and o.id = p.organization_id
           where p.region_id = $1 and p.organization_id = any($2)
           order by o.name, p.url limit 500"#,
    )
    .bind(region)
    .bind(orgs)
    .fetch_all(db)
    .await
}

/// Whether the organization's answers wait for its head's approval.
pub async fn approval_on(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("select answer_approval from organizations where region_id = $1 and id = $2")
        .bind(region)
        .bind(org)
        .fetch_one(db)
        .await
}

pub async fn set_approval(
    db: &mut PgConnection,
    region: RegionId,
    org: OrgId,
    on: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("update organizations set answer_approval = $3, updated_at = now() where region_id = $1 and id = $2")
        .bind(region)
        .bind(org)
        .bind(on)
        .execute(db)
        .await?;
    Ok(())
}
