//! f' as a curve of its own: its points over a window, the band of values it fills, where it is zero,
//! which pieces lie above zero (rising) and below (falling), and the points a ball has traced.

use super::curve::{Curve, evenly_spaced};

/// Samples used to fit the band and to look for zeros.
const SCAN_SAMPLES: usize = 800;
/// A jump in f' between two samples larger than this share of the band breaks the line: a corner (|x| at 0)
/// or a pole (tan x) is not joined by a steep stroke that is not part of f'.
const JUMP_SHARE: f64 = 0.35;

/// Points (x, f'(x)) across `x_range`, `count` of them evenly spaced, for drawing.
pub fn sample_slope(curve: &Curve, x_range: (f64, f64), count: usize) -> Vec<(f64, f64)> {
    evenly_spaced(x_range, count)
        .map(|x| (x, curve.slope(x)))
        .collect()
}

/// The band of f' values the slope plot shows over `x_range`: from the 2nd to the 98th percentile of the
/// values (so a pole does not flatten the rest), widened to the extremes when they are near, always holding
/// zero (where the flat tangents are), and padded.
pub fn slope_band(curve: &Curve, x_range: (f64, f64)) -> (f64, f64) {
    let mut slopes: Vec<f64> = sample_slope(curve, x_range, SCAN_SAMPLES + 1)
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| s.is_finite())
        .collect();
    if slopes.is_empty() {
        return (-1.0, 1.0);
    }
    slopes.sort_by(f64::total_cmp);
    let pick = |q: f64| slopes[((slopes.len() - 1) as f64 * q).round() as usize];
    let (mut lo, mut hi) = (pick(0.02), pick(0.98));
    let spread = (hi - lo).max(1e-12);
    lo = lo.min(slopes[0].max(lo - 0.5 * spread));
    hi = hi.max(slopes[slopes.len() - 1].min(hi + 0.5 * spread));
    lo = lo.min(0.0);
    hi = hi.max(0.0);
    if hi - lo < 1e-9 * lo.abs().max(hi.abs()).max(1.0) {
        // f' is constant at zero (a flat line): still a band to draw the zero line in.
        lo -= 1.0;
        hi += 1.0;
    }
    let pad = 0.1 * (hi - lo);
    (lo - pad, hi + pad)
}

/// At most this many flat points get guides: more (a fast wave) would only hatch the plot.
pub const MAX_FLATS: usize = 24;

/// Where f' is zero inside `x_range`, left to right: where it crosses zero, and where it only touches it
/// (x^3 at 0). A jump across zero (sign(x) at 0, the slope of |x|) is not a zero: there is no flat tangent
/// there, only a corner. Nor is a stretch where f' stays zero (a constant, the flat half of x + |x|): every
/// point of it is flat, so no one point is. Empty when there would be more than [`MAX_FLATS`].
pub fn flat_points(curve: &Curve, x_range: (f64, f64)) -> Vec<f64> {
    let (lo, hi) = x_range;
    let samples = sample_slope(curve, x_range, SCAN_SAMPLES + 1);
    // How big f' is here, from the 98th percentile of |f'| so that a pole does not inflate it.
    let mut sizes: Vec<f64> = samples
        .iter()
        .map(|&(_, s)| s.abs())
        .filter(|s| s.is_finite())
        .collect();
    sizes.sort_by(f64::total_cmp);
    let scale = sizes
        .get(((sizes.len().max(1) - 1) as f64 * 0.98).round() as usize)
        .copied()
        .unwrap_or(0.0)
        .max(1e-300);
    let zero_at = |i: usize| samples.get(i).is_some_and(|&(_, s)| s == 0.0);
    let mut found: Vec<f64> = Vec::new();
    let push = |x: f64, found: &mut Vec<f64>| {
        if found.last().is_none_or(|&last| x - last > 1e-9 * (hi - lo)) {
            found.push(x);
        }
    };
    for i in 0..samples.len() {
        let (x0, s0) = samples[i];
        if !s0.is_finite() {
            continue;
        }
        if s0 == 0.0 {
            // Exactly zero at a sample: a flat point unless f' jumps there (the corner of |x|) or stays zero
            // on a stretch.
            let stretch = (i > 0 && zero_at(i - 1)) || zero_at(i + 1);
            if !stretch && !slope_jumps_at(curve, x0) {
                push(x0, &mut found);
            }
            continue;
        }
        let Some(&(x1, s1)) = samples.get(i + 1) else {
            continue;
        };
        if s1.is_finite() && s1 != 0.0 && (s0 < 0.0) != (s1 < 0.0) {
            let x = bisect_sign_change(curve, x0, x1);
            if !slope_jumps_at(curve, x) {
                push(x, &mut found);
            }
            continue;
        }
        // A touch without a crossing: |f'| dips to a local minimum near zero between neighbours.
        if i > 0 && s1.is_finite() {
            let (xp, sp) = samples[i - 1];
            let same_side = (sp < 0.0) == (s0 < 0.0) && (s0 < 0.0) == (s1 < 0.0);
            if sp.is_finite() && same_side && s0.abs() < sp.abs() && s0.abs() <= s1.abs() {
                let x = smallest_slope_between(curve, xp, x1);
                if curve.slope(x).abs() <= 1e-9 * scale && !slope_jumps_at(curve, x) {
                    push(x, &mut found);
                }
            }
        }
    }
    if found.len() > MAX_FLATS {
        found.clear();
    }
    found
}

/// Bisection on the sign of f' down to neighbouring doubles; returns the end with the smaller |f'|.
fn bisect_sign_change(curve: &Curve, mut a: f64, mut b: f64) -> f64 {
    let negative_at_a = curve.slope(a) < 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (a + b);
        if mid <= a || mid >= b {
            break;
        }
        let s = curve.slope(mid);
        if s == 0.0 {
            return mid;
        }
        if (s < 0.0) == negative_at_a {
            a = mid;
        } else {
            b = mid;
        }
    }
    if curve.slope(a).abs() <= curve.slope(b).abs() {
        a
    } else {
        b
    }
}

/// Golden-section search for the smallest |f'| between `a` and `b`.
fn smallest_slope_between(curve: &Curve, mut a: f64, mut b: f64) -> f64 {
    let ratio = 0.5 * (5f64.sqrt() - 1.0);
    let size = |x: f64| curve.slope(x).abs();
    let mut c = b - ratio * (b - a);
    let mut d = a + ratio * (b - a);
    for _ in 0..200 {
        if size(c) < size(d) {
            b = d;
        } else {
            a = c;
        }
        let (nc, nd) = (b - ratio * (b - a), a + ratio * (b - a));
        if nc == c && nd == d {
            break;
        }
        c = nc;
        d = nd;
    }
    0.5 * (a + b)
}

/// True when f' is not a slope at `x` although f is defined there: it jumps (a corner such as |x| at 0, or
/// the step of sign(x)) or is not finite (an upright tangent such as sqrt at 0). A steep but smooth f' is
/// told from a jump by looking twice, 100 times closer the second time: the difference from f'(x) shrinks
/// with the distance for a smooth slope and stays for a jump. Beyond the edge of f's domain is not looked
/// at (x^1.5 at 0 has a slope from the right).
pub fn slope_jumps_at(curve: &Curve, x: f64) -> bool {
    if !curve.value(x).is_finite() {
        return false;
    }
    let here = curve.slope(x);
    if !here.is_finite() {
        return true;
    }
    let step = 1e-6 * x.abs().max(1e-3);
    let floor = 1e-6 * here.abs().max(1.0);
    [-1.0, 1.0].into_iter().any(|side: f64| {
        let (far, near) = (x + side * step, x + side * step / 100.0);
        if !curve.value(near).is_finite() {
            return false;
        }
        let (s_far, s_near) = (curve.slope(far), curve.slope(near));
        if !s_near.is_finite() {
            return true;
        }
        let (d_far, d_near) = ((s_far - here).abs(), (s_near - here).abs());
        d_near > floor && d_near > 0.5 * d_far
    })
}

/// True when the curve has a corner at `x`: f' jumps there, so the slope there is not defined (the value
/// given is a convention, such as 0 for |x| at 0).
pub fn has_corner_at(curve: &Curve, x: f64) -> bool {
    curve.slope(x).is_finite() && slope_jumps_at(curve, x)
}

/// Where `u` (a formula in x) is zero in `x_range`: sign changes pinned down by bisection, and exact zeros.
pub fn zeros_of(u: impl Fn(f64) -> f64, x_range: (f64, f64)) -> Vec<f64> {
    let hi = x_range.1;
    let xs: Vec<f64> = evenly_spaced(x_range, SCAN_SAMPLES + 1).collect();
    let mut found = Vec::new();
    for pair in xs.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (ua, ub) = (u(a), u(b));
        if ua == 0.0 {
            found.push(a);
        } else if ua.is_finite() && ub.is_finite() && ub != 0.0 && (ua < 0.0) != (ub < 0.0) {
            let (mut l, mut r) = (a, b);
            for _ in 0..200 {
                let mid = 0.5 * (l + r);
                if mid <= l || mid >= r {
                    break;
                }
                if (u(mid) < 0.0) == (ua < 0.0) {
                    l = mid;
                } else {
                    r = mid;
                }
            }
            found.push(if u(l).abs() <= u(r).abs() { l } else { r });
        }
    }
    if xs.last().is_some_and(|&x| u(x) == 0.0) {
        found.push(hi);
    }
    found
}

/// Which side of zero a piece of f' lies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// f' > 0: the curve rises.
    Rising,
    /// f' < 0: the curve falls.
    Falling,
    /// f' = 0 all along: the curve is flat.
    Flat,
}

impl Side {
    /// The side of zero a slope is on.
    pub fn of(slope: f64) -> Self {
        if slope > 0.0 {
            Self::Rising
        } else if slope < 0.0 {
            Self::Falling
        } else {
            Self::Flat
        }
    }
}

/// The polyline `points` of (x, f'(x)) cut into pieces on one side of zero each, split exactly where it
/// crosses zero (a crossing point belongs to both neighbours) and broken where f' is not finite or jumps
/// by more than [`JUMP_SHARE`] of `band`.
pub fn pieces_by_sign(points: &[(f64, f64)], band: (f64, f64)) -> Vec<(Side, Vec<(f64, f64)>)> {
    let jump = JUMP_SHARE * (band.1 - band.0).abs();
    let mut pieces: Vec<(Side, Vec<(f64, f64)>)> = Vec::new();
    let mut current: Option<(Side, Vec<(f64, f64)>)> = None;
    let finish = |current: &mut Option<(Side, Vec<(f64, f64)>)>,
                  pieces: &mut Vec<(Side, Vec<(f64, f64)>)>| {
        if let Some(piece) = current.take()
            && piece.1.len() > 1
        {
            pieces.push(piece);
        }
    };
    for pair in points.windows(2) {
        let ((x0, s0), (x1, s1)) = (pair[0], pair[1]);
        if !(s0.is_finite() && s1.is_finite()) || (s1 - s0).abs() > jump {
            finish(&mut current, &mut pieces);
            continue;
        }
        // A segment touching zero at one end takes the side of its other end; one on zero at both is flat.
        let start_side = if s0 == 0.0 {
            Side::of(s1)
        } else {
            Side::of(s0)
        };
        let crosses = s0 != 0.0 && s1 != 0.0 && (s0 < 0.0) != (s1 < 0.0);
        let piece = current.get_or_insert_with(|| (start_side, vec![(x0, s0)]));
        if piece.0 != start_side {
            // The previous segment ended on zero and this one leaves to another side.
            let last = *piece.1.last().unwrap_or(&(x0, s0));
            finish(&mut current, &mut pieces);
            current = Some((start_side, vec![last]));
        }
        if crosses {
            let t = s0 / (s0 - s1);
            let zero = (x0 + (x1 - x0) * t, 0.0);
            if let Some(piece) = current.as_mut() {
                piece.1.push(zero);
            }
            finish(&mut current, &mut pieces);
            current = Some((Side::of(s1), vec![zero, (x1, s1)]));
        } else if let Some(piece) = current.as_mut() {
            piece.1.push((x1, s1));
        }
    }
    finish(&mut current, &mut pieces);
    pieces
}

/// Cells across the curve's x range in a trace: fine enough that a drag draws a smooth line.
pub const TRACE_CELLS: usize = 1200;
/// Two placements of the ball (a drag) at most this many cells apart are joined: the ball passed between.
const JOIN_CELLS: usize = TRACE_CELLS / 20;

/// Where the ball has been: the points whose slope the trace shows. A step lands on one point; a drag of
/// the ball passes over every point between its positions, so those are all traced.
#[derive(Clone, Debug, PartialEq)]
pub struct SlopeTrace {
    x_range: (f64, f64),
    /// The point (x, f'(x)) traced in each cell: the exact x where the ball was, or the cell's centre where
    /// a drag passed over it.
    cells: Vec<Option<(f64, f64)>>,
    /// The last x visited, and whether it was a placement (a drag or a click) rather than a step.
    last: Option<(f64, bool)>,
    /// Counts the changes, so a drawing made from the trace knows when to be made again.
    revision: u64,
}

impl SlopeTrace {
    /// An empty trace over `x_range`.
    pub fn new(x_range: (f64, f64)) -> Self {
        Self {
            x_range,
            cells: vec![None; TRACE_CELLS],
            last: None,
            revision: 0,
        }
    }

    pub fn x_range(&self) -> (f64, f64) {
        self.x_range
    }

    /// Changes so far: equal revisions hold the same points.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Forget every traced point.
    pub fn clear(&mut self) {
        self.cells.fill(None);
        self.last = None;
        self.revision += 1;
    }

    fn cell_of(&self, x: f64) -> Option<usize> {
        let (lo, hi) = self.x_range;
        if !(x.is_finite() && (lo..=hi).contains(&x)) {
            return None;
        }
        let t = (x - lo) / (hi - lo);
        Some(((t * TRACE_CELLS as f64) as usize).min(TRACE_CELLS - 1))
    }

    fn centre(&self, cell: usize) -> f64 {
        let (lo, hi) = self.x_range;
        lo + (hi - lo) * (cell as f64 + 0.5) / TRACE_CELLS as f64
    }

    /// The ball is at `x`, where the slope is `slope(x)`: `placed` when a person (or a script) put it there,
    /// not a step. Visiting the same x again changes nothing.
    pub fn visit(&mut self, x: f64, slope: impl Fn(f64) -> f64, placed: bool) {
        if self.last.is_some_and(|(last, _)| last == x) {
            return;
        }
        let Some(cell) = self.cell_of(x) else {
            self.last = None;
            return;
        };
        if placed
            && let Some((last, true)) = self.last
            && let Some(from) = self.cell_of(last)
            && from.abs_diff(cell) <= JOIN_CELLS
        {
            let (a, b) = (from.min(cell), from.max(cell));
            for between in a + 1..b {
                if self.cells[between].is_none() {
                    let centre = self.centre(between);
                    self.cells[between] = Some((centre, slope(centre)));
                }
            }
        }
        self.cells[cell] = Some((x, slope(x)));
        self.last = Some((x, placed));
        self.revision += 1;
    }

    /// The traced points (x, f'(x)) in runs of neighbouring cells, left to right: a run of one is a single
    /// point.
    pub fn runs(&self) -> Vec<Vec<(f64, f64)>> {
        let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut current: Vec<(f64, f64)> = Vec::new();
        for cell in &self.cells {
            match cell {
                Some(point) => current.push(*point),
                None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
                None => {}
            }
        }
        if !current.is_empty() {
            runs.push(current);
        }
        runs
    }

    /// How many cells hold a traced point.
    pub fn len(&self) -> usize {
        self.cells.iter().filter(|c| c.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(Option::is_none)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(name: &str) -> &'static Curve {
        Curve::by_name(name).unwrap()
    }

    #[test]
    fn the_slope_of_the_bowl_is_the_straight_line_two_x() {
        for (x, s) in sample_slope(curve("bowl"), (-3.0, 3.0), 61) {
            assert_eq!(s, 2.0 * x);
        }
        let (lo, hi) = slope_band(curve("bowl"), (-3.0, 3.0));
        assert!(lo < -6.0 && hi > 6.0 && lo > -8.0 && hi < 8.0, "{lo}..{hi}");
    }

    #[test]
    fn the_double_wells_flat_tangents_are_the_roots_of_its_cubic_slope() {
        // 4x^3 - 6x + 1 = 0: roots worked out by the trigonometric formula for three real roots.
        let p: f64 = -1.5;
        let q: f64 = 0.25;
        let m = 2.0 * (-p / 3.0).sqrt();
        let theta = (3.0 * q / (p * m)).acos() / 3.0;
        let mut roots: Vec<f64> = (0..3)
            .map(|k| m * (theta - 2.0 * std::f64::consts::PI * k as f64 / 3.0).cos())
            .collect();
        roots.sort_by(f64::total_cmp);
        let found = flat_points(curve("double-well"), (-2.2, 2.2));
        assert_eq!(found.len(), 3, "{found:?}");
        for (found, root) in found.iter().zip(&roots) {
            assert!((found - root).abs() < 1e-12, "{found} vs {root}");
        }
    }

    #[test]
    fn the_cube_is_flat_at_zero_without_its_slope_changing_sign() {
        assert_eq!(flat_points(curve("inflection"), (-2.0, 2.0)), vec![0.0]);
        // A window whose samples miss 0 still finds the touch.
        let found = flat_points(curve("inflection"), (-1.9, 2.0));
        assert_eq!(found.len(), 1);
        assert!(found[0].abs() < 1e-4, "{found:?}");
    }

    #[test]
    fn the_corner_of_the_vee_is_not_a_flat_tangent() {
        assert!(flat_points(curve("vee"), (-3.0, 3.0)).is_empty());
        assert!(has_corner_at(curve("vee"), 0.0));
        assert!(!has_corner_at(curve("vee"), 0.5));
        assert!(!has_corner_at(curve("bowl"), 0.0));
    }

    #[test]
    fn curves_with_no_flat_point_have_no_guides() {
        assert!(flat_points(curve("exp"), (-3.0, 2.5)).is_empty());
        assert!(flat_points(curve("cliff"), (0.5, 3.0)).is_empty());
    }

    #[test]
    fn the_wave_is_flat_where_its_cosine_slope_is_zero() {
        let found = flat_points(curve("wave"), (-6.5, 6.5));
        let half_pi = std::f64::consts::FRAC_PI_2;
        let expected = [-3.0 * half_pi, -half_pi, half_pi, 3.0 * half_pi];
        assert_eq!(found.len(), expected.len(), "{found:?}");
        for (f, e) in found.iter().zip(expected) {
            assert!((f - e).abs() < 1e-12, "{f} vs {e}");
        }
    }

    #[test]
    fn the_slope_curve_is_split_at_zero_into_rising_and_falling_pieces() {
        let points = sample_slope(curve("bowl"), (-3.0, 3.0), 8);
        let pieces = pieces_by_sign(&points, (-7.0, 7.0));
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        assert_eq!(pieces[0].0, Side::Falling);
        assert_eq!(pieces[1].0, Side::Rising);
        // Both end exactly on the zero crossing at x = 0.
        assert_eq!(*pieces[0].1.last().unwrap(), (0.0, 0.0));
        assert_eq!(pieces[1].1[0], (0.0, 0.0));
        assert!(pieces[0].1.iter().all(|&(_, s)| s <= 0.0));
        assert!(pieces[1].1.iter().all(|&(_, s)| s >= 0.0));
    }

    #[test]
    fn the_jump_in_the_vees_slope_is_not_drawn_as_a_stroke() {
        let points = sample_slope(curve("vee"), (-3.0, 3.0), 10);
        let pieces = pieces_by_sign(&points, (-1.2, 1.2));
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        assert!(pieces[0].1.iter().all(|&(_, s)| s == -1.0));
        assert!(pieces[1].1.iter().all(|&(_, s)| s == 1.0));
    }

    #[test]
    fn steps_trace_single_points_and_a_drag_traces_everything_it_passes() {
        let bowl = curve("bowl");
        let slope = |x: f64| bowl.slope(x);
        let xs = |runs: Vec<Vec<(f64, f64)>>| -> Vec<Vec<f64>> {
            runs.into_iter()
                .map(|run| run.into_iter().map(|(x, _)| x).collect())
                .collect()
        };
        let mut trace = SlopeTrace::new((-3.0, 3.0));
        assert!(trace.is_empty());
        // Two steps far apart: two points, not joined.
        trace.visit(1.5, slope, false);
        trace.visit(1.2, slope, false);
        assert_eq!(xs(trace.runs()), vec![vec![1.2], vec![1.5]]);
        // A drag from -1 to -0.9 in small moves covers every cell between.
        trace.clear();
        let mut x = -1.0;
        while x <= -0.9 {
            trace.visit(x, slope, true);
            x += 0.02;
        }
        let runs = trace.runs();
        assert_eq!(runs.len(), 1, "{runs:?}");
        let cell = 6.0 / TRACE_CELLS as f64;
        // The last move lands at about -0.92: at least 0.07 of x is covered, cell by cell.
        assert!(runs[0].len() as f64 >= 0.07 / cell, "{}", runs[0].len());
        assert!(runs[0].windows(2).all(|w| w[0].0 < w[1].0));
        // Every traced point, drag-filled ones too, holds the slope at its own x.
        assert!(runs[0].iter().all(|&(x, s)| s == 2.0 * x));
        // A jump of the placement across the plot (a click far away) is not joined.
        trace.clear();
        trace.visit(-2.0, slope, true);
        trace.visit(2.0, slope, true);
        assert_eq!(xs(trace.runs()), vec![vec![-2.0], vec![2.0]]);
        // Off the range is not traced, and breaks the join.
        let before = trace.revision();
        trace.visit(5.0, slope, true);
        trace.visit(2.01, slope, true);
        assert_eq!(trace.len(), 3);
        assert!(trace.revision() > before, "a change is counted");
        let now = trace.revision();
        trace.visit(2.01, slope, true);
        assert_eq!(
            trace.revision(),
            now,
            "visiting the same x again changes nothing"
        );
    }

    #[test]
    fn a_traced_point_keeps_the_exact_x_of_the_ball_and_the_slope_there() {
        let curve = curve("double-well");
        let mut trace = SlopeTrace::new(curve.x_range);
        let x = 0.123_456_789;
        trace.visit(x, |t| curve.slope(t), false);
        assert_eq!(
            trace.runs(),
            vec![vec![(x, 4.0 * x * x * x - 6.0 * x + 1.0)]]
        );
    }

    #[test]
    fn a_flat_stretch_is_not_a_row_of_flat_points() {
        for formula in ["5", "sign(x)", "x + abs(x)", "abs(x - 1) + abs(x + 1)"] {
            let curve = Curve::from_formula(formula).unwrap();
            let found = flat_points(&curve, curve.x_range);
            assert!(found.is_empty(), "{formula}: {found:?}");
        }
        // A zero slope is drawn as flat, apart from rising and falling.
        let constant = Curve::from_formula("5").unwrap();
        let pieces = pieces_by_sign(&sample_slope(&constant, (-4.0, 4.0), 20), (-1.0, 1.0));
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].0, Side::Flat);
    }

    #[test]
    fn a_steep_smooth_slope_is_not_mistaken_for_a_corner() {
        let tan = Curve::from_formula("tan(x)").unwrap();
        let x = std::f64::consts::FRAC_PI_2 - 1e-4;
        assert!(!has_corner_at(&tan, x));
        let inverse = Curve::from_formula("1/x").unwrap();
        assert!(!has_corner_at(&inverse, 1e-3));
        // sqrt stands upright at 0: no slope there, but not beyond the edge of its domain.
        let sqrt = Curve::from_formula("sqrt(x)").unwrap();
        assert!(slope_jumps_at(&sqrt, 0.0));
        assert!(!slope_jumps_at(&sqrt, 0.5));
        let smooth_edge = Curve::from_formula("x^1.5").unwrap();
        assert!(!slope_jumps_at(&smooth_edge, 0.0));
        let rounded = Curve::from_formula("x abs(x)").unwrap();
        assert!(
            !slope_jumps_at(&rounded, 0.0),
            "x|x| has slope 2|x|: smooth at 0"
        );
    }

    #[test]
    fn the_zeros_of_an_argument_are_found_where_it_changes_sign() {
        let zeros = zeros_of(|x| x * x - 2.0, (-3.0, 3.0));
        assert_eq!(zeros.len(), 2);
        assert!((zeros[0] + 2f64.sqrt()).abs() < 1e-15 && (zeros[1] - 2f64.sqrt()).abs() < 1e-15);
        assert_eq!(zeros_of(|x| x, (-3.0, 3.0)), vec![0.0]);
        assert!(zeros_of(|x| x * x + 1.0, (-3.0, 3.0)).is_empty());
    }
}
