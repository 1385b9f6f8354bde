//! SECURITY.md's map stays true: every ID of the security checklist
//! (`../shared/docs/security-checklist.md`, or the file `SECURITY_CHECKLIST` names) has one row
//! in SECURITY.md's table; every row names only test functions (a `#[test]` or
//! `#[tokio::test]` `fn` in the workspace's Rust sources) or trybuild cases that exist, and
//! each function carries the row's ID (in its doc comment, its file's `//!` docs, or its name:
//! `rd01_…`, `ds_04_…`), so that grepping an ID finds its tests; and a row either passes,
//! naming at least one test, or waits for an open issue (12, 14 or 16).
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The issues a row may wait for: OAuth/OIDC, signed tokens, shared stores.
const OPEN_ISSUES: [&str; 3] = ["12", "14", "16"];

/// Where test functions live, from the workspace root.
const TEST_SOURCES: [&str; 6] = [
    "auth-runtime/src",
    "auth-runtime/tests",
    "auth-macros/src",
    "auth-macros/tests",
    "auth-rules/src",
    "tests",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `XX-NN` at the start of `text`, when it is one.
fn leading_id(text: &str) -> Option<&str> {
    let id = text.get(..5)?;
    let bytes = id.as_bytes();
    let shaped = bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2] == b'-'
        && bytes[3..].iter().all(u8::is_ascii_digit);
    (shaped && text[5..].starts_with([' ', ':', ','])).then_some(id)
}

/// The IDs the checklist lists, each as the first thing of a list item.
fn checklist_ids() -> BTreeSet<String> {
    let path = std::env::var_os("SECURITY_CHECKLIST").map_or_else(
        || root().join("../shared/docs/security-checklist.md"),
        PathBuf::from,
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "{}: {error} (set SECURITY_CHECKLIST to its path)",
            path.display()
        )
    });
    let ids: BTreeSet<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("- "))
        .filter_map(leading_id)
        .map(str::to_owned)
        .collect();
    assert!(
        ids.len() > 100,
        "only {} IDs read from {}",
        ids.len(),
        path.display()
    );
    ids
}

/// A row of SECURITY.md's table.
#[derive(Debug)]
struct Row {
    tests: Vec<String>,
    status: String,
}

/// SECURITY.md's rows by ID; an ID given twice fails.
fn security_rows() -> BTreeMap<String, Row> {
    let text = std::fs::read_to_string(root().join("SECURITY.md")).expect("SECURITY.md");
    let mut rows = BTreeMap::new();
    for line in text.lines() {
        let Some(cells) = line
            .strip_prefix("| ")
            .and_then(|rest| rest.strip_suffix(" |"))
        else {
            continue;
        };
        let Some(id) = leading_id(cells) else {
            continue;
        };
        let cells: Vec<&str> = cells.split(" |").map(str::trim).collect();
        let [_, tests, status] = cells[..] else {
            panic!("{id}: a row is `| ID | tests | status |`: {line}");
        };
        let tests: Vec<String> = tests
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                name.strip_prefix('`')
                    .and_then(|name| name.strip_suffix('`'))
                    .unwrap_or_else(|| panic!("{id}: `{name}` is not in backticks"))
                    .to_owned()
            })
            .collect();
        let row = Row {
            tests,
            status: status.to_owned(),
        };
        assert!(rows.insert(id.to_owned(), row).is_none(), "{id} twice");
    }
    rows
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() && name != "node_modules" && name != "target" {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

/// Every test function in the workspace's Rust sources (an `fn` whose attributes, just above
/// it, include `#[test]` or `#[tokio::test…]`), by name, with the text that may tag it: its
/// doc comments and attributes, and its file's `//!` docs (one entry per file defining it).
fn test_functions() -> BTreeMap<String, Vec<String>> {
    let mut files = Vec::new();
    for dir in TEST_SOURCES {
        rust_files(&root().join(dir), &mut files);
    }
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file");
        let lines: Vec<&str> = text.lines().map(str::trim_start).collect();
        let module_docs: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|line| line.starts_with("//!"))
            .collect();
        for (at, line) in lines.iter().enumerate() {
            let Some(rest) = line
                .strip_prefix("async fn ")
                .or_else(|| line.strip_prefix("fn "))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let above: Vec<&str> = lines[..at]
                .iter()
                .rev()
                .take_while(|above| above.starts_with("#[") || above.starts_with("//"))
                .copied()
                .collect();
            let is_test = above
                .iter()
                .any(|above| above.starts_with("#[test]") || above.starts_with("#[tokio::test"));
            if is_test {
                let tags = format!("{}\n{}", above.join("\n"), module_docs.join("\n"));
                names.entry(name).or_default().push(tags);
            }
        }
    }
    names
}

#[test]
fn every_checklist_id_has_one_row_and_every_row_a_checklist_id() {
    let ids = checklist_ids();
    let rows = security_rows();
    let missing: Vec<_> = ids.iter().filter(|id| !rows.contains_key(*id)).collect();
    let unknown: Vec<_> = rows.keys().filter(|id| !ids.contains(*id)).collect();
    assert!(missing.is_empty(), "SECURITY.md lacks rows for {missing:?}");
    assert!(
        unknown.is_empty(),
        "SECURITY.md has rows for unknown IDs {unknown:?}"
    );
}

#[test]
fn every_named_test_exists_and_every_row_passes_or_waits_for_an_open_issue() {
    let tests = test_functions();
    assert!(
        tests.len() > 200,
        "only {} test functions found",
        tests.len()
    );
    let rows = security_rows();
    assert!(!rows.is_empty(), "no table rows read from SECURITY.md");
    let mut problems = Vec::new();
    for (id, row) in &rows {
        // `TF-01` as a name starts: `tf01_…` or `tf_01_…`.
        let name_prefixes = [
            id.replace('-', "").to_lowercase(),
            id.replace('-', "_").to_lowercase(),
        ];
        for name in &row.tests {
            if name.contains('/') {
                if !(name.starts_with("tests/ui/") && root().join(name).is_file()) {
                    problems.push(format!("{id}: no trybuild case `{name}`"));
                }
                continue;
            }
            let Some(tags) = tests.get(name) else {
                problems.push(format!("{id}: no test `{name}`"));
                continue;
            };
            let tagged = name_prefixes
                .iter()
                .any(|prefix| name.starts_with(prefix.as_str()))
                || tags.iter().any(|tags| tags.contains(id.as_str()));
            if !tagged {
                problems.push(format!("{id}: `{name}` does not carry the tag `{id}`"));
            }
        }
        let waits_for = row.status.strip_prefix("waits for issue ").map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        });
        match waits_for {
            Some(issue) if OPEN_ISSUES.contains(&issue.as_str()) => {}
            Some(issue) => problems.push(format!("{id}: waits for issue {issue}, not an open one")),
            None if row.status.starts_with("passing") && !row.tests.is_empty() => {}
            None => problems.push(format!(
                "{id}: status `{}` must be `passing` with a test, or `waits for issue N`",
                row.status
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
