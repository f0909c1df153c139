//! One CSV line as Russian spreadsheets read it: `;` between fields, quotes where needed.

pub fn line(fields: &[String]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}
