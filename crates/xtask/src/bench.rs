//! `cargo xtask bench`: numbers, measured. Later issues add their own sections.

use crate::util::{self, cargo, command, root};
use crate::{dist, setup};

pub fn run() -> Result<(), String> {
    println!("== page weight (release build, gzip -9) ==");
    let w = dist::build_release()?;
    println!(
        "page weight: {} gzipped without the on-demand PowerShell module, {} with it ({} fetched only when used)",
        dist::kb(w.page),
        dist::kb(w.page + w.on_demand),
        dist::kb(w.on_demand)
    );
    println!("\n== core, native release ==");
    util::run(&cargo(), &["run", "--quiet", "--release", "-p", "cmk-core", "--example", "bench"])?;
    println!("\n== worker round trip, native release (what the worker does per request) ==");
    util::run(&cargo(), &["run", "--quiet", "--release", "-p", "cmk-worker", "--example", "worker_roundtrip"])?;
    println!("\n== in the page (headless Chromium on the release dist/) ==");
    let mut page = command("node", &["bench/page.mjs"]);
    page.current_dir(root().join("tests")).env("CMK_DIST", root().join("dist")).env("CMK_CHROMIUM", setup::CHROMIUM);
    util::run_cmd(page)?;
    Ok(())
}
