//! Limits (issue 12, item 7): each refusal names its limit; the clock never skips a due event.

use std::format;
use std::string::ToString;

use crate::powerplatform::environment::{check_rows, MAX_RECORDS_PER_ENVIRONMENT, MAX_ROWS_PER_INSERT};
use crate::scenarios;
use crate::shell::{NoFiles, Shell, MAX_LINE_BYTES};
use crate::world::World;

/// SPEC PG-1: every delayed effect is driven by the clock, so the clock never passes one it did not run.
#[test]
fn an_advance_stops_at_the_events_limit_without_skipping_what_is_due() {
    // A prepared world with an encryption in progress: several steps are due over the next hours.
    let s = scenarios::find("setup-cmk").unwrap();
    let (mut world, mut shell) = s.prepare();
    for line in s.solution().lines().filter(|l| *l != "sim clock run") {
        shell.run_line(&mut world, line, &NoFiles).unwrap();
    }
    let start = world.now();
    let due: std::vec::Vec<_> = world.pending().into_iter().map(|p| p.at).collect();
    assert!(!due.is_empty(), "something must be waiting");
    let first = world.next_event_time().unwrap();
    let to = start.plus(crate::SimDuration::days(3));
    let mut copy = world.clone();
    let mut rng = <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::seed_from_u64(1);
    // One event allowed: the clock stops at it, not at `to`; what comes after is still queued.
    assert!(!copy.advance_capped(to, &mut rng, 1));
    assert_eq!(copy.now(), first);
    assert!(copy.next_event_time().is_some_and(|t| t <= to), "the rest is still due");
    // Going on reaches the same world as one uncapped advance.
    while !copy.advance_capped(to, &mut rng, 1) {}
    let mut rng2 = <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::seed_from_u64(1);
    assert!(world.advance(to, &mut rng2));
    assert_eq!(copy.now(), to);
    assert_eq!(copy, world);
}

#[test]
fn inserts_are_capped_per_insert_and_per_environment_and_say_which_limit() {
    assert!(check_rows(0, 1).is_ok());
    let per_insert = check_rows(0, MAX_ROWS_PER_INSERT + 1).unwrap_err();
    assert!(per_insert.message().contains(&MAX_ROWS_PER_INSERT.to_string()), "{per_insert:?}");
    assert!(check_rows(0, 0).is_err());
    let per_env = check_rows(MAX_RECORDS_PER_ENVIRONMENT - 10, 11).unwrap_err();
    assert!(per_env.message().contains("per environment"), "{per_env:?}");
    assert!(check_rows(MAX_RECORDS_PER_ENVIRONMENT - 10, 10).is_ok());
    // Through the shell: refused, and nothing changes.
    let s = scenarios::find("setup-cmk").unwrap();
    let (mut world, mut shell) = s.prepare();
    let before = world.clone();
    let e = shell
        .run_line(
            &mut world,
            &format!("sim data insert --environment Contoso-Prod --table t --rows {}", MAX_ROWS_PER_INSERT + 1),
            &NoFiles,
        )
        .unwrap_err();
    assert!(e.message().contains("limit per insert"));
    assert_eq!(world, before);
}

#[test]
fn a_shell_line_over_the_limit_is_refused_by_its_length() {
    let mut shell = Shell::seeded(0);
    let mut world = World::new();
    let line = format!("az group create --name {} --location westeurope", "x".repeat(MAX_LINE_BYTES));
    let e = shell.run_line(&mut world, &line, &NoFiles).unwrap_err();
    assert!(e.message().contains(&MAX_LINE_BYTES.to_string()), "{e:?}");
    assert_eq!(world, World::new());
}

/// Found by the fuzz harness: a bad --query used to be noticed only after the command had run.
#[test]
fn a_bad_query_or_output_is_refused_before_the_command_runs() {
    let s = scenarios::find("setup-cmk").unwrap();
    let (mut world, mut shell) = s.prepare();
    let before = world.clone();
    for line in [
        "sim clock advance P1D --query 🔑",
        "sim clock advance 1d -o xml",
        "az group create --name rg-q --location westeurope --query '['",
    ] {
        let e = shell.run_line(&mut world, line, &NoFiles).unwrap_err();
        assert!(!e.message().contains("itself ran"), "{line}: {e:?}");
        assert_eq!(world, before, "{line} changed the world");
    }
}
