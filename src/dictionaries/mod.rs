//! The region's dictionaries — municipalities and sectors — share one flow: the admin adds
//! and edits entries, a name (or code) already used is a message at its field, every change
//! is audited with what it was before. Each dictionary says what differs (`Dictionary`);
//! its list, with its own columns, stays with it. Tenancy: entries are rows of one region,
//! read and written in its row-level-security transaction.

mod handlers;

use askama::Template;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::PgConnection;

use crate::i18n::Locale;
use crate::ids::RegionId;
use crate::web::chrome::Chrome;
use crate::web::forms::{FieldErrors, Unique};
use crate::web::routes::{Access, GET, POST, Routes};

/// One of the region's dictionaries.
pub trait Dictionary: Send + Sync + 'static {
    /// The path segment under `/r/{region}/`.
    const PATH: &'static str;
    /// The object type in the audit log.
    const OBJECT: crate::audit::Object;
    /// The unique constraints an entry may violate, with their field messages.
    const UNIQUE: &'static [Unique];

    type Form: DeserializeOwned + Default + Send + 'static;
    /// The form's values, checked.
    type Entry: Send + Sync;
    type Row: Send;
    type Screen: Template;

    /// The form for a new entry.
    fn blank() -> Self::Form {
        Self::Form::default()
    }
    fn form_of(row: Self::Row) -> Self::Form;
    fn validate(form: &Self::Form, l: Locale) -> Result<Self::Entry, FieldErrors>;
    /// What the audit log keeps of a new entry, and of a stored one.
    fn details(entry: &Self::Entry) -> Value;
    fn row_details(row: &Self::Row) -> Value;
    fn screen(
        chrome: Chrome,
        form: Self::Form,
        errors: FieldErrors,
        action: String,
        editing: bool,
    ) -> Self::Screen;

    fn get(
        db: &mut PgConnection,
        region: RegionId,
        id: i64,
    ) -> impl Future<Output = Result<Option<Self::Row>, sqlx::Error>> + Send;
    fn insert(
        db: &mut PgConnection,
        region: RegionId,
        entry: &Self::Entry,
    ) -> impl Future<Output = Result<i64, sqlx::Error>> + Send;
    fn update(
        db: &mut PgConnection,
        region: RegionId,
        id: i64,
        entry: &Self::Entry,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

/// The new-entry form, its creation, the edit form and its update, for one dictionary. The
/// list is the dictionary's own route (`list`), at the same path.
pub fn routes<D: Dictionary>(
    collection: &'static str,
    new: &'static str,
    entry: &'static str,
    list: axum::routing::MethodRouter<crate::state::AppState>,
) -> Routes {
    Routes::new()
        .add(
            collection,
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            list.post(handlers::create::<D>),
        )
        .add(
            new,
            &[(GET, Access::RegionAdmin)],
            axum::routing::get(handlers::new_form::<D>),
        )
        .add(
            entry,
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            axum::routing::get(handlers::edit_form::<D>).post(handlers::update::<D>),
        )
}
