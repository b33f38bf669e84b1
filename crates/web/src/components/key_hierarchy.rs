//! The key hierarchy drawn (SVG): vault and key → versions → the policy's identity (access path,
//! network) → environments → storage services and what wraps their data keys. A broken link is
//! dashed red with its reason. Built from the view, so it follows the clock live.

use cmk_core::view::{KeyTreeEnvironment, KeyTreeView};
use yew::prelude::*;

use crate::context::use_app;

#[derive(Properties, PartialEq)]
pub struct KeyHierarchyProps {
    /// The enterprise policy (by name) whose tree to draw.
    #[prop_or_default]
    pub policy: Option<AttrValue>,
    /// Only this environment (by id); without a policy, its services on Microsoft's key.
    #[prop_or_default]
    pub environment: Option<AttrValue>,
}

const ROW: f64 = 46.0;
const BOX_H: f64 = 38.0;
const COLS: [f64; 5] = [4.0, 162.0, 330.0, 528.0, 676.0];
const WIDTHS: [f64; 5] = [130.0, 140.0, 170.0, 120.0, 236.0];
const WIDTH: f64 = 916.0;

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// A box with up to three lines; `class` styles it (ok, broken, muted).
fn node(col: usize, y: f64, lines: &[String], class: &str, title: &str) -> Html {
    let (x, w) = (COLS[col], WIDTHS[col]);
    let chars = (w / 5.6) as usize;
    html! {
        <g class={classes!("node", class.to_string())}>
            <title>{ title }</title>
            <rect x={format!("{x}")} y={format!("{y}")} width={format!("{w}")} height={format!("{BOX_H}")} rx="3" />
            { for lines.iter().take(3).enumerate().map(|(i, l)| html! {
                <text x={format!("{}", x + 6.0)} y={format!("{}", y + 13.0 + 11.0 * i as f64)} class={if i == 0 { "t1" } else { "t2" }}>{ clip(l, chars) }</text>
            }) }
        </g>
    }
}

/// A link from the right side of a box in `from` to the left side of one in `to`.
fn edge(from: usize, y1: f64, to: usize, y2: f64, broken: Option<&str>, label: &str) -> Html {
    let (x1, x2) = (COLS[from] + WIDTHS[from], COLS[to]);
    let (a, b) = (y1 + BOX_H / 2.0, y2 + BOX_H / 2.0);
    let mid = (x1 + x2) / 2.0;
    let title = match broken {
        Some(why) => format!("Broken: {why}"),
        None => label.to_string(),
    };
    html! {
        <g class={classes!("edge", broken.map(|_| "broken"))}>
            <title>{ title }</title>
            <path d={format!("M{x1},{a} C{mid},{a} {mid},{b} {x2},{b}")} />
            if broken.is_some() { <text x={format!("{}", mid - 4.0)} y={format!("{}", (a + b) / 2.0 + 4.0)} class="cross">{"✕"}</text> }
        </g>
    }
}

/// The environments column and their services, from `row` down, linked to the identity at `id_y`.
fn environments(parts: &mut Vec<Html>, envs: &[&KeyTreeEnvironment], id_y: f64, mut row: f64) {
    for e in envs {
        let n = e.services.len().max(1);
        let env_y = row + (n as f64 - 1.0) * ROW / 2.0;
        let state = if e.deleted {
            "deleted"
        } else if e.locked {
            "locked"
        } else {
            e.status.as_str()
        };
        parts.push(edge(2, id_y, 3, env_y, (e.locked || e.deleted).then_some(state), "enterprise policy"));
        parts.push(node(
            3,
            env_y,
            &[e.name.clone(), state.to_string()],
            if e.locked || e.deleted { "broken" } else { "ok" },
            &e.name,
        ));
        for (i, s) in e.services.iter().enumerate() {
            let y = row + i as f64 * ROW;
            // The box names what was refused; the full message is the caption's detail.
            let third = s.broken.as_ref().map(|b| format!("Unwrap refused: {}", b.code)).unwrap_or_default();
            let wrap = s.wrap.replace("RSA-OAEP-256 with version ", "RSA-OAEP-256, version ");
            parts.push(edge(3, env_y, 4, y, s.broken.as_ref().map(|b| b.message.as_str()), &s.wrap));
            parts.push(node(
                4,
                y,
                &[s.label.clone(), wrap, third],
                if s.broken.is_some() {
                    "broken"
                } else if s.kid.is_none() {
                    "muted"
                } else {
                    "ok"
                },
                &format!("{}: data key wrapped by {}", s.label, s.kid.clone().unwrap_or_else(|| s.wrap.clone())),
            ));
        }
        row += n as f64 * ROW;
    }
}

fn draw(tree: &KeyTreeView, only: Option<&str>) -> Html {
    let envs: Vec<&KeyTreeEnvironment> =
        tree.environments.iter().filter(|e| only.is_none_or(|id| e.id == id)).collect();
    let versions: Vec<_> = tree.versions.iter().take(6).collect();
    let service_rows: usize = envs.iter().map(|e| e.services.len()).sum();
    let rows = service_rows.max(versions.len()).max(1);
    let height = rows as f64 * ROW + 10.0;
    let mid = |n: usize| (rows as f64 - n as f64) * ROW / 2.0 + 4.0;
    let key_y = mid(1);
    let mut parts: Vec<Html> = Vec::new();
    // Microsoft's own key (drawn for an environment without a policy) has no vault of ours.
    let microsoft = tree.policy_id.is_empty();
    let store = match (microsoft, tree.managed_hsm) {
        (true, _) => "held by Microsoft",
        (false, true) => "Managed HSM",
        (false, false) => "Key vault",
    };
    parts.push(node(
        0,
        key_y,
        &[
            tree.vault.clone(),
            if microsoft { tree.key.clone() } else { format!("key {}", tree.key) },
            if tree.key_missing { "deleted".into() } else { store.into() },
        ],
        if tree.key_missing { "broken" } else { "ok" },
        &format!("{store} {} › key {}", tree.vault, tree.key),
    ));
    let v0 = mid(versions.len());
    let mut current_y = None;
    for (i, v) in versions.iter().enumerate() {
        let y = v0 + i as f64 * ROW;
        let mut status = v.status.clone();
        if v.current {
            status.push_str(" · current");
            current_y = Some(y);
        }
        let third = if v.in_use { "wraps data keys" } else { "" };
        let class = if v.status == "Enabled" { "ok" } else { "broken" };
        parts.push(edge(0, key_y, 1, y, (v.status != "Enabled").then_some(v.status.as_str()), "a version of the key"));
        parts.push(node(1, y, &[format!("Version {}", clip(&v.version, 9)), status, third.into()], class, &v.version));
    }
    let id_y = mid(1);
    let identity_lines = [
        format!("{} identity", tree.policy),
        if tree.identity.access.is_empty() {
            "No access to the key".into()
        } else {
            tree.identity
                .access
                .join("; ")
                .replace("Key Vault Crypto Service Encryption User", "Crypto Service Encryption User")
        },
        tree.identity.network.clone(),
    ];
    let id_class = if tree.identity.broken.is_some() { "broken" } else { "ok" };
    parts.push(node(
        2,
        id_y,
        &identity_lines,
        id_class,
        &format!("{} — principal {}", identity_lines.join(" — "), tree.identity.principal_id),
    ));
    // From the current version, or straight from the key when there are no versions to show.
    parts.push(edge(
        if versions.is_empty() { 0 } else { 1 },
        current_y.unwrap_or(key_y),
        2,
        id_y,
        tree.identity.broken.as_ref().map(|b| b.message.as_str()),
        "wrapKey / unwrapKey as the policy's managed identity",
    ));
    environments(&mut parts, &envs, id_y, mid(service_rows.max(1)));
    let broken = tree.identity.broken.is_some() || envs.iter().any(|e| e.services.iter().any(|s| s.broken.is_some()));
    html! {
        <figure class="key-hierarchy" data-testid="key-hierarchy">
            <svg viewBox={format!("0 0 {WIDTH} {height}")} width="100%" role="img"
                aria-label={format!("Key hierarchy of {}: {}", tree.policy, if broken { "some links are broken" } else { "every link works" })}>
                { for parts }
            </svg>
            <figcaption>
                { "Columns: key → versions → the policy's identity (its access and network path) → environments → storage services and what wraps their data keys. " }
                if let Some(why) = &tree.identity.broken {
                    <span class="bad" data-testid="hierarchy-broken">{ broken_in_words(why) }</span>
                    { crate::components::message_bar::details(&why.code, &why.message) }
                }
            </figcaption>
        </figure>
    }
}

#[function_component(KeyHierarchy)]
pub fn key_hierarchy(props: &KeyHierarchyProps) -> Html {
    let ctx = use_app();
    let only = props.environment.as_deref();
    let tree = match (&props.policy, only) {
        (Some(p), _) => ctx.view.key_trees.iter().find(|t| t.policy.eq_ignore_ascii_case(p)),
        (None, Some(id)) => ctx.view.key_trees.iter().find(|t| t.environments.iter().any(|e| e.id == id)),
        (None, None) => None,
    };
    if let Some(tree) = tree {
        return draw(tree, only);
    }
    // An environment on Microsoft's key (or the tenant's legacy key): its services only.
    let Some(e) = only.and_then(|id| ctx.view.environments.iter().find(|d| d.summary.id == id)) else {
        return html! { <p class="empty">{"No key hierarchy to draw."}</p> };
    };
    let tree = cmk_core::world::tree_without_policy(e);
    draw(&tree, None)
}

/// "Broken: the policy's identity has no role … (ForbiddenByRbac)." — plain words first.
fn broken_in_words(why: &cmk_core::view::ErrorView) -> String {
    match cmk_core::error::key_access_in_words(&why.code) {
        Some(words) => format!("Broken: {words} ({}).", why.code),
        None => format!("Broken: {}", why.message),
    }
}
