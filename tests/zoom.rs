//! Zoom in far enough and a smooth curve looks straight: scene 1's plot zooms about the ball by the keys and
//! the "Zoom in" animation, its ticks keep the digits that tell them apart down to a window a millionth wide,
//! the readout's gap to the tangent shrinks like the window squared, and f64's limit is said, not drawn.

mod headless;

use std::time::Duration;

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use downhill::AppSystems;
use downhill::math::Curve;
use downhill::math::descent::Descent;
use downhill::sim::{LossCurve, Run, RunCommand};
use downhill::theme::numbers::format_tick;
use downhill::view::slope::curve::axis_ticks;
use downhill::view::slope::derivative::{SlopePlot, SlopePlotArea, SlopeShape};
use downhill::view::slope::zoom::{
    PlotZoom, ZoomCommand, ZoomReading, animate_zoom, apply_zoom_commands, measure_zoom,
    show_the_whole_of_a_new_curve,
};
use downhill::view::{PanelWidth, PlotArea, fit_plot_to_window};

const FRAME: Duration = Duration::from_millis(16);

/// The simulation and both scenes' input (keys set by hand), with the zoom and the plot's fitting after it
/// in a 1280x720 window, the run on `curve` at `x`.
fn zoom_app(curve: &str, x: f64) -> App {
    let curve = Curve::shared(curve).unwrap();
    let mut app = headless::keys_by_hand_app(FRAME);
    app.world_mut().spawn((
        Window {
            resolution: bevy::window::WindowResolution::new(1280, 720),
            ..default()
        },
        PrimaryWindow,
    ));
    app.insert_resource(LossCurve(curve.clone()))
        .insert_resource(Run(Descent::new(&curve, x)))
        .init_resource::<PanelWidth>()
        .init_resource::<SlopePlot>()
        .init_resource::<SlopePlotArea>()
        .insert_resource(SlopeShape::of(&curve))
        .init_resource::<PlotZoom>()
        .init_resource::<ZoomReading>()
        .add_systems(
            Update,
            (
                show_the_whole_of_a_new_curve.run_if(resource_changed::<LossCurve>),
                apply_zoom_commands,
                animate_zoom,
                fit_plot_to_window,
                measure_zoom,
            )
                .chain()
                .after(AppSystems::Simulate),
        );
    app.update();
    app
}

fn zoom(app: &App) -> PlotZoom {
    *app.world().resource::<PlotZoom>()
}

fn plot(app: &App) -> PlotArea {
    *app.world().resource::<PlotArea>()
}

fn width(app: &App) -> f64 {
    let p = plot(app);
    p.x_range.1 - p.x_range.0
}

fn x_tick_labels(app: &App) -> Vec<String> {
    let (ticks, _) = axis_ticks(&plot(app));
    let step = ticks[1] - ticks[0];
    ticks.iter().map(|&t| format_tick(t, step)).collect()
}

#[test]
fn keys_zoom_about_the_ball_and_zero_shows_the_whole_curve() {
    let mut app = zoom_app("double-well", 1.2);
    let whole = width(&app);
    assert!((whole - 4.4).abs() < 1e-12);
    headless::press(&mut app, KeyCode::Equal);
    headless::press(&mut app, KeyCode::Equal);
    assert_eq!(zoom(&app).factor, 4.0);
    assert!((width(&app) - 1.1).abs() < 1e-12);
    let p = plot(&app);
    assert!(p.x_range.0 < 1.2 && 1.2 < p.x_range.1, "{p:?}");
    headless::press(&mut app, KeyCode::Minus);
    assert_eq!(zoom(&app).factor, 2.0);
    // Never out past the whole curve.
    for _ in 0..4 {
        headless::press(&mut app, KeyCode::Minus);
    }
    assert_eq!(zoom(&app).factor, 1.0);
    headless::press(&mut app, KeyCode::Equal);
    headless::press(&mut app, KeyCode::Digit0);
    assert_eq!(zoom(&app), PlotZoom::default());
    assert!((width(&app) - 4.4).abs() < 1e-12);
}

#[test]
fn the_zoom_in_animation_reaches_a_window_a_millionth_wide_with_ticks_that_read_apart() {
    let mut app = zoom_app("double-well", 1.2);
    headless::press(&mut app, KeyCode::KeyI);
    assert!(zoom(&app).is_animating());
    let mut narrowest = f64::INFINITY;
    let mut labels_there = Vec::new();
    let mut reading_there = ZoomReading::default();
    let mut frames = 0;
    while zoom(&app).is_animating() && frames < 60 * 60 {
        app.update();
        frames += 1;
        if width(&app) < narrowest {
            narrowest = width(&app);
            labels_there = x_tick_labels(&app);
            reading_there = *app.world().resource::<ZoomReading>();
        }
    }
    assert!(!zoom(&app).is_animating(), "the animation ends");
    assert!((narrowest - 1e-6).abs() < 1e-12, "narrowest {narrowest}");
    // The ball's x at the middle, its neighbours 1.1999998 and 1.2000002 (ticks 2e-7 apart at 822 pixels).
    assert!(labels_there.contains(&"1.2".to_owned()), "{labels_there:?}");
    for pair in labels_there.windows(2) {
        assert_ne!(pair[0], pair[1]);
    }
    assert!(
        labels_there
            .iter()
            .all(|t| t == "1.2" || t.starts_with("1.1999") || t.starts_with("1.2000")),
        "{labels_there:?}"
    );
    // A millionth wide, the curve is within a thousandth of a pixel of its tangent, and f64 still draws it.
    let gap = reading_there.gap.unwrap();
    assert!(gap.pixels < 1e-3, "{gap:?}");
    assert!(
        (gap.gap - gap.predicted).abs() < 0.01 * gap.predicted,
        "{gap:?}"
    );
    assert!(reading_there.resolved());
    // And back to the whole curve at the end.
    assert!((width(&app) - 4.4).abs() < 1e-9);
    assert!(frames > 60 * 8, "it takes its time: {frames} frames");
}

#[test]
fn the_gap_to_the_tangent_shrinks_a_hundredfold_for_each_tenfold_zoom() {
    let mut app = zoom_app("double-well", 1.2);
    let mut gaps = Vec::new();
    for _ in 0..4 {
        app.world_mut().write_message(ZoomCommand::By(10.0));
        app.update();
        gaps.push(app.world().resource::<ZoomReading>().gap.unwrap().gap);
    }
    // From a factor of 100 on the ball is in the middle and the window shrinks tenfold each time.
    for pair in gaps[1..].windows(2) {
        let ratio = pair[0] / pair[1];
        assert!((ratio - 100.0).abs() < 3.0, "{gaps:?}");
    }
}

#[test]
fn past_what_f64_can_resolve_the_readout_says_so() {
    let mut app = zoom_app("double-well", 1.2);
    app.world_mut().write_message(ZoomCommand::By(4.4e14));
    app.update();
    let reading = *app.world().resource::<ZoomReading>();
    assert!(!reading.resolved(), "{reading:?}");
    let lesson = downhill::text::LessonText::built_in().unwrap();
    let lines = downhill::view::slope::zoom::zoom_lines(&lesson, &zoom(&app), &reading);
    assert!(
        lines
            .iter()
            .any(|(line, warning)| *warning && line.contains("f64")),
        "{lines:?}"
    );
}

#[test]
fn the_zoomed_view_follows_the_ball_and_a_new_curve_is_shown_whole() {
    let mut app = zoom_app("bowl", 1.5);
    app.world_mut().write_message(ZoomCommand::By(1000.0));
    app.update();
    let middle = |app: &App| {
        let p = plot(app);
        0.5 * (p.x_range.0 + p.x_range.1)
    };
    assert!((middle(&app) - 1.5).abs() < 1e-12);
    app.world_mut().write_message(RunCommand::Step);
    app.update();
    let x = app.world().resource::<Run>().0.x;
    assert!((x - 1.2).abs() < 1e-12);
    assert!(
        (middle(&app) - x).abs() < 1e-12,
        "the window moved with the ball"
    );
    app.world_mut().write_message(RunCommand::ChooseCurve(
        Curve::shared("double-well").unwrap(),
    ));
    app.update();
    app.update();
    assert_eq!(zoom(&app), PlotZoom::default());
    assert!((width(&app) - 4.4).abs() < 1e-12);
}
