//! The exhibit's settings file (`assets/exhibit.toml` or `--config FILE`): read, checked key by key, every
//! error naming the file, the line and the key.

use std::ops::RangeInclusive;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};
use toml::{Spanned, Value};

use crate::limits::{self, Limit};
use crate::math::Curve;
use crate::scenarios::Scenario;
use crate::scenarios::Scenarios;
use crate::text::{Languages, LessonText};
use crate::theme::ThemeName;

/// The copy built into the program: the defaults, and the file used when no `--config` is given and
/// `assets/exhibit.toml` cannot be found.
pub const BUILT_IN_EXHIBIT: &str = include_str!("../../assets/exhibit.toml");

/// How the built-in file is named in errors.
const BUILT_IN_ORIGIN: &str = "built-in exhibit.toml";

const TOP_KEYS: [&str; 12] = [
    "fullscreen",
    "panel",
    "theme",
    "language",
    "languages",
    "monitor",
    "ui_scale",
    "idle_seconds",
    "reset_seconds",
    "admin_pin",
    "show_cursor",
    "scene",
];
const SCENE_KEYS: [&str; 10] = [
    "show",
    "caption",
    "text",
    "seconds",
    "curve",
    "start",
    "learning_rate",
    "h",
    "speed",
    "scenario",
];
const PIN_DIGITS: RangeInclusive<usize> = 4..=12;

/// What an attract scene shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// The ball glides to and fro; the tangent's slope is read out as it goes.
    Slope,
    /// h shrinks smoothly and the chord turns into the tangent.
    Chord,
    /// The ball visits one side of the valley, then the other: the sign of the slope says which way is down.
    Sign,
    /// The ball sweeps across the curve and the slope plot under it traces f'(x) as it goes.
    Derivative,
    /// A run plays: the main ball (or a scenario's race) rolls.
    Descent,
    /// Scene 2: a line fitted to points, the ball rolling on the loss landscape L(w, b).
    Gradient,
}

impl Show {
    pub const ALL: [Show; 6] = [
        Show::Slope,
        Show::Chord,
        Show::Sign,
        Show::Derivative,
        Show::Descent,
        Show::Gradient,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Show::Slope => "slope",
            Show::Chord => "chord",
            Show::Sign => "sign",
            Show::Derivative => "derivative",
            Show::Descent => "descent",
            Show::Gradient => "gradient",
        }
    }
}

/// What an attract scene says: a sentence of the language files' `[attract]` table, by its key (in each
/// language), or the settings' own words (the same in every language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caption {
    Key(String),
    Literal(String),
}

impl Caption {
    /// The sentence in `lesson`'s language.
    pub fn words<'a>(&'a self, lesson: &'a LessonText) -> &'a str {
        match self {
            Caption::Key(key) => lesson.attract.get(key).map_or(key.as_str(), String::as_str),
            Caption::Literal(text) => text,
        }
    }
}

impl std::fmt::Display for Caption {
    /// The key or the words, as the settings file wrote them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Caption::Key(text) | Caption::Literal(text) => f.write_str(text),
        }
    }
}

impl PartialEq<&str> for Caption {
    fn eq(&self, other: &&str) -> bool {
        match self {
            Caption::Key(text) | Caption::Literal(text) => text == other,
        }
    }
}

/// Which panel a visitor gets after the waking touch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelKind {
    /// Big buttons, a learning rate in three zones, pictures of the curves: nothing needs a keyboard.
    Visitor,
    /// The desktop's whole panel, for staff and for teachers.
    Full,
}

/// One scene of the attract loop.
#[derive(Clone, Debug)]
pub struct SceneSpec {
    pub show: Show,
    pub caption: Caption,
    pub seconds: f64,
    pub curve: Option<Arc<Curve>>,
    pub start: Option<f64>,
    pub learning_rate: Option<f64>,
    pub h: Option<f64>,
    pub speed: Option<f64>,
    pub scenario: Option<Arc<Scenario>>,
}

/// The whole settings file, every key filled in.
#[derive(Clone, Debug)]
pub struct ExhibitConfig {
    pub fullscreen: bool,
    pub monitor: usize,
    pub ui_scale: f64,
    pub idle_seconds: f64,
    pub reset_seconds: f64,
    pub admin_pin: String,
    pub show_cursor: bool,
    pub panel: PanelKind,
    /// The colours: dark for a screen, light for a projector or a bright hall.
    pub theme: ThemeName,
    /// The language each visitor starts in, and the ones the language button offers (the first being it).
    pub language: String,
    pub languages: Vec<String>,
    pub scenes: Vec<SceneSpec>,
    /// Where `language`, `languages` and each scene's `text` are in the file, for [`Self::check_languages`].
    places: Places,
}

/// Where in the settings file the keys that name languages and sentences are ("file:line").
#[derive(Clone, Debug, Default)]
struct Places {
    language: String,
    languages: String,
    /// The file gave `languages` (else the default list, of which the languages with no file are dropped).
    languages_given: bool,
    texts: Vec<String>,
}

/// The built-in settings (all a web page has; the desktop program reads `--config` or `assets/` first).
pub fn built_in(scenarios: &Scenarios) -> Result<ExhibitConfig, String> {
    ExhibitConfig::parse(BUILT_IN_EXHIBIT, BUILT_IN_ORIGIN, scenarios)
}

/// Where in the file a value is, to name its line.
struct Place<'a> {
    origin: &'a str,
    source: &'a str,
}

impl Place<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.source.len());
        self.source.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn error(&self, offset: usize, key: &str, what: &str) -> String {
        format!("{}:{}: key '{key}': {what}", self.origin, self.line(offset))
    }
}

fn found(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the text \"{s}\""),
        Value::Integer(i) => format!("the whole number {i}"),
        Value::Float(f) => format!("the number {f}"),
        Value::Boolean(b) => format!("{b}"),
        Value::Datetime(d) => format!("the date {d}"),
        Value::Array(_) => "a list".to_owned(),
        Value::Table(_) => "a table".to_owned(),
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// One table's keys, with the line of each, checked against the keys it may have.
struct Keys<'a> {
    values: &'a toml::Table,
    spans: Vec<(String, usize)>,
    place: &'a Place<'a>,
    table_offset: usize,
}

impl<'a> Keys<'a> {
    fn new(
        values: &'a toml::Table,
        spans: &DeTable<'_>,
        place: &'a Place<'a>,
        table_offset: usize,
        allowed: &[&str],
        what: &str,
    ) -> Result<Self, String> {
        let spans: Vec<(String, usize)> = spans
            .iter()
            .map(|(key, _)| (key.get_ref().to_string(), key.span().start))
            .collect();
        for (key, offset) in &spans {
            if !allowed.contains(&key.as_str()) {
                return Err(place.error(
                    *offset,
                    key,
                    &format!(
                        "unknown key in {what}; the keys are {}. Fix the spelling or remove the line",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(Self {
            values,
            spans,
            place,
            table_offset,
        })
    }

    fn offset(&self, key: &str) -> usize {
        self.spans
            .iter()
            .find(|(k, _)| k == key)
            .map_or(self.table_offset, |(_, offset)| *offset)
    }

    fn error(&self, key: &str, what: &str) -> String {
        self.place.error(self.offset(key), key, what)
    }

    fn boolean(&self, key: &str, default: bool) -> Result<bool, String> {
        match self.values.get(key) {
            None => Ok(default),
            Some(Value::Boolean(b)) => Ok(*b),
            Some(other) => Err(self.error(
                key,
                &format!("expected true or false, found {}", found(other)),
            )),
        }
    }

    fn number_in(&self, key: &str, limit: Limit) -> Result<Option<f64>, String> {
        let Some(value) = self.values.get(key) else {
            return Ok(None);
        };
        match number(value).map(|n| limit.check(n)) {
            Some(Ok(n)) => Ok(Some(n)),
            Some(Err(reason)) => Err(self.error(key, &format!("{reason}, found {}", found(value)))),
            None => Err(self.error(
                key,
                &format!(
                    "expected a number between {}{}, found {}",
                    limit.bounds(),
                    limit.unit,
                    found(value)
                ),
            )),
        }
    }

    /// "file:line" of `key`, for errors found later.
    fn place_of(&self, key: &str) -> String {
        format!(
            "{}:{}",
            self.place.origin,
            self.place.line(self.offset(key))
        )
    }

    fn text(&self, key: &str) -> Result<Option<&'a str>, String> {
        match self.values.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(self.error(
                key,
                &format!("expected text in quotes, found {}", found(other)),
            )),
        }
    }
}

impl ExhibitConfig {
    /// Checks the keys that name languages and sentences against the language files there are: one line
    /// naming the file, the line, the key and what there is to choose from.
    pub fn check_languages(&mut self, languages: &Languages) -> Result<(), String> {
        languages
            .check(&self.language)
            .map_err(|why| format!("{}: key 'language': {why}", self.places.language))?;
        if !self.places.languages_given {
            // The built-in list offers what there is: an install with English only gets no button.
            self.languages.retain(|code| languages.get(code).is_some());
        }
        for code in &self.languages {
            languages
                .check(code)
                .map_err(|why| format!("{}: key 'languages': {why}", self.places.languages))?;
        }
        for (index, scene) in self.scenes.iter().enumerate() {
            let Caption::Key(key) = &scene.caption else {
                continue;
            };
            for code in languages.codes() {
                let text = languages.get(code).expect("a listed code");
                if !text.attract.contains_key(key) {
                    let place = self.places.texts.get(index).map_or("", String::as_str);
                    let known: Vec<&str> = text.attract.keys().map(String::as_str).collect();
                    return Err(format!(
                        "{place}: key 'text': lang/{code}.toml has no [attract] sentence \"{key}\"; there are: {}",
                        known.join(", ")
                    ));
                }
            }
        }
        Ok(())
    }

    /// Parse a settings file; `origin` names it in errors. Scenes may name scenarios from `scenarios`.
    pub fn parse(source: &str, origin: &str, scenarios: &Scenarios) -> Result<Self, String> {
        let place = Place { origin, source };
        let values: toml::Table = toml::from_str(source).map_err(|error| {
            let line = error.span().map_or(1, |span| place.line(span.start));
            format!(
                "{origin}:{line}: this is not valid TOML: {}; see assets/exhibit.toml for the form",
                error.message().replace('\n', " ")
            )
        })?;
        let spans =
            DeTable::parse(source).map_err(|error| format!("{origin}: {}", error.message()))?;
        let defaults = defaults_for(origin, scenarios)?;
        let top = Keys::new(
            &values,
            spans.get_ref(),
            &place,
            0,
            &TOP_KEYS,
            "the exhibit settings",
        )?;

        let monitor = match values.get("monitor") {
            None => defaults.monitor,
            Some(Value::Integer(i)) if (0..=16).contains(i) => *i as usize,
            Some(other) => {
                return Err(top.error(
                    "monitor",
                    &format!(
                        "expected a monitor number from 0 to 16 (0 is the first), found {}",
                        found(other)
                    ),
                ));
            }
        };
        let admin_pin = match top.text("admin_pin")? {
            None => defaults.admin_pin.clone(),
            Some(pin)
                if PIN_DIGITS.contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) =>
            {
                pin.to_owned()
            }
            Some(pin) => {
                return Err(top.error(
                    "admin_pin",
                    &format!(
                        "expected {} to {} digits in quotes, such as \"4096\", found \"{pin}\"",
                        PIN_DIGITS.start(),
                        PIN_DIGITS.end()
                    ),
                ));
            }
        };
        let idle_seconds = top
            .number_in("idle_seconds", limits::IDLE_SECONDS)?
            .unwrap_or(defaults.idle_seconds);
        let reset_seconds = top
            .number_in("reset_seconds", limits::IDLE_SECONDS)?
            .unwrap_or(defaults.reset_seconds);

        let scenes = match values.get("scene") {
            None => defaults.scenes.clone(),
            Some(Value::Array(items)) => {
                parse_scene_list(items, spans.get_ref(), &place, &top, scenarios)?
            }
            Some(other) => {
                return Err(top.error(
                    "scene",
                    &format!("expected [[scene]] tables, found {}", found(other)),
                ));
            }
        };

        let panel = match top.text("panel")? {
            None => defaults.panel,
            Some("visitor") => PanelKind::Visitor,
            Some("full") => PanelKind::Full,
            Some(other) => {
                return Err(top.error(
                    "panel",
                    &format!("expected \"visitor\" or \"full\", found \"{other}\""),
                ));
            }
        };
        let theme = match top.text("theme")? {
            None => defaults.theme,
            Some(code) => ThemeName::parse(code).ok_or_else(|| {
                top.error(
                    "theme",
                    &format!("expected \"dark\" or \"light\", found \"{code}\""),
                )
            })?,
        };
        let language = top
            .text("language")?
            .map_or(defaults.language.clone(), str::to_owned);
        let languages = match values.get("languages") {
            None => defaults.languages.clone(),
            Some(Value::Array(items)) if !items.is_empty() => {
                let mut codes = Vec::new();
                for item in items {
                    match item {
                        Value::String(code) if !codes.contains(code) => codes.push(code.clone()),
                        other => {
                            return Err(top.error(
                                "languages",
                                &format!(
                                    "expected a list of different language codes such as [\"en\", \"es\"], found {} in it",
                                    found(other)
                                ),
                            ));
                        }
                    }
                }
                codes
            }
            Some(other) => {
                return Err(top.error(
                    "languages",
                    &format!(
                        "expected a list of language codes such as [\"en\", \"es\"], found {}",
                        found(other)
                    ),
                ));
            }
        };
        let languages_given = values.contains_key("languages");
        if languages_given && !languages.contains(&language) {
            return Err(top.error(
                "languages",
                &format!(
                    "the list must hold the default language \"{language}\" (the one every reset returns to); add it, or change language"
                ),
            ));
        }
        // The default language is always one of the button's choices, and the first.
        let mut languages = languages;
        languages.retain(|code| *code != language);
        languages.insert(0, language.clone());
        let mut places = Places {
            language: top.place_of("language"),
            languages: top.place_of("languages"),
            languages_given,
            texts: Vec::new(),
        };
        places.texts = if values.contains_key("scene") {
            scene_places(spans.get_ref(), &place)
        } else {
            defaults.places.texts.clone()
        };
        Ok(Self {
            fullscreen: top.boolean("fullscreen", defaults.fullscreen)?,
            panel,
            theme,
            language,
            languages,
            places,
            monitor,
            ui_scale: top
                .number_in("ui_scale", limits::UI_SCALE)?
                .unwrap_or(defaults.ui_scale),
            idle_seconds,
            reset_seconds,
            admin_pin,
            show_cursor: top.boolean("show_cursor", defaults.show_cursor)?,
            scenes,
        })
    }
}

/// "file:line" of each scene's `text` key (or of the scene, when it has none), in order.
fn scene_places(spans: &DeTable, place: &Place) -> Vec<String> {
    let Some(DeValue::Array(array)) = spans.get("scene").map(Spanned::get_ref) else {
        return Vec::new();
    };
    array
        .iter()
        .map(|item| {
            let offset = match item.get_ref() {
                DeValue::Table(table) => table
                    .iter()
                    .find(|(key, _)| key.get_ref() == "text")
                    .map_or(item.span().start, |(key, _)| key.span().start),
                _ => item.span().start,
            };
            format!("{}:{}", place.origin, place.line(offset))
        })
        .collect()
}

/// Every `[[scene]]` table of the settings, in order (at least one).
fn parse_scene_list(
    items: &[Value],
    spans: &DeTable,
    place: &Place,
    top: &Keys,
    scenarios: &Scenarios,
) -> Result<Vec<SceneSpec>, String> {
    let span_items = match spans.get("scene").map(Spanned::get_ref) {
        Some(DeValue::Array(array)) => array.iter().collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    if items.is_empty() {
        return Err(top.error("scene", "give at least one [[scene]] for the attract loop"));
    }
    let mut scenes = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let (span_table, offset) = match span_items.get(index) {
            Some(spanned) => match spanned.get_ref() {
                DeValue::Table(table) => (Some(table), spanned.span().start),
                _ => (None, spanned.span().start),
            },
            None => (None, top.offset("scene")),
        };
        let (Value::Table(table), Some(span_table)) = (item, span_table) else {
            return Err(place.error(offset, "scene", "expected [[scene]] tables, found a value"));
        };
        scenes.push(parse_scene(
            table, span_table, place, offset, index, scenarios,
        )?);
    }
    Ok(scenes)
}

/// The values a file may leave out: those of the built-in file, or plain ones while reading the built-in
/// file itself.
fn defaults_for(origin: &str, scenarios: &Scenarios) -> Result<ExhibitConfig, String> {
    if origin == BUILT_IN_ORIGIN {
        Ok(ExhibitConfig {
            fullscreen: true,
            monitor: 0,
            ui_scale: 1.0,
            idle_seconds: 45.0,
            reset_seconds: 120.0,
            admin_pin: "2718".to_owned(),
            show_cursor: false,
            panel: PanelKind::Visitor,
            theme: ThemeName::Dark,
            language: "en".to_owned(),
            languages: vec!["en".to_owned(), "es".to_owned()],
            scenes: Vec::new(),
            places: Places::default(),
        })
    } else {
        ExhibitConfig::parse(BUILT_IN_EXHIBIT, BUILT_IN_ORIGIN, scenarios)
    }
}

fn parse_scene(
    table: &toml::Table,
    spans: &DeTable<'_>,
    place: &Place<'_>,
    offset: usize,
    index: usize,
    scenarios: &Scenarios,
) -> Result<SceneSpec, String> {
    let what = format!("scene {}", index + 1);
    let keys = Keys::new(table, spans, place, offset, &SCENE_KEYS, &what)?;
    let show_names: Vec<&str> = Show::ALL.iter().map(|s| s.name()).collect();
    let show = match keys.text("show")? {
        None => {
            return Err(keys.error(
                "show",
                &format!("{what} needs show = one of {}", show_names.join(", ")),
            ));
        }
        Some(name) => Show::ALL
            .into_iter()
            // "regression" is what earlier versions called scene 2.
            .find(|s| s.name() == name || (name == "regression" && *s == Show::Gradient))
            .ok_or_else(|| {
                keys.error(
                    "show",
                    &format!(
                        "no scene kind \"{name}\"; choose one of {}",
                        show_names.join(", ")
                    ),
                )
            })?,
    };
    let caption = match (keys.text("caption")?, keys.text("text")?) {
        (Some(_), Some(_)) => {
            return Err(keys.error(
                "text",
                &format!("{what} has both caption and text; keep one (text names a sentence of the language files' [attract], caption gives the words)"),
            ));
        }
        (Some(text), None) if !text.trim().is_empty() => Caption::Literal(text.trim().to_owned()),
        (None, Some(key)) if !key.trim().is_empty() => Caption::Key(key.trim().to_owned()),
        _ => {
            return Err(keys.error(
                "caption",
                &format!("{what} needs text = a key of the language files' [attract] (such as \"slope\"), or caption = the sentence visitors read"),
            ));
        }
    };
    let curve = match keys.text("curve")? {
        None => None,
        Some(text) => Some(Curve::named_or_formula(text).map_err(|error| {
            keys.error(
                "curve",
                &format!("\"{text}\" is not a built-in curve or a formula in x: {error}"),
            )
        })?),
    };
    let start = keys.number_in("start", limits::START)?;
    let scenario = match keys.text("scenario")? {
        None => None,
        Some(title) => Some(scenarios.find(title).ok_or_else(|| {
            let titles: Vec<&str> = scenarios.0.iter().map(|s| s.title.as_str()).collect();
            keys.error(
                "scenario",
                &format!(
                    "no scenario \"{title}\" in assets/scenarios.toml; choose one of: {}",
                    titles.join("; ")
                ),
            )
        })?),
    };
    Ok(SceneSpec {
        show,
        caption,
        seconds: keys
            .number_in("seconds", limits::SCENE_SECONDS)?
            .unwrap_or(12.0),
        curve,
        start,
        learning_rate: keys.number_in("learning_rate", limits::LEARNING_RATE)?,
        h: keys.number_in("h", limits::CHORD_STEP)?,
        speed: keys.number_in("speed", limits::STEPS_PER_SECOND)?,
        scenario,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenarios() -> Scenarios {
        Scenarios::parse(crate::scenarios::BUILT_IN_SCENARIOS, "scenarios.toml").unwrap()
    }

    fn parse(source: &str) -> Result<ExhibitConfig, String> {
        ExhibitConfig::parse(source, "kiosk.toml", &scenarios())
    }

    #[test]
    fn the_built_in_settings_parse_and_tell_the_six_part_story() {
        let config = ExhibitConfig::parse(BUILT_IN_EXHIBIT, BUILT_IN_ORIGIN, &scenarios()).unwrap();
        assert!(config.fullscreen && !config.show_cursor);
        assert_eq!(config.admin_pin, "2718");
        let shows: Vec<Show> = config.scenes.iter().map(|s| s.show).collect();
        assert_eq!(
            shows,
            [
                Show::Slope,
                Show::Chord,
                Show::Sign,
                Show::Derivative,
                Show::Descent,
                Show::Descent,
                Show::Descent,
                Show::Gradient
            ]
        );
        assert!(
            config.scenes[5].learning_rate.unwrap() > 1.0,
            "a learning rate too large"
        );
        assert_eq!(
            config.scenes[6].scenario.as_ref().unwrap().title,
            "Momentum rolls over the hump"
        );
    }

    #[test]
    fn the_theme_is_dark_or_light_and_anything_else_is_refused_on_its_line() {
        assert_eq!(parse("").unwrap().theme, ThemeName::Dark);
        assert_eq!(
            parse("theme = \"light\"\n").unwrap().theme,
            ThemeName::Light
        );
        let error = parse("panel = \"full\"\ntheme = \"blue\"\n").unwrap_err();
        assert!(
            error.starts_with("kiosk.toml:2")
                && error.contains("'theme'")
                && error.contains("\"blue\""),
            "{error}"
        );
        assert!(!error.contains('\n'), "{error}");
    }

    #[test]
    fn missing_keys_take_the_built_in_values() {
        let config = parse("idle_seconds = 5\n").unwrap();
        assert_eq!(config.idle_seconds, 5.0);
        assert_eq!(config.reset_seconds, 120.0);
        assert_eq!(config.scenes.len(), 8);
        let empty = parse("").unwrap();
        assert_eq!(empty.idle_seconds, 45.0);
    }

    #[test]
    fn a_value_of_the_wrong_type_names_the_file_the_line_and_the_key() {
        let error = parse("fullscreen = true\nidle_seconds = \"soon\"\n").unwrap_err();
        assert!(
            error.starts_with("kiosk.toml:2: key 'idle_seconds': expected a number"),
            "{error}"
        );
        assert!(!error.contains('\n'));
        let error = parse("fullscreen = \"yes\"\n").unwrap_err();
        assert!(
            error.starts_with("kiosk.toml:1: key 'fullscreen': expected true or false"),
            "{error}"
        );
        let error = parse("admin_pin = 1234\n").unwrap_err();
        assert!(
            error.starts_with("kiosk.toml:1: key 'admin_pin'"),
            "{error}"
        );
        let error = parse("admin_pin = \"12a4\"\n").unwrap_err();
        assert!(error.contains("digits"), "{error}");
        let error = parse("ui_scale = 40\n").unwrap_err();
        assert!(error.starts_with("kiosk.toml:1: key 'ui_scale'"), "{error}");
    }

    #[test]
    fn an_unknown_key_is_an_error_with_its_line_also_inside_a_scene() {
        let error = parse("# settings\n\nidle_secs = 4\n").unwrap_err();
        assert!(
            error.starts_with("kiosk.toml:3: key 'idle_secs': unknown key"),
            "{error}"
        );
        let source = "[[scene]]\nshow = \"slope\"\ncaption = \"a\"\n\n[[scene]]\nshow = \"chord\"\ncaption = \"b\"\ncolour = \"red\"\n";
        let error = parse(source).unwrap_err();
        assert!(
            error.starts_with("kiosk.toml:8: key 'colour': unknown key in scene 2"),
            "{error}"
        );
    }

    #[test]
    fn every_key_with_a_bad_value_is_named_with_its_line() {
        let top = [
            ("fullscreen", "3"),
            ("monitor", "-1"),
            ("monitor", "\"left\""),
            ("ui_scale", "0.5"),
            ("ui_scale", "nan"),
            ("idle_seconds", "0"),
            ("idle_seconds", "inf"),
            ("reset_seconds", "true"),
            ("admin_pin", "\"12\""),
            ("admin_pin", "4096"),
            ("show_cursor", "\"no\""),
            ("scene", "[]"),
        ];
        for (key, value) in top {
            let error = parse(&format!("# kiosk\n{key} = {value}\n")).unwrap_err();
            assert!(
                error.starts_with(&format!("kiosk.toml:2: key '{key}'")),
                "{key} = {value}: {error}"
            );
            assert!(!error.contains('\n'));
        }
        let scene = [
            ("show", "\"dance\""),
            ("caption", "\"  \""),
            ("caption", "7"),
            ("seconds", "1"),
            ("seconds", "nan"),
            ("curve", "\"x +\""),
            ("start", "1e300"),
            ("start", "-inf"),
            ("learning_rate", "1e300"),
            ("h", "1e-320"),
            ("speed", "0"),
            ("scenario", "\"No such story\""),
            ("colour", "\"red\""),
        ];
        for (key, value) in scene {
            let source = if key == "show" || key == "caption" {
                "[[scene]]\nshow = \"slope\"\ncaption = \"c\"\n"
                    .replace(&format!("{key} = "), &format!("{key} = {value}\n# was "))
            } else {
                format!("[[scene]]\nshow = \"slope\"\ncaption = \"c\"\n{key} = {value}\n")
            };
            let error = parse(&source).unwrap_err();
            assert!(
                error.starts_with("kiosk.toml:") && error.contains(&format!("key '{key}'")),
                "{key} = {value}: {error}"
            );
            assert!(!error.contains('\n'));
        }
    }

    #[test]
    fn bad_toml_names_the_line() {
        let error = parse("fullscreen = true\nidle_seconds = = 3\n").unwrap_err();
        assert!(
            error.starts_with("kiosk.toml:2: this is not valid TOML"),
            "{error}"
        );
        assert!(!error.contains('\n'));
    }

    #[test]
    fn scenes_are_checked_key_by_key() {
        let scene = |body: &str| parse(&format!("[[scene]]\n{body}\n"));
        assert!(scene("show = \"slope\"\ncaption = \"x\"").is_ok());
        let error = scene("show = \"dance\"\ncaption = \"x\"").unwrap_err();
        assert!(
            error.starts_with("kiosk.toml:2: key 'show': no scene kind \"dance\""),
            "{error}"
        );
        let error = scene("show = \"slope\"").unwrap_err();
        assert!(error.contains("key 'caption'"), "{error}");
        let error = scene("show = \"slope\"\ncaption = \"x\"\ncurve = \"sin(\"").unwrap_err();
        assert!(error.starts_with("kiosk.toml:4: key 'curve'"), "{error}");
        let error = scene("show = \"descent\"\ncaption = \"x\"\nscenario = \"Nope\"").unwrap_err();
        assert!(error.contains("no scenario \"Nope\""), "{error}");
        let error = scene("show = \"descent\"\ncaption = \"x\"\nlearning_rate = -1").unwrap_err();
        assert!(
            error.starts_with("kiosk.toml:4: key 'learning_rate'"),
            "{error}"
        );
        let error = parse("scene = 3\n").unwrap_err();
        assert!(error.starts_with("kiosk.toml:1: key 'scene'"), "{error}");
    }

    #[test]
    fn the_language_buttons_must_offer_the_default_language() {
        let error = parse("language = \"es\"\nlanguages = [\"en\"]\n").unwrap_err();
        assert!(
            error.starts_with(
                "kiosk.toml:2: key 'languages': the list must hold the default language \"es\""
            ),
            "{error}"
        );
        let config = parse("language = \"es\"\nlanguages = [\"en\", \"es\"]\n").unwrap();
        assert_eq!(config.languages, ["es", "en"], "the default comes first");
        let error = parse("languages = [\"en\", \"en\"]\n").unwrap_err();
        assert!(error.contains("different language codes"), "{error}");
    }
}
