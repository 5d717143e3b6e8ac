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

/// The visitor panel's three zones of the learning rate, named in plain words. A step of lr on a parabola
/// that bends by f'' takes the ball from distance d to |1 - lr·f''|·d from the bottom. Below
/// `TINY_SHARE`/f'' each step closes less than a tenth of the way ("tiny steps"); above `TOO_BIG_SHARE`/f''
/// each step lands past the bottom by more than half the way it had to go ("too big", which holds 2/f''
/// and everything that blows up); between, the ball gets there in a few steps ("just right").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Zones {
    pub tiny_below: f64,
    pub too_big_above: f64,
}

/// lr·f'' below this is "tiny steps".
pub const TINY_SHARE: f64 = 0.1;
/// lr·f'' above this is "too big".
pub const TOO_BIG_SHARE: f64 = 1.5;
/// The bend the zones are worked out from on a curve with no bottom that bends up (a corner, a slope that
/// never ends): the bowl's, so they fall where the bowl's do.
pub const FALLBACK_BEND: f64 = 2.0;

/// Where a learning rate falls among the zones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    Tiny,
    JustRight,
    TooBig,
}

impl Zones {
    /// The zones for a bottom that bends by `bend` (the fallback's where it does not bend up).
    pub fn for_bend(bend: f64) -> Self {
        let bend = if bend.is_finite() && bend > 0.0 {
            bend
        } else {
            FALLBACK_BEND
        };
        Self {
            tiny_below: TINY_SHARE / bend,
            too_big_above: TOO_BIG_SHARE / bend,
        }
    }

    pub fn zone(self, lr: f64) -> Zone {
        if lr < self.tiny_below {
            Zone::Tiny
        } else if lr > self.too_big_above {
            Zone::TooBig
        } else {
            Zone::JustRight
        }
    }

    /// The visitor slider's ends: each outer zone as wide (in log terms) as the middle one is, at most.
    pub fn slider_range(self) -> (f64, f64) {
        (self.tiny_below / 5.0, self.too_big_above * 2.0)
    }
}

/// The bend at the bottom nearest `x` among `bottoms` (x of each local minimum) where the curve bends up,
/// or `None` when none does.
pub fn bend_at_nearest_bottom(bottoms: &[f64], x: f64, bend: impl Fn(f64) -> f64) -> Option<f64> {
    bottoms
        .iter()
        .map(|&b| (b, bend(b)))
        .filter(|(_, f2)| f2.is_finite() && *f2 > 0.0)
        .min_by(|(a, _), (b, _)| (a - x).abs().total_cmp(&(b - x).abs()))
        .map(|(_, f2)| f2)
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

    #[test]
    fn on_the_bowl_tiny_steps_end_at_0_05_and_too_big_begins_at_0_75() {
        let zones = Zones::for_bend(2.0);
        assert_eq!(zones.tiny_below, 0.05);
        assert_eq!(zones.too_big_above, 0.75);
        assert_eq!(zones.zone(0.01), Zone::Tiny);
        // The bowl's default learning rate is just right, and so is the one-step rate 1/f'' = 0.5.
        assert_eq!(zones.zone(0.1), Zone::JustRight);
        assert_eq!(zones.zone(0.5), Zone::JustRight);
        // 2/f'' = 1 bounces for ever and 1.1 blows up: both too big.
        assert_eq!(zones.zone(1.0), Zone::TooBig);
        assert_eq!(zones.zone(1.1), Zone::TooBig);
        assert_eq!(zones.slider_range(), (0.01, 1.5));
    }

    #[test]
    fn a_step_in_the_tiny_zone_closes_under_a_tenth_and_one_too_big_overshoots_by_over_half() {
        let zones = Zones::for_bend(2.0);
        // On x^2 a step takes x to (1 - 2 lr) x.
        let after = |lr: f64| (1.0 - 2.0 * lr) * 1.0;
        assert!(after(zones.tiny_below * 0.99) > 0.9);
        assert!(after(zones.too_big_above * 1.01) < -0.5);
        let middle = after(0.3);
        assert!(middle.abs() < 0.9 && middle > -0.5);
    }

    #[test]
    fn the_zones_come_from_the_nearest_bottom_that_bends_up() {
        // Double well x^4 - 3x^2 + x: f'' = 12x^2 - 6.
        let bend = |x: f64| 12.0 * x * x - 6.0;
        let bottoms = [-1.3008, 1.1309];
        let right = bend_at_nearest_bottom(&bottoms, 1.5, bend).unwrap();
        assert!((right - bend(1.1309)).abs() < 1e-12);
        let left = bend_at_nearest_bottom(&bottoms, -2.0, bend).unwrap();
        assert!((left - bend(-1.3008)).abs() < 1e-12);
        // A corner's bend is 0: the bowl's zones stand in.
        assert_eq!(bend_at_nearest_bottom(&[0.0], 1.0, |_| 0.0), None);
        assert_eq!(Zones::for_bend(0.0), Zones::for_bend(FALLBACK_BEND));
    }
}
