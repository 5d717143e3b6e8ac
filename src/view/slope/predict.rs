//! Predict mode over scene 1, painted with egui: the ghost ball where the player guesses the next step
//! lands (a ring on the curve over a dashed line down to the x axis); once the step is taken, the real
//! landing (a diamond on the axis under a solid line), the miss measured along the axis with how close
//! counted, and in a race a ring round the ball picked to settle first.

use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, FontId, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::ball::{BALL_RADIUS, Ball, Glide};
use super::curve::axis_origin;
use super::labels::{Anchor, LabelPlacer};
use super::overlay::scene_painter;
use super::race::RivalGlides;
use super::{PanelWidth, PlotArea};
use crate::EguiPass;
use crate::math::Curve;
use crate::scene::Scene;
use crate::sim::predict::Predict;
use crate::sim::{LossCurve, Run};
use crate::text::{LessonText, fill};
use crate::theme::numbers::format_number;
use crate::theme::pos;

/// The ghost ring's radius: a little wider than the ball, so a guess that is spot on rings the ball.
pub const GHOST_RADIUS: f32 = BALL_RADIUS + 4.0;
/// How far above the x axis the miss is measured, in logical pixels (the tick numbers are below it).
const MISS_ABOVE_AXIS: f32 = 12.0;
/// Padding inside a label's backing.
const LABEL_PAD: Vec2 = Vec2::new(5.0, 2.0);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        paint_prediction
            .in_set(EguiPass::Cues)
            .run_if(in_state(Scene::Slope)),
    );
}

/// A mark of predict mode: its point on the curve and the foot of its line on the x axis (logical pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub on_curve: Vec2,
    pub foot: Vec2,
}

impl Mark {
    /// The mark at `x`: on the curve where it has a value there, else on the axis.
    pub fn at(plot: &PlotArea, curve: &Curve, x: f64) -> Self {
        let (_, axis_y) = axis_origin(plot);
        let foot = plot.to_screen(x, axis_y);
        let y = curve.value(x);
        Self {
            x,
            on_curve: if y.is_finite() {
                plot.to_screen(x, y)
            } else {
                foot
            },
            foot,
        }
    }
}

/// Where predict mode's marks are this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PredictMarks {
    /// The ghost ball: the guess waiting for the next step, or after a step the guess it was judged on.
    pub ghost: Option<Mark>,
    /// The real landing of the last step, while the ball still stands there.
    pub landing: Option<Mark>,
}

impl PredictMarks {
    /// The marks for `predict` with the run at `run_x` after `run_step` steps.
    pub fn new(
        plot: &PlotArea,
        curve: &Curve,
        predict: &Predict,
        run_x: f64,
        run_step: u64,
    ) -> Self {
        if !predict.on {
            return Self::default();
        }
        if let Some(guess) = predict.guess {
            return Self {
                ghost: Some(Mark::at(plot, curve, guess)),
                landing: None,
            };
        }
        match predict.last {
            Some(last) if last.step == run_step && last.landing == run_x => Self {
                ghost: last.guess.map(|g| Mark::at(plot, curve, g)),
                landing: Some(Mark::at(plot, curve, last.landing)),
            },
            _ => Self::default(),
        }
    }
}

pub fn paint_prediction(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    predict: Res<Predict>,
    loss_curve: Res<LossCurve>,
    plot: Res<PlotArea>,
    panel: Res<PanelWidth>,
    run: Res<Run>,
    ball: Single<&Glide, With<Ball>>,
    rivals: Res<RivalGlides>,
    lesson: Res<LessonText>,
    sizing: Res<crate::theme::Sizing>,
) -> Result {
    let pal = theme.0;
    if !predict.on {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    // The plot and the room round it that its labels use, as the overlay's.
    let reach = Rect::from_corners(
        plot.min - Vec2::new(60.0, 30.0),
        plot.max + Vec2::new(0.0, 30.0),
    );
    let painter = scene_painter(ctx, &plot, &panel)
        .with_clip_rect(egui::Rect::from_min_max(pos(reach.min), pos(reach.max)));
    let curve = &*loss_curve.0;
    let words = &lesson.predict;
    let font = FontId::proportional(sizing.text(14.0));
    let mut labels = Labels {
        painter: &painter,
        placer: LabelPlacer::within(reach),
        font,
    };
    let drawn = plot.to_screen(ball.x(), curve.value(ball.x()));
    labels.placer.reserve(Rect::from_center_half_size(
        drawn,
        Vec2::splat(BALL_RADIUS + 2.0),
    ));
    let marks = PredictMarks::new(&plot, curve, &predict, run.0.x, run.0.step);

    if let Some(picked) = predict.race_pick {
        let x = match picked {
            0 => Some(ball.x()),
            i => rivals.0.get(i - 1).map(Glide::x),
        };
        if let Some(x) = x {
            let at = plot.to_screen(x, curve.value(x));
            if plot.contains(at) {
                let colour = pal.ball_colour(picked);
                painter.circle_stroke(pos(at), BALL_RADIUS + 8.0, Stroke::new(2.5, colour.egui()));
                labels.place(
                    words.pick.clone(),
                    colour.egui(),
                    &beside(at, BALL_RADIUS + 12.0),
                );
            }
        }
    }
    if let (Some(landing), Some(last)) = (marks.landing, predict.last) {
        paint_landing(&painter, &plot, landing, last.tolerance);
        labels.place(
            words.landing.clone(),
            pal.reveal.egui(),
            &[
                (landing.foot + Vec2::new(10.0, -24.0), Anchor::LeftBottom),
                (landing.foot + Vec2::new(-10.0, -24.0), Anchor::RightBottom),
            ],
        );
        if let (Some(ghost), Some(judged)) = (marks.ghost, last.judged) {
            let (text, colour) = if judged.good {
                (&words.close_enough, pal.good)
            } else {
                (&words.too_far, pal.warning)
            };
            let y = landing.foot.y - MISS_ABOVE_AXIS;
            let (a, b) = (Vec2::new(ghost.foot.x, y), Vec2::new(landing.foot.x, y));
            paint_bracket(&painter, a, b, colour.egui());
            let middle = (a + b) / 2.0;
            labels.place(
                fill(text, &[("miss", format_number(judged.miss))]),
                colour.egui(),
                &[
                    (middle - Vec2::new(0.0, 8.0), Anchor::CenterBottom),
                    (middle + Vec2::new(0.0, 40.0), Anchor::CenterTop),
                    (middle - Vec2::new(0.0, 40.0), Anchor::CenterBottom),
                ],
            );
        }
    }
    if let Some(ghost) = marks.ghost {
        paint_ghost(&painter, ghost);
        if marks.landing.is_none() {
            labels.place(
                words.ghost.clone(),
                pal.ghost.egui(),
                &beside(ghost.on_curve, GHOST_RADIUS + 4.0),
            );
        }
    }
    Ok(())
}

/// Places around a ring of radius `reach` at `at`: above, right, left, below.
fn beside(at: Vec2, reach: f32) -> [(Vec2, Anchor); 4] {
    [
        (at - Vec2::new(0.0, reach), Anchor::CenterBottom),
        (at + Vec2::new(reach, 0.0), Anchor::LeftCenter),
        (at - Vec2::new(reach, 0.0), Anchor::RightCenter),
        (at + Vec2::new(0.0, reach), Anchor::CenterTop),
    ]
}

/// Where a mark's line to the axis leaves the disc of `radius` round its point on the curve (above or below
/// the axis); `None` when the point is that close to the axis.
fn edge_toward_foot(mark: Mark, radius: f32) -> Option<Vec2> {
    let down = mark.foot.y - mark.on_curve.y;
    (down.abs() > radius).then(|| mark.on_curve + Vec2::new(0.0, radius * down.signum()))
}

/// The ghost ball: a ring on the curve, a dashed line down to the axis and a short tick there.
fn paint_ghost(painter: &egui::Painter, ghost: Mark) {
    let pal = crate::theme::palette_of(painter.ctx());
    let colour = pal.ghost.egui();
    if let Some(edge) = edge_toward_foot(ghost, GHOST_RADIUS) {
        painter.add(egui::Shape::dashed_line(
            &[pos(edge), pos(ghost.foot)],
            Stroke::new(2.0, colour),
            6.0,
            5.0,
        ));
    }
    painter.line_segment(
        [
            pos(ghost.foot - Vec2::new(0.0, 6.0)),
            pos(ghost.foot + Vec2::new(0.0, 6.0)),
        ],
        Stroke::new(2.5, colour),
    );
    // A dark rim under the ring keeps it readable where it crosses the curve.
    painter.circle_stroke(
        pos(ghost.on_curve),
        GHOST_RADIUS,
        Stroke::new(5.0, pal.background.egui()),
    );
    painter.circle_stroke(pos(ghost.on_curve), GHOST_RADIUS, Stroke::new(2.5, colour));
}

/// The real landing: a solid line from under the ball down to a diamond on the axis, over the band of
/// x within `tolerance` of the landing (how close a guess had to be).
fn paint_landing(painter: &egui::Painter, plot: &PlotArea, landing: Mark, tolerance: f64) {
    let pal = crate::theme::palette_of(painter.ctx());
    let colour = pal.reveal.egui();
    let (_, axis_y) = axis_origin(plot);
    let lo = plot.to_screen(landing.x - tolerance, axis_y);
    let hi = plot.to_screen(landing.x + tolerance, axis_y);
    if tolerance.is_finite() && hi.x - lo.x >= 1.0 {
        painter.rect_filled(
            egui::Rect::from_min_max(
                egui::pos2(lo.x, landing.foot.y - 4.0),
                egui::pos2(hi.x, landing.foot.y + 4.0),
            ),
            2.0,
            pal.reveal.egui().gamma_multiply(0.3),
        );
    }
    if let Some(edge) = edge_toward_foot(landing, BALL_RADIUS + 3.0) {
        painter.line_segment([pos(edge), pos(landing.foot)], Stroke::new(2.0, colour));
    }
    let d = 6.5;
    let f = landing.foot;
    painter.add(egui::Shape::convex_polygon(
        vec![
            pos(f - Vec2::new(0.0, d)),
            pos(f + Vec2::new(d, 0.0)),
            pos(f + Vec2::new(0.0, d)),
            pos(f - Vec2::new(d, 0.0)),
        ],
        colour,
        Stroke::new(1.5, pal.background.egui()),
    ));
}

/// The miss along the axis: a line from the guess to the landing with a tick at each end.
fn paint_bracket(painter: &egui::Painter, a: Vec2, b: Vec2, colour: Color32) {
    let stroke = Stroke::new(2.0, colour);
    painter.line_segment([pos(a), pos(b)], stroke);
    for end in [a, b] {
        painter.line_segment(
            [
                pos(end - Vec2::new(0.0, 5.0)),
                pos(end + Vec2::new(0.0, 5.0)),
            ],
            stroke,
        );
    }
}

/// Predict mode's labels, on a dark backing, each at the first free place or not at all.
struct Labels<'a> {
    painter: &'a egui::Painter,
    placer: LabelPlacer,
    font: FontId,
}

impl Labels<'_> {
    fn place(&mut self, text: String, colour: Color32, places: &[(Vec2, Anchor)]) {
        let galley = self.painter.layout_no_wrap(text, self.font.clone(), colour);
        let size = Vec2::new(galley.size().x, galley.size().y) + 2.0 * LABEL_PAD;
        if let Some(rect) = self.placer.place(size, places) {
            self.painter.rect_filled(
                egui::Rect::from_min_max(pos(rect.min), pos(rect.max)),
                4.0,
                crate::theme::label_plate(self.painter.ctx()),
            );
            self.painter
                .galley(pos(rect.min + LABEL_PAD), galley, colour);
        }
    }
}
