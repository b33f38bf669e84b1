//! Reusable pieces of the portal chrome.

pub mod blade;
pub mod cloud_shell;
pub mod icon;
pub mod json_view;
pub mod message_bar;
pub mod notifications;
pub mod topbar;

pub use blade::{Blade, Breadcrumb};
pub use cloud_shell::CloudShell;
pub use icon::{Icon, IconName};
pub use json_view::JsonView;
pub use message_bar::{MessageBar, MessageKind};
pub use notifications::Notifications;
pub use topbar::TopBar;
