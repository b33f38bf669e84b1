//! Lines of the Cloud Shell language written from commands: quoting, durations, the line
//! builder the registry's render functions use.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::time::SimTime;

/// The file a rendered deployment writes its template to before deploying it.
pub const TEMPLATE_FILE: &str = "template.json";

/// One word for the shell: as-is when it is plain, otherwise single-quoted (a `'` inside is
/// written `'\''`, as in bash).
pub fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// A duration the way people type it: `30d`, `6h`, `45m`, or seconds as ISO-8601.
pub fn duration(seconds: u64) -> String {
    match seconds {
        s if s > 0 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s > 0 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s > 0 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("PT{s}S"),
    }
}

pub(crate) fn time(t: Option<SimTime>) -> String {
    t.map(SimTime::to_iso).unwrap_or_default()
}

/// JSON kept on one line (a script's lines are physical lines); text that is not JSON keeps its
/// characters with line breaks turned into spaces.
pub(crate) fn one_line(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => v.to_string(),
        Err(_) => text.replace(['\r', '\n'], " "),
    }
}

pub(crate) struct Line(pub(crate) Vec<String>);

impl Line {
    pub(crate) fn new(words: &str) -> Self {
        Self(words.split(' ').map(Into::into).collect())
    }
    pub(crate) fn flag(mut self, name: &str, value: &str) -> Self {
        self.0.push(name.into());
        self.0.push(quote(value));
        self
    }
    pub(crate) fn opt(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.flag(name, v),
            None => self,
        }
    }
    pub(crate) fn switch(mut self, name: &str, on: bool) -> Self {
        if on {
            self.0.push(name.into());
        }
        self
    }
    /// `--name V1 V2 …`: a flag with several values.
    pub(crate) fn values(mut self, name: &str, values: &[String]) -> Self {
        self.0.push(name.into());
        self.0.extend(values.iter().map(|v| quote(v)));
        self
    }
    /// `--tags k=v …` (SPEC KV-14); nothing for `None`, `--tags ""` for an empty set.
    /// `--ops a b` when given; nothing when `None`.
    pub(crate) fn opt_values(self, name: &str, values: Option<&[String]>) -> Self {
        match values {
            Some(v) => self.values(name, v),
            None => self,
        }
    }
    pub(crate) fn tags(mut self, tags: Option<&crate::view::Tags>) -> Self {
        let Some(tags) = tags else { return self };
        self.0.push("--tags".into());
        if tags.is_empty() {
            self.0.push("''".into());
        }
        self.0.extend(tags.iter().map(|(k, v)| quote(&format!("{k}={v}"))));
        self
    }
    pub(crate) fn done(self) -> String {
        self.0.join(" ")
    }
}

/// What rendering needs to know of the world: a line names a vault the way its kind wants.
pub trait Resolve {
    /// Whether `vault` is a Managed HSM.
    fn is_hsm(&self, vault: &str) -> bool;
    /// The ARM id of `vault`, if it exists.
    fn vault_id(&self, vault: &str) -> Option<String>;
}

/// The vault flag a key command takes: `--hsm-name` for a Managed HSM, else `--vault-name`.
pub(crate) fn vault_flag(world: &dyn Resolve, name: &str) -> &'static str {
    if world.is_hsm(name) {
        "--hsm-name"
    } else {
        "--vault-name"
    }
}

pub(crate) fn on_off(v: bool) -> &'static str {
    if v {
        "true"
    } else {
        "false"
    }
}

/// One rendered line.
pub(crate) fn one(line: Line) -> Option<Vec<String>> {
    Some(vec![line.done()])
}

/// The line that gives a session the file `name` (templates travel inside scripts this way).
pub fn lines_for_file(name: &str, text: &str) -> String {
    Line::new("sim file write").flag("--name", name).flag("--value", &one_line(text)).done()
}
