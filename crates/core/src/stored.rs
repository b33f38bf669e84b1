//! The world as the browser's store keeps it: in parts, so that a command writes only what it
//! changed (SPEC PG-3). A world of 50 environments × 10,000 rows is ~90 MB as one envelope; a
//! click changes a few kilobytes of it.
//!
//! - **meta**: a version-2 envelope of the world without its environments, plus the ids of the
//!   environments it has (so a load knows what to read, and notices what is missing);
//! - per environment, **text**: the environment as JSON with its tables' records left out (only
//!   counted, so a world read without its records still shows every row count);
//! - per environment, **records**: its tables' records in a small binary format (below), read
//!   back without base64 or JSON.
//!
//! A host can load in two steps: [`decode_without_records`] (small: meta and texts) to show the
//! world at once, then [`attach_records`] when the bytes are read; it runs no command between.
//!
//! [`Stored`] remembers what the store holds (the environments as last written, which share
//! their records with the world's: see [`Records`]) and works out what a save must write.
//!
//! Records format, little-endian: `CMKR` `1`, then a u32 count of tables, then per table its
//! service and name (each a u32 length and UTF-8), a u32 count of records, and per record a u32
//! length and the bytes.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::envelope::{self, FORMAT, VERSION};
use crate::error::{Error, ErrorCode};
use crate::powerplatform::environment::{Environment, Records, Service};
use crate::world::World;

const MAGIC: &[u8; 5] = b"CMKR1";

/// What a save writes: the meta text, the environments whose text or records changed, and the
/// environments that are gone.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub meta: String,
    /// Environment id → its text.
    pub texts: Vec<(String, String)>,
    /// Environment id → its records; only for environments whose records changed.
    pub records: Vec<(String, Vec<u8>)>,
    /// Environments the store holds and the world no longer has.
    pub removed: Vec<String>,
    /// Nothing is known of the store's content: remove every environment part not written here.
    pub full: bool,
}

/// What the store holds, as far as this host knows: the environments as last written.
#[derive(Clone, Debug, Default)]
pub struct Stored {
    environments: Option<BTreeMap<String, Environment>>,
}

impl Stored {
    /// Nothing known: the next save writes everything and clears old parts.
    pub fn unknown() -> Self {
        Self { environments: None }
    }

    /// The store holds exactly this world (it was just loaded from it or written).
    pub fn holding(world: &World) -> Self {
        Self { environments: Some(world.pp.environments.clone()) }
    }

    /// What to write so the store holds `world`, and what the store holds once that is written.
    pub fn changes(&self, world: &World) -> Result<(Changes, Stored), Error> {
        let mut changes =
            Changes { meta: encode_meta(world)?, full: self.environments.is_none(), ..Changes::default() };
        for (id, env) in &world.pp.environments {
            let before = self.environments.as_ref().and_then(|m| m.get(id));
            if before == Some(env) {
                continue;
            }
            changes.texts.push((id.clone(), encode_text(env)?));
            if before.is_none_or(|b| !same_records(b, env)) {
                changes.records.push((id.clone(), encode_records(env)));
            }
        }
        if let Some(before) = &self.environments {
            changes.removed = before.keys().filter(|id| !world.pp.environments.contains_key(*id)).cloned().collect();
        }
        Ok((changes, Self::holding(world)))
    }
}

/// Whether two versions of an environment hold the very same records (the same shared `Arc`s;
/// a table written since is a new one).
fn same_records(a: &Environment, b: &Environment) -> bool {
    fn tables(e: &Environment) -> impl Iterator<Item = (Service, &str, &Records)> {
        e.services.iter().flat_map(|(svc, s)| s.tables.iter().map(move |(name, t)| (*svc, name.as_str(), &t.records)))
    }
    tables(a).count() == tables(b).count()
        && tables(a).zip(tables(b)).all(|(x, y)| x.0 == y.0 && x.1 == y.1 && alloc::sync::Arc::ptr_eq(x.2, y.2))
}

#[derive(Serialize)]
struct MetaOut<'a> {
    format: &'static str,
    version: u32,
    state: &'a World,
    environments: Vec<&'a str>,
}

#[derive(Deserialize)]
struct MetaIds {
    environments: Option<Vec<String>>,
}

/// The world without its environments, and the environments' ids.
pub fn encode_meta(world: &World) -> Result<String, Error> {
    let meta = world.without_environments();
    serde_json::to_string(&MetaOut {
        format: FORMAT,
        version: VERSION,
        state: &meta,
        environments: world.pp.environments.keys().map(String::as_str).collect(),
    })
    .map_err(|e| Error::new(ErrorCode::InternalError, format!("the world could not be serialized: {e}")))
}

/// An environment as JSON, its tables' records left out and counted (they go in
/// [`encode_records`]).
pub fn encode_text(env: &Environment) -> Result<String, Error> {
    let mut bare = env.clone();
    for service in bare.services.values_mut() {
        for table in service.tables.values_mut() {
            table.unread = Some(table.rows());
            table.records = Records::default();
        }
    }
    serde_json::to_string(&bare)
        .map_err(|e| Error::new(ErrorCode::InternalError, format!("an environment could not be serialized: {e}")))
}

/// An environment's records in the binary format described above.
pub fn encode_records(env: &Environment) -> Vec<u8> {
    let size: usize = env
        .services
        .values()
        .flat_map(|s| s.tables.values())
        .map(|t| 64 + t.records.iter().map(|r| 4 + r.len()).sum::<usize>())
        .sum();
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + size);
    out.extend_from_slice(MAGIC);
    let count: usize = env.services.values().map(|s| s.tables.len()).sum();
    put_u32(&mut out, count);
    for (service, s) in &env.services {
        for (name, table) in &s.tables {
            put_bytes(&mut out, service.as_str().as_bytes());
            put_bytes(&mut out, name.as_bytes());
            put_u32(&mut out, table.records.len());
            for record in table.records.iter() {
                put_bytes(&mut out, record);
            }
        }
    }
    out
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u32(out, bytes.len());
    out.extend_from_slice(bytes);
}

fn damaged(what: impl core::fmt::Display) -> Error {
    Error::new(ErrorCode::CorruptState, format!("The saved state is damaged and cannot be loaded: {what}."))
}

struct Reader<'a> {
    bytes: &'a [u8],
    /// The environment's id, for messages.
    id: &'a str,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.bytes.len() {
            return Err(damaged(format!("environment {}'s records end too early", self.id)));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }
    fn u32(&mut self) -> Result<usize, Error> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
    fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let n = self.u32()?;
        self.take(n)
    }
    fn text(&mut self) -> Result<&'a str, Error> {
        core::str::from_utf8(self.bytes()?)
            .map_err(|_| damaged(format!("a table name of environment {} is not text", self.id)))
    }
}

/// Reads the meta part: the world without environments, and the ids it expects.
pub fn decode_meta(text: &str) -> Result<(World, Vec<String>), Error> {
    let world = envelope::decode(text)?;
    let ids: MetaIds = serde_json::from_str(text).map_err(damaged)?;
    let ids = ids.environments.ok_or_else(|| damaged("the list of environments is missing"))?;
    if !world.pp.environments.is_empty() {
        return Err(damaged("environments are kept in two places"));
    }
    Ok((world, ids))
}

/// Reads one environment's text: its tables counted, their records unread.
pub fn decode_text(id: &str, text: &str) -> Result<Environment, Error> {
    let env: Environment =
        serde_json::from_str(text).map_err(|e| damaged(format!("environment {id} cannot be read ({e})")))?;
    if env.id != id {
        return Err(damaged(format!("the part kept for environment {id} holds environment {}", env.id)));
    }
    Ok(env)
}

/// Gives an environment read from its text the records kept for it, checking they belong
/// together: the same tables, each with the count its text says.
pub fn attach_environment(env: &mut Environment, records: &[u8]) -> Result<(), Error> {
    let id = env.id.clone();
    let id = id.as_str();
    let mut reader = Reader { bytes: records, id };
    if reader.take(MAGIC.len())? != MAGIC {
        return Err(damaged(format!("environment {id}'s records are not in a format this build reads")));
    }
    let mut filled = BTreeSet::new();
    for _ in 0..reader.u32()? {
        let service = reader.text()?;
        let service = Service::parse(service).map_err(|_| damaged(format!("unknown service '{service}'")))?;
        let name = reader.text()?;
        let count = reader.u32()?;
        // Every record takes at least its 4-byte length: a count larger than that is damage.
        if count > reader.bytes.len() / 4 {
            return Err(damaged(format!("environment {id}'s table {name} claims more records than it holds")));
        }
        let mut list = Vec::with_capacity(count);
        for _ in 0..count {
            list.push(reader.bytes()?.to_vec());
        }
        let table = env
            .services
            .get_mut(&service)
            .and_then(|s| s.tables.get_mut(name))
            .ok_or_else(|| damaged(format!("records of environment {id} for a table it does not have ({name})")))?;
        if !filled.insert((service, String::from(name))) {
            return Err(damaged(format!("environment {id}'s table {name} is kept twice")));
        }
        if table.unread.is_some_and(|n| n != count) {
            return Err(damaged(format!(
                "environment {id}'s table {name} should have {} records, not {count}",
                table.rows()
            )));
        }
        table.records = Records::new(list);
        table.unread = None;
    }
    if !reader.bytes.is_empty() {
        return Err(damaged(format!("environment {id}'s records have bytes after the end")));
    }
    let tables: usize = env.services.values().map(|s| s.tables.len()).sum();
    if filled.len() != tables {
        return Err(damaged(format!("some of environment {id}'s tables have no records kept")));
    }
    Ok(())
}

/// Reads one environment from its text and records.
pub fn decode_environment(id: &str, text: &str, records: &[u8]) -> Result<Environment, Error> {
    let mut env = decode_text(id, text)?;
    attach_environment(&mut env, records)?;
    Ok(env)
}

/// Puts a world together from its meta and its environments' texts, records unread: enough to
/// show it (every count is right), not to run anything on it until [`attach_records`].
pub fn decode_without_records(meta: &str, mut text: impl FnMut(&str) -> Option<String>) -> Result<World, Error> {
    let (mut world, ids) = decode_meta(meta)?;
    for id in ids {
        let part = text(&id).ok_or_else(|| damaged(format!("environment {id} is missing")))?;
        let env = decode_text(&id, &part)?;
        world.pp.environments.insert(id, env);
    }
    Ok(world)
}

/// Whether some table of the world is still unread.
pub fn has_unread(world: &World) -> bool {
    world.pp.environments.values().any(unread)
}

/// Whether some table of the environment is still unread.
fn unread(env: &Environment) -> bool {
    env.services.values().flat_map(|s| s.tables.values()).any(|t| t.unread.is_some())
}

/// Gives every environment with unread tables its records (by environment id). On an error the
/// world is left as it was read.
pub fn attach_records(world: &mut World, records: &BTreeMap<String, Vec<u8>>) -> Result<(), Error> {
    let mut done = BTreeMap::new();
    for (id, env) in &world.pp.environments {
        if !unread(env) {
            continue;
        }
        let bytes = records.get(id).ok_or_else(|| damaged(format!("environment {id}'s records are missing")))?;
        let mut env = env.clone();
        attach_environment(&mut env, bytes)?;
        done.insert(id.clone(), env);
    }
    world.pp.environments.extend(done);
    Ok(())
}

/// Puts a world together from its meta and its environments' parts (`part(id)` gives an
/// environment's text and records, `None` when the store has none).
pub fn decode(meta: &str, mut part: impl FnMut(&str) -> Option<(String, Vec<u8>)>) -> Result<World, Error> {
    let (mut world, ids) = decode_meta(meta)?;
    for id in ids {
        let (text, records) = part(&id).ok_or_else(|| damaged(format!("environment {id} is missing")))?;
        let env = decode_environment(&id, &text, &records)?;
        world.pp.environments.insert(id, env);
    }
    Ok(world)
}
