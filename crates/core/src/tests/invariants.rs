//! The invariant property test of the Power Platform side (SPEC ENC-7, LOCK-1, AUTH-5, PG-3):
//! random sequences of at least 30 commands by random personas, clock advances included.
//!   (a) whenever an environment is accessible, every record reads back byte-identical;
//!   (b) a Locked / Disabled / Deleted environment is never readable;
//!   (c) no command succeeds for a principal without the permission;
//!   (d) a serde round trip mid-sequence changes nothing.
//! `CMK_INVARIANT_SEQUENCES` sets how many sequences run (default 500).

use alloc::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sha2::{Digest, Sha256};

use super::ppac::{cmk_ready, policy_id};
use super::*;
use crate::command::SetKeyAttributes;
use crate::powerplatform::environment::{record_plaintext, EnvironmentState};

const ENVS: [&str; 3] = ["env", "env2", "plain"];
const PERSONAS: [&str; 4] = [GUS, KAI, PRIYA, MALLORY];

#[derive(Clone, Debug)]
struct Step {
    persona: usize,
    op: u8,
    env: usize,
    other: usize,
    n: u64,
}

fn step() -> impl Strategy<Value = Step> {
    (0usize..4, 0u8..16, 0usize..3, 0usize..3, 1u64..60).prop_map(|(persona, op, env, other, n)| Step {
        persona,
        op,
        env,
        other,
        n,
    })
}

/// Which rows each table of each environment should hold: (writer environment id, row index).
type Tables = BTreeMap<String, Vec<(String, usize)>>;
type Model = BTreeMap<String, Tables>;

#[derive(PartialEq)]
enum Side {
    Sim,
    PowerPlatform,
    Azure,
}

fn is_pp_admin(upn: &str) -> bool {
    upn == GUS || upn == PRIYA
}

fn command(f: &Fixture, s: &Step, backups: &BTreeMap<String, Vec<String>>) -> (Command, Side) {
    let env = ENVS[s.env].to_string();
    let other = ENVS[s.other].to_string();
    let attrs = |enabled| {
        Command::SetKeyAttributes(SetKeyAttributes {
            tags: Default::default(),
            vault: "kv-cmk".into(),
            name: "cmk".into(),
            version: None,
            enabled: Some(enabled),
            expires: None,
            not_before: None,
            ops: None,
        })
    };
    match s.op {
        0 | 1 => (
            Command::InsertRows {
                environment: env,
                table: if s.n.is_multiple_of(2) { "a".into() } else { "b".into() },
                rows: s.n,
            },
            Side::Sim,
        ),
        2 => (Command::AddEnvironmentToPolicy { policy: "ep-cmk".into(), environment: env }, Side::PowerPlatform),
        3 => (Command::RemoveEnvironmentFromPolicy { policy: "ep-cmk".into(), environment: env }, Side::PowerPlatform),
        4 | 5 => (Command::AdvanceClock { by: SimDuration::hours(s.n * 2) }, Side::Sim),
        6 => (
            key_with("kv-cmk", "cmk", 2048, if s.n.is_multiple_of(2) { "rsa2048-1" } else { "rsa2048-2" }),
            Side::Azure,
        ),
        7 => (attrs(!s.n.is_multiple_of(3)), Side::Azure),
        8 => {
            let principal = f.world.find_policy("ep-cmk").map(|p| p.principal_id.clone()).unwrap_or_default();
            let role = "Key Vault Crypto Service Encryption User".to_string();
            let scope = f.vault_id();
            if s.n.is_multiple_of(2) {
                (Command::DeleteRoleAssignment { assignee: principal, role, scope }, Side::Azure)
            } else {
                (Command::CreateRoleAssignment { assignee: principal, role, scope }, Side::Azure)
            }
        }
        9 => (Command::ReEnableEnvironment { environment: env }, Side::PowerPlatform),
        10 => (Command::BackupEnvironment { environment: env, label: Some(format!("b{}", s.n)) }, Side::PowerPlatform),
        11 => {
            let backup = backups.get(&env).and_then(|b| b.last()).cloned().unwrap_or_else(|| "none".into());
            (Command::RestoreBackup { source: env, backup, target: other }, Side::PowerPlatform)
        }
        12 => (Command::CopyEnvironment { source: env, target: other }, Side::PowerPlatform),
        13 => (
            Command::FailNextStep {
                environment: env,
                service: ["dataverse", "files", "search", "copilot"][s.n as usize % 4].into(),
            },
            Side::Sim,
        ),
        14 => (Command::ResetEnvironment { environment: env }, Side::PowerPlatform),
        _ => (Command::RunClock, Side::Sim),
    }
}

fn expected_sha(rows: &[(String, usize)], table: &str) -> String {
    let mut h = Sha256::new();
    for (writer, i) in rows {
        h.update(record_plaintext(writer, table, *i));
    }
    crate::powerplatform::environment::hex(&h.finalize())
}

fn env_id(f: &Fixture, name: &str) -> String {
    f.world.pp.environment(name).map(|e| e.id.clone()).unwrap_or_default()
}

/// Applies a successful command to the model of what each table holds.
fn update_model(
    f: &Fixture,
    model: &mut Model,
    snapshots: &mut BTreeMap<String, Tables>,
    cmd: &Command,
    out: &serde_json::Value,
) {
    match cmd {
        Command::InsertRows { environment, table, rows } => {
            let id = env_id(f, environment);
            let list = model.entry(id.clone()).or_default().entry(table.clone()).or_default();
            let start = list.len();
            list.extend((start..start + *rows as usize).map(|i| (id.clone(), i)));
        }
        Command::BackupEnvironment { environment, .. } => {
            let id = env_id(f, environment);
            let backup = out["backupId"].as_str().unwrap_or_default().to_string();
            snapshots.insert(backup, model.get(&id).cloned().unwrap_or_default());
        }
        Command::RestoreBackup { backup, target, .. } => {
            let tables = snapshots.get(backup).cloned().unwrap_or_default();
            model.insert(env_id(f, target), tables);
        }
        Command::CopyEnvironment { source, target } => {
            let tables = model.get(&env_id(f, source)).cloned().unwrap_or_default();
            model.insert(env_id(f, target), tables);
        }
        Command::ResetEnvironment { environment } => {
            model.insert(env_id(f, environment), BTreeMap::new());
        }
        _ => {}
    }
}

fn check_invariants(f: &mut Fixture, model: &Model) -> Result<(), TestCaseError> {
    for name in ENVS {
        let e = f.world.pp.environment(name).expect("env").clone();
        let tables = model.get(&e.id).cloned().unwrap_or_default();
        if e.state == EnvironmentState::Enabled {
            // (a) accessible: every record reads back exactly.
            for (table, rows) in &tables {
                let (n, sha) =
                    f.world.read_table(name, crate::powerplatform::environment::Service::Dataverse, table).map_err(
                        |err| TestCaseError::fail(format!("{name} is Enabled but {table} is unreadable: {err}")),
                    )?;
                prop_assert_eq!(n, rows.len(), "{} / {}", name, table);
                prop_assert_eq!(sha, expected_sha(rows, table), "{} / {}: plaintext changed", name, table);
            }
        } else {
            // (b) never readable.
            prop_assert!(
                f.world.read_table(name, crate::powerplatform::environment::Service::Dataverse, "a").is_err(),
                "{} is {:?} but readable",
                name,
                e.state
            );
        }
    }
    Ok(())
}

fn base_world() -> Fixture {
    let mut f = cmk_ready("Sandbox");
    for (name, managed) in [("env2", true), ("plain", false)] {
        f.ok(
            PRIYA,
            Command::CreateEnvironment {
                name: name.into(),
                region: "europe".into(),
                env_type: "Sandbox".into(),
                byok: false,
            },
        );
        if managed {
            f.ok(PRIYA, Command::EnableManaged { environment: name.into() });
        }
    }
    let _ = policy_id("ep-cmk");
    f
}

#[test]
fn random_sequences_keep_every_record_and_every_rule() {
    let sequences: u32 = option_env_number("CMK_INVARIANT_SEQUENCES").unwrap_or(500);
    let base = base_world();
    let strategy = (proptest::collection::vec(step(), 30..45), 0usize..30);
    let config = Config { cases: sequences, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    // What the sequences reached, to prove they explore more than refusals.
    let seen: core::cell::RefCell<BTreeMap<String, usize>> = core::cell::RefCell::default();
    let note = |what: &str| *seen.borrow_mut().entry(what.into()).or_default() += 1;
    runner
        .run(&strategy, |(steps, round_trip_at)| {
            let mut f = Fixture {
                world: base.world.clone(),
                rng: ChaCha20Rng::seed_from_u64(steps.len() as u64),
                now: base.now,
            };
            let mut model = Model::new();
            let mut snapshots = BTreeMap::new();
            let mut backups: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (i, s) in steps.iter().enumerate() {
                let upn = PERSONAS[s.persona];
                let (cmd, side) = command(&f, s, &backups);
                let result = f.run(upn, cmd.clone());
                // (c) the side decides the right: the admin center needs an Entra admin role,
                // the Azure side an Azure role (Priya has none).
                if let Ok(out) = &result {
                    match side {
                        Side::PowerPlatform => {
                            prop_assert!(is_pp_admin(upn), "{} ran {} without a Power Platform role", upn, cmd.label())
                        }
                        Side::Azure => prop_assert!(upn != PRIYA, "Priya ran {} without an Azure role", cmd.label()),
                        Side::Sim => {}
                    }
                    note(&format!("ok {}", command_kind(&cmd)));
                    let json = serde_json::to_value(out).unwrap_or_default();
                    update_model(&f, &mut model, &mut snapshots, &cmd, &json);
                    if let Command::BackupEnvironment { environment, .. } = &cmd {
                        backups
                            .entry(environment.clone())
                            .or_default()
                            .push(json["backupId"].as_str().unwrap_or_default().into());
                    }
                }
                if matches!(cmd, Command::ResetEnvironment { .. }) && result.is_ok() {
                    if let Command::ResetEnvironment { environment } = &cmd {
                        backups.remove(environment);
                    }
                }
                check_invariants(&mut f, &model)?;
                for name in ENVS {
                    if let Ok(e) = f.world.pp.environment(name) {
                        note(&format!("{:?} / {}", e.state, e.encryption.as_str()));
                    }
                }
                if i == round_trip_at {
                    // (d)
                    let text = envelope::encode(&f.world).expect("encode");
                    let back = envelope::decode(&text).expect("decode");
                    prop_assert!(back == f.world, "round trip changed the world");
                    f.world = back;
                }
            }
            Ok(())
        })
        .expect("invariants hold");
    let seen = seen.into_inner();
    for must in [
        "ok add",
        "ok remove",
        "ok restore",
        "ok copy",
        "ok reset",
        "ok re-enable",
        "ok new key version",
        "Locked / Encrypted",
        "Enabled / Encrypted",
        "Enabled / Failed",
        "Disabled / Encrypting",
        "Enabled / Encrypting - online",
        "Disabled / Reverting",
        "Deleted / Encrypted",
    ] {
        assert!(seen.get(must).copied().unwrap_or(0) > 0, "the sequences never reached '{must}': {seen:?}");
    }
    std::println!("invariants: {sequences} sequences; reached {seen:?}");
}

fn command_kind(c: &Command) -> &'static str {
    match c {
        Command::AddEnvironmentToPolicy { .. } => "add",
        Command::RemoveEnvironmentFromPolicy { .. } => "remove",
        Command::RestoreBackup { .. } => "restore",
        Command::CopyEnvironment { .. } => "copy",
        Command::ResetEnvironment { .. } => "reset",
        Command::ReEnableEnvironment { .. } => "re-enable",
        Command::CreateKey(_) => "new key version",
        _ => "other",
    }
}

fn option_env_number(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}
