//! The run as an ECS, without a window: fixed steps under simulated time, commands, keys.

use std::time::Duration;

use bevy::prelude::*;
use downhill::math::Curve;
use downhill::math::descent::RunStatus;
use downhill::sim::{
    ChordShrink, ChordStep, LearningRate, LossCurve, Playback, Run, RunCommand,
    SHRINK_HOLD_SECONDS, ShrinkCommand, ShrinkMode, StepsPerSecond,
};

mod headless;

const FRAME: Duration = Duration::from_millis(10);

/// The shared headless app (simulation and Bevy's input, no window), updated once.
fn race_app() -> App {
    let mut app = headless::app(FRAME);
    app.update();
    app
}

fn sim_app() -> App {
    let mut app = headless::sim_app(FRAME);
    app.update();
    app
}

fn run_for(app: &mut App, seconds: f64) {
    let frames = (seconds / FRAME.as_secs_f64()).round() as usize;
    for _ in 0..frames {
        app.update();
    }
}

fn send(app: &mut App, command: RunCommand) {
    app.world_mut().write_message(command);
    app.update();
}

fn start_on_bowl(app: &mut App, x0: f64, lr: f64) {
    send(app, RunCommand::StartAt(x0));
    app.insert_resource(LearningRate(lr));
}

fn run(app: &App) -> &downhill::math::Descent {
    &app.world().resource::<Run>().0
}

#[test]
fn playing_takes_steps_per_second_steps_each_second() {
    let mut app = sim_app();
    start_on_bowl(&mut app, 1.0, 0.1);
    app.insert_resource(StepsPerSecond(4.0));
    send(&mut app, RunCommand::TogglePlay);
    assert!(app.world().resource::<Playback>().playing);
    run_for(&mut app, 2.0);
    let step = run(&app).step;
    assert!(
        (7..=9).contains(&step),
        "expected about 8 steps in 2 s at 4 steps/s, got {step}"
    );
    // Every step was a real gradient-descent step on x^2 with lr 0.1: x_n = 0.8^n.
    assert!((run(&app).x - 0.8f64.powi(step as i32)).abs() < 1e-12);
}

#[test]
fn a_paused_run_does_not_move() {
    let mut app = sim_app();
    start_on_bowl(&mut app, 1.0, 0.1);
    run_for(&mut app, 1.0);
    assert_eq!(run(&app).step, 0);
    assert_eq!(run(&app).x, 1.0);
}

#[test]
fn changing_the_learning_rate_while_running_does_not_reset_the_run() {
    let mut app = sim_app();
    start_on_bowl(&mut app, 1.0, 0.1);
    app.insert_resource(StepsPerSecond(10.0));
    send(&mut app, RunCommand::TogglePlay);
    run_for(&mut app, 0.5);
    let before = run(&app).step;
    assert!(before >= 3);
    app.insert_resource(LearningRate(0.3));
    run_for(&mut app, 0.5);
    let after = run(&app);
    assert!(
        after.step > before,
        "the run went on: {} -> {}",
        before,
        after.step
    );
    assert_eq!(after.start, 1.0);
    assert_eq!(after.last.unwrap().lr, 0.3);
}

#[test]
fn step_takes_one_step_and_reset_returns_to_the_start() {
    let mut app = sim_app();
    start_on_bowl(&mut app, 1.2, 0.1);
    send(&mut app, RunCommand::Step);
    assert_eq!(run(&app).step, 1);
    assert!((run(&app).x - 0.96).abs() < 1e-15);
    send(&mut app, RunCommand::Reset);
    assert_eq!(run(&app).step, 0);
    assert_eq!(run(&app).x, 1.2);
}

#[test]
fn a_diverging_run_stops_itself_and_keeps_a_finite_position() {
    let mut app = sim_app();
    start_on_bowl(&mut app, 1.0, 1.1);
    app.insert_resource(StepsPerSecond(30.0));
    send(&mut app, RunCommand::TogglePlay);
    run_for(&mut app, 4.0);
    // Playing stops as soon as every step plainly lands higher and further: 1.2 times further each time.
    assert_eq!(run(&app).status, RunStatus::RunningAway { since: 3 });
    assert_eq!(run(&app).step, 3);
    assert!(
        !app.world().resource::<Playback>().playing,
        "a runaway run stops playing"
    );
    // Stepping on by hand, x flies off until it leaves the number line's safe range at 1.2^76.
    for _ in 0..100 {
        send(&mut app, RunCommand::Step);
    }
    let run = run(&app).clone();
    assert_eq!(run.status, RunStatus::Diverged { step: 76 });
    assert!(run.x.is_finite());
    send(&mut app, RunCommand::Step);
    assert_eq!(
        app.world().resource::<Run>().0.step,
        76,
        "no steps after divergence"
    );
}

#[test]
fn a_converged_run_stops_playing_and_says_when() {
    let mut app = sim_app();
    start_on_bowl(&mut app, 1.0, 0.5);
    app.insert_resource(StepsPerSecond(10.0));
    send(&mut app, RunCommand::TogglePlay);
    run_for(&mut app, 1.0);
    assert_eq!(run(&app).status, RunStatus::Converged { step: 1 });
    assert!(!app.world().resource::<Playback>().playing);
}

#[test]
fn choosing_a_curve_restarts_at_its_own_start() {
    let mut app = sim_app();
    let well = Curve::shared("double-well").unwrap();
    send(&mut app, RunCommand::ChooseCurve(well.clone()));
    assert_eq!(app.world().resource::<LossCurve>().0.name, "double-well");
    assert_eq!(run(&app).x, well.default_start);
    // A start point outside the curve's view is pulled back inside it.
    send(&mut app, RunCommand::StartAt(100.0));
    assert_eq!(run(&app).x, well.x_range.1);
    send(&mut app, RunCommand::StartAt(f64::NAN));
    assert_eq!(run(&app).x, well.x_range.1, "a NaN start is ignored");
}

#[test]
fn shrink_h_walks_down_by_decades_with_a_hold_at_each() {
    let mut app = sim_app();
    send(
        &mut app,
        RunCommand::Shrink(ShrinkCommand::Mode(ShrinkMode::Decades)),
    );
    send(&mut app, RunCommand::Shrink(ShrinkCommand::Toggle));
    assert_eq!(app.world().resource::<ChordStep>().0, 1.0);
    let mut seen = vec![1.0];
    for _ in 0..8 {
        run_for(&mut app, SHRINK_HOLD_SECONDS + 0.05);
        let h = app.world().resource::<ChordStep>().0;
        if seen.last() != Some(&h) {
            seen.push(h);
        }
    }
    assert_eq!(seen, vec![1.0, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6]);
    assert!(
        !app.world().resource::<ChordShrink>().playing,
        "it stops at 1e-6"
    );
}

#[test]
fn setting_h_by_hand_stops_the_shrink_and_is_clamped() {
    let mut app = sim_app();
    send(&mut app, RunCommand::Shrink(ShrinkCommand::Toggle));
    send(&mut app, RunCommand::SetChordStep(1e-30));
    assert!(!app.world().resource::<ChordShrink>().is_active());
    assert_eq!(app.world().resource::<ChordStep>().0, 1e-16);
}

use headless::press;

#[test]
fn keys_play_step_reset_and_change_the_learning_rate_and_h() {
    let mut app = headless::keys_by_hand_app(FRAME);
    app.update();
    start_on_bowl(&mut app, 1.0, 0.1);

    press(&mut app, KeyCode::ArrowRight);
    assert_eq!(run(&app).step, 1);
    press(&mut app, KeyCode::KeyR);
    assert_eq!(run(&app).step, 0);
    press(&mut app, KeyCode::Space);
    assert!(app.world().resource::<Playback>().playing);
    press(&mut app, KeyCode::Space);
    assert!(!app.world().resource::<Playback>().playing);

    press(&mut app, KeyCode::ArrowUp);
    assert_eq!(app.world().resource::<LearningRate>().0, 0.2);
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::ArrowDown);
    assert_eq!(app.world().resource::<LearningRate>().0, 0.05);

    press(&mut app, KeyCode::BracketLeft);
    assert_eq!(app.world().resource::<ChordStep>().0, 0.1);
    press(&mut app, KeyCode::BracketRight);
    press(&mut app, KeyCode::BracketRight);
    assert_eq!(
        app.world().resource::<ChordStep>().0,
        1.0,
        "h never grows past 1"
    );
}

#[test]
fn the_smooth_shrink_passes_between_decades_and_ends_at_1e_minus_16() {
    let mut app = sim_app();
    send(&mut app, RunCommand::Shrink(ShrinkCommand::Toggle));
    run_for(&mut app, 0.5);
    let h = app.world().resource::<ChordStep>().0;
    assert!(
        h < 1.0 && h > 0.1,
        "half a glide into the first decade, h = {h}"
    );
    // Pause: h stays put.
    send(&mut app, RunCommand::Shrink(ShrinkCommand::TogglePause));
    let paused_at = app.world().resource::<ChordStep>().0;
    run_for(&mut app, 1.0);
    assert_eq!(app.world().resource::<ChordStep>().0, paused_at);
    // Scrub to 1e-8, then play to the end.
    send(&mut app, RunCommand::Shrink(ShrinkCommand::Scrub(8.0)));
    assert_eq!(app.world().resource::<ChordStep>().0, 1e-8);
    send(&mut app, RunCommand::Shrink(ShrinkCommand::TogglePause));
    run_for(&mut app, 16.0);
    assert_eq!(app.world().resource::<ChordStep>().0, 1e-16);
    let shrink = *app.world().resource::<ChordShrink>();
    assert!(
        shrink.active && !shrink.playing,
        "it holds at the end: {shrink:?}"
    );
}

#[test]
fn a_race_steps_every_ball_with_its_own_rule_and_steps_back_together() {
    use downhill::math::optimizer::Method;
    use downhill::sim::{MAX_BALLS, Rivals};
    let mut app = sim_app();
    start_on_bowl(&mut app, 1.0, 0.1);
    send(
        &mut app,
        RunCommand::AddBall {
            method: Method::Momentum,
            learning_rate: 0.1,
        },
    );
    send(
        &mut app,
        RunCommand::AddBall {
            method: Method::Adam,
            learning_rate: 0.05,
        },
    );
    assert_eq!(app.world().resource::<Rivals>().0.len(), 2);
    for _ in 0..3 {
        send(&mut app, RunCommand::Step);
    }
    let rivals = app.world().resource::<Rivals>().0.clone();
    assert_eq!(run(&app).step, 3);
    assert!(rivals.iter().all(|r| r.run.step == 3));
    // Each followed its own rule: momentum's third x on the bowl from 1 with lr 0.1 is 0.46 - 0.1*(0.9*3.4 + 0.92).
    assert!(
        (rivals[0].run.x - (0.46 - 0.1 * (0.9 * 3.4 + 0.92))).abs() < 1e-12,
        "{}",
        rivals[0].run.x
    );
    assert!((run(&app).x - 0.512).abs() < 1e-12);
    send(&mut app, RunCommand::StepBack);
    assert_eq!(run(&app).step, 2);
    assert!(
        app.world()
            .resource::<Rivals>()
            .0
            .iter()
            .all(|r| r.run.step == 2)
    );
    // Reset replays the identical run.
    let before = app.world().resource::<Rivals>().0[1].run.clone();
    send(&mut app, RunCommand::Reset);
    send(&mut app, RunCommand::Step);
    send(&mut app, RunCommand::Step);
    let again = &app.world().resource::<Rivals>().0[1].run;
    assert_eq!((again.x, again.optimizer), (before.x, before.optimizer));
    // No more than six balls.
    for _ in 0..10 {
        send(
            &mut app,
            RunCommand::AddBall {
                method: Method::Gd,
                learning_rate: 0.1,
            },
        );
    }
    assert_eq!(app.world().resource::<Rivals>().0.len(), MAX_BALLS - 1);
    send(&mut app, RunCommand::RemoveBall(1));
    assert_eq!(app.world().resource::<Rivals>().0.len(), MAX_BALLS - 2);
}

#[test]
fn the_momentum_scenario_sends_momentum_over_the_hump_while_gd_stays_behind() {
    use downhill::scenarios::{BUILT_IN_SCENARIOS, Scenarios};
    use downhill::sim::Rivals;
    let scenarios = Scenarios::parse(BUILT_IN_SCENARIOS, "scenarios.toml").unwrap();
    let mut app = sim_app();
    app.insert_resource(StepsPerSecond(30.0));
    send(
        &mut app,
        RunCommand::Scenario(scenarios.find("Momentum rolls over the hump").unwrap()),
    );
    assert_eq!(app.world().resource::<LossCurve>().0.name, "double-well");
    assert!(
        app.world().resource::<Playback>().playing,
        "a scenario plays by itself"
    );
    run_for(&mut app, 30.0);
    let momentum = run(&app).x;
    let gd = app.world().resource::<Rivals>().0[0].run.x;
    assert!(
        (momentum - (-1.3008)).abs() < 1e-3,
        "momentum ended at {momentum}"
    );
    assert!((gd - 1.1309).abs() < 1e-3, "gd ended at {gd}");
}

#[test]
fn extreme_numbers_are_refused_with_a_reason_or_clamped_and_the_run_stays_drawable() {
    use downhill::limits::{CHORD_STEP, LEARNING_RATE};
    // Typed learning rates: a clear reason, never a value.
    for typed in ["1e300", "NaN", "inf", "-inf", "-0.1", "1e-320"] {
        let error = LearningRate::parse(typed).unwrap_err();
        assert!(
            error.contains(typed.trim_start_matches('-')) || error.contains("between"),
            "{typed}: {error}"
        );
    }
    let mut app = sim_app();
    // h below the smallest normal f64, and not a number at all: clamped or ignored.
    send(&mut app, RunCommand::SetChordStep(1e-320));
    let h = app.world().resource::<ChordStep>().0;
    assert!((CHORD_STEP.lo..=CHORD_STEP.hi).contains(&h), "h = {h}");
    send(&mut app, RunCommand::SetChordStep(f64::NAN));
    assert!(app.world().resource::<ChordStep>().0.is_finite());
    // A start at 1e308 lands at the edge of the curve's range; NaN is ignored.
    send(&mut app, RunCommand::StartAt(1e308));
    let x = run(&app).x;
    let (lo, hi) = app.world().resource::<LossCurve>().0.x_range;
    assert!((lo..=hi).contains(&x), "x = {x}");
    send(&mut app, RunCommand::StartAt(f64::NAN));
    assert_eq!(run(&app).x, x);
    // A ball added with a learning rate of 1e300 races at the largest allowed one.
    send(
        &mut app,
        RunCommand::AddBall {
            method: downhill::math::optimizer::Method::Gd,
            learning_rate: 1e300,
        },
    );
    let rivals = &app.world().resource::<downhill::sim::Rivals>().0;
    assert_eq!(rivals[0].learning_rate, LEARNING_RATE.hi);
    // Playing on: whatever happens, every ball stays a finite number or its run stops.
    send(&mut app, RunCommand::TogglePlay);
    run_for(&mut app, 3.0);
    assert!(run(&app).x.is_finite());
    // A formula with huge values is still a drawable curve.
    let curve = Curve::from_formula("1e300 x^2").unwrap();
    assert!(curve.y_range.0.is_finite() && curve.y_range.1.is_finite());
    send(&mut app, RunCommand::ChooseCurve(curve));
    send(&mut app, RunCommand::TogglePlay);
    run_for(&mut app, 2.0);
    assert!(run(&app).x.is_finite());
}

#[test]
fn adding_a_ball_keeps_the_race_where_it_is_and_the_new_ball_waits_at_the_start() {
    use downhill::math::optimizer::Method;
    use downhill::sim::Rivals;
    let mut app = race_app();
    start_on_bowl(&mut app, 1.0, 0.1);
    send(
        &mut app,
        RunCommand::AddBall {
            method: Method::Momentum,
            learning_rate: 0.05,
        },
    );
    for _ in 0..3 {
        send(&mut app, RunCommand::Step);
    }
    app.insert_resource(StepsPerSecond(10.0));
    send(&mut app, RunCommand::TogglePlay);
    run_for(&mut app, 0.5);
    let before = run(&app).clone();
    assert!(before.step > 3, "the race is playing: step {}", before.step);
    send(
        &mut app,
        RunCommand::AddBall {
            method: Method::Adam,
            learning_rate: 0.05,
        },
    );
    assert!(
        app.world().resource::<Playback>().playing,
        "adding a ball does not stop the race"
    );
    let after = run(&app);
    assert!(
        after.step >= before.step && after.start == 1.0,
        "the main ball went on from step {} (now {}), not back to the start",
        before.step,
        after.step
    );
    let rivals = &app.world().resource::<Rivals>().0;
    assert!(
        rivals[0].run.step >= before.step,
        "the first rival went on too"
    );
    let added = &rivals[1].run;
    assert_eq!(
        (added.x, added.step),
        (1.0, 0),
        "the new ball starts at the start"
    );
    assert_eq!(added.optimizer.method, Method::Adam);
    // It then races along with the others.
    run_for(&mut app, 0.5);
    assert!(app.world().resource::<Rivals>().0[1].run.step > 0);
}

#[test]
fn in_a_race_a_ball_that_runs_away_stops_where_it_is_seen_while_the_others_play_on() {
    use downhill::scenarios::{BUILT_IN_SCENARIOS, Scenarios};
    use downhill::sim::Rivals;
    let scenarios = Scenarios::parse(BUILT_IN_SCENARIOS, "scenarios.toml").unwrap();
    let mut app = race_app();
    app.insert_resource(StepsPerSecond(10.0));
    send(
        &mut app,
        RunCommand::Scenario(scenarios.find("Learning rate too large").unwrap()),
    );
    run_for(&mut app, 3.0);
    let main = run(&app).clone();
    assert_eq!(main.status, RunStatus::RunningAway { since: 3 });
    assert_eq!(main.step, 3, "the runaway ball holds at step 3");
    let (lo, hi) = app.world().resource::<LossCurve>().0.x_range;
    assert!(
        (lo..=hi).contains(&main.x),
        "and stays in view at x = {}",
        main.x
    );
    let rivals = &app.world().resource::<Rivals>().0;
    assert!(
        rivals.iter().any(|r| r.run.step > 10),
        "the other balls play on"
    );
}
