//! Expert items as tshark builds them: under the item they qualify, an `Expert Info` node
//! carrying the expert (for colouring) with the expert's own field (e.g.
//! `tcp.analysis.retransmission`, so filters and `-T fields` find it), the message, the
//! severity and the group.

use crate::field::{Base, FieldDef, FieldType};
use crate::tree::{Group, Severity, Tree, Value, NO_NODE};

pub static EXPERT: FieldDef = FieldDef::protocol("Expert Info", "_ws.expert");
pub static MESSAGE: FieldDef = FieldDef::new("Message", "_ws.expert.message", FieldType::String);
pub static GROUP: FieldDef = FieldDef::new("Group", "_ws.expert.group", FieldType::Uint32).base(Base::None);
pub static SEVERITY: FieldDef = FieldDef::new("Severity level", "_ws.expert.severity", FieldType::Uint32).base(Base::None);

pub static FIELDS: &[&FieldDef] = &[&EXPERT, &MESSAGE, &GROUP, &SEVERITY];

/// Wireshark's numeric severity (`PI_NOTE`, ...), the value of `_ws.expert.severity`.
pub fn severity_value(s: Severity) -> u64 {
    match s {
        Severity::Chat => 0x0020_0000,
        Severity::Note => 0x0040_0000,
        Severity::Warn => 0x0060_0000,
        Severity::Error => 0x0080_0000,
    }
}

/// Wireshark's numeric group (`PI_SEQUENCE`, ...), the value of `_ws.expert.group`.
pub fn group_value(g: Group) -> u64 {
    match g {
        Group::Checksum => 0x0100_0000,
        Group::Sequence => 0x0200_0000,
        Group::Undecoded => 0x0500_0000,
        Group::Reassemble => 0x0600_0000,
        Group::Malformed => 0x0700_0000,
        Group::Protocol => 0x0900_0000,
        Group::Deprecated => 0x0e00_0000,
    }
}

/// Adds the expert item `ei` with `message` under `parent`, covering the parent's bytes (tshark's
/// `proto_tree_add_expert`).
pub fn add(tree: &mut Tree, parent: u32, ei: &'static FieldDef, severity: Severity, group: Group, message: &str) -> u32 {
    if !tree.enabled() {
        return NO_NODE;
    }
    let (start, len) = tree.node(parent).map_or((0, 0), |n| (n.start as usize, n.len as usize));
    build(tree, parent, ei, severity, group, message, (start, len), (start, len))
}

/// Attaches the expert item `ei` to the existing item `n` (tshark's `expert_add_info`): the
/// subtree has no bytes of its own.
pub fn attach(tree: &mut Tree, n: u32, ei: &'static FieldDef, severity: Severity, group: Group, message: &str) -> u32 {
    if !tree.enabled() {
        return NO_NODE;
    }
    // `n` is NO_NODE when the tree records only some fields and not that item's.
    let start = tree.node(n).map_or(0, |node| node.start as usize);
    build(tree, n, ei, severity, group, message, (start, 0), (0, 0))
}

/// The `_ws.expert` subtree at `top_bytes`, its expert field and message at `item_bytes`.
/// `message` is display text, as a Wireshark expert's (packet text in it already escaped, an
/// HTTP start line ending in a literal `\r\n`): `_ws.expert.message` shows it as it is.
fn build(tree: &mut Tree, parent: u32, ei: &'static FieldDef, severity: Severity, group: Group, message: &str, top_bytes: (usize, usize), item_bytes: (usize, usize)) -> u32 {
    let top = tree.add(parent, &EXPERT, top_bytes.0, top_bytes.1, Value::None);
    crate::set_label!(tree, top, "[Expert Info ({}/{}): {}]", severity.name(), group.name(), message);
    tree.mark_expert(top, severity, group, message);
    // tshark's order (JSON and PDML show it): the expert's own field, then the hidden message.
    let item = tree.add(top, ei, item_bytes.0, item_bytes.1, Value::None);
    crate::set_label!(tree, item, "[{}]", message);
    let m = tree.add(top, &MESSAGE, item_bytes.0, item_bytes.1, Value::Str(message.to_string()));
    tree.set_hidden(m);
    let s = tree.add(top, &SEVERITY, 0, 0, Value::Uint(severity_value(severity)));
    crate::set_label!(tree, s, "[Severity level: {}]", severity.name());
    let g = tree.add(top, &GROUP, 0, 0, Value::Uint(group_value(group)));
    crate::set_label!(tree, g, "[Group: {}]", group.name());
    for n in [top, item, m, s, g] {
        if let Some(node) = tree.node_mut(n) {
            node.generated = true;
        }
    }
    top
}
