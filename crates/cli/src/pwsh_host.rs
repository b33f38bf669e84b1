//! `cmk-cli run FILE.ps1`: PowerShell over the simulated world, as `pwsh FILE.ps1` runs a
//! script — standard input answers its prompts, standard output is what PowerShell prints.
//! `az`, `pp`, `sim` and the Az cmdlets run through the same shell as typed lines do.

use std::collections::VecDeque;
use std::io::Write;

use cmk_core::command::Command;
use cmk_core::shell::{Files, Output, Shell};
use cmk_core::time::SimDuration;
use cmk_core::World;
use cmk_pwsh::Value;

pub struct PwshHost<'a> {
    pub world: &'a mut World,
    pub shell: &'a mut Shell,
    pub files: &'a dyn Files,
    pub input: VecDeque<String>,
    pub out: &'a mut dyn Write,
    /// Sleep shorter than a second waits here until it adds up to one (the clock ticks in seconds).
    pending_ms: u64,
    /// The folder the script's files are in: what `ls` (Get-ChildItem) lists.
    pub dir: Option<std::path::PathBuf>,
}

/// The files under `dir` (relative paths, `/`-separated), as the page's store lists them: one
/// `path<TAB>N bytes` line each, in name order.
fn listing(dir: &std::path::Path, folder: Option<&str>) -> Result<String, String> {
    fn walk(base: &std::path::Path, at: &std::path::Path, out: &mut Vec<(String, u64)>, depth: usize) {
        let Ok(entries) = std::fs::read_dir(at) else { return };
        for e in entries.flatten() {
            let path = e.path();
            match e.metadata() {
                Ok(m) if m.is_dir() && depth < 4 => walk(base, &path, out, depth + 1),
                Ok(m) if m.is_file() => {
                    let rel = path.strip_prefix(base).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                    out.push((rel, m.len()));
                }
                _ => {}
            }
        }
    }
    let mut all = Vec::new();
    walk(dir, dir, &mut all, 0);
    all.sort();
    let under = folder.map(|f| format!("{}/", f.trim_end_matches('/')));
    let lines: Vec<String> = all
        .iter()
        .filter(|(n, _)| under.as_deref().is_none_or(|u| n.starts_with(u) || Some(n.as_str()) == folder))
        .map(|(n, len)| format!("{n}\t{len} bytes"))
        .collect();
    match (lines.is_empty(), folder) {
        (true, Some(f)) => Err(format!("'{f}': no such file or folder. ls lists what is here.")),
        _ => Ok(lines.join("\n")),
    }
}

impl<'a> PwshHost<'a> {
    pub fn new(world: &'a mut World, shell: &'a mut Shell, files: &'a dyn Files, out: &'a mut dyn Write) -> Self {
        Self { world, shell, files, input: VecDeque::new(), out, pending_ms: 0, dir: None }
    }
}

impl cmk_pwsh::Host for PwshHost<'_> {
    fn print(&mut self, text: &str, newline: bool) {
        let _ = self.out.write_all(text.as_bytes());
        if newline {
            let _ = self.out.write_all(b"\n");
        }
        let _ = self.out.flush();
    }

    fn read_line(&mut self) -> Option<String> {
        let line = self.input.pop_front()?;
        // What was typed shows in the transcript, as on a console.
        self.print(&line, true);
        Some(line)
    }

    fn invoke(&mut self, name: &str, args: &[Value]) -> Option<Result<Vec<Value>, String>> {
        let lower = name.to_ascii_lowercase();
        // The store's listing (the page's worker answers `ls` the same way).
        if lower == "ls" {
            let words = cmk_pwsh::replay::native_words(args);
            let dir = self.dir.clone()?;
            return Some(listing(&dir, words.first().map(String::as_str)).map(|t| t.lines().map(Value::str).collect()));
        }
        let native = matches!(lower.as_str(), "az" | "pp" | "sim");
        let mut argv = vec![if native { lower.clone() } else { name.to_string() }];
        argv.extend(cmk_pwsh::replay::native_words(args));
        if !native && cmk_core::command::registry::find(&argv).is_none() {
            return None;
        }
        Some(match self.shell.run_argv(self.world, &argv, self.files) {
            // A native command prints text: PowerShell receives its lines as strings.
            Ok(Output::Text(t)) if native => Ok(t.lines().map(Value::str).collect()),
            Ok(Output::Json(v)) if native => {
                let text = serde_json::to_string_pretty(&v).unwrap_or_default();
                Ok(text.lines().map(Value::str).collect())
            }
            // A cmdlet outputs objects.
            Ok(Output::Json(v)) => {
                let text = serde_json::to_string(&v).unwrap_or_default();
                cmk_pwsh::from_json(&text).map(|v| v.items())
            }
            Ok(Output::Text(t)) => Ok(if t.is_empty() { Vec::new() } else { vec![Value::Str(t)] }),
            Err(e) if native => Err(format!("ERROR: {}", e.message())),
            Err(e) => Err(e.message().to_string()),
        })
    }

    fn read_file(&mut self, path: &str) -> Result<String, String> {
        self.shell.read_file(path, self.files)
    }

    fn write_file(&mut self, path: &str, text: &str) -> Result<(), String> {
        self.shell.write_file(path, text);
        Ok(())
    }

    fn remove_file(&mut self, path: &str) -> Result<(), String> {
        if self.shell.remove_file(path) {
            Ok(())
        } else {
            Err(format!("Cannot find path '{path}' because it does not exist."))
        }
    }

    fn file_exists(&mut self, path: &str) -> bool {
        self.shell.read_file(path, self.files).is_ok()
    }

    fn sleep(&mut self, ms: u64) {
        self.pending_ms += ms;
        let seconds = self.pending_ms / 1000;
        if seconds > 0 {
            self.pending_ms %= 1000;
            let _ = self.shell.execute(self.world, Command::AdvanceClock { by: SimDuration::seconds(seconds) });
        }
    }

    fn now_ms(&mut self) -> i64 {
        i64::try_from(self.world.now().unix()).unwrap_or(0) * 1000 + i64::try_from(self.pending_ms).unwrap_or(0)
    }

    fn random(&mut self) -> u64 {
        self.shell.random_u64()
    }
}
