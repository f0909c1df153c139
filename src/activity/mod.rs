//! Weekly activity figures of pages, what they say about a page, and their charts.

pub mod chart;
pub mod db;
pub mod derive;
pub mod figures;
