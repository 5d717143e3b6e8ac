//! The two-parameter scene: a line y_hat = w x + b fitted to points by gradient descent on the mean squared
//! error, with the exact partial derivatives, the least-squares answer from the normal equations, and the
//! largest learning rate plain descent can use.

use std::collections::VecDeque;

use super::optimizer::{Method, Optimizer, Settings};

/// Most data points the scene holds.
pub const MAX_POINTS: usize = 20;
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
    /// The learning rate of the last step taken, which a sentence about that step quotes.
    pub last_lr: Option<f64>,
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
            last_lr: None,
        }
    }

    pub fn is_running(&self) -> bool {
        self.status == FitStatus::Running
    }

    /// One step with learning rate `lr`; a diverged run takes no more.
    pub fn advance(&mut self, points: &[Point], lr: f64) -> Option<LossAt> {
        if matches!(self.status, FitStatus::Diverged { .. }) {
            return None;
        }
        let here = loss_at(points, self.w, self.b);
        if self.path.len() == PATH_STEPS {
            self.path.pop_front();
        }
        self.path.push_back((self.w, self.b));
        self.last_lr = Some(lr);
        let w = self.optimizers[0].step(self.w, here.dw, lr);
        let b = self.optimizers[1].step(self.b, here.db, lr);
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
        self.status = match self.status {
            FitStatus::Converged { step } => FitStatus::Converged { step },
            _ if flat => FitStatus::Converged { step: self.step },
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

    #[test]
    fn the_path_is_bounded() {
        let mut fit = gd((0.5, 0.0));
        for _ in 0..(PATH_STEPS + 100) {
            fit.advance(&lesson_data(), 1e-6);
        }
        assert_eq!(fit.path.len(), PATH_STEPS);
    }
}
