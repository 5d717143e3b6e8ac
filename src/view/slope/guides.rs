//! The tangent at the ball (orange, dashed) and the chord from x to x + h with its rise-over-run triangle.

use bevy::prelude::*;

use super::PlotArea;
use crate::AppSystems;
use crate::math::{Curve, Scheme};
use crate::sim::{ChordStep, DifferenceScheme, LossCurve, Run};

pub(super) fn plugin(app: &mut App) {
    app.init_gizmo_group::<TangentGizmos>()
        .init_gizmo_group::<ChordGizmos>()
        .init_resource::<Guides>()
        .add_systems(
            Update,
            style_guide_gizmos.run_if(resource_exists_and_changed::<crate::view::LineWidths>),
        )
        .add_systems(
            Update,
            (measure_guides, draw_tangent_and_chord)
                .chain()
                .in_set(AppSystems::View)
                .after(super::ball::place_ball_on_curve)
                // The rise and run share gizmos with the grid: drawn after it, a leg lying on a grid line
                // (x = 2.5 at 1920x1080) stays visible instead of being painted over.
                .after(super::curve::draw_grid_and_axes),
        );
}

/// This frame's guides, measured once for the gizmos and the overlay that labels them.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct Guides(pub GuideGeometry);

impl Default for Guides {
    fn default() -> Self {
        let plot = PlotArea::default();
        let curve = crate::sim::LossCurve::default().0;
        Self(GuideGeometry::new(
            &plot,
            &curve,
            curve.default_start,
            1.0,
            Scheme::Forward,
        ))
    }
}

pub fn measure_guides(
    loss_curve: Res<LossCurve>,
    plot: Res<PlotArea>,
    chord: Res<ChordStep>,
    scheme: Res<DifferenceScheme>,
    run: Res<Run>,
    mut guides: ResMut<Guides>,
) {
    // At the run's x, not where the gliding ball is drawn: every line and number describes the step's state,
    // and the glide between two steps is only motion.
    guides.set_if_neq(Guides(GuideGeometry::new(
        &plot,
        &loss_curve.0,
        run.0.x,
        chord.0,
        scheme.0,
    )));
}

/// Dashed lines for the tangent.
#[derive(Default, Reflect, GizmoConfigGroup)]
pub struct TangentGizmos;

/// Slightly heavier lines for the chord.
#[derive(Default, Reflect, GizmoConfigGroup)]
pub struct ChordGizmos;

/// Line widths as the theme and the window's scale draw them, set again when either changes.
fn style_guide_gizmos(mut store: ResMut<GizmoConfigStore>, widths: Res<crate::view::LineWidths>) {
    let (config, _) = store.config_mut::<TangentGizmos>();
    config.line.width = widths.px(3.0);
    config.line.style = GizmoLineStyle::Dashed {
        gap_scale: 2.5,
        line_scale: 5.0,
    };
    let (config, _) = store.config_mut::<ChordGizmos>();
    config.line.width = widths.px(3.0);
}

/// Where the guides go on screen (logical pixels, y down) for the ball at `x`, a chord step `h` and a scheme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GuideGeometry {
    /// The ball's centre: the point (x, f(x)).
    pub ball: Vec2,
    /// The two ends of the drawn tangent.
    pub tangent: [Vec2; 2],
    /// The chord's first point: (x, f(x)) forward, (x - h, f(x - h)) backward and central.
    pub chord_start: Vec2,
    /// The chord's second point: (x + h, f(x + h)) forward and central, (x, f(x)) backward.
    pub chord_end: Vec2,
    /// The corner of the rise-over-run triangle, below or above the second point at the first's height.
    pub run_corner: Vec2,
    /// The chord's line, drawn past both ends so its slope reads even when h is tiny.
    pub secant: [Vec2; 2],
    /// f'(x), exact.
    pub slope: f64,
    /// The chord's slope, computed in f64 as the scheme says.
    pub chord_slope: f64,
}

impl GuideGeometry {
    pub fn new(plot: &PlotArea, curve: &Curve, x: f64, h: f64, scheme: Scheme) -> Self {
        let ball = plot.to_screen(x, curve.value(x));
        let slope = curve.slope(x);
        let chord_slope = scheme.slope(|t| curve.value(t), x, h);
        let half = (plot.size().x * 0.27).clamp(60.0, 360.0);
        let along = |m: f64| {
            let (sx, sy) = plot.scale();
            let d = Vec2::new(sx as f32, (-m * sy) as f32);
            if d.is_finite() && d.length() > 0.0 {
                d.normalize()
            } else if m.is_infinite() {
                // A vertical chord: the run is too small for the rise.
                Vec2::NEG_Y * m.signum() as f32
            } else {
                // Flat, or no slope at all (an undefined point): drawn level, never as NaN.
                Vec2::X
            }
        };
        let t = along(slope);
        let (a, b) = scheme.ends(x, h);
        let fa = curve.value(a);
        let chord_start = plot.to_screen(a, fa);
        let chord_end = plot.to_screen(b, curve.value(b));
        let run_corner = plot.to_screen(b, fa);
        let s = along(chord_slope);
        let middle = (chord_start + chord_end) / 2.0;
        let reach = half.max(chord_start.distance(chord_end) / 2.0 + 50.0);
        Self {
            ball,
            tangent: [ball - t * half, ball + t * half],
            chord_start,
            chord_end,
            run_corner,
            secant: [middle - s * reach, middle + s * reach],
            slope,
            chord_slope,
        }
    }
}

/// The part of the segment from `a` to `b` inside the rectangle `min`..`max` (Liang-Barsky), if any.
pub fn clip_to_rect(a: Vec2, b: Vec2, min: Vec2, max: Vec2) -> Option<[Vec2; 2]> {
    let d = b - a;
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [
        (-d.x, a.x - min.x),
        (d.x, max.x - a.x),
        (-d.y, a.y - min.y),
        (d.y, max.y - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1 && a.is_finite() && b.is_finite()).then(|| [a + d * t0, a + d * t1])
}

fn draw_tangent_and_chord(
    theme: Res<crate::theme::Theme>,
    plot: Res<PlotArea>,
    guides: Res<Guides>,
    mut tangent_gizmos: Gizmos<TangentGizmos>,
    mut chord_gizmos: Gizmos<ChordGizmos>,
    mut gizmos: Gizmos,
) {
    let pal = theme.0;
    let g = guides.0;
    // Everything is cut to the plot, so no line runs over the captions or under the panel.
    let line = |gizmos: &mut Gizmos, a: Vec2, b: Vec2, colour: Color| {
        if let Some([a, b]) = clip_to_rect(a, b, plot.min, plot.max) {
            gizmos.line_2d(plot.screen_to_world(a), plot.screen_to_world(b), colour);
        }
    };
    line(
        &mut gizmos,
        g.secant[0],
        g.secant[1],
        pal.chord.bevy_alpha(0.45),
    );
    let faint = pal.chord.bevy_alpha(0.7);
    line(&mut gizmos, g.chord_start, g.run_corner, faint);
    line(&mut gizmos, g.run_corner, g.chord_end, faint);
    if let Some([a, b]) = clip_to_rect(g.chord_start, g.chord_end, plot.min, plot.max) {
        chord_gizmos.line_2d(
            plot.screen_to_world(a),
            plot.screen_to_world(b),
            pal.chord.bevy(),
        );
    }
    if let Some([a, b]) = clip_to_rect(g.tangent[0], g.tangent[1], plot.min, plot.max) {
        tangent_gizmos.line_2d(
            plot.screen_to_world(a),
            plot.screen_to_world(b),
            pal.tangent.bevy(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tangent_is_centred_on_the_ball_and_as_steep_as_the_slope() {
        let curve = Curve::by_name("bowl").unwrap();
        let plot = PlotArea::default();
        let g = GuideGeometry::new(&plot, curve, 1.5, 0.1, Scheme::Forward);
        assert_eq!(g.slope, 3.0);
        let middle = (g.tangent[0] + g.tangent[1]) / 2.0;
        assert!(middle.distance(g.ball) < 1e-3);
        let (sx, sy) = plot.scale();
        let d = g.tangent[1] - g.tangent[0];
        let slope_on_screen = -(d.y as f64 / sy) / (d.x as f64 / sx);
        assert!((slope_on_screen - 3.0).abs() < 1e-3);
    }

    #[test]
    fn segments_are_cut_to_the_rectangle() {
        let (min, max) = (Vec2::ZERO, Vec2::splat(10.0));
        assert_eq!(
            clip_to_rect(Vec2::new(-5.0, 5.0), Vec2::new(15.0, 5.0), min, max),
            Some([Vec2::new(0.0, 5.0), Vec2::new(10.0, 5.0)])
        );
        assert_eq!(
            clip_to_rect(Vec2::new(-5.0, -5.0), Vec2::new(-1.0, 20.0), min, max),
            None
        );
        assert_eq!(
            clip_to_rect(Vec2::new(2.0, 2.0), Vec2::new(3.0, 3.0), min, max),
            Some([Vec2::new(2.0, 2.0), Vec2::new(3.0, 3.0)])
        );
        assert_eq!(clip_to_rect(Vec2::NAN, Vec2::ONE, min, max), None);
    }

    #[test]
    fn the_chord_on_the_bowl_has_slope_two_x_plus_h() {
        let curve = Curve::by_name("bowl").unwrap();
        let g = GuideGeometry::new(&PlotArea::default(), curve, 1.0, 0.5, Scheme::Forward);
        assert_eq!(g.chord_slope, 2.5);
        assert_eq!(g.chord_start, g.ball);
    }

    #[test]
    fn the_central_chord_on_the_bowl_is_parallel_to_the_tangent() {
        let curve = Curve::by_name("bowl").unwrap();
        let g = GuideGeometry::new(&PlotArea::default(), curve, 1.0, 0.5, Scheme::Central);
        assert_eq!(g.chord_slope, g.slope);
        let chord = (g.chord_end - g.chord_start).normalize();
        let tangent = (g.tangent[1] - g.tangent[0]).normalize();
        assert!(chord.perp_dot(tangent).abs() < 1e-4);
    }
}
