//! Scene 2, from slope to gradient: a line y_hat = w x + b fitted to points by descending the loss L(w, b).
//! The scene's state and the systems that change it; `view::gradient` draws it, `ui::gradient` shows its
//! numbers and controls, `input::gradient` turns the pointer into [`GradientCommand`]s.

use bevy::prelude::*;

use crate::AppSystems;
use crate::limits::LEARNING_RATE;
use crate::math::minibatch::{NOISY_POINTS, SplitMix64, noisy_line, pick_batch};
use crate::math::optimizer::{Method, Settings};
use crate::math::regression::{Fit, MAX_POINTS, Point, least_squares, lesson_data};
use crate::scene::Scene;
use crate::sim::playback::Owed;
use crate::sim::{OptimizerSettings, StepsPerSecond};

/// Most steps "Fit" takes at once.
pub const FIT_STEP_LIMIT: u64 = 200_000;
/// Most steps "Fit" takes at once with a minibatch: a noisy run hovers about the best line and never
/// settles, so it would otherwise always take all of [`FIT_STEP_LIMIT`] (and the path keeps fewer).
pub const FIT_BATCH_STEP_LIMIT: u64 = 2_000;
/// The seed a run starts with.
pub const DEFAULT_SEED: u64 = 1;

pub fn plugin(app: &mut App) {
    app.init_resource::<GradientRun>()
        .add_message::<GradientCommand>()
        .add_systems(Update, apply_gradient_commands.in_set(AppSystems::Simulate))
        .add_systems(
            FixedUpdate,
            advance_fit_on_schedule
                .in_set(AppSystems::Simulate)
                .run_if(in_state(Scene::Gradient)),
        );
}

/// The (w, b) rectangle the loss landscape shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LandscapeView {
    pub w: (f64, f64),
    pub b: (f64, f64),
}

impl Default for LandscapeView {
    fn default() -> Self {
        Self {
            w: (-1.0, 3.0),
            b: (-2.0, 3.0),
        }
    }
}

impl LandscapeView {
    /// The view moved by (dw, db); a move that would leave +-1e9 is refused.
    pub fn panned(self, dw: f64, db: f64) -> Self {
        Self {
            w: (self.w.0 + dw, self.w.1 + dw),
            b: (self.b.0 + db, self.b.1 + db),
        }
        .or(self)
    }

    /// `self` when every edge is a finite number within +-1e9, else `fallback`.
    fn or(self, fallback: Self) -> Self {
        let fine = [self.w.0, self.w.1, self.b.0, self.b.1]
            .iter()
            .all(|v| v.is_finite() && v.abs() <= 1e9);
        if fine { self } else { fallback }
    }

    /// The view zoomed by `factor` (below 1 zooms in) about (w, b), kept between 1e-3 and 1e4 wide.
    pub fn zoomed(self, factor: f64, about: (f64, f64)) -> Self {
        let width = (self.w.1 - self.w.0) * factor;
        let height = (self.b.1 - self.b.0) * factor;
        if !(1e-3..=1e4).contains(&width) || !(1e-3..=1e4).contains(&height) {
            return self;
        }
        let scale =
            |(lo, hi): (f64, f64), at: f64| (at + (lo - at) * factor, at + (hi - at) * factor);
        Self {
            w: scale(self.w, about.0),
            b: scale(self.b, about.1),
        }
        .or(self)
    }
}

/// Everything scene 2 shows: the points, the run on (w, b), its learning rate and rule, its batch, and the
/// view.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct GradientRun {
    pub points: Vec<Point>,
    pub fit: Fit,
    pub learning_rate: f64,
    pub method: Method,
    pub playing: bool,
    owed_steps: Owed,
    pub view: LandscapeView,
    /// How many points each step's gradient uses, drawn at random; `None` is every point (plain descent).
    /// Asking for all of them or more sets `None`; a batch that points removed later have caught up with
    /// is plain descent too ([`GradientRun::batch_size`]).
    pub batch: Option<usize>,
    /// Where the batches' generator starts: the same seed replays the same run.
    pub seed: u64,
    /// The generator, back at `seed` whenever the run starts again.
    rng: SplitMix64,
}

/// Where scene 2 starts: the lesson's point and (w, b) = (0.5, 0).
pub const START: (f64, f64) = (0.5, 0.0);

impl Default for GradientRun {
    fn default() -> Self {
        Self {
            points: lesson_data(),
            fit: Fit::new(START, Method::Gd, Settings::default()),
            learning_rate: 0.05,
            method: Method::Gd,
            playing: false,
            owed_steps: Owed::default(),
            view: LandscapeView::default(),
            batch: None,
            seed: DEFAULT_SEED,
            rng: SplitMix64::new(DEFAULT_SEED),
        }
    }
}

impl GradientRun {
    /// A fresh run from `start` with the current rule, its batches drawn from the seed again.
    fn restart(&mut self, start: (f64, f64), settings: Settings) {
        self.playing = false;
        self.fit = Fit::new(start, self.method, settings);
        self.rng = SplitMix64::new(self.seed);
    }

    /// The batch size in force: `Some(k)` while it is below the number of points, `None` for plain descent.
    pub fn batch_size(&self) -> Option<usize> {
        self.batch.filter(|&k| k < self.points.len())
    }
}

/// One step of `fit` at `lr`: with `batch` below the number of points, on the gradient of a batch drawn
/// from `rng`; otherwise plain descent.
fn step_fit(fit: &mut Fit, points: &[Point], lr: f64, batch: Option<usize>, rng: &mut SplitMix64) {
    match batch.filter(|&k| k < points.len()) {
        Some(k) => {
            let picked = pick_batch(rng, points.len(), k);
            fit.advance_batch(points, &picked, lr);
        }
        None => {
            fit.advance(points, lr);
        }
    }
}

/// What a person asked scene 2 to do.
#[derive(Message, Clone, Copy, Debug, PartialEq)]
pub enum GradientCommand {
    TogglePlay,
    Step,
    /// Back to the start, step 0.
    Reset,
    /// Run until converged (or diverged), at once.
    Fit,
    /// Start again from this (w, b).
    StartAt(f64, f64),
    MovePoint(usize, Point),
    AddPoint(Point),
    RemovePoint(usize),
    /// Back to the lesson's single point (2, 3).
    LessonPoint,
    SetMethod(Method),
    SetLearningRate(f64),
    Pan(f64, f64),
    Zoom(f64, (f64, f64)),
    /// Show the whole run and the best line.
    FitView,
    /// How many points each step's gradient uses (`None`: all of them); the run goes on.
    SetBatch(Option<usize>),
    /// Draw the batches from this seed, starting the run again.
    SetSeed(u64),
    /// 100 points scattered about a line (from the seed), starting the run again.
    NoisyLine,
}

fn apply_gradient_commands(
    mut commands: MessageReader<GradientCommand>,
    mut gradient: ResMut<GradientRun>,
    settings: Option<Res<OptimizerSettings>>,
) {
    let settings = settings.map_or_else(Settings::default, |s| s.0);
    for command in commands.read() {
        let r = &mut *gradient;
        match *command {
            GradientCommand::TogglePlay => {
                r.playing = !r.playing && r.fit.is_running();
                r.owed_steps.clear();
            }
            GradientCommand::Step => {
                r.playing = false;
                step_fit(&mut r.fit, &r.points, r.learning_rate, r.batch, &mut r.rng);
            }
            GradientCommand::Reset => {
                let start = r.fit.start;
                r.restart(start, settings);
            }
            GradientCommand::Fit => {
                r.playing = false;
                let limit = if r.batch_size().is_some() {
                    FIT_BATCH_STEP_LIMIT
                } else {
                    FIT_STEP_LIMIT
                };
                let mut taken = 0;
                while r.fit.is_running() && taken < limit {
                    step_fit(&mut r.fit, &r.points, r.learning_rate, r.batch, &mut r.rng);
                    taken += 1;
                }
            }
            GradientCommand::StartAt(w, b) => {
                if w.is_finite() && b.is_finite() {
                    r.restart((w, b), settings);
                }
            }
            GradientCommand::MovePoint(i, p) => {
                if let Some(point) = r.points.get_mut(i)
                    && p.x.is_finite()
                    && p.y.is_finite()
                {
                    *point = p;
                    let start = r.fit.start;
                    r.restart(start, settings);
                }
            }
            GradientCommand::AddPoint(p) => {
                if r.points.len() < MAX_POINTS && p.x.is_finite() && p.y.is_finite() {
                    r.points.push(p);
                    let start = r.fit.start;
                    r.restart(start, settings);
                }
            }
            GradientCommand::RemovePoint(i) => {
                if r.points.len() > 1 && i < r.points.len() {
                    r.points.remove(i);
                    let start = r.fit.start;
                    r.restart(start, settings);
                }
            }
            GradientCommand::LessonPoint => {
                r.points = lesson_data();
                let start = r.fit.start;
                r.restart(start, settings);
            }
            GradientCommand::SetMethod(method) => {
                r.method = method;
                let start = r.fit.start;
                r.restart(start, settings);
            }
            GradientCommand::SetLearningRate(lr) => {
                if lr.is_finite() {
                    r.learning_rate = LEARNING_RATE.clamp(lr);
                }
            }
            GradientCommand::Pan(dw, db) => {
                if dw.is_finite() && db.is_finite() {
                    r.view = r.view.panned(dw, db);
                }
            }
            GradientCommand::Zoom(factor, about) => {
                if factor.is_finite() && factor > 0.0 && about.0.is_finite() && about.1.is_finite()
                {
                    r.view = r.view.zoomed(factor, about);
                }
            }
            GradientCommand::FitView => r.view = framing(r),
            GradientCommand::SetBatch(batch) => {
                r.batch = batch.map(|k| k.max(1)).filter(|&k| k < r.points.len());
            }
            GradientCommand::SetSeed(seed) => {
                r.seed = seed;
                let start = r.fit.start;
                r.restart(start, settings);
            }
            GradientCommand::NoisyLine => {
                r.points = noisy_line(r.seed, NOISY_POINTS);
                let start = r.fit.start;
                r.restart(start, settings);
            }
        }
    }
}

fn advance_fit_on_schedule(
    time: Res<Time>,
    speed: Option<Res<StepsPerSecond>>,
    mut gradient: ResMut<GradientRun>,
) {
    if !gradient.playing {
        return;
    }
    let per_second = speed.map_or(StepsPerSecond::default().0, |s| s.0);
    let GradientRun {
        points,
        fit,
        learning_rate,
        owed_steps,
        batch,
        rng,
        ..
    } = &mut *gradient;
    let playing = owed_steps.pay(time.delta_secs_f64(), per_second, || {
        step_fit(fit, points, *learning_rate, *batch, rng);
        fit.is_running()
    });
    gradient.playing = playing;
}

/// A view that shows the start, the whole path, the current (w, b) and the best line, with a margin.
pub fn framing(gradient: &GradientRun) -> LandscapeView {
    let fit = &gradient.fit;
    let mut ws: Vec<f64> = fit
        .path
        .iter()
        .map(|p| p.0)
        .chain([fit.w, fit.start.0])
        .collect();
    let mut bs: Vec<f64> = fit
        .path
        .iter()
        .map(|p| p.1)
        .chain([fit.b, fit.start.1])
        .collect();
    if let Some((w, b)) = least_squares(&gradient.points) {
        ws.push(w);
        bs.push(b);
    }
    let span = |v: &[f64]| {
        let lo = v
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::INFINITY, f64::min);
        let hi = v
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            return (-1.0, 1.0);
        }
        let pad = ((hi - lo) * 0.2).max(0.5);
        (lo - pad, hi + pad)
    };
    LandscapeView {
        w: span(&ws),
        b: span(&bs),
    }
}
