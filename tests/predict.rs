//! Predict, then see: key P turns predict mode on, a finger on the plot places the ghost ball, Step reveals
//! the landing and scores the guess against it, good guesses in a row make a streak, and in a race the pick
//! of the ball that settles first is judged when the race decides it.

mod headless;

use std::time::Duration;

use bevy::input::ButtonState;
use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use downhill::math::optimizer::Method;
use downhill::math::predict::{RaceResult, Reason, Streak};
use downhill::sim::predict::{Predict, PredictCommand};
use downhill::sim::{LearningRate, LossCurve, Playback, Rivals, Run, RunCommand, StepsPerSecond};
use downhill::view::PlotArea;
use downhill::view::slope::ball::{Ball, Glide};
use downhill::view::slope::predict::PredictMarks;

const FRAME: Duration = Duration::from_millis(10);
/// The bowl's view is 6 wide: a guess within 2% of it, 0.12, counts for steps shorter than 0.6.
const BOWL_WIDTH: f64 = 6.0;

/// The simulation with Bevy's real input and both scenes' input, the ball drawn at 1.5 on the bowl.
fn predict_app() -> App {
    let mut app = headless::app(FRAME);
    headless::add_input(&mut app);
    app.world_mut().spawn((Ball, Glide::resting(1.5)));
    app.update();
    send(&mut app, RunCommand::StartAt(1.5));
    app
}

fn send(app: &mut App, command: RunCommand) {
    app.world_mut().write_message(command);
    app.update();
}

fn order(app: &mut App, command: PredictCommand) {
    app.world_mut().write_message(command);
    app.update();
}

fn guess(app: &mut App, x: f64) {
    order(
        app,
        PredictCommand::Guess {
            x,
            view_width: BOWL_WIDTH,
        },
    );
}

fn press_p(app: &mut App) {
    headless::key(app, KeyCode::KeyP, ButtonState::Pressed);
    app.update();
    headless::key(app, KeyCode::KeyP, ButtonState::Released);
    app.update();
}

fn predict(app: &App) -> &Predict {
    app.world().resource::<Predict>()
}

fn run_x(app: &App) -> f64 {
    app.world().resource::<Run>().0.x
}

#[test]
fn key_p_turns_predict_mode_on_and_off_and_off_forgets_the_guess() {
    let mut app = predict_app();
    assert!(!predict(&app).on);
    guess(&mut app, 1.0);
    assert_eq!(predict(&app).guess, None, "no ghost outside predict mode");
    press_p(&mut app);
    assert!(predict(&app).on);
    guess(&mut app, 1.0);
    assert_eq!(predict(&app).guess, Some(1.0));
    press_p(&mut app);
    assert!(!predict(&app).on);
    assert_eq!(predict(&app).guess, None);
}

#[test]
fn a_guess_at_the_landing_scores_and_three_in_a_row_make_a_streak_until_a_miss() {
    let mut app = predict_app();
    press_p(&mut app);
    // On the bowl (f' = 2x) from 1.5 with lr 0.1 the step lands at 1.2; a guess of 1.25 misses by 0.05.
    guess(&mut app, 1.25);
    send(&mut app, RunCommand::Step);
    let last = predict(&app).last.expect("the step is shown");
    assert_eq!(last.landing, run_x(&app), "the landing is where the run is");
    assert_eq!(last.landing, 1.2);
    assert_eq!((last.start, last.guess, last.step), (1.5, Some(1.25), 1));
    assert!((last.miss().unwrap() - 0.05).abs() < 1e-12);
    assert_eq!(last.good(), Some(true));
    assert_eq!(
        last.reason,
        Reason::Product,
        "lr * f' = 0.1 * 3, nothing unusual"
    );
    assert_eq!(predict(&app).guess, None, "the ghost is for one step");
    // Two more good guesses: each step from x lands at 0.8 x, guessed a hair beside it.
    for _ in 0..2 {
        let x = run_x(&app);
        guess(&mut app, 0.8 * x + 0.01);
        send(&mut app, RunCommand::Step);
        assert_eq!(predict(&app).last.unwrap().landing, run_x(&app));
        assert_eq!(predict(&app).last.unwrap().good(), Some(true));
    }
    assert_eq!(
        predict(&app).streak,
        Streak {
            current: 3,
            best: 3
        }
    );
    // A step without a guess is shown, not scored.
    send(&mut app, RunCommand::Step);
    let unguessed = predict(&app).last.unwrap();
    assert_eq!((unguessed.guess, unguessed.good()), (None, None));
    assert_eq!(unguessed.step, 4);
    assert_eq!(predict(&app).streak.current, 3);
    // Uphill, the wrong side of the ball: that ends the streak, the best stays.
    let x = run_x(&app);
    guess(&mut app, x + 0.3);
    send(&mut app, RunCommand::Step);
    let wrong = predict(&app).last.unwrap();
    assert_eq!(wrong.landing, run_x(&app));
    assert!((wrong.miss().unwrap() - (x + 0.3 - run_x(&app))).abs() < 1e-12);
    assert_eq!(wrong.good(), Some(false));
    assert_eq!(
        predict(&app).streak,
        Streak {
            current: 0,
            best: 3
        }
    );
    // Reset clears the guess and the last step, not the streak.
    guess(&mut app, 0.5);
    send(&mut app, RunCommand::Reset);
    assert_eq!((predict(&app).guess, predict(&app).last), (None, None));
    assert_eq!(predict(&app).streak.best, 3);
}

#[test]
fn the_ghost_hangs_at_the_guess_and_the_landing_shows_while_the_ball_stands_there() {
    let mut app = predict_app();
    press_p(&mut app);
    guess(&mut app, 1.25);
    let plot = *app.world().resource::<PlotArea>();
    let curve = app.world().resource::<LossCurve>().0.clone();
    let marks = |app: &App| {
        let run = &app.world().resource::<Run>().0;
        PredictMarks::new(&plot, &curve, predict(app), run.x, run.step)
    };
    // The ring on the curve at the guess, its dashed line down to the x axis (loss 0 on the bowl).
    let before = marks(&app);
    let ghost = before.ghost.expect("the ghost is drawn");
    assert_eq!(ghost.on_curve, plot.to_screen(1.25, 1.5625));
    assert_eq!(ghost.foot, plot.to_screen(1.25, 0.0));
    assert_eq!(before.landing, None, "nothing is revealed before the step");
    // After Step: the landing at 1.2 on the axis, and the guess it was judged on beside it.
    send(&mut app, RunCommand::Step);
    let after = marks(&app);
    assert_eq!(after.landing.unwrap().foot, plot.to_screen(1.2, 0.0));
    assert_eq!(after.ghost.unwrap().x, 1.25);
    // Stepped back, the ball no longer stands there: the marks go.
    send(&mut app, RunCommand::StepBack);
    assert_eq!(marks(&app), PredictMarks::default());
}

#[test]
fn a_guess_left_from_before_play_is_dropped_once_the_ball_rolls() {
    let mut app = predict_app();
    app.insert_resource(StepsPerSecond(30.0));
    press_p(&mut app);
    guess(&mut app, 1.2);
    send(&mut app, RunCommand::TogglePlay);
    for _ in 0..20 {
        app.update();
    }
    assert!(app.world().resource::<Run>().0.step > 0);
    assert_eq!(predict(&app).guess, None);
    assert_eq!(predict(&app).last, None, "Play is not scored");
    assert_eq!(predict(&app).streak, Streak::default());
}

#[test]
fn a_finger_on_the_plot_places_the_ghost_and_a_finger_on_the_ball_still_drags_it() {
    let mut app = predict_app();
    press_p(&mut app);
    let plot = *app.world().resource::<PlotArea>();
    let curve = app.world().resource::<LossCurve>().0.clone();
    let on_curve = |x: f64| plot.to_screen(x, curve.value(x));
    // A touch away from the ball puts the ghost there; the ball stays.
    headless::touch(&mut app, 4, on_curve(0.5), TouchPhase::Started);
    app.update();
    let placed = predict(&app).guess.expect("a ghost where the finger is");
    assert!((placed - 0.5).abs() < 1e-3, "{placed}");
    assert_eq!(run_x(&app), 1.5);
    // Sliding the finger moves it.
    headless::touch(&mut app, 4, on_curve(1.1), TouchPhase::Moved);
    app.update();
    let moved = predict(&app).guess.unwrap();
    assert!((moved - 1.1).abs() < 1e-3, "{moved}");
    headless::touch(&mut app, 4, on_curve(1.1), TouchPhase::Ended);
    app.update();
    assert_eq!(run_x(&app), 1.5, "the ball never moved");
    // Step reveals the landing and scores the ghost against it: 1.1 is 0.1 short of 1.2, within 0.12.
    send(&mut app, RunCommand::Step);
    let last = predict(&app).last.unwrap();
    assert_eq!(last.landing, run_x(&app));
    assert_eq!(last.guess, Some(moved));
    assert_eq!(last.good(), Some(true));
    // A finger on the ball (drawn at 1.5 here) still drags it, and a new start forgets the step.
    headless::touch(&mut app, 5, on_curve(1.5), TouchPhase::Started);
    app.update();
    headless::touch(&mut app, 5, on_curve(1.0), TouchPhase::Moved);
    app.update();
    assert!((run_x(&app) - 1.0).abs() < 1e-3, "{}", run_x(&app));
    assert_eq!(predict(&app).guess, None);
    assert_eq!(predict(&app).last, None);
    headless::touch(&mut app, 5, on_curve(1.0), TouchPhase::Ended);
    app.update();
}

/// The bowl from 1.5 with two balls: the main one (gd, lr 0.1) and ball 1 (gd, lr 0.5), which lands on the
/// bottom in one step. Predict mode on, fast playing.
fn race_app() -> App {
    let mut app = predict_app();
    app.insert_resource(StepsPerSecond(30.0));
    send(
        &mut app,
        RunCommand::AddBall {
            method: Method::Gd,
            learning_rate: 0.5,
        },
    );
    order(&mut app, PredictCommand::Toggle);
    app
}

/// Play until the race's question has its answer (or give up after ten simulated seconds).
fn play_out(app: &mut App) -> Option<RaceResult> {
    send(app, RunCommand::TogglePlay);
    for _ in 0..1000 {
        if let Some(result) = predict(app).race_result {
            return Some(result);
        }
        app.update();
    }
    None
}

#[test]
fn a_race_pick_that_settles_first_counts_and_a_wrong_one_does_not() {
    let mut app = race_app();
    assert_eq!(app.world().resource::<Rivals>().0.len(), 1);
    // Play waits for a pick.
    send(&mut app, RunCommand::TogglePlay);
    assert!(!app.world().resource::<Playback>().playing);
    assert_eq!(app.world().resource::<Run>().0.step, 0);
    // Ball 1 at lr 0.5 reaches the bottom at step 1: picked, it is right.
    order(&mut app, PredictCommand::Pick(1));
    assert_eq!(predict(&app).race_pick, Some(1));
    assert_eq!(
        play_out(&mut app),
        Some(RaceResult::Right { ball: 1, step: 1 })
    );
    assert_eq!(
        predict(&app).streak,
        Streak {
            current: 1,
            best: 1
        }
    );
    // Once the race is on, the pick cannot change.
    order(&mut app, PredictCommand::Pick(0));
    assert_eq!(predict(&app).race_pick, Some(1));
    // Reset asks again; the main ball is the wrong pick.
    send(&mut app, RunCommand::Reset);
    assert_eq!(
        (predict(&app).race_pick, predict(&app).race_result),
        (None, None)
    );
    order(&mut app, PredictCommand::Pick(0));
    assert_eq!(
        play_out(&mut app),
        Some(RaceResult::Wrong {
            picked: 0,
            first: 1,
            step: 1
        })
    );
    assert_eq!(
        predict(&app).streak,
        Streak {
            current: 0,
            best: 1
        }
    );
}

#[test]
fn a_race_where_no_ball_settles_says_so_and_counts_nothing() {
    let mut app = race_app();
    // Both above 1/f'' * 2 = 1 on the bowl: each step lands further out, and the race runs away.
    app.insert_resource(LearningRate(1.1));
    app.world_mut().resource_mut::<Rivals>().0[0].learning_rate = 1.5;
    order(&mut app, PredictCommand::Pick(1));
    assert_eq!(
        play_out(&mut app),
        Some(RaceResult::NoneSettled { picked: 1 })
    );
    assert_eq!(predict(&app).streak, Streak::default());
    assert!(!app.world().resource::<Playback>().playing);
}
