//! What a line prints: JSON or text, shaped by `--query` and `-o` as the real CLI does.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::args::bad_value;
use super::err;
use crate::error::{Error, ErrorCode};

/// What a line produced: JSON, or (`-o tsv`, help) plain text.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Json(Value),
    Text(String),
}

impl Output {
    pub fn to_json(&self) -> Value {
        match self {
            Self::Json(v) => v.clone(),
            Self::Text(t) => Value::String(t.clone()),
        }
    }
    /// As `$(…)` captures it: bare text, or compact JSON.
    pub(crate) fn captured(&self) -> String {
        match self {
            Self::Json(v) => v.to_string(),
            Self::Text(t) => t.clone(),
        }
    }
}

/// What evaluates `--query`. Hosts with std plug in JMESPath (`cmk-query`); without one the
/// shell understands dotted paths with `[n]` and `[]`, and refuses anything else.
pub trait QueryEngine: core::fmt::Debug {
    fn search(&self, expression: &str, value: &Value) -> Result<Value, String>;
    /// Whether `expression` is well formed (checked before the command runs).
    fn check(&self, expression: &str) -> Result<(), String>;
}

pub(crate) fn bad_query(q: &str, e: &str) -> Error {
    err(ErrorCode::BadParameter, format!("--query '{q}' is not a valid JMESPath query: {e}"))
}

/// What `-o` asks for (the real CLI's choices, any case; jsonc and yamlc are the coloured
/// json and yaml, printed here without colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Tsv,
    Table,
    Yaml,
    None,
}

/// `-o`: json (the default), jsonc, tsv, table, yaml, yamlc or none; anything else is refused.
pub(crate) fn output_format(output: Option<&str>) -> Result<Format, Error> {
    match output.map(str::to_ascii_lowercase).as_deref() {
        None | Some("json" | "jsonc") => Ok(Format::Json),
        Some("tsv") => Ok(Format::Tsv),
        Some("table") => Ok(Format::Table),
        Some("yaml" | "yamlc") => Ok(Format::Yaml),
        Some("none") => Ok(Format::None),
        // The real CLI's words.
        Some(_) => Err(err(
            ErrorCode::InvalidArgumentValue,
            format!(
                "argument --output/-o: invalid choice: '{}' (choose from 'json', 'jsonc', 'none', 'table', 'tsv', 'yaml', 'yamlc')",
                output.unwrap_or_default()
            ),
        )),
    }
}

/// The shaped value as `format` prints it; `path` names the command (its own table columns),
/// `queried` says whether `--query` shaped it first.
pub(crate) fn printed(value: Value, format: Format, path: &str, queried: bool) -> Result<Output, Error> {
    Ok(match format {
        Format::Json => Output::Json(value),
        Format::Tsv => Output::Text(tsv(&value)),
        Format::Table => Output::Text(super::format::table(&value, path, queried).ok_or_else(|| {
            err(
                ErrorCode::InvalidArgumentValue,
                "Table output unavailable. Use the --query option to specify an appropriate query.".into(),
            )
        })?),
        Format::Yaml => Output::Text(super::format::yaml(&value)),
        Format::None => Output::Text(String::new()),
    })
}

/// A dotted path with `[n]` indices and `[]` projections: `identity.principalId`,
/// `data[0].id`, `[].upn` (the JMESPath subset runbooks use).
pub fn select(value: &Value, path: &str) -> Result<Value, Error> {
    if !path.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']')) {
        return Err(err(
            ErrorCode::BadParameter,
            format!("--query '{path}': this host understands dotted paths with [n] and [] only (no filters, functions or multiselect)."),
        ));
    }
    #[derive(Debug)]
    enum Step {
        Field(String),
        Index(usize),
        Project,
    }
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            steps.push(Step::Field(name.into()));
        }
        // Every '[' closed by its ']' ('[' alone used to select nothing and pass).
        if !indices.is_empty()
            && (!indices.ends_with(']') || indices.matches('[').count() != indices.matches(']').count())
        {
            return Err(bad_value("--query", path, "a path like data[0].id or [].name"));
        }
        for idx in indices.split('[').filter(|s| !s.is_empty()) {
            let inner =
                idx.strip_suffix(']').ok_or_else(|| bad_value("--query", path, "a path like data[0].id or [].name"))?;
            if inner.is_empty() {
                steps.push(Step::Project);
            } else {
                steps.push(Step::Index(
                    inner.parse().map_err(|_| bad_value("--query", path, "a path like data[0].id or [].name"))?,
                ));
            }
        }
    }
    fn walk(v: &Value, steps: &[Step]) -> Value {
        match steps.split_first() {
            None => v.clone(),
            Some((Step::Field(f), rest)) => walk(v.get(f.as_str()).unwrap_or(&Value::Null), rest),
            Some((Step::Index(n), rest)) => walk(v.get(*n).unwrap_or(&Value::Null), rest),
            Some((Step::Project, rest)) => match v {
                Value::Array(items) => {
                    Value::Array(items.iter().map(|i| walk(i, rest)).filter(|x| !x.is_null()).collect())
                }
                _ => Value::Null,
            },
        }
    }
    Ok(walk(value, &steps))
}

/// Azure CLI's tsv: bare scalars, one line per array element, tabs between object values.
pub(crate) fn tsv(value: &Value) -> String {
    fn scalar(v: &Value) -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Object(m) => m.values().map(scalar).collect::<Vec<_>>().join("\t"),
            Value::Array(a) => a.iter().map(scalar).collect::<Vec<_>>().join("\t"),
            other => other.to_string(),
        }
    }
    match value {
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join("\n"),
        other => scalar(other),
    }
}

/// The contract's output line, keys in the contract's order:
/// `{"line":N,"command":"…","ok":true,"result":…}` or `{…,"ok":false,"error":{"code","message"}}`.
pub fn line_json(number: usize, command: &str, result: &Result<Output, Error>) -> String {
    let text = |s: &str| Value::String(s.into()).to_string();
    match result {
        Ok(out) => {
            format!("{{\"line\":{number},\"command\":{},\"ok\":true,\"result\":{}}}", text(command), out.to_json())
        }
        Err(e) => format!(
            "{{\"line\":{number},\"command\":{},\"ok\":false,\"error\":{{\"code\":{},\"message\":{}}}}}",
            text(command),
            text(e.code().as_str()),
            text(e.message())
        ),
    }
}
