//! # cmk-query
//!
//! `--query` as the Azure CLI evaluates it: JMESPath (filters, functions, multiselect), through
//! the `jmespath` crate. Hosts with std (the worker, the CLI) plug it into the shell:
//! `Shell::new(seed).with_query(Box::new(cmk_query::JmesPath))`.

use cmk_core::shell::QueryEngine;
use serde_json::Value;

#[derive(Debug, Clone, Copy, Default)]
pub struct JmesPath;

impl QueryEngine for JmesPath {
    fn search(&self, expression: &str, value: &Value) -> Result<Value, String> {
        let expr = jmespath::compile(expression).map_err(|e| e.to_string())?;
        let data = jmespath::Variable::from_json(&value.to_string()).map_err(|e| e.to_string())?;
        let found = expr.search(data).map_err(|e| e.to_string())?;
        serde_json::to_value(&*found).map_err(|e| e.to_string())
    }

    fn check(&self, expression: &str) -> Result<(), String> {
        jmespath::compile(expression).map(|_| ()).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_functions_and_multiselect_work_as_in_az() {
        let list = json!([
            { "roleDefinitionName": "Owner", "principalName": "gus" },
            { "roleDefinitionName": "Reader", "principalName": "priya" },
            { "roleDefinitionName": "Owner", "principalName": "kai" },
        ]);
        let q = |e: &str| JmesPath.search(e, &list).expect(e);
        assert_eq!(q("[?roleDefinitionName=='Owner'].principalName"), json!(["gus", "kai"]));
        assert_eq!(q("length(@)"), json!(3));
        assert_eq!(q("[0].{role:roleDefinitionName}"), json!({ "role": "Owner" }));
        assert_eq!(q("[].principalName"), json!(["gus", "priya", "kai"]));
    }

    #[test]
    fn check_looks_at_the_form_only() {
        // `length(@)` fails on null but is well formed: it must pass the check made before a
        // command runs; `[` is malformed and must not.
        assert!(JmesPath.check("length(@)").is_ok());
        assert!(JmesPath.search("length(@)", &Value::Null).is_err());
        assert!(JmesPath.check("[?a=='b'].c").is_ok());
        assert!(JmesPath.check("[").is_err());
        assert!(JmesPath.check("🔑").is_err());
    }

    #[test]
    fn a_bad_query_is_an_error_never_a_silent_null() {
        assert!(JmesPath.search("[?", &json!([])).is_err());
        assert!(JmesPath.search("length(`1`, `2`)", &json!([])).is_err(), "wrong arity");
    }
}
