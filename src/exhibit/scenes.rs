//! The attract loop's scenes: each sets the run up from defaults, then a small script moves the ball.

use bevy::prelude::*;

use super::config::{SceneSpec, Show};
use crate::math::descent::{Descent, preview_step};
use crate::math::regression::Point;
use crate::scene::Scene;
use crate::sim::gradient::GradientRun;
use crate::sim::{
    BallHeld, ChordStep, LearningRate, LossCurve, Playback, Run, RunCommand, ShrinkCommand,
    StepsPerSecond,
};
use crate::view::slope::derivative::SlopePlot;
use crate::view::slope::lens::ZoomLens;

/// The points of the attract loop's gradient scene: the lesson's (2, 3) and three neighbours.
const EXHIBIT_POINTS: [(f64, f64); 4] = [(0.0, 1.2), (1.0, 1.7), (2.0, 3.0), (3.0, 3.6)];

/// Seconds the ball rests at each stop of the slope and sign scenes (it glides between stops).
const STOP_SECONDS: f64 = 2.4;
/// The slope scene's stops, as fractions of the reach either side of the lowest point: on the bowl
/// x = -2, -1, 0, 1, 2, where the slopes are -4, -2, 0, 2, 4.
const SLOPE_STOPS: [f64; 5] = [-1.0, -0.5, 0.0, 0.5, 1.0];
/// The sign scene's stops: one side of the valley, then the other.
const SIGN_STOPS: [f64; 2] = [-0.75, 0.75];
/// The derivative scene sweeps the ball across this share of the curve's range, left to right ...
const SWEEP_REACH: f64 = 0.94;
/// ... in this share of the scene, then holds so the traced slope can be read whole.
const SWEEP_SHARE: f64 = 0.7;

/// The scene playing now.
#[derive(Resource, Clone, Debug)]
pub struct SceneScript {
    pub show: Show,
    /// Its place in the playlist.
    pub index: usize,
    pub caption: crate::exhibit::config::Caption,
    pub elapsed: f64,
    /// Where the ball's sweep is centred, and how far it reaches either side.
    centre: f64,
    reach: f64,
    /// The derivative scene's sweep, from and to, and the scene's length in seconds.
    sweep: (f64, f64),
    seconds: f64,
    last_x: Option<f64>,
    /// The scripted descent was stopped because its next step would throw the ball off the plot: the
    /// "too big" moment, shown until the scene ends.
    pub thrown_out: bool,
}

impl SceneScript {
    /// Where the script puts the ball at `elapsed` seconds, for the scenes that move it by hand.
    pub fn ball_x(&self) -> Option<f64> {
        let stop = (self.elapsed / STOP_SECONDS).max(0.0) as usize;
        let stops: &[f64] = match self.show {
            Show::Slope => &SLOPE_STOPS,
            Show::Sign => &SIGN_STOPS,
            Show::Derivative => {
                let t = (self.elapsed / (SWEEP_SHARE * self.seconds)).clamp(0.0, 1.0);
                // Eased at both ends, so the sweep starts and stops gently.
                let eased = t * t * (3.0 - 2.0 * t);
                let (from, to) = self.sweep;
                return Some(from + (to - from) * eased);
            }
            Show::Chord | Show::Descent | Show::Gradient => return None,
        };
        Some(self.centre + self.reach * stops[stop % stops.len()])
    }
}

/// Sets the scene up; the caller has just restored the defaults.
pub fn set_up(world: &mut World, spec: &SceneSpec, index: usize) {
    if let Some(curve) = &spec.curve {
        world.insert_resource(LossCurve(curve.clone()));
    }
    let curve = world.resource::<LossCurve>().0.clone();
    let start = spec
        .start
        .unwrap_or(curve.default_start)
        .clamp(curve.x_range.0, curve.x_range.1);
    if let Some(lr) = spec.learning_rate {
        world.insert_resource(LearningRate(lr));
    }
    if let Some(h) = spec.h {
        world.insert_resource(ChordStep(h));
    }
    if let Some(speed) = spec.speed {
        world.insert_resource(StepsPerSecond(speed));
    }
    world.insert_resource(Run(Descent::new(&curve, start)));
    world.insert_resource(Playback::new(false));
    match spec.show {
        Show::Chord => {
            world.insert_resource(ZoomLens(true));
            world.write_message(RunCommand::Shrink(ShrinkCommand::Toggle));
        }
        Show::Descent => {
            world.insert_resource(ZoomLens(false));
            match &spec.scenario {
                Some(scenario) => {
                    world.write_message(RunCommand::Scenario(scenario.clone()));
                }
                None => world.insert_resource(Playback::scripted()),
            }
        }
        Show::Gradient => {
            let mut gradient = GradientRun::default();
            gradient.points = EXHIBIT_POINTS.map(|(x, y)| Point { x, y }).to_vec();
            gradient.learning_rate = spec.learning_rate.unwrap_or(0.05);
            gradient.playing = true;
            world.insert_resource(gradient);
            world
                .resource_mut::<NextState<Scene>>()
                .set(Scene::Gradient);
        }
        Show::Derivative => {
            world.insert_resource(SlopePlot {
                shown: true,
                trace: true,
            });
            world.insert_resource(ZoomLens(false));
            world.insert_resource(BallHeld(true));
        }
        // The lens magnifies the chord: only the chord scene has one to show.
        Show::Slope | Show::Sign => {
            world.insert_resource(ZoomLens(false));
        }
    }
    let (lo, hi) = curve.x_range;
    let centre = curve
        .minima()
        .iter()
        .map(|m| m.x)
        .min_by(|a, b| curve.value(*a).total_cmp(&curve.value(*b)))
        .unwrap_or(0.5 * (lo + hi))
        .clamp(lo, hi);
    let reach = (2.0 / 3.0) * (centre - lo).min(hi - centre).max(0.15 * (hi - lo));
    // The sweep keeps to the stretch where the curve is on screen (the double well leaves the top of its
    // view before the ends of its range), a little inside it.
    let (bottom, top) = curve.y_range;
    let shown: Vec<f64> = (0..=400)
        .map(|i| lo + (hi - lo) * f64::from(i) / 400.0)
        .filter(|&x| {
            let y = curve.value(x);
            y.is_finite() && y >= bottom && y <= top - 0.04 * (top - bottom)
        })
        .collect();
    let (sweep_lo, sweep_hi) = match (shown.first(), shown.last()) {
        (Some(&a), Some(&b)) if b > a => (a, b),
        _ => (lo, hi),
    };
    let margin = 0.5 * (1.0 - SWEEP_REACH) * (sweep_hi - sweep_lo);
    world.insert_resource(SceneScript {
        show: spec.show,
        index,
        caption: spec.caption.clone(),
        elapsed: 0.0,
        centre,
        reach,
        sweep: (sweep_lo + margin, sweep_hi - margin),
        seconds: spec.seconds,
        last_x: None,
        thrown_out: false,
    });
}

/// Moves the ball for the scenes that move it by hand; stops a scripted descent before a step would throw
/// the ball off the plot, so the scene ends on the ball still in view, at its "too big" moment.
pub fn play_scene_script(
    time: Res<Time<Real>>,
    script: Option<ResMut<SceneScript>>,
    mut commands: MessageWriter<RunCommand>,
    (run, curve, learning_rate): (Res<Run>, Res<LossCurve>, Res<LearningRate>),
    mut playback: ResMut<Playback>,
) {
    let Some(mut script) = script else { return };
    script.elapsed += time.delta_secs_f64();
    if script.show == Show::Descent && playback.through_runaway && playback.playing {
        let next = preview_step(&curve.0, run.0.x, learning_rate.0, run.0.step + 1).x_new;
        let (lo, hi) = curve.0.x_range;
        let y = curve.0.value(next);
        let off =
            !next.is_finite() || next < lo || next > hi || !y.is_finite() || y > curve.0.y_range.1;
        // Only a step that lands higher than it started is too big: a ball that walks off the edge of a
        // curve with no bottom (exp, x^3) just goes.
        let higher = !y.is_finite() || y > curve.0.value(run.0.x);
        if off && higher && run.0.step > 0 {
            playback.playing = false;
            script.thrown_out = true;
        }
    }
    if let Some(x) = script.ball_x()
        && script.last_x != Some(x)
    {
        script.last_x = Some(x);
        commands.write(RunCommand::StartAt(x));
    }
}
