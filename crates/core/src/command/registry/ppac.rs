//! The Power Platform admin center (`pp`): environments, backups, enterprise policies.

use super::line::{one, Line};
use super::spec::{opt, req, switch, Flag, Spec};
use super::{render, Entry};
use crate::command::Command;

const ENV: &[Flag] = &[req(&["--environment", "--env", "-e"], "environment name or id")];
const POLICY_ENV: &[Flag] = &[
    req(&["--policy", "-p"], "policy name or ARM id"),
    req(&["--environment", "--env", "-e"], "environment name or id"),
];

/// `pp env VERB --environment ENV`: the command, the words and the line rendered back.
macro_rules! on_environment {
    ($kind:literal, $variant:ident, $words:literal, $summary:literal, $changes:ident) => {
        Entry::$changes(
            $kind,
            &[Spec::build($words, $summary, ENV, |a, _| Ok(Command::$variant { environment: a.req("--environment") }))],
            render!(w, Command::$variant { environment } => one(Line::new($words).flag("--environment", environment))),
        )
    };
}

pub(super) static COMMANDS: &[Entry] = &[
    Entry::change(
        "createEnvironment",
        &[Spec::build(
            "pp env create",
            "create an environment",
            &[
                req(&["--name", "-n"], "environment name"),
                req(&["--region", "-r"], "Power Platform region, e.g. europe"),
                req(&["--type"], "Production | Sandbox | Developer | Trial | Teams | Default | SupportInvestigation"),
                switch(&["--byok"], "encrypted with the legacy tenant key (BYOK)"),
            ],
            |a, _| {
                Ok(Command::CreateEnvironment {
                    name: a.req("--name"),
                    region: a.req("--region"),
                    env_type: a.req("--type"),
                    byok: a.flag("--byok").is_some(),
                })
            },
        )],
        render!(w, Command::CreateEnvironment { name, region, env_type, byok } => one(Line::new("pp env create")
            .flag("--name", name)
            .flag("--region", region)
            .flag("--type", env_type)
            .switch("--byok", *byok))),
    ),
    Entry::read(
        "listEnvironments",
        &[Spec::build("pp env list", "every environment", &[], |_, _| Ok(Command::ListEnvironments))],
        render!(w, Command::ListEnvironments => one(Line::new("pp env list"))),
    ),
    on_environment!(
        "showEnvironment",
        ShowEnvironment,
        "pp env show",
        "an environment: state, encryption status, policy, key version",
        read
    ),
    on_environment!("enableManaged", EnableManaged, "pp env enable-managed", "turn on Managed Environments", change),
    on_environment!("environmentHistory", EnvironmentHistory, "pp env history", "the environment's operations", read),
    on_environment!(
        "reEnableEnvironment",
        ReEnableEnvironment,
        "pp env re-enable",
        "re-enable a locked environment once key access is back",
        change
    ),
    Entry::change(
        "backupEnvironment",
        &[Spec::build(
            "pp env backup",
            "take a manual backup",
            &[req(&["--environment", "--env", "-e"], "environment"), opt(&["--label"], "label")],
            |a, _| {
                Ok(Command::BackupEnvironment {
                    environment: a.req("--environment"),
                    label: a.flag("--label").map(Into::into),
                })
            },
        )],
        render!(w, Command::BackupEnvironment { environment, label } => one(Line::new("pp env backup").flag("--environment", environment).opt("--label", label.as_deref()))),
    ),
    Entry::change(
        "restoreBackup",
        &[Spec::build(
            "pp env restore",
            "restore a backup into the same or another environment with the same key",
            &[
                req(&["--source"], "environment the backup belongs to"),
                req(&["--backup"], "backup id"),
                req(&["--target"], "environment to overwrite"),
            ],
            |a, _| {
                Ok(Command::RestoreBackup {
                    source: a.req("--source"),
                    backup: a.req("--backup"),
                    target: a.req("--target"),
                })
            },
        )],
        render!(w, Command::RestoreBackup { source, backup, target } => one(Line::new("pp env restore").flag("--source", source).flag("--backup", backup).flag("--target", target))),
    ),
    Entry::change(
        "copyEnvironment",
        &[Spec::build(
            "pp env copy",
            "copy an environment into another with the same key",
            &[req(&["--source"], "environment to copy"), req(&["--target"], "environment to overwrite")],
            |a, _| Ok(Command::CopyEnvironment { source: a.req("--source"), target: a.req("--target") }),
        )],
        render!(w, Command::CopyEnvironment { source, target } => one(Line::new("pp env copy").flag("--source", source).flag("--target", target))),
    ),
    on_environment!(
        "resetEnvironment",
        ResetEnvironment,
        "pp env reset",
        "delete data and backups, back to the Microsoft-managed key",
        change
    ),
    Entry::read(
        "listTargets",
        &[
            Spec::build(
                "pp env restore-targets",
                "where the environment's backups may be restored, and why the others may not",
                ENV,
                |a, _| Ok(Command::ListTargets { environment: a.req("--environment"), copy: false }),
            ),
            Spec::build(
                "pp env copy-targets",
                "where the environment may be copied, and why the others may not",
                ENV,
                |a, _| Ok(Command::ListTargets { environment: a.req("--environment"), copy: true }),
            ),
        ],
        render!(w, Command::ListTargets { environment, copy } => one(
            Line::new(if *copy { "pp env copy-targets" } else { "pp env restore-targets" }).flag("--environment", environment)
        )),
    ),
    Entry::read(
        "listPolicies",
        &[Spec::build("pp policy list", "enterprise policies the signed-in admin can see", &[], |_, _| {
            Ok(Command::ListPolicies)
        })],
        render!(w, Command::ListPolicies => one(Line::new("pp policy list"))),
    ),
    Entry::read(
        "showPolicy",
        &[Spec::build(
            "pp policy show",
            "a policy with its environments",
            &[req(&["--policy", "-p"], "policy name or ARM id")],
            |a, _| Ok(Command::ShowPolicy { policy: a.req("--policy") }),
        )],
        render!(w, Command::ShowPolicy { policy } => one(Line::new("pp policy show").flag("--policy", policy))),
    ),
    Entry::change(
        "addEnvironmentToPolicy",
        &[Spec::build(
            "pp policy add-environment",
            "add an environment (Save + Confirm): encrypt with the policy's key",
            POLICY_ENV,
            |a, _| {
                Ok(Command::AddEnvironmentToPolicy { policy: a.req("--policy"), environment: a.req("--environment") })
            },
        )],
        render!(w, Command::AddEnvironmentToPolicy { policy, environment } => one(Line::new("pp policy add-environment").flag("--policy", policy).flag("--environment", environment))),
    ),
    Entry::change(
        "removeEnvironmentFromPolicy",
        &[Spec::build(
            "pp policy remove-environment",
            "remove an environment: revert to the Microsoft-managed key",
            POLICY_ENV,
            |a, _| {
                Ok(Command::RemoveEnvironmentFromPolicy {
                    policy: a.req("--policy"),
                    environment: a.req("--environment"),
                })
            },
        )],
        render!(w, Command::RemoveEnvironmentFromPolicy { policy, environment } => one(Line::new("pp policy remove-environment").flag("--policy", policy).flag("--environment", environment))),
    ),
    Entry::change(
        "adminApi",
        &[Spec::build(
            "pp rest",
            "call the admin API (the admin module's InvokeApi)",
            &[
                req(&["--method", "-m"], "GET | POST"),
                req(&["--uri", "--url", "-u"], "the route"),
                opt(&["--body", "-b"], "JSON body"),
            ],
            |a, _| {
                Ok(Command::AdminApi {
                    method: a.req("--method"),
                    uri: a.req("--uri"),
                    body: a.flag("--body").map(Into::into),
                })
            },
        )],
        render!(w, Command::AdminApi { method, uri, body } => one(Line::new("pp rest")
            .flag("--method", method)
            .flag("--uri", uri)
            .opt("--body", body.as_deref()))),
    ),
];
