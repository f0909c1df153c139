//! Sectors (отрасли) of a region. A new region starts with the default list; its admin may
//! rename, reorder and add.

pub mod db;
mod handlers;

use axum::routing::get;

use crate::web::routes::Routes;

/// The list most regions start from. Sector names are data of the region, kept in Russian.
pub const DEFAULT_SECTORS: [&str; 14] = [
    "Государственное и муниципальное управление",
    "Образование",
    "Здравоохранение",
    "Культура",
    "Социальная защита",
    "Физическая культура и спорт",
    "Молодёжная политика",
    "Жилищно-коммунальное хозяйство",
    "Транспорт и дороги",
    "Экономика и предпринимательство",
    "Сельское хозяйство",
    "Безопасность и ЧС",
    "Экология и природопользование",
    "Занятость населения",
];

pub fn router() -> Routes {
    crate::dictionaries::routes::<handlers::Sectors>(
        "/r/{region}/sectors",
        "/r/{region}/sectors/new",
        "/r/{region}/sectors/{id}",
        get(handlers::list),
    )
}
