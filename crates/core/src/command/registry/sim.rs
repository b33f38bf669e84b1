//! The playground (`sim`): the clock, randomness, personas, data, injected failures, files.

use alloc::format;

use super::line::{duration, one, Line};
use super::spec::{req, Own, Spec};
use super::{render, Entry};
use crate::azure::rotation::parse_duration;
use crate::command::Command;

pub(super) static COMMANDS: &[Entry] = &[
    Entry::change(
        "advanceClock",
        &[Spec::build("sim clock advance", "move the clock: 30m, 6h, 4d or ISO-8601 (PT5M, P28D)", &[], |a, _| {
            Ok(Command::AdvanceClock { by: parse_duration(a.positional(0))? })
        })
        .positionals(&["DURATION"])],
        render!(w, Command::AdvanceClock { by } => Some(alloc::vec![format!("sim clock advance {}", duration(by.as_seconds()))])),
    ),
    Entry::change(
        "runClock",
        &[Spec::build(
            "sim clock run",
            "run the clock until no operation is in progress (30 days at most)",
            &[],
            |_, _| Ok(Command::RunClock),
        )],
        render!(w, Command::RunClock => one(Line::new("sim clock run"))),
    ),
    Entry::change(
        "insertRows",
        &[Spec::build(
            "sim data insert",
            "insert N generated rows into a Dataverse table",
            &[
                req(&["--environment", "--env", "-e"], "environment"),
                req(&["--table", "-t"], "table name"),
                req(&["--rows"], "how many rows"),
            ],
            |a, _| {
                Ok(Command::InsertRows {
                    environment: a.req("--environment"),
                    table: a.req("--table"),
                    rows: a.number("--rows")?,
                })
            },
        )],
        render!(w, Command::InsertRows { environment, table, rows } => one(Line::new("sim data insert")
            .flag("--environment", environment)
            .flag("--table", table)
            .flag("--rows", &alloc::string::ToString::to_string(rows)))),
    ),
    Entry::read(
        "readTable",
        &[Spec::build(
            "sim data read",
            "read a table: {rows, sha256 of the plaintext}",
            &[req(&["--environment", "--env", "-e"], "environment"), req(&["--table", "-t"], "table name")],
            |a, _| Ok(Command::ReadTable { environment: a.req("--environment"), table: a.req("--table") }),
        )],
        render!(w, Command::ReadTable { environment, table } => one(Line::new("sim data read").flag("--environment", environment).flag("--table", table))),
    ),
    Entry::change(
        "failNextStep",
        &[Spec::build(
            "sim fail",
            "the next encryption step of that service fails",
            &[
                req(&["--environment", "--env", "-e"], "environment"),
                req(&["--service"], "dataverse | files | search | copilot | flows"),
            ],
            |a, _| Ok(Command::FailNextStep { environment: a.req("--environment"), service: a.req("--service") }),
        )],
        render!(w, Command::FailNextStep { environment, service } => one(Line::new("sim fail").flag("--environment", environment).flag("--service", service))),
    ),
];

/// What the shell answers itself: playground actions that are not commands of the world.
pub(super) static SHELL: &[Spec] = &[
    Spec::own(
        "sim what-if",
        "what a command would do: run on a copy of the world whose clock then moves 35 days (nothing changes)",
        &[],
        Own::WhatIf,
    )
    .positionals(&["COMMAND…"]),
    Spec::own(
        "sim file write",
        "keep a file for this session (a recorded script carries its templates this way)",
        &[req(&["--name", "-n"], "file name"), req(&["--value"], "the file's text")],
        Own::FileWrite,
    ),
    Spec::own("cat", "print a file of the Cloud Shell (one a command wrote, or one you uploaded)", &[], Own::FileShow)
        .positionals(&["FILE"]),
    Spec::own("sim seed", "make randomness deterministic (keys, ids)", &[], Own::Seed).positionals(&["N"]),
    Spec::own("sim clock show", "the simulated time and what is pending", &[], Own::ClockShow),
    Spec::own("sim persona list", "the personas: upn, objectId, roles", &[], Own::PersonaList),
    Spec::own(
        "sim shell restart",
        "a new Cloud Shell session, as the portal's Restart: its variables are gone; the world, the files and the randomness stay",
        &[],
        Own::ShellRestart,
    ),
];
