//! Lowers a checked filter into the program `eval` runs: every field the filter mentions gets
//! a slot in the per-frame instance index (so the tree is scanned once per frame, whatever
//! the number of references), and tests that are constant (coloring rules naming protocols
//! Reef lacks) are folded away.

use super::ir::{FieldRef, Operand, Test};
use crate::field::{find_field, FieldDef};

pub struct Program {
    pub root: Test,
    /// The fields whose instances the evaluator indexes, by slot.
    pub fields: Vec<&'static FieldDef>,
    /// A protocol is searched through the end of its layer, which the evaluator measures
    /// from all the nodes that follow it: the tree must be complete.
    pub full_tree: bool,
}

impl Program {
    /// `Some(b)` when the filter's outcome does not depend on the frame.
    pub fn constant(&self) -> Option<bool> {
        match self.root {
            Test::Const(b) => Some(b),
            _ => None,
        }
    }
}

pub fn compile(root: Test) -> Program {
    let mut p = Program { root: Test::Const(true), fields: Vec::new(), full_tree: false };
    let mut root = fold(root);
    assign_test(&mut root, &mut p.fields);
    p.full_tree = uses_tvb(&root);
    p.root = root;
    p
}

fn slot(fields: &mut Vec<&'static FieldDef>, def: &'static FieldDef) -> usize {
    match fields.iter().position(|f| std::ptr::eq(*f, def)) {
        Some(i) => i,
        None => {
            fields.push(def);
            fields.len() - 1
        }
    }
}

fn assign_field(f: &mut FieldRef, fields: &mut Vec<&'static FieldDef>) {
    f.slot = slot(fields, f.def);
    if f.layers.is_some() {
        // A protocol's own layer is counted by its own nodes.
        let proto = find_field(f.def.protocol_abbrev()).unwrap_or(f.def);
        f.proto_slot = slot(fields, proto);
    }
}

fn assign_operand(op: &mut Operand, fields: &mut Vec<&'static FieldDef>) {
    match op {
        Operand::Field(f) => assign_field(f, fields),
        Operand::Slice(b, _) | Operand::Neg(b) => assign_operand(b, fields),
        Operand::Func(_, args) => args.iter_mut().for_each(|a| assign_operand(a, fields)),
        Operand::Arith(_, l, r, _) => {
            assign_operand(l, fields);
            assign_operand(r, fields);
        }
        Operand::Const(_) | Operand::Ref => {}
    }
}

fn assign_test(t: &mut Test, fields: &mut Vec<&'static FieldDef>) {
    match t {
        Test::Const(_) => {}
        Test::Not(x) => assign_test(x, fields),
        Test::And(a, b) | Test::Or(a, b) | Test::Xor(a, b) => {
            assign_test(a, fields);
            assign_test(b, fields);
        }
        Test::Exists(f) => assign_field(f, fields),
        Test::HasValue(op) | Test::NonZero(op) => assign_operand(op, fields),
        Test::Cmp { lhs, rhs, .. } | Test::Contains { lhs, rhs, .. } => {
            assign_operand(lhs, fields);
            assign_operand(rhs, fields);
        }
        Test::Matches { lhs, .. } => assign_operand(lhs, fields),
        Test::In { lhs, set, .. } => {
            assign_operand(lhs, fields);
            for (lo, hi) in set.iter_mut() {
                assign_operand(lo, fields);
                if let Some(h) = hi {
                    assign_operand(h, fields);
                }
            }
        }
    }
}

/// Every field `t` reads (a layer range also reads its protocol), for what a dissection must record.
pub fn test_fields(t: &Test, out: &mut Vec<&'static FieldDef>) {
    let mut t = t.clone();
    assign_test(&mut t, out);
}

fn operand_uses_tvb(op: &Operand) -> bool {
    match op {
        Operand::Field(f) => f.load == super::ir::Load::Tvb,
        Operand::Slice(b, _) | Operand::Neg(b) => operand_uses_tvb(b),
        Operand::Func(_, args) => args.iter().any(operand_uses_tvb),
        Operand::Arith(_, l, r, _) => operand_uses_tvb(l) || operand_uses_tvb(r),
        Operand::Const(_) | Operand::Ref => false,
    }
}

fn uses_tvb(t: &Test) -> bool {
    match t {
        Test::Const(_) | Test::Exists(_) => false,
        Test::Not(x) => uses_tvb(x),
        Test::And(a, b) | Test::Or(a, b) | Test::Xor(a, b) => uses_tvb(a) || uses_tvb(b),
        Test::HasValue(op) | Test::NonZero(op) | Test::Matches { lhs: op, .. } => operand_uses_tvb(op),
        Test::Cmp { lhs, rhs, .. } | Test::Contains { lhs, rhs, .. } => operand_uses_tvb(lhs) || operand_uses_tvb(rhs),
        Test::In { lhs, set, .. } => {
            operand_uses_tvb(lhs) || set.iter().any(|(l, h)| operand_uses_tvb(l) || h.as_ref().map_or(false, operand_uses_tvb))
        }
    }
}

/// Folds boolean constants: `false && x` is `false`, `!false` is `true`, and so on.
fn fold(t: Test) -> Test {
    match t {
        Test::Not(x) => match fold(*x) {
            Test::Const(b) => Test::Const(!b),
            x => Test::Not(Box::new(x)),
        },
        Test::And(a, b) => match (fold(*a), fold(*b)) {
            (Test::Const(false), _) | (_, Test::Const(false)) => Test::Const(false),
            (Test::Const(true), x) | (x, Test::Const(true)) => x,
            (a, b) => Test::And(Box::new(a), Box::new(b)),
        },
        Test::Or(a, b) => match (fold(*a), fold(*b)) {
            (Test::Const(true), _) | (_, Test::Const(true)) => Test::Const(true),
            (Test::Const(false), x) | (x, Test::Const(false)) => x,
            (a, b) => Test::Or(Box::new(a), Box::new(b)),
        },
        Test::Xor(a, b) => match (fold(*a), fold(*b)) {
            (Test::Const(x), Test::Const(y)) => Test::Const(x != y),
            (Test::Const(false), x) | (x, Test::Const(false)) => x,
            (Test::Const(true), x) | (x, Test::Const(true)) => Test::Not(Box::new(x)),
            (a, b) => Test::Xor(Box::new(a), Box::new(b)),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        let t = Test::Or(Box::new(Test::Const(false)), Box::new(Test::Not(Box::new(Test::Const(false)))));
        assert!(matches!(fold(t), Test::Const(true)));
        let x = || {
            Test::Exists(FieldRef {
                def: &crate::proto::tcp::TCP,
                layers: None,
                load: super::super::ir::Load::Value,
                slot: 0,
                proto_slot: 0,
            })
        };
        assert!(matches!(fold(Test::And(Box::new(Test::Const(true)), Box::new(x()))), Test::Exists(_)));
        assert!(matches!(fold(Test::Xor(Box::new(Test::Const(true)), Box::new(x()))), Test::Not(_)));
    }
}
