//! The parsed page rows against the registry: the organization by OGRN or INN, a page held
//! by another organization or another region, what becomes of the mark, and what each row
//! would change. Pure once the registry is loaded.

use std::collections::HashMap;

use super::parse::PageLine;
use super::{PageValues, PlannedPage};
use crate::i18n::Locale;
use crate::ids::OrgId;
use crate::import::db::pages::{ExistingPage, OrgKey};
use crate::import::plan::{Change, Problems};
use crate::pages::url::{PageUrl, Platform};

/// The region's organizations and pages, indexed the ways rows name them.
pub struct Registry<'a> {
    names: HashMap<OrgId, &'a str>,
    by_ogrn: HashMap<&'a str, OrgId>,
    by_inn: HashMap<&'a str, Vec<OrgId>>,
    pages: HashMap<(&'a str, &'a str), &'a ExistingPage>,
}

impl<'a> Registry<'a> {
    pub fn new(orgs: &'a [OrgKey], pages: &'a [ExistingPage]) -> Registry<'a> {
        let mut by_inn: HashMap<&str, Vec<OrgId>> = HashMap::new();
        for o in orgs {
            by_inn.entry(o.inn.as_str()).or_default().push(o.id);
        }
        Registry {
            names: orgs.iter().map(|o| (o.id, o.name.as_str())).collect(),
            by_ogrn: orgs.iter().map(|o| (o.ogrn.as_str(), o.id)).collect(),
            by_inn,
            pages: pages
                .iter()
                .map(|p| ((p.platform.as_str(), p.url_key.as_str()), p))
                .collect(),
        }
    }

    /// An OGRN (13 digits) or an INN held by exactly one organization.
    fn organization(
        &self,
        row: usize,
        text: &str,
        l: Locale,
        problems: &mut Problems,
    ) -> Option<OrgId> {
        let found = match text.len() {
            0 => return None,
            13 => self.by_ogrn.get(text).copied(),
            10 => match self.by_inn.get(text).map(Vec::as_slice) {
                Some([one]) => Some(*one),
                Some(_) => {
                    problems.add(
                        row,
                        "organization",
                        l.t1("import-inn-ambiguous", "value", text),
                    );
                    return None;
                }
                None => None,
            },
            _ => None,
        };
        if found.is_none() {
            problems.add(
                row,
                "organization",
                l.t1("import-organization-unknown", "value", text),
            );
        }
        found
    }
}

/// A row whose every cell was read and whose organization was found.
pub struct Complete {
    row: usize,
    organization: OrgId,
    platform: Platform,
    url: PageUrl,
    mark: bool,
    connected: bool,
    title: String,
}

impl Complete {
    pub fn key(&self) -> (&'static str, String) {
        (self.platform.code(), self.url.key.clone())
    }
}

/// The rows whose organization is found and every cell readable.
pub fn complete(
    rows: Vec<PageLine>,
    registry: &Registry,
    l: Locale,
    problems: &mut Problems,
) -> Vec<Complete> {
    rows.into_iter()
        .filter_map(|r| {
            let organization = registry.organization(r.row, &r.organization, l, problems);
            Some(Complete {
                row: r.row,
                organization: organization?,
                platform: r.platform?,
                url: r.url?,
                mark: r.mark?,
                connected: r.connected?,
                title: r.title,
            })
        })
        .collect()
}

/// What each complete row would do. `taken_elsewhere` holds the (platform, key) pairs
/// another region has; `title_column` whether the file has titles at all.
pub fn decide(
    rows: Vec<Complete>,
    registry: &Registry,
    taken_elsewhere: &[(String, String)],
    title_column: bool,
    l: Locale,
    problems: &mut Problems,
) -> Vec<PlannedPage> {
    let mut planned = Vec::new();
    for r in rows {
        let current = registry
            .pages
            .get(&(r.platform.code(), r.url.key.as_str()))
            .copied();
        if current.is_none()
            && taken_elsewhere
                .iter()
                .any(|(p, k)| p == r.platform.code() && *k == r.url.key)
        {
            problems.add(r.row, "url", l.t("page-url-taken-elsewhere"));
            continue;
        }
        if let Some(c) = current
            && c.organization_id != r.organization
        {
            let holder = registry
                .names
                .get(&c.organization_id)
                .copied()
                .unwrap_or("");
            problems.add(r.row, "url", l.t1("page-url-taken", "org", holder));
            continue;
        }
        let mark_status = match (r.mark, current.map(|c| c.mark_status.as_str())) {
            (true, _) => "granted".to_owned(),
            // "No" clears a granted mark but keeps a request or a refusal on record.
            (false, Some(status)) if status != "granted" => status.to_owned(),
            (false, _) => "none".to_owned(),
        };
        let title = if title_column {
            Some(r.title).filter(|t| !t.is_empty())
        } else {
            current.and_then(|c| c.title.clone())
        };
        let values = PageValues {
            organization: r.organization,
            platform: r.platform.code(),
            url_key: r.url.key,
            url: r.url.url,
            title,
            mark_status,
            connected: r.connected,
        };
        let change = match current {
            None => Change::Create,
            Some(c)
                if c.url == values.url
                    && c.title == values.title
                    && c.mark_status == values.mark_status
                    && c.connected == values.connected =>
            {
                Change::Unchanged
            }
            Some(_) => Change::Update,
        };
        planned.push(PlannedPage {
            row: r.row,
            existing: current.map(|c| c.id),
            values,
            change,
        });
    }
    planned
}
