//! Scene 2 on screen: the loss landscape as a height map with contours, the ball at (w, b) with the gradient
//! and the step, the path so far; the data with the line and its residuals; and the slice L(w) at fixed b
//! with its tangent, so dL/dw is the slope of a curve again.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::egui::{self, Align2, Color32, FontId, Pos2, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::{Regression, Scene, showing};
use crate::math::contour::Grid;
use crate::math::regression::{loss, loss_at};
use crate::text::{LessonText, fill};
use crate::ui::{PanelSystems, Sizing};
use crate::view::{PanelWidth, palette};

/// Nodes of the height map across and down.
const GRID: usize = 64;
/// Contour lines drawn.
const LEVELS: usize = 12;
/// The gradient arrow's length on screen, in logical pixels (its direction is exact; its length is not).
const GRADIENT_ARROW: f32 = 80.0;
/// The data view's fixed range: points are dragged within it.
pub const DATA_X: (f64, f64) = (-1.0, 5.0);
pub const DATA_Y: (f64, f64) = (-2.0, 7.0);

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
        let side = (width * 0.5 - 70.0).min(height).max(60.0);
        let landscape = Rect::new(60.0, top, 60.0 + side, top + side);
        let right = Rect::new(landscape.max.x + 70.0, top, width - 24.0, bottom);
        let gap = 56.0;
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
        let r = self.landscape;
        let fx = (w - view.w.0) / (view.w.1 - view.w.0);
        let fy = (b - view.b.0) / (view.b.1 - view.b.0);
        let p = Vec2::new(
            r.min.x + fx as f32 * r.width(),
            r.max.y - fy as f32 * r.height(),
        );
        p.clamp(Vec2::splat(-1e5), Vec2::splat(1e5))
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
        let r = self.data;
        let fx = (x - DATA_X.0) / (DATA_X.1 - DATA_X.0);
        let fy = (y - DATA_Y.0) / (DATA_Y.1 - DATA_Y.0);
        let p = Vec2::new(
            r.min.x + fx as f32 * r.width(),
            r.max.y - fy as f32 * r.height(),
        );
        p.clamp(Vec2::splat(-1e5), Vec2::splat(1e5))
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

fn pos(v: Vec2) -> Pos2 {
    Pos2::new(v.x, v.y)
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
    // At the bottom the gradient has no direction worth drawing.
    if gradient.length() > 1e-6 && gradient.is_finite() {
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
    painter.text(
        land.center_bottom() + egui::vec2(0.0, 6.0),
        Align2::CENTER_TOP,
        "w",
        label.clone(),
        palette::LABEL.egui(),
    );
    painter.text(
        land.left_center() - egui::vec2(10.0, 0.0),
        Align2::RIGHT_CENTER,
        "b",
        label.clone(),
        palette::LABEL.egui(),
    );
    for (text, corner, align) in [
        (
            format!("{:.2}", r.view.w.0),
            land.left_bottom(),
            Align2::LEFT_TOP,
        ),
        (
            format!("{:.2}", r.view.w.1),
            land.right_bottom(),
            Align2::RIGHT_TOP,
        ),
    ] {
        painter.text(
            corner + egui::vec2(0.0, 4.0),
            align,
            text,
            small.clone(),
            palette::AXIS.egui(),
        );
    }
    for (text, corner, align) in [
        (
            format!("{:.2}", r.view.b.0),
            land.left_bottom(),
            Align2::RIGHT_BOTTOM,
        ),
        (
            format!("{:.2}", r.view.b.1),
            land.left_top(),
            Align2::RIGHT_TOP,
        ),
    ] {
        painter.text(
            corner - egui::vec2(4.0, 0.0),
            align,
            text,
            small.clone(),
            palette::AXIS.egui(),
        );
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

    // The data and the line.
    let data = egui::Rect::from_min_max(pos(layout.data.min), pos(layout.data.max));
    painter.rect_filled(data, 4.0, Color32::from_rgb(22, 26, 36));
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
    painter.text(
        data.right_bottom() + egui::vec2(0.0, 4.0),
        Align2::RIGHT_TOP,
        "x",
        label.clone(),
        palette::LABEL.egui(),
    );
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
    let slice = egui::Rect::from_min_max(pos(layout.slice.min), pos(layout.slice.max));
    painter.rect_filled(slice, 4.0, Color32::from_rgb(22, 26, 36));
    let samples: Vec<(f64, f64)> = (0..=160)
        .map(|k| {
            let w = r.view.w.0 + (r.view.w.1 - r.view.w.0) * k as f64 / 160.0;
            (w, loss(&r.points, w, fit.b))
        })
        .collect();
    let top = samples
        .iter()
        .map(|s| s.1)
        .filter(|v| v.is_finite())
        .fold(at.loss.max(1e-9), f64::max)
        * 1.1;
    let to_slice = |w: f64, l: f64| {
        let fx = (w - r.view.w.0) / (r.view.w.1 - r.view.w.0);
        let fy = l / top;
        let p = Vec2::new(
            slice.min.x + fx as f32 * slice.width(),
            slice.max.y - fy as f32 * slice.height(),
        );
        pos(p.clamp(Vec2::splat(-1e5), Vec2::splat(1e5)))
    };
    let slice_painter = painter.with_clip_rect(slice);
    let curve: Vec<Pos2> = samples.iter().map(|&(w, l)| to_slice(w, l)).collect();
    slice_painter.add(egui::Shape::line(
        curve,
        Stroke::new(3.0, palette::CURVE.egui()),
    ));
    let half = 0.25 * (r.view.w.1 - r.view.w.0);
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
        8.0,
        palette::BALL.egui(),
        Stroke::new(2.0, palette::BALL_RIM.egui()),
    );
    painter.text(
        slice.right_bottom() + egui::vec2(0.0, 4.0),
        Align2::RIGHT_TOP,
        "w",
        label.clone(),
        palette::LABEL.egui(),
    );
    let text = fill(
        &words.slice,
        &[
            ("b", format!("{:.4}", fit.b)),
            ("dw", format!("{:.4}", at.dw)),
        ],
    );
    let caption = painter.layout(text, small, palette::TANGENT.egui(), slice.width());
    painter_for_words.galley(
        slice.left_top() - egui::vec2(0.0, caption.size().y + 6.0),
        caption,
        palette::TANGENT.egui(),
    );
    Ok(())
}
