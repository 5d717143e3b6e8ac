//! Predict, then see: how far a guess of a step's landing missed and whether it counts, why the step went
//! where it went, the streak of good guesses, and who wins "which ball settles first?".

use super::Curve;
use super::curve::evenly_spaced;
use super::descent::{DIVERGED_BEYOND, RunStatus};
use super::optimizer::Method;

/// A guess counts when it misses the landing by at most this share of the step's length ...
pub const GOOD_SHARE_OF_STEP: f64 = 0.2;
/// ... or by at most this share of the view's width, whichever is more: a step of a few pixels is as hard to
/// hit with a fingertip as one of many, so a short step is not held to a few pixels.
pub const GOOD_SHARE_OF_VIEW: f64 = 0.02;
/// A step at least this share of the view's width is a big one ...
pub const BIG_STEP_SHARE: f64 = 0.08;
/// ... and one under this share a small one.
pub const SMALL_STEP_SHARE: f64 = 0.03;
/// A slope at least the curve's typical slope is steep; one at most this share of it is gentle.
pub const GENTLE_SLOPE_SHARE: f64 = 0.5;
/// A step under this share of the view's width hardly moves the ball.
pub const TINY_STEP_SHARE: f64 = 0.005;
/// A slope under this share of the curve's typical slope is nearly flat.
pub const FLAT_SLOPE_SHARE: f64 = 0.05;
/// A rule with momentum "carries speed" on a step that differs from plain descent's by more than this share.
pub const CARRIED_SHARE: f64 = 0.1;
/// How many points of a curve its typical slope is averaged over.
const TYPICAL_SLOPE_SAMPLES: usize = 201;

/// How close a guess of the step from `start` to `landing` must be to count, in a view `view_width` wide:
/// [`GOOD_SHARE_OF_STEP`] of the step's length or [`GOOD_SHARE_OF_VIEW`] of the view, whichever is more. A
/// landing off the number line has no length to share, so only the view's part counts there.
pub fn tolerance(start: f64, landing: f64, view_width: f64) -> f64 {
    let of_view = GOOD_SHARE_OF_VIEW * view_width.abs();
    let length = (landing - start).abs();
    if length.is_finite() {
        (GOOD_SHARE_OF_STEP * length).max(of_view)
    } else {
        of_view
    }
}

/// A guess against where the step really landed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Judged {
    /// |guess - landing|.
    pub miss: f64,
    /// The largest miss that still counts (see [`tolerance`]).
    pub tolerance: f64,
    pub good: bool,
}

/// How the guess `guess` of the step from `start` to `landing` went, in a view `view_width` wide. A landing
/// off the number line cannot be guessed: the miss is infinite and the guess never counts.
pub fn judge(start: f64, landing: f64, guess: f64, view_width: f64) -> Judged {
    let miss = (guess - landing).abs();
    let miss = if miss.is_nan() { f64::INFINITY } else { miss };
    let tolerance = tolerance(start, landing, view_width);
    Judged {
        miss,
        tolerance,
        good: miss.is_finite() && miss <= tolerance,
    }
}

/// The mean |f'(x)| over the curve's range (where it has a value): what "steep" and "flat" are measured by.
pub fn typical_slope(curve: &Curve) -> f64 {
    let (sum, count) = evenly_spaced(curve.x_range, TYPICAL_SLOPE_SAMPLES)
        .map(|x| curve.slope(x).abs())
        .filter(|s| s.is_finite())
        .fold((0.0, 0usize), |(sum, count), s| (sum + s, count + 1));
    if count == 0 { 0.0 } else { sum / count as f64 }
}

/// Left or right along x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

/// Which way the step went, and whether that was downhill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    /// Against the slope's sign: downhill, as plain descent always goes.
    Downhill(Side),
    /// With the slope's sign: uphill, carried by speed from the steps before.
    Uphill(Side),
    /// The slope is exactly 0 at the start, yet the ball moved (carried by speed from before).
    Coasting(Side),
    /// The ball did not move at all.
    Stayed,
}

impl Way {
    /// The way of a step from `start` to `landing` where the slope at the start is `slope`. A landing off
    /// the number line still has a side.
    pub fn of(start: f64, landing: f64, slope: f64) -> Self {
        let moved = landing - start;
        let side = if moved > 0.0 {
            Side::Right
        } else if moved < 0.0 {
            Side::Left
        } else if landing == f64::INFINITY {
            Side::Right
        } else if landing == f64::NEG_INFINITY {
            Side::Left
        } else {
            return Way::Stayed;
        };
        let sign = match side {
            Side::Left => -1.0,
            Side::Right => 1.0,
        };
        if slope == 0.0 || slope.is_nan() {
            Way::Coasting(side)
        } else if sign * slope < 0.0 {
            Way::Downhill(side)
        } else {
            Way::Uphill(side)
        }
    }
}

/// Why a step landed where it did, in the lesson's words (each has its sentence in `lesson.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The step was so long that the ball left the number line.
    LeftTheLine,
    /// The step went past the bottom of the parabola that fits the curve at the start (f'' > 0): for plain
    /// descent, exactly when lr > 1/f''(x).
    Overshoot,
    /// Momentum or Nesterov: the speed carried from the steps before moved it otherwise than this slope would.
    Carried,
    /// RMSprop or Adam: the slope is divided by its recent size, so the step is about lr long whatever the slope.
    Scaled,
    /// The slope is almost zero and the ball hardly moves.
    Flat,
    /// A steep slope and a big step.
    Steep,
    /// A gentle slope and a small step.
    Gentle,
    /// A steep slope, yet a small step: the learning rate is small.
    SmallRate,
    /// A gentle slope, yet a big step: the learning rate is large.
    LargeRate,
    /// Neither: the step is the learning rate times the slope, as the update says.
    Product,
}

impl Reason {
    /// Its name in `lesson.toml`'s `[predict]` and in screenshot notes.
    pub fn name(self) -> &'static str {
        match self {
            Reason::LeftTheLine => "left_the_line",
            Reason::Overshoot => "overshoot",
            Reason::Carried => "carried",
            Reason::Scaled => "scaled",
            Reason::Flat => "flat",
            Reason::Steep => "steep",
            Reason::Gentle => "gentle",
            Reason::SmallRate => "small_rate",
            Reason::LargeRate => "large_rate",
            Reason::Product => "product",
        }
    }
}

/// The numbers one step was made of, as far as the reason for its landing needs them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepFacts {
    pub start: f64,
    pub landing: f64,
    /// f'(x) and f''(x) at the start.
    pub slope: f64,
    pub bend: f64,
    pub lr: f64,
    pub method: Method,
    /// How wide the view is in x, and the curve's [`typical_slope`]: what "big" and "steep" are measured by.
    pub view_width: f64,
    pub typical_slope: f64,
}

impl StepFacts {
    /// True when the landing is past the bottom of the parabola that fits the curve at the start, on the
    /// other side of it: with f'' > 0 that bottom is at x - f'/f''.
    pub fn passes_the_bottom(&self) -> bool {
        if !(self.bend > 0.0 && self.bend.is_finite() && self.slope.is_finite()) {
            return false;
        }
        let bottom = self.start - self.slope / self.bend;
        (self.landing - bottom) * (self.start - bottom) < 0.0
    }

    /// Why the step landed where it did. In order: off the number line, past the bottom, the rule's own
    /// doing (speed carried, or the step scaled to about lr), then plain descent's: how steep the slope is
    /// against how big the step is, and where neither stands out, the product lr * f'(x) itself.
    pub fn reason(&self) -> Reason {
        if !self.landing.is_finite() || self.landing.abs() > DIVERGED_BEYOND {
            return Reason::LeftTheLine;
        }
        if self.passes_the_bottom() {
            return Reason::Overshoot;
        }
        let moved = (self.landing - self.start).abs();
        match self.method {
            Method::Momentum | Method::Nesterov => {
                let plain = (self.lr * self.slope).abs();
                let differs = ((self.landing - self.start) + self.lr * self.slope).abs();
                if differs > CARRIED_SHARE * plain.max(moved) {
                    return Reason::Carried;
                }
            }
            Method::RmsProp | Method::Adam => return Reason::Scaled,
            Method::Gd => {}
        }
        let width = self.view_width.abs();
        let slope = self.slope.abs();
        let typical = self.typical_slope;
        if slope <= FLAT_SLOPE_SHARE * typical && moved < TINY_STEP_SHARE * width {
            return Reason::Flat;
        }
        let steep = slope >= typical;
        let gentle = slope <= GENTLE_SLOPE_SHARE * typical;
        if moved >= BIG_STEP_SHARE * width {
            if steep {
                Reason::Steep
            } else if gentle {
                Reason::LargeRate
            } else {
                Reason::Product
            }
        } else if moved < SMALL_STEP_SHARE * width {
            if gentle {
                Reason::Gentle
            } else if steep {
                Reason::SmallRate
            } else {
                Reason::Product
            }
        } else {
            Reason::Product
        }
    }
}

/// One step taken in predict mode: where it started and landed, the guess if one was placed and how it went,
/// and why it landed there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// The step number it produced (the first step is 1).
    pub step: u64,
    pub start: f64,
    pub landing: f64,
    pub slope: f64,
    pub bend: f64,
    pub lr: f64,
    pub guess: Option<f64>,
    /// How the guess went; `None` when there was no guess (the step is shown, not scored).
    pub judged: Option<Judged>,
    /// How close a guess had to be.
    pub tolerance: f64,
    pub way: Way,
    pub reason: Reason,
}

impl Outcome {
    /// The step `step` made of `facts`, against `guess` if there was one.
    pub fn of(step: u64, facts: &StepFacts, guess: Option<f64>) -> Self {
        Self {
            step,
            start: facts.start,
            landing: facts.landing,
            slope: facts.slope,
            bend: facts.bend,
            lr: facts.lr,
            guess,
            judged: guess.map(|g| judge(facts.start, facts.landing, g, facts.view_width)),
            tolerance: tolerance(facts.start, facts.landing, facts.view_width),
            way: Way::of(facts.start, facts.landing, facts.slope),
            reason: facts.reason(),
        }
    }

    /// The miss, when there was a guess.
    pub fn miss(&self) -> Option<f64> {
        self.judged.map(|j| j.miss)
    }

    /// Whether the guess counts; `None` when there was none.
    pub fn good(&self) -> Option<bool> {
        self.judged.map(|j| j.good)
    }
}

/// Good guesses in a row, and the most there have been.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Streak {
    pub current: u32,
    pub best: u32,
}

impl Streak {
    /// One more guess: a good one lengthens the streak, any other ends it (the best stays).
    pub fn record(&mut self, good: bool) {
        if good {
            self.current += 1;
            self.best = self.best.max(self.current);
        } else {
            self.current = 0;
        }
    }
}

/// The first ball to settle: the one whose run converged at the earliest step, the lower ball number on a tie
/// (as the race list in the panel names it); a ball that started where it is already settled has not won.
/// `(ball, step)`.
pub fn first_to_settle(statuses: &[RunStatus]) -> Option<(usize, u64)> {
    statuses
        .iter()
        .enumerate()
        .filter_map(|(ball, status)| match *status {
            RunStatus::Converged { step } if step > 0 => Some((ball, step)),
            _ => None,
        })
        .min_by_key(|&(ball, step)| (step, ball))
}

/// How "which ball settles first?" came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaceResult {
    /// The ball picked settled first, at this step.
    Right { ball: usize, step: u64 },
    /// Another ball settled first.
    Wrong {
        picked: usize,
        first: usize,
        step: u64,
    },
    /// No ball can roll on and none settled: every one diverged, ran away or stopped.
    NoneSettled { picked: usize },
}

impl RaceResult {
    /// Whether it counts as a good guess; `None` when nobody settled (no ball could have been right).
    pub fn counts(self) -> Option<bool> {
        match self {
            RaceResult::Right { .. } => Some(true),
            RaceResult::Wrong { .. } => Some(false),
            RaceResult::NoneSettled { .. } => None,
        }
    }

    /// Its name in screenshot notes.
    pub fn name(self) -> &'static str {
        match self {
            RaceResult::Right { .. } => "right",
            RaceResult::Wrong { .. } => "wrong",
            RaceResult::NoneSettled { .. } => "none_settled",
        }
    }
}

/// The answer for `picked` once there is one: as soon as any ball has settled, or once no ball is still
/// rolling and none settled. `None` while the race is undecided.
pub fn judge_race(picked: usize, statuses: &[RunStatus]) -> Option<RaceResult> {
    if let Some((first, step)) = first_to_settle(statuses) {
        return Some(if first == picked {
            RaceResult::Right { ball: first, step }
        } else {
            RaceResult::Wrong {
                picked,
                first,
                step,
            }
        });
    }
    let rolling = statuses.contains(&RunStatus::Running);
    (!rolling).then_some(RaceResult::NoneSettled { picked })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::descent::Descent;
    use crate::math::optimizer::{Optimizer, Settings};

    fn bowl() -> &'static Curve {
        Curve::by_name("bowl").unwrap()
    }

    /// The facts of one real step of `method` at `lr` from `start` on `curve`, after `before` steps.
    fn step_on(curve: &Curve, method: Method, start: f64, lr: f64, before: usize) -> StepFacts {
        let mut run = Descent::with(curve, start, Optimizer::new(method, Settings::default()));
        for _ in 0..before {
            run.advance(curve, lr);
        }
        let x = run.x;
        let record = run.advance(curve, lr).unwrap();
        StepFacts {
            start: x,
            landing: record.x_new,
            slope: record.grad,
            bend: curve.bend(x),
            lr,
            method,
            view_width: curve.x_range.1 - curve.x_range.0,
            typical_slope: typical_slope(curve),
        }
    }

    #[test]
    fn a_guess_at_the_landing_scores_and_a_guess_on_the_wrong_side_does_not() {
        // On the bowl f' = 2x: from 1.5 with lr 0.1 the step is 0.1 * 3 = 0.3 to the left, landing at 1.2.
        let facts = step_on(bowl(), Method::Gd, 1.5, 0.1, 0);
        assert_eq!(facts.landing, 1.2);
        // A view 6 wide: 2% of it is 0.12, more than 20% of the step (0.06).
        let tolerance = tolerance(1.5, 1.2, 6.0);
        assert!((tolerance - 0.12).abs() < 1e-15, "{tolerance}");
        let near = Outcome::of(1, &facts, Some(1.25));
        assert!((near.miss().unwrap() - 0.05).abs() < 1e-12);
        assert_eq!(near.good(), Some(true));
        // Past the start, uphill: the wrong way.
        let wrong = Outcome::of(1, &facts, Some(1.6));
        assert!((wrong.miss().unwrap() - 0.4).abs() < 1e-12);
        assert_eq!(wrong.good(), Some(false));
        // No guess: shown, not scored.
        let unguessed = Outcome::of(1, &facts, None);
        assert_eq!((unguessed.miss(), unguessed.good()), (None, None));
        assert_eq!(unguessed.way, Way::Downhill(Side::Left));
    }

    #[test]
    fn a_long_step_gets_a_fifth_of_its_length_and_a_short_one_a_fiftieth_of_the_view() {
        // From 2.5 with lr 0.75 the step is 3.75 long: a miss of 0.75 still counts, 0.76 does not.
        let long = judge(2.5, -1.25, -1.25 + 0.75, 6.0);
        assert!(long.good && (long.tolerance - 0.75).abs() < 1e-15);
        assert!(!judge(2.5, -1.25, -1.25 - 0.76, 6.0).good);
        // A step of 0.001: the view's 0.12 counts, so a guess right on the ball is close enough.
        assert!(judge(0.001, 0.0008, 0.001, 6.0).good);
        assert!(!judge(0.001, 0.0008, 0.2, 6.0).good);
    }

    #[test]
    fn a_ball_thrown_off_the_number_line_cannot_be_guessed() {
        for landing in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
            let judged = judge(1.0, landing, 2.0, 6.0);
            assert!(!judged.good, "{landing}");
            assert_eq!(judged.miss, f64::INFINITY);
            assert!((judged.tolerance - 0.12).abs() < 1e-15);
        }
        let facts = StepFacts {
            landing: f64::INFINITY,
            ..step_on(bowl(), Method::Gd, 1.5, 0.1, 0)
        };
        assert_eq!(facts.reason(), Reason::LeftTheLine);
        assert_eq!(Way::of(1.5, f64::INFINITY, 3.0), Way::Uphill(Side::Right));
    }

    #[test]
    fn the_typical_slope_of_the_bowl_is_about_three() {
        // The mean of |2x| over [-3, 3] is 3; sampled at 201 points, a hair more.
        let typical = typical_slope(bowl());
        assert!((typical - 3.0).abs() < 0.02, "{typical}");
    }

    #[test]
    fn a_steep_slope_makes_a_big_step_and_a_gentle_one_a_small_step() {
        // The bowl's view is 6 wide (a big step is 0.48 or more, a small one under 0.18) and its typical
        // slope about 3 (a gentle one 1.5 or less).
        // From 2.5: f' = 5, the step 0.5.
        assert_eq!(
            step_on(bowl(), Method::Gd, 2.5, 0.1, 0).reason(),
            Reason::Steep
        );
        // From 0.5: f' = 1, the step 0.1.
        assert_eq!(
            step_on(bowl(), Method::Gd, 0.5, 0.1, 0).reason(),
            Reason::Gentle
        );
        // Steep, but lr 0.01: a step of 0.05.
        assert_eq!(
            step_on(bowl(), Method::Gd, 2.5, 0.01, 0).reason(),
            Reason::SmallRate
        );
        // Gentle (f' = 1.4), but lr 0.45 (below 1/f'' = 0.5, so short of the bottom): a step of 0.63.
        assert_eq!(
            step_on(bowl(), Method::Gd, 0.7, 0.45, 0).reason(),
            Reason::LargeRate
        );
        // The window's first step, from 1.5 at lr 0.1: a middling slope and step, lr * f' = 0.3 itself.
        assert_eq!(
            step_on(bowl(), Method::Gd, 1.5, 0.1, 0).reason(),
            Reason::Product
        );
    }

    #[test]
    fn near_the_bottom_the_slope_is_flat_and_the_ball_hardly_moves() {
        let facts = step_on(bowl(), Method::Gd, 1e-4, 0.1, 0);
        assert_eq!(facts.reason(), Reason::Flat);
        // On the plateau far out, the slope is tiny too.
        let plateau = Curve::by_name("plateau").unwrap();
        let far = step_on(plateau, Method::Gd, plateau.x_range.1 * 0.98, 0.1, 0);
        assert!(
            far.slope.abs() < FLAT_SLOPE_SHARE * far.typical_slope,
            "{far:?}"
        );
        assert_eq!(far.reason(), Reason::Flat);
    }

    #[test]
    fn above_one_over_the_bend_the_step_lands_past_the_bottom() {
        // The bowl's f'' is 2: lr above 0.5 jumps past x = 0, lr 0.5 lands on it, below stops short.
        let over = step_on(bowl(), Method::Gd, 1.5, 0.75, 0);
        assert_eq!(over.landing, -0.75);
        assert!(over.passes_the_bottom());
        assert_eq!(over.reason(), Reason::Overshoot);
        assert_eq!(over.landing.signum(), -1.0);
        assert!(!step_on(bowl(), Method::Gd, 1.5, 0.5, 0).passes_the_bottom());
        assert!(!step_on(bowl(), Method::Gd, 1.5, 0.49, 0).passes_the_bottom());
        // Where the curve bends down (the double well's hump) there is no bottom to pass.
        let well = Curve::by_name("double-well").unwrap();
        let hump = step_on(well, Method::Gd, 0.2, 2.0, 0);
        assert!(well.bend(0.2) < 0.0);
        assert!(!hump.passes_the_bottom());
    }

    #[test]
    fn momentum_carries_speed_and_adam_scales_its_step() {
        // Momentum's first step is plain descent's; the next carries the speed of the first.
        let first = step_on(bowl(), Method::Momentum, 2.5, 0.01, 0);
        assert_eq!(first.reason(), Reason::SmallRate);
        let second = step_on(bowl(), Method::Momentum, 2.5, 0.01, 1);
        assert_eq!(second.reason(), Reason::Carried);
        // Adam's first step is lr long whatever the slope.
        let adam = step_on(bowl(), Method::Adam, 2.5, 0.01, 0);
        assert!((adam.start - adam.landing - 0.01).abs() < 1e-9);
        assert_eq!(adam.reason(), Reason::Scaled);
        assert_eq!(
            step_on(bowl(), Method::RmsProp, 0.5, 0.01, 3).reason(),
            Reason::Scaled
        );
    }

    #[test]
    fn the_way_says_downhill_unless_speed_carried_the_ball_uphill() {
        assert_eq!(Way::of(1.5, 1.2, 3.0), Way::Downhill(Side::Left));
        assert_eq!(Way::of(-1.5, -1.2, -3.0), Way::Downhill(Side::Right));
        assert_eq!(Way::of(0.1, 0.3, 0.2), Way::Uphill(Side::Right));
        assert_eq!(Way::of(0.0, -0.1, 0.0), Way::Coasting(Side::Left));
        assert_eq!(Way::of(0.5, 0.5, 0.0), Way::Stayed);
    }

    #[test]
    fn three_good_guesses_make_a_streak_of_three_and_a_miss_ends_it() {
        let mut streak = Streak::default();
        for _ in 0..3 {
            streak.record(true);
        }
        assert_eq!(
            streak,
            Streak {
                current: 3,
                best: 3
            }
        );
        streak.record(false);
        assert_eq!(
            streak,
            Streak {
                current: 0,
                best: 3
            }
        );
        streak.record(true);
        assert_eq!(
            streak,
            Streak {
                current: 1,
                best: 3
            }
        );
    }

    #[test]
    fn the_ball_that_settles_at_the_earliest_step_wins_the_race() {
        let running = RunStatus::Running;
        let settled = |step| RunStatus::Converged { step };
        // Nobody yet.
        assert_eq!(judge_race(0, &[running, running]), None);
        // Ball 2 settles at step 4, ball 1 at step 9: ball 2 first, though 1 comes before it.
        let statuses = [running, settled(9), settled(4)];
        assert_eq!(first_to_settle(&statuses), Some((2, 4)));
        assert_eq!(
            judge_race(2, &statuses),
            Some(RaceResult::Right { ball: 2, step: 4 })
        );
        assert_eq!(
            judge_race(0, &statuses),
            Some(RaceResult::Wrong {
                picked: 0,
                first: 2,
                step: 4
            })
        );
        assert_eq!(judge_race(2, &statuses).unwrap().counts(), Some(true));
        // A tie goes to the lower ball number; a ball that started settled has won nothing.
        assert_eq!(
            first_to_settle(&[settled(0), settled(5), settled(5)]),
            Some((1, 5))
        );
        // Everyone thrown out or running away: no answer is right, and it does not count.
        let out = [
            RunStatus::Diverged { step: 76 },
            RunStatus::RunningAway { since: 3 },
        ];
        let none = judge_race(1, &out).unwrap();
        assert_eq!(none, RaceResult::NoneSettled { picked: 1 });
        assert_eq!(none.counts(), None);
        // While one still rolls, nothing is decided.
        assert_eq!(judge_race(1, &[out[0], running]), None);
    }
}
