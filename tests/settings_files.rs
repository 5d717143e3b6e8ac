//! Any exhibit settings file gives settings or one clear line naming the file: never a panic, never a hang,
//! also for huge files and deep nesting.

use std::time::{Duration, Instant};

use downhill::exhibit::config::{BUILT_IN_EXHIBIT, ExhibitConfig};
use downhill::scenarios::Scenarios;
use proptest::prelude::*;

fn scenarios() -> Scenarios {
    downhill::files::scenarios().unwrap()
}

/// Parses `text` and checks the promise: settings, or one line that starts with the file's name.
fn parses_or_says_why(text: &str, scenarios: &Scenarios) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let result = ExhibitConfig::parse(text, "kiosk.toml", scenarios);
    prop_assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    match result {
        Ok(config) => {
            prop_assert!(config.idle_seconds.is_finite() && config.reset_seconds.is_finite());
            prop_assert!(!config.scenes.is_empty());
            for scene in &config.scenes {
                prop_assert!(scene.seconds.is_finite() && !scene.caption.to_string().is_empty());
            }
        }
        Err(error) => {
            prop_assert!(error.starts_with("kiosk.toml:"), "{error}");
            prop_assert!(!error.contains('\n'), "one line: {error}");
        }
    }
    Ok(())
}

/// Keys and values a settings file is made of, valid and not.
fn line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("fullscreen"),
        Just("monitor"),
        Just("ui_scale"),
        Just("idle_seconds"),
        Just("reset_seconds"),
        Just("admin_pin"),
        Just("show_cursor"),
        Just("show"),
        Just("caption"),
        Just("seconds"),
        Just("curve"),
        Just("start"),
        Just("learning_rate"),
        Just("h"),
        Just("speed"),
        Just("scenario"),
        Just("colour"),
    ];
    let value = prop_oneof![
        Just("true".to_owned()),
        Just("nan".to_owned()),
        Just("inf".to_owned()),
        Just("-inf".to_owned()),
        Just("1e308".to_owned()),
        Just("\"slope\"".to_owned()),
        Just("\"descent\"".to_owned()),
        Just("\"regression\"".to_owned()),
        Just("\"x^2 +\"".to_owned()),
        Just("\"4096\"".to_owned()),
        Just("[1, 2]".to_owned()),
        Just("{ a = 1 }".to_owned()),
        Just("2026-11-26".to_owned()),
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        "\\PC{0,12}".prop_map(|s| format!("{s:?}")),
    ];
    prop_oneof![
        4 => (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => Just("[[scene]]".to_owned()),
        1 => Just("show = \"slope\"\ncaption = \"hi\"".to_owned()),
        1 => "\\PC{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn any_text_gives_settings_or_one_line_naming_the_file(text in "\\PC{0,200}") {
        parses_or_says_why(&text, &scenarios())?;
    }

    #[test]
    fn settings_like_files_give_settings_or_one_line_naming_the_file(lines in prop::collection::vec(line(), 0..14)) {
        parses_or_says_why(&lines.join("\n"), &scenarios())?;
    }

    #[test]
    fn the_built_in_file_with_one_line_changed_is_read_or_refused_clearly(
        index in 0usize..200,
        replacement in line(),
    ) {
        let mut lines: Vec<String> = BUILT_IN_EXHIBIT.lines().map(str::to_owned).collect();
        let at = index % lines.len();
        lines[at] = replacement;
        parses_or_says_why(&lines.join("\n"), &scenarios())?;
    }
}

#[test]
fn huge_and_deeply_nested_files_are_refused_without_a_crash() {
    let scenarios = scenarios();
    let long_caption = format!(
        "[[scene]]\nshow = \"slope\"\ncaption = \"{}\"\n",
        "a".repeat(10_000)
    );
    parses_or_says_why(&long_caption, &scenarios).unwrap();
    let deep_array = format!(
        "idle_seconds = {}1{}\n",
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    parses_or_says_why(&deep_array, &scenarios).unwrap();
    let deep_table = format!("x = {}1{}\n", "{ a = ".repeat(5_000), " }".repeat(5_000));
    parses_or_says_why(&deep_table, &scenarios).unwrap();
    let many_keys: String = (0..10_000).map(|i| format!("k{i} = {i}\n")).collect();
    parses_or_says_why(&many_keys, &scenarios).unwrap();
    let junk: String = (0..10_000u32)
        .map(|i| char::from_u32(0x20 + (i * 7919) % 0x2000).unwrap_or('?'))
        .collect();
    parses_or_says_why(&junk, &scenarios).unwrap();
}
