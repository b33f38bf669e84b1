//! `cargo xtask bench`: numbers, measured. Later issues add their own sections.

use crate::dist;
use crate::util::{self, cargo};

pub fn run() -> Result<(), String> {
    println!("== page weight (release build, gzip -9) ==");
    let gz = dist::build_release()?;
    println!("page weight: {} gzipped in total", dist::kb(gz));
    println!("\n== core, native release ==");
    util::run(&cargo(), &["run", "--quiet", "--release", "-p", "cmk-core", "--example", "bench"])?;
    println!("\n== worker round trip, native release (what the worker does per request) ==");
    util::run(&cargo(), &["run", "--quiet", "--release", "-p", "cmk-core", "--example", "worker_roundtrip"])?;
    Ok(())
}
