//! The dashboard's store: one file per widget or screen, each holding every statement it
//! runs. Scope and focus reach the SQL as values each function binds itself.

pub mod answer_days;
pub mod coverage;
pub mod digest;
pub mod exports;
pub mod federal;
pub mod focus;
pub mod red_flags;
pub mod responsiveness;
pub mod trends;
