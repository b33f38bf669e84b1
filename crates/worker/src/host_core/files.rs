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
    /// Stores an uploaded file, if it fits. Its name may hold folders (`Cmk/a.ps1`).
    pub(super) fn put_file(&mut self, name: String, text: String) -> Result<Answer, Error> {
        let name = self.check_fits(&[(name, text.len())])?.remove(0);
        let bytes = text.len();
        self.files.0.insert(name.clone(), text);
        self.save_files();
        Ok(Answer::Uploaded { name, bytes })
    }

    /// Unpacks an uploaded .zip archive (its bytes in base64) into the store, keeping its
    /// folders: every file, or none when one cannot be read or the store would overflow.
    pub(super) fn put_archive(&mut self, name: &str, base64_bytes: &str) -> Result<Answer, Error> {
        use base64::Engine as _;
        let refused = |why: String| {
            Error::new(ErrorCode::BadParameter, format!("'{name}' was not unpacked: {why}. Nothing was added."))
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(base64_bytes)
            .map_err(|_| refused("it did not arrive whole".into()))?;
        let files = super::zip::read(&bytes, MAX_FILE_BYTES).map_err(refused)?;
        let sizes: Vec<(String, usize)> = files.iter().map(|(n, t)| (n.clone(), t.len())).collect();
        self.check_fits(&sizes)?;
        let listed: Vec<serde_json::Value> =
            files.iter().map(|(n, t)| serde_json::json!({ "name": n, "bytes": t.len() })).collect();
        for (path, text) in files {
            self.files.0.insert(path, text);
        }
        self.save_files();
        Ok(Answer::Text(printed(&serde_json::json!({ "unzipped": name, "files": listed }))))
    }

    /// The store paths for `files` (name, bytes), if each is a path inside the home folder of
    /// at most the per-file limit and all fit in the store (replacing files of the same path).
    fn check_fits(&self, files: &[(String, usize)]) -> Result<Vec<String>, Error> {
        let mut paths = Vec::new();
        for (name, bytes) in files {
            match super::zip::normalize(name) {
                Some(path) if *bytes <= MAX_FILE_BYTES => paths.push(path),
                _ => {
                    return Err(Error::new(
                        ErrorCode::BadParameter,
                        format!("'{name}': a file needs a path inside the home folder (folders allowed, no '..') and at most {MAX_FILE_BYTES} bytes of text (the limit per file)."),
                    ))
                }
            }
        }
        let kept: usize = self.files.0.iter().filter(|(n, _)| !paths.contains(n)).map(|(_, t)| t.len()).sum();
        if kept + files.iter().map(|(_, b)| b).sum::<usize>() > MAX_STORE_BYTES {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("The Cloud Shell's files would pass {MAX_STORE_BYTES} bytes in all (the store's limit): remove some with rm first."),
            ));
        }
        Ok(paths)
    }

    /// The files the session's commands wrote (key download and backup, `sim file write`).
    fn written(&mut self) -> Option<&std::collections::BTreeMap<String, String>> {
        match &mut self.loaded {
            super::Loaded::Session(s) => Some(s.shell_mut().written()),
            _ => None,
        }
    }

    /// A file's text: an upload, else a file a command of the session wrote.
    pub(super) fn read_file(&mut self, name: &str) -> Result<Answer, Error> {
        let path = super::zip::normalize(name).unwrap_or_default();
        let name = path.as_str();
        if let Some(text) = self.files.0.get(name) {
            return Ok(Answer::Text(text.clone()));
        }
        self.written().and_then(|w| w.get(name).cloned()).map(Answer::Text).ok_or_else(|| {
            Error::new(
                ErrorCode::FileNotFound,
                format!("'{name}': no such file in the Cloud Shell's store. ls lists what is here."),
            )
        })
    }

    /// `ls`, `cat NAME`, `rm NAME` on the file store; `None` for any other line.
    pub(super) fn file_command(&mut self, line: &str) -> Option<Result<Answer, Error>> {
        // Paths as the shell writes them (`./Cmk/a.ps1`, `~/a.json`) name the store's files.
        let normal: Vec<String> = line
            .split_whitespace()
            .enumerate()
            .map(
                |(i, w)| if i == 0 { w.to_string() } else { super::zip::normalize(w).unwrap_or_else(|| w.to_string()) },
            )
            .collect();
        let words: Vec<&str> = normal.iter().map(String::as_str).collect();
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
        let written: Vec<(String, usize)> =
            self.written().map(|w| w.iter().map(|(n, t)| (n.clone(), t.len())).collect()).unwrap_or_default();
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
            // A folder: the files under it, with their paths.
            ["ls", dir] if !files.contains_key(*dir) => {
                let under = format!("{dir}/");
                let listed: Vec<String> = files
                    .iter()
                    .map(|(n, t)| (n, t.len()))
                    .chain(written.iter().map(|(n, len)| (n, *len)))
                    .filter(|(n, _)| n.starts_with(&under) || n == dir)
                    .map(|(n, len)| format!("{n}\t{len} bytes"))
                    .collect();
                if listed.is_empty() {
                    Err(Error::new(ErrorCode::FileNotFound, format!("'{dir}': no such file or folder. ls lists what is here.")))
                } else {
                    Ok(Answer::Text(listed.join("\n")))
                }
            }
            ["ls", name] => Ok(Answer::Text(format!("{name}\t{} bytes", files.get(*name).map_or(0, String::len)))),
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
            ["ls" | "cat" | "rm", ..] => Err(Error::new(ErrorCode::BadParameter, "Usage: ls [FOLDER] | cat NAME | rm NAME")),
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
