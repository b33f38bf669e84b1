//! The Power Platform admin API (`pp rest`): the routes Microsoft's CMK scripts call through
//! the admin module's `InvokeApi` — an environment's GET, `enterprisePolicies/Encryption/link`,
//! `unlink` and `swap`, and the operation those start. Linking runs the admin center's own
//! Add environments path (and unlinking its Remove environment), so the same rules hold and a
//! rule broken changes nothing; the answer is the service's: 202 Accepted with
//! `operation-location` and `Retry-After`, then the operation's `state.id` Running →
//! Succeeded or Failed as the simulated clock runs the job.
//!
//! A failed request is an error whose message is written as `az rest` writes one,
//! `Status({"error":{"code","message"}})`, keeping the core's error code (so a refusal is still
//! an authorization error); the PowerShell module reads the status and body back from it.

use super::*;
use crate::powerplatform::environment::{EnvironmentType, HistoryEntry};
use serde_json::Value;

const HOST: &str = "https://api.bap.microsoft.com";
const BAP: &str = "/providers/Microsoft.BusinessAppPlatform";

/// A successful answer: status, headers, body.
fn response(status: u16, headers: Value, body: Value) -> Value {
    let mut r = serde_json::Map::new();
    r.insert("statusCode".into(), status.into());
    r.insert("statusDescription".into(), (if status == 202 { "Accepted" } else { "OK" }).into());
    r.insert("headers".into(), headers);
    r.insert("body".into(), body);
    Value::Object(r)
}

/// The core's error as the service answers it (see the module's note).
pub(super) fn http_error(e: Error) -> Error {
    let code = e.code();
    let status = match code {
        ErrorCode::NotSimulated => return e,
        ErrorCode::EnvironmentNotFound | ErrorCode::ResourceNotFound => "Not Found",
        ErrorCode::AuthorizationFailed
        | ErrorCode::ForbiddenByRbac
        | ErrorCode::ForbiddenByPolicy
        | ErrorCode::PowerPlatformAdminRequired => "Forbidden",
        ErrorCode::Conflict | ErrorCode::OperationInProgress | ErrorCode::PolicyInUse => "Conflict",
        _ => "Bad Request",
    };
    let body = format!(r#"{{"error":{{"code":"{}","message":{}}}}}"#, code.as_str(), quoted(e.message()));
    Error::new(code, format!("{status}({body})"))
}

/// `text` as a JSON string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn not_found(what: String) -> Error {
    Error::new(ErrorCode::ResourceNotFound, what)
}

/// The id of the operation that history entry `index` of an environment records.
fn operation_id(env: &str, index: usize) -> String {
    crate::ids::guid_from(&format!("operation:{env}:{index}"))
}

/// The route's segments after `/providers/Microsoft.BusinessAppPlatform` (and an optional
/// `/scopes/admin`), and its `api-version`.
fn route(uri: &str) -> Result<(Vec<&str>, &str), Error> {
    let rest = uri.split_once("://").map_or(uri, |(_, r)| r.split_once('/').map_or("", |(_, p)| p));
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let version = query.split('&').find_map(|kv| kv.strip_prefix("api-version=")).unwrap_or("2019-10-01");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let bap = ["providers", "microsoft.businessappplatform"];
    if segments.len() < 2 || !segments[..2].iter().zip(bap).all(|(s, b)| s.eq_ignore_ascii_case(b)) {
        return Err(not_found(format!("The admin API has no route '/{path}'.")));
    }
    let mut segments = segments[2..].to_vec();
    if segments.len() >= 2 && segments[0].eq_ignore_ascii_case("scopes") && segments[1].eq_ignore_ascii_case("admin") {
        segments.drain(..2);
    }
    Ok((segments, version))
}

impl World {
    /// The answer to a request, as the service gives it (a failure through `http_error`).
    pub(super) fn admin_api(
        &mut self,
        actor: &str,
        method: &str,
        uri: &str,
        body: Option<&str>,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Value, Error> {
        let (segments, version) = route(uri)?;
        let method = method.to_ascii_uppercase();
        let is = |i: usize, word: &str| segments.get(i).is_some_and(|s| s.eq_ignore_ascii_case(word));
        if is(0, "platformapps") {
            return Err(Error::new(ErrorCode::NotSimulated, "platformapps is not simulated."));
        }
        if !is(0, "environments") {
            return Err(not_found(format!("The admin API has no route '{uri}'.")));
        }
        self.require_pp_admin(actor)?;
        let wrong_method =
            || Error::new(ErrorCode::BadParameter, format!("The route '{uri}' does not accept the method {method}."));
        match segments.len() {
            1 if method == "GET" => {
                let list: Vec<Value> =
                    self.pp.environments.keys().filter_map(|id| self.environment_json(id).ok()).collect();
                {
                    let mut value = serde_json::Map::new();
                    value.insert("value".into(), Value::Array(list));
                    Ok(response(200, Value::Object(Default::default()), Value::Object(value)))
                }
            }
            2 if method == "GET" => {
                let id = self.pp.env_key(segments[1])?;
                Ok(response(200, Value::Object(Default::default()), self.environment_json(&id)?))
            }
            4 if is(2, "operations") && method == "GET" => {
                let id = self.pp.env_key(segments[1])?;
                self.operation_json(&id, segments[3]).map(|op| response(200, Value::Object(Default::default()), op))
            }
            5 if is(2, "enterprisePolicies") && method == "POST" => {
                if !is(3, "Encryption") {
                    return Err(Error::new(
                        ErrorCode::NotSimulated,
                        format!("Only the Encryption policy is simulated, not '{}'.", segments[3]),
                    ));
                }
                let id = self.pp.env_key(segments[1])?;
                let system_id = body
                    .and_then(|b| serde_json::from_str::<Value>(b).ok())
                    .and_then(|b| {
                        b.as_object()?
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case("systemId"))?
                            .1
                            .as_str()
                            .map(String::from)
                    })
                    .ok_or_else(|| Error::new(ErrorCode::BadParameter, "The body needs the policy's SystemId."))?;
                let policy = self
                    .azure
                    .policies
                    .values()
                    .find(|p| p.system_id().eq_ignore_ascii_case(&system_id))
                    .map(|p| p.id())
                    .ok_or_else(|| {
                        not_found(format!("There is no enterprise policy with the system id '{system_id}'."))
                    })?;
                let p = self.readable_policy(actor, &policy)?;
                let before = self.pp.environment(&id)?.history.len();
                if is(4, "link") || is(4, "swap") {
                    // SPEC ENC-4: a key changes in two steps; a swap onto another policy is refused
                    // by the admin center's own check, with its reason.
                    self.with_pp_by(actor, rng, |pp, cx| pp.add_environment(cx, &p, &id))?;
                } else if is(4, "unlink") {
                    self.with_pp_by(actor, rng, |pp, cx| pp.remove_environment(cx, &p, &id))?;
                } else {
                    return Err(not_found(format!("The admin API has no route '{uri}'.")));
                }
                let e = self.pp.environment(&id)?;
                let index = e
                    .history
                    .len()
                    .checked_sub(1)
                    .filter(|i| *i >= before)
                    .ok_or_else(|| crate::error::internal("the link started no operation"))?;
                let retry = e.job.as_ref().map_or(60, |j| j.next_step.since(self.now).as_seconds().max(60));
                let location = format!(
                    "{HOST}{BAP}/environments/{id}/operations/{}?api-version={version}",
                    operation_id(&id, index)
                );
                Ok(response(
                    202,
                    {
                        let mut h = serde_json::Map::new();
                        h.insert("operation-location".into(), location.into());
                        h.insert("Retry-After".into(), format!("{retry}").into());
                        Value::Object(h)
                    },
                    Value::Null,
                ))
            }
            1 | 2 | 4 | 5 => Err(wrong_method()),
            _ => Err(not_found(format!("The admin API has no route '{uri}'."))),
        }
    }

    /// An environment as the admin API describes it (api-version 2016-11-01). Written as JSON
    /// text and read back: the text is data, far lighter in the page's worker than the code a
    /// `json!` tree of this size compiles to.
    fn environment_json(&self, id: &str) -> Result<Value, Error> {
        let view = self.pp.env_view(&self.key_access(), id)?;
        let e = self.pp.environment(id)?;
        let policies = match e.policy.as_deref().and_then(|key| self.azure.policy_by_id(key)) {
            Some(p) => format!(
                r#"{{"CustomerManagedKeys":{{"id":{},"systemId":{},"location":{},"linkStatus":"Linked"}}}}"#,
                quoted(&p.id()),
                quoted(&p.system_id()),
                quoted(&p.location)
            ),
            None => "{}".into(),
        };
        let text = format!(
            r#"{{"id":"{BAP}/scopes/admin/environments/{id}","type":"Microsoft.BusinessAppPlatform/scopes/environments","location":{},"name":{},"properties":{{"displayName":{},"environmentSku":"{}","isDefault":{},"provisioningState":"Succeeded","states":{{"runtime":{{"id":{}}}}},"governanceConfiguration":{{"protectionLevel":"{}"}},"protectionStatus":{{"keyManagedBy":"{}"}},"encryptionStatus":{},"enterprisePolicies":{policies}}}}}"#,
            quoted(&e.region),
            quoted(&e.id),
            quoted(&e.name),
            e.env_type.as_str(),
            e.env_type == EnvironmentType::Default,
            quoted(&view.state),
            if e.managed { "Standard" } else { "Basic" },
            if e.policy.is_some() { "Customer" } else { "Microsoft" },
            quoted(&view.encryption_status),
        );
        serde_json::from_str(&text).map_err(|_| crate::error::internal("environment JSON"))
    }

    /// An operation an environment's history records, by its id.
    fn operation_json(&self, id: &str, operation: &str) -> Result<Value, Error> {
        let e = self.pp.environment(id)?;
        let (index, h): (usize, &HistoryEntry) = e
            .history
            .iter()
            .enumerate()
            .find(|(i, _)| operation_id(id, *i).eq_ignore_ascii_case(operation))
            .ok_or_else(|| not_found(format!("Environment '{}' has no operation '{operation}'.", e.name)))?;
        let op = operation_id(id, index);
        let text = format!(
            r#"{{"id":"{BAP}/environments/{id}/operations/{op}","name":"{op}","state":{{"id":"{}"}},"operation":{},"startTime":"{}","endTime":{},"initiatedBy":{}}}"#,
            h.status.as_str(),
            quoted(&h.operation),
            h.started.to_iso(),
            h.finished.map_or("null".into(), |t| quoted(&t.to_iso())),
            h.initiated_by.as_deref().map_or("null".into(), quoted),
        );
        serde_json::from_str(&text).map_err(|_| crate::error::internal("operation JSON"))
    }
}
