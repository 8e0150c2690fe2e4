//! Wireshark display filters, compiled once against the field registry and run over
//! dissection trees: lexer -> parser -> check (types, against the registry) -> compile
//! (field slots, constant folding) -> eval. The dialect and the error messages are tshark
//! 4.0's (the project's oracle), plus `xor`/`^^` and `@field` from later versions.

pub mod check;
pub mod color;
pub mod compile;
pub mod eval;
pub mod functions;
pub mod ir;
pub mod lexer;
pub mod literal;
pub mod parser;
pub mod prejudge;
pub mod regex;
pub mod value;

use crate::field::{all_fields, FieldDef};
use crate::tree::Tree;

/// A byte range of the filter text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub len: usize,
}

impl Span {
    pub fn new(start: usize, len: usize) -> Span {
        Span { start, len }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        let start = self.start.min(other.start);
        let end = (self.start + self.len).max(other.start + other.len);
        Span { start, len: end - start }
    }
}

/// Why a filter was rejected: tshark's message, and where (some errors have no location,
/// e.g. an unexpected end of the filter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    pub message: String,
    pub span: Option<Span>,
}

impl FilterError {
    pub fn new(message: &str) -> FilterError {
        FilterError { message: message.to_string(), span: None }
    }

    pub fn at(message: &str, span: Span) -> FilterError {
        FilterError { message: message.to_string(), span: Some(span) }
    }

    /// tshark's report: `<prefix>: <message>`, then, when located, the filter and a caret
    /// line under the offending part (`^~~~`), each indented by four spaces.
    pub fn render(&self, prefix: &str, filter: &str) -> String {
        let mut out = format!("{}: {}\n", prefix, self.message);
        if let Some(s) = self.span {
            let col = filter.get(..s.start.min(filter.len())).map_or(s.start, |p| p.chars().count());
            let width = filter.get(s.start.min(filter.len())..(s.start + s.len).min(filter.len())).map_or(1, |p| p.chars().count()).max(1);
            out.push_str("    ");
            out.push_str(filter);
            out.push_str("\n    ");
            out.push_str(&" ".repeat(col));
            out.push('^');
            out.push_str(&"~".repeat(width - 1));
            out.push('\n');
        }
        out
    }
}

/// How a filter is compiled.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'z> {
    /// Absolute times written without a zone are local times here (UTC when none).
    pub zone: Option<&'z crate::addr::Zone>,
    /// Names Reef does not know are absent fields instead of errors (coloring rules, which
    /// name protocols Reef may not dissect).
    pub lenient: bool,
}

/// A compiled display filter.
pub struct Filter {
    program: compile::Program,
    text: String,
    /// Names treated as absent fields (lenient compilation only).
    pub missing: Vec<String>,
    scratch: eval::Scratch,
}

impl Filter {
    /// Compiles a filter as tshark would; an empty filter matches everything.
    pub fn compile(text: &str) -> Result<Filter, FilterError> {
        Filter::compile_with(text, Options::default())
    }

    pub fn compile_with(text: &str, opts: Options) -> Result<Filter, FilterError> {
        let ast = parser::parse(text)?;
        let mut c = check::Checker { src: text, zone: opts.zone, lenient: opts.lenient, missing: Vec::new() };
        let test = match ast {
            Some(e) => c.expr(&e)?,
            None => ir::Test::Const(true),
        };
        Ok(Filter { program: compile::compile(test), text: text.to_string(), missing: c.missing, scratch: eval::Scratch::default() })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// `Some(b)` when every frame gives `b` (e.g. a coloring rule for protocols Reef lacks).
    pub fn constant(&self) -> Option<bool> {
        self.program.constant()
    }

    /// The fields the filter reads (the tree must contain them to give tshark's answers).
    pub fn fields(&self) -> &[&'static FieldDef] {
        &self.program.fields
    }

    /// The fields a dissection must record for this filter: `None` when it needs every node.
    pub fn interest(&self) -> Option<&[&'static FieldDef]> {
        if self.program.full_tree {
            None
        } else {
            Some(&self.program.fields)
        }
    }

    /// Whether a frame passes; `tree` is its dissection with the tree enabled.
    pub fn matches(&mut self, tree: &Tree, data: &[u8]) -> bool {
        eval::run(&self.program, tree, data, &mut self.scratch)
    }

    /// `matches` over a tree dissected only as far as the tests `facts` leave open.
    pub fn matches_with(&mut self, tree: &Tree, data: &[u8], facts: &prejudge::Facts) -> bool {
        eval::run_with(&self.program, tree, data, &mut self.scratch, Some(facts))
    }

    /// The compiled test (what `prejudge::Facts::judge` reads).
    pub fn test(&self) -> &ir::Test {
        &self.program.root
    }

    /// What the filter's fields are, by slot, for judging it before dissecting.
    pub fn owners(&self) -> prejudge::Owners {
        prejudge::Owners::of(&self.program)
    }
}

/// Registry fields whose filter name starts with the last word of `text`: the byte offset
/// where that word starts, and the candidates in registration order.
pub fn complete(text: &str) -> (usize, Vec<&'static FieldDef>) {
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.' || *c == '-'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &text[start..];
    if word.is_empty() {
        return (start, Vec::new());
    }
    (start, all_fields().filter(|f| f.abbrev.starts_with(word)).collect())
}

#[cfg(test)]
mod tests;
