"""Does each `az` line of a file parse in the installed azure-cli? (issue 19 item 5)

Run with the venv's python (`cargo xtask az-parses FILE` does):

    python parses.py FILE [FILE …]

Each line runs through the real CLI in this one process, as `az` would run it, but signed in
to nothing (sandbox.py gives it an empty AZURE_CONFIG_DIR): a line whose arguments parse and
pass the command's validators goes on to need an account and stops at "Please run 'az
login'". That is a pass. Anything the CLI says before that (unrecognized arguments, a missing
required argument, an invalid choice, a validator's refusal) is a failure, printed with the
CLI's own message. Exit status 1 if any line failed, 2 if a file cannot be read.

- `#` comments and blank lines are skipped; a trailing `\\` continues the line.
- `NAME=$(az …)` is checked as the `az …` inside; a line that is not `az …` is skipped (the
  playground's `pp`, `sim`, PowerShell), counted in the summary.
- `az login --username …` is the playground's persona switch, not the real CLI's: exempt.
- `$NAME`, `${NAME}` and `$(…)` become a placeholder value first (the CLI never sees shell
  syntax): an ARM resource id after --scope, --ids and --…resource-id, a GUID after options
  that take an object id, a key identifier after `keyvault key … --id`, `placeholder`
  elsewhere. A failing line shows its substitutions.
- Relative paths (--template-file, --value @FILE) resolve against the file's own folder.
"""

import contextlib
import io
import os
import re
import shlex
import sys
import time

import sandbox

ARM_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
GUID = "00000000-0000-0000-0000-000000000000"
KEY_ID = "https://kv.vault.azure.net/keys/k/00000000000000000000000000000000"
ARM_OPTIONS = ("--scope", "--ids", "--resource-id")
GUID_OPTIONS = ("--assignee", "--assignee-object-id", "--object-id", "--administrators", "--principal-id")
# What the CLI says when parsing went through and only an account is missing (lower case).
NOT_LOGGED_IN = (
    "please run 'az login'",  # almost every command
    "no subscription found",  # commands that list the account's subscriptions
    "doesn't exist in cloud",  # az account set: no subscription is known without a login
    "there are no active accounts",  # az logout
)

_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=\$\((az\s.*)\)$")
_VARIABLE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\((?:[^()]|\([^()]*\))*\)")


def logical_lines(text):
    """(line number, line) with continuations joined, comments and blanks dropped."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        line = raw.rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = (pending + line).strip()
        pending = ""
        if line and not line.startswith("#"):
            yield start, line
    if pending.strip():
        yield start, pending.strip()


def placeholder(option, words):
    if option == "--id" and words[:2] in (["keyvault", "key"], ["keyvault", "secret"]):
        return KEY_ID
    if option in ARM_OPTIONS or option.endswith("-resource-id"):
        return ARM_ID
    if option in GUID_OPTIONS:
        return GUID
    return "placeholder"


def substitute(words):
    """The words with shell variables and substitutions replaced; and what was replaced."""
    out, replaced = [], []
    for i, word in enumerate(words):
        option = words[i - 1] if i else ""
        value = placeholder(option, words)

        def swap(match, value=value):
            replaced.append(f"{match.group(0)} → {value}")
            return value

        out.append(_VARIABLE.sub(swap, word))
    return out, replaced


def split(line):
    """The `az …` words of a line, or a reason it is not checked."""
    assigned = _ASSIGN.match(line)
    if assigned:
        line = assigned.group(1)
    try:
        # $(…) may hold spaces and quotes: take each out before splitting, as a shell would.
        subs = []

        def hide(match):
            subs.append(match.group(0))
            return f"__SUBST{len(subs) - 1}__"

        hidden = re.sub(r"\$\((?:[^()]|\([^()]*\))*\)", hide, line)
        words = [re.sub(r"__SUBST(\d+)__", lambda m: subs[int(m.group(1))], w) for w in shlex.split(hidden)]
    except ValueError as e:
        return None, f"cannot split the line: {e}"
    if not words or words[0] != "az":
        return None, "not an az line"
    if words[1:2] == ["login"] and ("--username" in words or "-u" in words):
        return None, "exempt"
    return words[1:], None


class _Capture(io.TextIOBase):
    """Stands for stderr while a line runs. azure-cli's log handlers keep the stream they were
    made with (at the first invocation), so the stream stays one object and only its buffer is
    swapped for each line."""

    def __init__(self):
        super().__init__()
        self.buffer_ = io.StringIO()

    def write(self, s):
        return self.buffer_.write(s)

    def take(self):
        text, self.buffer_ = self.buffer_.getvalue(), io.StringIO()
        return text


_CAPTURE = _Capture()


def run(words, cwd):
    """(passed, the CLI's message) for `az WORDS` run in-process."""
    cli = sandbox.new_cli()
    code = None
    here = os.getcwd()
    _CAPTURE.take()
    try:
        os.chdir(cwd)
        with contextlib.redirect_stderr(_CAPTURE), contextlib.redirect_stdout(_CAPTURE):
            try:
                code = cli.invoke(words)
            except SystemExit as e:  # argparse refuses: 2
                code = e.code
    finally:
        os.chdir(here)
    message = "\n".join(
        line for line in _CAPTURE.take().splitlines() if line.strip() and not line.startswith("WARNING:")
    ).strip()
    lowered = message.lower()
    passed = code != 0 and any(s in lowered for s in NOT_LOGGED_IN) and "unrecognized arguments" not in lowered
    if code == 0:
        # Only what needs no account can succeed (`az logout` with nothing to log out is not that).
        passed, message = True, message or "ran without an account"
    return passed, message or f"exit status {code} and no message"


def check(path):
    """Prints each failing line; returns (checked, failed, exempt, skipped)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    cwd = os.path.dirname(os.path.abspath(path))
    checked = failed = exempt = skipped = 0
    for number, line in logical_lines(text):
        words, why = split(line)
        if words is None:
            if why == "exempt":
                exempt += 1
                print(f"{path}:{number}: exempt (the playground's persona switch): {line}")
            elif why == "not an az line":
                skipped += 1
            else:
                checked += 1
                failed += 1
                print(f"{path}:{number}: FAILED: {line}\n    {why}")
            continue
        words, replaced = substitute(words)
        checked += 1
        passed, message = run(words, cwd)
        if not passed:
            failed += 1
            print(f"{path}:{number}: FAILED: {line}")
            if replaced:
                print(f"    (checked with {'; '.join(replaced)})")
            for m in message.splitlines():
                print(f"    {m}")
    return checked, failed, exempt, skipped


def main(argv):
    if not argv:
        print("usage: parses.py FILE [FILE …]", file=sys.stderr)
        return 2
    started = time.monotonic()
    totals = [0, 0, 0, 0]
    for path in argv:
        try:
            counts = check(path)
        except OSError as e:
            print(f"az-parses: cannot read {path}: {e}", file=sys.stderr)
            return 2
        totals = [a + b for a, b in zip(totals, counts)]
    checked, failed, exempt, skipped = totals
    elapsed = time.monotonic() - started
    rate = checked / elapsed if elapsed > 0 else 0.0
    versions = ", ".join(f"{k} {v}" for k, v in sorted(sandbox.versions().items()))
    print(
        f"az-parses: {checked - failed} parsed, {failed} failed; {exempt} exempt, {skipped} not az "
        f"({versions}; {elapsed:.1f} s, {rate:.1f} lines/s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
