//! `cargo xtask grammar [--check]`: the `az` grammar the Cloud Shell follows, generated from the
//! pinned azure-cli (crates/xtask/az/grammar.py) and checked in at [`GRAMMAR`].
//!
//! Only the azure-cli part of setup runs first: the grammar needs nothing else, and `--check`
//! should not ask for a browser or take long. A check that passed leaves a fingerprint (the file,
//! the scripts, every package in the venv) in target/, so the next one with nothing changed
//! returns at once instead of rebuilding ~70 parsers.

use std::time::Instant;

use crate::setup;
use crate::util::{root, run_cmd, secs, target_dir};

/// The checked-in grammar, relative to the workspace root.
pub const GRAMMAR: &str = "crates/core/src/command/registry/az_grammar.json";

pub fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err(format!("usage: cargo xtask grammar [--check]  (got {})", args.join(" "))),
    };
    let mut did = Vec::new();
    setup::azure_cli(&mut did)?;
    if !did.is_empty() {
        println!("setup: {}", did.join("; "));
    }
    let t = Instant::now();
    let script = root().join("crates/xtask/az/grammar.py");
    let stamp = target_dir().join("az-grammar.stamp");
    let file = root().join(GRAMMAR);
    let (script, stamp, file) = (script.to_string_lossy(), stamp.to_string_lossy(), file.to_string_lossy());
    let mut argv = vec![script.as_ref()];
    if check {
        argv.push("--check");
    }
    argv.extend(["--stamp", stamp.as_ref(), file.as_ref()]);
    run_cmd(setup::azure_python(&argv)).map_err(|e| {
        if check {
            format!("{GRAMMAR} is not what azure-cli {} says (see above): {e}", setup::AZURE_CLI_VERSION)
        } else {
            e
        }
    })?;
    println!("grammar: {} ({})", if check { "checked" } else { "written" }, secs(t));
    Ok(())
}
