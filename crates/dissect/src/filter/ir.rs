//! The checked form of a filter: typed tests and operands with resolved fields and
//! converted constants (what `check` produces and `compile` / `eval` consume), and the type
//! rules of Wireshark 4.0's ftypes that the checker applies.

use super::functions::Func;
use super::lexer::ArithOp;
use super::literal::is_integer;
use super::regex::Regex;
use super::value::Val;
use crate::field::{FieldDef, FieldType};

/// Which relation a comparison tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rel {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// One node of a slice or layer range, offsets as written (negative from the end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    /// `[i:j]`: start and length.
    Len(i64, i64),
    /// `[i-j]`: start and end, inclusive.
    End(i64, i64),
    /// `[i:]`: start to the end.
    ToEnd(i64),
    /// `[i]`: one element.
    One(i64),
}

/// How a field's instances become values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Load {
    /// The field's value (a protocol's own bytes).
    Value,
    /// The bytes the field covers in the frame (`@field`).
    Raw,
    /// A protocol's bytes through the end of its layer (what `contains` and `matches` search).
    Tvb,
}

#[derive(Clone, Debug)]
pub struct FieldRef {
    pub def: &'static FieldDef,
    /// `field#N` / `field#[ranges]`: only instances in those occurrences of the protocol.
    pub layers: Option<Vec<Range>>,
    pub load: Load,
    /// Assigned by `compile`: the field's slot in the per-frame instance index.
    pub slot: usize,
    /// Assigned by `compile` when `layers` is set: the slot of the field's protocol.
    pub proto_slot: usize,
}

#[derive(Clone, Debug)]
pub enum Operand {
    Field(FieldRef),
    Const(Val<'static>),
    Slice(Box<Operand>, Vec<Range>),
    Func(Func, Vec<Operand>),
    /// Integer results outside the left operand's width (32 or 64 bits) have no value, as
    /// Wireshark reports an overflow instead of wrapping.
    Arith(ArithOp, Box<Operand>, Box<Operand>, u8),
    Neg(Box<Operand>),
    /// `${field}`: the selected frame's value; batch processing has no selected frame.
    Ref,
}

#[derive(Clone, Debug)]
pub enum Test {
    Const(bool),
    Not(Box<Test>),
    And(Box<Test>, Box<Test>),
    Or(Box<Test>, Box<Test>),
    Xor(Box<Test>, Box<Test>),
    Exists(FieldRef),
    /// A bare slice: true when the field is long enough to have those bytes.
    HasValue(Operand),
    /// A bare arithmetic expression: true when some result is non-zero.
    NonZero(Operand),
    Cmp {
        rel: Rel,
        all: bool,
        lhs: Operand,
        rhs: Operand,
    },
    Contains {
        all: bool,
        lhs: Operand,
        rhs: Operand,
    },
    Matches {
        all: bool,
        lhs: Operand,
        re: Regex,
    },
    In {
        all: bool,
        lhs: Operand,
        set: Vec<(Operand, Option<Operand>)>,
    },
}

/// What a relation needs its operands to support.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    Eq,
    Order,
    Contains,
    Matches,
}

pub fn can(cap: Cap, ft: FieldType) -> bool {
    match cap {
        Cap::Eq | Cap::Order => true,
        Cap::Contains | Cap::Matches => {
            matches!(ft, FieldType::String | FieldType::Bytes | FieldType::Ether | FieldType::Protocol | FieldType::None)
        }
    }
}

pub fn can_slice(ft: FieldType) -> bool {
    matches!(ft, FieldType::String | FieldType::Bytes | FieldType::Ether | FieldType::Ipv4 | FieldType::Ipv6 | FieldType::Protocol)
}

/// Types Wireshark compares as byte strings without converting them.
pub fn is_bytes_type(ft: FieldType) -> bool {
    matches!(ft, FieldType::Ether | FieldType::Bytes | FieldType::Ipv6)
}

pub fn compatible(a: FieldType, b: FieldType) -> bool {
    let bytes = |t: FieldType| matches!(t, FieldType::Ether | FieldType::Bytes);
    (is_integer(a) && is_integer(b)) || (bytes(a) && bytes(b)) || a == b
}

pub fn can_arith(op: ArithOp, ft: FieldType) -> bool {
    match op {
        ArithOp::Add | ArithOp::Sub => is_integer(ft) || matches!(ft, FieldType::Double | FieldType::RelTime),
        ArithOp::Mul | ArithOp::Div => is_integer(ft) || ft == FieldType::Double,
        ArithOp::Mod => is_integer(ft),
        ArithOp::BitAnd => is_integer(ft) || matches!(ft, FieldType::Bytes | FieldType::Ether),
    }
}

pub fn can_negate(ft: FieldType) -> bool {
    is_integer(ft) || matches!(ft, FieldType::Double | FieldType::RelTime)
}

/// Unary minus on a constant; unsigned values wrap as Wireshark's do.
pub fn negate(v: Val<'static>) -> Val<'static> {
    match v {
        Val::Uint(u) => Val::Uint(u.wrapping_neg()),
        Val::Int(i) => Val::Int(i.wrapping_neg()),
        Val::Double(d) => Val::Double(-d),
        Val::Time(t) => Val::Time(-t),
        other => other,
    }
}

/// A slice or layer range as Wireshark's drange reads it.
pub fn parse_range(text: &str) -> Result<Range, String> {
    let num = |s: &str| -> Result<i64, String> { s.parse::<i64>().map_err(|_| format!("\"{}\" is not a valid number.", s)) };
    let bad = || format!("\"{}\" is not a valid range.", text);
    if let Some((a, b)) = text.split_once(':') {
        let start = if a.is_empty() { 0 } else { num(a)? };
        if b.is_empty() {
            return Ok(Range::ToEnd(start));
        }
        if b.contains(':') {
            return Err(bad());
        }
        let len = num(b)?;
        if len <= 0 {
            return Err(bad());
        }
        return Ok(Range::Len(start, len));
    }
    // `-3-5`, `3--1`: a dash after the first character separates start and end.
    if let Some(k) = text.get(1..).and_then(|t| t.find('-')).map(|k| k + 1) {
        let (a, b) = (&text[..k], &text[k + 1..]);
        if b.is_empty() {
            return Err(bad());
        }
        return Ok(Range::End(num(a)?, num(b)?));
    }
    if text.is_empty() {
        return Err(bad());
    }
    Ok(Range::One(num(text)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_in_every_form() {
        assert_eq!(parse_range("0:4"), Ok(Range::Len(0, 4)));
        assert_eq!(parse_range(":4"), Ok(Range::Len(0, 4)));
        assert_eq!(parse_range("4:"), Ok(Range::ToEnd(4)));
        assert_eq!(parse_range("-4:"), Ok(Range::ToEnd(-4)));
        assert_eq!(parse_range("3-5"), Ok(Range::End(3, 5)));
        assert_eq!(parse_range("-3--1"), Ok(Range::End(-3, -1)));
        assert_eq!(parse_range("7"), Ok(Range::One(7)));
        assert_eq!(parse_range("-1"), Ok(Range::One(-1)));
        assert_eq!(parse_range("1:2:3"), Err("\"1:2:3\" is not a valid range.".into()));
        assert_eq!(parse_range("1-"), Err("\"1-\" is not a valid range.".into()));
        assert_eq!(parse_range("a"), Err("\"a\" is not a valid number.".into()));
    }
}
