//! A logarithmic slider with marks on its rail: where a learning rate changes what a step does, and the
//! stretch beyond the safe limit shaded.

use bevy_egui::egui::{self, Color32, Rect, Stroke, pos2, vec2};

use crate::theme::numbers::format_number;

/// A value marked on a slider, with a short label under the rail.
#[derive(Clone, Debug, PartialEq)]
pub struct SliderMark {
    pub value: f64,
    pub label: String,
    pub colour: Color32,
}

/// Room under the rail for the marks' labels, in points.
const LABEL_ROOM: f32 = 15.0;

/// Where along the rail `value` sits: egui's own mapping for a logarithmic slider over a positive range
/// (log10 interpolated between the ends), over the stretch the handle's centre can reach.
pub fn rail_position(value: f64, range: (f64, f64), rail: egui::Rangef) -> f32 {
    let (lo, hi) = (range.0.log10(), range.1.log10());
    let t = ((value.log10() - lo) / (hi - lo)).clamp(0.0, 1.0) as f32;
    rail.min + t * (rail.max - rail.min)
}

/// A logarithmic slider over `range` for `value`, with `marks` drawn across its rail and the rail beyond
/// `shade_from` shaded; the value is written beside it. Marks outside the range are left out (the label
/// row still says them in words elsewhere). Returns the slider's response.
pub fn marked_log_slider(
    ui: &mut egui::Ui,
    value: &mut f64,
    range: (f64, f64),
    marks: &[SliderMark],
    shade_from: Option<f64>,
) -> egui::Response {
    let pal = crate::theme::palette_of(ui.ctx());
    let response = ui
        .horizontal(|ui| {
            let response = ui.add(
                egui::Slider::new(value, range.0..=range.1)
                    .logarithmic(true)
                    .show_value(false)
                    .clamping(egui::SliderClamping::Never),
            );
            ui.label(egui::RichText::new(format_number(*value)).monospace());
            response
        })
        .inner;
    let rect = response.rect;
    // The handle's centre runs over the rect less its radius at each end (egui: a circle of height / 2.5).
    let radius = rect.height() / 2.5;
    let radius = match ui.style().visuals.handle_shape {
        egui::style::HandleShape::Circle => radius,
        egui::style::HandleShape::Rect { aspect_ratio } => radius * aspect_ratio,
    };
    let rail = rect.x_range().shrink(radius);
    let inside = |v: f64| v.is_finite() && v > 0.0 && v >= range.0 && v <= range.1;
    let painter = ui.painter();
    let (top, bottom) = (rect.center().y - 7.0, rect.center().y + 7.0);
    if let Some(from) = shade_from.filter(|v| v.is_finite() && *v > 0.0 && *v < range.1) {
        let left = rail_position(from.max(range.0), range, rail);
        painter.rect_filled(
            Rect::from_min_max(pos2(left, top), pos2(rail.max + radius, bottom)),
            2.0,
            pal.warning.egui().gamma_multiply(0.35),
        );
    }
    if !marks.iter().any(|m| inside(m.value)) {
        return response;
    }
    // Labels under the rail, in a row of their own so they never cover the handle.
    let (row, _) = ui.allocate_exact_size(vec2(rect.width(), LABEL_ROOM), egui::Sense::hover());
    let painter = ui.painter();
    let font = egui::TextStyle::Small.resolve(ui.style());
    let shown: Vec<&SliderMark> = marks.iter().filter(|m| inside(m.value)).collect();
    for (i, mark) in shown.iter().enumerate() {
        let x = rail_position(mark.value, range, rail);
        painter.line_segment(
            [pos2(x, top - 3.0), pos2(x, bottom + 3.0)],
            Stroke::new(2.5, mark.colour),
        );
        // Marks close together (1/f'' and 2/f'' are a factor of two apart): the first label ends at its
        // mark and the last starts at its own, so the two read apart.
        let galley = painter.layout_no_wrap(mark.label.clone(), font.clone(), mark.colour);
        let width = galley.size().x;
        let left = if shown.len() > 1 && i == 0 {
            x - width
        } else if shown.len() > 1 && i + 1 == shown.len() {
            x
        } else {
            x - width / 2.0
        };
        let left = left.max(row.left()).min(row.right() - width);
        painter.galley(pos2(left, row.top()), galley, mark.colour);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_sit_where_egui_puts_the_handle_for_that_value() {
        let rail = egui::Rangef::new(10.0, 210.0);
        let range = (1e-4, 2.0);
        assert_eq!(rail_position(1e-4, range, rail), 10.0);
        assert_eq!(rail_position(2.0, range, rail), 210.0);
        // Halfway in log10 between 1e-4 and 2 is sqrt(2e-4).
        let middle = rail_position((2e-4f64).sqrt(), range, rail);
        assert!((middle - 110.0).abs() < 1e-3, "{middle}");
        // Beyond the ends they stay on the rail.
        assert_eq!(rail_position(10.0, range, rail), 210.0);
    }
}
