//! `cargo xtask modcycles`: finds import cycles between the modules of each crate.
//!
//! Modules that import each other cannot be read, tested or moved one at a time, so every crate
//! under `crates/` should layer its modules: a module may use the ones below it, never one above.
//! This check reads each crate's `src/` and builds one graph for the crate's top-level modules
//! and one for the sibling submodules of every folder module at any depth (`src/driver/*.rs`,
//! `src/runtime/task/*.rs`, ...), then fails listing every cycle with one source line per edge.
//!
//! What counts as an edge from module `a` to its sibling `b`: a path written in `a`'s source
//! (its file and every file below it) that starts with `crate::` (or `$crate::`), `super::` or
//! `self::` and names `b` or something inside it, in a `use` declaration or in code. A name that
//! a module re-exports is followed to where it comes from, so `crate::Instant` counts as an edge
//! to `instant` when the crate root says `pub use instant::Instant`. Paths that name an item
//! defined in the parent module's own file (`super::Driver` in `driver/mod.rs`'s children) are
//! no edge, nor are paths outside the crate. Comments (doc comments and their examples too),
//! string literals and `#[cfg(test)]` modules (inline, or their files) are ignored; every other
//! `#[cfg]` is read as if on, so code only built under `loom` or a feature counts.
//!
//! It reads tokens, not a syntax tree: no dependency, and the workspace's sources are regular
//! enough (`mod` declarations, `#[path]` attributes and `use` trees are all it must understand).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

pub fn run() -> Result<(), String> {
    let mut crates: Vec<PathBuf> = fs::read_dir("crates")
        .map_err(|e| format!("crates/: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|dir| dir.join("src").is_dir())
        .collect();
    crates.sort();
    let mut cycles = 0;
    for dir in &crates {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        for cycle in crate_cycles(&dir.join("src"))? {
            cycles += 1;
            let scope = if cycle.scope.is_empty() {
                String::from("crate")
            } else {
                format!("crate::{}", cycle.scope.join("::"))
            };
            println!(
                "{name}: cycle in {scope} between {}",
                cycle.members.join(", ")
            );
            for edge in cycle.edges {
                println!("    {edge}");
            }
        }
    }
    if cycles == 0 {
        println!("no module cycles in {} crates", crates.len());
        Ok(())
    } else {
        Err(format!("{cycles} module cycle(s)"))
    }
}

/// A strongly connected set of sibling modules.
struct Cycle {
    /// The parent module whose children these are (empty for the crate root).
    scope: Vec<String>,
    members: Vec<String>,
    /// `a -> b  file:line path`, one per edge inside the cycle.
    edges: Vec<String>,
}

/// A module path inside the crate, without `crate`: `["driver", "handle"]`.
type ModPath = Vec<String>;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    /// `::`
    PathSep,
    Punct(char),
}

struct Token {
    tok: Tok,
    line: usize,
}

/// A path written in a module's source, resolved to an absolute module path.
struct Reference {
    from: ModPath,
    to: ModPath,
    file: PathBuf,
    line: usize,
    text: String,
}

#[derive(Default)]
struct Crate {
    modules: BTreeSet<ModPath>,
    /// Per module, the names its `use` declarations bind, and what they name.
    imports: HashMap<ModPath, HashMap<String, ModPath>>,
    /// Raw paths found, before resolution: (scope, path as written, file, line).
    raw: Vec<(ModPath, Vec<String>, PathBuf, usize)>,
    /// Raw `use` bindings: (scope, bound name, path as written).
    raw_imports: Vec<(ModPath, String, Vec<String>)>,
    /// Modules under `#[cfg(test)]`, with everything below them.
    test_only: Vec<ModPath>,
}

fn crate_cycles(src: &Path) -> Result<Vec<Cycle>, String> {
    let mut files = Vec::new();
    collect_files(src, &mut files)?;
    files.sort();
    let mut tokens = HashMap::new();
    for file in &files {
        let text = fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        tokens.insert(file.clone(), tokenize(&text));
    }
    // `#[path = "x.rs"] mod name;` gives a file another module name than its own.
    let mut renamed = HashMap::new();
    for file in &files {
        for (path, name) in path_attributes(&tokens[file]) {
            renamed.insert(child_dir(src, file).join(path), name);
        }
    }
    let mut krate = Crate::default();
    let mut module_of = Vec::new();
    for file in &files {
        let mut module = default_module_path(src, file);
        if let Some(name) = renamed.get(file) {
            module.pop();
            module.push(name.clone());
        }
        for depth in 1..=module.len() {
            krate.modules.insert(module[..depth].to_vec());
        }
        module_of.push(module);
    }
    for (file, module) in files.iter().zip(module_of) {
        scan(&tokens[file], module, file, &mut krate);
    }
    for (scope, name, path) in &krate.raw_imports {
        if let Some(target) = absolute(&krate.modules, scope, path) {
            krate
                .imports
                .entry(scope.clone())
                .or_default()
                .insert(name.clone(), target);
        }
    }
    let is_test = |module: &ModPath| krate.test_only.iter().any(|t| module.starts_with(t));
    let mut references = Vec::new();
    for (scope, path, file, line) in &krate.raw {
        if is_test(scope) {
            continue;
        }
        if let Some(target) = absolute(&krate.modules, scope, path) {
            references.push(Reference {
                from: scope.clone(),
                to: krate.canonical(target),
                file: file.clone(),
                line: *line,
                text: path.join("::"),
            });
        }
    }
    Ok(find_cycles(&krate.modules, &references))
}

impl Crate {
    /// Follows re-exports: `crate::Instant` becomes `crate::instant::Instant`.
    fn canonical(&self, mut path: ModPath) -> ModPath {
        for _ in 0..8 {
            let mut replaced = None;
            for i in 0..path.len() {
                if self.modules.contains(&path[..=i]) {
                    continue;
                }
                if let Some(target) = self.imports.get(&path[..i]).and_then(|m| m.get(&path[i])) {
                    let mut next = target.clone();
                    next.extend_from_slice(&path[i + 1..]);
                    replaced = Some(next);
                }
                break;
            }
            match replaced {
                Some(next) if next != path => path = next,
                _ => break,
            }
        }
        path
    }
}

/// The absolute module path `path` names when written in `scope`, or `None` if it leaves the
/// crate.
fn absolute(modules: &BTreeSet<ModPath>, scope: &ModPath, path: &[String]) -> Option<ModPath> {
    let (first, rest) = path.split_first()?;
    let mut resolved = match first.as_str() {
        "crate" | "$crate" => rest.to_vec(),
        "self" => [scope.as_slice(), rest].concat(),
        "super" => {
            let supers = path.iter().take_while(|s| *s == "super").count();
            let base = scope.len().checked_sub(supers)?;
            [&scope[..base], &path[supers..]].concat()
        }
        // A relative `use` path: a child module of the scope, or another crate.
        _ => {
            let child = [scope.as_slice(), &path[..1]].concat();
            if !modules.contains(&child) {
                return None;
            }
            [scope.as_slice(), path].concat()
        }
    };
    resolved.retain(|segment| segment != "*");
    Some(resolved)
}

fn find_cycles(modules: &BTreeSet<ModPath>, references: &[Reference]) -> Vec<Cycle> {
    // scope -> (from, to) -> first reference
    let mut graphs: BTreeMap<ModPath, BTreeMap<(String, String), &Reference>> = BTreeMap::new();
    for reference in references {
        let common = reference
            .from
            .iter()
            .zip(&reference.to)
            .take_while(|(a, b)| a == b)
            .count();
        if common >= reference.from.len() || common >= reference.to.len() {
            continue;
        }
        if !modules.contains(&reference.to[..=common]) {
            continue;
        }
        let edge = (reference.from[common].clone(), reference.to[common].clone());
        graphs
            .entry(reference.from[..common].to_vec())
            .or_default()
            .entry(edge)
            .or_insert(reference);
    }
    let mut cycles = Vec::new();
    for (scope, edges) in graphs {
        let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (from, to) in edges.keys() {
            next.entry(from).or_default().push(to);
        }
        let reach = |start: &str| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![start];
            while let Some(node) = stack.pop() {
                for &to in next.get(node).into_iter().flatten() {
                    if seen.insert(to) {
                        stack.push(to);
                    }
                }
            }
            seen
        };
        let reachable: BTreeMap<&str, BTreeSet<&str>> =
            next.keys().map(|&node| (node, reach(node))).collect();
        let mut done = BTreeSet::new();
        for (&node, from_node) in &reachable {
            if done.contains(node) || !from_node.contains(node) {
                continue;
            }
            let members: Vec<&str> = from_node
                .iter()
                .copied()
                .filter(|other| reachable.get(other).is_some_and(|r| r.contains(node)))
                .collect();
            done.extend(members.iter().copied());
            let cycle_edges = edges
                .iter()
                .filter(|((a, b), _)| {
                    members.contains(&a.as_str()) && members.contains(&b.as_str())
                })
                .map(|((a, b), r)| {
                    format!("{a} -> {b}  {}:{} {}", r.file.display(), r.line, r.text)
                })
                .collect();
            cycles.push(Cycle {
                scope: scope.clone(),
                members: members.iter().map(|m| m.to_string()).collect(),
                edges: cycle_edges,
            });
        }
    }
    cycles
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

/// `src/lib.rs` is the root, `src/a.rs` and `src/a/mod.rs` are `a`, `src/a/b.rs` is `a::b`.
fn default_module_path(src: &Path, file: &Path) -> ModPath {
    let relative = file.strip_prefix(src).unwrap_or(file);
    let mut path: ModPath = relative
        .with_extension("")
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if matches!(path.last().map(String::as_str), Some("mod")) {
        path.pop();
    }
    if path.len() == 1 && matches!(path[0].as_str(), "lib" | "main") {
        path.clear();
    }
    path
}

/// The directory a file's `mod` declarations (and their `#[path]`s) are relative to.
fn child_dir(src: &Path, file: &Path) -> PathBuf {
    let parent = file.parent().unwrap_or(src).to_owned();
    match file.file_stem().and_then(|s| s.to_str()) {
        Some("mod" | "lib" | "main") => parent,
        Some(stem) => parent.join(stem),
        None => parent,
    }
}

/// `(file, module name)` of each `#[path = "file"] mod name;`.
fn path_attributes(tokens: &[Token]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for window in tokens.windows(8) {
        let toks: Vec<&Tok> = window.iter().map(|t| &t.tok).collect();
        if let [Tok::Punct('#'), Tok::Punct('['), Tok::Ident(attr), Tok::Punct('='), Tok::Str(file), Tok::Punct(']'), Tok::Ident(kw), Tok::Ident(name)] =
            toks.as_slice()
        {
            if attr == "path" && kw == "mod" {
                found.push((file.clone(), name.clone()));
            }
        }
    }
    found
}

fn ident(tokens: &[Token], i: usize) -> Option<&str> {
    match tokens.get(i).map(|t| &t.tok) {
        Some(Tok::Ident(name)) => Some(name),
        _ => None,
    }
}

fn is(tokens: &[Token], i: usize, tok: &Tok) -> bool {
    tokens.get(i).is_some_and(|t| &t.tok == tok)
}

/// The index just past the bracket group opening at `i`.
fn skip_group(tokens: &[Token], i: usize) -> usize {
    let (open, close) = match tokens[i].tok {
        Tok::Punct('[') => ('[', ']'),
        Tok::Punct('(') => ('(', ')'),
        _ => ('{', '}'),
    };
    let mut depth = 0;
    for (j, token) in tokens.iter().enumerate().skip(i) {
        if token.tok == Tok::Punct(open) {
            depth += 1;
        } else if token.tok == Tok::Punct(close) {
            depth -= 1;
            if depth == 0 {
                return j + 1;
            }
        }
    }
    tokens.len()
}

/// Records the paths, `use` bindings, inline modules and `#[cfg(test)]` modules of one file.
fn scan(tokens: &[Token], module: ModPath, file: &Path, krate: &mut Crate) {
    // Inline `mod name { ... }` scopes: (module, brace depth inside it).
    let mut scopes = vec![(module, 0usize)];
    let mut depth = 0usize;
    let mut cfg_test = false;
    let mut i = 0;
    while i < tokens.len() {
        let scope = scopes.last().map(|(m, _)| m.clone()).unwrap_or_default();
        match &tokens[i].tok {
            Tok::Punct('#') if is(tokens, i + 1, &Tok::Punct('[')) => {
                let end = skip_group(tokens, i + 1);
                let attr: Vec<&Tok> = tokens[i + 2..end.saturating_sub(1)]
                    .iter()
                    .map(|t| &t.tok)
                    .collect();
                let test = Tok::Ident("test".into());
                if matches!(attr.first(), Some(Tok::Ident(cfg)) if cfg == "cfg")
                    && (attr.get(2) == Some(&&test)
                        || (matches!(attr.get(2), Some(Tok::Ident(all)) if all == "all")
                            && attr.get(4) == Some(&&test)))
                {
                    cfg_test = true;
                }
                i = end;
                continue;
            }
            Tok::Punct('!') if is(tokens, i + 1, &Tok::Punct('[')) => {
                // An inner attribute `#![...]`: the `#` was consumed as punctuation.
                i = skip_group(tokens, i + 1);
                continue;
            }
            Tok::Ident(word) if word == "pub" => {
                i += 1;
                if is(tokens, i, &Tok::Punct('(')) {
                    i = skip_group(tokens, i);
                }
                continue;
            }
            Tok::Ident(word) if word == "mod" => {
                if let Some(name) = ident(tokens, i + 1) {
                    let child = [scope.as_slice(), &[name.to_owned()]].concat();
                    let body = is(tokens, i + 2, &Tok::Punct('{'));
                    if cfg_test {
                        krate.test_only.push(child);
                        cfg_test = false;
                        i = if body {
                            skip_group(tokens, i + 2)
                        } else {
                            i + 2
                        };
                        continue;
                    }
                    if body {
                        krate.modules.insert(child.clone());
                        depth += 1;
                        scopes.push((child, depth));
                        i += 3;
                        continue;
                    }
                }
            }
            Tok::Ident(word) if word == "use" => {
                let end = (i..tokens.len())
                    .find(|&j| is(tokens, j, &Tok::Punct(';')))
                    .unwrap_or(tokens.len());
                let mut paths = Vec::new();
                use_tree(&tokens[i + 1..end], Vec::new(), &mut paths);
                for (path, name) in paths {
                    if let Some(name) = name {
                        krate.raw_imports.push((scope.clone(), name, path.clone()));
                    }
                    krate
                        .raw
                        .push((scope.clone(), path, file.to_owned(), tokens[i].line));
                }
                cfg_test = false;
                i = end + 1;
                continue;
            }
            Tok::Ident(word)
                if matches!(word.as_str(), "crate" | "super" | "self")
                    && is(tokens, i + 1, &Tok::PathSep) =>
            {
                let dollar = i > 0 && is(tokens, i - 1, &Tok::Punct('$'));
                let mut path = vec![if dollar {
                    "$crate".to_owned()
                } else {
                    word.clone()
                }];
                let mut j = i + 1;
                while is(tokens, j, &Tok::PathSep) {
                    match ident(tokens, j + 1) {
                        Some(segment) => path.push(segment.to_owned()),
                        None => break,
                    }
                    j += 2;
                }
                krate
                    .raw
                    .push((scope.clone(), path, file.to_owned(), tokens[i].line));
                cfg_test = false;
                i = j;
                continue;
            }
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if scopes.len() > 1 && scopes.last().is_some_and(|(_, d)| *d == depth) {
                    scopes.pop();
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        cfg_test = false;
        i += 1;
    }
}

/// Expands a `use` tree into its paths, each with the name it binds (`None` for globs and `_`).
fn use_tree(tokens: &[Token], prefix: Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    let mut path = prefix;
    let mut i = 0;
    if is(tokens, 0, &Tok::PathSep) {
        i = 1; // `use ::std::...`
    }
    while i < tokens.len() {
        match &tokens[i].tok {
            Tok::Ident(segment) => {
                path.push(segment.clone());
                i += 1;
            }
            Tok::Punct('*') => {
                out.push((path, None));
                return;
            }
            Tok::Punct('{') => {
                let end = skip_group(tokens, i) - 1;
                let inner = &tokens[i + 1..end];
                let mut start = 0;
                let mut depth = 0;
                for (j, token) in inner.iter().enumerate() {
                    match token.tok {
                        Tok::Punct('{') => depth += 1,
                        Tok::Punct('}') => depth -= 1,
                        Tok::Punct(',') if depth == 0 => {
                            use_tree(&inner[start..j], path.clone(), out);
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
                if start < inner.len() {
                    use_tree(&inner[start..], path.clone(), out);
                }
                return;
            }
            _ => i += 1,
        }
        if is(tokens, i, &Tok::PathSep) {
            i += 1;
            continue;
        }
        // The end of this path, with an optional `as name`.
        let name = if ident(tokens, i) == Some("as") {
            ident(tokens, i + 1)
                .filter(|n| *n != "_")
                .map(str::to_owned)
        } else {
            path.last().cloned()
        };
        if path.last().is_some_and(|s| s == "self") {
            path.pop();
            let name = if ident(tokens, i) == Some("as") {
                name
            } else {
                path.last().cloned()
            };
            out.push((path, name));
        } else {
            out.push((path, name));
        }
        return;
    }
    if !path.is_empty() {
        let name = path.last().cloned();
        out.push((path, name));
    }
}

/// Splits Rust source into identifiers, string literals, `::` and single punctuation
/// characters, dropping comments, whitespace, character literals, numbers and lifetimes.
fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let push = |tokens: &mut Vec<Token>, tok, line| tokens.push(Token { tok, line });
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            let start_line = line;
            let mut content = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if chars.get(i) == Some(&'\n') {
                    line += 1;
                }
                if let Some(&ch) = chars.get(i) {
                    content.push(ch);
                }
                i += 1;
            }
            i += 1;
            push(&mut tokens, Tok::Str(content), start_line);
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{..}') or a lifetime ('a) to drop.
            if next == Some('\\') {
                // Past the quote, the backslash and the escaped character (which may be a quote).
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // Raw strings: r"..", r#".."#, br#".."#.
            if matches!(word.as_str(), "r" | "br") && matches!(chars.get(i), Some('"') | Some('#'))
            {
                let hashes = chars[i..].iter().take_while(|&&ch| ch == '#').count();
                if chars.get(i + hashes) == Some(&'"') {
                    i += hashes + 1;
                    let start_line = line;
                    let mut content = String::new();
                    while i < chars.len() {
                        if chars[i] == '"'
                            && chars[i + 1..]
                                .iter()
                                .take(hashes)
                                .filter(|&&ch| ch == '#')
                                .count()
                                == hashes
                        {
                            i += 1 + hashes;
                            break;
                        }
                        if chars[i] == '\n' {
                            line += 1;
                        }
                        content.push(chars[i]);
                        i += 1;
                    }
                    push(&mut tokens, Tok::Str(content), start_line);
                    continue;
                }
            }
            push(&mut tokens, Tok::Ident(word), line);
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c == ':' && next == Some(':') {
            push(&mut tokens, Tok::PathSep, line);
            i += 2;
        } else {
            push(&mut tokens, Tok::Punct(c), line);
            i += 1;
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::crate_cycles;
    use std::fs;
    use std::path::PathBuf;

    /// Writes `files` (path under `src/`, contents) into a fresh directory and returns each
    /// cycle found there as `scope: members`.
    fn cycles_of(name: &str, files: &[(&str, &str)]) -> Vec<String> {
        let src: PathBuf = std::env::temp_dir()
            .join(format!("modcycles-{}-{name}", std::process::id()))
            .join("src");
        let _ = fs::remove_dir_all(&src);
        for (path, text) in files {
            let path = src.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let found = crate_cycles(&src).unwrap();
        fs::remove_dir_all(src.parent().unwrap()).unwrap();
        found
            .iter()
            .map(|cycle| format!("{}: {}", cycle.scope.join("::"), cycle.members.join(" ")))
            .collect()
    }

    #[test]
    fn two_modules_using_each_other_are_a_cycle() {
        let found = cycles_of(
            "pair",
            &[
                ("lib.rs", "mod a;\nmod b;\nmod c;"),
                ("a.rs", "use crate::b::B;\npub struct A;"),
                ("b.rs", "pub struct B;\nfn f() { crate::a::A; }"),
                ("c.rs", "use crate::{a::A, b::B};"),
            ],
        );
        assert_eq!(found, [": a b"]);
    }

    #[test]
    fn re_exports_are_followed_to_their_module() {
        let found = cycles_of(
            "reexport",
            &[
                ("lib.rs", "mod a;\nmod b;\npub use b::Thing as Renamed;"),
                ("a.rs", "fn f() -> crate::Renamed { todo!() }"),
                ("b/mod.rs", "mod inner;\npub use inner::Thing;"),
                ("b/inner.rs", "use super::super::a;\npub struct Thing;"),
            ],
        );
        assert_eq!(found, [": a b"]);
    }

    #[test]
    fn comments_strings_and_test_modules_are_no_edges() {
        let found = cycles_of(
            "ignored",
            &[
                ("lib.rs", "mod a;\nmod b;"),
                (
                    "a.rs",
                    "/// [`crate::b::B`]\n// crate::b\n/* crate::b */\nconst S: &str = \"crate::b\";\n\
                     #[cfg(test)]\nmod tests {\n    use crate::b::B;\n}\n#[cfg(test)]\nmod more;",
                ),
                ("a/more.rs", "use crate::b::B;"),
                ("b.rs", "use crate::a::S;\npub struct B;"),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn sibling_submodules_of_a_folder_module_are_checked() {
        let found = cycles_of(
            "folder",
            &[
                ("lib.rs", "mod d;"),
                ("d/mod.rs", "mod x;\nmod y;\nmod z;\npub struct Parent;"),
                ("d/x.rs", "use super::{y::Y, Parent};\npub struct X;"),
                (
                    "d/y.rs",
                    "pub struct Y;\nfn f() -> crate::d::x::X { todo!() }",
                ),
                ("d/z.rs", "use super::Parent;"),
            ],
        );
        assert_eq!(found, ["d: x y"]);
    }

    #[test]
    fn sibling_submodules_are_checked_at_any_depth() {
        let found = cycles_of(
            "deep",
            &[
                ("lib.rs", "mod r;"),
                ("r/mod.rs", "mod t;"),
                ("r/t/mod.rs", "mod raw;\nmod harness;\nmod core;"),
                (
                    "r/t/raw.rs",
                    "use super::harness::Harness;\npub struct Raw;",
                ),
                (
                    "r/t/harness.rs",
                    "use super::raw::Raw;\npub struct Harness;",
                ),
                ("r/t/core.rs", "use super::raw::Raw;"),
            ],
        );
        assert_eq!(found, ["r::t: harness raw"]);
    }
}
