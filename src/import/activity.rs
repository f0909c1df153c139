//! Importing weekly activity figures in the shape of the regional weekly template: one row
//! per page and week — organization, platform, page address, week, then the figures. Only
//! pages registered in this region are accepted; a week already recorded is replaced.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::columns::{ColumnMap, ColumnSpec, missing_columns_error};
use super::db::activity::{self as db, PageKey};
use super::orgs::{Change, import_action};
use super::pages::parse_platform;
use super::reader::Table;
use super::{Counts, RowError};
use crate::activity::db::monday_of;
use crate::activity::derive::Week;
use crate::i18n::Locale;
use crate::ids::{PageId, RegionId, UserId};
use crate::pages::url::{Platform, normalize};
use crate::web::forms::FieldErrors;

const FIGURES: [(&str, &str, &[&str]); 8] = [
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

pub struct ActivityPlan {
    pub rows: Vec<PlannedWeek>,
    pub errors: Vec<RowError>,
    pub counts: Counts,
}

/// A date as a person or a spreadsheet writes it, including Excel's day numbers.
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if let Ok(serial) = v.parse::<f64>()
        && (20_000.0..80_000.0).contains(&serial)
    {
        return NaiveDate::from_ymd_opt(1899, 12, 30)
            .map(|base| base + chrono::Duration::days(serial.trunc() as i64));
    }
    let date_part = v.split([' ', 'T']).next().unwrap_or(v);
    // "23.11.26" is 2026, not the year 26.
    let short_year = date_part.rsplit('.').next().is_some_and(|y| y.len() == 2);
    let formats: &[&str] = if short_year {
        &["%d.%m.%y"]
    } else {
        &["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]
    };
    formats
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(date_part, f).ok())
}

/// The page an address names: with the platform column, on that platform; without it, on
/// whichever platform the address belongs to.
fn page_key(platform: Option<Platform>, url: &str) -> Option<(&'static str, String)> {
    match platform {
        Some(p) => normalize(p, url).ok().map(|u| (p.code(), u.key)),
        None => Platform::ALL
            .iter()
            .filter(|p| **p != Platform::Other)
            .find_map(|p| normalize(*p, url).ok().map(|u| (p.code(), u.key))),
    }
}

pub async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    table: &Table,
    today: NaiveDate,
    l: Locale,
) -> Result<ActivityPlan, sqlx::Error> {
    let specs = columns();
    let (map, missing) = ColumnMap::new(&specs, &table.headers);
    let mut errors = Vec::new();
    if !missing.is_empty() {
        errors.push(missing_columns_error(&specs, &missing, l));
        return Ok(ActivityPlan {
            rows: Vec::new(),
            errors,
            counts: Counts::default(),
        });
    }
    let pages = db::page_keys(db, region).await?;
    let by_key: HashMap<(&str, &str), &PageKey> = pages
        .iter()
        .map(|p| ((p.platform.as_str(), p.url_key.as_str()), p))
        .collect();
    let weeks: Vec<NaiveDate> = table
        .rows
        .iter()
        .filter_map(|cells| parse_day(map.cell(cells, "week")).map(monday_of))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let recorded = crate::activity::db::region_weeks(db, region, &weeks).await?;
    let recorded: Vec<(PageId, Week)> = recorded.into_iter().map(|r| (r.page_id, r.week)).collect();
    let recorded: HashMap<(PageId, NaiveDate), Week> = recorded
        .into_iter()
        .map(|(p, w)| ((p, w.week), w))
        .collect();

    let col = |code: &str| map.header_of(code).map(str::to_owned);
    let mut rows = Vec::new();
    let mut first_row: HashMap<(PageId, NaiveDate), usize> = HashMap::new();
    let mut counts = Counts::default();
    for (i, cells) in table.rows.iter().enumerate() {
        let row = i + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut err = |code: &str, message: String| {
            errors.push(RowError {
                row,
                column: col(code),
                message,
            })
        };
        let platform_text = map.cell(cells, "platform");
        let platform = if platform_text.trim().is_empty() {
            None
        } else {
            match parse_platform(platform_text) {
                Some(p) => Some(p),
                None => {
                    err(
                        "platform",
                        l.t1("import-platform-unknown", "value", platform_text),
                    );
                    continue;
                }
            }
        };
        let url = map.cell(cells, "url");
        let page = match page_key(platform, url) {
            None if url.trim().is_empty() => {
                err("url", l.t("field-required"));
                None
            }
            None => {
                err("url", l.t1("import-activity-page-bad", "value", url));
                None
            }
            // A page of another region is simply not registered here.
            Some((p, key)) => match by_key.get(&(p, key.as_str())) {
                Some(page) => Some(*page),
                None => {
                    err("url", l.t1("import-activity-page-unknown", "value", url));
                    None
                }
            },
        };
        let org = map.cell(cells, "organization").trim();
        if let Some(page) = page
            && !org.is_empty()
            && org != page.inn
            && org != page.ogrn
        {
            err(
                "organization",
                l.t1("import-activity-other-org", "value", org),
            );
        }
        let week_text = map.cell(cells, "week");
        let week = match parse_day(week_text) {
            Some(d) if d > today => {
                err("week", l.t("figures-week-future"));
                None
            }
            Some(d) => Some(monday_of(d)),
            None => {
                err("week", l.t1("import-activity-week-bad", "value", week_text));
                None
            }
        };
        let mut fe = FieldErrors::default();
        let mut figure = |code: &'static str| {
            crate::pages::card::forms::count(map.cell(cells, code), code, l, &mut fe)
        };
        let as_i32 = |v: Option<i64>| v.map(|n| n.min(i64::from(i32::MAX)) as i32);
        let (followers, posts, views, likes, comments, reposts, reach) = (
            as_i32(figure("followers")),
            as_i32(figure("posts")),
            figure("views"),
            as_i32(figure("likes")),
            as_i32(figure("comments")),
            as_i32(figure("reposts")),
            figure("reach"),
        );
        for (code, _, _) in FIGURES.iter().take(7) {
            if let Some(message) = fe.get(code) {
                err(code, format!("{message} («{}»)", map.cell(cells, code)));
            }
        }
        let last_text = map.cell(cells, "last_post_on");
        let last_post_on = match last_text.trim() {
            "" => None,
            v => match parse_day(v) {
                Some(d) if d <= today => Some(d),
                _ => {
                    err("last_post_on", l.t1("import-activity-week-bad", "value", v));
                    None
                }
            },
        };
        let (Some(page), Some(week)) = (page, week) else {
            continue;
        };
        if let Some(first) = first_row.get(&(page.id, week)) {
            err(
                "week",
                l.t1("import-activity-duplicate", "row", &first.to_string()),
            );
            continue;
        }
        first_row.insert((page.id, week), row);
        let values = Week {
            week,
            followers,
            posts,
            views,
            likes,
            comments,
            reposts,
            reach,
            last_post_on,
        };
        let change = match recorded.get(&(page.id, week)) {
            None => Change::Create,
            Some(old) if *old == values => Change::Unchanged,
            Some(_) => Change::Update,
        };
        match change {
            Change::Create => counts.created += 1,
            Change::Update => counts.updated += 1,
            Change::Unchanged => counts.unchanged += 1,
        }
        rows.push(PlannedWeek {
            row,
            page: page.id,
            week: values,
            change,
        });
    }
    Ok(ActivityPlan {
        rows,
        errors,
        counts,
    })
}

pub async fn commit(
    db: &mut PgConnection,
    region: RegionId,
    user: Option<UserId>,
    import: i64,
    plan: &ActivityPlan,
) -> Result<(), sqlx::Error> {
    let rows: Vec<&PlannedWeek> = plan
        .rows
        .iter()
        .filter(|r| r.change != Change::Unchanged)
        .collect();
    db::upsert_weeks(db, region, user, import, &rows).await?;
    // One audit row per page and week written, like the other imports.
    let audit = rows
        .iter()
        .map(|r| {
            (
                import_action(r.change),
                Some(r.page.0),
                serde_json::json!({ "import": import, "row": r.row, "week": r.week.week }),
            )
        })
        .collect();
    crate::audit::record_many(db, region, user, "page_figures", audit).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_every_spelling() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for v in [
            "23.11.2026",
            "2026-11-23",
            "23.11.26",
            "46349",
            "2026-11-23 00:00:00",
        ] {
            assert_eq!(parse_day(v), Some(d), "{v}");
        }
        assert_eq!(parse_day("на прошлой неделе"), None);
    }

    #[test]
    fn an_address_finds_its_platform() {
        assert_eq!(
            page_key(None, "https://vk.com/club123").map(|k| k.0),
            Some("vk")
        );
        assert_eq!(
            page_key(None, "https://ok.ru/group/55").map(|k| k.0),
            Some("ok")
        );
        assert_eq!(
            page_key(Some(Platform::Telegram), "https://vk.com/club123"),
            None
        );
    }
}
