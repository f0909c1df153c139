//! Citizen questions. So far: the working-time arithmetic their deadlines are counted in.

pub mod calendar;
