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

mod parse;

use parse::{is_word, set_has, Parser};

const MAX_INSTS: usize = 100_000;

#[derive(Clone, Copy, Debug)]
pub(super) struct Flags {
    pub(super) caseless: bool,
    pub(super) dotall: bool,
    pub(super) multiline: bool,
    pub(super) extended: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Assert {
    Bol,
    Eol,
    StartText,
    EndText,
    EndTextNl,
    Word,
    NotWord,
}

pub(super) type Set = [u64; 4];

#[derive(Clone, Debug)]
pub(super) enum Node {
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
