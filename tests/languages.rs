//! Every language says everything: each language file has every key of the English one, an unknown language
//! is refused in one line, and no word on screen comes from anywhere but the language files. That last one
//! runs the real window in a made-up language whose every sentence is marked (⟦...⟧): whatever egui paints
//! outside the marks was written into the code, and would stay English in Spanish.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use common::*;

const ENGLISH: &str = include_str!("../assets/lang/en.toml");
const SPANISH: &str = include_str!("../assets/lang/es.toml");
const SCENARIOS: &str = include_str!("../assets/scenarios.toml");

/// Every key path of a TOML table ("visitor.play", "help.keys[3]"), with what kind of value is there.
fn key_paths(value: &toml::Value, at: &str, into: &mut BTreeSet<String>) {
    match value {
        toml::Value::Table(table) => {
            for (key, value) in table {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                key_paths(value, &path, into);
            }
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                key_paths(item, &format!("{at}[{i}]"), into);
            }
        }
        other => {
            into.insert(format!("{at}: {}", other.type_str()));
        }
    }
}

/// The {placeholders} of a sentence.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect()
}

fn strings(value: &toml::Value, at: &str, into: &mut Vec<(String, String)>) {
    match value {
        toml::Value::String(s) => into.push((at.to_owned(), s.clone())),
        toml::Value::Table(table) => {
            for (key, value) in table {
                strings(value, &format!("{at}.{key}"), into);
            }
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, &format!("{at}[{i}]"), into);
            }
        }
        _ => {}
    }
}

#[test]
fn spanish_has_every_key_of_english_with_the_same_placeholders() {
    let english: toml::Value = toml::from_str(ENGLISH).unwrap();
    let mut spanish: toml::Value = toml::from_str(SPANISH).unwrap();
    // Only a translation carries the race stories' words (English reads them from scenarios.toml).
    let stories = spanish
        .as_table_mut()
        .unwrap()
        .remove("scenarios")
        .expect("es.toml gives the race stories in Spanish");
    let (mut want, mut have) = (BTreeSet::new(), BTreeSet::new());
    key_paths(&english, "", &mut want);
    key_paths(&spanish, "", &mut have);
    let missing: Vec<&String> = want.difference(&have).collect();
    let extra: Vec<&String> = have.difference(&want).collect();
    assert!(missing.is_empty(), "es.toml lacks {missing:?}");
    assert!(
        extra.is_empty(),
        "es.toml has keys English has not: {extra:?}"
    );

    let (mut en, mut es) = (Vec::new(), Vec::new());
    strings(&english, "", &mut en);
    strings(&spanish, "", &mut es);
    // Matched by key, whatever order each file keeps its keys in.
    let es: std::collections::BTreeMap<String, String> = es.into_iter().collect();
    assert_eq!(en.len(), es.len());
    for (key, english) in &en {
        let spanish = &es[key];
        assert_eq!(
            placeholders(english),
            placeholders(spanish),
            "{key}: \"{english}\" against \"{spanish}\""
        );
    }
    // Every race story, by its English title.
    let scenarios: toml::Value = toml::from_str(SCENARIOS).unwrap();
    for scenario in scenarios["scenario"].as_array().unwrap() {
        let title = scenario["title"].as_str().unwrap();
        let words = &stories[title];
        assert!(
            words["title"].as_str().is_some() && words["story"].as_str().is_some(),
            "es.toml has no title and story for \"{title}\""
        );
    }
    // And the program reads both.
    let languages = downhill::text::Languages::built_in().unwrap();
    assert_eq!(languages.codes(), ["en", "es"]);
    assert_eq!(languages.get("es").unwrap().name, "Español");
}

#[test]
fn an_unknown_language_is_refused_in_one_line_that_names_those_there_are() {
    let output = Command::new(env!("CARGO_BIN_EXE_downhill"))
        .args(["--lang", "fr"])
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.contains("--lang: no language 'fr'; there are: en, es"),
        "{said}"
    );
}

/// A language file in which every sentence is marked, placeholders kept, for the made-up language `xx`.
fn marked(value: &toml::Value) -> toml::Value {
    match value {
        toml::Value::String(s) => toml::Value::String(format!("⟦{s}⟧")),
        toml::Value::Table(table) => {
            toml::Value::Table(table.iter().map(|(k, v)| (k.clone(), marked(v))).collect())
        }
        toml::Value::Array(items) => toml::Value::Array(items.iter().map(marked).collect()),
        other => other.clone(),
    }
}

/// An asset folder with English and the marked language `xx` (the other files come from the source tree).
fn marked_assets() -> PathBuf {
    let dir = screenshot_dir().join("marked-assets");
    std::fs::create_dir_all(dir.join("lang")).unwrap();
    let english: toml::Value = toml::from_str(ENGLISH).unwrap();
    let mut pseudo = marked(&english);
    let scenarios: toml::Value = toml::from_str(SCENARIOS).unwrap();
    let mut stories = toml::Table::new();
    for scenario in scenarios["scenario"].as_array().unwrap() {
        let mut words = toml::Table::new();
        for key in ["title", "story"] {
            words.insert(key.into(), marked(&scenario[key]));
        }
        stories.insert(
            scenario["title"].as_str().unwrap().to_owned(),
            toml::Value::Table(words),
        );
    }
    pseudo
        .as_table_mut()
        .unwrap()
        .insert("scenarios".into(), toml::Value::Table(stories));
    std::fs::write(dir.join("lang/en.toml"), ENGLISH).unwrap();
    std::fs::write(dir.join("lang/xx.toml"), toml::to_string(&pseudo).unwrap()).unwrap();
    dir
}

/// The words of a painted text that no mark covers: runs of three or more letters (one or two are the
/// lesson's notation: x, h, lr, dL, dw, f).
fn unmarked_words(text: &str) -> Vec<String> {
    let mut outside = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '⟦' => depth += 1,
            '⟧' => depth = (depth - 1).max(0),
            c if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    // Notation the lesson writes the same in every language.
    const NOTATION: [&str; 3] = ["sin", "cos", "exp"];
    outside
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| word.chars().count() >= 3 && !NOTATION.contains(word))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_marked_text_is_told_from_words_written_into_the_code() {
    assert!(unmarked_words("⟦Paused at step 3.⟧ x = 1.5, lr 0.1").is_empty());
    assert_eq!(unmarked_words("⟦Curve⟧ Reset"), ["Reset"]);
    assert!(unmarked_words("f'(x) = 2x, sin(x), 1e-6").is_empty());
}

#[test]
fn every_word_on_screen_comes_from_the_language_file() {
    let assets = marked_assets();
    let assets = assets.to_str().unwrap();
    let exhibit = screenshot_dir().join("marked-exhibit.toml");
    std::fs::write(
        &exhibit,
        "fullscreen = false\nshow_cursor = true\nidle_seconds = 60\nlanguage = \"xx\"\nlanguages = [\"xx\", \"en\"]\n",
    )
    .unwrap();
    let exhibit = exhibit.to_str().unwrap();
    let views: [(&str, Vec<&str>); 6] = [
        ("marked-slope", vec!["--derivative", "--x0", "1.2"]),
        ("marked-lab", vec!["--lab", "--h", "1e-9"]),
        ("marked-gradient", vec!["--scene", "gradient"]),
        ("marked-race", vec!["--scenario", "1", "--frames", "200"]),
        (
            "marked-formula",
            vec!["--curve", "x^4 - 3x^2 + x", "--play", "--frames", "150"],
        ),
        (
            "marked-attract",
            vec!["--exhibit", "--config", exhibit, "--frames", "90"],
        ),
    ];
    let mut leaks = Vec::new();
    for (name, args) in views {
        let mut args = args;
        args.extend(["--lang", "xx"]);
        let (_, note) =
            screenshot_with_env(name, &args, (1280, 720), &[("DOWNHILL_ASSETS", assets)]);
        assert_eq!(note["language"], "xx", "{name}");
        let texts: Vec<&str> = note["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            texts.len() > 5,
            "{name}: only {} texts painted",
            texts.len()
        );
        for text in texts {
            // The language buttons name each language in its own words, from its own file.
            if text == "English" {
                continue;
            }
            let words = unmarked_words(text);
            if !words.is_empty() {
                leaks.push(format!("{name}: {words:?} in \"{text}\""));
            }
        }
    }
    leaks.dedup();
    assert!(
        leaks.is_empty(),
        "words on screen not from the language file:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn every_letter_of_every_language_has_a_glyph_in_the_fonts() {
    // A character no font of egui's has is drawn as the replacement box (the panel's "☾ Dark" once was).
    // egui's own `has_glyph` also says no for every character of the font that holds the box, so each
    // character is laid out and its picture in the font atlas compared with a surely missing one's.
    use bevy_egui::egui::{Color32, Context, FontId, RawInput};
    let ctx = Context::default();
    ctx.run_ui(RawInput::default(), |_| {})
        .drop_without_applying_deltas();
    let font = FontId::proportional(16.0);
    let picture = |c: char| {
        let galley =
            ctx.fonts_mut(|f| f.layout_no_wrap(c.to_string(), font.clone(), Color32::PLACEHOLDER));
        galley.rows[0].row.glyphs.first().map(|g| g.uv_rect)
    };
    let missing_box = picture('\u{E000}');
    assert_ne!(
        picture('A'),
        missing_box,
        "the check tells a real glyph from the box"
    );
    assert_ne!(
        picture('▶'),
        missing_box,
        "the check tells an emoji font's glyph from the box"
    );
    assert_eq!(
        picture('☾'),
        missing_box,
        "the check finds a character with no glyph"
    );
    let mut missing = Vec::new();
    let mut checked = 0;
    for (file, text) in [("en.toml", ENGLISH), ("es.toml", SPANISH)] {
        let value: toml::Value = toml::from_str(text).unwrap();
        let mut all = Vec::new();
        strings(&value, "", &mut all);
        for (key, words) in all {
            for c in words.chars().filter(|c| !c.is_whitespace()) {
                checked += 1;
                if picture(c) == missing_box {
                    missing.push(format!("{file} {key}: '{c}' (U+{:04X})", c as u32));
                }
            }
        }
    }
    // The marks the panel's section titles fold with, which the program writes itself.
    for c in ['⏷', '⏵'] {
        if picture(c) == missing_box {
            missing.push(format!("the section mark '{c}'"));
        }
    }
    assert!(checked > 10_000, "only {checked} characters checked");
    assert!(missing.is_empty(), "no glyph for:\n{}", missing.join("\n"));
}
