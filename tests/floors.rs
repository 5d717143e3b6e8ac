//! The modules stand on floors (see the table in src/lib.rs and the README): each module uses only modules on
//! its own floor or below, never one above, and no two modules on one floor use each other. This reads every
//! `crate::` path in src/ and checks it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module of the crate and its floor.
const FLOORS: [(&str, u32); 24] = [
    ("math", 0),
    ("limits", 1),
    ("theme", 1),
    ("text", 1),
    ("scene", 1),
    ("launch", 1),
    ("link", 1),
    ("scenarios", 1),
    ("sim", 2),
    ("view", 3),
    ("input", 4),
    ("ui", 5),
    ("pacing", 5),
    ("exhibit", 6),
    ("capture", 9),
    ("bench", 9),
    ("cli", 9),
    ("files", 9),
    ("web", 9),
    // The crate root composes everything; the binary runs it.
    ("lib", 10),
    ("main", 10),
    // What the root shares with every floor: the frame's system sets.
    ("AppSystems", 0),
    ("EguiPass", 0),
    // Anything else at the root (AppPlugin, window_plugin, the Launch re-export) is for the ways to run.
    ("<root item>", 9),
];

fn floor_of(module: &str) -> Option<u32> {
    FLOORS.iter().find(|(m, _)| *m == module).map(|&(_, f)| f)
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The module a file of src/ belongs to: its first folder, or its own name (`lib`, `main`, `cli`, ...).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// `source` without its `//` comments (a `//` inside a string literal stays).
fn without_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        let bytes = line.as_bytes();
        let (mut in_string, mut escaped, mut cut) = (false, false, line.len());
        for (k, &c) in bytes.iter().enumerate() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                b'\\' if in_string => escaped = true,
                // A quote as a char literal ('"') is not the start of a string.
                b'"' if !(k > 0 && bytes[k - 1] == b'\'' && bytes.get(k + 1) == Some(&b'\'')) => {
                    in_string = !in_string;
                }
                b'/' if !in_string && bytes.get(k + 1) == Some(&b'/') => {
                    cut = k;
                    break;
                }
                _ => {}
            }
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

/// The first segment of each path in a `{...}` group that starts at `text` (just after the `{`), nested
/// groups and line breaks included: `{a, b::{c, d}, e::f}` gives a, b and e.
fn group_heads(text: &str, names: &mut BTreeSet<String>) {
    let mut depth = 0;
    let mut item = String::new();
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                push_head(&item, names);
                item.clear();
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            item.push(c);
        }
    }
    push_head(&item, names);
}

fn push_head(item: &str, names: &mut BTreeSet<String>) {
    let head: String = item
        .trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !head.is_empty() && head != "self" {
        names.insert(head);
    }
}

/// The crate-level names a file's code refers to: the first segment after each `crate::` (or after as many
/// `super::` as climb from the file's module `depth` to the crate root), single paths and `{...}` groups
/// alike.
fn crate_references(source: &str, depth: usize) -> BTreeSet<String> {
    let code = without_comments(source);
    let mut names = BTreeSet::new();
    let root_via_super = "super::".repeat(depth);
    let mut prefixes = vec!["crate::".to_owned()];
    if depth > 0 {
        prefixes.push(root_via_super);
    }
    for prefix in &prefixes {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(prefix.as_str()) {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + prefix.len()..];
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            if prefix.starts_with("super") && after.starts_with("super::") {
                continue;
            }
            match after.strip_prefix('{') {
                Some(group) => group_heads(group, &mut names),
                None => push_head(after, &mut names),
            }
        }
    }
    names
}

/// How many `super::` lead from a file's module to the crate root: 1 for src/cli.rs and src/ui/mod.rs, 2 for
/// src/ui/race.rs; 0 for the root itself (src/lib.rs, src/main.rs).
fn depth_of(src: &Path, file: &Path) -> usize {
    let relative = file.strip_prefix(src).unwrap();
    let parts = relative.components().count();
    let name = relative.file_name().unwrap().to_string_lossy();
    match name.as_ref() {
        "lib.rs" | "main.rs" if parts == 1 => 0,
        "mod.rs" => parts - 1,
        _ => parts,
    }
}

fn floor_of_reference(name: &str) -> u32 {
    const ROOT_ITEMS: [&str; 5] = [
        "AppPlugin",
        "window_plugin",
        "core_plugin",
        "Launch",
        "RestoreLaunch",
    ];
    match floor_of(name) {
        Some(floor) => floor,
        None if ROOT_ITEMS.contains(&name) => floor_of("<root item>").unwrap(),
        None => panic!(
            "src uses crate::{name}, which has no floor: add it to FLOORS here and to the table in src/lib.rs"
        ),
    }
}

#[test]
fn no_module_uses_one_on_a_higher_floor() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 40, "found only {} files in src/", files.len());
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut references = 0;
    for file in &files {
        let module = module_of(&src, file);
        let Some(floor) = floor_of(&module) else {
            wrong.push(format!(
                "{}: module '{module}' has no floor",
                file.display()
            ));
            continue;
        };
        let source = std::fs::read_to_string(file).unwrap();
        // A file's own unit tests (after `#[cfg(test)]`, one module deeper) may reach anywhere.
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        let found = crate_references(code, depth_of(&src, file));
        references += found.len();
        for name in found {
            if name == module {
                continue;
            }
            let theirs = floor_of_reference(&name);
            if theirs > floor {
                wrong.push(format!(
                    "{}: {module} (floor {floor}) uses crate::{name} (floor {theirs})",
                    file.display()
                ));
            }
            if floor_of(&name).is_some() {
                uses.entry(module.clone()).or_default().insert(name);
            }
        }
    }
    for (module, used) in &uses {
        for other in used {
            let same_floor = floor_of(module) == floor_of(other);
            if same_floor && uses.get(other).is_some_and(|back| back.contains(module)) {
                wrong.push(format!(
                    "{module} and {other}, on one floor, use each other"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Not a vacuous pass: the reader saw the crate's many references, and a few known ones.
    assert!(references > 150, "only {references} references read");
    for (from, to) in [
        ("ui", "sim"),
        ("view", "theme"),
        ("exhibit", "input"),
        ("sim", "math"),
    ] {
        assert!(
            uses.get(from).is_some_and(|u| u.contains(to)),
            "{from} is known to use {to}, but the reader did not see it"
        );
    }
}

#[test]
fn the_maths_uses_no_engine_and_no_other_module() {
    let math = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/math");
    let mut files = Vec::new();
    rust_files(&math, &mut files);
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for word in ["bevy", "egui"] {
            assert!(!source.contains(word), "{} mentions {word}", file.display());
        }
        let others: Vec<String> = crate_references(&source, 2)
            .into_iter()
            .filter(|name| name != "math")
            .collect();
        assert!(others.is_empty(), "{} uses {others:?}", file.display());
    }
}

#[test]
fn the_reader_finds_every_kind_of_crate_path() {
    let source = "use crate::sim::Run;\nuse crate::{\n    AppSystems,\n    view::{PlotArea, slope::{ball}},\n    ui::f,\n};\nlet x = crate::pacing::g(); // crate::cli\nlet s = \"a // b\"; crate::text::t();\nuse super::super::exhibit::E;\nuse super::near;\n";
    let found: Vec<String> = crate_references(source, 2).into_iter().collect();
    assert_eq!(
        found,
        [
            "AppSystems",
            "exhibit",
            "pacing",
            "sim",
            "text",
            "ui",
            "view"
        ]
    );
    let top: Vec<String> = crate_references("use super::cli::X;\n", 1)
        .into_iter()
        .collect();
    assert_eq!(top, ["cli"]);
}
