//! What the golden-output tests share: the workspace root, and comparing an output with its
//! golden file (or rewriting it, with `UPDATE_GOLDEN=1`).

#![allow(clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("workspace root").to_path_buf()
}

/// Compares `out` with `golden` (rewrites it under `UPDATE_GOLDEN=1`); a difference is pushed to
/// `failures` as the first line that differs.
pub fn check_golden(rel: &str, golden: &Path, out: &str, failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, out).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(golden).unwrap_or_default();
    if expected != out {
        let at = expected
            .lines()
            .zip(out.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(out.lines().count()));
        failures.push(format!(
            "{rel}: differs from {} at output line {}:\n  expected: {}\n  actual:   {}",
            golden.display(),
            at + 1,
            expected.lines().nth(at).unwrap_or("<none>"),
            out.lines().nth(at).unwrap_or("<none>")
        ));
    }
}

/// Fails the test with every difference found.
pub fn no_failures(failures: &[String]) {
    assert!(failures.is_empty(), "{}\n(regenerate on purpose with UPDATE_GOLDEN=1)", failures.join("\n"));
}
