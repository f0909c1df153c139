//! The official-status mark (госметка) of pages: its lifecycle and dated history.

pub mod db;
pub mod lifecycle;
