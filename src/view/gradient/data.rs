//! The data view: the points, the line y_hat = w x + b through them, and each point's residual.

use bevy_egui::egui::{self, Stroke};

use super::{Canvas, DATA_X, DATA_Y};
use crate::theme::pos;

/// Paints the data's axes, the line, the residuals and the points, and the caption above.
pub(super) fn paint(c: &Canvas) {
    let pal = crate::theme::palette_of(c.painter.ctx());
    let Canvas {
        painter,
        layout,
        run: r,
        ..
    } = *c;
    let (fit, words) = (&r.fit, &c.lesson.gradient);
    let data = egui::Rect::from_min_max(pos(layout.data.min), pos(layout.data.max));
    let data_painter = painter.with_clip_rect(data);
    let axis_x = pos(layout.data_to_screen(DATA_X.0, 0.0));
    let axis_x_end = pos(layout.data_to_screen(DATA_X.1, 0.0));
    data_painter.line_segment([axis_x, axis_x_end], Stroke::new(1.0, pal.axis.egui()));
    let axis_y = pos(layout.data_to_screen(0.0, DATA_Y.0));
    let axis_y_end = pos(layout.data_to_screen(0.0, DATA_Y.1));
    data_painter.line_segment([axis_y, axis_y_end], Stroke::new(1.0, pal.axis.egui()));
    let line_at = |x: f64| pos(layout.data_to_screen(x, fit.w * x + fit.b));
    data_painter.line_segment(
        [line_at(DATA_X.0), line_at(DATA_X.1)],
        Stroke::new(3.0, pal.curve.egui()),
    );
    // A hundred noisy points drawn as large as a few would hide each other and their residuals.
    let (radius, rim, residual) = if r.points.len() > 20 {
        (4.0, 1.0, 1.2)
    } else {
        (7.0, 2.0, 2.0)
    };
    for p in &r.points {
        let here = pos(layout.data_to_screen(p.x, p.y));
        let on_line = pos(layout.data_to_screen(p.x, fit.w * p.x + fit.b));
        data_painter.line_segment([here, on_line], Stroke::new(residual, pal.warning.egui()));
        data_painter.circle(
            here,
            radius,
            pal.ball.egui(),
            Stroke::new(rim, pal.ball_rim.egui()),
        );
    }
    c.caption_above(data, words.data.clone(), pal.label.egui(), 0.0);
}
