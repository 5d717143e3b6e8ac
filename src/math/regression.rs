//! The two-parameter scene: a line y_hat = w x + b fitted to points by gradient descent on the mean squared
//! error, with the exact partial derivatives, the least-squares answer from the normal equations, and the
//! largest learning rate plain descent can use.

use std::collections::VecDeque;

use super::optimizer::{Method, Optimizer, Settings};

/// Most data points the scene holds: room for the 100 noisy points of [`super::minibatch::noisy_line`]
/// and a few more.
pub const MAX_POINTS: usize = 120;
/// Steps of (w, b) a run remembers for its path.
pub const PATH_STEPS: usize = 4096;
/// A run has converged once both partial derivatives are this small.
pub const CONVERGED_BELOW: f64 = 1e-9;
/// A run has diverged once |w|, |b| or the loss pass this.
pub const DIVERGED_BEYOND: f64 = 1e12;

/// One data point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// The lesson's single point: x = 2, y = 3.
pub fn lesson_data() -> Vec<Point> {
    vec![Point { x: 2.0, y: 3.0 }]
}

/// L, dL/dw and dL/db at (w, b): the mean over the points of (y - (w x + b))^2 and its partial derivatives.
/// With one point this is the lesson's L = (y - w x - b)^2.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossAt {
    pub loss: f64,
    pub dw: f64,
    pub db: f64,
}

/// The loss and its gradient, exact: for each point the residual r = y - (w x + b), then
/// L = mean r^2, dL/dw = mean(-2 x r), dL/db = mean(-2 r) (the chain rule through r).
pub fn loss_at(points: &[Point], w: f64, b: f64) -> LossAt {
    if points.is_empty() {
        return LossAt {
            loss: 0.0,
            dw: 0.0,
            db: 0.0,
        };
    }
    let (mut loss, mut dw, mut db) = (0.0, 0.0, 0.0);
    for p in points {
        let r = p.y - (w * p.x + b);
        loss += r * r;
        dw += -2.0 * p.x * r;
        db += -2.0 * r;
    }
    let n = points.len() as f64;
    LossAt {
        loss: loss / n,
        dw: dw / n,
        db: db / n,
    }
}

/// [`loss_at`] over the points at `batch` (indices into `points`, taken in the order given; any past the end
/// are left out): the mean is over the batch. A batch of every index in order is `loss_at` itself, bit for
/// bit, since the same numbers are summed in the same order.
pub fn batch_loss_at(points: &[Point], batch: &[usize], w: f64, b: f64) -> LossAt {
    let chosen: Vec<Point> = batch
        .iter()
        .filter_map(|&i| points.get(i).copied())
        .collect();
    loss_at(&chosen, w, b)
}

/// The loss alone, for the height map.
pub fn loss(points: &[Point], w: f64, b: f64) -> f64 {
    loss_at(points, w, b).loss
}

/// The least-squares line from the normal equations, or `None` when it is not unique (fewer than two
/// different x values).
pub fn least_squares(points: &[Point]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    if points.is_empty() {
        return None;
    }
    let mean_x = points.iter().map(|p| p.x).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.y).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.x - mean_x) * (p.x - mean_x)).sum();
    let sxy: f64 = points.iter().map(|p| (p.x - mean_x) * (p.y - mean_y)).sum();
    if sxx <= 1e-12 * (1.0 + mean_x * mean_x) * n {
        return None;
    }
    let w = sxy / sxx;
    Some((w, mean_y - w * mean_x))
}

/// The largest eigenvalue of the loss's Hessian, (2/n) [[sum x^2, sum x], [sum x, n]]: plain gradient
/// descent converges for every start exactly when lr < 2 / this.
pub fn largest_curvature(points: &[Point]) -> f64 {
    if points.is_empty() {
        return 0.0;
    }
    let n = points.len() as f64;
    let a = 2.0 * points.iter().map(|p| p.x * p.x).sum::<f64>() / n;
    let c = 2.0 * points.iter().map(|p| p.x).sum::<f64>() / n;
    let d = 2.0;
    let half_trace = 0.5 * (a + d);
    let gap = (0.25 * (a - d) * (a - d) + c * c).sqrt();
    half_trace + gap
}

/// Where a two-parameter run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FitStatus {
    Running,
    Converged {
        step: u64,
    },
    /// Each of the last few steps landed higher than the one before and moved further (see
    /// [`super::runaway`]), the last of them at step `since`: the learning rate is too large here. Playing
    /// stops; a step by hand still goes on, and the run is back to `Running` once a step lands lower.
    RunningAway {
        since: u64,
    },
    /// w, b or the loss left the number line (or passed [`DIVERGED_BEYOND`]); the run cannot go on.
    Diverged {
        step: u64,
    },
}

/// Gradient descent (or another optimizer, one per parameter as torch keeps state per parameter) on (w, b).
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub start: (f64, f64),
    pub w: f64,
    pub b: f64,
    pub step: u64,
    pub status: FitStatus,
    pub optimizers: [Optimizer; 2],
    /// (w, b) before each remembered step, oldest first, at most [`PATH_STEPS`].
    pub path: VecDeque<(f64, f64)>,
    /// The loss over every point where each remembered step started (beside `path`), and over the batch
    /// that step used (only while batching): the loss plot's two lines.
    pub losses: VecDeque<f64>,
    pub batch_losses: VecDeque<f64>,
    /// The learning rate of the last step taken, which a sentence about that step quotes.
    pub last_lr: Option<f64>,
    /// (dL/dw, dL/db) of the batch the last step used, when it used one ([`Fit::advance_batch`]); taken
    /// at the step's start, the last entry of `path`.
    pub last_batch: Option<(f64, f64)>,
}

impl Fit {
    pub fn new(start: (f64, f64), method: Method, settings: Settings) -> Self {
        Self {
            start,
            w: start.0,
            b: start.1,
            step: 0,
            status: FitStatus::Running,
            optimizers: [Optimizer::new(method, settings); 2],
            path: VecDeque::new(),
            losses: VecDeque::new(),
            batch_losses: VecDeque::new(),
            last_lr: None,
            last_batch: None,
        }
    }

    pub fn is_running(&self) -> bool {
        self.status == FitStatus::Running
    }

    /// One step with learning rate `lr`; a diverged run takes no more. Returns the loss and gradient over
    /// all the points where the step started.
    pub fn advance(&mut self, points: &[Point], lr: f64) -> Option<LossAt> {
        self.step_with(points, None, lr)
    }

    /// One step of minibatch descent: it goes against the gradient of the points at `batch` only (see
    /// [`batch_loss_at`]), while whether the run has converged or diverged is still judged on the loss over
    /// all the points. A batch of fewer than all the points is never named running away: noise alone
    /// makes a few steps in a row land higher. Returns, as [`Fit::advance`] does, the full loss where it
    /// started.
    pub fn advance_batch(&mut self, points: &[Point], batch: &[usize], lr: f64) -> Option<LossAt> {
        self.step_with(points, Some(batch), lr)
    }

    fn step_with(&mut self, points: &[Point], batch: Option<&[usize]>, lr: f64) -> Option<LossAt> {
        if matches!(self.status, FitStatus::Diverged { .. }) {
            return None;
        }
        let here = loss_at(points, self.w, self.b);
        let pull = match batch {
            Some(batch) => batch_loss_at(points, batch, self.w, self.b),
            None => here,
        };
        self.last_batch = batch.map(|_| (pull.dw, pull.db));
        if self.path.len() == PATH_STEPS {
            self.path.pop_front();
            self.losses.pop_front();
        }
        if self.batch_losses.len() == PATH_STEPS {
            self.batch_losses.pop_front();
        }
        self.path.push_back((self.w, self.b));
        self.losses.push_back(here.loss);
        match batch {
            Some(_) => self.batch_losses.push_back(pull.loss),
            None => self.batch_losses.clear(),
        }
        self.last_lr = Some(lr);
        let w = self.optimizers[0].step(self.w, pull.dw, lr);
        let b = self.optimizers[1].step(self.b, pull.db, lr);
        self.step += 1;
        let next = loss_at(points, w, b);
        let out_of_range = |v: f64| !v.is_finite() || v.abs() > DIVERGED_BEYOND;
        if out_of_range(w) || out_of_range(b) || out_of_range(next.loss) {
            self.status = FitStatus::Diverged { step: self.step };
            return Some(here);
        }
        self.w = w;
        self.b = b;
        let flat = next.dw.abs() < CONVERGED_BELOW && next.db.abs() < CONVERGED_BELOW;
        // A step on part of the data lands higher, further each time, a few steps running by chance alone
        // (with batches of 1 to 50 of 100 noisy points, within 300 steps on every seed tried), so only a
        // step on every point is judged for running away; a batch run that truly flies off still diverges.
        let sampled = batch.is_some_and(|batch| batch.len() < points.len());
        self.status = match self.status {
            FitStatus::Converged { step } => FitStatus::Converged { step },
            _ if flat => FitStatus::Converged { step: self.step },
            _ if sampled => FitStatus::Running,
            FitStatus::RunningAway { since } if self.running_away(points) => {
                FitStatus::RunningAway { since }
            }
            _ if self.running_away(points) => FitStatus::RunningAway { since: self.step },
            _ => FitStatus::Running,
        };
        Some(here)
    }

    /// True when the steps that led here each raised the loss and each moved further in (w, b) than the one
    /// before.
    fn running_away(&self, points: &[Point]) -> bool {
        let k = super::runaway::RUNAWAY_STEPS;
        if self.path.len() < k {
            return false;
        }
        let visited: Vec<((f64, f64), f64)> = self
            .path
            .iter()
            .skip(self.path.len() - k)
            .copied()
            .chain(std::iter::once((self.w, self.b)))
            .map(|(w, b)| ((w, b), loss(points, w, b)))
            .collect();
        super::runaway::runs_away_along(&visited, |a, b| (b.0 - a.0).hypot(b.1 - a.1))
    }

    /// Steps while the run is running (until it converges, runs away or diverges), at most `limit`; returns
    /// the steps taken.
    pub fn run_to_convergence(&mut self, points: &[Point], lr: f64, limit: u64) -> u64 {
        let mut taken = 0;
        while self.is_running() && taken < limit {
            self.advance(points, lr);
            taken += 1;
        }
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gd(start: (f64, f64)) -> Fit {
        Fit::new(start, Method::Gd, Settings::default())
    }

    #[test]
    fn the_lessons_point_gives_loss_4_and_gradient_minus_8_minus_4() {
        let at = loss_at(&lesson_data(), 0.5, 0.0);
        assert_eq!(at.loss, 4.0);
        assert_eq!(at.dw, -8.0);
        assert_eq!(at.db, -4.0);
    }

    #[test]
    fn the_partial_derivatives_are_slopes_of_slices() {
        let points = [
            Point { x: -1.0, y: 0.5 },
            Point { x: 0.5, y: 1.0 },
            Point { x: 2.0, y: 3.5 },
        ];
        let (w, b, h) = (0.3, -0.2, 1e-6);
        let at = loss_at(&points, w, b);
        let dw = (loss(&points, w + h, b) - loss(&points, w - h, b)) / (2.0 * h);
        let db = (loss(&points, w, b + h) - loss(&points, w, b - h)) / (2.0 * h);
        assert!((at.dw - dw).abs() < 1e-8 && (at.db - db).abs() < 1e-8);
    }

    fn point_sets() -> Vec<Vec<Point>> {
        let p = |x: f64, y: f64| Point { x, y };
        vec![
            vec![p(0.0, 1.0), p(1.0, 3.0)],
            vec![p(-1.0, 0.5), p(0.5, 1.0), p(2.0, 3.5)],
            vec![
                p(1.0, 2.0),
                p(2.0, 2.5),
                p(3.0, 4.5),
                p(4.0, 4.0),
                p(5.0, 6.0),
            ],
            vec![
                p(-2.0, 3.0),
                p(-1.0, 1.0),
                p(0.0, 0.0),
                p(1.0, -1.5),
                p(2.5, -3.0),
            ],
        ]
    }

    #[test]
    fn gradient_descent_reaches_the_normal_equations_answer_below_the_critical_learning_rate() {
        for points in point_sets() {
            let (w_star, b_star) = least_squares(&points).unwrap();
            let critical = 2.0 / largest_curvature(&points);
            for fraction in [0.3, 0.9] {
                let mut fit = gd((0.5, 0.0));
                fit.run_to_convergence(&points, fraction * critical, 1_000_000);
                assert!(
                    matches!(fit.status, FitStatus::Converged { .. }),
                    "{points:?} lr {}",
                    fraction * critical
                );
                assert!(
                    (fit.w - w_star).abs() < 1e-6 && (fit.b - b_star).abs() < 1e-6,
                    "{points:?}: ({}, {}) vs ({w_star}, {b_star})",
                    fit.w,
                    fit.b
                );
            }
        }
    }

    #[test]
    fn gradient_descent_above_the_critical_learning_rate_is_named_running_away_long_before_it_diverges()
     {
        for points in point_sets() {
            let critical = 2.0 / largest_curvature(&points);
            let mut fit = gd((0.5, 0.0));
            fit.run_to_convergence(&points, 1.05 * critical, 1_000_000);
            let FitStatus::RunningAway { since } = fit.status else {
                panic!("{points:?}: {:?}", fit.status);
            };
            assert_eq!(since, fit.step, "{points:?}: it stops at once");
            assert!(
                fit.w.abs() < 1e3 && fit.b.abs() < 1e3,
                "{points:?}: ({}, {})",
                fit.w,
                fit.b
            );
            // By hand it still goes on, until it leaves the number line.
            while fit.advance(&points, 1.05 * critical).is_some()
                && matches!(fit.status, FitStatus::RunningAway { .. })
            {}
            assert!(
                matches!(fit.status, FitStatus::Diverged { step } if step > since + 100),
                "{points:?}: {:?} after running away at step {since}",
                fit.status
            );
        }
    }

    #[test]
    fn descent_below_the_critical_learning_rate_is_never_named_running_away() {
        for points in point_sets() {
            let critical = 2.0 / largest_curvature(&points);
            for fraction in [0.3, 0.9, 0.99] {
                let mut fit = gd((0.5, 0.0));
                for _ in 0..5000 {
                    fit.advance(&points, fraction * critical);
                    assert!(
                        !matches!(fit.status, FitStatus::RunningAway { .. }),
                        "{points:?} at {fraction} of critical, step {}",
                        fit.step
                    );
                }
            }
        }
    }

    #[test]
    fn one_point_has_no_unique_least_squares_line_but_descent_still_fits_it() {
        assert_eq!(least_squares(&lesson_data()), None);
        let mut fit = gd((0.5, 0.0));
        fit.run_to_convergence(&lesson_data(), 0.05, 100_000);
        assert!(matches!(fit.status, FitStatus::Converged { .. }));
        assert!(
            (2.0 * fit.w + fit.b - 3.0).abs() < 1e-9,
            "the line passes through (2, 3)"
        );
    }

    #[test]
    fn the_critical_learning_rate_for_the_lessons_point_is_one_fifth() {
        // H = 2 [[4, 2], [2, 1]]: eigenvalues 0 and 10, so lr < 0.2.
        assert!((largest_curvature(&lesson_data()) - 10.0).abs() < 1e-12);
    }

    #[test]
    fn gradient_descent_at_lr_0_4_on_the_lessons_point_is_seen_running_away_at_step_three() {
        // lr 0.4 is twice the critical 0.2: each step multiplies the residual by 1 - 0.4 * 10 = -3.
        let mut fit = gd((0.5, 0.0));
        for _ in 0..2 {
            fit.advance(&lesson_data(), 0.4);
        }
        assert_eq!(
            fit.status,
            FitStatus::Running,
            "two steps are not yet enough"
        );
        fit.advance(&lesson_data(), 0.4);
        assert!(
            !fit.is_running(),
            "step 3: {:?} at ({}, {})",
            fit.status,
            fit.w,
            fit.b
        );
        assert!((fit.w - 22.9).abs() < 1e-9 && (fit.b - 11.2).abs() < 1e-9);
        assert_eq!(fit.status, FitStatus::RunningAway { since: 3 });
        fit.advance(&lesson_data(), 0.4);
        assert_eq!(
            fit.status,
            FitStatus::RunningAway { since: 3 },
            "it keeps its first step"
        );
        // A small learning rate from here lands lower at once, and then settles on the line.
        fit.advance(&lesson_data(), 0.05);
        assert_eq!(fit.status, FitStatus::Running);
        fit.run_to_convergence(&lesson_data(), 0.05, 100_000);
        assert!(matches!(fit.status, FitStatus::Converged { .. }));
        assert!((2.0 * fit.w + fit.b - 3.0).abs() < 1e-9);
    }

    use crate::math::minibatch::{NOISY_POINTS, SplitMix64, noisy_line, pick_batch};

    fn seven_points() -> Vec<Point> {
        let p = |x: f64, y: f64| Point { x, y };
        vec![
            p(-1.0, -0.3),
            p(0.0, 0.7),
            p(0.5, 0.9),
            p(1.5, 2.6),
            p(2.0, 2.2),
            p(3.0, 3.9),
            p(4.0, 4.1),
        ]
    }

    /// `steps` steps of minibatch descent with batches of `k` drawn from `seed`.
    fn batch_run(
        points: &[Point],
        method: Method,
        lr: f64,
        k: usize,
        seed: u64,
        steps: usize,
    ) -> Fit {
        let mut rng = SplitMix64::new(seed);
        let mut fit = Fit::new((0.5, 0.0), method, Settings::default());
        for _ in 0..steps {
            let batch = pick_batch(&mut rng, points.len(), k);
            fit.advance_batch(points, &batch, lr);
        }
        fit
    }

    fn bits(fit: &Fit) -> Vec<(u64, u64)> {
        fit.path
            .iter()
            .chain(std::iter::once(&(fit.w, fit.b)))
            .map(|(w, b)| (w.to_bits(), b.to_bits()))
            .collect()
    }

    #[test]
    fn a_batch_of_every_point_is_plain_descent_bit_for_bit() {
        for points in [seven_points(), noisy_line(1, NOISY_POINTS)] {
            let n = points.len();
            let lr_gd = 0.5 * 2.0 / largest_curvature(&points);
            for method in Method::ALL {
                let lr = if method == Method::Gd { lr_gd } else { 0.02 };
                let mut plain = Fit::new((0.5, 0.0), method, Settings::default());
                for _ in 0..200 {
                    plain.advance(&points, lr);
                }
                for k in [n, n + 1] {
                    let batched = batch_run(&points, method, lr, k, 3, 200);
                    assert_eq!(plain.step, 200);
                    assert_eq!(
                        bits(&batched),
                        bits(&plain),
                        "{method:?}, {n} points, batch {k}"
                    );
                    assert_eq!(batched.status, plain.status);
                    assert_eq!(
                        batched.optimizers, plain.optimizers,
                        "the optimizers' state too"
                    );
                }
            }
        }
    }

    #[test]
    fn the_batch_gradient_averages_over_the_batch() {
        // (0, 1), (1, 3), (2, 2) at w = b = 0: the residuals are the y's. The batch {0, 2} has r = 1, 2:
        // dL/dw = (-2·0·1 - 2·2·2) / 2 = -4, dL/db = (-2·1 - 2·2) / 2 = -3, L = (1 + 4) / 2 = 2.5.
        let points = [
            Point { x: 0.0, y: 1.0 },
            Point { x: 1.0, y: 3.0 },
            Point { x: 2.0, y: 2.0 },
        ];
        assert_eq!(
            batch_loss_at(&points, &[0, 2], 0.0, 0.0),
            LossAt {
                loss: 2.5,
                dw: -4.0,
                db: -3.0
            }
        );
        let mut fit = Fit::new((0.0, 0.0), Method::Gd, Settings::default());
        let full = fit.advance_batch(&points, &[0, 2], 0.1).unwrap();
        // What it returns is the loss over all three points: r = 1, 3, 2.
        assert!((full.loss - 14.0 / 3.0).abs() < 1e-15 && (full.dw + 14.0 / 3.0).abs() < 1e-15);
        assert_eq!(full.db, -4.0);
        assert_eq!(fit.last_batch, Some((-4.0, -3.0)));
        // The step follows the batch: (0, 0) - 0.1 (-4, -3) = (0.4, 0.3).
        assert!((fit.w - 0.4).abs() < 1e-15 && (fit.b - 0.3).abs() < 1e-15);
        fit.advance(&points, 0.1);
        assert_eq!(fit.last_batch, None, "plain descent uses no batch");
    }

    #[test]
    fn the_same_seed_replays_the_same_run() {
        let points = noisy_line(4, NOISY_POINTS);
        for method in [Method::Gd, Method::Momentum, Method::Adam] {
            for k in [1, 10, 99] {
                let a = batch_run(&points, method, 0.02, k, 7, 200);
                let b = batch_run(&points, method, 0.02, k, 7, 200);
                assert_eq!(bits(&a), bits(&b), "{method:?} batch {k}");
                let other = batch_run(&points, method, 0.02, k, 8, 200);
                assert_ne!(bits(&a), bits(&other), "{method:?} batch {k}: another seed");
            }
        }
    }

    #[test]
    fn a_batch_of_one_wiggles_but_hovers_about_the_least_squares_line() {
        let points = noisy_line(1, NOISY_POINTS);
        let (w_star, b_star) = least_squares(&points).unwrap();
        let losses = |fit: &Fit| -> Vec<f64> {
            fit.path
                .iter()
                .chain(std::iter::once(&(fit.w, fit.b)))
                .map(|&(w, b)| loss(&points, w, b))
                .collect()
        };
        let falls_every_step = |l: &[f64]| l.windows(2).all(|w| w[1] <= w[0]);
        let mut plain = gd((0.5, 0.0));
        for _ in 0..200 {
            plain.advance(&points, 0.05);
        }
        assert!(
            falls_every_step(&losses(&plain)),
            "plain descent only goes down"
        );
        for seed in 1..=5 {
            let noisy = batch_run(&points, Method::Gd, 0.05, 1, seed, 200);
            let l = losses(&noisy);
            let rises = l.windows(2).filter(|w| w[1] > w[0]).count();
            assert!(
                rises >= 20,
                "seed {seed}: only {rises} of 200 steps went up"
            );
            // Each step is pushed about by its one point, so the run never settles; the last 100 steps
            // hover about the best line.
            let tail: Vec<(f64, f64)> = noisy.path.iter().skip(100).copied().collect();
            let mean =
                |f: fn(&(f64, f64)) -> f64| tail.iter().map(f).sum::<f64>() / tail.len() as f64;
            let (w, b) = (mean(|p| p.0), mean(|p| p.1));
            assert!(
                (w - w_star).abs() < 0.2 && (b - b_star).abs() < 0.3,
                "seed {seed}: about ({w}, {b}), the best line ({w_star}, {b_star})"
            );
            assert!(noisy.is_running(), "seed {seed}: {:?}", noisy.status);
        }
    }

    #[test]
    fn noise_alone_is_never_named_running_away_but_too_large_a_rate_still_diverges() {
        let points = noisy_line(1, NOISY_POINTS);
        let critical = 2.0 / largest_curvature(&points);
        for k in [1, 10, 50] {
            let mut rng = SplitMix64::new(2);
            let mut fit = gd((0.5, 0.0));
            for _ in 0..2000 {
                let batch = pick_batch(&mut rng, points.len(), k);
                fit.advance_batch(&points, &batch, 0.05);
                assert_eq!(
                    fit.status,
                    FitStatus::Running,
                    "batch {k}, step {}",
                    fit.step
                );
            }
            let mut fit = gd((0.5, 0.0));
            for _ in 0..1000 {
                let batch = pick_batch(&mut rng, points.len(), k);
                fit.advance_batch(&points, &batch, 3.0 * critical);
            }
            assert!(
                matches!(fit.status, FitStatus::Diverged { .. }),
                "batch {k} at 3 x critical: {:?}",
                fit.status
            );
        }
    }

    #[test]
    fn the_path_is_bounded() {
        let mut fit = gd((0.5, 0.0));
        for _ in 0..(PATH_STEPS + 100) {
            fit.advance(&lesson_data(), 1e-6);
        }
        assert_eq!(fit.path.len(), PATH_STEPS);
    }
}
