//! What the three imports share once a file is read: the rows worth reading, problems
//! reported against the column as the file spells it, what each row would change, and the
//! one way a checked plan is written and audited.

use sqlx::PgConnection;

use super::columns::{
    ColumnMap, ColumnMemory, ColumnSpec, missing_columns_error, unknown_column_error,
};
use super::reader::Table;
use super::report::{Report, ReportBuilder};
use super::{Counts, RowError, UnknownValue, activity, municipalities, orgs, pages};
use crate::audit::{Action, Object};
use crate::i18n::Locale;
use crate::ids::{RegionId, UserId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Unchanged,
}

impl Change {
    /// The audit action an import records for a change.
    pub fn audit_action(self) -> Action {
        if self == Change::Create {
            Action::ImportCreate
        } else {
            Action::ImportUpdate
        }
    }
}

impl Counts {
    pub fn count(&mut self, change: Change) {
        match change {
            Change::Create => self.created += 1,
            Change::Update => self.updated += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }
}

/// The rows of a table with their numbers as the spreadsheet shows them (the header is row
/// 1), blank rows left out.
pub fn data_rows(table: &Table) -> impl Iterator<Item = (usize, &[String])> {
    table
        .rows
        .iter()
        .enumerate()
        .filter(|(_, cells)| !cells.iter().all(|c| c.trim().is_empty()))
        .map(|(i, cells)| (i + 2, cells.as_slice()))
}

/// Problems found while planning, each against its row and the column's header in the file,
/// collected in bounded memory (see `report`).
pub struct Problems<'m> {
    map: &'m ColumnMap,
    found: ReportBuilder,
}

impl<'m> Problems<'m> {
    pub fn new(map: &'m ColumnMap) -> Problems<'m> {
        Problems {
            map,
            found: ReportBuilder::default(),
        }
    }

    pub fn add(&mut self, row: usize, code: &str, message: String) {
        self.found.add(RowError {
            row,
            column: self.map.header_of(code).map(str::to_owned),
            message,
            unknown: None,
        });
    }

    /// A value that names nothing in the region's `field` dictionary; the admin may map it.
    pub fn add_unknown(
        &mut self,
        row: usize,
        code: &str,
        field: &str,
        value: &str,
        message: String,
    ) {
        self.found.add(RowError {
            row,
            column: self.map.header_of(code).map(str::to_owned),
            message,
            unknown: Some(UnknownValue {
                field: field.to_owned(),
                value: value.to_owned(),
            }),
        });
    }

    /// The first problems by row, each row's in the order they were found.
    pub fn into_sorted(self) -> Vec<RowError> {
        self.found.finish().kept
    }
}

/// A checked file of one kind: what each row would do, what is wrong, and the counts.
pub struct Checked<R> {
    pub rows: Vec<R>,
    pub report: Report,
    /// What the rows without problems would do.
    pub counts: Counts,
    /// Headers no field claimed, for the admin to map.
    pub unknown_columns: Vec<String>,
}

/// A planned row: which spreadsheet row it is and what it would do.
pub trait PlannedRow {
    fn row(&self) -> usize;
    fn change(&self) -> Change;
}

impl<R: PlannedRow> Checked<R> {
    /// The plan once every row is judged: a column nothing claimed is a problem (the file
    /// would lose it), and a row with a problem is counted as neither created nor changed.
    pub fn settle(rows: Vec<R>, problems: Problems, l: Locale) -> Checked<R> {
        let unknown_columns = problems.map.unknown.clone();
        let mut found = problems.found;
        for header in &unknown_columns {
            found.add(unknown_column_error(header, l));
        }
        let mut counts = Counts::default();
        for r in rows.iter().filter(|r| !found.has_row(r.row())) {
            counts.count(r.change());
        }
        Checked {
            rows,
            report: found.finish(),
            counts,
            unknown_columns,
        }
    }
}

/// Where the kind's columns sit in the file, or the problems that stop the check: the
/// required columns the file lacks, and the columns nothing claimed (one of which may be
/// the missing one under another name).
pub fn columns_of<R>(
    specs: &[ColumnSpec],
    table: &Table,
    memory: &ColumnMemory,
    l: Locale,
) -> Result<ColumnMap, Box<Checked<R>>> {
    let (map, missing) = ColumnMap::remembering(specs, &table.headers, memory);
    if missing.is_empty() {
        return Ok(map);
    }
    let mut errors = vec![missing_columns_error(specs, &missing, l)];
    errors.extend(map.unknown.iter().map(|h| unknown_column_error(h, l)));
    Err(Box::new(Checked {
        rows: Vec::new(),
        report: Report::of(errors),
        counts: Counts::default(),
        unknown_columns: map.unknown,
    }))
}

/// A checked file of any kind: what it would do and what is wrong with it.
pub enum Plan {
    Organizations(orgs::OrgPlan),
    Pages(pages::PagePlan),
    Activity(activity::ActivityPlan),
    Municipalities(municipalities::MunicipalityPlan),
}

impl Plan {
    pub fn counts(&self) -> Counts {
        match self {
            Plan::Organizations(p) => p.counts,
            Plan::Pages(p) => p.counts,
            Plan::Activity(p) => p.counts,
            Plan::Municipalities(p) => p.counts,
        }
    }

    pub fn report(&self) -> &Report {
        match self {
            Plan::Organizations(p) => &p.report,
            Plan::Pages(p) => &p.report,
            Plan::Activity(p) => &p.report,
            Plan::Municipalities(p) => &p.report,
        }
    }

    pub fn unknown_columns(&self) -> &[String] {
        match self {
            Plan::Organizations(p) => &p.unknown_columns,
            Plan::Pages(p) => &p.unknown_columns,
            Plan::Activity(p) => &p.unknown_columns,
            Plan::Municipalities(p) => &p.unknown_columns,
        }
    }

    /// Writes a plan without problems, inside the caller's transaction, with one audit row
    /// per object it creates or changes.
    pub async fn write(
        &self,
        db: &mut PgConnection,
        region: RegionId,
        user: Option<UserId>,
        import: i64,
    ) -> Result<(), sqlx::Error> {
        let (object_type, written) = match self {
            Plan::Organizations(p) => (
                Object::Organization,
                orgs::write(db, region, import, p).await?,
            ),
            Plan::Pages(p) => (
                Object::Page,
                pages::write(db, region, user, import, p).await?,
            ),
            Plan::Activity(p) => (
                Object::PageFigures,
                activity::write(db, region, user, import, p).await?,
            ),
            Plan::Municipalities(p) => (
                Object::Municipality,
                municipalities::write(db, region, import, p).await?,
            ),
        };
        let rows = written
            .into_iter()
            .map(|w| (w.change.audit_action(), w.object, w.details))
            .collect();
        crate::audit::record_many(db, region, user, object_type, rows).await
    }
}

/// One object an import wrote, for its audit row.
pub struct Written {
    pub change: Change,
    pub object: Option<i64>,
    /// The audit row's details, as JSON text: kept as text, a large import's audit rows take
    /// a fraction of the memory their parsed form would.
    pub details: String,
}

/// Shared by the parse and resolve tests of every import.
#[cfg(test)]
pub mod testing {
    use super::Problems;
    use crate::import::reader::Table;

    /// A problem as (row, column header, message).
    pub type Found = (usize, Option<String>, String);

    /// A table as a spreadsheet gives it.
    pub fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
                .collect(),
        }
    }

    pub fn found(problems: Problems) -> Vec<Found> {
        problems
            .into_sorted()
            .into_iter()
            .map(|e| (e.row, e.column, e.message))
            .collect()
    }
}
