//! The XLSX template an admin fills in: the expected columns and one example row.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub const ORGANIZATION_HEADERS: [&str; 11] = [
    "Наименование",
    "Краткое наименование",
    "ИНН",
    "ОГРН",
    "Уровень",
    "Учредитель (ОГРН или наименование)",
    "Муниципалитет",
    "Отрасль 1",
    "Отрасль 2",
    "Отрасль 3",
    "Основание освобождения",
];

const EXAMPLE: [&str; 11] = [
    "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»",
    "МБОУ «СОШ № 1»",
    "2225066621",
    "1022200918376",
    "Муниципальное учреждение",
    "Комитет по образованию",
    "город Барнаул",
    "Образование",
    "",
    "",
    "",
];

pub fn organizations() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Организации")?;
    let bold = Format::new().set_bold();
    // INN and OGRN as text: typed as numbers, Excel turns long ones into 1,02E+12.
    let text = Format::new().set_num_format("@");
    for (col, header) in ORGANIZATION_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 60 } else { 22 })?;
    }
    sheet.set_column_format(2, &text)?;
    sheet.set_column_format(3, &text)?;
    sheet.set_column_format(5, &text)?;
    for (col, value) in EXAMPLE.iter().enumerate() {
        sheet.write_string(1, col as u16, *value)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

pub const MUNICIPALITY_HEADERS: [&str; 3] = ["Наименование", "Вид", "ОКТМО"];

pub fn municipalities() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Муниципалитеты")?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (col, header) in MUNICIPALITY_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 40 } else { 24 })?;
    }
    // OKTMO codes start with zeros, which a number would lose.
    sheet.set_column_format(2, &text)?;
    for (row, example) in [
        ["город Барнаул", "Городской округ", "01701000"],
        ["Алейский район", "Муниципальный район", "01601000"],
    ]
    .iter()
    .enumerate()
    {
        for (col, value) in example.iter().enumerate() {
            sheet.write_string(row as u32 + 1, col as u16, *value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

pub const PAGE_HEADERS: [&str; 6] = [
    "ОГРН организации",
    "Площадка",
    "Адрес страницы",
    "Название страницы",
    "Госметка",
    "Подключено к «Госпабликам»",
];

pub fn pages() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Страницы")?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (col, header) in PAGE_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
        sheet.set_column_width(col as u16, if col == 2 { 40 } else { 22 })?;
    }
    sheet.set_column_format(0, &text)?;
    for (col, value) in [
        "1022200918376",
        "ВКонтакте",
        "https://vk.com/club123456",
        "Школа № 1",
        "да",
        "нет",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, col as u16, *value)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

pub const ACTIVITY_HEADERS: [&str; 13] = [
    "ОГРН организации",
    "Площадка",
    "Адрес страницы",
    "Неделя с",
    "Подписчики",
    "Посты",
    "Просмотры",
    "Лайки",
    "Комментарии",
    "Репосты",
    "Охват за неделю",
    "Дата последнего поста",
    "Примечание",
];

/// The regional weekly template: one row per page and week.
pub fn activity() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Активность")?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (col, header) in ACTIVITY_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
        sheet.set_column_width(col as u16, if col == 2 { 40 } else { 16 })?;
    }
    sheet.set_column_format(0, &text)?;
    sheet.set_column_format(3, &text)?;
    sheet.set_column_format(11, &text)?;
    for (col, value) in [
        "1022200918376",
        "ВКонтакте",
        "https://vk.com/club123456",
        "23.11.2026",
        "1250",
        "4",
        "5300",
        "210",
        "35",
        "12",
        "900",
        "27.11.2026",
        "",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, col as u16, *value)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_template_reads_back_with_its_example() {
        let bytes = super::organizations().unwrap();
        let table = crate::import::reader::read(&bytes).unwrap();
        assert_eq!(table.headers, super::ORGANIZATION_HEADERS);
        assert_eq!(table.rows[0][3], "1022200918376");
    }
}
