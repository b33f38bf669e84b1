//! Where a line's files come from: `--template-file`, `--value @FILE`, `--pem-file`.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

/// Where `--template-file`, `--value @FILE` and `--pem-file` are read from.
pub trait Files {
    fn read(&self, path: &str) -> Result<String, String>;
}

/// No files at all (a host without storage).
#[derive(Debug)]
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("'{path}': there is no file storage here"))
    }
}

/// Files held in memory, by path (tests, the browser's own store).
#[derive(Debug, Default)]
pub struct MemoryFiles(pub BTreeMap<String, String>);

impl Files for MemoryFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| format!("'{path}': no such file"))
    }
}

/// The session's own files first (`sim file write`), then the host's.
pub(crate) struct Layered<'a> {
    pub(crate) written: &'a BTreeMap<String, String>,
    pub(crate) host: &'a dyn Files,
}

impl Files for Layered<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        match self.written.get(path) {
            Some(text) => Ok(text.clone()),
            None => self.host.read(path),
        }
    }
}
