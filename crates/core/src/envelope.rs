//! Saved state: a versioned envelope `{"format","version","state"}` around the world. Used by the
//! browser's IndexedDB store, exports, and the CLI's state files alike. SPEC PG-3.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode};
use crate::world::World;

pub const FORMAT: &str = "cmk-playground";
/// The version this build writes. Bump it with a migration when the saved shape changes.
/// 1: one flat world. 2: the world split into `azure`, `powerPlatform` and the log.
pub const VERSION: u32 = 2;

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'static str,
    version: u32,
    state: &'a World,
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

#[derive(Deserialize)]
struct EnvelopeIn {
    state: serde_json::Value,
}

/// Serializes the world into an envelope (JSON text).
pub fn encode(world: &World) -> Result<String, Error> {
    serde_json::to_string(&EnvelopeOut { format: FORMAT, version: VERSION, state: world })
        .map_err(|e| Error::new(ErrorCode::InternalError, format!("the world could not be serialized: {e}")))
}

/// Reads an envelope back. Anything that is not exactly a world this build understands is an
/// error that says what is wrong; the caller keeps the text aside instead of overwriting it.
pub fn decode(text: &str) -> Result<World, Error> {
    let header: Header = serde_json::from_str(text).map_err(|e| {
        Error::new(
            ErrorCode::CorruptState,
            format!("The saved state cannot be read: it is not valid JSON. It may be truncated or damaged, or not a CMK Playground save at all; nothing was changed. (Details: {e}.)"),
        )
    })?;
    match header.format.as_deref() {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(Error::new(
                ErrorCode::CorruptState,
                format!("The saved state has format '{other}', not '{FORMAT}'."),
            ));
        }
        None => {
            return Err(Error::new(
                ErrorCode::CorruptState,
                "The saved state has no 'format' field: it is not a CMK Playground save.",
            ))
        }
    }
    let version = header.version;
    match version {
        Some(1) | Some(VERSION) => {}
        Some(v) if v > VERSION => {
            return Err(Error::new(
                ErrorCode::UnsupportedStateVersion,
                format!("The saved state is version {v}, written by a newer CMK Playground; this one reads up to version {VERSION}. Open it with the newer version, or export it and start fresh here."),
            ));
        }
        Some(v) => {
            return Err(Error::new(
                ErrorCode::UnsupportedStateVersion,
                format!("The saved state is version {v}, which this build cannot migrate."),
            ));
        }
        None => return Err(Error::new(ErrorCode::CorruptState, "The saved state has no 'version' field.")),
    }
    let damaged = |e: serde_json::Error| {
        Error::new(
            ErrorCode::CorruptState,
            format!("The saved state is damaged and cannot be loaded: a value in it is not what a CMK Playground save holds there, so it was edited by hand or written by something else. Nothing was changed. (Details: {e}.)"),
        )
    };
    if version == Some(VERSION) {
        #[derive(Deserialize)]
        struct Current {
            state: World,
        }
        let envelope: Current = serde_json::from_str(text).map_err(damaged)?;
        return Ok(envelope.state);
    }
    let envelope: EnvelopeIn = serde_json::from_str(text).map_err(damaged)?;
    let state = migrate_v1(envelope.state)?;
    // Through JSON text, not `from_value`: the world's types then have one deserializer (the
    // text one every save takes) instead of a second for `Value`, about 40 KB of the worker.
    let text = serde_json::to_string(&state).map_err(damaged)?;
    serde_json::from_str(&text).map_err(damaged)
}

/// Version 1 kept one flat world; version 2 keeps each side apart. Moves every field to the side
/// that owns it; the policies' links to environments move to the Power Platform side.
fn migrate_v1(state: serde_json::Value) -> Result<serde_json::Value, Error> {
    use serde_json::{Map, Value};
    let bad = |what: &str| {
        Error::new(
            ErrorCode::CorruptState,
            format!("The saved state (version 1) is damaged and cannot be loaded: {what}."),
        )
    };
    let Value::Object(mut flat) = state else { return Err(bad("'state' is not an object")) };
    // Environments made with the tenant key say so in their first history line; version 2
    // keeps it as a flag (SPEC ENC-5).
    if let Some(Value::Object(envs)) = flat.get_mut("environments") {
        for env in envs.values_mut() {
            let byok = env
                .pointer("/history/0/detail")
                .and_then(Value::as_str)
                .is_some_and(|d| d == "Encrypted with the tenant key (BYOK)");
            if let Value::Object(env) = env {
                env.insert("byok".into(), Value::Bool(byok));
            }
        }
    }
    let mut take = |name: &str| flat.remove(name).unwrap_or(Value::Null);
    let mut azure = Map::new();
    for name in [
        "tenant",
        "users",
        "identities",
        "signed_in",
        "subscription",
        "resource_groups",
        "role_assignments",
        "vaults",
        "deleted_vaults",
    ] {
        azure.insert(name.into(), take(name));
    }
    let mut links = Map::new();
    let mut policies = match take("policies") {
        Value::Object(p) => p,
        _ => return Err(bad("'policies' is not an object")),
    };
    for (key, policy) in policies.iter_mut() {
        let Value::Object(policy) = policy else { return Err(bad("a policy is not an object")) };
        let environments = policy.remove("linked_environments").unwrap_or(Value::Array(Vec::new()));
        let warnings = policy.remove("expiry_warnings").unwrap_or(Value::Array(Vec::new()));
        let in_use = environments.as_array().is_some_and(|a| !a.is_empty());
        let warned = warnings.as_array().is_some_and(|a| !a.is_empty());
        if in_use || warned {
            let mut link = Map::new();
            link.insert("environments".into(), environments);
            link.insert("expiry_warnings".into(), warnings);
            links.insert(key.clone(), Value::Object(link));
        }
    }
    azure.insert("policies".into(), Value::Object(policies));
    let (mut azure_queue, mut pp_queue) = (Vec::new(), Vec::new());
    let scheduled = match take("scheduled") {
        Value::Array(s) => s,
        _ => return Err(bad("'scheduled' is not a list")),
    };
    for item in scheduled {
        let is_azure = item
            .get("event")
            .and_then(Value::as_object)
            .is_some_and(|e| e.contains_key("PurgeVault") || e.contains_key("PurgeKey"));
        if is_azure {
            azure_queue.push(item);
        } else {
            pp_queue.push(item);
        }
    }
    azure.insert("queue".into(), Value::Array(azure_queue));
    let mut pp = Map::new();
    for name in ["environments", "microsoft_key", "tenant_byok_key", "last_health_check", "job_counter"] {
        pp.insert(name.into(), take(name));
    }
    pp.insert("links".into(), Value::Object(links));
    pp.insert("queue".into(), Value::Array(pp_queue));
    let mut world = Map::new();
    world.insert("now".into(), take("now"));
    world.insert("azure".into(), Value::Object(azure));
    world.insert("powerPlatform".into(), Value::Object(pp));
    world.insert("log".into(), take("activity"));
    Ok(Value::Object(world))
}
