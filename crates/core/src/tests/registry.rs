//! The registry holds every command exactly once, and each renders to a line that parses back
//! to the same command.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use alloc::{format, vec};

use crate::azure::vault::KeyType;
use crate::command::registry::{entries, find};
use crate::command::*;
use crate::shell::{MemoryFiles, Shell};
use crate::time::{SimDuration, SimTime};
use crate::world::World;

const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";

/// One command of every variant, with its optional parts filled in where it has them.
fn one_of_each() -> Vec<Command> {
    let t = SimTime::parse_iso("2026-06-01T00:00:00Z").expect("time");
    let mut key = CreateKey::rsa(String::from("kv"), String::from("cmk"), 3072);
    key.expires = Some(t);
    key.enabled = false;
    key.tags = [("env".to_string(), "prod".to_string())].into();
    key.ops = Some(vec![String::from("wrapKey"), String::from("unwrapKey")]);
    let mut vault = CreateVault::new(String::from("kv"), String::from("rg"), String::from("westeurope"));
    vault.enable_purge_protection = true;
    vault.retention_days = 30;
    vault.tags = [("owner".to_string(), "kai team".to_string())].into();
    let (s, kv, k) = (String::from, String::from("kv"), String::from("cmk"));
    vec![
        Command::SignIn { upn: s("kai@contoso.onmicrosoft.com") },
        Command::ShowUser { id: s("kai@contoso.onmicrosoft.com") },
        Command::RegisterProvider { namespace: s("Microsoft.PowerPlatform") },
        Command::UnregisterProvider { namespace: s("Microsoft.KeyVault") },
        Command::CreateResourceGroup {
            name: s("rg"),
            location: s("westeurope"),
            tags: [(s("env"), s("prod")), (s("cost center"), s("42"))].into(),
        },
        Command::UpdateResourceGroup { name: s("rg"), tags: Default::default() },
        Command::DeleteResourceGroup { name: s("rg") },
        Command::CreateVault(vault),
        Command::CreateManagedHsm(CreateManagedHsm {
            name: s("hsm"),
            resource_group: s("rg"),
            location: s("westeurope"),
            administrators: vec![s("oid-1"), s("oid-2")],
            retention_days: 7,
            enable_purge_protection: true,
        }),
        Command::ActivateManagedHsm { name: s("hsm") },
        Command::CreateHsmRoleAssignment {
            hsm: s("hsm"),
            role: s("Managed HSM Crypto User"),
            assignee: s("oid"),
            scope: s("/keys"),
        },
        Command::AddNetworkRule(NetworkRule {
            vault: s("kv"),
            ip_addresses: vec![s("203.0.113.0/24"), s("198.51.100.7")],
            subnet: Some(s(
                "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
            )),
        }),
        Command::RemoveNetworkRule(NetworkRule { vault: s("kv"), ip_addresses: vec![s("198.51.100.7")], subnet: None }),
        Command::UpdateVault(UpdateVault {
            name: kv.clone(),
            public_network_access: Some(false),
            retention_days: Some(14),
            ..UpdateVault::default()
        }),
        Command::ShowVault { name: kv.clone() },
        Command::DeleteVault { name: kv.clone() },
        Command::RecoverVault { name: kv.clone() },
        Command::PurgeVault { name: kv.clone() },
        Command::SetAccessPolicy { vault: kv.clone(), object_id: s("oid"), permissions: vec![s("get"), s("wrapKey")] },
        Command::DeleteAccessPolicy { vault: kv.clone(), object_id: s("oid") },
        Command::CreatePrivateEndpoint { name: s("pe"), resource_group: s("rg"), vault: kv.clone() },
        Command::CreateKey(key),
        Command::ImportKey(ImportKey {
            tags: Default::default(),
            vault: kv.clone(),
            name: k.clone(),
            kty: KeyType::parse("RSA").expect("kty"),
            material: PEM.into(),
            enabled: true,
            not_before: Some(t),
            expires: None,
            ops: None,
        }),
        Command::ShowKey { vault: kv.clone(), name: k.clone(), version: Some(s("abc")) },
        Command::ListKeyVersions { vault: kv.clone(), name: k.clone() },
        Command::SetKeyAttributes(SetKeyAttributes {
            tags: Default::default(),
            vault: kv.clone(),
            name: k.clone(),
            version: Some(s("abc")),
            enabled: Some(false),
            expires: Some(None),
            not_before: Some(Some(t)),
            ops: Some(vec![s("encrypt"), s("decrypt")]),
        }),
        Command::RotateKey { vault: kv.clone(), name: k.clone(), pregenerated: None },
        Command::SetRotationPolicy { vault: kv.clone(), name: k.clone(), policy: s(r#"{"lifetimeActions":[]}"#) },
        Command::ShowRotationPolicy { vault: kv.clone(), name: k.clone() },
        Command::DeleteKey { vault: kv.clone(), name: k.clone() },
        Command::RecoverKey { vault: kv.clone(), name: k.clone() },
        Command::PurgeKey { vault: kv.clone(), name: k.clone() },
        Command::KeyOperation(KeyOperation {
            vault: kv.clone(),
            name: k.clone(),
            version: None,
            operation: CryptoOperation::Decrypt,
            algorithm: s("RSA-OAEP-256"),
            value: s("AAAA"),
        }),
        Command::CreateRoleAssignment { assignee: s("oid"), role: s("Key Vault Reader"), scope: s("/subscriptions/x") },
        Command::DeleteRoleAssignment { assignee: s("oid"), role: s("Key Vault Reader"), scope: s("/subscriptions/x") },
        Command::ListRoleAssignments {
            assignee: Some(s("oid")),
            scope: Some(s("/subscriptions/x")),
            include_inherited: true,
            role: Some(s("Key Vault Reader")),
        },
        Command::DeployTemplate { resource_group: s("rg"), template: s(r#"{"resources":[]}"#) },
        Command::ListDeployments { resource_group: s("rg") },
        Command::BackupKey { vault: s("kv"), name: s("cmk") },
        Command::RestoreKey { vault: s("kv"), blob: s("AAAA") },
        Command::ShowDeployment { resource_group: s("rg"), name: s("ep-cmk") },
        Command::ShowResource { id: s("/subscriptions/x/resourceGroups/rg") },
        Command::DeleteResource { id: s("/subscriptions/x/resourceGroups/rg") },
        Command::GraphQuery { query: s("resources | where type =~ 'microsoft.keyvault/vaults'") },
        Command::ListActivityLog {
            resource_group: Some(s("rg")),
            resource_id: None,
            caller: Some(s("kai@contoso.onmicrosoft.com")),
            status: None,
            offset: crate::time::SimDuration::hours(36),
            max_events: 10,
        },
        Command::AdvanceClock { by: SimDuration::days(3) },
        Command::RunClock,
        Command::CreateEnvironment {
            name: s("Contoso Prod"),
            region: s("europe"),
            env_type: s("Production"),
            byok: true,
        },
        Command::ListEnvironments,
        Command::ShowEnvironment { environment: s("prod") },
        Command::EnableManaged { environment: s("prod") },
        Command::EnvironmentHistory { environment: s("prod") },
        Command::ReEnableEnvironment { environment: s("prod") },
        Command::BackupEnvironment { environment: s("prod"), label: Some(s("before rotation")) },
        Command::RestoreBackup { source: s("prod"), backup: s("b1"), target: s("dev") },
        Command::CopyEnvironment { source: s("prod"), target: s("dev") },
        Command::ResetEnvironment { environment: s("dev") },
        Command::ListTargets { environment: s("dev"), copy: true },
        Command::ListPolicies,
        Command::ShowPolicy { policy: s("ep") },
        Command::AddEnvironmentToPolicy { policy: s("ep"), environment: s("prod") },
        Command::RemoveEnvironmentFromPolicy { policy: s("ep"), environment: s("prod") },
        Command::AdminApi {
            method: s("POST"),
            uri: s("https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/environments/g/enterprisePolicies/Encryption/link?&api-version=2019-10-01"),
            body: Some(s(r#"{"SystemId":"/regions/europe/providers/Microsoft.PowerPlatform/enterprisePolicies/g"}"#)),
        },
        Command::InsertRows { environment: s("prod"), table: s("account"), rows: 500 },
        Command::ReadTable { environment: s("prod"), table: s("account") },
        Command::FailNextStep { environment: s("prod"), service: s("files") },
    ]
}

#[test]
fn every_command_has_exactly_one_entry_a_label_and_a_line_that_parses_back() {
    let samples = one_of_each();
    let world = World::new();
    let mut names = Vec::new();
    for command in &samples {
        // Externally tagged: `{"createKey": {…}}`, or the bare name for a variant without fields.
        let tag = match serde_json::to_value(command).expect("json") {
            serde_json::Value::Object(o) => o.keys().next().expect("tag").clone(),
            serde_json::Value::String(name) => name,
            other => panic!("{other}"),
        };
        assert_eq!(command.name(), tag, "the registry's key is the serialized tag");
        let owners = entries().filter(|e| e.command == tag).count();
        assert_eq!(owners, 1, "{tag} has {owners} entries");
        assert_eq!(command.entry().command, tag);
        assert!(!command.label().is_empty(), "{tag} has a label");
        assert!(!command.entry().forms.is_empty(), "{tag} has a surface form");
        names.push(tag.clone());

        let lines = (command.entry().render)(&world, command).unwrap_or_else(|| panic!("{tag} renders"));
        let mut shell = Shell::seeded(1);
        let mut copy = world.clone();
        let files = MemoryFiles(BTreeMap::from([(String::from("cmk.pem"), String::from(PEM))]));
        let (last, before) = lines.split_last().expect("a line");
        for line in before {
            shell.run_line(&mut copy, line, &files).unwrap_or_else(|e| panic!("{line}: {e}"));
        }
        let parsed = shell.build(&mut copy, last, &files).unwrap_or_else(|e| panic!("{last}: {e}"));
        assert_eq!(parsed.as_ref(), Some(command), "{last}");
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), samples.len(), "one sample per variant");
    assert_eq!(entries().count(), samples.len(), "every entry is a variant that has a sample");
}

#[test]
fn the_changes_flag_and_the_host_key_come_from_the_entry() {
    for command in one_of_each() {
        let entry = command.entry();
        assert_eq!(command.changes_world(), entry.changes_world, "{}", entry.command);
        assert_eq!(command.host_key().is_some(), entry.host_key, "{}", entry.command);
    }
    let reads = ["showUser", "showVault", "showKey", "keyOperation", "listEnvironments", "readTable", "graphQuery"];
    for name in reads {
        assert!(!entries().any(|e| e.command == name && e.changes_world), "{name} only reads");
    }
    let keyed: Vec<&str> = entries().filter(|e| e.host_key).map(|e| e.command).collect();
    assert_eq!(keyed, ["createKey", "rotateKey"]);
}

#[test]
fn forms_sharing_a_path_are_told_apart_by_their_flag() {
    let argv = |l: &str| l.split(' ').map(String::from).collect::<Vec<_>>();
    let hsm = find(&argv("az keyvault create --hsm-name h -g rg -l westeurope")).expect("form");
    assert_eq!(hsm.when, Some("--hsm-name"));
    let vault = find(&argv("az keyvault create --name kv -g rg -l westeurope")).expect("form");
    assert_eq!(vault.when, None);
    assert_eq!(find(&argv("new-azroleassignment -ObjectId x")).expect("cmdlet").path, "New-AzRoleAssignment");
    assert!(find(&argv("az nothing")).is_none());
}

/// The names `Command::name` gives, read from its source: its match is exhaustive, so this is
/// every variant the enum has.
fn every_variant_name() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/command/mod.rs");
    let text = std::fs::read_to_string(path).expect("command source");
    let body = text.split("pub fn name(&self)").nth(1).expect("Command::name").split("\n    }\n").next().unwrap_or("");
    body.lines().filter_map(|l| l.split("=> \"").nth(1)).map(|rest| rest.trim_end_matches("\",").to_string()).collect()
}

#[test]
fn every_variant_of_the_enum_has_an_entry_and_a_sample() {
    let names = every_variant_name();
    assert!(names.len() > 50, "read the variants: {names:?}");
    let sampled: Vec<&'static str> = one_of_each().iter().map(Command::name).collect();
    for name in &names {
        assert_eq!(entries().filter(|e| e.command == name).count(), 1, "{name} has one entry");
        assert!(sampled.contains(&name.as_str()), "{name} has a sample in one_of_each");
    }
    assert_eq!(names.len(), entries().count(), "no entry without a variant");
}

#[test]
fn a_managed_hsm_needs_retention_days_as_in_the_real_cli() {
    // Issue 19: `az keyvault create --hsm-name` without --retention-days fails in azure-cli
    // ("--retention-days is required for MHSM creation."), so a runbook rehearsed here must give it.
    let mut world = World::new();
    let mut shell = Shell::seeded(1);
    let files = MemoryFiles::default();
    for line in ["az login --username kai@contoso.onmicrosoft.com", "az group create --name rg --location westeurope"] {
        shell.run_line(&mut world, line, &files).unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    let before = world.clone();
    let refused = shell
        .run_line(&mut world, "az keyvault create --hsm-name h1 -g rg -l westeurope --administrators x", &files)
        .expect_err("refused");
    assert_eq!(refused.code(), crate::error::ErrorCode::MissingArgument);
    assert_eq!(refused.message(), "--retention-days is required for MHSM creation.");
    assert_eq!(world, before, "nothing changed");
}

/// The values a test gives an argument of the real CLI: its first choice, else a word.
fn sample(arg: &crate::command::registry::grammar::AzArg) -> Vec<String> {
    use crate::command::registry::grammar::Nargs;
    match arg.nargs {
        Nargs::Zero => vec![],
        _ => vec![arg.choices.first().copied().unwrap_or("x").to_string()],
    }
}

#[test]
fn every_argument_of_the_real_cli_is_read_acted_on_or_refused_by_name() {
    // Issue 31 item 1: the grammar drives the parser; walking it, no argument of a command the
    // shell knows is ever unknown. Each is acted on (the line parses) or refused as NotSimulated.
    use crate::command::registry::args::parse_args;
    use crate::command::registry::{grammar, specs};
    use crate::error::ErrorCode;
    let mut walked = 0;
    for spec in specs().filter(|s| s.path.starts_with("az ")) {
        let Some(cmd) = grammar::command(spec.path) else { continue };
        // What the line needs anyway: the real CLI's required arguments and the form's.
        let mut base: Vec<String> = Vec::new();
        for a in cmd.all_args().filter(|a| a.required) {
            base.push(a.options[0].to_string());
            base.extend(sample(a));
        }
        for f in spec.flags.iter().filter(|f| f.required) {
            if !base.iter().any(|w| f.names.contains(&w.as_str())) && cmd.arg(f.names[0]).is_none_or(|a| !a.required) {
                base.push(f.names[0].to_string());
                base.extend(cmd.arg(f.names[0]).map_or_else(|| vec!["x".to_string()], sample));
            }
        }
        if let Some(when) = spec.when {
            base.push(when.to_string());
            base.push("x".into());
        }
        for arg in cmd.all_args().chain(grammar::GLOBAL).filter(|a| !a.hidden) {
            if arg.options.iter().any(|o| base.contains(&o.to_string())) || arg.named("--help") {
                continue;
            }
            for name in arg.options {
                let mut line = base.clone();
                line.push(name.to_string());
                line.extend(sample(arg));
                walked += 1;
                match parse_args(spec, &line) {
                    Ok(_) => {}
                    Err(e) if e.code() == ErrorCode::NotSimulated => {
                        assert!(e.message().contains(arg.options[0]), "{}: names it: {}", spec.path, e.message());
                    }
                    Err(e) => panic!("{} {}: {e}", spec.path, line.join(" ")),
                }
            }
        }
    }
    assert!(walked > 300, "the walk covered the grammar ({walked} arguments)");
}

#[test]
fn az_lines_are_refused_in_the_real_clis_words_and_change_nothing() {
    // Issue 31 item 1: unrecognized, required, invalid choice; three-state flags alone mean true.
    let mut world = World::new();
    let mut shell = Shell::seeded(1);
    let files = MemoryFiles::default();
    for line in ["az login --username kai@contoso.onmicrosoft.com", "az group create -n rg -l westeurope"] {
        shell.run_line(&mut world, line, &files).unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    let before = world.clone();
    let refused =
        |shell: &mut Shell, world: &mut World, line: &str| shell.run_line(world, line, &files).expect_err(line);
    let e = refused(&mut shell, &mut world, "az group create --name rg2 --location westeurope --foo bar");
    assert_eq!(e.code(), crate::error::ErrorCode::UnknownArgument);
    assert!(e.message().starts_with("unrecognized arguments: --foo bar."), "{}", e.message());
    let e = refused(&mut shell, &mut world, "az group create --name rg2");
    assert!(e.message().starts_with("the following arguments are required: --location/-l."), "{}", e.message());
    let e = refused(&mut shell, &mut world, "az keyvault key create --vault-name kv --name k --kty DSA");
    assert_eq!(e.code(), crate::error::ErrorCode::InvalidArgumentValue);
    assert_eq!(
        e.message(),
        "argument --kty: invalid choice: 'DSA' (choose from 'EC', 'EC-HSM', 'RSA', 'RSA-HSM', 'oct', 'oct-HSM')"
    );
    let e = refused(&mut shell, &mut world, "az group create -n rg2 -l westeurope --managed-by x");
    assert_eq!(e.code(), crate::error::ErrorCode::NotSimulated);
    assert!(e.message().starts_with("--managed-by is an argument of 'az group create'"), "{}", e.message());
    let e = refused(
        &mut shell,
        &mut world,
        "az keyvault create -n kv1 -g rg -l westeurope --enable-purge-protection maybe",
    );
    assert!(e.message().contains("invalid choice: 'maybe' (choose from 'true', 'false')"), "{}", e.message());
    assert_eq!(world, before, "refused lines change nothing");
    // `--enable-purge-protection` alone means true, as in the real CLI.
    let out = shell
        .run_line(&mut world, "az keyvault create -n kv1 -g rg -l westeurope --enable-purge-protection", &files)
        .expect("created");
    assert_eq!(out.to_json()["properties"]["enablePurgeProtection"], true);
    // The global log levels are taken (the playground prints no warnings or traces).
    shell.run_line(&mut world, "az keyvault show -n kv1 --only-show-errors --verbose", &files).expect("global args");
}

#[test]
fn the_playgrounds_own_az_arguments_are_few_and_named() {
    // Issue 31 item 1: an az form acts on the real CLI's arguments; the only ones the playground
    // adds are these (COMMANDS.md keeps --enable-soft-delete for legacy vaults; a Managed HSM's
    // settings are updated with `az keyvault update --hsm-name`, as the page's Undo writes them).
    use crate::command::registry::{grammar, specs};
    const OWN: &[(&str, &str)] = &[
        ("az keyvault create", "--enable-soft-delete"),
        ("az keyvault update", "--enable-soft-delete"),
        ("az keyvault update", "--hsm-name"),
    ];
    let mut own = Vec::new();
    for spec in specs().filter(|s| s.path.starts_with("az ")) {
        let Some(cmd) = grammar::command(spec.path) else { continue };
        for name in spec.flags.iter().flat_map(|f| f.names.iter()) {
            if cmd.arg(name).is_none() {
                own.push((spec.path, *name));
            }
        }
    }
    own.sort_unstable();
    own.dedup();
    let mut expected = OWN.to_vec();
    expected.sort_unstable();
    assert_eq!(own, expected);
}

#[test]
fn everyday_az_lines_admins_type_run_as_in_the_real_cli() {
    // Issue 31: lines Key Vault admins type every day (each parses in azure-cli 2.91.0), refused
    // before; and --subscription names the tenant's one subscription.
    let mut world = World::new();
    let mut shell = Shell::seeded(1);
    let files = MemoryFiles::default();
    let kai_id = "9e4d2a7b-1c3f-4b8a-a6e2-7f0c5d9b1e02";
    let lines = [
        "az login --username kai@contoso.onmicrosoft.com",
        "az account set --subscription 'Contoso Production'",
        "az account list --query [0].id -o tsv",
        "az ad signed-in-user show --query userPrincipalName -o tsv",
        "az provider register --namespace Microsoft.KeyVault --wait",
        "az provider show --namespace Microsoft.KeyVault --query registrationState -o tsv",
        "az group create -n rg-cmk -l westeurope --only-show-errors",
        "az group show --name rg-cmk --query name -o tsv",
        "az group exists -n rg-cmk",
        "az keyvault create -n kv-cmk-01 -g rg-cmk -l westeurope --enable-purge-protection --enable-rbac-authorization false",
        "az keyvault set-policy --name kv-cmk-01 --upn kai@contoso.onmicrosoft.com --key-permissions get wrapKey unwrapKey",
        "az role assignment create --assignee-object-id OID --assignee-principal-type User --role Reader --scope /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk",
        "az role assignment list --all --query [0].roleDefinitionName -o tsv",
        "az resource show -g rg-cmk -n kv-cmk-01 --resource-type Microsoft.KeyVault/vaults --query name -o tsv",
        "az keyvault show -n kv-cmk-01 --subscription 00000000-0000-0000-0000-000000000001 --query name -o tsv",
    ];
    let mut said = Vec::new();
    for line in lines {
        let line = line.replace("OID", kai_id);
        let out = shell.run_line(&mut world, &line, &files).unwrap_or_else(|e| panic!("{line}: {e}"));
        said.push(out.captured().trim_end().to_string());
    }
    assert_eq!(said[1], "", "az account set prints nothing");
    assert_eq!(said[2], "00000000-0000-0000-0000-000000000001");
    assert_eq!(said[3], "kai@contoso.onmicrosoft.com");
    assert_eq!(said[5], "Registered");
    assert_eq!(said[7], "rg-cmk");
    assert_eq!(said[8], "true");
    assert_eq!(said[13], "kv-cmk-01");
    assert_eq!(said[14], "kv-cmk-01");
    let providers =
        shell.run_line(&mut world, "az provider list --query [].namespace -o tsv", &files).expect("providers");
    assert!(providers.captured().contains("Microsoft.PowerPlatform"), "{providers:?}");
    let before = world.clone();
    for (line, code) in [
        ("az ad sp show --id 00000000-0000-0000-0000-00000000ffff", crate::error::ErrorCode::PrincipalNotFound),
        ("az account set --subscription Fabrikam", crate::error::ErrorCode::SubscriptionNotFound),
        ("az keyvault show -n kv-cmk-01 --subscription Fabrikam", crate::error::ErrorCode::SubscriptionNotFound),
        ("az group show -n rg-nope", crate::error::ErrorCode::ResourceGroupNotFound),
        ("az provider unregister --namespace Microsoft.KeyVault --wait", crate::error::ErrorCode::Conflict),
        ("az role assignment create --role Reader --scope /subscriptions/x", crate::error::ErrorCode::MissingArgument),
        ("az group create -n rg2 -l westeurope --managed-by x", crate::error::ErrorCode::NotSimulated),
    ] {
        let e = shell.run_line(&mut world, line, &files).expect_err(line);
        assert_eq!(e.code(), code, "{line}: {e}");
    }
    assert_eq!(world, before, "refused lines change nothing");
}

#[test]
fn tags_are_kept_shown_and_changed_never_acted_on() {
    // SPEC KV-14: --tags on vaults and keys (a key's per version), shown by show, changed by
    // set-attributes (an empty value clears them); a rotation keeps the current version's.
    let mut world = World::new();
    let mut shell = Shell::seeded(1);
    let files = MemoryFiles::default();
    let mut run =
        |line: &str| shell.run_line(&mut world, line, &files).unwrap_or_else(|e| panic!("{line}: {e}")).to_json();
    run("az login --username kai@contoso.onmicrosoft.com");
    run("az group create -n rg -l westeurope");
    let vault = run("az keyvault create -n kv-tags -g rg -l westeurope --enable-rbac-authorization false --tags env=prod 'cost center=42'");
    assert_eq!(vault["tags"]["env"], "prod");
    assert_eq!(vault["tags"]["cost center"], "42");
    assert_eq!(run("az keyvault show -n kv-tags")["tags"]["env"], "prod");
    run("az keyvault set-policy -n kv-tags --upn kai@contoso.onmicrosoft.com --key-permissions all");
    let key = run("az keyvault key create --vault-name kv-tags -n cmk --size 2048 --tags purpose=powerplatform");
    assert_eq!(key["tags"]["purpose"], "powerplatform");
    run("az keyvault key rotate --vault-name kv-tags -n cmk");
    assert_eq!(
        run("az keyvault key show --vault-name kv-tags -n cmk")["tags"]["purpose"],
        "powerplatform",
        "kept by a rotation"
    );
    let changed = run("az keyvault key set-attributes --vault-name kv-tags -n cmk --tags purpose=test owner=kai");
    assert_eq!(changed["tags"]["owner"], "kai");
    let cleared = run("az keyvault key set-attributes --vault-name kv-tags -n cmk --tags ''");
    assert!(cleared.get("tags").is_none(), "cleared: {cleared}");
}

#[test]
fn ops_are_kept_shown_and_enforced_from_the_shell() {
    // SPEC KV-13: --ops on key create and set-attributes, shown as key_ops; an operation outside
    // them is refused with Key Vault's inner code, and a bad name changes nothing.
    let mut world = World::new();
    let mut shell = Shell::seeded(1);
    let files = MemoryFiles::default();
    let mut run = |line: &str| shell.run_line(&mut world, line, &files);
    for line in [
        "az login --username kai@contoso.onmicrosoft.com",
        "az group create -n rg -l westeurope",
        "az keyvault create -n kv-ops -g rg -l westeurope --enable-rbac-authorization false",
        "az keyvault set-policy -n kv-ops --upn kai@contoso.onmicrosoft.com --key-permissions all",
    ] {
        run(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    let key =
        run("az keyvault key create --vault-name kv-ops -n cmk --ops wrapkey UNWRAPKEY").expect("created").to_json();
    assert_eq!(key["key"]["key_ops"], serde_json::json!(["wrapKey", "unwrapKey"]));
    let refused =
        run("az keyvault key encrypt --vault-name kv-ops -n cmk -a RSA-OAEP-256 --value AAAA").expect_err("encrypt");
    assert_eq!(refused.code(), crate::error::ErrorCode::KeyOperationForbidden, "{refused}");
    let bad = run("az keyvault key set-attributes --vault-name kv-ops -n cmk --ops wrap").expect_err("bad choice");
    assert_eq!(bad.code(), crate::error::ErrorCode::InvalidArgumentValue, "the grammar's choices: {bad}");
    let shown = run("az keyvault key set-attributes --vault-name kv-ops -n cmk --ops encrypt wrapKey unwrapKey")
        .expect("set")
        .to_json();
    assert_eq!(shown["key"]["key_ops"], serde_json::json!(["encrypt", "wrapKey", "unwrapKey"]));
    run("az keyvault key encrypt --vault-name kv-ops -n cmk -a RSA-OAEP-256 --value AAAA")
        .expect("encrypt permitted now");
}

#[test]
fn resource_groups_keep_tags_and_delete_with_everything_in_them() {
    // SPEC KV-14: --tags on az group create / update, shown by show. az group delete takes the
    // group's vaults (soft-deleted) and policies with it, refuses while a policy has linked
    // environments (SPEC EP-6) with nothing deleted, and removes the role assignments under it.
    let mut world = World::new();
    let mut shell = Shell::seeded(1);
    let files = MemoryFiles::default();
    let mut run = |world: &mut World, line: &str| {
        shell.run_line(world, line, &files).unwrap_or_else(|e| panic!("{line}: {e}")).to_json()
    };
    run(&mut world, "az login --username kai@contoso.onmicrosoft.com");
    let rg = run(&mut world, "az group create -n rg-cmk -l westeurope --tags env=prod 'cost center=42'");
    assert_eq!(rg["tags"]["cost center"], "42");
    assert_eq!(run(&mut world, "az group show -n rg-cmk")["tags"]["env"], "prod");
    let updated = run(&mut world, "az group update -n rg-cmk --tags owner=kai");
    assert_eq!(updated["tags"], serde_json::json!({ "owner": "kai" }), "the tags become these");
    let again = run(&mut world, "az group create -n rg-cmk -l westeurope");
    assert!(again.get("tags").is_none(), "a create again is a PUT: {again}");
    run(&mut world, "az keyvault create -n kv-in-rg -g rg-cmk -l westeurope --enable-purge-protection");
    let kai = world.user_by_upn("kai@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).unwrap_or_default();
    let scope = format!("/subscriptions/{}/resourceGroups/rg-cmk", crate::azure::SUBSCRIPTION_ID);
    run(&mut world, &format!("az role assignment create --assignee {kai} --role Reader --scope {scope}"));
    let all = run(&mut world, "az role assignment list --all");
    assert!(all.as_array().is_some_and(|a| a.iter().any(|r| r["scope"] == scope.as_str())), "{all}");

    // Refused by someone without the right: nothing changes.
    let before = world.clone();
    let mut other = Shell::seeded(2);
    other.run_line(&mut world, "az login --username priya@contoso.onmicrosoft.com", &files).expect("sign in");
    let refused = other.run_line(&mut world, "az group delete -n rg-cmk --yes", &files).expect_err("Priya");
    assert_eq!(refused.code(), crate::error::ErrorCode::AuthorizationFailed, "{refused}");
    let mut after = world.clone();
    after.azure.signed_in = before.azure.signed_in.clone();
    assert!(after == before, "a refused delete changes nothing");

    run(&mut world, "az login --username kai@contoso.onmicrosoft.com");
    let gone = run(&mut world, "az group delete -n rg-cmk --yes");
    assert_eq!(gone["vaultsSoftDeleted"], serde_json::json!(["kv-in-rg"]));
    assert_eq!(run(&mut world, "az group exists -n rg-cmk"), serde_json::json!(false));
    let deleted = run(&mut world, "az keyvault list-deleted --query [].name");
    assert_eq!(deleted, serde_json::json!(["kv-in-rg"]), "soft-deleted, its name reserved");
    let all = run(&mut world, "az role assignment list --all");
    let under = all.as_array().map_or(0, |a| a.iter().filter(|r| r["scope"] == scope.as_str()).count());
    assert_eq!(under, 0, "assignments at the group went with it: {all}");
    let e = other.run_line(&mut world, "az keyvault recover -n kv-in-rg", &files).expect_err("no group");
    assert_eq!(e.code(), crate::error::ErrorCode::ResourceGroupNotFound, "recover needs the group again: {e}");
    run(&mut world, "az group create -n rg-cmk -l westeurope");
    run(&mut world, "az keyvault recover -n kv-in-rg");
}

#[test]
fn service_principals_are_the_policies_identities() {
    // az ad sp list: a policy's managed identity, by the start of its display name, as Graph's
    // startswith (any case); managed identities have no owner, so --show-mine lists none.
    let (mut f, _, principal) = crate::tests::policy::with_policy(true);
    let mut shell = Shell::seeded(1);
    let files = MemoryFiles::default();
    let mut run = |line: &str| shell.run_line(&mut f.world, line, &files);
    run("az login --username kai@contoso.onmicrosoft.com").expect("sign in");
    let all = run("az ad sp list --all").expect("list").to_json();
    assert_eq!(all[0]["id"], principal.as_str(), "{all}");
    assert_eq!(all[0]["servicePrincipalType"], "ManagedIdentity");
    let by_name = run("az ad sp list --display-name EP-").expect("by name").to_json();
    assert_eq!(by_name.as_array().map(Vec::len), Some(1), "{by_name}");
    assert_eq!(run("az ad sp list --display-name other").expect("none").to_json(), serde_json::json!([]));
    assert_eq!(run("az ad sp list --show-mine").expect("mine").to_json(), serde_json::json!([]));
    let e = run("az ad sp list --filter \"displayName eq 'x'\"").expect_err("not simulated");
    assert_eq!(e.code(), crate::error::ErrorCode::NotSimulated, "{e}");
    assert!(e.message().contains("OData"), "says what the real CLI would have done: {e}");
    let help = run("az ad sp list --help").expect("help").captured();
    assert!(help.contains("--filter") && help.contains("Microsoft Graph OData"), "{help}");
}

#[test]
fn role_assignment_list_by_scope_reads_as_the_real_cli() {
    // `--scope S` lists the assignments made at S only; `--include-inherited` adds those made at
    // the scopes above it (the subscription's); those below S are never listed.
    let mut world = World::new();
    let mut shell = Shell::seeded(1);
    let files = MemoryFiles::default();
    let mut run = |world: &mut World, line: &str| {
        shell.run_line(world, line, &files).unwrap_or_else(|e| panic!("{line}: {e}")).to_json()
    };
    run(&mut world, "az login --username kai@contoso.onmicrosoft.com");
    run(&mut world, "az group create -n rg-cmk -l westeurope");
    let sub = format!("/subscriptions/{}", crate::azure::SUBSCRIPTION_ID);
    let rg = format!("{sub}/resourceGroups/rg-cmk");
    let priya = world.user_by_upn("priya@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).unwrap_or_default();
    run(&mut world, &format!("az role assignment create --assignee {priya} --role Reader --scope {rg}"));
    let scopes = |v: serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|r| r["scope"].as_str().map(str::to_lowercase)).collect())
            .unwrap_or_default()
    };
    let at_rg = scopes(run(&mut world, &format!("az role assignment list --scope {rg}")));
    assert_eq!(at_rg, [rg.to_lowercase()], "only the group's own");
    let inherited = scopes(run(&mut world, &format!("az role assignment list --scope {rg} --include-inherited")));
    assert!(inherited.contains(&rg.to_lowercase()) && inherited.contains(&sub.to_lowercase()), "{inherited:?}");
    let at_sub = scopes(run(&mut world, &format!("az role assignment list --scope {sub}")));
    assert!(!at_sub.is_empty() && !at_sub.contains(&rg.to_lowercase()), "nothing from below: {at_sub:?}");
    // -g names the group as the scope; --role and --assignee-object-id filter as the real CLI.
    assert_eq!(scopes(run(&mut world, "az role assignment list -g rg-cmk")), [rg.to_lowercase()]);
    let readers = run(&mut world, "az role assignment list --all --role reader");
    assert!(
        readers.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(|r| r["roleDefinitionName"] == "Reader")),
        "{readers}"
    );
    let by_guid = run(&mut world, "az role assignment list --all --role acdd72a7-3385-48ef-bd42-f606fba81ae7");
    assert_eq!(by_guid, readers, "the Reader role by its definition id");
    let hers = run(&mut world, &format!("az role assignment list --all --assignee-object-id {priya}"));
    assert!(hers.as_array().is_some_and(|a| a.len() == 1 && a[0]["principalId"] == priya.as_str()), "{hers}");
    let before = world.clone();
    for (line, code) in [
        (format!("az role assignment list -g rg-cmk --scope {rg}"), crate::error::ErrorCode::InvalidArgumentValue),
        ("az role assignment list --role Janitor".into(), crate::error::ErrorCode::RoleDefinitionNotFound),
    ] {
        let e = shell.run_line(&mut world, &line, &files).expect_err(&line);
        assert_eq!(e.code(), code, "{line}: {e}");
    }
    assert_eq!(world, before);
}

#[test]
fn every_az_command_has_help_examples_that_parse_and_help_prints_them() {
    // Issue 31 item 5: --help shows examples; each parses here (and, in `cargo xtask test`, in
    // the real CLI: `cmk-cli az-lines` writes them for its parser).
    use crate::command::registry::args::parse_args;
    use crate::command::registry::{examples::examples, find, specs};
    let mut checked = 0;
    for spec in specs().filter(|s| s.path.starts_with("az ")) {
        let list = examples(spec.path);
        assert!(!list.is_empty(), "{}: no --help example", spec.path);
        let help = spec.usage();
        for line in list {
            assert!(help.contains(line), "{}: --help prints {line}", spec.path);
            let words: Vec<String> = crate::shell::lexer::words(line)
                .unwrap_or_else(|e| panic!("{line}: {e}"))
                .into_iter()
                .map(|w| {
                    w.pieces
                        .iter()
                        .map(|p| match p {
                            crate::shell::lexer::Piece::Text(t) => t.clone(),
                            _ => panic!("{line}: an example expands nothing"),
                        })
                        .collect()
                })
                .collect();
            let found = find(&words).unwrap_or_else(|| panic!("{line}: no form"));
            assert!(line.starts_with(found.path), "{line}: read as {}", found.path);
            let depth = found.path.split(' ').count();
            parse_args(found, &words[depth..]).unwrap_or_else(|e| panic!("{line}: {e}"));
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked} examples");
}

#[test]
fn the_forms_acts_lists_never_contradict_the_real_clis_grammar() {
    // Issue 31 item 1: for an az form the grammar says what an argument is (names, values,
    // required); the form's list only says which ones it acts on. Where the list names a real
    // argument, it must agree with the grammar: the same names, a compatible arity, and never
    // optional where the real CLI requires it.
    use crate::command::registry::grammar::{self, Nargs};
    use crate::command::registry::spec::Arity;
    use crate::command::registry::specs;
    let mut problems = Vec::new();
    for spec in specs().filter(|s| s.path.starts_with("az ")) {
        let Some(cmd) = grammar::command(spec.path) else { continue };
        for f in spec.flags {
            let Some(real) = cmd.arg(f.names[0]) else { continue };
            for n in f.names {
                if !real.options.contains(n) {
                    problems.push(format!("{} {}: '{n}' is not a name of {}", spec.path, f.names[0], real.display()));
                }
            }
            let fits = match f.arity {
                Arity::Switch => matches!(real.nargs, Nargs::Zero | Nargs::Optional),
                Arity::One => matches!(real.nargs, Nargs::One | Nargs::Optional),
                Arity::Many => matches!(real.nargs, Nargs::Any | Nargs::Some),
            };
            if !fits {
                problems.push(format!(
                    "{} {}: {:?} where the real CLI takes {:?}",
                    spec.path, f.names[0], f.arity, real.nargs
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
