//! The parsed weeks against the registry: the page must be registered in this region (and
//! belong to the organization the row names, if it names one), each page and week once in
//! the file, and what each row would change. Pure once the registry is loaded.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::PlannedWeek;
use super::parse::ActivityLine;
use crate::activity::derive::Week;
use crate::i18n::Locale;
use crate::ids::PageId;
use crate::import::db::activity::PageKey;
use crate::import::plan::{Change, Problems};

pub fn resolve(
    rows: Vec<ActivityLine>,
    pages: &[PageKey],
    recorded: &HashMap<(PageId, NaiveDate), Week>,
    l: Locale,
    problems: &mut Problems,
) -> Vec<PlannedWeek> {
    let by_key: HashMap<(&str, &str), &PageKey> = pages
        .iter()
        .map(|p| ((p.platform.as_str(), p.url_key.as_str()), p))
        .collect();
    let mut first_row: HashMap<(PageId, NaiveDate), usize> = HashMap::new();
    let mut planned = Vec::new();
    for r in rows {
        // A page of another region is simply not registered here.
        let page = r.page.as_ref().and_then(|(p, key)| {
            let found = by_key.get(&(*p, key.as_str())).copied();
            if found.is_none() {
                problems.add(
                    r.row,
                    "url",
                    l.t1("import-activity-page-unknown", "value", &r.url),
                );
            }
            found
        });
        if let Some(page) = page
            && !r.organization.is_empty()
            && r.organization != page.inn
            && r.organization != page.ogrn
        {
            let message = l.t1("import-activity-other-org", "value", &r.organization);
            problems.add(r.row, "organization", message);
        }
        let (Some(page), Some(week)) = (page, r.week) else {
            continue;
        };
        if let Some(first) = first_row.get(&(page.id, week.week)) {
            let message = l.t1("import-activity-duplicate", "row", &first.to_string());
            problems.add(r.row, "week", message);
            continue;
        }
        first_row.insert((page.id, week.week), r.row);
        let change = match recorded.get(&(page.id, week.week)) {
            None => Change::Create,
            Some(old) if *old == week => Change::Unchanged,
            Some(_) => Change::Update,
        };
        planned.push(PlannedWeek {
            row: r.row,
            page: page.id,
            week,
            change,
        });
    }
    planned
}
