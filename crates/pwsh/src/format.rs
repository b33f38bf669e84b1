//! How PowerShell shows what a pipeline outputs (Out-Default: strings as they are, objects of up
//! to four properties as a table, more as a list, hashtables as Name/Value), and JSON both ways
//! as ConvertTo-Json and ConvertFrom-Json read and write it.

use crate::value::{fmt_double, format_date, long_date, Map, Value, PS_CUSTOM};

/// The lines PowerShell prints for a statement's output.
pub fn out_default(items: &[Value]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Value::Null => i += 1,
            Value::Object(_) | Value::Hash(_) | Value::Error(_) => {
                // A run of objects of one shape prints as one table (or one list).
                let first = shape(&items[i]);
                let mut j = i + 1;
                while j < items.len() && first.is_some() && shape(&items[j]) == first {
                    j += 1;
                }
                lines.extend(objects(&items[i..j]));
                i = j;
            }
            other => {
                lines.extend(scalar(other).split('\n').map(|l| l.trim_end_matches('\r').to_string()));
                i += 1;
            }
        }
    }
    lines
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Date(ms) => long_date(*ms),
        Value::Span(ms) => span_list(*ms),
        Value::Type(t) => t.clone(),
        other => other.to_str(),
    }
}

fn span_list(ms: i64) -> String {
    let a = ms.unsigned_abs() as i64 * ms.signum();
    let props = [
        ("Days", (a / 86_400_000).to_string()),
        ("Hours", (a / 3_600_000 % 24).to_string()),
        ("Minutes", (a / 60_000 % 60).to_string()),
        ("Seconds", (a / 1000 % 60).to_string()),
        ("Milliseconds", (a % 1000).to_string()),
        ("TotalDays", fmt_double(a as f64 / 86_400_000.0)),
        ("TotalHours", fmt_double(a as f64 / 3_600_000.0)),
        ("TotalMinutes", fmt_double(a as f64 / 60_000.0)),
        ("TotalSeconds", fmt_double(a as f64 / 1000.0)),
    ];
    let mut out = String::from("\n");
    for (k, v) in props {
        out.push_str(&format!("{k:<17} : {v}\n"));
    }
    out
}

/// The property names that decide whether two objects share a table.
fn shape(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Object(o) => {
            let o = o.borrow();
            // Folders and files share one view, as PowerShell's file system listing does.
            let view = if o.type_name == "System.IO.DirectoryInfo" { "System.IO.FileInfo" } else { &o.type_name };
            let mut s = vec![view.to_string()];
            s.extend(o.props.0.iter().map(|(k, _)| crate::value::lower(k)));
            Some(s)
        }
        Value::Hash(_) => Some(vec!["#hash".into()]),
        _ => None,
    }
}

fn objects(items: &[Value]) -> Vec<String> {
    match &items[0] {
        Value::Hash(_) => {
            let rows: Vec<Vec<Value>> = items
                .iter()
                .flat_map(|h| match h {
                    Value::Hash(m) => {
                        m.borrow().0.iter().map(|(k, v)| vec![Value::str(k.clone()), v.clone()]).collect()
                    }
                    _ => Vec::new(),
                })
                .collect();
            table(&["Name".into(), "Value".into()], &rows)
        }
        Value::Error(e) => vec![e.message.clone()],
        Value::Object(o) => {
            let names: Vec<String> = o.borrow().props.0.iter().map(|(k, _)| k.clone()).collect();
            if names.is_empty() {
                return Vec::new();
            }
            let rows: Vec<Vec<Value>> = items
                .iter()
                .map(|v| match v {
                    Value::Object(o) => o.borrow().props.0.iter().map(|(_, v)| v.clone()).collect(),
                    _ => Vec::new(),
                })
                .collect();
            let table_view = crate::az::TABLE_VIEWS.contains(&o.borrow().type_name.as_str());
            if names.len() <= 4 || table_view {
                table(&names, &rows)
            } else {
                list(&names, &rows)
            }
        }
        _ => Vec::new(),
    }
}

/// A value inside a table cell or a list: arrays as `{a, b}`, objects as `@{…}`.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Array(a, _) => {
            let a = a.borrow();
            let inner: Vec<String> = a.iter().map(Value::to_str).collect();
            format!("{{{}}}", inner.join(", "))
        }
        Value::Date(ms) => format_date(*ms, "M/d/yyyy h:mm:ss tt"),
        other => other.to_str().replace('\n', " "),
    }
}

fn numeric(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Dbl(_))
}

fn table(names: &[String], rows: &[Vec<Value>]) -> Vec<String> {
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(cell).collect()).collect();
    // A column of numbers (blanks aside) is right-aligned.
    let right: Vec<bool> = (0..names.len())
        .map(|c| {
            let mut cells = rows.iter().filter_map(|r| r.get(c)).filter(|v| !v.is_null()).peekable();
            cells.peek().is_some() && cells.all(numeric)
        })
        .collect();
    let width: Vec<usize> = (0..names.len())
        .map(|c| {
            cells
                .iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .chain([names[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |texts: Vec<String>| -> String {
        let last = texts.len().saturating_sub(1);
        let mut out = String::new();
        for (c, t) in texts.into_iter().enumerate() {
            if c > 0 {
                out.push(' ');
            }
            if right[c] {
                out.push_str(&format!("{t:>w$}", w = width[c]));
            } else if c == last {
                out.push_str(&t);
            } else {
                out.push_str(&format!("{t:<w$}", w = width[c]));
            }
        }
        out.trim_end().to_string()
    };
    let mut out = vec![String::new(), line(names.to_vec())];
    out.push(line(names.iter().map(|n| "-".repeat(n.chars().count())).collect()));
    for r in cells {
        let mut r = r;
        r.resize(names.len(), String::new());
        out.push(line(r));
    }
    out.push(String::new());
    out
}

fn list(names: &[String], rows: &[Vec<Value>]) -> Vec<String> {
    let w = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let mut out = vec![String::new()];
    for r in rows {
        for (n, v) in names.iter().zip(r) {
            out.push(format!("{n:<w$} : {}", cell(v)).trim_end().to_string());
        }
        out.push(String::new());
    }
    out
}

/// `Format-List`: every object as a list, whatever its width.
pub fn format_list(items: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for v in items {
        match v {
            Value::Object(o) => {
                let o = o.borrow();
                let names: Vec<String> = o.props.0.iter().map(|(k, _)| k.clone()).collect();
                let row: Vec<Value> = o.props.0.iter().map(|(_, v)| v.clone()).collect();
                let mut l = list(&names, &[row]);
                if !out.is_empty() {
                    l.remove(0);
                }
                out.extend(l);
            }
            Value::Hash(h) => {
                let h = h.borrow();
                for (k, v) in &h.0 {
                    out.extend(list(&["Name".into(), "Value".into()], &[vec![Value::str(k.clone()), v.clone()]]));
                }
            }
            other => out.extend(out_default(std::slice::from_ref(other))),
        }
    }
    out
}

/// `Format-Table`: objects as a table, whatever their width.
pub fn format_table(items: &[Value]) -> Vec<String> {
    let Some(Value::Object(first)) = items.iter().find(|v| matches!(v, Value::Object(_))) else {
        return out_default(items);
    };
    let names: Vec<String> = first.borrow().props.0.iter().map(|(k, _)| k.clone()).collect();
    let rows: Vec<Vec<Value>> = items
        .iter()
        .filter_map(|v| match v {
            Value::Object(o) => {
                let o = o.borrow();
                Some(names.iter().map(|n| o.props.get(n).cloned().unwrap_or(Value::Null)).collect())
            }
            _ => None,
        })
        .collect();
    table(&names, &rows)
}

// ----- JSON -----

/// ConvertTo-Json: PowerShell 7's layout (two spaces, `"name": value`), objects deeper than
/// `depth` written as their string; the flag says whether that happened (PowerShell warns).
pub fn to_json(v: &Value, depth: usize, compress: bool) -> (String, bool) {
    let mut out = String::new();
    let mut truncated = false;
    write_json(v, depth, 0, compress, &mut out, &mut truncated);
    (out, truncated)
}

fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_json(v: &Value, depth: usize, level: usize, compress: bool, out: &mut String, truncated: &mut bool) {
    // An object's members (named) or an array's items (not): one container either way.
    let (open, close, members): (char, char, Vec<(Option<String>, Value)>) = match v {
        Value::Hash(h) => ('{', '}', h.borrow().0.iter().map(|(k, x)| (Some(k.clone()), x.clone())).collect()),
        Value::Object(o) => ('{', '}', o.borrow().props.0.iter().map(|(k, x)| (Some(k.clone()), x.clone())).collect()),
        Value::Error(e) => ('{', '}', vec![(Some("Message".into()), Value::str(e.message.clone()))]),
        Value::Array(a, _) => ('[', ']', a.borrow().iter().map(|x| (None, x.clone())).collect()),
        Value::Null => return out.push_str("null"),
        Value::Bool(b) => return out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => return out.push_str(&n.to_string()),
        Value::Dbl(f) => return out.push_str(&fmt_double(*f)),
        Value::Str(s) => return quote(s, out),
        Value::Date(ms) => return quote(&format_date(*ms, "yyyy-MM-ddTHH:mm:ss.fffffffK"), out),
        other => return quote(&other.to_str(), out),
    };
    if level >= depth {
        *truncated = true;
        return quote(&v.to_str(), out);
    }
    if members.is_empty() {
        out.push(open);
        out.push(close);
        return;
    }
    let pad = |n: usize| if compress { String::new() } else { "  ".repeat(n) };
    let nl = if compress { "" } else { "\n" };
    out.push(open);
    out.push_str(nl);
    for (i, (k, val)) in members.iter().enumerate() {
        out.push_str(&pad(level + 1));
        if let Some(k) = k {
            quote(k, out);
            out.push_str(if compress { ":" } else { ": " });
        }
        write_json(val, depth, level + 1, compress, out, truncated);
        if i + 1 < members.len() {
            out.push(',');
        }
        out.push_str(nl);
    }
    out.push_str(&pad(level));
    out.push(close);
}

/// ConvertFrom-Json: objects become `[pscustomobject]`s in their order, ISO dates stay strings.
pub fn from_json(text: &str) -> Result<Value, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut p = Json { s: &chars, i: 0, depth: 0 };
    p.ws();
    let v = p.value()?;
    p.ws();
    if p.i < chars.len() {
        return Err(format!("Conversion from JSON failed: unexpected '{}' after the value.", chars[p.i]));
    }
    Ok(v)
}

struct Json<'a> {
    s: &'a [char],
    i: usize,
    depth: usize,
}

impl Json<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_whitespace()) {
            self.i += 1;
        }
    }
    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("Conversion from JSON failed with error: {what} at character {}.", self.i))
    }
    fn value(&mut self) -> Result<Value, String> {
        self.depth += 1;
        if self.depth > 200 {
            return self.fail("the JSON nests too deep");
        }
        let v = match self.s.get(self.i) {
            Some('{') => {
                self.i += 1;
                let mut map = Map::default();
                self.ws();
                if self.s.get(self.i) == Some(&'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        if self.s.get(self.i) != Some(&'"') {
                            return self.fail("a property name was expected");
                        }
                        let k = self.string()?;
                        self.ws();
                        if self.s.get(self.i) != Some(&':') {
                            return self.fail("':' was expected");
                        }
                        self.i += 1;
                        self.ws();
                        let v = self.value()?;
                        map.0.push((k, v));
                        self.ws();
                        match self.s.get(self.i) {
                            Some(',') => self.i += 1,
                            Some('}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return self.fail("',' or '}' was expected"),
                        }
                    }
                }
                Value::object(PS_CUSTOM, map)
            }
            Some('[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&']') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value()?);
                        self.ws();
                        match self.s.get(self.i) {
                            Some(',') => self.i += 1,
                            Some(']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return self.fail("',' or ']' was expected"),
                        }
                    }
                }
                Value::array(items)
            }
            Some('"') => Value::Str(self.string()?),
            Some('t') if self.word("true") => Value::Bool(true),
            Some('f') if self.word("false") => Value::Bool(false),
            Some('n') if self.word("null") => Value::Null,
            Some(c) if c.is_ascii_digit() || *c == '-' => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
                {
                    self.i += 1;
                }
                let t: String = self.s[start..self.i].iter().collect();
                if let Ok(n) = t.parse::<i64>() {
                    Value::Int(n)
                } else if let Ok(f) = t.parse::<f64>() {
                    Value::Dbl(f)
                } else {
                    return self.fail("a number was expected");
                }
            }
            _ => return self.fail("a value was expected"),
        };
        self.depth -= 1;
        Ok(v)
    }
    fn word(&mut self, w: &str) -> bool {
        let n = w.len();
        if self.s.len() >= self.i + n && self.s[self.i..self.i + n].iter().copied().eq(w.chars()) {
            self.i += n;
            true
        } else {
            false
        }
    }
    fn string(&mut self) -> Result<String, String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            match self.s.get(self.i) {
                None => return self.fail("the string does not end"),
                Some('"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    self.i += 1;
                    let c = self.s.get(self.i).copied();
                    self.i += 1;
                    match c {
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('r') => out.push('\r'),
                        Some('b') => out.push('\u{8}'),
                        Some('f') => out.push('\u{c}'),
                        Some('u') => {
                            let hex: String = self.s.get(self.i..self.i + 4).unwrap_or(&[]).iter().collect();
                            self.i += 4;
                            let code = u32::from_str_radix(&hex, 16).ok();
                            out.push(code.and_then(char::from_u32).unwrap_or('\u{fffd}'));
                        }
                        Some(c) => out.push(c),
                        None => return self.fail("the string does not end"),
                    }
                }
                Some(c) => {
                    out.push(*c);
                    self.i += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trips_in_order() {
        let v = from_json(r#"{"b": 1, "a": [true, null, "x<y"], "c": {"d": 2.5}}"#).expect("json");
        let (text, truncated) = to_json(&v, 5, false);
        assert!(!truncated);
        assert_eq!(
            text,
            "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null,\n    \"x<y\"\n  ],\n  \"c\": {\n    \"d\": 2.5\n  }\n}"
        );
        let (shallow, truncated) = to_json(&v, 1, true);
        assert!(truncated);
        assert_eq!(shallow, r#"{"b":1,"a":"True  x<y","c":"@{d=2.5}"}"#);
        assert!(from_json("{\"a\": }").is_err());
    }

    #[test]
    fn objects_print_as_tables_or_lists_by_width() {
        let small = Value::custom(Map(vec![("Name".into(), Value::str("kv")), ("Count".into(), Value::Int(3))]));
        assert_eq!(out_default(&[small]), vec!["", "Name Count", "---- -----", "kv       3", ""]);
        let wide = Value::custom(Map((0..5).map(|i| (format!("P{i}"), Value::Int(i))).collect()));
        assert_eq!(out_default(&[wide])[1], "P0 : 0");
    }
}
