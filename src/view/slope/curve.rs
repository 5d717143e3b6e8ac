//! The curve, traced once per curve or window change, and the axes, grid and minima drawn around it.

use bevy::prelude::*;

use super::PlotArea;
use crate::AppSystems;
use crate::math::clip::clip_to_band;
use crate::math::ticks::nice_ticks;
use crate::sim::LossCurve;

/// Pixels between samples of the curve: fine enough that the line looks smooth.
const PIXELS_PER_SAMPLE: f32 = 1.5;

pub(super) fn plugin(app: &mut App) {
    app.init_gizmo_group::<CurveGizmos>()
        .init_resource::<CurveTrace>()
        .add_systems(
            Update,
            style_curve_gizmos.run_if(resource_exists_and_changed::<crate::view::LineWidths>),
        )
        .add_systems(
            Update,
            (
                trace_curve.run_if(
                    resource_changed::<PlotArea>
                        .or_eager(resource_changed::<super::zoom::ZoomReading>),
                ),
                (draw_grid_and_axes, draw_curve, draw_minima),
            )
                .chain()
                .in_set(AppSystems::View),
        );
}

/// Thick, round-jointed lines for the curve itself.
#[derive(Default, Reflect, GizmoConfigGroup)]
pub struct CurveGizmos;

/// The curve in world coordinates, cut into the pieces that lie inside the plot.
#[derive(Resource, Default, Debug, Clone)]
pub struct CurveTrace {
    pub pieces: Vec<Vec<Vec2>>,
    /// Zoomed past what f64 resolves: the samples are drawn as dots, not joined into a curve.
    pub dots: bool,
}

/// Line widths as the theme and the window's scale draw them, set again when either changes.
fn style_curve_gizmos(mut store: ResMut<GizmoConfigStore>, widths: Res<crate::view::LineWidths>) {
    let (config, _) = store.config_mut::<CurveGizmos>();
    config.line.width = widths.px(4.0);
    config.line.joints = GizmoLineJoint::Round(6);
    let (config, _) = store.config_mut::<DefaultGizmoConfigGroup>();
    config.line.width = widths.px(2.0);
}

pub fn trace_curve(
    loss_curve: Res<LossCurve>,
    plot: Res<PlotArea>,
    zoom: Res<super::zoom::ZoomReading>,
    mut trace: ResMut<CurveTrace>,
) {
    trace.dots = !zoom.resolved();
    let count = (plot.size().x / PIXELS_PER_SAMPLE).clamp(64.0, 4096.0) as usize;
    let samples = loss_curve.0.sample(plot.x_range, count);
    trace.pieces = clip_to_band(&samples, plot.y_range.0, plot.y_range.1)
        .into_iter()
        .map(|piece| {
            piece
                .into_iter()
                .map(|(x, y)| plot.to_world(x, y))
                .collect()
        })
        .collect();
}

fn draw_curve(
    theme: Res<crate::theme::Theme>,
    trace: Res<CurveTrace>,
    mut gizmos: Gizmos<CurveGizmos>,
    mut dots: Gizmos,
) {
    let pal = theme.0;
    if trace.dots {
        for &at in trace.pieces.iter().flatten() {
            dots.circle_2d(at, 2.0, pal.curve.bevy()).resolution(8);
        }
        return;
    }
    for piece in &trace.pieces {
        gizmos.linestrip_2d(piece.iter().copied(), pal.curve.bevy());
    }
}

/// The tick positions of both axes, shared with the overlay that writes their numbers.
pub fn axis_ticks(plot: &PlotArea) -> (Vec<f64>, Vec<f64>) {
    let size = plot.size();
    let x_count = (size.x / 110.0).clamp(2.0, 12.0) as usize;
    let y_count = (size.y / 80.0).clamp(2.0, 10.0) as usize;
    (
        nice_ticks(plot.x_range.0, plot.x_range.1, x_count),
        nice_ticks(plot.y_range.0, plot.y_range.1, y_count),
    )
}

/// Where the axes cross: at the origin when it is in view, else along the plot's lower and left edges.
pub fn axis_origin(plot: &PlotArea) -> (f64, f64) {
    let clamp = |v: f64, (lo, hi): (f64, f64)| v.clamp(lo, hi);
    (clamp(0.0, plot.x_range), clamp(0.0, plot.y_range))
}

pub fn draw_grid_and_axes(
    theme: Res<crate::theme::Theme>,
    plot: Res<PlotArea>,
    mut gizmos: Gizmos,
) {
    let pal = theme.0;
    let (x_ticks, y_ticks) = axis_ticks(&plot);
    let (x0, x1) = plot.x_range;
    let (y0, y1) = plot.y_range;
    let (ox, oy) = axis_origin(&plot);
    for &x in &x_ticks {
        gizmos.line_2d(plot.to_world(x, y0), plot.to_world(x, y1), pal.grid.bevy());
    }
    for &y in &y_ticks {
        gizmos.line_2d(plot.to_world(x0, y), plot.to_world(x1, y), pal.grid.bevy());
    }
    let axis = pal.axis.bevy();
    gizmos.line_2d(plot.to_world(x0, oy), plot.to_world(x1, oy), axis);
    gizmos.line_2d(plot.to_world(ox, y0), plot.to_world(ox, y1), axis);
    let tick = Vec2::new(0.0, 6.0);
    for &x in &x_ticks {
        let at = plot.to_world(x, oy);
        gizmos.line_2d(at - tick, at + tick, axis);
    }
    for &y in &y_ticks {
        let at = plot.to_world(ox, y);
        gizmos.line_2d(at - tick.yx(), at + tick.yx(), axis);
    }
}

fn draw_minima(
    theme: Res<crate::theme::Theme>,
    loss_curve: Res<LossCurve>,
    plot: Res<PlotArea>,
    mut gizmos: Gizmos,
) {
    let pal = theme.0;
    for minimum in loss_curve.0.minima() {
        // Zoomed in, a minimum elsewhere is off the plot: not drawn over the captions.
        if !plot.contains(plot.to_screen(minimum.x, minimum.y)) {
            continue;
        }
        let at = plot.to_world(minimum.x, minimum.y);
        let colour = pal.minimum.bevy();
        // A small diamond under the curve's lowest point.
        let r = 7.0;
        let diamond = [
            at + Vec2::new(0.0, -r),
            at + Vec2::new(r, 0.0),
            at + Vec2::new(0.0, r),
            at + Vec2::new(-r, 0.0),
        ];
        gizmos.linestrip_2d(diamond.into_iter().chain([diamond[0]]), colour);
        let floor = plot.to_world(minimum.x, plot.y_range.0);
        gizmos.line_2d(floor, at - Vec2::new(0.0, r), pal.minimum.bevy_alpha(0.22));
    }
}
