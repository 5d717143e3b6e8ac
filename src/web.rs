//! The web page: downhill in a browser's canvas (`wasm32`). The page's address is the command line
//! ([`crate::link`]); the built-in asset files are all there is; "Copy link" writes the settings on screen
//! back into the address bar. `assets/web/index.html` is the page around it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use bevy::diagnostic::FrameCount;
use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::AppPlugin;
use crate::exhibit::ExhibitConfig;
use crate::link::{self, CopyLink, Shared, Sharing};
use crate::scenarios::Scenarios;
use crate::scene::Scene;
use crate::sim::{ChordStep, DifferenceScheme, LearningRate, LossCurve, Playback, Run};
use crate::text::{FIRST_LANGUAGE, Languages, LessonText, fill};
use crate::ui::{PanelState, Tab};
use crate::view::slope::derivative::SlopePlot;

/// Opens downhill in the page's canvas, as the address asks.
pub fn run() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        say_on_page(&format!("downhill stopped: {info}"));
    }));
    let query = web_sys::window()
        .and_then(|window| window.location().search().ok())
        .unwrap_or_default();
    let mut asked = link::read(&query);
    // The built-in copies cannot be wrong (a unit test parses each), but a page says so rather than going blank.
    let (languages, scenarios) = match (Languages::built_in(), Scenarios::built_in()) {
        (Ok(languages), Ok(scenarios)) => (languages, scenarios),
        (Err(error), _) | (_, Err(error)) => {
            say_on_page(&format!("downhill cannot start: {error}"));
            return;
        }
    };
    if let Err(why) = languages.check(&asked.launch.language) {
        asked
            .problems
            .push(format!("lang: {why}; using {FIRST_LANGUAGE} instead"));
        asked.launch.language = FIRST_LANGUAGE.to_owned();
    }
    let lesson = languages
        .get(&asked.launch.language)
        .unwrap_or(languages.first())
        .clone();
    // From here a panic is said in the lesson's words.
    let stopped = lesson.web.stopped.clone();
    std::panic::set_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        say_on_page(&fill(&stopped, &[("why", info.to_string())]));
    }));
    if let Some(wanted) = &asked.launch.scenario
        && scenarios.find(wanted).is_none()
    {
        let titles: Vec<&str> = scenarios.0.iter().map(|s| s.title.as_str()).collect();
        asked.problems.push(fill(
            &lesson.web.no_scenario,
            &[("wanted", wanted.clone()), ("titles", titles.join("; "))],
        ));
        asked.launch.scenario = None;
    }
    let exhibit = if asked.exhibit {
        match exhibit_config(&scenarios) {
            Ok(config) => Some(config),
            Err(error) => {
                asked.problems.push(format!("exhibit: {error}"));
                None
            }
        }
    } else {
        None
    };
    let problems: Vec<String> = asked
        .problems
        .iter()
        .map(|problem| fill(&lesson.web.problem, &[("problem", problem.clone())]))
        .collect();
    for problem in &problems {
        web_sys::console::warn_1(&problem.as_str().into());
    }
    say_on_page(&problems.join("\n"));
    if exhibit.is_some() {
        go_fullscreen_on_first_touch();
    }
    let shares_links = exhibit.is_none();
    let mut app = App::new();
    app.add_plugins(AppPlugin {
        launch: asked.launch,
        exhibit,
        languages,
        scenarios,
    })
    .add_plugins(plugin);
    // A visitor's Copy link would rewrite the kiosk's address without `exhibit`, and a reload would open
    // the plain program: the exhibit shares no links.
    if shares_links {
        app.init_resource::<Sharing>();
    }
    app.run();
}

/// The exhibit's built-in settings, with the browser's fullscreen in place of the monitor's: the page asks
/// for it on the first touch, since a browser allows it only in answer to one.
fn exhibit_config(scenarios: &Scenarios) -> Result<ExhibitConfig, String> {
    let mut config = crate::exhibit::config::built_in(scenarios)?;
    config.fullscreen = false;
    Ok(config)
}

/// The page's side: "Copy link", and the loading message taken away once the first frame is drawn.
pub fn plugin(app: &mut App) {
    app.init_resource::<Clipboard>()
        .add_systems(
            Update,
            (share_link, hear_from_the_clipboard).run_if(resource_exists::<Sharing>),
        )
        .add_systems(Last, take_away_the_loading_message);
}

/// What the clipboard said of the last link: 0 nothing yet, 1 it took it, 2 it refused.
#[derive(Resource, Default)]
struct Clipboard(Arc<AtomicU8>);

/// The settings on screen, as a shared link carries them.
#[derive(SystemParam)]
struct OnScreen<'w> {
    curve: Res<'w, LossCurve>,
    learning_rate: Res<'w, LearningRate>,
    run: Res<'w, Run>,
    chord_step: Res<'w, ChordStep>,
    scheme: Res<'w, DifferenceScheme>,
    scene: Res<'w, State<Scene>>,
    playback: Res<'w, Playback>,
    panel: Res<'w, PanelState>,
    slope_plot: Res<'w, SlopePlot>,
    language: Res<'w, crate::text::CurrentLanguage>,
    theme: Res<'w, crate::theme::Theme>,
}

impl OnScreen<'_> {
    fn shared(&self) -> Shared {
        Shared {
            curve: self.curve.0.name.clone(),
            learning_rate: self.learning_rate.0,
            start: self.run.0.x,
            chord_step: self.chord_step.0,
            scheme: self.scheme.0,
            scene: *self.scene.get(),
            paused: !self.playback.playing,
            lab: self.panel.tab == Tab::ChordLab,
            slope_plot: self.slope_plot.shown,
            trace: self.slope_plot.shown && self.slope_plot.trace,
            language: self.language.0.clone(),
            theme: self.theme.name,
        }
    }
}

fn share_link(
    mut asked: MessageReader<CopyLink>,
    on_screen: OnScreen,
    lesson: Res<LessonText>,
    clipboard: Res<Clipboard>,
    mut sharing: ResMut<Sharing>,
) {
    if asked.read().count() == 0 {
        return;
    }
    let shared = on_screen.shared();
    let query = link::write(&shared);
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}")),
        );
    }
    sharing.said = Some(lesson.web.copied.clone());
    let address = location.href().unwrap_or_default();
    let answer = clipboard.0.clone();
    answer.store(0, Ordering::Relaxed);
    // Pages served over plain http (not localhost) have no clipboard: the address bar has the link then.
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|clipboard| !clipboard.is_undefined() && !clipboard.is_null());
    if !has_clipboard {
        return;
    }
    let promise = navigator.clipboard().write_text(&address);
    wasm_bindgen_futures::spawn_local(async move {
        let took = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        answer.store(if took { 1 } else { 2 }, Ordering::Relaxed);
    });
}

/// Once the clipboard took the link, say so.
fn hear_from_the_clipboard(
    clipboard: Res<Clipboard>,
    lesson: Res<LessonText>,
    mut sharing: ResMut<Sharing>,
) {
    if clipboard.0.swap(0, Ordering::Relaxed) == 1 {
        sharing.said = Some(lesson.web.copied_to_clipboard.clone());
    }
}

/// The page shows "Loading" until the first frame is on screen; then it goes, and the page is marked
/// started (`data-started` and the time it took, `data-first-frame-ms`, on the body: the browser test reads
/// them).
fn take_away_the_loading_message(frames: Res<FrameCount>, mut done: Local<bool>) {
    if *done || frames.0 < 2 {
        return;
    }
    *done = true;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    if let Some(loading) = document.get_element_by_id("loading") {
        let _ = loading.set_attribute("hidden", "");
    }
    if let Some(body) = document.body() {
        // Milliseconds from the start of the navigation, for the budget in the README.
        let since_navigation = window.performance().map_or(0.0, |clock| clock.now());
        let _ = body.set_attribute("data-first-frame-ms", &format!("{since_navigation:.0}"));
        let _ = body.set_attribute("data-started", "1");
    }
}

/// Puts `text` (one line per problem) in the page's message box, or hides the box when it is empty.
fn say_on_page(text: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let (Some(notice), Some(message)) = (
        document.get_element_by_id("notice"),
        document.get_element_by_id("message"),
    ) {
        message.set_text_content(Some(text));
        if text.is_empty() {
            let _ = notice.set_attribute("hidden", "");
        } else {
            let _ = notice.remove_attribute("hidden");
        }
    }
}

/// The exhibit fills the screen: a browser lets a page do that only in answer to a touch or a click, so
/// the first one asks for it.
fn go_fullscreen_on_first_touch() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let target = document.clone();
    // A refusal (the browser or the kiosk's policy says no) is not an error worth the console's red.
    let refused = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| ());
    let ask = Closure::<dyn FnMut()>::new(move || {
        let Some(root) = target.document_element() else {
            return;
        };
        if target.fullscreen_element().is_some() {
            return;
        }
        let request = js_sys::Reflect::get(&root, &"requestFullscreen".into())
            .ok()
            .and_then(|request| request.dyn_into::<js_sys::Function>().ok());
        if let Some(promise) = request
            .and_then(|request| request.call0(&root).ok())
            .and_then(|answer| answer.dyn_into::<js_sys::Promise>().ok())
        {
            let _ = promise.catch(&refused);
        }
    });
    // Every touch while the page is not fullscreen asks again, so a visitor who left it gets it back. A
    // mouse button counts as a request when it goes down, a finger only when it lifts: listen for both.
    for event in ["pointerdown", "pointerup"] {
        let _ = document.add_event_listener_with_callback(event, ask.as_ref().unchecked_ref());
    }
    // The page lives as long as the program: the listener may too.
    ask.forget();
}
