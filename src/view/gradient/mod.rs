//! Scene 2 on screen, painted with egui: the loss landscape ([`landscape`]), the data with the line and its
//! residuals ([`data`]), the slice L(w) at fixed b with its tangent ([`slice`]), and their tick numbers
//! and axis names ([`axes`]). This file lays the three out and paints them in order.

mod axes;
mod data;
mod landscape;
mod slice;

pub use axes::{Axis, Placed, axis_labels};
pub use landscape::{edge_marker, off_view_label};
pub use slice::{SliceView, slice_caption, slice_view};

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::egui::{self, Align2, Color32, FontId, Pos2};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use crate::EguiPass;
use crate::scene::Scene;
use crate::sim::gradient::{GradientRun, LandscapeView};
use crate::text::LessonText;
use crate::theme::{PANEL_WIDTH, Sizing};
use crate::view::PanelWidth;

/// Nodes of the height map across and down.
const GRID: usize = 64;
/// Contour lines drawn.
const LEVELS: usize = 12;
/// The gradient arrow's length on screen, in logical pixels (its direction is exact; its length is not).
const GRADIENT_ARROW: f32 = 80.0;
/// The data view's fixed range: points are dragged within it.
pub const DATA_X: (f64, f64) = (-1.0, 5.0);
pub const DATA_Y: (f64, f64) = (-2.0, 7.0);
/// The ball's radius on the slice, in logical pixels.
pub const SLICE_BALL: f32 = 8.0;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Layout>().add_systems(
        EguiPrimaryContextPass,
        paint_gradient_scene
            .in_set(EguiPass::Scene)
            .run_if(in_state(Scene::Gradient)),
    );
}

/// Where the three views sit on screen, in logical pixels, and how each maps its numbers.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    pub landscape: Rect,
    pub data: Rect,
    pub slice: Rect,
}

impl Default for Layout {
    fn default() -> Self {
        Self::for_window(Vec2::new(1280.0, 720.0), PANEL_WIDTH)
    }
}

impl Layout {
    /// The views for a window of `window` logical pixels with a panel `panel` wide on the right.
    pub fn for_window(window: Vec2, panel: f32) -> Self {
        let width = (window.x - panel).max(200.0);
        let top = 112.0_f32.min(window.y * 0.3);
        let bottom = (window.y - 40.0).max(top + 60.0);
        let height = bottom - top;
        // Under the landscape: a row of numbers and the axis name "w".
        let side = (width * 0.5 - 70.0).min(height - 40.0).max(60.0);
        let landscape = Rect::new(60.0, top, 60.0 + side, top + side);
        let right = Rect::new(landscape.max.x + 70.0, top, width - 24.0, bottom);
        // Between the data and the slice: the data's x numbers and the slice's caption of up to three lines.
        let gap = 88.0;
        let half = ((right.height() - gap) * 0.5).max(30.0);
        Self {
            landscape,
            data: Rect::new(
                right.min.x,
                right.min.y,
                right.max.x.max(right.min.x + 40.0),
                right.min.y + half,
            ),
            slice: Rect::new(
                right.min.x,
                right.min.y + half + gap,
                right.max.x.max(right.min.x + 40.0),
                right.max.y,
            ),
        }
    }

    /// The screen point of (w, b) on the landscape.
    pub fn to_screen(&self, view: &LandscapeView, w: f64, b: f64) -> Vec2 {
        onto(self.landscape, view.w, view.b, w, b)
    }

    /// The (w, b) under a screen point of the landscape.
    pub fn to_wb(&self, view: &LandscapeView, at: Vec2) -> (f64, f64) {
        let r = self.landscape;
        let fx = f64::from((at.x - r.min.x) / r.width());
        let fy = f64::from((r.max.y - at.y) / r.height());
        (
            view.w.0 + fx * (view.w.1 - view.w.0),
            view.b.0 + fy * (view.b.1 - view.b.0),
        )
    }

    pub fn data_to_screen(&self, x: f64, y: f64) -> Vec2 {
        onto(self.data, DATA_X, DATA_Y, x, y)
    }

    pub fn screen_to_data(&self, at: Vec2) -> (f64, f64) {
        let r = self.data;
        let fx = f64::from((at.x - r.min.x) / r.width());
        let fy = f64::from((r.max.y - at.y) / r.height());
        (
            DATA_X.0 + fx * (DATA_X.1 - DATA_X.0),
            DATA_Y.0 + fy * (DATA_Y.1 - DATA_Y.0),
        )
    }
}

/// The screen point of (x, y) in `rect`, which shows `xs` across and `ys` upwards; kept within +-1e5 pixels
/// so a point far outside still draws as a finite line.
pub(super) fn onto(rect: Rect, xs: (f64, f64), ys: (f64, f64), x: f64, y: f64) -> Vec2 {
    let fx = (x - xs.0) / (xs.1 - xs.0);
    let fy = (y - ys.0) / (ys.1 - ys.0);
    let p = Vec2::new(
        rect.min.x + fx as f32 * rect.width(),
        rect.max.y - fy as f32 * rect.height(),
    );
    p.clamp(Vec2::splat(-1e5), Vec2::splat(1e5))
}

pub(super) fn arrow(painter: &egui::Painter, from: Pos2, to: Pos2, colour: Color32, width: f32) {
    let length = (to - from).length();
    if length < 1.0 {
        painter.circle_filled(from, width + 1.5, colour);
    } else {
        let length = (length * 0.35).min(12.0);
        let head = crate::theme::Head {
            length,
            half_width: 0.5 * length,
        };
        crate::theme::arrow(painter, from, to, colour, width, head);
    }
}

/// What every part of scene 2's painting shares this frame.
#[derive(Clone, Copy)]
struct Canvas<'a> {
    painter: &'a egui::Painter,
    /// Paints the scene's own words, or nothing while the exhibit's attract caption has the top of the
    /// screen.
    words: &'a egui::Painter,
    small: &'a FontId,
    label: &'a FontId,
    layout: &'a Layout,
    run: &'a GradientRun,
    lesson: &'a LessonText,
}

impl Canvas<'_> {
    /// A caption just above `rect`, wrapped to its width plus `wider`.
    fn caption_above(&self, rect: egui::Rect, text: String, colour: Color32, wider: f32) {
        let caption = self
            .painter
            .layout(text, self.small.clone(), colour, rect.width() + wider);
        self.words.galley(
            rect.left_top() - egui::vec2(0.0, caption.size().y + 6.0),
            caption,
            colour,
        );
    }
}

fn paint_gradient_scene(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    gradient: Res<GradientRun>,
    lesson: Res<LessonText>,
    panel: Res<PanelWidth>,
    sizing: Option<Res<Sizing>>,
    shown: Option<Res<crate::scene::Shown>>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut layout: ResMut<Layout>,
    mut cache: Local<landscape::LandscapeCache>,
) -> Result {
    let pal = theme.0;
    let sizing = sizing.as_deref().copied().unwrap_or_default();
    let Some(window) = windows.iter().next() else {
        return Ok(());
    };
    let room = crate::view::bottom_room(shown.as_deref());
    layout.set_if_neq(Layout::for_window(
        Vec2::new(window.width(), window.height() - room),
        panel.0,
    ));
    let ctx = contexts.ctx_mut()?;
    let painter = ctx.layer_painter(egui::LayerId::background());
    // The exhibit's attract caption takes the top of the screen; the scene's own words step aside.
    let words = if shown.is_none_or(|s| s.captions) {
        painter.clone()
    } else {
        painter.with_clip_rect(egui::Rect::NOTHING)
    };
    let canvas = Canvas {
        painter: &painter,
        words: &words,
        small: &FontId::proportional(sizing.text(14.0)),
        label: &FontId::proportional(sizing.text(16.0)),
        layout: &layout,
        run: &gradient,
        lesson: &lesson,
    };
    words.text(
        Pos2::new(24.0, 14.0),
        Align2::LEFT_TOP,
        &lesson.gradient.title,
        FontId::proportional(26.0),
        pal.curve.egui(),
    );
    landscape::paint(&canvas, &mut cache);
    let fit = &gradient.fit;
    // The slice's ranges follow the ball, so its curve is never cut off or empty.
    let slice_range = slice_view(
        &gradient.points,
        &gradient.view,
        fit.w,
        fit.b,
        layout.slice.size(),
        SLICE_BALL,
    );
    axes::paint(&canvas, &slice_range);
    data::paint(&canvas);
    slice::paint(&canvas, &slice_range);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::regression::{Point, lesson_data, loss};

    const SLICE_SIZE: Vec2 = Vec2::new(376.0, 240.0);

    /// The ball at (w, b) on a slice rectangle of `SLICE_SIZE`: how far it sits inside each edge, in pixels.
    fn room_around(points: &[Point], view: &LandscapeView, w: f64, b: f64) -> (SliceView, f32) {
        let slice = slice_view(points, view, w, b, SLICE_SIZE, SLICE_BALL);
        let rect = Rect::from_corners(Vec2::ZERO, SLICE_SIZE);
        let at = slice.to_screen(rect, w, loss(points, w, b));
        let room = (at.x - rect.min.x)
            .min(rect.max.x - at.x)
            .min(at.y - rect.min.y)
            .min(rect.max.y - at.y);
        (slice, room)
    }

    #[test]
    fn the_slice_shows_the_ball_and_the_bottom_of_its_curve_with_room_to_spare() {
        let points = lesson_data();
        let view = LandscapeView::default();
        // The start, the fitted line (the ball at the slice's minimum, L = 0), and lr 0.4's third step.
        for (w, b) in [
            (0.5, 0.0),
            (1.3, 0.4),
            (22.9, 11.2),
            (-5.9, -3.2),
            (1e6, 5e5),
        ] {
            let (slice, room) = room_around(&points, &view, w, b);
            assert!(
                room >= SLICE_BALL + 2.0,
                "ball at ({w}, {b}) only {room} px inside {slice:?}"
            );
            // L(w) at this b bottoms out at w = (3 - b) / 2 with L = 0: that bottom is on the slice too.
            let bottom = (3.0 - b) / 2.0;
            let rect = Rect::from_corners(Vec2::ZERO, SLICE_SIZE);
            let low = slice.to_screen(rect, bottom, 0.0);
            assert!(
                low.x >= 0.0 && low.x <= SLICE_SIZE.x && low.y <= SLICE_SIZE.y - SLICE_BALL - 2.0,
                "the bottom of the slice at ({w}, {b}) is cut off: {low:?} in {slice:?}"
            );
        }
    }

    /// Text sizes as egui lays them out in the program (egui's default fonts, 14 points).
    fn egui_sizes() -> impl Fn(&str) -> Vec2 {
        let ctx = egui::Context::default();
        ctx.run_ui(egui::RawInput::default(), |_| {})
            .drop_without_applying_deltas();
        move |text: &str| {
            let size = ctx.fonts_mut(|f| {
                f.layout_no_wrap(
                    text.to_owned(),
                    FontId::proportional(14.0),
                    Color32::PLACEHOLDER,
                )
                .size()
            });
            Vec2::new(size.x, size.y)
        }
    }

    #[test]
    fn every_axis_has_tick_numbers_that_never_overlap_each_other_or_the_plots() {
        let size = egui_sizes();
        let points = lesson_data();
        let views = [
            LandscapeView::default(),
            LandscapeView::default().zoomed(0.01, (0.3, 0.7)),
            LandscapeView {
                w: (-120.0, 80.0),
                b: (1000.0, 1300.0),
            },
        ];
        for window in [
            Vec2::new(1280.0, 720.0),
            Vec2::new(1920.0, 1080.0),
            Vec2::new(1024.0, 768.0),
            Vec2::new(800.0, 600.0),
        ] {
            let layout = Layout::for_window(window, 360.0);
            for view in views {
                for (w, b) in [(0.5, 0.0), (22.9, 11.2)] {
                    let slice = slice_view(&points, &view, w, b, layout.slice.size(), SLICE_BALL);
                    let labels = axis_labels(&layout, &view, &slice, &size);
                    let case = format!("{window} {view:?} ball ({w}, {b})");
                    for axis in [
                        Axis::LandscapeW,
                        Axis::LandscapeB,
                        Axis::DataX,
                        Axis::DataY,
                        Axis::SliceW,
                        Axis::SliceLoss,
                    ] {
                        let ticks: Vec<&str> = labels
                            .iter()
                            .filter(|(a, p)| *a == axis && p.mark.is_some())
                            .map(|(_, p)| p.text.as_str())
                            .collect();
                        assert!(ticks.len() >= 3, "{case}: {axis:?} has ticks {ticks:?}");
                        if axis == Axis::DataX {
                            assert!(ticks.contains(&"2"), "{case}: x ticks {ticks:?}");
                        }
                        if axis == Axis::DataY {
                            assert!(ticks.contains(&"3"), "{case}: y ticks {ticks:?}");
                        }
                    }
                    let plots = [layout.landscape, layout.data, layout.slice];
                    let screen = Rect::new(0.0, 0.0, window.x - 360.0, window.y);
                    for (i, (_, a)) in labels.iter().enumerate() {
                        let inner = a.rect.inflate(-0.5);
                        assert!(
                            screen.contains(a.rect.min) && screen.contains(a.rect.max),
                            "{case}: {a:?} leaves the scene"
                        );
                        for plot in plots {
                            assert!(
                                inner.intersect(plot).is_empty(),
                                "{case}: {a:?} covers a plot {plot:?}"
                            );
                        }
                        for (_, b) in &labels[i + 1..] {
                            assert!(
                                inner.intersect(b.rect.inflate(-0.5)).is_empty(),
                                "{case}: {a:?} overlaps {b:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_ball_off_the_landscape_gets_a_marker_at_the_edge_pointing_at_it() {
        let layout = Layout::default();
        let view = LandscapeView::default();
        assert_eq!(edge_marker(&layout, &view, 1.0, 0.5, 14.0), None);
        let r = layout.landscape;
        for (w, b) in [
            (22.9, 11.2),
            (-5.9, -3.2),
            (-1e6, 0.2),
            (1.0, 1e9),
            (3.5, -2.5),
        ] {
            let Some((at, towards)) = edge_marker(&layout, &view, w, b, 14.0) else {
                panic!("no marker for ({w}, {b})");
            };
            let inside = (at.x - r.min.x)
                .min(r.max.x - at.x)
                .min(at.y - r.min.y)
                .min(r.max.y - at.y);
            assert!(
                (inside - 14.0).abs() < 0.01,
                "({w}, {b}): the marker {at} is {inside} px inside the edge"
            );
            // The ball's screen point, unclamped, lies straight ahead along `towards`.
            let fx = (w - view.w.0) / (view.w.1 - view.w.0);
            let fy = (b - view.b.0) / (view.b.1 - view.b.0);
            let ball = (
                f64::from(r.min.x) + fx * f64::from(r.width()),
                f64::from(r.max.y) - fy * f64::from(r.height()),
            );
            let ahead = (ball.0 - f64::from(at.x), ball.1 - f64::from(at.y));
            let length = ahead.0.hypot(ahead.1);
            let along = (ahead.0 * f64::from(towards.x) + ahead.1 * f64::from(towards.y)) / length;
            assert!(along > 0.999_999, "({w}, {b}): {towards} vs {ahead:?}");
        }
    }
}
