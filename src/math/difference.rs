//! Finite differences: the slope of a chord, which becomes the derivative as h shrinks.

/// Slope of the chord from (x, f(x)) to (x + h, f(x + h)).
pub fn forward_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x + h) - f(x)) / h
}

/// Slope of the chord from (x - h, f(x - h)) to (x, f(x)).
pub fn backward_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x) - f(x - h)) / h
}

/// Slope of the chord from (x - h, f(x - h)) to (x + h, f(x + h)), centred on x.
pub fn central_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x + h) - f(x - h)) / (2.0 * h)
}

/// Which two points a chord joins around x.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scheme {
    /// (x, x + h): the lesson's chord.
    #[default]
    Forward,
    /// (x - h, x).
    Backward,
    /// (x - h, x + h): errors shrink like h^2 instead of h.
    Central,
}

impl Scheme {
    pub const ALL: [Scheme; 3] = [Scheme::Forward, Scheme::Backward, Scheme::Central];

    pub fn name(self) -> &'static str {
        match self {
            Scheme::Forward => "forward",
            Scheme::Backward => "backward",
            Scheme::Central => "central",
        }
    }

    /// The x of the chord's two ends, computed in f64 as a computer does (so x + h may round back to x).
    pub fn ends(self, x: f64, h: f64) -> (f64, f64) {
        match self {
            Scheme::Forward => (x, x + h),
            Scheme::Backward => (x - h, x),
            Scheme::Central => (x - h, x + h),
        }
    }

    /// The chord's slope.
    pub fn slope(self, f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
        match self {
            Scheme::Forward => forward_difference(f, x, h),
            Scheme::Backward => backward_difference(f, x, h),
            Scheme::Central => central_difference(f, x, h),
        }
    }

    /// The h where truncation and round-off errors balance: about sqrt(eps) for one-sided chords and
    /// cbrt(eps) for the central one, scaled by |x| when x is large.
    pub fn best_h(self, x: f64) -> f64 {
        let scale = x.abs().max(1.0);
        match self {
            Scheme::Forward | Scheme::Backward => f64::EPSILON.sqrt() * scale,
            Scheme::Central => f64::EPSILON.cbrt() * scale,
        }
    }

    /// How fast the truncation error falls with h: error is about C * h^order.
    pub fn order(self) -> i32 {
        match self {
            Scheme::Forward | Scheme::Backward => 1,
            Scheme::Central => 2,
        }
    }
}

/// True when the chord has collapsed: in f64 its two ends are the same number, so its slope says nothing.
pub fn chord_collapsed(scheme: Scheme, x: f64, h: f64) -> bool {
    let (a, b) = scheme.ends(x, h);
    a == b
}

/// |chord slope - exact slope| for `samples` values of h spread evenly in log10 from 1 down to 1e-16.
pub fn error_sweep(
    f: impl Fn(f64) -> f64,
    exact: f64,
    scheme: Scheme,
    x: f64,
    samples: usize,
) -> Vec<(f64, f64)> {
    let samples = samples.max(2);
    (0..samples)
        .map(|i| {
            let h = 10f64.powf(-16.0 * i as f64 / (samples - 1) as f64);
            (h, (scheme.slope(&f, x, h) - exact).abs())
        })
        .collect()
}

/// The least-squares slope of log10(error) against log10(h): the order the errors really fall with.
/// Points with a zero or non-finite error are left out; `None` when fewer than two remain.
pub fn log_log_slope(points: &[(f64, f64)]) -> Option<f64> {
    let logs: Vec<(f64, f64)> = points
        .iter()
        .filter(|(h, e)| *h > 0.0 && *e > 0.0 && h.is_finite() && e.is_finite())
        .map(|(h, e)| (h.log10(), e.log10()))
        .collect();
    if logs.len() < 2 {
        return None;
    }
    let n = logs.len() as f64;
    let (mx, my) = logs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (sxy, sxx) = logs.iter().fold((0.0, 0.0), |(sxy, sxx), (x, y)| {
        (sxy + (x - mx) * (y - my), sxx + (x - mx) * (x - mx))
    });
    (sxx > 0.0).then(|| sxy / sxx)
}

/// What an error sweep shows for one scheme at x.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ErrorShape {
    /// A V: right of the dip near `best_h` the error falls with h (log-log slope `slope`, about the scheme's
    /// order) because the chord is too long; left of it rounding makes the error grow again.
    Dip { best_h: f64, slope: f64 },
    /// The error falls with h (log-log slope `slope`) all the way down: no rounding shows, so no h is best.
    Falling { slope: f64 },
    /// Nothing but rounding: the chord would be parallel to the tangent in exact arithmetic (a parabola's
    /// central chord, any chord of a line), so the error only grows as h shrinks. No h is best.
    RoundOffOnly,
    /// Every chord of the sweep gives exactly f'(x).
    Exact,
    /// No chord of the sweep could be measured (the curve has no value at its ends).
    Undefined,
}

/// The log-log slope an error must rise with on one side of the best h to count as the arm of a V.
const ARM_SLOPE: f64 = 0.5;

/// Reads a sweep from [`error_sweep`]: fits the error's log-log slope right of the expected dip (from a
/// hundred times [`Scheme::best_h`] up to h = 0.1) and left of it (below a hundredth of the best h).
pub fn error_shape(sweep: &[(f64, f64)], scheme: Scheme, x: f64) -> ErrorShape {
    let measured: Vec<f64> = sweep
        .iter()
        .map(|&(_, e)| e)
        .filter(|e| e.is_finite())
        .collect();
    if measured.is_empty() {
        return ErrorShape::Undefined;
    }
    if measured.iter().all(|&e| e == 0.0) {
        return ErrorShape::Exact;
    }
    let best_h = scheme.best_h(x);
    let side = |keep: &dyn Fn(f64) -> bool| {
        let points: Vec<(f64, f64)> = sweep.iter().copied().filter(|&(h, _)| keep(h)).collect();
        log_log_slope(&points)
    };
    let right = side(&|h| h <= 0.1 && h >= 100.0 * best_h);
    let left = side(&|h| h <= 0.01 * best_h);
    match (right, left) {
        (Some(slope), Some(rounding)) if slope >= ARM_SLOPE && rounding <= -ARM_SLOPE => {
            ErrorShape::Dip { best_h, slope }
        }
        (Some(slope), _) if slope >= ARM_SLOPE => ErrorShape::Falling { slope },
        _ => ErrorShape::RoundOffOnly,
    }
}

/// h = 10^-decades, exactly the literal decade (0.1, 0.01, ...) when `decades` is a whole number.
pub fn h_decades_below_one(decades: f64) -> f64 {
    let whole = decades.round();
    if (decades - whole).abs() < 1e-12 && (0.0..=16.0).contains(&whole) {
        DECADES[whole as usize]
    } else {
        10f64.powf(-decades)
    }
}

/// The step sizes h = 1, 0.1, ... 1e-16, written as literals so each is the double nearest its decade.
pub const DECADES: [f64; 17] = [
    1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14,
    1e-15, 1e-16,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64) -> f64 {
        x * x
    }

    #[test]
    fn central_difference_with_h_1e_minus_5_recovers_the_lessons_slopes() {
        assert!((central_difference(square, 1.0, 1e-5) - 2.0).abs() < 1e-9);
        assert!((central_difference(square, 3.0, 1e-5) - 6.0).abs() < 1e-9);
    }

    #[test]
    fn forward_chord_slope_on_the_bowl_is_two_x_plus_h() {
        // ((x+h)^2 - x^2) / h = 2x + h exactly in real arithmetic.
        for h in [0.5, 0.25, 0.125] {
            assert_eq!(forward_difference(square, 1.0, h), 2.0 + h);
            assert_eq!(backward_difference(square, 1.0, h), 2.0 - h);
        }
    }

    #[test]
    fn shrinking_h_walks_the_forward_chord_toward_the_tangent() {
        let errors: Vec<f64> = DECADES[..6]
            .iter()
            .map(|&h| (forward_difference(square, 1.0, h) - 2.0).abs())
            .collect();
        assert!(errors.windows(2).all(|w| w[1] < w[0]), "{errors:?}");
    }

    fn exp_errors_at_one(scheme: Scheme) -> Vec<(f64, f64)> {
        let e = 1f64.exp();
        DECADES
            .iter()
            .map(|&h| (h, (scheme.slope(f64::exp, 1.0, h) - e).abs()))
            .collect()
    }

    fn best_decade(errors: &[(f64, f64)]) -> f64 {
        errors.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0
    }

    #[test]
    fn on_exp_at_one_the_forward_error_is_smallest_near_h_1e_minus_8() {
        let best = best_decade(&exp_errors_at_one(Scheme::Forward));
        assert!(
            (best.log10() + 8.0).abs() <= 1.0,
            "best forward h is {best:e}"
        );
    }

    #[test]
    fn on_exp_at_one_the_central_error_is_smallest_near_h_1e_minus_5() {
        let best = best_decade(&exp_errors_at_one(Scheme::Central));
        assert!(
            (best.log10() + 5.0).abs() <= 1.0,
            "best central h is {best:e}"
        );
    }

    #[test]
    fn truncation_errors_fall_with_slope_one_forward_and_two_central() {
        let forward: Vec<(f64, f64)> = exp_errors_at_one(Scheme::Forward)[1..=5].to_vec();
        let central: Vec<(f64, f64)> = exp_errors_at_one(Scheme::Central)[1..=3].to_vec();
        let forward_slope = log_log_slope(&forward).unwrap();
        let central_slope = log_log_slope(&central).unwrap();
        assert!(
            (forward_slope - 1.0).abs() <= 0.1,
            "forward slope {forward_slope}"
        );
        assert!(
            (central_slope - 2.0).abs() <= 0.1,
            "central slope {central_slope}"
        );
    }

    #[test]
    fn round_off_makes_errors_grow_again_below_the_best_h() {
        let forward = exp_errors_at_one(Scheme::Forward);
        // From 1e-9 down to 1e-15 the error rises, with a fitted slope near -1.
        let slope = log_log_slope(&forward[9..=15]).unwrap();
        assert!(slope < -0.6, "round-off slope {slope}");
    }

    #[test]
    fn at_h_1e_minus_16_next_to_one_the_forward_chord_collapses_to_slope_zero() {
        assert_eq!(1.0 + 1e-16, 1.0);
        assert!(chord_collapsed(Scheme::Forward, 1.0, 1e-16));
        assert_eq!(forward_difference(f64::exp, 1.0, 1e-16), 0.0);
    }

    #[test]
    fn on_the_bowl_the_central_slope_is_two_x_to_rounding_for_every_h() {
        for x in [-2.0, -0.3, 1.0, 2.5] {
            for &h in &DECADES[1..=6] {
                let slope = central_difference(square, x, h);
                // What is left is round-off: a few ulps of f(x) divided by h.
                let rounding = 4.0 * f64::EPSILON * (x * x).max(1.0) / h;
                assert!(
                    (slope - 2.0 * x).abs() <= rounding,
                    "x={x} h={h:e}: {slope}"
                );
            }
        }
    }

    fn shape(f: impl Fn(f64) -> f64, exact: f64, scheme: Scheme, x: f64) -> ErrorShape {
        error_shape(&error_sweep(f, exact, scheme, x, 161), scheme, x)
    }

    #[test]
    fn on_exp_both_chords_show_a_v_whose_right_arm_falls_like_their_order() {
        let e = 1f64.exp();
        for (scheme, order) in [(Scheme::Forward, 1.0), (Scheme::Central, 2.0)] {
            match shape(f64::exp, e, scheme, 1.0) {
                ErrorShape::Dip { best_h, slope } => {
                    assert_eq!(best_h, scheme.best_h(1.0));
                    assert!((slope - order).abs() < 0.15, "{scheme:?}: slope {slope}");
                }
                other => panic!("{scheme:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn on_the_bowl_the_central_error_is_only_rounding_and_has_no_best_h() {
        for x in [-2.0, -0.3, 1.0, 1.5, 2.5] {
            assert_eq!(
                shape(square, 2.0 * x, Scheme::Central, x),
                ErrorShape::RoundOffOnly,
                "x = {x}"
            );
            assert!(matches!(
                shape(square, 2.0 * x, Scheme::Forward, x),
                ErrorShape::Dip { .. }
            ));
        }
    }

    #[test]
    fn at_the_bottom_of_the_bowl_the_central_chord_is_exact_and_the_forward_error_never_turns_up() {
        assert_eq!(shape(square, 0.0, Scheme::Central, 0.0), ErrorShape::Exact);
        match shape(square, 0.0, Scheme::Forward, 0.0) {
            ErrorShape::Falling { slope } => assert!((slope - 1.0).abs() < 1e-6, "{slope}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_line_has_only_rounding_and_an_undefined_curve_nothing_to_measure() {
        let line = |x: f64| 3.0 * x + 0.7;
        assert_eq!(
            shape(line, 3.0, Scheme::Forward, 1.3),
            ErrorShape::RoundOffOnly
        );
        assert_eq!(
            shape(|_| f64::NAN, 1.0, Scheme::Forward, 1.0),
            ErrorShape::Undefined
        );
    }

    #[test]
    fn each_scheme_joins_the_points_it_names() {
        assert_eq!(Scheme::Forward.ends(1.0, 0.5), (1.0, 1.5));
        assert_eq!(Scheme::Backward.ends(1.0, 0.5), (0.5, 1.0));
        assert_eq!(Scheme::Central.ends(1.0, 0.5), (0.5, 1.5));
        assert_eq!(Scheme::Backward.slope(square, 1.0, 0.5), 1.5);
    }

    #[test]
    fn the_best_h_is_the_square_root_or_cube_root_of_epsilon() {
        assert!((Scheme::Forward.best_h(1.0) - 1.49e-8).abs() < 1e-10);
        assert!((Scheme::Central.best_h(1.0) - 6.06e-6).abs() < 1e-8);
        assert_eq!(
            Scheme::Central.best_h(100.0),
            100.0 * Scheme::Central.best_h(1.0)
        );
    }

    #[test]
    fn a_sweep_runs_from_h_one_to_1e_minus_16() {
        let sweep = error_sweep(square, 2.0, Scheme::Forward, 1.0, 161);
        assert_eq!(sweep.len(), 161);
        assert_eq!(sweep[0].0, 1.0);
        assert!((sweep[160].0 - 1e-16).abs() < 1e-30);
        assert_eq!(sweep[0].1, 1.0);
    }

    #[test]
    fn whole_decades_give_the_literal_h() {
        assert_eq!(h_decades_below_one(3.0), 0.001);
        assert_eq!(h_decades_below_one(16.0), 1e-16);
        assert!((h_decades_below_one(2.5) - 10f64.powf(-2.5)).abs() < 1e-18);
    }

    #[test]
    fn decades_are_powers_of_ten() {
        for (k, h) in DECADES.iter().enumerate() {
            assert_eq!(*h, format!("1e-{k}").parse::<f64>().unwrap());
        }
    }
}
