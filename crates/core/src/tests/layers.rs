//! The shape of the core: no module imports another in a circle, the two clouds meet only at
//! `KeyAccess` (so the Power Platform side runs against a fake), and saves of the flat world
//! of version 1 still load.

use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::powerplatform::environment::{EncryptionStatus, EnvironmentState, Service};
use crate::powerplatform::{Ctx, KeyAccess, KeyVersionInfo, PolicyInfo, PowerPlatform};
use crate::sim::Log;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                source_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file belongs to, at `depth` levels below the crate root ("azure", "azure::keys").
fn module_of(src: &Path, file: &Path, depth: usize) -> String {
    let rel = file.strip_prefix(src).expect("under src").with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts.truncate(depth);
    parts.join("::")
}

/// Every `crate::a::b` path a file names (in `use` lines and in code), cut to `depth` levels.
fn references(text: &str, depth: usize) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| l.split(" // ").next().unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let path: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
        let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
        // Only module names (lower case); `crate::World` style re-exports are items.
        let modules: Vec<&str> =
            parts.iter().take_while(|p| p.chars().next().is_some_and(char::is_lowercase)).copied().collect();
        if !modules.is_empty() {
            found.insert(modules[..modules.len().min(depth)].join("::"));
        }
    }
    found
}

fn graph(depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let from = module_of(&src, &file, depth);
        let text = std::fs::read_to_string(&file).expect("readable");
        let entry = edges.entry(from.clone()).or_default();
        for to in references(&text, depth) {
            // A module may use its own parent's items and its children.
            let related = to == from || from.starts_with(&format!("{to}::")) || to.starts_with(&format!("{from}::"));
            if !related && !to.is_empty() {
                entry.insert(to);
            }
        }
    }
    edges
}

fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(node.into());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.into());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.into());
        None
    }
    let mut done = BTreeSet::new();
    edges.keys().find_map(|n| visit(n, edges, &mut Vec::new(), &mut done))
}

#[test]
fn modules_depend_downwards_only() {
    let top = graph(1);
    assert_eq!(find_cycle(&top), None, "import cycle among the top-level modules: {top:#?}");
    let uses = |m: &str| top.get(m).cloned().unwrap_or_default();
    assert!(!uses("azure").contains("powerplatform"), "Azure knows nothing of environments");
    assert!(!uses("powerplatform").contains("azure"), "Power Platform reaches Azure only through KeyAccess");
    for side in ["azure", "powerplatform", "sim"] {
        assert!(!uses(side).contains("world") && !uses(side).contains("shell"), "{side} must not use the facade");
    }
    assert!(uses("world").contains("azure") && uses("world").contains("powerplatform"));
    for leaf in ["sim", "time", "error", "ids", "crypto", "key_material", "location", "b64"] {
        let bad: Vec<String> = uses(leaf)
            .into_iter()
            .filter(|m| !["time", "error", "b64", "key_material"].contains(&m.as_str()))
            .collect();
        assert!(bad.is_empty(), "{leaf} is a leaf but uses {bad:?}");
    }
    // Inside each side, siblings do not import each other in a circle either.
    let inner = graph(2);
    for side in ["azure", "powerplatform"] {
        let siblings: BTreeMap<String, BTreeSet<String>> = inner
            .iter()
            .filter(|(m, _)| m.starts_with(&format!("{side}::")))
            .map(|(m, to)| (m.clone(), to.iter().filter(|t| t.starts_with(&format!("{side}::"))).cloned().collect()))
            .collect();
        assert!(siblings.len() >= 4, "{side} has its parts: {siblings:?}");
        assert_eq!(find_cycle(&siblings), None, "cycle inside {side}");
    }
}

#[test]
fn every_module_says_in_its_first_line_what_it_owns() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        assert!(text.starts_with("//!"), "{} starts without a module doc", file.display());
    }
}

/// Key Vault as a test wants it: one policy whose key can be switched off. Wrapping is
/// AES-256-GCM under a fixed key, enough to prove the Power Platform side never looks past
/// the interface.
struct FakeKeys {
    reachable: core::cell::Cell<bool>,
    version: core::cell::Cell<u8>,
}

const FAKE_POLICY: &str = "/fake/policies/ep";

impl FakeKeys {
    fn kid(&self) -> String {
        format!("https://fake.vault/keys/cmk/{}", self.version.get())
    }
    fn denied(&self) -> crate::Error {
        crate::Error::new(ErrorCode::ForbiddenByRbac, "the fake vault says no")
    }
}

impl KeyAccess for FakeKeys {
    fn policy(&self, name_or_id: &str) -> Option<PolicyInfo> {
        (name_or_id == FAKE_POLICY || name_or_id == "ep").then(|| PolicyInfo {
            key: FAKE_POLICY.into(),
            id: FAKE_POLICY.into(),
            name: "ep".into(),
            location: "europe".into(),
            identity: "identity-1".into(),
            key_ref: ("fake".into(), "cmk".into()),
        })
    }
    fn current_version(&self, _: &str) -> Result<KeyVersionInfo, crate::Error> {
        if !self.reachable.get() {
            return Err(self.denied());
        }
        Ok(KeyVersionInfo { kid: self.kid(), created: SimTime::GENESIS, expires: None })
    }
    fn eligible(&self, p: &str) -> Result<(), crate::Error> {
        self.current_version(p).map(|_| ())
    }
    fn wrap(
        &self,
        p: &str,
        dek: &[u8],
        rng: &mut dyn rand_core::CryptoRngCore,
    ) -> Result<(String, Vec<u8>), crate::Error> {
        self.current_version(p)?;
        Ok((self.kid(), crate::crypto::aes_gcm_seal(&[7; 32], dek, b"fake", rng)))
    }
    fn check(&self, _: &str, _: &str) -> Result<(), crate::Error> {
        if self.reachable.get() {
            Ok(())
        } else {
            Err(self.denied())
        }
    }
    fn unwrap(&self, identity: &str, kid: &str, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>, crate::Error> {
        self.check(identity, kid)?;
        crate::crypto::aes_gcm_open(&[7; 32], blob, b"fake")
    }
}

#[test]
fn power_platform_runs_against_a_fake_key_vault() {
    // SPEC ENC-1, ROT-1, LOCK-1, with no Azure at all.
    let keys = FakeKeys { reachable: core::cell::Cell::new(true), version: core::cell::Cell::new(1) };
    let mut pp = PowerPlatform::default();
    let mut log = Log::default();
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let mut now = SimTime::GENESIS;
    macro_rules! cx {
        () => {
            Ctx { now, log: &mut log, keys: &keys, rng: &mut rng }
        };
    }
    let env = pp.create_environment(&mut cx!(), "fake-env", "europe", "Sandbox", false).expect("create");
    pp.enable_managed(&mut cx!(), "fake-env").expect("managed");
    pp.insert_rows(&mut cx!(), "fake-env", "t", 10).expect("rows");
    let policy = keys.policy("ep").expect("policy");
    pp.add_environment(&mut cx!(), &policy, "fake-env").expect("add");
    // Drive Power Platform's own clock: its queue and hourly checks.
    for _ in 0..48 {
        now = now.plus(SimDuration::hours(1));
        while let Some((at, place)) = pp.next_queued().filter(|(at, _)| *at <= now) {
            let mut cx = Ctx { now: at, log: &mut log, keys: &keys, rng: &mut rng };
            pp.run_queued(place, &mut cx);
        }
        pp.health_check(&mut cx!());
    }
    let e = pp.environment("fake-env").expect("env");
    assert_eq!(e.encryption, EncryptionStatus::Encrypted);
    assert_eq!(e.services[&Service::Dataverse].dek.protector.label(), "https://fake.vault/keys/cmk/1");
    assert_eq!(pp.read_table(&keys, "fake-env", Service::Dataverse, "t").expect("read").0, 10);
    assert_eq!(pp.linked(FAKE_POLICY), core::slice::from_ref(&env.id));

    // A new version is picked up by the health check, with no downtime.
    keys.version.set(2);
    now = now.plus(SimDuration::hours(13));
    pp.health_check(&mut cx!());
    assert_eq!(
        pp.environment("fake-env").expect("env").services[&Service::Files].dek.protector.label(),
        "https://fake.vault/keys/cmk/2"
    );

    // The fake vault refuses: the next check locks, with the fake's reason.
    keys.reachable.set(false);
    now = now.plus(SimDuration::hours(1));
    pp.health_check(&mut cx!());
    let e = pp.environment("fake-env").expect("env");
    assert_eq!(e.state, EnvironmentState::Locked);
    assert_eq!(e.lock.as_ref().map(|l| l.reason.code()), Some(ErrorCode::ForbiddenByRbac));
    assert!(pp.read_table(&keys, "fake-env", Service::Dataverse, "t").is_err(), "unreadable while locked");
    assert!(log.iter().any(|a| a.kind == "EnvironmentLocked"));
}

#[test]
fn a_version_1_save_loads_into_the_two_sides_and_runs_on() {
    // SPEC PG-3: older saves migrate. The fixture was written by the version-1 build (commit
    // 7ab53ae) running tests/fixtures/state-v1.cmk: two environments locked, one re-enabled,
    // one add in progress, a soft-deleted key and vault waiting for their purge.
    let text = include_str!("../../tests/fixtures/state-v1.json");
    assert!(text.contains("\"version\":1"));
    let mut world = envelope::decode(text).expect("version 1 migrates");
    assert_eq!(world.now().to_iso(), "2026-01-02T05:00:00Z");
    assert_eq!(world.pp.environments.len(), 3);
    let policy = world.find_policy("ep-contoso-cmk").expect("policy").id().to_ascii_lowercase();
    assert_eq!(world.pp.linked(&policy).len(), 3, "links moved to the Power Platform side");
    let kinds: Vec<String> = world.pending().iter().map(|p| p.kind.clone()).collect();
    assert_eq!(kinds, ["EncryptionStep", "PurgeVault", "DeleteEnvironment", "PurgeKey"], "soonest first");
    assert!(world.activity().iter().any(|a| a.kind == "EnvironmentLocked"));
    // It runs on: the add in progress finishes, and the locked sandbox is deleted on time.
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let priya = world.user_by_upn(PRIYA).expect("priya").object_id.clone();
    let now = world.now();
    world.execute(&priya, Command::RunClock, now, &mut rng).expect("run");
    assert_eq!(world.pp.environment("Contoso-Dev").expect("dev").encryption, EncryptionStatus::Encrypted);
    world.advance(SimTime::parse_iso("2026-01-10T00:00:00Z").expect("t"), &mut rng);
    assert_eq!(world.pp.environment("Contoso-Test").expect("test").state, EnvironmentState::Deleted);
    assert_eq!(world.pp.environment("Contoso-Prod").expect("prod").state, EnvironmentState::Enabled);
    // Saved again, it is version 2 and reads back the same.
    let again = envelope::encode(&world).expect("encode");
    assert!(again.contains("\"version\":2"));
    assert_eq!(envelope::decode(&again).expect("v2"), world);
    // A version-1 save that is damaged inside is still refused, never half-loaded.
    let broken = text.replacen("\"scheduled\":[", "\"scheduled\":{\"x\":[", 1);
    assert_eq!(envelope::decode(&broken).expect_err("damaged").code(), ErrorCode::CorruptState);
}

#[test]
fn the_revision_moves_only_when_the_world_changes() {
    // What the worker's save-on-change relies on.
    let mut f = Fixture::with_vault(false);
    let r0 = f.world.revision();
    f.ok(KAI, Command::ShowVault { name: "kv-cmk".into() });
    f.refused(
        PRIYA,
        Command::CreateResourceGroup { name: "rg-x".into(), location: "westeurope".into(), tags: Default::default() },
        ErrorCode::AuthorizationFailed,
    );
    assert_eq!(f.world.revision(), r0, "a read and a refusal change nothing");
    f.ok(
        KAI,
        Command::CreateResourceGroup { name: "rg-x".into(), location: "westeurope".into(), tags: Default::default() },
    );
    let r1 = f.world.revision();
    assert!(r1 > r0, "a write moves it");
    f.advance(SimDuration::hours(1));
    f.ok(KAI, Command::ShowVault { name: "kv-cmk".into() });
    assert!(f.world.revision() > r1, "so does the clock");
    let saved = envelope::decode(&envelope::encode(&f.world).expect("encode")).expect("decode");
    assert_eq!(saved, f.world, "the revision is not part of the state");
}
