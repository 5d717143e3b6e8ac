//! Scene 2, from slope to gradient, as an ECS under simulated time: switching scenes by key, playing and
//! stepping the fit, "Fit" reaching the least-squares line, points added and dragged.

mod headless;

use std::time::Duration;

use bevy::prelude::*;
use downhill::math::regression::{FitStatus, Point, least_squares};
use downhill::scene::Scene;
use downhill::sim::gradient::{GradientCommand, GradientRun};
use downhill::sim::{Playback, Run, RunCommand, StepsPerSecond};

const FRAME: Duration = Duration::from_millis(10);

fn app() -> App {
    let mut app = headless::keys_by_hand_app(FRAME);
    app.update();
    app
}

use headless::press;

fn send(app: &mut App, command: GradientCommand) {
    app.world_mut().write_message(command);
    app.update();
}

fn gradient(app: &App) -> &GradientRun {
    app.world().resource::<GradientRun>()
}

fn run_for(app: &mut App, seconds: f64) {
    for _ in 0..(seconds / FRAME.as_secs_f64()).round() as usize {
        app.update();
    }
}

#[test]
fn keys_one_and_two_switch_between_the_slope_and_the_gradient_scene() {
    let mut app = app();
    assert_eq!(*app.world().resource::<State<Scene>>().get(), Scene::Slope);
    press(&mut app, KeyCode::Digit2);
    assert_eq!(
        *app.world().resource::<State<Scene>>().get(),
        Scene::Gradient
    );
    press(&mut app, KeyCode::Digit1);
    assert_eq!(*app.world().resource::<State<Scene>>().get(), Scene::Slope);
}

#[test]
fn space_plays_the_fit_in_scene_two_and_scene_one_rests_meanwhile() {
    let mut app = app();
    app.world_mut().write_message(RunCommand::TogglePlay);
    app.update();
    assert!(app.world().resource::<Playback>().playing);
    press(&mut app, KeyCode::Digit2);
    let steps_before = app.world().resource::<Run>().0.step;
    app.insert_resource(StepsPerSecond(10.0));
    press(&mut app, KeyCode::Space);
    assert!(gradient(&app).playing);
    run_for(&mut app, 1.0);
    let step = gradient(&app).fit.step;
    assert!(
        (8..=11).contains(&step),
        "about 10 steps in a second, got {step}"
    );
    assert_eq!(
        app.world().resource::<Run>().0.step,
        steps_before,
        "scene 1 does not move"
    );
    // One point (2, 3): every step keeps the descent on the line through the start along (-8, -4)...
    let fit = &gradient(&app).fit;
    assert!(
        ((fit.w - 0.5) - 2.0 * fit.b).abs() < 1e-12,
        "({}, {})",
        fit.w,
        fit.b
    );
}

#[test]
fn the_first_step_from_the_lessons_start_follows_minus_lr_times_the_gradient() {
    let mut app = app();
    send(&mut app, GradientCommand::SetLearningRate(0.05));
    send(&mut app, GradientCommand::Step);
    let fit = &gradient(&app).fit;
    // (0.5, 0) - 0.05 * (-8, -4) = (0.9, 0.2).
    assert!((fit.w - 0.9).abs() < 1e-15 && (fit.b - 0.2).abs() < 1e-15);
}

#[test]
fn fit_runs_to_the_least_squares_line_with_added_and_dragged_points() {
    let mut app = app();
    send(
        &mut app,
        GradientCommand::AddPoint(Point { x: 0.0, y: 1.0 }),
    );
    send(
        &mut app,
        GradientCommand::AddPoint(Point { x: 4.0, y: 4.0 }),
    );
    send(
        &mut app,
        GradientCommand::MovePoint(0, Point { x: 2.0, y: 2.5 }),
    );
    assert_eq!(gradient(&app).points.len(), 3);
    send(&mut app, GradientCommand::SetLearningRate(0.05));
    send(&mut app, GradientCommand::Fit);
    let r = gradient(&app);
    assert!(
        matches!(r.fit.status, FitStatus::Converged { .. }),
        "{:?}",
        r.fit.status
    );
    let (w, b) = least_squares(&r.points).unwrap();
    assert!((r.fit.w - w).abs() < 1e-6 && (r.fit.b - b).abs() < 1e-6);
    send(&mut app, GradientCommand::LessonPoint);
    assert_eq!(gradient(&app).points, vec![Point { x: 2.0, y: 3.0 }]);
    assert_eq!(gradient(&app).fit.step, 0);
}

#[test]
fn panning_and_zooming_keep_the_view_sane() {
    let mut app = app();
    let before = gradient(&app).view;
    send(&mut app, GradientCommand::Pan(1.0, -0.5));
    send(&mut app, GradientCommand::Zoom(0.5, (1.5, 0.0)));
    let view = gradient(&app).view;
    assert!((view.w.1 - view.w.0 - 0.5 * (before.w.1 - before.w.0)).abs() < 1e-12);
    send(&mut app, GradientCommand::Zoom(f64::NAN, (0.0, 0.0)));
    send(&mut app, GradientCommand::Zoom(1e-9, (0.0, 0.0)));
    assert_eq!(gradient(&app).view, view, "bad zooms are ignored");
}

#[test]
fn a_finger_adds_a_point_and_drags_it_and_a_second_tap_adds_another() {
    use bevy::input::touch::{TouchInput, TouchPhase};
    use downhill::view::gradient::Layout;
    let mut app = headless::app(FRAME);
    headless::add_input(&mut app);
    headless::show_gradient(&mut app);
    app.update();
    let layout = *app.world().resource::<Layout>();
    let finger = |app: &mut App, at: Vec2, phase: TouchPhase| {
        app.world_mut().write_message(TouchInput {
            phase,
            position: at,
            window: Entity::PLACEHOLDER,
            force: None,
            id: 4,
        });
        app.update();
    };
    let at = layout.data_to_screen(3.0, 1.0);
    finger(&mut app, at, TouchPhase::Started);
    assert_eq!(gradient(&app).points.len(), 2, "the touch added a point");
    let to = layout.data_to_screen(4.0, 5.0);
    finger(&mut app, to, TouchPhase::Moved);
    finger(&mut app, to, TouchPhase::Ended);
    let moved = gradient(&app).points[1];
    assert!(
        (moved.x - 4.0).abs() < 0.05 && (moved.y - 5.0).abs() < 0.05,
        "{moved:?}"
    );
    // The lesson's point is grabbed, not duplicated, when the finger lands on it.
    let lesson = layout.data_to_screen(2.0, 3.0);
    finger(&mut app, lesson, TouchPhase::Started);
    finger(&mut app, lesson, TouchPhase::Ended);
    assert_eq!(gradient(&app).points.len(), 2);
    finger(
        &mut app,
        layout.data_to_screen(0.5, 0.5),
        TouchPhase::Started,
    );
    finger(&mut app, layout.data_to_screen(0.5, 0.5), TouchPhase::Ended);
    assert_eq!(gradient(&app).points.len(), 3);
    // A finger on the landscape's ball moves the start (w, b).
    let r = gradient(&app);
    let ball = layout.to_screen(&r.view, r.fit.w, r.fit.b);
    finger(&mut app, ball, TouchPhase::Started);
    finger(&mut app, ball + Vec2::new(30.0, -20.0), TouchPhase::Moved);
    finger(&mut app, ball + Vec2::new(30.0, -20.0), TouchPhase::Ended);
    let start = gradient(&app).fit.start;
    assert!(
        start.0 > 0.5 && start.1 > 0.0,
        "the start moved right and up: {start:?}"
    );
}

#[test]
fn playing_at_lr_0_4_on_the_lessons_point_stops_at_step_three_when_each_step_lands_higher() {
    let mut app = app();
    press(&mut app, KeyCode::Digit2);
    app.insert_resource(StepsPerSecond(10.0));
    send(&mut app, GradientCommand::SetLearningRate(0.4));
    press(&mut app, KeyCode::Space);
    assert!(gradient(&app).playing);
    run_for(&mut app, 3.0);
    let r = gradient(&app);
    // Each step triples the residual: L = 4, 36, 324, 2916, and each step is three times longer.
    assert!(
        !r.playing,
        "Play stops once the run is plainly running away"
    );
    assert_eq!(
        r.fit.step, 3,
        "named after three steps, not when |w| passes 1e12"
    );
    assert!(
        (r.fit.w - 22.9).abs() < 1e-9 && (r.fit.b - 11.2).abs() < 1e-9,
        "({}, {})",
        r.fit.w,
        r.fit.b
    );
    assert_eq!(r.fit.status, FitStatus::RunningAway { since: 3 });
    let lesson = lesson_text();
    let (said, warning) = downhill::ui::gradient::status_line(&lesson, r).unwrap();
    assert!(warning);
    assert!(
        said.contains("higher than the last") && said.contains("step 3") && said.contains("0.4000"),
        "{said}"
    );
    // The ball has left the landscape: a marker at its edge says where, with the panel's numbers.
    let label = downhill::view::gradient::off_view_label(&lesson, r);
    assert!(
        label.contains("22.9000") && label.contains("11.2000"),
        "{label}"
    );
    // Space does not start it again; a step by hand still goes on, and a smaller rate brings it back.
    press(&mut app, KeyCode::Space);
    assert!(!gradient(&app).playing);
    press(&mut app, KeyCode::ArrowRight);
    let r = gradient(&app);
    assert_eq!(
        (r.fit.step, r.fit.status),
        (4, FitStatus::RunningAway { since: 3 })
    );
    send(&mut app, GradientCommand::SetLearningRate(0.05));
    press(&mut app, KeyCode::ArrowRight);
    assert_eq!(gradient(&app).fit.status, FitStatus::Running);
    press(&mut app, KeyCode::Space);
    assert!(gradient(&app).playing, "running again, so Play plays");
}

#[test]
fn fit_on_the_lessons_point_never_writes_a_minus_sign_on_zero() {
    use downhill::math::regression::loss_at;
    use downhill::theme::numbers::four;
    let mut app = app();
    send(&mut app, GradientCommand::SetLearningRate(0.05));
    send(&mut app, GradientCommand::Fit);
    let r = gradient(&app);
    assert!(matches!(r.fit.status, FitStatus::Converged { .. }));
    let at = loss_at(&r.points, r.fit.w, r.fit.b);
    let minus_zero = |text: &str| {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .any(|word| {
                word.starts_with('-')
                    && word.trim_matches(['-', '0', '.']).is_empty()
                    && word.len() > 1
            })
    };
    for (name, value) in [("L", at.loss), ("dL/dw", at.dw), ("dL/db", at.db)] {
        let text = four(value);
        assert!(!minus_zero(&text), "{name} = {text}");
    }
    // Every number the panel and the slice's caption write.
    use downhill::ui::gradient::{chain_lines, readouts};
    let lesson = lesson_text();
    let mut written: Vec<String> = readouts(&lesson, r)
        .into_iter()
        .map(|(n, v)| format!("{n} {v}"))
        .collect();
    written.extend(chain_lines(r));
    written.push(downhill::view::gradient::slice_caption(&lesson, r));
    for line in &written {
        assert!(!minus_zero(line), "{line}");
    }
    assert!(
        written.contains(&"dL/db = 0.0000".to_owned()),
        "{written:?}"
    );
}

#[test]
fn the_chain_rule_puts_negative_factors_in_parentheses() {
    let mut app = app();
    send(&mut app, GradientCommand::StartAt(-0.5, -1.0));
    let lines = downhill::ui::gradient::chain_lines(gradient(&app));
    // r = 3 - (-0.5 * 2 - 1) = 5: 2r = 10, dL/dw = 10 * (-2) = -20, dL/db = -10.
    assert_eq!(
        lines,
        vec![
            "r = 3.0000 - ((-0.5000)·2.0000 + (-1.0000)) = 5.0000",
            "dL/dr = 2r = 10.0000",
            "dL/dw = 2r·(-x) = 10.0000·(-2.0000) = -20.0000",
            "dL/db = 2r·(-1) = 10.0000·(-1) = -10.0000",
        ]
    );
}

#[test]
fn the_noisy_points_button_gives_a_hundred_points_from_the_seed_and_starts_again() {
    use downhill::math::minibatch::{NOISY_POINTS, noisy_line};
    let mut app = app();
    send(&mut app, GradientCommand::Step);
    send(&mut app, GradientCommand::NoisyLine);
    let r = gradient(&app);
    assert_eq!(r.points.len(), 100);
    assert_eq!(r.points, noisy_line(r.seed, NOISY_POINTS));
    assert_eq!(r.fit.step, 0, "a fresh run on the new data");
    let (w, b) = least_squares(&r.points).unwrap();
    let view = r.view;
    assert!(
        (view.w.0..view.w.1).contains(&w) && (view.b.0..view.b.1).contains(&b),
        "the best line ({w}, {b}) is in view {view:?}"
    );
}

/// Reset, then `steps` steps by hand: the (w, b) of every step, as bits.
fn replay(app: &mut App, steps: usize) -> Vec<(u64, u64)> {
    send(app, GradientCommand::Reset);
    for _ in 0..steps {
        app.world_mut().write_message(GradientCommand::Step);
    }
    app.update();
    let fit = &gradient(app).fit;
    assert_eq!(fit.step, steps as u64);
    fit.path
        .iter()
        .chain(std::iter::once(&(fit.w, fit.b)))
        .map(|(w, b)| (w.to_bits(), b.to_bits()))
        .collect()
}

#[test]
fn a_seed_replays_a_minibatch_run_and_no_batch_is_plain_descent() {
    use downhill::math::optimizer::{Method, Settings};
    use downhill::math::regression::Fit;
    use downhill::sim::gradient::START;
    use downhill::ui::gradient::last_step_gradients;
    let mut app = app();
    send(&mut app, GradientCommand::NoisyLine);
    send(&mut app, GradientCommand::SetBatch(Some(1)));
    send(&mut app, GradientCommand::SetSeed(5));
    assert_eq!(gradient(&app).batch_size(), Some(1));
    let first = replay(&mut app, 50);
    assert_eq!(replay(&mut app, 50), first, "seed 5 again");
    let last = last_step_gradients(gradient(&app)).expect("the last step used a batch");
    assert_eq!(last.batch, 1);
    assert_ne!(
        last.of_batch, last.of_all,
        "one point's gradient is not the whole data's"
    );
    send(&mut app, GradientCommand::SetSeed(6));
    assert_ne!(replay(&mut app, 50), first, "seed 6");
    // Back at seed 5 after other settings changed and changed back, the same run again.
    send(&mut app, GradientCommand::SetMethod(Method::Adam));
    send(&mut app, GradientCommand::SetMethod(Method::Gd));
    send(&mut app, GradientCommand::SetSeed(5));
    assert_eq!(replay(&mut app, 50), first, "seed 5 once more");

    send(&mut app, GradientCommand::SetBatch(None));
    let plain_steps = replay(&mut app, 50);
    let r = gradient(&app);
    let mut plain = Fit::new(START, Method::Gd, Settings::default());
    for _ in 0..50 {
        plain.advance(&r.points, r.learning_rate);
    }
    assert_eq!(
        (r.fit.w.to_bits(), r.fit.b.to_bits()),
        (plain.w.to_bits(), plain.b.to_bits()),
        "no batch is plain descent"
    );
    assert_ne!(plain_steps, first);
    assert_eq!(last_step_gradients(r), None);
    // A batch of every point, or more, is no batch; none at all is one point.
    send(&mut app, GradientCommand::SetBatch(Some(100)));
    assert_eq!(gradient(&app).batch, None);
    assert_eq!(replay(&mut app, 50), plain_steps);
    send(&mut app, GradientCommand::SetBatch(Some(0)));
    assert_eq!(gradient(&app).batch_size(), Some(1));
}

#[test]
fn fit_with_a_minibatch_takes_a_bounded_number_of_steps_and_hovers_near_the_best_line() {
    use downhill::sim::gradient::FIT_BATCH_STEP_LIMIT;
    let mut app = app();
    send(&mut app, GradientCommand::NoisyLine);
    send(&mut app, GradientCommand::SetBatch(Some(10)));
    send(&mut app, GradientCommand::SetLearningRate(0.05));
    send(&mut app, GradientCommand::Fit);
    let r = gradient(&app);
    assert_eq!(r.fit.step, FIT_BATCH_STEP_LIMIT, "{:?}", r.fit.status);
    assert_eq!(r.fit.status, FitStatus::Running);
    let (w, b) = least_squares(&r.points).unwrap();
    assert!(
        (r.fit.w - w).abs() < 0.3 && (r.fit.b - b).abs() < 0.5,
        "({}, {}) vs ({w}, {b})",
        r.fit.w,
        r.fit.b
    );
}

fn lesson_text() -> downhill::text::LessonText {
    downhill::text::LessonText::parse(downhill::text::BUILT_IN_LESSON, "the built-in lesson")
        .unwrap()
}
