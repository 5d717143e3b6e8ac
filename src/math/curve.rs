//! The loss curves a ball can roll on: value, exact derivative, and the window that shows them well.

/// A one-variable loss curve with its exact first and second derivatives.
///
/// The derivatives are written out by hand from the formula, so every slope shown on screen is exact
/// rather than estimated.
#[derive(Debug)]
pub struct Curve {
    /// Short name used by the curve picker and the command line (`--curve bowl`).
    pub name: &'static str,
    /// The formula in plain text, for readouts: `x^2`.
    pub formula: &'static str,
    value: fn(f64) -> f64,
    derivative: fn(f64) -> f64,
    second_derivative: fn(f64) -> f64,
    third_derivative: fn(f64) -> f64,
    /// f''' is zero everywhere: the curve is a parabola (or a line).
    third_derivative_vanishes: bool,
    /// The x interval the view shows.
    pub x_range: (f64, f64),
    /// The y interval the view shows.
    pub y_range: (f64, f64),
    /// Where a run starts when nobody chose a start point.
    pub default_start: f64,
    /// Rough places of the minima; [`Curve::minima`] polishes them with Newton's method.
    minimum_guesses: &'static [f64],
}

fn bowl(x: f64) -> f64 {
    x * x
}

fn bowl_slope(x: f64) -> f64 {
    2.0 * x
}

fn bowl_bend(_x: f64) -> f64 {
    2.0
}

fn zero(_x: f64) -> f64 {
    0.0
}

fn double_well(x: f64) -> f64 {
    let x2 = x * x;
    x2 * x2 - 3.0 * x2 + x
}

fn double_well_slope(x: f64) -> f64 {
    4.0 * x * x * x - 6.0 * x + 1.0
}

fn double_well_bend(x: f64) -> f64 {
    12.0 * x * x - 6.0
}

fn double_well_third(x: f64) -> f64 {
    24.0 * x
}

fn wave_slope(x: f64) -> f64 {
    x.cos()
}

fn wave_bend(x: f64) -> f64 {
    -x.sin()
}

fn wave_third(x: f64) -> f64 {
    -x.cos()
}

/// Curves are told apart by name: two curves with the same name are the same curve.
impl PartialEq for Curve {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// Every curve built into downhill, in the order the picker lists them.
pub static CURVES: [Curve; 4] = [
    Curve {
        name: "bowl",
        formula: "x^2",
        value: bowl,
        derivative: bowl_slope,
        second_derivative: bowl_bend,
        third_derivative: zero,
        third_derivative_vanishes: true,
        x_range: (-3.0, 3.0),
        y_range: (-1.0, 9.0),
        default_start: 2.5,
        minimum_guesses: &[0.0],
    },
    Curve {
        name: "double-well",
        formula: "x^4 - 3x^2 + x",
        value: double_well,
        derivative: double_well_slope,
        second_derivative: double_well_bend,
        third_derivative: double_well_third,
        third_derivative_vanishes: false,
        x_range: (-2.2, 2.2),
        y_range: (-4.5, 6.0),
        default_start: 2.0,
        minimum_guesses: &[-1.3, 1.13],
    },
    Curve {
        name: "exp",
        formula: "e^x",
        value: f64::exp,
        derivative: f64::exp,
        second_derivative: f64::exp,
        third_derivative: f64::exp,
        third_derivative_vanishes: false,
        x_range: (-3.0, 2.5),
        y_range: (-1.0, 12.5),
        default_start: 1.0,
        minimum_guesses: &[],
    },
    Curve {
        name: "wave",
        formula: "sin x",
        value: f64::sin,
        derivative: wave_slope,
        second_derivative: wave_bend,
        third_derivative: wave_third,
        third_derivative_vanishes: false,
        x_range: (-6.5, 6.5),
        y_range: (-1.6, 1.6),
        default_start: 0.5,
        minimum_guesses: &[
            -std::f64::consts::FRAC_PI_2,
            3.0 * std::f64::consts::FRAC_PI_2,
        ],
    },
];

/// Why a minimum matters to the lesson: the lowest point of the whole curve, or only of its neighbourhood.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MinimumKind {
    Global,
    Local,
}

/// A minimum of a curve, found to full f64 precision.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Minimum {
    pub x: f64,
    pub y: f64,
    pub kind: MinimumKind,
}

impl Curve {
    /// The curve called `name`, if downhill has one.
    pub fn by_name(name: &str) -> Option<&'static Curve> {
        CURVES.iter().find(|curve| curve.name == name)
    }

    /// The names of all built-in curves, for help texts and error messages.
    pub fn names() -> Vec<&'static str> {
        CURVES.iter().map(|curve| curve.name).collect()
    }

    /// f(x).
    pub fn value(&self, x: f64) -> f64 {
        (self.value)(x)
    }

    /// f'(x), exact.
    pub fn slope(&self, x: f64) -> f64 {
        (self.derivative)(x)
    }

    /// f''(x), exact.
    pub fn bend(&self, x: f64) -> f64 {
        (self.second_derivative)(x)
    }

    /// f'''(x), exact: it sets how far the central chord's slope is from the tangent's.
    pub fn third(&self, x: f64) -> f64 {
        (self.third_derivative)(x)
    }

    /// True when f''' is zero everywhere (a parabola): then every central chord is parallel to the tangent.
    pub fn central_chord_is_exact(&self) -> bool {
        self.third_derivative_vanishes
    }

    /// The minima of the curve inside its view, lowest first.
    pub fn minima(&self) -> Vec<Minimum> {
        let mut found: Vec<Minimum> = self
            .minimum_guesses
            .iter()
            .map(|&guess| {
                let x = self.polish_stationary_point(guess);
                Minimum {
                    x,
                    y: self.value(x),
                    kind: MinimumKind::Local,
                }
            })
            .collect();
        found.sort_by(|a, b| a.y.total_cmp(&b.y));
        // Minima as low as the lowest (to rounding, as the two troughs of a sine wave) are all global.
        if let Some(lowest) = found.first().map(|m| m.y) {
            for minimum in &mut found {
                if minimum.y - lowest <= 1e-12 * lowest.abs().max(1.0) {
                    minimum.kind = MinimumKind::Global;
                }
            }
        }
        found
    }

    /// Newton's method on f'(x) = 0, stopping when the step no longer changes x.
    fn polish_stationary_point(&self, guess: f64) -> f64 {
        let mut x = guess;
        for _ in 0..100 {
            let bend = self.bend(x);
            if bend == 0.0 {
                break;
            }
            let next = x - self.slope(x) / bend;
            if next == x || !next.is_finite() {
                break;
            }
            x = next;
        }
        x
    }

    /// Points of the curve across `x_range`, `count` of them evenly spaced, for drawing.
    pub fn sample(&self, x_range: (f64, f64), count: usize) -> Vec<(f64, f64)> {
        let count = count.max(2);
        let (lo, hi) = x_range;
        (0..count)
            .map(|i| {
                let x = lo + (hi - lo) * i as f64 / (count - 1) as f64;
                (x, self.value(x))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bowl() -> &'static Curve {
        Curve::by_name("bowl").unwrap()
    }

    #[test]
    fn bowl_matches_the_lessons_table() {
        for (x, f, slope) in [
            (-2.0, 4.0, -4.0),
            (0.0, 0.0, 0.0),
            (1.0, 1.0, 2.0),
            (3.0, 9.0, 6.0),
        ] {
            assert_eq!(bowl().value(x), f, "f({x})");
            assert_eq!(bowl().slope(x), slope, "f'({x})");
        }
    }

    #[test]
    fn double_well_minima_solve_the_cubic_in_closed_form() {
        // f'(x) = 4x^3 - 6x + 1 = 0 is the depressed cubic x^3 - 1.5x + 0.25 = 0, whose three real roots are
        // 2 sqrt(p/3) cos(theta/3 - 2 pi k / 3) with p = 1.5 and cos(theta) = (-0.25 / 2) / (p/3)^(3/2).
        let p: f64 = 1.5;
        let r = 2.0 * (p / 3.0).sqrt();
        let theta = ((-0.25 / 2.0) / (p / 3.0).powf(1.5)).acos();
        let roots: Vec<f64> = (0..3)
            .map(|k| r * (theta / 3.0 - 2.0 * std::f64::consts::PI * k as f64 / 3.0).cos())
            .collect();
        let well = Curve::by_name("double-well").unwrap();
        let minima = well.minima();
        assert_eq!(minima.len(), 2);
        let global = minima[0];
        let local = minima[1];
        assert_eq!(global.kind, MinimumKind::Global);
        assert_eq!(local.kind, MinimumKind::Local);
        assert!(
            (global.x - (-1.3008)).abs() < 1e-4,
            "global minimum at {}",
            global.x
        );
        assert!(
            (local.x - 1.1309).abs() < 1e-4,
            "local minimum at {}",
            local.x
        );
        for m in minima {
            let closest = roots
                .iter()
                .map(|r| (r - m.x).abs())
                .fold(f64::INFINITY, f64::min);
            assert!(closest < 1e-12, "minimum {} is not a root of f'", m.x);
            assert!(well.bend(m.x) > 0.0);
        }
        assert!(global.y < local.y);
    }

    #[test]
    fn every_curve_has_exact_derivatives_that_agree_with_a_central_difference() {
        for curve in &CURVES {
            for i in 0..=20 {
                let x = curve.x_range.0 + (curve.x_range.1 - curve.x_range.0) * i as f64 / 20.0;
                let h = 1e-5;
                let estimate = (curve.value(x + h) - curve.value(x - h)) / (2.0 * h);
                assert!(
                    (estimate - curve.slope(x)).abs() < 1e-6,
                    "{} at {x}",
                    curve.name
                );
                let bend = (curve.slope(x + h) - curve.slope(x - h)) / (2.0 * h);
                assert!((bend - curve.bend(x)).abs() < 1e-5, "{} at {x}", curve.name);
                let third = (curve.bend(x + h) - curve.bend(x - h)) / (2.0 * h);
                assert!(
                    (third - curve.third(x)).abs() < 1e-5,
                    "{} at {x}",
                    curve.name
                );
            }
        }
    }

    #[test]
    fn the_bowls_only_minimum_is_the_bottom_at_zero() {
        let minima = bowl().minima();
        assert_eq!(
            minima,
            vec![Minimum {
                x: 0.0,
                y: 0.0,
                kind: MinimumKind::Global
            }]
        );
    }

    #[test]
    fn only_the_bowl_has_a_central_chord_parallel_to_its_tangent_for_every_h() {
        let exact: Vec<&str> = CURVES
            .iter()
            .filter(|c| c.central_chord_is_exact())
            .map(|c| c.name)
            .collect();
        assert_eq!(exact, vec!["bowl"]);
    }

    #[test]
    fn the_sine_waves_two_troughs_are_both_global_minima_and_exp_has_none() {
        let wave = Curve::by_name("wave").unwrap().minima();
        assert_eq!(wave.len(), 2);
        assert!(
            wave.iter()
                .all(|m| m.kind == MinimumKind::Global && (m.y + 1.0).abs() < 1e-15)
        );
        assert!(Curve::by_name("exp").unwrap().minima().is_empty());
    }

    #[test]
    fn sampling_spans_the_range_end_to_end() {
        let points = bowl().sample((-3.0, 3.0), 7);
        assert_eq!(points.len(), 7);
        assert_eq!(points[0], (-3.0, 9.0));
        assert_eq!(points[3], (0.0, 0.0));
        assert_eq!(points[6], (3.0, 9.0));
    }

    #[test]
    fn curves_are_found_by_name_and_unknown_names_are_not() {
        assert_eq!(Curve::names(), vec!["bowl", "double-well", "exp", "wave"]);
        assert!(Curve::by_name("double-well").is_some());
        assert!(Curve::by_name("banana").is_none());
    }
}
