//! Importing pages: each row names its organization (by OGRN or INN), the platform and the
//! address; the address is normalized per platform (`parse`) and matched against every
//! registered page (`resolve`).

mod parse;
mod resolve;

use std::collections::HashMap;

use sqlx::PgConnection;

use super::columns::ColumnSpec;
use super::db::pages as db;
use super::plan::{Change, Checked, PlannedRow, Problems, Written, columns_of};
use super::reader::Table;
use crate::i18n::Locale;
use crate::ids::{OrgId, PageId, RegionId, UserId};
pub use parse::{parse_platform, parse_yes_no};
use resolve::Registry;

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        code: "organization",
        label_key: "field-organization",
        required: true,
        headers: &[
            "организация",
            "огрн организации",
            "инн организации",
            "огрн",
            "инн",
            "organization",
            "organization ogrn",
            "ogrn",
            "inn",
        ],
    },
    ColumnSpec {
        code: "platform",
        label_key: "field-platform",
        required: true,
        headers: &["площадка", "платформа", "соцсеть", "platform", "network"],
    },
    ColumnSpec {
        code: "url",
        label_key: "field-url",
        required: true,
        headers: &[
            "адрес",
            "адрес страницы",
            "ссылка",
            "url",
            "link",
            "address",
        ],
    },
    ColumnSpec {
        code: "title",
        label_key: "field-title",
        required: false,
        headers: &["название страницы", "название", "title", "page title"],
    },
    ColumnSpec {
        code: "mark",
        label_key: "field-mark",
        required: false,
        headers: &["госметка", "гос метка", "метка", "mark", "official mark"],
    },
    ColumnSpec {
        code: "connected",
        label_key: "field-connected",
        required: false,
        headers: &[
            "подключено к госпабликам",
            "госпаблики",
            "подключена к госпабликам",
            "connected",
            "gospubliki",
        ],
    },
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageValues {
    pub organization: OrgId,
    pub platform: &'static str,
    pub url_key: String,
    pub url: String,
    pub title: Option<String>,
    pub mark_status: String,
    pub connected: bool,
}

#[derive(Clone, Debug)]
pub struct PlannedPage {
    pub row: usize,
    pub existing: Option<PageId>,
    pub values: PageValues,
    pub change: Change,
}

pub type PagePlan = Checked<PlannedPage>;

impl PlannedRow for PlannedPage {
    fn row(&self) -> usize {
        self.row
    }
    fn change(&self) -> Change {
        self.change
    }
}

/// Checks a file against the registry as it is now; the same call serves preview and commit.
pub async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    table: Table,
    l: Locale,
) -> Result<PagePlan, sqlx::Error> {
    let memory = super::db::column_memory(db, region, super::run::KIND_PAGES).await?;
    let map = match columns_of(COLUMNS, &table, &memory, l) {
        Ok(map) => map,
        Err(refused) => return Ok(*refused),
    };
    let mut problems = Problems::new(&map);
    let parsed = parse::parse(&table, &map, l, &mut problems);
    // The rows are read: the cells go before the registry is loaded beside them.
    drop(table);
    let orgs = db::org_keys(db, region).await?;
    let pages = db::existing_pages(db, region).await?;
    let registry = Registry::new(&orgs, &pages);
    let complete = resolve::complete(parsed, &registry, l, &mut problems);
    // Pages registered in other regions are invisible here; ask the unique index's owner.
    let keys: Vec<(&'static str, String)> = complete.iter().map(resolve::Complete::key).collect();
    let taken_elsewhere = db::taken_elsewhere(db, &keys).await?;
    let rows = resolve::decide(
        complete,
        &registry,
        &taken_elsewhere,
        map.has("title"),
        l,
        &mut problems,
    );
    Ok(PagePlan::settle(rows, problems, l))
}

/// Writes a plan without problems inside the caller's transaction; a mark the file changes
/// goes into the page's mark history, dated the day of the import.
pub async fn write(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    import: i64,
    plan: &PagePlan,
) -> Result<Vec<Written>, sqlx::Error> {
    let of = |change: Change| -> Vec<&PlannedPage> {
        plan.rows.iter().filter(|r| r.change == change).collect()
    };
    let (creates, updates) = (of(Change::Create), of(Change::Update));
    let created = db::insert_created(db, region, &creates).await?;
    db::record_mark_changes(db, region, user, &updates).await?;
    db::record_new_marks(db, region, user, &created).await?;
    db::update_changed(db, region, &updates).await?;
    let ids: HashMap<(String, String), PageId> =
        created.into_iter().map(|(id, p, k)| ((p, k), id)).collect();
    Ok(creates
        .iter()
        .chain(updates.iter())
        .map(|r| {
            let id = r.existing.or_else(|| {
                ids.get(&(r.values.platform.to_owned(), r.values.url_key.clone()))
                    .copied()
            });
            Written {
                change: r.change,
                object: id.map(|i| i.0),
                details: serde_json::json!({ "import": import, "row": r.row, "organization_id": r.values.organization,
                                             "url": r.values.url, "mark": r.values.mark_status, "connected": r.values.connected }).to_string(),
            }
        })
        .collect())
}
