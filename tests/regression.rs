//! Scene 2, from slope to gradient, as an ECS under simulated time: switching scenes by key, playing and
//! stepping the fit, "Fit" reaching the least-squares line, points added and dragged.

mod headless;

use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use downhill::math::regression::{FitStatus, Point, least_squares};
use downhill::regression::{ActiveScene, Regression, RegressionCommand, Scene};
use downhill::sim::{Playback, Run, RunCommand, StepsPerSecond};

const FRAME: Duration = Duration::from_millis(10);

fn app() -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .add_plugins((
            downhill::order_systems,
            downhill::sim::plugin,
            downhill::regression::plugin,
        ))
        .init_resource::<ButtonInput<KeyCode>>()
        .init_resource::<ButtonInput<MouseButton>>()
        .init_resource::<Touches>()
        .init_resource::<bevy::input::mouse::AccumulatedMouseScroll>()
        .insert_resource(TimeUpdateStrategy::ManualDuration(FRAME));
    app.update();
    app
}

fn press(app: &mut App, key: KeyCode) {
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(key);
    app.update();
    let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    keys.release(key);
    keys.clear();
}

fn send(app: &mut App, command: RegressionCommand) {
    app.world_mut().write_message(command);
    app.update();
}

fn regression(app: &App) -> &Regression {
    app.world().resource::<Regression>()
}

fn run_for(app: &mut App, seconds: f64) {
    for _ in 0..(seconds / FRAME.as_secs_f64()).round() as usize {
        app.update();
    }
}

#[test]
fn keys_one_and_two_switch_between_the_slope_and_the_gradient_scene() {
    let mut app = app();
    assert_eq!(app.world().resource::<ActiveScene>().0, Scene::Slope);
    press(&mut app, KeyCode::Digit2);
    assert_eq!(app.world().resource::<ActiveScene>().0, Scene::Regression);
    press(&mut app, KeyCode::Digit1);
    assert_eq!(app.world().resource::<ActiveScene>().0, Scene::Slope);
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
    assert!(regression(&app).playing);
    run_for(&mut app, 1.0);
    let step = regression(&app).fit.step;
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
    let fit = &regression(&app).fit;
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
    send(&mut app, RegressionCommand::SetLearningRate(0.05));
    send(&mut app, RegressionCommand::Step);
    let fit = &regression(&app).fit;
    // (0.5, 0) - 0.05 * (-8, -4) = (0.9, 0.2).
    assert!((fit.w - 0.9).abs() < 1e-15 && (fit.b - 0.2).abs() < 1e-15);
}

#[test]
fn fit_runs_to_the_least_squares_line_with_added_and_dragged_points() {
    let mut app = app();
    send(
        &mut app,
        RegressionCommand::AddPoint(Point { x: 0.0, y: 1.0 }),
    );
    send(
        &mut app,
        RegressionCommand::AddPoint(Point { x: 4.0, y: 4.0 }),
    );
    send(
        &mut app,
        RegressionCommand::MovePoint(0, Point { x: 2.0, y: 2.5 }),
    );
    assert_eq!(regression(&app).points.len(), 3);
    send(&mut app, RegressionCommand::SetLearningRate(0.05));
    send(&mut app, RegressionCommand::Fit);
    let r = regression(&app);
    assert!(
        matches!(r.fit.status, FitStatus::Converged { .. }),
        "{:?}",
        r.fit.status
    );
    let (w, b) = least_squares(&r.points).unwrap();
    assert!((r.fit.w - w).abs() < 1e-6 && (r.fit.b - b).abs() < 1e-6);
    send(&mut app, RegressionCommand::LessonPoint);
    assert_eq!(regression(&app).points, vec![Point { x: 2.0, y: 3.0 }]);
    assert_eq!(regression(&app).fit.step, 0);
}

#[test]
fn panning_and_zooming_keep_the_view_sane() {
    let mut app = app();
    let before = regression(&app).view;
    send(&mut app, RegressionCommand::Pan(1.0, -0.5));
    send(&mut app, RegressionCommand::Zoom(0.5, (1.5, 0.0)));
    let view = regression(&app).view;
    assert!((view.w.1 - view.w.0 - 0.5 * (before.w.1 - before.w.0)).abs() < 1e-12);
    send(&mut app, RegressionCommand::Zoom(f64::NAN, (0.0, 0.0)));
    send(&mut app, RegressionCommand::Zoom(1e-9, (0.0, 0.0)));
    assert_eq!(regression(&app).view, view, "bad zooms are ignored");
}

#[test]
fn a_finger_adds_a_point_and_drags_it_and_a_second_tap_adds_another() {
    use bevy::input::touch::{TouchInput, TouchPhase};
    use downhill::regression::view::Layout;
    let mut app = headless::app(FRAME);
    app.add_plugins(downhill::regression::plugin)
        .insert_resource(ActiveScene(Scene::Regression));
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
    assert_eq!(regression(&app).points.len(), 2, "the touch added a point");
    let to = layout.data_to_screen(4.0, 5.0);
    finger(&mut app, to, TouchPhase::Moved);
    finger(&mut app, to, TouchPhase::Ended);
    let moved = regression(&app).points[1];
    assert!(
        (moved.x - 4.0).abs() < 0.05 && (moved.y - 5.0).abs() < 0.05,
        "{moved:?}"
    );
    // The lesson's point is grabbed, not duplicated, when the finger lands on it.
    let lesson = layout.data_to_screen(2.0, 3.0);
    finger(&mut app, lesson, TouchPhase::Started);
    finger(&mut app, lesson, TouchPhase::Ended);
    assert_eq!(regression(&app).points.len(), 2);
    finger(
        &mut app,
        layout.data_to_screen(0.5, 0.5),
        TouchPhase::Started,
    );
    finger(&mut app, layout.data_to_screen(0.5, 0.5), TouchPhase::Ended);
    assert_eq!(regression(&app).points.len(), 3);
    // A finger on the landscape's ball moves the start (w, b).
    let r = regression(&app);
    let ball = layout.to_screen(&r.view, r.fit.w, r.fit.b);
    finger(&mut app, ball, TouchPhase::Started);
    finger(&mut app, ball + Vec2::new(30.0, -20.0), TouchPhase::Moved);
    finger(&mut app, ball + Vec2::new(30.0, -20.0), TouchPhase::Ended);
    let start = regression(&app).fit.start;
    assert!(
        start.0 > 0.5 && start.1 > 0.0,
        "the start moved right and up: {start:?}"
    );
}
