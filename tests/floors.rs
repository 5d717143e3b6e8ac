//! The modules stand on floors (see the table in src/lib.rs and the README): each module uses only modules on
//! its own floor or below, never one above, and no two modules on one floor use each other. This reads every
//! `crate::` path in src/ and checks it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module of the crate and its floor.
const FLOORS: [(&str, u32); 21] = [
    ("math", 0),
    ("limits", 1),
    ("theme", 1),
    ("text", 1),
    ("scene", 1),
    ("launch", 1),
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

/// The first name after each `crate::` in `source` (outside line comments): `crate::sim::Run` gives `sim`;
/// `use crate::{a, b::c}` gives `a` and `b`.
fn crate_references(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                let inside = group.split('}').next().unwrap_or("");
                for part in inside.split(',') {
                    let name = part.trim().split("::").next().unwrap_or("").trim();
                    if !name.is_empty() {
                        names.insert(name.to_owned());
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    names.insert(name);
                }
            }
            rest = after;
        }
    }
    names
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
        for name in crate_references(&source) {
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
        let others: Vec<String> = crate_references(&source)
            .into_iter()
            .filter(|name| name != "math")
            .collect();
        assert!(others.is_empty(), "{} uses {others:?}", file.display());
    }
}

#[test]
fn the_reader_finds_every_kind_of_crate_path() {
    let source = "use crate::sim::Run;\nuse crate::{AppSystems, view::PlotArea};\nlet x = crate::ui::f(); // crate::cli\n";
    let found: Vec<String> = crate_references(source).into_iter().collect();
    assert_eq!(found, ["AppSystems", "sim", "ui", "view"]);
}
