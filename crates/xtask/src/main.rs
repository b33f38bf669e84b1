//! `cargo xtask` — the project's front door.
//!
//! - `setup`: installs what is missing (wasm targets, trunk, wasm-bindgen-cli at Cargo.lock's
//!   version, npm packages, Chromium, azure-cli in a venv) and nothing else. Idempotent.
//! - `serve`: setup, then `trunk serve` on 127.0.0.1:8080.
//! - `dist`: release build into `dist/`, with each file's size raw and gzipped.
//! - `test`: every check CI runs, ending in one summary line.
//! - `bench`: page weight and core timings.
//! - `grammar`: the `az` grammar from the pinned azure-cli (`--check`: is the checked-in one current).
//! - `az-parses FILE…`: does every `az` line of the files parse in the pinned azure-cli.
//!
//! No dependencies on purpose: it must build in seconds on a machine that has only cargo.

mod az_parses;
mod bench;
mod csp;
mod dist;
mod grammar;
mod offline;
mod setup;
mod slim;
mod test;
mod util;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("serve") => setup::run().and_then(|()| dist::serve()),
        Some("dist") => setup::run().and_then(|()| dist::build_release().map(|_| ())),
        Some("test") => test::run(&args[1..]),
        Some("bench") => setup::run().and_then(|()| bench::run()),
        Some("grammar") => grammar::run(&args[1..]),
        Some("az-parses") => az_parses::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{}", USAGE);
            Ok(())
        }
        Some(other) => Err(format!("unknown task '{other}'.\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <task>
  setup   install what is missing: wasm targets, trunk 0.21.14, wasm-bindgen-cli (Cargo.lock's version),
          npm packages (tests/), Chromium + chromedriver (apt, when root),
          azure-cli 2.91.0 + its resource-graph extension (pip, in target/azure-cli-venv)
  serve   setup, then serve the app on http://127.0.0.1:8080 (trunk serve, rebuilds on change)
  dist    setup, then a release build into dist/ (works from any sub-path); prints file sizes
  test    setup, then fmt, clippy, native tests, no_std build, wasm tests in headless Chromium,
          and Playwright journeys on dist/  (--skip-e2e to leave the browser journeys out)
  bench   page weight and native timings of the core
  grammar the az grammar from azure-cli 2.91.0 (a venv under target/) into
          crates/core/src/command/registry/az_grammar.json  (--check: fail naming the first
          command where the checked-in file and the installed CLI differ)
  az-parses FILE...  run each az line of the files through the real CLI's parser, without a
          login; fail on any it refuses (`az login --username` is exempt)";
