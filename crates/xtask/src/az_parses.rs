//! `cargo xtask az-parses FILE…`: does every `az` line of the files parse in the pinned azure-cli?
//! (issue 19 item 5; crates/xtask/az/parses.py says what passes, what is exempt and how shell
//! variables become placeholders.)

use crate::setup;
use crate::util::{root, run_cmd};

pub fn run(args: &[String]) -> Result<(), String> {
    if args.is_empty() || args.iter().any(|a| a.starts_with('-')) {
        return Err("usage: cargo xtask az-parses FILE [FILE …]  (one az line per line)".into());
    }
    let mut did = Vec::new();
    setup::azure_cli(&mut did)?;
    if !did.is_empty() {
        println!("setup: {}", did.join("; "));
    }
    // The files are named from where cargo was run; the script runs from the workspace root.
    let here = std::env::current_dir().map_err(|e| format!("no current folder: {e}"))?;
    let script = root().join("crates/xtask/az/parses.py").to_string_lossy().into_owned();
    let files: Vec<String> = args.iter().map(|f| here.join(f).to_string_lossy().into_owned()).collect();
    let mut argv = vec![script.as_str()];
    argv.extend(files.iter().map(String::as_str));
    run_cmd(setup::azure_python(&argv))
        .map_err(|e| format!("the check against azure-cli {} failed (see above): {e}", setup::AZURE_CLI_VERSION))
}
