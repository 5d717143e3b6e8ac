//! The command line: options for the window, and the `simulate`, `slope` and `derivative` commands that print
//! numbers and formulas.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::launch::Launch;
use crate::limits;
use crate::math::Scheme;
use crate::math::curve::Curve;
use crate::math::descent::{DIVERGED_BEYOND, Descent, RunStatus};
use crate::math::difference::{DECADES, central_difference, forward_difference};
use crate::math::minibatch::{SplitMix64, pick_batch};
use crate::math::optimizer::{Method, Optimizer, Settings};
use crate::math::regression::{
    Fit, FitStatus, MAX_POINTS, Point, largest_curvature, lesson_data, loss_at,
};
use crate::scene::Scene;
use crate::sim::gradient::DEFAULT_SEED;
use crate::theme::ThemeName;
use crate::theme::numbers::format_exact;

/// Most steps `simulate` will run, so a typo cannot print for ever.
pub const MAX_STEPS: u64 = 10_000_000;

#[derive(Parser, Debug)]
#[command(
    name = "downhill",
    version,
    about = "See what a derivative is, and watch gradient descent use it.",
    long_about = "See what a derivative is, and watch gradient descent use it.\n\n\
        With no command, downhill opens a window: a ball rolls down a loss curve one gradient-descent step at a \
        time, with the tangent at the ball (its slope is the derivative) and the chord from x to x + h \
        (shrink h and it turns into the tangent).\n\n\
        Keys in the window: Space play/pause, Right one step, R reset, Up/Down learning rate, [ and ] h down/up \
        by 10x, S shrink h, Z zoom lens, L chord lab, D the derivative's plot, F fullscreen, Esc leave fullscreen, 1 and 2 the two \
        scenes. Drag the ball or click the curve to choose the start."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub window: WindowArgs,
}

/// Options for the window.
#[derive(Args, Debug)]
pub struct WindowArgs {
    /// The curve to show first.
    #[arg(long, value_name = "NAME", default_value = "bowl", allow_hyphen_values = true, value_parser = parse_curve)]
    pub curve: Arc<Curve>,
    /// The learning rate to start with.
    #[arg(long, value_name = "LR", default_value_t = 0.1, allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_learning_rate)]
    pub lr: f64,
    /// Where the ball starts [default: the curve's own start point].
    #[arg(long, value_name = "X0", allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_finite)]
    pub x0: Option<f64>,
    /// The chord's step h, from 1e-16 to 1.
    #[arg(long, value_name = "H", default_value_t = 1.0, allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_chord_step)]
    pub h: f64,
    /// Start with the run paused (the default: people read the screen before anything moves).
    #[arg(long, conflicts_with = "play")]
    pub paused: bool,
    /// Start with the run playing.
    #[arg(long)]
    pub play: bool,
    /// Save a screenshot to this PNG file once the scene has settled, then exit.
    #[arg(long, value_name = "PATH")]
    pub screenshot: Option<PathBuf>,
    /// Frames to wait before the screenshot.
    #[arg(long, value_name = "N", default_value_t = 120, allow_hyphen_values = true, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub frames: u32,
    /// Take the screenshot this many seconds after the first frame instead, leaving the window to redraw
    /// at its own pace (as when nobody is watching a test), from 0.1 to 600.
    #[arg(long, value_name = "SECONDS", conflicts_with = "frames", value_parser = parse_wait_seconds)]
    pub wait: Option<f64>,
    /// The chord: forward (x, x+h), backward (x-h, x) or central (x-h, x+h).
    #[arg(long, value_enum, default_value_t = SchemeArg::Forward)]
    pub scheme: SchemeArg,
    /// Start with this scenario from assets/scenarios.toml (its title, or its number from 1).
    #[arg(long, value_name = "TITLE")]
    pub scenario: Option<String>,
    /// Steps per second while playing.
    #[arg(long, value_name = "N", default_value_t = 2.0, value_parser = parse_speed)]
    pub speed: f64,
    /// Open the chord lab (error plot, slope table, notation) instead of the descent controls.
    #[arg(long)]
    pub lab: bool,
    /// Draw f'(x), the derivative, as a curve of its own under the plot (key D in the window).
    #[arg(long)]
    pub derivative: bool,
    /// Draw f'(x) under the plot only where the ball has been, so it appears point by point.
    #[arg(long)]
    pub trace: bool,
    /// Start with the zoom lens hidden.
    #[arg(long)]
    pub no_lens: bool,
    /// Window size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1280x720", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Run as an unattended touch-screen exhibit: attract loop, reset for each visitor, locked down.
    #[arg(long)]
    pub exhibit: bool,
    /// The scene to open: slope (one variable, the slope at a point) or gradient (two parameters, the
    /// gradient of a line's loss). Keys 1 and 2 switch in the window.
    #[arg(long, value_enum, default_value_t = SceneArg::Slope)]
    pub scene: SceneArg,
    /// The exhibit's settings file [default: assets/exhibit.toml].
    #[arg(long, value_name = "FILE", requires = "exhibit")]
    pub config: Option<PathBuf>,
    /// The language of the text in the window, by its file in assets/lang/: en (English) or es (Español)
    /// [default: en, or the exhibit settings' language].
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// The colours: dark (light lines on near-black) or light (dark, thicker lines on near-white, for a
    /// projector or daylight). The T key switches in the window [default: dark, or the exhibit settings'
    /// theme].
    #[arg(long, value_enum)]
    pub theme: Option<ThemeArg>,
    /// How large to draw the whole interface, text and lines, from 0.75 to 3 (1.5 is 150%). Ctrl+= and
    /// Ctrl+- change it in the window, Ctrl+0 goes back to 1. A window larger than 1280x720 is drawn larger
    /// still, as much as it is larger.
    #[arg(long, value_name = "F", default_value_t = 1.0, value_parser = parse_ui_scale)]
    pub ui_scale: f64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run gradient descent without a window and print every step.
    Simulate(SimulateArgs),
    /// Print the forward and central chord slopes at a point for h = 1, 0.1, ... 1e-16.
    Slope(SlopeArgs),
    /// Print the derivative of a curve written out as a formula, such as 4x^3 - 6x + 1.
    Derivative(DerivativeArgs),
    /// Open a window with vsync off, play a scripted scene and print frame timings as JSON.
    Bench(BenchArgs),
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// full: a six-ball race with trails, h shrinking, the zoom lens and the loss plot; empty: the floor,
    /// a camera and the egui shell with an empty panel.
    #[arg(long, value_enum, default_value_t = BenchSceneArg::Full)]
    pub scene: BenchSceneArg,
    /// Frames measured after the warm-up.
    #[arg(long, value_name = "N", default_value_t = 600, allow_hyphen_values = true, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub frames: u32,
    /// Frames played before measuring.
    #[arg(long, value_name = "N", default_value_t = 120, allow_hyphen_values = true, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub warmup: u32,
    /// Window size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1280x720", value_parser = parse_size)]
    pub size: (u32, u32),
}

#[derive(Args, Debug)]
pub struct DerivativeArgs {
    /// The curve: a built-in name or a formula in x.
    #[arg(long, value_name = "NAME", default_value = "bowl", allow_hyphen_values = true, value_parser = parse_curve)]
    pub curve: Arc<Curve>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchSceneArg {
    Full,
    Empty,
}

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// The curve to descend.
    #[arg(long, value_name = "NAME", default_value = "bowl", allow_hyphen_values = true, value_parser = parse_curve)]
    pub curve: Arc<Curve>,
    /// The learning rate.
    #[arg(long, value_name = "LR", default_value_t = 0.1, allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_learning_rate)]
    pub lr: f64,
    /// The start point [default: the curve's own start point].
    #[arg(long, value_name = "X0", allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_finite)]
    pub x0: Option<f64>,
    /// The update rule, as in torch.optim.
    #[arg(long, value_enum, default_value_t = MethodArg::Gd)]
    pub optimizer: MethodArg,
    /// mu for momentum and nesterov, in [0, 1).
    #[arg(long, value_name = "MU", default_value_t = 0.9, allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_unit_interval)]
    pub momentum: f64,
    /// alpha for rmsprop, in [0, 1).
    #[arg(long, default_value_t = 0.99, allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_unit_interval)]
    pub alpha: f64,
    /// beta1 for adam, in [0, 1).
    #[arg(long, default_value_t = 0.9, allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_unit_interval)]
    pub beta1: f64,
    /// beta2 for adam, in [0, 1).
    #[arg(long, default_value_t = 0.999, allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_unit_interval)]
    pub beta2: f64,
    /// eps for rmsprop and adam, above 0.
    #[arg(long, default_value_t = 1e-8, allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_positive)]
    pub eps: f64,
    /// How many steps to take (the run stops early only if it diverges).
    #[arg(long, value_name = "N", default_value_t = 50, allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_steps)]
    pub steps: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// slope: one ball on a curve (step,x,loss,grad); gradient: a line y = w x + b fitted to points by
    /// descending the mean squared error (step,w,b,loss,dw,db).
    #[arg(long, value_enum, default_value_t = SceneArg::Slope)]
    pub scene: SceneArg,
    /// Gradient scene: the starting weight w [default: 0.5].
    #[arg(long, value_name = "W", allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_finite)]
    pub w0: Option<f64>,
    /// Gradient scene: the starting bias b [default: 0].
    #[arg(long, value_name = "B", allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_finite)]
    pub b0: Option<f64>,
    /// Gradient scene: the data, "x1,y1;x2,y2;..." (1 to 120 points) [default: "2,3"].
    #[arg(long, value_name = "X,Y;...", allow_hyphen_values = true, value_parser = parse_points)]
    pub points: Option<PointList>,
    /// Gradient scene: minibatch descent, each step on the gradient of K points picked at random, from 1 to
    /// the number of points (all of them is plain descent, number for number) [default: every point].
    #[arg(long, value_name = "K", allow_hyphen_values = true, value_parser = parse_batch)]
    pub batch: Option<usize>,
    /// Gradient scene: where the batches' random generator starts; the same seed gives the same run, on
    /// every machine [default: 1].
    #[arg(long, value_name = "S", allow_hyphen_values = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
}

/// Data points from the command line.
#[derive(Clone, Debug, PartialEq)]
pub struct PointList(pub Vec<Point>);

impl SimulateArgs {
    /// An option of one scene given to the other, as one line.
    fn mixed_scene(&self) -> Option<String> {
        match self.scene {
            SceneArg::Slope
                if self.w0.is_some()
                    || self.b0.is_some()
                    || self.points.is_some()
                    || self.batch.is_some()
                    || self.seed.is_some() =>
            {
                Some(
                    "error: --w0, --b0, --points, --batch and --seed belong to the gradient scene; add --scene \
                     gradient (the older --scene regression also works; see downhill simulate --help)"
                        .to_owned(),
                )
            }
            SceneArg::Gradient if self.x0.is_some() => Some(
                "error: --x0 belongs to the slope scene; the gradient scene starts at --w0 and --b0 \
                 (see downhill simulate --help)"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

impl SimulateArgs {
    /// A start no step can be taken from (the curve undefined there, or already past where a run counts as
    /// diverged), as one line naming the option to change.
    fn bad_start(&self) -> Option<String> {
        match self.scene {
            SceneArg::Slope => {
                let x = self.x0.unwrap_or(self.curve.default_start);
                if x.abs() > DIVERGED_BEYOND {
                    return Some(beyond("--x0", x, DIVERGED_BEYOND, "a run"));
                }
                let default = self.x0.is_none().then_some(", the curve's default start");
                undefined_at(&self.curve, x, "--x0", default.unwrap_or_default())
            }
            SceneArg::Gradient => {
                let (w, b) = (self.w0.unwrap_or(0.5), self.b0.unwrap_or(0.0));
                let limit = crate::math::regression::DIVERGED_BEYOND;
                if w.abs() > limit {
                    return Some(beyond("--w0", w, limit, "a fit"));
                }
                if b.abs() > limit {
                    return Some(beyond("--b0", b, limit, "a fit"));
                }
                let points = self
                    .points
                    .as_ref()
                    .map_or_else(lesson_data, |p| p.0.clone());
                let at = loss_at(&points, w, b);
                (![at.loss, at.dw, at.db].iter().all(|v| v.is_finite())).then(|| {
                    format!(
                        "downhill: --w0 and --b0: the line's loss has no finite value at w = {}, b = {}; start \
                         closer to 0",
                        number(w),
                        number(b),
                    )
                })
            }
        }
    }
}

impl SimulateArgs {
    /// The gradient scene's data: `--points`, or the lesson's one point.
    fn gradient_points(&self) -> Vec<Point> {
        self.points
            .as_ref()
            .map_or_else(lesson_data, |list| list.0.clone())
    }

    /// A `--batch` of no points, or of more points than there are, as one line.
    fn bad_batch(&self) -> Option<String> {
        let k = self.batch?;
        let n = self.gradient_points().len();
        let (are, points) = if n == 1 {
            ("is", "point")
        } else {
            ("are", "points")
        };
        if k == 0 {
            Some(format!(
                "error: --batch 0: a batch needs at least one point; give --batch from 1 to {n} (the number \
                 of {points}), or leave it out to use every point"
            ))
        } else if k > n {
            Some(format!(
                "error: --batch {k}: there {are} only {n} {points} to pick from; give --batch from 1 to {n}, \
                 or leave it out to use every point"
            ))
        } else {
            None
        }
    }
}

/// A start past where a run counts as diverged, as one line naming `flag`.
fn beyond(flag: &str, value: f64, limit: f64, run: &str) -> String {
    format!(
        "downhill: {flag}: {} is beyond {limit:e}, where {run} counts as diverged; start between -{limit:e} and \
         {limit:e}",
        number(value)
    )
}

/// Where `curve` has no value or no finite slope at `x`, one line saying so and naming `flag`; `note` goes
/// after the point (e.g. ", the curve's default start").
fn undefined_at(curve: &Curve, x: f64, flag: &str, note: &str) -> Option<String> {
    let (value, slope) = curve.value_and_slope(x);
    let x = number(x);
    let name = &curve.name;
    let problem = if !value.is_finite() {
        "is undefined at"
    } else if !slope.is_finite() {
        "has no finite slope at"
    } else {
        return None;
    };
    Some(format!(
        "downhill: {flag}: {name} {problem} x = {x}{note}; give {flag} a point where the curve has a value and \
         a slope"
    ))
}

/// A scene on the command line. The words of earlier versions (`curve`, `regression`) still work, so old
/// scripts and links do not break.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SceneArg {
    #[value(alias = "curve")]
    Slope,
    #[value(alias = "regression")]
    Gradient,
}

/// A theme on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeArg {
    Dark,
    Light,
}

impl From<ThemeArg> for ThemeName {
    fn from(arg: ThemeArg) -> Self {
        match arg {
            ThemeArg::Dark => ThemeName::Dark,
            ThemeArg::Light => ThemeName::Light,
        }
    }
}

impl From<SceneArg> for Scene {
    fn from(arg: SceneArg) -> Self {
        match arg {
            SceneArg::Slope => Scene::Slope,
            SceneArg::Gradient => Scene::Gradient,
        }
    }
}

/// Reads "x1,y1;x2,y2;...".
fn parse_points(text: &str) -> Result<PointList, String> {
    let mut points = Vec::new();
    for (i, pair) in text.split(';').map(str::trim).enumerate() {
        if pair.is_empty() {
            continue;
        }
        let (x, y) = pair.split_once(',').ok_or_else(|| {
            format!(
                "point {} '{pair}' is not x,y; write points as \"x1,y1;x2,y2\"",
                i + 1
            )
        })?;
        let number = |t: &str| -> Result<f64, String> {
            let v: f64 = t
                .trim()
                .parse()
                .map_err(|_| format!("point {} '{pair}': '{}' is not a number", i + 1, t.trim()))?;
            if v.is_finite() && v.abs() <= 1e6 {
                Ok(v)
            } else {
                Err(format!(
                    "point {} '{pair}': coordinates must be finite and within 1e6",
                    i + 1
                ))
            }
        };
        points.push(Point {
            x: number(x)?,
            y: number(y)?,
        });
    }
    if points.is_empty() || points.len() > MAX_POINTS {
        return Err(format!("give 1 to {MAX_POINTS} points, as \"x1,y1;x2,y2\""));
    }
    Ok(PointList(points))
}

#[derive(Args, Debug)]
pub struct SlopeArgs {
    /// The curve.
    #[arg(long, value_name = "NAME", default_value = "bowl", allow_hyphen_values = true, value_parser = parse_curve)]
    pub curve: Arc<Curve>,
    /// The point x where the slope is estimated.
    #[arg(long, value_name = "X", allow_negative_numbers = true, allow_hyphen_values = true, value_parser = parse_finite)]
    pub at: f64,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodArg {
    Gd,
    Momentum,
    Nesterov,
    Rmsprop,
    Adam,
}

impl From<MethodArg> for Method {
    fn from(arg: MethodArg) -> Self {
        match arg {
            MethodArg::Gd => Method::Gd,
            MethodArg::Momentum => Method::Momentum,
            MethodArg::Nesterov => Method::Nesterov,
            MethodArg::Rmsprop => Method::RmsProp,
            MethodArg::Adam => Method::Adam,
        }
    }
}

impl SimulateArgs {
    /// The optimizer these arguments describe.
    pub fn optimizer(&self) -> Optimizer {
        Optimizer::new(
            self.optimizer.into(),
            Settings {
                momentum: self.momentum,
                alpha: self.alpha,
                beta1: self.beta1,
                beta2: self.beta2,
                eps: self.eps,
            },
        )
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeArg {
    Forward,
    Backward,
    Central,
}

impl From<SchemeArg> for Scheme {
    fn from(arg: SchemeArg) -> Self {
        match arg {
            SchemeArg::Forward => Scheme::Forward,
            SchemeArg::Backward => Scheme::Backward,
            SchemeArg::Central => Scheme::Central,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

fn parse_curve(text: &str) -> Result<Arc<Curve>, String> {
    Curve::named_or_formula(text).map_err(|error| {
        // `--curve` takes values that start with a minus sign (`-x^2 + 4`), so a forgotten value swallows
        // the next option instead: say that rather than "not a formula".
        if looks_like_an_option(text) {
            return format!(
                "it needs a curve name or a formula before '{}'; write e.g. --curve bowl or --curve '-x^2 + 4'",
                text.trim()
            );
        }
        format!(
            "'{}' is neither a built-in curve ({}) nor a formula in x: {error}",
            text.trim(),
            Curve::names().join(", ")
        )
    })
}

/// True for text shaped like an option name (`--lr`, `-h`), not like a formula.
fn looks_like_an_option(text: &str) -> bool {
    let text = text.trim();
    let name = match text.strip_prefix("--") {
        Some(name) => name,
        None if matches!(text, "-h" | "-V") => "h",
        None => return false,
    };
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .split('=')
            .next()
            .is_some_and(|flag| flag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

fn parse_wait_seconds(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    limits::WAIT_SECONDS.check(value)
}

fn parse_finite(text: &str) -> Result<f64, String> {
    limits::read_number(text)
}

fn parse_speed(text: &str) -> Result<f64, String> {
    limits::STEPS_PER_SECOND.read(text)
}

fn parse_unit_interval(text: &str) -> Result<f64, String> {
    let value = parse_finite(text)?;
    if (0.0..1.0).contains(&value) {
        Ok(value)
    } else {
        Err("it must be at least 0 and below 1".to_owned())
    }
}

fn parse_positive(text: &str) -> Result<f64, String> {
    let value = parse_finite(text)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err("it must be above 0".to_owned())
    }
}

fn parse_learning_rate(text: &str) -> Result<f64, String> {
    limits::LEARNING_RATE.read(text)
}

fn parse_ui_scale(text: &str) -> Result<f64, String> {
    limits::TEXT_SCALE.read(text)
}

fn parse_chord_step(text: &str) -> Result<f64, String> {
    limits::CHORD_STEP.read(text)
}

fn parse_steps(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(format!(
            "'{text}' is negative; give a number of steps from 0 to {MAX_STEPS}"
        ));
    }
    let steps: u64 = trimmed
        .parse()
        .map_err(|_| format!("'{text}' is not a whole number of steps"))?;
    if steps > MAX_STEPS {
        return Err(format!("at most {MAX_STEPS} steps"));
    }
    Ok(steps)
}

fn parse_batch(text: &str) -> Result<usize, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(format!(
            "'{text}' is negative; a batch is one point or more, up to the number of points"
        ));
    }
    trimmed
        .parse()
        .map_err(|_| format!("'{text}' is not a whole number of points"))
}

fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a whole number from 0 to {}", u64::MAX))
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .trim()
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("'{text}' is not WIDTHxHEIGHT, e.g. 1280x720"))?;
    let side = |s: &str| -> Result<u32, String> {
        let v: u32 = s
            .trim()
            .parse()
            .map_err(|_| format!("'{text}' is not WIDTHxHEIGHT, e.g. 1280x720"))?;
        if (1..=16384).contains(&v) {
            Ok(v)
        } else {
            Err(format!("each side of '{text}' must be 1 to 16384"))
        }
    };
    Ok((side(w)?, side(h)?))
}

/// Why no window can open, as one line, when the environment names no display server; `None` when it names
/// one (or on systems that need none). winit reads the same variables, and panics when all are unset.
///
/// A display that is named but has no server behind it (an X display such as `:5` after its server stopped,
/// a Wayland socket that is gone) gets its own line too, since winit panics on that as well; a display this
/// cannot check (a remote X host, a Wayland socket handed over as a file descriptor) is left to winit.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
pub fn missing_display() -> Option<String> {
    use std::os::unix::net::UnixStream;
    const HEADLESS: &str =
        "or use `downhill simulate` or `downhill slope`, which print numbers without a display";
    // winit treats empty variables as unset, and checks Wayland first.
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    if var("WAYLAND_SOCKET").is_some() {
        return None;
    }
    if let Some(name) = var("WAYLAND_DISPLAY") {
        let socket = if name.starts_with('/') {
            PathBuf::from(&name)
        } else {
            match var("XDG_RUNTIME_DIR") {
                Some(dir) => PathBuf::from(dir).join(&name),
                None => {
                    return Some(format!(
                        "downhill: no display: WAYLAND_DISPLAY is {name} but XDG_RUNTIME_DIR, the folder it \
                         lives in, is not set; set it, unset WAYLAND_DISPLAY to use X, {HEADLESS}"
                    ));
                }
            }
        };
        return UnixStream::connect(&socket).is_err().then(|| {
            format!(
                "downhill: no display: no Wayland compositor answers at {} (WAYLAND_DISPLAY); log in to the \
                 desktop again, unset WAYLAND_DISPLAY to use X, {HEADLESS}",
                socket.display()
            )
        });
    }
    let Some(display) = var("DISPLAY") else {
        return Some(format!(
            "downhill: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); run it in \
             a desktop session, {HEADLESS}"
        ));
    };
    let number = local_x_display(&display)?;
    (!x_server_answers(number)).then(|| {
        format!(
            "downhill: no display: no X server answers on DISPLAY={display}; start one there or set DISPLAY to a \
             running one, {HEADLESS}"
        )
    })
}

/// Systems whose windows need no display server named in the environment.
#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
pub fn missing_display() -> Option<String> {
    None
}

/// The display number of an X display on this machine (`:0`, `:1.0`); `None` for a remote or unusual one.
pub fn local_x_display(display: &str) -> Option<&str> {
    let number = display.strip_prefix(':')?.split('.').next()?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then_some(number)
}

/// True when an X server listens on local display `number`: on Linux its abstract socket, or the socket
/// file in /tmp/.X11-unix (where libxcb looks, in that order).
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn x_server_answers(number: &str) -> bool {
    use std::os::unix::net::UnixStream;
    let path = format!("/tmp/.X11-unix/X{number}");
    #[cfg(target_os = "linux")]
    {
        use std::os::linux::net::SocketAddrExt;
        if let Ok(address) = std::os::unix::net::SocketAddr::from_abstract_name(path.as_bytes())
            && UnixStream::connect_addr(&address).is_ok()
        {
            return true;
        }
    }
    UnixStream::connect(&path).is_ok()
}

/// What `main` should do after reading the command line.
pub enum Parsed {
    /// Open the window; `exhibit` is `Some(settings file)` in exhibit mode (`None` inside for the default file).
    Window {
        launch: Launch,
        exhibit: Option<Option<PathBuf>>,
        /// `--lang`, checked against the language files when they are read.
        language: Option<String>,
        /// `--theme`, which wins over the exhibit settings' theme.
        theme: Option<ThemeName>,
    },
    Command(Command),
    /// Help or version text was asked for: print it, exit 0.
    Info(String),
    /// A one-line error: print it, exit 2.
    Error(String),
}

/// Read the arguments. Errors come back as one line that names the argument at fault.
pub fn parse<I, T>(args: I) -> Parsed
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => match cli.command {
            Some(Command::Simulate(args)) => {
                match args
                    .mixed_scene()
                    .or_else(|| args.bad_start())
                    .or_else(|| args.bad_batch())
                {
                    Some(error) => Parsed::Error(error),
                    None => Parsed::Command(Command::Simulate(args)),
                }
            }
            Some(Command::Slope(args)) => match undefined_at(&args.curve, args.at, "--at", "") {
                Some(error) => Parsed::Error(error),
                None => Parsed::Command(Command::Slope(args)),
            },
            Some(Command::Derivative(args)) if args.curve.written_derivative().text.is_none() => {
                Parsed::Error(
                    "error: the derivative of this formula is too long to write out; `downhill slope --curve \
                     F --at X` still gives its exact value at a point"
                        .to_owned(),
                )
            }
            Some(command) => Parsed::Command(command),
            None => Parsed::Window {
                exhibit: cli.window.exhibit.then_some(cli.window.config),
                language: cli.window.lang,
                theme: cli.window.theme.map(ThemeName::from),
                launch: Launch {
                    curve: cli.window.curve,
                    learning_rate: cli.window.lr,
                    start: cli.window.x0,
                    chord_step: cli.window.h,
                    paused: !cli.window.play,
                    screenshot: cli.window.screenshot,
                    frames: cli.window.frames,
                    wait: cli.window.wait,
                    size: cli.window.size,
                    scheme: cli.window.scheme.into(),
                    lab: cli.window.lab,
                    lens: !cli.window.no_lens,
                    scenario: cli.window.scenario,
                    speed: cli.window.speed,
                    vsync: true,
                    scene: cli.window.scene.into(),
                    slope_plot: cli.window.derivative,
                    trace: cli.window.trace,
                    ui_scale: cli.window.ui_scale as f32,
                    ..Launch::default()
                },
            },
        },
        Err(error) => {
            use clap::error::ErrorKind;
            match error.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    Parsed::Info(error.to_string())
                }
                _ => Parsed::Error(
                    missing_value(&args).unwrap_or_else(|| one_line(&error.to_string())),
                ),
            }
        }
    }
}

/// An option that takes a value followed straight by another option (`--curve --lr 0.1`), as one line.
///
/// Options such as `--curve` and `--x0` take values that start with a minus sign (`-x^2 + 4`, `-1.5`), so
/// clap hands them the next option as their value and then reports whatever follows as unexpected; when
/// parsing failed, the forgotten value is the likelier mistake and the one worth naming.
fn missing_value(args: &[std::ffi::OsString]) -> Option<String> {
    use clap::CommandFactory;
    let cli = Cli::command();
    let mut takes_value = std::collections::HashSet::new();
    let mut flag = std::collections::HashSet::new();
    for command in std::iter::once(&cli).chain(cli.get_subcommands()) {
        for arg in command.get_arguments() {
            if let Some(long) = arg.get_long() {
                if arg.get_action().takes_values() {
                    takes_value.insert(long);
                } else {
                    flag.insert(long);
                }
            }
        }
    }
    args.windows(2).skip(1).find_map(|pair| {
        let name = pair[0].to_str()?.strip_prefix("--")?;
        let next = pair[1].to_str()?;
        (takes_value.contains(name) && !flag.contains(name) && looks_like_an_option(next)).then(
            || {
                format!(
                    "downhill: --{name} needs a value before '{}' (see downhill --help)",
                    next.trim()
                )
            },
        )
    })
}

/// Clap's message folded to one line, without its usage block.
fn one_line(message: &str) -> String {
    let body: Vec<&str> = message
        .lines()
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let text = body.join(" ");
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    format!("downhill: {text} (see downhill --help)")
}

#[derive(Serialize)]
struct JsonStep {
    step: u64,
    x: f64,
    loss: f64,
    grad: f64,
    /// f''(x); null where it is not a finite number.
    second_derivative: Option<f64>,
}

#[derive(Serialize)]
struct JsonRun<'a> {
    curve: &'a str,
    lr: f64,
    x0: f64,
    status: &'a str,
    status_step: Option<u64>,
    steps: Vec<JsonStep>,
}

/// A number as the command line writes it: Rust's shortest form that reads back as the same f64, with a
/// power of ten below 0.001 and from 1e16 up (1e-5, not 0.00001; 1e300, not three hundred digits), and a zero
/// never with a minus sign. Only finite numbers are ever printed.
pub fn number(value: f64) -> String {
    let size = value.abs();
    if size != 0.0 && !(1e-3..1e16).contains(&size) {
        format!("{value:e}")
    } else {
        format_exact(value)
    }
}

/// The same number with a negative zero made plain zero, for JSON.
fn tidy(value: f64) -> f64 {
    if value == 0.0 { 0.0 } else { value }
}

/// The rows of a run: step 0 is the start, then one row per step; a diverged run ends at the step where it
/// left the number line (that row only if it is still finite), and a run that lands where the curve is
/// undefined ends before that row. No row holds an infinity or a NaN (an undefined start gives no rows at
/// all). Returns the rows and where the run ended.
pub fn simulate_rows(
    curve: &Curve,
    optimizer: Optimizer,
    lr: f64,
    x0: f64,
    steps: u64,
) -> (Vec<(u64, f64, f64, f64)>, Descent) {
    let row = |step: u64, x: f64| (step, x, curve.value(x), curve.slope(x));
    let finite =
        |row: &(u64, f64, f64, f64)| row.1.is_finite() && row.2.is_finite() && row.3.is_finite();
    let mut run = Descent::with(curve, x0, optimizer);
    let mut rows: Vec<_> = Some(row(0, x0)).filter(finite).into_iter().collect();
    if run.status.is_stopped() {
        return (rows, run);
    }
    for _ in 0..steps {
        let Some(record) = run.advance(curve, lr) else {
            break;
        };
        if run.status.is_stopped() {
            let last = row(record.step, record.x_new);
            if finite(&last) {
                rows.push(last);
            }
            break;
        }
        rows.push(row(record.step, run.x));
    }
    (rows, run)
}

/// The batch one step of `simulate --scene gradient` went by: its gradient and the points it picked.
struct BatchStep {
    dw: f64,
    db: f64,
    picked: Vec<usize>,
}

/// `downhill simulate --scene gradient`: rows of step, w, b, loss, dL/dw, dL/db. With `--batch` below the
/// number of points each step follows the gradient of a random batch instead (minibatch descent), and the
/// JSON rows say which points and what gradient the step from that row used; a batch of every point is
/// plain descent and prints exactly what plain descent prints.
pub fn simulate_gradient(
    args: &SimulateArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<()> {
    let points = args.gradient_points();
    let batch = args.batch.filter(|&k| k < points.len());
    let seed = args.seed.unwrap_or(DEFAULT_SEED);
    let mut rng = SplitMix64::new(seed);
    let start = (args.w0.unwrap_or(0.5), args.b0.unwrap_or(0.0));
    let optimizer = args.optimizer();
    let mut fit = Fit::new(start, optimizer.method, optimizer.settings);
    let row = |step: u64, w: f64, b: f64| {
        let at = loss_at(&points, w, b);
        (step, w, b, at.loss, at.dw, at.db)
    };
    let finite = |row: &(u64, f64, f64, f64, f64, f64)| {
        [row.1, row.2, row.3, row.4, row.5]
            .iter()
            .all(|v| v.is_finite())
    };
    let mut rows: Vec<_> = Some(row(0, fit.w, fit.b))
        .filter(finite)
        .into_iter()
        .collect();
    // Beside each row, the batch of the step taken from it.
    let mut batch_steps: Vec<Option<BatchStep>> = rows.iter().map(|_| None).collect();
    for _ in 0..args.steps {
        let taken = match batch {
            Some(k) => {
                let picked = pick_batch(&mut rng, points.len(), k);
                let taken = fit.advance_batch(&points, &picked, args.lr);
                if let (Some(_), Some((dw, db)), Some(last)) =
                    (taken, fit.last_batch, batch_steps.last_mut())
                {
                    *last = Some(BatchStep { dw, db, picked });
                }
                taken
            }
            None => fit.advance(&points, args.lr),
        };
        if taken.is_none() || matches!(fit.status, FitStatus::Diverged { .. }) {
            break;
        }
        let next = row(fit.step, fit.w, fit.b);
        if !finite(&next) {
            break;
        }
        rows.push(next);
        batch_steps.push(None);
    }
    match args.format {
        Format::Csv => {
            writeln!(out, "step,w,b,loss,dw,db")?;
            for &(step, w, b, loss, dw, db) in &rows {
                writeln!(
                    out,
                    "{step},{},{},{},{},{}",
                    number(w),
                    number(b),
                    number(loss),
                    number(dw),
                    number(db)
                )?;
            }
        }
        Format::Json => {
            let steps: Vec<serde_json::Value> = rows
                .iter()
                .zip(&batch_steps)
                .map(|(&(step, w, b, loss, dw, db), batch_step)| {
                    let mut json = serde_json::json!({
                        "step": step, "w": tidy(w), "b": tidy(b), "loss": tidy(loss), "dw": tidy(dw),
                        "db": tidy(db),
                    });
                    let batch_step = batch_step
                        .as_ref()
                        .filter(|s| s.dw.is_finite() && s.db.is_finite());
                    if let Some(batch_step) = batch_step {
                        json["batch_dw"] = serde_json::json!(tidy(batch_step.dw));
                        json["batch_db"] = serde_json::json!(tidy(batch_step.db));
                        json["batch_points"] = serde_json::json!(batch_step.picked);
                    }
                    json
                })
                .collect();
            let (status, status_step) = match fit.status {
                FitStatus::Running => ("running", None),
                FitStatus::Converged { step } => ("converged", Some(step)),
                FitStatus::Diverged { step } => ("diverged", Some(step)),
                FitStatus::RunningAway { since } => ("running_away", Some(since)),
            };
            let json = serde_json::json!({
                "scene": "gradient", "lr": args.lr, "w0": tidy(start.0), "b0": tidy(start.1),
                "points": points.iter().map(|p| [tidy(p.x), tidy(p.y)]).collect::<Vec<_>>(),
                "status": status, "status_step": status_step, "steps": steps,
                // The batch each step used (every point: plain descent, where the seed plays no part).
                "batch": batch.unwrap_or(points.len()), "seed": batch.map(|_| seed),
            });
            serde_json::to_writer(&mut *out, &json).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    match (fit.status, batch) {
        (FitStatus::Diverged { step }, None) => writeln!(
            err,
            "diverged at step {step}: lr {} is above 2 / (largest curvature {}) = {}",
            number(args.lr),
            number(largest_curvature(&points)),
            number(2.0 / largest_curvature(&points))
        )?,
        // A batch's own landscape can be steeper than the whole data's, so a rate plain descent can use may
        // still be too large here.
        (FitStatus::Diverged { step }, Some(k)) => writeln!(
            err,
            "diverged at step {step}: lr {} is too large for batches of {k} of the {} points (plain descent \
             would need less than 2 / (largest curvature {}) = {})",
            number(args.lr),
            points.len(),
            number(largest_curvature(&points)),
            number(2.0 / largest_curvature(&points))
        )?,
        _ => {}
    }
    Ok(())
}

/// `downhill simulate`.
pub fn simulate(args: &SimulateArgs, out: &mut impl Write, err: &mut impl Write) -> io::Result<()> {
    if args.scene == SceneArg::Gradient {
        return simulate_gradient(args, out, err);
    }
    let x0 = args.x0.unwrap_or(args.curve.default_start);
    let (rows, run) = simulate_rows(&args.curve, args.optimizer(), args.lr, x0, args.steps);
    match args.format {
        Format::Csv => {
            writeln!(out, "step,x,loss,grad")?;
            for &(step, x, loss, grad) in &rows {
                writeln!(
                    out,
                    "{step},{},{},{}",
                    number(x),
                    number(loss),
                    number(grad)
                )?;
            }
        }
        Format::Json => {
            let (status, status_step) = match run.status {
                RunStatus::Running => ("running", None),
                RunStatus::Converged { step } => ("converged", Some(step)),
                RunStatus::Diverged { step } => ("diverged", Some(step)),
                RunStatus::RunningAway { since } => ("running_away", Some(since)),
                RunStatus::Undefined { step } => ("undefined", Some(step)),
            };
            let json = JsonRun {
                curve: &args.curve.name,
                lr: args.lr,
                x0: tidy(x0),
                status,
                status_step,
                steps: rows
                    .iter()
                    .map(|&(step, x, loss, grad)| JsonStep {
                        step,
                        x: tidy(x),
                        loss: tidy(loss),
                        grad: tidy(grad),
                        second_derivative: Some(args.curve.bend(x))
                            .filter(|v| v.is_finite())
                            .map(tidy),
                    })
                    .collect(),
            };
            serde_json::to_writer(&mut *out, &json).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    match run.status {
        RunStatus::Diverged { step } => writeln!(err, "diverged at step {step}")?,
        RunStatus::RunningAway { since } => writeln!(
            err,
            "running away since step {since}: each step lands higher than the last, so lr {} is too large \
             for this curve",
            args.lr
        )?,
        RunStatus::Undefined { .. } => {
            let x = run.last.map_or(run.x, |r| r.x_new);
            writeln!(err, "undefined at x = {}", number(x))?;
        }
        _ => {}
    }
    Ok(())
}

/// `downhill derivative`: f'(x) written out, on one line of `out`; where it is not defined, one line on `err`.
pub fn derivative(
    args: &DerivativeArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<()> {
    let written = args.curve.written_derivative();
    if let Some(text) = &written.text {
        writeln!(out, "{text}")?;
    }
    if !written.undefined.is_empty() {
        writeln!(
            err,
            "not defined where {}: the curve has a corner, a jump or an upright tangent there (at a corner \
             downhill's slope is 0, as in torch)",
            written.undefined.join(", ")
        )?;
    }
    Ok(())
}

/// One row of `downhill slope`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlopeRow {
    pub h: f64,
    pub forward: f64,
    pub central: f64,
    pub exact: f64,
}

/// The forward and central slopes at `x` for every decade of h.
pub fn slope_rows(curve: &Curve, x: f64) -> Vec<SlopeRow> {
    let f = |t: f64| curve.value(t);
    DECADES
        .iter()
        .map(|&h| SlopeRow {
            h,
            forward: forward_difference(f, x, h),
            central: central_difference(f, x, h),
            exact: curve.slope(x),
        })
        .collect()
}

/// `downhill slope`: the table on `out`. A chord with no finite slope (one of its ends is where the curve
/// is undefined, or too large for a number) is left empty, with its error, and one line on `err` says which.
pub fn slope(args: &SlopeArgs, out: &mut impl Write, err: &mut impl Write) -> io::Result<()> {
    let cell = |value: f64| {
        if value.is_finite() {
            number(value)
        } else {
            String::new()
        }
    };
    let mut empty: [(&str, Vec<String>); 2] = [("forward", Vec::new()), ("central", Vec::new())];
    writeln!(out, "h,forward,central,exact,forward_error,central_error")?;
    for row in slope_rows(&args.curve, args.at) {
        for (slope, (_, hs)) in [row.forward, row.central].into_iter().zip(&mut empty) {
            if !slope.is_finite() {
                hs.push(number(row.h));
            }
        }
        writeln!(
            out,
            "{},{},{},{},{},{}",
            number(row.h),
            cell(row.forward),
            cell(row.central),
            number(row.exact),
            cell((row.forward - row.exact).abs()),
            cell((row.central - row.exact).abs()),
        )?;
    }
    let gaps: Vec<String> = empty
        .iter()
        .filter(|(_, hs)| !hs.is_empty())
        .map(|(scheme, hs)| format!("the {scheme} chord for h = {}", hs.join(", ")))
        .collect();
    if !gaps.is_empty() {
        writeln!(
            err,
            "left empty: {} ({} a point where {} is undefined or too large for a number)",
            gaps.join(" and "),
            if gaps.len() == 1 {
                "it reaches"
            } else {
                "each reaches"
            },
            args.curve.name
        )?;
    }
    Ok(())
}
