//! The loss curves a ball can roll on: value, exact derivatives, minima, and the window that shows them.

use std::sync::{Arc, LazyLock, OnceLock};

use super::formula::{Formula, FormulaError};
use super::symbolic;

/// How a curve computes itself: a hand-written function with hand-derived derivatives, or a typed formula
/// differentiated automatically.
#[derive(Debug)]
enum Shape {
    Builtin {
        /// The formula as the formula reader takes it, for writing out the derivative.
        source: &'static str,
        value: fn(f64) -> f64,
        derivative: fn(f64) -> f64,
        second_derivative: fn(f64) -> f64,
        third_derivative: fn(f64) -> f64,
    },
    Formula(Formula),
}

/// A one-variable loss curve with exact derivatives.
///
/// Every slope shown on screen comes from here: written out by hand for the built-in curves, and from
/// automatic differentiation for typed formulas, so none of them is an estimate.
#[derive(Debug)]
pub struct Curve {
    /// Short name used by the curve picker and the command line (`--curve bowl`); a formula's own text.
    pub name: String,
    /// The formula in plain text, for readouts: `x^2`.
    pub formula: String,
    shape: Shape,
    /// f''' is zero everywhere: the curve is a parabola (or a line).
    third_derivative_vanishes: bool,
    /// The x interval the view shows.
    pub x_range: (f64, f64),
    /// The y interval the view shows.
    pub y_range: (f64, f64),
    /// Where a run starts when nobody chose a start point.
    pub default_start: f64,
    minima: Vec<Minimum>,
    /// f'(x) written out, worked out the first time it is asked for.
    written: OnceLock<WrittenSlope>,
}

/// The derivative of a curve written out as a formula, and where it is not defined.
#[derive(Clone, Debug, PartialEq)]
pub struct WrittenSlope {
    /// `4x^3 - 6x + 1` for the double well; `None` when the formula is too big to differentiate by hand.
    pub text: Option<String>,
    /// Where f' is not defined (the corner of abs, the upright tangent of sqrt): `x = 0`.
    pub undefined: Vec<String>,
}

/// Curves are told apart by name: two curves with the same name are the same curve.
impl PartialEq for Curve {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

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

/// The x range a typed formula is shown over.
pub const FORMULA_X_RANGE: (f64, f64) = (-4.0, 4.0);
/// Samples used to find minima and to fit a formula's y range.
const SCAN_SAMPLES: usize = 800;

fn bowl(x: f64) -> f64 {
    x * x
}
fn bowl_slope(x: f64) -> f64 {
    2.0 * x
}
fn two(_x: f64) -> f64 {
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
fn cube(x: f64) -> f64 {
    x * x * x
}
fn cube_slope(x: f64) -> f64 {
    3.0 * x * x
}
fn cube_bend(x: f64) -> f64 {
    6.0 * x
}
fn six(_x: f64) -> f64 {
    6.0
}
// Ripples: 0.5 x^2 - 0.3 cos(6x) + 0.3, a bowl whose bumps hold small steps.
fn ripples(x: f64) -> f64 {
    0.5 * x * x - 0.3 * (6.0 * x).cos() + 0.3
}
fn ripples_slope(x: f64) -> f64 {
    x + 1.8 * (6.0 * x).sin()
}
fn ripples_bend(x: f64) -> f64 {
    1.0 + 10.8 * (6.0 * x).cos()
}
fn ripples_third(x: f64) -> f64 {
    -64.8 * (6.0 * x).sin()
}
// Plateau: 1 - exp(-x^2 / 2), flat far from its bottom.
fn plateau(x: f64) -> f64 {
    1.0 - (-0.5 * x * x).exp()
}
fn plateau_slope(x: f64) -> f64 {
    x * (-0.5 * x * x).exp()
}
fn plateau_bend(x: f64) -> f64 {
    (1.0 - x * x) * (-0.5 * x * x).exp()
}
fn plateau_third(x: f64) -> f64 {
    (x * x * x - 3.0 * x) * (-0.5 * x * x).exp()
}
// Cliff: 25 x^2, a gorge so steep that only learning rates below 0.04 survive.
fn cliff(x: f64) -> f64 {
    25.0 * x * x
}
fn cliff_slope(x: f64) -> f64 {
    50.0 * x
}
fn fifty(_x: f64) -> f64 {
    50.0
}
fn vee(x: f64) -> f64 {
    x.abs()
}
// |x| has no derivative at 0; like torch, use 0 there (a subgradient).
fn vee_slope(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
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

struct Builtin {
    name: &'static str,
    formula: &'static str,
    /// The same formula as downhill's formula reader takes it, for writing out its derivative.
    source: &'static str,
    fns: [fn(f64) -> f64; 4],
    parabola: bool,
    x_range: (f64, f64),
    y_range: (f64, f64),
    start: f64,
}

const BUILTIN_TABLE: [Builtin; 9] = [
    Builtin {
        name: "bowl",
        formula: "x^2",
        source: "x^2",
        fns: [bowl, bowl_slope, two, zero],
        parabola: true,
        x_range: (-3.0, 3.0),
        y_range: (-1.0, 9.0),
        start: 1.5,
    },
    Builtin {
        name: "double-well",
        formula: "x^4 - 3x^2 + x",
        source: "x^4 - 3x^2 + x",
        fns: [
            double_well,
            double_well_slope,
            double_well_bend,
            double_well_third,
        ],
        parabola: false,
        x_range: (-2.2, 2.2),
        y_range: (-4.5, 6.0),
        start: 0.5,
    },
    Builtin {
        name: "inflection",
        formula: "x^3",
        source: "x^3",
        fns: [cube, cube_slope, cube_bend, six],
        parabola: false,
        x_range: (-2.0, 2.0),
        y_range: (-8.5, 8.5),
        start: 0.8,
    },
    Builtin {
        name: "ripples",
        formula: "0.5x^2 - 0.3cos(6x) + 0.3",
        source: "0.5x^2 - 0.3cos(6x) + 0.3",
        fns: [ripples, ripples_slope, ripples_bend, ripples_third],
        parabola: false,
        x_range: (-3.0, 3.0),
        y_range: (-0.3, 5.0),
        start: 1.6,
    },
    Builtin {
        name: "plateau",
        formula: "1 - e^(-x^2/2)",
        source: "1 - e^(-x^2/2)",
        fns: [plateau, plateau_slope, plateau_bend, plateau_third],
        parabola: false,
        x_range: (-4.5, 4.5),
        y_range: (-0.1, 1.15),
        start: 3.0,
    },
    Builtin {
        name: "cliff",
        formula: "25x^2",
        source: "25x^2",
        fns: [cliff, cliff_slope, fifty, zero],
        parabola: true,
        x_range: (-3.0, 3.0),
        y_range: (-1.0, 9.0),
        start: 0.5,
    },
    Builtin {
        name: "vee",
        formula: "|x|",
        source: "abs(x)",
        fns: [vee, vee_slope, zero, zero],
        parabola: false,
        x_range: (-3.0, 3.0),
        y_range: (-0.4, 3.2),
        start: 1.6,
    },
    Builtin {
        name: "exp",
        formula: "e^x",
        source: "e^x",
        fns: [f64::exp, f64::exp, f64::exp, f64::exp],
        parabola: false,
        x_range: (-3.0, 2.5),
        y_range: (-1.0, 12.5),
        start: 1.0,
    },
    Builtin {
        name: "wave",
        formula: "sin x",
        source: "sin(x)",
        fns: [f64::sin, wave_slope, wave_bend, wave_third],
        parabola: false,
        x_range: (-6.5, 6.5),
        y_range: (-1.6, 1.6),
        start: 0.5,
    },
];

static BUILTINS: LazyLock<Vec<Arc<Curve>>> = LazyLock::new(|| {
    BUILTIN_TABLE
        .iter()
        .map(|b| {
            let [value, derivative, second_derivative, third_derivative] = b.fns;
            Arc::new(Curve::new(
                b.name.to_owned(),
                b.formula.to_owned(),
                Shape::Builtin {
                    source: b.source,
                    value,
                    derivative,
                    second_derivative,
                    third_derivative,
                },
                b.parabola,
                b.x_range,
                Some(b.y_range),
                b.start,
            ))
        })
        .collect()
});

impl Curve {
    fn new(
        name: String,
        formula: String,
        shape: Shape,
        third_derivative_vanishes: bool,
        x_range: (f64, f64),
        y_range: Option<(f64, f64)>,
        start: f64,
    ) -> Self {
        let mut curve = Self {
            name,
            formula,
            shape,
            third_derivative_vanishes,
            x_range,
            y_range: y_range.unwrap_or((-1.0, 1.0)),
            default_start: start,
            minima: Vec::new(),
            written: OnceLock::new(),
        };
        curve.minima = curve.find_minima();
        if y_range.is_none() {
            curve.y_range = curve.fit_y_range();
        }
        curve
    }

    /// Every built-in curve, in the order the picker lists them.
    pub fn builtins() -> &'static [Arc<Curve>] {
        &BUILTINS
    }

    /// The built-in curve called `name`, if downhill has one.
    pub fn by_name(name: &str) -> Option<&'static Curve> {
        BUILTINS
            .iter()
            .find(|curve| curve.name == name)
            .map(|curve| &**curve)
    }

    /// The built-in curve called `name`, shared.
    pub fn shared(name: &str) -> Option<Arc<Curve>> {
        BUILTINS.iter().find(|curve| curve.name == name).cloned()
    }

    /// The names of all built-in curves, for help texts and error messages.
    pub fn names() -> Vec<&'static str> {
        BUILTIN_TABLE.iter().map(|b| b.name).collect()
    }

    /// A curve from a typed formula in x, shown over [`FORMULA_X_RANGE`] with a y range that fits it.
    pub fn from_formula(text: &str) -> Result<Arc<Curve>, FormulaError> {
        let formula = Formula::parse(text)?;
        let source = formula.source().to_owned();
        let parabola = formula.is_at_most_quadratic();
        let probe = Shape::Formula(formula);
        let (lo, hi) = FORMULA_X_RANGE;
        // Start three quarters of the way right, or wherever nearby the formula is defined.
        let candidates = [0.75, 0.5, 0.25, -0.75, -0.5, -0.25, 0.9, -0.9, 0.1, -0.1];
        let start = candidates
            .iter()
            .map(|t| lo + (hi - lo) * (0.5 + 0.5 * t))
            .find(|&x| {
                let (v, s) = probe.value_and_slope(x);
                v.is_finite() && s.is_finite()
            })
            .unwrap_or(0.5 * (lo + hi));
        Ok(Arc::new(Curve::new(
            source.clone(),
            source,
            probe,
            parabola,
            FORMULA_X_RANGE,
            None,
            start,
        )))
    }

    /// A built-in curve by name, or else the text read as a formula.
    pub fn named_or_formula(text: &str) -> Result<Arc<Curve>, FormulaError> {
        let text = text.trim();
        match Curve::shared(text) {
            Some(curve) => Ok(curve),
            None => Curve::from_formula(text),
        }
    }

    /// f'(x) written out as a formula, by symbolic differentiation of the curve's formula.
    pub fn written_derivative(&self) -> &WrittenSlope {
        self.written.get_or_init(|| {
            let written = match &self.shape {
                Shape::Builtin { source, .. } => Formula::parse(source)
                    .ok()
                    .and_then(|formula| symbolic::derivative(&formula)),
                Shape::Formula(formula) => symbolic::derivative(formula),
            };
            match written {
                Some(written) => WrittenSlope {
                    text: Some(written.text),
                    undefined: written
                        .undefined
                        .into_iter()
                        .filter(|place| self.really_undefined(place))
                        .collect(),
                },
                None => WrittenSlope {
                    text: None,
                    undefined: Vec::new(),
                },
            }
        })
    }

    /// Whether f' is really not defined where `place` ("u = 0") says: the written formula has an abs, a
    /// sign or a root there, but x|x| is smooth at 0 all the same. Kept when u has a zero in view where the
    /// slope jumps or stands upright, or when u has no zero in view at all (the place is off screen).
    fn really_undefined(&self, place: &str) -> bool {
        let Some(Ok(u)) = place.strip_suffix(" = 0").map(Formula::parse) else {
            return true;
        };
        let zeros = super::slope_curve::zeros_of(|x| u.value(x), self.x_range);
        zeros.is_empty()
            || zeros
                .iter()
                .any(|&x| super::slope_curve::slope_jumps_at(self, x))
    }

    /// f(x).
    pub fn value(&self, x: f64) -> f64 {
        match &self.shape {
            Shape::Builtin { value, .. } => value(x),
            Shape::Formula(formula) => formula.value(x),
        }
    }

    /// f'(x), exact.
    pub fn slope(&self, x: f64) -> f64 {
        match &self.shape {
            Shape::Builtin { derivative, .. } => derivative(x),
            Shape::Formula(formula) => formula.value_and_slope(x).1,
        }
    }

    /// f(x) and f'(x) together (one pass for a formula).
    pub fn value_and_slope(&self, x: f64) -> (f64, f64) {
        self.shape.value_and_slope(x)
    }

    /// f''(x), exact.
    pub fn bend(&self, x: f64) -> f64 {
        match &self.shape {
            Shape::Builtin {
                second_derivative, ..
            } => second_derivative(x),
            Shape::Formula(formula) => formula.jet(x).bend,
        }
    }

    /// f'''(x) for a built-in curve; `None` for a typed formula.
    pub fn third(&self, x: f64) -> Option<f64> {
        match &self.shape {
            Shape::Builtin {
                third_derivative, ..
            } => Some(third_derivative(x)),
            Shape::Formula(_) => None,
        }
    }

    /// True when f''' is zero everywhere (a parabola): then every central chord is parallel to the tangent.
    pub fn central_chord_is_exact(&self) -> bool {
        self.third_derivative_vanishes
    }

    /// True for a curve typed as a formula.
    pub fn is_formula(&self) -> bool {
        matches!(self.shape, Shape::Formula(_))
    }

    /// The minima of the curve inside its view, lowest first.
    pub fn minima(&self) -> &[Minimum] {
        &self.minima
    }

    /// Minima are where f' changes from negative to non-negative: found by scanning the view, then pinned
    /// down by bisection to neighbouring doubles (which also finds the corner of |x|).
    fn find_minima(&self) -> Vec<Minimum> {
        let (lo, hi) = self.x_range;
        let xs: Vec<f64> = evenly_spaced((lo, hi), SCAN_SAMPLES + 1).collect();
        let slopes: Vec<f64> = xs.iter().map(|&x| self.slope(x)).collect();
        let mut found: Vec<Minimum> = Vec::new();
        for i in 0..SCAN_SAMPLES {
            let (s0, s1) = (slopes[i], slopes[i + 1]);
            if !(s0 < 0.0 && s1 >= 0.0) {
                continue;
            }
            let (mut a, mut b) = (xs[i], xs[i + 1]);
            for _ in 0..200 {
                let mid = 0.5 * (a + b);
                if mid <= a || mid >= b {
                    break;
                }
                if self.slope(mid) < 0.0 {
                    a = mid;
                } else {
                    b = mid;
                }
            }
            let x = if self.slope(a).abs() < self.slope(b).abs() {
                a
            } else {
                b
            };
            let y = self.value(x);
            if y.is_finite() && self.value(xs[i]).is_finite() && self.value(xs[i + 1]).is_finite() {
                found.push(Minimum {
                    x,
                    y,
                    kind: MinimumKind::Local,
                });
            }
        }
        found.sort_by(|a, b| a.y.total_cmp(&b.y));
        // A minimum is global when nothing in view is lower; minima as low as the lowest (to rounding, as the
        // two troughs of a sine wave) are all global. If the curve falls lower elsewhere, all are local.
        let floor = xs
            .iter()
            .map(|&x| self.value(x))
            .filter(|y| y.is_finite())
            .fold(f64::INFINITY, f64::min);
        let tolerance = |y: f64| 1e-12 * y.abs().max(1.0);
        if let Some(lowest) = found
            .first()
            .map(|m| m.y)
            .filter(|&y| y <= floor + tolerance(floor))
        {
            for minimum in &mut found {
                if minimum.y - lowest <= tolerance(lowest) {
                    minimum.kind = MinimumKind::Global;
                }
            }
        }
        found
    }

    /// A y range that shows most of the curve: the 3rd to 97th percentile of its values, padded, so a
    /// pole such as 1/x at 0 does not flatten everything else.
    fn fit_y_range(&self) -> (f64, f64) {
        let mut ys: Vec<f64> = self
            .sample(self.x_range, SCAN_SAMPLES)
            .into_iter()
            .map(|(_, y)| y)
            .filter(|y| y.is_finite())
            .collect();
        if ys.is_empty() {
            return (-1.0, 1.0);
        }
        ys.sort_by(f64::total_cmp);
        let pick = |q: f64| ys[((ys.len() - 1) as f64 * q).round() as usize];
        let (mut lo, mut hi) = (pick(0.03), pick(0.97));
        // Keep the lowest point in view: it is where the ball is going.
        lo = lo.min(ys[0].max(lo - (hi - lo)));
        // A flat curve still needs a band to sit in, wide enough to survive rounding at its height.
        let span = 1e-9 * lo.abs().max(hi.abs()).max(1.0);
        if hi - lo < span {
            let pad = (0.1 * lo.abs().max(hi.abs())).max(1.0);
            lo -= pad;
            hi += pad;
        }
        let pad = 0.08 * (hi - lo);
        (lo - pad, hi + pad)
    }

    /// Points of the curve across `x_range`, `count` of them evenly spaced, for drawing.
    pub fn sample(&self, x_range: (f64, f64), count: usize) -> Vec<(f64, f64)> {
        evenly_spaced(x_range, count)
            .map(|x| (x, self.value(x)))
            .collect()
    }
}

/// `count` (at least 2) evenly spaced x across `x_range`, both ends included: where every curve, slope and
/// scan is sampled.
pub fn evenly_spaced(x_range: (f64, f64), count: usize) -> impl Iterator<Item = f64> {
    let count = count.max(2);
    let (lo, hi) = x_range;
    (0..count).map(move |i| lo + (hi - lo) * i as f64 / (count - 1) as f64)
}

impl Shape {
    fn value_and_slope(&self, x: f64) -> (f64, f64) {
        match self {
            Shape::Builtin {
                value, derivative, ..
            } => (value(x), derivative(x)),
            Shape::Formula(formula) => formula.value_and_slope(x),
        }
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
        for curve in Curve::builtins() {
            for i in 0..=20 {
                let x = curve.x_range.0 + (curve.x_range.1 - curve.x_range.0) * i as f64 / 20.0;
                let h = 1e-5;
                if curve.name == "vee" && x.abs() < h {
                    continue; // the corner of |x|: no derivative to compare with
                }
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
                    (third - curve.third(x).unwrap()).abs() < 1e-4,
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
            &[Minimum {
                x: 0.0,
                y: 0.0,
                kind: MinimumKind::Global
            }]
        );
    }

    #[test]
    fn only_parabolas_have_a_central_chord_parallel_to_the_tangent_for_every_h() {
        let exact: Vec<&str> = Curve::builtins()
            .iter()
            .filter(|c| c.central_chord_is_exact())
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(exact, vec!["bowl", "cliff"]);
        assert!(
            Curve::from_formula("3x^2 - x")
                .unwrap()
                .central_chord_is_exact()
        );
        assert!(!Curve::from_formula("x^3").unwrap().central_chord_is_exact());
    }

    #[test]
    fn minima_are_found_at_corners_on_plateaus_and_among_ripples() {
        let vee = Curve::by_name("vee").unwrap().minima();
        assert_eq!(vee.len(), 1);
        assert!(vee[0].x.abs() < 1e-300);
        let plateau = Curve::by_name("plateau").unwrap().minima();
        assert_eq!(plateau.len(), 1);
        assert!(plateau[0].x.abs() < 1e-12);
        let ripples = Curve::by_name("ripples").unwrap();
        let minima = ripples.minima();
        assert!(minima.len() >= 3, "{minima:?}");
        assert_eq!(minima[0].kind, MinimumKind::Global);
        assert!(minima[0].x.abs() < 1e-12);
        assert!(
            minima[1..]
                .iter()
                .all(|m| m.kind == MinimumKind::Local && ripples.bend(m.x) > 0.0)
        );
        assert!(
            Curve::by_name("inflection").unwrap().minima().is_empty(),
            "x^3 is flat at 0 but has no minimum"
        );
        let dips_then_falls = Curve::from_formula("x^3 - 2x^2").unwrap();
        assert_eq!(dips_then_falls.minima().len(), 1);
        assert_eq!(
            dips_then_falls.minima()[0].kind,
            MinimumKind::Local,
            "the curve falls lower on the left"
        );
    }

    #[test]
    fn a_typed_formula_becomes_a_curve_with_exact_slopes_a_fitted_view_and_a_defined_start() {
        let curve = Curve::named_or_formula("x^4 - 3x^2 + x").unwrap();
        assert!(curve.is_formula());
        let well = Curve::by_name("double-well").unwrap();
        for x in [-1.5, 0.2, 1.7] {
            assert!((curve.slope(x) - well.slope(x)).abs() < 1e-12);
        }
        assert!(
            curve.y_range.0 < -3.5 && curve.y_range.1 > 5.0,
            "{:?}",
            curve.y_range
        );
        let ln = Curve::from_formula("ln(x)").unwrap();
        assert!(ln.value(ln.default_start).is_finite());
        assert!(Curve::named_or_formula("bowl").unwrap().name == "bowl");
        assert_eq!(Curve::from_formula("x +").unwrap_err().column, 4);
        let flat = Curve::from_formula("2^54").unwrap();
        assert!(
            flat.y_range.0 < flat.y_range.1,
            "a constant still gets a band: {:?}",
            flat.y_range
        );
        let pole = Curve::from_formula("1/x").unwrap();
        assert!(
            pole.y_range.1 < 100.0,
            "a pole does not flatten the view: {:?}",
            pole.y_range
        );
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
        assert_eq!(
            Curve::names(),
            vec![
                "bowl",
                "double-well",
                "inflection",
                "ripples",
                "plateau",
                "cliff",
                "vee",
                "exp",
                "wave"
            ]
        );
        assert!(Curve::by_name("double-well").is_some());
        assert!(Curve::by_name("banana").is_none());
    }

    #[test]
    fn every_built_in_start_shows_the_ball_and_the_whole_chord_inside_the_plot() {
        for curve in Curve::builtins() {
            let (x0, x1) = curve.x_range;
            let (y0, y1) = curve.y_range;
            let margin_x = 0.04 * (x1 - x0);
            let margin_y = 0.04 * (y1 - y0);
            let x = curve.default_start;
            let inside_x = |v: f64| v >= x0 + margin_x && v <= x1 - margin_x;
            let inside_y = |v: f64| v >= y0 + margin_y && v <= y1 - margin_y;
            assert!(
                inside_x(x) && inside_y(curve.value(x)),
                "{}: the ball at x = {x}, f = {} is on the plot's edge",
                curve.name,
                curve.value(x)
            );
            // The forward chord with the starting h = 1 reaches x + 1: that end is in view too (the cliff is
            // steep by design: its far end is above the plot, but beside the ball, not past the side).
            assert!(
                inside_x(x + 1.0),
                "{}: the chord's end x = {} is off the plot",
                curve.name,
                x + 1.0
            );
            if curve.name != "cliff" {
                assert!(
                    inside_y(curve.value(x + 1.0)),
                    "{}: the chord's end f = {} is off the plot",
                    curve.name,
                    curve.value(x + 1.0)
                );
            }
        }
    }

    #[test]
    fn every_built_in_curves_written_slope_reads_back_as_its_hand_derived_slope() {
        let expected = [
            ("bowl", "2x"),
            ("double-well", "4x^3 - 6x + 1"),
            ("inflection", "3x^2"),
            ("ripples", "x + 1.8 sin(6x)"),
            ("plateau", "x e^(-0.5x^2)"),
            ("cliff", "50x"),
            ("vee", "sign(x)"),
            ("exp", "e^x"),
            ("wave", "cos(x)"),
        ];
        assert_eq!(expected.len(), Curve::builtins().len());
        for (name, text) in expected {
            let curve = Curve::by_name(name).unwrap();
            let written = curve.written_derivative();
            assert_eq!(written.text.as_deref(), Some(text), "{name}");
            let back = Formula::parse(text).unwrap();
            let (lo, hi) = curve.x_range;
            for i in 0..=400 {
                let x = lo + (hi - lo) * i as f64 / 400.0;
                let (exact, read) = (curve.slope(x), back.value(x));
                assert!(
                    (exact - read).abs() <= 1e-12 * exact.abs().max(read.abs()).max(1.0),
                    "{name} at {x}: f' = {exact}, the written {text} gives {read}"
                );
            }
        }
        assert_eq!(
            Curve::by_name("vee")
                .unwrap()
                .written_derivative()
                .undefined,
            ["x = 0"]
        );
        assert!(
            Curve::by_name("wave")
                .unwrap()
                .written_derivative()
                .undefined
                .is_empty()
        );
    }

    #[test]
    fn the_slope_is_said_to_be_undefined_only_where_it_really_is() {
        for (formula, places) in [
            ("abs(x)", vec!["x = 0"]),
            ("sqrt(x)", vec!["x = 0"]),
            ("abs(x - 1) + x^2", vec!["x - 1 = 0"]),
            ("x abs(x)", vec![]),
            ("abs(x)^2", vec![]),
            ("sqrt(x^2)", vec!["x^2 = 0"]),
            ("sqrt(x^2 + 1)", vec![]),
        ] {
            let curve = Curve::from_formula(formula).unwrap();
            assert_eq!(curve.written_derivative().undefined, places, "{formula}");
        }
    }

    #[test]
    fn a_typed_formulas_slope_is_written_out_too() {
        let curve = Curve::from_formula("x^3/3 - x").unwrap();
        assert_eq!(curve.written_derivative().text.as_deref(), Some("x^2 - 1"));
    }
}
