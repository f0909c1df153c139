//! The page card: its official-status mark and history, the verification checklist, how the
//! page is set up, its weekly figures with their trend, and the quality score with the
//! reason for every point lost.

pub mod forms;
pub mod handlers;
pub mod view;
