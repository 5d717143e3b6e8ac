//! Scene 1's run: the curve, the learning rate, h, the ball's x (and the balls racing it), and the systems
//! that advance it.
//!
//! Input and the panel write parameters and [`RunCommand`]s; the fixed-step systems here advance the run;
//! the view and the panel only read what this module owns.

use bevy::prelude::*;

use crate::launch::Launch;
pub use crate::limits::MAX_BALLS;
use crate::limits::{CHORD_STEP, LEARNING_RATE};
use crate::math::descent::{Descent, RunStatus};
use crate::math::difference::{Scheme, h_decades_below_one};
use crate::scenarios::Scenario;
use crate::sim::playback::Owed;
use std::sync::Arc;

use crate::math::Curve;
use crate::math::optimizer::{Method, Optimizer, Settings};
use bevy::ecs::system::SystemParam;

/// Learning rates the Up and Down keys walk through: round numbers, and the ones where the bowl changes
/// behaviour (0.5 lands in one step, 0.75 alternates, 1 bounces for ever, 1.1 diverges).
pub const LEARNING_RATE_LADDER: [f64; 22] = [
    1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9,
    1.0, 1.1, 1.25, 1.5, 2.0,
];
/// How many decades "Shrink h" walks in steps: 1, 0.1, ... 1e-6.
pub const SHRINK_DECADES: usize = 7;
/// How long the step-by-decade shrink holds each decade, in seconds.
pub const SHRINK_HOLD_SECONDS: f64 = 1.6;
/// The smooth shrink glides log10(h) from 0 to this many decades down.
pub const SMOOTH_SHRINK_DECADES: f64 = 16.0;
/// Seconds the smooth shrink takes to glide one decade.
pub const SMOOTH_GLIDE_SECONDS: f64 = 1.0;
/// Seconds the smooth shrink holds at each decade.
pub const SMOOTH_HOLD_SECONDS: f64 = 0.8;
/// The simulation's fixed tick rate.
pub const TICKS_PER_SECOND: f64 = 60.0;

/// The loss curve the ball rolls on in scene 1 (scene 2's surface is the loss landscape).
#[derive(Resource, Clone, Debug)]
pub struct LossCurve(pub Arc<Curve>);

impl Default for LossCurve {
    fn default() -> Self {
        Self(Launch::default().curve)
    }
}

/// The learning rate lr in x <- x - lr * f'(x).
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct LearningRate(pub f64);

impl Default for LearningRate {
    fn default() -> Self {
        Self(Launch::default().learning_rate)
    }
}

impl LearningRate {
    /// The next learning rate up the ladder (Up key).
    pub fn raised(self) -> Self {
        let next = LEARNING_RATE_LADDER
            .iter()
            .copied()
            .find(|&lr| lr > self.0 * (1.0 + 1e-9));
        Self(
            next.unwrap_or(LEARNING_RATE_LADDER[LEARNING_RATE_LADDER.len() - 1])
                .max(self.0),
        )
    }

    /// The next learning rate down the ladder (Down key).
    pub fn lowered(self) -> Self {
        let next = LEARNING_RATE_LADDER
            .iter()
            .rev()
            .copied()
            .find(|&lr| lr < self.0 * (1.0 - 1e-9));
        Self(next.unwrap_or(LEARNING_RATE_LADDER[0]).min(self.0))
    }

    /// A typed learning rate, checked: a clear reason in English when it cannot be used.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::typed(text).map_err(|refused| refused.to_string())
    }

    /// A typed learning rate, checked: why not, when it cannot be used (the panel says it in its language).
    pub fn typed(text: &str) -> Result<Self, RefusedRate> {
        let trimmed = text.trim();
        let refused = |why| RefusedRate {
            why,
            typed: trimmed.to_owned(),
        };
        let value: f64 = trimmed
            .parse()
            .map_err(|_| refused(RateProblem::NotANumber))?;
        if !value.is_finite() {
            return Err(refused(RateProblem::NotFinite));
        }
        if !LEARNING_RATE.contains(value) {
            return Err(refused(RateProblem::OutOfRange));
        }
        Ok(Self(value))
    }
}

/// What is wrong with a typed learning rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateProblem {
    NotANumber,
    NotFinite,
    /// Outside [`LEARNING_RATE`].
    OutOfRange,
}

/// A typed learning rate that cannot be used: what is wrong and what was typed (trimmed). Displayed, it is
/// the reason in English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedRate {
    pub why: RateProblem,
    pub typed: String,
}

impl std::fmt::Display for RefusedRate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let typed = &self.typed;
        match self.why {
            RateProblem::NotANumber => write!(
                f,
                "'{typed}' is not a number: type a learning rate such as 0.1"
            ),
            RateProblem::NotFinite => write!(
                f,
                "'{typed}' is not a finite number: type a learning rate such as 0.1"
            ),
            RateProblem::OutOfRange => {
                write!(f, "{}, not {typed}", LEARNING_RATE.range_sentence())
            }
        }
    }
}

/// The step h of the chord from (x, f(x)) to (x + h, f(x + h)).
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct ChordStep(pub f64);

impl Default for ChordStep {
    fn default() -> Self {
        Self(Launch::default().chord_step)
    }
}

impl ChordStep {
    /// h clamped into the range the chord allows; a non-number leaves h as it was.
    pub fn clamped(self, previous: Self) -> Self {
        if self.0.is_nan() {
            return previous;
        }
        Self(CHORD_STEP.clamp(self.0))
    }
}

/// How many gradient steps the run takes per second while playing.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct StepsPerSecond(pub f64);

impl Default for StepsPerSecond {
    fn default() -> Self {
        Self(Launch::default().speed)
    }
}

/// Whether the run is playing, and the fraction of a step owed to it.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct Playback {
    pub playing: bool,
    owed_steps: Owed,
    /// Keep stepping a ball that is running away (the exhibit's scripted "too large" scene shows the ball
    /// thrown out); a person's Play stops there instead, with the reason said.
    pub through_runaway: bool,
}

impl Playback {
    /// Playback that starts playing (or not) with nothing owed.
    pub fn new(playing: bool) -> Self {
        Self {
            playing,
            owed_steps: Owed::default(),
            through_runaway: false,
        }
    }

    /// Scripted playback that goes on while a ball runs away, until it leaves the number line.
    pub fn scripted() -> Self {
        Self {
            through_runaway: true,
            ..Self::new(true)
        }
    }
}

/// How "Shrink h" moves: gliding continuously in log10(h), or jumping a decade at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ShrinkMode {
    /// log10(h) glides from 0 to -16, holding at each decade.
    #[default]
    Smooth,
    /// h jumps 1, 0.1, ... 1e-6, holding at each.
    Decades,
}

/// "Shrink h": an animation of h along a timeline that can play, pause and be scrubbed.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct ChordShrink {
    pub mode: ShrinkMode,
    /// The animation owns h while active.
    pub active: bool,
    pub playing: bool,
    /// Where on the timeline it is, in seconds from h = 1.
    pub seconds: f64,
}

impl ChordShrink {
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// Length of the whole timeline in seconds.
    pub fn duration(&self) -> f64 {
        match self.mode {
            ShrinkMode::Smooth => {
                SMOOTH_SHRINK_DECADES * (SMOOTH_GLIDE_SECONDS + SMOOTH_HOLD_SECONDS)
            }
            ShrinkMode::Decades => (SHRINK_DECADES - 1) as f64 * SHRINK_HOLD_SECONDS,
        }
    }

    /// The last decade the animation reaches: 16 (h = 1e-16) smooth, 6 (h = 1e-6) by decades.
    pub fn last_decade(&self) -> f64 {
        match self.mode {
            ShrinkMode::Smooth => SMOOTH_SHRINK_DECADES,
            ShrinkMode::Decades => (SHRINK_DECADES - 1) as f64,
        }
    }

    /// How many decades below 1 h is now: -log10(h).
    pub fn decades_down(&self) -> f64 {
        let t = self.seconds.max(0.0);
        let p = match self.mode {
            ShrinkMode::Smooth => {
                let period = SMOOTH_GLIDE_SECONDS + SMOOTH_HOLD_SECONDS;
                let k = (t / period).floor();
                k + ((t - k * period) / SMOOTH_GLIDE_SECONDS).min(1.0)
            }
            ShrinkMode::Decades => (t / SHRINK_HOLD_SECONDS).floor(),
        };
        p.min(self.last_decade())
    }

    /// The timeline position where h is `decades` decades below 1 (for scrubbing).
    pub fn seconds_at(&self, decades: f64) -> f64 {
        let p = decades.clamp(0.0, self.last_decade());
        match self.mode {
            ShrinkMode::Smooth => {
                let k = p.floor();
                k * (SMOOTH_GLIDE_SECONDS + SMOOTH_HOLD_SECONDS) + (p - k) * SMOOTH_GLIDE_SECONDS
            }
            ShrinkMode::Decades => p.round() * SHRINK_HOLD_SECONDS,
        }
    }

    /// h at the current position.
    pub fn h(&self) -> f64 {
        h_decades_below_one(self.decades_down())
    }

    pub fn is_finished(&self) -> bool {
        self.seconds >= self.duration()
    }
}

/// What a person asked of "Shrink h".
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ShrinkCommand {
    /// Start from h = 1 and play, or stop if it is going.
    Toggle,
    /// Pause or resume (from the start again if it had finished).
    TogglePause,
    /// Jump to h = 10^-decades and pause there.
    Scrub(f64),
    /// Glide smoothly, or jump by decades.
    Mode(ShrinkMode),
}

/// Which pointer is dragging the ball, if any (input sets it; the view and the pacing read it).
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub struct PointerDrag {
    pub grab: Option<Grab>,
    /// The x the drag last asked for, so the same x is not asked for twice.
    pub last_x: Option<f64>,
}

/// The ball is held where the run is by something other than a pointer: the exhibit's sweep puts it at a
/// new x every frame. Like a dragged ball it is drawn there at once, never gliding behind the tangent.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallHeld(pub bool);

/// The mouse, or one finger by its touch id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grab {
    Mouse,
    Touch(u64),
}

/// Which chord the scene draws and measures: forward, backward or central.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct DifferenceScheme(pub Scheme);

/// A ball racing the main one, with its own learning rate and update rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rival {
    pub learning_rate: f64,
    pub run: Descent,
}

/// The balls racing the main one (up to five).
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct Rivals(pub Vec<Rival>);

/// The rule and learning rate "+ Add a ball" offers, given the (rule, learning rate) of every ball racing:
/// the rule fewest balls race with (the first along [`Method::ALL`] on a tie), at a learning rate it settles
/// with on this curve, stepped down the ladder if a ball of that rule already races at it.
pub fn suggested_ball(curve: &Curve, racing: &[(Method, f64)]) -> (Method, f64) {
    let raced = |method: Method| racing.iter().filter(|b| b.0 == method).count();
    let method = Method::ALL
        .into_iter()
        .min_by_key(|&m| raced(m))
        .unwrap_or_default();
    let mut lr = LearningRate(suited_learning_rate(curve, method));
    while racing.contains(&(method, lr.0)) && lr.lowered() != lr {
        lr = lr.lowered();
    }
    (method, lr.0)
}

/// A learning rate on the ladder with which `method` settles on `curve` without wild jumps.
///
/// Plain descent steps lr * f'(x): below 2 / f'' it cannot overshoot for ever, so it takes a quarter of that
/// (at the steepest bend in view), and no step longer than a tenth of the view (where the view is steepest).
/// Momentum and Nesterov build up several steps' worth of speed, so a fifth of plain descent's rate.
/// RMSprop's and Adam's steps are about lr long whatever the slope (RMSprop's first ones ten times that), so
/// a small part of the view.
fn suited_learning_rate(curve: &Curve, method: Method) -> f64 {
    const SAMPLES: usize = 400;
    let (lo, hi) = curve.x_range;
    let width = hi - lo;
    let (mut bend, mut steepest) = (0.0f64, 0.0f64);
    for i in 0..=SAMPLES {
        let x = lo + width * i as f64 / SAMPLES as f64;
        let (b, s) = (curve.bend(x).abs(), curve.slope(x).abs());
        if b.is_finite() {
            bend = bend.max(b);
        }
        if s.is_finite() {
            steepest = steepest.max(s);
        }
    }
    let plain = (0.5 / bend).min(0.1 * width / steepest);
    let raw = match method {
        Method::Gd => plain,
        Method::Momentum | Method::Nesterov => 0.2 * plain,
        Method::RmsProp => width / 300.0,
        Method::Adam => width / 100.0,
    };
    // Round down to the ladder (a curve with no bend and no slope at all gets the default rate).
    let raw = if raw.is_finite() {
        raw
    } else {
        LearningRate::default().0
    };
    LEARNING_RATE_LADDER
        .iter()
        .rev()
        .copied()
        .find(|&lr| lr <= raw * (1.0 + 1e-9))
        .unwrap_or(LEARNING_RATE_LADDER[0])
}

/// The optimizers' settings (mu, alpha, beta1, beta2, eps), shared by every ball.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct OptimizerSettings(pub Settings);

/// The gradient-descent run on the current curve.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct Run(pub Descent);

impl Default for Run {
    fn default() -> Self {
        let curve = LossCurve::default().0;
        Self(Descent::new(&curve, curve.default_start))
    }
}

/// What a person asked the run to do, from a key, the panel or the pointer.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum RunCommand {
    /// Play if paused, pause if playing.
    TogglePlay,
    /// Take exactly one step now (and pause).
    Step,
    /// Back to the start point, paused, step 0.
    Reset,
    /// Start a fresh run from this x (drag or click); pauses.
    StartAt(f64),
    /// Switch to another curve; the run restarts at the curve's own start point.
    ChooseCurve(Arc<Curve>),
    /// Drive the "Shrink h" animation.
    Shrink(ShrinkCommand),
    /// Undo one step of every ball.
    StepBack,
    /// Give ball `ball` (0 is the main one) another update rule; that ball restarts.
    SetMethod { ball: usize, method: Method },
    /// Add a ball to the race (at most [`MAX_BALLS`] in all) at the start point; the others go on as they were.
    AddBall { method: Method, learning_rate: f64 },
    /// Take ball `ball` (1 or more) out of the race.
    RemoveBall(usize),
    /// Set up a story: a curve, a start, and the balls that race on it; then play.
    Scenario(Arc<Scenario>),
    /// Set h; stops "Shrink h".
    SetChordStep(f64),
}

/// Every ball on the curve: the main one (which the tangent and chord follow) and its rivals in a race.
#[derive(SystemParam)]
pub struct Balls<'w> {
    pub run: ResMut<'w, Run>,
    pub rivals: ResMut<'w, Rivals>,
    pub learning_rate: ResMut<'w, LearningRate>,
    pub settings: ResMut<'w, OptimizerSettings>,
}

impl Balls<'_> {
    /// True while any ball can still move.
    pub fn anyone_running(&self) -> bool {
        self.run.0.is_running() || self.rivals.0.iter().any(|r| r.run.is_running())
    }

    /// True while any ball is running away (and so could still be stepped).
    pub fn anyone_running_away(&self) -> bool {
        let away = |run: &Descent| matches!(run.status, RunStatus::RunningAway { .. });
        away(&self.run.0) || self.rivals.0.iter().any(|r| away(&r.run))
    }

    /// One step for every ball that can still step, each with its own learning rate (a step by hand).
    pub fn step_all(&mut self, curve: &Curve) {
        self.step_where(curve, |run| !run.status.is_stopped());
    }

    /// One step for every ball still rolling (playing): a ball that has settled or is running away holds
    /// where it is, in view, while the others play on.
    pub fn step_rolling(&mut self, curve: &Curve) {
        self.step_where(curve, Descent::is_running);
    }

    pub fn step_where(&mut self, curve: &Curve, moves: impl Fn(&Descent) -> bool) {
        let settings = self.settings.0;
        let lr = self.learning_rate.0;
        let main = std::iter::once((&mut self.run.0, lr));
        let rivals = self
            .rivals
            .0
            .iter_mut()
            .map(|r| (&mut r.run, r.learning_rate));
        for (run, lr) in main.chain(rivals) {
            if moves(run) {
                run.optimizer.settings = settings;
                run.advance(curve, lr);
            }
        }
    }

    /// Every ball back to `start` with its optimizer's state cleared.
    pub fn restart_all(&mut self, curve: &Curve, start: f64) {
        let settings = self.settings.0;
        let fresh = |run: &Descent| {
            let mut optimizer = run.optimizer.fresh();
            optimizer.settings = settings;
            Descent::with(curve, start, optimizer)
        };
        self.run.0 = fresh(&self.run.0);
        for rival in &mut self.rivals.0 {
            rival.run = fresh(&rival.run);
        }
    }

    /// A ball joins the race at the start point, with its own rule and learning rate (kept within the
    /// learning rate's limits); the race goes on where it is. At most [`MAX_BALLS`] in all.
    pub fn add(&mut self, curve: &Curve, method: Method, learning_rate: f64) {
        if !learning_rate.is_finite() || self.rivals.0.len() + 1 >= MAX_BALLS {
            return;
        }
        let optimizer = Optimizer::new(method, self.settings.0);
        self.rivals.0.push(Rival {
            learning_rate: LEARNING_RATE.clamp(learning_rate),
            run: Descent::with(curve, self.run.0.start, optimizer),
        });
    }

    /// The balls of `scenario` on its curve, at its start, with its settings: the first is the main one.
    pub fn set_up(&mut self, scenario: &Scenario) {
        let Some(&(first, lr)) = scenario.balls.first() else {
            return;
        };
        let curve = scenario.curve.as_ref();
        let settings = scenario.settings_with(self.settings.0);
        self.settings.0 = settings;
        self.learning_rate.0 = lr;
        self.run.0 = Descent::with(curve, scenario.start, Optimizer::new(first, settings));
        self.rivals.0 = scenario.balls[1..]
            .iter()
            .take(MAX_BALLS - 1)
            .map(|&(method, learning_rate)| Rival {
                learning_rate,
                run: Descent::with(curve, scenario.start, Optimizer::new(method, settings)),
            })
            .collect();
    }

    pub fn step_back_all(&mut self) {
        self.run.0.step_back();
        for rival in &mut self.rivals.0 {
            rival.run.step_back();
        }
    }
}

pub(super) fn apply_run_commands(
    mut commands: MessageReader<RunCommand>,
    mut loss_curve: ResMut<LossCurve>,
    mut balls: Balls,
    mut playback: ResMut<Playback>,
    mut shrink: ResMut<ChordShrink>,
    mut chord: ResMut<ChordStep>,
) {
    for command in commands.read() {
        let curve = loss_curve.0.clone();
        let curve = curve.as_ref();
        let start = balls.run.0.start;
        match command.clone() {
            RunCommand::TogglePlay => {
                if playback.playing {
                    playback.playing = false;
                } else if balls.anyone_running() {
                    playback.playing = true;
                    // The first step comes a moment after Play, not instantly.
                    playback.owed_steps.clear();
                }
            }
            RunCommand::Step => {
                playback.playing = false;
                balls.step_all(curve);
            }
            RunCommand::StepBack => {
                playback.playing = false;
                balls.step_back_all();
            }
            RunCommand::Reset => {
                playback.playing = false;
                balls.restart_all(curve, start);
            }
            RunCommand::StartAt(x) => {
                if x.is_finite() {
                    let (lo, hi) = curve.x_range;
                    playback.playing = false;
                    balls.restart_all(curve, x.clamp(lo, hi));
                }
            }
            RunCommand::ChooseCurve(next) => {
                playback.playing = false;
                balls.restart_all(&next, next.default_start);
                loss_curve.0 = next;
            }
            RunCommand::SetMethod { ball, method } => {
                playback.playing = false;
                let optimizer = Optimizer::new(method, balls.settings.0);
                if ball == 0 {
                    balls.run.0 = Descent::with(curve, start, optimizer);
                } else if let Some(rival) = balls.rivals.0.get_mut(ball - 1) {
                    rival.run = Descent::with(curve, start, optimizer);
                }
            }
            RunCommand::AddBall {
                method,
                learning_rate,
            } => balls.add(curve, method, learning_rate),
            RunCommand::RemoveBall(ball) => {
                if ball >= 1 && ball <= balls.rivals.0.len() {
                    balls.rivals.0.remove(ball - 1);
                }
            }
            RunCommand::Scenario(scenario) => {
                if !scenario.balls.is_empty() {
                    loss_curve.0 = scenario.curve.clone();
                    balls.set_up(&scenario);
                    playback.playing = true;
                    playback.owed_steps.clear();
                }
            }
            RunCommand::Shrink(order) => {
                apply_shrink_command(&mut shrink, order);
                if shrink.active {
                    chord.set_if_neq(ChordStep(shrink.h()));
                }
            }
            RunCommand::SetChordStep(h) => {
                *shrink = ChordShrink::default();
                chord.set_if_neq(ChordStep(h).clamped(*chord));
            }
        }
    }
}

pub(super) fn advance_run_on_schedule(
    time: Res<Time>,
    loss_curve: Res<LossCurve>,
    speed: Res<StepsPerSecond>,
    mut playback: ResMut<Playback>,
    mut balls: Balls,
) {
    if !playback.playing {
        return;
    }
    let through = playback.through_runaway;
    let going = |balls: &Balls| balls.anyone_running() || (through && balls.anyone_running_away());
    if !going(&balls) {
        playback.playing = false;
        return;
    }
    let curve = loss_curve.0.clone();
    let playing = playback.owed_steps.pay(time.delta_secs_f64(), speed.0, || {
        if through {
            balls.step_where(&curve, |run| {
                run.is_running() || matches!(run.status, RunStatus::RunningAway { .. })
            });
        } else {
            balls.step_rolling(&curve);
        }
        going(&balls)
    });
    playback.playing = playing;
}

fn apply_shrink_command(shrink: &mut ChordShrink, order: ShrinkCommand) {
    match order {
        ShrinkCommand::Toggle => {
            *shrink = ChordShrink {
                mode: shrink.mode,
                active: !shrink.active,
                playing: !shrink.active,
                seconds: 0.0,
            };
        }
        ShrinkCommand::TogglePause => {
            if !shrink.active || shrink.is_finished() {
                *shrink = ChordShrink {
                    mode: shrink.mode,
                    active: true,
                    playing: true,
                    seconds: 0.0,
                };
            } else {
                shrink.playing = !shrink.playing;
            }
        }
        ShrinkCommand::Scrub(decades) => {
            if decades.is_finite() {
                shrink.active = true;
                shrink.playing = false;
                shrink.seconds = shrink.seconds_at(decades);
            }
        }
        ShrinkCommand::Mode(mode) => {
            let here = shrink.decades_down();
            shrink.mode = mode;
            shrink.seconds = shrink.seconds_at(here);
        }
    }
}

pub(super) fn shrink_chord_step(
    time: Res<Time>,
    mut shrink: ResMut<ChordShrink>,
    mut chord: ResMut<ChordStep>,
) {
    if !shrink.active {
        return;
    }
    if shrink.playing {
        shrink.seconds = (shrink.seconds + time.delta_secs_f64()).min(shrink.duration());
        if shrink.is_finished() {
            shrink.playing = false;
        }
    }
    chord.set_if_neq(ChordStep(shrink.h()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::descent::RunStatus;

    #[test]
    fn the_learning_rate_ladder_hits_the_bowls_turning_points() {
        let mut lr = LearningRate(0.1);
        let mut seen = vec![lr.0];
        while lr.raised() != lr {
            lr = lr.raised();
            seen.push(lr.0);
        }
        for wanted in [0.5, 0.75, 1.0, 1.1, 2.0] {
            assert!(seen.contains(&wanted), "{wanted} missing from {seen:?}");
        }
        assert_eq!(LearningRate(2.0).raised(), LearningRate(2.0));
        assert_eq!(LearningRate(1e-4).lowered(), LearningRate(1e-4));
        assert_eq!(LearningRate(0.33).lowered(), LearningRate(0.3));
        assert_eq!(LearningRate(0.33).raised(), LearningRate(0.4));
    }

    #[test]
    fn typed_learning_rates_are_checked() {
        assert_eq!(LearningRate::parse(" 0.25 "), Ok(LearningRate(0.25)));
        assert!(
            LearningRate::parse("abc")
                .unwrap_err()
                .contains("not a number")
        );
        assert!(LearningRate::parse("NaN").unwrap_err().contains("finite"));
        assert!(LearningRate::parse("inf").unwrap_err().contains("finite"));
        assert!(LearningRate::parse("-1").unwrap_err().contains("between"));
        assert!(LearningRate::parse("0").unwrap_err().contains("between"));
    }

    #[test]
    fn the_smooth_shrink_glides_then_holds_at_each_decade() {
        let mut shrink = ChordShrink {
            active: true,
            playing: true,
            ..default()
        };
        shrink.seconds = 0.5 * SMOOTH_GLIDE_SECONDS;
        assert!((shrink.decades_down() - 0.5).abs() < 1e-12);
        shrink.seconds = SMOOTH_GLIDE_SECONDS + 0.5 * SMOOTH_HOLD_SECONDS;
        assert_eq!(shrink.h(), 0.1, "holding at the first decade");
        shrink.seconds = shrink.duration();
        assert_eq!(shrink.h(), 1e-16);
        for p in [0.0, 0.25, 3.0, 7.5, 16.0] {
            shrink.seconds = shrink.seconds_at(p);
            assert!((shrink.decades_down() - p).abs() < 1e-9, "scrub to {p}");
        }
    }

    /// Races one ball alone from `start` for `steps` steps; the run and whether it stayed in view.
    fn race_alone(curve: &Curve, start: f64, ball: (Method, f64), steps: usize) -> (Descent, bool) {
        let mut run = Descent::with(curve, start, Optimizer::new(ball.0, Settings::default()));
        let (lo, hi) = curve.x_range;
        let mut in_view = true;
        for _ in 0..steps {
            if !run.is_running() {
                break;
            }
            run.advance(curve, ball.1);
            in_view &= (lo..=hi).contains(&run.x);
        }
        (run, in_view)
    }

    #[test]
    fn an_added_ball_brings_a_new_rule_and_rate_that_settle_on_the_curve() {
        let bowl = Curve::shared("bowl").unwrap();
        // The balls of "Learning rate too large": plain descent at four rates.
        let racing = [
            (Method::Gd, 1.05),
            (Method::Gd, 0.1),
            (Method::Gd, 0.5),
            (Method::Gd, 0.75),
        ];
        let mut racing = racing.to_vec();
        for curve in Curve::builtins() {
            let start = curve.default_start;
            let mut balls = vec![(Method::Gd, 0.1)];
            for _ in 1..MAX_BALLS {
                let added = suggested_ball(curve, &balls);
                assert!(
                    !balls.contains(&added),
                    "{}: {added:?} is already racing in {balls:?}",
                    curve.name
                );
                balls.push(added);
            }
            let methods: Vec<Method> = balls.iter().map(|b| b.0).collect();
            for method in Method::ALL {
                assert!(
                    methods.contains(&method),
                    "{}: no {method:?} in {balls:?}",
                    curve.name
                );
            }
            // On curves with a minimum to find, every suggestion gets there without leaving the view.
            if ["bowl", "double-well", "ripples", "plateau", "cliff"].contains(&curve.name.as_str())
            {
                for &ball in &balls[1..] {
                    let (run, in_view) = race_alone(curve, start, ball, 10_000);
                    assert!(
                        matches!(run.status, RunStatus::Converged { .. }) && in_view,
                        "{}: {ball:?} from {start} ended {:?} at {}",
                        curve.name,
                        run.status,
                        run.x
                    );
                }
            }
        }
        let added = suggested_ball(&bowl, &racing);
        assert_ne!(added.0, Method::Gd, "a rule that is not racing yet");
        racing.push(added);
        let (run, in_view) = race_alone(&bowl, 1.5, added, 10_000);
        assert!(
            matches!(run.status, RunStatus::Converged { .. }) && in_view,
            "{added:?}: {run:?}"
        );
    }

    #[test]
    fn h_is_clamped_and_a_nan_h_is_ignored() {
        let before = ChordStep(0.1);
        assert_eq!(ChordStep(10.0).clamped(before), ChordStep(1.0));
        assert_eq!(ChordStep(1e-300).clamped(before), ChordStep(1e-16));
        assert_eq!(ChordStep(f64::NAN).clamped(before), before);
    }
}
