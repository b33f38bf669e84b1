//! Running a script whose world answers by message (the page's PowerShell runs in a worker of
//! its own and reaches the simulated cloud through the page).
//!
//! The engine stays synchronous: every answer the host gives (a command's output, a file, the
//! clock, a typed line) is kept in a journal. A run replays the journal; when the script asks
//! for something the journal does not hold yet, the run stops there with that request. The
//! caller fetches the answer, appends it and runs again — the same script, the same answers,
//! the same output up to that point, then one step further. Nothing outside the engine happens
//! twice: a replayed answer is never asked for again.

use crate::value::Value;
use crate::Host;

/// What a run asks of the world outside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Run a command the engine does not know, as words (`az keyvault show --name kv`).
    Invoke(Vec<String>),
    ReadFile(String),
    WriteFile(String, String),
    RemoveFile(String),
    /// Let this many milliseconds of simulated time pass.
    Sleep(u64),
    /// The simulated clock, in milliseconds since 1970.
    Now,
    Random,
    /// A line typed by the person (a prompt is showing).
    ReadLine,
}

impl Request {
    /// The request as words, for a message between workers.
    pub fn to_words(&self) -> Vec<String> {
        let w = |s: &str| s.to_string();
        match self {
            Request::Invoke(argv) => std::iter::once(w("invoke")).chain(argv.iter().cloned()).collect(),
            Request::ReadFile(p) => vec![w("read"), p.clone()],
            Request::WriteFile(p, t) => vec![w("write"), p.clone(), t.clone()],
            Request::RemoveFile(p) => vec![w("remove"), p.clone()],
            Request::Sleep(ms) => vec![w("sleep"), ms.to_string()],
            Request::Now => vec![w("now")],
            Request::Random => vec![w("random")],
            Request::ReadLine => vec![w("readline")],
        }
    }
    pub fn from_words(words: &[String]) -> Option<Request> {
        let (head, rest) = words.split_first()?;
        Some(match (head.as_str(), rest) {
            ("invoke", argv) if !argv.is_empty() => Request::Invoke(argv.to_vec()),
            ("read", [p]) => Request::ReadFile(p.clone()),
            ("write", [p, t]) => Request::WriteFile(p.clone(), t.clone()),
            ("remove", [p]) => Request::RemoveFile(p.clone()),
            ("sleep", [ms]) => Request::Sleep(ms.parse().ok()?),
            ("now", []) => Request::Now,
            ("random", []) => Request::Random,
            ("readline", []) => Request::ReadLine,
            _ => return None,
        })
    }
}

/// The world's answer to a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A command's printed output; `ok` false for an error (its message is the text). `None`
    /// when no one knows the command.
    Output(Option<(bool, String)>),
    Text(Result<String, String>),
    Done(Result<(), String>),
    Number(i64),
    Line(Option<String>),
}

impl Answer {
    /// One line of text, for a message between workers.
    pub fn encode(&self) -> String {
        match self {
            Answer::Output(None) => "O?".into(),
            Answer::Output(Some((ok, t))) => format!("O{}{t}", u8::from(*ok)),
            Answer::Text(Ok(t)) => format!("T1{t}"),
            Answer::Text(Err(e)) => format!("T0{e}"),
            Answer::Done(Ok(())) => "D1".into(),
            Answer::Done(Err(e)) => format!("D0{e}"),
            Answer::Number(n) => format!("N{n}"),
            Answer::Line(Some(l)) => format!("L1{l}"),
            Answer::Line(None) => "L0".into(),
        }
    }
    pub fn decode(s: &str) -> Option<Answer> {
        let (tag, rest) = s.split_at_checked(1)?;
        let flag = rest.get(..1);
        let body = || rest.get(1..).unwrap_or("").to_string();
        Some(match (tag, flag) {
            ("O", Some("?")) => Answer::Output(None),
            ("O", Some(f)) => Answer::Output(Some((f == "1", body()))),
            ("T", Some("1")) => Answer::Text(Ok(body())),
            ("T", Some(_)) => Answer::Text(Err(body())),
            ("D", Some("1")) => Answer::Done(Ok(())),
            ("D", Some(_)) => Answer::Done(Err(body())),
            ("N", _) => Answer::Number(rest.parse().ok()?),
            ("L", Some("1")) => Answer::Line(Some(body())),
            ("L", Some(_)) => Answer::Line(None),
            _ => return None,
        })
    }
}

/// A host that answers from a journal and stops at the first question it cannot answer.
#[derive(Debug, Default)]
pub struct Replay {
    journal: Vec<Answer>,
    next: usize,
    /// What the run asked for that the journal did not hold (the run stopped there).
    pub request: Option<Request>,
    /// Everything printed, from the start of the run.
    pub output: String,
}

impl Replay {
    pub fn new(journal: Vec<Answer>) -> Self {
        Self { journal, ..Self::default() }
    }

    fn ask(&mut self, request: Request) -> Option<Answer> {
        if self.request.is_some() {
            return None;
        }
        match self.journal.get(self.next) {
            Some(a) => {
                self.next += 1;
                Some(a.clone())
            }
            None => {
                self.request = Some(request);
                None
            }
        }
    }
}

/// `az`, `pp` and `sim` print text; a cmdlet's printed JSON is its objects.
fn output_values(name: &str, text: &str) -> Vec<Value> {
    if name.contains('-') {
        if let Ok(v) = crate::format::from_json(text) {
            return v.items();
        }
    }
    text.lines().map(Value::str).collect()
}

/// A command's arguments as the words a native command gets: an array is one word per element.
pub fn native_words(args: &[Value]) -> Vec<String> {
    fn push(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Array(a, _) => a.borrow().iter().for_each(|x| push(x, out)),
            other => out.push(other.to_str()),
        }
    }
    let mut out = Vec::new();
    args.iter().for_each(|a| push(a, &mut out));
    out
}

impl Host for Replay {
    fn print(&mut self, text: &str, newline: bool) {
        if self.request.is_none() {
            self.output.push_str(text);
            if newline {
                self.output.push('\n');
            }
        }
    }
    fn read_line(&mut self) -> Option<String> {
        match self.ask(Request::ReadLine) {
            Some(Answer::Line(Some(l))) => {
                self.print(&l, true);
                Some(l)
            }
            Some(_) => None,
            // Waiting: an answer that ends any prompt loop; nothing after it counts.
            None => Some(String::new()),
        }
    }
    fn invoke(&mut self, name: &str, args: &[Value]) -> Option<Result<Vec<Value>, String>> {
        let mut argv = vec![name.to_string()];
        argv.extend(native_words(args));
        match self.ask(Request::Invoke(argv)) {
            Some(Answer::Output(Some((true, text)))) => Some(Ok(output_values(name, &text))),
            Some(Answer::Output(Some((false, text)))) => Some(Err(text)),
            Some(_) => None,
            None => Some(Ok(Vec::new())),
        }
    }
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        match self.ask(Request::ReadFile(path.into())) {
            Some(Answer::Text(r)) => r,
            _ => Err(String::new()),
        }
    }
    fn write_file(&mut self, path: &str, text: &str) -> Result<(), String> {
        match self.ask(Request::WriteFile(path.into(), text.into())) {
            Some(Answer::Done(r)) => r,
            _ => Ok(()),
        }
    }
    fn remove_file(&mut self, path: &str) -> Result<(), String> {
        match self.ask(Request::RemoveFile(path.into())) {
            Some(Answer::Done(r)) => r,
            _ => Ok(()),
        }
    }
    fn file_exists(&mut self, path: &str) -> bool {
        self.read_file(path).is_ok()
    }
    fn sleep(&mut self, ms: u64) {
        self.ask(Request::Sleep(ms));
    }
    fn now_ms(&mut self) -> i64 {
        match self.ask(Request::Now) {
            Some(Answer::Number(n)) => n,
            _ => 0,
        }
    }
    fn random(&mut self) -> u64 {
        match self.ask(Request::Random) {
            Some(Answer::Number(n)) => n as u64,
            _ => 0,
        }
    }
    fn suspended(&self) -> bool {
        self.request.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_travel_as_words_and_back() {
        for r in [
            Request::Invoke(vec!["az".into(), "group list".into()]),
            Request::ReadFile("a/b.ps1".into()),
            Request::WriteFile("x".into(), "line\n".into()),
            Request::RemoveFile("x".into()),
            Request::Sleep(1500),
            Request::Now,
            Request::Random,
            Request::ReadLine,
        ] {
            assert_eq!(Request::from_words(&r.to_words()), Some(r));
        }
        assert_eq!(Request::from_words(&["invoke".into()]), None);
        assert_eq!(Request::from_words(&["sleep".into(), "x".into()]), None);
    }

    #[test]
    fn answers_encode_as_one_line_and_back() {
        for a in [
            Answer::Output(None),
            Answer::Output(Some((true, "{\n  \"a\": 1\n}".into()))),
            Answer::Output(Some((false, "ERROR: no".into()))),
            Answer::Text(Ok(String::new())),
            Answer::Text(Err("missing".into())),
            Answer::Done(Ok(())),
            Answer::Done(Err("x".into())),
            Answer::Number(-5),
            Answer::Line(Some("y".into())),
            Answer::Line(None),
        ] {
            assert_eq!(Answer::decode(&a.encode()), Some(a));
        }
        assert_eq!(Answer::decode(""), None);
        assert_eq!(Answer::decode("Nx"), None);
    }

    /// The same script run to the end in one go and by replay, one answer at a time, prints the
    /// same, and asks each question once.
    #[test]
    fn a_replayed_run_asks_each_question_once_and_prints_the_same() {
        let script = "param([Parameter(Mandatory)][string]$Name)\n\
                      $kv = az keyvault show --name $Name | ConvertFrom-Json\n\
                      Write-Host \"vault $($kv.name)\"\n\
                      Start-Sleep 5\n\
                      $ok = Read-Host 'Go on'\n\
                      if ($ok -eq 'y') { New-AzThing -Name $kv.name } else { 'stopped' }\n\
                      'done'";
        let mut journal = Vec::new();
        let mut asked = Vec::new();
        let outcome = loop {
            let mut host = Replay::new(journal.clone());
            let outcome = crate::run(script, "t.ps1", &mut host);
            match host.request.take() {
                None => break (outcome, host.output),
                Some(r) => {
                    asked.push(r.clone());
                    journal.push(match r {
                        Request::ReadLine if asked.len() == 1 => Answer::Line(Some("kv1".into())),
                        Request::ReadLine => Answer::Line(Some("y".into())),
                        Request::Invoke(argv) if argv[0] == "az" => {
                            Answer::Output(Some((true, "{\n  \"name\": \"kv1\"\n}".into())))
                        }
                        Request::Invoke(_) => Answer::Output(Some((true, "{\"Id\": 7}".into()))),
                        Request::Sleep(_) => Answer::Done(Ok(())),
                        other => panic!("unexpected {other:?}"),
                    });
                }
            }
            assert!(outcome.suspended);
        };
        assert_eq!(
            asked,
            vec![
                Request::ReadLine,
                Request::Invoke(vec!["az".into(), "keyvault".into(), "show".into(), "--name".into(), "kv1".into()]),
                Request::Sleep(5000),
                Request::ReadLine,
                Request::Invoke(vec!["New-AzThing".into(), "-Name".into(), "kv1".into()]),
            ]
        );
        let (outcome, output) = outcome;
        assert!(!outcome.suspended);
        assert_eq!(
            output,
            "cmdlet t.ps1 at command pipeline position 1\nSupply values for the following parameters:\nName: kv1\nvault kv1\nGo on: y\n\nId\n--\n 7\n\ndone\n"
        );
    }
}
