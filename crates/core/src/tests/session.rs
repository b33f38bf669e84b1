//! Sessions: clicks recorded as lines, replay, undo, saved sessions; guided scenarios' checklists.

use std::collections::BTreeMap;
use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, fs, vec};

use rand_chacha::rand_core::SeedableRng;
use rsa::pkcs8::EncodePrivateKey;

use crate::command::*;
use crate::scenarios::{self, SCENARIOS};
use crate::session::{SavedSession, Session, UNDO_DEPTH};
use crate::shell::{render, Files, MemoryFiles, NoFiles, Shell};
use crate::view::KeyTreeService;
use crate::world::World;
use crate::PrivateKeyDer;

fn scenario_files() -> MemoryFiles {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if let Ok(text) = fs::read_to_string(&path) {
            files.insert(name, text);
        }
    }
    MemoryFiles(files)
}

/// JSON carried by a command, on one line (a script's lines are physical lines).
fn compact(command: Command) -> Command {
    let one = |t: &str| serde_json::from_str::<serde_json::Value>(t).map(|v| v.to_string()).unwrap_or(t.into());
    match command {
        Command::DeployTemplate { resource_group, template } => {
            Command::DeployTemplate { resource_group, template: one(&template) }
        }
        Command::SetRotationPolicy { vault, name, policy } => {
            Command::SetRotationPolicy { vault, name, policy: one(&policy) }
        }
        other => other,
    }
}

/// Every command of every flow, rendered back to a line, parses to the same command.
#[test]
fn every_command_of_the_flows_renders_to_a_line_that_parses_back() {
    let files = scenario_files();
    let mut checked = 0;
    let mut scripts: Vec<String> =
        files.0.iter().filter(|(n, _)| n.ends_with(".cmk")).map(|(_, t)| t.clone()).collect();
    scripts.extend(SCENARIOS.iter().map(|s| format!("{}\n{}", s.prelude(), s.solution())));
    for script in scripts {
        let (mut world, mut shell) = (World::new(), Shell::seeded(0));
        for line in crate::shell::lexer::logical_lines(&script) {
            if let Ok(Some(command)) = shell.build(&mut world, &line.text, &files) {
                let rendered = render::lines_for(&world, &command).expect("every flow command has a line");
                if let Command::ImportKey(_) = command {
                    // The private key stays out of scripts: the line names the file instead.
                    assert!(rendered[0].contains("--pem-file"), "{rendered:?}");
                } else {
                    let mut copy = Shell::with_state(shell.state());
                    let (last, before) = rendered.split_last().unwrap();
                    for l in before {
                        copy.run_line(&mut world, l, &NoFiles).unwrap();
                    }
                    let again = copy.build(&mut world, last, &NoFiles).unwrap();
                    assert_eq!(again.map(compact), Some(compact(command)), "'{}' rendered as {rendered:?}", line.text);
                    checked += 1;
                }
            }
            let _ = shell.run_line(&mut world, &line.text, &files);
        }
    }
    assert!(checked > 150, "only {checked} commands checked");
}

#[test]
fn quoting_survives_quotes_spaces_and_dollars() {
    for text in ["plain", "two words", "it's", "$HOME", "a'b'c \"d\"", "", "#not-a-comment"] {
        let line = std::format!("sim file write --name f --value {}", render::quote(text));
        let mut shell = Shell::seeded(0);
        shell.run_line(&mut World::new(), &line, &NoFiles).unwrap();
        assert_eq!(shell.written().get("f").map(String::as_str), Some(text), "{line}");
    }
}

/// SPEC PG-4: each scenario's items are false in the prepared world and tick, in order, as its
/// solution's lines run; at the end the checklist is complete (and stays so). The
/// restore-copy-reset solution restores by the backup's label (SPEC DB-2).
#[test]
fn each_scenario_solution_ticks_every_item_of_its_checklist() {
    assert_eq!(SCENARIOS.len(), 12);
    for s in SCENARIOS {
        let (mut world, mut shell) = s.prepare();
        // SPEC PG-4, issue 30 point 6: it starts as the persona its first step names.
        assert_eq!(world.signed_in(), object_id(&world, s.steps[0].persona), "{} starts as its step 1 persona", s.id);
        let start = scenarios::progress(s.id, &world).unwrap();
        assert!(start.steps.iter().all(|i| !i.done), "{}: something is done before starting: {start:?}", s.id);
        for (i, step) in s.steps.iter().enumerate() {
            assert!(!(step.done)(&world), "{} item {i} done too early", s.id);
            for line in step.show_me.lines() {
                let r = shell.run_line(&mut world, line, &NoFiles);
                assert!(r.is_ok() || line.starts_with("pp env show"), "{} item {i}: '{line}' failed: {r:?}", s.id);
            }
            let p = scenarios::progress(s.id, &world).unwrap();
            assert!(p.steps[..=i].iter().all(|x| x.done), "{} after item {i}: {:?}", s.id, p.steps);
        }
        assert!(scenarios::progress(s.id, &world).unwrap().complete, "{}", s.id);
        // A bare world completes nothing.
        assert!(!scenarios::progress(s.id, &World::new()).unwrap().complete);
    }
}

fn page_key(seed: u64) -> PrivateKeyDer {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    let key = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
    PrivateKeyDer(key.to_pkcs8_der().unwrap().as_bytes().to_vec().into())
}

fn object_id(world: &World, upn: &str) -> String {
    world.user_by_upn(upn).unwrap().object_id.clone()
}

/// What the page does by clicking through the seed's setup (a WebCrypto-made key included).
fn click_through(session: &mut Session) {
    let kai = object_id(session.world(), scenarios::KAI);
    let priya = object_id(session.world(), scenarios::PRIYA);
    let run = |s: &mut Session, c: Command| s.execute(c).unwrap();
    run(session, Command::SignIn { upn: scenarios::KAI.into() });
    run(session, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
    run(
        session,
        Command::CreateResourceGroup { name: "rg-cmk".into(), location: "westeurope".into(), tags: Default::default() },
    );
    let mut vault = CreateVault::new("kv-contoso-cmk", "rg-cmk", "westeurope");
    vault.enable_purge_protection = true;
    run(session, Command::CreateVault(vault));
    let kv = session.world().view().vaults[0].vault.id.clone();
    let officer = "Key Vault Crypto Officer".to_string();
    run(session, Command::CreateRoleAssignment { assignee: kai, role: officer, scope: kv.clone() });
    let mut key = CreateKey::rsa("kv-contoso-cmk", "cmk", 2048);
    key.pregenerated = Some(page_key(99));
    run(session, Command::CreateKey(key));
    let template = scenario_files().0["ep-contoso-cmk.json"].clone();
    run(session, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
    let policy = session.world().view().policies[0].clone();
    let role = "Key Vault Crypto Service Encryption User".to_string();
    run(session, Command::CreateRoleAssignment { assignee: policy.identity.principal_id.clone(), role, scope: kv });
    let reader = "Reader".to_string();
    run(session, Command::CreateRoleAssignment { assignee: priya, role: reader, scope: policy.id.clone() });
    run(session, Command::SignIn { upn: scenarios::PRIYA.into() });
    let env = |name: &str| Command::CreateEnvironment {
        name: name.into(),
        region: "europe".into(),
        env_type: "Production".into(),
        byok: false,
    };
    run(session, env("Contoso-Prod"));
    run(session, Command::EnableManaged { environment: "Contoso-Prod".into() });
    run(session, Command::InsertRows { environment: "Contoso-Prod".into(), table: "account".into(), rows: 40 });
    run(
        session,
        Command::AddEnvironmentToPolicy { policy: "ep-contoso-cmk".into(), environment: "Contoso-Prod".into() },
    );
    run(session, Command::AdvanceClock { by: crate::SimDuration::days(1) });
}

fn env_show(world: &mut World) -> String {
    let mut shell = Shell::seeded(5);
    shell.run_line(world, "az login --username priya@contoso.onmicrosoft.com", &NoFiles).unwrap();
    shell.run_line(world, "pp env show --environment Contoso-Prod", &NoFiles).unwrap().to_json().to_string()
}

/// A session of clicks, exported as a script and run the way `cmk-cli run` runs it, gives the
/// same `pp env show` (ids, key version, status, rows).
#[test]
fn a_recorded_click_session_replays_natively_to_the_same_environment() {
    let mut session = Session::fresh(2026);
    click_through(&mut session);
    let script = session.script();
    assert!(script.starts_with("# CMK Playground session"));
    assert!(script.contains("sim seed 2026\n"));
    assert!(script.contains("az keyvault key create --vault-name kv-contoso-cmk --name cmk --kty RSA --size 2048"));
    assert!(!script.contains("PRIVATE KEY"), "no key material in a script");
    let mut replayed = World::new();
    let out = Shell::new([7; 32]).run_script(&mut replayed, &script, &NoFiles);
    assert!(out.iter().all(|l| l.contains("\"ok\":true")), "{out:#?}");
    let mut original = session.world().clone();
    let shown = env_show(&mut original);
    assert!(shown.contains("\"encryptionStatus\":\"Warning\""), "encrypted, flows kept on Microsoft's key: {shown}");
    assert_eq!(shown, env_show(&mut replayed));
}

/// Undo rebuilds the world before the last step; it reaches at least UNDO_DEPTH steps back at
/// any time, and the page's key material survives the replay.
#[test]
fn undo_takes_back_steps_and_reaches_twenty_back() {
    let mut session = Session::fresh(1);
    click_through(&mut session);
    let keys = |w: &World| {
        let mut w = w.clone();
        Shell::seeded(0).run_line(&mut w, "az login --username kai@contoso.onmicrosoft.com", &NoFiles).unwrap();
        w.view().vaults[0].keys.clone()
    };
    let key_before = keys(session.world());
    session.execute(Command::SignIn { upn: scenarios::KAI.into() }).unwrap();
    let mut snapshots = vec![session.world().clone()];
    for i in 0..45 {
        session
            .execute(Command::CreateResourceGroup {
                name: format!("rg-{i}"),
                location: "westeurope".into(),
                tags: Default::default(),
            })
            .unwrap();
        snapshots.push(session.world().clone());
    }
    // Reads and refusals are not steps.
    let steps = session.view().session.steps;
    let _ = session.execute(Command::ListEnvironments);
    let _ = session.execute(Command::CreateResourceGroup {
        name: "rg-0".into(),
        location: "nowhere".into(),
        tags: Default::default(),
    });
    assert_eq!(session.view().session.steps, steps);
    assert!(session.view().session.undo >= UNDO_DEPTH);
    for back in 1..=UNDO_DEPTH {
        let revision = session.world().revision();
        let undone = session.undo(&NoFiles).unwrap();
        assert_eq!(undone, format!("Create resource group 'rg-{}'", 45 - back));
        assert_eq!(session.world(), &snapshots[45 - back], "after {back} undo(s)");
        assert!(session.world().revision() > revision, "the host must see a change to save");
    }
    // The script lost the undone steps; replaying it gives the same world's environment.
    let script = session.script();
    assert!(script.contains("rg-24") && !script.contains("rg-25"));
    let mut replayed = World::new();
    Shell::new([0; 32]).run_script(&mut replayed, &script, &NoFiles);
    assert_eq!(env_show(&mut session.world().clone()), env_show(&mut replayed));
    // The key made by the page is the same key after the replays.
    assert_eq!(keys(session.world()), key_before);
    let mut tiny = Session::fresh(1);
    assert!(tiny.undo(&NoFiles).is_err(), "nothing to undo in a new session");
}

/// SPEC PG-3: a saved session, resumed beside its world, goes on exactly as if the page had not
/// reloaded.
#[test]
fn a_saved_session_resumes_with_the_same_randomness_and_script() {
    let mut a = Session::fresh(3);
    click_through(&mut a);
    let text = serde_json::to_string(&a.saved()).unwrap();
    let saved: SavedSession = serde_json::from_str(&text).unwrap();
    let mut b = Session::resume(a.world().clone(), saved).unwrap();
    for s in [&mut a, &mut b] {
        s.execute(Command::SignIn { upn: scenarios::KAI.into() }).unwrap();
        s.execute(Command::RotateKey { vault: "kv-contoso-cmk".into(), name: "cmk".into(), pregenerated: None })
            .unwrap();
    }
    assert_eq!(a.world(), b.world());
    assert_eq!(a.script(), b.script());
    assert_eq!(b.view().session.undo, 2, "undo reaches back to the reload only");
    let mut broken: SavedSession = serde_json::from_str(&text).unwrap();
    broken.shell.seed.pop();
    assert!(Session::resume(World::new(), broken.clone()).is_err());
    // The worker's start: a damaged or missing session leaves the world going on as an import.
    let fallback = Session::resume_or_import(a.world().clone(), Some(broken), [0; 32]);
    assert!(!fallback.view().session.replayable);
    assert!(!Session::resume_or_import(a.world().clone(), None, [0; 32]).view().session.replayable);
    let sound: SavedSession = serde_json::from_str(&text).unwrap();
    let resumed = Session::resume_or_import(a.world().clone(), Some(sound), [0; 32]);
    assert!(resumed.view().session.replayable && resumed.view().session.steps > 0);
}

/// Issue 31 item 4: the Cloud Shell's typed lines are kept with the session — saved and resumed,
/// not taken back by Undo, blank and repeated lines left out, the oldest dropped past the limit —
/// and an older save without them still resumes.
#[test]
fn typed_lines_are_kept_with_the_session_for_up_and_down() {
    let mut a = Session::fresh(3);
    for line in ["az group create -n rg -l westeurope", "  ", "az group list", "az group list", "az nope"] {
        a.remember(line);
        let _ = a.run_line(line, &NoFiles);
    }
    let typed = ["az group create -n rg -l westeurope", "az group list", "az nope"];
    assert_eq!(a.view().session.history, typed);
    a.undo(&NoFiles).expect("undo the group");
    assert_eq!(a.view().session.history, typed, "Undo takes back the world, not what was typed");
    let text = serde_json::to_string(&a.saved()).unwrap();
    let b = Session::resume(a.world().clone(), serde_json::from_str(&text).unwrap()).unwrap();
    assert_eq!(b.view().session.history, typed, "kept across a reload");
    let mut older: serde_json::Value = serde_json::from_str(&text).unwrap();
    older.as_object_mut().unwrap().remove("history");
    let c = Session::resume(a.world().clone(), serde_json::from_value(older).unwrap()).unwrap();
    assert!(c.view().session.history.is_empty(), "a save from before has none");
    let mut d = Session::fresh(1);
    for i in 0..crate::session::HISTORY_LINES + 5 {
        d.remember(&format!("sim clock show # {i}"));
    }
    let h = d.view().session.history.clone();
    assert_eq!(h.len(), crate::session::HISTORY_LINES);
    assert_eq!(h[0], "sim clock show # 5", "the oldest go first");
}

/// A scenario session starts from the prepared world; its script begins with the prelude, and
/// finishing the checklist by running the steps marks the scenario completed.
#[test]
fn a_scenario_session_ticks_and_completes() {
    let mut s = Session::scenario("rotate-version", Default::default()).unwrap();
    let view = s.view();
    let progress = view.session.scenario.clone().unwrap();
    assert_eq!(progress.steps.len(), 2);
    assert_eq!(progress.steps[0].persona, scenarios::KAI);
    for line in scenarios::find("rotate-version").unwrap().solution().lines() {
        s.run_line(line, &NoFiles).unwrap();
    }
    s.note_progress();
    assert!(s.view().session.scenario.clone().unwrap().complete);
    assert!(s.completed().contains("rotate-version"));
    let mut replayed = World::new();
    let out = Shell::new([0; 32]).run_script(&mut replayed, &s.script(), &NoFiles);
    let failed: Vec<&String> = out.iter().filter(|l| !l.contains("\"ok\":true")).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(env_show(&mut s.world().clone()), env_show(&mut replayed));
    assert!(Session::scenario("no-such", Default::default()).is_err());
}

/// `sim file write` keeps a file for the session only; host files come second.
#[test]
fn written_files_shadow_the_hosts() {
    struct Host;
    impl Files for Host {
        fn read(&self, path: &str) -> Result<String, String> {
            Ok(format!("host:{path}"))
        }
    }
    let mut shell = Shell::seeded(0);
    let mut world = World::new();
    let big = "x".repeat(crate::shell::MAX_WRITTEN_FILE + 1);
    assert!(shell.run_line(&mut world, &format!("sim file write --name f --value {big}"), &Host).is_err());
    assert!(shell.written().is_empty());
    shell.run_line(&mut world, "sim file write --name a/b --value x", &Host).unwrap_err();
    shell.run_line(&mut world, "sim file write --name rp.json --value '{\"lifetimeActions\":[]}'", &Host).unwrap();
    assert_eq!(shell.written()["rp.json"], "{\"lifetimeActions\":[]}");
}

/// A share link carries the script compressed; opening it rebuilds the same environment; a
/// damaged link is refused with a reason.
#[test]
fn a_share_link_round_trips_and_rebuilds_the_world() {
    use crate::session::{script_from_share, share_code};
    let mut session = Session::fresh(8);
    click_through(&mut session);
    let script = session.script();
    let code = share_code(&script);
    assert!(code.len() < script.len() * 2 / 3, "{} vs {}", code.len(), script.len());
    assert!(code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(script_from_share(&code).unwrap(), script);
    let (mut opened, failed) = Session::from_script(&script, [1; 32], Default::default()).unwrap();
    assert_eq!(failed, 0);
    assert_eq!(env_show(&mut opened.world().clone()), env_show(&mut session.world().clone()));
    // The opened world is a session too: its script rebuilds it again.
    assert!(opened.undo(&NoFiles).is_ok());
    for broken in ["", "%%%", &code[..code.len() / 2], "AAAA"] {
        let e = script_from_share(broken).unwrap_err();
        assert!(e.message().starts_with("This share link cannot be read"), "{broken}: {e:?}");
    }
    let long = "sim clock show\n".repeat(crate::session::MAX_SCRIPT_LINES + 1);
    assert!(script_from_share(&share_code(&long)).unwrap_err().message().contains("limit"));
}

/// SPEC PG-5: the key hierarchy follows the world: who wraps what, and why a link is broken.
#[test]
fn the_key_hierarchy_shows_each_link_and_why_it_breaks() {
    let s = scenarios::find("lock-unlock").unwrap();
    let (mut world, mut shell) = s.prepare();
    let tree = world.view().key_trees.iter().find(|&t| t.policy == "ep-contoso-cmk").cloned().unwrap();
    assert_eq!((tree.vault.as_str(), tree.key.as_str(), tree.key_missing), ("kv-contoso-cmk", "cmk", false));
    assert_eq!(tree.versions.len(), 1);
    assert!(tree.versions[0].current && tree.versions[0].in_use && tree.versions[0].status == "Enabled");
    assert_eq!(tree.identity.access, vec!["Key Vault Crypto Service Encryption User (Azure RBAC)".to_string()]);
    assert_eq!(tree.identity.network, "Public network access");
    assert!(tree.identity.broken.is_none());
    assert_eq!(tree.environments.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().len(), 2);
    let prod = tree.environments.iter().find(|e| e.name == "Contoso-Prod").unwrap();
    assert!(prod.services.iter().any(|s| s.wrap.starts_with("RSA-OAEP-256 with version ")));
    assert!(
        prod.services.iter().any(|s| s.wrap == "AES key wrap with Microsoft's key"),
        "flows stay on Microsoft's key"
    );
    assert!(prod.services.iter().all(|s| s.broken.is_none()));
    // Disable the key: the identity's link and every customer-key service link break, with why.
    for line in [
        "az login --username kai@contoso.onmicrosoft.com",
        "az keyvault key set-attributes --vault-name kv-contoso-cmk --name cmk --enabled false",
    ] {
        shell.run_line(&mut world, line, &NoFiles).unwrap();
    }
    let tree = world.view().key_trees.iter().find(|&t| t.policy == "ep-contoso-cmk").cloned().unwrap();
    assert_eq!(tree.versions[0].status, "Disabled");
    assert!(tree.identity.broken.as_ref().is_some_and(|b| b.message.contains("disabled")), "{:?}", tree.identity);
    let prod = tree.environments.iter().find(|e| e.name == "Contoso-Prod").unwrap();
    let broken: Vec<&KeyTreeService> = prod.services.iter().filter(|s| s.kid.is_some()).collect();
    assert!(
        !broken.is_empty() && broken.iter().all(|s| s.broken.as_ref().is_some_and(|b| b.message.contains("disabled")))
    );
    // Enable, rotate and let a day pass: the new version is current and wraps the data keys.
    for line in [
        "az keyvault key set-attributes --vault-name kv-contoso-cmk --name cmk --enabled true",
        "az keyvault key rotate --vault-name kv-contoso-cmk --name cmk",
        "sim clock advance 1d",
    ] {
        shell.run_line(&mut world, line, &NoFiles).unwrap();
    }
    let tree = world.view().key_trees.iter().find(|&t| t.policy == "ep-contoso-cmk").cloned().unwrap();
    assert_eq!(tree.versions.len(), 2);
    assert!(tree.versions[0].current && tree.versions[0].in_use, "{:?}", tree.versions);
    assert!(!tree.versions[1].current);
}

/// Nothing of a private key leaves the core's save: not the View (as any persona), not the
/// exported script, not the activity log, not a share code (SPEC: keys are never exported).
#[test]
fn no_private_key_in_views_scripts_logs_or_share_links() {
    use base64::Engine;
    let mut session = Session::fresh(4);
    click_through(&mut session);
    session.execute(Command::SignIn { upn: scenarios::KAI.into() }).unwrap();
    session
        .execute(Command::RotateKey { vault: "kv-contoso-cmk".into(), name: "cmk".into(), pregenerated: None })
        .unwrap();
    let der = page_key(99);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der.0);
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&der.0);
    // Pieces of the private key's encodings (the public modulus also sits inside the DER, so
    // take pieces from its end, where the private exponent and primes are).
    let pieces: Vec<String> = [&b64, &b64url].iter().map(|s| s[s.len() - 120..s.len() - 60].to_string()).collect();
    let mut texts: Vec<(String, String)> = Vec::new();
    for upn in [scenarios::KAI, scenarios::PRIYA, scenarios::MALLORY, scenarios::GUS] {
        let mut w = session.world().clone();
        Shell::seeded(0).run_line(&mut w, &format!("az login --username {upn}"), &NoFiles).unwrap();
        texts.push((format!("view as {upn}"), serde_json::to_string(&w.view()).unwrap()));
        let mut shell = Shell::seeded(0);
        let keys = shell.run_line(&mut w, "az keyvault key show --vault-name kv-contoso-cmk --name cmk", &NoFiles);
        texts.push((format!("key show as {upn}"), format!("{keys:?}")));
    }
    texts.push(("script".into(), session.script()));
    texts.push((
        "share code".into(),
        crate::session::script_from_share(&crate::session::share_code(&session.script())).unwrap(),
    ));
    texts.push(("activity".into(), serde_json::to_string(&session.world().view().activity).unwrap()));
    for (what, text) in &texts {
        assert!(!text.contains("PRIVATE KEY"), "{what}");
        for member in ["\"d\":", "\"p\":", "\"q\":", "\"dp\":", "\"dq\":", "\"qi\":"] {
            assert!(!text.contains(member), "{what} carries a private JWK member {member}");
        }
        for piece in &pieces {
            assert!(!text.contains(piece.as_str()), "{what} carries the private key");
        }
    }
    // The save does hold the key (it must, to use it): the check above is not vacuous.
    let save = crate::envelope::encode(session.world()).unwrap();
    assert!(save.contains(pieces[0].as_str()), "the save holds the page-made key, so the pieces are the right ones");
}

/// A Cloud Shell line that creates a key can take the host's key (WebCrypto in the page): same
/// output shaping, same ids as the core's own key, and undo's replay keeps that key.
#[test]
fn a_shell_line_creates_a_key_with_the_hosts_material() {
    let setup = [
        "az login --username kai@contoso.onmicrosoft.com",
        "az group create --name rg --location westeurope",
        "az keyvault create --name kv-x --resource-group rg --location westeurope --enable-rbac-authorization false",
    ];
    let line = "az keyvault key create --vault-name kv-x --name k --size 2048 --query key.kid -o tsv";
    let jwk = |s: &Session| {
        let mut w = s.world().clone();
        let mut sh = Shell::seeded(0);
        sh.run_line(&mut w, "az keyvault key show --vault-name kv-x --name k --query key.n -o tsv", &NoFiles)
            .unwrap()
            .to_json()
    };
    let (mut host, mut core) = (Session::fresh(6), Session::fresh(6));
    for l in setup {
        host.run_line(l, &NoFiles).unwrap();
        core.run_line(l, &NoFiles).unwrap();
    }
    assert_eq!(host.key_to_make(line, &NoFiles), Some(2048));
    assert_eq!(host.key_to_make("az group list", &NoFiles), None);
    let a = host.run_line_with_key(line, &NoFiles, page_key(7)).unwrap().to_json();
    let b = core.run_line(line, &NoFiles).unwrap().to_json();
    assert_eq!(a, b, "the same kid either way (and --query/-o still shape it)");
    assert_ne!(jwk(&host), jwk(&core), "but the host's key material");
    let made = jwk(&host);
    host.run_line("az group create --name rg2 --location westeurope", &NoFiles).unwrap();
    host.undo(&NoFiles).unwrap();
    assert_eq!(jwk(&host), made, "the replay keeps the host's key");
    // Material for a line that fails is not kept for the next key.
    assert!(host
        .run_line_with_key("az keyvault key create --vault-name nope --name k2", &NoFiles, page_key(8))
        .is_err());
    core.run_line("az keyvault key create --vault-name kv-x --name k3", &NoFiles).unwrap();
    host.run_line("az keyvault key create --vault-name kv-x --name k3", &NoFiles).unwrap();
    let n = |s: &Session| {
        let mut w = s.world().clone();
        let line = "az keyvault key show --vault-name kv-x --name k3 --query key.n -o tsv";
        Shell::seeded(0).run_line(&mut w, line, &NoFiles).unwrap().to_json()
    };
    assert_eq!(n(&host), n(&core), "k3 is the core's own key in both sessions");
    // Rotating takes the host's key the same way.
    let rotate = "az keyvault key rotate --vault-name kv-x --name k3 --query key.kid -o tsv";
    assert_eq!(host.key_to_make(rotate, &NoFiles), Some(2048));
    let a = host.run_line_with_key(rotate, &NoFiles, page_key(9)).unwrap().to_json();
    let b = core.run_line(rotate, &NoFiles).unwrap().to_json();
    assert_eq!(a, b, "the same new version id either way");
    assert_ne!(n(&host), n(&core), "but the host's key material");
}

/// Kai signed in, with the 2048-bit key 'cmk' (a fixture) in the access-policy vault 'kv-k'.
fn kai_with_a_key() -> Session {
    let mut session = Session::fresh(1);
    let run = |s: &mut Session, c: Command| s.execute(c).unwrap();
    run(&mut session, Command::SignIn { upn: scenarios::KAI.into() });
    run(
        &mut session,
        Command::CreateResourceGroup { name: "rg-k".into(), location: "westeurope".into(), tags: Default::default() },
    );
    let mut vault = CreateVault::new("kv-k", "rg-k", "westeurope");
    vault.enable_rbac_authorization = false;
    run(&mut session, Command::CreateVault(vault));
    let mut key = CreateKey::rsa("kv-k", "cmk", 2048);
    key.pregenerated = Some(super::fixture("rsa2048-1"));
    run(&mut session, Command::CreateKey(key));
    session
}

/// SPEC KV-8 with issue 12 item 3: a version a rotation policy makes while the clock runs takes a
/// key the host made ahead (WebCrypto in the page), and undo's replay hands the same one back.
#[test]
fn kv_8_rotations_take_keys_made_ahead_and_undo_replays_them() {
    let mut session = kai_with_a_key();
    let run = |s: &mut Session, c: Command| s.execute(c).unwrap();
    assert!(session.keys_wanted().is_empty(), "no rotation policy, no keys wanted");
    let policy = r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P30D"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"P90D"}}"#;
    run(&mut session, Command::SetRotationPolicy { vault: "kv-k".into(), name: "cmk".into(), policy: policy.into() });
    assert_eq!(session.keys_wanted(), vec![2048, 2048]);
    session.supply_key_ahead(2048, super::fixture("rsa2048-2"));
    assert_eq!(session.keys_wanted(), vec![2048]);
    // The modulus of the key made ahead, as the vault shows it.
    use base64::Engine as _;
    use rsa::pkcs8::DecodePrivateKey;
    let ahead = rsa::RsaPrivateKey::from_pkcs8_der(&super::fixture("rsa2048-2").0).unwrap();
    let ahead_n =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rsa::traits::PublicKeyParts::n(&ahead).to_bytes_be());
    let current_n = |s: &mut Session| {
        let shown = s.execute(Command::ShowKey { vault: "kv-k".into(), name: "cmk".into(), version: None }).unwrap();
        serde_json::to_value(shown).unwrap()["key"]["n"].as_str().unwrap_or_default().to_string()
    };
    assert_ne!(current_n(&mut session), ahead_n);
    run(&mut session, Command::AdvanceClock { by: crate::time::SimDuration::days(31) });
    assert_eq!(current_n(&mut session), ahead_n, "the rotation took the key made ahead");
    assert_eq!(session.keys_wanted(), vec![2048, 2048], "it was used up");
    let after_rotation = session.world().clone();
    run(
        &mut session,
        Command::CreateResourceGroup {
            name: "rg-later".into(),
            location: "westeurope".into(),
            tags: Default::default(),
        },
    );
    session.undo(&NoFiles).unwrap();
    // The replay from the checkpoint ran the clock again with the same key: the same world.
    assert_eq!(session.world(), &after_rotation);
    assert_eq!(current_n(&mut session), ahead_n);
}

/// KV-8 (issue 12 item 3): before moving the clock, a host learns how many keys the rotation
/// policies will make on the way, so that it can make them all with WebCrypto first; the count is
/// what the move then really rotates, and keys made ahead already count.
#[test]
fn kv_8_a_clock_move_asks_for_a_key_per_rotation_it_will_make() {
    let mut session = kai_with_a_key();
    let run = |s: &mut Session, c: Command| s.execute(c).unwrap();
    let mut old = CreateKey::rsa("kv-k", "old", 3072);
    old.pregenerated = Some(super::fixture("rsa3072-1"));
    run(&mut session, Command::CreateKey(old));
    let days = |d| Command::AdvanceClock { by: crate::time::SimDuration::days(d) };
    assert!(session.keys_for_clock(&days(400)).is_empty(), "no rotation policy, no keys");
    let policy = r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P30D"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"P90D"}}"#;
    run(&mut session, Command::SetRotationPolicy { vault: "kv-k".into(), name: "cmk".into(), policy: policy.into() });
    assert!(session.keys_for_clock(&days(29)).is_empty(), "the first rotation is 30 days after creation");
    assert_eq!(session.keys_for_clock(&days(95)), vec![2048, 2048, 2048], "days 30, 60 and 90");
    assert_eq!(session.keys_for_clock(&Command::RunClock), vec![2048], "Run until idle goes 30 days at most");
    assert!(session
        .keys_for_clock(&Command::CreateResourceGroup {
            name: "x".into(),
            location: "westeurope".into(),
            tags: Default::default()
        })
        .is_empty());
    assert_eq!(session.keys_for_line("sim clock advance 95d", &NoFiles), vec![2048, 2048, 2048]);
    assert!(session.keys_for_line("az group list", &NoFiles).is_empty());
    // Keys made ahead answer as many rotations.
    session.supply_key_ahead(2048, super::fixture("rsa2048-2"));
    assert_eq!(session.keys_for_clock(&days(95)), vec![2048, 2048]);
    let versions = |s: &Session| s.world().azure.vault("kv-k").unwrap().key("cmk").unwrap().versions.len();
    assert_eq!(versions(&session), 1);
    run(&mut session, days(95));
    assert_eq!(versions(&session), 4, "the move made the three rotations it announced");
    // A policy that rotates before expiry: one period is the versions' lifetime less the trigger.
    let policy = r#"{"lifetimeActions":[{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"P90D"}}"#;
    run(&mut session, Command::SetRotationPolicy { vault: "kv-k".into(), name: "cmk".into(), policy: policy.into() });
    let announced = session.keys_for_clock(&days(200)).len();
    let before = versions(&session);
    run(&mut session, days(200));
    assert_eq!(versions(&session) - before, announced, "announced {announced}");
    assert!(announced >= 3, "about every 60 days: {announced}");
    // An overdue rotation happens at once, and the next ones a period after it: a key made long
    // ago gets a 7-day policy.
    let policy = r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P7D"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"P28D"}}"#;
    run(&mut session, Command::SetRotationPolicy { vault: "kv-k".into(), name: "old".into(), policy: policy.into() });
    let old = |s: &Session| s.world().azure.vault("kv-k").unwrap().key("old").unwrap().versions.len();
    let before = (versions(&session), old(&session));
    let announced = session.keys_for_clock(&days(21));
    assert_eq!(
        announced.iter().filter(|b| **b == 3072).count(),
        4,
        "at once, then after 7, 14 and 21 days: {announced:?}"
    );
    run(&mut session, days(21));
    assert_eq!(old(&session) - before.1, 4);
    assert_eq!(versions(&session) - before.0 + old(&session) - before.1, announced.len());
}
