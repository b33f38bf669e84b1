//! # cmk-web
//!
//! The CMK Playground page: a mock Azure portal driving the simulated cloud that lives in a Web
//! Worker (`cmk-worker`). This crate is the only one that touches the DOM. Pages read the
//! [`context::AppContext`] (the latest `View` and the results of commands) and send
//! `cmk_core::Command`s through it; they never hold the world themselves.

// Yew `Properties` structs are compared, never printed: Debug on each would be noise.
#![allow(missing_debug_implementations)]

pub mod app;
pub mod components;
pub mod context;
pub mod pages;
pub mod route;
pub mod store;
pub mod tab_lock;

pub use app::App;
