//! The shell language itself: parsing, variables, help, errors, output shaping.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::*;

fn shell() -> (Shell, World) {
    (Shell::new([7; 32]), World::new())
}

fn run(sh: &mut Shell, w: &mut World, line: &str) -> Result<Output, Error> {
    sh.run_line(w, line, &NoFiles)
}

fn code(r: Result<Output, Error>) -> ErrorCode {
    r.expect_err("should fail").code()
}

/// A shell and world after `lines`, each of which must run.
fn after(lines: &[&str]) -> (Shell, World) {
    let (mut sh, mut w) = shell();
    for line in lines {
        run(&mut sh, &mut w, line).unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    (sh, w)
}

#[test]
fn unknown_commands_and_flags_suggest_the_closest() {
    let (mut sh, mut w) = shell();
    let e = run(&mut sh, &mut w, "az keyvalt create --name kv").expect_err("typo");
    assert_eq!(e.code(), ErrorCode::UnknownCommand);
    assert!(e.message().contains("Did you mean 'az keyvault create'?"), "{}", e.message());
    let e = run(&mut sh, &mut w, "az keyvault key create --vault-nam kv --name k").expect_err("flag typo");
    assert_eq!(e.code(), ErrorCode::UnknownArgument);
    assert!(e.message().contains("Did you mean '--vault-name'?"), "{}", e.message());
    let e = run(&mut sh, &mut w, "az group create --name rg").expect_err("missing");
    assert_eq!(e.code(), ErrorCode::MissingArgument);
    assert!(e.message().contains("--location"), "names the missing flag: {}", e.message());
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault create --name kv1 -g rg -l westeurope --enable-purge-protection maybe")),
        ErrorCode::InvalidArgumentValue
    );
    assert_eq!(code(run(&mut sh, &mut w, "sim clock advance")), ErrorCode::MissingArgument);
    assert_eq!(code(run(&mut sh, &mut w, "sim clock advance 1d 2d")), ErrorCode::MissingArgument);
    assert_eq!(code(run(&mut sh, &mut w, "az group create --name")), ErrorCode::MissingArgument);
    assert_eq!(w, World::new(), "bad input changes nothing");
}

#[test]
fn help_for_commands_and_groups() {
    let (mut sh, mut w) = shell();
    let Output::Text(help) = run(&mut sh, &mut w, "az keyvault key create --help").expect("help") else {
        panic!("text")
    };
    assert!(
        help.contains("Usage: az keyvault key create --name VALUE")
            && help.contains("--vault-name")
            && help.contains("--query"),
        "{help}"
    );
    let Output::Text(group) = run(&mut sh, &mut w, "az keyvault --help").expect("group help") else { panic!("text") };
    assert!(group.contains("key create") && group.contains("set-policy"), "{group}");
    let Output::Text(top) = run(&mut sh, &mut w, "pp").expect("pp help") else { panic!("text") };
    assert!(top.contains("policy add-environment"), "{top}");
    for spec in super::registry::specs() {
        let Output::Text(h) = run(&mut sh, &mut w, &alloc::format!("{} --help", spec.path)).expect("help") else {
            panic!("text")
        };
        assert!(h.starts_with(spec.path), "{}", spec.path);
    }
}

#[test]
fn variables_substitution_query_and_tsv() {
    let (mut sh, mut w) = shell();
    let out = run(&mut sh, &mut w, "OID=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)")
        .expect("assign");
    assert_eq!(out, Output::Text("9e4d2a7b-1c3f-4b8a-a6e2-7f0c5d9b1e02".into()));
    assert_eq!(sh.var("OID"), Some("9e4d2a7b-1c3f-4b8a-a6e2-7f0c5d9b1e02"));
    let json = run(&mut sh, &mut w, "az ad user show --id $OID").expect("show");
    assert_eq!(json.to_json()["userPrincipalName"], "kai@contoso.onmicrosoft.com");
    let q = run(&mut sh, &mut w, "az ad user show --id \"${OID}\" --query entraRoles").expect("query");
    assert_eq!(q, Output::Json(serde_json::json!([])));
    let raw = run(&mut sh, &mut w, "J=$(az ad user show --id $OID --query userPrincipalName)").expect("json capture");
    assert_eq!(raw, Output::Text("\"kai@contoso.onmicrosoft.com\"".into()), "without -o tsv the capture is JSON");
    let list = run(&mut sh, &mut w, "sim persona list --query [1].upn -o tsv").expect("index");
    assert_eq!(list, Output::Text("kai@contoso.onmicrosoft.com".into()));
    let all = run(&mut sh, &mut w, "sim persona list --query [].upn -o tsv").expect("projection");
    assert_eq!(all, Output::Text("gus@contoso.onmicrosoft.com\nkai@contoso.onmicrosoft.com\npriya@contoso.onmicrosoft.com\nmallory@contoso.onmicrosoft.com".into()));
    assert_eq!(code(run(&mut sh, &mut w, "az ad user show --id $NOPE")), ErrorCode::UnsetVariable);
    assert_eq!(code(run(&mut sh, &mut w, "az ad user show --id 'unclosed")), ErrorCode::ParseError);
    assert_eq!(
        code(run(&mut sh, &mut w, "X=1 az login --username gus@contoso.onmicrosoft.com")),
        ErrorCode::ParseError
    );
    assert_eq!(code(run(&mut sh, &mut w, "sim persona list -o xml")), ErrorCode::InvalidArgumentValue);
}

#[test]
fn scripts_print_one_contract_line_per_command() {
    let (mut sh, mut w) = shell();
    let script = "# a comment\nsim clock show\n\naz group create \\\n  --name rg --location westeurope\naz nope\n";
    let lines = sh.run_script(&mut w, script, &NoFiles);
    assert_eq!(lines.len(), 3);
    let first: serde_json::Value = serde_json::from_str(&lines[0]).expect("json");
    assert_eq!(
        first,
        serde_json::json!({ "line": 2, "command": "sim clock show", "ok": true, "result": { "now": "2026-01-01T00:00:00Z", "pending": [] } })
    );
    let second: serde_json::Value = serde_json::from_str(&lines[1]).expect("json");
    assert_eq!((second["line"].as_u64(), second["ok"].as_bool()), (Some(4), Some(true)));
    assert_eq!(second["result"]["name"], "rg");
    let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&lines[2])
        .expect("obj")
        .keys()
        .map(ToString::to_string)
        .collect();
    assert_eq!(keys, ["command", "error", "line", "ok"]);
    assert!(lines[2].contains("\"code\":\"UnknownCommand\""), "{}", lines[2]);
}

#[test]
fn same_seed_same_bytes() {
    let script = "sim seed 42\naz group create --name rg --location westeurope\naz keyvault create --name kv-seed -g rg -l westeurope --enable-rbac-authorization false\naz keyvault key create --vault-name kv-seed --name k --kty RSA --size 2048\npp env create --name e --region europe --type Sandbox";
    let run_once = || {
        let (mut sh, mut w) = (Shell::new([1; 32]), World::new());
        let out = sh.run_script(&mut w, script, &NoFiles).join("\n");
        (out, crate::envelope::encode(&w).expect("encode"))
    };
    let (a, sa) = run_once();
    let (b, sb) = run_once();
    assert_eq!(a, b);
    assert_eq!(sa, sb);
    let other = {
        let (mut sh, mut w) = (Shell::new([2; 32]), World::new());
        sh.run_script(&mut w, &script.replace("sim seed 42", "sim seed 43"), &NoFiles).join("\n")
    };
    assert_ne!(a, other, "another seed, other keys");
}

#[test]
fn no_input_panics_the_shell() {
    // "No input may panic the page": arbitrary lines made of shell-ish pieces never panic.
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let pieces = prop::sample::select(alloc::vec![
        "az",
        "pp",
        "sim",
        "keyvault",
        "key",
        "create",
        "show",
        "--name",
        "-n",
        "--vault-name",
        "kv1",
        "'",
        "\"",
        "$(",
        ")",
        "$",
        "${",
        "}",
        "\\",
        "#",
        "=",
        "X=",
        "--query",
        "[0]",
        "[]",
        ".",
        "-o",
        "tsv",
        "--help",
        "clock",
        "advance",
        "P1D",
        "30m",
        "group",
        "--location",
        "westeurope",
        "env",
        "create",
        "--type",
        "Sandbox",
        "--rows",
        "99999999999999999999",
        "é",
        "\u{1F511}",
        " ",
        "-",
        "--expires",
        "2026-02-30",
        "seed",
        "18446744073709551616",
        "login",
        "--username",
        "gus@contoso.onmicrosoft.com",
    ]);
    let strategy = proptest::collection::vec(pieces, 0..14).prop_map(|v| v.join(" "));
    let mut runner = TestRunner::new_with_rng(
        Config { cases: 2000, failure_persistence: None, ..Config::default() },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    runner
        .run(&strategy, |line| {
            let (mut sh, mut w) = shell();
            let _ = sh.run_line(&mut w, &line, &NoFiles);
            let _ = sh.run_script(&mut w, &alloc::format!("{line}\n{line} \\\n{line}"), &NoFiles);
            Ok(())
        })
        .expect("no panics");
}

fn json(o: Result<Output, Error>) -> Value {
    o.expect("ok").to_json()
}

#[test]
fn everyday_reads_answer_with_the_cli_shapes_and_respect_the_persona() {
    let (mut sh, mut w) = after(&[
        "az login --username kai@contoso.onmicrosoft.com",
        "az group create --name rg-cmk --location westeurope",
        "az keyvault create --name kv-cmk --resource-group rg-cmk --location westeurope --enable-rbac-authorization false",
        "az keyvault key create --vault-name kv-cmk --name cmk --kty RSA --size 2048",
        "az keyvault key create --vault-name kv-cmk --name old --kty RSA --size 2048",
        "az keyvault key delete --vault-name kv-cmk --name old",
        "az keyvault create --name kv-gone --resource-group rg-cmk --location westeurope",
        "az keyvault delete --name kv-gone",
    ]);
    let account = json(run(&mut sh, &mut w, "az account show"));
    assert_eq!(account["name"], "Contoso Production");
    assert_eq!(account["user"]["name"], "kai@contoso.onmicrosoft.com");
    assert!(crate::ids::is_guid(account["tenantId"].as_str().expect("tenant")));
    assert_eq!(json(run(&mut sh, &mut w, "az group list --query [].name")), serde_json::json!(["rg-cmk"]));
    assert_eq!(json(run(&mut sh, &mut w, "az keyvault list --query [].name")), serde_json::json!(["kv-cmk"]));
    assert_eq!(json(run(&mut sh, &mut w, "az keyvault list-deleted --query [].name")), serde_json::json!(["kv-gone"]));
    let keys = json(run(&mut sh, &mut w, "az keyvault key list --vault-name kv-cmk"));
    assert_eq!(keys[0]["name"], "cmk");
    assert!(keys[0]["kid"].as_str().expect("kid").ends_with("/keys/cmk"), "{keys}");
    assert_eq!(
        json(run(&mut sh, &mut w, "az keyvault key list-deleted --vault-name kv-cmk --query [].name")),
        serde_json::json!(["old"])
    );
    let gone = json(run(&mut sh, &mut w, "az keyvault show-deleted --name KV-GONE"));
    assert_eq!(
        (gone["name"].as_str(), gone["type"].as_str()),
        (Some("kv-gone"), Some("Microsoft.KeyVault/deletedVaults"))
    );
    assert!(
        gone["id"].as_str().is_some_and(|id| id.ends_with("/locations/westeurope/deletedVaults/kv-gone")),
        "{gone}"
    );
    assert_eq!(code(run(&mut sh, &mut w, "az keyvault show-deleted --name kv-cmk")), ErrorCode::DeletedVaultNotFound);
    let old = json(run(&mut sh, &mut w, "az keyvault key show-deleted --vault-name kv-cmk -n old"));
    assert!(old["recoveryId"].as_str().is_some_and(|r| r.ends_with("/deletedkeys/old")), "{old}");
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key show-deleted --vault-name kv-cmk -n cmk")),
        ErrorCode::DeletedKeyNotFound
    );
    let e = run(&mut sh, &mut w, "az keyvault key show-deleted --vault-name kv-cmk").expect_err("no name");
    assert!(e.message().contains("the following arguments are required: --name/-n"), "{}", e.message());
    let role =
        json(run(&mut sh, &mut w, "az role definition list --name \"Key Vault Crypto Service Encryption User\""));
    assert_eq!(role[0]["roleName"], "Key Vault Crypto Service Encryption User");
    assert_eq!(role[0]["name"], "e147488a-f6f5-4113-8e2d-b22465e65bf6");
    assert_eq!(
        json(run(&mut sh, &mut w, "az ad user list --query [].userPrincipalName")).as_array().map(Vec::len),
        Some(4)
    );
    assert_eq!(
        json(run(&mut sh, &mut w, "az ad user list --upn PRIYA@contoso.onmicrosoft.com --query [].userPrincipalName")),
        serde_json::json!(["priya@contoso.onmicrosoft.com"])
    );
    let gus = json(run(&mut sh, &mut w, "az ad user list --display-name gu --query [].userPrincipalName"));
    assert_eq!(gus, serde_json::json!(["gus@contoso.onmicrosoft.com"]));
    let resources =
        json(run(&mut sh, &mut w, "az resource list --resource-type Microsoft.KeyVault/vaults --query [].name"));
    assert_eq!(resources, serde_json::json!(["kv-cmk"]));
    // Priya holds no Azure role: the lists are empty, and a vault's keys are refused.
    run(&mut sh, &mut w, "az login --username priya@contoso.onmicrosoft.com").expect("priya");
    assert_eq!(json(run(&mut sh, &mut w, "az keyvault list")), serde_json::json!([]));
    assert_eq!(code(run(&mut sh, &mut w, "az keyvault key list --vault-name kv-cmk")), ErrorCode::VaultNotFound);
}

#[test]
fn without_a_query_engine_the_shell_refuses_what_it_cannot_evaluate() {
    // Hosts plug in JMESPath (cmk-query); alone, the core answers an error, never a silent null.
    let (mut sh, mut w) = shell();
    for q in ["length(@)", "[?upn=='x']", "[0].{u:upn}"] {
        let e = run(&mut sh, &mut w, &format!("sim persona list --query \"{q}\"")).expect_err(q);
        assert_eq!(e.code(), ErrorCode::BadParameter, "{q}");
        assert!(e.message().contains("dotted paths"), "{}", e.message());
    }
    assert_eq!(
        json(run(&mut sh, &mut w, "sim persona list --query [0].upn")),
        serde_json::json!("gus@contoso.onmicrosoft.com")
    );
}

#[test]
fn sim_what_if_runs_on_a_copy_and_refuses_reads() {
    let (mut sh, mut w) = shell();
    run(&mut sh, &mut w, "az login --username kai@contoso.onmicrosoft.com").expect("kai");
    let before = w.clone();
    let report = json(run(&mut sh, &mut w, "sim what-if az group create --name rg-maybe --location westeurope"));
    assert_eq!(report["result"], Value::Null, "it would succeed");
    assert_eq!(w, before, "nothing changed");
    assert_eq!(json(run(&mut sh, &mut w, "az group list")), serde_json::json!([]));
    let refused = json(run(&mut sh, &mut w, "sim what-if az keyvault delete --name nowhere"));
    assert_eq!(refused["result"]["code"], "VaultNotFound", "the refusal is reported, not raised");
    assert_eq!(code(run(&mut sh, &mut w, "sim what-if az group list")), ErrorCode::BadParameter);
    assert!(matches!(run(&mut sh, &mut w, "sim what-if --help"), Ok(Output::Text(_))));
}

/// A world with Kai signed in and one resource group, for the output formats.
fn one_group() -> (Shell, World) {
    let (mut sh, mut w) = shell();
    for line in
        ["az login --username kai@contoso.onmicrosoft.com", "az group create --name rg-cmk --location westeurope"]
    {
        run(&mut sh, &mut w, line).unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    (sh, w)
}

fn text(r: Result<Output, Error>) -> String {
    match r.expect("runs") {
        Output::Text(t) => t,
        Output::Json(v) => panic!("json, not text: {v}"),
    }
}

#[test]
fn table_output_is_the_real_clis() {
    // Issue 19 item 3, from azure-cli's documented table output (knack over tabulate "simple"):
    // a command's own columns where it has them (az group list: Name, Location, Status); else the
    // scalar fields, keys sorted and capitalized, id and type left out; each column as wide as its
    // widest value and its header plus two, two spaces between.
    let (mut sh, mut w) = one_group();
    assert_eq!(
        text(run(&mut sh, &mut w, "az group list -o table")),
        "Name    Location    Status   \n------  ----------  ---------\nrg-cmk  westeurope  Succeeded"
    );
    // No columns of its own: the scalar fields, sorted; id and the lists of roles are left out.
    let kai = (
        "Key Vault admin: Owner of the subscription, no Power Platform role",
        "Kai Keys",
        "kai@contoso.onmicrosoft.com",
    );
    assert_eq!(
        text(run(&mut sh, &mut w, "az ad user show --id kai@contoso.onmicrosoft.com --output TABLE")),
        alloc::format!(
            "{:<66}  {:<13}  {:<27}\n{}  {}  {}\n{:<66}  {:<13}  {:<27}",
            "Description",
            "DisplayName",
            "UserPrincipalName",
            "-".repeat(66),
            "-".repeat(13),
            "-".repeat(27),
            kai.0,
            kai.1,
            kai.2
        )
    );
    // After --query, a scalar is a Result column (and the command's own columns no longer apply).
    let name = "az ad user show --id kai@contoso.onmicrosoft.com --query displayName -o table";
    assert_eq!(text(run(&mut sh, &mut w, name)), "Result  \n--------\nKai Keys");
    assert_eq!(text(run(&mut sh, &mut w, "az group list --query [].name -o table")), "Result  \n--------\nrg-cmk  ");
}

#[test]
fn yaml_none_and_refused_formats() {
    let (mut sh, mut w) = one_group();
    let id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk";
    assert_eq!(
        text(run(&mut sh, &mut w, "az group list -o yaml")),
        alloc::format!("- id: {id}\n  location: westeurope\n  name: rg-cmk\n  properties:\n    provisioningState: Succeeded\n  type: Microsoft.Resources/resourceGroups")
    );
    // Keys sorted; a string with ": " is quoted; an empty list is [].
    let kai = text(run(&mut sh, &mut w, "az ad user show --id kai@contoso.onmicrosoft.com -o yaml"));
    let lines: Vec<&str> = kai.lines().collect();
    assert!(
        lines.contains(&"description: 'Key Vault admin: Owner of the subscription, no Power Platform role'"),
        "{kai}"
    );
    assert!(lines.contains(&"displayName: Kai Keys") && lines.contains(&"entraRoles: []"), "{kai}");
    let keys: Vec<&str> =
        lines.iter().filter(|l| !l.starts_with(['-', ' '])).map(|l| l.split(':').next().unwrap_or("")).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "{kai}");
    // A bare scalar is its own document; a string that reads as a time is quoted, as PyYAML does.
    assert_eq!(text(run(&mut sh, &mut w, "az group list --query [0].name -o yamlc")), "rg-cmk\n...");
    assert_eq!(text(run(&mut sh, &mut w, "sim clock show --query now -o yaml")), "'2026-01-01T00:00:00Z'");
    // -o none prints nothing, but the command runs.
    assert_eq!(text(run(&mut sh, &mut w, "az group create --name rg-two --location westeurope -o none")), "");
    assert!(w.azure.resource_groups.values().any(|g| g.name == "rg-two"), "it ran");
    // -o jsonc is json (without colour here).
    assert!(matches!(run(&mut sh, &mut w, "az group list -o jsonc"), Ok(Output::Json(_))));
    // A format the real CLI does not have is refused before anything runs.
    let before = w.clone();
    let e = run(&mut sh, &mut w, "az group create --name rg-three --location westeurope -o xml").expect_err("refused");
    assert_eq!(e.code(), ErrorCode::InvalidArgumentValue);
    assert!(e.message().contains("table") && e.message().contains("yaml"), "{}", e.message());
    assert_eq!(w, before, "nothing ran");
}

#[test]
fn table_and_yaml_edge_cases_follow_knack_and_pyyaml() {
    let (mut sh, mut w) = one_group();
    // Nothing to list is an empty table; a null is an empty Result cell (tabulate's missing value).
    assert_eq!(text(run(&mut sh, &mut w, "az group list --query [].tags -o table")), "");
    assert_eq!(
        text(run(&mut sh, &mut w, "az group list --query [0].properties.x -o table")),
        "Result  \n--------\n        "
    );
    // Something with no scalar field cannot be a table.
    let nested = serde_json::json!([{ "properties": { "a": 1 } }]);
    assert_eq!(super::format::table(&nested, "az group list --query", true), None);
    // PyYAML: a list in a list starts on the dash's line.
    let roles = text(run(&mut sh, &mut w, "sim persona list --query [].roles -o yaml"));
    assert!(roles.starts_with("- - Global Administrator\n  - Owner @ /subscriptions/"), "{roles}");
}

#[test]
fn the_documentations_placeholders_are_named_with_what_goes_there() {
    // Issue 30 point 4: the seed's own line, pasted as it is.
    let (mut sh, mut w) = shell();
    let before = w.clone();
    let line = "New-AzRoleAssignment -ObjectId { objId} -RoleDefinitionName Reader -Scope {EP Resource Id}";
    let e = run(&mut sh, &mut w, line).expect_err("placeholders");
    assert_eq!(e.code(), ErrorCode::BadParameter);
    assert!(e.message().contains("placeholder {objId}") && e.message().contains("az ad user show"), "{}", e.message());
    assert_eq!(w, before);
    // Braces that are not placeholders pass: quoted JSON, ${VAR}, a query's multiselect.
    assert_eq!(placeholder(r#"az keyvault key rotation-policy update --value '{"a": {b}}'"#), None);
    assert_eq!(placeholder("echo ${KV}"), None);
    assert_eq!(placeholder("az group list --query [].{n:name}"), None);
    assert_eq!(placeholder("az x -n {keyName}").as_deref(), Some("{keyName}"));
}

#[test]
fn az_help_comes_from_the_real_clis_grammar() {
    // Issue 31 item 4: --help lists the real arguments, what is simulated and what is refused.
    let (mut sh, mut w) = shell();
    let Output::Text(help) = run(&mut sh, &mut w, "az group create --help").expect("help") else { panic!("text") };
    assert!(help.contains("In azure-cli 2.91.0: Create a new resource group."), "{help}");
    assert!(help.contains("--name, --resource-group, -n, -g"), "the real CLI's names: {help}");
    let refused = help.split("not simulated here").nth(1).unwrap_or_default();
    let refused = refused.split("Global arguments").next().unwrap_or_default();
    assert!(refused.contains("--managed-by"), "{help}");
    assert!(!refused.contains("--location") && !refused.contains("--tags"), "acted on, not refused: {help}");
    let examples = help.split("Examples:").nth(1).unwrap_or_default();
    assert!(examples.contains("az group create --name rg-cmk --location westeurope"), "{help}");
}

#[test]
fn the_shell_lists_the_providers_the_core_registers() {
    // SPEC EP-1: one list of providers — what `az provider list` prints is what `register`
    // accepts; Microsoft.Resources is ARM itself, registered from the start and never unregistered.
    let (mut sh, mut w) = shell();
    run(&mut sh, &mut w, "az login --username kai@contoso.onmicrosoft.com").expect("login");
    let listed = json(run(&mut sh, &mut w, "az provider list --query [].namespace"));
    let names: Vec<String> =
        listed.as_array().expect("list").iter().filter_map(|n| n.as_str().map(String::from)).collect();
    assert_eq!(names, crate::azure::PROVIDERS);
    let state = |sh: &mut Shell, w: &mut World, ns: &str| {
        json(run(sh, w, &alloc::format!("az provider show -n {ns} --query registrationState")))
    };
    assert_eq!(state(&mut sh, &mut w, "microsoft.resources"), "Registered");
    for ns in names.iter().filter(|n| n.as_str() != "Microsoft.Resources") {
        assert_eq!(state(&mut sh, &mut w, ns), "NotRegistered", "{ns}");
        run(&mut sh, &mut w, &alloc::format!("az provider register --namespace {ns}")).expect("register");
        assert_eq!(state(&mut sh, &mut w, ns), "Registered", "{ns}");
    }
    assert_eq!(code(run(&mut sh, &mut w, "az provider show -n Contoso.Widgets")), ErrorCode::BadParameter);
    let before = w.view();
    assert_eq!(code(run(&mut sh, &mut w, "az provider unregister -n Microsoft.Resources")), ErrorCode::Conflict);
    assert_eq!(w.view(), before, "a refused unregister changes nothing");
}

#[test]
fn keys_by_their_id_and_vaults_by_their_place_as_the_real_cli_names_them() {
    // Issue 31 items 2-3: --id (a kid, a vault URI, a recovery id) names what --vault-name and
    // --name name; -g and --location must say where the vault is; --maxresults cuts a list.
    let (mut sh, mut w) = after(&[
        "az login --username kai@contoso.onmicrosoft.com",
        "az group create --name rg-cmk --location westeurope",
        "az group create --name rg-other --location westeurope",
        "az keyvault create --name kv-cmk --resource-group rg-cmk --location westeurope --enable-rbac-authorization false",
        "az keyvault key create --vault-name kv-cmk --name cmk --kty RSA --size 2048",
        "az keyvault key create --vault-name kv-cmk --name two --kty RSA --size 2048",
    ]);
    let kid = json(run(&mut sh, &mut w, "az keyvault key show --vault-name kv-cmk -n cmk --query key.kid"));
    let kid = kid.as_str().expect("kid").to_string();
    let by_id = json(run(&mut sh, &mut w, &alloc::format!("az keyvault key show --id {kid} --query key.kid")));
    assert_eq!(by_id, kid.as_str());
    let base = kid.rsplit_once('/').expect("versioned").0.to_string();
    let versions = json(run(&mut sh, &mut w, &alloc::format!("az keyvault key list-versions --id {base}")));
    assert_eq!(versions.as_array().map(Vec::len), Some(1), "{versions}");
    run(&mut sh, &mut w, "az keyvault key rotate --vault-name kv-cmk -n cmk").expect("rotate");
    let all = json(run(&mut sh, &mut w, "az keyvault key list-versions --vault-name kv-cmk -n cmk"));
    let one = json(run(&mut sh, &mut w, "az keyvault key list-versions --vault-name kv-cmk -n cmk --maxresults 1"));
    assert_eq!((all.as_array().map(Vec::len), one.as_array().map(Vec::len)), (Some(2), Some(1)));
    let uri = json(run(&mut sh, &mut w, "az keyvault show -n kv-cmk --query properties.vaultUri"));
    let uri = uri.as_str().expect("uri").to_string();
    let names = json(run(&mut sh, &mut w, &alloc::format!("az keyvault key list --id {uri} --query [].name")));
    assert_eq!(names, serde_json::json!(["cmk", "two"]));
    let first = json(run(&mut sh, &mut w, "az keyvault key list --vault-name kv-cmk --maxresults 1 --query [].name"));
    assert_eq!(first, serde_json::json!(["cmk"]));
    let before = w.clone();
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key list --vault-name kv-cmk --maxresults many")),
        ErrorCode::InvalidArgumentValue
    );
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key delete --id https://example.com/keys/cmk")),
        ErrorCode::InvalidArgumentValue
    );
    let e = run(&mut sh, &mut w, "az keyvault key delete --vault-name kv-cmk").expect_err("no name");
    assert!(e.message().contains("--name/-n"), "{}", e.message());
    // A recovery id is no key id.
    assert_eq!(
        code(run(&mut sh, &mut w, &alloc::format!("az keyvault key delete --id {uri}deletedkeys/two"))),
        ErrorCode::InvalidArgumentValue
    );
    assert_eq!(code(run(&mut sh, &mut w, "az keyvault show -n kv-cmk -g rg-other")), ErrorCode::ResourceNotFound);
    assert_eq!(code(run(&mut sh, &mut w, "az keyvault delete -n kv-cmk -g rg-other")), ErrorCode::ResourceNotFound);
    assert_eq!(w, before, "refused lines change nothing");
    assert_eq!(json(run(&mut sh, &mut w, "az keyvault show -n kv-cmk -g RG-CMK --query name")), "kv-cmk");
    // Delete by kid, recover and purge by recovery id.
    run(&mut sh, &mut w, &alloc::format!("az keyvault key delete --id {uri}keys/two")).expect("delete by id");
    let rid = json(run(
        &mut sh,
        &mut w,
        &alloc::format!("az keyvault key show-deleted --id {uri}deletedkeys/two --query recoveryId"),
    ));
    assert_eq!(rid, alloc::format!("{uri}deletedkeys/two").as_str());
    run(&mut sh, &mut w, &alloc::format!("az keyvault key recover --id {uri}deletedkeys/two")).expect("recover by id");
    assert_eq!(
        json(run(&mut sh, &mut w, "az keyvault key list --vault-name kv-cmk --query [].name")),
        serde_json::json!(["cmk", "two"])
    );
    // An access policy removed by the user's name, as set-policy grants it.
    run(&mut sh, &mut w, "az keyvault set-policy -n kv-cmk --upn priya@contoso.onmicrosoft.com --key-permissions get")
        .expect("grant");
    run(&mut sh, &mut w, "az keyvault delete-policy -n kv-cmk -g rg-cmk --upn priya@contoso.onmicrosoft.com")
        .expect("revoke by upn");
    // A deleted vault is found where it was deleted.
    run(&mut sh, &mut w, "az keyvault delete -n kv-cmk").expect("delete vault");
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault show-deleted -n kv-cmk -l eastus")),
        ErrorCode::DeletedVaultNotFound
    );
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault recover -n kv-cmk --location eastus")),
        ErrorCode::DeletedVaultNotFound
    );
    run(&mut sh, &mut w, "az keyvault recover -n kv-cmk --location westeurope").expect("recover where it was");
}

#[test]
fn the_firewall_from_the_cloud_shell_as_the_real_cli() {
    // SPEC KV-10, issue 31 item 3: --default-action, --network-acls-ips, az keyvault network-rule.
    let (mut sh, mut w) = shell();
    for line in [
        "az login --username kai@contoso.onmicrosoft.com",
        "az group create --name rg-cmk --location westeurope",
        "az keyvault create -n kv-fw -g rg-cmk -l westeurope --enable-rbac-authorization false --default-action Deny --network-acls-ips 198.51.100.7",
        "az keyvault key create --vault-name kv-fw --name cmk --kty RSA --size 2048",
    ] {
        let e = run(&mut sh, &mut w, line).err();
        // Creating the key is refused by the firewall (the client is not in the list).
        if line.contains("key create") {
            assert_eq!(e.map(|e| e.code()), Some(ErrorCode::ForbiddenByFirewall), "{line}");
        } else {
            assert!(e.is_none(), "{line}: {e:?}");
        }
    }
    let rules = json(run(&mut sh, &mut w, "az keyvault network-rule list -n kv-fw"));
    assert_eq!(rules["ipRules"], serde_json::json!([{ "value": "198.51.100.7/32" }]));
    assert_eq!(rules["virtualNetworkRules"], serde_json::json!([]));
    let subnet = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps";
    run(
        &mut sh,
        &mut w,
        "az keyvault network-rule add -n kv-fw --ip-address 203.0.113.7 --subnet apps --vnet-name vnet -g rg-net",
    )
    .expect_err("-g names the vault's group, which is rg-cmk");
    run(
        &mut sh,
        &mut w,
        &alloc::format!("az keyvault network-rule add -n kv-fw --ip-address 203.0.113.7 --subnet {subnet}"),
    )
    .expect("add");
    let rules = json(run(&mut sh, &mut w, "az keyvault network-rule list -n kv-fw"));
    assert_eq!(rules["ipRules"][1]["value"], "203.0.113.7/32");
    assert_eq!(rules["virtualNetworkRules"][0]["id"], subnet);
    run(&mut sh, &mut w, "az keyvault key create --vault-name kv-fw --name cmk --kty RSA --size 2048")
        .expect("through now");
    run(&mut sh, &mut w, "az keyvault network-rule remove -n kv-fw --ip-address 203.0.113.7/32").expect("remove");
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key show --vault-name kv-fw -n cmk")),
        ErrorCode::ForbiddenByFirewall
    );
    let acls =
        json(run(&mut sh, &mut w, "az keyvault update -n kv-fw --default-action Allow --query properties.networkAcls"));
    assert_eq!(acls["defaultAction"], "Allow");
    run(&mut sh, &mut w, "az keyvault key show --vault-name kv-fw -n cmk").expect("all networks again");
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault update -n kv-fw --default-action Maybe")),
        ErrorCode::InvalidArgumentValue
    );
}

#[test]
fn key_download_writes_the_public_half_as_pem_and_only_for_who_may_read_it() {
    // Issue 31 item 3: az keyvault key download -f FILE writes the key's public half (PEM
    // SubjectPublicKeyInfo) to the Cloud Shell's files; the private half never leaves the vault.
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    let (mut sh, mut w) = after(&[
        "az login --username kai@contoso.onmicrosoft.com",
        "az group create --name rg-cmk --location westeurope",
        "az keyvault create --name kv-cmk --resource-group rg-cmk --location westeurope --enable-rbac-authorization false",
        "az keyvault key create --vault-name kv-cmk --name cmk --kty RSA --size 2048",
    ]);
    let out = run(&mut sh, &mut w, "az keyvault key download --vault-name kv-cmk -n cmk -f cmk.pem").expect("download");
    assert_eq!(out.captured(), "", "the real CLI prints nothing");
    let pem = sh.state.written.get("cmk.pem").expect("written").clone();
    assert_eq!(run(&mut sh, &mut w, "cat cmk.pem").expect("cat").captured(), pem, "cat prints it as it is");
    assert_eq!(code(run(&mut sh, &mut w, "cat nothing.pem")), ErrorCode::FileNotFound);
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n") && pem.ends_with("-----END PUBLIC KEY-----\n"), "{pem}");
    assert!(!pem.contains("PRIVATE"));
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body).expect("base64");
    let key = rsa::RsaPublicKey::from_public_key_der(&der).expect("a SubjectPublicKeyInfo");
    let n = json(run(&mut sh, &mut w, "az keyvault key show --vault-name kv-cmk -n cmk --query key.n"));
    let n =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, n.as_str().expect("n")).expect("n");
    assert_eq!(key.n().to_bytes_be(), n, "the same key");
    let before = (w.clone(), sh.state.written.clone());
    let e = run(&mut sh, &mut w, "az keyvault key download --vault-name kv-cmk -n cmk -f cmk.pem").expect_err("exists");
    assert!(e.message().contains("already exists"), "{}", e.message());
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key download --vault-name kv-cmk -n cmk -f cmk.der -e DER")),
        ErrorCode::NotSimulated
    );
    run(&mut sh, &mut w, "az login --username priya@contoso.onmicrosoft.com").expect("priya");
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key download --vault-name kv-cmk -n cmk -f p.pem")),
        ErrorCode::ForbiddenByPolicy
    );
    assert_eq!(before.1, sh.state.written, "nothing written when refused");
}

#[test]
fn protection_hsm_makes_the_key_hsm_protected_where_the_vault_can_hold_one() {
    // Issue 31 item 2: --protection hsm adds -HSM to the type, as the real CLI; a standard vault
    // refuses it (SPEC KV-4), a premium one keeps it.
    let (mut sh, mut w) = after(&[
        "az login --username kai@contoso.onmicrosoft.com",
        "az group create --name rg-cmk --location westeurope",
        "az keyvault create --name kv-std --resource-group rg-cmk --location westeurope --enable-rbac-authorization false",
        "az keyvault create --name kv-prem --resource-group rg-cmk --location westeurope --sku premium --enable-rbac-authorization false",
    ]);
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key create --vault-name kv-std -n k --protection hsm")),
        ErrorCode::BadParameter
    );
    let kty = json(run(&mut sh, &mut w, "az keyvault key create --vault-name kv-prem -n k -p hsm --query key.kty"));
    assert_eq!(kty, "RSA-HSM");
    let kty = json(run(
        &mut sh,
        &mut w,
        "az keyvault key create --vault-name kv-std -n k --protection software --query key.kty",
    ));
    assert_eq!(kty, "RSA");
}

#[test]
fn key_backup_and_restore_go_through_a_sealed_file_of_the_cloud_shell() {
    // Issue 31 item 3: backup writes every version as a sealed blob (nothing of the key readable
    // with cat); restore brings it back under its own name, never over a taken one.
    let (mut sh, mut w) = after(&[
        "az login --username kai@contoso.onmicrosoft.com",
        "az group create --name rg-cmk --location westeurope",
        "az keyvault create --name kv-a --resource-group rg-cmk --location westeurope --enable-rbac-authorization false",
        "az keyvault create --name kv-b --resource-group rg-cmk --location westeurope --enable-rbac-authorization false",
        "az keyvault key create --vault-name kv-a --name cmk --kty RSA --size 2048",
        "az keyvault key rotate --vault-name kv-a --name cmk",
    ]);
    let out = run(&mut sh, &mut w, "az keyvault key backup --vault-name kv-a -n cmk -f cmk.keybackup").expect("backup");
    assert_eq!(out.captured(), "");
    let blob = run(&mut sh, &mut w, "cat cmk.keybackup").expect("cat").captured();
    assert!(blob.len() > 1000 && blob.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "opaque");
    assert!(!blob.contains("PRIVATE") && !blob.contains("cmk"), "nothing readable");
    let before = (w.clone(), sh.state.written.clone());
    let e =
        run(&mut sh, &mut w, "az keyvault key backup --vault-name kv-a -n cmk -f cmk.keybackup").expect_err("exists");
    assert!(e.message().contains("already exists"), "{}", e.message());
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key restore --vault-name kv-a -f cmk.keybackup")),
        ErrorCode::Conflict
    );
    run(&mut sh, &mut w, "sim file write --name bad.keybackup --value AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .expect("write");
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key restore --vault-name kv-b -f bad.keybackup")),
        ErrorCode::BadParameter
    );
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key restore --vault-name kv-b -f none.keybackup")),
        ErrorCode::FileNotFound
    );
    assert_eq!(before.0, w, "refused lines change nothing");
    let restored =
        json(run(&mut sh, &mut w, "az keyvault key restore --vault-name kv-b -f cmk.keybackup --query key.kid"));
    assert!(restored.as_str().is_some_and(|k| k.starts_with("https://kv-b.vault.azure.net/keys/cmk/")), "{restored}");
    let versions = |sh: &mut Shell, w: &mut World, vault: &str| -> Vec<String> {
        let list = json(run(sh, w, &alloc::format!("az keyvault key list-versions --vault-name {vault} -n cmk")));
        list.as_array()
            .expect("list")
            .iter()
            .filter_map(|v| v["kid"].as_str())
            .map(|k| k.rsplit('/').next().unwrap_or_default().to_string())
            .collect()
    };
    let (a, b) = (versions(&mut sh, &mut w, "kv-a"), versions(&mut sh, &mut w, "kv-b"));
    assert_eq!((a.len(), &a), (2, &b), "every version, with its id");
    // The same key material: what kv-a wraps, kv-b unwraps.
    let wrapped = json(run(
        &mut sh,
        &mut w,
        "az keyvault key encrypt --vault-name kv-a -n cmk -a RSA-OAEP-256 --value aGVsbG8= --query result",
    ));
    let clear = json(run(
        &mut sh,
        &mut w,
        &alloc::format!(
            "az keyvault key decrypt --vault-name kv-b -n cmk -a RSA-OAEP-256 --value {} --query result",
            wrapped.as_str().expect("ct")
        ),
    ));
    assert_eq!(clear, "aGVsbG8=");
    // Priya holds no access policy: no backup for her.
    run(&mut sh, &mut w, "az login --username priya@contoso.onmicrosoft.com").expect("priya");
    assert_eq!(
        code(run(&mut sh, &mut w, "az keyvault key backup --vault-name kv-a -n cmk -f p.keybackup")),
        ErrorCode::ForbiddenByPolicy
    );
}

#[test]
fn restart_starts_a_new_session_and_keeps_the_world_and_the_files() {
    // Issue 32 item 6: the Cloud Shell's Restart. Variables go, as in a new Bash; the world and
    // the files of the session stay (the real Cloud Shell keeps its file share).
    let (mut sh, mut w) = after(&[
        "sim seed 3",
        "az login --username kai@contoso.onmicrosoft.com",
        "RG=rg-restart",
        "az group create --name $RG --location westeurope",
        "sim file write --name notes.txt --value kept",
    ]);
    let out = json(run(&mut sh, &mut w, "sim shell restart"));
    assert_eq!(out["restarted"], true);
    assert_eq!(out["variablesCleared"], 1);
    assert_eq!(
        code(run(&mut sh, &mut w, "az group show --name $RG")),
        ErrorCode::UnsetVariable,
        "the variable is gone"
    );
    assert_eq!(text(run(&mut sh, &mut w, "cat notes.txt")), "kept", "the files stay");
    assert_eq!(text(run(&mut sh, &mut w, "az group show --name rg-restart --query name -o tsv")), "rg-restart");
}

#[test]
fn monitor_activity_log_list_filters_like_the_real_cli() {
    // SPEC PG-1: the activity log is read from the shell as `az monitor activity-log list`.
    let (mut sh, mut w) = after(&[
        "az login --username kai@contoso.onmicrosoft.com",
        "az group create -n rg-a -l westeurope",
        "az group create -n rg-b -l westeurope",
        "sim clock advance 8h",
        "az keyvault create -n kv-a -g rg-a -l westeurope",
        "az login --username mallory@contoso.onmicrosoft.com",
        "az group update -n rg-b --tags owner=mallory",
    ]);
    let list = |sh: &mut Shell, w: &mut World, line: &str| run(sh, w, line).expect(line).to_json();
    // The default offset is 6 hours: the groups made 8 hours ago are not in it.
    let recent = list(&mut sh, &mut w, "az monitor activity-log list");
    let ops: Vec<&str> = recent
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["operationName"]["localizedValue"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ops, ["Update resource group", "Update Key Vault"]);
    assert_eq!(recent[0]["caller"], "mallory@contoso.onmicrosoft.com");
    assert_eq!(recent[0]["operationName"]["value"], "Microsoft.Resources/subscriptions/resourceGroups/write");
    assert_eq!(recent[1]["resourceGroupName"], "rg-a");
    assert_eq!(recent[1]["status"]["value"], "Succeeded");
    let group_a = list(&mut sh, &mut w, "az monitor activity-log list -g rg-a --offset 1d");
    assert_eq!(group_a.as_array().map(Vec::len), Some(2), "the group and its vault: {group_a}");
    let kai = list(
        &mut sh,
        &mut w,
        "az monitor activity-log list --caller KAI@contoso.onmicrosoft.com --offset 1d --max-events 2",
    );
    assert_eq!(kai.as_array().map(Vec::len), Some(2));
    let ids = list(&mut sh, &mut w, "az monitor activity-log list --offset 1d12h --query \"[].resourceId\" -o tsv");
    assert!(ids.as_str().is_some_and(|t| t.contains("/vaults/kv-a")), "{ids}");
    assert_eq!(code(run(&mut sh, &mut w, "az monitor activity-log list --offset 3x")), ErrorCode::InvalidArgumentValue);
    assert_eq!(code(run(&mut sh, &mut w, "az monitor activity-log list --correlation-id x")), ErrorCode::NotSimulated);
}

fn words(line: &str) -> Vec<String> {
    line.split(' ').map(String::from).collect()
}

/// Issue 34 item 3: each Az cmdlet is another surface form of an az command — it runs that
/// command and answers what it answers — with PowerShell's parameter binding and words.
#[test]
fn az_cmdlets_run_the_az_line_they_mean_with_powershells_binding() {
    let (mut sh, mut w) = after(&[
        "az login --username kai@contoso.onmicrosoft.com",
        "az provider register --namespace Microsoft.PowerPlatform",
    ]);
    let argv = |sh: &mut Shell, w: &mut World, line: &str| sh.run_argv(w, &words(line), &NoFiles);
    // Any case, any unambiguous prefix, -Name:value.
    let rg = argv(&mut sh, &mut w, "new-azresourcegroup -name rg-ps -Loc westeurope").expect("group");
    assert_eq!(rg.to_json()["name"], "rg-ps");
    let kv = argv(
        &mut sh,
        &mut w,
        "New-AzKeyVault -VaultName kv-ps -ResourceGroupName rg-ps -Location westeurope -EnablePurgeProtection -SoftDeleteRetentionInDays:30",
    )
    .expect("vault");
    assert_eq!(kv.to_json()["properties"]["enablePurgeProtection"], true);
    assert_eq!(kv.to_json()["properties"]["softDeleteRetentionInDays"], 30);
    // The same answer as the az line.
    let shown = run(&mut sh, &mut w, "az keyvault show --name kv-ps").expect("show").to_json();
    assert_eq!(argv(&mut sh, &mut w, "Get-AzKeyVault -VaultName kv-ps").expect("get").to_json(), shown);
    let me = run(&mut sh, &mut w, "az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv").expect("id");
    let scope = shown["id"].as_str().expect("id").to_string();
    let grant: Vec<String> = ["New-AzRoleAssignment", "-ObjectId", &me.captured(), "-RoleDefinitionName"]
        .into_iter()
        .chain(["Key Vault Crypto Officer", "-Scope", &scope])
        .map(String::from)
        .collect();
    sh.run_argv(&mut w, &grant, &NoFiles).expect("role");
    let key = argv(&mut sh, &mut w, "Add-AzKeyVaultKey -VaultName kv-ps -Name cmk -Destination Software").expect("key");
    assert!(key.to_json()["key"]["kid"].as_str().is_some_and(|k| k.contains("/keys/cmk/")));
    let listed =
        argv(&mut sh, &mut w, "Get-AzKeyVaultKey -VaultName kv-ps -Name cmk -IncludeVersions").expect("versions");
    assert_eq!(listed.to_json().as_array().map(Vec::len), Some(1));
    // PowerShell's own words, and nothing changes.
    let before = w.clone();
    let e =
        argv(&mut sh, &mut w, "New-AzKeyVault -Name kv-2 -ResourceGroupName rg-ps -Location westeurope -Colour blue")
            .expect_err("unknown");
    assert_eq!(e.message(), "A parameter cannot be found that matches parameter name 'Colour'.");
    let e = argv(
        &mut sh,
        &mut w,
        "New-AzKeyVault -Name kv-2 -ResourceGroupName rg-ps -Location westeurope -EnabledForDiskEncryption",
    )
    .expect_err("not simulated");
    assert_eq!(e.code(), ErrorCode::NotSimulated);
    assert!(e.message().contains("-EnabledForDiskEncryption"), "{}", e.message());
    let e = argv(&mut sh, &mut w, "New-AzKeyVault -Name kv-2").expect_err("missing");
    assert_eq!(
        e.message(),
        "Cannot process command because of one or more missing mandatory parameters: ResourceGroupName Location."
    );
    let e = argv(&mut sh, &mut w, "Get-AzKeyVaultKey -Vault").expect_err("no value");
    assert!(e.message().starts_with("Missing an argument for parameter 'VaultName'."), "{}", e.message());
    // SPEC KV-8 through Set-AzKeyVaultKeyRotationPolicy: -PolicyPath names a file or is the JSON
    // itself (what PowerShell makes of -ExpiresIn and -KeyRotationLifetimeAction); a trigger under
    // 7 days is refused, and in this shell the hashtable parameters cannot come alone.
    let set = "Set-AzKeyVaultKeyRotationPolicy -VaultName kv-ps -Name cmk";
    let rotate = |after: &str| {
        format!("{set} -PolicyPath {{\"lifetimeActions\":[{{\"trigger\":{{\"timeAfterCreate\":\"{after}\"}},\"action\":{{\"type\":\"Rotate\"}}}}],\"attributes\":{{\"expiryTime\":\"P1Y\"}}}}")
    };
    let e = argv(&mut sh, &mut w, &rotate("P3D")).expect_err("under 7 days");
    assert!(e.message().contains("the minimum is P7D"), "{}", e.message());
    let e = argv(&mut sh, &mut w, &format!("{set} -ExpiresIn P1Y")).expect_err("no policy");
    assert_eq!(e.code(), ErrorCode::MissingArgument);
    let e = argv(&mut sh, &mut w, &format!("{set} -PolicyPath rotation.json")).expect_err("no such file");
    assert_eq!(e.code(), ErrorCode::FileNotFound);
    assert_eq!(w, before);
    let policy = argv(&mut sh, &mut w, &rotate("P90D")).expect("policy").to_json();
    let shown =
        run(&mut sh, &mut w, "az keyvault key rotation-policy show --vault-name kv-ps --name cmk").expect("show");
    assert_eq!(policy, shown.to_json());
    assert_eq!(
        argv(&mut sh, &mut w, "Get-AzKeyVaultKeyRotationPolicy -VaultName kv-ps -Name cmk").expect("get").to_json(),
        policy
    );
    assert_eq!(policy["lifetimeActions"][0]["action"]["type"], "Rotate");
    assert_eq!(policy["lifetimeActions"][0]["trigger"]["timeAfterCreate"], "P90D");
    assert_eq!(policy["attributes"]["expiryTime"], "P365D");
    // A cmdlet is also a line of the Bash-side shell, as New-AzRoleAssignment always was.
    assert!(run(&mut sh, &mut w, "Get-AzResourceGroup -Name rg-ps").is_ok());
}
