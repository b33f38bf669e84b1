//! What the shell answers itself, without a command of the world: files kept for the session,
//! the seed, the clock's schedule, the personas and the everyday reads.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::Value;

use super::args::{bad_value, Args};
use super::spec::Own;
use super::{err, reads, Shell, MAX_WRITTEN_FILE};
use crate::error::{Error, ErrorCode};
use crate::world::World;

impl Shell {
    /// Runs one of the shell's own forms (`path` is the form's, for the reads).
    pub(super) fn own(&mut self, world: &mut World, own: Own, path: &str, a: &Args) -> Result<Value, Error> {
        match own {
            Own::FileShow => Err(err(ErrorCode::InternalError, "'cat' is run by the shell itself".into())),
            Own::WhatIf => Err(err(ErrorCode::InternalError, "'sim what-if' is run by the shell itself".into())),
            Own::FileWrite => {
                let (name, text) = (a.req("--name"), a.req("--value"));
                if name.is_empty() || name.contains('/') || text.len() > MAX_WRITTEN_FILE {
                    return Err(err(
                        ErrorCode::BadParameter,
                        format!("A file needs a plain name and at most {MAX_WRITTEN_FILE} bytes of text."),
                    ));
                }
                let bytes = text.len();
                self.state.written.insert(name.clone(), text);
                Ok(serde_json::json!({ "written": name, "bytes": bytes }))
            }
            Own::KeyDownload => {
                let file = a.req("--file");
                if a.flag("--encoding").is_some_and(|e| !e.eq_ignore_ascii_case("PEM")) {
                    return Err(err(
                        ErrorCode::NotSimulated,
                        "--encoding DER writes the key as binary; the Cloud Shell's files here hold text, so the line was not run. Leave it out (PEM) to rehearse the rest.".into(),
                    ));
                }
                self.check_new_file(&file)?;
                let (vault, name, version) = a.key_target()?;
                let actor = world.signed_in().to_string();
                let now = world.now();
                let shown = world.execute(
                    &actor,
                    crate::command::Command::ShowKey { vault, name, version },
                    now,
                    &mut self.state.rng,
                )?;
                let crate::view::Outcome::Key(bundle) = shown else {
                    return Err(err(ErrorCode::InternalError, "key show answered something else".into()));
                };
                let pem = crate::key_material::public_pem(&bundle.key.n, &bundle.key.e)?;
                self.state.written.insert(file, pem);
                Ok(Value::Null)
            }
            Own::Seed => {
                let n: u64 = a.positional(0).parse().map_err(|_| bad_value("N", a.positional(0), "a whole number"))?;
                self.state.rng = ChaCha20Rng::seed_from_u64(n);
                Ok(serde_json::json!({ "seed": n }))
            }
            Own::ClockShow => Ok(serde_json::json!({ "now": world.now().to_iso(), "pending": world.pending_view() })),
            Own::PersonaList => {
                let v = world.view();
                let list: Vec<Value> = v
                    .personas
                    .iter()
                    .map(|p| {
                        let mut roles: Vec<String> = p.entra_roles.clone();
                        roles.extend(p.azure_roles.iter().cloned());
                        serde_json::json!({ "upn": p.user_principal_name, "objectId": p.id, "displayName": p.display_name, "description": p.description, "roles": roles, "signedIn": p.id == v.signed_in.id })
                    })
                    .collect();
                Ok(Value::Array(list))
            }
            Own::ShellRestart => {
                let cleared = self.state.vars.len();
                self.state.vars.clear();
                Ok(serde_json::json!({ "restarted": true, "variablesCleared": cleared }))
            }
            Own::Read => reads::list(world, path, a),
        }
    }
}
