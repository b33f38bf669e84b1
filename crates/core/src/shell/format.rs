//! `-o table` and `-o yaml` as the real CLI prints them: knack's table (the service's JSON
//! flattened to its scalar fields, keys sorted and capitalized, laid out as tabulate's "simple"
//! table) and PyYAML's block style (keys sorted, sequences not indented under their key).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde_json::{Map, Value};

/// Fields knack leaves out of a table.
const SKIPPED: [&str; 3] = ["id", "type", "etag"];

/// A command's own columns (azure-cli's table transformers), where the real CLI has one: rows of
/// (column, cell) in the transformer's order.
fn transformed(path: &str, value: &Value) -> Option<Vec<Vec<(String, String)>>> {
    let columns: &[(&str, &str)] = match path {
        "az group list" => &[("Name", "/name"), ("Location", "/location"), ("Status", "/properties/provisioningState")],
        "az role assignment list" => {
            &[("Principal", "/principalName"), ("Role", "/roleDefinitionName"), ("Scope", "/scope")]
        }
        _ => return None,
    };
    let rows = value.as_array()?;
    Some(
        rows.iter()
            .map(|r| {
                columns
                    .iter()
                    .map(|(name, at)| ((*name).to_string(), r.pointer(at).map(cell).unwrap_or_default()))
                    .collect()
            })
            .collect(),
    )
}

fn capitalized(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A value as Python's `str()` prints it in a table cell.
fn cell(value: &Value) -> String {
    match value {
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One row: the scalar fields of an object (keys sorted unless `in_order`), the items of a list
/// as Column1…, anything else as Result.
fn table_row(item: &Value, in_order: bool) -> Vec<(String, String)> {
    match item {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            if !in_order {
                keys.sort();
            }
            keys.into_iter()
                .filter(|k| !SKIPPED.contains(&k.as_str()))
                .filter_map(|k| {
                    let v = &map[k];
                    (!v.is_null() && !v.is_array() && !v.is_object()).then(|| (capitalized(k), cell(v)))
                })
                .collect()
        }
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (format!("Column{}", i + 1), cell(v))).collect(),
        other => vec![("Result".into(), cell(other))],
    }
}

/// `-o table`: `path` picks the command's own columns (not after `--query`, as the real CLI).
pub(crate) fn table(value: &Value, path: &str, queried: bool) -> String {
    // Keys in their own order after --query, sorted otherwise; a command's own columns first.
    let own = if queried { None } else { transformed(path, value) };
    let rows: Vec<Vec<(String, String)>> = match (own, value) {
        (Some(rows), _) => rows,
        (None, Value::Array(items)) => items.iter().map(|i| table_row(i, queried)).collect(),
        (None, other) => vec![table_row(other, queried)],
    };
    let mut headers: Vec<String> = Vec::new();
    for (k, _) in rows.iter().flatten() {
        if !headers.contains(k) {
            headers.push(k.clone());
        }
    }
    if headers.is_empty() {
        return String::new();
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            headers.iter().map(|h| r.iter().find(|(k, _)| k == h).map(|(_, v)| v.clone()).unwrap_or_default()).collect()
        })
        .collect();
    // tabulate: a column is as wide as its widest value, and its header plus two.
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| cells.iter().map(|r| r[i].chars().count()).max().unwrap_or(0).max(h.chars().count() + 2))
        .collect();
    let line =
        |values: &[String]| values.iter().zip(&widths).map(|(v, w)| format!("{v:<w$}")).collect::<Vec<_>>().join("  ");
    let mut out = vec![line(&headers), widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  ")];
    out.extend(cells.iter().map(|r| line(r)));
    out.join("\n")
}

/// Whether PyYAML would print `s` as a plain scalar (otherwise it single-quotes it).
fn plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    let lower = s.to_ascii_lowercase();
    let reserved = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"];
    let numeric =
        s.parse::<f64>().is_ok() || s.starts_with("0x") || s.starts_with("0o") || lower == ".inf" || lower == ".nan";
    let timestamp = s.len() >= 10
        && s.as_bytes()[..10]
            .iter()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    !(reserved.contains(&lower.as_str())
        || numeric
        || timestamp
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.starts_with(' ')
        || s.ends_with(' ')
        || s.contains('\n')
        || s.contains('\t'))
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if plain(s) => s.clone(),
        Value::String(s) if s.contains('\n') => serde_json::to_string(s).unwrap_or_default(),
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        _ => String::new(),
    }
}

fn is_block(value: &Value) -> bool {
    matches!(value, Value::Array(a) if !a.is_empty()) || matches!(value, Value::Object(m) if !m.is_empty())
}

fn yaml_map(map: &Map<String, Value>, indent: usize, out: &mut Vec<String>, first_prefix: Option<String>) {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let pad = " ".repeat(indent);
    for (i, k) in keys.into_iter().enumerate() {
        let key = if plain(k) { k.clone() } else { format!("'{}'", k.replace('\'', "''")) };
        let lead = match (&first_prefix, i) {
            (Some(p), 0) => p.clone(),
            _ => pad.clone(),
        };
        let v = &map[k];
        match v {
            Value::Object(m) if !m.is_empty() => {
                out.push(format!("{lead}{key}:"));
                yaml_map(m, indent + 2, out, None);
            }
            // PyYAML does not indent a sequence under its key.
            Value::Array(a) if !a.is_empty() => {
                out.push(format!("{lead}{key}:"));
                yaml_seq(a, indent, out);
            }
            _ => out.push(format!("{lead}{key}: {}", scalar(v))),
        }
    }
}

fn yaml_seq(items: &[Value], indent: usize, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Value::Object(m) if !m.is_empty() => yaml_map(m, indent + 2, out, Some(format!("{pad}- "))),
            Value::Array(a) if !a.is_empty() => {
                out.push(format!("{pad}-"));
                yaml_seq(a, indent + 2, out);
            }
            other => out.push(format!("{pad}- {}", scalar(other))),
        }
    }
}

/// `-o yaml`: PyYAML's `safe_dump(…, default_flow_style=False)` (without its folding of long
/// lines at 80 columns).
pub(crate) fn yaml(value: &Value) -> String {
    let mut out = Vec::new();
    match value {
        Value::Object(m) if !m.is_empty() => yaml_map(m, 0, &mut out, None),
        Value::Array(a) if !a.is_empty() => yaml_seq(a, 0, &mut out),
        // A bare scalar is a document of its own, ended with "...".
        other if !is_block(other) => {
            out.push(scalar(other));
            if matches!(other, Value::String(s) if plain(s))
                || matches!(other, Value::Null | Value::Bool(_) | Value::Number(_))
            {
                out.push("...".into());
            }
        }
        _ => {}
    }
    out.join("\n")
}
