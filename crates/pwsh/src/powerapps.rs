//! The Power Platform admin module (Microsoft.PowerApps.Administration.PowerShell), as far as
//! Microsoft's CMK scripts use it: `Add-PowerAppsAccount` (the session in
//! `$global:currentSession`), `InvokeApi` and `ReplaceMacro` (its REST helpers), and
//! `Get-AdminPowerAppEnvironment`. A request goes to the playground's admin API (`pp rest`),
//! which runs the admin center's own operations; InvokeApi answers as the module does: a 200's
//! body as objects, else the response (`StatusCode`, `Headers`, and for a failure `Error` and
//! `Message`).

use crate::cmdlets::bind;
use crate::eval::{ArgVal, Engine, Res};
use crate::format::{from_json, to_json};
use crate::ops::member;
use crate::value::{wildcard, Map, Value};

const BAP_ENDPOINT: &str = "api.bap.microsoft.com";
const ENDPOINTS: [&str; 7] = ["prod", "preview", "tip1", "tip2", "usgovhigh", "dod", "china"];

/// Runs the module's command `name` (lower case), if it is one.
pub(crate) fn call(e: &mut Engine<'_>, name: &str, args: &[ArgVal], input: &[Value]) -> Option<Res<Vec<Value>>> {
    Some(match name {
        "add-powerappsaccount" => add_account(e, args).map(|()| Vec::new()),
        "replacemacro" => replace_macro(e, args, input),
        "invokeapi" => invoke_api(e, args),
        "get-adminpowerappenvironment" => get_environment(e, args),
        _ => return None,
    })
}

/// A native command's output lines as one text (its JSON).
fn text(lines: &[Value]) -> String {
    lines.iter().map(Value::to_str).collect::<Vec<_>>().join("\n")
}

fn pairs(items: &[(&str, Value)]) -> Map {
    Map(items.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect())
}

/// Signs in to Power Platform as the current persona (or `-Username`): `$global:currentSession`.
fn add_account(e: &mut Engine<'_>, args: &[ArgVal]) -> Res<()> {
    let cmd = "Add-PowerAppsAccount";
    let b = bind(
        e,
        cmd,
        args,
        &[
            "Audience",
            "Endpoint",
            "Username",
            "Password",
            "TenantID",
            "CertificateThumbprint",
            "ClientSecret",
            "ApplicationId",
        ],
    )?;
    let endpoint = b.get("Endpoint").map_or("prod".into(), Value::to_str).to_ascii_lowercase();
    if !ENDPOINTS.contains(&endpoint.as_str()) {
        return Err(e.fail_as(
            cmd,
            format!("Cannot validate argument on parameter 'Endpoint'. The argument \"{endpoint}\" does not belong to the set \"{}\" specified by the ValidateSet attribute.", ENDPOINTS.join(",")),
        ));
    }
    if endpoint != "prod" {
        return Err(
            e.fail_as(cmd, format!("The playground simulates the public cloud (-Endpoint prod), not '{endpoint}'."))
        );
    }
    for unmodelled in ["Password", "CertificateThumbprint", "ClientSecret", "ApplicationId"] {
        if b.get(unmodelled).is_some() {
            return Err(
                e.fail_as(cmd, format!("{cmd} -{unmodelled}: the playground signs in its personas without secrets."))
            );
        }
    }
    let words: Vec<Value> = match b.get("Username") {
        Some(u) => vec![Value::str("login"), Value::str("--username"), u.clone()],
        None => vec![Value::str("account"), Value::str("show")],
    };
    let account = match e.host.invoke("az", &words) {
        Some(Ok(lines)) => from_json(&text(&lines)).unwrap_or(Value::Null),
        Some(Err(message)) => return Err(e.fail_as(cmd, message.trim_start_matches("ERROR: ").to_string())),
        None => Value::Null,
    };
    let user = member(&member(&account, "user"), "name");
    let tenant = member(&account, "tenantId");
    let expires = Value::Date(e.host.now_ms() + 3_600_000);
    let session = pairs(&[
        ("loggedIn", Value::Bool(true)),
        ("upn", user.clone()),
        ("userId", user),
        ("tenantId", tenant),
        ("expiresOn", expires),
        ("cloud", Value::str("Public")),
        ("bapEndpoint", Value::str(BAP_ENDPOINT)),
        ("powerAppsEndpoint", Value::str("api.powerapps.com")),
        ("flowEndpoint", Value::str("api.flow.microsoft.com")),
        ("graphEndpoint", Value::str("graph.windows.net")),
    ]);
    e.set_var("global:currentSession", Value::custom(session));
    Ok(())
}

/// `"…{macro}…" | ReplaceMacro -Macro "{macro}" -Value v`.
fn replace_macro(e: &mut Engine<'_>, args: &[ArgVal], input: &[Value]) -> Res<Vec<Value>> {
    let b = bind(e, "ReplaceMacro", args, &["Input", "Macro", "Value"])?;
    let text = b.get("Input").or_else(|| input.first()).map_or(String::new(), Value::to_str);
    let macro_ = b.arg("Macro", 0).map_or(String::new(), |v| v.to_str());
    let value = b.arg("Value", 1).map_or(String::new(), |v| v.to_str());
    Ok(vec![Value::str(text.replace(&macro_, &value))])
}

/// The status code of an `az rest`-style failure, `Status Words({json})`.
fn failure(message: &str) -> Option<(i64, String, Value)> {
    let text = message.trim().trim_start_matches("ERROR: ");
    let (status, rest) = text.split_once('(')?;
    let body = from_json(rest.strip_suffix(')')?).ok()?;
    let code = match status {
        "Bad Request" => 400,
        "Forbidden" => 403,
        "Not Found" => 404,
        "Conflict" => 409,
        _ => return None,
    };
    Some((code, status.to_string(), body))
}

/// `InvokeApi -Method -Route [-Body] [-ApiVersion] [-ThrowOnFailure]`.
fn invoke_api(e: &mut Engine<'_>, args: &[ArgVal]) -> Res<Vec<Value>> {
    let cmd = "InvokeApi";
    let b =
        bind(e, cmd, args, &["Method", "Route", "Body", "ApiVersion", "!ThrowOnFailure", "RequestTimeoutInMinutes"])?;
    if e.var("global:currentSession").is_null() {
        add_account(e, &[])?;
    }
    let session = e.var("global:currentSession");
    let method = b.arg("Method", 0).map_or("GET".into(), |v| v.to_str());
    let version = b.get("ApiVersion").map_or("2016-11-01".into(), Value::to_str);
    let mut uri = b.arg("Route", 1).map_or(String::new(), |v| v.to_str()).replace("{apiVersion}", &version);
    for (macro_, field) in [
        ("{bapEndpoint}", "bapEndpoint"),
        ("{powerAppsEndpoint}", "powerAppsEndpoint"),
        ("{flowEndpoint}", "flowEndpoint"),
    ] {
        uri = uri.replace(macro_, &member(&session, field).to_str());
    }
    let mut words =
        vec![Value::str("rest"), Value::str("--method"), Value::str(method), Value::str("--uri"), Value::str(uri)];
    match b.get("Body") {
        None | Some(Value::Null) => {}
        Some(Value::Str(s)) if s.is_empty() => {}
        Some(Value::Str(s)) => words.extend([Value::str("--body"), Value::str(s.clone())]),
        Some(v) => words.extend([Value::str("--body"), Value::str(to_json(v, 20, true).0)]),
    }
    match e.host.invoke("pp", &words) {
        Some(Ok(lines)) => {
            let text = text(&lines);
            if text.trim().is_empty() {
                return Ok(Vec::new());
            }
            let r = from_json(&text).map_err(|m| e.fail_as(cmd, m))?;
            let status = member(&r, "statusCode");
            let body = member(&r, "body");
            if matches!(status, Value::Int(200)) && !body.is_null() {
                return Ok(vec![body]);
            }
            let headers = member(&r, "headers");
            Ok(vec![Value::custom(pairs(&[
                ("StatusCode", status),
                ("StatusDescription", member(&r, "statusDescription")),
                ("Headers", headers),
                ("Content", Value::str(if body.is_null() { String::new() } else { to_json(&body, 20, true).0 })),
            ]))])
        }
        Some(Err(message)) => match failure(&message) {
            Some((code, description, body)) => {
                if b.has("ThrowOnFailure") {
                    return Err(e.fail_as(
                        cmd,
                        format!("Response status code does not indicate success: {code} ({description})."),
                    ));
                }
                let error = member(&body, "error");
                Ok(vec![Value::custom(pairs(&[
                    ("StatusCode", Value::Int(code)),
                    ("StatusDescription", Value::str(description)),
                    ("Headers", Value::custom(Map::default())),
                    ("Error", error.clone()),
                    ("Errors", Value::Null),
                    ("Message", member(&error, "message")),
                ]))])
            }
            None => {
                e.write_error(cmd, message.trim_start_matches("ERROR: ").to_string(), b.has("ThrowOnFailure"))?;
                Ok(Vec::new())
            }
        },
        None => Ok(Vec::new()),
    }
}

/// `Get-AdminPowerAppEnvironment [-EnvironmentName] [-Filter] [-Default]`: the module's
/// environment objects, from the admin API.
fn get_environment(e: &mut Engine<'_>, args: &[ArgVal]) -> Res<Vec<Value>> {
    let cmd = "Get-AdminPowerAppEnvironment";
    let b = bind(
        e,
        cmd,
        args,
        &["EnvironmentName", "Filter", "!Default", "CreatedBy", "ApiVersion", "!ReturnCdsDatabaseType"],
    )?;
    let route = "https://{bapEndpoint}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments";
    let route = match b.arg("EnvironmentName", 0) {
        Some(name) => format!("{route}/{}?api-version={{apiVersion}}", name.to_str()),
        None => format!("{route}?api-version={{apiVersion}}"),
    };
    let answer = invoke_api(
        e,
        &[
            ArgVal::Named("Method".into(), Some(Value::str("GET"))),
            ArgVal::Named("Route".into(), Some(Value::str(route))),
        ],
    )?;
    let mut out = Vec::new();
    for r in answer {
        if !member(&r, "StatusCode").is_null() {
            let message = member(&r, "Message").to_str();
            e.write_error(cmd, message, false)?;
            continue;
        }
        let list = match member(&r, "value") {
            Value::Null => vec![r.clone()],
            v => v.items(),
        };
        for env in list {
            let p = member(&env, "properties");
            let display = member(&p, "displayName");
            if let Some(filter) = b.get("Filter") {
                if !wildcard(&filter.to_str(), &display.to_str(), false) {
                    continue;
                }
            }
            let is_default = member(&p, "isDefault");
            if b.has("Default") && !is_default.truthy() {
                continue;
            }
            out.push(Value::object(
                "EnvironmentObject",
                pairs(&[
                    ("EnvironmentName", member(&env, "name")),
                    ("DisplayName", display),
                    ("IsDefault", is_default),
                    ("Location", member(&env, "location")),
                    ("EnvironmentType", member(&p, "environmentSku")),
                    ("Internal", env.clone()),
                ]),
            ));
        }
    }
    Ok(out)
}
