//! A real zoom of a curve's plot about a point, and what it shows: the curve and its tangent draw together
//! like the window squared, until f64 itself can no longer tell the curve's points apart.

/// The most the plot zooms in: beyond this the window is a few units in the last place of x wide, and the
/// picture would be nothing but rounding.
pub const MAX_FACTOR: f64 = 1e15;
/// The "Zoom in" animation stops at a window this wide.
pub const ANIMATION_WIDTH: f64 = 1e-6;
/// Seconds the animation glides from one decade of width to the next, and holds at each.
pub const GLIDE_SECONDS: f64 = 0.7;
pub const HOLD_SECONDS: f64 = 1.1;
/// Seconds it holds at the narrowest window, and takes to come back out.
pub const BOTTOM_HOLD_SECONDS: f64 = 3.0;
pub const OUT_SECONDS: f64 = 2.5;

/// The part of the plane a plot shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Window {
    pub fn width(&self) -> f64 {
        self.x.1 - self.x.0
    }

    pub fn height(&self) -> f64 {
        self.y.1 - self.y.0
    }
}

/// `base` zoomed in by `factor` (1 is `base` itself) about `point`, both axes alike, so shapes keep their
/// proportions and a smooth curve flattens as it would under a magnifying glass. The point keeps its place
/// on screen at small factors and moves to the middle by a factor of 100, so the tangent shows on both
/// sides; a point off the plot is brought in. A factor below 1, or a point that is not a number, gives
/// `base`.
pub fn zoomed(base: Window, point: (f64, f64), factor: f64) -> Window {
    if !(factor.is_finite() && factor > 1.0 && point.0.is_finite() && point.1.is_finite()) {
        return base;
    }
    let factor = factor.min(MAX_FACTOR);
    let towards_middle = (factor.log10() / 2.0).clamp(0.0, 1.0);
    let axis = |(lo, hi): (f64, f64), at: f64| {
        let span = hi - lo;
        let place = ((at - lo) / span).clamp(0.0, 1.0);
        let place = place + (0.5 - place) * towards_middle;
        let width = span / factor;
        let low = at - place * width;
        (low, low + width)
    };
    Window {
        x: axis(base.x, point.0),
        y: axis(base.y, point.1),
    }
}

/// How far the curve is from its tangent at the edge of the window: the distance `reach` from the point to
/// the farther edge, the gap |f(x + d) - f(x) - f'(x) d| there as f64 computes it, what the bend predicts for
/// it (|f''(x)| d^2 / 2, the window squared), and the gap in pixels at `pixels_per_unit` of y.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TangentGap {
    pub reach: f64,
    pub gap: f64,
    pub predicted: f64,
    pub pixels: f64,
}

pub fn tangent_gap(
    f: impl Fn(f64) -> f64,
    slope: f64,
    bend: f64,
    x: f64,
    window: &Window,
    pixels_per_unit: f64,
) -> TangentGap {
    let (left, right) = (x - window.x.0, window.x.1 - x);
    let reach = if right >= left { right } else { -left };
    let edge = x + reach;
    let gap = (f(edge) - f(x) - slope * (edge - x)).abs();
    TangentGap {
        reach: reach.abs(),
        gap,
        predicted: 0.5 * bend.abs() * reach * reach,
        pixels: gap * pixels_per_unit,
    }
}

/// Whether f64 still draws the curve in a window, from `samples` evaluations of f across it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resolution {
    /// Of the sample positions, how many are different f64 numbers (x itself runs out of digits).
    pub distinct_x: usize,
    pub samples: usize,
    /// The largest wobble of the samples that the curve's own bend does not explain, in units of y:
    /// rounding in f(x).
    pub noise: f64,
    /// That wobble in pixels.
    pub noise_pixels: f64,
}

impl Resolution {
    /// The picture is the curve: every sample at its own x, and rounding under half a pixel.
    pub fn resolved(&self) -> bool {
        self.distinct_x * 2 >= self.samples && self.noise_pixels < 0.5
    }
}

/// Samples f (and f'' to take the curve's own bend out) at `samples` + 1 points across `window.x`; y is
/// `pixels_per_unit` pixels per unit on screen. The second difference of three neighbours is f'' dx^2 for a
/// smooth curve; what is left over is rounding.
pub fn resolution(
    f: impl Fn(f64) -> f64,
    bend: impl Fn(f64) -> f64,
    window: &Window,
    samples: usize,
    pixels_per_unit: f64,
) -> Resolution {
    let samples = samples.max(2);
    let (lo, hi) = window.x;
    let xs: Vec<f64> = (0..=samples)
        .map(|i| lo + (hi - lo) * (i as f64 / samples as f64))
        .collect();
    let distinct_x = xs.windows(2).filter(|w| w[1] != w[0]).count() + 1;
    let ys: Vec<f64> = xs.iter().map(|&x| f(x)).collect();
    let dx = (hi - lo) / samples as f64;
    let mut noise = 0.0f64;
    for i in 1..samples {
        let (a, b, c) = (ys[i - 1], ys[i], ys[i + 1]);
        if !(a.is_finite() && b.is_finite() && c.is_finite()) {
            continue;
        }
        // Neighbours that are the same x are the same number: nothing to learn from them.
        if xs[i - 1] == xs[i] || xs[i] == xs[i + 1] {
            continue;
        }
        let smooth = bend(xs[i]) * dx * dx;
        let wobble = (a - 2.0 * b + c - if smooth.is_finite() { smooth } else { 0.0 }).abs() / 4.0;
        noise = noise.max(wobble);
    }
    Resolution {
        distinct_x,
        samples: samples + 1,
        noise,
        noise_pixels: noise * pixels_per_unit,
    }
}

/// The "Zoom in" animation: log10 of the window's width after `seconds`, starting from `base_width`. It
/// glides down a decade at a time to [`ANIMATION_WIDTH`] (1, 0.1, ... 1e-6), holding at each, holds at the
/// bottom, then comes back out in one glide. `None` once it is over.
pub fn animation_width_log10(base_width: f64, seconds: f64) -> Option<f64> {
    if !(base_width.is_finite() && base_width > ANIMATION_WIDTH && seconds >= 0.0) {
        return None;
    }
    let top = base_width.log10();
    let bottom = ANIMATION_WIDTH.log10();
    // The stops below the start: the whole decades from just under `top` down to the bottom.
    let first = (top - 1e-9).floor();
    let mut stops: Vec<f64> = Vec::new();
    let mut d = first;
    while d >= bottom - 1e-9 {
        stops.push(d);
        d -= 1.0;
    }
    let mut t = seconds;
    let mut from = top;
    for &stop in &stops {
        let glide = GLIDE_SECONDS * (from - stop).clamp(0.2, 1.0);
        if t < glide {
            return Some(from + (stop - from) * smooth_step(t / glide));
        }
        t -= glide;
        let hold = if stop == *stops.last().unwrap_or(&stop) {
            BOTTOM_HOLD_SECONDS
        } else {
            HOLD_SECONDS
        };
        if t < hold {
            return Some(stop);
        }
        t -= hold;
        from = stop;
    }
    if t < OUT_SECONDS {
        return Some(from + (top - from) * smooth_step(t / OUT_SECONDS));
    }
    None
}

/// The length of the whole animation from `base_width`, in seconds.
pub fn animation_seconds(base_width: f64) -> f64 {
    let mut t = 0.0;
    while animation_width_log10(base_width, t).is_some() && t < 600.0 {
        t += 0.05;
    }
    t
}

fn smooth_step(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// How many decimals tick numbers spaced `step` apart need so that neighbours read differently.
pub fn tick_decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (-(step.log10() + 1e-9).floor()).clamp(0.0, 17.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::Curve;
    use crate::math::ticks::nice_ticks;

    fn base() -> Window {
        Window {
            x: (-2.2, 2.2),
            y: (-4.5, 6.0),
        }
    }

    #[test]
    fn zooming_by_ten_shows_a_tenth_of_each_axis_around_the_point() {
        let w = zoomed(base(), (1.2, -1.0464), 10.0);
        assert!((w.width() - 0.44).abs() < 1e-12);
        assert!((w.height() - 1.05).abs() < 1e-12);
        assert!(w.x.0 < 1.2 && 1.2 < w.x.1 && w.y.0 < -1.0464 && -1.0464 < w.y.1);
        // No zoom is the base view; a factor of 100 or more puts the point in the middle.
        assert_eq!(zoomed(base(), (1.2, -1.0), 1.0), base());
        assert_eq!(zoomed(base(), (f64::NAN, 0.0), 10.0), base());
        let w = zoomed(base(), (1.2, -1.0464), 1e4);
        assert!((0.5 * (w.x.0 + w.x.1) - 1.2).abs() < 1e-12);
        assert!((0.5 * (w.y.0 + w.y.1) + 1.0464).abs() < 1e-12);
    }

    #[test]
    fn a_window_a_millionth_wide_has_ticks_that_read_apart() {
        // The zoom the animation ends on: 1e-6 wide about x = 1.2 on the double well.
        let factor = base().width() / 1e-6;
        let w = zoomed(base(), (1.2, -1.0464), factor);
        assert!((w.width() - 1e-6).abs() < 1e-15, "{}", w.width());
        let ticks = nice_ticks(w.x.0, w.x.1, 8);
        assert!(ticks.len() >= 4, "{ticks:?}");
        let step = ticks[1] - ticks[0];
        assert!(
            (step - 1e-7).abs() < 1e-12 || (step - 2e-7).abs() < 1e-12,
            "{step}"
        );
        let decimals = tick_decimals(step);
        assert_eq!(decimals, 7);
        let written: Vec<String> = ticks.iter().map(|t| format!("{t:.decimals$}")).collect();
        // 1.1999996 ... 1.2000004: every one different, and the middle one is 1.2000000.
        for pair in written.windows(2) {
            assert_ne!(pair[0], pair[1]);
        }
        assert!(written.contains(&"1.2000000".to_owned()), "{written:?}");
        assert!(
            written
                .iter()
                .all(|t| t.starts_with("1.1999") || t.starts_with("1.2000"))
        );
    }

    #[test]
    fn the_gap_to_the_tangent_shrinks_like_the_window_squared() {
        let well = Curve::by_name("double-well").unwrap();
        let x = 1.2;
        let mut gaps = Vec::new();
        for k in 1..=5 {
            let factor = 10f64.powi(k);
            let w = zoomed(base(), (x, well.value(x)), factor);
            let g = tangent_gap(|t| well.value(t), well.slope(x), well.bend(x), x, &w, 1.0);
            // Half the window on each side from a factor of 100.
            if k >= 2 {
                assert!((g.reach - w.width() / 2.0).abs() < 1e-12 * w.width().max(1.0));
            }
            // The bend's prediction f'' d^2 / 2 is right to first order in d (at a factor of 10 the
            // third-order term f''' d^3 / 6 is still a quarter of it).
            assert!(
                k < 2 || (g.gap - g.predicted).abs() <= 0.05 * g.predicted,
                "factor {factor}: {g:?}"
            );
            gaps.push(g.gap);
        }
        // Ten times narrower, a hundred times closer.
        for pair in gaps.windows(2).skip(1) {
            let ratio = pair[0] / pair[1];
            assert!((ratio - 100.0).abs() < 5.0, "{ratio}");
        }
    }

    #[test]
    fn f64_draws_the_curve_down_to_a_millionth_and_not_at_the_last_digits() {
        let well = Curve::by_name("double-well").unwrap();
        let x = 1.2;
        let pixels = 400.0;
        let at = |factor: f64| {
            let w = zoomed(base(), (x, well.value(x)), factor);
            resolution(
                |t| well.value(t),
                |t| well.bend(t),
                &w,
                600,
                pixels / w.height(),
            )
        };
        // The whole curve, and a window 1e-6 wide: every sample its own x, rounding far under a pixel.
        for factor in [1.0, 10.0, base().width() / 1e-6] {
            let r = at(factor);
            assert!(r.resolved(), "factor {factor}: {r:?}");
        }
        // 1e-12 wide is still the curve; 1e-13 wide, rounding in f(x) (a few 1e-16) is most of a pixel of
        // a window 2.4e-13 tall.
        assert!(at(base().width() / 1e-12).resolved());
        let r = at(base().width() / 1e-13);
        assert!(!r.resolved(), "{r:?}");
        // 1e-14 wide, x itself has run out of digits: most samples share their x with a neighbour.
        for factor in [base().width() / 1e-14, MAX_FACTOR] {
            let r = at(factor);
            assert!(r.distinct_x * 2 < r.samples, "{r:?}");
            assert!(!r.resolved());
        }
    }

    #[test]
    fn the_animation_goes_down_by_decades_to_a_millionth_and_back() {
        let top = 4.4f64.log10();
        assert_eq!(animation_width_log10(4.4, 0.0), Some(top));
        let mut seen_holds = Vec::new();
        let mut t = 0.0;
        let mut narrowest = f64::INFINITY;
        let mut last = None;
        while let Some(w) = animation_width_log10(4.4, t) {
            narrowest = narrowest.min(w);
            if (w - w.round()).abs() < 1e-12 && !seen_holds.contains(&w.round()) {
                seen_holds.push(w.round());
            }
            last = Some(w);
            t += 0.01;
        }
        assert_eq!(seen_holds, vec![0.0, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0]);
        assert!((narrowest + 6.0).abs() < 1e-12);
        assert!(
            (last.unwrap() - top).abs() < 1e-3,
            "ends back at the whole curve"
        );
        let total = animation_seconds(4.4);
        assert!((10.0..25.0).contains(&total), "{total}");
        // Nothing to zoom into from a window already narrower than the bottom.
        assert_eq!(animation_width_log10(1e-7, 0.0), None);
    }

    #[test]
    fn tick_decimals_follow_the_step() {
        assert_eq!(tick_decimals(1.0), 0);
        assert_eq!(tick_decimals(0.5), 1);
        assert_eq!(tick_decimals(0.2), 1);
        assert_eq!(tick_decimals(1e-7), 7);
        assert_eq!(tick_decimals(2e-7), 7);
        assert_eq!(tick_decimals(10.0), 0);
    }
}
