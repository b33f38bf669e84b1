//! A structured random harness (cargo-fuzz needs nightly; this runs on stable, in CI): the shell's
//! line reader, the ARM template reader, the save loader and `execute` on random lines get
//! inputs built from the language's own words, mutated valid inputs and random bytes. Nothing may
//! panic; a refused input changes nothing. `CMK_FUZZ_ITERATIONS=1000000` for a long run; the
//! counts are printed.

use std::string::String;
use std::vec::Vec;
use std::{format, println};

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::command::Command;
use crate::envelope;
use crate::scenarios;
use crate::shell::spec::Spec;
use crate::shell::{lexer, registry, NoFiles, Shell};

fn iterations(default: usize) -> usize {
    std::env::var("CMK_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

const ODD: &[&str] = &[
    "'",
    "\"",
    "$(",
    ")",
    "$",
    "${",
    "}",
    "\\",
    "#",
    "=",
    "--",
    "-",
    "$(az",
    "''",
    "\"\"",
    "é",
    "🔑",
    "\u{0}",
    "\t",
    "--query",
    "[].id",
    "-o",
    "tsv",
    "json",
    "P1D",
    "PT0S",
    "99999999999999999999",
    "-1",
    "0",
    "true",
    "false",
    "kv-contoso-cmk",
    "cmk",
    "Contoso-Prod",
    "ep-contoso-cmk",
    "rg-cmk",
    "westeurope",
    "europe",
    "@ep.json",
    "$KV",
    "$EP",
    "$PID",
    "$PRIYA",
    "Reader",
    "'Key Vault Crypto Service Encryption User'",
    "RSA",
    "RSA-HSM",
    "3072",
];

/// A line made of a command's words, some of its flags (or others'), odd values and junk.
fn random_line(rng: &mut ChaCha20Rng) -> String {
    let specs: Vec<&Spec> = registry::specs().collect();
    let mut words: Vec<String> = Vec::new();
    if !rng.next_u32().is_multiple_of(8) {
        let spec = specs[rng.next_u32() as usize % specs.len()];
        words.extend(spec.path.split(' ').map(String::from));
        // Most lines carry their command's required flags and positionals, so they get past the
        // parser into the services; the rest is noise on top.
        if !rng.next_u32().is_multiple_of(4) {
            for f in spec.flags.iter().filter(|f| f.required) {
                words.push(f.names[0].into());
                words.push(ODD[rng.next_u32() as usize % ODD.len()].into());
            }
            for _ in spec.positionals {
                words.push(ODD[rng.next_u32() as usize % ODD.len()].into());
            }
        }
        // Extra flags, mostly the command's own, each with a value.
        for _ in 0..rng.next_u32() % 4 {
            let from =
                if rng.next_u32().is_multiple_of(4) { specs[rng.next_u32() as usize % specs.len()] } else { spec };
            if !from.flags.is_empty() {
                let f = &from.flags[rng.next_u32() as usize % from.flags.len()];
                words.push(f.names[rng.next_u32() as usize % f.names.len()].into());
            }
            words.push(ODD[rng.next_u32() as usize % ODD.len()].into());
        }
    }
    // Junk on a quarter of the lines.
    for _ in 0..if rng.next_u32().is_multiple_of(4) { 1 + rng.next_u32() % 3 } else { 0 } {
        let n = rng.next_u32() % 12;
        words.push((0..n).map(|_| char::from_u32(rng.next_u32() % 0x2_0000).unwrap_or('x')).collect());
    }
    if rng.next_u32().is_multiple_of(10) {
        return format!("X=$({})", words.join(" "));
    }
    words.join(" ")
}

/// `text` with a few random edits: bytes flipped, cut, duplicated, or a chunk removed.
fn mutate(text: &str, rng: &mut ChaCha20Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.next_u32() % 4 {
        if bytes.is_empty() {
            break;
        }
        let at = rng.next_u32() as usize % bytes.len();
        match rng.next_u32() % 5 {
            0 => bytes[at] = (rng.next_u32() % 256) as u8,
            1 => bytes.truncate(at),
            2 => {
                let end = (at + 1 + rng.next_u32() as usize % 40).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                let piece: Vec<u8> = bytes[at..(at + 20).min(bytes.len())].to_vec();
                bytes.splice(at..at, piece);
            }
            _ => bytes.insert(at, b"{}[]\",:0-e\\"[rng.next_u32() as usize % 11]),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn random_shell_lines_never_panic_and_a_refused_line_changes_nothing() {
    let n = iterations(3_000);
    let (world, shell) = scenarios::find("setup-cmk").unwrap().prepare();
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let started = std::time::Instant::now();
    let (mut ok, mut refused) = (0usize, 0usize);
    let mut w = world.clone();
    let mut sh = Shell::with_state(shell.state());
    for i in 0..n {
        let line = random_line(&mut rng);
        // The lexer alone, on every line.
        let _ = lexer::words(&line);
        let before = (w.clone(), sh.state());
        match sh.run_line(&mut w, &line, &NoFiles) {
            Ok(_) => ok += 1,
            Err(e) => {
                refused += 1;
                // A query that fails only on the real output (after the command ran) says so.
                if !e.message().contains("The command itself ran") {
                    assert!(w == before.0, "a refused line changed the world: {line}");
                }
            }
        }
        // Start again from the prepared world now and then, so the world stays small.
        if i % 200 == 199 {
            w = world.clone();
            sh = Shell::with_state(shell.state());
        }
    }
    println!("fuzz shell lines: {n} executions ({ok} ran, {refused} refused) in {:.1?}", started.elapsed());
}

#[test]
fn mutated_templates_are_refused_cleanly_or_deploy() {
    let n = iterations(2_000);
    let (world, _) = scenarios::find("setup-cmk").unwrap().prepare();
    let kai = world.user_by_upn(scenarios::KAI).unwrap().object_id.clone();
    let template = scenarios::FILES[0].1;
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let started = std::time::Instant::now();
    let (mut deployed, mut refused) = (0usize, 0usize);
    for _ in 0..n {
        let text = mutate(template, &mut rng);
        let mut w = world.clone();
        let now = w.now();
        let cmd = Command::DeployTemplate { resource_group: "rg-cmk".into(), template: text };
        match w.execute(&kai, cmd, now, &mut rng.clone()) {
            Ok(_) => deployed += 1,
            Err(e) => {
                refused += 1;
                assert!(!e.message().is_empty());
                assert!(w == world, "a refused template changed the world");
            }
        }
    }
    println!(
        "fuzz ARM templates: {n} executions ({deployed} deployed, {refused} refused) in {:.1?}",
        started.elapsed()
    );
}

#[test]
fn mutated_saves_load_or_are_refused_never_panic() {
    let n = iterations(2_000);
    let (world, _) = scenarios::find("setup-cmk").unwrap().prepare();
    let text = envelope::encode(&world).unwrap();
    // Mutations land anywhere in a large save; most hit the start or the end to stay interesting.
    let head: String = text.chars().take(4_000).collect();
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let started = std::time::Instant::now();
    let (mut loaded, mut refused) = (0usize, 0usize);
    for i in 0..n {
        let candidate = if i % 4 == 0 { mutate(&text, &mut rng) } else { mutate(&head, &mut rng) };
        match envelope::decode(&candidate) {
            Ok(w) => {
                loaded += 1;
                // Whatever loads can be viewed and saved again.
                let _ = w.view();
                assert!(envelope::encode(&w).is_ok());
            }
            Err(e) => {
                refused += 1;
                assert!(!e.message().is_empty());
            }
        }
    }
    println!("fuzz saves: {n} executions ({loaded} loaded, {refused} refused) in {:.1?}", started.elapsed());
}

#[test]
fn mutated_store_parts_load_or_are_refused_never_panic() {
    let n = iterations(2_000);
    let (mut world, _) = scenarios::find("restore-copy-reset").unwrap().prepare();
    let mut rng = ChaCha20Rng::seed_from_u64(15);
    let priya = world.user_by_upn(super::PRIYA).unwrap().object_id.clone();
    let env = world.pp.environments.values().next().unwrap().name.clone();
    let now = world.now();
    let insert = Command::InsertRows { environment: env, table: "account".into(), rows: 5 };
    world.execute(&priya, insert, now, &mut rng).unwrap();
    let (changes, _) = crate::stored::Stored::unknown().changes(&world).unwrap();
    let (id, text) = changes.texts[0].clone();
    let records = changes.records.iter().find(|(i, _)| *i == id).unwrap().1.clone();
    let started = std::time::Instant::now();
    let (mut loaded, mut refused) = (0usize, 0usize);
    for i in 0..n {
        // Records get raw byte edits (the format is binary); texts and meta get JSON-ish ones.
        let mut bytes = records.clone();
        let (t, m) = match i % 3 {
            0 => {
                for _ in 0..1 + rng.next_u32() % 3 {
                    let at = rng.next_u32() as usize % bytes.len();
                    match rng.next_u32() % 3 {
                        0 => bytes[at] = (rng.next_u32() % 256) as u8,
                        1 => bytes.truncate(at.max(1)),
                        _ => bytes.insert(at, (rng.next_u32() % 256) as u8),
                    }
                }
                (text.clone(), changes.meta.clone())
            }
            1 => (mutate(&text, &mut rng), changes.meta.clone()),
            _ => (text.clone(), mutate(&changes.meta, &mut rng)),
        };
        let part = |want: &str| {
            let others = changes.texts.iter().zip(&changes.records);
            match want == id {
                true => Some((t.clone(), bytes.clone())),
                false => others.filter(|((i, _), _)| i == want).map(|((_, t), (_, r))| (t.clone(), r.clone())).next(),
            }
        };
        match crate::stored::decode(&m, part) {
            Ok(w) => {
                loaded += 1;
                let _ = w.view();
                assert!(crate::stored::Stored::unknown().changes(&w).is_ok());
            }
            Err(e) => {
                refused += 1;
                assert!(!e.message().is_empty());
            }
        }
    }
    println!("fuzz store parts: {n} executions ({loaded} loaded, {refused} refused) in {:.1?}", started.elapsed());
}
