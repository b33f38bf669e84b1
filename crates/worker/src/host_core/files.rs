//! The Cloud Shell's file store: uploads (templates, PEM and JWK keys) and `ls`, `cat`, `rm`.
//! Kept beside the world and saved on every change.

use cmk_core::{Error, ErrorCode};

use super::requests::printed;
use super::{Effect, HostCore};
use crate::protocol::Answer;

/// The largest file the store takes (the same as `sim file write`), and the most it holds in all.
const MAX_FILE_BYTES: usize = cmk_core::shell::MAX_WRITTEN_FILE;
const MAX_STORE_BYTES: usize = 10_000_000;

impl<P: Copy + PartialEq + core::fmt::Debug> HostCore<P> {
    /// Stores an uploaded file, if it fits.
    pub(super) fn put_file(&mut self, name: String, text: String) -> Result<Answer, Error> {
        let others: usize = self.files.0.iter().filter(|(n, _)| **n != name).map(|(_, t)| t.len()).sum();
        if name.is_empty() || name.contains('/') || text.len() > MAX_FILE_BYTES {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("A file needs a plain name and at most {MAX_FILE_BYTES} bytes of text (the limit per file)."),
            ));
        }
        if others + text.len() > MAX_STORE_BYTES {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("The Cloud Shell's files would pass {MAX_STORE_BYTES} bytes in all (the store's limit): remove some with rm first."),
            ));
        }
        let bytes = text.len();
        self.files.0.insert(name.clone(), text);
        self.save_files();
        Ok(Answer::Uploaded { name, bytes })
    }

    /// A file's text: an upload, else a file a command of the session wrote.
    pub(super) fn read_file(&mut self, name: &str) -> Result<Answer, Error> {
        let name = name.trim().trim_start_matches("~/").trim_start_matches("./");
        if let Some(text) = self.files.0.get(name) {
            return Ok(Answer::Text(text.clone()));
        }
        let written = match &mut self.loaded {
            super::Loaded::Session(s) => s.shell_mut().written().get(name).cloned(),
            _ => None,
        };
        written.map(Answer::Text).ok_or_else(|| {
            Error::new(
                ErrorCode::FileNotFound,
                format!("'{name}': no such file in the Cloud Shell's store. ls lists what is here."),
            )
        })
    }

    /// `ls`, `cat NAME`, `rm NAME` on the file store; `None` for any other line.
    pub(super) fn file_command(&mut self, line: &str) -> Option<Result<Answer, Error>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let missing = |name: &str| {
            Error::new(
                ErrorCode::FileNotFound,
                format!(
                    "'{name}': no such file. Upload it first (Upload in the Cloud Shell bar); ls lists what is here."
                ),
            )
        };
        // Files the session's commands wrote (key download and backup, sim file write): the
        // shell's own `cat` reads them, and `ls` lists them beside the uploads.
        let written: Vec<(String, usize)> = match &mut self.loaded {
            super::Loaded::Session(s) => s.shell_mut().written().iter().map(|(n, t)| (n.clone(), t.len())).collect(),
            _ => Vec::new(),
        };
        let files = &mut self.files.0;
        let result = match words.as_slice() {
            ["ls"] if files.is_empty() && written.is_empty() => {
                Ok(Answer::Text("(no files: use Upload in the Cloud Shell bar)".into()))
            }
            ["ls"] => Ok(Answer::Text(
                files
                    .iter()
                    .map(|(n, t)| format!("{n}\t{} bytes", t.len()))
                    .chain(written.iter().map(|(n, len)| format!("{n}\t{len} bytes\t(written this session)")))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )),
            ["cat", name] if !files.contains_key(*name) => return None,
            ["cat", name] => files.get(*name).map(|t| Answer::Text(t.clone())).ok_or_else(|| missing(name)),
            // A file a command of the session wrote belongs to the session's script (a replay
            // writes it again): say so, rather than "no such file" for a file ls lists.
            ["rm", name] if !files.contains_key(*name) && written.iter().any(|(n, _)| n == name) => Err(Error::new(
                ErrorCode::BadParameter,
                format!(
                    "'{name}' was written by a command of this session, and stays with the session's script: Undo that step to take it back, or Reset playground to start over."
                ),
            )),
            ["rm", name] => {
                let removed = files.remove(*name).ok_or_else(|| missing(name));
                let answer = removed.map(|_| Answer::Text(printed(&serde_json::json!({ "removed": name }))));
                if answer.is_ok() {
                    self.save_files();
                }
                answer
            }
            ["ls" | "cat" | "rm", ..] => Err(Error::new(ErrorCode::BadParameter, "Usage: ls | cat NAME | rm NAME")),
            _ => return None,
        };
        Some(result)
    }

    /// Writes the files, or, while a save is being kept aside, once it has landed.
    pub(super) fn save_files(&mut self) {
        if !self.storage {
            return;
        }
        if self.save.keeping_aside() {
            self.save.files_dirty = true;
            return;
        }
        match serde_json::to_string(&self.files.0) {
            Ok(text) => self.emit(Effect::WriteFiles(text)),
            Err(e) => self.log(e.to_string()),
        }
    }
}
