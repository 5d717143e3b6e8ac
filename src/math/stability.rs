//! The learning rates where one step of plain descent changes what it does at a point, from the curve's bend
//! there: near x the curve is close to the parabola with the same value, slope and bend f''(x), and on that
//! parabola a step of lr·f' lands exactly at its bottom when lr = 1/f'', and lands as far past the bottom as
//! it started (so it bounces for ever) when lr = 2/f''.

/// The two marks on the learning-rate slider at one point, or why there are none.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SafeRates {
    /// The curve bends up (f'' > 0): `one_step` = 1/f'' lands on the local parabola's bottom in one step;
    /// beyond `limit` = 2/f'' every step lands further from the bottom than it started.
    Limits { one_step: f64, limit: f64 },
    /// The curve is straight or bends down (f'' <= 0): no step overshoots a bottom, since the parabola that
    /// fits here has none. No limit here.
    NoLimit,
    /// f'' has no value here (a corner, or outside the formula's domain).
    Unknown,
}

/// The marks for a point where the curve bends by `bend` = f''(x).
pub fn safe_rates(bend: f64) -> SafeRates {
    if !bend.is_finite() {
        SafeRates::Unknown
    } else if bend > 0.0 {
        SafeRates::Limits {
            one_step: 1.0 / bend,
            limit: 2.0 / bend,
        }
    } else {
        SafeRates::NoLimit
    }
}

/// What a learning rate does on the parabola that fits the curve at a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Below 1/f'': each step lands short of the bottom, on the same side.
    Short,
    /// At 1/f'' (within a part in a million): the step lands on the bottom.
    OnTheBottom,
    /// Between 1/f'' and 2/f'': past the bottom, but closer to it than it started.
    Overshoots,
    /// At 2/f'': exactly as far past the bottom as it started, so it bounces for ever.
    Bounces,
    /// Beyond 2/f'': further from the bottom each time.
    Grows,
    /// No bottom to overshoot (f'' <= 0), or f'' unknown.
    NoBottom,
}

/// How a step at `lr` behaves against `rates`.
pub fn step_kind(rates: SafeRates, lr: f64) -> StepKind {
    let SafeRates::Limits { one_step, limit } = rates else {
        return StepKind::NoBottom;
    };
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b;
    if near(lr, one_step) {
        StepKind::OnTheBottom
    } else if near(lr, limit) {
        StepKind::Bounces
    } else if lr < one_step {
        StepKind::Short
    } else if lr < limit {
        StepKind::Overshoots
    } else {
        StepKind::Grows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::Curve;
    use crate::math::descent::Descent;

    #[test]
    fn on_the_bowl_the_marks_are_one_half_and_one() {
        let bowl = Curve::by_name("bowl").unwrap();
        for x in [-3.0, -0.7, 0.0, 1.5, 2.9] {
            assert_eq!(
                safe_rates(bowl.bend(x)),
                SafeRates::Limits {
                    one_step: 0.5,
                    limit: 1.0
                },
                "at x = {x}"
            );
        }
    }

    #[test]
    fn on_the_bowl_the_marks_are_what_the_runs_do() {
        let bowl = Curve::by_name("bowl").unwrap();
        let rates = safe_rates(bowl.bend(1.5));
        // lr 0.5 lands on the bottom in one step; lr 1 bounces between 1.5 and -1.5 for ever; lr 1.1 grows.
        let mut run = Descent::new(bowl, 1.5);
        run.advance(bowl, 0.5);
        assert_eq!(run.x, 0.0);
        assert_eq!(step_kind(rates, 0.5), StepKind::OnTheBottom);
        let mut run = Descent::new(bowl, 1.5);
        for k in 1..=6 {
            run.advance(bowl, 1.0);
            assert_eq!(run.x, if k % 2 == 1 { -1.5 } else { 1.5 });
        }
        assert_eq!(step_kind(rates, 1.0), StepKind::Bounces);
        let mut run = Descent::new(bowl, 1.5);
        run.advance(bowl, 1.1);
        assert!(run.x.abs() > 1.5);
        assert_eq!(step_kind(rates, 1.1), StepKind::Grows);
        assert_eq!(step_kind(rates, 0.1), StepKind::Short);
        assert_eq!(step_kind(rates, 0.75), StepKind::Overshoots);
    }

    #[test]
    fn on_the_double_well_the_marks_follow_its_bend_12x2_minus_6() {
        // f = x^4 - 3x^2 + x, f'' = 12x^2 - 6, worked by hand.
        let well = Curve::by_name("double-well").unwrap();
        let cases = [
            (1.2, 11.28), // 12 * 1.44 - 6
            (-1.5, 21.0), // 12 * 2.25 - 6
            (2.0, 42.0),  // 12 * 4 - 6
            (-1.0, 6.0),  // 12 - 6
        ];
        for (x, bend) in cases {
            let SafeRates::Limits { one_step, limit } = safe_rates(well.bend(x)) else {
                panic!("no limits at {x}");
            };
            assert!(
                (one_step - 1.0 / bend).abs() < 1e-14,
                "1/f'' at {x}: {one_step}"
            );
            assert!((limit - 2.0 / bend).abs() < 1e-14, "2/f'' at {x}: {limit}");
        }
        // 1/11.28 and 2/11.28 to the digits the panel shows.
        let SafeRates::Limits { one_step, limit } = safe_rates(well.bend(1.2)) else {
            unreachable!()
        };
        assert!((one_step - 0.088_652_482).abs() < 1e-9);
        assert!((limit - 0.177_304_965).abs() < 1e-9);
        // Between the wells the curve bends down: no limit there.
        assert_eq!(safe_rates(well.bend(0.0)), SafeRates::NoLimit);
        assert_eq!(safe_rates(well.bend(0.5)), SafeRates::NoLimit);
        assert_eq!(step_kind(SafeRates::NoLimit, 0.1), StepKind::NoBottom);
    }

    #[test]
    fn a_straight_line_and_a_broken_bend_have_no_marks() {
        assert_eq!(safe_rates(0.0), SafeRates::NoLimit);
        assert_eq!(safe_rates(f64::NAN), SafeRates::Unknown);
        assert_eq!(safe_rates(f64::INFINITY), SafeRates::Unknown);
    }
}
