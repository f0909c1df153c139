//! Importing pages: each row names its organization (by OGRN or INN), the platform and the
//! address; the address is normalized per platform and matched against every registered page.

use std::collections::HashMap;

use sqlx::PgConnection;

use super::columns::{ColumnMap, ColumnSpec, missing_columns_error, normalize};
use super::db::pages::{self as db, ExistingPage};
use super::orgs::{Change, import_action};
use super::reader::Table;
use super::{Counts, RowError};
use crate::i18n::Locale;
use crate::ids::{OrgId, PageId, RegionId, UserId};
use crate::pages::url::{Platform, UrlError, normalize as normalize_url};

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

pub fn parse_platform(value: &str) -> Option<Platform> {
    match normalize(value).as_str() {
        "vk" | "вк" | "вконтакте" | "vkontakte" => Some(Platform::Vk),
        "ok" | "ок" | "одноклассники" | "odnoklassniki" => Some(Platform::Ok),
        "telegram" | "телеграм" | "телеграмм" | "tg" | "тг" => {
            Some(Platform::Telegram)
        }
        "max" | "макс" => Some(Platform::Max),
        "other" | "другое" | "другая" | "иное" | "сайт" => {
            Some(Platform::Other)
        }
        _ => None,
    }
}

pub fn parse_yes_no(value: &str) -> Option<bool> {
    match normalize(value).as_str() {
        "да" | "yes" | "true" | "1" | "есть" | "+" => Some(true),
        "нет" | "no" | "false" | "0" | "" | "-" => Some(false),
        _ => None,
    }
}

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

pub struct PagePlan {
    pub rows: Vec<PlannedPage>,
    pub errors: Vec<RowError>,
    pub counts: Counts,
}

pub async fn plan(
    db: &mut PgConnection,
    region: RegionId,
    table: &Table,
    l: Locale,
) -> Result<PagePlan, sqlx::Error> {
    let (map, missing) = ColumnMap::new(COLUMNS, &table.headers);
    let mut errors = Vec::new();
    if !missing.is_empty() {
        errors.push(missing_columns_error(COLUMNS, &missing, l));
        return Ok(PagePlan {
            rows: Vec::new(),
            errors,
            counts: Counts::default(),
        });
    }
    let orgs = db::org_keys(db, region).await?;
    let names: HashMap<OrgId, &str> = orgs.iter().map(|o| (o.id, o.name.as_str())).collect();
    let by_ogrn: HashMap<&str, OrgId> = orgs.iter().map(|o| (o.ogrn.as_str(), o.id)).collect();
    let mut by_inn: HashMap<&str, Vec<OrgId>> = HashMap::new();
    for o in &orgs {
        by_inn.entry(o.inn.as_str()).or_default().push(o.id);
    }
    let pages = db::existing_pages(db, region).await?;
    let existing: HashMap<(&str, &str), &ExistingPage> = pages
        .iter()
        .map(|p| ((p.platform.as_str(), p.url_key.as_str()), p))
        .collect();

    let col = |code: &str| map.header_of(code).map(str::to_owned);
    let mut err = |row: usize, code: &str, message: String| {
        errors.push(RowError {
            row,
            column: col(code),
            message,
        })
    };
    let mut first_row: HashMap<(&'static str, String), usize> = HashMap::new();
    let mut keys = Vec::new();
    let mut drafts = Vec::new();
    for (i, cells) in table.rows.iter().enumerate() {
        let row = i + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let org_text = map.cell(cells, "organization");
        let organization = match org_text.len() {
            0 => {
                err(row, "organization", l.t("field-required"));
                None
            }
            13 => by_ogrn.get(org_text).copied(),
            10 => match by_inn.get(org_text).map(Vec::as_slice) {
                Some([one]) => Some(*one),
                Some(_) => {
                    err(
                        row,
                        "organization",
                        l.t1("import-inn-ambiguous", "value", org_text),
                    );
                    continue;
                }
                None => None,
            },
            _ => None,
        };
        if organization.is_none() && !org_text.is_empty() {
            err(
                row,
                "organization",
                l.t1("import-organization-unknown", "value", org_text),
            );
        }
        let platform_text = map.cell(cells, "platform");
        let platform = parse_platform(platform_text);
        if platform.is_none() {
            err(
                row,
                "platform",
                l.t1("import-platform-unknown", "value", platform_text),
            );
        }
        let mark = parse_yes_no(map.cell(cells, "mark"));
        if mark.is_none() {
            err(
                row,
                "mark",
                l.t1("import-yes-no", "value", map.cell(cells, "mark")),
            );
        }
        let connected = parse_yes_no(map.cell(cells, "connected"));
        if connected.is_none() {
            err(
                row,
                "connected",
                l.t1("import-yes-no", "value", map.cell(cells, "connected")),
            );
        }
        let Some(platform) = platform else { continue };
        let url = match normalize_url(platform, map.cell(cells, "url")) {
            Ok(u) => u,
            Err(e) => {
                let message = match e {
                    UrlError::WrongPlatform(Some(found)) => {
                        l.t1(e.message_key(), "platform", &l.t(found.label_key()))
                    }
                    UrlError::WrongPlatform(None) => l.t("page-url-invalid"),
                    _ => l.t(e.message_key()),
                };
                err(row, "url", message);
                continue;
            }
        };
        let key = (platform.code(), url.key.clone());
        if let Some(first) = first_row.get(&key) {
            err(
                row,
                "url",
                l.t1("import-duplicate-page", "row", &first.to_string()),
            );
            continue;
        }
        first_row.insert(key, row);
        let (Some(organization), Some(mark), Some(connected)) = (organization, mark, connected)
        else {
            continue;
        };
        keys.push((platform.code(), url.key.clone()));
        drafts.push((
            row,
            organization,
            platform,
            url,
            mark,
            connected,
            map.cell(cells, "title").to_owned(),
        ));
    }
    let taken_elsewhere = db::taken_elsewhere(db, &keys).await?;

    let mut counts = Counts::default();
    let mut rows = Vec::new();
    for (row, organization, platform, url, mark, connected, title) in drafts {
        let current = existing.get(&(platform.code(), url.key.as_str())).copied();
        if current.is_none()
            && taken_elsewhere
                .iter()
                .any(|(p, k)| p == platform.code() && *k == url.key)
        {
            err(row, "url", l.t("page-url-taken-elsewhere"));
            continue;
        }
        if let Some(c) = current
            && c.organization_id != organization
        {
            err(
                row,
                "url",
                l.t1(
                    "page-url-taken",
                    "org",
                    names.get(&c.organization_id).copied().unwrap_or(""),
                ),
            );
            continue;
        }
        let mark_status = match (mark, current.map(|c| c.mark_status.as_str())) {
            (true, _) => "granted".to_owned(),
            // "No" clears a granted mark but keeps a request or a refusal on record.
            (false, Some(status)) if status != "granted" => status.to_owned(),
            (false, _) => "none".to_owned(),
        };
        let title = if map.has("title") {
            Some(title).filter(|t| !t.is_empty())
        } else {
            current.and_then(|c| c.title.clone())
        };
        let values = PageValues {
            organization,
            platform: platform.code(),
            url_key: url.key,
            url: url.url,
            title,
            mark_status,
            connected,
        };
        let change = match current {
            None => Change::Create,
            Some(c) => {
                let same = c.url == values.url
                    && c.title == values.title
                    && c.mark_status == values.mark_status
                    && c.connected == values.connected;
                if same {
                    Change::Unchanged
                } else {
                    Change::Update
                }
            }
        };
        match change {
            Change::Create => counts.created += 1,
            Change::Update => counts.updated += 1,
            Change::Unchanged => counts.unchanged += 1,
        }
        rows.push(PlannedPage {
            row,
            existing: current.map(|c| c.id),
            values,
            change,
        });
    }
    errors.sort_by_key(|e| e.row);
    Ok(PagePlan {
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
    plan: &PagePlan,
) -> Result<(), sqlx::Error> {
    let creates: Vec<&PlannedPage> = plan
        .rows
        .iter()
        .filter(|r| r.change == Change::Create)
        .collect();
    let updates: Vec<&PlannedPage> = plan
        .rows
        .iter()
        .filter(|r| r.change == Change::Update)
        .collect();
    let created = db::insert_created(db, region, &creates).await?;
    // A mark the file changes goes into the page's mark history, dated the day of the import.
    db::record_mark_changes(db, region, user, &updates).await?;
    db::record_new_marks(db, region, user, &created).await?;
    db::update_changed(db, region, &updates).await?;
    let ids: HashMap<(String, String), PageId> =
        created.into_iter().map(|(id, p, k)| ((p, k), id)).collect();
    let rows = creates
        .iter()
        .chain(updates.iter())
        .map(|r| {
            let id = r.existing.or_else(|| {
                ids.get(&(r.values.platform.to_owned(), r.values.url_key.clone()))
                    .copied()
            });
            (
                import_action(r.change),
                id.map(|i| i.0),
                serde_json::json!({ "import": import, "row": r.row, "organization_id": r.values.organization, "url": r.values.url,
                                    "mark": r.values.mark_status, "connected": r.values.connected }),
            )
        })
        .collect();
    crate::audit::record_many(db, region, user, "page", rows).await?;
    Ok(())
}
