//! Running commands and finding places.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The workspace root (xtask lives in crates/xtask).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Cargo's target folder: CARGO_TARGET_DIR (relative to the workspace root) or `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// PATH with the npm tools (wasm-opt from binaryen) and cargo's bin dir in front.
pub fn tool_path() -> String {
    let mut parts = vec![root().join("tests/node_modules/.bin").display().to_string()];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        parts.push(home.join("bin").display().to_string());
    }
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

pub fn command(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(root()).env("PATH", tool_path());
    c
}

/// Runs a command with inherited output; error if it fails to start or exits non-zero.
pub fn run(program: &str, args: &[&str]) -> Result<(), String> {
    run_cmd(command(program, args))
}

pub fn run_cmd(mut c: Command) -> Result<(), String> {
    let shown = show(&c);
    println!("$ {shown}");
    let status = c.status().map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command, echoing its output live, and returns the combined output for parsing.
pub fn run_captured(c: Command) -> Result<String, (String, String)> {
    let shown = show(&c);
    println!("$ {shown}");
    // sh merges stderr into stdout and tees it, so the person sees progress as it happens.
    let log =
        std::env::temp_dir().join(format!("xtask-{}-{}.log", std::process::id(), Instant::now().elapsed().as_nanos()));
    let program = c.get_program().to_string_lossy().into_owned();
    let args: Vec<String> = c.get_args().map(|a| shell_quote(&a.to_string_lossy())).collect();
    let script = format!(
        "set -o pipefail; {} {} 2>&1 | tee {}",
        shell_quote(&program),
        args.join(" "),
        shell_quote(&log.display().to_string())
    );
    let mut sh = Command::new("bash");
    sh.arg("-c").arg(script).current_dir(c.get_current_dir().map(Path::to_path_buf).unwrap_or_else(root));
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => sh.env(k, v),
            None => sh.env_remove(k),
        };
    }
    let status = sh.stdin(Stdio::null()).status();
    let output = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    match status {
        Ok(s) if s.success() => Ok(output),
        Ok(s) => Err((format!("`{shown}` failed ({s})"), output)),
        Err(e) => Err((format!("could not start `{shown}`: {e}"), output)),
    }
}

/// Output of a command that should succeed, trimmed; None if it cannot run or fails.
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program, args).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn show(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&shell_quote(&a.to_string_lossy()));
    }
    s
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

pub fn secs(t: Instant) -> String {
    format!("{:.1} s", t.elapsed().as_secs_f64())
}
