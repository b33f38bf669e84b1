//! The enterprise-policy ARM template: the seeds' template with its placeholders, and its
//! validation field by field before anything is deployed. SPEC EP-2, EP-3.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::location::POLICY_LOCATIONS;

use super::{POLICY_API_VERSION, POLICY_TYPE};

const SCHEMA_PREFIX: &str = "https://schema.management.azure.com/schemas/";
const SCHEMA_SUFFIX: &str = "/deploymentTemplate.json#";

/// The enterprise-policy template of the seeds ("Create enterprise policy"), placeholders and all:
/// what the portal's template editor starts with.
pub const SEED_TEMPLATE: &str = r#"{
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {},
    "resources": [
        {
            "type": "Microsoft.PowerPlatform/enterprisePolicies",
            "apiVersion": "2020-10-30",
            "name": {EnterprisePolicyName},
            "location": {location where EnterprisePolicy needs to be created},
            "kind": "Encryption",
            "identity": {
                "type": "SystemAssigned"
            },
            "properties": {
                "lockbox": null,
                "encryption": {
                    "state": "Enabled",
                    "keyVault": {
                        "id": {keyVaultId},
                        "key": {
                            "name": {keyName}
                        }
                    }
                },
                "networkInjection": null
            }
        }
    ]
   }"#;

/// What the template asks for, once validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyTemplate {
    pub name: String,
    pub location: String,
    pub key_vault_id: String,
    pub key_name: String,
    pub key_version: Option<String>,
}

fn invalid(message: String) -> Error {
    Error::new(ErrorCode::InvalidTemplate, message)
}

/// Finds `{Something}` placeholders left in the template (quoted or not), as the seeds' template
/// has them: `{EnterprisePolicyName}`, `{keyVaultId}`, `{keyName}`, `{location where …}`.
/// Each with the byte offset it starts at.
fn placeholders(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            if let Some(len) = text[i + 1..].find('}') {
                let inner = &text[i + 1..i + 1 + len];
                let looks_like_name = inner.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && !inner.contains(['"', ':', '{', '\n', ','])
                    && inner.len() <= 80;
                if looks_like_name {
                    found.push((i, format!("{{{inner}}}")));
                }
            }
        }
        i += 1;
    }
    found
}

fn hint(placeholder: &str) -> &'static str {
    let p = placeholder.to_ascii_lowercase();
    if p.contains("policyname") {
        "the policy's name, in quotes"
    } else if p.contains("location") {
        "one of the Power Platform regions in quotes, e.g. \"europe\""
    } else if p.contains("keyvaultid") {
        "the vault's resource ID in quotes (Key vault > Overview > JSON View)"
    } else if p.contains("keyname") {
        "the key's name in quotes"
    } else {
        "a real value in quotes"
    }
}

/// The first placeholder left in the template — the one `parse_template` refuses it for, with
/// `ErrorCode::InvalidTemplate` — and the line (from 1) it stands on, so the editor can point at
/// it without reading the error's words (SPEC EP-2).
pub fn first_placeholder(text: &str) -> Option<(usize, String)> {
    let (at, name) = placeholders(text).into_iter().next()?;
    let line = 1 + text.bytes().take(at).filter(|b| *b == b'\n').count();
    Some((line, name))
}

/// Validates the enterprise-policy ARM template field by field (SPEC EP-2, EP-3).
pub fn parse_template(text: &str) -> Result<PolicyTemplate, Error> {
    if let Some((_, p)) = placeholders(text).first() {
        return Err(invalid(format!("The template still contains the placeholder {p}: replace it with {}.", hint(p))));
    }
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        invalid(format!(
            "The template is not valid JSON: {e}. Check quotes and commas around the values you filled in."
        ))
    })?;
    let schema = doc.get("$schema").and_then(|s| s.as_str()).ok_or_else(|| {
        invalid("'$schema' is missing: it should be https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#".into())
    })?;
    if !(schema.starts_with(SCHEMA_PREFIX) && schema.ends_with(SCHEMA_SUFFIX)) {
        return Err(invalid(format!(
            "'$schema' is '{schema}', which is not a resource-group deployment template schema."
        )));
    }
    let resources = doc
        .get("resources")
        .and_then(|r| r.as_array())
        .ok_or_else(|| invalid("'resources' must be an array with the enterprise policy in it.".into()))?;
    let [resource] = resources.as_slice() else {
        return Err(invalid(format!(
            "'resources' has {} entries; this template deploys exactly one enterprise policy.",
            resources.len()
        )));
    };
    let field = |path: &str| resource.pointer(path);
    let string = |path: &str, what: &str| -> Result<String, Error> {
        match field(path) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().into()),
            Some(serde_json::Value::String(_)) => {
                Err(invalid(format!("resources[0]{} ({what}) is empty.", path.replace('/', "."))))
            }
            Some(other) => {
                Err(invalid(format!("resources[0]{} ({what}) must be a string, not {other}.", path.replace('/', "."))))
            }
            None => Err(invalid(format!("resources[0]{} ({what}) is missing.", path.replace('/', ".")))),
        }
    };
    let rtype = string("/type", "resource type")?;
    if !rtype.eq_ignore_ascii_case(POLICY_TYPE) {
        return Err(invalid(format!("resources[0].type is '{rtype}'; it must be {POLICY_TYPE}.")));
    }
    let api = string("/apiVersion", "API version")?;
    if api != POLICY_API_VERSION {
        return Err(invalid(format!(
            "resources[0].apiVersion is '{api}'; enterprise policies use {POLICY_API_VERSION}."
        )));
    }
    let name = string("/name", "policy name")?;
    if name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(invalid(format!(
            "resources[0].name '{name}' is not valid: up to 64 letters, digits, '-', '_' or '.'."
        )));
    }
    let location = string("/location", "location")?.to_ascii_lowercase();
    if !POLICY_LOCATIONS.contains(&location.as_str()) {
        return Err(invalid(format!(
            "resources[0].location '{location}' is not a Power Platform region. Use one of: {}.",
            POLICY_LOCATIONS.join(", ")
        )));
    }
    let kind = string("/kind", "kind")?;
    if kind != "Encryption" {
        return Err(invalid(format!(
            "resources[0].kind is '{kind}'; a customer-managed key policy is kind Encryption."
        )));
    }
    let identity = string("/identity/type", "identity type")?;
    if identity != "SystemAssigned" {
        return Err(invalid(format!("resources[0].identity.type is '{identity}'; it must be SystemAssigned.")));
    }
    let state = string("/properties/encryption/state", "encryption state")?;
    if state != "Enabled" {
        return Err(invalid(format!("resources[0].properties.encryption.state is '{state}'; it must be Enabled.")));
    }
    let key_vault_id = string("/properties/encryption/keyVault/id", "key vault resource ID")?;
    check_vault_id(&key_vault_id)?;
    let key_name = string("/properties/encryption/keyVault/key/name", "key name")?;
    crate::azure::vault::check_key_name(&key_name).map_err(|e| invalid(e.message().into()))?;
    let key_version = match field("/properties/encryption/keyVault/key/version") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(v)) if v.is_empty() => None,
        Some(serde_json::Value::String(v)) => {
            if v.len() != 32 || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(format!("resources[0].properties.encryption.keyVault.key.version '{v}' is not a key version (32 hex characters); leave it out to follow the current version.")));
            }
            Some(v.to_ascii_lowercase())
        }
        Some(other) => {
            return Err(invalid(format!(
                "resources[0].properties.encryption.keyVault.key.version must be a string, not {other}."
            )))
        }
    };
    Ok(PolicyTemplate { name, location, key_vault_id, key_name, key_version })
}

/// `/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.KeyVault/(vaults|managedHSMs)/{name}`.
fn check_vault_id(id: &str) -> Result<(), Error> {
    let parts: Vec<&str> = id.trim_end_matches('/').split('/').collect();
    let ok = matches!(
        parts.as_slice(),
        ["", s, sub, r, rg, p, ns, kind, name]
            if s.eq_ignore_ascii_case("subscriptions") && ids::is_guid(sub) && r.eq_ignore_ascii_case("resourceGroups")
                && !rg.is_empty() && p.eq_ignore_ascii_case("providers") && ns.eq_ignore_ascii_case("Microsoft.KeyVault")
                && (kind.eq_ignore_ascii_case("vaults") || kind.eq_ignore_ascii_case("managedHSMs"))
                && crate::azure::vault::check_vault_name(name).is_ok()
    );
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "keyVault.id '{id}' is not a Key Vault resource ID. It looks like /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>: copy it from the vault's JSON View."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azure::policy::tests::filled;

    const VAULT: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk/providers/Microsoft.KeyVault/vaults/kv-cmk";

    #[test]
    fn the_seed_template_with_values_filled_in_is_accepted() {
        // SPEC EP-2
        let t = parse_template(&filled("ep-cmk", "europe", VAULT, "cmk")).expect("valid");
        assert_eq!(
            (t.name.as_str(), t.location.as_str(), t.key_name.as_str(), t.key_version),
            ("ep-cmk", "europe", "cmk", None)
        );
    }

    #[test]
    fn placeholders_left_in_are_named() {
        // SPEC EP-2: placeholders left in are errors.
        let err = parse_template(SEED_TEMPLATE).expect_err("placeholders");
        assert_eq!(err.code(), ErrorCode::InvalidTemplate);
        assert!(err.message().contains("{EnterprisePolicyName}"), "{}", err.message());
        let half = filled("ep", "europe", VAULT, "cmk").replace("\"cmk\"", "\"{keyName}\"");
        let err = parse_template(&half).expect_err("quoted placeholder");
        assert!(err.message().contains("{keyName}") && err.message().contains("key's name"), "{}", err.message());
    }

    #[test]
    fn each_field_has_its_own_error() {
        // SPEC EP-2 (field by field) and EP-3 (location).
        let good = filled("ep-cmk", "europe", VAULT, "cmk");
        let cases: [(String, &str); 13] = [
            (
                good.replace("2019-04-01/deploymentTemplate.json#", "2019-04-01/subscriptionDeploymentTemplate.jsonx"),
                "$schema",
            ),
            (good.replace("\"$schema\"", "\"$schemaX\""), "$schema' is missing"),
            (
                good.replace("Microsoft.PowerPlatform/enterprisePolicies", "Microsoft.PowerPlatform/accounts"),
                "resources[0].type",
            ),
            (good.replace("2020-10-30", "2021-01-01"), "apiVersion"),
            (good.replace("\"europe\"", "\"westeurope\""), "not a Power Platform region"),
            (good.replace("\"Encryption\"", "\"Lockbox\""), "kind"),
            (good.replace("\"SystemAssigned\"", "\"UserAssigned\""), "identity.type"),
            (good.replace("\"Enabled\"", "\"Disabled\""), "encryption.state"),
            (good.replace(VAULT, "kv-cmk"), "not a Key Vault resource ID"),
            (good.replace("\"cmk\"", "\"\""), "key name) is empty"),
            (good.replace("\"name\": \"cmk\"", "\"name\": \"cmk\", \"version\": \"v1\""), "32 hex"),
            (good.replace("\"ep-cmk\"", "42"), "must be a string"),
            (good.replacen("\"lockbox\": null,", "\"lockbox\": null", 1), "not valid JSON"),
        ];
        for (text, needle) in cases {
            let err = parse_template(&text).expect_err(needle);
            assert_eq!(err.code(), ErrorCode::InvalidTemplate, "{needle}");
            assert!(err.message().contains(needle), "expected '{needle}' in: {}", err.message());
        }
        let two = good.replace("\"resources\": [", "\"resources\": [ {\"type\": \"x\"},");
        assert!(parse_template(&two).expect_err("two").message().contains("2 entries"));
    }

    #[test]
    fn ep_2_first_placeholder_is_the_one_refused_and_its_line() {
        // SPEC EP-2: the editor points at the placeholder by asking the core, not by reading the
        // error's words: the same placeholder `parse_template` names, on its own line.
        let (line, name) = first_placeholder(SEED_TEMPLATE).expect("the seeds' template has placeholders");
        assert_eq!((line, name.as_str()), (9, "{EnterprisePolicyName}"));
        assert_eq!(SEED_TEMPLATE.lines().nth(line - 1).map(|l| l.contains(&name)), Some(true));
        let err = parse_template(SEED_TEMPLATE).expect_err("placeholders");
        assert_eq!(err.code(), ErrorCode::InvalidTemplate);
        assert!(err.message().contains(&name), "{}", err.message());
        let half = filled("ep", "europe", VAULT, "cmk").replace("\"cmk\"", "\"{keyName}\"");
        let (line, name) = first_placeholder(&half).expect("one left");
        assert_eq!(name, "{keyName}");
        assert!(half.lines().nth(line - 1).is_some_and(|l| l.contains("{keyName}")));
        assert_eq!(first_placeholder(&filled("ep", "europe", VAULT, "cmk")), None);
        // Other template errors share the code but have no placeholder to point at.
        let broken = filled("ep", "europe", VAULT, "cmk").replacen("\"lockbox\": null,", "\"lockbox\": null", 1);
        assert_eq!(parse_template(&broken).map_err(|e| e.code()), Err(ErrorCode::InvalidTemplate));
        assert_eq!(first_placeholder(&broken), None);
    }
}
