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

/// The key with its first letter upper-cased (the services' keys are ASCII; `char::to_uppercase`
/// would link Unicode's case tables into the worker).
fn capitalized(key: &str) -> String {
    let mut out = String::from(key);
    if let Some(first) = out.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// Whether `s` reads as a YAML 1.1 number (PyYAML's int and float patterns, simplified):
/// `[-+]digits[.digits][e[-+]digits]`, underscores allowed. Not `str::parse::<f64>`, which links
/// a float parser into the worker.
fn numeric(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '_');
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => (digits(a) || a.is_empty()) && (digits(b) || b.is_empty()) && !(a.is_empty() && b.is_empty()),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// A value as Python's `str()` prints it in a table cell.
fn cell(value: &Value) -> String {
    match value {
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        // tabulate's missing value.
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One row: the scalar fields of an object (keys sorted), the items of a list as Column1…,
/// anything else as Result.
fn table_row(item: &Value) -> Vec<(String, String)> {
    match item {
        Value::Object(map) => {
            // serde_json's Map is a BTreeMap here (no preserve_order): its keys come sorted,
            // after --query too (a JMESPath multiselect hash is a map as well).
            map.keys()
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
/// `None` when there is something to show but no column to show it in (the real CLI then says
/// "Table output unavailable").
pub(crate) fn table(value: &Value, path: &str, queried: bool) -> Option<String> {
    // A command's own columns first (not after --query); otherwise the keys, sorted.
    let own = if queried { None } else { transformed(path, value) };
    let rows: Vec<Vec<(String, String)>> = match (own, value) {
        (Some(rows), _) => rows,
        (None, Value::Array(items)) => items.iter().map(table_row).collect(),
        (None, other) => vec![table_row(other)],
    };
    let mut headers: Vec<String> = Vec::new();
    for (k, _) in rows.iter().flatten() {
        if !headers.contains(k) {
            headers.push(k.clone());
        }
    }
    if headers.is_empty() {
        return rows.is_empty().then(String::new);
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
    Some(out.join("\n"))
}

/// Whether PyYAML would print `s` as a plain scalar (otherwise it single-quotes it).
fn plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    let lower = s.to_ascii_lowercase();
    let reserved = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"];
    let numeric = numeric(s) || s.starts_with("0x") || s.starts_with("0o") || lower == ".inf" || lower == ".nan";
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

fn yaml_map(map: &Map<String, Value>, indent: usize, out: &mut Vec<String>, first_prefix: Option<String>) {
    // serde_json's Map is a BTreeMap here (no preserve_order): its keys come sorted.
    let keys = map.keys();
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
            // A list in a list starts on the dash's line: `- - a`.
            Value::Array(a) if !a.is_empty() => {
                let mut inner = Vec::new();
                yaml_seq(a, indent + 2, &mut inner);
                if let Some(first) = inner.first_mut() {
                    *first = format!("{pad}- {}", first.trim_start());
                }
                out.extend(inner);
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
        // (An empty list or mapping, `[]` or `{}`, has none: it is not plain.)
        other => {
            out.push(scalar(other));
            if matches!(other, Value::String(s) if plain(s))
                || matches!(other, Value::Null | Value::Bool(_) | Value::Number(_))
            {
                out.push("...".into());
            }
        }
    }
    out.join("\n")
}
