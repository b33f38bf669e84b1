//! The way back from a command to the Cloud Shell line that does the same: what the page runs
//! by clicking is recorded as these lines (exported scripts, share links, undo by replay).
//! Parsing a rendered line gives the same command again (a test checks it for every command).
//! Each command's registry entry knows its line; this is where the world answers what a line
//! needs to know of it.

use alloc::string::String;
use alloc::vec::Vec;

pub use crate::command::registry::line::{duration, lines_for_file, quote, Resolve, TEMPLATE_FILE};
use crate::command::Command;
use crate::world::World;

impl Resolve for World {
    fn is_hsm(&self, vault: &str) -> bool {
        self.azure.vault(vault).is_ok_and(|v| v.is_hsm())
    }
    fn vault_id(&self, vault: &str) -> Option<String> {
        self.azure.vault(vault).ok().map(|v| v.id())
    }
}

/// The line(s) that run `command` as the signed-in persona, or `None` for what the language
/// cannot say (key material from a file the script does not carry is named, not embedded).
pub fn lines_for(world: &World, command: &Command) -> Option<Vec<String>> {
    (command.entry().render)(world, command)
}
