//! `cargo xtask setup`: install only what is missing, at pinned versions. Offline-safe: every
//! tool comes from crates.io, npm, PyPI or Debian's packages, never from a tool's own download.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::util::{self, cargo, output_of, root, run_cmd, secs, target_dir};

pub const TRUNK_VERSION: &str = "0.21.14";
const TARGETS: [&str; 2] = ["wasm32-unknown-unknown", "x86_64-unknown-none"];
pub const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const FIREFOX: &str = "/usr/bin/firefox-esr";
const GECKODRIVER_VERSION: &str = "0.37.1";
/// The Azure CLI whose grammar the Cloud Shell follows (`cargo xtask grammar`, `az-parses`).
pub const AZURE_CLI_VERSION: &str = "2.91.0";
/// `az graph query` is not in azure-cli but in its `resource-graph` extension. `az extension add`
/// reads the extension index from a host that is not a package registry, so the extension's own
/// wheel comes from PyPI instead (2.0.0 is the newest published there) and is put where
/// `az extension add` would put it: `pip install --target EXTENSION_DIR/resource-graph`.
pub const RESOURCE_GRAPH_VERSION: &str = "2.0.0";

static DONE: AtomicBool = AtomicBool::new(false);

pub fn run() -> Result<(), String> {
    if DONE.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let started = Instant::now();
    let mut did = Vec::new();
    targets(&mut did)?;
    trunk(&mut did)?;
    wasm_bindgen(&mut did)?;
    npm(&mut did)?;
    chromium(&mut did)?;
    firefox(&mut did)?;
    geckodriver(&mut did)?;
    azure_cli(&mut did)?;
    let what = if did.is_empty() { "everything was already installed".to_string() } else { did.join("; ") };
    println!("setup: {what} ({})", secs(started));
    Ok(())
}

fn targets(did: &mut Vec<String>) -> Result<(), String> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    for target in TARGETS {
        if !installed.lines().any(|l| l.trim() == target) {
            let t = Instant::now();
            util::run("rustup", &["target", "add", target])?;
            did.push(format!("rust target {target} ({})", secs(t)));
        }
    }
    Ok(())
}

fn trunk(did: &mut Vec<String>) -> Result<(), String> {
    let want = format!("trunk {TRUNK_VERSION}");
    if output_of("trunk", &["--version"]).as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    let t = Instant::now();
    util::run(&cargo(), &["install", "--locked", "trunk", "--version", TRUNK_VERSION])?;
    did.push(format!("trunk {TRUNK_VERSION} ({})", secs(t)));
    Ok(())
}

/// The wasm-bindgen version Cargo.lock resolved (the CLI must match it exactly).
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock =
        std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) =
                lines.next().and_then(|l| l.trim().strip_prefix("version = \"")).and_then(|v| v.strip_suffix('"'))
            {
                return Ok(v.to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn wasm_bindgen(did: &mut Vec<String>) -> Result<(), String> {
    let version = locked_wasm_bindgen()?;
    let want = format!("wasm-bindgen {version}");
    let have = output_of("wasm-bindgen", &["--version"]);
    let runner = output_of("wasm-bindgen-test-runner", &["--version"]);
    if have.as_deref() == Some(want.as_str()) && runner.is_some_and(|r| r.contains(&version)) {
        return Ok(());
    }
    let t = Instant::now();
    // Not --locked: the CLI's own lockfile pins a crate the registry no longer has.
    util::run(&cargo(), &["install", "--force", "wasm-bindgen-cli", "--version", &version])?;
    did.push(format!("wasm-bindgen-cli {version} ({})", secs(t)));
    Ok(())
}

fn npm(did: &mut Vec<String>) -> Result<(), String> {
    let tests = root().join("tests");
    let lock = tests.join("package-lock.json");
    let installed = tests.join("node_modules/.package-lock.json");
    let fresh = match (mtime(&lock), mtime(&installed)) {
        (Some(l), Some(i)) => i >= l && tests.join("node_modules/.bin/wasm-opt").exists(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    if output_of("npm", &["--version"]).is_none() {
        return Err("npm is not installed: run `apt-get install -y nodejs npm` (Node 20 or newer), then retry".into());
    }
    let t = Instant::now();
    let mut c = crate::util::command("npm", &["ci", "--no-audit", "--no-fund"]);
    c.current_dir(&tests);
    run_cmd(c)?;
    did.push(format!("npm packages: playwright-core, binaryen, axe-core ({})", secs(t)));
    Ok(())
}

fn mtime(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

fn chromium(did: &mut Vec<String>) -> Result<(), String> {
    debian(did, &[CHROMIUM, CHROMEDRIVER], &["chromium", "chromium-driver"], "Chromium and chromedriver are")
}

fn firefox(did: &mut Vec<String>) -> Result<(), String> {
    debian(did, &[FIREFOX], &["firefox-esr"], "Firefox ESR is")
}

/// Installs Debian `packages` with apt (as root) unless every one of `paths` is there already.
fn debian(did: &mut Vec<String>, paths: &[&str], packages: &[&str], what: &str) -> Result<(), String> {
    if paths.iter().all(|p| Path::new(p).exists()) {
        return Ok(());
    }
    let install = format!("apt-get update && apt-get install -y --no-install-recommends {}", packages.join(" "));
    if output_of("id", &["-u"]).as_deref() != Some("0") {
        return Err(format!("{what} needed for the browser tests. Run as root:\n  {install}"));
    }
    let t = Instant::now();
    let mut c = crate::util::command("bash", &["-c", &install]);
    c.env("DEBIAN_FRONTEND", "noninteractive");
    run_cmd(c)?;
    did.push(format!("{} ({})", packages.join(" + "), secs(t)));
    Ok(())
}

/// Where `cargo install` puts geckodriver (Firefox's WebDriver server, from crates.io).
pub fn geckodriver_path() -> std::path::PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| std::path::PathBuf::from(".cargo"));
    home.join("bin/geckodriver")
}

fn geckodriver(did: &mut Vec<String>) -> Result<(), String> {
    let path = geckodriver_path();
    let have = output_of(&path.to_string_lossy(), &["--version"]).unwrap_or_default();
    if have.lines().next().is_some_and(|l| l.starts_with(&format!("geckodriver {GECKODRIVER_VERSION}"))) {
        return Ok(());
    }
    let t = Instant::now();
    util::run(&cargo(), &["install", "--locked", "geckodriver", "--version", GECKODRIVER_VERSION])?;
    did.push(format!("geckodriver {GECKODRIVER_VERSION} ({})", secs(t)));
    Ok(())
}

/// The virtual environment that holds the pinned azure-cli (build output: under target/).
pub fn azure_cli_venv() -> PathBuf {
    target_dir().join("azure-cli-venv")
}

/// The venv's own extension folder (AZURE_EXTENSION_DIR), so nothing lands in ~/.azure.
pub fn azure_extension_dir() -> PathBuf {
    azure_cli_venv().join("az-extensions")
}

/// The venv's python, with AZURE_EXTENSION_DIR set. It writes no byte code, so crates/xtask/az
/// gets no __pycache__; azure-cli's own was compiled by pip. (PYTHONPYCACHEPREFIX under target/
/// was tried: it ignores pip's byte code and made the grammar 3x slower.)
pub fn azure_python(args: &[&str]) -> std::process::Command {
    let python = azure_cli_venv().join("bin/python");
    let mut c = util::command(&python.to_string_lossy(), args);
    c.env("AZURE_EXTENSION_DIR", azure_extension_dir()).env("PYTHONDONTWRITEBYTECODE", "1");
    c
}

/// `python3 -m venv` + `pip install azure-cli==AZURE_CLI_VERSION` and the resource-graph
/// extension, each skipped when the venv already has that version. `did` says what it installed.
/// Cold (no pip cache) it takes ~78 s on this project's 2-core machines, ~1 s for the extension.
pub fn azure_cli(did: &mut Vec<String>) -> Result<(), String> {
    let venv = azure_cli_venv();
    let python = venv.join("bin/python");
    let version_of = |package: &str| {
        let script = format!("import importlib.metadata as m; print(m.version('{package}'))");
        output_of(&python.to_string_lossy(), &["-c", &script])
    };
    if version_of("azure-cli").as_deref() != Some(AZURE_CLI_VERSION) {
        let t = Instant::now();
        if version_of("pip").is_none() {
            // Missing, or made by a python that is gone: (re)made from scratch.
            util::run("python3", &["-m", "venv", "--clear", &venv.to_string_lossy()]).map_err(|e| {
                format!("{e}\n  a virtual environment needs Python 3.10+ with venv (Debian: apt-get install -y python3-venv)")
            })?;
        }
        let pin = format!("azure-cli=={AZURE_CLI_VERSION}");
        let pip = ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", &pin];
        util::run(&python.to_string_lossy(), &pip)?;
        did.push(format!("azure-cli {AZURE_CLI_VERSION} in {} ({})", venv.display(), secs(t)));
    }
    let extension = azure_extension_dir().join("resource-graph");
    let installed = extension.join(format!("resource_graph-{RESOURCE_GRAPH_VERSION}.dist-info"));
    if !installed.is_dir() {
        let t = Instant::now();
        if extension.exists() {
            std::fs::remove_dir_all(&extension)
                .map_err(|e| format!("cannot remove the old {}: {e}", extension.display()))?;
        }
        let pin = format!("resource-graph=={RESOURCE_GRAPH_VERSION}");
        let target = extension.to_string_lossy().into_owned();
        let pip =
            ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "--no-deps", "--target", &target, &pin];
        util::run(&python.to_string_lossy(), &pip)?;
        did.push(format!("az extension resource-graph {RESOURCE_GRAPH_VERSION} ({})", secs(t)));
    }
    Ok(())
}
