//! The worker's logic, natively, through the faults the journeys meet in a browser: a save
//! refused and retried, keys batched for a clock move, requests queued behind a load or a key.

use std::cell::Cell;

use base64::Engine as _;
use cmk_core::stored::Stored;
use cmk_core::ErrorCode;

use super::*;

thread_local! {
    static NOW: Cell<f64> = const { Cell::new(1_000.0) };
}

fn now() -> f64 {
    NOW.with(Cell::get)
}

fn wait(ms: f64) {
    NOW.with(|n| n.set(n.get() + ms));
}

const ENV: Env = Env { now, entropy: || [7; 32] };
const PAGE: u32 = 1;

/// A vault with a 2048-bit key `cmk` that Kai may manage, signed in as Kai.
const VAULT: &str = "sim seed 1
az login --username kai@contoso.onmicrosoft.com
az group create --name rg-t --location westeurope
az keyvault create --name kv-t --resource-group rg-t --location westeurope
KAI=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)
KV=$(az keyvault show --name kv-t --query id -o tsv)
az role assignment create --assignee $KAI --role 'Key Vault Crypto Officer' --scope $KV
az keyvault key create --vault-name kv-t --name cmk --kty RSA --size 2048
";

/// A 2048-bit key as WebCrypto hands it over (PKCS#8 DER).
fn webcrypto_key() -> Vec<u8> {
    let pem = include_str!("../../../core/tests/fixtures/rsa2048-1.pem");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(body).unwrap_or_default()
}

/// A host whose store opened empty, with one page connected.
fn host() -> HostCore<u32> {
    let mut host = HostCore::new(ENV);
    host.handle(Input::Connected(PAGE));
    host.handle(Input::Opened(Ok(Saved::default())));
    host
}

/// A host with [`VAULT`] run, its save landed.
fn host_with_vault() -> HostCore<u32> {
    let mut host = host();
    let effects = host.handle(Input::Request(PAGE, Request::RunScript { id: 1, script: VAULT.into() }));
    assert!(matches!(done(&effects)[..], [(1, Ok(Answer::ScriptRan { failed: 0, .. }), _)]), "{effects:?}");
    land(&mut host, &effects);
    host
}

/// Lands the save among `effects`, if any.
fn land(host: &mut HostCore<u32>, effects: &[Effect<u32>]) {
    if effects.iter().any(|e| matches!(e, Effect::Save(_))) {
        host.handle(Input::Saved(Ok(())));
    }
}

fn shell(id: u64, line: &str) -> Input<u32> {
    Input::Request(PAGE, Request::Shell { id, line: line.into() })
}

/// The `Done` answers among `effects`: id, result, note.
fn done(effects: &[Effect<u32>]) -> Vec<(u64, Result<Answer, cmk_core::Error>, Option<String>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Respond(_, r) => match r.as_ref() {
                Response::Done { id, result, note, .. } => Some((*id, result.clone(), note.clone())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// What the page was told, in order.
fn told(effects: &[Effect<u32>]) -> Vec<&Response> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Respond(PAGE, r) => Some(r.as_ref()),
            _ => None,
        })
        .collect()
}

fn text(result: &Result<Answer, cmk_core::Error>) -> String {
    match result {
        Ok(Answer::Text(t)) => t.clone(),
        other => format!("{other:?}"),
    }
}

fn saves(effects: &[Effect<u32>]) -> usize {
    effects.iter().filter(|e| matches!(e, Effect::Save(_))).count()
}

fn held_keys(effects: &[Effect<u32>]) -> Vec<u32> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::MakeKey { bits, purpose: KeyFor::Held } => Some(*bits),
            _ => None,
        })
        .collect()
}

#[test]
fn requests_sent_before_the_store_opens_wait_and_then_run_in_order() {
    let mut host = HostCore::new(ENV);
    assert!(host.handle(Input::Connected(PAGE)).is_empty());
    assert!(host.handle(Input::Request(PAGE, Request::Hello)).is_empty());
    assert!(host.handle(shell(1, "sim clock advance 1h")).is_empty());
    assert!(host.handle(shell(2, "sim clock show")).is_empty(), "nothing is answered before the store is read");
    let effects = host.handle(Input::Opened(Ok(Saved::default())));
    assert!(matches!(told(&effects)[0], Response::Ready { restored: false, .. }), "{effects:?}");
    let answers = done(&effects);
    assert_eq!(answers.iter().map(|a| a.0).collect::<Vec<_>>(), [1, 2], "in arrival order");
    assert!(text(&answers[1].1).contains("01:00:00"), "the second line sees the first: {:?}", answers[1].1);
    assert_eq!(saves(&effects), 1, "one save for the change");
}

#[test]
fn requests_wait_for_the_records_but_hello_is_answered_at_once() {
    let saved_host = host_with_vault();
    let world = saved_host.session().map(|s| s.world().clone()).unwrap_or_default();
    let Ok((changes, _)) = Stored::unknown().changes(&world) else { panic!("the world splits into parts") };
    let parts = SavedWorld::Parts { meta: changes.meta.clone(), texts: changes.texts.clone() };

    let mut host = HostCore::new(ENV);
    host.handle(Input::Connected(PAGE));
    host.handle(Input::Request(PAGE, Request::ExportScript { id: 5, powershell: false }));
    let effects = host.handle(Input::Opened(Ok(Saved { world: Some(parts), ..Saved::default() })));
    assert!(effects.iter().any(|e| matches!(e, Effect::ReadRecords)), "{effects:?}");
    assert!(done(&effects).is_empty(), "a request waits for the records");
    let effects = host.handle(Input::Request(PAGE, Request::Hello));
    assert!(matches!(told(&effects)[..], [Response::Ready { restored: true, .. }]), "{effects:?}");
    let effects = host.handle(Input::Records(Ok(changes.records.clone())));
    assert!(matches!(done(&effects)[..], [(5, Ok(Answer::Text(_)), _)]), "then it runs: {effects:?}");
}

#[test]
fn damaged_records_set_the_save_aside_and_a_fresh_start_keeps_it() {
    let mut host = HostCore::new(ENV);
    host.handle(Input::Connected(PAGE));
    let world = host_with_vault().session().map(|s| s.world().clone()).unwrap_or_default();
    let Ok((changes, _)) = Stored::unknown().changes(&world) else { panic!("the world splits into parts") };
    let parts = SavedWorld::Parts { meta: changes.meta.clone(), texts: changes.texts.clone() };
    host.handle(Input::Opened(Ok(Saved { world: Some(parts), ..Saved::default() })));
    let effects = host.handle(Input::Records(Err("the disk said no".into())));
    assert!(matches!(told(&effects)[..], [Response::LoadProblem { message }] if message.contains("disk")));
    let effects = host.handle(Input::Request(PAGE, Request::StartFresh));
    let aside = effects.iter().find_map(|e| match e {
        Effect::SetAside(Aside::Parts { meta, .. }) => Some(meta.clone()),
        _ => None,
    });
    assert_eq!(aside.as_deref(), Some(changes.meta.as_str()), "the damaged save is kept aside whole");
    assert!(matches!(told(&effects)[..], [Response::Ready { restored: false, .. }]));
    let effects = host.handle(Input::Wrote(Part::Aside, Ok(())));
    assert_eq!(saves(&effects), 1, "once kept aside, the new world is saved over every old part");
}

#[test]
fn a_refused_save_is_told_retried_with_growing_waits_and_its_recovery_told() {
    let mut host = host();
    let effects = host.handle(shell(1, "sim clock advance 1h"));
    assert_eq!(saves(&effects), 1);
    let effects = host.handle(Input::Saved(Err("QuotaExceededError".into())));
    assert!(matches!(told(&effects)[..], [Response::SaveFailed { message, .. }] if message.contains("Quota")));
    let retry = |effects: &[Effect<u32>]| {
        effects.iter().find_map(|e| match e {
            Effect::RetryAt { at } => Some(*at - now()),
            _ => None,
        })
    };
    assert_eq!(retry(&effects), Some(2_000.0), "tried again 2 s later");
    wait(2_000.0);
    let effects = host.handle(Input::RetryDue);
    assert_eq!(saves(&effects), 1, "the retry writes what did not land");
    let effects = host.handle(Input::Saved(Err("QuotaExceededError".into())));
    assert_eq!(retry(&effects), Some(4_000.0), "then 4 s later");
    let effects = host.handle(Input::RetryDue);
    let Some(Effect::Save(write)) = effects.iter().find(|e| matches!(e, Effect::Save(_))) else {
        panic!("a retry saves: {effects:?}")
    };
    assert!(write.world.is_some(), "the world's change is still in it");
    let effects = host.handle(Input::Saved(Ok(())));
    assert!(matches!(told(&effects)[..], [Response::SaveRecovered]));
    assert!(effects.iter().any(|e| matches!(e, Effect::Stat(Stat::Save { .. }))));
    // Recovered, the next failure waits 2 s again.
    host.handle(shell(2, "sim clock advance 1h"));
    let effects = host.handle(Input::Saved(Err("QuotaExceededError".into())));
    assert_eq!(retry(&effects), Some(2_000.0));
}

#[test]
fn a_change_while_a_save_is_written_is_saved_after_it_and_reads_write_nothing() {
    let mut host = host();
    assert_eq!(saves(&host.handle(shell(1, "sim clock advance 1h"))), 1);
    assert_eq!(saves(&host.handle(shell(2, "sim clock advance 1h"))), 0, "one save at a time");
    let effects = host.handle(Input::Saved(Ok(())));
    assert_eq!(saves(&effects), 1, "the change made meanwhile follows");
    host.handle(Input::Saved(Ok(())));
    // A read changes no world; the line joins the session's history, which is saved with it.
    let effects = host.handle(shell(3, "sim clock show"));
    let writes: Vec<&Write> =
        effects.iter().filter_map(|e| if let Effect::Save(w) = e { Some(w) } else { None }).collect();
    assert!(
        matches!(writes[..], [w] if w.world.is_none() && w.session.as_deref().is_some_and(|s| s.contains("sim clock show"))),
        "{writes:?}"
    );
    host.handle(Input::Saved(Ok(())));
    assert_eq!(saves(&host.handle(shell(4, "sim clock show"))), 0, "the same read again writes nothing");
}

#[test]
fn typed_lines_reach_the_page_with_every_answer_and_file_commands_too() {
    // Issue 31 item 4: ↑/↓ read the session's history from the view.
    let mut host = host();
    host.handle(shell(1, "az group list"));
    let effects = host.handle(shell(2, "ls"));
    let history = effects.iter().find_map(|e| match e {
        Effect::Respond(_, r) => match r.as_ref() {
            Response::Done { id: 2, view, .. } => view.session.as_ref().map(|s| s.history.clone()),
            _ => None,
        },
        _ => None,
    });
    assert_eq!(history.as_deref(), Some(&["az group list".to_string(), "ls".to_string()][..]));
}

#[test]
fn a_clock_move_waits_for_all_its_rotations_keys_and_holds_the_queue() {
    let mut host = host_with_vault();
    let policy = r#"az keyvault key rotation-policy update --vault-name kv-t --name cmk --value '{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P7D"},"action":{"type":"Rotate"}}]}'"#;
    let effects = host.handle(shell(2, policy));
    assert!(done(&effects)[0].1.is_ok(), "{effects:?}");
    land(&mut host, &effects);
    let effects = host.handle(shell(3, "sim clock advance 16d"));
    assert_eq!(held_keys(&effects), [2048, 2048], "both rotations' keys asked at once: {effects:?}");
    assert!(done(&effects).is_empty());
    assert!(done(&host.handle(shell(4, "sim clock show"))).is_empty(), "queued behind the keys");
    let effects = host.handle(Input::KeyMade { bits: 2048, purpose: KeyFor::Held, material: Ok(webcrypto_key()) });
    assert!(done(&effects).is_empty(), "one key of two is not enough");
    let effects = host.handle(Input::KeyMade { bits: 2048, purpose: KeyFor::Held, material: Err("busy".into()) });
    let answers = done(&effects);
    assert_eq!(answers.iter().map(|a| a.0).collect::<Vec<_>>(), [3, 4]);
    let note = answers[0].2.clone().unwrap_or_default();
    assert!(note.contains("took 1 RSA key(s)") && note.contains("could not make every key (busy)"), "{note}");
    let versions =
        host.handle(shell(5, "az keyvault key list-versions --vault-name kv-t --name cmk --query length(@)"));
    assert_eq!(text(&done(&versions)[0].1).trim(), "3", "two rotations happened");
}

#[test]
fn a_new_key_waits_for_webcrypto_and_falls_back_to_the_core() {
    let mut host = host_with_vault();
    let effects = host.handle(shell(2, "az keyvault key create --vault-name kv-t --name k2 --kty RSA --size 2048"));
    assert_eq!(held_keys(&effects), [2048]);
    assert!(done(&host.handle(shell(3, "sim clock show"))).is_empty(), "queued behind the key");
    let effects = host.handle(Input::KeyMade { bits: 2048, purpose: KeyFor::Held, material: Ok(webcrypto_key()) });
    let answers = done(&effects);
    assert_eq!(answers.iter().map(|a| a.0).collect::<Vec<_>>(), [2, 3]);
    assert!(answers[0].2.as_deref().is_some_and(|n| n.contains("generated by the browser's WebCrypto")));
    let n = host.handle(shell(4, "az keyvault key show --vault-name kv-t --name k2 --query key.n -o tsv"));
    let fixture_n = host.handle(Input::Request(
        PAGE,
        Request::PutFile {
            id: 9,
            name: "k.pem".into(),
            text: include_str!("../../../core/tests/fixtures/rsa2048-1.pem").into(),
            archive: false,
        },
    ));
    assert!(done(&fixture_n)[0].1.is_ok());
    let imported = host.handle(shell(5, "az keyvault key import --vault-name kv-t --name k3 --pem-file k.pem"));
    assert!(done(&imported)[0].1.is_ok(), "{imported:?}");
    let m = host.handle(shell(6, "az keyvault key show --vault-name kv-t --name k3 --query key.n -o tsv"));
    assert_eq!(text(&done(&n)[0].1), text(&done(&m)[0].1), "the key made is WebCrypto's");

    // A click whose key WebCrypto could not make: the core makes it.
    let create = cmk_core::Command::CreateKey(cmk_core::CreateKey::rsa("kv-t", "k4", 2048));
    let effects = host.handle(Input::Request(PAGE, Request::Execute { id: 7, command: create }));
    assert_eq!(held_keys(&effects), [2048]);
    let effects =
        host.handle(Input::KeyMade { bits: 2048, purpose: KeyFor::Held, material: Err("no WebCrypto".into()) });
    let answers = done(&effects);
    assert!(matches!(answers[0].1, Ok(Answer::Outcome(_))), "{answers:?}");
    assert!(answers[0].2.as_deref().is_some_and(|n| n.contains("the simulator generated it itself")));
}

#[test]
fn uploads_are_bounded_kept_and_saved() {
    let mut host = host();
    let put = |name: &str, text: String| {
        Input::Request(PAGE, Request::PutFile { id: 1, name: name.into(), text, archive: false })
    };
    let effects = host.handle(put("../b.json", "{}".into()));
    assert!(matches!(&done(&effects)[0].1, Err(e) if e.code() == ErrorCode::BadParameter));
    assert!(!effects.iter().any(|e| matches!(e, Effect::WriteFiles(_))), "a refused upload writes nothing");
    let big = "x".repeat(cmk_core::shell::MAX_WRITTEN_FILE + 1);
    assert!(done(&host.handle(put("big.json", big)))[0].1.is_err());
    let effects = host.handle(put("t.json", "{}".into()));
    assert!(matches!(&done(&effects)[0].1, Ok(Answer::Uploaded { bytes: 2, .. })));
    assert!(effects.iter().any(|e| matches!(e, Effect::WriteFiles(t) if t.contains("t.json"))));
    assert_eq!(text(&done(&host.handle(shell(2, "ls")))[0].1), "t.json\t2 bytes");
    let effects = host.handle(shell(3, "rm t.json"));
    assert!(effects.iter().any(|e| matches!(e, Effect::WriteFiles(t) if !t.contains("t.json"))));
    assert!(matches!(&done(&host.handle(shell(4, "cat t.json")))[0].1, Err(e) if e.code() == ErrorCode::FileNotFound));
    // A file a command wrote this session is listed and read like an upload.
    host.handle(shell(5, "sim file write --name note.txt --value hello"));
    assert_eq!(text(&done(&host.handle(shell(6, "ls")))[0].1), "note.txt\t5 bytes\t(written this session)");
    assert_eq!(text(&done(&host.handle(shell(7, "cat note.txt")))[0].1), "hello");
    // rm says why it cannot remove it (the session's script writes it), and keeps it.
    let refused = &done(&host.handle(shell(8, "rm note.txt")))[0].1;
    assert!(
        matches!(refused, Err(e) if e.code() == ErrorCode::BadParameter && e.message().contains("Undo")),
        "{refused:?}"
    );
    assert_eq!(text(&done(&host.handle(shell(9, "cat note.txt")))[0].1), "hello");
}

#[test]
fn without_a_store_the_world_runs_in_memory_and_every_page_is_told() {
    let mut host = HostCore::new(ENV);
    host.handle(Input::Opened(Err("blocked".into())));
    let effects = host.handle(Input::Request(PAGE, Request::Hello));
    assert!(
        matches!(told(&effects)[..], [Response::Ready { .. }, Response::SaveFailed { message, .. }] if message.contains("blocked"))
    );
    let effects = host.handle(shell(1, "sim clock advance 1h"));
    assert!(done(&effects)[0].1.is_ok());
    assert_eq!(saves(&effects), 0, "nothing to save in");
}

/// The saved parts of [`VAULT`]'s world, as a start reads them, and its records.
fn vault_parts() -> (SavedWorld, Vec<(String, Vec<u8>)>) {
    let world = host_with_vault().session().map(|s| s.world().clone()).unwrap_or_default();
    let Ok((changes, _)) = Stored::unknown().changes(&world) else { panic!("the world splits into parts") };
    (SavedWorld::Parts { meta: changes.meta.clone(), texts: changes.texts.clone() }, changes.records)
}

fn asides(effects: &[Effect<u32>]) -> Vec<&Aside> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SetAside(a) => Some(a),
            _ => None,
        })
        .collect()
}

fn save_failed(effects: &[Effect<u32>]) -> Option<(String, bool)> {
    told(effects).into_iter().rev().find_map(|r| match r {
        Response::SaveFailed { message, aside } => Some((message.clone(), *aside)),
        _ => None,
    })
}

// SPEC PG-3, issue 29 item 1: the fresh world's save deletes every old part, so it must not go before the
// damaged save is safely kept aside; a refused keep-aside deletes nothing and says so.
#[test]
fn start_fresh_writes_nothing_until_the_damaged_save_is_kept_aside() {
    let mut host = HostCore::new(ENV);
    host.handle(Input::Connected(PAGE));
    let (parts, _) = vault_parts();
    host.handle(Input::Opened(Ok(Saved { world: Some(parts), ..Saved::default() })));
    host.handle(Input::Records(Err("the disk said no".into())));
    let effects = host.handle(Input::Request(PAGE, Request::StartFresh));
    assert_eq!(asides(&effects).len(), 1);
    assert_eq!(saves(&effects), 0, "the new world waits for the keep-aside: {effects:?}");
    assert!(matches!(told(&effects)[..], [Response::Ready { restored: false, .. }]));

    let effects = host.handle(Input::Wrote(Part::Aside, Err("QuotaExceededError".into())));
    let (message, aside) = save_failed(&effects).expect("the refusal is told");
    assert!(aside, "the page offers Export of the unreadable save");
    assert!(message.contains("unreadable save") && message.contains("Nothing has been deleted"), "{message}");
    assert_eq!(saves(&effects), 0);
    assert!(effects.iter().any(|e| matches!(e, Effect::RetryAt { .. })), "and it is tried again");

    // Changes meanwhile are not saved (the save would delete the old parts) — and not lost.
    assert_eq!(saves(&host.handle(shell(1, "sim clock advance 1h"))), 0);
    let exported = done(&host.handle(Input::Request(PAGE, Request::ExportAside { id: 2 })));
    let file: serde_json::Value = serde_json::from_str(&text(&exported[0].1)).expect("the export is JSON");
    assert!(file["meta"].is_string() && file["records"].is_object(), "the damaged save can be exported: {file}");
    let effects = host.handle(Input::Request(PAGE, Request::Hello));
    assert!(save_failed(&effects).is_some_and(|(_, aside)| aside), "a page that says Hello is told too");

    let effects = host.handle(Input::RetryDue);
    assert_eq!((asides(&effects).len(), saves(&effects)), (1, 0), "the retry keeps it aside first");
    let effects = host.handle(Input::Wrote(Part::Aside, Ok(())));
    assert_eq!(saves(&effects), 1, "then the new world is saved: {effects:?}");
    assert!(!told(&effects).iter().any(|r| matches!(r, Response::SaveRecovered)), "its own save has not landed");
    let effects = host.handle(Input::Saved(Ok(())));
    assert!(matches!(told(&effects)[..], [Response::SaveRecovered]), "{effects:?}");
}

// SPEC PG-3, issue 29 items 1 and 3: a failed file write is tried again like a save, the banner names what
// is not saved, and recovery is told only when every failed kind has landed again.
#[test]
fn recovery_is_told_only_when_every_failed_write_has_landed_and_files_are_retried() {
    let mut host = host();
    let put =
        Input::Request(PAGE, Request::PutFile { id: 1, name: "t.json".into(), text: "{}".into(), archive: false });
    assert!(host.handle(put).iter().any(|e| matches!(e, Effect::WriteFiles(_))));
    assert_eq!(saves(&host.handle(shell(2, "sim clock advance 1h"))), 1);
    let effects = host.handle(Input::Wrote(Part::Files, Err("QuotaExceededError".into())));
    let (message, _) = save_failed(&effects).expect("a refused file write is told");
    assert!(message.contains("Cloud Shell's uploaded files") && message.contains("Quota"), "{message}");
    let effects = host.handle(Input::Saved(Ok(())));
    assert!(
        !told(&effects).iter().any(|r| matches!(r, Response::SaveRecovered)),
        "the files are still not saved: {effects:?}"
    );

    let effects = host.handle(Input::RetryDue);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::WriteFiles(t) if t.contains("t.json"))),
        "the files are written again: {effects:?}"
    );
    let effects = host.handle(Input::Wrote(Part::Files, Ok(())));
    assert!(matches!(told(&effects)[..], [Response::SaveRecovered]), "{effects:?}");

    // Two kinds failing: the banner names both, and only the last to land clears it.
    host.handle(shell(3, "sim clock advance 1h"));
    let effects = host.handle(Input::Saved(Err("QuotaExceededError".into())));
    assert!(save_failed(&effects).is_some_and(|(m, _)| m.contains("playground's changes")));
    host.handle(Input::Request(
        PAGE,
        Request::PutFile { id: 4, name: "u.json".into(), text: "{}".into(), archive: false },
    ));
    let effects = host.handle(Input::Wrote(Part::Files, Err("QuotaExceededError".into())));
    let (message, _) = save_failed(&effects).expect("told");
    assert!(message.contains("playground's changes") && message.contains("uploaded files"), "{message}");
    let effects = host.handle(Input::RetryDue);
    assert_eq!(saves(&effects), 1);
    let effects = host.handle(Input::Wrote(Part::Files, Ok(())));
    let (message, _) = save_failed(&effects).expect("what is left is named");
    assert!(message.contains("playground's changes") && !message.contains("uploaded files"), "{message}");
    let effects = host.handle(Input::Saved(Ok(())));
    assert!(matches!(told(&effects)[..], [Response::SaveRecovered]), "{effects:?}");
}

// SPEC PG-3, issue 29 item 2: a session or file list that cannot be read is kept aside (before anything
// overwrites it) and told; the world loads.
#[test]
fn a_damaged_session_or_file_list_is_kept_aside_and_told_and_the_world_loads() {
    let mut host = HostCore::new(ENV);
    host.handle(Input::Connected(PAGE));
    let (parts, records) = vault_parts();
    let saved = Saved { world: Some(parts), session: Some("{\"generation\": yes".into()), files: Some("[1,".into()) };
    let effects = host.handle(Input::Opened(Ok(saved)));
    let kept: Vec<String> = asides(&effects)
        .iter()
        .map(|a| match a {
            Aside::Part { part, .. } => (*part).to_string(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(kept, ["files"], "one keep-aside write at a time: {effects:?}");
    host.handle(Input::Records(Ok(records)));
    let effects = host.handle(Input::Request(PAGE, Request::Hello));
    let told = told(&effects);
    assert!(matches!(told[0], Response::Ready { restored: true, .. }), "the world loads: {told:?}");
    let lost: Vec<&String> = told
        .iter()
        .filter_map(|r| match r {
            Response::PartKeptAside { message } => Some(message),
            _ => None,
        })
        .collect();
    assert_eq!(lost.len(), 2, "{told:?}");
    assert!(lost.iter().any(|m| m.contains("uploaded files")) && lost.iter().any(|m| m.contains("undo history")));
    // Nothing is written over them before they are kept aside.
    assert_eq!(saves(&host.handle(shell(1, "sim clock advance 1h"))), 0);
    let effects = host.handle(Input::Wrote(Part::Aside, Ok(())));
    assert!(matches!(asides(&effects)[..], [Aside::Part { part: "session", .. }]), "then the session: {effects:?}");
    assert_eq!(saves(&effects), 0);
    let effects = host.handle(Input::Wrote(Part::Aside, Ok(())));
    assert_eq!(saves(&effects), 1, "then the world: {effects:?}");
    let exported = done(&host.handle(Input::Request(PAGE, Request::ExportAside { id: 2 })));
    assert_eq!(text(&exported[0].1), "{\"generation\": yes", "the unreadable session, as it was stored");
}

#[test]
fn download_and_the_editor_read_uploads_and_written_files_and_change_nothing() {
    // Issue 32 item 6: Manage files › Download and the Editor read a file of the store.
    let mut host = host();
    let read = |id: u64, name: &str| Input::Request(PAGE, Request::ReadFile { id, name: name.into() });
    host.handle(Input::Request(
        PAGE,
        Request::PutFile { id: 1, name: "t.json".into(), text: "{\"a\":1}".into(), archive: false },
    ));
    host.handle(shell(2, "sim file write --name note.txt --value hello"));
    let effects = host.handle(read(3, "~/t.json"));
    assert_eq!(text(&done(&effects)[0].1), "{\"a\":1}");
    assert!(!effects.iter().any(|e| matches!(e, Effect::Save(_) | Effect::WriteFiles(_))), "a read writes nothing");
    assert_eq!(text(&done(&host.handle(read(4, "note.txt")))[0].1), "hello");
    let missing = &done(&host.handle(read(5, "nope.json")))[0].1;
    assert!(matches!(missing, Err(e) if e.code() == ErrorCode::FileNotFound), "{missing:?}");
    // The folder view's list: uploads and written files, as ls lists them.
    let listed = host.handle(Input::Request(PAGE, Request::ListFiles { id: 7 }));
    assert_eq!(text(&done(&listed)[0].1), "t.json\t7 bytes\nnote.txt\t5 bytes\t(written this session)");
    // Reading is not a typed line: the shell's history does not grow.
    let effects = host.handle(shell(6, "ls"));
    let history = effects.iter().find_map(|e| match e {
        Effect::Respond(_, r) => match r.as_ref() {
            Response::Done { view, .. } => view.session.as_ref().map(|s| s.history.clone()),
            _ => None,
        },
        _ => None,
    });
    assert_eq!(history.unwrap_or_default(), ["sim file write --name note.txt --value hello", "ls"]);
}

#[test]
fn a_zip_upload_unpacks_with_its_folders_or_not_at_all() {
    // Issue 32 item 6: Upload takes a .zip and keeps its folders (scripts that dot-source
    // ./Common/… need them); a bad archive adds nothing.
    use base64::Engine as _;
    let mut host = host();
    let zip = |entries: &[(&str, &[u8], bool)]| {
        base64::engine::general_purpose::STANDARD.encode(super::zip::tests::archive(entries))
    };
    let put = |id: u64, text: String| {
        Input::Request(PAGE, Request::PutFile { id, name: "cmk.zip".into(), text, archive: true })
    };
    let good = zip(&[("Cmk/", b"", false), ("Cmk/a.ps1", b"Write-Host a\n", true), ("Common/c.ps1", b"# c\n", false)]);
    let effects = host.handle(put(1, good));
    let answer = text(&done(&effects)[0].1);
    assert!(answer.contains("\"unzipped\": \"cmk.zip\"") && answer.contains("Cmk/a.ps1"), "{answer}");
    assert!(effects.iter().any(|e| matches!(e, Effect::WriteFiles(t) if t.contains("Common/c.ps1"))));
    assert_eq!(text(&done(&host.handle(shell(2, "ls")))[0].1), "Cmk/a.ps1\t13 bytes\nCommon/c.ps1\t4 bytes");
    assert_eq!(text(&done(&host.handle(shell(3, "ls Cmk")))[0].1), "Cmk/a.ps1\t13 bytes");
    assert_eq!(text(&done(&host.handle(shell(4, "cat ./Cmk/a.ps1")))[0].1), "Write-Host a\n");
    // A binary entry refuses the whole archive: nothing of it is added.
    let bad = zip(&[("Other/b.ps1", b"ok\n", true), ("Other/x.bin", &[0xff, 0x00], false)]);
    let effects = host.handle(put(5, bad));
    assert!(
        matches!(&done(&effects)[0].1, Err(e) if e.message().contains("is not text") && e.message().contains("Nothing was added"))
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::WriteFiles(_))));
    assert!(matches!(&done(&host.handle(shell(6, "ls Other")))[0].1, Err(e) if e.code() == ErrorCode::FileNotFound));
    let not_zip = host.handle(put(7, "bm90IGEgemlw".into()));
    assert!(matches!(&done(&not_zip)[0].1, Err(e) if e.message().contains("not a .zip archive")));
}

#[test]
fn export_script_offers_powershell_too() {
    // Issue 34 item 5: the same session, as a .ps1 that cmk-cli run replays.
    let mut host = host_with_vault();
    let effects = host.handle(Input::Request(PAGE, Request::ExportScript { id: 9, powershell: true }));
    let [(9, Ok(Answer::Text(ps)), _)] = &done(&effects)[..] else { panic!("{effects:?}") };
    assert!(ps.starts_with("# CMK Playground session as PowerShell"), "{ps}");
    let effects = host.handle(Input::Request(PAGE, Request::ExportScript { id: 10, powershell: false }));
    let [(10, Ok(Answer::Text(bash)), _)] = &done(&effects)[..] else { panic!("{effects:?}") };
    let body = bash.split_once('\n').map_or("", |(_, b)| b);
    assert_eq!(ps.split_once('\n').map(|(_, b)| b), Some(cmk_core::shell::to_powershell(body).as_str()));
}

/// What `page` was sent in `effects`, taken into the view it holds.
fn take_in(held: &mut cmk_core::View, page: u32, effects: &[Effect<u32>]) -> Vec<bool> {
    let mut empty = Vec::new();
    for e in effects {
        if let Effect::Respond(to, r) = e {
            if let (true, Response::Done { view, .. } | Response::Ready { view, .. }) = (*to == page, r.as_ref()) {
                empty.push(view.is_empty());
                held.apply(view.clone());
            }
        }
    }
    empty
}

#[test]
fn each_page_gets_what_changed_and_its_view_stays_the_worlds() {
    // Issue 33 item 5: an answer carries only the view's fields that changed since this page's
    // last one; applied in order they give the page the worker's view, for each page.
    const OTHER: u32 = 2;
    let mut host = host_with_vault();
    host.handle(Input::Connected(OTHER));
    let (mut first, mut other) = (cmk_core::View::default(), cmk_core::View::default());
    let effects = host.handle(Input::Request(PAGE, Request::Hello));
    assert_eq!(take_in(&mut first, PAGE, &effects), [false], "Hello gets the whole view");
    assert_eq!(first, host.view());
    let effects = host.handle(Input::Request(OTHER, Request::Hello));
    take_in(&mut other, OTHER, &effects);
    for (id, line) in [(10, "az group create --name rg-two --location westeurope"), (11, "sim clock advance 2h")] {
        let effects = host.handle(shell(id, line));
        land(&mut host, &effects);
        let patch = told(&effects).into_iter().find_map(|r| match r {
            Response::Done { view, .. } => Some(view.clone()),
            _ => None,
        });
        let patch = patch.expect("an answer");
        assert!(patch.environments.is_none() && patch.deleted_vaults.is_none(), "unchanged fields are left out");
        take_in(&mut first, PAGE, &effects);
        assert_eq!(first, host.view(), "after {line}");
    }
    assert_ne!(other, host.view(), "the other page was sent nothing yet");
    // A read changes nothing: its answer's view is empty.
    let effects = host.handle(Input::Request(PAGE, Request::ListFiles { id: 12 }));
    assert_eq!(take_in(&mut first, PAGE, &effects), [true]);
    // The other page's next answer brings it all it missed.
    let effects = host.handle(Input::Request(OTHER, Request::ListFiles { id: 13 }));
    assert_eq!(take_in(&mut other, OTHER, &effects), [false]);
    assert_eq!(other, host.view());
    // A page that goes and comes back starts from the whole view again.
    host.handle(Input::Disconnected(OTHER));
    host.handle(Input::Connected(OTHER));
    let mut fresh = cmk_core::View::default();
    let effects = host.handle(Input::Request(OTHER, Request::ListFiles { id: 14 }));
    take_in(&mut fresh, OTHER, &effects);
    assert_eq!(fresh, host.view());
}

#[test]
fn tab_reads_the_world_and_changes_nothing_and_a_scenario_answers_its_title() {
    // Tab (a Complete request) offers the world's names from the view it projects, and the same
    // view is what its answer is worked out from: the page is sent nothing new.
    let mut host = host_with_vault();
    let mut held = cmk_core::View::default();
    take_in(&mut held, PAGE, &host.handle(Input::Request(PAGE, Request::Hello)));
    let line = "az keyvault show --name kv";
    let effects = host.handle(Input::Request(PAGE, Request::Complete { id: 20, line: line.into() }));
    let [(20, Ok(Answer::Completion(c)), _)] = &done(&effects)[..] else { panic!("{effects:?}") };
    assert_eq!((c.start, c.candidates.as_slice()), (line.len() - 2, ["kv-t".to_string()].as_slice()));
    assert_eq!(take_in(&mut held, PAGE, &effects), [true], "a Tab changes nothing");
    assert_eq!(saves(&effects), 0);
    // A guided scenario answers its catalog title, and the page's view becomes its world's.
    let effects =
        host.handle(Input::Request(PAGE, Request::StartScenario { id: 21, scenario: "rotate-version".into() }));
    let [(21, Ok(Answer::Scenario { scenario, title }), _)] = &done(&effects)[..] else { panic!("{effects:?}") };
    let expected = cmk_core::scenarios::find("rotate-version").map(|s| s.title);
    assert_eq!((scenario.as_str(), Ok(title.as_str())), ("rotate-version", expected));
    assert_eq!(take_in(&mut held, PAGE, &effects), [false]);
    assert_eq!(held, host.view());
    assert_eq!(held.session.scenario.as_ref().map(|p| p.title.as_str()), Some(title.as_str()));
    // An unknown scenario is refused and changes nothing.
    let effects = host.handle(Input::Request(PAGE, Request::StartScenario { id: 22, scenario: "nope".into() }));
    assert!(matches!(&done(&effects)[..], [(22, Err(_), _)]), "{effects:?}");
    assert_eq!(take_in(&mut held, PAGE, &effects), [true]);
}

#[test]
fn a_share_link_replays_the_session_and_says_when_it_cannot() {
    // The link carries the session's script; read back it gives the same lines. An imported
    // world has no script that rebuilds it: the link says so (`replayable: false`).
    let mut host = host_with_vault();
    let mut held = cmk_core::View::default();
    take_in(&mut held, PAGE, &host.handle(Input::Request(PAGE, Request::Hello)));
    let effects = host.handle(Input::Request(PAGE, Request::ShareLink { id: 30 }));
    let [(30, Ok(Answer::ShareCode { code, replayable: true }), _)] = &done(&effects)[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(take_in(&mut held, PAGE, &effects), [true], "a share link changes nothing");
    assert_eq!(saves(&effects), 0);
    let effects = host.handle(Input::Request(PAGE, Request::ReadShare { id: 31, code: code.clone() }));
    let [(31, Ok(Answer::Shared { script, .. }), _)] = &done(&effects)[..] else { panic!("{effects:?}") };
    let ours = host.handle(Input::Request(PAGE, Request::ExportScript { id: 32, powershell: false }));
    let [(32, Ok(Answer::Text(exported)), _)] = &done(&ours)[..] else { panic!("{ours:?}") };
    assert_eq!(script, exported);
    let export = host.handle(Input::Request(PAGE, Request::Export { id: 33 }));
    let [(33, Ok(Answer::Text(world)), _)] = &done(&export)[..] else { panic!("{export:?}") };
    let imported = host.handle(Input::Request(PAGE, Request::Import { id: 34, text: world.clone() }));
    assert!(matches!(&done(&imported)[..], [(34, Ok(_), _)]), "{imported:?}");
    let effects = host.handle(Input::Request(PAGE, Request::ShareLink { id: 35 }));
    assert!(matches!(&done(&effects)[..], [(35, Ok(Answer::ShareCode { replayable: false, .. }), _)]), "{effects:?}");
}
