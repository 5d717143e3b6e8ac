//! Exhibit mode's state machine as an ECS under simulated time, without a window: the attract loop, the
//! waking touch, the reset timer, the staff corner taps and PIN, the quit keys.

mod headless;

use std::time::Duration;

use bevy::input::ButtonState;
use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use downhill::Launch;
use downhill::exhibit::machine::{KeypadKey, Mode};
use downhill::exhibit::scenes::SceneScript;
use downhill::exhibit::{CORNER, Exhibit, ExhibitConfig, KeypadPress};
use downhill::input::InputGate;
use downhill::scenarios::Scenarios;
use downhill::sim::{Landscape, LearningRate, Playback, Run};
use downhill::ui::Shown;
use downhill::view::PlotArea;
use downhill::view::ball::{Ball, Glide};

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
    let config = ExhibitConfig::parse(SETTINGS, "test.toml", &Scenarios::load().unwrap()).unwrap();
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
    assert_eq!(world.resource::<Landscape>().0.name, "bowl");
    assert_eq!(
        world.resource::<Run>().0.start,
        defaults.curve.default_start,
        "the touch moved nothing"
    );
    assert!(world.resource::<Shown>().panel);
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
