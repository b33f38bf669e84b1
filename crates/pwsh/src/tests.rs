//! The language, run against a host that keeps everything in memory.

use std::collections::{BTreeMap, VecDeque};

use super::*;

#[derive(Default)]
struct Mem {
    out: String,
    input: VecDeque<String>,
    files: BTreeMap<String, String>,
    now: i64,
    slept: u64,
    calls: Vec<String>,
    seed: u64,
}

impl Host for Mem {
    fn print(&mut self, text: &str, newline: bool) {
        self.out.push_str(text);
        if newline {
            self.out.push('\n');
        }
    }
    fn read_line(&mut self) -> Option<String> {
        let l = self.input.pop_front()?;
        self.out.push_str(&l);
        self.out.push('\n');
        Some(l)
    }
    fn invoke(&mut self, name: &str, args: &[Value]) -> Option<Result<Vec<Value>, String>> {
        let line =
            std::iter::once(name.to_string()).chain(args.iter().map(Value::to_str)).collect::<Vec<_>>().join(" ");
        match name {
            "az" => {
                self.calls.push(line);
                if args.first().map(Value::to_str).as_deref() == Some("fail") {
                    return Some(Err("ERROR: (NotFound) it is not there".into()));
                }
                Some(Ok(vec![
                    Value::str("{"),
                    Value::str("  \"name\": \"kv1\","),
                    Value::str("  \"n\": 2"),
                    Value::str("}"),
                ]))
            }
            // The store's listing, as the page's worker and cmk-cli give it.
            "ls" => {
                let all = ["Cmk/Add.ps1\t120 bytes", "Common/Ops.ps1\t7 bytes", "ep.json\t3 bytes"];
                let folder = args.first().map(Value::to_str);
                let under = folder.as_ref().map(|f| format!("{f}/"));
                let lines: Vec<Value> = all
                    .iter()
                    .filter(|l| under.as_ref().is_none_or(|u| l.starts_with(u.as_str())))
                    .map(|l| Value::str(*l))
                    .collect();
                if lines.is_empty() {
                    return Some(Err("'x': no such file or folder.".into()));
                }
                Some(Ok(lines))
            }
            // The admin API: an environment's GET answers, a link is refused as the service does.
            "pp" => {
                self.calls.push(line);
                if args.iter().any(|a| a.to_str() == "POST") {
                    return Some(Err(
                        r#"ERROR: Conflict({"error":{"code":"Conflict","message":"already linked"}})"#.into()
                    ));
                }
                Some(Ok(vec![Value::str(
                    r#"{"statusCode":200,"headers":{},"body":{"name":"g1","properties":{"displayName":"Prod"}}}"#,
                )]))
            }
            _ => None,
        }
    }
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        self.files.get(path).cloned().ok_or_else(|| format!("no file {path}"))
    }
    fn write_file(&mut self, path: &str, text: &str) -> Result<(), String> {
        self.files.insert(path.into(), text.into());
        Ok(())
    }
    fn remove_file(&mut self, path: &str) -> Result<(), String> {
        self.files.remove(path).map(|_| ()).ok_or_else(|| "missing".into())
    }
    fn file_exists(&mut self, path: &str) -> bool {
        self.files.contains_key(path)
    }
    fn sleep(&mut self, ms: u64) {
        self.slept += ms;
        self.now += ms as i64;
    }
    fn now_ms(&mut self) -> i64 {
        self.now
    }
    fn random(&mut self) -> u64 {
        self.seed = self.seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.seed
    }
}

fn host() -> Mem {
    Mem { now: 1_796_607_045_000, ..Mem::default() }
}

fn run_with(script: &str, input: &[&str]) -> (Mem, Outcome) {
    let mut h = host();
    h.input = input.iter().map(|s| s.to_string()).collect();
    let o = run(script, "test.ps1", &mut h);
    (h, o)
}

fn out(script: &str) -> String {
    run_with(script, &[]).0.out
}

#[test]
fn strings_expand_variables_members_and_escapes() {
    let s = "$name = 'Contoso'\n$kv = [pscustomobject]@{ VaultName = 'kv-1'; Keys = @('a','b') }\n\
             \"Hello $name, vault $($kv.VaultName) has $($kv.Keys.Count) keys`tend\"\n\
             'single $name'\n\"$name.Length is not a member here\"";
    assert_eq!(
        out(s),
        "Hello Contoso, vault kv-1 has 2 keys\tend\nsingle $name\nContoso.Length is not a member here\n"
    );
}

#[test]
fn here_strings_keep_their_lines() {
    let s = "$x = 5\n$t = @\"\nvalue: $x\n  indented\n\"@\n$t\n@'\nraw $x\n'@";
    assert_eq!(out(s), "value: 5\n  indented\nraw $x\n");
}

#[test]
fn operators_compare_as_powershell_does() {
    let s = "'ABC' -eq 'abc'\n'ABC' -ceq 'abc'\n5 -gt '10'\n'5' -gt 10\n@(1,2,3,2) -eq 2\n'kv-prod' -like 'KV-*'\n\
             'key-2024' -match '(\\d+)$'\n$Matches[1]\n3 -in 1,2,3\n@('a','b') -contains 'B'\n-not $false\n!$true\n'a,b;c' -split '[,;]'\n\
             @('x','y') -join '+'\n'abc' -replace 'B','-'\n10 / 4\n10 / 5\n7 % 3\n'ab' * 3\n1..4\n'{0}-{1:N2}' -f 'n', 1234.5";
    assert_eq!(
        out(s),
        "True\nFalse\nFalse\nTrue\n2\n2\nTrue\nTrue\n2024\nTrue\nTrue\nTrue\nFalse\na\nb\nc\nx+y\na-c\n2.5\n2\n1\nababab\n1\n2\n3\n4\nn-1,234.50\n"
    );
}

#[test]
fn control_flow_if_switch_loops_and_try() {
    let s = r#"
$sum = 0
foreach ($i in 1..5) { if ($i -eq 2) { continue } elseif ($i -ge 5) { break } else { $sum += $i } }
"sum $sum"
$n = 0
while ($true) { $n++; if ($n -gt 2) { break } }
do { $n-- } until ($n -le 0)
"n $n"
for ($i = 0; $i -lt 3; $i++) { "for $i" }
switch ('Enabled') { 'disabled' { 'off' } 'ENABLED' { 'on' } default { 'other' } }
switch -Wildcard ('kv-prod') { 'kv-*' { 'a vault' } }
try { throw "boom" } catch { "caught: $($_.Exception.Message)" } finally { 'finally' }
try { 1 / 0 } catch { "div: $_" }
"#;
    assert_eq!(
        out(s),
        "sum 8\nn 0\nfor 0\nfor 1\nfor 2\non\na vault\ncaught: boom\nfinally\ndiv: Attempted to divide by zero.\n"
    );
}

#[test]
fn functions_bind_named_positional_switch_and_splatted_arguments() {
    let s = r#"
function Get-Thing {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [int]$Count = 2,
        [ValidateSet('Standard', 'Premium')][string]$Sku = 'Standard',
        [switch]$Loud
    )
    $text = "$Name x$Count ($Sku)"
    if ($Loud) { $text.ToUpper() } else { $text }
}
Get-Thing kv 3
Get-Thing -Name kv -Loud
$params = @{ Name = 'splat'; Sku = 'premium' }
Get-Thing @params
Get-Thing -Name x -Sku Basic
'after'
"#;
    let o = out(s);
    assert!(o.starts_with("kv x3 (Standard)\nKV X2 (STANDARD)\nsplat x2 (premium)\n"), "{o}");
    assert!(o.contains("The argument \"Basic\" does not belong to the set \"Standard,Premium\""), "{o}");
    assert!(o.ends_with("after\n"), "a statement's error does not stop the script: {o}");
}

#[test]
fn missing_mandatory_parameters_prompt_as_powershell_does() {
    let s = "function Set-Policy { param([Parameter(Mandatory, HelpMessage='The policy name')][string]$PolicyName, [Parameter(Mandatory)][string]$Region)\n\"$PolicyName in $Region\" }\nSet-Policy\n$answer = Read-Host 'Continue? (y/n)'\n\"answer $answer\"";
    let (h, o) = run_with(s, &["!?", "ep-1", "westus", "y"]);
    assert_eq!(o.exit_code, 0);
    assert_eq!(
        h.out,
        "cmdlet Set-Policy at command pipeline position 1\nSupply values for the following parameters:\n(Type !? for Help.)\nPolicyName: !?\nThe policy name\nPolicyName: ep-1\nRegion: westus\nep-1 in westus\nContinue? (y/n): y\nanswer y\n"
    );
}

#[test]
fn a_script_param_block_prompts_too_and_no_input_stops_it() {
    let (h, o) = run_with("param([Parameter(Mandatory)][string]$Env)\n\"env $Env\"", &[]);
    assert_eq!(o.exit_code, 1);
    assert!(
        h.out.starts_with(
            "cmdlet test.ps1 at command pipeline position 1\nSupply values for the following parameters:\nEnv: \n"
        ),
        "{}",
        h.out
    );
    assert!(!h.out.contains("env "), "{}", h.out);
}

#[test]
fn pipelines_filter_shape_sort_and_measure() {
    let s = r#"
$vaults = @(
  [pscustomobject]@{ Name = 'kv-b'; Location = 'westus'; Keys = 3 },
  [pscustomobject]@{ Name = 'kv-a'; Location = 'eastus'; Keys = 1 },
  [pscustomobject]@{ Name = 'kv-c'; Location = 'westus'; Keys = 5 }
)
$vaults | Where-Object { $_.Location -eq 'westus' } | ForEach-Object { $_.Name }
$vaults | Where-Object Keys -gt 2 | Select-Object -ExpandProperty Name
$vaults | Sort-Object Name | Select-Object -First 1 -Property Name, Keys
($vaults | Measure-Object -Property Keys -Sum).Sum
$vaults.Name -join ','
$vaults | Sort-Object -Property Keys -Descending | Select-Object Name, @{Name='Double'; Expression={ $_.Keys * 2 }}
"#;
    assert_eq!(
        out(s),
        "kv-b\nkv-c\nkv-b\nkv-c\n\nName Keys\n---- ----\nkv-a    1\n\n9\nkv-b,kv-a,kv-c\n\nName Double\n---- ------\nkv-c     10\nkv-b      6\nkv-a      2\n\n"
    );
}

#[test]
fn hashtables_and_objects_print_and_convert_to_json() {
    let s = r#"
$h = [ordered]@{ name = 'ep'; location = 'westus' }
$h.kind = 'Encryption'
$h['name']
$o = [pscustomobject]@{ Id = 1; Tags = @('a'); Inner = @{ Deep = @{ Deeper = 1 } } }
$o | ConvertTo-Json
$o | ConvertTo-Json -Depth 5 -Compress
$back = '{"properties": {"state": "Enabled", "list": [1, 2]}}' | ConvertFrom-Json
$back.properties.state
$back.properties.list.Count
$h
"#;
    assert_eq!(
        out(s),
        "ep\nWARNING: Resulting JSON is truncated as serialization has exceeded the set depth of 2.\n{\n  \"Id\": 1,\n  \"Tags\": [\n    \"a\"\n  ],\n  \"Inner\": {\n    \"Deep\": \"System.Collections.Hashtable\"\n  }\n}\n{\"Id\":1,\"Tags\":[\"a\"],\"Inner\":{\"Deep\":{\"Deeper\":1}}}\nEnabled\n2\n\nName     Value\n----     -----\nname     ep\nlocation westus\nkind     Encryption\n\n"
    );
}

#[test]
fn errors_name_what_failed_and_where_and_the_script_goes_on() {
    let s = "'one'\nGet-AzNothing -Name x\n$s = 'abc'\n$s.Frobnicate()\nWrite-Error 'custom'\nWrite-Warning 'careful'\n'two'";
    let (h, o) = run_with(s, &[]);
    assert_eq!(o.exit_code, 0);
    assert!(o.had_errors);
    let expected = "one\nGet-AzNothing: test.ps1:2\nLine |\n   2 |  Get-AzNothing -Name x\n     |  ~~~~~~~~~~~~~~~~~~~~~\n     | The term 'Get-AzNothing' is not recognized";
    assert!(h.out.starts_with(expected), "{}", h.out);
    assert!(h.out.contains("does not contain a method named 'Frobnicate'"), "{}", h.out);
    assert!(h.out.contains("Write-Error: test.ps1:5"), "{}", h.out);
    assert!(h.out.ends_with("WARNING: careful\ntwo\n"), "{}", h.out);
}

#[test]
fn a_script_that_does_not_parse_runs_no_line() {
    let (h, o) = run_with("'first'\nif ($x { 'y' }\n", &[]);
    assert_eq!(o.exit_code, 1);
    assert!(h.out.starts_with("ParserError: test.ps1:2:"), "{}", h.out);
    assert!(!h.out.contains("first"));
    let (h, _) = run_with("class Foo { }", &[]);
    assert!(h.out.contains("'class' is not supported by the playground's PowerShell"), "{}", h.out);
}

#[test]
fn throw_stops_the_script_with_exit_code_one_and_exit_sets_it() {
    let (h, o) = run_with("'a'\nthrow 'stop here'\n'b'", &[]);
    assert_eq!(o.exit_code, 1);
    assert!(
        h.out.contains("Exception: test.ps1:2") && h.out.contains("| stop here") && !h.out.contains("\nb\n"),
        "{}",
        h.out
    );
    let (_, o) = run_with("exit 3\n'never'", &[]);
    assert_eq!(o.exit_code, 3);
}

#[test]
fn host_commands_run_with_their_arguments_and_their_output_is_text() {
    let s = "$kv = az keyvault show --name kv1 | ConvertFrom-Json\n$kv.name\n\"exit $LASTEXITCODE\"\naz fail --name x\n\"exit $LASTEXITCODE\"";
    let (h, o) = run_with(s, &[]);
    assert_eq!(h.calls, vec!["az keyvault show --name kv1", "az fail --name x"]);
    assert_eq!(h.out, "kv1\nexit 0\nERROR: (NotFound) it is not there\nexit 1\n");
    assert!(o.had_errors);
}

#[test]
fn start_sleep_moves_the_host_clock_and_dates_compute() {
    let s = "$start = Get-Date\nStart-Sleep -Seconds 90\n$elapsed = (Get-Date) - $start\n$elapsed.TotalSeconds\n(Get-Date -Format 'yyyy-MM-dd HH:mm')\n$start.AddDays(1).ToString('yyyy-MM-dd')\n[datetime]'2026-01-31' -lt $start";
    let (h, _) = run_with(s, &[]);
    assert_eq!(h.slept, 90_000);
    assert_eq!(h.out, "90\n2026-12-07 01:32\n2026-12-08\nTrue\n");
}

#[test]
fn files_dot_sourcing_and_scopes() {
    let mut h = host();
    h.files
        .insert("lib/common.ps1".into(), "function Get-Greeting($who) { \"hi $who\" }\n$script:loaded = 'yes'".into());
    let s = ". \"$PSScriptRoot\\lib\\common.ps1\"\nGet-Greeting 'admin'\n$loaded\n'x' | Out-File -FilePath out.txt\nGet-Content out.txt\n$tmp = New-TemporaryFile\n'{}' | Out-File $tmp.FullName\n(Test-Path $tmp.FullName)\nRemove-Item $tmp.FullName\nTest-Path $tmp.FullName\nfunction Set-G { $global:g = 1; $local = 2 }\nSet-G\n\"g=$g local=$local\"";
    let o = run(s, "./run.ps1", &mut h);
    assert_eq!(o.exit_code, 0, "{}", h.out);
    assert_eq!(h.out, "hi admin\nyes\nx\nTrue\nFalse\ng=1 local=\n");
}

#[test]
fn casts_statics_and_methods() {
    let s = "[int]'42' + 1\n[string]::IsNullOrWhiteSpace('  ')\n[bool]'false'\n[math]::Round(2.5)\n'  kv  '.Trim().ToUpper()\n'a-b-c'.Split('-')[1]\n'hello'.Substring(1, 3)\n$l = [System.Collections.ArrayList]@()\n[void]$l.Add('x')\n$l.Add('y')\n$l.Count\n@(1,2).Add(3)\n'still here'";
    let o = out(s);
    assert!(o.starts_with("43\nTrue\nTrue\n2\nKV\nb\nell\n1\n2\n"), "{o}");
    assert!(o.contains("Collection was of a fixed size"), "{o}");
    assert!(o.ends_with("still here\n"), "{o}");
}

#[test]
fn endless_loops_and_deep_recursion_end_with_an_error() {
    let (h, o) = run_with("while ($true) { }", &[]);
    assert_eq!(o.exit_code, 1);
    assert!(h.out.contains("more than 1000000 steps"), "{}", h.out);
    let (h, _) = run_with("function f { f }\nf\n'after'", &[]);
    assert!(h.out.contains("more than 60 deep") && h.out.ends_with("after\n"), "{}", h.out);
}

/// Random scripts from the language's own pieces: the parser and evaluator never panic and
/// always finish.
#[test]
fn random_scripts_never_panic_and_finish() {
    const PIECES: &[&str] = &[
        "$a",
        "=",
        "1",
        "'s'",
        "\"x $a $(1+2)\"",
        "@(",
        ")",
        "@{",
        "}",
        "{",
        "(",
        "[int]",
        "-eq",
        "-and",
        "|",
        "ForEach-Object",
        "Where-Object",
        "if",
        "else",
        "foreach",
        "in",
        "while",
        "switch",
        ";",
        "\n",
        ",",
        "+",
        "..",
        "$_",
        ".Count",
        "[0]",
        "function",
        "f",
        "param",
        "throw",
        "try",
        "catch",
        "return",
        "@'\nq\n'@",
        "`",
        "#c",
        "<#",
        "#>",
        "-f",
        "::",
        "[string]",
        "Select-Object",
        "ConvertTo-Json",
        "ConvertFrom-Json",
        "-Depth",
        "99",
        "$null",
        "break",
        "Read-Host",
        "$(",
        "\"",
        "'",
    ];
    let mut seed = 0x2545F4914F6CDD1Du64;
    for _ in 0..3000 {
        let mut script = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = 1 + (seed % 30) as usize;
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            script.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            script.push(' ');
        }
        let started = std::time::Instant::now();
        let (_, _) = run_with(&script, &["1", "2"]);
        assert!(started.elapsed().as_secs() < 5, "took too long: {script:?}");
    }
}

#[test]
fn a_console_session_keeps_its_variables_and_an_error_ends_only_its_entry() {
    let mut h = host();
    let entries: Vec<String> =
        ["$n = 2", "throw 'bad'", "function Double($x) { $x * 2 }", "Double $n", "Get-Nothing", "exit 4", "'never'"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let o = run_session(&entries, &mut h);
    assert_eq!(o.exit_code, 4);
    assert_eq!(
        h.out,
        "Exception: bad\n4\nGet-Nothing: The term 'Get-Nothing' is not recognized as a name of a cmdlet, function, script file, or executable program.\nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again.\n"
    );
}

#[test]
fn output_streams_to_the_console_while_a_script_waits_but_captured_output_does_not() {
    let s = "function Step { 'before the prompt'; $a = Read-Host 'Name'; \"after $a\" }\nStep\n$captured = Step\n\"captured: $captured\"\nif ($true) { 'in a block'; Read-Host 'Again' | Out-Null }";
    let (h, _) = run_with(s, &["x", "y", "z"]);
    assert_eq!(
        h.out,
        "before the prompt\nName: x\nafter x\nName: y\ncaptured: before the prompt after y\nin a block\nAgain: z\n"
    );
}

#[test]
fn get_help_lists_the_language_and_each_cmdlet() {
    let o = out("Get-Help");
    assert!(o.contains("try/catch/finally") && o.contains("New-AzKeyVault") && o.contains("Not here: classes"), "{o}");
    let o = out("Get-Help Select-Object");
    assert!(o.contains("SYNOPSIS\n    Picks properties or objects.") && o.contains("-ExpandProperty"), "{o}");
    let o = out("help Get-Nothing");
    assert!(o.contains("Get-Help could not find Get-Nothing"), "{o}");
}

/// Found running Microsoft's ValidateKeyVaultForCMK.ps1: validation applies only to what was
/// passed, `$null` travels down a pipeline, and Equals compares types as .NET does.
#[test]
fn a_simple_function_keeps_extra_arguments_in_args_an_advanced_one_refuses_them() {
    let s = "function Simple ($a, $b) { \"$a $b rest=$($args -join ',')\" }\nSimple 1 2 3 4\nfunction Adv { param([Parameter(Mandatory=$false)]$a) $a }\nAdv 1 2\n'after'";
    let o = out(s);
    assert!(o.starts_with("1 2 rest=3,4\n"), "{o}");
    assert!(o.contains("A positional parameter cannot be found that accepts argument '2'."), "{o}");
    assert!(o.ends_with("after\n"), "{o}");
}

#[test]
fn the_admin_module_signs_in_replaces_macros_and_answers_as_invokeapi_does() {
    let s = "$r = 'https://{bapEndpoint}/providers/Microsoft.BusinessAppPlatform/environments/{id}?api-version={apiVersion}' | ReplaceMacro -Macro '{id}' -Value 'g1'\n$e = InvokeApi -Method GET -Route $r -ApiVersion '2016-11-01'\n$e.Name\n$e.properties.displayName\n$global:currentSession.bapEndpoint\n$l = InvokeApi -Method POST -Route $r -Body ([pscustomobject]@{ SystemId = '/regions/europe/x' })\n$l.StatusCode -ne '202'\n$l.Error.code\n$l.Message";
    let (h, _) = run_with(s, &[]);
    assert_eq!(h.out, "g1\nProd\napi.bap.microsoft.com\nTrue\nConflict\nalready linked\n");
    let get = h.calls.iter().find(|c| c.starts_with("pp rest --method GET")).expect("GET sent");
    assert!(get.ends_with("--uri https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/environments/g1?api-version=2016-11-01"), "{get}");
    let post = h.calls.iter().find(|c| c.starts_with("pp rest --method POST")).expect("POST sent");
    assert!(post.ends_with(r#"--body {"SystemId":"/regions/europe/x"}"#), "{post}");
    // Signing in asked the host who is signed in.
    assert!(h.calls.iter().any(|c| c == "az account show"), "{:?}", h.calls);
}

#[test]
fn what_microsofts_scripts_rely_on() {
    let s = "function Login { param([ValidateSet('prod','china')][String]$endpoint, [String]$sub) \"env '$endpoint' sub '$sub'\" }\nLogin -sub s1\n$null | ConvertTo-Json\n$null | ForEach-Object { 'one null' }\n@() | ForEach-Object { 'never' }\n$true.Equals('False')\n$true.Equals($true)\n'a'.Equals('A')";
    assert_eq!(out(s), "env '' sub 's1'\nnull\none null\nFalse\nTrue\nFalse\n");
}

#[test]
fn a_functions_error_points_into_the_file_that_defined_it() {
    let mut h = host();
    h.files.insert("lib.ps1".into(), "function Get-Bad {\n    Get-Missing -x 1\n}".into());
    run(". ./lib.ps1\n'before'\nGet-Bad\n'after'", "main.ps1", &mut h);
    assert!(h.out.contains("Get-Missing: lib.ps1:2\nLine |\n   2 |  Get-Missing -x 1\n"), "{}", h.out);
    assert!(h.out.ends_with("after\n"), "{}", h.out);
}

#[test]
fn windows_paths_with_dot_dot_name_files_of_the_store() {
    use crate::eval::normalize;
    assert_eq!(normalize(".\\Cmk\\..\\Common\\Ops.ps1"), "Common/Ops.ps1");
    assert_eq!(normalize("Cmk/./x.ps1"), "Cmk/x.ps1");
    assert_eq!(normalize("../up.ps1"), "../up.ps1");
    assert_eq!(normalize("/abs/a/../b"), "/abs/b");
}

#[test]
fn case_folding_matches_unicode_for_the_scripts_alphabets() {
    use crate::value::{lower, upper};
    // Every letter of ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic maps as Unicode says.
    let blocks = [(0x20u32, 0x17F), (0x386, 0x3CE), (0x400, 0x45F)];
    for c in blocks.iter().flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32)) {
        let (l, u): (Vec<char>, Vec<char>) = (c.to_lowercase().collect(), c.to_uppercase().collect());
        // Single letters only (İ lowers to two characters, ŉ uppers to two; the accented
        // Greek capitals are outside the pairs and stay).
        if l.len() == 1 && !(0x386..=0x38F).contains(&(c as u32)) && !(0x3AC..=0x3B0).contains(&(c as u32)) && c != 'ς'
        {
            assert_eq!(lower(&c.to_string()), l[0].to_string(), "lower {c} U+{:04X}", c as u32);
        }
        if u.len() == 1 && c != 'ı' && c != 'ſ' && c != 'ς' && !(0x3AC..=0x3CE).contains(&(c as u32)) && c != 'µ' {
            assert_eq!(upper(&c.to_string()), u[0].to_string(), "upper {c} U+{:04X}", c as u32);
        }
    }
    assert_eq!(
        out("'ÉCOLE' -eq 'école'\n'Łódź'.ToUpper()\n'ПРИВЕТ' -like 'прив*'\n'ÿ'.ToUpper()"),
        "True\nŁÓDŹ\nTrue\nŸ\n"
    );
}

#[test]
fn get_child_item_lists_the_stores_folders_and_files_as_powershell_does() {
    let o = out("ls");
    assert!(o.contains("Mode  Length Name    FullName\n----  ------ ----    --------\nd----        Cmk     Cmk\nd----        Common  Common\n-----      3 ep.json ep.json\n"), "{o}");
    assert_eq!(out("dir Cmk -Name"), "Add.ps1\n");
    assert_eq!(out("Get-ChildItem -Recurse -File -Name"), "Cmk/Add.ps1\nCommon/Ops.ps1\nep.json\n");
    assert_eq!(out("(gci -Recurse -Directory).Count; (ls -Filter *.json).Length"), "2\n3\n");
    assert!(out("ls nowhere").contains("Cannot find path 'nowhere' because it does not exist."));
}

#[test]
fn set_location_moves_relative_paths_and_script_roots_stay_full_paths() {
    let mut h = host();
    h.files
        .insert("Cmk/Add.ps1".into(), ". \"$PSScriptRoot\\..\\Common\\Ops.ps1\"\n\"root $PSScriptRoot\"\nHello".into());
    h.files.insert("Common/Ops.ps1".into(), "function Hello { 'hello from Common' }".into());
    let entries: Vec<String> = [
        "cd Cmk",
        "pwd",
        "./Add.ps1",
        "Test-Path ./Add.ps1",
        "cd nowhere",
        "cd ..",
        "(Get-Location).Path",
        "cd -",
        "ls -Name",
        "cd ~",
        "Test-Path Cmk/Add.ps1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let o = run_session(&entries, &mut h);
    assert_eq!(o.location, "");
    let out = h.out;
    assert!(out.starts_with("\nPath\n----\n/home/user/Cmk\n\nroot /home/user/Cmk\nhello from Common\nTrue\n"), "{out}");
    assert!(out.contains("Cannot find path '/home/user/Cmk/nowhere' because it does not exist."), "{out}");
    assert!(out.ends_with("/home/user\nAdd.ps1\nTrue\n"), "{out}");
}

/// Set-AzKeyVaultKeyRotationPolicy's hashtables make Key Vault's policy JSON, as the module does;
/// what is not one, or -PolicyPath beside them, is refused; other cmdlets' words pass untouched.
#[test]
fn rotation_policy_hashtables_become_key_vaults_json() {
    use crate::value::{Map, Value};
    let hash = |pairs: &[(&str, &str)]| {
        Value::hash(Map(pairs.iter().map(|(k, v)| ((*k).to_string(), Value::str(*v))).collect()))
    };
    let words = |extra: Vec<Value>| {
        let mut w = vec![Value::str("-VaultName"), Value::str("kv"), Value::str("-Name"), Value::str("cmk")];
        w.extend(extra);
        w
    };
    let actions = Value::array(vec![
        hash(&[("Action", "Rotate"), ("TimeAfterCreate", "P18M")]),
        hash(&[("action", "Notify"), ("timeBeforeExpiry", "P30D")]),
    ]);
    let set = "set-AzKeyVaultKeyRotationPolicy";
    let out = crate::az::rotation_policy(
        set,
        words(vec![Value::str("-Expires"), Value::str("P2Y"), Value::str("-KeyRotationLifetimeAction"), actions]),
    )
    .expect("policy");
    let texts: Vec<String> = out.iter().map(Value::to_str).collect();
    assert_eq!(texts[..5], ["-VaultName", "kv", "-Name", "cmk", "-PolicyPath"]);
    assert_eq!(
        texts[5],
        r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P18M"},"action":{"type":"Rotate"}},{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P2Y"}}"#
    );
    let e =
        crate::az::rotation_policy(set, words(vec![Value::str("-KeyRotationLifetimeAction"), Value::str("Rotate")]))
            .expect_err("not a hashtable");
    assert!(e.starts_with("Cannot convert \"Rotate\" to PSKeyRotationLifetimeAction"), "{e}");
    let e = crate::az::rotation_policy(
        set,
        words(vec![Value::str("-PolicyPath"), Value::str("p.json"), Value::str("-ExpiresIn"), Value::str("P1Y")]),
    )
    .expect_err("two parameter sets");
    assert!(e.starts_with("Parameter set cannot be resolved"), "{e}");
    let same = words(vec![Value::str("-ExpiresIn"), Value::str("P1Y")]);
    let kept = crate::az::rotation_policy("Get-AzKeyVaultKey", same.clone()).expect("untouched");
    assert_eq!(kept.iter().map(Value::to_str).collect::<Vec<_>>(), same.iter().map(Value::to_str).collect::<Vec<_>>());
}
