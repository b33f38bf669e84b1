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
/// Each column's narrowest width; a column widens to its longest line, up to `MAX_W`.
const MIN_WIDTHS: [f64; 5] = [130.0, 140.0, 170.0, 120.0, 236.0];
const MAX_W: f64 = 320.0;
const GAP: f64 = 28.0;
/// The width of one character of the boxes' text, near enough for layout.
const CHAR_W: f64 = 5.6;

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// A box with up to three lines; `class` styles it (ok, broken, muted).
struct Node {
    col: usize,
    y: f64,
    lines: Vec<String>,
    class: &'static str,
    title: String,
}

/// A link from the right side of a box in `from` to the left side of one in `to`.
struct Edge {
    from: usize,
    y1: f64,
    to: usize,
    y2: f64,
    broken: Option<String>,
    label: String,
}

/// Where the columns stand: each as wide as its longest line (within bounds), so names are never
/// cut; a line longer than `MAX_W` allows is drawn narrower (SVG's textLength), still whole.
struct Layout {
    x: [f64; 5],
    w: [f64; 5],
    width: f64,
}

impl Layout {
    fn of(nodes: &[Node]) -> Self {
        let mut w = MIN_WIDTHS;
        for n in nodes {
            let longest = n.lines.iter().take(3).map(|l| l.chars().count()).max().unwrap_or(0);
            w[n.col] = w[n.col].max((longest as f64 * CHAR_W + 12.0).min(MAX_W));
        }
        let mut x = [4.0; 5];
        for c in 1..5 {
            x[c] = x[c - 1] + w[c - 1] + GAP;
        }
        Layout { x, w, width: x[4] + w[4] + 4.0 }
    }

    fn node(&self, n: &Node) -> Html {
        let (x, w) = (self.x[n.col], self.w[n.col]);
        html! {
            <g class={classes!("node", n.class)}>
                <title>{ &n.title }</title>
                <rect x={format!("{x}")} y={format!("{}", n.y)} width={format!("{w}")} height={format!("{BOX_H}")} rx="3" />
                { for n.lines.iter().take(3).enumerate().map(|(i, l)| {
                    let fits = l.chars().count() as f64 * CHAR_W + 12.0 <= w;
                    html! {
                        <text x={format!("{}", x + 6.0)} y={format!("{}", n.y + 13.0 + 11.0 * i as f64)} class={if i == 0 { "t1" } else { "t2" }}
                            textLength={(!fits).then(|| format!("{}", w - 12.0))} lengthAdjust={(!fits).then_some("spacingAndGlyphs")}>{ l }</text>
                    }
                }) }
            </g>
        }
    }

    fn edge(&self, e: &Edge) -> Html {
        let (x1, x2) = (self.x[e.from] + self.w[e.from], self.x[e.to]);
        let (a, b) = (e.y1 + BOX_H / 2.0, e.y2 + BOX_H / 2.0);
        let mid = (x1 + x2) / 2.0;
        let title = match &e.broken {
            Some(why) => format!("Broken: {why}"),
            None => e.label.clone(),
        };
        html! {
            <g class={classes!("edge", e.broken.as_ref().map(|_| "broken"))}>
                <title>{ title }</title>
                <path d={format!("M{x1},{a} C{mid},{a} {mid},{b} {x2},{b}")} />
                if e.broken.is_some() { <text x={format!("{}", mid - 4.0)} y={format!("{}", (a + b) / 2.0 + 4.0)} class="cross">{"✕"}</text> }
            </g>
        }
    }
}

fn node(col: usize, y: f64, lines: &[String], class: &'static str, title: &str) -> Node {
    Node { col, y, lines: lines.to_vec(), class, title: title.to_string() }
}

fn edge(from: usize, y1: f64, to: usize, y2: f64, broken: Option<&str>, label: &str) -> Edge {
    Edge { from, y1, to, y2, broken: broken.map(str::to_string), label: label.to_string() }
}

/// The environments column and their services, from `row` down, linked to the identity at `id_y`.
fn environments(nodes: &mut Vec<Node>, edges: &mut Vec<Edge>, envs: &[&KeyTreeEnvironment], id_y: f64, mut row: f64) {
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
        edges.push(edge(2, id_y, 3, env_y, (e.locked || e.deleted).then_some(state), "enterprise policy"));
        nodes.push(node(
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
            edges.push(edge(3, env_y, 4, y, s.broken.as_ref().map(|b| b.message.as_str()), &s.wrap));
            nodes.push(node(
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
    let (mut nodes, mut edges): (Vec<Node>, Vec<Edge>) = (Vec::new(), Vec::new());
    // Microsoft's own key (drawn for an environment without a policy) has no vault of ours.
    let microsoft = tree.policy_id.is_empty();
    let store = match (microsoft, tree.managed_hsm) {
        (true, _) => "held by Microsoft",
        (false, true) => "Managed HSM",
        (false, false) => "Key vault",
    };
    nodes.push(node(
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
        edges.push(edge(0, key_y, 1, y, (v.status != "Enabled").then_some(v.status.as_str()), "a version of the key"));
        nodes.push(node(1, y, &[format!("Version {}", clip(&v.version, 9)), status, third.into()], class, &v.version));
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
    nodes.push(node(
        2,
        id_y,
        &identity_lines,
        id_class,
        &format!("{} — principal {}", identity_lines.join(" — "), tree.identity.principal_id),
    ));
    // From the current version, or straight from the key when there are no versions to show.
    edges.push(edge(
        if versions.is_empty() { 0 } else { 1 },
        current_y.unwrap_or(key_y),
        2,
        id_y,
        tree.identity.broken.as_ref().map(|b| b.message.as_str()),
        "wrapKey / unwrapKey as the policy's managed identity",
    ));
    environments(&mut nodes, &mut edges, &envs, id_y, mid(service_rows.max(1)));
    let broken = tree.identity.broken.is_some() || envs.iter().any(|e| e.services.iter().any(|s| s.broken.is_some()));
    let layout = Layout::of(&nodes);
    html! {
        <figure class="key-hierarchy" data-testid="key-hierarchy">
            <svg viewBox={format!("0 0 {} {height}", layout.width)} width="100%" role="img"
                aria-label={format!("Key hierarchy of {}: {}", tree.policy, if broken { "some links are broken" } else { "every link works" })}>
                { for edges.iter().map(|e| layout.edge(e)) }
                { for nodes.iter().map(|n| layout.node(n)) }
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
