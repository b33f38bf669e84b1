//! The everyday cmdlets, with their real parameter names and aliases: output, pipeline
//! shaping, JSON, files of the store, time, prompts.

use std::cell::RefCell;
use std::rc::Rc;

use crate::eval::{is_common, ArgVal, Engine, Flow, Res};
use crate::format::{format_list, format_table, from_json, out_default, to_json};
use crate::value::*;

/// Arguments bound to a cmdlet's parameters: named ones by their canonical name, the rest in order.
pub(crate) struct Bound {
    named: Vec<(&'static str, Value)>,
    pub pos: Vec<Value>,
}

impl Bound {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.named.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some_and(Value::truthy)
    }
    /// A named parameter, else the positional one at `k`.
    pub fn arg(&self, name: &str, k: usize) -> Option<Value> {
        self.get(name).cloned().or_else(|| self.pos.get(k).cloned())
    }
}

/// Binds `args` to `params` ("Name|alias", a leading `!` for a switch); an unknown parameter is
/// PowerShell's error.
pub(crate) fn bind(e: &Engine<'_>, cmd: &str, args: &[ArgVal], params: &[&'static str]) -> Res<Bound> {
    let mut b = Bound { named: Vec::new(), pos: Vec::new() };
    let mut i = 0;
    while i < args.len() {
        match &args[i] {
            ArgVal::Pos(v) => b.pos.push(v.clone()),
            ArgVal::Named(n, v) => {
                let lower = n.to_ascii_lowercase();
                let found = params
                    .iter()
                    .find(|p| p.trim_start_matches('!').split('|').any(|a| a.eq_ignore_ascii_case(&lower)));
                let found = found.or_else(|| {
                    let hits: Vec<&&str> = params
                        .iter()
                        .filter(|p| {
                            p.trim_start_matches('!')
                                .split('|')
                                .next()
                                .unwrap_or("")
                                .to_ascii_lowercase()
                                .starts_with(&lower)
                        })
                        .collect();
                    (hits.len() == 1).then(|| hits[0])
                });
                let Some(p) = found else {
                    if is_common(&lower) {
                        if v.is_none() && matches!(args.get(i + 1), Some(ArgVal::Pos(_))) {
                            i += 1;
                        }
                        i += 1;
                        continue;
                    }
                    return Err(
                        e.fail_as(cmd, format!("A parameter cannot be found that matches parameter name '{n}'."))
                    );
                };
                let switch = p.starts_with('!');
                let canon = p.trim_start_matches('!').split('|').next().unwrap_or("");
                let value = match v {
                    Some(v) => v.clone(),
                    None if switch => Value::Bool(true),
                    None => match args.get(i + 1) {
                        Some(ArgVal::Pos(v)) => {
                            i += 1;
                            v.clone()
                        }
                        _ => {
                            return Err(e.fail_as(
                                cmd,
                                format!("Missing an argument for parameter '{canon}'. Specify a parameter of type 'System.Object' and try again."),
                            ))
                        }
                    },
                };
                b.named.push((canon, value));
            }
        }
        i += 1;
    }
    Ok(b)
}

fn canonical(name: &str) -> Option<&'static str> {
    Some(match name {
        "write-host" => "Write-Host",
        "write-output" | "echo" | "write" => "Write-Output",
        "write-warning" => "Write-Warning",
        "write-error" => "Write-Error",
        "write-verbose" | "write-debug" | "write-information" | "write-progress" | "set-strictmode" | "clear-host"
        | "cls" => "Quiet",
        "get-date" => "Get-Date",
        "start-sleep" | "sleep" => "Start-Sleep",
        "where-object" | "where" | "?" => "Where-Object",
        "foreach-object" | "foreach" | "%" => "ForEach-Object",
        "select-object" | "select" => "Select-Object",
        "sort-object" | "sort" => "Sort-Object",
        "measure-object" | "measure" => "Measure-Object",
        "convertto-json" => "ConvertTo-Json",
        "convertfrom-json" => "ConvertFrom-Json",
        "out-file" => "Out-File",
        "set-content" => "Set-Content",
        "add-content" => "Add-Content",
        "get-content" | "gc" | "cat" | "type" => "Get-Content",
        "remove-item" | "rm" | "del" | "erase" | "ri" => "Remove-Item",
        "test-path" => "Test-Path",
        "get-childitem" | "ls" | "dir" | "gci" => "Get-ChildItem",
        "new-temporaryfile" => "New-TemporaryFile",
        "out-null" => "Out-Null",
        "out-string" => "Out-String",
        "out-host" | "out-default" => "Out-Host",
        "format-table" | "ft" => "Format-Table",
        "format-list" | "fl" => "Format-List",
        "read-host" => "Read-Host",
        "import-module" | "ipmo" => "Import-Module",
        "get-random" => "Get-Random",
        "new-guid" => "New-Guid",
        "new-object" => "New-Object",
        "join-path" => "Join-Path",
        "split-path" => "Split-Path",
        "get-location" | "pwd" | "gl" => "Get-Location",
        "set-location" | "cd" | "sl" | "chdir" => "Set-Location",
        "get-help" | "help" | "man" => "Get-Help",
        _ => return None,
    })
}

/// Runs the cmdlet `name` (lower case) if the engine has it.
pub(crate) fn call(
    e: &mut Engine<'_>,
    name: &str,
    args: &[ArgVal],
    input: Option<Vec<Value>>,
) -> Option<Res<Vec<Value>>> {
    let cmd = canonical(name)?;
    Some(run(e, cmd, args, input.unwrap_or_default()))
}

fn run(e: &mut Engine<'_>, cmd: &'static str, args: &[ArgVal], input: Vec<Value>) -> Res<Vec<Value>> {
    match cmd {
        "Write-Host" => {
            let b = bind(
                e,
                cmd,
                args,
                &["Object", "!NoNewline", "ForegroundColor|fgcolor", "BackgroundColor|bgcolor", "Separator"],
            )?;
            let sep = b.get("Separator").map_or(" ".to_string(), Value::to_str);
            let mut objects: Vec<Value> = b.get("Object").map(|v| vec![v.clone()]).unwrap_or_default();
            objects.extend(b.pos.iter().cloned());
            if objects.is_empty() {
                objects = input;
            }
            let text: Vec<String> =
                objects.iter().map(|o| o.items().iter().map(Value::to_str).collect::<Vec<_>>().join(&sep)).collect();
            e.host.print(&text.join(&sep), !b.has("NoNewline"));
            Ok(Vec::new())
        }
        "Write-Output" => {
            let b = bind(e, cmd, args, &["InputObject", "!NoEnumerate"])?;
            let mut out: Vec<Value> = b.get("InputObject").map(Value::items).unwrap_or_default();
            for v in &b.pos {
                out.extend(v.items());
            }
            if out.is_empty() {
                out = input;
            }
            Ok(out)
        }
        "Write-Warning" => {
            let b = bind(e, cmd, args, &["Message"])?;
            let msg = b.arg("Message", 0).or_else(|| input.first().cloned()).unwrap_or(Value::Null);
            e.host.print(&format!("WARNING: {}", msg.to_str()), true);
            Ok(Vec::new())
        }
        "Write-Error" => {
            let b = bind(e, cmd, args, &["Message", "Exception", "Category", "ErrorId", "TargetObject"])?;
            let msg = b.arg("Message", 0).or_else(|| b.get("Exception").cloned()).unwrap_or(Value::Null);
            e.write_error("Write-Error", msg.to_str(), false)?;
            Ok(Vec::new())
        }
        "Quiet" => Ok(Vec::new()),
        "Get-Date" => {
            let b = bind(e, cmd, args, &["Date", "Format|f", "UFormat", "!AsUTC"])?;
            if b.get("UFormat").is_some() {
                return Err(
                    e.fail_as(cmd, "Get-Date -UFormat is not supported by the playground's PowerShell; use -Format.")
                );
            }
            let ms = match b.arg("Date", 0) {
                Some(Value::Date(ms)) => ms,
                Some(other) => parse_date(&other.to_str()).ok_or_else(|| {
                    e.fail_as(
                        cmd,
                        format!(
                            "Cannot bind parameter 'Date'. Cannot convert value \"{}\" to type \"System.DateTime\".",
                            other.to_str()
                        ),
                    )
                })?,
                None => e.host.now_ms(),
            };
            Ok(vec![match b.get("Format") {
                Some(f) => Value::Str(format_date(ms, &f.to_str())),
                None => Value::Date(ms),
            }])
        }
        "Start-Sleep" => {
            let b = bind(e, cmd, args, &["Seconds|s", "Milliseconds|m|ms", "Duration"])?;
            let ms = if let Some(m) = b.get("Milliseconds") {
                m.to_num().map_or(0.0, Num::f)
            } else if let Some(Value::Span(d)) = b.get("Duration") {
                *d as f64
            } else {
                b.arg("Seconds", 0).and_then(|s| s.to_num()).map_or(0.0, Num::f) * 1000.0
            };
            if !(0.0..=365.0 * 86_400_000.0).contains(&ms) {
                return Err(e.fail_as(cmd, "Start-Sleep takes between 0 seconds and a year."));
            }
            e.host.sleep(ms as u64);
            Ok(Vec::new())
        }
        "Where-Object" => where_object(e, args, input),
        "ForEach-Object" => {
            let b = bind(e, cmd, args, &["Process", "MemberName", "Begin", "End", "InputObject"])?;
            let items = b.get("InputObject").map(Value::items).unwrap_or(input);
            let process = b.arg("Process", 0);
            let mut out = Vec::new();
            if let Some(Value::Block(begin)) = b.get("Begin") {
                out.extend(e.invoke_here(begin)?);
            }
            match process {
                Some(Value::Block(block)) => {
                    for item in items {
                        let saved = e.var("_");
                        e.set_local("_", item);
                        let r = e.invoke_here(&block);
                        e.set_local("_", saved);
                        match r {
                            Ok(v) => out.extend(v),
                            Err(Flow::Continue) => {}
                            Err(Flow::Break) => break,
                            Err(err) => return Err(err),
                        }
                    }
                }
                Some(member) => {
                    let name = b.get("MemberName").cloned().unwrap_or(member).to_str();
                    for item in items {
                        out.extend(crate::ops::member(&item, &name).items());
                    }
                }
                None => return Err(e.fail_as(cmd, "ForEach-Object needs a script block: ForEach-Object { … }.")),
            }
            if let Some(Value::Block(end)) = b.get("End") {
                out.extend(e.invoke_here(end)?);
            }
            Ok(out)
        }
        "Select-Object" => select_object(e, args, input),
        "Sort-Object" => {
            let b = bind(e, cmd, args, &["Property", "!Descending", "!Unique"])?;
            let keys: Vec<Value> = b.arg("Property", 0).map(|p| p.items()).unwrap_or_default();
            let mut rows: Vec<(Vec<Value>, Value)> = Vec::new();
            for item in input {
                let mut k = Vec::new();
                for key in &keys {
                    k.push(match key {
                        Value::Block(bl) => {
                            let saved = e.var("_");
                            e.set_local("_", item.clone());
                            let r = e.invoke_here(bl);
                            e.set_local("_", saved);
                            Value::collect(r?)
                        }
                        name => crate::ops::member(&item, &name.to_str()),
                    });
                }
                if keys.is_empty() {
                    k.push(item.clone());
                }
                rows.push((k, item));
            }
            rows.sort_by(|a, b| {
                a.0.iter()
                    .zip(&b.0)
                    .map(|(x, y)| compare(x, y, false).unwrap_or(std::cmp::Ordering::Equal))
                    .find(|o| *o != std::cmp::Ordering::Equal)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            if b.has("Descending") {
                rows.reverse();
            }
            if b.has("Unique") {
                rows.dedup_by(|a, b| a.0.iter().zip(&b.0).all(|(x, y)| loose_eq(x, y, false)));
            }
            Ok(rows.into_iter().map(|(_, v)| v).collect())
        }
        "Measure-Object" => {
            let b = bind(e, cmd, args, &["Property", "!Sum", "!Average", "!Maximum", "!Minimum", "InputObject"])?;
            let items = b.get("InputObject").map(Value::items).unwrap_or(input);
            let prop = b.arg("Property", 0).map(|p| p.to_str());
            let values: Vec<Value> = items
                .iter()
                .map(|i| match &prop {
                    Some(p) => crate::ops::member(i, p),
                    None => i.clone(),
                })
                .collect();
            let nums: Vec<f64> = values.iter().filter_map(|v| v.to_num()).map(Num::f).collect();
            let want = |k: &str| b.has(k);
            let stat = |on: bool, v: Option<f64>| if on { v.map_or(Value::Null, num_value) } else { Value::Null };
            let sum: f64 = nums.iter().sum();
            let mut m = Map::default();
            m.set("Count", Value::Int(values.len() as i64));
            m.set("Average", stat(want("Average"), (!nums.is_empty()).then(|| sum / nums.len() as f64)));
            m.set("Sum", stat(want("Sum"), Some(sum)));
            m.set("Maximum", stat(want("Maximum"), nums.iter().copied().reduce(f64::max)));
            m.set("Minimum", stat(want("Minimum"), nums.iter().copied().reduce(f64::min)));
            m.set("StandardDeviation", Value::Null);
            m.set("Property", prop.map_or(Value::Null, Value::Str));
            Ok(vec![Value::object("Microsoft.PowerShell.Commands.GenericMeasureInfo", m)])
        }
        "ConvertTo-Json" => {
            let b = bind(
                e,
                cmd,
                args,
                &["InputObject", "Depth", "!Compress", "!AsArray", "!EnumsAsStrings", "EscapeHandling"],
            )?;
            let depth = b.get("Depth").and_then(Value::to_num).map_or(2, |n| n.f() as i64);
            if !(0..=100).contains(&depth) {
                return Err(e.fail_as(cmd, format!("Cannot validate argument on parameter 'Depth'. The {depth} argument is greater than the maximum allowed range of 100. Supply an argument that is less than or equal to 100 and then try the command again.")));
            }
            let value = match b.arg("InputObject", 0) {
                Some(v) => v,
                None if input.len() == 1 && !b.has("AsArray") => input[0].clone(),
                None => Value::array(input),
            };
            let (text, truncated) = to_json(&value, depth as usize, b.has("Compress"));
            if truncated {
                e.host.print(
                    &format!(
                        "WARNING: Resulting JSON is truncated as serialization has exceeded the set depth of {depth}."
                    ),
                    true,
                );
            }
            Ok(vec![Value::Str(text)])
        }
        "ConvertFrom-Json" => {
            let b = bind(e, cmd, args, &["InputObject", "Depth", "!AsHashtable", "!NoEnumerate"])?;
            let text = match b.arg("InputObject", 0) {
                Some(v) => v.items().iter().map(Value::to_str).collect::<Vec<_>>().join("\n"),
                None => input.iter().map(Value::to_str).collect::<Vec<_>>().join("\n"),
            };
            if text.trim().is_empty() {
                return Ok(Vec::new());
            }
            let v = from_json(&text).map_err(|m| e.fail_as(cmd, m))?;
            let v = if b.has("AsHashtable") { to_hashtables(v) } else { v };
            Ok(if b.has("NoEnumerate") { vec![v] } else { v.items() })
        }
        "Out-File" | "Set-Content" | "Add-Content" => {
            let params: &[&'static str] = if cmd == "Out-File" {
                &["FilePath|Path", "InputObject", "Encoding", "!Append", "!NoNewline", "!Force", "Width"]
            } else {
                &["Path", "Value", "Encoding", "!NoNewline", "!Force"]
            };
            let b = bind(e, cmd, args, params)?;
            let canon = if cmd == "Out-File" { "FilePath" } else { "Path" };
            let path =
                b.arg(canon, 0).ok_or_else(|| e.fail_as(cmd, format!("{cmd} needs a path: {cmd} -{canon} FILE.")))?;
            let path = e.resolve(&path.to_str());
            let items = b
                .get("InputObject")
                .or_else(|| b.get("Value"))
                .map(Value::items)
                .or_else(|| (cmd != "Out-File").then(|| b.pos.get(1).map(Value::items)).flatten());
            let items = items.unwrap_or(input);
            let lines = if cmd == "Out-File" { out_default(&items) } else { items.iter().map(Value::to_str).collect() };
            let mut text = lines.join("\n");
            if !b.has("NoNewline") {
                text.push('\n');
            }
            let append = cmd == "Add-Content" || b.has("Append");
            if append {
                let before = e.host.read_file(&path).unwrap_or_default();
                text = before + &text;
            }
            e.host.write_file(&path, &text).map_err(|m| e.fail_as(cmd, m))?;
            Ok(Vec::new())
        }
        "Get-Content" => {
            let b = bind(
                e,
                cmd,
                args,
                &["Path|LiteralPath|PSPath", "!Raw", "TotalCount|First|Head", "Tail|Last", "Encoding"],
            )?;
            let path =
                b.arg("Path", 0).ok_or_else(|| e.fail_as(cmd, "Get-Content needs a path: Get-Content -Path FILE."))?;
            let path = e.resolve(&path.to_str());
            let text = e
                .host
                .read_file(&path)
                .map_err(|_| e.fail_as(cmd, format!("Cannot find path '{path}' because it does not exist.")))?;
            if b.has("Raw") {
                return Ok(vec![Value::Str(text)]);
            }
            let mut lines: Vec<Value> = text.lines().map(Value::str).collect();
            if let Some(n) = b.get("TotalCount").and_then(Value::to_num) {
                lines.truncate(n.f().max(0.0) as usize);
            }
            if let Some(n) = b.get("Tail").and_then(Value::to_num) {
                let keep = n.f().max(0.0) as usize;
                let drop = lines.len().saturating_sub(keep);
                lines.drain(..drop);
            }
            Ok(lines)
        }
        "Remove-Item" => {
            let b = bind(e, cmd, args, &["Path|LiteralPath", "!Force", "!Recurse"])?;
            let paths = b.arg("Path", 0).map(|p| p.items()).unwrap_or(input);
            for p in paths {
                let path = match &p {
                    Value::Object(o) => o.borrow().props.get("FullName").map_or(p.to_str(), Value::to_str),
                    other => other.to_str(),
                };
                let path = e.resolve(&path);
                if let Err(m) = e.host.remove_file(&path) {
                    let _ = m;
                    e.write_error(cmd, format!("Cannot find path '{path}' because it does not exist."), false)?;
                }
            }
            Ok(Vec::new())
        }
        "Test-Path" => {
            let b = bind(e, cmd, args, &["Path|LiteralPath", "PathType"])?;
            let path = b.arg("Path", 0).map(|p| e.resolve(&p.to_str())).unwrap_or_default();
            Ok(vec![Value::Bool(!path.is_empty() && e.host.file_exists(&path))])
        }
        "Get-ChildItem" => child_items(e, args),
        "New-TemporaryFile" => {
            bind(e, cmd, args, &[])?;
            let n = e.host.random() % 0xFFFF;
            let name = format!("tmp{n:04X}.tmp");
            let full = format!("tmp/{name}");
            e.host.write_file(&full, "").map_err(|m| e.fail_as(cmd, m))?;
            let mut m = Map::default();
            m.set("Name", Value::str(name));
            m.set("FullName", Value::Str(full));
            m.set("Length", Value::Int(0));
            Ok(vec![Value::object("System.IO.FileInfo", m)])
        }
        "Out-Null" => Ok(Vec::new()),
        "Out-String" => {
            let b = bind(e, cmd, args, &["InputObject", "!Stream", "Width"])?;
            let items = b.get("InputObject").map(Value::items).unwrap_or(input);
            let lines = out_default(&items);
            if b.has("Stream") {
                return Ok(lines.into_iter().map(Value::Str).collect());
            }
            Ok(vec![Value::Str(lines.join("\n") + "\n")])
        }
        "Out-Host" => {
            e.print_items(&input);
            Ok(Vec::new())
        }
        "Format-Table" | "Format-List" => {
            let b = bind(e, cmd, args, &["Property", "!AutoSize", "!Wrap", "GroupBy"])?;
            let items = match b.arg("Property", 0) {
                Some(p) => select(e, &input, &p.items())?,
                None => input,
            };
            let lines = if cmd == "Format-Table" { format_table(&items) } else { format_list(&items) };
            Ok(lines.into_iter().map(Value::Str).collect())
        }
        "Read-Host" => {
            let b = bind(e, cmd, args, &["Prompt", "!AsSecureString", "!MaskInput"])?;
            let prompt = b.arg("Prompt", 0).map(|p| p.to_str()).unwrap_or_default();
            e.host.print(&if prompt.is_empty() { String::new() } else { format!("{prompt}: ") }, false);
            match e.host.read_line() {
                Some(answer) => Ok(vec![Value::Str(answer.trim_end_matches(['\r', '\n']).to_string())]),
                None => {
                    e.host.print("", true);
                    Err(Flow::Throw(Rc::new(ErrorRecord {
                        message: format!("Read-Host: there is no input left to answer '{prompt}'."),
                        category: "Read-Host".into(),
                        line: e.line,
                        at: e.here(),
                    })))
                }
            }
        }
        "Import-Module" => {
            let b = bind(e, cmd, args, &["Name", "!Force", "!Global", "MinimumVersion", "RequiredVersion"])?;
            let name = b.arg("Name", 0).map(|n| n.to_str()).unwrap_or_default();
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".ps1") || lower.ends_with(".psm1") || lower.contains(['/', '\\']) {
                return e.invoke_named(&name, &[], None, true, 1).map(|_| Vec::new());
            }
            if lower == "az" || lower.starts_with("az.") || lower.starts_with("microsoft.powerapps") {
                return Ok(Vec::new());
            }
            Err(e.fail_as(cmd, format!("The specified module '{name}' was not loaded because no valid module file was found in any module directory.")))
        }
        "Get-Random" => {
            let b = bind(e, cmd, args, &["Maximum", "Minimum", "InputObject", "Count"])?;
            let pool = b.get("InputObject").map(Value::items).unwrap_or(input);
            let r = e.host.random();
            if !pool.is_empty() {
                return Ok(vec![pool[(r % pool.len() as u64) as usize].clone()]);
            }
            let min = b.get("Minimum").and_then(Value::to_num).map_or(0, |n| n.f() as i64);
            let max = b.arg("Maximum", 0).and_then(|v| v.to_num()).map_or(i64::from(i32::MAX), |n| n.f() as i64);
            if max <= min {
                return Err(e.fail_as(cmd, "The Minimum value cannot be greater than or equal to the Maximum value."));
            }
            Ok(vec![Value::Int(min + (r % (max - min) as u64) as i64)])
        }
        "New-Guid" => {
            bind(e, cmd, args, &[])?;
            Ok(vec![Value::Str(crate::ops::guid(e))])
        }
        "New-Object" => {
            let b = bind(e, cmd, args, &["TypeName", "Property", "ArgumentList|Args"])?;
            let ty = b.arg("TypeName", 0).map(|t| t.to_str()).unwrap_or_default();
            let lower = ty.to_ascii_lowercase();
            let lower = lower.strip_prefix("system.").unwrap_or(&lower);
            match lower {
                "psobject" | "pscustomobject" | "object" | "management.automation.psobject" => {
                    let props = match b.get("Property") {
                        Some(Value::Hash(h)) => h.borrow().clone(),
                        _ => Map::default(),
                    };
                    Ok(vec![Value::custom(props)])
                }
                "collections.arraylist" => {
                    Ok(vec![Value::Array(Rc::new(RefCell::new(Vec::new())), ListKind::ArrayList)])
                }
                l if l.starts_with("collections.generic.list[") => {
                    Ok(vec![Value::Array(Rc::new(RefCell::new(Vec::new())), ListKind::List)])
                }
                "collections.hashtable" => Ok(vec![Value::hash(Map::default())]),
                _ => Err(e.fail_as(
                    cmd,
                    format!("New-Object -TypeName {ty} is not supported by the playground's PowerShell."),
                )),
            }
        }
        "Join-Path" => {
            let b = bind(e, cmd, args, &["Path", "ChildPath", "AdditionalChildPath"])?;
            let mut parts: Vec<String> = Vec::new();
            if let Some(p) = b.arg("Path", 0) {
                parts.push(p.to_str());
            }
            if let Some(c) = b.get("ChildPath").cloned().or_else(|| b.pos.get(1).cloned()) {
                parts.push(c.to_str());
            }
            for extra in b.pos.iter().skip(2) {
                parts.push(extra.to_str());
            }
            let joined = parts
                .iter()
                .map(|p| p.replace('\\', "/"))
                .enumerate()
                .map(
                    |(k, p)| if k == 0 { p.trim_end_matches('/').to_string() } else { p.trim_matches('/').to_string() },
                )
                .collect::<Vec<_>>()
                .join("/");
            Ok(vec![Value::Str(joined)])
        }
        "Split-Path" => {
            let b = bind(e, cmd, args, &["Path", "!Leaf", "!Parent"])?;
            let path = b.arg("Path", 0).map(|p| p.to_str().replace('\\', "/")).unwrap_or_default();
            let (parent, leaf) = path.rsplit_once('/').unwrap_or(("", &path));
            Ok(vec![Value::str(if b.has("Leaf") { leaf } else { parent })])
        }
        "Get-Help" => {
            let b = bind(e, cmd, args, &["Name", "!Full", "!Detailed", "!Examples", "!Online", "Parameter"])?;
            let name = b.arg("Name", 0).map(|n| n.to_str()).unwrap_or_default();
            let lower = name.to_ascii_lowercase();
            if name.is_empty() || lower.starts_with("about_") {
                return Ok(OVERVIEW.lines().map(Value::str).collect());
            }
            let module = || SYNOPSES.iter().find(|(n, ..)| n.eq_ignore_ascii_case(&lower)).map(|(n, ..)| *n);
            if let Some(canon) = canonical(&lower).or_else(module) {
                let (synopsis, params) =
                    SYNOPSES.iter().find(|(n, ..)| *n == canon).map_or(("", ""), |(_, s, p)| (*s, *p));
                let canon = if canon == "Quiet" { name.as_str() } else { canon };
                return Ok(vec![Value::Str(format!(
                    "\nNAME\n    {canon}\n\nSYNOPSIS\n    {synopsis}\n\nSYNTAX\n    {canon} {params}\n"
                ))]);
            }
            match e.host.invoke(&name, &[Value::str("--help")]) {
                Some(Ok(lines)) => Ok(lines),
                _ => Err(e.fail_as(cmd, format!("Get-Help could not find {name} in a help file in this session."))),
            }
        }
        "Get-Location" => {
            bind(e, cmd, args, &[])?;
            let here = crate::eval::full_path(&e.location);
            Ok(vec![Value::object(
                "System.Management.Automation.PathInfo",
                Map(vec![("Path".into(), Value::str(here))]),
            )])
        }
        "Set-Location" => {
            let b = bind(e, cmd, args, &["Path|LiteralPath"])?;
            let typed = b.arg("Path", 0).map_or("~".into(), |p| p.to_str());
            let target = if typed == "-" { e.previous_location.clone() } else { e.resolve(&typed) };
            if target.starts_with('/') || target.starts_with("..") {
                return Err(e.fail_as(
                    cmd,
                    format!(
                        "Cannot find path '{typed}' because it does not exist. (Your files are under {}.)",
                        crate::eval::HOME
                    ),
                ));
            }
            // A folder is a prefix of some file of the store (the host's ls lists them).
            if !target.is_empty() {
                let listed = e.host.invoke("ls", &[Value::str(target.clone())]);
                let is_folder = matches!(&listed, Some(Ok(lines)) if lines.iter().any(|l| l.to_str().starts_with(&format!("{target}/"))));
                if !is_folder && !e.host.suspended() {
                    return Err(e.fail_as(
                        cmd,
                        format!("Cannot find path '{}' because it does not exist.", crate::eval::full_path(&target)),
                    ));
                }
            }
            e.previous_location = std::mem::replace(&mut e.location, target);
            Ok(Vec::new())
        }
        _ => Ok(Vec::new()),
    }
}

fn num_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        Value::Int(f as i64)
    } else {
        Value::Dbl(f)
    }
}

fn to_hashtables(v: Value) -> Value {
    match v {
        Value::Object(o) => {
            let props = o.borrow().props.0.clone();
            Value::hash(Map(props.into_iter().map(|(k, v)| (k, to_hashtables(v))).collect()))
        }
        Value::Array(a, _) => Value::array(a.borrow().iter().cloned().map(to_hashtables).collect()),
        other => other,
    }
}

fn where_object(e: &mut Engine<'_>, args: &[ArgVal], input: Vec<Value>) -> Res<Vec<Value>> {
    const OPS: [&str; 16] = [
        "EQ",
        "NE",
        "GT",
        "GE",
        "LT",
        "LE",
        "Like",
        "NotLike",
        "Match",
        "NotMatch",
        "Contains",
        "NotContains",
        "In",
        "NotIn",
        "CEQ",
        "CNE",
    ];
    let mut params: Vec<&'static str> = vec!["FilterScript", "Property", "Value", "InputObject"];
    params.extend(OPS);
    let b = bind(e, "Where-Object", args, &params)?;
    let items = b.get("InputObject").map(Value::items).unwrap_or(input);
    if let Some(Value::Block(block)) = b.arg("FilterScript", 0) {
        let mut out = Vec::new();
        for item in items {
            let saved = e.var("_");
            e.set_local("_", item.clone());
            let r = e.invoke_here(&block);
            e.set_local("_", saved);
            if Value::collect(r?).truthy() {
                out.push(item);
            }
        }
        return Ok(out);
    }
    // Where-Object Name -eq 'x': the simplified syntax.
    let Some(prop) = b.arg("Property", 0) else {
        return Err(e.fail_as(
            "Where-Object",
            "Where-Object needs a script block or a property: Where-Object { $_.Name -eq 'x' }.",
        ));
    };
    let op = OPS.iter().find(|o| b.get(o).is_some());
    let mut out = Vec::new();
    for item in items {
        let v = crate::ops::member(&item, &prop.to_str());
        let keep = match op {
            None => v.truthy(),
            Some(o) => {
                let given = b.get(o).cloned().unwrap_or(Value::Null);
                let against = match (&given, b.get("Value"), b.pos.get(1)) {
                    (Value::Bool(true), Some(val), _) | (Value::Bool(true), None, Some(val)) => val.clone(),
                    _ => given,
                };
                crate::ops::binary(e, &o.to_ascii_lowercase(), v, against)?.truthy()
            }
        };
        if keep {
            out.push(item);
        }
    }
    Ok(out)
}

/// The properties `names` (names, wildcards or `@{Name=…; Expression={…}}`) of each item.
fn select(e: &mut Engine<'_>, items: &[Value], names: &[Value]) -> Res<Vec<Value>> {
    let mut out = Vec::new();
    for item in items {
        let mut m = Map::default();
        for n in names {
            match n {
                Value::Hash(h) => {
                    let h = h.borrow().clone();
                    let label = h.get("Name").or_else(|| h.get("n")).or_else(|| h.get("Label")).or_else(|| h.get("l"));
                    let expr = h.get("Expression").or_else(|| h.get("e"));
                    let label = label.map(Value::to_str).unwrap_or_default();
                    let value = match expr {
                        Some(Value::Block(b)) => {
                            let saved = e.var("_");
                            e.set_local("_", item.clone());
                            let r = e.invoke_here(b);
                            e.set_local("_", saved);
                            Value::collect(r?)
                        }
                        Some(other) => crate::ops::member(item, &other.to_str()),
                        None => Value::Null,
                    };
                    m.set(&label, value);
                }
                other => {
                    let pattern = other.to_str();
                    if pattern.contains(['*', '?']) {
                        let names: Vec<(String, Value)> = match item {
                            Value::Object(o) => o.borrow().props.0.clone(),
                            Value::Hash(h) => h.borrow().0.clone(),
                            _ => Vec::new(),
                        };
                        for (k, v) in names.into_iter().filter(|(k, _)| wildcard(&pattern, k, false)) {
                            m.set(&k, v);
                        }
                    } else {
                        let real = match item {
                            Value::Object(o) => o
                                .borrow()
                                .props
                                .0
                                .iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case(&pattern))
                                .map(|(k, _)| k.clone()),
                            _ => None,
                        };
                        m.set(&real.unwrap_or(pattern.clone()), crate::ops::member(item, &pattern));
                    }
                }
            }
        }
        out.push(Value::custom(m));
    }
    Ok(out)
}

fn select_object(e: &mut Engine<'_>, args: &[ArgVal], input: Vec<Value>) -> Res<Vec<Value>> {
    let b = bind(
        e,
        "Select-Object",
        args,
        &["Property", "ExpandProperty", "First", "Last", "Skip", "!Unique", "InputObject", "ExcludeProperty"],
    )?;
    let mut items = b.get("InputObject").map(Value::items).unwrap_or(input);
    if b.has("Unique") {
        let mut seen: Vec<Value> = Vec::new();
        items.retain(|v| {
            let dup = seen.iter().any(|s| loose_eq(s, v, true));
            if !dup {
                seen.push(v.clone());
            }
            !dup
        });
    }
    if let Some(n) = b.get("Skip").and_then(Value::to_num) {
        let n = (n.f().max(0.0) as usize).min(items.len());
        items.drain(..n);
    }
    if let Some(n) = b.get("First").and_then(Value::to_num) {
        items.truncate(n.f().max(0.0) as usize);
    }
    if let Some(n) = b.get("Last").and_then(Value::to_num) {
        let keep = n.f().max(0.0) as usize;
        let drop = items.len().saturating_sub(keep);
        items.drain(..drop);
    }
    if let Some(p) = b.get("ExpandProperty") {
        let name = p.to_str();
        let mut out = Vec::new();
        for item in &items {
            let v = crate::ops::member(item, &name);
            if v.is_null() && !matches!(item, Value::Null) {
                let has = match item {
                    Value::Object(o) => o.borrow().props.contains(&name),
                    Value::Hash(h) => h.borrow().contains(&name),
                    _ => false,
                };
                if !has {
                    return Err(e.fail_as("Select-Object", format!("Property \"{name}\" cannot be found.")));
                }
            }
            out.extend(v.items());
        }
        return Ok(out);
    }
    match b.arg("Property", 0) {
        Some(p) => select(e, &items, &p.items()),
        None => Ok(items),
    }
}

/// `Get-Help` without a name: what this PowerShell runs, and what it does not.
pub(crate) const OVERVIEW: &str = "PowerShell in the CMK Playground's Cloud Shell

The language everyday runbooks use:
  variables and scopes ($global:, $script:, $env:), $null $true $false $_ $args $input $Matches
  $LASTEXITCODE $PSScriptRoot $ErrorActionPreference; strings with expansion (\"$a $($b.c)\",
  backtick escapes) and here-strings; arrays, hashtables, [ordered], [pscustomobject]@{...};
  members and methods of strings, dates, arrays and hashtables; casts [string] [int] [long]
  [double] [bool] [datetime] [timespan] [array] [string[]] [hashtable] [pscustomobject] [void];
  static calls such as [string]::IsNullOrWhiteSpace() [string]::Join() [math]::Round()
  [datetime]::Now [guid]::NewGuid() [System.IO.Path]::Combine();
  operators -eq -ne -lt -le -gt -ge -like -notlike -match -notmatch -in -notin -contains
  -notcontains -replace -split -join -f -is -isnot -as -and -or -xor -not ! + - * / % .. (and
  their case-sensitive -c forms); if/elseif/else, switch (-Wildcard, -Regex), foreach, for, while,
  do/while, do/until, break, continue, try/catch/finally, throw, return, exit;
  functions and script blocks with param() blocks: [Parameter(Mandatory, HelpMessage, Position)],
  [ValidateSet()], [ValidateNotNullOrEmpty()], [switch]; a missing mandatory parameter is asked
  for, as PowerShell asks; splatting (@params); pipelines; script files from your files
  (./name.ps1, . ./shared.ps1, Import-Module ./module.psm1).

Cmdlets: Write-Host Write-Output (echo) Write-Warning Write-Error Write-Verbose Write-Progress
  Read-Host Get-Date Start-Sleep (moves the simulated clock) Where-Object ForEach-Object
  Select-Object Sort-Object Measure-Object ConvertTo-Json ConvertFrom-Json Format-Table Format-List
  Out-String Out-Null Out-Host Out-File Set-Content Add-Content Get-Content Remove-Item Test-Path
  Get-ChildItem (ls, dir: the Cloud Shell's files) Set-Location (cd) Get-Location (pwd)
  New-TemporaryFile Join-Path Split-Path Get-Location New-Object New-Guid Get-Random
  Import-Module Get-Help

Az cmdlets (each runs the az command it means; Get-Help NAME lists its parameters):
  Connect-AzAccount Get-AzContext Set-AzContext Register-AzResourceProvider
  Get-AzResourceProvider New-AzResourceGroup Get-AzResourceGroup New-AzResourceGroupDeployment
  Get-AzResource Remove-AzResource New-AzRoleAssignment Get-AzRoleAssignment
  Remove-AzRoleAssignment Get-AzADUser Get-AzADServicePrincipal New-AzKeyVault Get-AzKeyVault
  Update-AzKeyVault Remove-AzKeyVault Set-AzKeyVaultAccessPolicy Add-AzKeyVaultKey Get-AzKeyVaultKey
  Update-AzKeyVaultKey Invoke-AzKeyVaultKeyRotation Get-AzKeyVaultKeyRotationPolicy
  Set-AzKeyVaultKeyRotationPolicy Remove-AzKeyVaultKey

Power Platform admin module (Microsoft.PowerApps.Administration.PowerShell, what Microsoft's CMK
  scripts use): Add-PowerAppsAccount Get-AdminPowerAppEnvironment InvokeApi ReplaceMacro —
  InvokeApi calls the admin API (pp rest): an environment, link/unlink its enterprise policy,
  the operation that follows on the simulated clock.

Native commands: az, pp and sim, as in Bash; what they print reaches PowerShell as lines of
  text (az ... | ConvertFrom-Json makes objects of it); $LASTEXITCODE says whether they failed.

Not here: classes and enums, begin/process/end blocks, redirection (>, 2>&1), && and ||, jobs,
  remoting, and .NET beyond the calls above. A script that uses one is stopped with its name
  and line, before it changes anything with that line.";

/// `Get-ChildItem [[-Path] FOLDER] [-Recurse] [-Name] [-File] [-Directory]`: the Cloud Shell
/// store's folders and files (the host's `ls`), as DirectoryInfo and FileInfo objects.
fn child_items(e: &mut Engine<'_>, args: &[ArgVal]) -> Res<Vec<Value>> {
    let cmd = "Get-ChildItem";
    let b = bind(e, cmd, args, &["Path|LiteralPath", "!Recurse|s", "!Name", "!File", "!Directory|ad", "Filter"])?;
    let folder = Some(b.arg("Path", 0).map_or_else(|| e.location.clone(), |p| e.resolve(&p.to_str())))
        .filter(|p| !p.is_empty() && p != ".");
    let words: Vec<Value> = folder.iter().map(|f| Value::str(f.clone())).collect();
    let lines = match e.host.invoke("ls", &words) {
        Some(Ok(lines)) => lines,
        Some(Err(m)) => {
            e.write_error(
                cmd,
                format!("Cannot find path '{}' because it does not exist. ({m})", folder.unwrap_or_default()),
                false,
            )?;
            return Ok(Vec::new());
        }
        None => return Err(e.fail_as(cmd, "This host has no file store to list.")),
    };
    let prefix = folder.as_ref().map_or(String::new(), |f| format!("{f}/"));
    // (path, length; None for a folder), in the order ls gives (by name).
    let mut items: Vec<(String, Option<i64>)> = Vec::new();
    for line in lines.iter().map(Value::to_str) {
        let mut parts = line.split('\t');
        let path = parts.next().unwrap_or_default().to_string();
        let Some(rest) = path.strip_prefix(&prefix) else { continue };
        let len = parts.next().and_then(|n| n.trim_end_matches(" bytes").parse().ok());
        let mut at = String::new();
        let segments: Vec<&str> = rest.split('/').collect();
        for (i, seg) in segments.iter().enumerate() {
            at = if at.is_empty() { (*seg).to_string() } else { format!("{at}/{seg}") };
            let is_file = i + 1 == segments.len();
            if !is_file && !items.iter().any(|(p, l)| *p == at && l.is_none()) {
                items.push((at.clone(), None));
            }
            if is_file {
                items.push((at.clone(), Some(len.unwrap_or(0))));
            }
            if !b.has("Recurse") {
                break;
            }
        }
    }
    // Folders first, then files, each by name: PowerShell's order for one folder.
    // (A partition, not a sort: ls gives them by name already, and a sort is kilobytes here.)
    if !b.has("Recurse") {
        let (folders, files): (Vec<_>, Vec<_>) = items.into_iter().partition(|(_, len)| len.is_none());
        items = folders.into_iter().chain(files).collect();
    }
    let filter = b.get("Filter").map(Value::to_str);
    let mut out = Vec::new();
    for (rel, len) in items {
        let name = rel.rsplit('/').next().unwrap_or_default().to_string();
        if (b.has("File") && len.is_none()) || (b.has("Directory") && len.is_some()) {
            continue;
        }
        if filter.as_deref().is_some_and(|f| !crate::value::wildcard(f, &name, false)) {
            continue;
        }
        if b.has("Name") {
            out.push(Value::str(rel));
            continue;
        }
        let mut m = Map::default();
        m.set("Mode", Value::str(if len.is_some() { "-----" } else { "d----" }));
        m.set("Length", len.map_or(Value::Null, Value::Int));
        m.set("Name", Value::str(name));
        m.set("FullName", Value::str(format!("{prefix}{rel}")));
        out.push(Value::object(if len.is_some() { "System.IO.FileInfo" } else { "System.IO.DirectoryInfo" }, m));
    }
    Ok(out)
}

/// `Get-Help NAME` for the engine's own cmdlets: what each does, and its parameters.
const SYNOPSES: &[(&str, &str, &str)] = &[
    ("Write-Host", "Writes text to the console.", "[[-Object] <Object>] [-NoNewline] [-Separator <Object>] [-ForegroundColor <Color>] [-BackgroundColor <Color>]"),
    ("Write-Output", "Sends objects down the pipeline.", "[-InputObject] <PSObject[]> [-NoEnumerate]"),
    ("Write-Warning", "Writes a warning.", "[-Message] <String>"),
    ("Write-Error", "Writes an error; the script goes on unless $ErrorActionPreference is Stop.", "[-Message] <String>"),
    ("Quiet", "Accepted; prints nothing here.", ""),
    ("Get-Date", "The simulated clock's date and time.", "[[-Date] <DateTime>] [-Format <String>]"),
    ("Start-Sleep", "Waits: the simulated clock moves on by that much.", "[-Seconds] <Double> | -Milliseconds <Int32> | -Duration <TimeSpan>"),
    ("Where-Object", "Keeps the objects for which a condition holds.", "[-FilterScript] <ScriptBlock> | [-Property] <String> [-EQ|-NE|-GT|-GE|-LT|-LE|-Like|-NotLike|-Match|-NotMatch|-Contains|-In] [[-Value] <Object>]"),
    ("ForEach-Object", "Runs a block for each object ($_).", "[-Process] <ScriptBlock> [-Begin <ScriptBlock>] [-End <ScriptBlock>] | [-MemberName] <String>"),
    ("Select-Object", "Picks properties or objects.", "[[-Property] <Object[]>] [-ExpandProperty <String>] [-First <Int32>] [-Last <Int32>] [-Skip <Int32>] [-Unique]"),
    ("Sort-Object", "Sorts objects by property values.", "[[-Property] <Object[]>] [-Descending] [-Unique]"),
    ("Measure-Object", "Counts objects; sums, averages, maxima and minima of a property.", "[[-Property] <String>] [-Sum] [-Average] [-Maximum] [-Minimum]"),
    ("ConvertTo-Json", "Writes objects as JSON.", "[-InputObject] <Object> [-Depth <Int32>] [-Compress] [-AsArray]"),
    ("ConvertFrom-Json", "Reads JSON into objects.", "[-InputObject] <String> [-AsHashtable] [-NoEnumerate]"),
    ("Out-File", "Writes output to a file of your files.", "[-FilePath] <String> [-InputObject <PSObject>] [-Append] [-NoNewline] [-Encoding <Encoding>]"),
    ("Set-Content", "Writes text to a file.", "[-Path] <String> [-Value] <Object[]> [-NoNewline]"),
    ("Add-Content", "Appends text to a file.", "[-Path] <String> [-Value] <Object[]> [-NoNewline]"),
    ("Get-Content", "Reads a file: its lines, or all of it with -Raw.", "[-Path] <String> [-Raw] [-TotalCount <Int64>] [-Tail <Int32>]"),
    ("Remove-Item", "Deletes a file.", "[-Path] <String[]> [-Force] [-Recurse]"),
    ("Test-Path", "Whether a file exists.", "[-Path] <String>"),
    ("New-TemporaryFile", "Makes an empty file under tmp/.", ""),
    ("Out-Null", "Discards its input.", ""),
    ("Out-String", "Formats its input as PowerShell prints it, as one string.", "[-InputObject <PSObject>] [-Stream]"),
    ("Out-Host", "Prints its input now.", ""),
    ("Format-Table", "Formats objects as a table.", "[[-Property] <Object[]>] [-AutoSize]"),
    ("Format-List", "Formats objects as a list.", "[[-Property] <Object[]>]"),
    ("Read-Host", "Asks the person for a line.", "[[-Prompt] <Object>] [-AsSecureString]"),
    ("Import-Module", "Runs a module file of your files in this session; Az modules are already here.", "[-Name] <String>"),
    ("Get-Random", "A random number, or a random item of its input.", "[[-Maximum] <Object>] [-Minimum <Object>] [-InputObject <Object[]>]"),
    ("New-Guid", "A new GUID.", ""),
    ("New-Object", "A PSObject with properties, an ArrayList or a List.", "[-TypeName] <String> [-Property <IDictionary>]"),
    ("Join-Path", "Joins path parts with /.", "[-Path] <String> [-ChildPath] <String>"),
    ("Split-Path", "The parent folder, or the leaf with -Leaf.", "[-Path] <String> [-Leaf] [-Parent]"),
    ("Get-Location", "The current folder.", ""),
    ("Get-Help", "This help.", "[[-Name] <String>]"),
    ("Add-PowerAppsAccount", "Signs in to Power Platform as the current persona (or -Username): $global:currentSession.", "[-Endpoint <String>] [-Username <String>] [-TenantID <String>]"),
    ("Get-AdminPowerAppEnvironment", "Environments, from the admin API.", "[[-EnvironmentName] <String>] [-Filter <String>] [-Default]"),
    ("InvokeApi", "Calls the admin API: a 200's body as objects, else the response (StatusCode, Headers, Error, Message).", "-Method <String> -Route <String> [-Body <Object>] [-ApiVersion <String>] [-ThrowOnFailure]"),
    ("ReplaceMacro", "Replaces a {macro} in the piped route.", "-Macro <String> -Value <String>"),
    ("Get-ChildItem", "The folders and files of the Cloud Shell's store (your uploads).", "[[-Path] <String>] [-Recurse] [-Name] [-File] [-Directory] [-Filter <String>]"),
    ("Set-Location", "Moves to a folder of your files (cd .., cd -, cd ~); relative paths start there.", "[[-Path] <String>]"),
];
