//! The semantic check: resolves words against the field registry, types every operand,
//! converts literals to the type they are compared with, and rejects what Wireshark 4.0's
//! semcheck rejects, with its messages and the span of the offending part.
//!
//! The result is a typed tree (`Test`, `Operand`) that `compile` turns into a program.

use super::functions::{self, Func};
use super::ir::{
    can, can_arith, can_negate, can_slice, compatible, is_bytes_type, negate, parse_range, Cap, FieldRef, Load, Operand, Range, Rel, Test,
};
use super::lexer::CmpOp;
use super::literal::{self, from_char, from_literal, from_string, Target};
use super::parser::{Arith, Entity, EntityKind, Expr, Quant, RangeText, TestKind};
use super::regex::Regex;
use super::{FilterError, Span};
use crate::field::{find_field, FieldDef, FieldType};

/// What a word or other entity turned out to be.
enum Resolved {
    Field(FieldRef),
    /// A word that names no field: a literal, or (lenient mode) a field Reef lacks.
    Literal(String),
    Other,
}

pub struct Checker<'s> {
    pub src: &'s str,
    pub zone: Option<&'s crate::addr::Zone>,
    /// Coloring rules: names Reef does not know are absent fields rather than errors.
    pub lenient: bool,
    /// Names treated as absent fields in lenient mode.
    pub missing: Vec<String>,
}

/// Marks a test that depends on a field Reef does not have (lenient mode only).
pub struct Absent;

impl<'s> Checker<'s> {
    fn text(&self, s: Span) -> &'s str {
        &self.src[s.start..(s.start + s.len).min(self.src.len())]
    }

    fn fail<T>(&self, msg: String, span: Span) -> Result<T, FilterError> {
        Err(FilterError::at(&msg, span))
    }

    pub fn expr(&mut self, e: &Expr) -> Result<Test, FilterError> {
        Ok(match e {
            Expr::Not(x) => Test::Not(Box::new(self.expr(x)?)),
            Expr::And(a, b) => Test::And(Box::new(self.expr(a)?), Box::new(self.expr(b)?)),
            Expr::Or(a, b) => Test::Or(Box::new(self.expr(a)?), Box::new(self.expr(b)?)),
            Expr::Xor(a, b) => Test::Xor(Box::new(self.expr(a)?), Box::new(self.expr(b)?)),
            Expr::Value(a) => self.value_test(a)?,
            Expr::Test(t) => match self.test(t)? {
                Ok(t) => t,
                Err(Absent) => Test::Const(false),
            },
        })
    }

    /// Whether a name Reef does not know may stand for an absent field (lenient mode).
    fn absent(&mut self, name: &str) -> bool {
        let looks_like_field = name.bytes().next().map_or(false, |c| c.is_ascii_alphabetic() || c == b'_');
        if self.lenient && looks_like_field {
            if !self.missing.iter().any(|m| m == name) {
                self.missing.push(name.to_string());
            }
            return true;
        }
        false
    }

    fn value_test(&mut self, a: &Arith) -> Result<Test, FilterError> {
        let e = match a {
            Arith::Ent(e) => e,
            _ => {
                let (op, _) = match self.arith(a, None)? {
                    Ok(x) => x,
                    Err(Absent) => return Ok(Test::Const(false)),
                };
                return Ok(Test::NonZero(op));
            }
        };
        match self.resolve(e)? {
            Resolved::Field(f) => Ok(Test::Exists(f)),
            Resolved::Literal(w) if self.absent(&w) => Ok(Test::Const(false)),
            Resolved::Literal(_) => self.fail(format!("{} is neither a field nor a protocol name.", self.text(e.span)), e.span),
            Resolved::Other => match &e.kind {
                EntityKind::Slice(..) => match self.slice(e)? {
                    Ok(s) => Ok(Test::HasValue(s)),
                    Err(Absent) => Ok(Test::Const(false)),
                },
                // tshark places a function at its name.
                EntityKind::Func { name_span, .. } => self.fail("You cannot test whether a function is present.".into(), *name_span),
                _ => self.fail(format!("{} is neither a field nor a protocol name.", self.text(e.span)), e.span),
            },
        }
    }

    /// Resolves a word, a layered field or `@field`; other entities are `Other`.
    fn resolve(&mut self, e: &Entity) -> Result<Resolved, FilterError> {
        match &e.kind {
            EntityKind::Word(w) => Ok(match find_field(w) {
                Some(def) => Resolved::Field(FieldRef { def, layers: None, load: Load::Value, slot: 0, proto_slot: 0 }),
                None => Resolved::Literal(w.clone()),
            }),
            EntityKind::Layered { name, name_span, layers } => {
                let def = match find_field(name) {
                    Some(d) => d,
                    None if self.absent(name) => return Ok(Resolved::Literal(name.clone())),
                    None => return self.fail(format!("{} is not a valid field", name), *name_span),
                };
                let mut ranges = Vec::new();
                for r in layers {
                    ranges.push(self.range(r)?);
                }
                Ok(Resolved::Field(FieldRef { def, layers: Some(ranges), load: Load::Value, slot: 0, proto_slot: 0 }))
            }
            EntityKind::Raw(inner) => match self.resolve(inner)? {
                Resolved::Field(mut f) => {
                    f.load = Load::Raw;
                    Ok(Resolved::Field(f))
                }
                Resolved::Literal(w) if self.absent(&w) => Ok(Resolved::Literal(w)),
                _ => self.fail(format!("{} is not a valid field", self.text(inner.span)), inner.span),
            },
            _ => Ok(Resolved::Other),
        }
    }

    fn range(&self, r: &RangeText) -> Result<Range, FilterError> {
        parse_range(&r.text).map_err(|m| FilterError::at(&m, r.span))
    }

    fn field_type(f: &FieldRef) -> FieldType {
        if f.load == Load::Raw {
            FieldType::Bytes
        } else {
            f.def.ftype
        }
    }

    /// A slice entity: checks that its base can be sliced.
    fn slice(&mut self, e: &Entity) -> Result<Result<Operand, Absent>, FilterError> {
        let (base, ranges) = match &e.kind {
            EntityKind::Slice(b, r) => (b, r),
            _ => unreachable!("slice() on a non-slice"),
        };
        let mut rs = Vec::new();
        for r in ranges {
            rs.push(self.range(r)?);
        }
        let op = match self.resolve(base)? {
            Resolved::Field(f) => {
                let ft = Self::field_type(&f);
                if !can_slice(ft) {
                    let msg =
                        format!("\"{}\" is a {} and cannot be sliced into a sequence of bytes.", f.def.abbrev, literal::pretty_name(ft));
                    return self.fail(msg, base.span);
                }
                Operand::Field(f)
            }
            Resolved::Literal(w) if self.absent(&w) => return Ok(Err(Absent)),
            Resolved::Literal(_) => return self.fail(format!("Range is not supported for entity {}", self.text(base.span)), base.span),
            Resolved::Other => match &base.kind {
                EntityKind::Slice(..) => match self.slice(base)? {
                    Ok(s) => s,
                    Err(a) => return Ok(Err(a)),
                },
                EntityKind::Func { name, name_span, args } => {
                    let (f, args, ft) = match self.function(name, *name_span, args)? {
                        Ok(x) => x,
                        Err(a) => return Ok(Err(a)),
                    };
                    if !can_slice(ft) {
                        let msg = format!(
                            "Return value of function \"{}\" is a {} and cannot be converted into a sequence of bytes.",
                            name,
                            literal::pretty_name(ft)
                        );
                        return self.fail(msg, base.span);
                    }
                    Operand::Func(f, args)
                }
                _ => return self.fail(format!("Range is not supported for entity {}", self.text(base.span)), base.span),
            },
        };
        Ok(Ok(Operand::Slice(Box::new(op), rs)))
    }

    pub fn function(
        &mut self,
        name: &str,
        name_span: Span,
        args: &[Arith],
    ) -> Result<Result<(Func, Vec<Operand>, FieldType), Absent>, FilterError> {
        let f = match Func::lookup(name) {
            Some(f) => f,
            None => return self.fail(format!("Function '{}' does not exist", name), name_span),
        };
        let (min, max) = f.arity();
        if args.len() < min {
            return self.fail(format!("Function {} needs at least {} arguments.", name, min), name_span);
        }
        if max > 0 && args.len() > max {
            return self.fail(format!("Function {} can only accept {} arguments.", name, max), name_span);
        }
        functions::check(self, f, name, args)
    }

    /// The field an argument names, if it is a plain field (function parameters).
    pub fn arg_field(&mut self, a: &Arith) -> Result<Option<Result<FieldRef, Absent>>, FilterError> {
        match a {
            Arith::Ent(e) => match self.resolve(e)? {
                Resolved::Field(f) => Ok(Some(Ok(f))),
                Resolved::Literal(w) if self.absent(&w) => Ok(Some(Err(Absent))),
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// An arithmetic expression; `lhs` is the type of the other side when there is one
    /// (constants need it to be read).
    pub fn arith(&mut self, a: &Arith, lhs: Option<FieldType>) -> Result<Result<(Operand, FieldType), Absent>, FilterError> {
        match a {
            Arith::Ent(e) => self.arith_entity(e, lhs),
            Arith::Neg(_, e) => {
                if lhs.is_none() && is_constant(e) {
                    return self.fail("Constant arithmetic expression on the LHS is invalid.".into(), e.span);
                }
                let (op, ft) = match self.arith_entity(e, lhs)? {
                    Ok(x) => x,
                    Err(a) => return Ok(Err(a)),
                };
                if !can_negate(ft) {
                    return self.fail(format!("{} cannot -.", ft.ws_name()), e.span);
                }
                let op = match op {
                    Operand::Const(v) => Operand::Const(negate(v)),
                    other => Operand::Neg(Box::new(other)),
                };
                Ok(Ok((op, ft)))
            }
            Arith::Bin(op, op_span, l, r) => {
                if lhs.is_none() {
                    if let Arith::Ent(e) | Arith::Neg(_, e) = &**l {
                        if is_constant(e) {
                            return self.fail("Constant arithmetic expression on the LHS is invalid.".into(), e.span);
                        }
                    }
                }
                let (lo, t1) = match self.arith(l, lhs)? {
                    Ok(x) => x,
                    Err(a) => return Ok(Err(a)),
                };
                let (ro, t2) = match self.arith(r, Some(t1))? {
                    Ok(x) => x,
                    Err(a) => return Ok(Err(a)),
                };
                let opt = self.text(*op_span);
                if !can_arith(*op, t1) {
                    return self.fail(format!("{} cannot {}.", t1.ws_name(), opt), l.span());
                }
                if !can_arith(*op, t2) {
                    return self.fail(format!("{} cannot {}.", t2.ws_name(), opt), r.span());
                }
                if !compatible(t1, t2) {
                    let msg = format!("{} and {} are not type compatible.", self.text(l.span()), self.text(r.span()));
                    return self.fail(msg, r.span());
                }
                let bits = if matches!(t1, FieldType::Uint64) { 64 } else { 32 };
                Ok(Ok((Operand::Arith(*op, Box::new(lo), Box::new(ro), bits), t1)))
            }
        }
    }

    fn arith_entity(&mut self, e: &Entity, lhs: Option<FieldType>) -> Result<Result<(Operand, FieldType), Absent>, FilterError> {
        match self.resolve(e)? {
            Resolved::Field(f) => {
                let ft = Self::field_type(&f);
                Ok(Ok((Operand::Field(f), ft)))
            }
            Resolved::Literal(w) => match lhs {
                Some(t) => {
                    let target = Target { ftype: t, field: None, partial: false, zone: self.zone };
                    let v = from_literal(&target, &w).map_err(|m| FilterError::at(&m, e.span))?;
                    Ok(Ok((Operand::Const(v), t)))
                }
                None if self.absent(&w) => Ok(Err(Absent)),
                None => self.fail("Constant arithmetic expression on the LHS is invalid.".into(), e.span),
            },
            Resolved::Other => match &e.kind {
                EntityKind::Char(c) => match lhs {
                    Some(t) => {
                        let target = Target { ftype: t, field: None, partial: false, zone: self.zone };
                        let v = from_char(&target, *c, self.text(e.span)).map_err(|m| FilterError::at(&m, e.span))?;
                        Ok(Ok((Operand::Const(v), t)))
                    }
                    None => self.fail("Constant arithmetic expression on the LHS is invalid.".into(), e.span),
                },
                EntityKind::Func { name, name_span, args } => {
                    Ok(self.function(name, *name_span, args)?.map(|(f, a, t)| (Operand::Func(f, a), t)))
                }
                EntityKind::Slice(..) => Ok(self.slice(e)?.map(|s| (s, FieldType::Bytes))),
                EntityKind::Ref(inner) => self.reference(inner),
                _ => self.fail(format!("{} is not a valid arithmetic operand.", self.text(e.span)), e.span),
            },
        }
    }

    fn reference(&mut self, inner: &Entity) -> Result<Result<(Operand, FieldType), Absent>, FilterError> {
        match self.resolve(inner)? {
            Resolved::Field(f) => Ok(Ok((Operand::Ref, Self::field_type(&f)))),
            Resolved::Literal(w) if self.absent(&w) => Ok(Err(Absent)),
            _ => self.fail(format!("\"{}\" is not a valid protocol or protocol field.", self.text(inner.span)), inner.span),
        }
    }

    fn test(&mut self, t: &super::parser::Test) -> Result<Result<Test, Absent>, FilterError> {
        let op_text = self.text(t.op);
        let quant_all = |default_all: bool| match t.quant {
            Some(Quant::All) => true,
            Some(Quant::Any) => false,
            None => default_all,
        };
        match &t.kind {
            TestKind::Cmp(c, l, r) => {
                let (rel, default_all, cap) = match c {
                    CmpOp::AnyEq => (Rel::Eq, false, Cap::Eq),
                    CmpOp::AllNe => (Rel::Ne, true, Cap::Eq),
                    CmpOp::AllEq => (Rel::Eq, true, Cap::Eq),
                    CmpOp::AnyNe => (Rel::Ne, false, Cap::Eq),
                    CmpOp::Gt => (Rel::Gt, false, Cap::Order),
                    CmpOp::Ge => (Rel::Ge, false, Cap::Order),
                    CmpOp::Lt => (Rel::Lt, false, Cap::Order),
                    CmpOp::Le => (Rel::Le, false, Cap::Order),
                };
                let lhs_msg = format!("\"{}\"", op_text);
                let (lhs, ft, field) = match self.lhs(l, &lhs_msg, cap, op_text)? {
                    Ok(x) => x,
                    Err(a) => return Ok(Err(a)),
                };
                let (lhs, rhs) = match self.rhs(lhs, ft, field, l.span(), r, cap, false)? {
                    Ok(x) => x,
                    Err(a) => return Ok(Err(a)),
                };
                Ok(Ok(Test::Cmp { rel, all: quant_all(default_all), lhs, rhs }))
            }
            TestKind::Contains(l, r) => {
                let la = Arith::Ent(l.clone());
                let (mut lhs, ft, field) = match self.lhs(&la, op_text, Cap::Contains, op_text)? {
                    Ok(x) => x,
                    Err(a) => return Ok(Err(a)),
                };
                tvb(&mut lhs);
                let (lhs, rhs) = match self.rhs(lhs, ft, field, l.span, &Arith::Ent(r.clone()), Cap::Contains, true)? {
                    Ok(x) => x,
                    Err(a) => return Ok(Err(a)),
                };
                Ok(Ok(Test::Contains { all: quant_all(false), lhs, rhs }))
            }
            TestKind::Matches(l, r) => {
                let pattern = match &r.kind {
                    EntityKind::Str(s) => s.clone(),
                    _ => return self.fail("Matches requires a double quoted string on the right side.".into(), r.span),
                };
                let re = Regex::new(&pattern).map_err(|m| FilterError::new(&format!("Regex compilation error: {}.", m)))?;
                let la = Arith::Ent(l.clone());
                let (mut lhs, _, _) = match self.lhs(&la, op_text, Cap::Matches, op_text)? {
                    Ok(x) => x,
                    Err(a) => return Ok(Err(a)),
                };
                tvb(&mut lhs);
                Ok(Ok(Test::Matches { all: quant_all(false), lhs, re }))
            }
            TestKind::In { lhs, set, negated } => {
                let f = match self.resolve(lhs)? {
                    Resolved::Field(f) => f,
                    Resolved::Literal(w) if self.absent(&w) => return Ok(Err(Absent)),
                    _ => return self.fail("Only a field may be tested for membership in a set.".into(), lhs.span),
                };
                let ft = Self::field_type(&f);
                let def = f.def;
                let lhs_span = lhs.span;
                let mut lhs_op = Operand::Field(f);
                let mut elems = Vec::new();
                for el in set {
                    let one =
                        |c: &mut Self, a: &Arith, cap: Cap, lhs_op: Operand| -> Result<Result<(Operand, Operand), Absent>, FilterError> {
                            if let Arith::Ent(Entity { kind: EntityKind::Slice(..), span }) = a {
                                return c.fail("A slice may not appear inside a set.".into(), *span);
                            }
                            c.rhs(lhs_op, ft, Some(def), lhs_span, a, cap, false)
                        };
                    let cap = if el.hi.is_some() { Cap::Order } else { Cap::Eq };
                    let (l2, lo) = match one(self, &el.lo, cap, lhs_op)? {
                        Ok(x) => x,
                        Err(a) => return Ok(Err(a)),
                    };
                    lhs_op = l2;
                    let hi = match &el.hi {
                        Some(h) => {
                            let (l3, hv) = match one(self, h, cap, lhs_op)? {
                                Ok(x) => x,
                                Err(a) => return Ok(Err(a)),
                            };
                            lhs_op = l3;
                            Some(hv)
                        }
                        None => None,
                    };
                    elems.push((lo, hi));
                }
                let t = Test::In { all: quant_all(false), lhs: lhs_op, set: elems };
                Ok(Ok(if *negated { Test::Not(Box::new(t)) } else { t }))
            }
        }
    }

    /// The left side of a relation: its operand, type, and field (for value strings).
    fn lhs(
        &mut self,
        l: &Arith,
        shown_op: &str,
        cap: Cap,
        op_text: &str,
    ) -> Result<Result<(Operand, FieldType, Option<&'static FieldDef>), Absent>, FilterError> {
        let e = match l {
            Arith::Ent(e) => e,
            _ => return Ok(self.arith(l, None)?.map(|(o, t)| (o, t, None))),
        };
        let not_field = |c: &Self| {
            let msg = format!("Left side of {} expression must be a field or function, not {}.", shown_op, c.text(e.span));
            c.fail(msg, e.span)
        };
        match self.resolve(e)? {
            Resolved::Field(f) => {
                let ft = Self::field_type(&f);
                if !can(cap, ft) {
                    let msg = format!("{} (type={}) cannot participate in {} comparison.", f.def.abbrev, literal::pretty_name(ft), op_text);
                    return self.fail(msg, e.span);
                }
                let def = f.def;
                Ok(Ok((Operand::Field(f), ft, Some(def))))
            }
            Resolved::Literal(w) if self.absent(&w) => Ok(Err(Absent)),
            Resolved::Literal(_) => not_field(self),
            Resolved::Other => match &e.kind {
                EntityKind::Slice(..) => Ok(self.slice(e)?.map(|s| (s, FieldType::Bytes, None))),
                EntityKind::Func { name, name_span, args } => {
                    let (f, args, ft) = match self.function(name, *name_span, args)? {
                        Ok(x) => x,
                        Err(a) => return Ok(Err(a)),
                    };
                    if !can(cap, ft) {
                        let msg =
                            format!("Function {} (type={}) cannot participate in {} comparison.", name, literal::pretty_name(ft), op_text);
                        return self.fail(msg, *name_span);
                    }
                    Ok(Ok((Operand::Func(f, args), ft, None)))
                }
                EntityKind::Ref(inner) => Ok(self.reference(inner)?.map(|(o, t)| (o, t, None))),
                _ => not_field(self),
            },
        }
    }

    /// The right side, converted to the left side's type (the left side may become bytes).
    fn rhs(
        &mut self,
        lhs: Operand,
        ft: FieldType,
        field: Option<&'static FieldDef>,
        lhs_span: Span,
        r: &Arith,
        cap: Cap,
        partial: bool,
    ) -> Result<Result<(Operand, Operand), Absent>, FilterError> {
        let lhs_is_slice = matches!(lhs, Operand::Slice(..));
        let target_ft = if lhs_is_slice { FieldType::Bytes } else { ft };
        let target = Target { ftype: target_ft, field: if lhs_is_slice { None } else { field }, partial, zone: self.zone };
        let e = match r {
            Arith::Ent(e) => e,
            _ => {
                let (op, t2) = match self.arith(r, Some(target_ft))? {
                    Ok(x) => x,
                    Err(a) => return Ok(Err(a)),
                };
                if !compatible(target_ft, t2) {
                    let msg = format!("{} and {} are not of compatible types.", self.lhs_name(&lhs), self.text(r.span()));
                    return self.fail(msg, r.span());
                }
                return Ok(Ok((lhs, op)));
            }
        };
        let conv = |m: String| FilterError::at(&m, e.span);
        match self.resolve(e)? {
            Resolved::Field(f) => {
                let t2 = Self::field_type(&f);
                let shown = self.text(e.span);
                if lhs_is_slice {
                    if is_bytes_type(t2) {
                        return Ok(Ok((lhs, Operand::Field(f))));
                    }
                    if !can_slice(t2) {
                        let msg =
                            format!("\"{}\" is a {} and cannot be converted into a sequence of bytes.", shown, literal::pretty_name(t2));
                        return self.fail(msg, e.span);
                    }
                    return Ok(Ok((lhs, Operand::Slice(Box::new(Operand::Field(f)), vec![Range::ToEnd(0)]))));
                }
                if !compatible(ft, t2) {
                    let msg = format!("{} and {} are not of compatible types.", self.lhs_name(&lhs), shown);
                    return self.fail(msg, e.span);
                }
                if !can(cap, t2) {
                    let msg = format!("{} (type={}) cannot participate in specified comparison.", shown, literal::pretty_name(t2));
                    return self.fail(msg, e.span);
                }
                Ok(Ok((lhs, Operand::Field(f))))
            }
            Resolved::Literal(w) => Ok(Ok((lhs, Operand::Const(from_literal(&target, &w).map_err(conv)?)))),
            Resolved::Other => match &e.kind {
                EntityKind::Str(s) => Ok(Ok((lhs, Operand::Const(from_string(&target, s, self.text(e.span)).map_err(conv)?)))),
                EntityKind::Char(c) => Ok(Ok((lhs, Operand::Const(from_char(&target, *c, self.text(e.span)).map_err(conv)?)))),
                EntityKind::Slice(..) => {
                    let s = match self.slice(e)? {
                        Ok(s) => s,
                        Err(a) => return Ok(Err(a)),
                    };
                    if is_bytes_type(ft) || lhs_is_slice {
                        return Ok(Ok((lhs, s)));
                    }
                    if !can_slice(ft) {
                        let msg = format!(
                            "\"{}\" is a {} and cannot be converted into a sequence of bytes.",
                            self.lhs_name(&lhs),
                            literal::pretty_name(ft)
                        );
                        return self.fail(msg, lhs_span);
                    }
                    Ok(Ok((Operand::Slice(Box::new(lhs), vec![Range::ToEnd(0)]), s)))
                }
                EntityKind::Func { name, name_span, args } => {
                    let (f, args, t2) = match self.function(name, *name_span, args)? {
                        Ok(x) => x,
                        Err(a) => return Ok(Err(a)),
                    };
                    if !compatible(target_ft, t2) {
                        let msg = format!(
                            "{} (type={}) and return value of {}() (type={}) are not of compatible types.",
                            self.lhs_name(&lhs),
                            literal::pretty_name(target_ft),
                            name,
                            literal::pretty_name(t2)
                        );
                        return self.fail(msg, e.span);
                    }
                    Ok(Ok((lhs, Operand::Func(f, args))))
                }
                EntityKind::Ref(inner) => Ok(self.reference(inner)?.map(|(o, _)| (lhs, o))),
                _ => self.fail(format!("\"{}\" was unexpected in this context.", self.text(e.span)), e.span),
            },
        }
    }

    fn lhs_name(&self, lhs: &Operand) -> String {
        match lhs {
            Operand::Field(f) => f.def.abbrev.to_string(),
            Operand::Func(f, _) => format!("{}()", f.name()),
            _ => "slice".to_string(),
        }
    }
}

/// Protocols under `contains` / `matches` are searched through the end of their layer.
fn tvb(op: &mut Operand) {
    if let Operand::Field(f) = op {
        if f.def.ftype == FieldType::Protocol && f.load == Load::Value {
            f.load = Load::Tvb;
        }
    }
}

fn is_constant(e: &Entity) -> bool {
    match &e.kind {
        EntityKind::Word(w) => find_field(w).is_none(),
        EntityKind::Str(_) | EntityKind::Char(_) => true,
        _ => false,
    }
}
