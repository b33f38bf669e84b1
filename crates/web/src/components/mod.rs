//! Reusable pieces of the portal chrome.

pub mod app_switcher;
pub mod bell;
pub mod blade;
pub mod clock_bar;
pub mod cloud_shell;
pub mod copy_button;
pub mod dialog;
pub mod guide;
pub mod icon;
pub mod json_view;
pub mod key_hierarchy;
pub mod message_bar;
pub mod notifications;
pub mod session_tools;
pub mod share;
pub mod status;
pub mod topbar;
pub mod what_if;

pub use app_switcher::AppSwitcher;
pub use bell::Bell;
pub use blade::{Blade, Breadcrumb};
pub use clock_bar::ClockBar;
pub use cloud_shell::CloudShell;
pub use copy_button::CopyButton;
pub use dialog::Dialog;
pub use guide::ScenarioGuide;
pub use icon::{Icon, IconName};
pub use json_view::JsonView;
pub use key_hierarchy::KeyHierarchy;
pub use message_bar::{MessageBar, MessageKind};
pub use notifications::Notifications;
pub use session_tools::SessionTools;
pub use share::ShareOpener;
pub use status::EncryptionStatus;
pub use topbar::TopBar;
pub use what_if::WhatIf;
