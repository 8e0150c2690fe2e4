//! The display filter functions Wireshark 4.0 has: `len count string upper lower abs max
//! min`. Each is checked (argument kinds and types, with 4.0's messages) and evaluated here.

use super::check::{Absent, Checker};
use super::eval::Frame;
use super::ir::Operand;
use super::literal::is_integer;
use super::parser::{Arith, EntityKind};
use super::value::{compare, Val};
use super::FilterError;
use crate::field::FieldType;
use crate::tree::Value;
use std::borrow::Cow;
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Len,
    Count,
    String,
    Upper,
    Lower,
    Abs,
    Max,
    Min,
}

const ALL: [Func; 8] = [Func::Len, Func::Count, Func::String, Func::Upper, Func::Lower, Func::Abs, Func::Max, Func::Min];

impl Func {
    pub fn name(self) -> &'static str {
        match self {
            Func::Len => "len",
            Func::Count => "count",
            Func::String => "string",
            Func::Upper => "upper",
            Func::Lower => "lower",
            Func::Abs => "abs",
            Func::Max => "max",
            Func::Min => "min",
        }
    }

    pub fn lookup(name: &str) -> Option<Func> {
        ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Minimum and maximum argument counts (0 = no maximum).
    pub fn arity(self) -> (usize, usize) {
        match self {
            Func::Max | Func::Min => (1, 0),
            _ => (1, 1),
        }
    }
}

fn numeric(ft: FieldType) -> bool {
    is_integer(ft) || matches!(ft, FieldType::Double | FieldType::RelTime)
}

type Checked = Result<Result<(Func, Vec<Operand>, FieldType), Absent>, FilterError>;

pub fn check(c: &mut Checker, f: Func, name: &str, args: &[Arith]) -> Checked {
    let arg = &args[0];
    let src = c.src;
    let shown = |a: &Arith| c_text(src, a);
    match f {
        Func::Len | Func::Count | Func::String | Func::Upper | Func::Lower => {
            let field = match c.arg_field(arg)? {
                Some(Ok(fr)) => Some(fr),
                Some(Err(a)) => return Ok(Err(a)),
                None => None,
            };
            let string_only = matches!(f, Func::Upper | Func::Lower);
            let fr = match field {
                Some(fr) if !string_only || fr.def.ftype == FieldType::String => fr,
                _ => {
                    let what = if string_only { "string type fields" } else { "fields" };
                    let msg = format!("Only {} can be used as parameter for {}()", what, name);
                    // tshark has no location for a slice argument.
                    return match arg {
                        Arith::Ent(e) if matches!(e.kind, EntityKind::Slice(..)) => Err(FilterError::new(&msg)),
                        _ => Err(FilterError::at(&msg, arg.span())),
                    };
                }
            };
            let ft = fr.def.ftype;
            let ret = match f {
                Func::Len | Func::Count => FieldType::Uint32,
                Func::String => {
                    let ok = (is_integer(ft) || matches!(ft, FieldType::Ipv4 | FieldType::Ipv6 | FieldType::Ether))
                        && fr.load == super::ir::Load::Value;
                    if !ok {
                        let msg = format!("String conversion for field \"{}\" is not supported", fr.def.abbrev);
                        return Err(FilterError::at(&msg, arg.span()));
                    }
                    FieldType::String
                }
                _ => FieldType::String,
            };
            Ok(Ok((f, vec![Operand::Field(fr)], ret)))
        }
        Func::Abs => {
            let (op, ft) = match c.arith(arg, None)? {
                Ok(x) => x,
                Err(a) => return Ok(Err(a)),
            };
            if !numeric(ft) {
                return Err(FilterError::at(&format!("'{}' is not a valid argument to '{}'()", shown(arg), name), arg.span()));
            }
            Ok(Ok((f, vec![op], ft)))
        }
        Func::Max | Func::Min => {
            let mut ops = Vec::new();
            let mut first: Option<FieldType> = None;
            for a in args {
                if let Arith::Ent(e) = a {
                    let literal = match &e.kind {
                        EntityKind::Word(w) => crate::field::find_field(w).is_none() && !c.lenient,
                        EntityKind::Str(_) | EntityKind::Char(_) => true,
                        _ => false,
                    };
                    if literal {
                        return Err(FilterError::at(&format!("Argument '{}' is not valid for {}()", shown(a), name), a.span()));
                    }
                }
                let (op, ft) = match c.arith(a, None)? {
                    Ok(x) => x,
                    Err(x) => return Ok(Err(x)),
                };
                match first {
                    None => first = Some(ft),
                    Some(t) if t != ft => {
                        let msg =
                            format!("Arguments to '{}' must have the same type (expected {}, got {})", name, t.ws_name(), ft.ws_name());
                        return Err(FilterError::at(&msg, a.span()));
                    }
                    _ => {}
                }
                ops.push(op);
            }
            let ft = first.unwrap_or(FieldType::Uint32);
            if !numeric(ft) && !matches!(ft, FieldType::AbsTime) {
                let msg = format!("'{}' is not a valid argument to '{}'()", shown(&args[0]), name);
                return Err(FilterError::at(&msg, args[0].span()));
            }
            Ok(Ok((f, ops, ft)))
        }
    }
}

fn c_text(src: &str, a: &Arith) -> String {
    let s = a.span();
    src[s.start..(s.start + s.len).min(src.len())].to_string()
}

/// Bytes a field instance occupies as `len()` counts them.
fn value_len(fr: &Frame, ft: FieldType, node: &crate::tree::Node) -> u64 {
    match (&node.value, ft) {
        (Value::Str(s), _) => s.len() as u64,
        (Value::Ether(_), _) => 6,
        (Value::Ipv4(_), _) => 4,
        (Value::Ipv6(_), _) => 16,
        (_, FieldType::Uint8) | (_, FieldType::Bool) => 1,
        (_, FieldType::Uint16) => 2,
        (_, FieldType::Uint24) => 3,
        (_, FieldType::Uint32) | (_, FieldType::Int32) | (_, FieldType::FrameNum) => 4,
        (_, FieldType::Uint64) | (_, FieldType::Double) => 8,
        _ => fr.node_bytes(node).len() as u64,
    }
}

fn display(v: &Val) -> Vec<u8> {
    let mut s = String::new();
    match v {
        Val::Uint(u) => s = u.to_string(),
        Val::Int(i) => s = i.to_string(),
        Val::Ipv4(a, _) => crate::addr::write_ipv4(&mut s, a.to_be_bytes()),
        Val::Ipv6(a, _) => crate::addr::write_ipv6(&mut s, a),
        Val::Ether(a) => crate::addr::write_ether(&mut s, a),
        other => return other.bytes().into_owned(),
    }
    s.into_bytes()
}

/// Evaluates a function call into `out`.
pub fn eval<'a>(fr: &Frame<'a>, f: Func, args: &'a [Operand], out: &mut Vec<Val<'a>>) {
    match f {
        Func::Len | Func::Count => {
            let field = match args.first() {
                Some(Operand::Field(r)) => r,
                _ => return,
            };
            if f == Func::Count {
                let n = fr.instances(field).count();
                if n > 0 {
                    out.push(Val::Uint(n as u64));
                }
                return;
            }
            for (_, node) in fr.instances(field) {
                if field.def.ftype == FieldType::None {
                    continue;
                }
                out.push(Val::Uint(value_len(fr, field.def.ftype, node)));
            }
        }
        Func::String | Func::Upper | Func::Lower => {
            let mut vals = Vec::new();
            fr.values(&args[0], &mut vals);
            for v in vals {
                let text = match f {
                    Func::String => Cow::Owned(display(&v)),
                    Func::Upper => Cow::Owned(v.bytes().to_ascii_uppercase()),
                    _ => Cow::Owned(v.bytes().to_ascii_lowercase()),
                };
                out.push(Val::Str(text));
            }
        }
        Func::Abs => {
            let mut vals = Vec::new();
            fr.values(&args[0], &mut vals);
            out.extend(vals.into_iter().map(|v| match v {
                Val::Int(i) => Val::Int(i.wrapping_abs()),
                Val::Double(d) => Val::Double(d.abs()),
                Val::Time(t) => Val::Time(t.wrapping_abs()),
                other => other,
            }));
        }
        Func::Max | Func::Min => {
            let mut vals = Vec::new();
            for a in args {
                fr.values(a, &mut vals);
            }
            let want = if f == Func::Max { Ordering::Greater } else { Ordering::Less };
            let mut best: Option<Val<'a>> = None;
            for v in vals {
                best = match best {
                    Some(b) if compare(&v, &b) != Some(want) => Some(b),
                    _ => Some(v),
                };
            }
            if let Some(b) = best {
                out.push(b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::literal::pretty_name;

    #[test]
    fn names_and_arity() {
        assert_eq!(Func::lookup("len"), Some(Func::Len));
        assert_eq!(Func::lookup("LEN"), None);
        assert_eq!(Func::lookup("vals"), None);
        assert_eq!(Func::Max.arity(), (1, 0));
        assert_eq!(pretty_name(FieldType::Uint16), "Unsigned integer (2 bytes)");
    }
}
