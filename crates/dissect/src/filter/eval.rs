//! Runs a compiled filter over one frame's dissection tree.
//!
//! The tree is indexed once per frame (the instances of each field the filter mentions), then
//! the test is evaluated with Wireshark's multi-value semantics: a comparison holds for some
//! pair of values (`any`) or for every pair (`all`), and never when a side has no value.

use super::compile::Program;
use super::prejudge::Facts;
use super::functions;
use super::ir::{FieldRef, Load, Operand, Range, Rel, Test};
use super::lexer::ArithOp;
use super::value::{compare, contains, Val};
use crate::field::FieldType;
use crate::tree::{Node, Tree, Value, NO_NODE};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Per-frame index of field instances, reused across frames.
#[derive(Default)]
pub struct Scratch {
    slots: Vec<Vec<u32>>,
}

/// One frame as the evaluator sees it.
pub struct Frame<'a> {
    pub tree: &'a Tree,
    pub data: &'a [u8],
    slots: &'a [Vec<u32>],
    /// What the first pass recorded, which settles the tests the tree was not dissected for.
    facts: Option<&'a Facts<'a>>,
}

/// Whether the frame whose dissection is `tree` (bytes `data`) passes the program.
pub fn run(p: &Program, tree: &Tree, data: &[u8], scratch: &mut Scratch) -> bool {
    run_with(p, tree, data, scratch, None)
}

/// `run` over a tree dissected only as far as the tests `facts` leave open.
pub fn run_with<'a>(p: &'a Program, tree: &'a Tree, data: &'a [u8], scratch: &'a mut Scratch, facts: Option<&'a Facts<'a>>) -> bool {
    scratch.slots.resize_with(p.fields.len(), Vec::new);
    for s in scratch.slots.iter_mut() {
        s.clear();
    }
    if !p.fields.is_empty() {
        for (i, n) in tree.nodes.iter().enumerate() {
            for (k, f) in p.fields.iter().enumerate() {
                if std::ptr::eq(n.field, *f) {
                    scratch.slots[k].push(i as u32);
                }
            }
        }
    }
    let fr = Frame { tree, data, slots: &scratch.slots, facts };
    fr.test(&p.root)
}

pub(super) fn holds(rel: Rel, o: Option<Ordering>) -> bool {
    match o {
        None => false,
        Some(o) => match rel {
            Rel::Eq => o == Ordering::Equal,
            Rel::Ne => o != Ordering::Equal,
            Rel::Gt => o == Ordering::Greater,
            Rel::Ge => o != Ordering::Less,
            Rel::Lt => o == Ordering::Less,
            Rel::Le => o != Ordering::Greater,
        },
    }
}

/// `any`: some value passes; `all`: there are values and every one passes.
fn quantify<T>(vals: &[T], all: bool, f: impl Fn(&T) -> bool) -> bool {
    if all {
        !vals.is_empty() && vals.iter().all(f)
    } else {
        vals.iter().any(f)
    }
}

impl<'a> Frame<'a> {
    fn test(&self, t: &'a Test) -> bool {
        if let Some(f) = self.facts {
            if let Some(b) = f.atom(t) {
                return b;
            }
        }
        match t {
            Test::Const(b) => *b,
            Test::Not(x) => !self.test(x),
            Test::And(a, b) => self.test(a) && self.test(b),
            Test::Or(a, b) => self.test(a) || self.test(b),
            Test::Xor(a, b) => self.test(a) != self.test(b),
            Test::Exists(f) => self.instances(f).next().is_some(),
            Test::HasValue(op) => {
                let mut v = Vec::new();
                self.values(op, &mut v);
                !v.is_empty()
            }
            Test::NonZero(op) => {
                let mut v = Vec::new();
                self.values(op, &mut v);
                v.iter().any(|x| x.is_nonzero())
            }
            Test::Cmp { rel, all, lhs, rhs } => {
                // The common `field == constant`, without collecting values.
                if let (Operand::Field(f), Operand::Const(c), false) = (lhs, rhs, *all) {
                    return self.instances(f).any(|(i, n)| self.load(f, i, n).map_or(false, |v| holds(*rel, compare(&v, c))));
                }
                let mut a = Vec::new();
                self.values(lhs, &mut a);
                if a.is_empty() {
                    return false;
                }
                let mut b = Vec::new();
                self.values(rhs, &mut b);
                if b.is_empty() {
                    return false;
                }
                quantify(&a, *all, |x| quantify(&b, *all, |y| holds(*rel, compare(x, y))))
            }
            Test::Contains { all, lhs, rhs } => {
                let mut a = Vec::new();
                self.values(lhs, &mut a);
                let mut b = Vec::new();
                self.values(rhs, &mut b);
                if b.is_empty() {
                    return false;
                }
                quantify(&a, *all, |x| {
                    let hay = x.bytes();
                    quantify(&b, *all, |y| contains(&hay, &y.bytes()))
                })
            }
            Test::Matches { all, lhs, re } => {
                let mut a = Vec::new();
                self.values(lhs, &mut a);
                quantify(&a, *all, |x| re.is_match(&x.bytes()))
            }
            Test::In { all, lhs, set } => {
                let mut a = Vec::new();
                self.values(lhs, &mut a);
                if a.is_empty() {
                    return false;
                }
                let mut elems = Vec::with_capacity(set.len());
                for (lo, hi) in set {
                    let mut l = Vec::new();
                    self.values(lo, &mut l);
                    let h = hi.as_ref().map(|h| {
                        let mut v = Vec::new();
                        self.values(h, &mut v);
                        v
                    });
                    elems.push((l, h));
                }
                // Wireshark 4.0 tests `all x in {a, b..c}` element by element: all values
                // equal a, or all lie in b..c.
                let member = |x: &Val, (l, h): &(Vec<Val>, Option<Vec<Val>>)| match h {
                    None => l.iter().any(|y| holds(Rel::Eq, compare(x, y))),
                    Some(h) => l.iter().any(|y| holds(Rel::Ge, compare(x, y))) && h.iter().any(|y| holds(Rel::Le, compare(x, y))),
                };
                elems.iter().any(|e| quantify(&a, *all, |x| member(x, e)))
            }
        }
    }

    /// The frame bytes a node covers (clamped to what was captured).
    pub fn node_bytes(&self, n: &Node) -> &'a [u8] {
        let src = self.tree.source_bytes(n.source, self.data);
        let s = (n.start as usize).min(src.len());
        let e = (n.start as usize).saturating_add(n.len as usize).min(src.len());
        &src[s..e]
    }

    /// The instances of a field, restricted to the layers `field#N` asks for.
    pub fn instances<'b>(&'b self, f: &'b FieldRef) -> impl Iterator<Item = (u32, &'a Node)> + 'b {
        let nodes = &self.tree.nodes;
        let protos = f.layers.as_ref().map(|_| &self.slots[f.proto_slot][..]);
        self.slots[f.slot].iter().filter_map(move |&i| {
            if let (Some(ranges), Some(protos)) = (&f.layers, protos) {
                // The layer of an instance: how many of its protocol's nodes come before it.
                let layer = protos.iter().take_while(|&&p| p <= i).count() as i64;
                if layer == 0 || !in_layers(layer, protos.len() as i64, ranges) {
                    return None;
                }
            }
            nodes.get(i as usize).map(|n| (i, n))
        })
    }

    /// End of a protocol's data: the furthest byte of any node at or after it that belongs to
    /// it or to a layer it carries (not to an outer layer, such as an Ethernet trailer).
    fn tvb_end(&self, idx: u32) -> usize {
        let nodes = &self.tree.nodes;
        let top = |mut i: u32| {
            while let Some(p) = nodes.get(i as usize).map(|n| n.parent).filter(|p| *p != NO_NODE) {
                i = p;
            }
            i
        };
        let source = nodes.get(idx as usize).map_or(0, |n| n.source);
        let mut end = 0usize;
        for (j, n) in nodes.iter().enumerate().skip(idx as usize) {
            if n.source == source && (j as u32 == idx || top(j as u32) >= idx) {
                end = end.max(n.start as usize + n.len as usize);
            }
        }
        end
    }

    fn load(&self, f: &FieldRef, idx: u32, n: &'a Node) -> Option<Val<'a>> {
        if f.load == Load::Raw {
            return Some(Val::Bytes(Cow::Borrowed(self.node_bytes(n))));
        }
        let ft = n.field.ftype;
        Some(match &n.value {
            Value::None if ft == FieldType::Protocol => {
                if f.load == Load::Tvb {
                    let src = self.tree.source_bytes(n.source, self.data);
                    let s = (n.start as usize).min(src.len());
                    let e = if idx == 0 { src.len() } else { self.tvb_end(idx).clamp(s, src.len()) };
                    Val::Bytes(Cow::Borrowed(&src[s..e]))
                } else {
                    Val::Bytes(Cow::Borrowed(self.node_bytes(n)))
                }
            }
            Value::None => return None,
            Value::Uint(v) if ft == FieldType::Bool => Val::Uint((*v != 0) as u64),
            Value::Uint(v) => Val::Uint(*v),
            Value::Int(v) => Val::Int(*v),
            Value::Bool(b) => Val::Uint(*b as u64),
            Value::Ipv4(a) => Val::Ipv4(u32::from_be_bytes(*a), 32),
            Value::Ipv6(a) => Val::Ipv6(*a, 128),
            Value::Ether(a) => Val::Ether(*a),
            Value::Bytes => Val::Bytes(Cow::Borrowed(self.node_bytes(n))),
            Value::Str(s) => Val::Str(Cow::Borrowed(s.as_bytes())),
            Value::Double(d) => Val::Double(*d),
            Value::Time(t) => Val::Time(*t),
        })
    }

    /// Appends the values of an operand.
    pub fn values(&self, op: &'a Operand, out: &mut Vec<Val<'a>>) {
        match op {
            Operand::Const(v) => out.push(v.borrowed()),
            Operand::Field(f) => {
                for (i, n) in self.instances(f) {
                    if let Some(v) = self.load(f, i, n) {
                        out.push(v);
                    }
                }
            }
            Operand::Slice(base, ranges) => {
                let mut vals = Vec::new();
                self.values(base, &mut vals);
                for v in vals {
                    if let Some(b) = slice(v, ranges) {
                        out.push(Val::Bytes(b));
                    }
                }
            }
            Operand::Func(f, args) => functions::eval(self, *f, args, out),
            Operand::Neg(x) => {
                let mut vals = Vec::new();
                self.values(x, &mut vals);
                out.extend(vals.into_iter().map(|v| super::ir::negate(v.into_owned())));
            }
            Operand::Arith(op, l, r, bits) => {
                let mut a = Vec::new();
                self.values(l, &mut a);
                if a.is_empty() {
                    return;
                }
                let mut b = Vec::new();
                self.values(r, &mut b);
                for x in &a {
                    for y in &b {
                        if let Some(v) = arith(*op, x, y, *bits) {
                            out.push(v);
                        }
                    }
                }
            }
            Operand::Ref => {}
        }
    }
}

fn in_layers(layer: i64, count: i64, ranges: &[Range]) -> bool {
    let at = |x: i64| if x < 0 { (count + 1).saturating_add(x) } else { x };
    ranges.iter().any(|r| match *r {
        Range::One(i) => layer == at(i),
        Range::Len(s, l) => (at(s)..at(s).saturating_add(l)).contains(&layer),
        Range::End(s, e) => (at(s)..=at(e)).contains(&layer),
        Range::ToEnd(s) => layer >= at(s),
    })
}

/// The bytes a slice selects, or `None` when the value is too short for any of its ranges.
fn slice<'a>(v: Val<'a>, ranges: &[Range]) -> Option<Cow<'a, [u8]>> {
    let bytes: Cow<'a, [u8]> = match v {
        Val::Bytes(b) | Val::Str(b) => b,
        other => Cow::Owned(other.bytes().into_owned()),
    };
    let len = bytes.len() as i64;
    let at = |x: i64| if x < 0 { len.saturating_add(x) } else { x };
    let mut parts = Vec::with_capacity(ranges.len());
    for r in ranges {
        let (s, e) = match *r {
            Range::One(i) => (at(i), at(i).saturating_add(1)),
            Range::Len(s, l) => (at(s), at(s).saturating_add(l)),
            Range::End(s, e) => (at(s), at(e).saturating_add(1)),
            Range::ToEnd(s) => (at(s), len),
        };
        if s < 0 || e > len || s > e || (s == e && !matches!(r, Range::ToEnd(_))) {
            return None;
        }
        parts.push((s as usize, e as usize));
    }
    if parts.len() == 1 {
        let (s, e) = parts[0];
        return Some(match bytes {
            Cow::Borrowed(b) => Cow::Borrowed(&b[s..e]),
            Cow::Owned(b) => Cow::Owned(b[s..e].to_vec()),
        });
    }
    let mut out = Vec::new();
    for (s, e) in parts {
        out.extend_from_slice(&bytes[s..e]);
    }
    Some(Cow::Owned(out))
}

/// One arithmetic operation; `None` for division by zero, incompatible values, or an integer
/// result that does not fit `bits` (Wireshark's overflow and underflow errors).
fn arith<'a>(op: ArithOp, a: &Val, b: &Val, bits: u8) -> Option<Val<'a>> {
    let unsigned = |v: i128| if (0..=(u64::MAX >> (64 - bits as u32)) as i128).contains(&v) { Some(Val::Uint(v as u64)) } else { None };
    let signed = |v: i128| {
        let max = (i64::MAX >> (64 - bits as u32)) as i128;
        if (-max - 1..=max).contains(&v) {
            Some(Val::Int(v as i64))
        } else {
            None
        }
    };
    let int = |v: &Val| match v {
        Val::Uint(u) => Some(*u as i128),
        Val::Int(i) => Some(*i as i128),
        _ => None,
    };
    if let (Some(x), Some(y)) = (int(a), int(b)) {
        let r = int_op(op, x, y)?;
        // The left operand's type decides the result's.
        return if matches!(a, Val::Uint(_)) { unsigned(r) } else { signed(r) };
    }
    Some(match (a, b) {
        (Val::Double(x), Val::Double(y)) => Val::Double(match op {
            ArithOp::Add => x + y,
            ArithOp::Sub => x - y,
            ArithOp::Mul => x * y,
            ArithOp::Div if *y != 0.0 => x / y,
            _ => return None,
        }),
        (Val::Time(x), Val::Time(y)) => Val::Time(match op {
            ArithOp::Add => x.wrapping_add(*y),
            ArithOp::Sub => x.wrapping_sub(*y),
            _ => return None,
        }),
        _ if op == ArithOp::BitAnd => {
            let (x, y) = (a.bytes(), b.bytes());
            Val::Bytes(Cow::Owned(x.iter().zip(y.iter()).map(|(p, q)| p & q).collect()))
        }
        _ => return None,
    })
}

fn int_op(op: ArithOp, x: i128, y: i128) -> Option<i128> {
    Some(match op {
        ArithOp::Add => x.wrapping_add(y),
        ArithOp::Sub => x.wrapping_sub(y),
        ArithOp::Mul => x.wrapping_mul(y),
        ArithOp::Div => x.checked_div(y)?,
        ArithOp::Mod => x.checked_rem(y)?,
        ArithOp::BitAnd => x & y,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_in_every_form() {
        let v = || Val::Bytes(Cow::Borrowed(&[0u8, 1, 2, 3, 4, 5][..]));
        let s = |r: &[Range]| slice(v(), r).map(|c| c.into_owned());
        assert_eq!(s(&[Range::Len(1, 2)]), Some(vec![1, 2]));
        assert_eq!(s(&[Range::End(1, 3)]), Some(vec![1, 2, 3]));
        assert_eq!(s(&[Range::ToEnd(-2)]), Some(vec![4, 5]));
        assert_eq!(s(&[Range::One(-1)]), Some(vec![5]));
        assert_eq!(s(&[Range::One(0), Range::End(2, 3), Range::ToEnd(5)]), Some(vec![0, 2, 3, 5]));
        assert_eq!(s(&[Range::Len(5, 2)]), None);
        assert_eq!(s(&[Range::One(6)]), None);
    }

    #[test]
    fn layer_ranges() {
        assert!(in_layers(2, 3, &[Range::One(2)]));
        assert!(in_layers(3, 3, &[Range::One(-1)]));
        assert!(in_layers(2, 3, &[Range::End(1, 2)]));
        assert!(!in_layers(3, 3, &[Range::Len(1, 2)]));
    }

    #[test]
    fn arithmetic_overflow_has_no_value_like_wireshark() {
        assert_eq!(arith(ArithOp::Sub, &Val::Uint(1), &Val::Uint(2), 32), None);
        assert_eq!(arith(ArithOp::Add, &Val::Uint(1), &Val::Uint(u32::MAX as u64), 32), None);
        assert_eq!(arith(ArithOp::Add, &Val::Uint(1), &Val::Uint(u32::MAX as u64), 64), Some(Val::Uint(1 << 32)));
        assert_eq!(arith(ArithOp::Sub, &Val::Int(-2), &Val::Int(i32::MAX as i64), 32), None);
        assert_eq!(arith(ArithOp::Div, &Val::Uint(1), &Val::Uint(0), 32), None);
        let b = arith(ArithOp::BitAnd, &Val::Bytes(Cow::Owned(vec![8, 0])), &Val::Bytes(Cow::Owned(vec![8])), 32);
        assert_eq!(b, Some(Val::Bytes(Cow::Owned(vec![8]))));
    }
}
