//! The real Azure CLI's grammar, as data (`az_grammar.json`, turned into tables by `build.rs`):
//! every argument an `az` command takes — its names, how many values, choices, whether it is
//! required. The shell parses `az` lines against it, so the shell and the real CLI agree on
//! what a line says.

/// How many values an argument takes, as argparse's `nargs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nargs {
    /// A switch (`--no-wait`).
    Zero,
    /// `--name VALUE`.
    One,
    /// `--enable-purge-protection [true|false]`: alone it means its constant (`true`).
    Optional,
    /// `--tags [VALUE …]`.
    Any,
    /// `--key-permissions VALUE [VALUE …]`.
    Some,
}

/// One argument of a command.
#[derive(Debug)]
pub struct AzArg {
    /// Its names, the long one first as the real CLI lists them (`--name`, `-n`).
    pub options: &'static [&'static str],
    pub nargs: Nargs,
    pub required: bool,
    pub choices: &'static [&'static str],
    pub case_insensitive: bool,
    /// `get_three_state_flag`: alone it means `true`; it also takes `true` or `false`.
    pub three_state: bool,
    pub hidden: bool,
    /// The heading `--help` lists it under ("Global", "Global Policy"), empty for its own.
    pub group: &'static str,
    pub default: Option<&'static str>,
}

impl AzArg {
    /// How the real CLI names it in errors: `--name/-n`.
    pub fn display(&self) -> alloc::string::String {
        self.options.join("/")
    }
    pub fn named(&self, name: &str) -> bool {
        self.options.contains(&name)
    }
}

/// One `az` command: its path without `az ` (`keyvault key create`), its summary, its own
/// arguments and the shared ones azure-cli core adds (indexes into `SHARED`); `GLOBAL` comes on
/// top.
#[derive(Debug)]
pub struct AzCommand {
    pub path: &'static str,
    pub summary: &'static str,
    pub args: &'static [AzArg],
    pub shared: &'static [usize],
}

include!(concat!(env!("OUT_DIR"), "/az_grammar.rs"));

/// The grammar of `az PATH` (the spec's path, with its `az ` prefix), if the real CLI has it.
pub fn command(spec_path: &str) -> Option<&'static AzCommand> {
    let path = spec_path.strip_prefix("az ")?;
    COMMANDS.binary_search_by(|c| c.path.cmp(path)).ok().map(|i| &COMMANDS[i])
}

impl AzCommand {
    /// Its arguments: its own, then the shared ones (not the global ones).
    pub fn all_args(&self) -> impl Iterator<Item = &'static AzArg> {
        let args: &'static [AzArg] = self.args;
        args.iter().chain(self.shared.iter().filter_map(|i| SHARED.get(*i)))
    }
    /// The argument named `name` (its own, a shared or a global one).
    pub fn arg(&self, name: &str) -> Option<&'static AzArg> {
        self.all_args().chain(GLOBAL).find(|a| a.named(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_the_json() {
        assert!(COMMANDS.windows(2).all(|w| w[0].path < w[1].path), "sorted, for the binary search");
        let create = command("az keyvault key create").expect("in the grammar");
        let kty = create.arg("--kty").expect("--kty");
        assert_eq!(kty.choices, ["EC", "EC-HSM", "RSA", "RSA-HSM", "oct", "oct-HSM"]);
        assert_eq!(create.arg("--ops").map(|a| a.nargs), Some(Nargs::Any));
        let purge = command("az keyvault create").and_then(|c| c.arg("--enable-purge-protection")).expect("purge");
        assert!(purge.three_state && purge.nargs == Nargs::Optional);
        let group = command("az group create").expect("group create");
        assert_eq!(group.arg("-g").map(AzArg::display).as_deref(), Some("--name/--resource-group/-n/-g"));
        assert!(group.arg("--output").is_some() && group.arg("--subscription").is_some(), "global and shared");
        assert!(command("az keyvault key wrap").is_none(), "not a command of the real CLI");
    }
}
