//! The asset files on disk: where the desktop program looks for `lang/*.toml`, `scenarios.toml` and
//! `exhibit.toml`, so they can change without a rebuild. A web page has no disk; it uses the built-in copies.

use std::path::{Path, PathBuf};

use crate::exhibit::ExhibitConfig;
use crate::exhibit::config;
use crate::scenarios::Scenarios;
use crate::text::{FIRST_LANGUAGE, Languages};

/// Where downhill looks for its asset files, in order: `$DOWNHILL_ASSETS`, `assets/` beside the executable
/// or up to three folders above it (a cargo build), then the source tree it was built from.
pub fn asset_folders() -> Vec<PathBuf> {
    let mut folders = Vec::new();
    if let Some(dir) = std::env::var_os("DOWNHILL_ASSETS") {
        folders.push(PathBuf::from(dir));
    }
    if let Ok(exe) = std::env::current_exe() {
        let mut dir = exe.parent().map(Path::to_path_buf);
        for _ in 0..4 {
            let Some(current) = dir else { break };
            folders.push(current.join("assets"));
            dir = current.parent().map(Path::to_path_buf);
        }
    }
    folders.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets"));
    folders
}

/// The first asset file called `name` that exists.
pub fn asset_path(name: &str) -> Option<PathBuf> {
    asset_folders()
        .into_iter()
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// The file's text and its name for errors, or `None` when no folder has it.
fn read_asset(name: &str) -> Option<Result<(String, String), String>> {
    let path = asset_path(name)?;
    let origin = path.display().to_string();
    Some(
        std::fs::read_to_string(&path)
            .map(|source| (source, origin.clone()))
            .map_err(|error| format!("{origin}: cannot read: {error}")),
    )
}

/// Every language file in the first `lang/` folder of the asset folders that has `en.toml` (each
/// `CODE.toml` in it is a language), else the built-in copies.
pub fn languages() -> Result<Languages, String> {
    let Some(english) = asset_path(&format!("lang/{FIRST_LANGUAGE}.toml")) else {
        return Languages::built_in();
    };
    let folder = english.parent().unwrap_or(Path::new("."));
    let entries = std::fs::read_dir(folder)
        .map_err(|error| format!("{}: cannot read the folder: {error}", folder.display()))?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let Some(code) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let origin = path.display().to_string();
        let source = std::fs::read_to_string(&path)
            .map_err(|error| format!("{origin}: cannot read: {error}"))?;
        files.push((code.to_owned(), source, origin));
    }
    Languages::parse(&files)
}

/// The scenarios from the first `scenarios.toml` found in the asset folders, else the built-in copy.
pub fn scenarios() -> Result<Scenarios, String> {
    match read_asset("scenarios.toml") {
        Some(found) => found.and_then(|(source, origin)| Scenarios::parse(&source, &origin)),
        None => Scenarios::built_in(),
    }
}

/// Reads `--config FILE`, or `assets/exhibit.toml`, or the built-in copy.
pub fn exhibit(path: Option<&Path>, scenarios: &Scenarios) -> Result<ExhibitConfig, String> {
    let path = path
        .map(Path::to_path_buf)
        .or_else(|| asset_path("exhibit.toml"));
    match path {
        Some(path) => {
            let origin = path.display().to_string();
            let source = std::fs::read_to_string(&path).map_err(|error| {
                format!("{origin}: cannot read the exhibit settings: {error}; check the path given to --config")
            })?;
            ExhibitConfig::parse(&source, &origin, scenarios)
        }
        None => config::built_in(scenarios),
    }
}
