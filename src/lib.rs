//! gospublic: registry and monitoring of the official social-media pages of government
//! bodies, one region per tenant.

pub mod account;
pub mod activity;
pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod channels;
pub mod cli;
pub mod config;
pub mod contests;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod dictionaries;
pub mod directory;
pub mod error;
pub mod health;
pub mod home;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod invitations;
pub mod mail;
pub mod marks;
pub mod municipalities;
pub mod names;
pub mod orgs;
pub mod pages;
pub mod people;
pub mod public_questions;
pub mod quality;
pub mod questions;
pub mod regions;
pub mod sectors;
pub mod settings;
pub mod state;
pub mod telemetry;
pub mod web;

pub use app::app;
