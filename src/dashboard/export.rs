//! The coverage tables as the files coordinators hand on: XLSX formatted like the regional
//! monitoring template (bold frozen header, shares as percentages) and CSV as Russian Excel
//! opens it (UTF-8 with BOM, semicolons).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::coverage::Coverage;
use super::widgets::{COLUMNS, value};
use crate::i18n::Locale;

/// A cell of an exported table.
pub enum Cell {
    Text(String),
    Count(i64),
    /// A share 0..1, or none when there is nothing to divide by.
    Share(Option<f64>),
    /// A figure that may be unknown (left empty).
    Number(Option<f64>),
}

/// Header and rows of a coverage table: the name column, then each figure with its share,
/// and the region's total last.
pub fn coverage_table(
    kind: &str,
    rows: &[Coverage],
    total: &Coverage,
    l: Locale,
) -> (Vec<String>, Vec<Vec<Cell>>) {
    let mut header = vec![
        l.t(&format!("dashboard-column-{kind}")),
        l.t("coverage-obliged"),
    ];
    for c in COLUMNS {
        header.push(l.t(&format!("coverage-{c}")));
        header.push(format!("{}, %", l.t(&format!("coverage-{c}"))));
    }
    let line = |name: String, c: &Coverage| {
        let mut cells = vec![Cell::Text(name), Cell::Count(c.obliged)];
        for col in COLUMNS {
            cells.push(Cell::Count(value(c, col)));
            cells.push(Cell::Share(
                (c.obliged > 0).then(|| value(c, col) as f64 / c.obliged as f64),
            ));
        }
        cells
    };
    let mut out: Vec<Vec<Cell>> = rows
        .iter()
        .map(|c| {
            line(
                c.name
                    .clone()
                    .unwrap_or_else(|| l.t("dashboard-regional-level")),
                c,
            )
        })
        .collect();
    out.push(line(l.t("export-total"), total));
    (header, out)
}

/// Header and rows of an answers table (per municipality, organization or category), in the
/// screen's order, with the period's total last.
pub fn answers_table(
    first_column: &str,
    rows: &[super::responsiveness::Responsiveness],
    total: &super::responsiveness::Responsiveness,
    l: Locale,
) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header = [
        "answers-received",
        "answers-considered",
        "answers-answered-count",
        "answers-answered",
        "answers-median",
        "answers-p90",
        "answers-on-time",
        "answers-transferred",
        "answers-reopened",
    ];
    let mut head = vec![l.t(first_column)];
    head.extend(header.iter().map(|k| l.t(k)));
    let hours = |m: Option<f64>| Cell::Number(m.map(|m| (m / 6.0).round() / 10.0));
    let share = |p: Option<i64>| Cell::Share(p.map(|p| p as f64 / 100.0));
    let line = |name: String, r: &super::responsiveness::Responsiveness| {
        vec![
            Cell::Text(name),
            Cell::Count(r.received),
            Cell::Count(r.considered),
            Cell::Count(r.answered),
            share(r.answered_percent()),
            hours(r.median_minutes),
            hours(r.p90_minutes),
            share(r.on_time_percent()),
            Cell::Count(r.transferred),
            Cell::Count(r.reopened),
        ]
    };
    let mut out: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            line(
                r.name
                    .clone()
                    .unwrap_or_else(|| l.t("dashboard-regional-level")),
                r,
            )
        })
        .collect();
    out.push(line(l.t("export-total"), total));
    (head, out)
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const CSV: &str = "text/csv; charset=utf-8";

/// A file to save, under the given name.
pub fn download(
    body: impl Into<axum::body::Body>,
    content_type: &str,
    file: &str,
) -> axum::response::Response {
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
    use axum::response::IntoResponse;
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

/// One sheet of a workbook: its name, header and rows.
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

pub fn xlsx(sheet_name: &str, header: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    write_sheet(&mut workbook, sheet_name, header, rows)?;
    workbook.save_to_buffer()
}

/// A workbook of several sheets, each formatted as `xlsx` formats one.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    for s in sheets {
        write_sheet(&mut workbook, &s.name, &s.header, &s.rows)?;
    }
    workbook.save_to_buffer()
}

fn write_sheet(
    workbook: &mut Workbook,
    sheet_name: &str,
    header: &[String],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    let mut sheet = Rows::start(workbook.add_worksheet(), sheet_name, header)?;
    for row in rows {
        sheet.write(row)?;
    }
    Ok(())
}

/// A sheet written a row at a time, in order, formatted as the monitoring template: the
/// header bold and frozen with the first column, shares as percentages.
struct Rows<'a> {
    sheet: &'a mut Worksheet,
    percent: Format,
    next: u32,
}

impl<'a> Rows<'a> {
    fn start(
        sheet: &'a mut Worksheet,
        sheet_name: &str,
        header: &[String],
    ) -> Result<Rows<'a>, XlsxError> {
        // Excel refuses sheet names over 31 characters.
        let name: String = sheet_name.chars().take(31).collect();
        sheet.set_name(&name)?;
        let bold = Format::new().set_bold().set_text_wrap();
        for (col, h) in header.iter().enumerate() {
            sheet.set_column_width(col as u16, if col == 0 { 40 } else { 14 })?;
            sheet.write_string_with_format(0, col as u16, h, &bold)?;
        }
        sheet.set_freeze_panes(1, 1)?;
        Ok(Rows {
            sheet,
            percent: Format::new().set_num_format("0%"),
            next: 1,
        })
    }

    fn write(&mut self, row: &[Cell]) -> Result<(), XlsxError> {
        let r = self.next;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(t) => {
                    self.sheet.write_string(r, c, t)?;
                }
                Cell::Count(n) => {
                    self.sheet.write_number(r, c, *n as f64)?;
                }
                Cell::Share(Some(s)) => {
                    self.sheet
                        .write_number_with_format(r, c, *s, &self.percent)?;
                }
                Cell::Share(None) | Cell::Number(None) => {}
                Cell::Number(Some(n)) => {
                    self.sheet.write_number(r, c, *n)?;
                }
            }
        }
        self.next += 1;
        Ok(())
    }
}

/// One sheet written as its rows arrive and saved into `out` as it is zipped: a worksheet
/// in constant-memory mode keeps only the current row in memory (the rest goes to a
/// temporary file), so a file of any length costs the server the same. Runs on a blocking
/// thread; `rows` ends with `None` after the last row, or an error that abandons the file.
pub fn stream_xlsx(
    sheet_name: &str,
    header: &[String],
    mut rows: impl FnMut() -> Option<Result<Vec<Cell>, String>>,
    out: impl std::io::Write + Send,
) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    // The fastest deflate: the file is a little larger, and it is written while the person
    // waits for it.
    workbook.set_zip_compression_level(1);
    let mut sheet = Rows::start(
        workbook.add_worksheet_with_constant_memory()?,
        sheet_name,
        header,
    )?;
    while let Some(row) = rows() {
        sheet.write(&row.map_err(XlsxError::ParameterError)?)?;
    }
    workbook.save_to_writer(out)
}

/// A row of a CSV file as `csv` writes it, for files written a row at a time.
pub fn csv_line(row: &[Cell]) -> Vec<u8> {
    crate::web::csv::line(&row.iter().map(csv_value).collect::<Vec<_>>())
}

fn csv_value(c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Share(Some(s)) => format!("{}", (s * 1000.0).round() / 10.0).replace('.', ","),
        Cell::Share(None) | Cell::Number(None) => String::new(),
        Cell::Number(Some(n)) => format!("{n}").replace('.', ","),
    }
}

pub fn csv(header: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        w.write_record(header)?;
        for row in rows {
            w.write_record(row.iter().map(csv_value))?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<String>, Vec<Vec<Cell>>) {
        let row = Coverage {
            id: Some(1),
            name: Some("город Барнаул".into()),
            obliged: 4,
            with_page: 3,
            covered: 2,
            verified: 1,
            active: 3,
            connected: 0,
        };
        let total = Coverage {
            obliged: 5,
            with_page: 3,
            covered: 2,
            verified: 1,
            active: 3,
            connected: 0,
            ..Default::default()
        };
        coverage_table("municipality", &[row], &total, Locale::Ru)
    }

    #[test]
    fn csv_opens_in_russian_excel() {
        let (h, rows) = sample();
        let text = String::from_utf8(csv(&h, &rows).unwrap()).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert!(
            lines[0]
                .starts_with("Муниципалитет;Обязаны вести страницу;Есть страница;Есть страница, %")
        );
        assert_eq!(lines[1], "город Барнаул;4;3;75;2;50;1;25;3;75;0;0");
        assert!(lines[2].starts_with("Итого;5;3;60"));
    }

    #[test]
    fn xlsx_reads_back() {
        let (h, rows) = sample();
        let bytes = xlsx("Охват", &h, &rows).unwrap();
        let table = crate::import::reader::read(&bytes).unwrap();
        assert_eq!(table.headers[0], "Муниципалитет");
        assert_eq!(table.rows[0][0], "город Барнаул");
        assert_eq!(table.rows[0][1], "4");
        assert_eq!(table.rows.len(), 2);
    }
}
