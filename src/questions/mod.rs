//! Citizen questions: arrival, the editor's inbox, answers, transfers and the deadlines they
//! are held to, counted in the region's working time.

pub mod calendar;
pub mod clock;
pub mod workflow;
