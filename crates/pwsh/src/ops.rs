//! Operators, casts, members and methods: what `$a -eq $b`, `[int]$x`, `$s.Trim()` and
//! `[string]::IsNullOrWhiteSpace($x)` do. A method or type outside the subset is an error that
//! names it, never a wrong answer.

use std::cell::RefCell;
use std::rc::Rc;

use crate::eval::{Engine, Res};
use crate::value::*;

fn num_op(e: &Engine<'_>, op: &str, a: Num, b: Num) -> Res<Value> {
    Ok(match (a, b) {
        (Num::I(x), Num::I(y)) => match op {
            "+" => x.checked_add(y).map_or(Value::Dbl(x as f64 + y as f64), Value::Int),
            "-" => x.checked_sub(y).map_or(Value::Dbl(x as f64 - y as f64), Value::Int),
            "*" => x.checked_mul(y).map_or(Value::Dbl(x as f64 * y as f64), Value::Int),
            "/" | "%" if y == 0 => return Err(e.fail("Attempted to divide by zero.")),
            "/" if x % y == 0 => Value::Int(x / y),
            "/" => Value::Dbl(x as f64 / y as f64),
            _ => Value::Int(x % y),
        },
        (a, b) => {
            let (x, y) = (a.f(), b.f());
            match op {
                "+" => Value::Dbl(x + y),
                "-" => Value::Dbl(x - y),
                "*" => Value::Dbl(x * y),
                "/" | "%" if y == 0.0 => return Err(e.fail("Attempted to divide by zero.")),
                "/" => Value::Dbl(x / y),
                _ => Value::Dbl(x % y),
            }
        }
    })
}

fn not_number(e: &Engine<'_>, op: &str, v: &Value) -> crate::eval::Flow {
    e.fail(format!("Cannot apply '{op}': the value \"{}\" ({}) is not a number.", v.to_str(), v.type_name()))
}

pub(crate) fn binary(e: &mut Engine<'_>, op: &str, l: Value, r: Value) -> Res<Value> {
    let (case, base) = match op.strip_prefix('c') {
        Some(b) if crate::parse::is_comparison(b) => (true, b),
        _ => (false, op.strip_prefix('i').filter(|b| crate::parse::is_comparison(b)).unwrap_or(op)),
    };
    match base {
        "+" => match (&l, &r) {
            (Value::Str(s), _) => Ok(Value::Str(format!("{s}{}", r.to_str()))),
            (Value::Array(a, _), _) => {
                let mut items = a.borrow().clone();
                items.extend(match &r {
                    Value::Array(b, _) => b.borrow().clone(),
                    other => vec![other.clone()],
                });
                Ok(Value::array(items))
            }
            (Value::Hash(a), Value::Hash(b)) => {
                let mut m = a.borrow().clone();
                for (k, v) in b.borrow().0.iter() {
                    if m.contains(k) {
                        return Err(e.fail(format!("Item has already been added. Key in dictionary: '{k}'")));
                    }
                    m.0.push((k.clone(), v.clone()));
                }
                Ok(Value::hash(m))
            }
            (Value::Date(d), Value::Span(s)) => Ok(Value::Date(d + s)),
            (Value::Span(a), Value::Span(b)) => Ok(Value::Span(a + b)),
            (Value::Null, _) => Ok(r.clone()),
            _ => {
                let a = l.to_num().ok_or_else(|| not_number(e, "+", &l))?;
                let b = r.to_num().ok_or_else(|| not_number(e, "+", &r))?;
                num_op(e, "+", a, b)
            }
        },
        "-" => match (&l, &r) {
            (Value::Date(a), Value::Date(b)) => Ok(Value::Span(a - b)),
            (Value::Date(a), Value::Span(s)) => Ok(Value::Date(a - s)),
            (Value::Span(a), Value::Span(b)) => Ok(Value::Span(a - b)),
            _ => {
                let a = l.to_num().ok_or_else(|| not_number(e, "-", &l))?;
                let b = r.to_num().ok_or_else(|| not_number(e, "-", &r))?;
                num_op(e, "-", a, b)
            }
        },
        "*" => match (&l, r.to_num()) {
            (Value::Str(s), Some(n)) => Ok(Value::Str(s.repeat(n.f().clamp(0.0, 10_000.0) as usize))),
            (Value::Array(a, _), Some(n)) => {
                let a = a.borrow();
                let times = n.f().clamp(0.0, 10_000.0) as usize;
                Ok(Value::array(a.iter().cloned().cycle().take(a.len() * times).collect()))
            }
            _ => {
                let a = l.to_num().ok_or_else(|| not_number(e, "*", &l))?;
                let b = r.to_num().ok_or_else(|| not_number(e, "*", &r))?;
                num_op(e, "*", a, b)
            }
        },
        "/" | "%" => {
            let a = l.to_num().ok_or_else(|| not_number(e, base, &l))?;
            let b = r.to_num().ok_or_else(|| not_number(e, base, &r))?;
            num_op(e, base, a, b)
        }
        ".." => {
            let a = l.to_num().ok_or_else(|| not_number(e, "..", &l))?.f() as i64;
            let b = r.to_num().ok_or_else(|| not_number(e, "..", &r))?.f() as i64;
            if (a - b).abs() > 100_000 {
                return Err(e.fail("A range of more than 100000 numbers is refused."));
            }
            let items: Vec<Value> =
                if a <= b { (a..=b).map(Value::Int).collect() } else { (b..=a).rev().map(Value::Int).collect() };
            Ok(Value::array(items))
        }
        "xor" => Ok(Value::Bool(l.truthy() != r.truthy())),
        "band" | "bor" | "bxor" => {
            let a = l.to_num().ok_or_else(|| not_number(e, base, &l))?.f() as i64;
            let b = r.to_num().ok_or_else(|| not_number(e, base, &r))?.f() as i64;
            Ok(Value::Int(match base {
                "band" => a & b,
                "bor" => a | b,
                _ => a ^ b,
            }))
        }
        "f" => format_op(e, &l.to_str(), &r.items()),
        "join" => Ok(Value::Str(l.items().iter().map(Value::to_str).collect::<Vec<_>>().join(&r.to_str()))),
        "is" | "isnot" => {
            let ty = match &r {
                Value::Type(t) => t.clone(),
                other => other.to_str(),
            };
            let is = type_is(&l, &ty);
            Ok(Value::Bool(if base == "is" { is } else { !is }))
        }
        "as" => {
            let ty = match &r {
                Value::Type(t) => t.clone(),
                other => other.to_str().to_ascii_lowercase(),
            };
            Ok(cast(e, &ty, l).unwrap_or(Value::Null))
        }
        "contains" | "notcontains" => {
            let has = l.items().iter().any(|x| loose_eq(x, &r, case));
            Ok(Value::Bool(has == (base == "contains")))
        }
        "in" | "notin" => {
            let has = r.items().iter().any(|x| loose_eq(x, &l, case));
            Ok(Value::Bool(has == (base == "in")))
        }
        "replace" => {
            let (pattern, with) = match r.items().as_slice() {
                [p] => (p.to_str(), String::new()),
                [p, w] => (p.to_str(), w.to_str()),
                _ => return Err(e.fail("-replace takes a pattern and, optionally, a replacement: -replace 'a', 'b'.")),
            };
            let re = regex(e, &pattern, case)?;
            let each = |s: &str| Value::Str(re.replace_all(s, with.as_str()).into_owned());
            Ok(match &l {
                Value::Array(a, _) => Value::array(a.borrow().iter().map(|x| each(&x.to_str())).collect()),
                other => each(&other.to_str()),
            })
        }
        "split" => {
            let re = regex(e, &r.to_str(), case)?;
            let mut out = Vec::new();
            for item in l.items() {
                out.extend(re.split(&item.to_str()).map(Value::str));
            }
            Ok(Value::array(out))
        }
        _ if crate::parse::is_comparison(base) => compare_op(e, base, case, l, r),
        other => Err(e.fail(format!("The operator '-{other}' is not supported by the playground's PowerShell."))),
    }
}

fn compare_op(e: &mut Engine<'_>, op: &str, case: bool, l: Value, r: Value) -> Res<Value> {
    // An array on the left filters: the elements for which the comparison holds.
    if let Value::Array(a, _) = &l {
        let items = a.borrow().clone();
        let mut out = Vec::new();
        for item in items {
            if scalar_cmp(e, op, case, &item, &r, false)? {
                out.push(item);
            }
        }
        return Ok(Value::array(out));
    }
    Ok(Value::Bool(scalar_cmp(e, op, case, &l, &r, true)?))
}

fn scalar_cmp(e: &mut Engine<'_>, op: &str, case: bool, l: &Value, r: &Value, set_matches: bool) -> Res<bool> {
    use std::cmp::Ordering::*;
    Ok(match op {
        "eq" => loose_eq(l, r, case),
        "ne" => !loose_eq(l, r, case),
        "gt" => compare(l, r, case) == Some(Greater),
        "ge" => matches!(compare(l, r, case), Some(Greater | Equal)),
        "lt" => compare(l, r, case) == Some(Less),
        "le" => matches!(compare(l, r, case), Some(Less | Equal)),
        "like" => wildcard(&r.to_str(), &l.to_str(), case),
        "notlike" => !wildcard(&r.to_str(), &l.to_str(), case),
        "match" => regex_match(e, &l.to_str(), &r.to_str(), case, set_matches)?,
        "notmatch" => !regex_match(e, &l.to_str(), &r.to_str(), case, set_matches)?,
        _ => false,
    })
}

fn regex(e: &Engine<'_>, pattern: &str, case: bool) -> Res<regex_lite::Regex> {
    regex_lite::RegexBuilder::new(pattern)
        .case_insensitive(!case)
        .size_limit(1 << 20)
        .build()
        .map_err(|err| e.fail(format!("The regular expression pattern '{pattern}' is not valid: {err}")))
}

/// `-match`: sets `$Matches` (groups by number and by name) when it matches.
pub(crate) fn regex_match(e: &mut Engine<'_>, text: &str, pattern: &str, case: bool, set: bool) -> Res<bool> {
    let re = regex(e, pattern, case)?;
    let Some(caps) = re.captures(text) else { return Ok(false) };
    if set {
        let mut m = Map::default();
        for (i, name) in re.capture_names().enumerate() {
            if let Some(g) = caps.get(i) {
                let key = name.map_or_else(|| i.to_string(), str::to_string);
                m.0.push((key, Value::str(g.as_str())));
            }
        }
        e.set_var("matches", Value::hash(m));
    }
    Ok(true)
}

/// `"{0} {1:N2}" -f $a, $b`: indexes, alignment and the common numeric formats.
fn format_op(e: &Engine<'_>, fmt: &str, args: &[Value]) -> Res<Value> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' if chars.get(i + 1) == Some(&'{') => {
                out.push('{');
                i += 2;
            }
            '}' if chars.get(i + 1) == Some(&'}') => {
                out.push('}');
                i += 2;
            }
            '{' => {
                let end =
                    chars[i..].iter().position(|&c| c == '}').map(|k| i + k).ok_or_else(|| {
                        e.fail("Error formatting a string: Input string was not in a correct format.")
                    })?;
                let spec: String = chars[i + 1..end].iter().collect();
                let (head, fmt_part) = spec.split_once(':').map_or((spec.as_str(), None), |(h, f)| (h, Some(f)));
                let (idx, align) = head.split_once(',').map_or((head, None), |(a, b)| (a, Some(b)));
                let idx: usize = idx
                    .trim()
                    .parse()
                    .map_err(|_| e.fail("Error formatting a string: Input string was not in a correct format."))?;
                let v = args.get(idx).ok_or_else(|| {
                    e.fail("Error formatting a string: Index (zero based) must be greater than or equal to zero and less than the size of the argument list.")
                })?;
                let text = match fmt_part {
                    Some(f) => format_value(v, f),
                    None => v.to_str(),
                };
                match align.and_then(|a| a.trim().parse::<i64>().ok()) {
                    Some(w) if w < 0 => out.push_str(&format!("{text:<w$}", w = w.unsigned_abs() as usize)),
                    Some(w) => out.push_str(&format!("{text:>w$}", w = w as usize)),
                    None => out.push_str(&text),
                }
                i = end + 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(Value::Str(out))
}

fn group_thousands(int: &str) -> String {
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// .NET's standard numeric formats N, F, D, P, X and date formats for a value.
fn format_value(v: &Value, f: &str) -> String {
    if let Value::Date(ms) = v {
        return format_date(*ms, f);
    }
    let Some(n) = v.to_num() else { return v.to_str() };
    let (kind, digits) = f.split_at(f.len().min(1));
    let digits: Option<usize> = digits.parse().ok();
    match kind {
        "N" | "n" => {
            let s = format!("{:.*}", digits.unwrap_or(2), n.f());
            let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
            match frac {
                Some(fr) => format!("{}.{fr}", group_thousands(int)),
                None => group_thousands(int),
            }
        }
        "F" | "f" => format!("{:.*}", digits.unwrap_or(2), n.f()),
        "D" | "d" => format!("{:0w$}", n.f() as i64, w = digits.unwrap_or(0)),
        "P" | "p" => format!("{:.*} %", digits.unwrap_or(2), n.f() * 100.0),
        "X" => format!("{:0w$X}", n.f() as i64, w = digits.unwrap_or(0)),
        "x" => format!("{:0w$x}", n.f() as i64, w = digits.unwrap_or(0)),
        _ => v.to_str(),
    }
}

pub(crate) fn unary(e: &mut Engine<'_>, op: &str, v: Value) -> Res<Value> {
    match op {
        "not" => Ok(Value::Bool(!v.truthy())),
        "-" => match v.to_num() {
            Some(Num::I(n)) => Ok(Value::Int(-n)),
            Some(Num::D(f)) => Ok(Value::Dbl(-f)),
            None => Err(not_number(e, "-", &v)),
        },
        "+" => v.to_num().map(Num::value).ok_or_else(|| not_number(e, "+", &v)),
        "join" => Ok(Value::Str(v.items().iter().map(Value::to_str).collect())),
        "split" => Ok(Value::array(v.to_str().split_whitespace().map(Value::str).collect())),
        "bnot" => Ok(Value::Int(!(v.to_num().map_or(0, |n| n.f() as i64)))),
        other => Err(e.fail(format!("The operator '-{other}' is not supported by the playground's PowerShell."))),
    }
}

fn type_is(v: &Value, ty: &str) -> bool {
    let t = ty.to_ascii_lowercase();
    let t = t.strip_prefix("system.").unwrap_or(&t);
    match t {
        "string" => matches!(v, Value::Str(_)),
        "int" | "int32" | "int64" | "long" => matches!(v, Value::Int(_)),
        "double" | "decimal" | "single" | "float" => matches!(v, Value::Dbl(_)),
        "bool" | "boolean" => matches!(v, Value::Bool(_)),
        "array" | "object[]" => matches!(v, Value::Array(..)),
        "hashtable" | "collections.hashtable" | "collections.idictionary" => matches!(v, Value::Hash(_)),
        "pscustomobject" | "psobject" | "management.automation.pscustomobject" => matches!(v, Value::Object(_)),
        "datetime" => matches!(v, Value::Date(_)),
        "timespan" => matches!(v, Value::Span(_)),
        "scriptblock" => matches!(v, Value::Block(_)),
        "object" => !v.is_null(),
        "management.automation.errorrecord" | "errorrecord" => matches!(v, Value::Error(_)),
        _ => v.type_name().eq_ignore_ascii_case(ty),
    }
}

/// `[type]value`.
pub(crate) fn cast(e: &mut Engine<'_>, ty: &str, v: Value) -> Res<Value> {
    let t = ty.to_ascii_lowercase();
    let t = t.strip_prefix("system.").unwrap_or(&t).to_string();
    let bad = |e: &Engine<'_>, v: &Value| e.fail(format!("Cannot convert value \"{}\" to type \"{ty}\".", v.to_str()));
    Ok(match t.as_str() {
        "string" => match v {
            Value::Null => Value::Str(String::new()),
            other => Value::Str(other.to_str()),
        },
        "int" | "int32" | "int64" | "long" | "byte" | "uint32" | "uint64" => match v.to_num() {
            Some(Num::I(n)) => Value::Int(n),
            // .NET rounds half to even when a double becomes an integer.
            Some(Num::D(f)) => Value::Int(round_even(f) as i64),
            None => return Err(bad(e, &v)),
        },
        "double" | "decimal" | "single" | "float" => match v.to_num() {
            Some(n) => Value::Dbl(n.f()),
            None => return Err(bad(e, &v)),
        },
        "bool" | "boolean" | "switch" | "management.automation.switchparameter" => Value::Bool(v.truthy()),
        "datetime" => match &v {
            Value::Date(_) => v,
            Value::Str(s) => Value::Date(parse_date(s).ok_or_else(|| bad(e, &v))?),
            _ => return Err(bad(e, &v)),
        },
        "timespan" => match &v {
            Value::Span(_) => v,
            Value::Str(s) => Value::Span(parse_span(s).ok_or_else(|| bad(e, &v))?),
            _ => return Err(bad(e, &v)),
        },
        "array" | "object[]" | "psobject[]" => match v {
            Value::Array(..) => v,
            Value::Null => Value::array(Vec::new()),
            other => Value::array(vec![other]),
        },
        "string[]" => Value::array(v.items().iter().map(|x| Value::Str(x.to_str())).collect()),
        "int[]" | "int32[]" => {
            let mut out = Vec::new();
            for x in v.items() {
                out.push(cast(e, "int", x)?);
            }
            Value::array(out)
        }
        "hashtable" | "collections.hashtable" | "ordered" => match v {
            Value::Hash(_) => v,
            Value::Object(o) => Value::hash(o.borrow().props.clone()),
            other => return Err(bad(e, &other)),
        },
        "pscustomobject" | "psobject" | "management.automation.pscustomobject" => match v {
            Value::Hash(h) => Value::custom(h.borrow().clone()),
            other => other,
        },
        "collections.arraylist" => Value::Array(Rc::new(RefCell::new(v.items())), ListKind::ArrayList),
        "void" => Value::Null,
        "object" => v,
        "guid" => {
            let s = v.to_str();
            let ok = s.len() == 36
                && s.chars().enumerate().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                });
            if !ok {
                return Err(bad(e, &v));
            }
            Value::Str(crate::value::lower(&s))
        }
        "securestring" | "security.securestring" => Value::Str(v.to_str()),
        "scriptblock" => match v {
            Value::Block(_) => v,
            other => return Err(bad(e, &other)),
        },
        _ if t.starts_with("collections.generic.list[") => {
            Value::Array(Rc::new(RefCell::new(v.items())), ListKind::List)
        }
        _ => return Err(e.fail(format!("The type [{ty}] is not supported by the playground's PowerShell."))),
    })
}

fn round_even(f: f64) -> f64 {
    let r = f.round();
    if (f - f.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - f.signum()
    } else {
        r
    }
}

fn parse_span(s: &str) -> Option<i64> {
    let (days, rest) = match s.split_once('.') {
        Some((d, r)) if r.contains(':') && !d.contains(':') => (d.parse::<i64>().ok()?, r),
        _ => (0, s),
    };
    let mut it = rest.split(':');
    let h: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next().unwrap_or("0").parse().ok()?;
    let sec: f64 = it.next().unwrap_or("0").parse().ok()?;
    Some(((days * 24 + h) * 3600 + m * 60) * 1000 + (sec * 1000.0) as i64)
}

/// `$v.Name`: properties of objects and hashtables (keys), a few of .NET's, and member
/// enumeration over an array (`$vaults.VaultName`). A missing property is `$null`.
pub(crate) fn member(v: &Value, name: &str) -> Value {
    let n = name.to_ascii_lowercase();
    match v {
        Value::Null => Value::Null,
        Value::Hash(h) => {
            let h = h.borrow();
            if let Some(x) = h.get(name) {
                return x.clone();
            }
            match n.as_str() {
                "count" => Value::Int(h.0.len() as i64),
                "keys" => Value::array(h.0.iter().map(|(k, _)| Value::str(k.clone())).collect()),
                "values" => Value::array(h.0.iter().map(|(_, v)| v.clone()).collect()),
                _ => Value::Null,
            }
        }
        Value::Object(o) => {
            let o = o.borrow();
            match o.props.get(name) {
                Some(x) => x.clone(),
                None if n == "psobject" => Value::custom(Map(vec![(
                    "Properties".into(),
                    Value::array(
                        o.props
                            .0
                            .iter()
                            .map(|(k, v)| {
                                Value::custom(Map(vec![
                                    ("Name".into(), Value::str(k.clone())),
                                    ("Value".into(), v.clone()),
                                ]))
                            })
                            .collect(),
                    ),
                )])),
                None => Value::Null,
            }
        }
        Value::Str(s) if n == "length" => Value::Int(s.chars().count() as i64),
        Value::Array(a, _) => {
            let a = a.borrow();
            match n.as_str() {
                "count" | "length" => Value::Int(a.len() as i64),
                _ => {
                    let items: Vec<Value> = a.iter().map(|x| member(x, name)).filter(|x| !x.is_null()).collect();
                    Value::collect(items)
                }
            }
        }
        Value::Date(ms) => {
            let p = date_parts(*ms);
            match n.as_str() {
                "year" => Value::Int(p.year),
                "month" => Value::Int(p.month),
                "day" => Value::Int(p.day),
                "hour" => Value::Int(p.hour),
                "minute" => Value::Int(p.minute),
                "second" => Value::Int(p.second),
                "millisecond" => Value::Int(p.ms),
                "dayofweek" => Value::str(WEEKDAYS[p.weekday]),
                "date" => Value::Date(ms - ms.rem_euclid(86_400_000)),
                "ticks" => Value::Int(ms.saturating_mul(10_000).saturating_add(621_355_968_000_000_000)),
                _ => Value::Null,
            }
        }
        Value::Span(ms) => {
            let ms = *ms;
            match n.as_str() {
                "days" => Value::Int(ms / 86_400_000),
                "hours" => Value::Int(ms / 3_600_000 % 24),
                "minutes" => Value::Int(ms / 60_000 % 60),
                "seconds" => Value::Int(ms / 1000 % 60),
                "milliseconds" => Value::Int(ms % 1000),
                "totaldays" => Value::Dbl(ms as f64 / 86_400_000.0),
                "totalhours" => Value::Dbl(ms as f64 / 3_600_000.0),
                "totalminutes" => Value::Dbl(ms as f64 / 60_000.0),
                "totalseconds" => Value::Dbl(ms as f64 / 1000.0),
                "totalmilliseconds" => Value::Dbl(ms as f64),
                _ => Value::Null,
            }
        }
        Value::Error(rec) => match n.as_str() {
            "exception" => Value::object(
                "System.Management.Automation.RuntimeException",
                Map(vec![("Message".into(), Value::str(rec.message.clone()))]),
            ),
            "message" => Value::str(rec.message.clone()),
            "fullyqualifiederrorid" => Value::str(rec.category.clone()),
            "invocationinfo" => Value::custom(Map(vec![("ScriptLineNumber".into(), Value::Int(rec.line as i64))])),
            _ => Value::Null,
        },
        Value::Type(t) => match n.as_str() {
            "name" => Value::str(t.rsplit('.').next().unwrap_or(t)),
            "fullname" => Value::str(t.clone()),
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

pub(crate) fn set_member(e: &mut Engine<'_>, target: &Value, name: &str, v: Value) -> Res<()> {
    match target {
        Value::Hash(h) => {
            h.borrow_mut().set(name, v);
            Ok(())
        }
        Value::Object(o) => {
            let mut o = o.borrow_mut();
            if !o.props.contains(name) {
                return Err(e.fail(format!(
                    "The property '{name}' cannot be found on this object. Verify that the property exists and can be set."
                )));
            }
            o.props.set(name, v);
            Ok(())
        }
        _ => Err(e.fail(format!(
            "The property '{name}' cannot be found on this object. Verify that the property exists and can be set."
        ))),
    }
}

pub(crate) fn index(v: &Value, i: &Value) -> Res<Value> {
    let at = |len: usize, i: &Value| -> Option<usize> {
        let n = i.to_num()?.f() as i64;
        let k = if n < 0 { len as i64 + n } else { n };
        usize::try_from(k).ok().filter(|&k| k < len)
    };
    Ok(match v {
        Value::Null => Value::Null,
        Value::Hash(h) => {
            let h = h.borrow();
            match i {
                Value::Array(keys, _) => Value::array(
                    keys.borrow().iter().map(|k| h.get(&k.to_str()).cloned().unwrap_or(Value::Null)).collect(),
                ),
                k => h.get(&k.to_str()).cloned().unwrap_or(Value::Null),
            }
        }
        Value::Object(o) => o.borrow().props.get(&i.to_str()).cloned().unwrap_or(Value::Null),
        Value::Array(a, _) => {
            let a = a.borrow();
            match i {
                Value::Array(idx, _) => {
                    Value::array(idx.borrow().iter().filter_map(|k| at(a.len(), k).map(|k| a[k].clone())).collect())
                }
                k => at(a.len(), k).map_or(Value::Null, |k| a[k].clone()),
            }
        }
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            at(chars.len(), i).map_or(Value::Null, |k| Value::Str(chars[k].to_string()))
        }
        other => {
            if at(1, i) == Some(0) {
                other.clone()
            } else {
                Value::Null
            }
        }
    })
}

pub(crate) fn set_index(e: &mut Engine<'_>, target: &Value, i: &Value, v: Value) -> Res<()> {
    match target {
        Value::Hash(h) => {
            h.borrow_mut().set(&i.to_str(), v);
            Ok(())
        }
        Value::Array(a, _) => {
            let mut a = a.borrow_mut();
            let n = i.to_num().map_or(-1, |n| n.f() as i64);
            let k = if n < 0 { a.len() as i64 + n } else { n };
            match usize::try_from(k).ok().filter(|&k| k < a.len()) {
                Some(k) => {
                    a[k] = v;
                    Ok(())
                }
                None => Err(e.fail("Index was outside the bounds of the array.")),
            }
        }
        _ => Err(e.fail("Cannot index into this value.")),
    }
}

fn arg(args: &[Value], k: usize) -> Value {
    args.get(k).cloned().unwrap_or(Value::Null)
}

fn no_method(e: &Engine<'_>, v: &Value, name: &str) -> crate::eval::Flow {
    e.fail(format!(
        "Method invocation failed because [{}] does not contain a method named '{name}' (or the playground's PowerShell does not support it).",
        v.type_name()
    ))
}

/// `$v.Method(args)`.
pub(crate) fn method(e: &mut Engine<'_>, v: &Value, name: &str, args: Vec<Value>) -> Res<Value> {
    let n = name.to_ascii_lowercase();
    if n == "tostring" && !matches!(v, Value::Date(_)) {
        return Ok(match (v, args.first()) {
            (_, Some(f)) if v.to_num().is_some() && !matches!(v, Value::Str(_)) => {
                Value::Str(format_value(v, &f.to_str()))
            }
            _ => Value::Str(v.to_str()),
        });
    }
    if n == "gettype" {
        return Ok(Value::Type(v.type_name()));
    }
    // .NET's Equals: the same type and value ($true.Equals("False") is false).
    if n == "equals" {
        let other = arg(&args, 0);
        let same = match (v, &other) {
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Int(_) | Value::Dbl(_), Value::Int(_) | Value::Dbl(_)) => loose_eq(v, &other, true),
            (Value::Date(a), Value::Date(b)) => a == b,
            (Value::Null, _) | (_, Value::Null) => false,
            _ => loose_eq(v, &other, true) && v.type_name() == other.type_name(),
        };
        return Ok(Value::Bool(same));
    }
    match v {
        Value::Str(s) => string_method(e, v, s, &n, name, &args),
        Value::Array(a, kind) => match n.as_str() {
            "add" => match kind {
                ListKind::Fixed => {
                    Err(e.fail("Exception calling \"Add\" with \"1\" argument(s): \"Collection was of a fixed size.\""))
                }
                ListKind::ArrayList => {
                    let mut a = a.borrow_mut();
                    a.push(arg(&args, 0));
                    Ok(Value::Int(a.len() as i64 - 1))
                }
                ListKind::List => {
                    a.borrow_mut().push(arg(&args, 0));
                    Ok(Value::Null)
                }
            },
            "contains" => Ok(Value::Bool(a.borrow().iter().any(|x| loose_eq(x, &arg(&args, 0), true)))),
            "indexof" => Ok(Value::Int(
                a.borrow().iter().position(|x| loose_eq(x, &arg(&args, 0), true)).map_or(-1, |k| k as i64),
            )),
            "remove" if *kind != ListKind::Fixed => {
                let target = arg(&args, 0);
                let mut a = a.borrow_mut();
                if let Some(k) = a.iter().position(|x| loose_eq(x, &target, true)) {
                    a.remove(k);
                }
                Ok(Value::Null)
            }
            "clear" if *kind != ListKind::Fixed => {
                a.borrow_mut().clear();
                Ok(Value::Null)
            }
            "toarray" => Ok(Value::array(a.borrow().clone())),
            "where" | "foreach" => {
                let Some(Value::Block(b)) = args.first() else { return Err(no_method(e, v, name)) };
                let items = a.borrow().clone();
                let mut out = Vec::new();
                for item in items {
                    let saved = e.var("_");
                    e.set_local("_", item.clone());
                    let r = e.invoke_here(b);
                    e.set_local("_", saved);
                    let r = r?;
                    if n == "where" {
                        if Value::collect(r).truthy() {
                            out.push(item);
                        }
                    } else {
                        out.extend(r);
                    }
                }
                Ok(Value::array(out))
            }
            _ => Err(no_method(e, v, name)),
        },
        Value::Hash(h) => match n.as_str() {
            "containskey" | "contains" => Ok(Value::Bool(h.borrow().contains(&arg(&args, 0).to_str()))),
            "add" => {
                let k = arg(&args, 0).to_str();
                if h.borrow().contains(&k) {
                    return Err(e.fail(format!(
                        "Exception calling \"Add\" with \"2\" argument(s): \"Item has already been added. Key in dictionary: '{k}'\""
                    )));
                }
                h.borrow_mut().0.push((k, arg(&args, 1)));
                Ok(Value::Null)
            }
            "remove" => {
                h.borrow_mut().remove(&arg(&args, 0).to_str());
                Ok(Value::Null)
            }
            "clone" => Ok(Value::hash(h.borrow().clone())),
            _ => Err(no_method(e, v, name)),
        },
        Value::Date(ms) => {
            let amount = arg(&args, 0).to_num().map_or(0.0, Num::f);
            let ms = *ms;
            Ok(match n.as_str() {
                "adddays" => Value::Date(ms + (amount * 86_400_000.0) as i64),
                "addhours" => Value::Date(ms + (amount * 3_600_000.0) as i64),
                "addminutes" => Value::Date(ms + (amount * 60_000.0) as i64),
                "addseconds" => Value::Date(ms + (amount * 1000.0) as i64),
                "addmilliseconds" => Value::Date(ms + amount as i64),
                "addmonths" | "addyears" => {
                    let p = date_parts(ms);
                    let months = if n == "addmonths" { amount as i64 } else { amount as i64 * 12 };
                    let total = p.year * 12 + (p.month - 1) + months;
                    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
                    let day = p.day.min(days_in_month(y, m));
                    Value::Date(date_from(y, m, day, p.hour, p.minute, p.second) + p.ms)
                }
                "touniversaltime" | "tolocaltime" => Value::Date(ms),
                "tostring" => match args.first() {
                    Some(f) => Value::Str(format_date(ms, &f.to_str())),
                    None => Value::Str(v.to_str()),
                },
                "toshortdatestring" => Value::Str(format_date(ms, "M/d/yyyy")),
                "tolongdatestring" => Value::Str(format_date(ms, "dddd, MMMM d, yyyy")),
                "toshorttimestring" => Value::Str(format_date(ms, "h:mm tt")),
                "tofiletime" | "tofiletimeutc" => Value::Int(ms * 10_000 + 116_444_736_000_000_000),
                _ => return Err(no_method(e, v, name)),
            })
        }
        _ => Err(no_method(e, v, name)),
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn string_method(e: &mut Engine<'_>, v: &Value, s: &str, n: &str, name: &str, args: &[Value]) -> Res<Value> {
    let a0 = arg(args, 0).to_str();
    let chars_of =
        |x: &Value| -> Vec<char> { x.items().iter().flat_map(|c| c.to_str().chars().collect::<Vec<_>>()).collect() };
    let ignore_case = args.iter().skip(1).any(|x| x.to_str().to_ascii_lowercase().contains("ignorecase"));
    let lc = |x: &str| if ignore_case { crate::value::lower(x) } else { x.to_string() };
    Ok(match n {
        "toupper" | "toupperinvariant" => Value::Str(crate::value::upper(s)),
        "tolower" | "tolowerinvariant" => Value::Str(crate::value::lower(s)),
        "trim" | "trimstart" | "trimend" => {
            let set = if args.is_empty() { Vec::new() } else { chars_of(&Value::array(args.to_vec())) };
            let pred = |c: char| if set.is_empty() { c.is_whitespace() } else { set.contains(&c) };
            Value::Str(
                match n {
                    "trim" => s.trim_matches(pred),
                    "trimstart" => s.trim_start_matches(pred),
                    _ => s.trim_end_matches(pred),
                }
                .to_string(),
            )
        }
        "split" => {
            // .Split(',') splits on each of the characters given; a string argument is its characters.
            let set = chars_of(&Value::array(args.to_vec()));
            let parts: Vec<Value> = if set.is_empty() {
                s.split(char::is_whitespace).map(Value::str).collect()
            } else {
                s.split(|c| set.contains(&c)).map(Value::str).collect()
            };
            Value::array(parts)
        }
        "replace" => Value::Str(if a0.is_empty() { s.to_string() } else { s.replace(&a0, &arg(args, 1).to_str()) }),
        "contains" => Value::Bool(lc(s).contains(&lc(&a0))),
        "startswith" => Value::Bool(lc(s).starts_with(&lc(&a0))),
        "endswith" => Value::Bool(lc(s).ends_with(&lc(&a0))),
        "indexof" => Value::Int(s.find(&a0).map_or(-1, |b| s[..b].chars().count() as i64)),
        "lastindexof" => Value::Int(s.rfind(&a0).map_or(-1, |b| s[..b].chars().count() as i64)),
        "substring" => {
            let chars: Vec<char> = s.chars().collect();
            let start = arg(args, 0).to_num().map_or(0, |x| x.f() as i64);
            let len = match args.get(1) {
                Some(l) => l.to_num().map_or(0, |x| x.f() as i64),
                None => chars.len() as i64 - start,
            };
            if start < 0 || len < 0 || (start + len) as usize > chars.len() {
                return Err(e.fail(format!(
                    "Exception calling \"Substring\" with \"{}\" argument(s): \"Index and length must refer to a location within the string.\"",
                    args.len()
                )));
            }
            Value::Str(chars[start as usize..(start + len) as usize].iter().collect())
        }
        "padleft" | "padright" => {
            let w = arg(args, 0).to_num().map_or(0, |x| x.f() as usize).min(10_000);
            let fill = args.get(1).and_then(|c| c.to_str().chars().next()).unwrap_or(' ');
            let len = s.chars().count();
            let pad: String = std::iter::repeat_n(fill, w.saturating_sub(len)).collect();
            Value::Str(if n == "padleft" { format!("{pad}{s}") } else { format!("{s}{pad}") })
        }
        "tochararray" => Value::array(s.chars().map(|c| Value::Str(c.to_string())).collect()),
        "insert" => {
            let at = arg(args, 0).to_num().map_or(0, |x| x.f() as usize);
            let chars: Vec<char> = s.chars().collect();
            if at > chars.len() {
                return Err(e.fail("Exception calling \"Insert\": \"startIndex must be within the string.\""));
            }
            let mut out: String = chars[..at].iter().collect();
            out.push_str(&arg(args, 1).to_str());
            out.extend(&chars[at..]);
            Value::Str(out)
        }
        "normalize" => Value::Str(s.to_string()),
        _ => return Err(no_method(e, v, name)),
    })
}

/// `[Type]::Member`.
pub(crate) fn static_member(e: &mut Engine<'_>, t: &Value, name: &str) -> Res<Value> {
    let ty = t.to_str().to_ascii_lowercase();
    let ty = ty.strip_prefix("system.").unwrap_or(&ty);
    let n = name.to_ascii_lowercase();
    Ok(match (ty, n.as_str()) {
        ("datetime", "now" | "utcnow") => Value::Date(e.host.now_ms()),
        ("datetime", "today") => {
            let now = e.host.now_ms();
            Value::Date(now - now.rem_euclid(86_400_000))
        }
        ("string", "empty") => Value::Str(String::new()),
        ("environment", "newline") => Value::str("\n"),
        ("int" | "int32", "maxvalue") => Value::Int(i64::from(i32::MAX)),
        ("int" | "int32", "minvalue") => Value::Int(i64::from(i32::MIN)),
        ("math", "pi") => Value::Dbl(std::f64::consts::PI),
        ("management.automation.actionpreference", p) => Value::Str(capitalize(p)),
        _ => return Err(e.fail(format!("[{}]::{name} is not supported by the playground's PowerShell.", t.to_str()))),
    })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| crate::value::upper(&f.to_string()) + c.as_str())
}

/// `[Type]::Method(args)`.
pub(crate) fn static_call(e: &mut Engine<'_>, t: &Value, name: &str, args: Vec<Value>) -> Res<Value> {
    let ty = t.to_str().to_ascii_lowercase();
    let ty = ty.strip_prefix("system.").unwrap_or(&ty).to_string();
    let n = name.to_ascii_lowercase();
    let a0 = arg(&args, 0);
    let num = |k: usize| arg(&args, k).to_num().map(Num::f);
    Ok(match (ty.as_str(), n.as_str()) {
        ("string", "isnullorwhitespace") => Value::Bool(a0.to_str().trim().is_empty()),
        ("string", "isnullorempty") => Value::Bool(a0.to_str().is_empty()),
        ("string", "join") => Value::Str(
            args.iter().skip(1).flat_map(Value::items).map(|x| x.to_str()).collect::<Vec<_>>().join(&a0.to_str()),
        ),
        ("string", "format") => format_op(e, &a0.to_str(), &args[1.min(args.len())..])?,
        ("string", "concat") => Value::Str(args.iter().map(Value::to_str).collect()),
        ("datetime", "parse") => {
            Value::Date(parse_date(&a0.to_str()).ok_or_else(|| e.fail(format!(
                "Exception calling \"Parse\" with \"1\" argument(s): \"String '{}' was not recognized as a valid DateTime.\"",
                a0.to_str()
            )))?)
        }
        ("math", "round") => {
            let x = num(0).unwrap_or(0.0);
            let digits = num(1).unwrap_or(0.0).clamp(0.0, 15.0) as i32;
            let p = 10f64.powi(digits);
            let r = round_even(x * p) / p;
            Value::Dbl(r)
        }
        ("math", "floor") => Value::Dbl(num(0).unwrap_or(0.0).floor()),
        ("math", "ceiling") => Value::Dbl(num(0).unwrap_or(0.0).ceil()),
        ("math", "abs") => a0.to_num().map_or(Value::Null, |x| match x {
            Num::I(i) => Value::Int(i.abs()),
            Num::D(f) => Value::Dbl(f.abs()),
        }),
        ("math", "max" | "min") => {
            let (x, y) = (arg(&args, 0), arg(&args, 1));
            let first_bigger = compare(&x, &y, false) == Some(std::cmp::Ordering::Greater);
            if (n == "max") == first_bigger { x } else { y }
        }
        ("math", "pow") => Value::Dbl(num(0).unwrap_or(0.0).powf(num(1).unwrap_or(0.0))),
        ("math", "sqrt") => Value::Dbl(num(0).unwrap_or(0.0).sqrt()),
        ("guid", "newguid") => Value::Str(guid(e)),
        ("io.path", "combine") => {
            Value::Str(args.iter().map(Value::to_str).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("/"))
        }
        ("io.path", "getfilename") => Value::str(a0.to_str().rsplit(['/', '\\']).next().unwrap_or_default()),
        ("io.path", "getextension") => {
            let s = a0.to_str();
            let file = s.rsplit(['/', '\\']).next().unwrap_or_default().to_string();
            Value::Str(file.rfind('.').map_or(String::new(), |i| file[i..].to_string()))
        }
        ("io.file", "exists") => {
            let path = e.resolve(&a0.to_str());
            Value::Bool(e.host.file_exists(&path))
        }
        ("io.file", "readalltext") => {
            let path = e.resolve(&a0.to_str());
            Value::Str(e.host.read_file(&path).map_err(|m| e.fail(m))?)
        }
        ("io.file", "writealltext") => {
            let path = e.resolve(&a0.to_str());
            e.host.write_file(&path, &arg(&args, 1).to_str()).map_err(|m| e.fail(m))?;
            Value::Null
        }
        ("collections.generic.list[string]" | "collections.arraylist", "new") => {
            Value::Array(Rc::new(RefCell::new(Vec::new())), if ty == "collections.arraylist" { ListKind::ArrayList } else { ListKind::List })
        }
        (t, "new") if t.starts_with("collections.generic.list[") => {
            Value::Array(Rc::new(RefCell::new(Vec::new())), ListKind::List)
        }
        ("timespan", "fromseconds") => Value::Span((num(0).unwrap_or(0.0) * 1000.0) as i64),
        ("timespan", "fromminutes") => Value::Span((num(0).unwrap_or(0.0) * 60_000.0) as i64),
        ("timespan", "fromhours") => Value::Span((num(0).unwrap_or(0.0) * 3_600_000.0) as i64),
        ("timespan", "fromdays") => Value::Span((num(0).unwrap_or(0.0) * 86_400_000.0) as i64),
        _ => {
            return Err(e.fail(format!(
                "[{}]::{name}() is not supported by the playground's PowerShell.",
                t.to_str()
            )))
        }
    })
}

/// A version-4 GUID from the host's randomness.
pub(crate) fn guid(e: &mut Engine<'_>) -> String {
    let (a, b) = (e.host.random(), e.host.random());
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-4{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        ['8', '9', 'a', 'b'][(b >> 60) as usize & 3],
        &hex[17..20],
        &hex[20..32]
    )
}
