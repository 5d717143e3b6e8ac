//! The tick numbers and axis names of scene 2's three plots, placed so none covers another or a plot, and the
//! faint grid lines across the data and the slice.

use bevy::prelude::*;
use bevy_egui::egui::{self, Align2, Stroke};

use super::slice::SliceView;
use super::{Canvas, DATA_X, DATA_Y, Layout};
use crate::math::ticks::nice_step;
use crate::sim::gradient::LandscapeView;
use crate::theme::numbers::format_number;
use crate::theme::pos;

/// Paints the data's and the slice's backgrounds, then every tick, grid line and label over them.
pub(super) fn paint(c: &Canvas, slice_range: &SliceView) {
    let pal = crate::theme::palette_of(c.painter.ctx());
    let Canvas {
        painter,
        small,
        label,
        layout,
        run: r,
        ..
    } = *c;
    let slice = egui::Rect::from_min_max(pos(layout.slice.min), pos(layout.slice.max));
    // Tick numbers and axis names, placed so they keep clear of each other and of the plots.
    let measure = |text: &str| {
        let size = painter
            .layout_no_wrap(text.to_owned(), small.clone(), pal.label.egui())
            .size();
        Vec2::new(size.x, size.y)
    };
    let labels = axis_labels(layout, &r.view, slice_range, measure);
    let data = egui::Rect::from_min_max(pos(layout.data.min), pos(layout.data.max));
    painter.rect_filled(data, 4.0, pal.plot_fill.egui());
    painter.rect_filled(slice, 4.0, pal.plot_fill.egui());
    for (axis, placed) in &labels {
        // An axis name has no tick mark; a tick number has one, and on the data and the slice a faint grid
        // line across the plot, so a point's numbers can be read off.
        // Both in the label colour: the axis colour is for lines, and too faint for small text.
        let font = match placed.mark {
            None => label,
            Some(_) => small,
        };
        let colour = pal.label.egui();
        if let Some([from, to]) = placed.mark {
            painter.line_segment([pos(from), pos(to)], Stroke::new(1.0, pal.axis.egui()));
            let across = match axis {
                Axis::DataX => Some((data, true)),
                Axis::DataY => Some((data, false)),
                Axis::SliceW => Some((slice, true)),
                Axis::SliceLoss => Some((slice, false)),
                Axis::LandscapeW | Axis::LandscapeB => None,
            };
            if let Some((rect, vertical)) = across {
                let line = if vertical {
                    [(from.x, rect.min.y), (from.x, rect.max.y)]
                } else {
                    [(rect.min.x, from.y), (rect.max.x, from.y)]
                }
                .map(|(x, y)| egui::pos2(x, y));
                painter.line_segment(line, Stroke::new(1.0, pal.grid.egui()));
            }
        }
        let at = pos(placed.rect.min);
        painter.text(at, Align2::LEFT_TOP, &placed.text, font.clone(), colour);
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
    view: &LandscapeView,
    slice: &SliceView,
    size: impl Fn(&str) -> Vec2,
) -> Vec<(Axis, Placed)> {
    let mut out = tick_numbers(layout, view, slice, &size);
    axis_names(layout, &size, &mut out);
    out
}

/// Room between a plot and the numbers below it, and beside it; the tick marks' length.
const BELOW: f32 = 4.0;
const BESIDE: f32 = 6.0;
const MARK: f32 = 4.0;

/// The tick numbers under each plot and left of it.
fn tick_numbers(
    layout: &Layout,
    view: &LandscapeView,
    slice: &SliceView,
    size: &impl Fn(&str) -> Vec2,
) -> Vec<(Axis, Placed)> {
    let mut out = Vec::new();
    let mut ticks_along = |axis: Axis, plot: Rect, range: (f64, f64), keep: fn(f64) -> bool| {
        let bottom = matches!(axis, Axis::LandscapeW | Axis::DataX | Axis::SliceW);
        let ticks = if bottom {
            // Numbers further apart on a wide plot, closer on a narrow one.
            let gap = (plot.width() / 20.0).clamp(8.0, 24.0);
            let spacing = (gap, plot.width() / 16.0);
            axis_ticks(
                range,
                (plot.min.x, plot.max.x),
                |t| size(t).x,
                spacing,
                keep,
            )
        } else {
            let spacing = (1.0, plot.height() / 16.0);
            axis_ticks(
                range,
                (plot.max.y, plot.min.y),
                |t| size(t).y,
                spacing,
                keep,
            )
        };
        for (text, mark) in ticks {
            let s = size(&text);
            let (min, line) = if bottom {
                (
                    Vec2::new(mark - 0.5 * s.x, plot.max.y + BELOW),
                    [
                        Vec2::new(mark, plot.max.y),
                        Vec2::new(mark, plot.max.y + MARK),
                    ],
                )
            } else {
                (
                    Vec2::new(plot.min.x - BESIDE - s.x, mark - 0.5 * s.y),
                    [
                        Vec2::new(plot.min.x - MARK, mark),
                        Vec2::new(plot.min.x, mark),
                    ],
                )
            };
            let rect = Rect::from_corners(min, min + s);
            let mark = Some(line);
            out.push((axis, Placed { text, rect, mark }));
        }
    };
    ticks_along(Axis::LandscapeW, layout.landscape, view.w, |_| true);
    ticks_along(Axis::DataX, layout.data, DATA_X, |_| true);
    ticks_along(Axis::SliceW, layout.slice, slice.w, |_| true);
    ticks_along(Axis::LandscapeB, layout.landscape, view.b, |_| true);
    ticks_along(Axis::DataY, layout.data, DATA_Y, |_| true);
    // A loss is never below zero: the room under the curve's bottom gets no numbers.
    ticks_along(Axis::SliceLoss, layout.slice, slice.loss, |v| v >= 0.0);
    out
}

/// Each axis's name, past its numbers: appended to `out`, whose numbers the vertical names keep clear of.
fn axis_names(layout: &Layout, size: &impl Fn(&str) -> Vec2, out: &mut Vec<(Axis, Placed)>) {
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
}
