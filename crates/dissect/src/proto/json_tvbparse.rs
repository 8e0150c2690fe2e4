//! The tvbparse primitives `json.rs` mirrors (Wireshark parses JSON with `tvbparse`): the
//! matcher state, its nesting counter, and the single-byte, byte-run, optional, repeated and
//! sequence-step combinators the grammar in `json.rs` and `json_scalar.rs` is built from.

use crate::packet::{Ctx, Layer};

/// tvbparse's TVBPARSE_MAX_RECURSION_DEPTH.
const MAX_DEPTH: u32 = 100;

/// A match: bytes consumed (with the whitespace skipped after it inside a sequence) and the
/// length of the token (without that whitespace). Every token starts where it was tried.
pub(crate) type Tok = Option<(usize, usize)>;

/// A set of bytes as a bitmap, built at compile time: testing a byte of the body is one shift,
/// where `contains` on a list is a memchr call per byte.
pub(crate) struct ByteSet([u64; 4]);

impl ByteSet {
    pub(crate) const fn of(bytes: &[u8]) -> ByteSet {
        let mut bits = [0u64; 4];
        let mut i = 0;
        while i < bytes.len() {
            bits[(bytes[i] >> 6) as usize] |= 1 << (bytes[i] & 63);
            i += 1;
        }
        ByteSet(bits)
    }

    #[inline]
    fn has(&self, c: u8) -> bool {
        self.0[(c >> 6) as usize] >> (c & 63) & 1 != 0
    }
}

/// The tvbparse matcher over the body's captured bytes. Each combinator method counts
/// nesting as tvbparse does, leak included: a match refused for depth does not give its
/// level back.
pub(crate) struct Parser<'a> {
    pub(crate) b: &'a [u8],
    pub(super) layer: Layer<'a>,
    pub(super) depth: u32,
    /// Whether items are added (a tree showing or filtering on JSON's fields).
    pub(super) tree: bool,
}

impl<'a> Parser<'a> {
    pub(crate) fn end(&self) -> usize {
        self.b.len()
    }

    /// Entering a sequence, repetition or choice at `at`.
    pub(crate) fn enter(&mut self, at: usize) -> bool {
        if at > self.end() {
            return false;
        }
        self.depth += 1;
        self.depth <= MAX_DEPTH
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Whitespace the parser ignores (" \t\r\n").
    pub(super) fn ws(&self, at: usize) -> usize {
        self.b.get(at..).map_or(0, |r| r.iter().take_while(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n')).count())
    }

    /// One byte of `set`.
    pub(crate) fn ch(&self, at: usize, set: &[u8]) -> Tok {
        let c = self.b.get(at)?;
        if set.iter().any(|s| s == c) {
            Some((1, 1))
        } else {
            None
        }
    }

    /// `min..=max` bytes of `set` (tvbparse_chars), or of anything but `set` when `not`.
    pub(crate) fn chars(&self, at: usize, set: &ByteSet, not: bool, min: usize, max: usize) -> Tok {
        if at + min > self.end() {
            return None;
        }
        let n = self.b[at..].iter().take(max).take_while(|&&c| set.has(c) != not).count();
        if n < min {
            None
        } else {
            Some((n, n))
        }
    }

    /// An optional element (tvbparse_some 0..1), `f` being the element.
    pub(crate) fn optional(&mut self, ctx: &mut Ctx, at: usize, f: fn(&mut Self, &mut Ctx, usize) -> Tok) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let r = f(self, ctx, at).unwrap_or((0, 0));
        self.leave();
        Some(r)
    }

    /// The element repeated any number of times (tvbparse_some 0..INT_MAX).
    pub(crate) fn repeat(&mut self, ctx: &mut Ctx, at: usize, f: fn(&mut Self, &mut Ctx, usize) -> Tok) -> Tok {
        if !self.enter(at) {
            return None;
        }
        let (mut off, mut len) = (at, 0);
        while off <= self.end() {
            match f(self, ctx, off) {
                // Every element consumes at least a byte, so the loop ends.
                Some((n, l)) if n > 0 => {
                    if l > 0 {
                        len = off - at + l;
                    }
                    off += n;
                }
                _ => {
                    self.leave();
                    return Some((off - at, len));
                }
            }
        }
        self.leave();
        None
    }

    /// One step of a sequence: element `r` tried at `*off` (token start `at`), then the
    /// whitespace after it.
    pub(crate) fn step(&self, at: usize, off: &mut usize, len: &mut usize, r: Tok) -> Option<()> {
        let (n, l) = r?;
        if l > 0 {
            *len = *off - at + l;
        }
        *off += n;
        *off += self.ws(*off);
        Some(())
    }

    /// A step whose element is one byte of `set`.
    pub(crate) fn step_ch(&self, at: usize, off: &mut usize, len: &mut usize, set: &[u8]) -> Option<()> {
        let r = self.ch(*off, set);
        self.step(at, off, len, r)
    }

    /// A step whose element is a run of bytes (`chars`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn step_chars(&self, at: usize, off: &mut usize, len: &mut usize, set: &ByteSet, not: bool, min: usize, max: usize) -> Option<()> {
        let r = self.chars(*off, set, not, min, max);
        self.step(at, off, len, r)
    }
}
