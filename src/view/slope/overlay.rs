//! Drawn over the scene with egui, which anti-aliases and sets type: the ball, the chord's end points, tick
//! numbers and the labels that name what the lines are.

use bevy::prelude::*;
use bevy_egui::egui::{self, Align2, FontId, Pos2, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::ball::{BALL_RADIUS, Ball, Glide};
use super::curve::{axis_origin, axis_ticks};
use super::guides::GuideGeometry;
use super::labels::{Anchor, LabelPlacer};
use super::{PanelWidth, PlotArea};
use crate::EguiPass;
use crate::math::curve::MinimumKind;
use crate::math::{Curve, Scheme};
use crate::scene::Scene;
use crate::sim::{ChordStep, DifferenceScheme, LossCurve, Run};
use crate::text::{LessonText, PlotText, fill};
use crate::theme::numbers::{format_h, format_number, format_tick};
use crate::theme::{Palette, palette, pos};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<LegendRect>().add_systems(
        EguiPrimaryContextPass,
        paint_scene_overlay
            .in_set(EguiPass::Scene)
            .run_if(in_state(Scene::Slope)),
    );
}

/// Where the key of the tangent and chord was painted this frame, for the race's labels (painted after it)
/// to keep clear of.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct LegendRect(pub Option<egui::Rect>);

/// A painter on egui's background layer clipped to the scene, so nothing drawn there reaches the panel.
pub fn scene_painter(ctx: &egui::Context, plot: &PlotArea, panel: &PanelWidth) -> egui::Painter {
    let scene = egui::Rect::from_min_max(
        Pos2::ZERO,
        Pos2::new((plot.window.x - panel.0).max(0.0), plot.window.y),
    );
    ctx.layer_painter(egui::LayerId::background())
        .with_clip_rect(scene)
}

pub fn paint_scene_overlay(
    theme: Res<crate::theme::palette::Theme>,
    mut contexts: EguiContexts,
    loss_curve: Res<LossCurve>,
    plot: Res<PlotArea>,
    panel: Res<PanelWidth>,
    chord: Res<ChordStep>,
    scheme: Res<DifferenceScheme>,
    ball: Single<&Glide, With<Ball>>,
    run: Res<Run>,
    guides: Res<super::guides::Guides>,
    lens: Res<super::lens::ZoomLens>,
    sizing: Res<crate::theme::Sizing>,
    lesson: Res<LessonText>,
    shown: Option<Res<crate::scene::Shown>>,
    mut legend_at: ResMut<LegendRect>,
) -> Result {
    let pal = theme.0;
    // The attract loop and a visitor see no h in scientific notation and no "ball at x = ...".
    let technical = shown.is_none_or(|s| s.technical);
    let ctx = contexts.ctx_mut()?;
    let painter = scene_painter(ctx, &plot, &panel);
    let words = &lesson.plot;
    let curve = &*loss_curve.0;
    let small = FontId::proportional(sizing.text(14.0));
    let name_font = FontId::proportional(16.0);

    // The key comes first and every label after it keeps clear of it, of the ball and of each other.
    let legend = legend_rows(
        pal,
        &lesson,
        &guides.0,
        technical.then_some((chord.0, scheme.0)),
    );
    let lens_shown = super::lens::lens_is_shown(&lens, curve, &plot, run.0.x, chord.0, scheme.0);
    let lens_box = lens_shown.then(|| {
        let (min, max) = super::lens::lens_rect(&plot);
        Rect::from_corners(min, max)
    });
    let g = guides.0;
    let keep_clear = [g.ball, g.chord_start, g.chord_end];
    let legend_rect = paint_legend(&painter, &plot, &legend, &keep_clear, lens_box);
    let mut labels = Labels {
        painter: &painter,
        placer: LabelPlacer::within(Rect::from_corners(
            plot.min - Vec2::new(60.0, 30.0),
            plot.max + Vec2::new(0.0, 30.0),
        )),
    };
    labels.placer.reserve(legend_rect);
    legend_at.set_if_neq(LegendRect(Some(egui::Rect::from_min_max(
        pos(legend_rect.min),
        pos(legend_rect.max),
    ))));
    if let Some(lens_box) = lens_box {
        labels.placer.reserve(lens_box);
    }
    // The ball as drawn and as it will land: a label never covers it.
    let drawn = plot.to_screen(ball.x(), curve.value(ball.x()));
    let drawn = if drawn.is_finite() { drawn } else { g.ball };
    for at in [drawn, g.ball] {
        labels.placer.reserve(Rect::from_center_half_size(
            at,
            Vec2::splat(BALL_RADIUS + 2.0),
        ));
    }
    // Tick numbers sit where their ticks are; they are reserved before the names that must avoid them.
    paint_tick_numbers(&mut labels, &plot, &small);
    paint_axis_names(&mut labels, &plot, words, &name_font);
    paint_chord_marks(
        &mut labels,
        &plot,
        &g,
        technical.then_some((chord.0, scheme.0)),
        &name_font,
    );
    paint_minimum_names(&mut labels, &plot, curve, words, &small);
    paint_ball(
        &painter,
        &plot,
        drawn,
        technical.then_some(run.0.x),
        words,
        name_font,
    );
    Ok(())
}

/// Labels painted over scene 1 through one placer, so none covers another or what was reserved.
struct Labels<'a> {
    painter: &'a egui::Painter,
    placer: LabelPlacer,
}

impl Labels<'_> {
    /// `text` exactly at `at`, if that place is free; it is reserved then.
    fn fixed(&mut self, text: String, font: &FontId, at: Vec2, anchor: Anchor) {
        let pal = crate::theme::palette_of(self.painter.ctx());
        let galley = self
            .painter
            .layout_no_wrap(text, font.clone(), pal.label.egui());
        let rect = anchor.rect(at, size(&galley));
        if self.placer.is_free(rect) {
            self.placer.reserve(rect);
            self.painter.galley(pos(rect.min), galley, pal.label.egui());
        }
    }

    /// `text` at the first of `places` that is free, or nowhere.
    fn place(
        &mut self,
        text: String,
        font: &FontId,
        colour: egui::Color32,
        places: &[(Vec2, Anchor)],
    ) {
        let galley = self.painter.layout_no_wrap(text, font.clone(), colour);
        if let Some(rect) = self.placer.place(size(&galley), places) {
            self.painter.galley(pos(rect.min), galley, colour);
        }
    }
}

/// The numbers under the x ticks and beside the y ticks.
fn paint_tick_numbers(labels: &mut Labels, plot: &PlotArea, font: &FontId) {
    let (x_ticks, y_ticks) = axis_ticks(plot);
    let (ox, oy) = axis_origin(plot);
    // Zoomed in, neighbouring ticks differ only in late digits (1.1999999, 1.2, 1.2000001).
    let step = |ticks: &[f64]| ticks.get(1).zip(ticks.first()).map_or(1.0, |(b, a)| b - a);
    let (x_step, y_step) = (step(&x_ticks), step(&y_ticks));
    for &x in &x_ticks {
        let at = plot.to_screen(x, oy) + Vec2::new(0.0, 10.0);
        labels.fixed(format_tick(x, x_step), font, at, Anchor::CenterTop);
    }
    for &y in &y_ticks {
        if y == oy && ox == 0.0 {
            continue;
        }
        let at = plot.to_screen(ox, y) - Vec2::new(10.0, 0.0);
        labels.fixed(format_tick(y, y_step), font, at, Anchor::RightCenter);
    }
}

/// "x" at the end of the x axis and "loss f(x)" at the top of the y axis.
fn paint_axis_names(labels: &mut Labels, plot: &PlotArea, words: &PlotText, font: &FontId) {
    let pal = crate::theme::palette_of(labels.painter.ctx());
    let (ox, oy) = axis_origin(plot);
    let x_end = plot.to_screen(plot.x_range.1, oy);
    labels.place(
        "x".to_owned(),
        font,
        pal.label.egui(),
        &[
            (x_end + Vec2::new(-4.0, -8.0), Anchor::RightBottom),
            (x_end + Vec2::new(-4.0, 8.0), Anchor::RightTop),
            (x_end + Vec2::new(-30.0, -8.0), Anchor::RightBottom),
        ],
    );
    let y_end = plot.to_screen(ox, plot.y_range.1);
    labels.place(
        words.loss_axis.clone(),
        font,
        pal.label.egui(),
        &[
            (y_end + Vec2::new(8.0, 0.0), Anchor::LeftTop),
            (y_end + Vec2::new(-10.0, 0.0), Anchor::RightTop),
            (y_end + Vec2::new(8.0, 24.0), Anchor::LeftTop),
            (y_end + Vec2::new(-10.0, 24.0), Anchor::RightTop),
        ],
    );
}

/// The chord's ends, and how long its run is ("h = 0.1").
fn paint_chord_marks(
    labels: &mut Labels,
    plot: &PlotArea,
    g: &GuideGeometry,
    h_and_scheme: Option<(f64, Scheme)>,
    font: &FontId,
) {
    let pal = crate::theme::palette_of(labels.painter.ctx());
    for end in [g.chord_start, g.chord_end] {
        if plot.contains(end) && end != g.ball {
            labels
                .painter
                .circle_filled(pos(end), 5.5, pal.chord.egui());
        }
    }
    // The chord's ends are marked in every mode; its h only where numbers are shown.
    let Some((h, scheme)) = h_and_scheme else {
        return;
    };
    let run_mid = (g.chord_start + g.run_corner) / 2.0;
    let h_text = match scheme {
        Scheme::Central => format!("2h = 2 x {}", format_h(h)),
        _ => format!("h = {}", format_h(h)),
    };
    let mut h_places = Vec::new();
    if g.chord_start.distance(g.run_corner) > 60.0 {
        h_places.push((run_mid + Vec2::new(0.0, 6.0), Anchor::CenterTop));
        h_places.push((run_mid - Vec2::new(0.0, 6.0), Anchor::CenterBottom));
    }
    for reach in [14.0, 24.0, 40.0] {
        for end in [g.chord_end, g.run_corner, g.chord_start] {
            h_places.extend([
                (end + Vec2::new(reach, reach), Anchor::LeftTop),
                (end + Vec2::new(-reach, reach), Anchor::RightTop),
                (end + Vec2::new(reach, -reach), Anchor::LeftBottom),
                (end + Vec2::new(-reach, -reach), Anchor::RightBottom),
            ]);
        }
    }
    labels.place(h_text, font, pal.chord.egui(), &h_places);
}

/// Minima: below the marker, clear of the curve, else beside or above it.
fn paint_minimum_names(
    labels: &mut Labels,
    plot: &PlotArea,
    curve: &Curve,
    words: &PlotText,
    font: &FontId,
) {
    let pal = crate::theme::palette_of(labels.painter.ctx());
    let minima = curve.minima();
    // Name every minimum when there are a few; on a rippled curve, only the lowest.
    let crowded = minima.len() > 3;
    for minimum in minima
        .iter()
        .filter(|m| !crowded || m.kind == MinimumKind::Global)
    {
        let at = plot.to_screen(minimum.x, minimum.y);
        if !plot.contains(at) {
            continue;
        }
        let name = match (minimum.kind, minima.len()) {
            (_, 1) => &words.minimum,
            (MinimumKind::Global, _) => &words.global_minimum,
            (MinimumKind::Local, _) => &words.local_minimum,
        };
        labels.place(
            name.clone(),
            font,
            pal.minimum.egui(),
            &[
                (at + Vec2::new(0.0, 16.0), Anchor::CenterTop),
                (at + Vec2::new(12.0, 10.0), Anchor::LeftTop),
                (at + Vec2::new(-12.0, 10.0), Anchor::RightTop),
                (at + Vec2::new(14.0, 0.0), Anchor::LeftCenter),
                (at + Vec2::new(-14.0, 0.0), Anchor::RightCenter),
                (at + Vec2::new(0.0, 40.0), Anchor::CenterTop),
                (at - Vec2::new(0.0, 16.0), Anchor::CenterBottom),
            ],
        );
    }
}

/// The ball where it is drawn; once it has left the plot, an arrow at the nearest edge, and its x when
/// numbers are shown (`x` is `None` where they are not).
fn paint_ball(
    painter: &egui::Painter,
    plot: &PlotArea,
    drawn: Vec2,
    x: Option<f64>,
    words: &PlotText,
    font: FontId,
) {
    let pal = crate::theme::palette_of(painter.ctx());
    if plot.contains(drawn) {
        painter.circle(
            pos(drawn),
            BALL_RADIUS,
            pal.ball.egui(),
            Stroke::new(2.5, pal.ball_rim.egui()),
        );
        painter.circle_filled(pos(drawn), 3.5, pal.chord.egui());
        return;
    }
    let edge = drawn.clamp(plot.min + Vec2::splat(16.0), plot.max - Vec2::splat(16.0));
    let toward = (drawn - edge).normalize_or(Vec2::X);
    let tip = edge + toward * 12.0;
    let side = toward.perp() * 9.0;
    painter.add(egui::Shape::convex_polygon(
        vec![
            pos(tip),
            pos(edge - toward * 6.0 + side),
            pos(edge - toward * 6.0 - side),
        ],
        pal.ball.egui(),
        Stroke::new(1.5, pal.ball_rim.egui()),
    ));
    let Some(x) = x else {
        return;
    };
    painter.text(
        pos(edge - toward * 22.0),
        Align2::CENTER_CENTER,
        fill(&words.ball_at, &[("x", format_number(x))]),
        font,
        pal.ball_rim.egui(),
    );
}

/// The key's rows: the colour, whether the line is dashed, and the words with the run's numbers.
/// `h_and_scheme` is `None` where no numbers but the slopes are shown: the rows are in everyday words.
fn legend_rows(
    pal: &Palette,
    lesson: &LessonText,
    g: &GuideGeometry,
    h_and_scheme: Option<(f64, Scheme)>,
) -> [(palette::Rgb, bool, String); 2] {
    let words = &lesson.plot;
    let Some((h, scheme)) = h_and_scheme else {
        return [
            (
                pal.tangent,
                true,
                fill(&words.tangent_plain, &[("slope", format_number(g.slope))]),
            ),
            (
                pal.chord,
                false,
                fill(
                    &words.chord_plain,
                    &[("slope", format_number(g.chord_slope))],
                ),
            ),
        ];
    };
    [
        (
            pal.tangent,
            true,
            fill(&words.tangent, &[("slope", format_number(g.slope))]),
        ),
        (
            pal.chord,
            false,
            fill(
                &words.chord,
                &[
                    ("scheme", lesson.scheme_name(scheme).to_owned()),
                    ("slope", format_number(g.chord_slope)),
                    ("h", format_h(h)),
                ],
            ),
        ),
    ]
}

/// A small key at the top of the plot naming the two lines and their slopes, so no label sits on a line.
/// Its box is nearly opaque, so a line passing behind it does not cut through its words. Returns the box.
fn paint_legend(
    painter: &egui::Painter,
    plot: &PlotArea,
    rows: &[(palette::Rgb, bool, String); 2],
    keep_clear: &[Vec2],
    lens: Option<Rect>,
) -> Rect {
    let pal = crate::theme::palette_of(painter.ctx());
    let font = FontId::proportional(16.0);
    let row_height = 24.0;
    let galleys: Vec<_> = rows
        .iter()
        .map(|(colour, _, text)| painter.layout_no_wrap(text.clone(), font.clone(), colour.egui()))
        .collect();
    let width = galleys.iter().map(|g| g.size().x).fold(0.0, f32::max) + 62.0;
    let height = row_height * 2.0 + 10.0;
    // Top right by default; elsewhere along the top (or lower down) when the ball or the chord is there.
    let right = (plot.min.x + plot.size().x * 0.5 + 60.0)
        .min(plot.max.x - width - 4.0)
        .max(plot.min.x + 8.0);
    let places = [
        (right, plot.min.y + 6.0),
        (plot.min.x + 8.0, plot.min.y + 6.0),
        (right, plot.min.y + 6.0 + height + 12.0),
        (plot.min.x + 8.0, plot.min.y + 6.0 + height + 12.0),
    ];
    let clear = |(left, top): (f32, f32)| {
        let r = Rect::new(left, top, left + width, top + height);
        let near = r.inflate(BALL_RADIUS + 6.0);
        keep_clear.iter().all(|p| !near.contains(*p))
            && lens.is_none_or(|l| l.intersect(r).is_empty())
    };
    let (left, top) = places
        .into_iter()
        .find(|&place| clear(place))
        .unwrap_or(places[0]);
    let frame = egui::Rect::from_min_size(egui::pos2(left, top), egui::vec2(width, height));
    // Darker than the plot and nearly opaque: grid lines and the curve pass behind it, never through it.
    painter.rect_filled(frame, 6.0, pal.plate.egui_alpha(0.92));
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
    Rect::from_corners(
        Vec2::new(frame.min.x, frame.min.y),
        Vec2::new(frame.max.x, frame.max.y),
    )
}

fn size(galley: &egui::Galley) -> Vec2 {
    Vec2::new(galley.size().x, galley.size().y)
}
