//! PowerShell's values and their conversions, as the language converts them: a string compares
//! case-insensitively, the left operand decides the type, an array on the left filters.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

use crate::ast::Block;

/// A list of named values that keeps its order and finds names in any case (hashtables,
/// `[pscustomobject]` properties).
#[derive(Clone, Debug, Default)]
pub struct Map(pub Vec<(String, Value)>);

impl Map {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
    }
    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    pub fn set(&mut self, key: &str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.to_string(), value)),
        }
    }
    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
    }
}

/// How an array came to be: PowerShell's arrays are fixed, an ArrayList's Add answers the index,
/// a generic List's Add answers nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    Fixed,
    ArrayList,
    List,
}

#[derive(Clone, Debug)]
pub struct Obj {
    /// The type PowerShell would name (`System.Management.Automation.PSCustomObject`, or an
    /// Az output type such as `Microsoft.Azure.Commands.KeyVault.Models.PSKeyVault`).
    pub type_name: String,
    pub props: Map,
}

#[derive(Clone, Debug)]
pub struct ErrorRecord {
    pub message: String,
    /// The category PowerShell prints before the message (`Exception`, `Write-Error`, a cmdlet's name).
    pub category: String,
    pub line: usize,
    /// Where it happened: the file and the text of its line (a function's errors point into the
    /// file that defined it, even when another script called it).
    pub at: Option<(String, String)>,
}

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Dbl(f64),
    Str(String),
    Array(Rc<RefCell<Vec<Value>>>, ListKind),
    Hash(Rc<RefCell<Map>>),
    Object(Rc<RefCell<Obj>>),
    /// Milliseconds since 1970-01-01 UTC (the simulated clock's time).
    Date(i64),
    /// Milliseconds.
    Span(i64),
    Block(Rc<Block>),
    Type(String),
    Error(Rc<ErrorRecord>),
}

impl Value {
    pub fn str(s: impl Into<String>) -> Self {
        Value::Str(s.into())
    }
    pub fn array(items: Vec<Value>) -> Self {
        Value::Array(Rc::new(RefCell::new(items)), ListKind::Fixed)
    }
    pub fn hash(map: Map) -> Self {
        Value::Hash(Rc::new(RefCell::new(map)))
    }
    pub fn object(type_name: &str, props: Map) -> Self {
        Value::Object(Rc::new(RefCell::new(Obj { type_name: type_name.into(), props })))
    }
    pub fn custom(props: Map) -> Self {
        Self::object(PS_CUSTOM, props)
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The items a pipeline sends on for this value (an array's elements, else the value).
    pub fn items(&self) -> Vec<Value> {
        match self {
            Value::Array(a, _) => a.borrow().clone(),
            Value::Null => Vec::new(),
            other => vec![other.clone()],
        }
    }

    /// Zero, one or many values as one: `$null`, the value, or an array.
    pub fn collect(mut items: Vec<Value>) -> Value {
        match items.len() {
            0 => Value::Null,
            1 => items.pop().unwrap_or(Value::Null),
            _ => Value::array(items),
        }
    }

    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(n) => *n != 0,
            Value::Dbl(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Array(a, _) => {
                let a = a.borrow();
                match a.len() {
                    0 => false,
                    1 => a[0].truthy(),
                    _ => true,
                }
            }
            _ => true,
        }
    }

    pub fn type_name(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(_) => "System.Boolean".into(),
            Value::Int(n) if i32::try_from(*n).is_ok() => "System.Int32".into(),
            Value::Int(_) => "System.Int64".into(),
            Value::Dbl(_) => "System.Double".into(),
            Value::Str(_) => "System.String".into(),
            Value::Array(_, ListKind::Fixed) => "System.Object[]".into(),
            Value::Array(_, ListKind::ArrayList) => "System.Collections.ArrayList".into(),
            Value::Array(_, ListKind::List) => "System.Collections.Generic.List`1[System.Object]".into(),
            Value::Hash(_) => "System.Collections.Hashtable".into(),
            Value::Object(o) => o.borrow().type_name.clone(),
            Value::Date(_) => "System.DateTime".into(),
            Value::Span(_) => "System.TimeSpan".into(),
            Value::Block(_) => "System.Management.Automation.ScriptBlock".into(),
            Value::Type(_) => "System.RuntimeType".into(),
            Value::Error(_) => "System.Management.Automation.ErrorRecord".into(),
        }
    }

    /// The value as PowerShell converts it to a string (`"$x"`, `[string]$x`).
    pub fn to_str(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(n) => n.to_string(),
            Value::Dbl(f) => fmt_double(*f),
            Value::Str(s) => s.clone(),
            Value::Array(a, _) => a.borrow().iter().map(Value::to_str).collect::<Vec<_>>().join(" "),
            Value::Hash(_) => "System.Collections.Hashtable".into(),
            Value::Object(o) => {
                let o = o.borrow();
                if o.type_name == PS_CUSTOM {
                    let inner: Vec<String> = o.props.0.iter().map(|(k, v)| format!("{k}={}", v.to_str())).collect();
                    format!("@{{{}}}", inner.join("; "))
                } else {
                    o.type_name.clone()
                }
            }
            Value::Date(ms) => format_date(*ms, "MM/dd/yyyy HH:mm:ss"),
            Value::Span(ms) => format_span(*ms),
            Value::Block(_) => "{ … }".into(),
            Value::Type(t) => t.clone(),
            Value::Error(e) => e.message.clone(),
        }
    }

    pub fn to_num(&self) -> Option<Num> {
        match self {
            Value::Null => Some(Num::I(0)),
            Value::Bool(b) => Some(Num::I(i64::from(*b))),
            Value::Int(n) => Some(Num::I(*n)),
            Value::Dbl(f) => Some(Num::D(*f)),
            Value::Str(s) => {
                let t = s.trim();
                if t.is_empty() {
                    return Some(Num::I(0));
                }
                match crate::parse::number_value(t) {
                    Some(crate::ast::Expr::Int(n)) => Some(Num::I(n)),
                    Some(crate::ast::Expr::Dbl(f)) => Some(Num::D(f)),
                    _ => t.strip_prefix('-').and_then(|r| match crate::parse::number_value(r) {
                        Some(crate::ast::Expr::Int(n)) => Some(Num::I(-n)),
                        Some(crate::ast::Expr::Dbl(f)) => Some(Num::D(-f)),
                        _ => None,
                    }),
                }
            }
            Value::Array(a, _) if a.borrow().len() == 1 => a.borrow()[0].to_num(),
            _ => None,
        }
    }
}

pub const PS_CUSTOM: &str = "System.Management.Automation.PSCustomObject";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    I(i64),
    D(f64),
}

impl Num {
    pub fn f(self) -> f64 {
        match self {
            Num::I(n) => n as f64,
            Num::D(f) => f,
        }
    }
    pub fn value(self) -> Value {
        match self {
            Num::I(n) => Value::Int(n),
            Num::D(f) => Value::Dbl(f),
        }
    }
}

pub fn fmt_double(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    // The shortest text that reads back to the same double, as .NET Core prints it.
    format!("{f}")
}

/// Equality as `-eq` sees it: the left operand's type decides; strings in any case.
pub fn loose_eq(l: &Value, r: &Value, case: bool) -> bool {
    match (l, r) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::Str(a), b) => {
            let b = b.to_str();
            if case {
                *a == b
            } else {
                lower(a) == lower(&b)
            }
        }
        (Value::Bool(a), b) => *a == b.truthy(),
        (Value::Int(_) | Value::Dbl(_), b) => match (l.to_num(), b.to_num()) {
            (Some(x), Some(y)) => x.f() == y.f(),
            _ => false,
        },
        (Value::Date(a), Value::Date(b)) => a == b,
        (Value::Span(a), Value::Span(b)) => a == b,
        (Value::Array(a, _), Value::Array(b, _)) => Rc::ptr_eq(a, b),
        (Value::Hash(a), Value::Hash(b)) => Rc::ptr_eq(a, b),
        (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
        (Value::Type(a), Value::Type(b)) => a.eq_ignore_ascii_case(b),
        (a, b) => a.to_str().eq_ignore_ascii_case(&b.to_str()),
    }
}

/// Ordering as `-lt`/`-gt` and Sort-Object see it; `None` when the two cannot be compared.
pub fn compare(l: &Value, r: &Value, case: bool) -> Option<std::cmp::Ordering> {
    match (l, r) {
        (Value::Null, Value::Null) => Some(std::cmp::Ordering::Equal),
        (Value::Null, _) => Some(std::cmp::Ordering::Less),
        (_, Value::Null) => Some(std::cmp::Ordering::Greater),
        (Value::Str(a), b) => {
            let b = b.to_str();
            Some(if case { a.as_str().cmp(b.as_str()) } else { lower(a).cmp(&lower(&b)) })
        }
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        (Value::Span(a), Value::Span(b)) => Some(a.cmp(b)),
        (Value::Date(a), Value::Str(s)) => parse_date(s).map(|b| a.cmp(&b)),
        (a, b) => {
            let (x, y) = (a.to_num()?, b.to_num()?);
            x.f().partial_cmp(&y.f())
        }
    }
}

/// `-like`: `*`, `?` and `[abc]`, in any case unless `case`.
pub fn wildcard(pattern: &str, text: &str, case: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if case {
        (pattern.chars().collect(), text.chars().collect())
    } else {
        (lower(pattern).chars().collect(), lower(text).chars().collect())
    };
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') => (0..=t.len()).any(|i| go(&p[1..], &t[i..])),
            Some('?') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some('[') => {
                let Some(end) = p.iter().position(|&c| c == ']') else {
                    return t.first() == Some(&'[') && go(&p[1..], &t[1..]);
                };
                let Some(&c) = t.first() else { return false };
                let set = &p[1..end];
                let mut hit = false;
                let mut i = 0;
                while i < set.len() {
                    if i + 2 < set.len() && set[i + 1] == '-' {
                        hit |= set[i] <= c && c <= set[i + 2];
                        i += 3;
                    } else {
                        hit |= set[i] == c;
                        i += 1;
                    }
                }
                hit && go(&p[end + 1..], &t[1..])
            }
            Some('`') if p.len() > 1 => t.first() == Some(&p[1]) && go(&p[2..], &t[1..]),
            Some(c) => t.first() == Some(c) && go(&p[1..], &t[1..]),
        }
    }
    // Bounded: a pattern of many stars over a long text is refused as no match rather than run long.
    if p.iter().filter(|&&c| c == '*').count() > 16 {
        return false;
    }
    go(&p, &t)
}

// ----- dates -----

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub struct Parts {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub ms: i64,
    pub weekday: usize,
}

pub fn date_parts(ms: i64) -> Parts {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    Parts {
        year,
        month,
        day,
        hour: rem / 3_600_000,
        minute: rem / 60_000 % 60,
        second: rem / 1000 % 60,
        ms: rem % 1000,
        weekday: (days + 4).rem_euclid(7) as usize,
    }
}

pub fn date_from(year: i64, month: i64, day: i64, h: i64, m: i64, s: i64) -> i64 {
    (days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s) * 1000
}

pub const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// .NET's custom date format strings (the common letters) and the standard ones `o`, `s`, `u`,
/// `d`, `D`, `t`, `T`, `g`, `G`, `f`, `F`, in the invariant (en-US) culture.
pub fn format_date(ms: i64, format: &str) -> String {
    let p = date_parts(ms);
    let std = match format {
        "o" | "O" => Some("yyyy-MM-ddTHH:mm:ss.fffffff+00:00"),
        "s" => Some("yyyy-MM-ddTHH:mm:ss"),
        "u" => Some("yyyy-MM-dd HH:mm:ssZ"),
        "d" => Some("M/d/yyyy"),
        "D" => Some("dddd, MMMM d, yyyy"),
        "t" => Some("h:mm tt"),
        "T" => Some("h:mm:ss tt"),
        "g" => Some("M/d/yyyy h:mm tt"),
        "G" => Some("M/d/yyyy h:mm:ss tt"),
        "f" => Some("dddd, MMMM d, yyyy h:mm tt"),
        "F" => Some("dddd, MMMM d, yyyy h:mm:ss tt"),
        _ => None,
    };
    let fmt: Vec<char> = std.unwrap_or(format).chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        let mut n = 1;
        while i + n < fmt.len() && fmt[i + n] == c {
            n += 1;
        }
        let h12 = if p.hour % 12 == 0 { 12 } else { p.hour % 12 };
        let text = match c {
            'y' if n >= 4 => format!("{:04}", p.year),
            'y' => format!("{:02}", p.year % 100),
            'M' if n >= 4 => MONTHS[(p.month - 1) as usize].to_string(),
            'M' if n == 3 => MONTHS[(p.month - 1) as usize][..3].to_string(),
            'M' if n == 2 => format!("{:02}", p.month),
            'M' => p.month.to_string(),
            'd' if n >= 4 => WEEKDAYS[p.weekday].to_string(),
            'd' if n == 3 => WEEKDAYS[p.weekday][..3].to_string(),
            'd' if n == 2 => format!("{:02}", p.day),
            'd' => p.day.to_string(),
            'H' if n >= 2 => format!("{:02}", p.hour),
            'H' => p.hour.to_string(),
            'h' if n >= 2 => format!("{h12:02}"),
            'h' => h12.to_string(),
            'm' if n >= 2 => format!("{:02}", p.minute),
            'm' => p.minute.to_string(),
            's' if n >= 2 => format!("{:02}", p.second),
            's' => p.second.to_string(),
            'f' | 'F' => {
                let frac = format!("{:03}0000", p.ms);
                frac[..n.min(7)].to_string()
            }
            't' => (if p.hour < 12 { "AM" } else { "PM" })[..n.min(2)].to_string(),
            'K' | 'z' => "+00:00".to_string(),
            '\\' if i + 1 < fmt.len() => {
                out.push(fmt[i + 1]);
                i += 2;
                continue;
            }
            '\'' | '"' => {
                let close = fmt[i + 1..].iter().position(|&q| q == c).map_or(fmt.len(), |k| i + 1 + k);
                out.extend(&fmt[i + 1..close]);
                i = close + 1;
                continue;
            }
            other => std::iter::repeat_n(other, n).collect(),
        };
        out.push_str(&text);
        i += n;
    }
    out
}

/// How PowerShell shows a date on its own: `Monday, December 7, 2026 1:30:45 AM`.
pub fn long_date(ms: i64) -> String {
    format_date(ms, "dddd, MMMM d, yyyy h:mm:ss tt")
}

/// ISO 8601 (`2026-12-07`, `2026-12-07T01:30:00Z`, with fractions or an offset) and the
/// invariant culture's `12/07/2026 01:30:00`.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |t: &str| t.parse::<i64>().ok();
    if let Some((date, time)) = s.split_once(['T', ' ']).or(Some((s, ""))) {
        let (y, m, d) = if date.contains('-') {
            let mut it = date.split('-');
            (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?)
        } else if date.contains('/') {
            let mut it = date.split('/');
            let (m, d, y) = (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?);
            (y, m, d)
        } else {
            return None;
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let time = time.trim();
        let (time, pm) = match time.rsplit_once(' ') {
            Some((t, "PM")) => (t, Some(true)),
            Some((t, "AM")) => (t, Some(false)),
            _ => (time, None),
        };
        let mut offset_min = 0i64;
        let mut clock = time.trim_end_matches('Z').to_string();
        if let Some(i) = clock.rfind(['+', '-']).filter(|&i| i > 0) {
            let off = clock[i..].to_string();
            clock.truncate(i);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let (oh, om) = off[1..].split_once(':').unwrap_or((&off[1..], "0"));
            offset_min = sign * (num(oh)? * 60 + num(om)?);
        }
        let mut hms = clock.split(':');
        let mut h = hms.next().filter(|t| !t.is_empty()).map_or(Some(0), num)?;
        let mi = hms.next().map_or(Some(0), num)?;
        let sec_text = hms.next().unwrap_or("0");
        let (sec, frac) = sec_text.split_once('.').unwrap_or((sec_text, ""));
        let sec = num(sec)?;
        let frac_ms = if frac.is_empty() { 0 } else { num(&format!("{:0<3}", &frac[..frac.len().min(3)]))? };
        if pm == Some(true) && h < 12 {
            h += 12;
        } else if pm == Some(false) && h == 12 {
            h = 0;
        }
        if h > 23 || mi > 59 || sec > 59 {
            return None;
        }
        return Some(date_from(y, m, d, h, mi, sec) + frac_ms - offset_min * 60_000);
    }
    None
}

/// A TimeSpan as .NET prints it: `[-][d.]hh:mm:ss[.fffffff]`.
pub fn format_span(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let a = ms.unsigned_abs();
    let (d, h, m, s, f) = (a / 86_400_000, a / 3_600_000 % 24, a / 60_000 % 60, a / 1000 % 60, a % 1000);
    let mut out = String::from(sign);
    if d > 0 {
        let _ = write!(out, "{d}.");
    }
    let _ = write!(out, "{h:02}:{m:02}:{s:02}");
    if f > 0 {
        let _ = write!(out, ".{f:03}0000");
    }
    out
}

/// A letter's other case, for the scripts' alphabets: ASCII, Latin-1, Latin Extended-A, Greek
/// and Cyrillic. Written out: the standard library's full Unicode case tables weigh ~9 KB
/// (gzip) in the PowerShell module, for letters runbooks do not hold.
fn other_case(c: char, upper: bool) -> char {
    let n = c as u32;
    let shifted = |d: i32| char::from_u32((n as i32 + if upper { -d } else { d }) as u32).unwrap_or(c);
    let (lo, up) = (!upper, upper);
    match n {
        0x41..=0x5A | 0xC0..=0xDE if lo && n != 0xD7 => shifted(32),
        0x61..=0x7A | 0xE0..=0xFE if up && n != 0xF7 => shifted(32),
        0xFF if up => '\u{178}',
        0x178 if lo => '\u{FF}',
        // Latin Extended-A: pairs, upper case first (even, or odd from U+0139 to U+0148 and
        // from U+0179), except ı, ĸ and ŉ.
        0x100..=0x17F if !matches!(n, 0x130 | 0x131 | 0x138 | 0x149 | 0x17F) => {
            let upper_first_odd = (0x139..=0x148).contains(&n) || n >= 0x179;
            let is_upper = (n % 2 == 1) == upper_first_odd;
            match (is_upper, upper) {
                (true, false) => shifted(1),
                (false, true) => char::from_u32(n - 1).unwrap_or(c),
                _ => c,
            }
        }
        0x391..=0x3AB if lo && n != 0x3A2 => shifted(32),
        0x3B1..=0x3CB if up && n != 0x3C2 => shifted(32),
        0x410..=0x42F if lo => shifted(32),
        0x430..=0x44F if up => shifted(32),
        0x400..=0x40F if lo => shifted(80),
        0x450..=0x45F if up => shifted(80),
        _ => c,
    }
}

/// Lower case, as the scripts' comparisons need it (see `other_case`).
pub fn lower(s: &str) -> String {
    s.chars().map(|c| other_case(c, false)).collect()
}

/// Upper case (see `other_case`).
pub fn upper(s: &str) -> String {
    s.chars().map(|c| other_case(c, true)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_the_civil_calendar() {
        let ms = date_from(2026, 12, 7, 1, 30, 45);
        assert_eq!(format_date(ms, "yyyy-MM-dd HH:mm:ss"), "2026-12-07 01:30:45");
        assert_eq!(long_date(ms), "Monday, December 7, 2026 1:30:45 AM");
        assert_eq!(parse_date("2026-12-07T01:30:45Z"), Some(ms));
        assert_eq!(parse_date("12/07/2026 01:30:45"), Some(ms));
        assert_eq!(parse_date("2026-12-07T03:30:45+02:00"), Some(ms));
        assert_eq!(parse_date("2026-13-07"), None);
    }

    #[test]
    fn wildcards_match_as_like_does() {
        assert!(wildcard("contoso-*", "Contoso-KV", false));
        assert!(!wildcard("contoso-*", "Contoso-KV", true));
        assert!(wildcard("k?y[0-9]", "key7", false));
        assert!(!wildcard("k?y[0-9]", "keyx", false));
    }

    #[test]
    fn doubles_print_as_dotnet_does() {
        assert_eq!(fmt_double(2.0), "2");
        assert_eq!(fmt_double(2.5), "2.5");
        assert_eq!(fmt_double(0.1 + 0.2), "0.30000000000000004");
    }
}
