//! Importing weekly activity figures in the shape of the regional weekly template: one row
//! per page and week — organization, platform, page address, week, then the figures. The
//! file is read on its own (`parse`), then against the pages registered in this region
//! (`resolve`); a week already recorded is replaced.

mod parse;
mod resolve;

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::columns::ColumnSpec;
use super::db::activity as db;
use super::plan::{Change, Checked, PlannedRow, Problems, Written, columns_of};
use super::reader::Table;
use crate::activity::derive::Week;
use crate::i18n::Locale;
use crate::ids::{PageId, RegionId, UserId};
pub use parse::parse_day;

pub(crate) const FIGURES: [(&str, &str, &[&str]); 8] = [
    (
        "followers",
        "figure-followers",
        &[
            "подписчики",
            "подписчиков",
            "число подписчиков",
            "followers",
            "subscribers",
        ],
    ),
    (
        "posts",
        "figure-posts",
        &[
            "посты",
            "постов",
            "публикации",
            "публикаций",
            "число постов",
            "posts",
        ],
    ),
    (
        "views",
        "figure-views",
        &["просмотры", "просмотров", "views"],
    ),
    (
        "likes",
        "figure-likes",
        &["лайки", "лайков", "отметки нравится", "likes"],
    ),
    (
        "comments",
        "figure-comments",
        &["комментарии", "комментариев", "comments"],
    ),
    (
        "reposts",
        "figure-reposts",
        &["репосты", "репостов", "reposts", "shares"],
    ),
    (
        "reach",
        "figure-reach",
        &[
            "охват",
            "охват за неделю",
            "недельный охват",
            "reach",
            "weekly reach",
        ],
    ),
    (
        "last_post_on",
        "figure-last-post",
        &[
            "дата последнего поста",
            "последний пост",
            "last post",
            "last post date",
        ],
    ),
];

pub fn columns() -> Vec<ColumnSpec> {
    let mut out = vec![
        ColumnSpec {
            code: "organization",
            label_key: "field-organization",
            required: false,
            headers: &[
                "организация",
                "огрн организации",
                "инн организации",
                "огрн",
                "инн",
                "organization",
                "ogrn",
                "inn",
            ],
        },
        ColumnSpec {
            code: "platform",
            label_key: "field-platform",
            required: false,
            headers: &["площадка", "платформа", "соцсеть", "platform", "network"],
        },
        ColumnSpec {
            code: "url",
            label_key: "field-url",
            required: true,
            headers: &[
                "адрес",
                "адрес страницы",
                "страница",
                "ссылка",
                "url",
                "page",
                "link",
            ],
        },
        ColumnSpec {
            code: "week",
            label_key: "figure-week",
            required: true,
            headers: &[
                "неделя",
                "неделя с",
                "начало недели",
                "дата",
                "week",
                "week of",
                "week start",
            ],
        },
    ];
    for (code, label_key, headers) in FIGURES {
        out.push(ColumnSpec {
            code,
            label_key,
            required: false,
            headers,
        });
    }
    out
}

#[derive(Clone, Debug)]
pub struct PlannedWeek {
    pub row: usize,
    pub page: PageId,
    pub week: Week,
    pub change: Change,
}

pub type ActivityPlan = Checked<PlannedWeek>;

impl PlannedRow for PlannedWeek {
    fn row(&self) -> usize {
        self.row
    }
    fn change(&self) -> Change {
        self.change
    }
}

/// Checks a file against the pages as they are now; the same call serves preview and commit.
/// `today` is the region's.
pub async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    table: Table,
    today: NaiveDate,
    l: Locale,
) -> Result<ActivityPlan, sqlx::Error> {
    let specs = columns();
    let memory = super::db::column_memory(db, region, super::run::KIND_ACTIVITY).await?;
    let map = match columns_of(&specs, &table, &memory, l) {
        Ok(map) => map,
        Err(refused) => return Ok(*refused),
    };
    let mut problems = Problems::new(&map);
    let parsed = parse::parse(&table, &map, today, l, &mut problems);
    // The rows are read: the cells go before the registry is loaded beside them.
    drop(table);
    let pages = db::page_keys(db, region).await?;
    let weeks: Vec<NaiveDate> = parsed
        .iter()
        .filter_map(|r| r.week.map(|w| w.week))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let recorded: HashMap<(PageId, NaiveDate), Week> =
        crate::activity::db::region_weeks(db, region, &weeks)
            .await?
            .into_iter()
            .map(|r| ((r.page_id, r.week.week), r.week))
            .collect();
    let rows = resolve::resolve(parsed, &pages, &recorded, l, &mut problems);
    Ok(ActivityPlan::settle(rows, problems, l))
}

/// Writes the new and changed weeks of a plan without problems, inside the caller's
/// transaction.
pub async fn write(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    import: i64,
    plan: &ActivityPlan,
) -> Result<Vec<Written>, sqlx::Error> {
    let rows: Vec<&PlannedWeek> = plan
        .rows
        .iter()
        .filter(|r| r.change != Change::Unchanged)
        .collect();
    let weeks: Vec<(PageId, Week)> = rows.iter().map(|r| (r.page, r.week)).collect();
    let origin = crate::activity::db::Origin {
        source: "upload",
        user,
        import_id: Some(import),
    };
    crate::activity::db::upsert_many(db, region, &weeks, &origin).await?;
    Ok(rows
        .iter()
        .map(|r| Written {
            change: r.change,
            object: Some(r.page.0),
            details: serde_json::json!({ "import": import, "row": r.row, "week": r.week.week })
                .to_string(),
        })
        .collect())
}
