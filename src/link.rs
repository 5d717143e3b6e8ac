//! A web page's address as settings: `?curve=double-well&lr=0.05` opens what `--curve double-well --lr 0.05`
//! opens. The names are the command line's; each value is checked with the same words, and a bad one is
//! reported and replaced by its default instead of stopping the page.

use std::fmt::Write as _;

use bevy::prelude::{Message, Resource};

use crate::launch::Launch;
use crate::limits::{CHORD_STEP, LEARNING_RATE, START};
use crate::math::{Curve, Scheme};
use crate::scene::Scene;
use crate::theme::ThemeName;

/// Every name an address may set, in the order a shared link writes them.
pub const NAMES: [&str; 14] = [
    "curve",
    "lr",
    "x0",
    "h",
    "scheme",
    "scene",
    "scenario",
    "paused",
    "play",
    "lab",
    "derivative",
    "trace",
    "exhibit",
    "theme",
];

/// What an address asked for.
#[derive(Clone, Debug)]
pub struct Link {
    pub launch: Launch,
    /// Run as the exhibit, with its built-in settings.
    pub exhibit: bool,
    /// One line for each value that could not be used, naming it and saying what was used instead.
    pub problems: Vec<String>,
}

/// The settings a shared link carries: what is on screen now.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    /// A built-in curve's name or a typed formula.
    pub curve: String,
    pub learning_rate: f64,
    pub start: f64,
    pub chord_step: f64,
    pub scheme: Scheme,
    pub scene: Scene,
    pub paused: bool,
    pub lab: bool,
    /// f'(x) drawn under the plot, and only where the ball has been.
    pub slope_plot: bool,
    pub trace: bool,
    /// The language's code (left out of the link when it is the default).
    pub language: String,
    pub theme: ThemeName,
}

/// Present where a link can be shared (a web page): the panel then offers "Copy link", and says here what
/// became of the last one.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct Sharing {
    /// The sentence to show under the button after a copy.
    pub said: Option<String>,
}

/// The panel's "Copy link" was pressed: put the settings on screen into the address bar.
#[derive(Message, Clone, Copy, Debug, Default)]
pub struct CopyLink;

/// Reads a query string (with or without its leading `?`).
pub fn read(query: &str) -> Link {
    let mut launch = Launch::default();
    let mut exhibit = false;
    let mut problems = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut playing: Option<bool> = None;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(name);
        let value = decode(value);
        let mut refuse = |reason: String, used: String| {
            problems.push(format!("{name}: {reason}; using {used} instead"));
        };
        match name.as_str() {
            "curve" => match Curve::named_or_formula(&value) {
                Ok(curve) => launch.curve = curve,
                Err(error) => refuse(
                    format!(
                        "'{}' is neither a built-in curve ({}) nor a formula in x: {error}",
                        value.trim(),
                        Curve::names().join(", ")
                    ),
                    launch.curve.name.clone(),
                ),
            },
            "lr" => match LEARNING_RATE.read(&value) {
                Ok(lr) => launch.learning_rate = lr,
                Err(reason) => refuse(reason, number(launch.learning_rate)),
            },
            "x0" => match START.read(&value) {
                Ok(x0) => launch.start = Some(x0),
                Err(reason) => refuse(reason, "the curve's own start".to_owned()),
            },
            "h" => match CHORD_STEP.read(&value) {
                Ok(h) => launch.chord_step = h,
                Err(reason) => refuse(reason, number(launch.chord_step)),
            },
            "scheme" => match scheme_named(&value) {
                Some(scheme) => launch.scheme = scheme,
                None => refuse(
                    format!("'{value}' is not forward, backward or central"),
                    scheme_name(launch.scheme).to_owned(),
                ),
            },
            "scene" => match scene_named(&value) {
                Some(scene) => launch.scene = scene,
                None => refuse(
                    format!("'{value}' is not slope or gradient"),
                    scene_name(launch.scene).to_owned(),
                ),
            },
            "scenario" => launch.scenario = Some(value.clone()),
            // Checked against the language files by the page, which has them.
            "lang" => launch.language = value.trim().to_owned(),
            "theme" => match ThemeName::parse(value.trim()) {
                Some(theme) => launch.theme = theme,
                None => refuse(
                    format!("'{value}' is not dark or light"),
                    launch.theme.code().to_owned(),
                ),
            },
            "paused" | "play" | "lab" | "derivative" | "trace" | "exhibit" => {
                match switch(&value) {
                    Some(on) => match name.as_str() {
                        "paused" => playing = Some(!on),
                        "play" => playing = Some(on),
                        "lab" => launch.lab = on,
                        "derivative" => launch.slope_plot = on,
                        "trace" => launch.trace = on,
                        _ => exhibit = on,
                    },
                    None => {
                        // What the page does without this setting: it opens paused, not in the lab, not as
                        // the exhibit.
                        let default_on = name == "paused";
                        refuse(
                            format!("'{value}' is not on or off (write 1 or 0, true or false)"),
                            if default_on { "on" } else { "off" }.to_owned(),
                        );
                    }
                }
            }
            _ => problems.push(format!(
                "'{name}' is not a setting this page knows; it takes {}",
                NAMES.join(", ")
            )),
        }
    }
    if let Some(playing) = playing {
        launch.paused = !playing;
    }
    // A start the curve cannot be evaluated at is as bad as a number out of range.
    if let Some(x0) = launch.start {
        let (value, slope) = launch.curve.value_and_slope(x0);
        if !value.is_finite() || !slope.is_finite() {
            problems.push(format!(
                "x0: {} has no value or no finite slope at x = {}; using the curve's own start instead",
                launch.curve.name,
                number(x0)
            ));
            launch.start = None;
        }
    }
    Link {
        launch,
        exhibit,
        problems,
    }
}

/// The query string (with its `?`) that opens `shared` again; settings at their defaults are left out.
pub fn write(shared: &Shared) -> String {
    let defaults = Launch::default();
    let mut query = String::new();
    let mut put = |name: &str, value: &str| {
        let _ = write!(
            query,
            "{}{name}={}",
            if query.is_empty() { '?' } else { '&' },
            encode(value)
        );
    };
    put("curve", &shared.curve);
    put("lr", &number(shared.learning_rate));
    put("x0", &number(shared.start));
    if shared.chord_step != defaults.chord_step {
        put("h", &number(shared.chord_step));
    }
    if shared.scheme != defaults.scheme {
        put("scheme", scheme_name(shared.scheme));
    }
    if shared.scene != defaults.scene {
        put("scene", scene_name(shared.scene));
    }
    if !shared.paused {
        put("play", "1");
    }
    if shared.lab {
        put("lab", "1");
    }
    if shared.trace {
        put("trace", "1");
    } else if shared.slope_plot {
        put("derivative", "1");
    }
    if shared.language != defaults.language {
        put("lang", &shared.language);
    }
    if shared.theme != defaults.theme {
        put("theme", shared.theme.code());
    }
    query
}

/// Shortest text that reads back as the same f64.
fn number(value: f64) -> String {
    format!("{value}")
}

fn switch(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        // `?paused` alone, like `--paused`, turns it on.
        "" | "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn scheme_named(value: &str) -> Option<Scheme> {
    Scheme::ALL
        .into_iter()
        .find(|&scheme| scheme_name(scheme).eq_ignore_ascii_case(value.trim()))
}

pub fn scheme_name(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Forward => "forward",
        Scheme::Backward => "backward",
        Scheme::Central => "central",
    }
}

fn scene_named(value: &str) -> Option<Scene> {
    match value.trim().to_ascii_lowercase().as_str() {
        // The command line's older words, so old links keep working.
        "slope" | "curve" => Some(Scene::Slope),
        "gradient" | "regression" => Some(Scene::Gradient),
        _ => None,
    }
}

pub fn scene_name(scene: Scene) -> &'static str {
    match scene {
        Scene::Slope => "slope",
        Scene::Gradient => "gradient",
    }
}

/// Percent-decoding as a form writes it (`+` is a space); a broken escape is kept as typed.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match text
                .get(i + 1..i + 3)
                .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                Some(byte) => {
                    out.push(byte);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding that leaves only letters, digits and `-._~` as they are.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_sets_what_the_command_line_sets() {
        let link = read(
            "?curve=double-well&lr=0.05&x0=-1.5&h=0.01&scheme=central&scene=gradient&lab=1&play",
        );
        assert!(link.problems.is_empty(), "{:?}", link.problems);
        let launch = link.launch;
        assert_eq!(launch.curve.name, "double-well");
        assert_eq!(launch.learning_rate, 0.05);
        assert_eq!(launch.start, Some(-1.5));
        assert_eq!(launch.chord_step, 0.01);
        assert_eq!(launch.scheme, Scheme::Central);
        assert_eq!(launch.scene, Scene::Gradient);
        assert!(launch.lab);
        assert!(!launch.paused);
        assert!(!link.exhibit);
    }

    #[test]
    fn a_typed_formula_travels_url_encoded() {
        let link = read("curve=-x%5E2%20%2B%204&x0=1");
        assert!(link.problems.is_empty(), "{:?}", link.problems);
        assert_eq!(link.launch.curve.name, "-x^2 + 4");
        let plus_for_space = read("curve=x%5E2+%2B+1");
        assert_eq!(plus_for_space.launch.curve.name, "x^2 + 1");
    }

    #[test]
    fn a_bad_value_is_reported_and_its_default_used() {
        let link = read("lr=fast&h=2&curve=nope(&scene=3d&paused=maybe&colour=red&x0=1e9");
        let defaults = Launch::default();
        assert_eq!(link.launch.learning_rate, defaults.learning_rate);
        assert_eq!(link.launch.chord_step, defaults.chord_step);
        assert_eq!(link.launch.curve.name, defaults.curve.name);
        assert_eq!(link.launch.scene, defaults.scene);
        assert_eq!(link.launch.start, None);
        assert!(link.launch.paused);
        assert_eq!(link.problems.len(), 7, "{:#?}", link.problems);
        assert_eq!(
            link.problems[0],
            "lr: 'fast' is not a number; using 0.1 instead"
        );
        assert_eq!(
            link.problems[1],
            "h: h must be between 1e-16 and 1; using 1 instead"
        );
        assert!(link.problems[5].starts_with("'colour' is not a setting this page knows"));
        assert_eq!(
            link.problems[4],
            "paused: 'maybe' is not on or off (write 1 or 0, true or false); using on instead"
        );
        assert!(link.problems.iter().all(|line| !line.contains('\n')));
    }

    #[test]
    fn a_start_where_the_curve_has_no_slope_falls_back_to_its_own() {
        let link = read("curve=sqrt(x)&x0=-4");
        assert_eq!(link.launch.start, None);
        assert_eq!(link.problems.len(), 1, "{:?}", link.problems);
        assert!(link.problems[0].starts_with("x0: sqrt(x) has no value"));
    }

    #[test]
    fn a_shared_link_opens_the_same_settings_again() {
        let shared = Shared {
            curve: "x^4 - 3x^2 + x".to_owned(),
            learning_rate: 0.013,
            start: -1.2345678901234567,
            chord_step: 1e-7,
            scheme: Scheme::Backward,
            scene: Scene::Gradient,
            paused: false,
            lab: true,
            slope_plot: true,
            trace: true,
            language: "es".to_owned(),
            theme: ThemeName::Light,
        };
        let query = write(&shared);
        assert!(
            query.starts_with("?curve=x%5E4%20-%203x%5E2%20%2B%20x&lr=0.013"),
            "{query}"
        );
        let link = read(&query);
        assert!(link.problems.is_empty(), "{:?}", link.problems);
        let launch = link.launch;
        let back = Shared {
            curve: launch.curve.name.clone(),
            learning_rate: launch.learning_rate,
            start: launch.start.unwrap(),
            chord_step: launch.chord_step,
            scheme: launch.scheme,
            scene: launch.scene,
            paused: launch.paused,
            lab: launch.lab,
            slope_plot: launch.slope_plot || launch.trace,
            trace: launch.trace,
            language: launch.language,
            theme: launch.theme,
        };
        assert_eq!(back, shared);
    }

    #[test]
    fn the_defaults_are_left_out_of_a_shared_link() {
        let query = write(&Shared {
            curve: "bowl".to_owned(),
            learning_rate: 0.1,
            start: 2.0,
            chord_step: 1.0,
            scheme: Scheme::Forward,
            scene: Scene::Slope,
            paused: true,
            lab: false,
            slope_plot: false,
            trace: false,
            language: "en".to_owned(),
            theme: ThemeName::Dark,
        });
        assert_eq!(query, "?curve=bowl&lr=0.1&x0=2");
    }

    #[test]
    fn the_exhibit_and_a_scenario_come_from_the_address_too() {
        let link = read("exhibit=1&scenario=Too%20large");
        assert!(link.exhibit);
        assert_eq!(link.launch.scenario.as_deref(), Some("Too large"));
    }

    #[test]
    fn broken_escapes_are_kept_as_typed() {
        assert_eq!(decode("50%"), "50%");
        assert_eq!(decode("%zz%41"), "%zzA");
        // Not an escape, so the `%` stays; the `+` is a space, as in any form.
        assert_eq!(decode("%+5"), "% 5");
        assert_eq!(encode("a b/é"), "a%20b%2F%C3%A9");
        assert_eq!(decode(&encode("a b/é+")), "a b/é+");
    }
}
