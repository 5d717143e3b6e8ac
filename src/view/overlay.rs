//! Drawn over the scene with egui, which anti-aliases and sets type: the ball, the chord's end points, tick
//! numbers and the labels that name what the lines are.

use bevy::prelude::*;
use bevy_egui::egui::{self, Align2, FontId, Pos2, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::ball::{BALL_RADIUS, Ball, Glide};
use super::curve::{axis_origin, axis_ticks};
use super::guides::GuideGeometry;
use super::palette;
use super::{PanelWidth, PlotArea};
use crate::math::Scheme;
use crate::math::curve::MinimumKind;
use crate::sim::{ChordStep, DifferenceScheme, Landscape};
use crate::ui::numbers::{format_h, format_number};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        paint_scene_overlay
            .in_set(OverlaySystems)
            .run_if(crate::regression::showing(crate::regression::Scene::Slope))
            .before(crate::ui::PanelSystems),
    );
}

/// The overlay paints before the panel, so the panel always covers it.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct OverlaySystems;

/// A painter on egui's background layer clipped to the scene, so nothing drawn there reaches the panel.
pub fn scene_painter(ctx: &egui::Context, plot: &PlotArea, panel: &PanelWidth) -> egui::Painter {
    let scene = egui::Rect::from_min_max(
        Pos2::ZERO,
        Pos2::new((plot.window.x - panel.0).max(0.0), plot.window.y),
    );
    ctx.layer_painter(egui::LayerId::background())
        .with_clip_rect(scene)
}

fn pos(p: Vec2) -> Pos2 {
    Pos2::new(p.x, p.y)
}

pub fn paint_scene_overlay(
    mut contexts: EguiContexts,
    landscape: Res<Landscape>,
    plot: Res<PlotArea>,
    panel: Res<PanelWidth>,
    chord: Res<ChordStep>,
    scheme: Res<DifferenceScheme>,
    ball: Single<&Glide, With<Ball>>,
    guides: Res<super::guides::Guides>,
    sizing: Res<crate::ui::Sizing>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let painter = scene_painter(ctx, &plot, &panel);
    let curve = &*landscape.0;
    let small = FontId::proportional(sizing.text(14.0));
    let label = FontId::proportional(16.0);

    // Tick numbers.
    let (x_ticks, y_ticks) = axis_ticks(&plot);
    let (ox, oy) = axis_origin(&plot);
    for &x in &x_ticks {
        let at = plot.to_screen(x, oy);
        painter.text(
            pos(at) + egui::vec2(0.0, 10.0),
            Align2::CENTER_TOP,
            format_number(x),
            small.clone(),
            palette::LABEL.egui(),
        );
    }
    for &y in &y_ticks {
        if y == oy && ox == 0.0 {
            continue;
        }
        let at = plot.to_screen(ox, y);
        painter.text(
            pos(at) - egui::vec2(10.0, 0.0),
            Align2::RIGHT_CENTER,
            format_number(y),
            small.clone(),
            palette::LABEL.egui(),
        );
    }
    let x_end = plot.to_screen(plot.x_range.1, oy);
    painter.text(
        pos(x_end) + egui::vec2(-4.0, -8.0),
        Align2::RIGHT_BOTTOM,
        "x",
        label.clone(),
        palette::LABEL.egui(),
    );
    let y_end = plot.to_screen(ox, plot.y_range.1);
    painter.text(
        pos(y_end) + egui::vec2(-10.0, 0.0),
        Align2::RIGHT_TOP,
        "loss f(x)",
        label.clone(),
        palette::LABEL.egui(),
    );

    // Minima.
    let minima = curve.minima();
    let axis_y = plot.to_screen(ox, oy).y;
    // Name every minimum when there are a few; on a rippled curve, only the lowest.
    let crowded = minima.len() > 3;
    for minimum in minima
        .iter()
        .filter(|m| !crowded || m.kind == MinimumKind::Global)
    {
        let at = plot.to_screen(minimum.x, minimum.y);
        let name = match (minimum.kind, minima.len()) {
            (_, 1) => "minimum",
            (MinimumKind::Global, _) => "global minimum",
            (MinimumKind::Local, _) => "local minimum",
        };
        // Below the marker, clear of the curve; beside the axis's own tick number when the minimum sits on it.
        let (offset, align) = if (at.y - axis_y).abs() < 30.0 {
            (egui::vec2(12.0, 10.0), Align2::LEFT_TOP)
        } else {
            (egui::vec2(0.0, 16.0), Align2::CENTER_TOP)
        };
        painter.text(
            pos(at) + offset,
            align,
            name,
            small.clone(),
            palette::MINIMUM.egui(),
        );
    }

    // The ball, the chord's ends and the labels of the guides.
    let x = ball.x();
    let g = guides.0;
    paint_legend(&painter, &plot, &g, chord.0, scheme.0);
    for end in [g.chord_start, g.chord_end] {
        if plot.contains(end) && end != g.ball {
            painter.circle_filled(pos(end), 5.5, palette::CHORD.egui());
        }
    }
    let run_mid = (g.chord_start + g.run_corner) / 2.0;
    let h_text = match scheme.0 {
        Scheme::Central => format!("2h = 2 x {}", format_h(chord.0)),
        _ => format!("h = {}", format_h(chord.0)),
    };
    if g.chord_start.distance(g.run_corner) > 60.0 {
        painter.text(
            pos(run_mid) + egui::vec2(0.0, 6.0),
            Align2::CENTER_TOP,
            h_text,
            label.clone(),
            palette::CHORD.egui(),
        );
    } else {
        let beside =
            (g.chord_end + Vec2::new(14.0, 14.0)).clamp(plot.min, plot.max - Vec2::new(70.0, 20.0));
        painter.text(
            pos(beside),
            Align2::LEFT_TOP,
            h_text,
            label.clone(),
            palette::CHORD.egui(),
        );
    }

    let inside = plot.contains(g.ball);
    if inside {
        painter.circle(
            pos(g.ball),
            BALL_RADIUS,
            palette::BALL.egui(),
            Stroke::new(2.5, palette::BALL_RIM.egui()),
        );
        painter.circle_filled(pos(g.ball), 3.5, palette::CHORD.egui());
    } else {
        // The ball left the plot: point at it from the nearest edge and say where it is.
        let edge = g
            .ball
            .clamp(plot.min + Vec2::splat(16.0), plot.max - Vec2::splat(16.0));
        let toward = (g.ball - edge).normalize_or(Vec2::X);
        let tip = edge + toward * 12.0;
        let side = toward.perp() * 9.0;
        painter.add(egui::Shape::convex_polygon(
            vec![
                pos(tip),
                pos(edge - toward * 6.0 + side),
                pos(edge - toward * 6.0 - side),
            ],
            palette::BALL.egui(),
            Stroke::new(1.5, palette::BALL_RIM.egui()),
        ));
        painter.text(
            pos(edge - toward * 22.0),
            Align2::CENTER_CENTER,
            format!("ball at x = {}", format_number(x)),
            label,
            palette::BALL_RIM.egui(),
        );
    }
    Ok(())
}

/// A small key at the top of the plot naming the two lines and their slopes, so no label sits on a line.
fn paint_legend(
    painter: &egui::Painter,
    plot: &PlotArea,
    g: &GuideGeometry,
    h: f64,
    scheme: Scheme,
) {
    let font = FontId::proportional(16.0);
    let rows = [
        (
            palette::TANGENT,
            true,
            format!("tangent: slope f'(x) = {}", format_number(g.slope)),
        ),
        (
            palette::CHORD,
            false,
            format!(
                "{} chord: slope {} with h = {}",
                scheme.name(),
                format_number(g.chord_slope),
                format_h(h)
            ),
        ),
    ];
    let row_height = 24.0;
    let galleys: Vec<_> = rows
        .iter()
        .map(|(colour, _, text)| painter.layout_no_wrap(text.clone(), font.clone(), colour.egui()))
        .collect();
    let width = galleys.iter().map(|g| g.size().x).fold(0.0, f32::max) + 58.0;
    let left = (plot.min.x + plot.size().x * 0.5 + 60.0)
        .min(plot.max.x - width - 4.0)
        .max(plot.min.x + 8.0);
    let top = plot.min.y + 6.0;
    let frame = egui::Rect::from_min_size(
        egui::pos2(left, top),
        egui::vec2(width, row_height * 2.0 + 10.0),
    );
    painter.rect_filled(frame, 6.0, egui::Color32::from_black_alpha(175));
    for (i, ((colour, dashed, _), galley)) in rows.iter().zip(galleys).enumerate() {
        let y = top + 5.0 + row_height * (i as f32 + 0.5);
        let a = egui::pos2(left + 10.0, y);
        let b = egui::pos2(left + 42.0, y);
        let stroke = Stroke::new(3.0, colour.egui());
        if *dashed {
            painter.add(egui::Shape::dashed_line(&[a, b], stroke, 9.0, 5.0));
        } else {
            painter.line_segment([a, b], stroke);
        }
        painter.galley(
            egui::pos2(left + 50.0, y - galley.size().y / 2.0),
            galley,
            colour.egui(),
        );
    }
}
