//! cmk-cli: the native side of CMK Playground.
//!
//! Today it can check a saved state (`check-state FILE`: is it an envelope this build can load?).
//! The script runner and interactive shell of COMMANDS.md (`run SCRIPT [--state FILE]`) arrive
//! with the Cloud Shell language; until then `run` says so and exits 2 rather than pretend.

use std::process::ExitCode;

use cmk_core::envelope;

const USAGE: &str = "usage:
  cmk-cli check-state FILE     check that FILE is a CMK Playground save this build can load
  cmk-cli run SCRIPT [--state FILE]   (not yet available: comes with the Cloud Shell language)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["check-state", file] => match std::fs::read_to_string(file) {
            Err(e) => {
                eprintln!("cmk-cli: cannot read '{file}': {e}");
                ExitCode::from(2)
            }
            Ok(text) => match envelope::decode(&text) {
                Ok(world) => {
                    let view = world.view();
                    println!(
                        "{file}: ok — envelope version {}, clock {}, {} vault(s) visible to {}",
                        envelope::VERSION,
                        view.now,
                        view.vaults.len(),
                        view.signed_in.user_principal_name
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("cmk-cli: {file}: {e}");
                    ExitCode::from(1)
                }
            },
        },
        ["run", ..] => {
            eprintln!("cmk-cli: the script runner is not implemented yet (it comes with the Cloud Shell language of COMMANDS.md).");
            ExitCode::from(2)
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
