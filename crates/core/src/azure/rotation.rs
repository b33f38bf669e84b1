//! Key rotation policies as Key Vault validates them (SPEC KV-8), and ISO-8601 durations.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode};
use crate::time::SimDuration;
use crate::view::{ActionView, LifetimeActionView, RotationAttributesView, RotationPolicyView, TriggerView};

/// Parses an ISO-8601 duration (`P90D`, `P1Y2M`, `PT12H`, `P2W`) or the playground's short form
/// (`30m`, `6h`, `4d`). Years count 365 days and months 30, as Key Vault's rotation does.
pub fn parse_duration(text: &str) -> Result<SimDuration, Error> {
    let bad = || {
        Error::new(
            ErrorCode::BadParameter,
            format!("'{text}' is not a duration: use ISO-8601 like P28D or PT6H, or 30m / 6h / 4d."),
        )
    };
    let t = text.trim();
    if let Some(short) = short_duration(t) {
        return short.ok_or_else(bad);
    }
    let rest = t.strip_prefix(['P', 'p']).ok_or_else(bad)?;
    if rest.is_empty() {
        return Err(bad());
    }
    let (mut total, mut in_time, mut number, mut any) = (0u64, false, String::new(), false);
    for c in rest.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' | 't' if number.is_empty() && !in_time => in_time = true,
            unit => {
                let n: u64 = number.parse().map_err(|_| bad())?;
                number.clear();
                let seconds = match (unit.to_ascii_uppercase(), in_time) {
                    ('Y', false) => 365 * 86_400,
                    ('M', false) => 30 * 86_400,
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return Err(bad()),
                };
                total = total.checked_add(n.checked_mul(seconds).ok_or_else(bad)?).ok_or_else(bad)?;
                any = true;
            }
        }
    }
    if !number.is_empty() || !any {
        return Err(bad());
    }
    Ok(SimDuration::seconds(total))
}

fn short_duration(t: &str) -> Option<Option<SimDuration>> {
    let unit = t.chars().last()?;
    let digits = &t[..t.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        's' => Some(SimDuration::seconds(n)),
        'm' => n.checked_mul(60).map(SimDuration::seconds),
        'h' => n.checked_mul(3600).map(SimDuration::seconds),
        'd' => n.checked_mul(86_400).map(SimDuration::seconds),
        _ => return None,
    })
}

/// Formats a whole number of days as `P{n}D` (how the policy is shown back).
pub fn format_days(d: SimDuration) -> String {
    if d.as_seconds().is_multiple_of(86_400) {
        format!("P{}D", d.as_seconds() / 86_400)
    } else {
        format!("PT{}S", d.as_seconds())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    TimeAfterCreate(SimDuration),
    TimeBeforeExpiry(SimDuration),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LifetimeAction {
    Rotate(Trigger),
    Notify(Trigger),
}

/// A validated rotation policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationPolicy {
    pub rotate: Option<Trigger>,
    pub notify: Option<Trigger>,
    /// Lifetime of versions the policy creates (`attributes.expiryTime`).
    pub expiry_time: Option<SimDuration>,
}

const MIN_TRIGGER: SimDuration = SimDuration::days(7);
const MIN_EXPIRY: SimDuration = SimDuration::days(28);

impl RotationPolicy {
    /// Parses and validates Key Vault's rotation policy JSON:
    /// `{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"Rotate"}}],
    ///   "attributes":{"expiryTime":"P2Y"}}`.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let bad = |why: String| Error::new(ErrorCode::BadParameter, format!("Invalid rotation policy: {why}"));
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(format!("not valid JSON ({e}).")))?;
        let obj = v.as_object().ok_or_else(|| bad("it must be a JSON object.".into()))?;
        for key in obj.keys() {
            if !matches!(key.as_str(), "lifetimeActions" | "attributes" | "id") {
                return Err(bad(format!("unknown field '{key}' (expected lifetimeActions, attributes).")));
            }
        }
        let expiry_time = match obj.get("attributes").and_then(|a| a.get("expiryTime")) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(parse_duration(s)?),
            Some(other) => {
                return Err(bad(format!("attributes.expiryTime must be an ISO-8601 duration string, not {other}.")))
            }
        };
        let actions = match obj.get("lifetimeActions") {
            None | Some(serde_json::Value::Null) => Vec::new(),
            Some(serde_json::Value::Array(a)) => a.clone(),
            Some(_) => return Err(bad("lifetimeActions must be an array.".into())),
        };
        let mut policy = RotationPolicy { rotate: None, notify: None, expiry_time };
        for (i, action) in actions.iter().enumerate() {
            let kind = action
                .pointer("/action/type")
                .and_then(|t| t.as_str())
                .ok_or_else(|| bad(format!("lifetimeActions[{i}].action.type is missing (Rotate or Notify).")))?;
            let trigger =
                action.get("trigger").ok_or_else(|| bad(format!("lifetimeActions[{i}].trigger is missing.")))?;
            let field = |name: &str| -> Result<Option<SimDuration>, Error> {
                match trigger.get(name) {
                    None | Some(serde_json::Value::Null) => Ok(None),
                    Some(serde_json::Value::String(s)) => parse_duration(s).map(Some),
                    Some(_) => Err(bad(format!("lifetimeActions[{i}].trigger.{name} must be a duration string."))),
                }
            };
            let trigger = match (field("timeAfterCreate")?, field("timeBeforeExpiry")?) {
                (Some(d), None) => Trigger::TimeAfterCreate(d),
                (None, Some(d)) => Trigger::TimeBeforeExpiry(d),
                (Some(_), Some(_)) => {
                    return Err(bad(format!(
                        "lifetimeActions[{i}] sets both timeAfterCreate and timeBeforeExpiry; set one."
                    )));
                }
                (None, None) => {
                    return Err(bad(format!("lifetimeActions[{i}] needs timeAfterCreate or timeBeforeExpiry.")));
                }
            };
            let (Trigger::TimeAfterCreate(d) | Trigger::TimeBeforeExpiry(d)) = trigger;
            if d < MIN_TRIGGER {
                return Err(bad(format!(
                    "lifetimeActions[{i}] triggers after {}, but the minimum is P7D.",
                    format_days(d)
                )));
            }
            let slot = if kind.eq_ignore_ascii_case("Rotate") {
                &mut policy.rotate
            } else if kind.eq_ignore_ascii_case("Notify") {
                if matches!(trigger, Trigger::TimeAfterCreate(_)) {
                    return Err(bad("a Notify action can only use timeBeforeExpiry.".into()));
                }
                &mut policy.notify
            } else {
                return Err(bad(format!("action type '{kind}' is not Rotate or Notify.")));
            };
            if slot.is_some() {
                return Err(bad(format!("there can be at most one {kind} action.")));
            }
            *slot = Some(trigger);
        }
        if let Some(exp) = policy.expiry_time {
            if exp < MIN_EXPIRY {
                return Err(bad(format!("expiryTime {} is shorter than the minimum P28D.", format_days(exp))));
            }
            for trigger in [policy.rotate, policy.notify].into_iter().flatten() {
                let d = match trigger {
                    Trigger::TimeAfterCreate(d) | Trigger::TimeBeforeExpiry(d) => d,
                };
                if d.as_seconds() + MIN_TRIGGER.as_seconds() > exp.as_seconds() {
                    return Err(bad(format!(
                        "a trigger of {} leaves less than 7 days before the expiryTime {}.",
                        format_days(d),
                        format_days(exp)
                    )));
                }
            }
        } else if matches!(policy.rotate, Some(Trigger::TimeBeforeExpiry(_))) || policy.notify.is_some() {
            return Err(bad("timeBeforeExpiry triggers need attributes.expiryTime.".into()));
        }
        Ok(policy)
    }

    /// Key Vault's JSON form of the policy.
    pub fn to_view(&self) -> RotationPolicyView {
        let trigger = |t: &Trigger| match t {
            Trigger::TimeAfterCreate(d) => {
                TriggerView { time_after_create: Some(format_days(*d)), time_before_expiry: None }
            }
            Trigger::TimeBeforeExpiry(d) => {
                TriggerView { time_after_create: None, time_before_expiry: Some(format_days(*d)) }
            }
        };
        let mut lifetime_actions = Vec::new();
        if let Some(t) = &self.rotate {
            lifetime_actions
                .push(LifetimeActionView { trigger: trigger(t), action: ActionView { action_type: "Rotate".into() } });
        }
        if let Some(t) = &self.notify {
            lifetime_actions
                .push(LifetimeActionView { trigger: trigger(t), action: ActionView { action_type: "Notify".into() } });
        }
        RotationPolicyView {
            lifetime_actions,
            attributes: RotationAttributesView { expiry_time: self.expiry_time.map(format_days) },
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.to_view()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("P28D"), Ok(SimDuration::days(28)));
        assert_eq!(parse_duration("P1Y"), Ok(SimDuration::days(365)));
        assert_eq!(parse_duration("P1M2DT3H"), Ok(SimDuration::seconds(32 * 86_400 + 3 * 3600)));
        assert_eq!(parse_duration("PT5M"), Ok(SimDuration::minutes(5)));
        assert_eq!(parse_duration("P2W"), Ok(SimDuration::days(14)));
        assert_eq!(parse_duration("30m"), Ok(SimDuration::minutes(30)));
        assert_eq!(parse_duration("6h"), Ok(SimDuration::hours(6)));
        assert_eq!(parse_duration("4d"), Ok(SimDuration::days(4)));
        for bad in ["", "P", "PT", "P5", "5", "P1H", "PT1D", "1w", "P-1D", "tomorrow", "P99999999999999999999D"] {
            assert_eq!(parse_duration(bad).map_err(|e| e.code()), Err(ErrorCode::BadParameter), "{bad}");
        }
    }

    #[test]
    fn valid_policy_round_trips() {
        // SPEC KV-8: Rotate + Notify with ISO-8601 triggers and an expiryTime.
        let p = RotationPolicy::from_json(
            r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"Rotate"}},
                {"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P2Y"}}"#,
        )
        .expect("valid");
        assert_eq!(p.rotate, Some(Trigger::TimeAfterCreate(SimDuration::days(90))));
        assert_eq!(p.notify, Some(Trigger::TimeBeforeExpiry(SimDuration::days(30))));
        assert_eq!(p.expiry_time, Some(SimDuration::days(730)));
        let back = RotationPolicy::from_json(&p.to_json().to_string()).expect("round trip");
        assert_eq!(back, p);
    }

    #[test]
    fn azure_validation_rules() {
        // SPEC KV-8: expiryTime ≥ P28D, triggers ≥ 7 days, at most one Rotate and one Notify.
        let cases = [
            (r#"{"lifetimeActions":[],"attributes":{"expiryTime":"P27D"}}"#, "minimum P28D"),
            (
                r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P6D"},"action":{"type":"Rotate"}}]}"#,
                "minimum is P7D",
            ),
            (
                r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P30D"},"action":{"type":"Rotate"}},{"trigger":{"timeAfterCreate":"P40D"},"action":{"type":"Rotate"}}]}"#,
                "at most one Rotate",
            ),
            (
                r#"{"lifetimeActions":[{"trigger":{"timeBeforeExpiry":"P10D"},"action":{"type":"Notify"}},{"trigger":{"timeBeforeExpiry":"P20D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P90D"}}"#,
                "at most one Notify",
            ),
            (
                r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P30D"},"action":{"type":"Delete"}}]}"#,
                "not Rotate or Notify",
            ),
            (r#"{"lifetimeActions":[{"trigger":{},"action":{"type":"Rotate"}}]}"#, "needs timeAfterCreate"),
            (
                r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P30D","timeBeforeExpiry":"P30D"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"P90D"}}"#,
                "both",
            ),
            (
                r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P25D"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"P30D"}}"#,
                "less than 7 days",
            ),
            (
                r#"{"lifetimeActions":[{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}]}"#,
                "need attributes.expiryTime",
            ),
            (
                r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P30D"},"action":{"type":"Notify"}}]}"#,
                "only use timeBeforeExpiry",
            ),
            (r#"{"rotate":"sometimes"}"#, "unknown field"),
            ("not json", "not valid JSON"),
        ];
        for (json, why) in cases {
            let err = RotationPolicy::from_json(json).expect_err(json);
            assert_eq!(err.code(), ErrorCode::BadParameter);
            assert!(err.message().contains(why), "{json}: {}", err.message());
        }
    }
}
