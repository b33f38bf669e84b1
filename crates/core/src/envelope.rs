//! Saved state: a versioned envelope `{"format","version","state"}` around the world. Used by the
//! browser's IndexedDB store, exports, and the CLI's state files alike. SPEC PG-3.

use alloc::format;
use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode};
use crate::world::World;

pub const FORMAT: &str = "cmk-playground";
/// The version this build writes. Bump it with a migration when the saved shape changes.
pub const VERSION: u32 = 1;

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
    state: World,
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
            format!("The saved state cannot be read: it is not valid JSON ({e}). It may be truncated or damaged, or not a CMK Playground save at all."),
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
    match header.version {
        Some(VERSION) => {}
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
    let envelope: EnvelopeIn = serde_json::from_str(text).map_err(|e| {
        Error::new(ErrorCode::CorruptState, format!("The saved state is damaged and cannot be loaded ({e})."))
    })?;
    Ok(envelope.state)
}
