//! The import graph of `auth-runtime/src` is a DAG: a file imports only files below it.
//!
//! Std only. Every `.rs` file under `src/` (not `src/bin/`) is read, its comments and literals
//! dropped (a doc link is not an import), and every path into the crate is resolved to the
//! module FILE it names:
//!
//! - `crate::…`, `super::…`, `self::…`, a child module's name (`auth::Auth` in `lib.rs`) and a
//!   name a `use` brought into scope (`request::form_fields` after
//!   `use super::request::{self, …}`), in `use` trees with nested braces and in code;
//! - resolved by the longest prefix that is a module (`a/b.rs`, `a/b/mod.rs`, an inline
//!   `mod x { … }`, a `#[path]` module); what follows is an item of that module's file;
//! - an item a `mod.rs`/`lib.rs` only re-exports (`pub use child::Item`) resolves to the
//!   file that defines it, following the `use` chain, so a parent that declares and
//!   re-exports never stands between two files: no false cycle through it;
//! - a path naming a whole `mod.rs`/`lib.rs` module (`use crate::pages::{self}`) is not an
//!   edge by itself: what the file then reaches through that name (`pages::render_error`)
//!   is resolved and counted;
//! - `mod x;` declarations are not edges, nor is a file's reference to itself.
//!
//! The test fails listing every strongly connected component of more than one file, with
//! one cycle through it spelled out.

#![allow(
    clippy::unwrap_used,
    reason = "a test reading its own sources fails loudly"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[test]
fn the_import_graph_of_the_runtime_has_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    read_sources(&src, &src, &mut files);
    assert!(files.contains_key("lib.rs"), "no lib.rs under {src:?}");
    let graph = Graph::build(&files);
    let report = graph.cycles_report();
    assert!(report.is_empty(), "the import graph has cycles:\n{report}");
}

/// The checker itself: a cycle through a re-exporting `mod.rs` is found, while a parent that
/// only re-exports, a doc link and a string are not edges.
#[test]
fn the_checker_finds_a_cycle_and_ignores_re_exports_comments_and_strings() {
    let acyclic = sources(&[
        (
            "lib.rs",
            "mod a;\nmod b;\nmod m;\npub use a::A;\npub use m::{C, D};",
        ),
        (
            "a.rs",
            "//! Uses [`crate::b::B`] in a doc link.\nuse crate::m::C;\npub struct A;\n\
             fn f() -> &'static str { \"crate::b::x\" }",
        ),
        (
            "b.rs",
            "use crate::A;\nuse super::m;\npub fn g() { m::d(); }",
        ),
        (
            "m/mod.rs",
            "mod c;\nmod d;\npub use c::C;\npub(crate) use d::{D, d};",
        ),
        ("m/c.rs", "pub struct C;"),
        (
            "m/d.rs",
            "pub struct D;\npub fn d() {}\n#[cfg(test)] mod tests { use super::*; }",
        ),
    ]);
    let graph = Graph::build(&acyclic);
    assert_eq!(graph.cycles_report(), "");
    assert_eq!(graph.edges_of("b.rs"), ["a.rs", "m/d.rs"]);
    assert_eq!(graph.edges_of("a.rs"), ["m/c.rs"]);
    assert_eq!(graph.edges_of("lib.rs"), ["a.rs", "m/c.rs", "m/d.rs"]);

    let mut cyclic = acyclic;
    cyclic.insert("m/c.rs".into(), "use crate::b::g;\npub struct C;".into());
    let report = Graph::build(&cyclic).cycles_report();
    assert!(
        report.contains("a.rs -> m/c.rs -> b.rs -> a.rs"),
        "{report}"
    );
}

fn sources(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
        .collect()
}

fn read_sources(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            if relative != "bin" {
                read_sources(root, &path, files);
            }
        } else if relative.ends_with(".rs") {
            files.insert(relative, std::fs::read_to_string(&path).unwrap());
        }
    }
}

// --- lexing: identifiers, `::`, punctuation and string contents; comments dropped ---

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    /// A string literal's contents (kept only to read `#[path = "…"]`).
    Str(String),
    PathSep,
    Punct(char),
}

fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            let (contents, next) = string_literal(&chars, i + 1);
            tokens.push(Token::Str(contents));
            i = next;
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                // A lifetime or label.
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            let ident: String = chars[start..i].iter().collect();
            let raw_string = matches!(ident.as_str(), "r" | "br" | "cr")
                && (at(i) == '"' || (at(i) == '#' && matches!(at(i + 1), '#' | '"')));
            if raw_string {
                let mut hashes = 0;
                while at(i) == '#' {
                    hashes += 1;
                    i += 1;
                }
                i += 1;
                let start = i;
                loop {
                    if i >= chars.len() {
                        break;
                    }
                    if chars[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                        break;
                    }
                    i += 1;
                }
                tokens.push(Token::Str(
                    chars[start..i.min(chars.len())].iter().collect(),
                ));
                i += 1 + hashes;
            } else if matches!(ident.as_str(), "b" | "c") && at(i) == '"' {
                let (contents, next) = string_literal(&chars, i + 1);
                tokens.push(Token::Str(contents));
                i = next;
            } else if ident == "b" && at(i) == '\'' {
                i += 1;
                if at(i) == '\\' {
                    i += 1;
                }
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else {
                tokens.push(Token::Ident(ident));
            }
        } else if c == ':' && at(i + 1) == ':' {
            tokens.push(Token::PathSep);
            i += 2;
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

/// The contents of a string literal whose opening quote is before `start`, and the index
/// after its closing quote.
fn string_literal(chars: &[char], start: usize) -> (String, usize) {
    let mut i = start;
    let mut contents = String::new();
    while i < chars.len() && chars[i] != '"' {
        if chars[i] == '\\' {
            i += 1;
        }
        if let Some(c) = chars.get(i) {
            contents.push(*c);
        }
        i += 1;
    }
    (contents, i + 1)
}

// --- paths ---

/// One path read from a `use` tree or from code, segments as written.
#[derive(Debug, Clone)]
struct RawPath {
    /// The module the path is written in.
    module: Vec<String>,
    segments: Vec<String>,
    /// The name a `use` brings into scope (the last segment, or its `as` alias); `None` for
    /// a glob, a path in code, or `as _`.
    binds: Option<String>,
    glob: bool,
    in_use: bool,
}

/// Reads a path (a `use` tree when `in_use`) starting at `i`; returns the index after it.
fn read_tree(
    tokens: &[Token],
    mut i: usize,
    prefix: Vec<String>,
    module: &[String],
    in_use: bool,
    out: &mut Vec<RawPath>,
) -> usize {
    let mut segments = prefix;
    loop {
        match tokens.get(i) {
            Some(Token::Ident(name)) => {
                segments.push(name.clone());
                i += 1;
                if tokens.get(i) == Some(&Token::PathSep) {
                    i += 1;
                    continue;
                }
                let mut binds = segments.iter().rev().find(|s| *s != "self").cloned();
                if in_use && tokens.get(i) == Some(&Token::Ident("as".into())) {
                    binds = match tokens.get(i + 1) {
                        Some(Token::Ident(alias)) => Some(alias.clone()),
                        _ => None,
                    };
                    i += 2;
                }
                out.push(RawPath {
                    module: module.to_vec(),
                    segments,
                    binds: if in_use { binds } else { None },
                    glob: false,
                    in_use,
                });
                return i;
            }
            Some(Token::Punct('{')) if in_use => {
                i += 1;
                while let Some(token) = tokens.get(i) {
                    match token {
                        Token::Punct('}') => {
                            i += 1;
                            break;
                        }
                        Token::Punct(',') => i += 1,
                        _ => {
                            let before = i;
                            i = read_tree(tokens, i, segments.clone(), module, in_use, out);
                            if i == before {
                                i += 1;
                            }
                        }
                    }
                }
                return i;
            }
            Some(Token::Punct('*')) => {
                out.push(RawPath {
                    module: module.to_vec(),
                    segments,
                    binds: None,
                    glob: true,
                    in_use,
                });
                return i + 1;
            }
            _ => {
                if !segments.is_empty() {
                    out.push(RawPath {
                        module: module.to_vec(),
                        segments,
                        binds: None,
                        glob: false,
                        in_use,
                    });
                }
                return i;
            }
        }
    }
}

/// What one file declares and refers to.
struct Scan {
    paths: Vec<RawPath>,
    /// Inline modules (`mod tests { … }`), as full module paths.
    inline_modules: Vec<Vec<String>>,
    /// `#[path = "…"] mod name;`: (module path, file named, relative to this file's dir).
    path_modules: Vec<(Vec<String>, String)>,
}

fn scan(tokens: &[Token], file_module: &[String]) -> Scan {
    let mut scan = Scan {
        paths: Vec::new(),
        inline_modules: Vec::new(),
        path_modules: Vec::new(),
    };
    // (module name, brace depth inside it)
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut pending_path: Option<String> = None;
    let module_now = |stack: &[(String, usize)]| -> Vec<String> {
        let mut module = file_module.to_vec();
        module.extend(stack.iter().map(|(name, _)| name.clone()));
        module
    };
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        let previous = i.checked_sub(1).and_then(|p| tokens.get(p));
        match token {
            Token::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Token::Punct('}') => {
                if stack.last().is_some_and(|(_, at)| *at == depth) {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Token::Ident(word)
                if word == "path" && tokens.get(i + 1) == Some(&Token::Punct('=')) =>
            {
                if let Some(Token::Str(file)) = tokens.get(i + 2) {
                    pending_path = Some(file.clone());
                }
                i += 3;
            }
            Token::Ident(word) if word == "mod" => {
                if let Some(Token::Ident(name)) = tokens.get(i + 1) {
                    let mut module = module_now(&stack);
                    module.push(name.clone());
                    match tokens.get(i + 2) {
                        Some(Token::Punct('{')) => {
                            scan.inline_modules.push(module);
                            depth += 1;
                            stack.push((name.clone(), depth));
                            i += 3;
                            pending_path = None;
                            continue;
                        }
                        Some(Token::Punct(';')) => {
                            if let Some(file) = pending_path.take() {
                                scan.path_modules.push((module, file));
                            }
                        }
                        _ => {}
                    }
                }
                i += 2;
            }
            Token::Ident(word) if word == "use" => {
                i = read_tree(
                    tokens,
                    i + 1,
                    Vec::new(),
                    &module_now(&stack),
                    true,
                    &mut scan.paths,
                );
            }
            Token::Ident(_)
                if previous != Some(&Token::PathSep)
                    && tokens.get(i + 1) == Some(&Token::PathSep) =>
            {
                i = read_tree(
                    tokens,
                    i,
                    Vec::new(),
                    &module_now(&stack),
                    false,
                    &mut scan.paths,
                );
            }
            _ => i += 1,
        }
    }
    scan
}

// --- the graph ---

struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
}

/// What the crate declares: which module lives in which file, and what each module's `use`
/// declarations bind.
struct Crate {
    /// Module path -> file.
    modules: BTreeMap<Vec<String>, String>,
    /// Module path -> name -> absolute path it stands for.
    bindings: BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>,
}

impl Crate {
    /// The absolute path `raw` stands for, or `None` for a path outside the crate.
    fn absolute(&self, raw: &RawPath, with_bindings: bool) -> Option<Vec<String>> {
        let first = raw.segments.first()?;
        let mut rest = &raw.segments[..];
        let base = match first.as_str() {
            "crate" => {
                rest = &rest[1..];
                Vec::new()
            }
            "self" => {
                rest = &rest[1..];
                raw.module.clone()
            }
            "super" => {
                let mut base = raw.module.clone();
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base
            }
            name => {
                let mut child = raw.module.clone();
                child.push(name.to_owned());
                if self.modules.contains_key(&child) {
                    raw.module.clone()
                } else if with_bindings {
                    let target = self.binding(&raw.module, name)?;
                    rest = &rest[1..];
                    target
                } else {
                    return None;
                }
            }
        };
        let mut path = base;
        path.extend(rest.iter().filter(|s| *s != "self").cloned());
        Some(path)
    }

    /// What `name` stands for in `module` or, for an inline module, in the modules around it
    /// (which its `use super::*` sees).
    fn binding(&self, module: &[String], name: &str) -> Option<Vec<String>> {
        let file = self.modules.get(module)?;
        let mut module = module.to_vec();
        loop {
            if let Some(target) = self.bindings.get(&module).and_then(|b| b.get(name)) {
                return Some(target.clone());
            }
            if module.pop().is_none() || self.modules.get(&module) != Some(file) {
                return None;
            }
        }
    }

    /// The file the absolute `path` names, following `use` bindings from a module to the
    /// item's defining file; `(file, names the whole module)`.
    fn resolve(&self, path: &[String], hops: usize) -> Option<(String, bool)> {
        let prefix = (0..=path.len())
            .rev()
            .find(|len| self.modules.contains_key(&path[..*len]))?;
        let file = self.modules[&path[..prefix]].clone();
        if prefix == path.len() {
            return Some((file, true));
        }
        if hops < 16
            && let Some(target) = self
                .bindings
                .get(&path[..prefix])
                .and_then(|b| b.get(&path[prefix]))
        {
            let mut followed = target.clone();
            followed.extend(path[prefix + 1..].iter().cloned());
            if let Some(found) = self.resolve(&followed, hops + 1) {
                return Some(found);
            }
        }
        Some((file, false))
    }
}

impl Graph {
    fn build(files: &BTreeMap<String, String>) -> Self {
        let tokens: BTreeMap<&String, Vec<Token>> =
            files.iter().map(|(path, text)| (path, lex(text))).collect();
        // Module paths by convention, then `#[path]` overrides.
        let mut module_of: BTreeMap<String, Vec<String>> = files
            .keys()
            .map(|path| (path.clone(), conventional_module(path)))
            .collect();
        for (path, tokens) in &tokens {
            let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
            for (module, file) in scan(tokens, &module_of[*path]).path_modules {
                let file = if dir.is_empty() {
                    file
                } else {
                    format!("{dir}/{file}")
                };
                module_of.insert(file, module);
            }
        }
        let mut krate = Crate {
            modules: module_of
                .iter()
                .map(|(file, module)| (module.clone(), file.clone()))
                .collect(),
            bindings: BTreeMap::new(),
        };
        let scans: BTreeMap<&String, Scan> = tokens
            .iter()
            .map(|(path, tokens)| (*path, scan(tokens, &module_of[*path])))
            .collect();
        for (path, scan) in &scans {
            for module in &scan.inline_modules {
                krate.modules.insert(module.clone(), (*path).clone());
            }
        }
        // Bindings: `use` roots are resolved without bindings first, then with them, until
        // nothing changes (a `use` may start from a name another `use` bound).
        for with_bindings in [false, true, true] {
            for scan in scans.values() {
                for raw in scan.paths.iter().filter(|raw| raw.in_use && !raw.glob) {
                    let (Some(name), Some(path)) = (&raw.binds, krate.absolute(raw, with_bindings))
                    else {
                        continue;
                    };
                    if name != "_" {
                        krate
                            .bindings
                            .entry(raw.module.clone())
                            .or_default()
                            .insert(name.clone(), path);
                    }
                }
            }
        }
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (path, scan) in &scans {
            let from = (*path).clone();
            let targets = edges.entry(from.clone()).or_default();
            for raw in &scan.paths {
                let Some(absolute) = krate.absolute(raw, true) else {
                    continue;
                };
                let Some((file, whole_module)) = krate.resolve(&absolute, 0) else {
                    continue;
                };
                let directory = file == "lib.rs" || file.ends_with("/mod.rs");
                if file == from || (whole_module && directory && !raw.glob) {
                    continue;
                }
                targets.insert(file);
            }
        }
        Self { edges }
    }

    fn edges_of(&self, file: &str) -> Vec<&str> {
        self.edges
            .get(file)
            .map(|targets| targets.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Every strongly connected component of more than one file, with a cycle through it;
    /// empty when the graph is a DAG.
    fn cycles_report(&self) -> String {
        let mut report = String::new();
        for component in self.components() {
            let inside: BTreeSet<&String> = component.iter().collect();
            report.push_str(&format!(
                "{} files: {}\n",
                component.len(),
                component.join(", ")
            ));
            for file in &component {
                let within: Vec<&str> = self.edges[file]
                    .iter()
                    .filter(|target| inside.contains(target))
                    .map(String::as_str)
                    .collect();
                report.push_str(&format!("  {file} -> {}\n", within.join(", ")));
            }
            report.push_str(&format!(
                "  cycle: {}\n",
                self.cycle_in(&component).join(" -> ")
            ));
        }
        report
    }

    /// Tarjan's algorithm; components of one file (no self edges are kept) are left out.
    fn components(&self) -> Vec<Vec<String>> {
        struct State<'g> {
            graph: &'g Graph,
            index: BTreeMap<&'g String, usize>,
            low: BTreeMap<&'g String, usize>,
            stack: Vec<&'g String>,
            on_stack: BTreeSet<&'g String>,
            found: Vec<Vec<String>>,
        }
        fn visit<'g>(state: &mut State<'g>, node: &'g String) {
            let next = state.index.len();
            state.index.insert(node, next);
            state.low.insert(node, next);
            state.stack.push(node);
            state.on_stack.insert(node);
            for target in state.graph.edges.get(node).into_iter().flatten() {
                if !state.index.contains_key(target) {
                    visit(state, target);
                    let low = state.low[node].min(state.low[target]);
                    state.low.insert(node, low);
                } else if state.on_stack.contains(target) {
                    let low = state.low[node].min(state.index[target]);
                    state.low.insert(node, low);
                }
            }
            if state.low[node] == state.index[node] {
                let mut component = Vec::new();
                while let Some(top) = state.stack.pop() {
                    state.on_stack.remove(top);
                    component.push(top.clone());
                    if top == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    state.found.push(component);
                }
            }
        }
        let mut state = State {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            found: Vec::new(),
        };
        for node in self.edges.keys() {
            if !state.index.contains_key(node) {
                visit(&mut state, node);
            }
        }
        state.found.sort();
        state.found
    }

    /// A shortest cycle from the component's first file back to it (breadth first).
    fn cycle_in(&self, component: &[String]) -> Vec<String> {
        let inside: BTreeSet<&String> = component.iter().collect();
        let start = &component[0];
        let mut came_from: BTreeMap<&String, &String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            for target in &self.edges[node] {
                if !inside.contains(target) {
                    continue;
                }
                if target == start {
                    let mut cycle = vec![node.clone()];
                    let mut at = node;
                    while at != start {
                        at = came_from[at];
                        cycle.push(at.clone());
                    }
                    cycle.reverse();
                    cycle.push(start.clone());
                    return cycle;
                }
                if !came_from.contains_key(target) && target != start {
                    came_from.insert(target, node);
                    queue.push_back(target);
                }
            }
        }
        Vec::new()
    }
}

/// `lib.rs` -> `[]`, `a.rs` and `a/mod.rs` -> `[a]`, `a/b.rs` -> `[a, b]`.
fn conventional_module(path: &str) -> Vec<String> {
    let stem = path.strip_suffix(".rs").unwrap_or(path);
    let mut segments: Vec<String> = stem.split('/').map(str::to_owned).collect();
    if matches!(segments.last().map(String::as_str), Some("lib" | "mod")) {
        segments.pop();
    }
    segments
}
