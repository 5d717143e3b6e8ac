//! Gradient descent on a curve, one step at a time: x <- x - lr * f'(x), and when a run has ended.

use std::collections::VecDeque;

use super::Curve;
use super::optimizer::Optimizer;

/// A run counts as converged once the exact slope is this flat.
pub const CONVERGED_BELOW: f64 = 1e-9;
/// A run counts as diverged once x is this far from the origin (or no longer a number).
pub const DIVERGED_BEYOND: f64 = 1e6;

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// Still going.
    Running,
    /// |f'(x)| fell below [`CONVERGED_BELOW`] at this step.
    Converged { step: u64 },
    /// x left the number line (or went past [`DIVERGED_BEYOND`]) at this step; the run cannot go on.
    Diverged { step: u64 },
    /// Each of the last few steps landed higher than the one before and moved further (see
    /// [`super::runaway`]), the last of them at step `since`: the learning rate is too large for this curve.
    /// Playing stops here; a step by hand still goes on, and the run is back to `Running` if it settles down.
    RunningAway { since: u64 },
    /// The curve has no value or no slope where this step landed (ln of a negative, 1/0); the run stops.
    Undefined { step: u64 },
}

impl RunStatus {
    /// True once the run can take no more steps.
    pub fn is_stopped(self) -> bool {
        matches!(
            self,
            RunStatus::Diverged { .. } | RunStatus::Undefined { .. }
        )
    }
}

/// One update, with every number in it, so it can be written out as x_new = x - lr * f'(x).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepRecord {
    /// The step number this update produced (the first update is step 1).
    pub step: u64,
    pub x: f64,
    pub grad: f64,
    pub lr: f64,
    pub x_new: f64,
}

/// One gradient-descent update.
pub fn gradient_descent_step(x: f64, lr: f64, grad: f64) -> f64 {
    x - lr * grad
}

/// The update that would happen now, without taking it.
pub fn preview_step(curve: &Curve, x: f64, lr: f64, step: u64) -> StepRecord {
    let grad = curve.slope(x);
    StepRecord {
        step,
        x,
        grad,
        lr,
        x_new: gradient_descent_step(x, lr, grad),
    }
}

/// Why x can no longer be drawn or stepped from, if it cannot, as the status it would give at `step`.
pub fn trouble_at(curve: &Curve, x: f64, step: u64) -> Option<RunStatus> {
    if !x.is_finite() || x.abs() > DIVERGED_BEYOND {
        return Some(RunStatus::Diverged { step });
    }
    let (value, slope) = curve.value_and_slope(x);
    (!value.is_finite() || !slope.is_finite()).then_some(RunStatus::Undefined { step })
}

/// How many past steps a run remembers: for stepping back, trails and the loss plot. Older ones are dropped,
/// so a run that goes on for months holds a bounded amount of memory.
pub const HISTORY_STEPS: usize = 4096;

/// A run as it was before one of its steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snapshot {
    pub optimizer: Optimizer,
    pub x: f64,
    pub loss: f64,
    pub step: u64,
    pub status: RunStatus,
    pub last: Option<StepRecord>,
}

/// A gradient-descent run on one curve.
///
/// `x` always holds a finite, drawable position: when an update diverges, the run keeps the last good x and
/// records the failed update in `last` instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Descent {
    /// The rule that moves x, with its state.
    pub optimizer: Optimizer,
    pub start: f64,
    pub x: f64,
    pub step: u64,
    pub status: RunStatus,
    pub last: Option<StepRecord>,
    /// The states before the most recent steps, oldest first, at most [`HISTORY_STEPS`].
    pub history: VecDeque<Snapshot>,
}

impl Descent {
    /// A plain gradient-descent run about to start at `start`.
    pub fn new(curve: &Curve, start: f64) -> Self {
        Self::with(curve, start, Optimizer::default())
    }

    /// A run of `optimizer` (its state cleared) about to start at `start`; it may already be converged (or
    /// unusable) there.
    pub fn with(curve: &Curve, start: f64, optimizer: Optimizer) -> Self {
        let status = if let Some(trouble) = trouble_at(curve, start, 0) {
            trouble
        } else if curve.slope(start).abs() < CONVERGED_BELOW {
            RunStatus::Converged { step: 0 }
        } else {
            RunStatus::Running
        };
        Self {
            optimizer: optimizer.fresh(),
            start,
            x: start,
            step: 0,
            status,
            last: None,
            history: VecDeque::new(),
        }
    }

    /// Undo the last step; false when there is nothing left to undo.
    pub fn step_back(&mut self) -> bool {
        let Some(before) = self.history.pop_back() else {
            return false;
        };
        self.optimizer = before.optimizer;
        self.x = before.x;
        self.step = before.step;
        self.status = before.status;
        self.last = before.last;
        true
    }

    /// (step, loss) for each remembered step and the current one, oldest first.
    pub fn losses(&self, curve: &Curve) -> impl Iterator<Item = (u64, f64)> + '_ {
        let now = (self.step, curve.value(self.x));
        self.history
            .iter()
            .map(|s| (s.step, s.loss))
            .chain(std::iter::once(now))
    }

    /// The last `count` positions the ball stood at before now, oldest first.
    pub fn trail(&self, count: usize) -> impl Iterator<Item = f64> + '_ {
        self.history
            .iter()
            .skip(self.history.len().saturating_sub(count))
            .map(|s| s.x)
    }

    /// True while the run may still take steps in the app (not converged, not diverged).
    pub fn is_running(&self) -> bool {
        self.status == RunStatus::Running
    }

    /// Take one step with learning rate `lr`. A stopped run (diverged or undefined) takes no more steps and
    /// returns `None`.
    ///
    /// A converged run may still be stepped (the command line runs exactly the steps it was asked for);
    /// it stays converged at the step where it first got there.
    pub fn advance(&mut self, curve: &Curve, lr: f64) -> Option<StepRecord> {
        if self.status.is_stopped() {
            return None;
        }
        if self.history.len() == HISTORY_STEPS {
            self.history.pop_front();
        }
        self.history.push_back(Snapshot {
            optimizer: self.optimizer,
            x: self.x,
            loss: curve.value(self.x),
            step: self.step,
            status: self.status,
            last: self.last,
        });
        let grad = curve.slope(self.x);
        let record = StepRecord {
            step: self.step + 1,
            x: self.x,
            grad,
            lr,
            x_new: self.optimizer.step(self.x, grad, lr),
        };
        self.step = record.step;
        self.last = Some(record);
        if let Some(trouble) = trouble_at(curve, record.x_new, record.step) {
            self.status = trouble;
            return Some(record);
        }
        self.x = record.x_new;
        // Settled: the slope is flat and the optimizer's next move (momentum may still carry it) is tiny.
        let next_move =
            (self.optimizer.clone().step(self.x, curve.slope(self.x), lr) - self.x).abs();
        let flat = curve.slope(self.x).abs() < CONVERGED_BELOW
            && next_move < CONVERGED_BELOW * self.x.abs().max(1.0);
        self.status = match (self.status, flat) {
            (RunStatus::Converged { step }, true) => RunStatus::Converged { step },
            (_, true) => RunStatus::Converged { step: self.step },
            (RunStatus::RunningAway { since }, false) if self.running_away(curve) => {
                RunStatus::RunningAway { since }
            }
            (_, false) if self.running_away(curve) => RunStatus::RunningAway { since: self.step },
            (_, false) => RunStatus::Running,
        };
        Some(record)
    }

    /// True when the steps that led here each raised the loss and each moved further than the one before.
    fn running_away(&self, curve: &Curve) -> bool {
        let k = super::runaway::RUNAWAY_STEPS;
        if self.history.len() < k {
            return false;
        }
        let visited: Vec<(f64, f64)> = self
            .history
            .iter()
            .skip(self.history.len() - k)
            .map(|s| (s.x, s.loss))
            .chain(std::iter::once((self.x, curve.value(self.x))))
            .collect();
        super::runaway::runs_away_along(&visited, |a, b| (b - a).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::optimizer::{Method, Settings};

    fn bowl() -> &'static Curve {
        Curve::by_name("bowl").unwrap()
    }

    fn xs_after(lr: f64, steps: usize) -> (Vec<f64>, Descent) {
        let mut run = Descent::new(bowl(), 1.0);
        let mut xs = vec![run.x];
        for _ in 0..steps {
            if run.advance(bowl(), lr).is_none() {
                break;
            }
            xs.push(run.x);
        }
        (xs, run)
    }

    #[test]
    fn gradient_descent_on_the_bowl_with_lr_0_1_converges_without_changing_sign() {
        let (xs, run) = xs_after(0.1, 200);
        assert!(xs.iter().all(|&x| x >= 0.0), "{xs:?}");
        // x_n = 0.8^n exactly in real arithmetic.
        for (n, x) in xs.iter().take(20).enumerate() {
            assert!((x - 0.8f64.powi(n as i32)).abs() < 1e-15);
        }
        assert!(
            matches!(run.status, RunStatus::Converged { .. }),
            "{:?}",
            run.status
        );
    }

    #[test]
    fn gradient_descent_on_the_bowl_with_lr_0_5_reaches_zero_in_one_step() {
        let (xs, run) = xs_after(0.5, 1);
        assert_eq!(xs, vec![1.0, 0.0]);
        assert_eq!(run.status, RunStatus::Converged { step: 1 });
    }

    #[test]
    fn gradient_descent_on_the_bowl_with_lr_0_75_converges_while_alternating_sign() {
        let (xs, run) = xs_after(0.75, 200);
        // x_n = (-0.5)^n.
        for (n, x) in xs.iter().take(30).enumerate() {
            assert_eq!(*x, (-0.5f64).powi(n as i32));
        }
        assert!(xs.windows(2).take(20).all(|w| w[0] * w[1] < 0.0));
        assert!(matches!(run.status, RunStatus::Converged { .. }));
    }

    #[test]
    fn gradient_descent_on_the_bowl_with_lr_1_bounces_between_one_and_minus_one() {
        let (xs, run) = xs_after(1.0, 100);
        for (n, x) in xs.iter().enumerate() {
            assert_eq!(*x, if n % 2 == 0 { 1.0 } else { -1.0 });
        }
        assert_eq!(run.status, RunStatus::Running);
        assert_eq!(run.step, 100);
    }

    #[test]
    fn gradient_descent_on_the_bowl_above_lr_one_is_named_running_away_at_step_three() {
        let mut run = Descent::new(bowl(), 2.5);
        for _ in 0..2 {
            run.advance(bowl(), 1.1);
        }
        assert_eq!(run.status, RunStatus::Running);
        run.advance(bowl(), 1.1);
        assert_eq!(run.status, RunStatus::RunningAway { since: 3 });
        assert!(
            !run.is_running(),
            "playing stops once it is plainly running away"
        );
        run.advance(bowl(), 1.1);
        assert_eq!(
            run.status,
            RunStatus::RunningAway { since: 3 },
            "it keeps its first step"
        );
        run.step_back();
        run.step_back();
        assert_eq!(run.status, RunStatus::Running, "stepping back undoes it");
        // A smaller learning rate from here settles: the name goes away again.
        for _ in 0..400 {
            run.advance(bowl(), 0.1);
        }
        assert!(matches!(run.status, RunStatus::Converged { .. }));
    }

    #[test]
    fn gradient_descent_on_the_bowl_diverges_above_learning_rate_one() {
        let (xs, mut run) = xs_after(1.1, 1000);
        // |x_n| = 1.2^n grows until it passes 1e6: 1.2^76 is about 1.07e6.
        assert_eq!(run.status, RunStatus::Diverged { step: 76 });
        assert!(
            xs.iter()
                .all(|x| x.is_finite() && x.abs() <= DIVERGED_BEYOND)
        );
        assert!(
            run.advance(bowl(), 1.1).is_none(),
            "a diverged run takes no more steps"
        );
        assert_eq!(run.step, 76);
    }

    fn settle(curve: &Curve, x0: f64, lr: f64, method: Method, momentum: f64) -> Descent {
        let settings = Settings {
            momentum,
            ..Settings::default()
        };
        let mut run = Descent::with(curve, x0, Optimizer::new(method, settings));
        for _ in 0..200_000 {
            run.advance(curve, lr);
            if !matches!(
                run.status,
                RunStatus::Running | RunStatus::RunningAway { .. }
            ) {
                break;
            }
        }
        run
    }

    #[test]
    fn on_the_double_well_gd_settles_in_the_near_valley_and_momentum_rolls_over_the_hump() {
        let well = Curve::by_name("double-well").unwrap();
        let gd = settle(well, 2.0, 0.01, Method::Gd, 0.9);
        assert!(
            matches!(gd.status, RunStatus::Converged { .. }),
            "{:?}",
            gd.status
        );
        assert!((gd.x - 1.1309).abs() < 1e-3, "gd stopped at {}", gd.x);
        let momentum = settle(well, 2.0, 0.01, Method::Momentum, 0.9);
        assert!(
            matches!(momentum.status, RunStatus::Converged { .. }),
            "{:?}",
            momentum.status
        );
        assert!(
            (momentum.x - (-1.3008)).abs() < 1e-3,
            "momentum stopped at {}",
            momentum.x
        );
    }

    #[test]
    fn on_the_bowl_lr_1_1_diverges_for_gd_but_momentum_0_5_and_adam_converge() {
        assert!(matches!(
            settle(bowl(), 1.0, 1.1, Method::Gd, 0.9).status,
            RunStatus::Diverged { .. }
        ));
        let momentum = settle(bowl(), 1.0, 1.1, Method::Momentum, 0.5);
        assert!(
            matches!(momentum.status, RunStatus::Converged { .. }),
            "{:?} at {}",
            momentum.status,
            momentum.x
        );
        let adam = settle(bowl(), 1.0, 1.1, Method::Adam, 0.9);
        assert!(
            matches!(adam.status, RunStatus::Converged { .. }),
            "{:?} at {}",
            adam.status,
            adam.x
        );
        assert!(adam.x.abs() < 1e-6);
    }

    #[test]
    fn stepping_back_undoes_steps_exactly_and_history_stays_bounded() {
        let well = Curve::by_name("double-well").unwrap();
        let mut run = Descent::with(well, 2.0, Optimizer::new(Method::Adam, Settings::default()));
        let mut states = vec![run.clone()];
        for _ in 0..5 {
            run.advance(well, 0.05);
            states.push(run.clone());
        }
        for expected in states.iter().rev().skip(1) {
            assert!(run.step_back());
            assert_eq!(run.x, expected.x);
            assert_eq!(run.optimizer, expected.optimizer);
            assert_eq!(run.step, expected.step);
        }
        assert!(!run.step_back());
        for _ in 0..(HISTORY_STEPS + 500) {
            run.advance(well, 0.001);
        }
        assert_eq!(run.history.len(), HISTORY_STEPS);
        assert_eq!(run.losses(well).count(), HISTORY_STEPS + 1);
        assert_eq!(run.trail(10).count(), 10);
    }

    #[test]
    fn reset_replays_the_identical_run() {
        let well = Curve::by_name("double-well").unwrap();
        let a = settle(well, 2.0, 0.01, Method::Adam, 0.9);
        let b = settle(well, 2.0, 0.01, Method::Adam, 0.9);
        assert_eq!(a, b);
    }

    #[test]
    fn a_run_that_starts_at_the_bottom_is_already_converged() {
        assert_eq!(
            Descent::new(bowl(), 0.0).status,
            RunStatus::Converged { step: 0 }
        );
    }

    #[test]
    fn a_non_finite_update_leaves_the_last_good_position() {
        let mut run = Descent::new(bowl(), 1.0);
        let record = run.advance(bowl(), f64::INFINITY).unwrap();
        assert!(!record.x_new.is_finite());
        assert_eq!(run.x, 1.0);
        assert_eq!(run.status, RunStatus::Diverged { step: 1 });
    }

    #[test]
    fn the_step_record_holds_the_numbers_of_the_update() {
        let record = preview_step(bowl(), 1.2, 0.1, 1);
        assert_eq!(record.grad, 2.4);
        assert!((record.x_new - 0.96).abs() < 1e-15);
    }
}
