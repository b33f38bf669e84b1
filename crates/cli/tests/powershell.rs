//! PowerShell runbooks of tests/powershell, in the style admins write them, run through the real
//! binary as `pwsh FILE.ps1` would run them: standard input answers the prompts, standard output
//! is compared with the golden `.out`. `UPDATE_GOLDEN=1 cargo test -p cmk-cli` rewrites them.

#![allow(clippy::expect_used)]

mod common;

use common::{check_golden, no_failures, root};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn pwsh(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cmk-cli"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cmk-cli runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("cmk-cli ends")
}

#[test]
fn runbooks_match_their_golden_output_and_are_deterministic() {
    let dir = root().join("tests/powershell");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/powershell")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ps1") && p.with_extension("in").exists())
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 2, "the runbooks are there");
    let mut failures = Vec::new();
    for script in &scripts {
        let rel = script.strip_prefix(root()).expect("under root").to_string_lossy().into_owned();
        let input = std::fs::read_to_string(script.with_extension("in")).expect("input");
        let first = pwsh(&["run", &rel], &input);
        assert!(
            first.status.success(),
            "{rel}: exit {:?}, stderr {}",
            first.status,
            String::from_utf8_lossy(&first.stderr)
        );
        let out = String::from_utf8(first.stdout).expect("utf-8");
        let second = pwsh(&["run", &rel], &input);
        assert_eq!(out.as_bytes(), second.stdout.as_slice(), "{rel}: same script and seed must give the same bytes");
        check_golden(&rel, &script.with_extension("out"), &out, &mut failures);
    }
    no_failures(&failures);
}

#[test]
fn a_refused_prompt_answer_stops_the_script_with_exit_one_and_runs_nothing() {
    let out = pwsh(&["run", "tests/powershell/02-key-audit.ps1"], "northpole\n");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Region: northpole\n"), "{text}");
    assert!(text.contains("The argument \"northpole\" does not belong to the set \"westeurope,westus\""), "{text}");
    assert!(!text.contains("Step 1"), "nothing after the refused parameter ran: {text}");
}

#[test]
fn a_runbook_changes_the_world_that_the_state_file_carries() {
    let dir = std::env::temp_dir().join(format!("cmk-pwsh-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let state = dir.join("world.json");
    let state_arg = state.to_string_lossy().into_owned();
    let input = std::fs::read_to_string(root().join("tests/powershell/01-cmk-runbook.in")).expect("input");
    let first = pwsh(&["run", "tests/powershell/01-cmk-runbook.ps1", "--state", &state_arg], &input);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let check = dir.join("check.ps1");
    std::fs::write(
        &check,
        "az login --username priya@contoso.onmicrosoft.com | Out-Null\n$e = pp env show --environment Contoso-Prod | ConvertFrom-Json\n\"$($e.name): $($e.encryptionStatus)\"\n",
    )
    .expect("write check");
    let second = pwsh(&["run", &check.to_string_lossy(), "--state", &state_arg], "");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(String::from_utf8_lossy(&second.stdout), "Contoso-Prod: Warning\n");
}

/// Issue 34 item 5: a session exported as PowerShell replays to the same world as its script —
/// checked on every scenario script of tests/scenarios, world for world.
#[test]
fn every_scenario_as_powershell_builds_the_same_world_as_its_script() {
    let dir = std::env::temp_dir().join(format!("cmk-pwsh-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let scenarios = root().join("tests/scenarios");
    let mut checked = 0;
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(&scenarios).expect("scenarios").filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort_by_key(|p| p.extension().is_some_and(|x| x == "cmk"));
    for path in paths {
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        if !name.ends_with(".cmk") {
            // Templates and keys the scripts read, beside the PowerShell copies too.
            std::fs::copy(&path, dir.join(&name)).expect("copy");
            continue;
        }
        let script = std::fs::read_to_string(&path).expect("script");
        let ps1 = dir.join(name.replace(".cmk", ".ps1"));
        std::fs::write(&ps1, cmk_core::shell::to_powershell(&script)).expect("write ps1");
        let (a, b) = (dir.join(format!("{name}.a.json")), dir.join(format!("{name}.b.json")));
        let bash = pwsh(&["run", &path.to_string_lossy(), "--state", &a.to_string_lossy()], "");
        assert!(bash.status.success(), "{name}");
        let ps = pwsh(&["run", &ps1.to_string_lossy(), "--state", &b.to_string_lossy()], "");
        assert!(ps.status.success(), "{name} as PowerShell: {}", String::from_utf8_lossy(&ps.stdout));
        let (wa, wb) = (std::fs::read_to_string(&a).expect("a"), std::fs::read_to_string(&b).expect("b"));
        assert!(wa == wb, "{name}: the PowerShell export built another world\n{}", String::from_utf8_lossy(&ps.stdout));
        checked += 1;
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(checked, 11);
}

/// Issue 34 item 5: every Az cmdlet the registry knows is in PowerShell's help, and each one's
/// Get-Help lists its parameters.
#[test]
fn every_az_cmdlet_is_in_the_help() {
    let cmdlets: Vec<&str> = cmk_core::command::registry::specs()
        .map(|s| s.path)
        .filter(|p| !p.contains(' ') && p.contains("-Az"))
        .collect();
    assert!(cmdlets.len() >= 24, "{cmdlets:?}");
    let overview = cmk_pwsh::help_overview();
    for c in &cmdlets {
        assert!(overview.split_whitespace().any(|w| w == *c), "{c} is missing from Get-Help");
    }
    let dir = std::env::temp_dir().join(format!("cmk-pwsh-help-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = dir.join("help.ps1");
    std::fs::write(&script, "Get-Help New-AzKeyVault\n").expect("write");
    let out = pwsh(&["run", &script.to_string_lossy()], "");
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("-EnablePurgeProtection") && text.contains("-EnabledForDiskEncryption"), "{text}");
}
