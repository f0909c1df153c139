//! Sectors (отрасли) of a region. A new region starts with the default list; its admin may
//! rename, reorder and add.

pub mod db;
mod handlers;

use axum::routing::get;

use crate::web::routes::{Access, GET, POST, Routes};

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
    Routes::new()
        .add(
            "/r/{region}/sectors",
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            get(handlers::list).post(handlers::create),
        )
        .add(
            "/r/{region}/sectors/new",
            &[(GET, Access::RegionAdmin)],
            get(handlers::new_form),
        )
        .add(
            "/r/{region}/sectors/{id}",
            &[(GET, Access::RegionAdmin), (POST, Access::RegionAdmin)],
            get(handlers::edit_form).post(handlers::update),
        )
}
