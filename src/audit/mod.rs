//! The audit log: every change that matters, written in the same transaction as the change,
//! as a typed entry (`Entry`: who, in which region, did what to which object). The database
//! keeps it append-only; admins browse their region's part of it.

mod browse;
pub mod db;

use std::fmt;

use axum::routing::get;
use serde_json::Value;
use sqlx::PgConnection;

use crate::ids::{RegionId, UserId};
use crate::web::access::RegionAccess;
use crate::web::routes::{Access, GET, Routes};

pub fn router() -> Routes {
    Routes::new().add(
        "/r/{region}/audit",
        &[(GET, Access::RegionAdmin)],
        get(browse::list),
    )
}

/// Declares a closed set of codes the log stores, each with a label `audit-<kind>-<code>`
/// in the catalog.
macro_rules! codes {
    ($(#[$doc:meta])* $name:ident, $all:ident, { $($variant:ident => $code:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        /// Every value, for the catalog check.
        pub const $all: &[$name] = $name::ALL;
    };
}

codes!(
    /// What was done.
    Action, ACTIONS, {
        Erase => "erase",
        Delete => "delete",
        Disable => "disable",
        Enable => "enable",
        Revoke => "revoke",
        Resend => "resend",
        Create => "create",
        Update => "update",
        SignIn => "sign_in",
        Accept => "accept",
        Commit => "commit",
        View => "view",
        ChangePassword => "change_password",
        IssuePasswordReset => "issue_password_reset",
        ResetPassword => "reset_password",
        ImportCreate => "import_create",
        ImportUpdate => "import_update",
        Void => "void",
        Publish => "publish",
    }
);

codes!(
    /// What it was done to.
    Object, OBJECT_TYPES, {
        PageFigures => "page_figures",
        QuestionContacts => "question_contacts",
        Settings => "settings",
        Membership => "membership",
        Organization => "organization",
        Page => "page",
        Municipality => "municipality",
        Sector => "sector",
        Region => "region",
        Invitation => "invitation",
        User => "user",
        Import => "import",
        Channel => "channel",
        FederalOverview => "federal_overview",
        ApiToken => "api_token",
        Question => "question",
        ReadToken => "read_token",
        Contest => "contest",
    }
);

/// One line of the log, built by its named parts:
/// `Entry::new(Action::Update, Object::Page).region(r).user(u).object_id(id).details(…)`.
#[derive(Clone, Debug)]
pub struct Entry {
    region: Option<RegionId>,
    user: Option<UserId>,
    action: Action,
    object: Object,
    object_id: Option<i64>,
    details: Value,
}

impl Entry {
    /// An installation-wide entry by nobody in particular; add the parts that apply.
    pub fn new(action: Action, object: Object) -> Entry {
        Entry {
            region: None,
            user: None,
            action,
            object,
            object_id: None,
            details: Value::Object(Default::default()),
        }
    }

    /// What a member does in the region of the request.
    pub fn member(access: &RegionAccess, action: Action, object: Object) -> Entry {
        Entry::new(action, object)
            .region(access.region.id)
            .user(access.user_id())
    }

    pub fn region(mut self, region: RegionId) -> Entry {
        self.region = Some(region);
        self
    }

    pub fn user(mut self, user: UserId) -> Entry {
        self.user = Some(user);
        self
    }

    /// The user, when there may be none (a command run from the shell).
    pub fn user_opt(mut self, user: Option<UserId>) -> Entry {
        self.user = user;
        self
    }

    /// The region, when there may be none (the operator's own actions).
    pub fn region_opt(mut self, region: Option<RegionId>) -> Entry {
        self.region = region;
        self
    }

    pub fn object_id(mut self, id: i64) -> Entry {
        self.object_id = Some(id);
        self
    }

    /// The id of the object the entry is about, if it names one.
    pub fn object(&self) -> Option<i64> {
        self.object_id
    }

    pub fn details(mut self, details: Value) -> Entry {
        self.details = details;
        self
    }
}

pub async fn record(db: &mut PgConnection, e: Entry) -> Result<(), sqlx::Error> {
    db::insert(
        db,
        e.region,
        e.user,
        e.action.code(),
        e.object.code(),
        e.object_id,
        e.details,
    )
    .await
}

/// One entry per (action, object, details) in one statement: what an import writes for
/// every object it creates or updates.
pub async fn record_many(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    object: Object,
    rows: Vec<(Action, Option<i64>, String)>,
) -> Result<(), sqlx::Error> {
    // In batches: a 100,000-row import would otherwise bind arrays of every row at once.
    for batch in rows.chunks(10_000) {
        let actions: Vec<&str> = batch.iter().map(|(a, _, _)| a.code()).collect();
        let objects: Vec<Option<i64>> = batch.iter().map(|(_, o, _)| *o).collect();
        let details: Vec<&str> = batch.iter().map(|(_, _, d)| d.as_str()).collect();
        db::insert_many(
            db,
            region,
            user,
            object.code(),
            &actions,
            &objects,
            &details,
        )
        .await?;
    }
    Ok(())
}
