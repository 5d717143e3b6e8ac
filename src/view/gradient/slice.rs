//! The slice L(w) at fixed b with its tangent at the ball: dL/dw is the slope of a curve again, as in
//! scene 1.

use bevy::prelude::*;
use bevy_egui::egui::{self, Pos2, Stroke};

use super::{Canvas, SLICE_BALL, onto};
use crate::math::regression::{Point, loss, loss_at};
use crate::sim::gradient::{GradientRun, LandscapeView};
use crate::text::{LessonText, fill};
use crate::theme::numbers::four;
use crate::theme::pos;

/// Paints the slice's curve, the tangent at the ball, the ball, and the caption above.
pub(super) fn paint(c: &Canvas, slice_range: &SliceView) {
    let pal = crate::theme::palette_of(c.painter.ctx());
    let (painter, layout, r) = (c.painter, c.layout, c.run);
    let fit = &r.fit;
    let at = loss_at(&r.points, fit.w, fit.b);
    let slice = egui::Rect::from_min_max(pos(layout.slice.min), pos(layout.slice.max));
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
    slice_painter.add(egui::Shape::line(curve, Stroke::new(3.0, pal.curve.egui())));
    let half = 0.25 * (w1 - w0);
    let tangent = [
        to_slice(fit.w - half, at.loss - half * at.dw),
        to_slice(fit.w + half, at.loss + half * at.dw),
    ];
    slice_painter.add(egui::Shape::dashed_line(
        &tangent,
        Stroke::new(2.5, pal.tangent.egui()),
        10.0,
        6.0,
    ));
    slice_painter.circle(
        to_slice(fit.w, at.loss),
        SLICE_BALL,
        pal.ball.egui(),
        Stroke::new(2.0, pal.ball_rim.egui()),
    );
    c.caption_above(slice, slice_caption(c.lesson, r), pal.tangent.egui(), 0.0);
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
    view: &LandscapeView,
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

/// The words over the slice, with b and dL/dw written as the panel writes them.
pub fn slice_caption(lesson: &LessonText, gradient: &GradientRun) -> String {
    let fit = &gradient.fit;
    let at = loss_at(&gradient.points, fit.w, fit.b);
    fill(
        &lesson.gradient.slice,
        &[("b", four(fit.b)), ("dw", four(at.dw))],
    )
}
