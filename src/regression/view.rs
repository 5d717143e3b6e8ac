//! Scene 2 on screen: the loss landscape as a height map with contours, the ball at (w, b) with the gradient
//! and the step, the path so far; the data with the line and its residuals; and the slice L(w) at fixed b
//! with its tangent, so dL/dw is the slope of a curve again.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::egui::{self, Align2, Color32, FontId, Pos2, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::panel::four;
use super::{Regression, Scene, showing};
use crate::math::contour::Grid;
use crate::math::regression::{Point, loss, loss_at};
use crate::math::ticks::nice_step;
use crate::text::{LessonText, fill};
use crate::theme::{palette, pos};
use crate::ui::numbers::format_number;
use crate::ui::{PanelSystems, Sizing};
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
    app.add_systems(
        EguiPrimaryContextPass,
        paint_regression_scene
            .before(PanelSystems)
            .run_if(showing(Scene::Regression)),
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
        Self::for_window(Vec2::new(1280.0, 720.0), 360.0)
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
    pub fn to_screen(&self, view: &super::LandscapeView, w: f64, b: f64) -> Vec2 {
        onto(self.landscape, view.w, view.b, w, b)
    }

    /// The (w, b) under a screen point of the landscape.
    pub fn to_wb(&self, view: &super::LandscapeView, at: Vec2) -> (f64, f64) {
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

/// A view that shows the start, the whole path, the current (w, b) and the best line, with a margin.
pub fn framing(regression: &Regression) -> super::LandscapeView {
    let fit = &regression.fit;
    let mut ws: Vec<f64> = fit
        .path
        .iter()
        .map(|p| p.0)
        .chain([fit.w, fit.start.0])
        .collect();
    let mut bs: Vec<f64> = fit
        .path
        .iter()
        .map(|p| p.1)
        .chain([fit.b, fit.start.1])
        .collect();
    if let Some((w, b)) = crate::math::regression::least_squares(&regression.points) {
        ws.push(w);
        bs.push(b);
    }
    let span = |v: &[f64]| {
        let lo = v
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::INFINITY, f64::min);
        let hi = v
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            return (-1.0, 1.0);
        }
        let pad = ((hi - lo) * 0.2).max(0.5);
        (lo - pad, hi + pad)
    };
    super::LandscapeView {
        w: span(&ws),
        b: span(&bs),
    }
}

/// The ranges the slice L(w) at fixed b shows: w across, the loss up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SliceView {
    pub w: (f64, f64),
    pub loss: (f64, f64),
}

impl SliceView {
    /// The screen point of (w, L) in the slice's rectangle `rect`.
    pub fn to_screen(&self, rect: Rect, w: f64, l: f64) -> Vec2 {
        onto(rect, self.w, self.loss, w, l)
    }
}

/// The screen point of (x, y) in `rect`, which shows `xs` across and `ys` upwards; kept within +-1e5 pixels
/// so a point far outside still draws as a finite line.
fn onto(rect: Rect, xs: (f64, f64), ys: (f64, f64), x: f64, y: f64) -> Vec2 {
    let fx = (x - xs.0) / (xs.1 - xs.0);
    let fy = (y - ys.0) / (ys.1 - ys.0);
    let p = Vec2::new(
        rect.min.x + fx as f32 * rect.width(),
        rect.max.y - fy as f32 * rect.height(),
    );
    p.clamp(Vec2::splat(-1e5), Vec2::splat(1e5))
}

/// Where L(w) at fixed b bottoms out, or `None` when it does not depend on w (every x is 0).
fn slice_bottom(points: &[Point], b: f64) -> Option<f64> {
    let sxx: f64 = points.iter().map(|p| p.x * p.x).sum();
    let sxy: f64 = points.iter().map(|p| p.x * (p.y - b)).sum();
    let w = sxy / sxx;
    (sxx > 1e-12 && w.is_finite()).then_some(w)
}

/// What the slice shows for the ball at (w, b), on a slice `size` logical pixels big with a ball `ball`
/// pixels in radius. Across: the landscape's w range while the ball is well inside it; once the ball nears
/// or leaves its edge, a range from the view and the curve's bottom out to the ball, so the slice follows
/// it. Up: from the lowest to the highest loss shown, with room for the ball above and below, so a ball
/// at the bottom is not cut in half and a ball far up the wall is not off the top.
pub fn slice_view(
    points: &[Point],
    view: &super::LandscapeView,
    w: f64,
    b: f64,
    size: Vec2,
    ball: f32,
) -> SliceView {
    // The ball's radius plus a little, as a fraction of the slice's size, kept sane for tiny slices.
    let room = |pixels: f32| f64::from((ball + 3.0) / pixels.max(4.0 * (ball + 3.0)));
    let (room_w, room_l) = (room(size.x), room(size.y));
    let (mut lo, mut hi) = view.w;
    let bottom = slice_bottom(points, b);
    let margin = (hi - lo) * room_w;
    if w.is_finite() && !(lo + margin <= w && w <= hi - margin) {
        lo = lo.min(w);
        hi = hi.max(w);
        if let Some(bottom) = bottom {
            lo = lo.min(bottom);
            hi = hi.max(bottom);
        }
        let pad = (hi - lo) * room_w / (1.0 - 2.0 * room_w);
        lo -= pad;
        hi += pad;
    }
    let mut losses: Vec<f64> = (0..=160)
        .map(|k| loss(points, lo + (hi - lo) * k as f64 / 160.0, b))
        .chain(std::iter::once(loss(points, w, b)))
        .collect();
    if let Some(bottom) = bottom.filter(|v| (lo..=hi).contains(v)) {
        losses.push(loss(points, bottom, b));
    }
    let finite = losses.iter().copied().filter(|v| v.is_finite());
    let low = finite.clone().fold(f64::INFINITY, f64::min);
    let high = finite.fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = if low.is_finite() && high.is_finite() {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    let span = (high - low).max(1e-9 * high.abs().max(1.0));
    let pad = span * room_l / (1.0 - 2.0 * room_l);
    SliceView {
        w: (lo, hi),
        loss: (low - pad, low + span + pad),
    }
}

/// A piece of text placed on screen, and the short tick line it labels (if it is a tick number).
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub text: String,
    pub rect: Rect,
    pub mark: Option<[Vec2; 2]>,
}

/// Which plot a label belongs to, and along which axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    LandscapeW,
    LandscapeB,
    DataX,
    DataY,
    SliceW,
    SliceLoss,
}

/// Ticks on a 1-2-5 grid from `lo` to `hi`, drawn from screen position `from` to `to` along one axis: the
/// finest grid whose marks are at least `pitch` apart and whose labels (each `extent(label)` long along the
/// axis, centred on its mark, and only those that fit within the axis's ends) stay at least `gap` apart.
/// Each tick is its label and where along the axis its mark (and its label's middle) sits.
fn axis_ticks(
    (lo, hi): (f64, f64),
    (from, to): (f32, f32),
    extent: impl Fn(&str) -> f32,
    (gap, pitch): (f32, f32),
    keep: impl Fn(f64) -> bool,
) -> Vec<(String, f32)> {
    let pixels = (to - from).abs();
    if !(lo.is_finite() && hi.is_finite() && hi > lo) || pixels < 8.0 {
        return Vec::new();
    }
    let (first, last) = (from.min(to), from.max(to));
    let mut raw = (hi - lo) * 12.0 / f64::from(pixels);
    for _ in 0..12 {
        let step = nice_step(raw);
        raw = step * 1.01;
        let (i0, i1) = ((lo / step).ceil(), (hi / step).floor());
        if !(i0.is_finite() && i1.is_finite()) || i1 - i0 > 200.0 || i0.abs() > 1e15 {
            continue;
        }
        if step * f64::from(pixels) / (hi - lo) < f64::from(pitch) {
            continue;
        }
        let ticks: Vec<(String, f32)> = (i0 as i64..=i1 as i64)
            .map(|i| i as f64 * step)
            .filter(|&v| keep(v))
            .map(|v| {
                let mark = from + ((v - lo) / (hi - lo)) as f32 * (to - from);
                (format_number(v), mark)
            })
            // A number that would stick out past the plot's end is left out rather than moved off its mark.
            .filter(|(label, mark)| {
                let half = 0.5 * extent(label);
                mark - half >= first - 0.5 && mark + half <= last + 0.5
            })
            .collect();
        let apart = ticks.windows(2).all(|pair| {
            let (a, b) = (&pair[0], &pair[1]);
            (a.1 - b.1).abs() >= 0.5 * (extent(&a.0) + extent(&b.0)) + gap
        });
        if apart {
            return ticks;
        }
    }
    Vec::new()
}

/// Every tick number and axis name of the three plots, in logical pixels. `size` measures a label on
/// screen. Numbers sit outside their plot (below it, or to its left) and within its extent; axis names sit
/// past the numbers, so nothing covers a plot or another label.
pub fn axis_labels(
    layout: &Layout,
    view: &super::LandscapeView,
    slice: &SliceView,
    size: impl Fn(&str) -> Vec2,
) -> Vec<(Axis, Placed)> {
    const BELOW: f32 = 4.0;
    const BESIDE: f32 = 6.0;
    const MARK: f32 = 4.0;
    let mut out = Vec::new();
    let mut bottom_axis = |axis: Axis, plot: Rect, range: (f64, f64)| {
        // Numbers further apart on a wide plot, closer on a narrow one.
        let gap = (plot.width() / 20.0).clamp(8.0, 24.0);
        let spacing = (gap, plot.width() / 16.0);
        let ticks = axis_ticks(
            range,
            (plot.min.x, plot.max.x),
            |t| size(t).x,
            spacing,
            |_| true,
        );
        for (text, mark) in ticks {
            let s = size(&text);
            let min = Vec2::new(mark - 0.5 * s.x, plot.max.y + BELOW);
            out.push((
                axis,
                Placed {
                    text,
                    rect: Rect::from_corners(min, min + s),
                    mark: Some([
                        Vec2::new(mark, plot.max.y),
                        Vec2::new(mark, plot.max.y + MARK),
                    ]),
                },
            ));
        }
    };
    bottom_axis(Axis::LandscapeW, layout.landscape, view.w);
    bottom_axis(Axis::DataX, layout.data, DATA_X);
    bottom_axis(Axis::SliceW, layout.slice, slice.w);
    let mut left_axis = |axis: Axis, plot: Rect, range: (f64, f64), keep: fn(f64) -> bool| {
        let spacing = (1.0, plot.height() / 16.0);
        let ticks = axis_ticks(
            range,
            (plot.max.y, plot.min.y),
            |t| size(t).y,
            spacing,
            keep,
        );
        for (text, mark) in ticks {
            let s = size(&text);
            let min = Vec2::new(plot.min.x - BESIDE - s.x, mark - 0.5 * s.y);
            out.push((
                axis,
                Placed {
                    text,
                    rect: Rect::from_corners(min, min + s),
                    mark: Some([
                        Vec2::new(plot.min.x - MARK, mark),
                        Vec2::new(plot.min.x, mark),
                    ]),
                },
            ));
        }
    };
    left_axis(Axis::LandscapeB, layout.landscape, view.b, |_| true);
    left_axis(Axis::DataY, layout.data, DATA_Y, |_| true);
    // A loss is never below zero: the room under the curve's bottom gets no numbers.
    left_axis(Axis::SliceLoss, layout.slice, slice.loss, |v| v >= 0.0);
    let name = |text: &str, anchor: Vec2, align: Vec2| {
        let s = size(text);
        let min = anchor - s * align;
        Placed {
            text: text.to_owned(),
            rect: Rect::from_corners(min, min + s),
            mark: None,
        }
    };
    let land = layout.landscape;
    let row = size("0").y;
    // Horizontal names: under the landscape's numbers; right of the data and the slice.
    out.push((
        Axis::LandscapeW,
        name(
            "w",
            Vec2::new(land.center().x, land.max.y + BELOW + row + 2.0),
            Vec2::new(0.5, 0.0),
        ),
    ));
    for (axis, plot, text) in [
        (Axis::DataX, layout.data, "x"),
        (Axis::SliceW, layout.slice, "w"),
    ] {
        out.push((
            axis,
            name(
                text,
                Vec2::new(plot.max.x + BESIDE, plot.max.y),
                Vec2::new(0.0, 0.5),
            ),
        ));
    }
    // Vertical names: halfway up, left of the column of numbers.
    for (axis, plot, text) in [
        (Axis::LandscapeB, land, "b"),
        (Axis::DataY, layout.data, "y"),
        (Axis::SliceLoss, layout.slice, "L"),
    ] {
        let numbers = out
            .iter()
            .filter(|(a, _)| *a == axis)
            .map(|(_, p)| p.rect.min.x)
            .fold(plot.min.x - BESIDE, f32::min);
        let right = (numbers - BESIDE).max(size(text).x);
        out.push((
            axis,
            name(text, Vec2::new(right, plot.center().y), Vec2::new(1.0, 0.5)),
        ));
    }
    out
}

/// Where to point at the ball when it has left the landscape's view: a point `inset` pixels inside the
/// edge, on the line from the landscape's middle to the ball, and the direction on to the ball. `None`
/// while the ball is in view. Worked in f64 so a ball a million widths away still gets the right direction.
pub fn edge_marker(
    layout: &Layout,
    view: &super::LandscapeView,
    w: f64,
    b: f64,
    inset: f32,
) -> Option<(Vec2, Vec2)> {
    let r = layout.landscape;
    let fx = (w - view.w.0) / (view.w.1 - view.w.0);
    let fy = (b - view.b.0) / (view.b.1 - view.b.0);
    if !(fx.is_finite() && fy.is_finite())
        || ((0.0..=1.0).contains(&fx) && (0.0..=1.0).contains(&fy))
    {
        return None;
    }
    let (width, height) = (f64::from(r.width()), f64::from(r.height()));
    let (dx, dy) = ((fx - 0.5) * width, (0.5 - fy) * height);
    let reach = |half: f64, d: f64| {
        if d == 0.0 {
            f64::INFINITY
        } else {
            (half - f64::from(inset)).max(0.0) / d.abs()
        }
    };
    let t = reach(0.5 * width, dx).min(reach(0.5 * height, dy));
    let centre = r.center();
    let at = Vec2::new(centre.x + (dx * t) as f32, centre.y + (dy * t) as f32);
    let length = dx.hypot(dy);
    Some((at, Vec2::new((dx / length) as f32, (dy / length) as f32)))
}

/// The words over the slice, with b and dL/dw written as the panel writes them.
pub fn slice_caption(lesson: &LessonText, regression: &Regression) -> String {
    let fit = &regression.fit;
    let at = loss_at(&regression.points, fit.w, fit.b);
    fill(
        &lesson.regression.slice,
        &[("b", four(fit.b)), ("dw", four(at.dw))],
    )
}

/// The words beside the marker that points at a ball off the landscape, its (w, b) as the panel writes them.
pub fn off_view_label(lesson: &LessonText, regression: &Regression) -> String {
    let fit = &regression.fit;
    fill(
        &lesson.regression.off_view,
        &[("w", four(fit.w)), ("b", four(fit.b))],
    )
}

/// The height map and contours, remade only when the points, the view or the layout change.
#[derive(Default)]
struct LandscapeCache {
    key: Option<(Vec<(u64, u64)>, [u64; 4], [u32; 4])>,
    /// Shared with each frame's shape list, so drawing it copies no vertices.
    mesh: std::sync::Arc<egui::Mesh>,
    contours: Vec<[Pos2; 2]>,
}

fn colour_of(t: f64) -> Color32 {
    // Dark for low loss, bright for high: navy, blue, teal, sand.
    let stops = [
        (0.0, [22.0, 28.0, 58.0]),
        (0.35, [36.0, 78.0, 150.0]),
        (0.7, [40.0, 150.0, 150.0]),
        (1.0, [236.0, 214.0, 120.0]),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let k = stops
        .iter()
        .rposition(|s| s.0 <= t)
        .unwrap_or(0)
        .min(stops.len() - 2);
    let (a, b) = (stops[k], stops[k + 1]);
    let f = (t - a.0) / (b.0 - a.0);
    let c = |i: usize| (a.1[i] + (b.1[i] - a.1[i]) * f) as u8;
    Color32::from_rgb(c(0), c(1), c(2))
}

impl LandscapeCache {
    fn refresh(&mut self, regression: &Regression, layout: &Layout) {
        let key = (
            regression
                .points
                .iter()
                .map(|p| (p.x.to_bits(), p.y.to_bits()))
                .collect(),
            [
                regression.view.w.0.to_bits(),
                regression.view.w.1.to_bits(),
                regression.view.b.0.to_bits(),
                regression.view.b.1.to_bits(),
            ],
            [
                layout.landscape.min.x.to_bits(),
                layout.landscape.min.y.to_bits(),
                layout.landscape.max.x.to_bits(),
                layout.landscape.max.y.to_bits(),
            ],
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let view = regression.view;
        let points = &regression.points;
        let grid = Grid::sample(view.w, view.b, GRID, GRID, |w, b| loss(points, w, b));
        let top = grid
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let scale = (1.0 + top).ln().max(1e-12);
        let mut mesh = egui::Mesh::default();
        for j in 0..GRID {
            for i in 0..GRID {
                let (w, b) = grid.point(i as f64, j as f64);
                let p = layout.to_screen(&view, w, b);
                let t = (1.0 + grid.at(i, j)).ln() / scale;
                mesh.colored_vertex(Pos2::new(p.x, p.y), colour_of(t));
            }
        }
        for j in 0..GRID - 1 {
            for i in 0..GRID - 1 {
                let v = (j * GRID + i) as u32;
                let g = GRID as u32;
                mesh.add_triangle(v, v + 1, v + g + 1);
                mesh.add_triangle(v, v + g + 1, v + g);
            }
        }
        let mut contours = Vec::new();
        for level in grid.levels(LEVELS) {
            for [a, b] in grid.contour(level) {
                let (p, q) = (
                    layout.to_screen(&view, a.0, a.1),
                    layout.to_screen(&view, b.0, b.1),
                );
                contours.push([Pos2::new(p.x, p.y), Pos2::new(q.x, q.y)]);
            }
        }
        *self = Self {
            key: Some(key),
            mesh: std::sync::Arc::new(mesh),
            contours,
        };
    }
}

fn arrow(painter: &egui::Painter, from: Pos2, to: Pos2, colour: Color32, width: f32) {
    let d = to - from;
    let length = d.length();
    if length < 1.0 {
        painter.circle_filled(from, width + 1.5, colour);
        return;
    }
    painter.line_segment([from, to], Stroke::new(width, colour));
    let dir = d / length;
    let normal = egui::vec2(-dir.y, dir.x);
    let head = (length * 0.35).min(12.0);
    painter.add(egui::Shape::convex_polygon(
        vec![
            to,
            to - dir * head + normal * head * 0.5,
            to - dir * head - normal * head * 0.5,
        ],
        colour,
        Stroke::NONE,
    ));
}

fn paint_regression_scene(
    mut contexts: EguiContexts,
    regression: Res<Regression>,
    lesson: Res<LessonText>,
    panel: Res<PanelWidth>,
    sizing: Option<Res<Sizing>>,
    shown: Option<Res<crate::ui::Shown>>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut layout: ResMut<Layout>,
    mut cache: Local<LandscapeCache>,
) -> Result {
    let sizing = sizing.as_deref().copied().unwrap_or_default();
    let Some(window) = windows.iter().next() else {
        return Ok(());
    };
    layout.set_if_neq(Layout::for_window(
        Vec2::new(window.width(), window.height()),
        panel.0,
    ));
    let ctx = contexts.ctx_mut()?;
    let painter = ctx.layer_painter(egui::LayerId::background());
    let words = &lesson.regression;
    let small = FontId::proportional(sizing.text(14.0));
    let label = FontId::proportional(sizing.text(16.0));
    let r = &*regression;
    let fit = &r.fit;
    let at = loss_at(&r.points, fit.w, fit.b);

    // The exhibit's attract caption takes the top of the screen; the scene's own words step aside.
    let words_shown = shown.is_none_or(|s| s.captions);
    let text_painter = if words_shown {
        painter.clone()
    } else {
        painter.with_clip_rect(egui::Rect::NOTHING)
    };
    let painter_for_words = &text_painter;
    painter_for_words.text(
        Pos2::new(24.0, 14.0),
        Align2::LEFT_TOP,
        &words.title,
        FontId::proportional(26.0),
        palette::CURVE.egui(),
    );

    // The landscape.
    cache.refresh(r, &layout);
    let land = egui::Rect::from_min_max(pos(layout.landscape.min), pos(layout.landscape.max));
    let clipped = painter.with_clip_rect(land);
    clipped.add(egui::Shape::mesh(std::sync::Arc::clone(&cache.mesh)));
    for segment in &cache.contours {
        clipped.line_segment(
            *segment,
            Stroke::new(1.0, Color32::from_rgba_unmultiplied(230, 236, 242, 90)),
        );
    }
    let path: Vec<Pos2> = fit
        .path
        .iter()
        .chain(std::iter::once(&(fit.w, fit.b)))
        .map(|&(w, b)| pos(layout.to_screen(&r.view, w, b)))
        .collect();
    if path.len() >= 2 {
        clipped.add(egui::Shape::line(
            path,
            Stroke::new(2.0, palette::TEXT.egui()),
        ));
    }
    let ball = pos(layout.to_screen(&r.view, fit.w, fit.b));
    let gradient = egui::vec2(at.dw as f32, -(at.db as f32));
    // At the bottom the gradient has no direction worth drawing: once the panel's four decimals read both
    // partial derivatives as 0.0000, no full-length arrow contradicts them.
    let reads_as_zero = at.dw.abs() < 5e-5 && at.db.abs() < 5e-5;
    if !reads_as_zero && gradient.length() > 0.0 && gradient.is_finite() {
        arrow(
            &clipped,
            ball,
            ball + gradient.normalized() * GRADIENT_ARROW,
            palette::TANGENT.egui(),
            3.0,
        );
    }
    let step = layout.to_screen(
        &r.view,
        fit.w - r.learning_rate * at.dw,
        fit.b - r.learning_rate * at.db,
    );
    arrow(&clipped, ball, pos(step), palette::CHORD.egui(), 3.0);
    clipped.circle(
        ball,
        9.0,
        palette::BALL.egui(),
        Stroke::new(2.0, palette::BALL_RIM.egui()),
    );
    painter.rect_stroke(
        land,
        0.0,
        Stroke::new(1.0, palette::AXIS.egui()),
        egui::StrokeKind::Outside,
    );
    if let Some((edge, towards)) = edge_marker(&layout, &r.view, fit.w, fit.b, 14.0) {
        let (edge, towards) = (pos(edge), egui::vec2(towards.x, towards.y));
        let tail = edge - towards * 34.0;
        clipped.circle_filled(tail, 5.0, palette::BALL.egui());
        arrow(&clipped, tail, edge, palette::BALL.egui(), 4.0);
        let text = off_view_label(&lesson, r);
        let galley = painter.layout(
            text,
            small.clone(),
            palette::TEXT.egui(),
            land.width() - 16.0,
        );
        let size = galley.size();
        // The words sit just behind the arrow's tail, on the side away from the edge it points at.
        let anchor = tail - towards * 10.0;
        let align = egui::vec2(0.5 + 0.5 * towards.x, 0.5 + 0.5 * towards.y);
        let keep_in = |min: Pos2| {
            // On a landscape smaller than the words, they start at its corner (never an empty range).
            let lo = land.min + egui::vec2(6.0, 6.0);
            min.clamp(lo, (land.max - size - egui::vec2(6.0, 6.0)).max(lo))
        };
        let mut min = keep_in(anchor - size * align);
        // Too long to fit beside the arrow: below it (or above it, near the bottom) instead.
        let arrow_box = egui::Rect::from_two_pos(tail, edge).expand(8.0);
        if egui::Rect::from_min_size(min, size).intersects(arrow_box) {
            let below = arrow_box.max.y + 3.0;
            min.y = if below + size.y <= land.max.y - 6.0 {
                below
            } else {
                arrow_box.min.y - 3.0 - size.y
            };
            min = keep_in(min);
        }
        let plate = egui::Rect::from_min_size(min, size).expand(3.0);
        clipped.rect_filled(plate, 3.0, Color32::from_rgba_unmultiplied(16, 19, 26, 220));
        painter_for_words.galley(min, galley, palette::TEXT.egui());
    }
    let caption = painter.layout(
        words.landscape.clone(),
        small.clone(),
        palette::LABEL.egui(),
        land.width() + 40.0,
    );
    painter_for_words.galley(
        land.left_top() - egui::vec2(0.0, caption.size().y + 6.0),
        caption,
        palette::LABEL.egui(),
    );

    // The slice's ranges follow the ball, so its curve is never cut off or empty.
    let slice = egui::Rect::from_min_max(pos(layout.slice.min), pos(layout.slice.max));
    let slice_range = slice_view(
        &r.points,
        &r.view,
        fit.w,
        fit.b,
        layout.slice.size(),
        SLICE_BALL,
    );

    // Tick numbers and axis names, placed so they keep clear of each other and of the plots.
    let measure = |text: &str| {
        let size = painter
            .layout_no_wrap(text.to_owned(), small.clone(), palette::AXIS.egui())
            .size();
        Vec2::new(size.x, size.y)
    };
    let labels = axis_labels(&layout, &r.view, &slice_range, measure);
    let data = egui::Rect::from_min_max(pos(layout.data.min), pos(layout.data.max));
    painter.rect_filled(data, 4.0, Color32::from_rgb(22, 26, 36));
    painter.rect_filled(slice, 4.0, Color32::from_rgb(22, 26, 36));
    for (axis, placed) in &labels {
        let Some([from, to]) = placed.mark else {
            painter.text(
                pos(placed.rect.min),
                Align2::LEFT_TOP,
                &placed.text,
                label.clone(),
                palette::LABEL.egui(),
            );
            continue;
        };
        painter.line_segment([pos(from), pos(to)], Stroke::new(1.0, palette::AXIS.egui()));
        // Faint grid lines across the data and the slice, so a point's numbers can be read off.
        let across = match axis {
            Axis::DataX => Some((data, true)),
            Axis::DataY => Some((data, false)),
            Axis::SliceW => Some((slice, true)),
            Axis::SliceLoss => Some((slice, false)),
            Axis::LandscapeW | Axis::LandscapeB => None,
        };
        if let Some((rect, vertical)) = across {
            let line = if vertical {
                [
                    egui::pos2(from.x, rect.min.y),
                    egui::pos2(from.x, rect.max.y),
                ]
            } else {
                [
                    egui::pos2(rect.min.x, from.y),
                    egui::pos2(rect.max.x, from.y),
                ]
            };
            painter.line_segment(line, Stroke::new(1.0, palette::GRID.egui()));
        }
        painter.text(
            pos(placed.rect.min),
            Align2::LEFT_TOP,
            &placed.text,
            small.clone(),
            palette::AXIS.egui(),
        );
    }

    // The data and the line.
    let data_painter = painter.with_clip_rect(data);
    let axis_x = pos(layout.data_to_screen(DATA_X.0, 0.0));
    let axis_x_end = pos(layout.data_to_screen(DATA_X.1, 0.0));
    data_painter.line_segment([axis_x, axis_x_end], Stroke::new(1.0, palette::AXIS.egui()));
    let axis_y = pos(layout.data_to_screen(0.0, DATA_Y.0));
    let axis_y_end = pos(layout.data_to_screen(0.0, DATA_Y.1));
    data_painter.line_segment([axis_y, axis_y_end], Stroke::new(1.0, palette::AXIS.egui()));
    let line_at = |x: f64| pos(layout.data_to_screen(x, fit.w * x + fit.b));
    data_painter.line_segment(
        [line_at(DATA_X.0), line_at(DATA_X.1)],
        Stroke::new(3.0, palette::CURVE.egui()),
    );
    for p in &r.points {
        let here = pos(layout.data_to_screen(p.x, p.y));
        let on_line = pos(layout.data_to_screen(p.x, fit.w * p.x + fit.b));
        data_painter.line_segment([here, on_line], Stroke::new(2.0, palette::WARNING.egui()));
        data_painter.circle(
            here,
            7.0,
            palette::BALL.egui(),
            Stroke::new(2.0, palette::BALL_RIM.egui()),
        );
    }
    let caption = painter.layout(
        words.data.clone(),
        small.clone(),
        palette::LABEL.egui(),
        data.width(),
    );
    painter_for_words.galley(
        data.left_top() - egui::vec2(0.0, caption.size().y + 6.0),
        caption,
        palette::LABEL.egui(),
    );

    // The slice L(w) at fixed b, in scene 1's colours.
    let (w0, w1) = slice_range.w;
    let samples: Vec<(f64, f64)> = (0..=160)
        .map(|k| {
            let w = w0 + (w1 - w0) * k as f64 / 160.0;
            (w, loss(&r.points, w, fit.b))
        })
        .collect();
    let to_slice = |w: f64, l: f64| pos(slice_range.to_screen(layout.slice, w, l));
    let slice_painter = painter.with_clip_rect(slice);
    let curve: Vec<Pos2> = samples.iter().map(|&(w, l)| to_slice(w, l)).collect();
    slice_painter.add(egui::Shape::line(
        curve,
        Stroke::new(3.0, palette::CURVE.egui()),
    ));
    let half = 0.25 * (w1 - w0);
    let tangent = [
        to_slice(fit.w - half, at.loss - half * at.dw),
        to_slice(fit.w + half, at.loss + half * at.dw),
    ];
    slice_painter.add(egui::Shape::dashed_line(
        &tangent,
        Stroke::new(2.5, palette::TANGENT.egui()),
        10.0,
        6.0,
    ));
    slice_painter.circle(
        to_slice(fit.w, at.loss),
        SLICE_BALL,
        palette::BALL.egui(),
        Stroke::new(2.0, palette::BALL_RIM.egui()),
    );
    let text = slice_caption(&lesson, r);
    let caption = painter.layout(text, small, palette::TANGENT.egui(), slice.width());
    painter_for_words.galley(
        slice.left_top() - egui::vec2(0.0, caption.size().y + 6.0),
        caption,
        palette::TANGENT.egui(),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::regression::lesson_data;
    use crate::regression::LandscapeView;

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
                f.layout_no_wrap(text.to_owned(), FontId::proportional(14.0), Color32::WHITE)
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
