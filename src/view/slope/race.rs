//! The other balls in a race, every ball's fading trail, and the cues: an arrow to where each ball goes
//! next (green when the loss falls, red when it overshoots) and, for momentum, the velocity it carries.
//! In a race every ball is named (its rule and learning rate) by a label that keeps clear of the other
//! labels, the balls and the plot's edges.

use bevy::prelude::*;
use bevy_egui::egui::{self, FontId, Pos2, Rect, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::ball::{BALL_RADIUS, Ball, Glide, glide_duration};
use super::overlay::scene_painter;
use super::{PanelWidth, PlotArea};
use crate::AppSystems;
use crate::EguiPass;
use crate::math::Curve;
use crate::math::descent::Descent;
use crate::math::optimizer::Method;
use crate::scene::Scene;
use crate::sim::{LearningRate, LossCurve, Rivals, Run, StepsPerSecond};
use crate::text::{LessonText, fill};
use crate::theme::numbers::format_number;
use crate::theme::{palette, pos};

/// How many past positions a trail shows.
pub const TRAIL_DOTS: usize = 24;
/// Longest cue arrow, in pixels.
const LONGEST_ARROW: f32 = 140.0;

pub fn plugin(app: &mut App) {
    app.init_resource::<RivalGlides>()
        .add_systems(Update, glide_rivals.in_set(AppSystems::View))
        .add_systems(
            EguiPrimaryContextPass,
            paint_race
                .in_set(EguiPass::Cues)
                .run_if(in_state(Scene::Slope)),
        );
}

/// A ball's name, on the scene and in the loss plot's key: its rule and learning rate.
/// A ball's name in everyday words: plain steps, or keeps its speed (momentum); other rules by name.
pub fn plain_ball_label(lesson: &LessonText, method: Method) -> String {
    match method {
        Method::Gd => lesson.exhibit.plain_ball.clone(),
        Method::Momentum | Method::Nesterov => lesson.exhibit.momentum_ball.clone(),
        other => lesson.optimizer_name(other).to_owned(),
    }
}

pub fn ball_label(lesson: &LessonText, method: Method, learning_rate: f64) -> String {
    fill(
        &lesson.race.ball,
        &[
            ("method", lesson.optimizer_name(method).to_owned()),
            ("lr", format_number(learning_rate)),
        ],
    )
}

/// Where each rival ball is drawn, gliding like the main ball.
#[derive(Resource, Default, Debug, Clone, PartialEq)]
pub struct RivalGlides(pub Vec<Glide>);

fn glide_rivals(
    time: Res<Time>,
    rivals: Res<Rivals>,
    speed: Res<StepsPerSecond>,
    mut glides: ResMut<RivalGlides>,
) {
    // A ball that joins the race appears where it starts, instead of gliding in from x = 0.
    glides.0.truncate(rivals.0.len());
    for rival in &rivals.0[glides.0.len()..] {
        glides.0.push(Glide::resting(rival.run.x));
    }
    for (glide, rival) in glides.0.iter_mut().zip(&rivals.0) {
        glide.follow(rival.run.x, glide_duration(speed.0), time.delta_secs());
    }
}

fn arrow(painter: &egui::Painter, from: Vec2, to: Vec2, colour: egui::Color32, width: f32) {
    let d = to - from;
    let length = d.length();
    if !(length.is_finite() && length > 4.0) {
        return;
    }
    let to = from + d / length * length.min(LONGEST_ARROW);
    let head = crate::theme::Head {
        length: 9.0,
        half_width: 5.0,
    };
    crate::theme::arrow(painter, pos(from), pos(to), colour, width, head);
}

/// The trail and cues of one ball drawn at `shown_x`.
fn paint_ball_cues(
    painter: &egui::Painter,
    plot: &PlotArea,
    curve: &Curve,
    run: &Descent,
    lr: f64,
    shown_x: f64,
    colour: palette::Rgb,
) {
    let pal = crate::theme::palette_of(painter.ctx());
    let trail: Vec<f64> = run.trail(TRAIL_DOTS).collect();
    for (i, &x) in trail.iter().enumerate() {
        let at = plot.to_screen(x, curve.value(x));
        if plot.contains(at) {
            let fade = (i + 1) as f32 / (trail.len() + 1) as f32;
            let c = colour.egui().gamma_multiply(0.15 + 0.5 * fade);
            painter.circle_filled(pos(at), 2.0 + 2.5 * fade, c);
        }
    }
    if !run.is_running() {
        return;
    }
    let from = plot.to_screen(shown_x, curve.value(shown_x));
    if !plot.contains(from) {
        return;
    }
    // Where the next update lands, and whether the loss falls there.
    let mut optimizer = run.optimizer;
    let next = optimizer.step(run.x, curve.slope(run.x), lr);
    let (now_loss, next_loss) = (curve.value(run.x), curve.value(next));
    if next.is_finite() && next_loss.is_finite() {
        let good = next_loss < now_loss;
        let colour = if good { pal.good } else { pal.warning };
        let to = plot.to_screen(next, next_loss);
        arrow(
            painter,
            from + Vec2::new(0.0, -20.0),
            to + Vec2::new(0.0, -20.0),
            colour.egui(),
            2.5,
        );
    }
    if run.optimizer.method.has_velocity() {
        // The velocity the ball carries, as the move it would make on its own: -lr * mu * v.
        let carried = -lr * run.optimizer.settings.momentum * run.optimizer.velocity;
        let to = plot.to_screen(run.x + carried, curve.value(run.x));
        let from_x = plot.to_screen(run.x, curve.value(run.x));
        arrow(
            painter,
            from_x + Vec2::new(0.0, 20.0),
            Vec2::new(to.x, from_x.y + 20.0),
            pal.text.egui(),
            2.0,
        );
    }
}

pub fn paint_race(
    theme: Res<crate::theme::Theme>,
    mut contexts: EguiContexts,
    loss_curve: Res<LossCurve>,
    plot: Res<PlotArea>,
    panel: Res<PanelWidth>,
    run: Res<Run>,
    learning_rate: Res<LearningRate>,
    rivals: Res<Rivals>,
    glides: Res<RivalGlides>,
    ball: Single<&Glide, With<Ball>>,
    lesson: Res<LessonText>,
    sizing: Res<crate::theme::Sizing>,
    guides: Res<super::guides::Guides>,
    shown: Option<Res<crate::scene::Shown>>,
    legend: Option<Res<super::overlay::LegendRect>>,
) -> Result {
    let pal = theme.0;
    let ctx = contexts.ctx_mut()?;
    let painter = scene_painter(ctx, &plot, &panel);
    let curve = &*loss_curve.0;
    // Where no numbers are shown (the attract loop, a visitor), a ball says what kind of ball it is.
    let technical = shown.is_none_or(|s| s.technical);
    let label = |method: Method, lr: f64| {
        if technical {
            ball_label(&lesson, method, lr)
        } else {
            plain_ball_label(&lesson, method)
        }
    };
    paint_ball_cues(
        &painter,
        &plot,
        curve,
        &run.0,
        learning_rate.0,
        ball.x(),
        pal.balls[0],
    );
    // Every ball where it is drawn, with its name: the main one first.
    let mut named = vec![(
        ball.x(),
        label(run.0.optimizer.method, learning_rate.0),
        pal.balls[0],
    )];
    for (i, (rival, glide)) in rivals.0.iter().zip(&glides.0).enumerate() {
        let colour = pal.ball_colour(i + 1);
        paint_ball_cues(
            &painter,
            &plot,
            curve,
            &rival.run,
            rival.learning_rate,
            glide.x(),
            colour,
        );
        let at = plot.to_screen(glide.x(), curve.value(glide.x()));
        if plot.contains(at) {
            painter.circle(
                pos(at),
                10.0,
                colour.egui(),
                Stroke::new(2.0, pal.background.egui()),
            );
        }
        named.push((
            glide.x(),
            label(rival.run.optimizer.method, rival.learning_rate),
            colour,
        ));
    }
    // Every ball carries its tag (optimizer and learning rate) on the desktop, the lone one too; in the
    // attract loop and for a visitor only a race names its balls.
    if named.len() > 1 || technical {
        paint_ball_labels(
            &painter,
            &plot,
            curve,
            &guides.0,
            &named,
            sizing.text(14.0),
            legend.and_then(|l| l.0),
        );
    }
    Ok(())
}

/// Gap between a ball and its label, and between stacked labels, in pixels.
const LABEL_GAP: f32 = 4.0;
/// Padding inside a label's backing.
const LABEL_PAD: egui::Vec2 = egui::vec2(5.0, 2.0);
/// A label further than this from its ball gets a thin line back to it.
const LEADER_BEYOND: f32 = 34.0;

/// Names each ball in view, `(x, name, colour)`, beside it; labels keep clear of each other, of the balls, of
/// the key at the top of the plot and of the minima's names, and stay inside the plot.
fn paint_ball_labels(
    painter: &egui::Painter,
    plot: &PlotArea,
    curve: &Curve,
    guides: &super::guides::GuideGeometry,
    balls: &[(f64, String, palette::Rgb)],
    size: f32,
    legend: Option<Rect>,
) {
    let font = FontId::proportional(size);
    let bounds = Rect::from_min_max(pos(plot.min), pos(plot.max));
    let shown: Vec<(Vec2, &String, palette::Rgb)> = balls
        .iter()
        .map(|(x, name, colour)| (plot.to_screen(*x, curve.value(*x)), name, *colour))
        .filter(|(at, _, _)| at.is_finite() && plot.contains(*at))
        .collect();
    let galleys: Vec<_> = shown
        .iter()
        .map(|(_, name, colour)| {
            painter.layout_no_wrap((*name).clone(), font.clone(), colour.egui())
        })
        .collect();
    let anchors: Vec<Pos2> = shown.iter().map(|(at, _, _)| pos(*at)).collect();
    let sizes: Vec<egui::Vec2> = galleys.iter().map(|g| g.size() + 2.0 * LABEL_PAD).collect();
    // The key of the tangent and chord, where it was painted this frame (else where it usually sits, along
    // the top of the plot's right half); minima are named below their markers.
    let mut keep_clear = vec![legend.unwrap_or(Rect::from_min_max(
        egui::pos2(bounds.left() + 0.3 * bounds.width(), bounds.top()),
        egui::pos2(bounds.right(), bounds.top() + 66.0),
    ))];
    // The zoom's buttons in the plot's corner, where the panel put them last frame.
    if let Some(buttons) = painter
        .ctx()
        .memory(|m| m.area_rect(egui::Id::new("zoom-buttons")))
    {
        keep_clear.push(buttons);
    }
    // The chord's rise-over-run legs and the "h = ..." under the run, at the main ball.
    let leg = |a: Vec2, b: Vec2| Rect::from_two_pos(pos(a), pos(b)).expand(4.0);
    keep_clear.push(leg(guides.chord_start, guides.run_corner));
    keep_clear.push(leg(guides.run_corner, guides.chord_end));
    let run_mid = pos((guides.chord_start + guides.run_corner) / 2.0);
    keep_clear.push(Rect::from_min_max(
        run_mid + egui::vec2(-70.0, 4.0),
        run_mid + egui::vec2(70.0, 28.0),
    ));
    for minimum in curve.minima() {
        let at = pos(plot.to_screen(minimum.x, minimum.y));
        keep_clear.push(Rect::from_min_max(
            at + egui::vec2(-50.0, 6.0),
            at + egui::vec2(130.0, 32.0),
        ));
    }
    let places = place_labels(&anchors, &sizes, BALL_RADIUS, bounds, &keep_clear);
    for ((place, galley), (&anchor, (_, _, colour))) in
        places.iter().zip(galleys).zip(anchors.iter().zip(&shown))
    {
        if place.center().distance(anchor) > LEADER_BEYOND {
            let from = place.clamp(anchor);
            painter.line_segment(
                [from, anchor],
                Stroke::new(1.0, colour.egui().gamma_multiply(0.6)),
            );
        }
        painter.rect_filled(*place, 4.0, crate::theme::label_plate(painter.ctx()));
        painter.galley(place.min + LABEL_PAD, galley, colour.egui());
    }
}

/// Where each label goes: `anchors` are the balls (radius `radius`), `sizes` the labels' sizes. Each label in
/// turn takes the first spot, among ever further ones beside, above and below its ball, that lies inside
/// `bounds` and overlaps no label placed before it, no ball and nothing in `keep_clear`; when none is free it
/// takes the one that overlaps least.
pub fn place_labels(
    anchors: &[Pos2],
    sizes: &[egui::Vec2],
    radius: f32,
    bounds: Rect,
    keep_clear: &[Rect],
) -> Vec<Rect> {
    let discs: Vec<Rect> = anchors
        .iter()
        .map(|&a| Rect::from_center_size(a, egui::Vec2::splat(2.0 * radius)))
        .collect();
    let mut placed: Vec<Rect> = Vec::with_capacity(anchors.len());
    for (&anchor, &size) in anchors.iter().zip(sizes) {
        let reach = radius + LABEL_GAP;
        let mut candidates = vec![
            // Right of the ball, left of it, then above and below it.
            Rect::from_min_size(anchor + egui::vec2(reach, -size.y / 2.0), size),
            Rect::from_min_size(anchor + egui::vec2(-reach - size.x, -size.y / 2.0), size),
        ];
        for k in 0..12 {
            let lift = reach + k as f32 * (size.y + LABEL_GAP);
            candidates.push(Rect::from_min_size(
                anchor + egui::vec2(-size.x / 2.0, -lift - size.y),
                size,
            ));
            candidates.push(Rect::from_min_size(
                anchor + egui::vec2(-size.x / 2.0, lift),
                size,
            ));
        }
        let overlap = |r: &Rect| -> f32 {
            placed
                .iter()
                .chain(&discs)
                .chain(keep_clear)
                .map(|o| {
                    let i = r.intersect(*o);
                    if i.is_positive() { i.area() } else { 0.0 }
                })
                .sum()
        };
        let best = candidates
            .into_iter()
            .map(|r| inside(r, bounds))
            .map(|r| (overlap(&r), r))
            .enumerate()
            .min_by(|(i, (a, _)), (j, (b, _))| a.total_cmp(b).then(i.cmp(j)))
            .map(|(_, (_, r))| r)
            .unwrap_or(Rect::from_min_size(anchor, size));
        placed.push(best);
    }
    placed
}

/// `r` moved (not resized) to lie inside `bounds`, as far as it fits.
fn inside(r: Rect, bounds: Rect) -> Rect {
    let dx = (bounds.left() - r.left()).max(0.0) + (bounds.right() - r.right()).min(0.0);
    let dy = (bounds.top() - r.top()).max(0.0) + (bounds.bottom() - r.bottom()).min(0.0);
    r.translate(egui::vec2(dx, dy))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlaps(a: &Rect, b: &Rect) -> bool {
        a.intersect(*b).is_positive()
    }

    #[test]
    fn six_labels_of_balls_on_top_of_each_other_keep_clear_of_each_other_and_the_edges() {
        let bounds = Rect::from_min_max(egui::pos2(70.0, 150.0), egui::pos2(890.0, 656.0));
        // Six balls settled at the bottom of the bowl, all within a few pixels, close to the bottom edge.
        let anchors: Vec<Pos2> = (0..6)
            .map(|i| egui::pos2(480.0 + i as f32 * 3.0, 650.0))
            .collect();
        let sizes = vec![egui::vec2(96.0, 21.0); 6];
        let places = place_labels(&anchors, &sizes, 12.0, bounds, &[]);
        for (i, a) in places.iter().enumerate() {
            assert!(
                bounds.contains_rect(*a),
                "label {i} at {a:?} leaves the plot"
            );
            for (j, b) in places.iter().enumerate().skip(i + 1) {
                assert!(!overlaps(a, b), "labels {i} and {j} overlap: {a:?} {b:?}");
            }
            for (j, &ball) in anchors.iter().enumerate() {
                let disc = Rect::from_center_size(ball, egui::Vec2::splat(24.0));
                assert!(!overlaps(a, &disc), "label {i} covers ball {j}");
            }
        }
    }

    #[test]
    fn a_label_sits_right_beside_a_lone_ball_and_turns_back_at_the_right_edge() {
        let bounds = Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(800.0, 600.0));
        let size = egui::vec2(90.0, 20.0);
        let places = place_labels(&[egui::pos2(300.0, 300.0)], &[size], 12.0, bounds, &[]);
        assert_eq!(places[0].left(), 300.0 + 12.0 + LABEL_GAP);
        assert_eq!(places[0].center().y, 300.0);
        // Near the right edge it goes on the left instead of running off the plot.
        let places = place_labels(&[egui::pos2(790.0, 300.0)], &[size], 12.0, bounds, &[]);
        assert_eq!(places[0].right(), 790.0 - 12.0 - LABEL_GAP);
        // And it avoids what it is told to keep clear of.
        let keep = Rect::from_min_max(egui::pos2(310.0, 280.0), egui::pos2(800.0, 320.0));
        let places = place_labels(&[egui::pos2(300.0, 300.0)], &[size], 12.0, bounds, &[keep]);
        assert!(!overlaps(&places[0], &keep), "{:?}", places[0]);
    }
}
