//! Tokens to a syntax tree, with Wireshark's grammar (epan/dfilter/grammar.lemon, 4.0) plus
//! `xor`/`^^` (4.2): `not` binds tightest, then `and`, `xor`, `or`; parentheses group tests,
//! braces group arithmetic; `a < b < c` means `a < b and b < c`.
//!
//! Nothing here knows the field registry: a word stays a word until the checker decides
//! whether it names a field or is a literal.

use super::lexer::{lex, ArithOp, CmpOp, Tok, Token};
use super::{FilterError, Span};

#[derive(Clone, Debug)]
pub enum Expr {
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Xor(Box<Expr>, Box<Expr>),
    Test(Test),
    /// A bare value: existence of a field, or a non-zero arithmetic result.
    Value(Arith),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quant {
    Any,
    All,
}

#[derive(Clone, Debug)]
pub struct Test {
    /// An explicit `any` / `all` prefix.
    pub quant: Option<Quant>,
    pub kind: TestKind,
    /// The operator token (its text is what tshark's messages quote).
    pub op: Span,
}

#[derive(Clone, Debug)]
pub enum TestKind {
    Cmp(CmpOp, Arith, Arith),
    Contains(Entity, Entity),
    Matches(Entity, Entity),
    In { lhs: Entity, set: Vec<SetElem>, negated: bool },
}

#[derive(Clone, Debug)]
pub struct SetElem {
    pub lo: Arith,
    pub hi: Option<Arith>,
}

#[derive(Clone, Debug)]
pub enum Arith {
    Ent(Entity),
    /// Unary minus on an entity.
    Neg(Span, Entity),
    Bin(ArithOp, Span, Box<Arith>, Box<Arith>),
}

impl Arith {
    /// The source text the node covers.
    pub fn span(&self) -> Span {
        match self {
            Arith::Ent(e) => e.span,
            Arith::Neg(op, e) => op.join(e.span),
            Arith::Bin(_, _, l, r) => l.span().join(r.span()),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Entity {
    pub kind: EntityKind,
    pub span: Span,
}

/// A slice or layer range as written (`1:2`, `-4:`, `3-5`, `7`).
#[derive(Clone, Debug)]
pub struct RangeText {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum EntityKind {
    /// A field name or a literal.
    Word(String),
    Str(Vec<u8>),
    Char(u64),
    /// `name#N` or `name#[ranges]`.
    Layered {
        name: String,
        name_span: Span,
        layers: Vec<RangeText>,
    },
    /// `@field`: the field's raw bytes.
    Raw(Box<Entity>),
    Slice(Box<Entity>, Vec<RangeText>),
    Func {
        name: String,
        name_span: Span,
        args: Vec<Arith>,
    },
    /// `${field}`: a value from the selected frame.
    Ref(Box<Entity>),
}

/// Parses a whole filter. An empty filter (only blanks) is `None`: it matches everything.
pub fn parse(src: &str) -> Result<Option<Expr>, FilterError> {
    let tokens = lex(src)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut p = Parser { src, tokens, pos: 0 };
    let e = p.expr()?;
    match p.peek() {
        None => Ok(Some(e)),
        Some(_) => Err(p.unexpected()),
    }
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn peek_at(&self, k: usize) -> Option<&Tok> {
        self.tokens.get(self.pos + k).map(|t| &t.tok)
    }

    fn span(&self) -> Span {
        self.tokens.get(self.pos).map_or(Span::new(self.src.len(), 0), |t| t.span)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// tshark's syntax error for the current token (or the end of the filter).
    fn unexpected(&self) -> FilterError {
        match self.tokens.get(self.pos) {
            None => FilterError::new("Unexpected end of filter expression."),
            Some(t) => FilterError::at(&format!("\"{}\" was unexpected in this context.", t.text(self.src)), t.span),
        }
    }

    fn expect(&mut self, tok: Tok) -> Result<Span, FilterError> {
        if self.peek() == Some(&tok) {
            let s = self.span();
            self.pos += 1;
            Ok(s)
        } else {
            Err(self.unexpected())
        }
    }

    fn expr(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.xor()?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            let right = self.xor()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn xor(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Tok::Xor) {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Xor(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        match self.peek() {
            Some(Tok::Not) => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(Tok::RParen)?;
                Ok(e)
            }
            _ => self.relation(),
        }
    }

    fn relation(&mut self) -> Result<Expr, FilterError> {
        let quant = match self.peek() {
            Some(Tok::Any) => Some(Quant::Any),
            Some(Tok::All) => Some(Quant::All),
            _ => None,
        };
        if quant.is_some() {
            self.pos += 1;
        }
        let lhs = self.arith(1)?;
        let op = self.span();
        match self.peek().cloned() {
            Some(Tok::Cmp(c)) => {
                self.pos += 1;
                let rhs = self.arith(1)?;
                let mut tests = vec![Test { quant, kind: TestKind::Cmp(c, lhs, rhs.clone()), op }];
                // `a == b == c`: each further comparison starts from the previous right side.
                let mut prev = rhs;
                while let Some(Tok::Cmp(c2)) = self.peek().cloned() {
                    let op2 = self.span();
                    self.pos += 1;
                    let next = self.arith(1)?;
                    tests.push(Test { quant, kind: TestKind::Cmp(c2, prev, next.clone()), op: op2 });
                    prev = next;
                }
                let mut it = tests.into_iter().map(Expr::Test);
                let first = it.next().unwrap_or_else(|| unreachable!());
                Ok(it.fold(first, |acc, t| Expr::And(Box::new(acc), Box::new(t))))
            }
            Some(Tok::Contains) | Some(Tok::Matches) | Some(Tok::In) => {
                let lhs = self.plain(lhs)?;
                let tok = self.next().map(|t| t.tok);
                let kind = match tok {
                    Some(Tok::Contains) => TestKind::Contains(lhs, self.entity()?),
                    Some(Tok::Matches) => TestKind::Matches(lhs, self.entity()?),
                    _ => TestKind::In { lhs, set: self.set()?, negated: false },
                };
                Ok(Expr::Test(Test { quant, kind, op }))
            }
            Some(Tok::Not) if self.peek_at(1) == Some(&Tok::In) => {
                let lhs = self.plain(lhs)?;
                self.pos += 2;
                let set = self.set()?;
                Ok(Expr::Test(Test { quant, kind: TestKind::In { lhs, set, negated: true }, op }))
            }
            Some(Tok::Not) => {
                // Only `not in` may follow a value; the parser then chokes on the next token.
                self.pos += 1;
                Err(self.unexpected())
            }
            _ if quant.is_some() => Err(self.unexpected()),
            _ => Ok(Expr::Value(lhs)),
        }
    }

    /// The left side of `contains`, `matches` and `in` must be a plain entity.
    fn plain(&self, a: Arith) -> Result<Entity, FilterError> {
        match a {
            Arith::Ent(e) => Ok(e),
            _ => Err(self.unexpected()),
        }
    }

    fn set(&mut self) -> Result<Vec<SetElem>, FilterError> {
        self.expect(Tok::LBrace)?;
        let mut elems = Vec::new();
        loop {
            let lo = self.set_entity()?;
            let hi = if self.peek() == Some(&Tok::DotDot) {
                self.pos += 1;
                Some(self.set_entity()?)
            } else {
                None
            };
            elems.push(SetElem { lo, hi });
            match self.peek() {
                Some(Tok::Comma) => self.pos += 1,
                Some(Tok::RBrace) => {
                    self.pos += 1;
                    return Ok(elems);
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn set_entity(&mut self) -> Result<Arith, FilterError> {
        match self.peek() {
            Some(Tok::Arith(ArithOp::Sub)) => {
                let op = self.span();
                self.pos += 1;
                Ok(Arith::Neg(op, self.entity()?))
            }
            Some(Tok::Arith(ArithOp::Add)) => {
                self.pos += 1;
                Ok(Arith::Ent(self.entity()?))
            }
            _ => Ok(Arith::Ent(self.entity()?)),
        }
    }

    /// Arithmetic by precedence climbing: `&` (1) < `+ -` (2) < `* / %` (3).
    fn arith(&mut self, min: u8) -> Result<Arith, FilterError> {
        let mut left = self.arith_unary()?;
        loop {
            let (op, prec) = match self.peek() {
                Some(Tok::Arith(op)) => {
                    let prec = match op {
                        ArithOp::BitAnd => 1,
                        ArithOp::Add | ArithOp::Sub => 2,
                        _ => 3,
                    };
                    (*op, prec)
                }
                _ => return Ok(left),
            };
            if prec < min {
                return Ok(left);
            }
            let span = self.span();
            self.pos += 1;
            let right = self.arith(prec + 1)?;
            left = Arith::Bin(op, span, Box::new(left), Box::new(right));
        }
    }

    fn arith_unary(&mut self) -> Result<Arith, FilterError> {
        match self.peek() {
            Some(Tok::Arith(ArithOp::Sub)) => {
                let op = self.span();
                self.pos += 1;
                Ok(Arith::Neg(op, self.entity()?))
            }
            Some(Tok::Arith(ArithOp::Add)) => {
                self.pos += 1;
                Ok(Arith::Ent(self.entity()?))
            }
            Some(Tok::LBrace) => {
                self.pos += 1;
                let a = self.arith(1)?;
                self.expect(Tok::RBrace)?;
                Ok(a)
            }
            _ => Ok(Arith::Ent(self.entity()?)),
        }
    }

    fn entity(&mut self) -> Result<Entity, FilterError> {
        let mut e = self.primary()?;
        while self.peek() == Some(&Tok::LBracket) {
            self.pos += 1;
            let ranges = self.ranges()?;
            let span = e.span.join(self.tokens[self.pos - 1].span);
            e = Entity { kind: EntityKind::Slice(Box::new(e), ranges), span };
        }
        Ok(e)
    }

    /// Range nodes up to and including `]`.
    fn ranges(&mut self) -> Result<Vec<RangeText>, FilterError> {
        let mut out = Vec::new();
        loop {
            match self.next() {
                Some(Token { tok: Tok::RangeNode, span }) => {
                    out.push(RangeText { text: self.src[span.start..span.start + span.len].to_string(), span });
                    match self.next().map(|t| t.tok) {
                        Some(Tok::Comma) => continue,
                        Some(Tok::RBracket) => return Ok(out),
                        _ => {
                            self.pos -= 1;
                            return Err(self.unexpected());
                        }
                    }
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected());
                }
            }
        }
    }

    fn primary(&mut self) -> Result<Entity, FilterError> {
        let t = match self.next() {
            Some(t) => t,
            None => return Err(FilterError::new("Unexpected end of filter expression.")),
        };
        let span = t.span;
        match t.tok {
            Tok::Str(s) => Ok(Entity { kind: EntityKind::Str(s), span }),
            Tok::Char(c) => Ok(Entity { kind: EntityKind::Char(c), span }),
            Tok::Word => {
                let name = t.text(self.src).to_string();
                match self.peek() {
                    Some(Tok::LParen) => self.call(name, span),
                    Some(Tok::Hash) => self.layered(name, span),
                    _ => Ok(Entity { kind: EntityKind::Word(name), span }),
                }
            }
            Tok::At => {
                let inner = match self.next() {
                    Some(Token { tok: Tok::Word, span: ws }) => {
                        let name = self.src[ws.start..ws.start + ws.len].to_string();
                        if self.peek() == Some(&Tok::Hash) {
                            self.layered(name, ws)?
                        } else {
                            Entity { kind: EntityKind::Word(name), span: ws }
                        }
                    }
                    _ => {
                        self.pos -= 1;
                        return Err(self.unexpected());
                    }
                };
                let s = span.join(inner.span);
                Ok(Entity { kind: EntityKind::Raw(Box::new(inner)), span: s })
            }
            Tok::Dollar => {
                self.expect(Tok::LBrace)?;
                let inner = self.primary()?;
                let end = self.expect(Tok::RBrace)?;
                Ok(Entity { kind: EntityKind::Ref(Box::new(inner)), span: span.join(end) })
            }
            _ => {
                self.pos -= 1;
                Err(self.unexpected())
            }
        }
    }

    fn call(&mut self, name: String, name_span: Span) -> Result<Entity, FilterError> {
        // Like Wireshark's grammar, an unknown function is a syntax-stage error.
        if super::functions::Func::lookup(&name).is_none() {
            return Err(FilterError::at(&format!("Function '{}' does not exist", name), name_span));
        }
        self.pos += 1; // (
        let mut args = Vec::new();
        if self.peek() == Some(&Tok::RParen) {
            let end = self.span();
            self.pos += 1;
            return Ok(Entity { kind: EntityKind::Func { name, name_span, args }, span: name_span.join(end) });
        }
        loop {
            args.push(self.arith(1)?);
            match self.peek() {
                Some(Tok::Comma) => self.pos += 1,
                Some(Tok::RParen) => {
                    let end = self.span();
                    self.pos += 1;
                    return Ok(Entity { kind: EntityKind::Func { name, name_span, args }, span: name_span.join(end) });
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn layered(&mut self, name: String, name_span: Span) -> Result<Entity, FilterError> {
        self.pos += 1; // #
        let layers = match self.next() {
            Some(Token { tok: Tok::Index, span }) => {
                vec![RangeText { text: self.src[span.start..span.start + span.len].to_string(), span }]
            }
            Some(Token { tok: Tok::LBracket, .. }) => self.ranges()?,
            _ => {
                self.pos -= 1;
                return Err(self.unexpected());
            }
        };
        let end = self.tokens[self.pos - 1].span;
        Ok(Entity { kind: EntityKind::Layered { name, name_span, layers }, span: name_span.join(end) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> (String, Option<Span>) {
        let e = parse(src).unwrap_err();
        (e.message, e.span)
    }

    #[test]
    fn precedence_not_and_xor_or() {
        let e = parse("a or b and not c xor d").unwrap().unwrap();
        // or(a, xor(and(b, not c), d))
        match e {
            Expr::Or(_, r) => match *r {
                Expr::Xor(l, _) => assert!(matches!(*l, Expr::And(_, _))),
                other => panic!("{:?}", other),
            },
            other => panic!("{:?}", other),
        }
    }

    #[test]
    fn chained_comparison_is_a_conjunction() {
        assert!(matches!(parse("a < b <= c").unwrap().unwrap(), Expr::And(_, _)));
    }

    #[test]
    fn arithmetic_binds_tighter_than_bitand() {
        match parse("a & b + c == 1").unwrap().unwrap() {
            Expr::Test(Test { kind: TestKind::Cmp(_, Arith::Bin(ArithOp::BitAnd, _, _, r), _), .. }) => {
                assert!(matches!(*r, Arith::Bin(ArithOp::Add, _, _, _)))
            }
            other => panic!("{:?}", other),
        }
    }

    #[test]
    fn slices_layers_sets_functions() {
        assert!(parse("frame[0:2,4,-1] == 00:00:00:00").is_ok());
        assert!(parse("ip.addr#[1-2] == 1.2.3.4").is_ok());
        assert!(parse("tcp.port not in {80, 443..445, -1}").is_ok());
        assert!(parse("max(tcp.srcport, tcp.dstport) > 1024").is_ok());
        assert!(parse("len(http.host) == 3 && ${ip.src} == 1.2.3.4").is_ok());
        assert_eq!(parse("   ").unwrap().is_none(), true);
    }

    #[test]
    fn syntax_errors_point_at_the_token() {
        assert_eq!(err("tcp.port in {1 2"), ("\"2\" was unexpected in this context.".into(), Some(Span::new(15, 1))));
        assert_eq!(err("tcp.port == 1)"), ("\")\" was unexpected in this context.".into(), Some(Span::new(13, 1))));
        assert_eq!(err("tcp.port = 1"), ("\"=\" was unexpected in this context.".into(), Some(Span::new(9, 1))));
        assert_eq!(err("tcp.port =="), ("Unexpected end of filter expression.".into(), None));
        assert_eq!(err("(tcp"), ("Unexpected end of filter expression.".into(), None));
        assert_eq!(err("&& tcp").1, Some(Span::new(0, 2)));
        assert_eq!(err("http.request.method in {\"GET\" \"HEAD\"}").0, "\"\"HEAD\"\" was unexpected in this context.");
    }
}
