//! The regular expressions of `matches` / `~`: a Thompson NFA run as a Pike VM over bytes.
//!
//! Why our own engine: the core has no dependencies and must run the same natively (`cargo
//! test`) and in wasm, and a filter runs over millions of frames, so the engine must be
//! linear in the input whatever the pattern (no backtracking blow-up on hostile patterns or
//! payloads). A wasm import of the host's RegExp would tie the core to JavaScript, cross the
//! boundary once per value, and use JavaScript's dialect rather than PCRE's.
//!
//! The dialect is the PCRE2 subset a Pike VM can run, with Wireshark's options: caseless by
//! default (`(?-i)` turns it off), bytes rather than UTF-8 (NEVER_UTF), `.` not matching a
//! newline unless `(?s)`. Supported: literals and escapes (`\d \w \s \b \xhh \x{..} \Q..\E`
//! ...), classes with ranges and POSIX names, `^ $ \A \z \Z`, groups (capturing, `(?:)`,
//! named, scoped flags `(?i:..)`), alternation, `* + ? {n,m}` (greedy, lazy and possessive
//! forms match the same set of inputs). Backreferences and lookaround need backtracking and
//! are rejected with a message.

const MAX_INSTS: usize = 100_000;

#[derive(Clone, Copy, Debug)]
struct Flags {
    caseless: bool,
    dotall: bool,
    multiline: bool,
    extended: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assert {
    Bol,
    Eol,
    StartText,
    EndText,
    EndTextNl,
    Word,
    NotWord,
}

type Set = [u64; 4];

#[derive(Clone, Debug)]
enum Node {
    Empty,
    Set(Box<Set>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
    Assert(Assert),
}

#[derive(Clone, Debug)]
enum Inst {
    Set(Box<Set>),
    Split(usize, usize),
    Jmp(usize),
    Assert(Assert),
    Match,
}

#[derive(Clone, Debug)]
pub struct Regex {
    prog: Vec<Inst>,
}

fn set_has(s: &Set, b: u8) -> bool {
    s[(b >> 6) as usize] & (1u64 << (b & 63)) != 0
}

fn set_add(s: &mut Set, b: u8) {
    s[(b >> 6) as usize] |= 1u64 << (b & 63);
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn class_set(pred: impl Fn(u8) -> bool) -> Set {
    let mut s = [0u64; 4];
    for b in 0..=255u8 {
        if pred(b) {
            set_add(&mut s, b);
        }
    }
    s
}

fn byte_set(b: u8, caseless: bool) -> Set {
    let mut s = [0u64; 4];
    set_add(&mut s, b);
    if caseless {
        set_add(&mut s, b.to_ascii_lowercase());
        set_add(&mut s, b.to_ascii_uppercase());
    }
    s
}

fn negate(s: &mut Set) {
    for w in s.iter_mut() {
        *w = !*w;
    }
}

struct Parser<'a> {
    p: &'a [u8],
    i: usize,
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

    fn alt(&mut self, flags: &mut Flags) -> Result<Node, String> {
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

struct Compiler {
    prog: Vec<Inst>,
}

impl Compiler {
    fn emit(&mut self, i: Inst) -> Result<usize, String> {
        if self.prog.len() >= MAX_INSTS {
            return Err("regular expression is too large".into());
        }
        self.prog.push(i);
        Ok(self.prog.len() - 1)
    }

    fn node(&mut self, n: &Node) -> Result<(), String> {
        match n {
            Node::Empty => {}
            Node::Set(s) => {
                self.emit(Inst::Set(s.clone()))?;
            }
            Node::Assert(a) => {
                self.emit(Inst::Assert(*a))?;
            }
            Node::Concat(items) => {
                for i in items {
                    self.node(i)?;
                }
            }
            Node::Alt(alts) => {
                let mut jumps = Vec::new();
                for (k, a) in alts.iter().enumerate() {
                    if k + 1 < alts.len() {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.node(a)?;
                        jumps.push(self.emit(Inst::Jmp(0))?);
                        let next = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, next);
                    } else {
                        self.node(a)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat(body, min, max) => {
                for _ in 0..*min {
                    self.node(body)?;
                }
                match max {
                    None => {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.node(body)?;
                        self.emit(Inst::Jmp(split))?;
                        let end = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, end);
                    }
                    Some(m) => {
                        let mut splits = Vec::new();
                        for _ in *min..*m {
                            splits.push(self.emit(Inst::Split(0, 0))?);
                            self.node(body)?;
                        }
                        let end = self.prog.len();
                        for s in splits {
                            self.prog[s] = Inst::Split(s + 1, end);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl Regex {
    /// Compiles a pattern; the error is PCRE2's message for the same mistake.
    pub fn new(pattern: &[u8]) -> Result<Regex, String> {
        let mut flags = Flags { caseless: true, dotall: false, multiline: false, extended: false };
        let mut p = Parser { p: pattern, i: 0 };
        let node = p.alt(&mut flags)?;
        if p.i < pattern.len() {
            return Err("unmatched closing parenthesis".into());
        }
        let mut c = Compiler { prog: Vec::new() };
        c.node(&node)?;
        c.emit(Inst::Match)?;
        Ok(Regex { prog: c.prog })
    }

    /// Whether the pattern matches anywhere in `hay`. Linear in `hay.len() * program size`.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        let n = self.prog.len();
        let mut clist = Threads::new(n);
        let mut nlist = Threads::new(n);
        let mut stack = Vec::new();
        for i in 0..=hay.len() {
            if self.add(&mut clist, &mut stack, 0, hay, i) {
                return true;
            }
            if i == hay.len() {
                break;
            }
            nlist.clear();
            let b = hay[i];
            for k in 0..clist.len {
                let pc = clist.dense[k];
                if let Inst::Set(s) = &self.prog[pc] {
                    if set_has(s, b) && self.add(&mut nlist, &mut stack, pc + 1, hay, i + 1) {
                        return true;
                    }
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
        }
        false
    }

    /// Adds `pc`'s epsilon closure at position `at`; true if it reaches Match.
    fn add(&self, list: &mut Threads, stack: &mut Vec<usize>, pc: usize, hay: &[u8], at: usize) -> bool {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if !list.insert(pc) {
                continue;
            }
            match &self.prog[pc] {
                Inst::Match => return true,
                Inst::Jmp(t) => stack.push(*t),
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Assert(a) => {
                    if assert_holds(*a, hay, at) {
                        stack.push(pc + 1);
                    }
                }
                Inst::Set(_) => {}
            }
        }
        false
    }
}

fn assert_holds(a: Assert, h: &[u8], i: usize) -> bool {
    let before = if i > 0 { h.get(i - 1).copied() } else { None };
    let after = h.get(i).copied();
    match a {
        Assert::StartText => i == 0,
        Assert::EndText => i == h.len(),
        Assert::EndTextNl => i == h.len() || (i + 1 == h.len() && after == Some(b'\n')),
        Assert::Bol => i == 0 || before == Some(b'\n'),
        Assert::Eol => i == h.len() || after == Some(b'\n'),
        Assert::Word => before.map_or(false, is_word) != after.map_or(false, is_word),
        Assert::NotWord => before.map_or(false, is_word) == after.map_or(false, is_word),
    }
}

/// A sparse set of program counters (O(1) insert and clear).
struct Threads {
    dense: Vec<usize>,
    sparse: Vec<usize>,
    len: usize,
}

impl Threads {
    fn new(n: usize) -> Threads {
        Threads { dense: vec![0; n], sparse: vec![0; n], len: 0 }
    }
    fn clear(&mut self) {
        self.len = 0;
    }
    fn insert(&mut self, pc: usize) -> bool {
        let s = self.sparse[pc];
        if s < self.len && self.dense[s] == pc {
            return false;
        }
        self.dense[self.len] = pc;
        self.sparse[pc] = self.len;
        self.len += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, h: &str) -> bool {
        Regex::new(p.as_bytes()).unwrap().is_match(h.as_bytes())
    }

    #[test]
    fn caseless_by_default_and_flags() {
        assert!(m("get", "GET / HTTP/1.1"));
        assert!(!m("(?-i)get", "GET"));
        assert!(m("(?-i:G)et", "GeT"));
        assert!(!m("(?-i:g)et", "GET"));
        assert!(m("^eth:ethertype:ipv6:tcp$", "eth:ethertype:ipv6:tcp"));
        assert!(!m("^ipv6", "eth:ipv6"));
        assert!(m("a$", "ba\n"));
        assert!(!m("a.b", "a\nb"));
        assert!(m("(?s)a.b", "a\nb"));
    }

    #[test]
    fn classes_repetition_alternation() {
        assert!(m("^[a-z]+\\.(com|org)$", "example.org"));
        assert!(!m("^[a-z]+\\.(com|org)$", "example.net"));
        assert!(m("\\d{3}-\\d{4}", "call 555-1234"));
        assert!(!m("^\\d{3}$", "1234"));
        assert!(m("x{2,3}y", "xxxy"));
        assert!(m("[^[:digit:]]", "12a"));
        assert!(m("\\bHost\\b", "Host: x"));
        assert!(m("colou?r", "color"));
        assert!(m("a|b|", "zzz"));
        assert!(m("\\x47ET", "GET"));
        assert!(m("[\\d.]+", "1.2"));
    }

    #[test]
    fn linear_on_pathological_patterns() {
        let hay = "a".repeat(5000);
        assert!(!m("(a*)*b", &hay));
        assert!(!m("(a|a)*b", &hay));
    }

    #[test]
    fn pcre_error_messages() {
        let e = |p: &str| Regex::new(p.as_bytes()).unwrap_err();
        assert_eq!(e("("), "missing closing parenthesis");
        assert_eq!(e(")"), "unmatched closing parenthesis");
        assert_eq!(e("[a"), "missing terminating ] for character class");
        assert_eq!(e("*"), "quantifier does not follow a repeatable item");
        assert_eq!(e("a{2,1}"), "numbers out of order in {} quantifier");
        assert_eq!(e("[z-a]"), "range out of order in character class");
    }
}
