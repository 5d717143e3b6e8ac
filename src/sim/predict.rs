//! Predict, then see: the player's guess of where the next step lands (the ghost ball) or of which ball
//! settles first, and how the guesses went.
//!
//! Input and the panel write [`PredictCommand`]s; these systems score each step against the guess as the
//! run takes it. Only a Step is scored: Play rolls on without asking, so a guess placed before Play is
//! dropped once the ball has moved. In a race, "which ball settles first?" is asked before Play, and Play
//! waits for the answer.

use bevy::prelude::*;

use super::slope::{LossCurve, Playback, Rivals, Run, RunCommand, apply_run_commands};
use crate::AppSystems;
use crate::launch::RestoreLaunch;
use crate::math::descent::RunStatus;
use crate::math::predict::{Outcome, RaceResult, StepFacts, Streak, judge_race, typical_slope};

pub fn plugin(app: &mut App) {
    app.init_resource::<Predict>()
        .add_message::<PredictCommand>()
        .add_observer(restore_launch)
        .add_systems(
            Update,
            (
                (apply_predict_commands, note_the_coming_step)
                    .chain()
                    .before(apply_run_commands),
                (score_the_step, judge_the_race)
                    .chain()
                    .after(apply_run_commands),
            )
                .in_set(AppSystems::Simulate),
        );
}

/// Predict mode: the guess for the next step, how the last step went, the streak, and the race's question.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct Predict {
    pub on: bool,
    /// Where the player thinks the next step lands: the ghost ball's x.
    pub guess: Option<f64>,
    /// The last step taken in predict mode: where it landed, why, and how the guess went if there was one.
    pub last: Option<Outcome>,
    /// Good guesses in a row (steps and races alike).
    pub streak: Streak,
    /// In a race: the ball (0 is the main one) the player thinks settles first, and how that came out.
    pub race_pick: Option<usize>,
    pub race_result: Option<RaceResult>,
    /// The run's (x, step) when the guess was placed: the guess is for the step from there only.
    guessed_at: Option<(f64, u64)>,
    /// How wide the view was in x when the guess was placed: it sets how close counts.
    view_width: Option<f64>,
    /// The run's (x, step) just before this frame's Step, while one is being taken.
    coming: Option<(f64, u64)>,
    /// Play was asked for this frame.
    play_asked: bool,
}

impl Predict {
    /// True while a ball can be picked for "which ball settles first?": predict mode on, a race that has not
    /// started (every ball at step 0, not playing) and no answer yet.
    pub fn can_pick(&self, run: &Run, rivals: &Rivals, playback: &Playback) -> bool {
        self.on
            && !rivals.0.is_empty()
            && self.race_result.is_none()
            && !playback.playing
            && race_at_start(run, rivals)
    }

    /// The run starts again (Reset, a new start or curve): the guess, the last step and the race's question
    /// are for a run that is gone. The streak stays: starting over is not a bad guess.
    fn start_over(&mut self) {
        self.clear_guess();
        self.last = None;
        self.coming = None;
        self.forget_the_race();
    }

    fn clear_guess(&mut self) {
        self.guess = None;
        self.guessed_at = None;
    }

    /// The balls of the race changed: the pick was for other balls.
    fn forget_the_race(&mut self) {
        self.race_pick = None;
        self.race_result = None;
    }
}

/// True while no ball of the race has taken a step yet.
pub fn race_at_start(run: &Run, rivals: &Rivals) -> bool {
    run.0.step == 0 && rivals.0.iter().all(|r| r.run.step == 0)
}

/// What the player asked of predict mode, from a key, the panel or the pointer.
#[derive(Message, Clone, Copy, Debug, PartialEq)]
pub enum PredictCommand {
    /// Predict mode on or off (key P, the panel's button). Off forgets the guess, the last step and the
    /// race's question; the streak stays.
    Toggle,
    /// Put the ghost ball at `x`: where the player thinks the next step lands. `view_width` is how wide the
    /// plot's view is in x, which sets how close counts.
    Guess { x: f64, view_width: f64 },
    /// Take the ghost ball away.
    ClearGuess,
    /// In a race, before Play: the ball (0 is the main one) the player thinks settles first.
    Pick(usize),
}

/// A fresh visitor (or the window as it opened): predict mode off, no streak.
fn restore_launch(_: On<RestoreLaunch>, mut commands: Commands) {
    commands.insert_resource(Predict::default());
}

fn apply_predict_commands(
    mut orders: MessageReader<PredictCommand>,
    loss_curve: Res<LossCurve>,
    run: Res<Run>,
    rivals: Res<Rivals>,
    playback: Res<Playback>,
    mut predict: ResMut<Predict>,
) {
    for order in orders.read() {
        match *order {
            PredictCommand::Toggle => {
                *predict = Predict {
                    on: !predict.on,
                    streak: predict.streak,
                    ..default()
                };
            }
            PredictCommand::Guess { x, view_width } => {
                if predict.on && x.is_finite() {
                    let (lo, hi) = loss_curve.0.x_range;
                    predict.guess = Some(x.clamp(lo, hi));
                    predict.guessed_at = Some((run.0.x, run.0.step));
                    predict.view_width =
                        (view_width.is_finite() && view_width > 0.0).then_some(view_width);
                }
            }
            PredictCommand::ClearGuess => predict.clear_guess(),
            PredictCommand::Pick(ball) => {
                if ball <= rivals.0.len() && predict.can_pick(&run, &rivals, &playback) {
                    predict.race_pick = Some(ball);
                }
            }
        }
    }
}

/// Notes where the run stands before this frame's Step (so the step can be told apart from any other
/// change), whether Play was asked for, and forgets what a restart makes stale.
fn note_the_coming_step(
    mut commands: MessageReader<RunCommand>,
    run: Res<Run>,
    playback: Res<Playback>,
    mut predict: ResMut<Predict>,
) {
    predict.coming = None;
    predict.play_asked = false;
    for command in commands.read() {
        match command {
            RunCommand::Step if predict.coming.is_none() && !run.0.status.is_stopped() => {
                predict.coming = Some((run.0.x, run.0.step));
            }
            RunCommand::TogglePlay => predict.play_asked |= !playback.playing,
            RunCommand::StepBack => predict.last = None,
            RunCommand::Reset
            | RunCommand::StartAt(_)
            | RunCommand::ChooseCurve(_)
            | RunCommand::Scenario(_)
            | RunCommand::SetMethod { ball: 0, .. } => predict.start_over(),
            RunCommand::SetMethod { .. }
            | RunCommand::AddBall { .. }
            | RunCommand::RemoveBall(_) => predict.forget_the_race(),
            _ => {}
        }
    }
}

/// The step just taken, against the guess: its outcome and the streak. A guess left over from a ball that
/// has moved some other way (Play, Back, a drag) is dropped.
fn score_the_step(loss_curve: Res<LossCurve>, run: Res<Run>, mut predict: ResMut<Predict>) {
    let run = &run.0;
    if let Some((x, step)) = predict.coming.take()
        && predict.on
        && let Some(record) = run.last
        && record.step == step + 1
        && record.x == x
    {
        let curve = &*loss_curve.0;
        let (lo, hi) = curve.x_range;
        let facts = StepFacts {
            start: x,
            landing: record.x_new,
            slope: record.grad,
            bend: curve.bend(x),
            lr: record.lr,
            method: run.optimizer.method,
            view_width: predict.view_width.unwrap_or(hi - lo),
            typical_slope: typical_slope(curve),
        };
        let guess = predict
            .guess
            .filter(|_| predict.guessed_at == Some((x, step)));
        let outcome = Outcome::of(record.step, &facts, guess);
        if let Some(good) = outcome.good() {
            predict.streak.record(good);
        }
        predict.last = Some(outcome);
        predict.clear_guess();
    }
    if predict.guess.is_some() && predict.guessed_at != Some((run.x, run.step)) {
        predict.clear_guess();
    }
}

/// Holds Play back until a ball is picked, and answers "which ball settles first?" once the race decides it.
fn judge_the_race(
    run: Res<Run>,
    rivals: Res<Rivals>,
    mut playback: ResMut<Playback>,
    mut predict: ResMut<Predict>,
) {
    if !predict.on || rivals.0.is_empty() {
        return;
    }
    let at_start = race_at_start(&run, &rivals);
    if predict.play_asked
        && playback.playing
        && at_start
        && predict.race_pick.is_none()
        && predict.race_result.is_none()
    {
        playback.playing = false;
    }
    if let Some(picked) = predict.race_pick
        && predict.race_result.is_none()
        && !at_start
    {
        let statuses: Vec<RunStatus> = std::iter::once(run.0.status)
            .chain(rivals.0.iter().map(|r| r.run.status))
            .collect();
        if let Some(result) = judge_race(picked, &statuses) {
            if let Some(good) = result.counts() {
                predict.streak.record(good);
            }
            predict.race_result = Some(result);
        }
    }
}
