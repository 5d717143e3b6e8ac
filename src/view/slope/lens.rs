//! The zoom lens: an inset that magnifies the curve around the chord, zooming in as h shrinks, so the curve
//! visibly straightens and the chord stays readable at any h.

use bevy::prelude::*;
use bevy_egui::egui::{self, Align2, FontId, Pos2, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::PlotArea;
use crate::EguiPass;
use crate::math::difference::chord_collapsed;
use crate::math::{Curve, Scheme};
use crate::scene::Scene;
use crate::sim::{ChordStep, DifferenceScheme, LossCurve};
use crate::theme::numbers::{format_h, format_significant};
use crate::theme::pos;

/// The lens shown or not, as the launch said.
fn restore_launch(
    _: On<crate::launch::RestoreLaunch>,
    launch: Res<crate::launch::Launch>,
    mut commands: Commands,
) {
    commands.insert_resource(ZoomLens(launch.lens));
}

/// The lens stays hidden until it magnifies at least this much.
pub const MIN_ZOOM_SHOWN: f64 = 2.0;
/// Samples of the curve across the lens.
const LENS_SAMPLES: usize = 160;

pub fn plugin(app: &mut App) {
    app.init_resource::<ZoomLens>()
        .add_observer(restore_launch)
        .add_systems(
            EguiPrimaryContextPass,
            paint_zoom_lens
                .in_set(EguiPass::Lens)
                .run_if(in_state(Scene::Slope)),
        );
}

/// Whether the zoom lens is shown.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct ZoomLens(pub bool);

impl Default for ZoomLens {
    fn default() -> Self {
        Self(true)
    }
}

/// The lens's rectangle on screen: the plot's top-left corner.
pub fn lens_rect(plot: &PlotArea) -> (Vec2, Vec2) {
    let size = Vec2::new(
        (plot.size().x * 0.4).min(300.0),
        (plot.size().y * 0.45).min(210.0),
    );
    let min = plot.min + Vec2::splat(12.0);
    (min, min + size)
}

/// What the lens shows, in the lens's own pixels from its centre (y down), all worked out in f64 relative
/// to the ball's x so that nothing is lost to cancellation except what f64 itself loses.
#[derive(Clone, Debug, PartialEq)]
pub struct LensView {
    /// How many times bigger than the main plot.
    pub zoom: f64,
    pub curve: Vec<Vec2>,
    pub ball: Vec2,
    pub tangent: [Vec2; 2],
    pub chord: [Vec2; 2],
    /// x + h rounded back to x (or x - h to x + h): the chord has no run left.
    pub collapsed: bool,
}

impl LensView {
    pub fn new(
        curve: &Curve,
        x: f64,
        h: f64,
        scheme: Scheme,
        plot_scale: (f64, f64),
        size: Vec2,
    ) -> Self {
        let (sx, sy) = plot_scale;
        let (a, b) = scheme.ends(x, h);
        let collapsed = chord_collapsed(scheme, x, h);
        // The run the chord really has in f64 (exact: both ends are near x), or the one it should have.
        let run = if collapsed {
            h * if scheme == Scheme::Central { 2.0 } else { 1.0 }
        } else {
            b - a
        };
        let fx = curve.value(x);
        // The chord fills half the lens's width, or most of its height when it is steep.
        let rise = (curve.value(b) - curve.value(a)).abs();
        let across = 0.5 * size.x as f64 / (run.abs() * sx);
        let up = if rise > 0.0 {
            0.7 * size.y as f64 / (rise * sy)
        } else {
            f64::INFINITY
        };
        let zoom = across.min(up).max(1.0);
        let centre_u = match scheme {
            Scheme::Forward => 0.5 * h,
            Scheme::Backward => -0.5 * h,
            Scheme::Central => 0.0,
        };
        let centre_dy = curve.value(x + centre_u) - fx;
        let to_lens = |u: f64, dy: f64| {
            Vec2::new(
                ((u - centre_u) * sx * zoom) as f32,
                (-(dy - centre_dy) * sy * zoom) as f32,
            )
        };
        let half_width_u = size.x as f64 / (2.0 * sx * zoom);
        let samples = (0..LENS_SAMPLES)
            .map(|i| {
                let u =
                    centre_u + (2.0 * i as f64 / (LENS_SAMPLES - 1) as f64 - 1.0) * half_width_u;
                to_lens(u, curve.value(x + u) - fx)
            })
            .filter(|p| p.is_finite())
            .collect();
        let slope = curve.slope(x);
        let reach = 2.0 * half_width_u;
        Self {
            zoom,
            curve: samples,
            ball: to_lens(0.0, 0.0),
            tangent: [
                to_lens(-reach, -slope * reach),
                to_lens(reach, slope * reach),
            ],
            chord: [
                to_lens(a - x, curve.value(a) - fx),
                to_lens(b - x, curve.value(b) - fx),
            ],
            collapsed,
        }
    }
}

/// True when the lens is on and has something to show: a magnification of at least [`MIN_ZOOM_SHOWN`] with
/// the ball on the plot. The overlay keeps its labels and key out of the lens only then.
pub fn lens_is_shown(
    lens: &ZoomLens,
    curve: &crate::math::Curve,
    plot: &PlotArea,
    x: f64,
    h: f64,
    scheme: crate::math::Scheme,
) -> bool {
    if !lens.0 {
        return false;
    }
    let (min, max) = lens_rect(plot);
    let view = LensView::new(curve, x, h, scheme, plot.scale(), max - min);
    view.zoom >= MIN_ZOOM_SHOWN && plot.contains(plot.to_screen(x, curve.value(x)))
}

pub fn paint_zoom_lens(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    lens: Res<ZoomLens>,
    loss_curve: Res<LossCurve>,
    plot: Res<PlotArea>,
    chord: Res<ChordStep>,
    scheme: Res<DifferenceScheme>,
    run: Res<crate::sim::Run>,
    sizing: Res<crate::theme::Sizing>,
    lesson: Res<crate::text::LessonText>,
    shown: Option<Res<crate::scene::Shown>>,
) -> Result {
    let pal = theme.0;
    if !lens.0 {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let (min, max) = lens_rect(&plot);
    let rect = egui::Rect::from_min_max(pos(min), pos(max));
    if rect.width() < 60.0 || rect.height() < 40.0 {
        return Ok(());
    }
    let view = LensView::new(
        &loss_curve.0,
        run.0.x,
        chord.0,
        scheme.0,
        plot.scale(),
        max - min,
    );
    // At a magnification under 2 there is nothing to see that the plot does not already show; with the
    // ball off the plot there is nothing to magnify.
    let x = run.0.x;
    if view.zoom < MIN_ZOOM_SHOWN || !plot.contains(plot.to_screen(x, loss_curve.0.value(x))) {
        return Ok(());
    }
    let painter = ctx
        .layer_painter(egui::LayerId::background())
        .with_clip_rect(rect);
    painter.rect_filled(rect, 8.0, pal.plate.egui());
    let centre = (min + max) / 2.0;
    let at = |p: Vec2| pos(centre + p);
    let curve: Vec<Pos2> = view.curve.iter().map(|&p| at(p)).collect();
    painter.add(egui::Shape::line(curve, Stroke::new(3.0, pal.curve.egui())));
    painter.add(egui::Shape::dashed_line(
        &[at(view.tangent[0]), at(view.tangent[1])],
        Stroke::new(2.5, pal.tangent.egui()),
        10.0,
        6.0,
    ));
    painter.line_segment(
        [at(view.chord[0]), at(view.chord[1])],
        Stroke::new(3.0, pal.chord.egui()),
    );
    for end in view.chord {
        painter.circle_filled(at(end), 5.0, pal.chord.egui());
    }
    painter.circle(
        at(view.ball),
        7.0,
        pal.ball.egui(),
        Stroke::new(2.0, pal.ball_rim.egui()),
    );
    let small = FontId::proportional(sizing.text(14.0));
    // The zoom factor and h are for the curious: not in the attract loop, not for a visitor.
    let technical = shown.is_none_or(|s| s.technical);
    if technical {
        painter.text(
            rect.left_top() + egui::vec2(10.0, 8.0),
            Align2::LEFT_TOP,
            crate::text::fill(
                &lesson.plot.lens,
                &[
                    ("factor", format_significant(view.zoom, 2)),
                    ("h", format_h(chord.0)),
                ],
            ),
            small.clone(),
            pal.text.egui(),
        );
    }
    if view.collapsed && technical {
        painter.text(
            rect.left_bottom() + egui::vec2(10.0, -8.0),
            Align2::LEFT_BOTTOM,
            &lesson.plot.lens_collapsed,
            small,
            pal.warning.egui(),
        );
    }
    // The border goes on last so the curve never hides it.
    painter.rect_stroke(
        rect,
        8.0,
        Stroke::new(1.5, pal.axis.egui()),
        egui::StrokeKind::Inside,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bowl() -> &'static Curve {
        Curve::by_name("bowl").unwrap()
    }

    #[test]
    fn the_lens_zooms_with_h_so_the_chord_fills_half_its_width_or_most_of_its_height() {
        let size = Vec2::new(300.0, 200.0);
        let mut zooms = Vec::new();
        for h in [0.1, 1e-3, 1e-6] {
            let view = LensView::new(bowl(), 1.0, h, Scheme::Forward, (100.0, 50.0), size);
            let width = (view.chord[1].x - view.chord[0].x).abs();
            let height = (view.chord[1].y - view.chord[0].y).abs();
            let fill = (width / 150.0).max(height / 140.0);
            assert!(
                (fill - 1.0).abs() < 0.01,
                "h={h}: chord is {width} x {height} px"
            );
            zooms.push(view.zoom);
        }
        assert!(
            zooms[1] > 90.0 * zooms[0] && zooms[2] > 900.0 * zooms[1],
            "{zooms:?}"
        );
    }

    #[test]
    fn a_steep_chord_still_fits_inside_the_lens() {
        let size = Vec2::new(300.0, 200.0);
        let wave = Curve::by_name("wave").unwrap();
        let view = LensView::new(wave, 1.0, 1e-3, Scheme::Forward, (63.0, 158.0), size);
        for end in view.chord {
            assert!(
                end.x.abs() <= 150.0 && end.y.abs() <= 100.0,
                "chord end {end} leaves the lens"
            );
        }
        assert!((view.chord[1].y - view.chord[0].y).abs() > 0.6 * 200.0);
    }

    #[test]
    fn zoomed_in_far_enough_the_curve_is_straight() {
        let size = Vec2::new(300.0, 200.0);
        let view = LensView::new(
            Curve::by_name("exp").unwrap(),
            1.0,
            1e-4,
            Scheme::Forward,
            (100.0, 50.0),
            size,
        );
        // Every sample lies on the tangent to within a pixel.
        let (t0, t1) = (view.tangent[0], view.tangent[1]);
        let dir = (t1 - t0).normalize();
        let off = view
            .curve
            .iter()
            .map(|p| (*p - t0).perp_dot(dir).abs())
            .fold(0.0, f32::max);
        assert!(off < 1.0, "the curve strays {off} px from the tangent");
    }

    #[test]
    fn a_collapsed_chord_is_reported() {
        let view = LensView::new(
            bowl(),
            1.0,
            1e-16,
            Scheme::Forward,
            (100.0, 50.0),
            Vec2::new(300.0, 200.0),
        );
        assert!(view.collapsed);
        assert_eq!(view.chord[0], view.chord[1]);
        assert!(view.curve.iter().all(|p| p.is_finite()));
    }
}
