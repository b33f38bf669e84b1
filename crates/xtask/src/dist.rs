//! Release builds (`dist`) and the dev server (`serve`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::util::{cargo, command, root, run, run_cmd, secs};

/// What dist/ weighs, gzip -9: the files every visit may need, and the modules fetched only
/// when someone uses them (the PowerShell worker).
#[derive(Clone, Copy, Debug)]
pub struct Weight {
    pub page: u64,
    pub on_demand: u64,
}

/// A file of a module fetched only when it is used (never on the first visit).
pub fn on_demand(name: &str) -> bool {
    name.starts_with("cmk_pwsh_worker")
}

/// `trunk build --release` into dist/; prints each file's size raw and gzipped.
pub fn build_release() -> Result<Weight, String> {
    let t = Instant::now();
    // trunk runs offline and passes --offline to cargo: fetch first.
    run(&cargo(), &["fetch", "--quiet"])?;
    run_cmd(command("trunk", &["build", "--release"]))?;
    crate::slim::page_script(&root().join("dist"))?;
    let index = root().join("dist/index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("dist/index.html: {e}"))?;
    std::fs::write(&index, crate::csp::with_policy(&html)?).map_err(|e| format!("dist/index.html: {e}"))?;
    // Last: the service worker lists every file as served, the policy-carrying index.html too.
    crate::offline::write(&root().join("dist"))?;
    println!("dist: built in {}", secs(t));
    print_sizes(&root().join("dist"))
}

pub fn serve() -> Result<(), String> {
    run(&cargo(), &["fetch", "--quiet"])?;
    // The development build goes to its own folder: dist/ stays the release build a person
    // deploys (trunk serve would otherwise write a debug build with its reload script there).
    let dev = crate::util::target_dir().join("serve-dist");
    let dev = dev.to_string_lossy().into_owned();
    println!("serving on http://127.0.0.1:8080/ (Ctrl+C to stop); the development build is in {dev}");
    run_cmd(command("trunk", &["serve", "--address", "127.0.0.1", "--port", "8080", "--dist", &dev]))
}

pub fn print_sizes(dir: &Path) -> Result<Weight, String> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    let (mut raw_total, mut gz_total, mut later) = (0u64, 0u64, 0u64);
    println!("{:<44} {:>10} {:>10}", "file", "raw", "gzip -9");
    for f in &files {
        let raw = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        let gz = gzip_size(f)?;
        raw_total += raw;
        gz_total += gz;
        let name = f.strip_prefix(dir).unwrap_or(f).display().to_string();
        if on_demand(&name) {
            later += gz;
        }
        println!("{name:<44} {:>10} {:>10}", kb(raw), kb(gz));
    }
    println!("{:<44} {:>10} {:>10}", "total", kb(raw_total), kb(gz_total));
    println!("{:<44} {:>10} {:>10}", "  of which fetched only when used", "", kb(later));
    Ok(Weight { page: gz_total - later, on_demand: later })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

fn gzip_size(f: &Path) -> Result<u64, String> {
    let out = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(f)
        .output()
        .map_err(|e| format!("gzip is needed to measure sizes: {e}"))?;
    Ok(out.stdout.len() as u64)
}

pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
