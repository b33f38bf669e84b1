//! `cargo xtask test`: every check, in CI's order, ending in one summary line.

use std::time::Instant;

use crate::util::{cargo, command, root, run_captured, secs};
use crate::{dist, setup};

/// Issue 33's budget: everything dist/ serves, gzip -9, may not pass 1,100 KB (bytes are
/// deterministic, so it is a test; the ratchet that moved up with each change is gone). It was
/// reached at 1099.7 KB on 2026-12-06 and won back to 1046 KB the same day: an old save's
/// migration reached the world through `serde_json::from_value`, which gave every type of the
/// world a second deserializer, for `Value` (−45 KB); each `collect()` into a BTreeMap made its
/// own stable sort (−12 KB). How they were found: build the worker with `RUSTFLAGS="-C
/// symbol-mangling-version=v0"`, size each function of the code section by its name — v0 names
/// carry the format each serde instance is for. Traps that cost bytes: a view type in the stored
/// world or in `Command` (a deserializer per format), `serde_json::from_slice`/`to_vec` (a
/// byte-slice parser beside the text one), `str::parse::<f64>` (+20 KB), `char::to_uppercase`
/// (Unicode's tables), `serde_json::json!` with interpolated values (its value serializer).
/// Issue 33's other budget, what the first visit fetches before the portal is interactive
/// ≤ 800 KB, is measured by `cargo xtask bench`, not enforced: today that is every file (about
/// 1040 KB), and getting under it needs the shell's grammar, help and scenario catalog fetched
/// on first use — a failing step in every run until then would hide every other failure.
///
/// Since issue 34 the Cloud Shell's PowerShell is a worker of its own, fetched the first time
/// someone switches to it (never on the first visit, never for Bash): 170 KB gzip when it
/// came. It has its own budget, below; DIST_BUDGET holds for everything else. Everything
/// together is over issue 33's 1,100 KB by that module — said in the issues' notes.
const DIST_BUDGET: u64 = 1100 * 1024;
/// The PowerShell engine's worker (`dist::on_demand`).
const ON_DEMAND_BUDGET: u64 = 180 * 1024;

struct Step {
    name: &'static str,
    ok: bool,
    passed: u64,
    failed: u64,
    time: String,
    /// Why the step did not run: skipped on purpose (`ok`), or could not run (a failure).
    why_not: Option<String>,
}

impl Step {
    /// A step that was not run on purpose (listed, with why; it fails nothing).
    fn skipped(name: &'static str, why: &str) -> Self {
        Self { name, ok: true, passed: 0, failed: 0, time: String::new(), why_not: Some(format!("skipped: {why}")) }
    }

    /// A step that should have run and could not: a failure, never an omission.
    fn could_not_run(name: &'static str, why: &str) -> Self {
        eprintln!("xtask: {name}: could not run: {why}");
        Self {
            name,
            ok: false,
            passed: 0,
            failed: 1,
            time: String::new(),
            why_not: Some(format!("could not run: {why}")),
        }
    }

    /// Its line in the summary.
    fn line(&self) -> String {
        let counts = match &self.why_not {
            Some(why) => why.clone(),
            None if self.passed + self.failed > 0 => format!("{} passed, {} failed", self.passed, self.failed),
            None => String::new(),
        };
        let status = match (&self.why_not, self.ok) {
            (Some(_), true) => "skip",
            (_, true) => "ok",
            (_, false) => "FAIL",
        };
        format!("{status:<4} {:<66} {:>9}  {counts}", self.name, self.time)
    }
}

/// The steps after the release build, which need dist/.
const ON_DIST: [&str; 3] = [
    "page weight within its budget",
    "browser journeys (Playwright on dist/)",
    "smoke test in Firefox (WebDriver on dist/)",
];

pub fn run(args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let skip_e2e = args.iter().any(|a| a == "--skip-e2e");
    if let Some(bad) = args.iter().find(|a| *a != "--skip-e2e") {
        return Err(format!("unknown option '{bad}' for `cargo xtask test` (known: --skip-e2e)"));
    }
    setup::run()?;
    let c = cargo();
    let mut steps = Vec::new();
    step(&mut steps, "format", command(&c, &["fmt", "--all", "--", "--check"]));
    step(
        &mut steps,
        "clippy (native)",
        command(&c, &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
    );
    step(
        &mut steps,
        "clippy (wasm32)",
        command(
            &c,
            &[
                "clippy",
                "-p",
                "cmk-web",
                "-p",
                "cmk-worker",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
    );
    // The page only runs in a browser (its tests are the wasm step below); the worker's logic
    // (`HostCore`) is plain Rust and its tests run natively here.
    step(&mut steps, "native tests", command(&c, &["test", "--workspace", "--exclude", "cmk-web"]));
    real_cli(&mut steps, &c);
    step(
        &mut steps,
        "core without std (x86_64-unknown-none)",
        command(&c, &["build", "-p", "cmk-core", "--target", "x86_64-unknown-none"]),
    );
    // wasm-bindgen-test-runner takes the first driver it is given: GECKODRIVER before CHROMEDRIVER.
    let mut chromium = command(&c, &["test", "-p", "cmk-web", "--target", "wasm32-unknown-unknown"]);
    chromium.env_remove("GECKODRIVER");
    step(&mut steps, "wasm tests in headless Chromium", chromium);
    let mut firefox = command(&c, &["test", "-p", "cmk-web", "--target", "wasm32-unknown-unknown"]);
    firefox.env("GECKODRIVER", setup::geckodriver_path());
    step(&mut steps, "wasm tests in headless Firefox", firefox);
    if skip_e2e {
        steps.push(Step::skipped("release build (dist/)", "--skip-e2e"));
        steps.extend(ON_DIST.iter().map(|name| Step::skipped(name, "--skip-e2e")));
    } else {
        println!("\n=== release build (dist/) ===");
        let t = Instant::now();
        let built = dist::build_release();
        if let Err(e) = &built {
            eprintln!("xtask: {e}");
        }
        steps.push(Step {
            name: "release build (dist/)",
            ok: built.is_ok(),
            passed: 0,
            failed: u64::from(built.is_err()),
            time: secs(t),
            why_not: None,
        });
        // The weight is deterministic, so it is a test (issue 33's budget, see DIST_BUDGET).
        if let Ok(w) = &built {
            let ok = w.page <= DIST_BUDGET && w.on_demand <= ON_DEMAND_BUDGET;
            println!(
                "weight: {} gzipped, budget {}; the PowerShell module fetched only when used {}, budget {} ({})",
                dist::kb(w.page),
                dist::kb(DIST_BUDGET),
                dist::kb(w.on_demand),
                dist::kb(ON_DEMAND_BUDGET),
                if ok { "within them" } else { "OVER: cut something before adding more" },
            );
            steps.push(Step {
                name: "page weight within its budget",
                ok,
                passed: u64::from(ok),
                failed: u64::from(!ok),
                time: String::new(),
                why_not: None,
            });
        }
        if built.is_err() {
            steps.extend(ON_DIST.iter().map(|name| Step::could_not_run(name, "the release build failed")));
        } else {
            let mut e2e = command("node", &["--test", "--test-concurrency=1", "e2e/"]);
            e2e.current_dir(root().join("tests"))
                .env("CMK_DIST", root().join("dist"))
                .env("CMK_CHROMIUM", setup::CHROMIUM);
            step(&mut steps, "browser journeys (Playwright on dist/)", e2e);
            let mut smoke = command("node", &["--test", "--test-concurrency=1", "firefox/"]);
            smoke
                .current_dir(root().join("tests"))
                .env("CMK_DIST", root().join("dist"))
                .env("CMK_FIREFOX", setup::FIREFOX)
                .env("CMK_GECKODRIVER", setup::geckodriver_path());
            step(&mut steps, "smoke test in Firefox (WebDriver on dist/)", smoke);
        }
    }

    println!("\n=== cargo xtask test: results ({}) ===", secs(started));
    for s in &steps {
        println!("{}", s.line());
    }
    let passed: u64 = steps.iter().map(|s| s.passed).sum();
    let failed: u64 = steps.iter().map(|s| s.failed).sum();
    println!("summary: {passed} passed, {failed} failed");
    if steps.iter().all(|s| s.ok) {
        Ok(())
    } else {
        Err("some checks failed (see above)".into())
    }
}

/// Runs one check, echoing its output, and records its outcome and test counts.
fn step(steps: &mut Vec<Step>, name: &'static str, cmd: std::process::Command) {
    println!("\n=== {name} ===");
    let t = Instant::now();
    let (ok, output) = match run_captured(cmd) {
        Ok(out) => (true, out),
        Err((why, out)) => {
            eprintln!("xtask: {why}");
            (false, out)
        }
    };
    let (passed, mut failed) = count(&output);
    if !ok && failed == 0 {
        failed = 1; // a step that failed without a test count (fmt, clippy, build) counts as one failure
    }
    steps.push(Step { name, ok, passed, failed, time: secs(t), why_not: None });
}

/// Sums the counts of cargo test / wasm-bindgen-test ("test result: ok. 3 passed; 0 failed")
/// and node's test runner ("# pass 3", "# fail 0").
fn count(output: &str) -> (u64, u64) {
    let (mut passed, mut failed) = (0, 0);
    for line in output.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                if let (Some(n), Some(what)) = (words.next().and_then(|n| n.parse::<u64>().ok()), words.next()) {
                    match what {
                        "passed" => passed += n,
                        "failed" => failed += n,
                        _ => {}
                    }
                }
            }
        } else if let Some(n) = line.strip_prefix("# pass ").and_then(|n| n.trim().parse::<u64>().ok()) {
            passed += n;
        } else if let Some(n) = line.strip_prefix("# fail ").and_then(|n| n.trim().parse::<u64>().ok()) {
            failed += n;
        }
    }
    (passed, failed)
}

/// Issue 19: the checked-in az grammar is what the pinned azure-cli says, and every az line the
/// playground teaches (the scenario scripts, each scenario's setup and Show me lines) parses in
/// that CLI, run without a login (a line that parses stops at "Please run 'az login'").
fn real_cli(steps: &mut Vec<Step>, cargo: &str) {
    const GRAMMAR: &str = "az_grammar.json matches azure-cli (the grammar the shell parses az lines with)";
    const LINES: &str = "az lines of the scenarios, written";
    const PARSES: &str = "the real azure-cli parses every az line";
    let xtask = match std::env::current_exe() {
        Ok(path) => path.to_string_lossy().into_owned(),
        Err(e) => {
            let why = format!("cannot find the xtask's own executable ({e})");
            steps.extend([GRAMMAR, LINES, PARSES].map(|name| Step::could_not_run(name, &why)));
            return;
        }
    };
    step(steps, GRAMMAR, command(&xtask, &["grammar", "--check"]));
    let lines = crate::util::target_dir().join("az-lines");
    let lines_arg = lines.to_string_lossy().into_owned();
    step(steps, LINES, command(cargo, &["run", "-q", "-p", "cmk-cli", "--", "az-lines", &lines_arg]));
    let mut files: Vec<String> = Vec::new();
    for (dir, ext) in [(root().join("tests/scenarios"), "cmk"), (lines, "az")] {
        let found = std::fs::read_dir(&dir)
            .and_then(|entries| entries.map(|e| e.map(|e| e.path())).collect::<Result<Vec<_>, _>>());
        let mut found: Vec<String> = match found {
            Ok(paths) => paths
                .into_iter()
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
            Err(e) => return steps.push(Step::could_not_run(PARSES, &format!("cannot read {}: {e}", dir.display()))),
        };
        if found.is_empty() {
            return steps.push(Step::could_not_run(PARSES, &format!("no .{ext} file in {}", dir.display())));
        }
        found.sort();
        files.extend(found);
    }
    let mut args = vec!["az-parses"];
    args.extend(files.iter().map(String::as_str));
    step(steps, PARSES, command(&xtask, &args));
}

#[cfg(test)]
mod tests {
    use super::{count, Step};

    #[test]
    fn a_skipped_step_is_listed_with_why_and_one_that_could_not_run_fails() {
        let skipped = Step::skipped("browser journeys", "--skip-e2e");
        assert!(skipped.ok);
        assert!(
            skipped.line().starts_with("skip") && skipped.line().ends_with("skipped: --skip-e2e"),
            "{}",
            skipped.line()
        );
        let missing = Step::could_not_run("the real azure-cli parses every az line", "no .az file in target/az-lines");
        assert!(!missing.ok && missing.failed == 1);
        assert!(missing.line().starts_with("FAIL") && missing.line().contains("could not run: no .az file"));
    }

    #[test]
    fn counts_cargo_and_node_results() {
        let out = "test result: ok. 22 passed; 0 failed; 0 ignored; 0 measured\n\
                   test result: FAILED. 1 passed; 2 failed; 0 ignored\n# pass 3\n# fail 1\n";
        assert_eq!(count(out), (26, 3));
        assert_eq!(count("nothing here"), (0, 0));
    }
}
