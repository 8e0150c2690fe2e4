//! The pattern parser of `matches`: PCRE2 syntax (the subset a Pike VM can run) to a tree.

use super::{Assert, Flags, Node, Set};

pub(super) fn set_has(s: &Set, b: u8) -> bool {
    s[(b >> 6) as usize] & (1u64 << (b & 63)) != 0
}

pub(super) fn set_add(s: &mut Set, b: u8) {
    s[(b >> 6) as usize] |= 1u64 << (b & 63);
}

pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(super) fn class_set(pred: impl Fn(u8) -> bool) -> Set {
    let mut s = [0u64; 4];
    for b in 0..=255u8 {
        if pred(b) {
            set_add(&mut s, b);
        }
    }
    s
}

pub(super) fn byte_set(b: u8, caseless: bool) -> Set {
    let mut s = [0u64; 4];
    set_add(&mut s, b);
    if caseless {
        set_add(&mut s, b.to_ascii_lowercase());
        set_add(&mut s, b.to_ascii_uppercase());
    }
    s
}

pub(super) fn negate(s: &mut Set) {
    for w in s.iter_mut() {
        *w = !*w;
    }
}

pub(super) struct Parser<'a> {
    pub(super) p: &'a [u8],
    pub(super) i: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.p.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn alt(&mut self, flags: &mut Flags) -> Result<Node, String> {
        let mut alts = vec![self.concat(flags)?];
        while self.eat(b'|') {
            alts.push(self.concat(flags)?);
        }
        Ok(if alts.len() == 1 { alts.pop().unwrap_or(Node::Empty) } else { Node::Alt(alts) })
    }

    fn concat(&mut self, flags: &mut Flags) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == b'|' || c == b')' {
                break;
            }
            if flags.extended && (c.is_ascii_whitespace() || c == b'#') {
                self.skip_extended();
                continue;
            }
            let atom = match self.atom(flags)? {
                Some(a) => a,
                None => continue,
            };
            items.push(self.quantified(atom, flags)?);
        }
        Ok(Node::Concat(items))
    }

    fn skip_extended(&mut self) {
        if self.eat(b'#') {
            while let Some(c) = self.peek() {
                self.i += 1;
                if c == b'\n' {
                    break;
                }
            }
        } else {
            self.i += 1;
        }
    }

    fn quantified(&mut self, mut atom: Node, flags: &Flags) -> Result<Node, String> {
        loop {
            if flags.extended {
                while matches!(self.peek(), Some(c) if c.is_ascii_whitespace()) {
                    self.i += 1;
                }
            }
            let (min, max) = match self.peek() {
                Some(b'*') => (0, None),
                Some(b'+') => (1, None),
                Some(b'?') => (0, Some(1)),
                Some(b'{') => match self.counted()? {
                    Some(q) => {
                        // counted() consumed the braces; step back so the shared advance below is right.
                        self.i -= 1;
                        q
                    }
                    None => return Ok(atom),
                },
                _ => return Ok(atom),
            };
            self.i += 1;
            if matches!(atom, Node::Assert(_)) {
                return Err("quantifier does not follow a repeatable item".into());
            }
            // Lazy and possessive suffixes change which match is found, not whether one is.
            if !self.eat(b'?') {
                self.eat(b'+');
            }
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` at the cursor; `None` (and no input consumed) if it is a literal brace.
    fn counted(&mut self) -> Result<Option<(u32, Option<u32>)>, String> {
        let rest = &self.p[self.i + 1..];
        let close = match rest.iter().position(|c| *c == b'}') {
            Some(k) => k,
            None => return Ok(None),
        };
        let body = std::str::from_utf8(&rest[..close]).unwrap_or("");
        let (lo, hi) = match body.split_once(',') {
            Some((a, b)) => (a, Some(b)),
            None => (body, None),
        };
        let num = |s: &str| -> Option<Result<u32, String>> {
            if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            Some(s.parse::<u32>().ok().filter(|n| *n <= 65535).ok_or_else(|| "number too big in {} quantifier".to_string()))
        };
        let min = match num(lo) {
            Some(r) => r?,
            None => return Ok(None),
        };
        let max = match hi {
            None => Some(min),
            Some("") => None,
            Some(h) => match num(h) {
                Some(r) => Some(r?),
                None => return Ok(None),
            },
        };
        if let Some(m) = max {
            if m < min {
                return Err("numbers out of order in {} quantifier".into());
            }
        }
        self.i += close + 2;
        Ok(Some((min, max)))
    }

    fn atom(&mut self, flags: &mut Flags) -> Result<Option<Node>, String> {
        let c = match self.peek() {
            Some(c) => c,
            None => return Ok(Some(Node::Empty)),
        };
        self.i += 1;
        let node = match c {
            b'(' => return self.group(flags),
            b'[' => Node::Set(Box::new(self.class(flags)?)),
            b'.' => {
                let mut s = [!0u64; 4];
                if !flags.dotall {
                    s[0] &= !(1u64 << b'\n');
                }
                Node::Set(Box::new(s))
            }
            b'^' => Node::Assert(if flags.multiline { Assert::Bol } else { Assert::StartText }),
            b'$' => Node::Assert(if flags.multiline { Assert::Eol } else { Assert::EndTextNl }),
            b'*' | b'+' | b'?' => return Err("quantifier does not follow a repeatable item".into()),
            b'{' => {
                self.i -= 1;
                if self.counted()?.is_some() {
                    return Err("quantifier does not follow a repeatable item".into());
                }
                self.i += 1;
                Node::Set(Box::new(byte_set(b'{', false)))
            }
            b'\\' => return self.escape(flags).map(Some),
            _ => Node::Set(Box::new(byte_set(c, flags.caseless))),
        };
        Ok(Some(node))
    }

    fn group(&mut self, flags: &mut Flags) -> Result<Option<Node>, String> {
        let mut inner = *flags;
        if self.eat(b'?') {
            match self.peek() {
                Some(b':') => self.i += 1,
                Some(b'#') => {
                    while let Some(c) = self.peek() {
                        self.i += 1;
                        if c == b')' {
                            return Ok(None);
                        }
                    }
                    return Err("missing ) after (?# comment".into());
                }
                Some(b'=') | Some(b'!') => return Err("lookahead assertions are not supported".into()),
                Some(b'<') if matches!(self.p.get(self.i + 1), Some(b'=') | Some(b'!')) => {
                    return Err("lookbehind assertions are not supported".into())
                }
                Some(b'<') | Some(b'\'') | Some(b'P') => {
                    // A named group: the name does not matter when only matching.
                    let close = if self.peek() == Some(b'\'') { b'\'' } else { b'>' };
                    if self.peek() == Some(b'P') {
                        self.i += 1;
                        if self.peek() != Some(b'<') {
                            return Err("unrecognized character after (?P".into());
                        }
                    }
                    self.i += 1;
                    while let Some(c) = self.peek() {
                        self.i += 1;
                        if c == close {
                            break;
                        }
                        if !is_word(c) {
                            return Err("syntax error in subpattern name (missing terminator?)".into());
                        }
                    }
                }
                _ => {
                    // Inline flags: `(?i)` changes the rest of the group, `(?i:...)` only its body.
                    let mut on = true;
                    loop {
                        match self.peek() {
                            Some(b'-') => on = false,
                            Some(b'i') => inner.caseless = on,
                            Some(b's') => inner.dotall = on,
                            Some(b'm') => inner.multiline = on,
                            Some(b'x') => inner.extended = on,
                            Some(b'U') | Some(b'J') | Some(b'n') => {}
                            Some(b')') => {
                                self.i += 1;
                                *flags = inner;
                                return Ok(None);
                            }
                            Some(b':') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err("unrecognized character after (? or (?-".into()),
                        }
                        self.i += 1;
                    }
                }
            }
        }
        let body = self.alt(&mut inner)?;
        if !self.eat(b')') {
            return Err("missing closing parenthesis".into());
        }
        Ok(Some(body))
    }

    /// The escape after a backslash, outside a class.
    fn escape(&mut self, flags: &Flags) -> Result<Node, String> {
        let c = match self.peek() {
            Some(c) => c,
            None => return Err("\\ at end of pattern".into()),
        };
        let assert = match c {
            b'b' => Some(Assert::Word),
            b'B' => Some(Assert::NotWord),
            b'A' => Some(Assert::StartText),
            b'z' => Some(Assert::EndText),
            b'Z' => Some(Assert::EndTextNl),
            _ => None,
        };
        if let Some(a) = assert {
            self.i += 1;
            return Ok(Node::Assert(a));
        }
        if c == b'Q' {
            self.i += 1;
            let mut items = Vec::new();
            while self.i < self.p.len() {
                if self.p[self.i..].starts_with(b"\\E") {
                    self.i += 2;
                    break;
                }
                items.push(Node::Set(Box::new(byte_set(self.p[self.i], flags.caseless))));
                self.i += 1;
            }
            return Ok(Node::Concat(items));
        }
        if c == b'E' {
            self.i += 1;
            return Ok(Node::Empty);
        }
        if (b'1'..=b'9').contains(&c) || c == b'g' || c == b'k' {
            return Err("backreferences are not supported".into());
        }
        Ok(Node::Set(Box::new(self.escape_set(flags)?)))
    }

    /// An escape that stands for a set of bytes (also valid inside classes).
    fn escape_set(&mut self, flags: &Flags) -> Result<Set, String> {
        let c = self.p[self.i];
        self.i += 1;
        let s = match c {
            b'd' => class_set(|b| b.is_ascii_digit()),
            b'D' => class_set(|b| !b.is_ascii_digit()),
            b'w' => class_set(is_word),
            b'W' => class_set(|b| !is_word(b)),
            b's' => class_set(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12)),
            b'S' => class_set(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12)),
            b'h' => class_set(|b| b == b' ' || b == b'\t' || b == 0xa0),
            b'H' => class_set(|b| !(b == b' ' || b == b'\t' || b == 0xa0)),
            b'v' => class_set(|b| (10..=13).contains(&b) || b == 0x85),
            b'V' => class_set(|b| !((10..=13).contains(&b) || b == 0x85)),
            b'N' => class_set(|b| b != b'\n'),
            b'n' => byte_set(b'\n', false),
            b't' => byte_set(b'\t', false),
            b'r' => byte_set(b'\r', false),
            b'f' => byte_set(12, false),
            b'e' => byte_set(27, false),
            b'a' => byte_set(7, false),
            b'0' => {
                let n = self.p[self.i..].iter().take(2).take_while(|c| (b'0'..=b'7').contains(c)).count();
                let v = u32::from_str_radix(std::str::from_utf8(&self.p[self.i..self.i + n]).unwrap_or("0"), 8).unwrap_or(0);
                self.i += n;
                byte_set(v as u8, flags.caseless)
            }
            b'x' => {
                let v = if self.eat(b'{') {
                    let n = self.p[self.i..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
                    let v = u32::from_str_radix(std::str::from_utf8(&self.p[self.i..self.i + n]).unwrap_or(""), 16).unwrap_or(0);
                    self.i += n;
                    if !self.eat(b'}') {
                        return Err("missing terminating } in \\x{}".into());
                    }
                    if v > 0xff {
                        return Err("character code point value in \\x{} or \\o{} is too large".into());
                    }
                    v
                } else {
                    let n = self.p[self.i..].iter().take(2).take_while(|c| c.is_ascii_hexdigit()).count();
                    let v = u32::from_str_radix(std::str::from_utf8(&self.p[self.i..self.i + n]).unwrap_or(""), 16).unwrap_or(0);
                    self.i += n;
                    v
                };
                byte_set(v as u8, flags.caseless)
            }
            b'c' => {
                let x = match self.peek() {
                    Some(x) => x,
                    None => return Err("\\c at end of pattern".into()),
                };
                self.i += 1;
                byte_set(x.to_ascii_uppercase() ^ 0x40, false)
            }
            c if c.is_ascii_alphanumeric() => return Err("unrecognized character follows \\".into()),
            c => byte_set(c, flags.caseless),
        };
        Ok(s)
    }

    /// A bracketed class (the `[` already consumed).
    fn class(&mut self, flags: &Flags) -> Result<Set, String> {
        let missing = || "missing terminating ] for character class".to_string();
        let neg = self.eat(b'^');
        let mut s = [0u64; 4];
        let mut first = true;
        loop {
            let c = self.peek().ok_or_else(missing)?;
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == b'[' && self.p.get(self.i + 1) == Some(&b':') {
                if let Some(end) = self.p[self.i + 2..].windows(2).position(|w| w == b":]") {
                    let name = std::str::from_utf8(&self.p[self.i + 2..self.i + 2 + end]).unwrap_or("");
                    let (name, not) = match name.strip_prefix('^') {
                        Some(n) => (n, true),
                        None => (name, false),
                    };
                    let mut p = posix_class(name).ok_or_else(|| "unknown POSIX class name".to_string())?;
                    if not {
                        negate(&mut p);
                    }
                    for (w, x) in s.iter_mut().zip(p.iter()) {
                        *w |= x;
                    }
                    self.i += end + 4;
                    continue;
                }
            }
            let lo = self.class_atom(flags)?;
            let lo_byte = match lo {
                Ok(b) => b,
                Err(set) => {
                    for (w, x) in s.iter_mut().zip(set.iter()) {
                        *w |= x;
                    }
                    continue;
                }
            };
            let mut hi_byte = lo_byte;
            if self.peek() == Some(b'-') && self.p.get(self.i + 1).map_or(false, |c| *c != b']') {
                self.i += 1;
                match self.class_atom(flags)? {
                    Ok(h) => hi_byte = h,
                    Err(set) => {
                        // `[a-\d]`: the dash is literal.
                        set_add(&mut s, b'-');
                        for (w, x) in s.iter_mut().zip(set.iter()) {
                            *w |= x;
                        }
                    }
                }
                if hi_byte < lo_byte {
                    return Err("range out of order in character class".into());
                }
            }
            for b in lo_byte..=hi_byte {
                set_add(&mut s, b);
                if flags.caseless {
                    set_add(&mut s, b.to_ascii_lowercase());
                    set_add(&mut s, b.to_ascii_uppercase());
                }
            }
        }
        if neg {
            negate(&mut s);
        }
        Ok(s)
    }

    /// One class member: a byte, or (Err) a set from an escape such as `\d`.
    fn class_atom(&mut self, flags: &Flags) -> Result<Result<u8, Set>, String> {
        let c = self.peek().ok_or_else(|| "missing terminating ] for character class".to_string())?;
        self.i += 1;
        if c != b'\\' {
            return Ok(Ok(c));
        }
        let e = self.peek().ok_or_else(|| "\\ at end of pattern".to_string())?;
        if e == b'b' {
            self.i += 1;
            return Ok(Ok(8));
        }
        let plain = Flags { caseless: false, ..*flags };
        let set = self.escape_set(&plain)?;
        let members: Vec<u8> = (0..=255u8).filter(|b| set_has(&set, *b)).collect();
        Ok(if members.len() == 1 { Ok(members[0]) } else { Err(set) })
    }
}

fn posix_class(name: &str) -> Option<Set> {
    let f: fn(u8) -> bool = match name {
        "alpha" => |b| b.is_ascii_alphabetic(),
        "digit" => |b| b.is_ascii_digit(),
        "alnum" => |b| b.is_ascii_alphanumeric(),
        "space" => |b| b.is_ascii_whitespace() || b == 11,
        "upper" => |b| b.is_ascii_uppercase(),
        "lower" => |b| b.is_ascii_lowercase(),
        "punct" => |b| b.is_ascii_punctuation(),
        "xdigit" => |b| b.is_ascii_hexdigit(),
        "word" => is_word,
        "cntrl" => |b| b.is_ascii_control(),
        "print" => |b| (32..127).contains(&b),
        "graph" => |b| b.is_ascii_graphic(),
        "blank" => |b| b == b' ' || b == b'\t',
        "ascii" => |b| b < 128,
        _ => return None,
    };
    Some(class_set(f))
}
