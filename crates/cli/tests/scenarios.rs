//! The scenario scripts of tests/scenarios, one per flow of the seeds, run through the real
//! binary and compared with their golden output. `UPDATE_GOLDEN=1 cargo test -p cmk-cli`
//! rewrites the goldens (on purpose only; review the diff).

// Helpers outside #[test] fns assert with expect(): a failed setup is a failed test.
#![allow(clippy::expect_used)]

mod common;

use common::{check_golden, no_failures, root};
use std::path::PathBuf;
use std::process::Command;

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cmk-cli")).args(args).current_dir(root()).output().expect("cmk-cli runs")
}

fn scripts() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/scenarios"))
        .expect("scenarios folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cmk"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_scenario_matches_its_golden_output_and_is_deterministic() {
    let scripts = scripts();
    assert_eq!(scripts.len(), 11, "one script per flow of the seeds");
    let mut failures = Vec::new();
    for script in &scripts {
        let rel = script.strip_prefix(root()).expect("under root").to_string_lossy().into_owned();
        let first = cli(&["run", &rel]);
        assert!(
            first.status.success(),
            "{rel}: exit {:?}, stderr {}",
            first.status,
            String::from_utf8_lossy(&first.stderr)
        );
        let out = String::from_utf8(first.stdout).expect("utf-8");
        for (i, line) in out.lines().enumerate() {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{rel}:{i}: not JSON ({e}): {line}"));
            assert!(line.starts_with("{\"line\":"), "{rel}: contract key order: {line}");
            assert!(v["ok"].is_boolean() && v["command"].is_string());
        }
        let second = cli(&["run", &rel]);
        assert_eq!(out.as_bytes(), second.stdout.as_slice(), "{rel}: same script and seed must give the same bytes");
        check_golden(&rel, &script.with_extension("out"), &out, &mut failures);
    }
    no_failures(&failures);
}

#[test]
fn state_files_carry_the_world_between_runs_and_bad_ones_stay_untouched() {
    let dir = std::env::temp_dir().join(format!("cmk-cli-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let state = dir.join("state.json");
    let a = dir.join("a.cmk");
    let b = dir.join("b.cmk");
    std::fs::write(&a, "sim seed 3\naz group create --name rg-state --location westeurope\nsim clock advance 2d\n")
        .expect("write");
    std::fs::write(&b, "az group create --name rg-state --location eastus\nsim clock show --query now -o tsv\n")
        .expect("write");
    let (a_s, b_s, st) =
        (a.to_string_lossy().into_owned(), b.to_string_lossy().into_owned(), state.to_string_lossy().into_owned());
    assert!(cli(&["run", &a_s, "--state", &st]).status.success());
    assert!(state.exists(), "state file created");
    let out = String::from_utf8(cli(&["run", &b_s, "--state", &st]).stdout).expect("utf-8");
    assert!(out.contains("InvalidResourceGroupLocation"), "the group from run one is still there: {out}");
    assert!(out.contains("\"result\":\"2026-01-03T00:00:00Z\""), "and the clock: {out}");
    std::fs::write(&state, "{\"format\":\"cmk-playground\",\"version\":99,\"state\":{}}").expect("write");
    let bad = cli(&["run", &a_s, "--state", &st]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("UnsupportedStateVersion"));
    assert!(bad.stdout.is_empty(), "nothing ran");
    assert_eq!(
        std::fs::read_to_string(&state).expect("read"),
        "{\"format\":\"cmk-playground\",\"version\":99,\"state\":{}}",
        "left untouched"
    );
    let missing = cli(&["run", "no/such/script.cmk"]);
    assert_eq!(missing.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
