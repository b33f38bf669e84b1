//! The browser store's parts (SPEC PG-3): a save writes only what a command changed, and the
//! parts put back together are the world exactly; damaged parts are refused, never half-loaded.

use super::ppac::cmk_ready;
use super::*;
use crate::stored::{self, Changes, Stored};
use alloc::boxed::Box;
use alloc::collections::BTreeMap;

fn insert(f: &mut Fixture, env: &str, rows: u64) {
    f.ok(PRIYA, Command::InsertRows { environment: env.into(), table: "account".into(), rows });
}

/// Reads the world back from what a full save writes.
fn reload(changes: &Changes) -> Result<World, crate::Error> {
    stored::decode(&changes.meta, |id| {
        let text = changes.texts.iter().find(|(i, _)| i == id)?.1.clone();
        let records = changes.records.iter().find(|(i, _)| i == id)?.1.clone();
        Some((text, records))
    })
}

fn ids(list: &[(String, impl Sized)]) -> Vec<&str> {
    list.iter().map(|(id, _)| id.as_str()).collect()
}

/// Two environments with rows, `env` linked to the policy; `env-b` backed up and restored over
/// from that backup, so its backups hold copied records too.
fn two_environments() -> Fixture {
    let mut f = cmk_ready("Sandbox");
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "env-b".into(),
            region: "europe".into(),
            env_type: "Sandbox".into(),
            byok: false,
        },
    );
    f.ok(PRIYA, Command::EnableManaged { environment: "env-b".into() });
    insert(&mut f, "env", 50);
    insert(&mut f, "env-b", 20);
    f.ok(PRIYA, Command::AddEnvironmentToPolicy { policy: "ep-cmk".into(), environment: "env".into() });
    f.advance(SimDuration::days(1));
    f.ok(PRIYA, Command::BackupEnvironment { environment: "env-b".into(), label: Some("before".into()) });
    insert(&mut f, "env-b", 3);
    f.ok(PRIYA, Command::RestoreBackup { source: "env-b".into(), backup: "before".into(), target: "env-b".into() });
    f.advance(SimDuration::hours(2));
    f
}

#[test]
fn pg_3_the_parts_put_back_together_are_the_world_exactly() {
    let f = two_environments();
    let (changes, _) = Stored::unknown().changes(&f.world).expect("changes");
    assert!(changes.full);
    assert_eq!(changes.texts.len(), 2);
    assert_eq!(changes.records.len(), 2);
    let copied = f.world.pp.environment("env-b").expect("env-b").backups.iter().any(|b| {
        b.services.values().any(|(_, snap)| matches!(snap, crate::powerplatform::environment::Snapshot::Copied(_)))
    });
    assert!(copied, "the fixture has a backup with copied records");
    let back = reload(&changes).expect("reload");
    assert_eq!(back, f.world);
    // The copied backup's records and the live tables both came back.
    assert_eq!(crate::envelope::encode(&back).expect("encode"), crate::envelope::encode(&f.world).expect("encode"));
    // The meta part holds no records: it stays small however many rows there are.
    assert!(changes.meta.len() < 64_000, "meta is {} bytes", changes.meta.len());
    assert!(!changes.meta.contains("\"records\""));
}

#[test]
fn pg_3_a_save_writes_only_what_the_command_changed() {
    let mut f = two_environments();
    let (_, mut store) = Stored::unknown().changes(&f.world).expect("first save");
    let env_a = f.world.pp.environment("env").expect("env").id.clone();
    let env_b = f.world.pp.environment("env-b").expect("env-b").id.clone();
    let mut save = |f: &Fixture| {
        let (changes, next) = store.changes(&f.world).expect("changes");
        store = next;
        changes
    };
    // Nothing changed: only the (small) meta.
    let c = save(&f);
    assert!(!c.full && c.texts.is_empty() && c.records.is_empty() && c.removed.is_empty());
    // An Azure-only change writes no environment.
    f.ok(
        KAI,
        Command::CreateResourceGroup {
            name: "rg-other".into(),
            location: "westeurope".into(),
            tags: Default::default(),
        },
    );
    let c = save(&f);
    assert!(c.texts.is_empty() && c.records.is_empty());
    assert!(c.meta.contains("rg-other"));
    // Rows into env-b: env-b's text and records, nothing of env.
    insert(&mut f, "env-b", 5);
    let c = save(&f);
    assert_eq!(ids(&c.texts), [env_b.as_str()]);
    assert_eq!(ids(&c.records), [env_b.as_str()]);
    // A backup changes env's text (its list of backups), not its records.
    f.ok(PRIYA, Command::BackupEnvironment { environment: "env".into(), label: Some("manual".into()) });
    let c = save(&f);
    assert_eq!(ids(&c.texts), [env_a.as_str()]);
    assert!(c.records.is_empty(), "a backup of lengths copies no records");
    // A day of clock: daily system backups touch texts, never records.
    f.advance(SimDuration::days(1));
    let c = save(&f);
    assert!(!c.texts.is_empty());
    assert!(c.records.is_empty());
    // Reading a table changes nothing.
    f.ok(PRIYA, Command::ReadTable { environment: "env".into(), table: "account".into() });
    let c = save(&f);
    assert!(c.texts.is_empty() && c.records.is_empty());
    // A world replaced by another (import, reset) removes what the store held and is not there.
    let other = Fixture::new();
    let c = save(&other);
    let mut removed = c.removed.clone();
    removed.sort();
    let mut both = vec![env_a.clone(), env_b.clone()];
    both.sort();
    assert_eq!(removed, both);
}

#[test]
fn pg_3_incremental_saves_applied_in_turn_give_the_world() {
    // The store as a map, written save by save the way the worker writes IndexedDB.
    let mut f = two_environments();
    let mut texts = BTreeMap::new();
    let mut records = BTreeMap::new();
    let mut store = Stored::unknown();
    type Step = Box<dyn Fn(&mut Fixture)>;
    let steps: Vec<Step> = vec![
        Box::new(|f| insert(f, "env", 7)),
        Box::new(|f| f.advance(SimDuration::days(2))),
        Box::new(|f| {
            f.ok(PRIYA, Command::ResetEnvironment { environment: "env-b".into() });
        }),
        Box::new(|f| f.advance(SimDuration::hours(3))),
        Box::new(|f| {
            f.ok(PRIYA, Command::RemoveEnvironmentFromPolicy { policy: "ep-cmk".into(), environment: "env".into() });
        }),
    ];
    for step in steps {
        step(&mut f);
        let (c, next) = store.changes(&f.world).expect("changes");
        store = next;
        let meta = c.meta;
        texts.extend(c.texts);
        records.extend(c.records);
        for id in c.removed {
            texts.remove(&id);
            records.remove(&id);
        }
        let back =
            stored::decode(&meta, |id| Some((texts.get(id)?.clone(), records.get(id)?.clone()))).expect("decode");
        assert_eq!(back, f.world);
    }
}

#[test]
fn pg_3_damaged_parts_are_refused_with_a_reason() {
    let f = two_environments();
    let (changes, _) = Stored::unknown().changes(&f.world).expect("changes");
    let (id, text) = changes.texts[0].clone();
    let bytes = changes.records.iter().find(|(i, _)| *i == id).expect("records").1.clone();
    let decode = |t: &str, b: &[u8]| {
        stored::decode_environment(&id, t, b).map(|_| ()).map_err(|e| (e.code(), e.message().to_string()))
    };
    assert!(decode(&text, &bytes).is_ok());
    let corrupt = |r: Result<(), (ErrorCode, String)>, what: &str| {
        let (code, message) = r.expect_err(what);
        assert_eq!(code, ErrorCode::CorruptState, "{what}");
        assert!(message.contains("damaged"), "{what}: {message}");
    };
    corrupt(decode(&text, &bytes[..bytes.len() - 1]), "truncated records");
    corrupt(decode(&text, &[bytes.as_slice(), b"x"].concat()), "bytes after the end");
    corrupt(decode(&text, b"CMKR9"), "another format");
    corrupt(decode(&text, &bytes[..5]), "no table count");
    corrupt(decode(&text[..text.len() / 2], &bytes), "truncated text");
    let other = &changes.texts[1].1;
    corrupt(decode(other, &bytes), "another environment's text");
    // A count of records far beyond the bytes is refused before anything is allocated for it.
    let mut huge = bytes.clone();
    let first_count_at = 5 + 4 + 4 + "dataverse".len() + 4 + "account".len();
    assert_eq!(&bytes[first_count_at - 7..first_count_at], b"account");
    huge[first_count_at..first_count_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let (_, message) = decode(&text, &huge).expect_err("a huge count");
    assert!(message.contains("claims more records than it holds"), "{message}");
    // A missing environment part, or a meta that is not a save.
    let missing = stored::decode(&changes.meta, |_| None).map(|_| ()).map_err(|e| (e.code(), e.message().to_string()));
    corrupt(missing, "missing environment");
    assert_eq!(stored::decode("{}", |_| None).expect_err("not a save").code(), ErrorCode::CorruptState);
    let whole = crate::envelope::encode(&f.world).expect("encode");
    corrupt(
        stored::decode(&whole, |_| None).map(|_| ()).map_err(|e| (e.code(), e.message().to_string())),
        "a whole envelope is not a meta part",
    );
}

#[test]
fn pg_3_a_world_read_without_its_records_shows_every_count_then_takes_them() {
    let f = two_environments();
    let (changes, _) = Stored::unknown().changes(&f.world).expect("changes");
    let text = |id: &str| Some(changes.texts.iter().find(|(i, _)| i == id)?.1.clone());
    let records: BTreeMap<String, Vec<u8>> = changes.records.iter().cloned().collect();
    let mut early = stored::decode_without_records(&changes.meta, text).expect("meta and texts");
    assert!(stored::has_unread(&early));
    // The view is the same as the full world's: every row count is known before the records.
    assert_eq!(serde_json::to_value(early.view()).expect("json"), serde_json::to_value(f.world.view()).expect("json"));
    stored::attach_records(&mut early, &records).expect("records");
    assert!(!stored::has_unread(&early));
    assert_eq!(early, f.world);
    // A session resumed on the early world gets them in its undo checkpoint too.
    let mut session = crate::session::Session::resume_or_import(
        stored::decode_without_records(&changes.meta, text).expect("again"),
        None,
        [7; 32],
    );
    session.attach_records(&records).expect("records");
    assert_eq!(*session.world(), f.world);
    // Records that do not match the counts in the text are refused and change nothing.
    let mut other = stored::decode_without_records(&changes.meta, text).expect("again");
    let ids: Vec<&String> = records.keys().collect();
    let swapped: BTreeMap<String, Vec<u8>> =
        [(ids[0].clone(), records[ids[1]].clone()), (ids[1].clone(), records[ids[0]].clone())].into();
    let before = other.clone();
    let err = stored::attach_records(&mut other, &swapped).expect_err("another environment's records");
    assert_eq!(err.code(), ErrorCode::CorruptState);
    assert_eq!(other, before);
}
