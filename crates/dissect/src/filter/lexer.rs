//! Display filter tokens, as Wireshark 4.0's scanner cuts them.
//!
//! Words (field names, numbers, addresses, byte strings) are one token kind: whether `tcp`
//! is a protocol or `08:00` a byte string is decided later, against the field registry and
//! the type on the other side of the comparison. What makes a word is the union of
//! Wireshark's patterns (identifiers with dots and inner dashes, colon byte strings, IPv4 and
//! IPv6 addresses with a prefix length); the longest one wins, so `127.0.0.1/8` and `::1` are
//! single words while `0:0` is `0` then `:0`, exactly as tshark reports it.

use super::{FilterError, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==` `eq` `any_eq`
    AnyEq,
    /// `!=` `ne` `all_ne`
    AllNe,
    /// `===` `all_eq`
    AllEq,
    /// `!==` `any_ne`
    AnyNe,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    BitAnd,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    LParen,
    RParen,
    Comma,
    LBrace,
    RBrace,
    DotDot,
    Dollar,
    At,
    LBracket,
    RBracket,
    Hash,
    Any,
    All,
    Cmp(CmpOp),
    Contains,
    Matches,
    Not,
    And,
    Or,
    Xor,
    In,
    Arith(ArithOp),
    /// The text between `[` `,` `]` of a slice or layer range.
    RangeNode,
    /// The digits after `#`.
    Index,
    /// A quoted string, escapes resolved.
    Str(Vec<u8>),
    /// A character constant (`'a'`, `'\n'`, `'\x0a'`).
    Char(u64),
    /// A field name or a literal value, resolved later.
    Word,
    /// A character no token starts with (`=`): the parser reports it as unexpected.
    Unknown,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

impl Token {
    /// The token as written (what tshark quotes in "... was unexpected").
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.span.start..self.span.start + self.span.len]
    }
}

const KEYWORDS: &[(&str, Tok)] = &[
    ("any", Tok::Any),
    ("all", Tok::All),
    ("eq", Tok::Cmp(CmpOp::AnyEq)),
    ("any_eq", Tok::Cmp(CmpOp::AnyEq)),
    ("ne", Tok::Cmp(CmpOp::AllNe)),
    ("all_ne", Tok::Cmp(CmpOp::AllNe)),
    ("all_eq", Tok::Cmp(CmpOp::AllEq)),
    ("any_ne", Tok::Cmp(CmpOp::AnyNe)),
    ("gt", Tok::Cmp(CmpOp::Gt)),
    ("ge", Tok::Cmp(CmpOp::Ge)),
    ("lt", Tok::Cmp(CmpOp::Lt)),
    ("le", Tok::Cmp(CmpOp::Le)),
    ("contains", Tok::Contains),
    ("matches", Tok::Matches),
    ("not", Tok::Not),
    ("and", Tok::And),
    ("or", Tok::Or),
    ("xor", Tok::Xor),
    ("in", Tok::In),
    ("bitand", Tok::Arith(ArithOp::BitAnd)),
    ("bitwise_and", Tok::Arith(ArithOp::BitAnd)),
];

/// Punctuation, longest first.
const PUNCT: &[(&str, Tok)] = &[
    ("===", Tok::Cmp(CmpOp::AllEq)),
    ("!==", Tok::Cmp(CmpOp::AnyNe)),
    ("==", Tok::Cmp(CmpOp::AnyEq)),
    ("!=", Tok::Cmp(CmpOp::AllNe)),
    (">=", Tok::Cmp(CmpOp::Ge)),
    ("<=", Tok::Cmp(CmpOp::Le)),
    ("&&", Tok::And),
    ("||", Tok::Or),
    ("^^", Tok::Xor),
    ("..", Tok::DotDot),
    (">", Tok::Cmp(CmpOp::Gt)),
    ("<", Tok::Cmp(CmpOp::Lt)),
    ("!", Tok::Not),
    ("~", Tok::Matches),
    ("(", Tok::LParen),
    (")", Tok::RParen),
    (",", Tok::Comma),
    ("{", Tok::LBrace),
    ("}", Tok::RBrace),
    ("$", Tok::Dollar),
    ("@", Tok::At),
    ("+", Tok::Arith(ArithOp::Add)),
    ("-", Tok::Arith(ArithOp::Sub)),
    ("*", Tok::Arith(ArithOp::Mul)),
    ("/", Tok::Arith(ArithOp::Div)),
    ("%", Tok::Arith(ArithOp::Mod)),
    ("&", Tok::Arith(ArithOp::BitAnd)),
];

/// Splits a filter into tokens.
pub fn lex(src: &str) -> Result<Vec<Token>, FilterError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
            i += 1;
            continue;
        }
        if c == b'"' || ((c == b'r' || c == b'R') && b.get(i + 1) == Some(&b'"')) {
            let (tok, end) = string(src, i)?;
            out.push(Token { tok, span: Span::new(i, end - i) });
            i = end;
            continue;
        }
        if c == b'\'' {
            let (tok, end) = char_const(src, i)?;
            out.push(Token { tok, span: Span::new(i, end - i) });
            i = end;
            continue;
        }
        let w = word_len(b, i);
        if w > 0 {
            let text = &src[i..i + w];
            let tok = KEYWORDS.iter().find(|(k, _)| *k == text).map_or(Tok::Word, |(_, t)| t.clone());
            out.push(Token { tok, span: Span::new(i, w) });
            i += w;
            continue;
        }
        if let Some((p, tok)) = PUNCT.iter().find(|(p, _)| b[i..].starts_with(p.as_bytes())) {
            out.push(Token { tok: tok.clone(), span: Span::new(i, p.len()) });
            i += p.len();
            continue;
        }
        match c {
            b'[' => {
                out.push(Token { tok: Tok::LBracket, span: Span::new(i, 1) });
                i = range(src, i + 1, &mut out)?;
            }
            b'#' => {
                out.push(Token { tok: Tok::Hash, span: Span::new(i, 1) });
                i = layer(src, i + 1, &mut out)?;
            }
            _ => {
                let n = src[i..].chars().next().map_or(1, |ch| ch.len_utf8());
                out.push(Token { tok: Tok::Unknown, span: Span::new(i, n) });
                i += n;
            }
        }
    }
    Ok(out)
}

/// Range mode after `[`: nodes are everything up to `,` or `]`.
fn range(src: &str, mut i: usize, out: &mut Vec<Token>) -> Result<usize, FilterError> {
    let b = src.as_bytes();
    loop {
        if i >= b.len() {
            return Err(FilterError::at("The right bracket was missing from a slice.", Span::new(b.len(), 1)));
        }
        match b[i] {
            b']' => {
                out.push(Token { tok: Tok::RBracket, span: Span::new(i, 1) });
                return Ok(i + 1);
            }
            b',' => {
                out.push(Token { tok: Tok::Comma, span: Span::new(i, 1) });
                i += 1;
            }
            _ => {
                let start = i;
                while i < b.len() && b[i] != b']' && b[i] != b',' {
                    i += 1;
                }
                out.push(Token { tok: Tok::RangeNode, span: Span::new(start, i - start) });
            }
        }
    }
}

/// Layer mode after `#`: a layer number or a bracketed range.
fn layer(src: &str, i: usize, out: &mut Vec<Token>) -> Result<usize, FilterError> {
    let b = src.as_bytes();
    match b.get(i) {
        None => Ok(i),
        Some(b'[') => {
            out.push(Token { tok: Tok::LBracket, span: Span::new(i, 1) });
            range(src, i + 1, out)
        }
        Some(c) if c.is_ascii_digit() => {
            let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            out.push(Token { tok: Tok::Index, span: Span::new(i, n) });
            Ok(i + n)
        }
        Some(_) => {
            let n = src[i..].chars().next().map_or(1, |ch| ch.len_utf8());
            let msg = format!("Expected digit or \"[\", not \"{}\"", &src[i..i + n]);
            Err(FilterError::at(&msg, Span::new(i, n)))
        }
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Length of the longest word starting at `i` (0 if none).
fn word_len(b: &[u8], i: usize) -> usize {
    ident_len(b, i)
        .max(colon_bytes_len(b, i))
        .max(colon_prefixed_len(b, i))
        .max(cidr4_len(b, i))
        .max(ipv6_len(b, i))
        .max(exp_float_len(b, i))
}

/// `[alnum_][alnum_-]*` segments joined by single dots (`..` ends a word).
fn ident_len(b: &[u8], i: usize) -> usize {
    if i >= b.len() || !is_ident(b[i]) {
        return 0;
    }
    let mut j = i;
    loop {
        while j < b.len() && (is_ident(b[j]) || b[j] == b'-') {
            j += 1;
        }
        if j + 1 < b.len() && b[j] == b'.' && (is_ident(b[j + 1]) || b[j + 1] == b'-') {
            j += 1;
            continue;
        }
        return j - i;
    }
}

fn hex2_at(b: &[u8], i: usize) -> bool {
    i + 1 < b.len() && b[i].is_ascii_hexdigit() && b[i + 1].is_ascii_hexdigit()
}

/// `hh:hh(:hh)*`
fn colon_bytes_len(b: &[u8], i: usize) -> usize {
    if !hex2_at(b, i) {
        return 0;
    }
    let mut j = i + 2;
    while j < b.len() && b[j] == b':' && hex2_at(b, j + 1) {
        j += 3;
    }
    if j == i + 2 {
        0
    } else {
        j - i
    }
}

/// `:hh:hh...` or `:hhhh` (a byte string or number written with a leading colon).
fn colon_prefixed_len(b: &[u8], i: usize) -> usize {
    if b.get(i) != Some(&b':') {
        return 0;
    }
    let bytes = colon_bytes_len(b, i + 1);
    let hex = b[i + 1..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
    let n = bytes.max(hex);
    if n == 0 {
        0
    } else {
        n + 1
    }
}

/// A dotted quad followed by `/` and one or two digits.
fn cidr4_len(b: &[u8], i: usize) -> usize {
    let mut j = i;
    for k in 0..4 {
        let d = b[j..].iter().take(3).take_while(|c| c.is_ascii_digit()).count();
        if d == 0 {
            return 0;
        }
        j += d;
        if k < 3 {
            if b.get(j) != Some(&b'.') {
                return 0;
            }
            j += 1;
        }
    }
    prefix_len(b, j, 2).map_or(0, |e| e - i)
}

/// End of `/` + up to `max` digits at `j`.
fn prefix_len(b: &[u8], j: usize, max: usize) -> Option<usize> {
    if b.get(j) != Some(&b'/') {
        return None;
    }
    let d = b[j + 1..].iter().take(max).take_while(|c| c.is_ascii_digit()).count();
    if d == 0 {
        None
    } else {
        Some(j + 1 + d)
    }
}

/// The longest IPv6 address (optionally with `/prefix`) at `i`.
fn ipv6_len(b: &[u8], i: usize) -> usize {
    let run = b[i..].iter().take_while(|c| c.is_ascii_hexdigit() || **c == b':' || **c == b'.').count();
    if !b[i..i + run].contains(&b':') {
        return 0;
    }
    for n in (2..=run).rev() {
        let text = std::str::from_utf8(&b[i..i + n]).unwrap_or("");
        if super::literal::parse_ipv6(text).is_some() {
            return prefix_len(b, i + n, 3).map_or(n, |e| e - i);
        }
    }
    0
}

/// `1e5`, `1.5e-3` (the exponent sign is not a word character otherwise).
fn exp_float_len(b: &[u8], i: usize) -> usize {
    let digits = |j: usize| b[j.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut j = i + digits(i);
    if j == i {
        return 0;
    }
    if b.get(j) == Some(&b'.') && digits(j + 1) > 0 {
        j += 1 + digits(j + 1);
    }
    if !matches!(b.get(j), Some(b'e') | Some(b'E')) {
        return 0;
    }
    j += 1;
    if matches!(b.get(j), Some(b'+') | Some(b'-')) {
        j += 1;
    }
    let e = digits(j);
    if e == 0 {
        0
    } else {
        j + e - i
    }
}

/// A double-quoted string (`r"..."` raw) starting at `i`; returns the token and its end.
fn string(src: &str, i: usize) -> Result<(Tok, usize), FilterError> {
    let b = src.as_bytes();
    let raw = b[i] != b'"';
    let mut j = if raw { i + 2 } else { i + 1 };
    let mut out = Vec::new();
    loop {
        let c = match b.get(j) {
            Some(c) => *c,
            None => return Err(FilterError::at("The final quote was missing from a quoted string.", Span::new(b.len(), 1))),
        };
        match c {
            b'"' => return Ok((Tok::Str(out), j + 1)),
            b'\\' if raw => {
                // Raw strings keep backslashes; `\"` and `\\` only protect the next character.
                out.push(b'\\');
                if let Some(&n) = b.get(j + 1) {
                    out.push(n);
                    j += 2;
                } else {
                    j += 1;
                }
            }
            b'\\' => j = escape(src, j, &mut out)?,
            _ => {
                out.push(c);
                j += 1;
            }
        }
    }
}

/// Resolves the escape at `j` (a backslash) into `out`; returns the index after it.
fn escape(src: &str, j: usize, out: &mut Vec<u8>) -> Result<usize, FilterError> {
    let b = src.as_bytes();
    let c = match b.get(j + 1) {
        Some(c) => *c,
        None => return Ok(j + 1),
    };
    let simple = match c {
        b'a' => Some(7),
        b'b' => Some(8),
        b'f' => Some(12),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(11),
        _ => None,
    };
    if let Some(v) = simple {
        out.push(v);
        return Ok(j + 2);
    }
    match c {
        b'0'..=b'7' => {
            let n = b[j + 1..].iter().take(3).take_while(|c| (b'0'..=b'7').contains(c)).count();
            let v = u32::from_str_radix(&src[j + 1..j + 1 + n], 8).unwrap_or(0);
            if v > 0xff {
                let msg = format!("{} is larger than 255.", &src[j..j + 1 + n]);
                return Err(FilterError::at(&msg, Span::new(j, 1 + n)));
            }
            out.push(v as u8);
            Ok(j + 1 + n)
        }
        b'x' => {
            let n = b[j + 2..].iter().take(2).take_while(|c| c.is_ascii_hexdigit()).count();
            if n == 0 {
                return Err(FilterError::at("\\x is not a valid character escape sequence", Span::new(j, 2)));
            }
            out.push(u8::from_str_radix(&src[j + 2..j + 2 + n], 16).unwrap_or(0));
            Ok(j + 2 + n)
        }
        b'u' | b'U' => {
            let max = if c == b'u' { 4 } else { 8 };
            let n = b[j + 2..].iter().take(max).take_while(|c| c.is_ascii_hexdigit()).count();
            // As in C, a universal character name cannot stand for a basic character (below
            // U+00A0 other than $ @ `) nor a surrogate.
            let cp = u32::from_str_radix(&src[j + 2..j + 2 + n], 16)
                .ok()
                .filter(|v| *v >= 0xa0 || *v == 0x24 || *v == 0x40 || *v == 0x60)
                .and_then(char::from_u32);
            match cp {
                Some(ch) if n == max => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    Ok(j + 2 + n)
                }
                _ => {
                    let msg = format!("{} is not a valid universal character name", &src[j..j + 2 + n]);
                    Err(FilterError::at(&msg, Span::new(j, 2 + n)))
                }
            }
        }
        b'\\' | b'"' | b'\'' => {
            out.push(c);
            Ok(j + 2)
        }
        _ => {
            let n = src[j + 1..].chars().next().map_or(1, |ch| ch.len_utf8());
            let msg = format!("{} is not a valid character escape sequence", &src[j..j + 1 + n]);
            Err(FilterError::at(&msg, Span::new(j, 1 + n)))
        }
    }
}

/// A character constant starting at `i`.
fn char_const(src: &str, i: usize) -> Result<(Tok, usize), FilterError> {
    let b = src.as_bytes();
    let mut end = i + 1;
    loop {
        match b.get(end) {
            None => return Err(FilterError::at("The final quote was missing from a character constant.", Span::new(b.len(), 1))),
            Some(b'\\') => end += 2,
            Some(b'\'') => break,
            Some(_) => end += 1,
        }
    }
    let body = &src[i + 1..end];
    let whole = &src[i..=end];
    let span = Span::new(i, end + 1 - i);
    let value = if body.starts_with('\\') {
        let mut v = Vec::new();
        let e = escape(body, 0, &mut v).map_err(|_| FilterError::at(&format!("{} isn't a valid character constant.", whole), span))?;
        if e != body.len() || v.len() != 1 {
            return Err(FilterError::at(&format!("{} is too long to be a valid character constant.", whole), span));
        }
        v[0] as u64
    } else {
        let mut chars = body.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => c as u64,
            (None, _) => return Err(FilterError::at(&format!("{} isn't a valid character constant.", whole), span)),
            _ => return Err(FilterError::at(&format!("{} is too long to be a valid character constant.", whole), span)),
        }
    };
    Ok((Tok::Char(value), end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> Vec<String> {
        lex(src).unwrap().iter().map(|t| t.text(src).to_string()).collect()
    }

    #[test]
    fn cuts_tokens_as_tshark() {
        assert_eq!(words("tcp.port==8080&&ip"), ["tcp.port", "==", "8080", "&&", "ip"]);
        assert_eq!(words("tcp.srcport-1 == 1"), ["tcp.srcport-1", "==", "1"]);
        assert_eq!(words("tcp.srcport -1"), ["tcp.srcport", "-", "1"]);
        assert_eq!(words("frame[0:2] == 0:0"), ["frame", "[", "0:2", "]", "==", "0", ":0"]);
        assert_eq!(words("ip.src==10.0.0.0/8"), ["ip.src", "==", "10.0.0.0/8"]);
        assert_eq!(words("ipv6.dst == ff00::/8"), ["ipv6.dst", "==", "ff00::/8"]);
        assert_eq!(words("eth.src == 00:11:22:33:44:55"), ["eth.src", "==", "00:11:22:33:44:55"]);
        assert_eq!(words("{1..3}"), ["{", "1", "..", "3", "}"]);
        assert_eq!(words("{10.0.0.1..10.0.0.5}"), ["{", "10.0.0.1", "..", "10.0.0.5", "}"]);
        assert_eq!(words("tcp.port#[1-2]"), ["tcp.port", "#", "[", "1-2", "]"]);
        assert_eq!(words("a!==b"), ["a", "!==", "b"]);
        assert_eq!(words("x > 1e-3"), ["x", ">", "1e-3"]);
    }

    #[test]
    fn keywords_are_whole_words() {
        let t = lex("android and not in").unwrap();
        assert_eq!(t[0].tok, Tok::Word);
        assert_eq!(t[1].tok, Tok::And);
        assert_eq!(t[2].tok, Tok::Not);
        assert_eq!(t[3].tok, Tok::In);
    }

    #[test]
    fn strings_and_escapes() {
        let t = lex(r#""a\x41\101\n\u00e9\"" r"a\"\x41""#).unwrap();
        assert!(lex(r#""\u002e""#).is_err());
        assert_eq!(t[0].tok, Tok::Str(b"aAA\n\xc3\xa9\"".to_vec()));
        assert_eq!(t[1].tok, Tok::Str(br#"a\"\x41"#.to_vec()));
        assert_eq!(
            lex(r"'\n' 'a' '\x41' '\101' '\\'").unwrap().iter().map(|t| t.tok.clone()).collect::<Vec<_>>(),
            [Tok::Char(10), Tok::Char(97), Tok::Char(0x41), Tok::Char(0o101), Tok::Char(92)]
        );
    }

    #[test]
    fn errors_carry_spans() {
        let e = lex("frame[1").unwrap_err();
        assert_eq!((e.message.as_str(), e.span), ("The right bracket was missing from a slice.", Some(Span::new(7, 1))));
        let e = lex("tcp.port#a == 1").unwrap_err();
        assert_eq!(e.message, "Expected digit or \"[\", not \"a\"");
        assert_eq!(e.span, Some(Span::new(9, 1)));
        assert!(lex("\"abc").is_err());
    }
}
