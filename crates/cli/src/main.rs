//! cmk-cli: the Cloud Shell language of COMMANDS.md, natively.
//!
//!     cmk-cli run SCRIPT [--state FILE]   one JSON line per command on stdout
//!     cmk-cli run FILE.ps1 [--state FILE] PowerShell, as `pwsh FILE.ps1` runs it: standard input
//!                                         answers its prompts; the exit status is the script's
//!     cmk-cli [--state FILE]              interactive shell with history and line editing
//!     cmk-cli check-state FILE            is FILE a save this build can load?
//!     cmk-cli az-lines DIR                write every scenario's lines (setup and Show me) and
//!                                         their template files into DIR, for the real-CLI check
//!
//! Exit status: 0 when the script ran (even with failed commands), 2 when the script or the
//! state file cannot be read, or on an internal error. A state file that cannot be loaded is
//! never overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cmk_core::envelope;
use cmk_core::shell::{Files, Output, Shell};
use cmk_core::World;
use rand_core::{OsRng, RngCore};

mod pwsh_host;

const USAGE: &str = "usage:
  cmk-cli run SCRIPT [--state FILE]   run a script: one JSON line per command
  cmk-cli run FILE.ps1 [--state FILE] run a PowerShell script (prompts read standard input)
  cmk-cli [--state FILE]              interactive shell (type 'help', 'exit' to leave)
  cmk-cli check-state FILE            check that FILE is a save this build can load
  cmk-cli az-lines DIR                write the scenarios' lines and files into DIR (for the real-CLI check)";

/// Files relative to a base directory (the script's).
struct DirFiles(PathBuf);

impl Files for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.0.join(path)).map_err(|e| format!("'{path}': {e}"))
    }
}

fn entropy() -> [u8; 32] {
    let mut seed = [0u8; 32];
    OsRng.fill_bytes(&mut seed);
    seed
}

/// Loads the state file, or a new world if it does not exist yet.
fn load_state(path: Option<&Path>) -> Result<World, String> {
    let Some(path) = path else { return Ok(World::new()) };
    match std::fs::read_to_string(path) {
        Ok(text) => envelope::decode(&text)
            .map_err(|e| format!("cannot use state file '{}': {e} (the file was left untouched)", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(World::new()),
        Err(e) => Err(format!("cannot read state file '{}': {e}", path.display())),
    }
}

/// Saves atomically: a temporary file next to it, then a rename.
fn save_state(path: &Path, world: &World) -> Result<(), String> {
    let text = envelope::encode(world).map_err(|e| e.to_string())?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("cannot save state file '{}': {e}", path.display()))
}

fn run(script: &Path, state: Option<&Path>) -> Result<ExitCode, String> {
    let text =
        std::fs::read_to_string(script).map_err(|e| format!("cannot read script '{}': {e}", script.display()))?;
    if script.extension().is_some_and(|e| e.eq_ignore_ascii_case("ps1")) {
        return run_pwsh(script, &text, state);
    }
    let mut world = load_state(state)?;
    let base = script.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut shell = Shell::new(entropy()).with_query(Box::new(cmk_query::JmesPath));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in shell.run_script(&mut world, &text, &DirFiles(base)) {
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    if let Some(path) = state {
        save_state(path, &world)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A PowerShell script over the world: its prompts answered from standard input, one line each.
fn run_pwsh(script: &Path, text: &str, state: Option<&Path>) -> Result<ExitCode, String> {
    use std::io::BufRead;
    let mut world = load_state(state)?;
    let base = script.parent().map(Path::to_path_buf).unwrap_or_default();
    let files = DirFiles(base);
    let mut shell = Shell::new(entropy()).with_query(Box::new(cmk_query::JmesPath));
    let input: std::collections::VecDeque<String> = std::io::stdin().lock().lines().map_while(Result::ok).collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let name = script.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let outcome = {
        let mut host = pwsh_host::PwshHost::new(&mut world, &mut shell, &files, &mut out);
        host.dir = Some(files.0.clone());
        host.input = input;
        cmk_pwsh::run(text, &name, &mut host)
    };
    if let Some(path) = state {
        save_state(path, &world)?;
    }
    Ok(ExitCode::from(u8::try_from(outcome.exit_code.clamp(0, 255)).unwrap_or(1)))
}

/// Tab in the interactive shell: the same completion as the page's Cloud Shell (commands, the
/// real CLI's arguments and choices, the world's names), from the world after the last line.
struct Completion(cmk_core::View);

impl rustyline::completion::Completer for Completion {
    type Candidate = String;
    fn complete(&self, line: &str, pos: usize, _: &rustyline::Context<'_>) -> rustyline::Result<(usize, Vec<String>)> {
        let done = cmk_core::shell::complete(&line[..pos], &self.0);
        Ok((done.start, done.candidates))
    }
}
impl rustyline::hint::Hinter for Completion {
    type Hint = String;
}
impl rustyline::highlight::Highlighter for Completion {}
impl rustyline::validate::Validator for Completion {}
impl rustyline::Helper for Completion {}

fn interactive(state: Option<&Path>) -> Result<(), String> {
    let mut world = load_state(state)?;
    let mut shell = Shell::new(entropy()).with_query(Box::new(cmk_query::JmesPath));
    let files = DirFiles(std::env::current_dir().unwrap_or_default());
    let mut editor: rustyline::Editor<Completion, rustyline::history::DefaultHistory> =
        rustyline::Editor::new().map_err(|e| e.to_string())?;
    editor.set_helper(Some(Completion(world.view())));
    let history = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cmk_history"));
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    println!(
        "CMK Playground Cloud Shell — signed in as {}. Type 'az --help', 'pp --help', 'sim --help'; 'exit' to leave.",
        world.view().signed_in.user_principal_name
    );
    loop {
        let prompt = format!("{} $ ", world.now().to_iso());
        match editor.readline(&prompt) {
            Ok(line) => {
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                if line == "exit" || line == "quit" {
                    break;
                }
                let _ = editor.add_history_entry(line);
                let line = if line == "help" { "az --help" } else { line };
                match shell.run_line(&mut world, line, &files) {
                    Ok(Output::Text(t)) => println!("{t}"),
                    Ok(Output::Json(v)) => println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default()),
                    Err(e) => println!("error {}: {}", e.code(), e.message()),
                }
                if let Some(path) = state {
                    save_state(path, &world)?;
                }
                // Tab completes from the world as it is now.
                editor.set_helper(Some(Completion(world.view())));
            }
            Err(rustyline::error::ReadlineError::Interrupted | rustyline::error::ReadlineError::Eof) => break,
            Err(e) => return Err(e.to_string()),
        }
    }
    if let Some(h) = &history {
        let _ = editor.save_history(h);
    }
    Ok(())
}

/// Every scenario's prepared world (its prelude) and its steps' Show me lines, one file per
/// scenario, with the template files they read beside them: what `cargo xtask test` hands to the
/// real azure-cli (issue 19 item 5), so a line the playground teaches also parses for real.
fn az_lines(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).map_err(|e| format!("{}: {e}", dir.join(name).display()))
    };
    for (name, text) in cmk_core::scenarios::FILES {
        write(name, text)?;
    }
    for s in cmk_core::scenarios::SCENARIOS {
        let mut lines = format!("# scenario {}: {}\n{}\n", s.id, s.title, s.setup);
        for step in s.steps {
            lines.push_str(&format!("# Show me: {}\n{}\n", step.text, step.show_me));
        }
        write(&format!("{}.az", s.id), &lines)?;
    }
    // Every --help example, so that the real CLI's parser checks them too (issue 31 item 5).
    let mut examples = String::from("# the --help examples of every az command the shell knows\n");
    let mut paths: Vec<&str> =
        cmk_core::command::registry::specs().map(|s| s.path).filter(|p| p.starts_with("az ")).collect();
    paths.dedup();
    for path in paths {
        for line in cmk_core::command::registry::examples::examples(path) {
            examples.push_str(line);
            examples.push('\n');
        }
    }
    write("help-examples.az", &examples)?;
    println!(
        "{} scenarios' lines and the --help examples written to {}",
        cmk_core::scenarios::SCENARIOS.len(),
        dir.display()
    );
    Ok(())
}

fn check_state(file: &Path) -> ExitCode {
    match std::fs::read_to_string(file)
        .map_err(|e| e.to_string())
        .and_then(|t| envelope::decode(&t).map_err(|e| e.to_string()))
    {
        Ok(world) => {
            let view = world.view();
            println!(
                "{}: ok — envelope version {}, clock {}, signed in as {}",
                file.display(),
                envelope::VERSION,
                view.now,
                view.signed_in.user_principal_name
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cmk-cli: {}: {e}", file.display());
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let ran = match words.as_slice() {
        ["run", script] => Some(run(Path::new(script), None)),
        ["run", script, "--state", state] => Some(run(Path::new(script), Some(Path::new(state)))),
        _ => None,
    };
    if let Some(ran) = ran {
        return ran.unwrap_or_else(|e| {
            eprintln!("cmk-cli: {e}");
            ExitCode::from(2)
        });
    }
    let result = match words.as_slice() {
        ["check-state", file] => return check_state(Path::new(file)),
        ["az-lines", dir] => az_lines(Path::new(dir)),
        [] => interactive(None),
        ["--state", state] => interactive(Some(Path::new(state))),
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unexpected arguments: {}\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cmk-cli: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use rustyline::completion::Completer;

    #[test]
    fn tab_in_the_interactive_shell_completes_as_the_page_does() {
        // Issue 31 item 4: the same completion in cmk-cli's interactive shell.
        let helper = super::Completion(cmk_core::World::new().view());
        let history = rustyline::history::DefaultHistory::new();
        let ctx = rustyline::Context::new(&history);
        let line = "az keyvault key cr";
        let (start, candidates) = helper.complete(line, line.len(), &ctx).expect("complete");
        assert_eq!((start, candidates), (16, vec!["create".to_string()]));
        let line = "az login --username pr";
        assert_eq!(helper.complete(line, line.len(), &ctx).expect("complete").1, ["priya@contoso.onmicrosoft.com"]);
    }
}
