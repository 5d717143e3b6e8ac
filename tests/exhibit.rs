//! Exhibit mode's state machine as an ECS under simulated time, without a window: the attract loop, the
//! waking touch, the reset timer, the staff corner taps and PIN, the quit keys.

mod headless;
mod sequence;

use sequence::sequence;

use std::time::Duration;

use bevy::input::ButtonState;
use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use downhill::Launch;
use downhill::exhibit::machine::{KeypadKey, Mode};
use downhill::exhibit::scenes::SceneScript;
use downhill::exhibit::{CORNER, Exhibit, ExhibitConfig, KeypadPress};
use downhill::input::InputGate;
use downhill::scene::{Scene, Shown};
use downhill::sim::{LearningRate, LossCurve, Playback, Run};
use downhill::view::PlotArea;
use downhill::view::slope::ball::{Ball, Glide};

const FRAME: Duration = Duration::from_millis(20);

const SETTINGS: &str = r#"
fullscreen = false
idle_seconds = 3
reset_seconds = 10
admin_pin = "4096"

[[scene]]
show = "slope"
caption = "one"
seconds = 4

[[scene]]
show = "descent"
caption = "two"
seconds = 4
learning_rate = 1.1
start = 0.3
speed = 10
"#;

fn exhibit_app() -> App {
    let config = ExhibitConfig::parse(
        SETTINGS,
        "test.toml",
        &downhill::files::scenarios().unwrap(),
    )
    .unwrap();
    let mut app = headless::app(FRAME);
    headless::add_exhibit(&mut app, config);
    app.world_mut().spawn((Ball, Glide::resting(2.5)));
    app.update();
    app
}

fn run_for(app: &mut App, seconds: f64) {
    for _ in 0..(seconds / FRAME.as_secs_f64()).round() as usize {
        app.update();
    }
}

fn mode(app: &App) -> Mode {
    app.world().resource::<Exhibit>().machine.mode
}

fn attracting(app: &App) -> bool {
    matches!(mode(app), Mode::Attract { .. })
}

fn touch(app: &mut App, id: u64, at: Vec2, phase: TouchPhase) {
    headless::touch(app, id, at, phase);
    app.update();
}

fn tap(app: &mut App, at: Vec2) {
    touch(app, 1, at, TouchPhase::Started);
    touch(app, 1, at, TouchPhase::Ended);
}

use headless::key;

/// A point on the plot well away from the ball and the staff corner.
fn on_the_plot(app: &App) -> Vec2 {
    app.world().resource::<PlotArea>().to_screen(-1.0, 1.0)
}

#[test]
fn the_exhibit_starts_in_the_attract_loop_and_plays_its_scenes_in_turn() {
    let mut app = exhibit_app();
    assert!(attracting(&app));
    assert!(!app.world().resource::<Shown>().panel, "the panel hides");
    assert_eq!(app.world().resource::<SceneScript>().caption, "one");
    run_for(&mut app, 4.2);
    assert_eq!(app.world().resource::<SceneScript>().caption, "two");
    assert_eq!(app.world().resource::<LearningRate>().0, 1.1);
    assert!(app.world().resource::<Playback>().playing);
    run_for(&mut app, 2.0);
    assert!(
        app.world().resource::<Run>().0.step > 5,
        "the descent scene really plays"
    );
    run_for(&mut app, 2.2);
    assert_eq!(
        app.world().resource::<SceneScript>().caption,
        "one",
        "it loops"
    );
}

#[test]
fn a_touch_wakes_it_into_the_clean_default_state_without_acting_on_what_it_touched() {
    let mut app = exhibit_app();
    run_for(&mut app, 5.0);
    assert_eq!(
        app.world().resource::<LearningRate>().0,
        1.1,
        "scene two set lr 1.1"
    );
    let at = on_the_plot(&app);
    touch(&mut app, 7, at, TouchPhase::Started);
    assert_eq!(mode(&app), Mode::Interactive);
    run_for(&mut app, 0.3);
    let defaults = Launch::default();
    let world = app.world();
    assert_eq!(world.resource::<LearningRate>().0, defaults.learning_rate);
    assert_eq!(world.resource::<LossCurve>().0.name, "bowl");
    assert_eq!(
        world.resource::<Run>().0.start,
        defaults.curve.default_start,
        "the touch moved nothing"
    );
    assert!(
        world.resource::<Shown>().visitor,
        "the visitor panel, the default"
    );
    assert!(world.get_resource::<SceneScript>().is_none());
    assert!(
        world.resource::<InputGate>().blocked,
        "held back until the finger lifts"
    );

    touch(&mut app, 7, at, TouchPhase::Ended);
    app.update();
    assert!(!app.world().resource::<InputGate>().blocked);
    touch(&mut app, 8, at, TouchPhase::Started);
    touch(&mut app, 8, at, TouchPhase::Ended);
    app.update();
    let start = app.world().resource::<Run>().0.start;
    assert!(
        (start - -1.0).abs() < 0.05,
        "the next touch moves the ball, to {start}"
    );
}

#[test]
fn after_the_idle_time_without_input_the_attract_loop_returns() {
    let mut app = exhibit_app();
    let at = on_the_plot(&app);
    tap(&mut app, at);
    assert_eq!(mode(&app), Mode::Interactive);
    run_for(&mut app, 2.8);
    assert_eq!(mode(&app), Mode::Interactive);
    run_for(&mut app, 0.4);
    assert!(attracting(&app));
    assert_eq!(app.world().resource::<SceneScript>().caption, "one");
}

#[test]
fn the_reset_time_restores_defaults_and_restarts_the_playlist() {
    let mut app = exhibit_app();
    let at = on_the_plot(&app);
    tap(&mut app, at);
    app.insert_resource(LearningRate(0.75));
    run_for(&mut app, 9.5);
    // Idle at 3 s: scene one (4 s), then scene two from 7 s.
    assert_eq!(app.world().resource::<SceneScript>().caption, "two");
    run_for(&mut app, 0.7);
    let script = app.world().resource::<SceneScript>();
    assert_eq!(script.caption, "one", "the reset starts the playlist again");
    assert!(script.elapsed < 1.0);
    assert_eq!(app.world().resource::<LearningRate>().0, 0.1);
}

#[test]
fn five_taps_in_the_corner_and_the_pin_end_the_program_with_success() {
    let mut app = exhibit_app();
    let corner = Vec2::splat(CORNER * 0.5);
    for _ in 0..5 {
        tap(&mut app, corner);
    }
    assert!(app.world().resource::<Exhibit>().machine.keypad.is_some());
    assert_eq!(
        app.world().resource::<Run>().0.start,
        Launch::default().curve.default_start,
        "corner taps do not move the ball"
    );
    for d in [4, 0, 9, 6] {
        app.world_mut()
            .write_message(KeypadPress(KeypadKey::Digit(d)));
    }
    app.world_mut().write_message(KeypadPress(KeypadKey::Enter));
    app.update();
    assert_eq!(app.should_exit(), Some(AppExit::Success));
}

#[test]
fn a_wrong_pin_keeps_the_exhibit_running() {
    let mut app = exhibit_app();
    let corner = Vec2::splat(10.0);
    for _ in 0..5 {
        tap(&mut app, corner);
    }
    for d in [1, 2, 3, 4] {
        app.world_mut()
            .write_message(KeypadPress(KeypadKey::Digit(d)));
    }
    app.world_mut().write_message(KeypadPress(KeypadKey::Enter));
    app.update();
    assert_eq!(app.should_exit(), None);
    let keypad = app
        .world()
        .resource::<Exhibit>()
        .machine
        .keypad
        .clone()
        .unwrap();
    assert_eq!((keypad.typed.as_str(), keypad.wrong_tries), ("", 1));
    // Slow taps do not open it: four taps, a pause, then one more.
    app.world_mut()
        .write_message(KeypadPress(KeypadKey::Cancel));
    app.update();
    for _ in 0..4 {
        tap(&mut app, corner);
    }
    run_for(&mut app, 3.1);
    tap(&mut app, corner);
    assert!(app.world().resource::<Exhibit>().machine.keypad.is_none());
}

#[test]
fn ctrl_alt_shift_q_quits_and_escape_does_nothing() {
    let mut app = exhibit_app();
    key(&mut app, KeyCode::Escape, ButtonState::Pressed);
    app.update();
    key(&mut app, KeyCode::Escape, ButtonState::Released);
    app.update();
    assert_eq!(app.should_exit(), None);
    for code in [KeyCode::ControlLeft, KeyCode::AltLeft, KeyCode::ShiftRight] {
        key(&mut app, code, ButtonState::Pressed);
    }
    app.update();
    assert_eq!(app.should_exit(), None);
    key(&mut app, KeyCode::KeyQ, ButtonState::Pressed);
    app.update();
    assert_eq!(app.should_exit(), Some(AppExit::Success));
}

/// A short playlist that passes through every kind of scene quickly, so the wakes below land in all of them.
const WAKE_SETTINGS: &str = r#"
fullscreen = false
idle_seconds = 1
reset_seconds = 600
admin_pin = "4096"

[[scene]]
show = "slope"
caption = "glide"
seconds = 2

[[scene]]
show = "descent"
caption = "roll"
seconds = 2
learning_rate = 0.3
speed = 20

[[scene]]
show = "chord"
caption = "shrink"
seconds = 2

[[scene]]
show = "sign"
caption = "sides"
seconds = 2
"#;

/// The exhibit as the program starts it (paused until someone presses Play), with a window to carry the
/// mouse pointer.
fn paused_exhibit_app() -> App {
    let config = ExhibitConfig::parse(
        WAKE_SETTINGS,
        "test.toml",
        &downhill::files::scenarios().unwrap(),
    )
    .unwrap();
    let launch = Launch {
        paused: true,
        ..Launch::default()
    };
    let mut app = headless::app(FRAME);
    headless::add_exhibit_with(&mut app, config, launch.clone());
    app.world_mut()
        .spawn((Ball, Glide::resting(launch.curve.default_start)));
    app.world_mut()
        .spawn((Window::default(), bevy::window::PrimaryWindow));
    app.update();
    app
}

/// The left mouse button going down or up at `at`, as the window would send it (read on the next update).
fn mouse(app: &mut App, at: Vec2, state: ButtonState) {
    let mut windows = app
        .world_mut()
        .query_filtered::<(Entity, &mut Window), With<bevy::window::PrimaryWindow>>();
    let (window, mut w) = windows.single_mut(app.world_mut()).unwrap();
    w.set_cursor_position(Some(at));
    app.world_mut()
        .write_message(bevy::input::mouse::MouseButtonInput {
            button: MouseButton::Left,
            state,
            window,
        });
}

/// How a visitor wakes the exhibit in the loop below.
#[derive(Clone, Copy, Debug)]
enum WakeBy {
    Click,
    Finger,
    /// A finger that slides across the plot before it lifts.
    Slide,
    /// A second finger lands while the first is still down, and lifts last.
    TwoFingers,
    Space,
    /// The mouse button and a finger together, as a touch screen that also emulates the mouse sends them.
    ClickAndFinger,
}

const WAKES: [WakeBy; 6] = [
    WakeBy::Click,
    WakeBy::Finger,
    WakeBy::Slide,
    WakeBy::TwoFingers,
    WakeBy::Space,
    WakeBy::ClickAndFinger,
];

/// Presses for `by` at `at`, holds for `held` frames (0: down and up within one frame), lets go.
fn wake(app: &mut App, by: WakeBy, at: Vec2, held: usize) {
    let down = |app: &mut App| match by {
        WakeBy::Click => mouse(app, at, ButtonState::Pressed),
        WakeBy::Finger | WakeBy::Slide | WakeBy::TwoFingers => {
            headless::touch(app, 21, at, TouchPhase::Started)
        }
        WakeBy::Space => key(app, KeyCode::Space, ButtonState::Pressed),
        WakeBy::ClickAndFinger => {
            headless::touch(app, 21, at, TouchPhase::Started);
            mouse(app, at, ButtonState::Pressed);
        }
    };
    let up = |app: &mut App| match by {
        WakeBy::Click => mouse(app, at, ButtonState::Released),
        WakeBy::Finger | WakeBy::Slide => headless::touch(app, 21, at, TouchPhase::Ended),
        WakeBy::TwoFingers => {
            headless::touch(app, 21, at, TouchPhase::Ended);
            headless::touch(app, 22, at + Vec2::new(60.0, 0.0), TouchPhase::Ended);
        }
        WakeBy::Space => key(app, KeyCode::Space, ButtonState::Released),
        WakeBy::ClickAndFinger => {
            mouse(app, at, ButtonState::Released);
            headless::touch(app, 21, at, TouchPhase::Ended);
        }
    };
    down(app);
    if held > 0 {
        app.update();
        for frame in 1..held {
            match by {
                WakeBy::Slide => headless::touch(
                    app,
                    21,
                    at + Vec2::new(25.0 * frame as f32, 0.0),
                    TouchPhase::Moved,
                ),
                WakeBy::TwoFingers if frame == 1 => {
                    headless::touch(app, 22, at + Vec2::new(60.0, 0.0), TouchPhase::Started)
                }
                _ => {}
            }
            app.update();
        }
    } else if let WakeBy::TwoFingers = by {
        headless::touch(app, 22, at + Vec2::new(60.0, 0.0), TouchPhase::Started);
    }
    up(app);
    app.update();
}

#[test]
fn the_waking_touch_never_reaches_the_plot_in_forty_wakes_at_every_frame_phase() {
    let mut app = paused_exhibit_app();
    let defaults = Launch::default();
    let mut seed = 12;
    let mut leaks = Vec::new();
    // Frames after the attract loop began at which the visitor touches: the first frames, around the scene
    // changes (every 100 frames), and in between.
    let phases = [
        0, 1, 2, 3, 49, 99, 100, 101, 150, 199, 200, 201, 299, 300, 333, 399,
    ];
    for wake_number in 0..40 {
        let mut waited = 0;
        while !attracting(&app) {
            app.update();
            waited += 1;
            assert!(
                waited < 500,
                "wake {wake_number}: the attract loop never came back"
            );
        }
        let phase = phases[wake_number % phases.len()];
        for _ in 0..phase {
            app.update();
        }
        let by = WAKES[wake_number % WAKES.len()];
        let held = [0, 1, 2, 5][wake_number / WAKES.len() % 4];
        let plot = *app.world().resource::<PlotArea>();
        let at = plot.min
            + plot.size()
                * Vec2::new(
                    0.05 + 0.5 * sequence(&mut seed),
                    0.2 + 0.6 * sequence(&mut seed),
                );
        let scene = app.world().resource::<SceneScript>().caption.clone();
        wake(&mut app, by, at, held);
        assert_eq!(
            mode(&app),
            Mode::Interactive,
            "wake {wake_number} ({by:?}) woke it"
        );
        let mut frames = 0;
        while app.world().resource::<InputGate>().blocked {
            app.update();
            frames += 1;
            assert!(
                frames <= 3,
                "wake {wake_number} ({by:?}): input still held back {frames} frames after every finger lifted"
            );
        }
        for _ in 0..3 {
            app.update();
        }
        let world = app.world();
        let run = &world.resource::<Run>().0;
        let playing = world.resource::<Playback>().playing;
        let dragging = world.resource::<downhill::sim::PointerDrag>().grab;
        let actions = world.resource::<downhill::exhibit::Visit>().actions;
        if run.start != defaults.curve.default_start
            || run.step != 0
            || playing
            || dragging.is_some()
            || actions != 0
        {
            leaks.push(format!(
                "wake {wake_number} by {by:?} held {held} frames, {phase} frames into \"{scene}\": start {}, \
                 step {}, playing {playing}, drag {dragging:?}, {actions} commands",
                run.start, run.step
            ));
        }

        // The visitor's next press does reach the plot: input is open, not held back for good.
        let next = plot.min + plot.size() * Vec2::new(0.3, 0.5);
        mouse(&mut app, next, ButtonState::Pressed);
        mouse(&mut app, next, ButtonState::Released);
        app.update();
        app.update();
        let start = app.world().resource::<Run>().0.start;
        let wanted = plot.screen_to_x(next);
        assert!(
            (start - wanted).abs() < 1e-3,
            "wake {wake_number}: a click after the waking one moves the ball to {wanted}, it is at {start}"
        );
    }
    assert!(
        leaks.is_empty(),
        "{} of 40 waking touches reached the plot or the run:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}

const GRADIENT_FIRST: &str = r#"
fullscreen = false
idle_seconds = 3
reset_seconds = 10
admin_pin = "4096"

[[scene]]
show = "gradient"
caption = "a line fitted to points"
seconds = 4
learning_rate = 0.02

[[scene]]
show = "slope"
caption = "one"
seconds = 4
"#;

fn scene(app: &App) -> Scene {
    *app.world().resource::<State<Scene>>().get()
}

#[test]
fn a_touch_on_the_gradient_scene_gives_the_visitor_scene_one_in_the_same_frame() {
    use downhill::sim::gradient::GradientRun;
    let config = ExhibitConfig::parse(
        GRADIENT_FIRST,
        "test.toml",
        &downhill::files::scenarios().unwrap(),
    )
    .unwrap();
    let mut app = headless::app(FRAME);
    headless::add_exhibit(&mut app, config);
    app.world_mut().spawn((Ball, Glide::resting(2.5)));
    app.update();
    // The attract loop opens on scene 2, playing its own points at its own learning rate.
    assert!(attracting(&app));
    assert_eq!(scene(&app), Scene::Gradient);
    let shown = app.world().resource::<GradientRun>();
    assert!(shown.playing && shown.points.len() == 4 && shown.learning_rate == 0.02);
    for round in 0..5 {
        // Each waking touch: scene 1 and a clean gradient scene at once, in the frame of the touch.
        let at = on_the_plot(&app);
        touch(&mut app, 9, at, TouchPhase::Started);
        assert_eq!(mode(&app), Mode::Interactive, "round {round}");
        assert_eq!(
            scene(&app),
            Scene::Slope,
            "round {round}: scene 1 in the waking frame"
        );
        assert_eq!(
            *app.world().resource::<GradientRun>(),
            GradientRun::default()
        );
        touch(&mut app, 9, at, TouchPhase::Ended);
        // Left alone, the attract loop comes back on scene 2 (idle_seconds = 3).
        run_for(&mut app, 3.5);
        assert!(attracting(&app), "round {round}");
        assert_eq!(
            scene(&app),
            Scene::Gradient,
            "round {round}: back on scene 2"
        );
        assert!(app.world().resource::<GradientRun>().playing);
    }
}

#[test]
fn too_large_a_learning_rate_is_stopped_with_the_ball_still_on_the_plot() {
    let mut app = exhibit_app();
    // Scene two (from 4 s): the bowl from 0.3 at lr 1.1, ten steps a second; each lands 1.2 times as far out.
    run_for(&mut app, 4.1);
    assert_eq!(app.world().resource::<SceneScript>().caption, "two");
    assert!(!app.world().resource::<SceneScript>().thrown_out);
    run_for(&mut app, 3.5);
    let world = app.world();
    let script = world.resource::<SceneScript>();
    let run = &world.resource::<Run>().0;
    let curve = &world.resource::<LossCurve>().0;
    assert!(script.thrown_out, "stopped at its too-big moment");
    assert!(!world.resource::<Playback>().playing);
    let (lo, hi) = curve.x_range;
    assert!(
        run.x > lo && run.x < hi && curve.value(run.x) <= curve.y_range.1,
        "the ball is still in view, at x = {} after {} steps",
        run.x,
        run.step
    );
    // It had gone past the bottom and up the far side more than once: 0.3 · 1.2^n beyond 1.
    assert!(
        run.step >= 6 && run.x.abs() > 1.0,
        "{} at step {}",
        run.x,
        run.step
    );
}

/// The exhibit app with both languages, their switch and the attract screen's language buttons at `buttons`.
fn bilingual_exhibit_app(buttons: [f32; 4]) -> App {
    let mut app = exhibit_app();
    let languages = downhill::text::Languages::built_in().unwrap();
    app.insert_resource(languages.first().clone())
        .insert_resource(languages)
        .add_plugins(downhill::ui::language::plugin);
    app.world_mut()
        .resource_mut::<downhill::exhibit::view::AttractLayout>()
        .language = Some(buttons);
    app.update();
    app
}

fn language(app: &App) -> (String, String) {
    (
        app.world()
            .resource::<downhill::text::CurrentLanguage>()
            .0
            .clone(),
        app.world()
            .resource::<downhill::text::LessonText>()
            .name
            .clone(),
    )
}

#[test]
fn a_touch_on_the_language_buttons_changes_the_words_and_leaves_the_attract_loop_playing() {
    let buttons = [1000.0, 660.0, 1260.0, 710.0];
    let mut app = bilingual_exhibit_app(buttons);
    assert!(attracting(&app));
    for round in 0..20 {
        // The button itself asks for the language (egui, in the window); the touch under it must not wake.
        let at = Vec2::new(
            1010.0 + 12.0 * round as f32,
            670.0 + (round % 4) as f32 * 9.0,
        );
        app.world_mut()
            .write_message(downhill::ui::language::SetLanguage("es".into()));
        tap(&mut app, at);
        assert!(attracting(&app), "round {round}: a touch at {at} woke it");
    }
    assert_eq!(language(&app), ("es".to_owned(), "Español".to_owned()));
    // Anywhere else, a touch wakes it, and the chosen language stays for the visitor.
    let at = on_the_plot(&app);
    tap(&mut app, at);
    assert_eq!(mode(&app), Mode::Interactive);
    assert_eq!(language(&app).0, "es");
}

#[test]
fn the_reset_brings_back_the_default_language_and_the_idle_return_keeps_the_chosen_one() {
    let mut app = bilingual_exhibit_app([0.0; 4]);
    for visit in 0..5 {
        let at = on_the_plot(&app);
        tap(&mut app, at);
        assert_eq!(mode(&app), Mode::Interactive, "visit {visit}");
        app.world_mut()
            .write_message(downhill::ui::language::SetLanguage("es".into()));
        run_for(&mut app, 0.5);
        assert_eq!(language(&app).0, "es", "visit {visit}");
        // Idle at 3 s: the attract loop, still in Spanish for whoever is near.
        run_for(&mut app, 3.0);
        assert!(attracting(&app), "visit {visit}");
        assert_eq!(language(&app).0, "es", "visit {visit}: idle keeps it");
        // The full reset at 10 s: the default again.
        run_for(&mut app, 7.0);
        assert_eq!(
            language(&app),
            ("en".to_owned(), "English".to_owned()),
            "visit {visit}: the reset"
        );
    }
}
