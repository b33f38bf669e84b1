//! Azure outside Key Vault: sign-in, the directory, providers, resource groups, role
//! assignments, networking, deployments, resources and Resource Graph.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;

use super::err;
use super::line::{lines_for_file, one, Line, TEMPLATE_FILE};
use super::spec::{opt, req, Flag, Spec};
use super::{render, Entry};
use crate::command::Command;
use crate::error::{Error, ErrorCode};
use crate::time::SimDuration;

const ROLE: &[Flag] = &[
    opt(&["--assignee"], "object id or UPN of the principal"),
    opt(&["--assignee-object-id"], "the principal's object id (instead of --assignee)"),
    opt(&["--assignee-principal-type"], "User, Group or ServicePrincipal (the playground finds it from the id)"),
    req(&["--role"], "role name, e.g. \"Key Vault Crypto Service Encryption User\""),
    req(&["--scope"], "ARM id of the subscription, group or resource"),
];

/// `az role assignment delete`: the assignment by principal, role and scope.
const ROLE_DELETE: [Flag; 4] = [
    opt(&["--assignee"], "object id or UPN of the principal"),
    opt(&["--assignee-object-id"], "the principal's object id (instead of --assignee)"),
    req(&["--role"], "role name"),
    req(&["--scope"], "ARM id of the subscription, group or resource"),
];

/// `--ids`, or the id `-g`, `-n` and `--resource-type` spell (the real CLI's two ways).
fn resource_id(a: &super::args::Args) -> Result<alloc::string::String, crate::error::Error> {
    match a.many("--ids").as_slice() {
        [] => {}
        [id] => return Ok(id.clone()),
        _ => {
            return Err(err(
                ErrorCode::NotSimulated,
                "--ids with more than one id acts on each in the real CLI; here give one id per line, so the line was not run.".into(),
            ))
        }
    }
    match (a.flag("--resource-group"), a.flag("--name"), a.flag("--resource-type")) {
        (Some(g), Some(n), Some(t)) => {
            Ok(format!("/subscriptions/{}/resourceGroups/{g}/providers/{t}/{n}", crate::azure::SUBSCRIPTION_ID))
        }
        _ => Err(err(
            ErrorCode::MissingArgument,
            "usage error: --ids ID [ID …] | --resource-group RG --name NAME --resource-type TYPE".into(),
        )),
    }
}

/// `--assignee` or `--assignee-object-id`, as the real CLI takes either.
fn assignee(a: &super::args::Args) -> Result<alloc::string::String, crate::error::Error> {
    a.flag("--assignee").or_else(|| a.flag("--assignee-object-id")).map(Into::into).ok_or_else(|| {
        err(ErrorCode::MissingArgument, "usage error: --assignee STRING | --assignee-object-id GUID".into())
    })
}

pub(super) static COMMANDS: &[Entry] = &[
    Entry::change(
        "signIn",
        &[Spec::build(
            "az login",
            "sign in as a persona",
            &[req(&["--username", "-u"], "user principal name")],
            |a, _| Ok(Command::SignIn { upn: a.req("--username") }),
        )],
        render!(w, Command::SignIn { upn } => one(Line::new("az login").flag("--username", upn))),
    ),
    Entry::read(
        "showUser",
        &[Spec::build(
            "az ad user show",
            "a user's object id and UPN",
            &[req(&["--id"], "UPN or object id")],
            |a, _| Ok(Command::ShowUser { id: a.req("--id") }),
        )],
        render!(w, Command::ShowUser { id } => one(Line::new("az ad user show").flag("--id", id))),
    ),
    Entry::change(
        "registerProvider",
        &[Spec::build(
            "az provider register",
            "register a resource provider on the subscription",
            &[
                req(&["--namespace", "-n"], "e.g. Microsoft.PowerPlatform"),
                super::spec::switch(&["--wait"], "wait for the registration (here it completes at once)"),
            ],
            |a, _| Ok(Command::RegisterProvider { namespace: a.req("--namespace") }),
        )],
        render!(w, Command::RegisterProvider { namespace } => one(Line::new("az provider register").flag("--namespace", namespace))),
    ),
    Entry::change(
        "unregisterProvider",
        &[Spec::build(
            "az provider unregister",
            "unregister a resource provider (refused while the subscription has resources of it)",
            &[
                req(&["--namespace", "-n"], "e.g. Microsoft.PowerPlatform"),
                super::spec::switch(&["--wait"], "wait for it (here it completes at once)"),
            ],
            |a, _| Ok(Command::UnregisterProvider { namespace: a.req("--namespace") }),
        )],
        render!(w, Command::UnregisterProvider { namespace } => one(Line::new("az provider unregister").flag("--namespace", namespace))),
    ),
    Entry::change(
        "createResourceGroup",
        &[Spec::build(
            "az group create",
            "create a resource group",
            &[
                req(&["--name", "-n", "--resource-group", "-g"], "name"),
                req(&["--location", "-l"], "Azure region"),
                super::spec::many(
                    &["--tags"],
                    false,
                    "key=value …: kept and shown, never acted on (again on an existing group: replaces them)",
                ),
            ],
            |a, _| {
                Ok(Command::CreateResourceGroup {
                    name: a.req("--name"),
                    location: a.req("--location"),
                    tags: a.tags().unwrap_or_default(),
                })
            },
        )],
        render!(w, Command::CreateResourceGroup { name, location, tags } => one(Line::new("az group create")
            .flag("--name", name)
            .flag("--location", location)
            .tags(Some(tags).filter(|t| !t.is_empty())))),
    ),
    Entry::change(
        "updateResourceGroup",
        &[Spec::build(
            "az group update",
            "change a resource group's tags",
            &[
                req(&["--name", "-n", "--resource-group", "-g"], "name"),
                super::spec::many(&["--tags"], true, "key=value …: the group's tags become these (\"\" clears them)"),
            ],
            |a, _| Ok(Command::UpdateResourceGroup { name: a.req("--name"), tags: a.tags().unwrap_or_default() }),
        )],
        render!(w, Command::UpdateResourceGroup { name, tags } => one(Line::new("az group update").flag("--name", name).tags(Some(tags)))),
    ),
    Entry::change(
        "deleteResourceGroup",
        &[Spec::build(
            "az group delete",
            "delete a resource group and everything in it (vaults are soft-deleted)",
            &[
                req(&["--name", "-n", "--resource-group", "-g"], "name"),
                super::spec::switch(&["--yes", "-y"], "do not ask (the shell never asks)"),
                super::spec::switch(&["--no-wait"], "do not wait (here it completes at once)"),
            ],
            |a, _| Ok(Command::DeleteResourceGroup { name: a.req("--name") }),
        )],
        render!(w, Command::DeleteResourceGroup { name } => one(Line::new("az group delete").flag("--name", name).switch("--yes", true))),
    ),
    Entry::change(
        "createRoleAssignment",
        &[
            Spec::build("az role assignment create", "assign an Azure role", ROLE, |a, _| {
                Ok(Command::CreateRoleAssignment {
                    assignee: assignee(a)?,
                    role: a.req("--role"),
                    scope: a.req("--scope"),
                })
            }),
            Spec::build(
                "New-AzRoleAssignment",
                "Az PowerShell: assign an Azure role",
                &[
                    req(&["-ObjectId"], "object id"),
                    req(&["-RoleDefinitionName"], "role name"),
                    req(&["-Scope"], "ARM id"),
                ],
                |a, _| {
                    Ok(Command::CreateRoleAssignment {
                        assignee: a.req("-ObjectId"),
                        role: a.req("-RoleDefinitionName"),
                        scope: a.req("-Scope"),
                    })
                },
            ),
        ],
        render!(w, Command::CreateRoleAssignment { assignee, role, scope } => one(Line::new("az role assignment create")
            .flag("--assignee", assignee)
            .flag("--role", role)
            .flag("--scope", scope))),
    ),
    Entry::change(
        "deleteRoleAssignment",
        &[Spec::build("az role assignment delete", "remove an Azure role assignment", &ROLE_DELETE, |a, _| {
            Ok(Command::DeleteRoleAssignment { assignee: assignee(a)?, role: a.req("--role"), scope: a.req("--scope") })
        })],
        render!(w, Command::DeleteRoleAssignment { assignee, role, scope } => one(Line::new("az role assignment delete")
            .flag("--assignee", assignee)
            .flag("--role", role)
            .flag("--scope", scope))),
    ),
    Entry::read(
        "listRoleAssignments",
        &[Spec::build(
            "az role assignment list",
            "role assignments you can see",
            &[
                opt(&["--assignee"], "object id or UPN"),
                opt(&["--assignee-object-id"], "the assignee's object id"),
                opt(&["--role"], "only this role's: its name or definition id"),
                opt(&["--scope"], "ARM id"),
                opt(&["--resource-group", "-g"], "the resource group as the scope"),
                super::spec::switch(&["--all"], "every scope (what the persona can see)"),
                super::spec::switch(&["--include-inherited"], "with --scope: those made at the scopes above it too"),
            ],
            |a, _| {
                Ok(Command::ListRoleAssignments {
                    assignee: a.flag("--assignee").or_else(|| a.flag("--assignee-object-id")).map(Into::into),
                    scope: role_scope(a)?,
                    include_inherited: a.flag("--include-inherited").is_some(),
                    role: a.flag("--role").map(Into::into),
                })
            },
        )],
        render!(w, Command::ListRoleAssignments { assignee, scope, include_inherited, role } => one(Line::new("az role assignment list")
            .opt("--assignee", assignee.as_deref())
            .opt("--role", role.as_deref())
            .opt("--scope", scope.as_deref())
            .switch("--include-inherited", *include_inherited))),
    ),
    Entry::change(
        "createPrivateEndpoint",
        &[Spec::build(
            "az network private-endpoint create",
            "a private endpoint to a key vault",
            &[
                req(&["--name", "-n"], "endpoint name"),
                req(&["--resource-group", "-g"], "resource group"),
                req(&["--private-connection-resource-id"], "the vault's ARM id"),
                opt(&["--vnet-name"], "virtual network"),
                opt(&["--subnet"], "subnet"),
                super::spec::many(&["--group-id", "--group-ids"], false, "vault"),
                opt(&["--connection-name"], "connection name"),
            ],
            |a, _| {
                let target = a.req("--private-connection-resource-id");
                let vault = target.rsplit('/').next().unwrap_or_default().to_string();
                Ok(Command::CreatePrivateEndpoint {
                    name: a.req("--name"),
                    resource_group: a.req("--resource-group"),
                    vault,
                })
            },
        )],
        render!(w, Command::CreatePrivateEndpoint { name, resource_group, vault } => {
            let id = w.vault_id(vault).unwrap_or_else(|| vault.clone());
            one(Line::new("az network private-endpoint create")
                .flag("--name", name)
                .flag("--resource-group", resource_group)
                .flag("--private-connection-resource-id", &id)
                // The real CLI requires them; the playground's network has one subnet for them.
                .flag("--vnet-name", "vnet-cmk")
                .flag("--subnet", "default")
                .flag("--group-id", "vault")
                .flag("--connection-name", name))
        }),
    ),
    Entry::change(
        "deployTemplate",
        &[Spec::build(
            "az deployment group create",
            "deploy an ARM template (the enterprise-policy template)",
            &[req(&["--resource-group", "-g"], "resource group"), req(&["--template-file", "-f"], "template file")],
            |a, cx| {
                let template = cx
                    .files
                    .read(&a.req("--template-file"))
                    .map_err(|e| err(ErrorCode::FileNotFound, format!("Cannot read the template: {e}.")))?;
                Ok(Command::DeployTemplate { resource_group: a.req("--resource-group"), template })
            },
        )],
        render!(w, Command::DeployTemplate { resource_group, template } => Some(vec![
            lines_for_file(TEMPLATE_FILE, template),
            Line::new("az deployment group create")
                .flag("--resource-group", resource_group)
                .flag("--template-file", TEMPLATE_FILE)
                .done(),
        ])),
    ),
    Entry::read(
        "listDeployments",
        &[Spec::build(
            "az deployment group list",
            "a resource group's deployments",
            &[req(&["--resource-group", "-g"], "resource group")],
            |a, _| Ok(Command::ListDeployments { resource_group: a.req("--resource-group") }),
        )],
        render!(w, Command::ListDeployments { resource_group } => one(Line::new("az deployment group list").flag("--resource-group", resource_group))),
    ),
    Entry::read(
        "showDeployment",
        &[Spec::build(
            "az deployment group show",
            "one deployment of a resource group",
            &[req(&["--resource-group", "-g"], "resource group"), req(&["--name", "-n"], "deployment name")],
            |a, _| Ok(Command::ShowDeployment { resource_group: a.req("--resource-group"), name: a.req("--name") }),
        )],
        render!(w, Command::ShowDeployment { resource_group, name } => one(Line::new("az deployment group show")
            .flag("--resource-group", resource_group)
            .flag("--name", name))),
    ),
    Entry::read(
        "showResource",
        &[Spec::build(
            "az resource show",
            "a resource by ARM id, or by group, name and type",
            &[
                super::spec::many(&["--ids"], false, "ARM id (one per line here)"),
                opt(&["--resource-group", "-g"], "resource group (with --name and --resource-type)"),
                opt(&["--name", "-n"], "resource name"),
                opt(&["--resource-type"], "e.g. Microsoft.KeyVault/vaults"),
            ],
            |a, _| Ok(Command::ShowResource { id: resource_id(a)? }),
        )],
        render!(w, Command::ShowResource { id } => one(Line::new("az resource show").flag("--ids", id))),
    ),
    Entry::change(
        "deleteResource",
        &[Spec::build(
            "az resource delete",
            "delete a resource by ARM id",
            &[super::spec::many(&["--ids"], true, "ARM id (one per line here)")],
            |a, _| Ok(Command::DeleteResource { id: resource_id(a)? }),
        )],
        render!(w, Command::DeleteResource { id } => one(Line::new("az resource delete").flag("--ids", id))),
    ),
    Entry::read(
        "graphQuery",
        &[Spec::build(
            "az graph query",
            "Resource Graph: resources | where type =~ '…'",
            &[req(&["--graph-query", "-q"], "the query")],
            |a, _| Ok(Command::GraphQuery { query: a.req("--graph-query") }),
        )],
        render!(w, Command::GraphQuery { query } => one(Line::new("az graph query").flag("--graph-query", query))),
    ),
    Entry::read(
        "listActivityLog",
        &[Spec::build(
            "az monitor activity-log list",
            "Azure's activity log: who made which management operation, newest first",
            &[
                opt(&["--resource-group", "-g"], "only the group's operations (its own and its resources')"),
                opt(&["--resource-id"], "only this resource's operations"),
                opt(&["--caller"], "only this caller's operations (sign-in name)"),
                opt(&["--status"], "only operations with this status (Succeeded)"),
                opt(&["--offset"], "how far back: ##d##h, e.g. 6h (the default), 7d, 1d12h"),
                opt(&["--max-events"], "at most this many events (50 by default)"),
            ],
            |a, _| {
                Ok(Command::ListActivityLog {
                    resource_group: a.flag("--resource-group").map(Into::into),
                    resource_id: a.flag("--resource-id").map(Into::into),
                    caller: a.flag("--caller").map(Into::into),
                    status: a.flag("--status").map(Into::into),
                    offset: a.flag("--offset").map_or(Ok(SimDuration::hours(6)), offset)?,
                    max_events: a.opt_number("--max-events")?.unwrap_or(50),
                })
            },
        )],
        render!(w, Command::ListActivityLog { resource_group, resource_id, caller, status, offset, max_events } => {
            let mut line = Line::new("az monitor activity-log list")
                .opt("--resource-group", resource_group.as_deref())
                .opt("--resource-id", resource_id.as_deref())
                .opt("--caller", caller.as_deref())
                .opt("--status", status.as_deref());
            if *offset != SimDuration::hours(6) {
                let s = offset.as_seconds();
                line = line.flag("--offset", &format!("{}d{}h", s / 86_400, s % 86_400 / 3600));
            }
            if *max_events != 50 {
                line = line.flag("--max-events", &max_events.to_string());
            }
            one(line)
        }),
    ),
];

/// `--offset` as the real CLI takes it: days and hours, `##d##h` (`6h`, `7d`, `1d12h`).
fn offset(text: &str) -> Result<SimDuration, Error> {
    let bad = || super::args::bad_value("--offset", text, "days and hours like 6h, 7d or 1d12h");
    let (mut hours, mut number, mut any) = (0u64, String::new(), false);
    for c in text.trim().chars() {
        match c.to_ascii_lowercase() {
            '0'..='9' => number.push(c),
            unit @ ('d' | 'h') => {
                let n: u64 = number.parse().map_err(|_| bad())?;
                hours += if unit == 'd' { n * 24 } else { n };
                number.clear();
                any = true;
            }
            _ => return Err(bad()),
        }
    }
    if !any || !number.is_empty() {
        return Err(bad());
    }
    Ok(SimDuration::hours(hours))
}

/// `--scope`, or `-g` as the real CLI reads it: the resource group's id in the subscription; both
/// at once is refused in the real CLI's words.
fn role_scope(a: &super::args::Args) -> Result<Option<String>, Error> {
    match (a.flag("--scope"), a.flag("--resource-group")) {
        (Some(_), Some(rg)) => Err(super::err(
            ErrorCode::InvalidArgumentValue,
            format!("Resource group \"{rg}\" is redundant because scope is supplied"),
        )),
        (Some(scope), None) => Ok(Some(scope.into())),
        (None, Some(rg)) => Ok(Some(format!("/subscriptions/{}/resourceGroups/{rg}", crate::azure::SUBSCRIPTION_ID))),
        (None, None) => Ok(None),
    }
}
