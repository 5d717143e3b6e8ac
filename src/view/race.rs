//! The other balls in a race, every ball's fading trail, and the cues: an arrow to where each ball goes
//! next (green when the loss falls, red when it overshoots) and, for momentum, the velocity it carries.

use bevy::prelude::*;
use bevy_egui::egui::{self, Pos2, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::ball::{Ball, Glide, glide_duration};
use super::overlay::{OverlaySystems, scene_painter};
use super::palette;
use super::{PanelWidth, PlotArea};
use crate::AppSystems;
use crate::math::Curve;
use crate::math::descent::Descent;
use crate::sim::{Landscape, LearningRate, Rivals, Run, StepsPerSecond};

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
                .run_if(crate::regression::showing(crate::regression::Scene::Slope))
                .after(OverlaySystems)
                .before(super::lens::paint_zoom_lens),
        );
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
    glides.0.resize_with(rivals.0.len(), || Glide::resting(0.0));
    for (glide, rival) in glides.0.iter_mut().zip(&rivals.0) {
        glide.follow(rival.run.x, glide_duration(speed.0), time.delta_secs());
    }
}

fn pos(p: Vec2) -> Pos2 {
    Pos2::new(p.x, p.y)
}

fn arrow(painter: &egui::Painter, from: Vec2, to: Vec2, colour: egui::Color32, width: f32) {
    let d = to - from;
    let length = d.length();
    if !(length.is_finite() && length > 4.0) {
        return;
    }
    let d = d / length;
    let to = from + d * length.min(LONGEST_ARROW);
    painter.line_segment([pos(from), pos(to)], Stroke::new(width, colour));
    let side = d.perp() * 5.0;
    let back = to - d * 9.0;
    painter.add(egui::Shape::convex_polygon(
        vec![pos(to), pos(back + side), pos(back - side)],
        colour,
        Stroke::NONE,
    ));
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
        let colour = if good {
            palette::GOOD
        } else {
            palette::WARNING
        };
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
            palette::TEXT.egui(),
            2.0,
        );
    }
}

pub fn paint_race(
    mut contexts: EguiContexts,
    landscape: Res<Landscape>,
    plot: Res<PlotArea>,
    panel: Res<PanelWidth>,
    run: Res<Run>,
    learning_rate: Res<LearningRate>,
    rivals: Res<Rivals>,
    glides: Res<RivalGlides>,
    ball: Single<&Glide, With<Ball>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let painter = scene_painter(ctx, &plot, &panel);
    let curve = &*landscape.0;
    paint_ball_cues(
        &painter,
        &plot,
        curve,
        &run.0,
        learning_rate.0,
        ball.x(),
        palette::BALLS[0],
    );
    for (i, (rival, glide)) in rivals.0.iter().zip(&glides.0).enumerate() {
        let colour = palette::BALLS[(i + 1) % palette::BALLS.len()];
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
                Stroke::new(2.0, palette::BACKGROUND.egui()),
            );
        }
    }
    Ok(())
}
