//! Reads a spreadsheet as Russian offices produce it: XLSX, or CSV in UTF-8 (with or without
//! BOM) or Windows-1251, separated by `;`, `,` or tabs, with quoted fields that may hold line
//! breaks. Everything is detected from the bytes; the result is a header and rows of text.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

/// Uncompressed size an XLSX may claim in all; more is treated as a zip bomb.
const MAX_XLSX_UNPACKED: u64 = 256 * 1024 * 1024;
/// And how much more than its packed size: real spreadsheets compress 5–20 times.
const MAX_XLSX_RATIO: u64 = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    /// Data rows; row `i` is spreadsheet row `i + 2` (the header is row 1).
    pub rows: Vec<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    Empty,
    NotATable,
    Bomb,
    Broken(String),
    /// More data rows than an import takes; the limit is in the message.
    TooManyRows(usize),
}

impl ReadError {
    pub fn message_key(&self) -> &'static str {
        match self {
            ReadError::Empty => "import-file-empty",
            ReadError::NotATable => "import-file-not-a-table",
            ReadError::Bomb => "import-file-bomb",
            ReadError::Broken(_) => "import-file-broken",
            ReadError::TooManyRows(_) => "import-file-too-many-rows",
        }
    }

    /// The message as the person reads it.
    pub fn message(&self, l: crate::i18n::Locale) -> String {
        match self {
            ReadError::TooManyRows(limit) => l.t1(self.message_key(), "limit", &limit.to_string()),
            _ => l.t(self.message_key()),
        }
    }
}

/// Reads a file with at most the installation's row limit (`super::max_rows`).
pub fn read(bytes: &[u8]) -> Result<Table, ReadError> {
    read_at_most(bytes, super::max_rows())
}

/// Reads a file of at most `max_rows` data rows: one row more and the file is refused before
/// the rest of it is read.
pub fn read_at_most(bytes: &[u8], max_rows: usize) -> Result<Table, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    // The header and one row past the limit are enough to know the file is too long.
    let keep = max_rows.saturating_add(2);
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes, keep)?
    } else {
        read_csv(bytes, keep)?
    };
    if rows.len() > max_rows.saturating_add(1) {
        return Err(ReadError::TooManyRows(max_rows));
    }
    let mut rows = rows.into_iter();
    let headers: Vec<String> = rows
        .next()
        .ok_or(ReadError::Empty)?
        .into_iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(ReadError::Empty);
    }
    let rows: Vec<Vec<String>> = rows.collect();
    Ok(Table { headers, rows })
}

fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|_| ReadError::NotATable);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    // Not UTF-8: Russian Excel's "CSV (разделители — запятые)" writes Windows-1251.
    let (text, _, _) = encoding_rs::WINDOWS_1251.decode(bytes);
    Ok(text.into_owned())
}

fn looks_binary(text: &str) -> bool {
    text.chars()
        .take(4096)
        .any(|c| c == '\0' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
}

/// The delimiter that splits the header line into the most fields, outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in text.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                for (d, n) in counts.iter_mut() {
                    if c == *d {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map(|(d, _)| *d)
        .unwrap_or(b';')
}

fn read_csv(bytes: &[u8], keep: usize) -> Result<Vec<Vec<String>>, ReadError> {
    let text = decode(bytes)?;
    if looks_binary(&text) {
        return Err(ReadError::NotATable);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(&text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records().take(keep) {
        let record = record.map_err(|e| ReadError::Broken(e.to_string()))?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

fn check_zip(bytes: &[u8]) -> Result<(), ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::NotATable)?;
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| ReadError::NotATable)?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > MAX_XLSX_UNPACKED
        || unpacked > (bytes.len() as u64).saturating_mul(MAX_XLSX_RATIO)
    {
        return Err(ReadError::Bomb);
    }
    Ok(())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        // INN and OGRN typed as numbers come back as floats: 13 digits are exact in an f64.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "да".into()
            } else {
                "нет".into()
            }
        }
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// The first sheet's rows, read cell by cell as the XML streams out of the archive: the
/// sheet is never held as a grid of cells, only as the rows of text the import needs.
fn read_xlsx(bytes: &[u8], keep: usize) -> Result<Vec<Vec<String>>, ReadError> {
    check_zip(bytes)?;
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| ReadError::NotATable)?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ReadError::Empty)?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| ReadError::Broken(e.to_string()))?;
    let mut grid = Grid::default();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| ReadError::Broken(e.to_string()))?
    {
        let (row, column) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if !grid.put(row as usize, column as usize, text, keep) {
            break;
        }
    }
    Ok(grid.into_rows())
}

/// Rows as they stream in, numbered from the first row that holds a cell and cut at the
/// first column that does, as a worksheet's used range is.
#[derive(Default)]
struct Grid {
    first_row: Option<usize>,
    first_column: usize,
    rows: Vec<Vec<String>>,
}

impl Grid {
    /// Places a cell; false once `keep` rows are read.
    fn put(&mut self, row: usize, column: usize, text: String, keep: usize) -> bool {
        if text.is_empty() {
            return true;
        }
        let first_row = *self.first_row.get_or_insert(row);
        let Some(at) = row.checked_sub(first_row) else {
            return true;
        };
        if at >= keep {
            return false;
        }
        if self.rows.is_empty() || column < self.first_column {
            self.first_column = if self.rows.is_empty() {
                column
            } else {
                column.min(self.first_column)
            };
        }
        if self.rows.len() <= at {
            self.rows.resize_with(at + 1, Vec::new);
        }
        let cells = &mut self.rows[at];
        if cells.len() <= column {
            cells.resize_with(column + 1, String::new);
        }
        cells[column] = text;
        true
    }

    fn into_rows(self) -> Vec<Vec<String>> {
        let skip = self.first_column;
        self.rows
            .into_iter()
            .map(|mut cells| {
                cells.drain(..skip.min(cells.len()));
                cells
            })
            .collect()
    }
}

/// Reads at most `limit` bytes; more is an error the caller reports as "file too large".
pub fn read_limited(mut source: impl Read, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    source
        .by_ref()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn csv_in_every_encoding_and_delimiter_reads_the_same() {
        let expected = Table {
            headers: vec!["Наименование".into(), "ИНН".into()],
            rows: vec![
                vec!["Школа; № 1".into(), "2225066621".into()],
                vec!["Сад\n«Солнышко»".into(), "7707083893".into()],
            ],
        };
        let semicolon =
            "Наименование;ИНН\r\n\"Школа; № 1\";2225066621\r\n\"Сад\n«Солнышко»\";7707083893\r\n";
        let comma = "Наименование,ИНН\n\"Школа; № 1\",2225066621\n\"Сад\n«Солнышко»\",7707083893\n";
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(semicolon);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(comma.as_bytes());
        for bytes in [
            semicolon.as_bytes().to_vec(),
            comma.as_bytes().to_vec(),
            cp1251.into_owned(),
            bom,
        ] {
            assert_eq!(read(&bytes).unwrap(), expected);
        }
    }

    #[test]
    fn refuses_what_is_not_a_table() {
        assert_eq!(read(b""), Err(ReadError::Empty));
        assert_eq!(read(b"  \n"), Err(ReadError::Empty));
        assert_eq!(
            read(b"\x89PNG\r\n\x1a\n\0\0\0IHDR"),
            Err(ReadError::NotATable)
        );
        assert_eq!(read(b"PK\x03\x04garbage"), Err(ReadError::NotATable));
    }

    #[test]
    fn an_xlsx_that_unpacks_far_beyond_its_size_is_refused() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..12 {
            zip.write_all(&zeros).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 200_000, "{}", bytes.len());
        assert_eq!(read(&bytes), Err(ReadError::Bomb));
    }

    #[test]
    fn a_file_over_the_row_limit_is_refused_whatever_its_format() {
        let csv = "Наименование;ИНН\nА;1\n\nБ;2\nВ;3\n";
        assert_eq!(
            read_at_most(csv.as_bytes(), 2),
            Err(ReadError::TooManyRows(2))
        );
        assert_eq!(read_at_most(csv.as_bytes(), 3).unwrap().rows.len(), 3);
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        // A sheet that starts at B3, as people leave a margin.
        for (i, row) in [["Наименование", "ИНН"], ["А", "1"], ["Б", "2"], ["В", "3"]]
            .iter()
            .enumerate()
        {
            for (j, cell) in row.iter().enumerate() {
                sheet
                    .write_string(2 + i as u32, 1 + j as u16, *cell)
                    .unwrap();
            }
        }
        sheet.write_number(6, 2, 2225066621.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(read_at_most(&bytes, 2), Err(ReadError::TooManyRows(2)));
        let table = read_at_most(&bytes, 10).unwrap();
        assert_eq!(table.headers, vec!["Наименование", "ИНН"]);
        assert_eq!(table.rows[0], vec!["А", "1"]);
        assert_eq!(table.rows[3], vec!["", "2225066621"]);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read(&bytes);
        }

        #[test]
        fn arbitrary_text_never_panics(text in "[\\PC;,\"\\n\\r\\t]{0,400}") {
            let _ = read(text.as_bytes());
        }

        #[test]
        fn arbitrary_zip_prefixed_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..1024)) {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.extend(tail);
            let _ = read(&bytes);
        }
    }
}
