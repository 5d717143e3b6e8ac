//! The slope plot under scene 1's plot: f'(x) as a curve of its own on the same x axis, coloured by sign,
//! with the point (x, f'(x)) that moves with the ball, the trace of where the ball has been, and a thin
//! guide through both plots wherever the tangent is flat.

use bevy::prelude::*;
use bevy_egui::egui::{self, FontId, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::curve::axis_ticks;
use super::guides::clip_to_rect;
use super::labels::{Anchor, LabelPlacer};
use super::{PanelWidth, PlotArea};
use crate::math::Curve;
use crate::math::clip::clip_to_band;
use crate::math::slope_curve::{
    Side, SlopeTrace, flat_points, has_corner_at, pieces_by_sign, sample_slope, slope_band,
};
use crate::math::ticks::nice_ticks;
use crate::scene::Scene;
use crate::sim::{LossCurve, PointerDrag, Run};
use crate::text::{LessonText, fill};
use crate::theme::numbers::format_number;
use crate::theme::{Palette, palette, pos};
use crate::{AppSystems, EguiPass};

/// Pixels between samples of f': as fine as the curve above.
const PIXELS_PER_SAMPLE: f32 = 1.5;
/// Half the width of the short level stroke drawn on the curve where its tangent is flat.
const FLAT_TANGENT_HALF: f32 = 34.0;
/// Radius of the point (x, f'(x)).
pub const POINT_RADIUS: f32 = 7.0;

pub(super) fn plugin(app: &mut App) {
    app.init_gizmo_group::<SlopeGizmos>()
        .init_resource::<SlopePlot>()
        .init_resource::<SlopeShape>()
        .init_resource::<SlopePlotArea>()
        .init_resource::<SlopeCurveTrace>()
        .init_resource::<SlopePoint>()
        .add_observer(restore_launch)
        .add_systems(
            Update,
            style_slope_gizmos.run_if(resource_exists_and_changed::<crate::view::LineWidths>),
        )
        .add_systems(
            Update,
            (
                measure_slope_shape
                    .run_if(resource_changed::<LossCurve>)
                    .before(super::super::fit_plot_to_window),
                (
                    trace_slope_curve.run_if(
                        resource_changed::<SlopePlotArea>.or_eager(resource_changed::<LossCurve>),
                    ),
                    record_where_the_ball_has_been,
                    trace_where_the_ball_has_been,
                    place_slope_point,
                    draw_slope_plot,
                )
                    .chain()
                    .after(super::super::fit_plot_to_window),
            )
                .in_set(AppSystems::View),
        )
        .add_systems(
            EguiPrimaryContextPass,
            paint_slope_plot_labels
                .in_set(EguiPass::Scene)
                .after(super::overlay::paint_scene_overlay)
                .run_if(in_state(Scene::Slope)),
        );
}

/// Whether the slope plot is shown, and whether it shows all of f' or only where the ball has been.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlopePlot {
    pub shown: bool,
    /// Draw f' only where the ball (or a drag of it) has been, so it appears point by point.
    pub trace: bool,
}

/// Shown or not, traced or not, as the launch said; the trace starts empty.
pub fn restore_launch(
    _: On<crate::launch::RestoreLaunch>,
    launch: Res<crate::launch::Launch>,
    mut commands: Commands,
) {
    commands.insert_resource(SlopePlot {
        shown: launch.slope_plot || launch.trace,
        trace: launch.trace,
    });
    commands.insert_resource(SlopeCurveTrace::default());
}

/// What the slope plot shows of the curve: the band of f' values, and where f' is zero.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct SlopeShape {
    /// The curve these belong to, by name.
    pub curve: String,
    pub band: (f64, f64),
    /// Where the tangent is flat, left to right.
    pub flats: Vec<f64>,
}

impl SlopeShape {
    pub fn of(curve: &Curve) -> Self {
        Self {
            curve: curve.name.clone(),
            band: slope_band(curve, curve.x_range),
            flats: flat_points(curve, curve.x_range),
        }
    }
}

impl Default for SlopeShape {
    fn default() -> Self {
        Self::of(&LossCurve::default().0)
    }
}

pub fn measure_slope_shape(loss_curve: Res<LossCurve>, mut shape: ResMut<SlopeShape>) {
    if shape.curve != loss_curve.0.name {
        *shape = SlopeShape::of(&loss_curve.0);
    }
}

/// Where the slope plot sits on screen, when it is shown: the same x mapping as the plot above it, and the
/// band of f' values as its y range.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct SlopePlotArea(pub Option<PlotArea>);

/// f' in world coordinates, cut into pieces on one side of zero each; the trace of where the ball has
/// been; and the trace drawn, remade only when the trace or the plot changes.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct SlopeCurveTrace {
    /// The curve these belong to, by name.
    pub curve: String,
    pub pieces: Vec<(Side, Vec<Vec2>)>,
    pub trace: SlopeTrace,
    /// The trace's runs of two points or more, as pieces in world coordinates ...
    pub traced: Vec<(Side, Vec<Vec2>)>,
    /// ... its single points (steps' landings) on screen ...
    pub dots: Vec<(Side, Vec2)>,
    /// ... and the trace revision and plot they were made for.
    made_for: Option<(u64, PlotArea)>,
}

impl Default for SlopeCurveTrace {
    fn default() -> Self {
        let curve = LossCurve::default().0;
        Self {
            curve: curve.name.clone(),
            pieces: Vec::new(),
            trace: SlopeTrace::new(curve.x_range),
            traced: Vec::new(),
            dots: Vec::new(),
            made_for: None,
        }
    }
}

/// The point (x, f'(x)) this frame, at the run's x (as the tangent is): its height is the tangent's slope.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct SlopePoint {
    pub x: f64,
    /// f'(x) at the run's x, as [`Guides`] has it for the tangent: the same number.
    pub slope: f64,
    /// Where it is drawn (logical pixels), kept inside the plot; `None` where f' is not a number.
    pub screen: Option<Vec2>,
    /// f' is beyond the band (or infinite): the point sits on the plot's edge, drawn hollow.
    pub clamped: bool,
    /// The curve has a corner here: the value is a convention, not a slope.
    pub corner: bool,
}

/// Round-jointed lines for f'.
#[derive(Default, Reflect, GizmoConfigGroup)]
pub struct SlopeGizmos;

/// Line widths as the theme and the window's scale draw them, set again when either changes.
fn style_slope_gizmos(mut store: ResMut<GizmoConfigStore>, widths: Res<crate::view::LineWidths>) {
    let (config, _) = store.config_mut::<SlopeGizmos>();
    config.line.width = widths.px(3.5);
    config.line.joints = GizmoLineJoint::Round(6);
}

pub fn trace_slope_curve(
    loss_curve: Res<LossCurve>,
    area: Res<SlopePlotArea>,
    shape: Res<SlopeShape>,
    mut trace: ResMut<SlopeCurveTrace>,
) {
    // A new curve starts a new trace.
    if trace.curve != loss_curve.0.name || trace.trace.x_range() != loss_curve.0.x_range {
        trace.curve = loss_curve.0.name.clone();
        trace.trace = SlopeTrace::new(loss_curve.0.x_range);
        trace.made_for = None;
    }
    let Some(area) = area.0 else {
        trace.pieces.clear();
        return;
    };
    let count = (area.size().x / PIXELS_PER_SAMPLE).clamp(64.0, 4096.0) as usize;
    let points = sample_slope(&loss_curve.0, area.x_range, count);
    trace.pieces = world_pieces(&area, &points, shape.band);
}

/// Sign-split pieces of `points`, cut to the band and put in world coordinates.
fn world_pieces(
    area: &PlotArea,
    points: &[(f64, f64)],
    band: (f64, f64),
) -> Vec<(Side, Vec<Vec2>)> {
    pieces_by_sign(points, band)
        .into_iter()
        .flat_map(|(side, piece)| {
            clip_to_band(&piece, area.y_range.0, area.y_range.1)
                .into_iter()
                .map(move |cut| {
                    (
                        side,
                        cut.into_iter()
                            .map(|(x, s)| area.to_world(x, s))
                            .collect::<Vec<_>>(),
                    )
                })
        })
        .collect()
}

/// Adds the run's x to the trace: a step lands on one point, a drag (the ball placed again and again)
/// passes over everything between. Nothing is traced while the plot is hidden or the trace is off; hiding
/// the plot keeps the trace, switching the trace on starts it afresh.
pub fn record_where_the_ball_has_been(
    plot: Res<SlopePlot>,
    run: Res<Run>,
    loss_curve: Res<LossCurve>,
    drag: Res<PointerDrag>,
    mut trace: ResMut<SlopeCurveTrace>,
    mut was_tracing: Local<bool>,
) {
    if plot.trace && !*was_tracing {
        trace.trace.clear();
    }
    *was_tracing = plot.trace;
    if !(plot.shown && plot.trace) {
        return;
    }
    // A run at step 0 was put where it is (a drag, a click, a script, a reset); later steps were taken.
    let placed = run.0.step == 0 || drag.grab.is_some();
    let curve = &loss_curve.0;
    trace.trace.visit(run.0.x, |x| curve.slope(x), placed);
}

/// The trace as it is drawn, remade when a point was added or the plot moved.
pub fn trace_where_the_ball_has_been(
    area: Res<SlopePlotArea>,
    shape: Res<SlopeShape>,
    mut trace: ResMut<SlopeCurveTrace>,
) {
    let Some(area) = area.0 else { return };
    let wanted = Some((trace.trace.revision(), area));
    if trace.made_for == wanted {
        return;
    }
    let mut traced = Vec::new();
    let mut dots = Vec::new();
    for run in trace.trace.runs() {
        match run[..] {
            [(x, slope)] => {
                let at = area.to_screen(x, slope);
                if slope.is_finite() && area.contains(at) {
                    dots.push((Side::of(slope), at));
                }
            }
            _ => traced.extend(world_pieces(&area, &run, shape.band)),
        }
    }
    trace.traced = traced;
    trace.dots = dots;
    trace.made_for = wanted;
}

/// The point at the run's x. Its slope is worked out from the run's x as the tangent's is, in the same
/// frame from the same run, so the two are one number whichever system runs first.
pub fn place_slope_point(
    loss_curve: Res<LossCurve>,
    area: Res<SlopePlotArea>,
    run: Res<Run>,
    mut point: ResMut<SlopePoint>,
) {
    let Some(area) = area.0 else { return };
    let x = run.0.x;
    let slope = loss_curve.0.slope(x);
    let (screen, clamped) = if slope.is_nan() {
        (None, false)
    } else {
        let at = area.to_screen(x, slope);
        let inside = at.clamp(area.min, area.max);
        (Some(inside), inside != at || slope.is_infinite())
    };
    point.set_if_neq(SlopePoint {
        x,
        slope,
        screen,
        clamped,
        corner: has_corner_at(&loss_curve.0, x),
    });
}

fn draw_slope_plot(
    theme: Res<crate::theme::Theme>,
    plot_choice: Res<SlopePlot>,
    plot: Res<PlotArea>,
    area: Res<SlopePlotArea>,
    shape: Res<SlopeShape>,
    loss_curve: Res<LossCurve>,
    curve_trace: Res<SlopeCurveTrace>,
    point: Res<SlopePoint>,
    mut gizmos: Gizmos,
    mut slope_gizmos: Gizmos<SlopeGizmos>,
) {
    let pal = theme.0;
    let Some(area) = area.0 else { return };
    let curve = &*loss_curve.0;
    let (x_ticks, _) = axis_ticks(&plot);
    let (x0, x1) = area.x_range;
    let (s0, s1) = area.y_range;
    for &x in &x_ticks {
        gizmos.line_2d(area.to_world(x, s0), area.to_world(x, s1), pal.grid.bevy());
    }
    for &s in &slope_ticks(&area) {
        gizmos.line_2d(area.to_world(x0, s), area.to_world(x1, s), pal.grid.bevy());
    }
    // The zero line is the plot's x axis: where f' = 0 and the tangent is flat.
    let axis = pal.axis.bevy();
    gizmos.line_2d(area.to_world(x0, 0.0), area.to_world(x1, 0.0), axis);
    let ox = 0.0f64.clamp(x0, x1);
    gizmos.line_2d(area.to_world(ox, s0), area.to_world(ox, s1), axis);

    let drawn = if plot_choice.trace {
        &curve_trace.traced
    } else {
        &curve_trace.pieces
    };
    for (side, piece) in drawn {
        slope_gizmos.linestrip_2d(piece.iter().copied(), side_colour(pal, *side).bevy());
    }

    // Flat tangents: a level stroke on the curve above, and a guide down through both plots to f' = 0.
    let guide = pal.flat_guide.bevy_alpha(0.55);
    for &x in &shape.flats {
        if !(plot.x_range.0..=plot.x_range.1).contains(&x) {
            continue;
        }
        let top = plot.to_screen(x, plot.y_range.1);
        let bottom = area.to_screen(x, area.y_range.0);
        gizmos.line_2d(
            plot.screen_to_world(top),
            plot.screen_to_world(bottom),
            guide,
        );
        let on_curve = plot.to_screen(x, curve.value(x));
        let half = Vec2::new(FLAT_TANGENT_HALF, 0.0);
        if let Some([a, b]) = clip_to_rect(on_curve - half, on_curve + half, plot.min, plot.max) {
            gizmos.line_2d(
                plot.screen_to_world(a),
                plot.screen_to_world(b),
                pal.tangent.bevy_alpha(0.8),
            );
        }
        gizmos.circle_2d(area.to_world(x, 0.0), 4.5, pal.flat_guide.bevy());
    }

    // The point's height is drawn as a stem from the zero line: the slope as a length.
    if let Some(screen) = point.screen
        && !point.corner
    {
        let foot = area.to_screen(point.x, 0.0).clamp(area.min, area.max);
        gizmos.line_2d(
            area.screen_to_world(foot),
            area.screen_to_world(screen),
            pal.tangent.bevy_alpha(0.75),
        );
    }
}

/// The colour of f' on each side of zero, as the sentence above the plot says it.
pub fn side_colour(pal: &Palette, side: Side) -> palette::Rgb {
    match side {
        Side::Rising => pal.rising,
        Side::Falling => pal.falling,
        Side::Flat => pal.flat_guide,
    }
}

/// The tick values of the slope plot's own y axis.
pub fn slope_ticks(area: &PlotArea) -> Vec<f64> {
    let count = (area.size().y / 45.0).clamp(3.0, 8.0) as usize;
    nice_ticks(area.y_range.0, area.y_range.1, count)
}

fn paint_slope_plot_labels(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    lesson: Res<LessonText>,
    plot_choice: Res<SlopePlot>,
    area: Res<SlopePlotArea>,
    panel: Res<PanelWidth>,
    curve_trace: Res<SlopeCurveTrace>,
    point: Res<SlopePoint>,
    sizing: Res<crate::theme::Sizing>,
    shown: Option<Res<crate::scene::Shown>>,
) -> Result {
    let pal = theme.0;
    let Some(area) = area.0 else { return Ok(()) };
    // The attract loop and a visitor read everyday words, not f'(x).
    let technical = shown.is_none_or(|s| s.technical);
    let ctx = contexts.ctx_mut()?;
    let painter = super::overlay::scene_painter(ctx, &area, &panel);
    let words = &lesson.derivative;
    let small = FontId::proportional(sizing.text(14.0));
    let name_font = FontId::proportional(sizing.text(16.0));
    let mut placer = LabelPlacer::within(Rect::from_corners(
        area.min - Vec2::new(64.0, 24.0),
        area.max + Vec2::new(0.0, 24.0),
    ));
    let put = |placer: &mut LabelPlacer,
               text: String,
               font: &FontId,
               colour: egui::Color32,
               places: &[(Vec2, Anchor)]| {
        let galley = painter.layout_no_wrap(text, font.clone(), colour);
        let size = Vec2::new(galley.size().x, galley.size().y);
        if let Some(rect) = placer.place(size, places) {
            painter.galley(pos(rect.min), galley, colour);
        }
    };
    // The point first: nothing may cover it; then the tick numbers; and no word is written over f' itself.
    if let Some(screen) = point.screen {
        placer.reserve(Rect::from_center_half_size(
            screen,
            Vec2::splat(POINT_RADIUS + 2.0),
        ));
    }
    let ox = 0.0f64.clamp(area.x_range.0, area.x_range.1);
    for s in slope_ticks(&area) {
        let at = area.to_screen(ox, s) - Vec2::new(10.0, 0.0);
        put(
            &mut placer,
            format_number(s),
            &small,
            pal.label.egui(),
            &[(at, Anchor::RightCenter)],
        );
    }
    let pieces = if plot_choice.trace {
        &curve_trace.traced
    } else {
        &curve_trace.pieces
    };
    let drawn = pieces
        .iter()
        .flat_map(|(_, piece)| piece.iter().map(|&w| area.world_to_screen(w)))
        .chain(curve_trace.dots.iter().map(|&(_, at)| at));
    for p in drawn.step_by(3) {
        placer.reserve(Rect::from_center_half_size(p, Vec2::splat(3.0)));
    }
    let value = if point.slope.is_nan() {
        words.no_slope.clone()
    } else if point.corner {
        words.corner.clone()
    } else {
        let template = if technical {
            &words.point
        } else {
            &words.point_plain
        };
        fill(template, &[("slope", format_number(point.slope))])
    };
    // Where f' is not a number there is no point: its words go by the zero line under the ball.
    let p = point
        .screen
        .unwrap_or_else(|| area.to_screen(point.x, 0.0).clamp(area.min, area.max));
    let r = POINT_RADIUS + 8.0;
    put(
        &mut placer,
        value,
        &name_font,
        pal.tangent.egui(),
        &[
            (p + Vec2::new(r, -r), Anchor::LeftBottom),
            (p + Vec2::new(-r, -r), Anchor::RightBottom),
            (p + Vec2::new(r, r), Anchor::LeftTop),
            (p + Vec2::new(-r, r), Anchor::RightTop),
            (p + Vec2::new(r, 0.0), Anchor::LeftCenter),
            (p + Vec2::new(-r, 0.0), Anchor::RightCenter),
        ],
    );
    let corner_top = Vec2::new(area.min.x + 8.0, area.min.y + 4.0);
    put(
        &mut placer,
        if technical {
            words.name.clone()
        } else {
            words.name_plain.clone()
        },
        &name_font,
        pal.label.egui(),
        &[
            (corner_top, Anchor::LeftTop),
            (
                Vec2::new(area.min.x + 0.5 * area.size().x, area.min.y + 4.0),
                Anchor::CenterTop,
            ),
            (
                Vec2::new(area.max.x - 8.0, area.min.y + 4.0),
                Anchor::RightTop,
            ),
            (
                Vec2::new(area.min.x + 8.0, area.max.y - 4.0),
                Anchor::LeftBottom,
            ),
        ],
    );
    // Each side of zero is named where f' leaves room: by the zero line, or in a corner of its half.
    let (left, right) = (area.min.x + 8.0, area.max.x - 8.0);
    let middle = area.min.x + 0.5 * area.size().x;
    let zero_y = area.to_screen(ox, 0.0).y;
    if zero_y - area.min.y > 40.0 {
        let top = area.min.y + 28.0;
        put(
            &mut placer,
            words.rising.clone(),
            &small,
            pal.rising.egui(),
            &[
                (Vec2::new(right, zero_y - 8.0), Anchor::RightBottom),
                (Vec2::new(left, zero_y - 8.0), Anchor::LeftBottom),
                (Vec2::new(middle, zero_y - 8.0), Anchor::CenterBottom),
                (Vec2::new(right, top), Anchor::RightTop),
                (Vec2::new(left, top), Anchor::LeftTop),
                (Vec2::new(middle, top), Anchor::CenterTop),
            ],
        );
    }
    if area.max.y - zero_y > 40.0 {
        let bottom = area.max.y - 4.0;
        put(
            &mut placer,
            words.falling.clone(),
            &small,
            pal.falling.egui(),
            &[
                (Vec2::new(right, zero_y + 8.0), Anchor::RightTop),
                (Vec2::new(left, zero_y + 8.0), Anchor::LeftTop),
                (Vec2::new(middle, zero_y + 8.0), Anchor::CenterTop),
                (Vec2::new(right, bottom), Anchor::RightBottom),
                (Vec2::new(left, bottom), Anchor::LeftBottom),
                (Vec2::new(middle, bottom), Anchor::CenterBottom),
            ],
        );
    }
    if plot_choice.trace && curve_trace.trace.len() < 3 {
        put(
            &mut placer,
            words.trace_hint.clone(),
            &small,
            pal.text.egui(),
            &[
                (
                    Vec2::new(area.min.x + 0.5 * area.size().x, area.min.y + 30.0),
                    Anchor::CenterTop,
                ),
                (
                    Vec2::new(area.min.x + 0.5 * area.size().x, area.max.y - 8.0),
                    Anchor::CenterBottom,
                ),
            ],
        );
    }
    // The traced single points (steps), then the moving point over everything.
    if plot_choice.trace {
        for &(side, at) in &curve_trace.dots {
            painter.circle_filled(pos(at), 4.0, side_colour(pal, side).egui());
        }
    }
    if let Some(screen) = point.screen {
        // Hollow at a corner (no slope) and on the edge (the slope is beyond what the plot shows).
        if point.corner || point.clamped {
            painter.circle(
                pos(screen),
                POINT_RADIUS,
                pal.background.egui(),
                Stroke::new(2.5, pal.tangent.egui()),
            );
        } else {
            painter.circle(
                pos(screen),
                POINT_RADIUS,
                pal.tangent.egui(),
                Stroke::new(2.0, pal.ball_rim.egui()),
            );
        }
    }
    Ok(())
}
