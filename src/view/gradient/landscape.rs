//! The loss landscape L(w, b) as a height map with contours, the path so far, the ball with the gradient
//! and the step, and the marker that points at a ball outside the view.

use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, Pos2, Stroke};

use super::{Canvas, GRADIENT_ARROW, GRID, LEVELS, Layout, arrow};
use crate::math::contour::Grid;
use crate::math::regression::{loss, loss_at};
use crate::sim::gradient::{GradientRun, LandscapeView};
use crate::text::{LessonText, fill};
use crate::theme::numbers::four;
use crate::theme::{Palette, ThemeName, palette::Rgb, pos};

/// Paints the landscape's rectangle: height map, contours, path, ball, arrows, frame and caption.
pub(super) fn paint(c: &Canvas, cache: &mut LandscapeCache) {
    let pal = crate::theme::palette_of(c.painter.ctx());
    let Canvas {
        painter,
        layout,
        run: r,
        lesson,
        ..
    } = *c;
    let fit = &r.fit;
    let words = &lesson.gradient;
    let at = loss_at(&r.points, fit.w, fit.b);
    cache.refresh(pal, r, layout);
    let land = egui::Rect::from_min_max(pos(layout.landscape.min), pos(layout.landscape.max));
    let clipped = painter.with_clip_rect(land);
    clipped.add(egui::Shape::mesh(std::sync::Arc::clone(&cache.mesh)));
    for segment in &cache.contours {
        clipped.line_segment(*segment, Stroke::new(1.0, pal.contour.egui_alpha(0.35)));
    }
    let path: Vec<Pos2> = fit
        .path
        .iter()
        .chain(std::iter::once(&(fit.w, fit.b)))
        .map(|&(w, b)| pos(layout.to_screen(&r.view, w, b)))
        .collect();
    if path.len() >= 2 {
        clipped.add(egui::Shape::line(path, Stroke::new(2.0, pal.text.egui())));
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
            pal.tangent.egui(),
            3.0,
        );
    }
    let step = layout.to_screen(
        &r.view,
        fit.w - r.learning_rate * at.dw,
        fit.b - r.learning_rate * at.db,
    );
    arrow(&clipped, ball, pos(step), pal.good.egui(), 3.0);
    clipped.circle(
        ball,
        9.0,
        pal.ball.egui(),
        Stroke::new(2.0, pal.ball_rim.egui()),
    );
    painter.rect_stroke(
        land,
        0.0,
        Stroke::new(1.0, pal.axis.egui()),
        egui::StrokeKind::Outside,
    );
    paint_off_view_marker(c, &clipped, land);
    c.caption_above(land, words.landscape.clone(), pal.label.egui(), 40.0);
}

/// The arrow at the landscape's edge that points at a ball outside the view, with the ball's (w, b) beside it.
fn paint_off_view_marker(c: &Canvas, clipped: &egui::Painter, land: egui::Rect) {
    let pal = crate::theme::palette_of(c.painter.ctx());
    let Canvas {
        painter,
        words: painter_for_words,
        small,
        layout,
        run: r,
        lesson,
        ..
    } = *c;
    let fit = &r.fit;
    let Some((edge, towards)) = edge_marker(layout, &r.view, fit.w, fit.b, 14.0) else {
        return;
    };
    let (edge, towards) = (pos(edge), egui::vec2(towards.x, towards.y));
    let tail = edge - towards * 34.0;
    clipped.circle_filled(tail, 5.0, pal.ball.egui());
    arrow(clipped, tail, edge, pal.ball.egui(), 4.0);
    let text = off_view_label(lesson, r);
    let galley = painter.layout(text, small.clone(), pal.text.egui(), land.width() - 16.0);
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
    clipped.rect_filled(plate, 3.0, pal.background.egui_alpha(0.86));
    painter_for_words.galley(min, galley, pal.text.egui());
}

/// Where to point at the ball when it has left the landscape's view: a point `inset` pixels inside the
/// edge, on the line from the landscape's middle to the ball, and the direction on to the ball. `None`
/// while the ball is in view. Worked in f64 so a ball a million widths away still gets the right direction.
pub fn edge_marker(
    layout: &Layout,
    view: &LandscapeView,
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

/// The words beside the marker that points at a ball off the landscape, its (w, b) as the panel writes them.
pub fn off_view_label(lesson: &LessonText, gradient: &GradientRun) -> String {
    let fit = &gradient.fit;
    fill(
        &lesson.gradient.off_view,
        &[("w", four(fit.w)), ("b", four(fit.b))],
    )
}

/// The height map and contours, remade only when the points, the view or the layout change.
#[derive(Default)]
pub(super) struct LandscapeCache {
    key: Option<(Vec<(u64, u64)>, [u64; 4], [u32; 4], ThemeName)>,
    /// Shared with each frame's shape list, so drawing it copies no vertices.
    mesh: std::sync::Arc<egui::Mesh>,
    contours: Vec<[Pos2; 2]>,
}

fn colour_of(pal: &Palette, t: f64) -> Color32 {
    // The theme's four colours from low loss to high, at these shares of the range.
    let at = [0.0, 0.35, 0.7, 1.0];
    let stops: [(f64, [f64; 3]); 4] = std::array::from_fn(|i| {
        let Rgb(r, g, b) = pal.landscape[i];
        (at[i], [f64::from(r), f64::from(g), f64::from(b)])
    });
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
    fn refresh(&mut self, pal: &Palette, gradient: &GradientRun, layout: &Layout) {
        let key = (
            gradient
                .points
                .iter()
                .map(|p| (p.x.to_bits(), p.y.to_bits()))
                .collect(),
            [
                gradient.view.w.0.to_bits(),
                gradient.view.w.1.to_bits(),
                gradient.view.b.0.to_bits(),
                gradient.view.b.1.to_bits(),
            ],
            [
                layout.landscape.min.x.to_bits(),
                layout.landscape.min.y.to_bits(),
                layout.landscape.max.x.to_bits(),
                layout.landscape.max.y.to_bits(),
            ],
            pal.name,
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let view = gradient.view;
        let points = &gradient.points;
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
                mesh.colored_vertex(Pos2::new(p.x, p.y), colour_of(pal, t));
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
