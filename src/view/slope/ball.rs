//! The ball: where it is drawn, gliding along the curve from one gradient step to the next.

use bevy::prelude::*;

use super::PlotArea;
use crate::AppSystems;
use crate::sim::PointerDrag;
use crate::sim::{LossCurve, Run, StepsPerSecond};

/// Radius of the ball in logical pixels.
pub const BALL_RADIUS: f32 = 12.0;
/// The longest a glide between two steps may take, in seconds.
const LONGEST_GLIDE: f32 = 0.45;
/// The shortest, so even fast playback moves rather than jumps.
const SHORTEST_GLIDE: f32 = 0.06;

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, spawn_ball).add_systems(
        Update,
        (glide_ball_toward_run, place_ball_on_curve)
            .chain()
            .in_set(AppSystems::View)
            .after(super::curve::trace_curve),
    );
}

/// The ball on the curve.
#[derive(Component, Debug)]
pub struct Ball;

/// The ball's trip along the curve from where it was to where the run is now.
///
/// Only x is eased; y is always f(x), so the ball follows the curve's shape instead of flying straight.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Glide {
    pub from: f64,
    pub to: f64,
    pub elapsed: f32,
    pub duration: f32,
}

impl Glide {
    pub fn resting(x: f64) -> Self {
        Self {
            from: x,
            to: x,
            elapsed: 0.0,
            duration: 0.0,
        }
    }

    /// The x where the ball is drawn now.
    pub fn x(&self) -> f64 {
        if self.duration <= 0.0 || self.elapsed >= self.duration {
            return self.to;
        }
        let t = (self.elapsed / self.duration) as f64;
        let eased = t * t * (3.0 - 2.0 * t);
        self.from + (self.to - self.from) * eased
    }

    pub fn is_moving(&self) -> bool {
        self.elapsed < self.duration
    }

    /// Head for `target` (starting a new glide from where the ball is drawn now), or go on gliding.
    pub fn follow(&mut self, target: f64, duration: f32, dt: f32) {
        if target != self.to {
            *self = Glide {
                from: self.x(),
                to: target,
                elapsed: 0.0,
                duration,
            };
        } else if self.is_moving() {
            self.elapsed += dt;
        }
    }
}

/// How long one glide takes at a playback speed: most of the time between steps, within limits.
pub fn glide_duration(steps_per_second: f64) -> f32 {
    (0.85 / steps_per_second.max(1e-3) as f32).clamp(SHORTEST_GLIDE, LONGEST_GLIDE)
}

fn ball(x: f64) -> impl Bundle {
    (
        Name::new("Ball"),
        Ball,
        Glide::resting(x),
        Transform::default(),
    )
}

fn spawn_ball(mut commands: Commands, run: Res<Run>) {
    commands.spawn(ball(run.0.x));
}

pub fn glide_ball_toward_run(
    time: Res<Time>,
    run: Res<Run>,
    speed: Res<StepsPerSecond>,
    drag: Option<Res<PointerDrag>>,
    held: Option<Res<crate::sim::BallHeld>>,
    mut glide: Single<&mut Glide, With<Ball>>,
) {
    let target = run.0.x;
    if drag.is_some_and(|drag| drag.grab.is_some()) || held.is_some_and(|held| held.0) {
        // Under a finger or the mouse, or swept along by a script, the ball stays exactly where it is held.
        **glide = Glide::resting(target);
    } else {
        glide.follow(target, glide_duration(speed.0), time.delta_secs());
    }
}

pub fn place_ball_on_curve(
    loss_curve: Res<LossCurve>,
    plot: Res<PlotArea>,
    mut ball: Single<(&Glide, &mut Transform), With<Ball>>,
) {
    let (glide, transform) = &mut *ball;
    let x = glide.x();
    let at = plot.to_world(x, loss_curve.0.value(x));
    if at.is_finite() {
        transform.translation = at.extend(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glide_eases_from_start_to_end() {
        let mut glide = Glide {
            from: 1.0,
            to: 0.0,
            elapsed: 0.0,
            duration: 0.4,
        };
        assert_eq!(glide.x(), 1.0);
        glide.elapsed = 0.2;
        assert!((glide.x() - 0.5).abs() < 1e-9);
        glide.elapsed = 0.4;
        assert_eq!(glide.x(), 0.0);
        assert!(!glide.is_moving());
    }
}
