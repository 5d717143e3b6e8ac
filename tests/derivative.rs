//! The slope at every point is a curve: the slope plot under scene 1's plot draws f'(x) on the same x axis,
//! its point moves with the ball at the height of the tangent's slope, a trace draws f' only where the ball
//! has been, thin guides join the flat tangents above to the zeros below, and the exhibit has a scene for it.

mod headless;

use std::time::Duration;

use bevy::prelude::*;
use downhill::AppSystems;
use downhill::exhibit::ExhibitConfig;
use downhill::exhibit::scenes::SceneScript;
use downhill::math::Curve;
use downhill::math::descent::Descent;
use downhill::math::slope_curve::{TRACE_CELLS, slope_band};
use downhill::scene::Scene;
use downhill::sim::BallHeld;
use downhill::sim::{LossCurve, Run, RunCommand};
use downhill::view::PlotArea;
use downhill::view::slope::ball::{Ball, Glide, glide_ball_toward_run};
use downhill::view::slope::derivative::{
    SlopeCurveTrace, SlopePlot, SlopePlotArea, SlopePoint, SlopeShape, place_slope_point,
    record_where_the_ball_has_been, restore_launch, trace_slope_curve,
};
use downhill::view::slope::guides::{GuideGeometry, Guides, measure_guides};

const FRAME: Duration = Duration::from_millis(16);
const WINDOW: Vec2 = Vec2::new(1280.0, 720.0);
const PANEL: f32 = 360.0;

/// The simulation with the slope plot's own systems after it, on `curve`, the plot shown (traced or not).
fn slope_plot_app(curve: &str, trace: bool) -> App {
    let curve = Curve::shared(curve).unwrap();
    let mut app = headless::sim_app(FRAME);
    let band = slope_band(&curve, curve.x_range);
    let (upper, lower) = PlotArea::with_slope_plot(WINDOW, PANEL, &curve, band);
    app.insert_resource(LossCurve(curve.clone()))
        .insert_resource(Run(Descent::new(&curve, curve.default_start)))
        .insert_resource(upper)
        .insert_resource(SlopePlotArea(lower))
        .insert_resource(SlopeShape::of(&curve))
        .insert_resource(SlopePlot { shown: true, trace })
        .init_resource::<Guides>()
        .init_resource::<SlopeCurveTrace>()
        .init_resource::<SlopePoint>()
        .add_systems(
            Update,
            (
                // The point before the tangent on purpose: both read the run's x, so order does not matter.
                place_slope_point,
                measure_guides,
                trace_slope_curve,
                record_where_the_ball_has_been,
            )
                .chain()
                .after(AppSystems::Simulate),
        );
    app.update();
    app
}

fn command(app: &mut App, command: RunCommand) {
    app.world_mut().write_message(command);
    app.update();
}

fn lower(app: &App) -> PlotArea {
    app.world().resource::<SlopePlotArea>().0.unwrap()
}

#[test]
fn the_points_height_is_the_tangents_slope_in_the_same_frame() {
    let mut app = slope_plot_app("double-well", false);
    let curve = app.world().resource::<LossCurve>().0.clone();
    let area = lower(&app);
    for x in [-1.8, -1.3, -0.4, 0.0, 0.17, 0.9, 1.6] {
        command(&mut app, RunCommand::StartAt(x));
        let tangent = app.world().resource::<Guides>().0.slope;
        let point = *app.world().resource::<SlopePoint>();
        assert_eq!(point.x, x);
        assert_eq!(point.slope, tangent, "at x = {x}");
        assert_eq!(point.slope, curve.slope(x));
        assert!(!point.clamped && !point.corner);
        // Drawn at that height on the slope plot, in the same column as the ball above.
        assert_eq!(point.screen, Some(area.to_screen(x, tangent)));
        let ball = app.world().resource::<Guides>().0.ball;
        assert_eq!(
            point.screen.unwrap().x,
            ball.x,
            "the point is under the ball"
        );
    }
    // While the run steps, the point follows the run's x, frame by frame.
    command(&mut app, RunCommand::StartAt(1.5));
    for _ in 0..6 {
        command(&mut app, RunCommand::Step);
        let run_x = app.world().resource::<Run>().0.x;
        let point = *app.world().resource::<SlopePoint>();
        assert_eq!(point.x, run_x);
        assert_eq!(point.slope, app.world().resource::<Guides>().0.slope);
    }
}

#[test]
fn a_drag_traces_every_point_it_passes_and_steps_leave_single_points() {
    let mut app = slope_plot_app("bowl", true);
    let traced = |app: &App| app.world().resource::<SlopeCurveTrace>().trace.runs();
    // The ball's start, where it stood when the trace began, is the first point traced.
    assert_eq!(traced(&app), vec![vec![(1.5, 3.0)]]);
    app.world_mut()
        .resource_mut::<SlopeCurveTrace>()
        .trace
        .clear();
    // A drag: the ball put at x again and again in small moves, from -2 to -1.
    let mut x = -2.0;
    while x <= -1.0 {
        command(&mut app, RunCommand::StartAt(x));
        x += 0.03;
    }
    let runs = traced(&app);
    assert_eq!(runs.len(), 1, "one unbroken stretch: {} runs", runs.len());
    let cells_per_unit = TRACE_CELLS as f64 / 6.0;
    assert!(
        runs[0].len() as f64 >= 0.95 * cells_per_unit,
        "{} cells traced for a drag across 1 of the bowl's 6 units",
        runs[0].len()
    );
    // Steps from 2.5 at lr 0.1: each landing is one point, exactly where the run is.
    command(&mut app, RunCommand::StartAt(2.5));
    let mut landings = vec![2.5];
    for _ in 0..4 {
        command(&mut app, RunCommand::Step);
        landings.push(app.world().resource::<Run>().0.x);
    }
    let runs = traced(&app);
    for landing in &landings {
        assert!(
            runs.iter()
                .any(|run| run == &vec![(*landing, 2.0 * landing)]),
            "the landing at {landing} is a point of its own: {:?}",
            &runs[1..]
        );
    }
    assert_eq!(runs.len(), 1 + landings.len());
    // Hiding the plot and showing it again keeps the trace.
    app.world_mut().resource_mut::<SlopePlot>().shown = false;
    app.update();
    app.world_mut().resource_mut::<SlopePlot>().shown = true;
    app.update();
    assert_eq!(
        traced(&app).len(),
        1 + landings.len(),
        "the trace survives D, D"
    );
    // Changing the curve starts the trace afresh, at the new curve's start, over its range.
    let wave = Curve::shared("wave").unwrap();
    command(&mut app, RunCommand::ChooseCurve(wave.clone()));
    let trace = &app.world().resource::<SlopeCurveTrace>().trace;
    assert_eq!(trace.x_range(), wave.x_range);
    assert_eq!(
        traced(&app),
        vec![vec![(wave.default_start, wave.slope(wave.default_start))]]
    );
}

#[test]
fn nothing_is_traced_while_the_whole_curve_is_drawn() {
    let mut app = slope_plot_app("bowl", false);
    command(&mut app, RunCommand::StartAt(1.0));
    command(&mut app, RunCommand::Step);
    assert!(app.world().resource::<SlopeCurveTrace>().trace.is_empty());
    assert!(
        !app.world().resource::<SlopeCurveTrace>().pieces.is_empty(),
        "the whole of f' is drawn instead"
    );
}

#[test]
fn the_flat_tangents_above_line_up_with_the_zeros_below() {
    let curve = Curve::by_name("double-well").unwrap();
    let shape = SlopeShape::of(curve);
    let (upper, lower) = PlotArea::with_slope_plot(WINDOW, PANEL, curve, shape.band);
    let lower = lower.unwrap();
    assert_eq!(shape.flats.len(), 3, "two valleys and the hump between");
    for &x in &shape.flats {
        assert!(curve.slope(x).abs() < 1e-12, "f'({x}) = {}", curve.slope(x));
        // The tangent above is level ...
        let g = GuideGeometry::new(&upper, curve, x, 1e-6, downhill::math::Scheme::Forward);
        assert!(
            (g.tangent[0].y - g.tangent[1].y).abs() < 1e-3,
            "{:?}",
            g.tangent
        );
        // ... and the zero below is in the same screen column.
        let below = lower.to_screen(x, 0.0);
        assert_eq!(below.x, g.ball.x);
        assert!(lower.contains(below));
    }
    // The vee's corner has no flat tangent, so no guide, though its slope jumps across zero there.
    assert!(
        SlopeShape::of(Curve::by_name("vee").unwrap())
            .flats
            .is_empty()
    );
}

#[test]
fn where_the_formula_has_no_value_no_point_is_drawn() {
    let mut app = slope_plot_app("bowl", false);
    command(
        &mut app,
        RunCommand::ChooseCurve(Curve::from_formula("sqrt(x)").unwrap()),
    );
    // Where sqrt has no value: no point and no stem, so nothing non-finite is drawn.
    app.world_mut().resource_mut::<Run>().0.x = -1.0;
    app.update();
    let point = *app.world().resource::<SlopePoint>();
    assert!(point.slope.is_nan());
    assert_eq!(point.screen, None);
    // An upright tangent (the slope is infinite at 0) sits hollow on the plot's top edge.
    app.world_mut().resource_mut::<Run>().0.x = 0.0;
    app.update();
    let point = *app.world().resource::<SlopePoint>();
    assert!(point.clamped);
    assert_eq!(point.screen.map(|p| p.y), Some(lower(&app).min.y));
}

#[test]
fn at_the_vees_corner_the_point_says_there_is_no_slope() {
    let mut app = slope_plot_app("vee", false);
    command(&mut app, RunCommand::StartAt(0.0));
    assert!(app.world().resource::<SlopePoint>().corner);
    command(&mut app, RunCommand::StartAt(0.5));
    assert!(!app.world().resource::<SlopePoint>().corner);
}

#[test]
fn key_d_shows_and_hides_the_slope_plot() {
    let mut app = headless::keys_by_hand_app(FRAME);
    app.init_resource::<SlopePlot>();
    app.world_mut().spawn((Ball, Glide::resting(1.5)));
    app.update();
    assert!(!app.world().resource::<SlopePlot>().shown);
    headless::press(&mut app, KeyCode::KeyD);
    assert!(app.world().resource::<SlopePlot>().shown);
    headless::press(&mut app, KeyCode::KeyD);
    assert!(!app.world().resource::<SlopePlot>().shown);
}

const ONE_SCENE: &str = r#"
[[scene]]
show = "derivative"
caption = "how steep"
seconds = 10
curve = "double-well"
"#;

/// The exhibit with `settings`, and the slope plot's trace and the ball's glide after the simulation.
fn exhibit_with_slope_plot(settings: &str) -> App {
    let config = ExhibitConfig::parse(
        settings,
        "test.toml",
        &downhill::files::scenarios().unwrap(),
    )
    .unwrap();
    let mut app = headless::app(FRAME);
    app.init_resource::<SlopePlot>()
        .init_resource::<SlopeCurveTrace>()
        .init_resource::<SlopePlotArea>()
        .init_resource::<SlopeShape>()
        .add_observer(restore_launch)
        .add_systems(
            Update,
            (
                trace_slope_curve,
                record_where_the_ball_has_been,
                glide_ball_toward_run,
            )
                .chain()
                .after(AppSystems::Simulate),
        );
    headless::add_exhibit(&mut app, config);
    app.world_mut().spawn((Ball, Glide::resting(0.5)));
    app.update();
    app
}

#[test]
fn the_exhibits_derivative_scene_sweeps_the_ball_and_traces_the_whole_slope() {
    let mut app = exhibit_with_slope_plot(ONE_SCENE);
    assert_eq!(app.world().resource::<SceneScript>().caption, "how steep");
    assert_eq!(
        *app.world().resource::<SlopePlot>(),
        SlopePlot {
            shown: true,
            trace: true
        }
    );
    assert_eq!(*app.world().resource::<State<Scene>>().get(), Scene::Slope);
    let mut xs = Vec::new();
    for _ in 0..(9.5 / FRAME.as_secs_f64()) as usize {
        app.update();
        let x = app.world().resource::<Run>().0.x;
        xs.push(x);
        // The disc is where the tangent and the point are, every frame: it does not glide behind them.
        let disc = app
            .world_mut()
            .query_filtered::<&Glide, With<Ball>>()
            .single(app.world())
            .unwrap()
            .x();
        assert_eq!(disc, x, "the ball is drawn where the run is");
    }
    // Left to right, never back, across nearly all of the curve's range.
    assert!(
        xs.windows(2).all(|w| w[1] >= w[0]),
        "the sweep goes one way"
    );
    let curve = Curve::by_name("double-well").unwrap();
    let (lo, hi) = curve.x_range;
    assert!(xs[0] < lo + 0.1 * (hi - lo) && *xs.last().unwrap() > hi - 0.1 * (hi - lo));
    // ... and only where the ball is on screen: the double well leaves the top of its view near x = 2.
    let (bottom, top) = curve.y_range;
    for &x in &xs {
        let y = curve.value(x);
        assert!(
            y >= bottom && y <= top,
            "the ball left the view at x = {x} (f = {y})"
        );
    }
    // It holds at the end, so the traced slope can be read whole.
    let last_second = &xs[xs.len() - 60..];
    assert!(last_second.iter().all(|&x| x == last_second[0]));
    let trace = &app.world().resource::<SlopeCurveTrace>().trace;
    let runs = trace.runs();
    assert_eq!(runs.len(), 1, "one unbroken trace");
    assert!(
        runs[0].len() as f64 >= 0.8 * TRACE_CELLS as f64,
        "{} of {TRACE_CELLS} cells traced",
        runs[0].len()
    );
}

#[test]
fn a_scene_after_the_derivative_scene_hides_the_plot_and_lets_the_ball_glide() {
    let settings = format!(
        "{ONE_SCENE}\n[[scene]]\nshow = \"slope\"\ncaption = \"after\"\nseconds = 4\ncurve = \"bowl\"\n"
    );
    let mut app = exhibit_with_slope_plot(&settings);
    assert!(app.world().resource::<SlopePlot>().shown);
    assert!(app.world().resource::<BallHeld>().0);
    for _ in 0..(10.2 / FRAME.as_secs_f64()) as usize {
        app.update();
    }
    assert_eq!(app.world().resource::<SceneScript>().caption, "after");
    assert!(!app.world().resource::<SlopePlot>().shown);
    assert!(!app.world().resource::<BallHeld>().0);
}
